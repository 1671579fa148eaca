#!/usr/bin/env bash
# Which wave stands for H1 is decided in one place (issue 16): derive-status --h1-wave 1,
# with a copy of populations.spec whose one line h1_wave_respondents says responded_w1,
# changes exactly the H1 models: each H2 model's rows are byte for byte those of the
# default run, and each H1 model is fitted on the wave-1 respondents - its n is the count
# python3 makes here from the stream, its population column the expanded condition.
# (The tables half of this, tabulate with the same populations file, comes with issue 16's
# second phase.)
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

python3 - models2.csv models1.csv support1.csv "$P/models.spec" <<'PY'
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
done_testing
