#!/usr/bin/env python3
"""calib_check.py DIR CAL_PERSONS TEST_PERSONS - synth's world against the report.

1. Population figures of truth.csv against DOMAIN.md's targets. Tolerances are derived, not
   guessed: the figure at this test's size has standard error se = sqrt(p(1-p)/n) (shares) or
   sd/sqrt(n) (means; sd from the respondents' answers in truth-persons.csv). The parameters
   were calibrated on a run of CAL_PERSONS persons, whose own figure had standard error
   se * sqrt(TEST/CAL), and the calibration stopped within STOP of the target (0.003; 0.03 h).
   So |figure - target| <= Z * se * sqrt(1 + TEST/CAL) + STOP, Z = 3.29 (two-sided 0.001).
2. Signs: the generating coefficients (model_truth) have the report's signs, and descriptive
   population figures go the report's way (obligation, handover by distance, 12 m vs 6 m).
3. Recovery: the logits of fig2/fig5, table1's looking (logit), hours (linear) and
   applications (Poisson quasi-likelihood: consistent for a log-linear mean, which is what
   the negbin fit estimates) fitted here by IRLS in plain Python on the respondents in
   truth-persons.csv give back the coefficients in truth.csv: |estimate - truth| <= Z2 * se
   with Z2 = 3.89 (0.0001 each; about 150 checks, family-wise about 0.015), robust (HC0) se;
   where |truth| > Z2 * se the sign must match.
Prints TAP lines."""
import csv
import math
import sys

D = sys.argv[1]
CAL, TEST = float(sys.argv[2]), float(sys.argv[3])
Z, Z2, STOP_SHARE, STOP_HOURS = 3.29, 3.89, 0.003, 0.03


def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else ": " + detail))


truth = {}
for r in csv.DictReader(open(D + "/truth.csv")):
    truth[(r["table"], r["benefit"], r["period"], r["population"], r["row"], r["scope"])] = r
persons = list(csv.DictReader(open(D + "/truth-persons.csv")))


def fig(t, b, per, pop, row, scope="population"):
    r = truth[(t, b, per, pop, row, scope)]
    return float(r["estimate"]), int(r["n"])


def sd_of(col, benefit, popcol):
    xs = [float(p[col]) for p in persons if p["benefit"] == benefit and p[popcol] == "1" and p[col] != ""]
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


infl = math.sqrt(1 + TEST / CAL)
targets = [
    ("coverage", "ww", "year", "on_benefit_6m", "any_support", 0.97),
    ("coverage", "wwb", "year", "on_benefit_6m", "any_support", 0.88),
    ("fig1", "ww", "h1", "on_benefit_3m", "any_support", 0.95),
    ("fig1", "ww", "h2", "on_benefit_6m", "any_support", 0.67),
    ("fig1", "ww", "h2", "on_benefit_12m", "any_support", 0.74),
    ("fig4", "wwb", "h1", "on_benefit_3m", "any_support", 0.83),
    ("fig4", "wwb", "h2", "on_benefit_6m", "any_support", 0.56),
    ("fig4", "wwb", "h2", "on_benefit_12m", "any_support", 0.55),
    ("handover", "ww", "year", "on_benefit_6m", "none", 0.06),
    ("handover", "ww", "year", "on_benefit_6m", "cwi_only", 0.26),
    ("handover", "ww", "year", "on_benefit_6m", "uwv_only", 0.13),
    ("handover", "ww", "year", "on_benefit_6m", "both", 0.55),
    ("handover_support", "ww", "h2", "on_benefit_6m", "uwv_unknown", 0.50),
    ("fig3", "ww", "year", "on_benefit_6m", "programme", 0.47),
    ("fig3", "ww", "year", "on_benefit_6m", "training", 1 / 7),
    ("obligation", "wwb", "h1", "all", "no_obligation", 2 / 3),
]
for t, b, per, pop, row, target in targets:
    est, n = fig(t, b, per, pop, row)
    se = math.sqrt(target * (1 - target) / n)
    tol = Z * se * infl + STOP_SHARE
    ok(abs(est - target) <= tol, "%s %s %s %s %s: %.4f vs report %.4f (n %d, tolerance %.4f)"
       % (t, b, per, pop, row, est, target, n, tol))
