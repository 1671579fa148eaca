#!/usr/bin/env python3
"""recompute.py DIR - recompute figures of truth.csv from synth's RAW files alone, by
DOMAIN.md's definitions, written here again without any project code: index application,
index spell, on benefit after k months (with censoring), respondents, support per half-year,
hours, obligation, handover. The registry figures and counts must equal truth.csv's
population rows; the survey figures its respondents_weighted / respondents_unweighted rows
(to 1e-9). This is what the end-to-end test expects of the pipeline. Prints TAP lines."""
import csv
import sys
from datetime import date

from rawfiles import add_months, dmy, ok

D = sys.argv[1]


def rows(name, enc, crlf):
    t = open(D + "/" + name, encoding=enc, newline="").read().lstrip("\ufeff")
    ls = t.split("\r\n" if crlf else "\n")[:-1]
    h = ls[0].split(";")
    return [dict(zip(h, l.split(";"))) for l in ls[1:]]


r1 = rows("cwi_aanvragen.csv", "cp1252", True)
r2 = rows("uwv_overdracht.csv", "cp1252", True)
r3 = rows("uitkeringen.csv", "cp1252", True)
r4 = rows("steekproef.csv", "cp1252", True)
waves = [{r["respnr"]: r for r in rows("golf%d.csv" % k, "utf-8", False)} for k in (1, 2, 3)]

W0, W1 = date(2006, 3, 1), date(2006, 4, 30)
index = {}
for r in r1:       # file order: the first row wins same-day ties
    if r["beslissing"] != "T":
        continue
    d = dmy(r["aanvraagdatum"])
    if W0 <= d <= W1 and (r["bsn"] not in index or d < dmy(index[r["bsn"]]["aanvraagdatum"])):
        index[r["bsn"]] = r
spells = {}
for r in r3:
    spells.setdefault(r["bsn"].zfill(9), []).append(r)
uwv = {}
for r in r2:
    uwv[r["bsn"].zfill(9)] = uwv.get(r["bsn"].zfill(9), 0) + 1

person = {}
for bsn, a in index.items():
    app = dmy(a["aanvraagdatum"])
    ben = a["uitkering"].lower()
    cand = [s for s in spells.get(bsn, []) if s["uitkering"].lower() == ben and dmy(s["ingangsdatum"]) >= app]
    on = [None, None, None]
    if cand:
        s = min(cand, key=lambda s: dmy(s["ingangsdatum"]))
        for i, k in enumerate((3, 6, 12)):
            day = add_months(app, k)
            if s["einddatum"]:
                on[i] = int(dmy(s["einddatum"]) > day)
            elif dmy(s["peildatum"]) > day:
                on[i] = 1
    p = dict(benefit=ben, on=on, phase=int(a["fase"]), large=int(a["fase"]) >= 3)
    if ben == "ww":
        cwi, u = a["overdracht_datum"] != "", uwv.get(bsn, 0) > 0
        p["ho"] = ["none", "uwv_only", "cwi_only", "both"][2 * cwi + u]
    person[bsn] = p
for r in r4:
    if r["bsn"] in person:
        person[r["bsn"]]["w"] = 1 / float(r["trekkingskans"].replace(",", "."))
        person[r["bsn"]]["resp"] = [waves[k].get(r["respnr"]) for k in range(3)]

FORMS = ["advies_vacatures", "hulp_solliciteren", "hulp_eigen_bedrijf", "traject", "training"]
PROBS = ["prob_gezondheid", "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting"]


def half(ws, h):
    """support measures of a half-year from its waves (None = not answered)"""
    ws = [w for w in ws if w is not None]
    if not ws:
        return None
    m = {f: int(any(w[f] == "1" for w in ws)) for f in FORMS}
    has_prob = [w for w in ws if any(w[p] in ("1", "2") for p in PROBS)]
    problem = any(w[p] == "1" for w in ws for p in PROBS) if has_prob else None
    m["problem"] = problem
    m["problem_help"] = int(any(w["hulp_problemen"] == "1" for w in ws)) if problem else None
    if h == 1:
        m["contacts"] = int(any(w["contacten_werk"] not in ("", "98", "99") and int(w["contacten_werk"]) > 0 for w in ws))
    else:
        m["contacts"] = int(ws[0]["begeleiding_werk"] == "1")
    m["any"] = int(any(m[f] for f in FORMS) or m["contacts"] or bool(m["problem_help"]))
    return m


