#!/usr/bin/env python3
"""km_data.py DIR [COHORT...] - the Kaplan-Meier input of synth's raw registry files R1-R3:
one line per member of a month cohort with an index spell, by DOMAIN.md and the cohort rule
of doc/cohorts.md (reading the files as tests/synth/recompute_cohorts.py does):

    group,application_date,end_date,extract_date
    2007-03/ww,2007-03-05,2007-09-14,2008-03-01      (ended: an event on end_date)
    2007-03/ww,2007-03-06,,2008-03-01                 (running: censored on extract_date)

group = cohort/benefit; only the cohorts named (all month cohorts when none are), sorted
by group and then as R1 lists the index applications."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "synth"))
from rawfiles import dmy  # noqa: E402
from recompute_cohorts import index_spell, load, members  # noqa: E402

d, want = sys.argv[1], set(sys.argv[2:])
r1, spells, _, peil = load(d)
out = []
for (kind, coh, bsn), a in members(r1).items():
    if kind != "month" or (want and coh not in want):
        continue
    s = index_spell(spells, bsn, a["uitkering"], dmy(a["aanvraagdatum"]))
    if s is not None:
        end = dmy(s["einddatum"])
        out.append(("%s/%s" % (coh, a["uitkering"].lower()), a["line"], dmy(a["aanvraagdatum"]).isoformat(),
                    end.isoformat() if end else "", peil.isoformat()))
print("group,application_date,end_date,extract_date")
for g, _, app, end, ext in sorted(out):
    print("%s,%s,%s,%s" % (g, app, end, ext))
