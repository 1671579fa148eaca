#!/usr/bin/env python3
"""mkrows.py [SCHEMA] < ROWS > stream - a plain cohort_support/1 stream (or SCHEMA's, e.g.
cohort_status/1) from a readable list of cohort rows, for hand-made cases of cohort-tables.

ROWS: one row a line, `#` starts a comment, '-' is a missing value:

    KEY COHORT BENEFIT APPLICATION ON3 ON6 ON12 HANDOVER KM_TIME KM_ENDED EXTRACT [KIND] [FIELD=VALUE...]

KEY is a short name made into a 32-digit person_key that sorts as the name does (p1 <
p2 < q1); KIND is the cohort_kind (default month); FIELD=VALUE sets any other column
(spell_end=2006-09-30). Every other column gets a valid base value (a person of no sample,
no wave answered; spell_start the application date when KM_TIME is given). The header
comes from `rec-check --describe` (bin on PATH), so it follows schemas/."""
import subprocess
import sys

schema = sys.argv[1] if len(sys.argv) > 1 else "cohort_support/1"
desc = subprocess.run(["rec-check", "--describe", schema], capture_output=True, text=True, check=True).stdout
fields = [l.split()[0] for l in desc.split("\n") if l.startswith("  ") and len(l.split()) > 1
          and l.split()[1] in ("req", "opt")]
BASE = {
    "n_applications": "1", "n_refused_before": "0", "application_line": "2", "birth_date": "1970-01-01",
    "sex": "female", "origin": "native", "phase": "1", "office": "0001", "uwv_rows": "0", "in_sample": "0",
    "responded_w1": "0", "responded_w2": "0", "responded_w3": "0", "uwv_rows_claim": "0", "age": "36",
    "age_class": "35_44", "migrant": "0", "large_distance": "0",
    "support_method": "contacts=report;threshold=0;dont_know=no;carryover=yes;on_time=28;uwv_known=claim",
}
COLS = ["person_key", "cohort", "benefit", "application_date", "on_benefit_3m", "on_benefit_6m",
        "on_benefit_12m", "handover_category", "km_time", "km_ended", "extract_date", "cohort_kind"]


def key(name):
    return "".join("%02x" % ord(c) for c in name).ljust(32, "0")[:32]


print("#schema " + schema)
print(",".join(fields))
for line in sys.stdin:
    words = line.split()
    if not words or words[0].startswith("#"):
        continue
    row = dict(BASE, cohort_kind="month")
    extra = [w for w in words if "=" in w]
    for c, v in zip(COLS, [w for w in words if "=" not in w]):
        row[c] = "" if v == "-" else v
    row["person_key"] = key(words[0])
    if row.get("km_time"):
        row["spell_start"] = row["application_date"]
    for w in extra:
        f, v = w.split("=", 1)
        row[f] = "" if v == "-" else v
    print(",".join(row.get(f, "") for f in fields))
