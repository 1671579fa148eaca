#!/usr/bin/env bash
# Which wave stands for H1 is decided in one place (issue 16): derive-status --h1-wave 1,
# with a copy of populations.spec whose one line h1_wave_respondents says responded_w1,
# changes exactly the H1 models and figures:
# - models: each H2 model's rows are byte for byte those of the default run, and each H1
#   model is fitted on the wave-1 respondents - its n is the count python3 makes here from
#   the stream, its population column the expanded condition;
# - tables (tabulate with the same populations file): every cell of another period is
#   byte for byte the default run's, except table1's symbols, which combine the H1 and H2
#   models (their method names the models' spec hashes); the H1 people figures are over
#   the wave-1 respondents (n as python3 counts them) and the page says so.
. "$KETEN_ROOT/tests/lib/tap.sh"
P=$KETEN_ROOT/pipelines/eerste-jaar
export REC_LEVEL=0
mkdir world && tar xzf "$KETEN_ROOT/tests/pipeline/data/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
ingest --key-file world/pseudonym.key world/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv \
	2>/dev/null | link-waves > person.csv 2>/dev/null
sed 's/^population h1_wave_respondents = responded_w2 == 1$/population h1_wave_respondents = responded_w1 == 1/' \
	"$P/populations.spec" > w1.pops
same_line "the wave-1 populations differ from the report's in one line" 1 \
	"$(diff "$P/populations.spec" w1.pops | grep -c '^>')"
derive-status < person.csv | classify-support > support2.csv
derive-status --h1-wave 1 < person.csv | classify-support > support1.csv
expect_exit 0 "fit-models, the report's run" fit-models -i support2.csv "$P/models.spec"
sed -n '/^#schema model_fit/,$p' out > models2.csv
expect_exit 0 "fit-models, --h1-wave 1 with its populations" fit-models -i support1.csv --populations w1.pops "$P/models.spec"
sed -n '/^#schema model_fit/,$p' out > models1.csv

python3 - models2.csv models1.csv support1.csv "$P/models.spec" <<'PY' || echo "not ok - the H1 models: the Python checks stopped before their end"
import csv, re, sys
def sections(path):
    out, sec, hdr = {}, None, None
    for row in csv.reader(open(path)):
        if row and row[0].startswith('#schema'):
            sec = row[0].split()[1]; hdr = None; continue
        if hdr is None: hdr = row; continue
        out.setdefault(sec, []).append(dict(zip(hdr, row)))
    return out
def ok(c, d): print(('ok - ' if c else 'not ok - ') + d)
a, b = sections(sys.argv[1]), sections(sys.argv[2])
people = sections(sys.argv[3])['person_support/1']
fa = {r['model']: r for r in a['model_fit/1']}; fb = {r['model']: r for r in b['model_fit/1']}
def coefs(s, m): return [r for r in s['model_coef/1'] if r['model'] == m]
# the models' outcome, terms and weighting, from the spec
spec, cur = {}, None
for line in open(sys.argv[4]):
    w = line.split()
    if not w or w[0].startswith('#'): continue
    if w[0] == 'model': cur = spec.setdefault(w[1], {'terms': [], 'weighted': False})
    elif w[0] == 'outcome': cur['outcome'] = w[1]
    elif w[0] == 'term': cur['terms'].append(w[1])
    elif w[0] == 'weights': cur['weighted'] = w[1] == 'design'
h1 = [m for m in fa if '_h1_' in m]; h2 = [m for m in fa if '_h2_' in m]
ok(len(h1) == 8 and len(h2) == 8, 'eight H1 and eight H2 models')
ok(all(fa[m] == fb[m] and coefs(a, m) == coefs(b, m) for m in h2),
   'every H2 model: the same model_fit and model_coef rows as the report run')
bad = []
for m in h1:
    ben = 'wwb' if m.endswith('_wwb') else 'ww'
    want_pop = 'benefit == %s and on_benefit_3m == 1 and responded_w1 == 1' % ben
    s = spec[m]; cols = [s['outcome']] + s['terms'] + (['design_weight', 'stratum'] if s['weighted'] else [])
    n = sum(1 for r in people if r['benefit'] == ben and r['on_benefit_3m'] == '1' and r['responded_w1'] == '1'
            and all(r[c] != '' for c in cols))
    if fb[m]['population'] != want_pop or int(fb[m]['n']) != n or fb[m]['n'] == fa[m]['n']:
        bad.append('%s: %s, n %s (want %d; report run %s)' % (m, fb[m]['population'], fb[m]['n'], n, fa[m]['n']))