for b, per, pop, col, target in (("ww", "h1", "on_benefit_3m", "h1_search_hours", 7.7),
                                 ("ww", "h2", "on_benefit_6m", "h2_search_hours", 6.3),
                                 ("wwb", "h1", "on_benefit_3m", "h1_search_hours", 3.2),
                                 ("wwb", "h2", "on_benefit_6m", "h2_search_hours", 1.9)):
    est, n = fig("hours", b, per, pop, "all")
    se = sd_of(col, b, pop) / math.sqrt(n)
    tol = Z * se * infl + STOP_HOURS
    ok(abs(est - target) <= tol, "hours %s %s: %.3f h vs report %.1f (n %d, tolerance %.3f)" % (b, per, est, target, n, tol))

# ---- 2. signs ----
coef = {}
for (t, b, per, pop, row, scope), r in truth.items():
    if t == "model_truth":
        coef[(pop, row)] = float(r["estimate"])
report_signs = {
    # fig2 WW: older -, large distance -, migrant -, work resumed -, asked help +, obligation +,
    # support in H1 +, good health + (poor health -); H2: ages 35-54 most
    "fig2_h1_ww": {"age_class:55_plus": -1, "large_distance": -1, "migrant": -1, "h1_work_resumed:partly": -1,
                   "h1_work_resumed:fully": -1, "h1_asked_help": 1, "h1_obligation:yes": 1, "h1_poor_health": -1},
    "fig2_h2_ww": {"age_class:under_25": -1, "age_class:25_34": -1, "age_class:55_plus": -1, "large_distance": -1,
                   "migrant": -1, "h2_work_resumed:fully": -1, "h2_asked_help": 1, "h2_obligation:yes": 1,
                   "h1_any_support": 1, "h2_poor_health": -1},
    # fig5 WWB: large distance -, older -, work resumed -, asked help +, men +, non-work problems +;
    # H1: 25-34 most (under 25 and 35+ less)
    "fig5_h1_wwb": {"age_class:under_25": -1, "age_class:25_34": 1, "age_class:45_54": -1, "age_class:55_plus": -1,
                    "large_distance": -1, "h1_work_resumed:partly": -1, "h1_work_resumed:fully": -1,
                    "h1_asked_help": 1, "sex:male": 1, "h1_nonwork_problem": 1},
    "fig5_h2_wwb": {"age_class:55_plus": -1, "large_distance": -1, "h2_work_resumed:partly": -1,
                    "h2_work_resumed:fully": -1, "h2_asked_help": 1, "sex:male": 1, "h2_nonwork_problem": 1},
}
# table1: ++ = positive on looking, hours and applications; + = positive on one; - = negative on one
t1 = {"ww": {"advice": "++", "own_business": "+", "help_applying": "+", "programme": "++", "contacts": "++",
             "training": ""},
      "wwb": {"advice": "++", "own_business": "-", "help_applying": "+", "contacts": "++", "programme": "",
              "training": ""}}
bad = []
for model, signs in report_signs.items():
    for term, s in signs.items():
        if (coef[(model, term)] > 0) - (coef[(model, term)] < 0) != s:
            bad.append((model, term, coef[(model, term)]))
ok(not bad, "fig2/fig5 generating coefficients have the report's signs", str(bad))
bad = []
for b, forms in t1.items():
    for h in ("h1", "h2"):
        for form, sym in forms.items():
            c = [coef[("table1_%s_%s_%s" % (m, h, b), "%s_%s" % (h, form))] for m in ("looking", "hours", "applications")]
            pos, neg = sum(x > 0 for x in c), sum(x < 0 for x in c)
            want = {"++": (3, 0), "+": None, "-": None, "": (0, 0)}[sym]
            if sym == "+" and not (1 <= pos <= 2 and neg == 0): bad.append((b, h, form, c))
            if sym == "-" and not (neg == 1 and pos == 0): bad.append((b, h, form, c))
            if want and (pos, neg) != want: bad.append((b, h, form, c))
