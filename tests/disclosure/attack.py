#!/usr/bin/env python3
"""attack.py TABLES.csv [--protection P] [--round-base B] [--lp] > findings.tsv

A reader who subtracts. Reads only the published table/1 (tables.csv, plain or gzip) and
what anyone can know from the report's own definitions of its tables (DOMAIN.md and the
titles and notes of pipelines/eerste-jaar/tables.spec) - nothing of tabulate's code - and
for every suppressed cell works out the smallest and largest value its count can take.

Unknowns: one whole number >= 0 per count a cell is about:
  N  a people cell's n (the people a share, mean or count is over)
  K  a handover category's own count, and the count behind a registry (unweighted) share:
     estimate x n, exact
  M  a model's n (model cells, keyed by the model's spec hash, benefit, period and
     population), and the n of a table1 symbol (the smallest of its models' n)
A published n (any cell whose n column is filled, suppressed or not: that is how the
baseline gave counts away) fixes its unknown; an empty one leaves it free. With
--round-base B the published counts are multiples of B (tabulate --round-base): a count
shown as v lies in [v - B//2, v - B//2 + B - 1]; but an unweighted share with its Wilson
interval gives its exact n back (the one n in that range whose k/n and Wilson interval
match the published ones), and its k with it.

Relations, all true by the definition of the tables:
  counts      every row, population nested: all >= on_benefit_3m >= 6m >= 12m (a spell
              still running at 12 months ran at 6 and 3); persons >= sampled >= responded
  handover    the four categories add up to the n, and the n is every WW person still on
              benefit at 6 months (every WW person has a category): counts ww 6m persons
  handover_distance  the four phases add up to the same persons; the people without full
              information (estimate x n per phase) add up to none + cwi_only + uwv_only
  handover_support   none + cwi_only = uwv_unknown; the four categories add up to fig1's
              WW H2 n at 6 months (the same wave-3 respondents with an H2 answer); a
              category's respondents are at most its people in handover
  survey tables      an n is at most the respondents of its population and wave in counts;
              fig3/fig6 any_support = coverage (the same figure); 12 months <= 6 months
  obligation  the answers (no / yes) are among those who answered; populations nested
  models      a model's n is at most its population's persons; a symbol's n is its
              models' smallest
Each unknown of a suppressed cell is minimised and maximised with glpsol (GLPK's
stand-alone solver; whole numbers unless --lp). Output, one line a suppressed cell:
  table benefit period population row what lo hi width verdict
with verdict `exact` (width 0), `narrow` (width < --protection) or `protected`.
"""
import csv
import gzip
import io
import math
import os
import subprocess
import sys
import tempfile