ok(not bad, 'every H1 model: fitted on the wave-1 respondents (population and n as counted here)')
for x in bad: print('#   ' + x)
ok(all(fb[m]['spec_hash'] != fa[m]['spec_hash'] for m in h1) and all(fb[m]['spec_hash'] == fa[m]['spec_hash'] for m in h2),
   'spec_hash follows: it changes for the H1 models only')
PY

# the tables: tabulate on each run's stream, the second with the wave-1 populations
expect_exit 0 "tabulate, the report's run" tabulate --csv tables2.csv --md report2.md "$P/tables.spec" support2.csv models2.csv
expect_exit 0 "tabulate, --h1-wave 1 with its populations" \
	tabulate --populations w1.pops --csv tables1.csv --md report1.md "$P/tables.spec" support1.csv models1.csv
python3 - tables2.csv tables1.csv support1.csv models1.csv <<'PY' || echo "not ok - the H1 tables: the Python checks stopped before their end"
import csv, sys
def rows(path):
    return list(csv.DictReader(l for l in open(path) if not l.startswith('#schema')))
def ok(c, d): print(('ok - ' if c else 'not ok - ') + d)
a, b, people = rows(sys.argv[1]), rows(sys.argv[2]), rows(sys.argv[3])
key = lambda r: (r['table'], r['benefit'], r['period'], r['population'], r['row'], r['measure'], r['weighted'])
ok([key(r) for r in a] == [key(r) for r in b] and len(a) > 300, 'the same cells in both runs (%d)' % len(a))
symbol = lambda r: r['table'] == 'table1' and r['measure'] == 'symbol'
other = [(x, y) for x, y in zip(a, b) if x['period'] != 'h1' and not symbol(x)]
diff = ['%s/%s/%s/%s' % (x['table'], x['benefit'], x['period'], x['row']) for x, y in other if x != y]
ok(len(other) > 150 and not diff, "every cell of another period than h1 (table1's symbols aside) is the report run's (%d cells)" % len(other))
for x in diff[:5]: print('#   changed: ' + x)
fit, hdr = [], None
for line in open(sys.argv[4]):
    if line.startswith('#schema'):
        hdr = 'model_fit/1' in line; cols = None; continue
    if hdr:
        fit.append(line)
fits = list(csv.DictReader(fit))
h1_hashes = {f['spec_hash'] for f in fits if '_h1_' in f['model']}
sym = [(x, y) for x, y in zip(a, b) if symbol(x)]
ok(len(h1_hashes) == 8 and len(sym) == 12 and
   all(x['method'] != y['method'] and set(y['method'].split(';')) & h1_hashes for x, y in sym),
   "table1's 12 symbols follow the H1 models (their methods name the new H1 spec hashes)")
checks = 0
for x, y in zip(a, b):
    if x['period'] != 'h1' or x['table'] not in ('fig1', 'fig4', 'hours'):
        continue
    col = 'h1_search_hours' if x['table'] == 'hours' else 'h1_any_support'
    n = sum(1 for p in people if p['benefit'] == x['benefit'] and p['on_benefit_3m'] == '1'
            and p['responded_w1'] == '1' and p[col] != '')
    checks += 1
    ok(y['n'] == str(n) and x['n'] != y['n'],
       '%s %s h1 %s: n = %d wave-1 respondents (got %s; report run %s)' % (x['table'], x['benefit'], x['row'], n, y['n'], x['n']))
ok(checks == 4, 'four H1 people cells checked (fig1, fig4, hours: ww and wwb)')
PY
has_text "the report run's page: H1 respondents answered wave 2" report2.md \
	'^Populatie: langer dan 3 maanden een uitkering; respondenten golf 2; n = [0-9]+$'
ok_if "the --h1-wave 1 page: no panel says wave 2" test "$(grep -c 'respondenten golf 2;' report1.md)" -eq 0
has_text "the --h1-wave 1 page: H1 respondents answered wave 1" report1.md \
	'^Populatie: langer dan 3 maanden een uitkering; respondenten golf 1; n = [0-9]+$'
done_testing
