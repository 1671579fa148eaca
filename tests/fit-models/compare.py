#!/usr/bin/env python3
"""compare.py OUT EXP_COEF EXP_FIT TOL - compare fit-models output (plain text stream) with
R's expected values (make-expected.R). Prints one TAP line per model and per check."""
import csv, sys

def sections(path):
    secs, cur = {}, None
    with open(path, newline='') as fh:
        rows = list(csv.reader(fh))
    i = 0
    while i < len(rows):
        r = rows[i]
        if r and r[0].startswith('#schema '):
            cur = r[0].split()[1]
            hdr = rows[i + 1]
            secs.setdefault(cur, [])
            i += 2
            continue
        secs[cur].append(dict(zip(hdr, r)))
        i += 1
    return secs

def close(a, b, tol):
    if a == '' or b == '':
        return a == b
    a, b = float(a), float(b)
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-12)

out, ecoef, efit, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
s = sections(out)
coef = {(r['model'], r['term']): r for r in s.get('model_coef/1', [])}
fit = {r['model']: r for r in s.get('model_fit/1', [])}
exp_coef = list(csv.DictReader(open(ecoef)))
exp_fit = list(csv.DictReader(open(efit)))
models = []
for r in exp_coef:
    if r['model'] not in models:
        models.append(r['model'])
for m in models:
    bad = []
    rows = [r for r in exp_coef if r['model'] == m]
    for r in rows:
        got = coef.get((m, r['term']))
        if got is None:
            bad.append('%s missing' % r['term'])
            continue
        for k, v in r.items():
            if k in ('model', 'term'):
                continue
            if not close(got[k], v, tol):
                bad.append('%s %s: got %s, R %s' % (r['term'], k, got[k], v))
    extra = [t for (mm, t) in coef if mm == m and not any(r['term'] == t for r in rows)]
    if extra:
        bad.append('extra terms %s' % extra)
    if bad:
        print('not ok - %s: coefficients vs R' % m)
        for b in bad[:12]:
            print('#   ' + b)
    else:
        print('ok - %s: %d rows x 11 numbers (estimate, se, statistic, p, ci, ratio, ame, ame_se) within %g of R' % (m, len(rows), tol))
for r in exp_fit:
    m = r['model']
    got = fit.get(m)
    bad = []
    if got is None:
        print('not ok - %s: no model_fit row' % m)
        continue
    for k, v in r.items():
        if k == 'model':
            continue
        t = 1e-6 if k == 'condition_number' else (0 if k in ('n', 'iterations', 'converged') else tol)
        if k == 'theta':
            t = 1e-8
        if not close(got[k], v, t):
            bad.append('%s: got %s, R %s' % (k, got[k], v))
    if got['status'] not in ('ok', 'warning'):
        bad.append('status %s (%s)' % (got['status'], got['warnings']))
    if bad:
        print('not ok - %s: fit statistics vs R' % m)
        for b in bad:
            print('#   ' + b)
    else:
        print('ok - %s: fit statistics (n, deviances, loglik, aic, df, theta, iterations, condition) agree with R' % m)