def hours(w):
    if w is None or w["zoekt"] not in ("1", "2"):
        return None
    if w["zoekt"] == "2":
        return 0
    return None if w["zoekuren"] in ("98", "99") else int(w["zoekuren"])


acc = {}


def add(key, y, w):
    if y is None:
        return
    a = acc.setdefault(key, [0.0, 0.0, 0, 0.0])
    a[0] += w * y
    a[1] += w
    a[2] += 1
    a[3] += y


for bsn, p in person.items():
    b, on = p["benefit"], p["on"]
    if b == "ww" and on[1] == 1:
        for c in ("none", "cwi_only", "uwv_only", "both"):
            add(("handover", "ww", "year", "on_benefit_6m", c, "population"), int(p["ho"] == c), 1)
        add(("handover_distance", "ww", "year", "on_benefit_6m", "phase_%d" % p["phase"], "population"), int(p["ho"] != "both"), 1)
    for k, pop in enumerate(("on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "all")):
        if k == 3 or on[k] == 1:
            add(("counts", b, "year", pop, "persons", "population"), 1, 1)
    if "resp" not in p:
        continue
    w1, w2, w3 = p["resp"]
    h1, h2 = half([w1, w2], 1), half([w3], 2)
    wt = p["w"]
    if on[0] == 1 and w2:
        add(("fig1" if b == "ww" else "fig4", b, "h1", "on_benefit_3m", "any_support", "r"), h1["any"], wt)
        add(("hours", b, "h1", "on_benefit_3m", "all", "r"), hours(w2), wt)
    if w3:
        for k, pop in ((1, "on_benefit_6m"), (2, "on_benefit_12m")):
            if on[k] == 1:
                add(("fig1" if b == "ww" else "fig4", b, "h2", pop, "any_support", "r"), h2["any"], wt)
        if on[1] == 1:
            add(("hours", b, "h2", "on_benefit_6m", "all", "r"), hours(w3), wt)
            if b == "ww":
                add(("handover_support", "ww", "h2", "on_benefit_6m", p["ho"], "r"), h2["any"], wt)
                if p["ho"] in ("none", "cwi_only"):
                    add(("handover_support", "ww", "h2", "on_benefit_6m", "uwv_unknown", "r"), h2["any"], wt)
    if on[1] == 1 and w2 and w3:
        t = "fig3" if b == "ww" else "fig6"
        add(("coverage", b, "year", "on_benefit_6m", "any_support", "r"), int(h1["any"] or h2["any"]), wt)
        for f, row in zip(FORMS, ("advice", "help_applying", "own_business", "programme", "training")):
            add((t, b, "year", "on_benefit_6m", row, "r"), int(h1[f] or h2[f]), wt)
        if h1["problem"] or h2["problem"]:
            add((t, b, "year", "on_benefit_6m", "problem_help", "r"), int(bool(h1["problem_help"]) or bool(h2["problem_help"])), wt)
        add((t, b, "year", "on_benefit_6m", "contacts", "r"), int(h1["contacts"] or h2["contacts"]), wt)
    if b == "wwb" and w1 and w1["sollicitatieplicht"] in ("1", "2", "8"):
        for k, pop in ((3, "all"), (0, "on_benefit_3m"), (1, "on_benefit_6m")):
            if k == 3 or on[k] == 1:
                add(("obligation", "wwb", "h1", pop, "no_obligation", "r"), int(w1["sollicitatieplicht"] == "2"), wt)

truth = {}
for r in csv.DictReader(open(D + "/truth.csv")):
    truth[(r["table"], r["benefit"], r["period"], r["population"], r["row"], r["scope"])] = r
bad, n_checked = [], 0
for key, (swy, sw, n, sy) in sorted(acc.items()):
    if key[5] == "population":
        want = [(key, (n if key[0] == "counts" else swy / sw), n)]
    else:
        want = [(key[:5] + ("respondents_weighted",), swy / sw, n), (key[:5] + ("respondents_unweighted",), sy / n, n)]
    for k, est, nn in want:
        t = truth.get(k)
        n_checked += 1
        if t is None or int(t["n"]) != nn or abs(float(t["estimate"]) - est) > 1e-9 * max(1, abs(est)):
            bad.append((k, est, nn, t and (t["estimate"], t["n"])))
ok(n_checked > 50 and not bad, "%d figures recomputed from the raw files equal truth.csv" % n_checked, str(bad[:4]))