ok(not bad, "table1 generating coefficients have the report's symbols (++, +, -, none)", str(bad))
for name, want in (("table1_hours_h1_ww", ("contrast:all_vs_contacts", 1.2)),
                   ("table1_hours_h2_ww", ("contrast:all_vs_advice", 3.6)),
                   ("table1_hours_h1_wwb", ("contrast:all_vs_advice", 2.9))):
    ok(abs(coef[(name, want[0])] - want[1]) < 1e-9, "%s %s = %+.1f h as in the report" % (name, want[0], want[1]))

P = lambda *k: fig(*k)[0]
ok(P("obligation", "wwb", "h1", "all", "large_distance:no_obligation") > P("obligation", "wwb", "h1", "all", "large_distance:obligation"),
   "obligation: those without have a larger distance")
ok(P("obligation", "wwb", "h1", "all", "poor_health:no_obligation") > P("obligation", "wwb", "h1", "all", "poor_health:obligation"),
   "obligation: those without have poorer health")
ok(P("obligation", "wwb", "h1", "all", "search_hours:obligation") > P("obligation", "wwb", "h1", "all", "search_hours:no_obligation"),
   "obligation: those with look for work more hours")
hd = [P("handover_distance", "ww", "year", "on_benefit_6m", "phase_%d" % k) for k in (1, 2, 3, 4)]
ok(hd == sorted(hd) and hd[3] > hd[0], "handover: larger distance more often lacks handover information %s" % ["%.3f" % x for x in hd])
ok(P("handover_support", "ww", "h2", "on_benefit_6m", "uwv_unknown") < P("handover_support", "ww", "h2", "on_benefit_6m", "both"),
   "handover: less support in H2 without UWV information")
f3 = {r: P("fig3", "ww", "year", "on_benefit_6m", r) for r in ("advice", "contacts", "programme", "training")}
ok(min(f3["advice"], f3["contacts"]) > f3["programme"] > f3["training"], "fig3: light forms most, then programme, then training")


