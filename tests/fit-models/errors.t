#!/usr/bin/env bash
# fit-models: bad usage, bad specs and bad data get the exact message and exit code.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/fit-models
export REC_SCHEMA_PATH=$d/schemas REC_LEVEL=0
s=$d/data/r-stream.csv

expect_exit 0 "--version" fit-models --version
same_line "--version text" "fit-models ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help" fit-models --help
has_text "--help documents the spec format" out '^  term COLUMN \[numeric\|categorical\] \[ref LEVEL\]'
has_text "--help names the output schema's columns" out 'spec_hash'
expect_exit 2 "no spec: usage error" fit-models -i "$s"
same_line "no spec: message" "fit-models: no SPEC file given" "$(head -1 err)"
expect_exit 2 "unknown option" fit-models --frobnicate x.spec
expect_exit 2 "bad --epsilon" fit-models --epsilon abc x.spec
same_line "bad --epsilon: message" "fit-models: --epsilon: 'abc' is not a number >= 0" "$(head -1 err)"
expect_exit 2 "missing spec file" fit-models -i "$s" nonexistent.spec
same_line "missing spec file: message" "fit-models: nonexistent.spec: No such file or directory" "$(head -1 err)"

spec_err() {   # desc expected-message spec-text
	printf '%b' "$3" >bad.spec
	expect_exit 2 "spec error: $1" fit-models -i "$s" bad.spec
	same_line "spec error: $1: message" "$2" "$(head -1 err)"
}
spec_err "unknown keyword" "fit-models: bad.spec:3: unknown keyword 'outcom' (model, family, outcome, population, weights, variance, term, contrast)" \
	'model m\n  family logit\n  outcom yb\n  term x1\n'
spec_err "unknown family" "fit-models: bad.spec:2: family: 'probit' is not one of logit, linear, poisson, negbin" \
	'model m\n  family probit\n  outcome yb\n  term x1\n'
spec_err "no outcome" "fit-models: bad.spec:1: model m: no outcome" 'model m\n  term x1\n'
spec_err "population syntax" "fit-models: bad.spec:3: population: unexpected 'p' after the condition" \
	'model m\n  outcome yb\n  population grp p\n  term x1\n'
spec_err "a population nested 50000 deep" "fit-models: bad.spec:3: population: nested deeper than 64 levels" \
	"model m\\n  outcome yb\\n  population $(printf '(%.0s' $(seq 50000))x1 == 1$(printf ')%.0s' $(seq 50000))\\n  term x1\\n"
printf 'population a = x1 == 1\npopulation a = x1 == 2\n' > dup.pops
printf 'model m\n  outcome yb\n  population a\n  term x1\n' > named.spec
expect_exit 2 "a populations file with a name defined twice" fit-models -i "$s" --populations dup.pops named.spec
same_line "... message: the populations file and line" "fit-models: dup.pops:2: population a: defined twice" "$(head -1 err)"
printf 'populations nosuch.pops\nmodel m\n  outcome yb\n  term x1\n' > nopops.spec
expect_exit 2 "a spec naming a populations file that is not there" fit-models -i "$s" nopops.spec
same_line "... message" "fit-models: nopops.spec:1: populations: nosuch.pops: No such file or directory" "$(head -1 err)"
spec_err "interaction before its terms" "fit-models: bad.spec:3: term x1:b: 'x1' must be declared as a term before the interaction" \
	'model m\n  outcome yb\n  term x1:b\n'
spec_err "duplicate model" "fit-models: bad.spec:4: model m: already defined at bad.spec:1" \
	'model m\n  outcome yb\n  term x1\nmodel m\n  outcome yb\n  term x1\n'
spec_err "line before a model" "fit-models: bad.spec:1: 'family' before the first 'model NAME' line" 'family logit\n'
spec_err "bad contrast" "fit-models: bad.spec:4: contrast c: '+' or '-' expected before '* x1'" \
	'model m\n  outcome yb\n  term x1\n  contrast c = 2 * x1\n'
spec_err "a contrast naming a term the model does not have (issue 17: was a warning, exit 0)" \
	"fit-models: bad.spec:5: contrast c: 'x2' is not a coefficient of model m (its terms' coefficients are (Intercept), COLUMN and COLUMN:LEVEL)" \
	'model m\n  outcome yb\n  term x1\n  term f\n  contrast c = x1 - x2\n'
spec_err "a contrast naming a level of a column that is no term" \
	"fit-models: bad.spec:4: contrast c: 'f:b' is not a coefficient of model m (its terms' coefficients are (Intercept), COLUMN and COLUMN:LEVEL)" \
	'model m\n  outcome yb\n  term x1\n  contrast c = x1 - f:b\n'

# data errors: exit 1, file and line
printf 'model m\n  outcome yb\n  term nosuch\n' >nocol.spec
expect_exit 1 "a column no section has" fit-models -i "$s" nocol.spec
same_line "a column no section has: message" "fit-models: nocol.spec:1: m: no section of the input has nosuch" "$(head -1 err)"
printf 'model m\n  outcome yb\n  term f numeric\n' >kind.spec
expect_exit 1 "numeric term on an enum column" fit-models -i "$s" kind.spec
same_line "numeric term on an enum column: message" "fit-models: kind.spec:1: m: f is a enum column of fmtest/1, not a number" "$(head -1 err)"
printf 'model m\n  outcome yb\n  term f ref zz\n' >ref.spec
expect_exit 1 "reference level not in the enum" fit-models -i "$s" ref.spec
same_line "reference level not in the enum: message" "fit-models: ref.spec:3: m: term f: ref zz is not a level of f in fmtest/1" "$(head -1 err)"
printf 'model m\n  outcome yb\n  population t > 3\n  term x1\n' >ord.spec
expect_exit 1 "ordering on a text value" fit-models -i "$s" ord.spec
same_line "ordering on a text value: message" "fit-models: $s:3: t: not a number, in model m's population: 'k2'" "$(head -1 err)"
{ head -2 "$s"; echo "1,p,1,2,3.5,x,0.1,a,1,k2,1,s1"; } >badnum.csv
printf 'model m\n  outcome yb\n  term x1 numeric\n' >num.spec
expect_exit 1 "a value that is not a number" fit-models -i badnum.csv num.spec
same_line "a value that is not a number: message" "fit-models: badnum.csv:3: x1: not a number: x" "$(head -1 err)"
{ head -2 "$s"; echo "1,p,1,2,3.5"; } >short.csv
expect_exit 1 "a malformed stream" fit-models -i short.csv num.spec
has_text "a malformed stream: the reader's message" err '^fit-models: short.csv:3'
done_testing
