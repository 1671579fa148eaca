#!/usr/bin/env python3
"""recompute_cohorts.py DIR [LATER_DIR] - truth-cohorts.csv recomputed from synth's raw
registry files R1-R3 alone, by DOMAIN.md's definitions and the cohort rule of
doc/cohorts.md, written here again without any project code. Prints TAP lines.

For every cohort (month 2006-03, quarter 2006-Q1, year 2006) and benefit: the members (a
person with a granted application in the window; the first of them, same day the first row
of the file, is the index application), on benefit after 3/6/12 months (count and share of
the members whose status the extract tells), the WW handover categories among those on
benefit at 6 months, and the censoring rule: a figure is known only when the peildatum is
later than the k-month mark of the cohort's last member; then known_from is the day after
that mark. Every row of truth-cohorts.csv except the synth_only ones must match exactly (the
shares to 1e-9).

LATER_DIR: a later extract of the same seed and span (synth --span with a later
--peildatum). Its spells tell the true share still on benefit at months 1-18 of DIR's
members with an index spell, which must equal DIR's synth_only true_share rows - the one
part of the truth the raw files of DIR cannot show."""
import csv
import sys
from datetime import timedelta

from rawfiles import add_months, dmy, ok


def rows(d, name):
    t = open(d + "/" + name, encoding="cp1252", newline="").read()
    ls = t.split("\r\n")[:-1]
    h = ls[0].split(";")
    return [dict(zip(h, l.split(";")), line=i + 2) for i, l in enumerate(ls[1:])]


def load(d):
    r1, r2, r3 = rows(d, "cwi_aanvragen.csv"), rows(d, "uwv_overdracht.csv"), rows(d, "uitkeringen.csv")
    peil = {dmy(r["peildatum"]) for r in r3}
    assert len(peil) == 1, "one peildatum in R3"
    spells, uwv = {}, {}
    for r in r3:
        spells.setdefault(r["bsn"].zfill(9), []).append(r)
    for r in r2:
        uwv.setdefault(r["bsn"].zfill(9), []).append(dmy(r["ontvangstdatum"]))
    return r1, spells, uwv, peil.pop()


