#!/usr/bin/env bash
# The report's models (pipelines/eerste-jaar/models.spec) on a small synth world through the
# real chain: every model is fitted on person_support/1, names and contrasts are those
# tabulate and synth's model_truth use, and spec_hash is FNV-1a 64 of the normalized block
# (computed here independently in python).
source "$KETEN_ROOT/tests/lib/tap.sh"
spec=$KETEN_ROOT/pipelines/eerste-jaar/models.spec
synth --out raw --persons 40000 --sample 5000 --seed 5 2>/dev/null
ingest --key-file raw/pseudonym.key --rejects rej.gz raw/cwi_aanvragen.csv raw/uwv_overdracht.csv \
	raw/uitkeringen.csv raw/steekproef.csv raw/golf1.csv raw/golf2.csv raw/golf3.csv 2>/dev/null |
	link-waves 2>/dev/null | derive-status 2>/dev/null | classify-support 2>/dev/null >persons.gz
ok_if "the chain up to classify-support ran" test -s persons.gz
expect_exit 0 "fit-models on person_support/1 with models.spec" fit-models -i persons.gz "$spec"
gzip -dcf out >out.csv
same_line "the person section passes through unchanged" "$(gzip -dcf persons.gz | md5sum)" \
	"$(awk '/^#schema model_fit/ { exit } { print }' out.csv | md5sum)"
fits() { awk -F, '/^#schema/ { s = /model_fit/; h = 1; next } s && h { h = 0; next } s { print $1 "," $20 }' out.csv; }
same_line "16 models, in the spec's order" \
	"fig2_h1_ww fig2_h2_ww fig5_h1_wwb fig5_h2_wwb table1_looking_h1_ww table1_looking_h2_ww table1_hours_h1_ww table1_hours_h2_ww table1_applications_h1_ww table1_applications_h2_ww table1_looking_h1_wwb table1_looking_h2_wwb table1_hours_h1_wwb table1_hours_h2_wwb table1_applications_h1_wwb table1_applications_h2_wwb" \
	"$(fits | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
same_line "no model failed" "" "$(fits | awk -F, '$2 == "failed"')"
coefs() { awk -F, '/^#schema/ { s = /model_coef/; h = 1; next } s && h { h = 0; next } s { print $1 "," $2 }' out.csv; }
same_line "fig2_h1_ww's terms as synth's model_truth names them" \
	"(Intercept) age_class:under_25 age_class:25_34 age_class:45_54 age_class:55_plus large_distance migrant sex:male h1_work_resumed:partly h1_work_resumed:fully h1_asked_help h1_obligation:yes h1_obligation:dont_know h1_poor_health h1_nonwork_problem" \
	"$(coefs | awk -F, '$1 == "fig2_h1_ww" { print $2 }' | tr '\n' ' ' | sed 's/ $//')"
same_line "the three hours contrasts" "table1_hours_h1_ww,contrast:all_vs_contacts table1_hours_h2_ww,contrast:all_vs_advice table1_hours_h1_wwb,contrast:all_vs_advice" \
	"$(coefs | grep contrast | tr '\n' ' ' | sed 's/ $//')"
ok_if "contrast all_vs_contacts = the sum of the five form coefficients" python3 - out.csv <<'PY'
import csv, sys
sec = None; c = {}
for r in csv.reader(open(sys.argv[1])):
    if r[0].startswith('#schema'): sec = r[0]; continue
    if sec == '#schema model_coef/1' and r[0] == 'table1_hours_h1_ww': c[r[1]] = r
s = sum(float(c['h1_' + f][3]) for f in ('advice', 'help_applying', 'own_business', 'programme', 'training'))
e = float(c['contrast:all_vs_contacts'][3])
sys.exit(not abs(s - e) < 1e-9 * max(1, abs(s)))
PY
ok_if "spec_hash = FNV-1a 64 of each normalized block" python3 - "$spec" out.csv <<'PY'
import csv, os, re, sys
def clean(line):
    line = re.sub(r'(^|\s)#.*$', '', line.rstrip('\n')).strip()
    return re.sub(r'\s+', ' ', line)
# named populations (the spec's `populations FILE` line): a population is hashed as its
# condition with every name replaced by its definition (none here needs parentheses)
names = {}
def expand(cond):
    return ' '.join(names.get(w, w) for w in cond.split(' '))
blocks, cur = {}, None
for line in open(sys.argv[1]):
    line = clean(line)
    if not line: continue
    if cur is None and line.startswith('populations '):
        for d in open(os.path.join(os.path.dirname(sys.argv[1]), line.split()[1])):
            d = clean(d)
            if d:
                name, cond = re.match(r'population (\w+) = (.*)', d).groups()
                names[name] = expand(cond)
        continue
    if line.startswith('model '):
        cur = line.split()[1]; blocks[cur] = ''
    if line.startswith('population '):
        line = 'population ' + expand(line[len('population '):])
    blocks[cur] += line + '\n'
def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return '%016x' % h
sec = None; ok = 0; bad = 0
for r in csv.reader(open(sys.argv[2])):
    if r[0].startswith('#schema'): sec = r[0]; continue
    if sec == '#schema model_fit/1' and r[0] in blocks:
        if r[21] == fnv(blocks[r[0]]): ok += 1
        else: bad += 1; print('# %s: %s != %s' % (r[0], r[21], fnv(blocks[r[0]])))
sys.exit(not (ok == 16 and bad == 0))
PY
done_testing