def read_table(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    lines = data.decode('utf-8').splitlines()
    assert lines[0] == '#schema table/1', lines[0]
    return list(csv.DictReader(io.StringIO('\n'.join(lines[1:]))))


class Problem:
    def __init__(self):
        self.vars = {}          # name -> index
        self.fixed = {}         # index -> value
        self.rows = []          # (terms {index: coef}, sense, rhs)
        self.label = {}

    def var(self, name):
        if name not in self.vars:
            self.vars[name] = len(self.vars)
        return self.vars[name]

    def fix(self, name, value, hi=None):
        """NAME = VALUE, or VALUE <= NAME <= HI; two publications keep what both allow."""
        i = self.var(name)
        lo, hi = value, value if hi is None else hi
        if i in self.fixed:
            lo, hi = max(lo, self.fixed[i][0]), min(hi, self.fixed[i][1])
            if lo > hi:
                raise SystemExit('attack.py: %s published twice with different values' % name)
        self.fixed[i] = (lo, hi)

    def rel(self, lhs, sense, rhs):
        """sum(lhs names) SENSE sum(rhs names); names that are None make it unusable."""
        if any(n is None for n in lhs + rhs):
            return
        terms = {}
        for n in lhs:
            terms[self.var(n)] = terms.get(self.var(n), 0) + 1
        for n in rhs:
            terms[self.var(n)] = terms.get(self.var(n), 0) - 1
        self.rows.append((terms, sense, 0))

    def lp_text(self, target, sense, integer):
        out = ['Maximize' if sense == 'max' else 'Minimize', ' obj: x%d' % target, 'Subject To']
        for k, (terms, op, rhs) in enumerate(self.rows):
            expr = ' '.join('%+d x%d' % (c, i) for i, c in terms.items() if c)
            if expr:
                out.append(' r%d: %s %s %d' % (k, expr, op, rhs))
        out.append('Bounds')
        for i in range(len(self.vars)):
            if i not in self.fixed:
                out.append(' x%d >= 0' % i)
            elif self.fixed[i][0] == self.fixed[i][1]:
                out.append(' x%d = %d' % (i, self.fixed[i][0]))
            else:
                out.append(' %d <= x%d <= %d' % (self.fixed[i][0], i, self.fixed[i][1]))
        if integer:
            out.append('General')
            out.extend(' x%d' % i for i in range(len(self.vars)) if i not in self.fixed)
        out.append('End')
        return '\n'.join(out) + '\n'


def solve(problem, target, sense, integer, tmp):
    lp = os.path.join(tmp, 'a.lp')
    res = os.path.join(tmp, 'a.out')
    with open(lp, 'w') as f:
        f.write(problem.lp_text(target, sense, integer))
    run = subprocess.run(['glpsol', '--lp', lp, '-o', res], capture_output=True, text=True)
    text = run.stdout + (open(res).read() if os.path.exists(res) else '')
    if 'UNBOUNDED' in text.upper():
        return math.inf
    for line in text.splitlines():
        if line.startswith('Objective:'):
            return float(line.split('=')[1].split()[0])
    raise SystemExit('attack.py: glpsol gave no answer:\n' + text[-2000:])


def key(r):
    return (r['table'], r['benefit'], r['period'], r['population'], r['row'])


Z = 1.959963984540054   # qnorm(0.975)


def wilson(k, n):
    p = k / n
    z2n = Z * Z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = Z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    return (0 if k == 0 else centre - half, 1 if k == n else centre + half)


def exact_n(r, shown, base):
    """The true n of an unweighted share shown as SHOWN (rounded to BASE): the n in the
    rounding's range whose k/n and Wilson interval are the published ones; None if none
    or several fit."""
    if r['weighted'] != '0' or r['measure'] != 'share' or '' in (r['estimate'], r['ci_low'], r['ci_high']):
        return None
    est, lo, hi = float(r['estimate']), float(r['ci_low']), float(r['ci_high'])
    fits = []
    for n in range(max(1, shown - base // 2), shown - base // 2 + base):
        k = round(est * n)
        if abs(k / n - est) < 1e-12 and all(abs(a - b) < 1e-9 for a, b in zip(wilson(k, n), (lo, hi))):
            fits.append(n)
    return fits[0] if len(fits) == 1 else None


def publish(p, name, r, shown, base):
    """What a published n tells: exact (no rounding, or an unweighted share pins it) or the
    range rounding leaves. Returns the exact n when known."""
    if base <= 1:
        p.fix(name, shown)
        return shown
    n = exact_n(r, shown, base)
    if n is not None:
        p.fix(name, n)
        return n
    p.fix(name, max(0, shown - base // 2), shown - base // 2 + base - 1)
    return None


def build(rows, base=1):
    p = Problem()
    cells = {}
    for r in rows:
        cells.setdefault(key(r), []).append(r)

    def have(t, b, per, pop, row):
        return (t, b, per, pop, row) in cells

    def N(t, b, per, pop, row):
        return 'N|%s|%s|%s|%s|%s' % (t, b, per, pop, row) if have(t, b, per, pop, row) else None

    def K(t, b, per, pop, row):
        return 'K|%s|%s|%s|%s|%s' % (t, b, per, pop, row) if have(t, b, per, pop, row) else None

    def C(b, pop, row):
        return N('counts', b, 'year', pop, row)

    nd = 'ND|handover'
    targets = []
    for k, rs in cells.items():
        t, b, per, pop, row = k
        r = rs[0]
        model = r['measure'] in ('ame_scaled', 'ame', 'p', 'difference')
        name = ('M|%s|%s|%s|%s' % (r['method'], b, per, pop)) if model else \
            ('S|%s|%s' % (t, b) + '|' + row if r['measure'] == 'symbol' else N(*k))
        pub = next((x for x in rs if x['n'] != ''), None)
        exact = publish(p, nd if t == 'handover' else name, pub, int(pub['n']), base) if pub else None
        if t in ('handover', 'handover_distance') and exact is not None and pub['estimate'] != '':
            p.fix(K(*k), round(float(pub['estimate']) * exact))
        if any(x['suppressed'] == '1' for x in rs):
            what = K(*k) if t == 'handover' else name
            targets.append((k, what))
        if model:
            p.var(name)
            if pop in ('all', 'on_benefit_3m', 'on_benefit_6m', 'on_benefit_12m'):
                p.rel([name], '<=', [C(b, pop, 'persons')])
    add_relations(p, cells, N, K, C, nd)
    for (t, b, per, pop, row), rs in cells.items():
        if rs[0]['measure'] == 'symbol':
            for (t2, b2, per2, pop2, row2), rs2 in cells.items():
                if t2 == t and b2 == b and rs2[0]['measure'] == 'ame':
                    p.rel(['S|%s|%s|%s' % (t, b, row)], '<=', ['M|%s|%s|%s|%s' % (rs2[0]['method'], b2, per2, pop2)])
    return p, targets


def add_relations(p, cells, N, K, C, nd):
    pops = ['all', 'on_benefit_3m', 'on_benefit_6m', 'on_benefit_12m']
    counts_rows = ['persons', 'sampled', 'responded_w1', 'responded_w2', 'responded_w3']
    cats = ['none', 'cwi_only', 'uwv_only', 'both']
    for b in ('ww', 'wwb'):
        for r in counts_rows:
            for inner, outer in zip(pops[1:], pops):
                p.rel([C(b, inner, r)], '<=', [C(b, outer, r)])
        for pop in pops:
            p.rel([C(b, pop, 'sampled')], '<=', [C(b, pop, 'persons')])
            for w in ('responded_w1', 'responded_w2', 'responded_w3'):
                p.rel([C(b, pop, w)], '<=', [C(b, pop, 'sampled')])
    # handover: categories add up to n = every WW person on benefit at 6 months
    hk = [K('handover', 'ww', 'year', 'on_benefit_6m', c) for c in cats]
    if all(hk):
        p.rel(hk, '=', [nd])
        p.rel([nd], '=', [C('ww', 'on_benefit_6m', 'persons')])
    phases = ['phase_%d' % i for i in range(1, 5)]
    hd_n = [N('handover_distance', 'ww', 'year', 'on_benefit_6m', ph) for ph in phases]
    hd_k = [K('handover_distance', 'ww', 'year', 'on_benefit_6m', ph) for ph in phases]
    p.rel(hd_n, '=', [C('ww', 'on_benefit_6m', 'persons')])
    if all(hk):
        p.rel(hd_k, '=', hk[:3])
    for nn, kk in zip(hd_n, hd_k):
        p.rel([kk], '<=', [nn])
    hs = {c: N('handover_support', 'ww', 'h2', 'on_benefit_6m', c) for c in cats + ['uwv_unknown']}
    p.rel([hs['none'], hs['cwi_only']], '=', [hs['uwv_unknown']])
    p.rel([hs[c] for c in cats], '=', [N('fig1', 'ww', 'h2', 'on_benefit_6m', 'any_support')])
    if all(hk):
        for c, kk in zip(cats, hk):
            p.rel([hs[c]], '<=', [kk])
    survey_limits(p, cells, N, C)
    obligation(p, N, C)


def survey_limits(p, cells, N, C):
    wave = {'h1': ['responded_w2'], 'h2': ['responded_w3'], 'year': ['responded_w2', 'responded_w3']}
    for (t, b, per, pop, row) in cells:
        if t in ('counts', 'handover', 'handover_distance', 'obligation') or b not in ('ww', 'wwb'):
            continue
        if cells[(t, b, per, pop, row)][0]['measure'] not in ('share', 'mean'):
            continue
        for w in wave.get(per, []):
            p.rel([N(t, b, per, pop, row)], '<=', [C(b, pop, w)])
    for b, fig in (('ww', 'fig1'), ('wwb', 'fig4')):
        p.rel([N(fig, b, 'h2', 'on_benefit_12m', 'any_support')], '<=', [N(fig, b, 'h2', 'on_benefit_6m', 'any_support')])
    for b, fig in (('ww', 'fig3'), ('wwb', 'fig6')):
        p.rel([N(fig, b, 'year', 'on_benefit_6m', 'any_support')], '=', [N('coverage', b, 'year', 'on_benefit_6m', 'any_support')])


def obligation(p, N, C):
    pops = ['all', 'on_benefit_3m', 'on_benefit_6m']
    rows = ['large_distance', 'poor_health', 'search_hours']
    for pop in pops:
        base = N('obligation', 'wwb', 'h1', pop, 'no_obligation')
        p.rel([base], '<=', [C('wwb', pop, 'responded_w1')])
        for r in rows:
            p.rel([N('obligation', 'wwb', 'h1', pop, r + ':no_obligation'), N('obligation', 'wwb', 'h1', pop, r + ':obligation')],
                  '<=', [base])
    for inner, outer in zip(pops[1:], pops):
        for r in ['no_obligation'] + [x + s for x in rows for s in (':no_obligation', ':obligation')]:
            p.rel([N('obligation', 'wwb', 'h1', inner, r)], '<=', [N('obligation', 'wwb', 'h1', outer, r)])


def main():
    args = sys.argv[1:]
    protection, base = 10, 1
    integer = True
    if '--protection' in args:
        i = args.index('--protection')
        protection = int(args[i + 1])
        del args[i:i + 2]
    if '--round-base' in args:
        i = args.index('--round-base')
        base = int(args[i + 1])
        del args[i:i + 2]
    if '--lp' in args:
        args.remove('--lp')
        integer = False
    p, targets = build(read_table(args[0]), base)
    known = {}
    with tempfile.TemporaryDirectory() as tmp:
        for (k, what) in targets:
            if what not in known:       # model cells share their model's n
                i = p.var(what)
                lo = solve(p, i, 'min', integer, tmp)
                hi = solve(p, i, 'max', integer, tmp)
                known[what] = (math.ceil(lo - 1e-6), hi if math.isinf(hi) else math.floor(hi + 1e-6))
            lo, hi = known[what]
            width = hi - lo
            verdict = 'exact' if width == 0 else 'narrow' if width < protection else 'protected'
            print('\t'.join(list(k) + [what.split('|')[0], str(lo), str(hi), str(width), verdict]))


if __name__ == '__main__':
    main()