# ---- 3. recovery by IRLS ----
def solve(A, b):
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[piv] = M[piv], M[c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            if f:
                for k in range(c, n + 1):
                    M[r][k] -= f * M[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (M[r][n] - sum(M[r][k] * x[k] for k in range(r + 1, n))) / M[r][r]
    return x


def inverse(A):
    n = len(A)
    cols = [solve(A, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def fit(X, y, family):
    p = len(X[0])
    beta = [0.0] * p
    if family == "poisson":
        beta[0] = math.log(sum(y) / len(y))
    for _ in range(30):
        A = [[0.0] * p for _ in range(p)]
        g = [0.0] * p
        for x, yi in zip(X, y):
            eta = sum(a * b for a, b in zip(x, beta))
            if family == "logit":
                mu = 1 / (1 + math.exp(-eta)); w = mu * (1 - mu)
            elif family == "poisson":
                mu = math.exp(eta); w = mu
            else:
                mu = eta; w = 1.0
            for i in range(p):
                g[i] += x[i] * (yi - mu)
                wi = w * x[i]
                if wi:
                    for j in range(i + 1):
                        A[i][j] += wi * x[j]
        for i in range(p):
            for j in range(i):
                A[j][i] = A[i][j]
        step = solve(A, g)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    Ainv = inverse(A)
    # HC0 sandwich: Ainv (sum r^2 x x') Ainv
    B = [[0.0] * p for _ in range(p)]
    for x, yi in zip(X, y):
        eta = sum(a * b for a, b in zip(x, beta))
        mu = 1 / (1 + math.exp(-eta)) if family == "logit" else math.exp(eta) if family == "poisson" else eta
        r2 = (yi - mu) ** 2
        for i in range(p):
            if x[i]:
                for j in range(p):
                    B[i][j] += r2 * x[i] * x[j]
    V = [[sum(Ainv[i][k] * sum(B[k][l] * Ainv[l][j] for l in range(p)) for k in range(p)) for j in range(p)] for i in range(p)]
    return beta, [math.sqrt(V[i][i]) for i in range(p)], V


def check(model, terms, X, y, family, contrast=None):
    beta, se, V = fit(X, y, family)
    bad, signs = [], []
    for t, b, s in zip(terms, beta, se):
        tr = coef[(model, t)]
        if abs(b - tr) > Z2 * s:
            bad.append("%s %.3f vs %.3f (se %.3f)" % (t, b, tr, s))
        if abs(tr) > Z2 * s and (b > 0) != (tr > 0):
            signs.append(t)
    ok(not bad, "%s: fitted coefficients within %.2f se of the generating ones (n %d)" % (model, Z2, len(y)), "; ".join(bad))
    ok(not signs, "%s: every clearly non-zero effect has the generating (report's) sign" % model, str(signs))
    if contrast:
        name, idx = contrast
        est = sum(beta[i] for i in idx)
        s = math.sqrt(sum(V[i][j] for i in idx for j in idx))
        tr = coef[(model, name)]
        ok(abs(est - tr) <= Z2 * s, "%s %s: %.2f h vs %.2f (se %.2f)" % (model, name, est, tr, s))


AGE = ["under_25", "25_34", "45_54", "55_plus"]
for b, fname in (("ww", "fig2"), ("wwb", "fig5")):
    for h in ("h1", "h2"):
        pop = "on_benefit_3m" if h == "h1" else "on_benefit_6m"
        resp = "responded_w2" if h == "h1" else "responded_w3"
        model = "%s_%s_%s" % (fname, h, b)
        terms = ["(Intercept)"] + ["age_class:" + a for a in AGE] + ["large_distance", "migrant", "sex:male",
                 h + "_work_resumed:partly", h + "_work_resumed:fully", h + "_asked_help", h + "_obligation:yes",
                 h + "_obligation:dont_know", h + "_poor_health", h + "_nonwork_problem"]
        if h == "h2":
            terms.append("h1_any_support")
        X, y = [], []
        for p in persons:
            if p["benefit"] != b or p[pop] != "1" or p[resp] != "1":
                continue
            cols = [h + "_work_resumed", h + "_asked_help", h + "_obligation", h + "_poor_health",
                    h + "_nonwork_problem", h + "_any_support"] + (["h1_any_support"] if h == "h2" else [])
            if any(p[c] == "" for c in cols):
                continue
            x = [1.0] + [float(p["age_class"] == a) for a in AGE] + [float(p["large_distance"]), float(p["migrant"]),
                 float(p["sex"] == "male"), float(p[h + "_work_resumed"] == "partly"),
                 float(p[h + "_work_resumed"] == "fully"), float(p[h + "_asked_help"]),
                 float(p[h + "_obligation"] == "yes"), float(p[h + "_obligation"] == "dont_know"),
                 float(p[h + "_poor_health"]), float(p[h + "_nonwork_problem"])]
            if h == "h2":
                x.append(float(p["h1_any_support"]))
            X.append(x)
            y.append(float(p[h + "_any_support"]))
        check(model, terms, X, y, "logit")
        forms = ["advice", "help_applying", "own_business", "programme", "training", "contacts"]
        sterms = ["(Intercept)"] + ["%s_%s" % (h, f) for f in forms]
        for m, col, fam in (("looking", "looking", "logit"), ("hours", "search_hours", "linear"),
                            ("applications", "applications", "poisson")):
            X, y = [], []
            for p in persons:
                if p["benefit"] != b or p[pop] != "1" or p[resp] != "1" or p[h + "_" + col] == "":
                    continue
                X.append([1.0] + [float(p["%s_%s" % (h, f)]) for f in forms])
                y.append(float(p[h + "_" + col]))
            name = "table1_%s_%s_%s" % (m, h, b)
            contrast = None
            if m == "hours" and (b, h) == ("ww", "h1"):
                contrast = ("contrast:all_vs_contacts", [1, 2, 3, 4, 5])
            if m == "hours" and (b, h) in (("ww", "h2"), ("wwb", "h1")):
                contrast = ("contrast:all_vs_advice", [2, 3, 4, 5, 6])
            check(name, sterms, X, y, fam, contrast)
