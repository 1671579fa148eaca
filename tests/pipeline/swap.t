#!/usr/bin/env bash
# Swapping a stage: classify-support reconfigured by an option, and replaced by a different
# program (pipelines/swap/classify-support.py, Python stdlib) that speaks the same stream.
# Shows which figures changed, and checks they are exactly the ones the method touches.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
E2E_PERSONS=12000 E2E_SAMPLE=2000 make_world world

expect_exit 0 "the report's method" run_pipeline world base
expect_exit 0 "classify-support --contacts exclude (an option change)" run_pipeline --classify "classify-support --contacts exclude" world excl
expect_exit 0 "the Python re-implementation of another rule (a different program)" \
	run_pipeline --classify "python3 $KETEN_ROOT/pipelines/swap/classify-support.py" world py
expect_exit 0 "classify-support with the same rules as the Python stage" \
	run_pipeline --classify "classify-support --contacts exclude --dont-know missing" world both

# changed.py A B: the keys of the figures whose estimate differs.
cat > changed.py <<'PY'
import csv, sys
def load(p):
    return {tuple(r[k] for k in ("table","benefit","period","population","row","measure")): r["estimate"]
            for r in csv.DictReader(l for l in open(p) if not l.startswith("#"))}
a, b = load(sys.argv[1]), load(sys.argv[2])
for k in sorted(a):
    if a.get(k) != b.get(k):
        print(",".join(k))
PY
python3 changed.py base/tables.csv excl/tables.csv > changed.txt
echo "# figures changed by --contacts exclude: $(wc -l < changed.txt)"
sed 's/^/#   /' changed.txt | head -12
ok_if "--contacts exclude changes some figures" test -s changed.txt
ok_if "every changed share or mean is about H2 or the year (H1 figures stay)" \
	awk -F, '$6 ~ /^(share|mean)$/ && $3 == "h1" { bad = 1 } END { exit bad }' changed.txt
ok_if "the H2 any-support bars change" grep -q '^fig1,ww,h2,on_benefit_6m,any_support,share$' changed.txt
ok_if "the H1 bars do not" bash -c '! grep -q "^fig1,ww,h1," changed.txt'
ok_if "registry figures (handover) do not change" bash -c '! grep -q "^handover," changed.txt'
has_text "the Markdown report names the method it was built on" excl/report.md 'contacts=exclude'

# The Python stage and classify-support with the same rules give the same figures; only
# the method tag differs.
python3 changed.py both/tables.csv py/tables.csv > py-vs-c.txt
same_line "the Python stage's figures equal classify-support's under the same rules" "" "$(cat py-vs-c.txt)"
ok_if "and its persons stream too, apart from the method column" cmp -s \
	<(gzip -dc both/persons.rec.gz | sed 's/contacts=exclude[^,]*//') <(gzip -dc py/persons.rec.gz | sed 's/contacts=exclude[^,]*//')
done_testing