def cohort_label(kind, d):
    if kind == "month":
        return "%04d-%02d" % (d.year, d.month)
    if kind == "quarter":
        return "%04d-Q%d" % (d.year, (d.month - 1) // 3 + 1)
    return "%04d" % d.year


def index_spell(spells, bsn, benefit, app):
    cand = [s for s in spells.get(bsn, []) if s["uitkering"] == benefit and dmy(s["ingangsdatum"]) >= app]
    return min(cand, key=lambda s: (dmy(s["ingangsdatum"]), s["line"])) if cand else None


def status(s, peil, mark):
    """1 on benefit at MARK, 0 not, None unknown (DOMAIN.md: on benefit after k months)"""
    if s is None:
        return None
    if s["einddatum"]:
        return int(dmy(s["einddatum"]) > mark)
    return 1 if peil > mark else None


def members(r1):
    """{(kind, cohort, bsn): the index application row} by the cohort rule"""
    idx = {}
    for r in r1:       # file order: on a same-day tie the first row stays
        if r["beslissing"] != "T":
            continue
        d = dmy(r["aanvraagdatum"])
        for kind in ("month", "quarter", "year"):
            key = (kind, cohort_label(kind, d), r["bsn"])
            if key not in idx or d < dmy(idx[key]["aanvraagdatum"]):
                idx[key] = r
    return idx


def recompute(d):
    r1, spells, uwv, peil = load(d)
    cells = {}
    for (kind, coh, bsn), a in members(r1).items():
        app, ben = dmy(a["aanvraagdatum"]), a["uitkering"]
        c = cells.setdefault((kind, coh, ben.lower()), dict(app=0, last=app, n={}, on={}, ho={}))
        c["app"] += 1
        c["last"] = max(c["last"], app)
        s = index_spell(spells, bsn, ben, app)
        st = {k: status(s, peil, add_months(app, k)) for k in (3, 6, 12)}
        for k in (3, 6, 12):
            if st[k] is not None:
                c["n"][k] = c["n"].get(k, 0) + 1
                c["on"][k] = c["on"].get(k, 0) + st[k]
        if ben == "WW" and st[6] == 1:
            mark6, cwi = add_months(app, 6), dmy(a["overdracht_datum"])
            rec = uwv.get(bsn, [])
            # the cohorts' claim rule: recorded from the application to its 6-month mark;
            # the study's person rule: the overdracht_datum, any R2 row of the person
            for rule, known_cwi, known_uwv in (
                    ("share", cwi is not None and cwi <= mark6, any(app <= u <= mark6 for u in rec)),
                    ("share_person_rule", cwi is not None, len(rec) > 0)):
                cat = ["none", "uwv_only", "cwi_only", "both"][2 * known_cwi + known_uwv]
                c["ho"][(rule, cat)] = c["ho"].get((rule, cat), 0) + 1
    out = {}
    for (kind, coh, ben), c in cells.items():
        key = (kind, coh, ben)
        out[key + ("all", "applicants", "count")] = ("known", c["app"], c["app"], "")
        for k in (3, 6, 12):
            mark = add_months(c["last"], k)
            kf = (mark + timedelta(days=1)).isoformat()
            known = peil > mark
            st = "known" if known else "not_yet_known"
            n, on = c["n"].get(k, 0), c["on"].get(k, 0)
            row = "on_benefit_%dm" % k
            out[key + ("all", row, "count")] = (st, on if known else None, n if known else None, kf)
            out[key + ("all", row, "share")] = (st, on / n if known and n else None, n if known else None, kf)
            for rule in ("share", "share_person_rule"):
                if k != 6 or ben != "ww":
                    continue
                nh = sum(v for (r, _), v in c["ho"].items() if r == rule)
                for cat in ("none", "cwi_only", "uwv_only", "both"):
                    out[key + ("on_benefit_6m", cat, rule)] = (
                        st, c["ho"].get((rule, cat), 0) / nh if known and nh else None, nh if known else None, kf)
    return out, peil


def true_shares(early, later):
    """DIR's members with an index spell there; their status at months 1-18 from LATER_DIR"""
    r1, spells, _, peil = load(early)
    _, spells2, _, peil2 = load(later)
    acc = {}
    for (kind, coh, bsn), a in members(r1).items():
        app, ben = dmy(a["aanvraagdatum"]), a["uitkering"]
        if index_spell(spells, bsn, ben, app) is None:
            continue
        s2 = index_spell(spells2, bsn, ben, app)
        for m in range(1, 19):
            st = status(s2, peil2, add_months(app, m))
            assert st is not None, "the later extract tells every status"
            c = acc.setdefault((kind, coh, ben.lower(), "index_spell", "on_benefit_%dm" % m, "true_share"), [0, 0])
            c[0] += st
            c[1] += 1
    return {k: v[0] / v[1] for k, v in acc.items()}


def main():
    d = sys.argv[1]
    want, peil = recompute(d)
    got, synth_only = {}, {}
    for r in csv.DictReader(open(d + "/truth-cohorts.csv")):
        key = (r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])
        if r["status"] == "synth_only":
            synth_only[key] = r
        else:
            got[key] = r
    bad = []
    for key, (st, est, n, kf) in sorted(want.items()):
        r = got.get(key)
        if r is None:
            bad.append((key, "missing"))
            continue
        same = r["status"] == st and r["known_from"] == kf and r["n"] == ("" if n is None else str(n))
        if est is None:
            same = same and r["estimate"] == ""
        else:
            same = same and r["estimate"] != "" and abs(float(r["estimate"]) - est) <= 1e-9 * max(1, abs(est))
        if not same:
            bad.append((key, (st, est, n, kf), (r["status"], r["estimate"], r["n"], r["known_from"])))
    extra = sorted(set(got) - set(want))
    ok(len(want) > 100 and not bad and not extra,
       "%d cohort figures recomputed from R1-R3 equal truth-cohorts.csv (peildatum %s)" % (len(want), peil),
       str(bad[:3] + extra[:3]))
    n_known = sum(1 for v in want.values() if v[0] == "known" and v[1] is not None)
    n_open = sum(1 for v in want.values() if v[0] == "not_yet_known")
    ok(n_known > 0 and n_open > 0, "known (%d) and not yet known (%d) figures both occur" % (n_known, n_open))
    if len(sys.argv) > 2:
        ts = true_shares(d, sys.argv[2])
        bad = [k for k, v in ts.items() if k not in synth_only or abs(float(synth_only[k]["estimate"]) - v) > 1e-9]
        ok(len(ts) > 100 and not bad and len(ts) == len(synth_only),
           "%d true shares (months 1-18) equal the later extract's statuses" % len(ts), str(bad[:3]))


if __name__ == "__main__":
    main()
