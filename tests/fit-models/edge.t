#!/usr/bin/env bash
# fit-models edge cases, each with its exact diagnostic (model_fit status and warnings, and
# the stderr line "fit-models: SPEC:LINE: MODEL: CODE: explanation").
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/fit-models
export REC_SCHEMA_PATH=$d/schemas REC_LEVEL=0
# 200 rows: yb = 1 exactly when x1 > 5 (complete separation); x2 = x1 (identical columns);
# b = 1 everywhere (no variation); yc = 1 whenever f = d, else 0/1 at random (quasi-separation
# within the level d); yl close to 2 x1.
awk 'BEGIN { print "#schema fmtest/1"; print "id,grp,yb,yc,yl,x1,x2,f,b,t,w,stratum"; srand(7)
	split("a b c d", L, " ")
	for (i = 1; i <= 200; i++) {
		x1 = int(rand() * 1000) / 100; f = L[1 + int(rand() * 4)]
		yq = (f == "d") ? 1 : (rand() < 0.4)
		printf "%d,%s,%d,%d,%.4f,%s,%s,%s,1,k%d,%d,s%d\n", i, (i <= 100 ? "p" : "q"), (x1 > 5), yq, x1 * 2 + rand(), x1, x1, f, i % 3, 1 + i % 4, i % 5 } }' >edge.csv
cat >edge.spec <<'SPEC'
model complete
  family logit
  outcome yb
  term x1

model quasi
  family logit
  outcome yc
  term x1
  term f

model identical
  family linear
  outcome yl
  term x1
  term x2
  term f

model novar
  family linear
  outcome yl
  term x1
  term b

model empty
  family logit
  outcome yb
  population grp == p and x1 > 1000
  term x1
SPEC
expect_exit 0 "edge models: exit 0 (diagnostics are results, not errors)" fit-models -i edge.csv edge.spec
fitrow() { awk -F, -v m="$1" '/^#schema/ { s = $0 } s ~ /model_fit/ && $1 == m { print $20 "|" $21 }' out; }
coef() { awk -F, -v m="$1" -v t="$2" '/^#schema/ { s = $0 } s ~ /model_coef/ && $1 == m && $2 == t { print $3 "|" $4 }' out; }
same_line "complete separation: failed, named" "failed|complete_separation:(Intercept);complete_separation:x1" "$(fitrow complete)"
same_line "complete separation: no estimate" "0|" "$(coef complete x1)"
has_text "complete separation on stderr" err '^fit-models: edge.spec:1: complete: complete_separation:x1: a combination of the terms predicts the outcome exactly: no estimates$'
same_line "quasi-separation within level d: warning, named (R is silent)" "warning|quasi_separation:f:d" "$(fitrow quasi)"
same_line "quasi-separation: the level's estimate is left missing" "0|" "$(coef quasi f:d)"
ok_if "quasi-separation: the other estimates are there" test -n "$(coef quasi f:b | cut -d'|' -f2)"
has_text "quasi-separation on stderr" err '^fit-models: edge.spec:6: quasi: quasi_separation:f:d: the outcome is 1 in each of the [0-9]+ rows with f = d: its coefficient has no finite estimate \(R stays silent\)$'
same_line "identical columns: the later one aliased" "warning|aliased:x2" "$(fitrow identical)"
same_line "identical columns: aliased = 1, no numbers (R: NA)" "1|" "$(coef identical x2)"
ok_if "identical columns: the earlier one estimated" test -n "$(coef identical x1 | cut -d'|' -f2)"
has_text "aliased column on stderr" err '^fit-models: edge.spec:12: identical: aliased:x2: collinear with earlier columns: dropped \(R reports NA\)$'
same_line "zero-variance term: named and aliased" "warning|no_variation:b;aliased:b" "$(fitrow novar)"
has_text "zero-variance term on stderr" err '^fit-models: edge.spec:19: novar: no_variation:b: the term is 1 in every row \(R reports NA for it\)$'
same_line "empty population: failed" "failed|empty_population" "$(fitrow empty)"
has_text "empty population on stderr" err "^fit-models: edge.spec:25: empty: empty_population: no row of the stream is in the population 'grp == p and x1 > 1000'$"
same_line "empty population: n = 0" "0" "$(awk -F, '/^#schema/ { s = $0 } s ~ /model_fit/ && $1 == "empty" { print $7 }' out)"
# a model that does not converge within the iteration cap
expect_exit 0 "non-convergence: exit 0" fit-models --max-iter 3 --model lg_model -i "$d/data/r-stream.csv" "$d/data/r.spec"
same_line "non-convergence: failed, named" "failed|dropped_incomplete:32;not_converged:3" "$(fitrow lg_model)"
same_line "non-convergence: converged = 0 and no estimates" "0|" "$(coef lg_model x1)"
has_text "non-convergence on stderr" err '^fit-models: .*r.spec:[0-9]+: lg_model: not_converged:3: no convergence after 3 iterations \(--max-iter, --epsilon\)$'
# quasi-separation by a numeric term (yb = 1 above x1 = 5, 0 below, mixed at 5): found by the
# certificate (the last IRLS step is a direction along which no row gets worse)
awk 'BEGIN { print "#schema fmtest/1"; print "id,grp,yb,yc,yl,x1,x2,f,b,t,w,stratum"; srand(3)
	for (i = 1; i <= 300; i++) { x1 = int(rand() * 11); y = x1 > 5 ? 1 : (x1 < 5 ? 0 : rand() < 0.5)
		x2 = int(rand() * 100) / 10; print i ",p," y ",0,1," x1 "," x2 ",a,0,k1,1,s1" } }' >q.csv
printf 'model q\n  family logit\n  outcome yb\n  term x1\n  term x2\n' >q.spec
expect_exit 0 "numeric quasi-separation: exit 0" fit-models -i q.csv q.spec
same_line "numeric quasi-separation: named" "warning|quasi_separation:(Intercept);quasi_separation:x1" "$(fitrow q)"
same_line "numeric quasi-separation: x1 left missing" "0|" "$(coef q x1)"
ok_if "numeric quasi-separation: x2 estimated" test -n "$(coef q x2 | cut -d'|' -f2)"
done_testing
