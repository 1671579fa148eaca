#!/usr/bin/env bash
# Bad usage (exit 2), bad specs and bad streams (exit 1): the exact message, naming the file,
# line and field at fault.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
python3 "$d/mksection.py" "$d/hand-people.csv" > p.csv

usage() {  # usage DESC EXPECTED-FIRST-LINE ARGS...
	local desc=$1 want=$2; shift 2
	expect_exit 2 "usage: $desc" tabulate "$@"
	same_line "usage: $desc: message" "$want" "$(head -1 err)"
}
usage "no spec" "tabulate: no SPEC given (e.g. pipelines/eerste-jaar/tables.spec)"
usage "unknown format" "tabulate: --format: 'pdf' is not csv, md or html" --format pdf "$d/hand.spec" p.csv
usage "unknown language" "tabulate: --lang: 'de' is not nl or en" --lang de "$d/hand.spec" p.csv
usage "unknown table" "tabulate: --tables: no table 'nosuch' in $d/hand.spec" --tables reg,nosuch "$d/hand.spec" p.csv
usage "--min-n not a number" "tabulate: --min-n: 'abc' is not a number in [0, 1e+09]" --min-n abc "$d/hand.spec" p.csv
usage "--min-n not whole" "tabulate: --min-n: '2.5' is not a whole number" --min-n 2.5 "$d/hand.spec" p.csv
usage "--alpha out of range" "tabulate: --alpha: '1.5' is not a number in [0, 1]" --alpha 1.5 "$d/hand.spec" p.csv
usage "--weights" "tabulate: --weights: 'some' is not design, none or both" --weights some "$d/hand.spec" p.csv
usage "--protection 0" "tabulate: --protection: '0' is not a number in [1, 1e+09]" --protection 0 "$d/hand.spec" p.csv
usage "--protection not whole" "tabulate: --protection: '2.5' is not a whole number" --protection 2.5 "$d/hand.spec" p.csv
usage "--round-base 0" "tabulate: --round-base: '0' is not a number in [1, 1e+09]" --round-base 0 "$d/hand.spec" p.csv
usage "--secondary" "tabulate: --secondary: 'all' is not audit or link" --secondary all "$d/hand.spec" p.csv
usage "--run-date not a date" "tabulate: --run-date: '2026-02-30' is not a date YYYY-MM-DD" --run-date 2026-02-30 "$d/hand.spec" p.csv
usage "--extract-date without a kind" "tabulate: --extract-date: '2007-04-16' is not KIND=YYYY-MM-DD" --extract-date 2007-04-16 "$d/hand.spec" p.csv
usage "--extract-date with an empty kind" "tabulate: --extract-date: '=2007-04-16' is not KIND=YYYY-MM-DD" --extract-date =2007-04-16 "$d/hand.spec" p.csv
usage "--extract-date not a date" "tabulate: --extract-date: 'uitkeringen=16-04-2007' is not KIND=YYYY-MM-DD" --extract-date uitkeringen=16-04-2007 "$d/hand.spec" p.csv
same_line "usage: points to --help" "Try 'tabulate --help'." "$(tail -1 err)"

# spec errors: one table with BODY in its panel
spec_error() {  # spec_error DESC EXPECTED BODY-LINE
	printf 'table t\n  title.nl T\n  title.en T\n  benefit ww\n  weights none\n  panel year on_benefit_6m\n    %s\nend\n' "$3" > s.spec
	expect_exit 1 "spec: $1" tabulate s.spec p.csv
	same_line "spec: $1: message" "$2" "$(cat err)"
}
spec_error "unknown column" "tabulate: s.spec:7: no_such_col: no such column in person_support/1" "row x share no_such_col"
spec_error "unknown value" "tabulate: s.spec:7: handover_category: not one of its values: 'nobody'" \
	"row x share large_distance where handover_category=nobody"
spec_error "share of an enum without a value" \
	"tabulate: s.spec:7: handover_category: not a bool column: write handover_category=VALUE" "row x share handover_category"
spec_error "mean of an enum" "tabulate: s.spec:7: row x: handover_category: not a number column" "row x mean handover_category"
spec_error "unknown measure" "tabulate: s.spec:7: row x: unknown measure 'median' (share, mean, count)" "row x median large_distance"
spec_error "unknown keyword" "tabulate: s.spec:7: unknown keyword 'rows'" "rows x share large_distance"
spec_error "empty condition" "tabulate: s.spec:7: condition 'large_distance &': a column name, 'all', 'missing(COLUMN)', 'not' or '(' expected" \
	"row x share large_distance where large_distance &"
spec_error "not a number" "tabulate: s.spec:7: phase: not a number: 'one'" "row x share phase=one"
spec_error "a date compared" "tabulate: s.spec:7: birth_date: a date column cannot be compared" \
	"row x share large_distance where birth_date=1"
spec_error "a row twice" "tabulate: s.spec:8: row x: defined twice in this panel" "row x count
    row x count"
spec_error "linked to an unknown row" "tabulate: s.spec:8: linked: no row 'y' in this panel (name rows before linking them)" "row x count
    linked x y"
printf 'table t\n  title.nl T\n  benefit ww\n  panel year all\n    row x count\nend\n' > s.spec
expect_exit 1 "spec: no English title" tabulate s.spec p.csv
same_line "spec: no English title: message" "tabulate: s.spec:6: table t: no title.en" "$(cat err)"
printf 'table t\n  title.nl T\n  title.en T\n  benefit ww\n  panel year all\n    row x count\n' > s.spec
expect_exit 1 "spec: no end" tabulate s.spec p.csv
same_line "spec: no end: message" "tabulate: s.spec:6: table t: no 'end'" "$(cat err)"
printf 'table t\n  title.nl T\n  title.en T\n  kind symbols\n  model ww h1 on_benefit_3m m1 looking\nend\n' > s.spec
expect_exit 1 "spec: symbols without forms" tabulate s.spec p.csv
same_line "spec: symbols without forms: message" "tabulate: s.spec:6: table t: kind symbols needs 'forms' and 'outcomes'" "$(cat err)"
printf 'table t\n  title.nl T\n  title.en T\n  benefit ww\n  panel year phase\nend\n' > s.spec
expect_exit 1 "spec: a population that is no flag" tabulate s.spec p.csv
same_line "spec: a population that is no flag: message" "tabulate: s.spec:5: panel: population phase: not a bool column" "$(cat err)"
expect_exit 1 "spec: missing file" tabulate nosuch.spec p.csv
same_line "spec: missing file: message" "tabulate: nosuch.spec: cannot open: No such file or directory" "$(cat err)"

# stream errors
sed 's/^ww,1,1,1,none/ww,1,1,2,none/' "$d/hand-people.csv" > bad.csv
python3 "$d/mksection.py" bad.csv > pb.csv
expect_exit 1 "data: a bad value in a column the spec uses" tabulate --tables reg "$d/hand.spec" pb.csv
same_line "data: a bad value: the library's message (typed getters)" "tabulate: pb.csv:3: large_distance: not a boolean (0 or 1): 2" "$(cat err)"
printf 'benefit\nww\n' > one.csv
python3 "$d/mksection.py" person/1 one.csv > person.csv
expect_exit 1 "data: a section tabulate does not read" tabulate --tables reg "$d/hand.spec" person.csv
same_line "data: a foreign section: message" \
	"tabulate: person.csv:2: section person/1: tabulate reads person_support/1 (or person_calibrated/1), model_fit/1 and model_coef/1" "$(cat err)"
python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv" > fit.csv
expect_exit 1 "data: no person section for people tables" tabulate --tables reg "$d/hand.spec" fit.csv
same_line "data: no person section: message" \
	"tabulate: no person_support/1 section in the input (the people tables need it)" "$(cat err)"
expect_exit 1 "data: a model a table needs is missing" tabulate --tables effects "$d/hand.spec" p.csv
same_line "data: missing model: message" \
	"tabulate: table effects: model fig2_h1_ww: no model_fit/1 row in the input (run fit-models with the spec that defines it, or leave the table out with --tables)" "$(cat err)"
gzip -c p.csv > full.gz; head -c $(( $(wc -c < full.gz) / 2 )) full.gz > trunc.gz
expect_exit 1 "data: a truncated gzip stream is an error, not a short table" tabulate --tables reg "$d/hand.spec" trunc.gz
ok_if "data: truncated: nothing written" test ! -s out
has_text "data: truncated: the message names the file" err "^tabulate: trunc.gz"
sed 's/^wwb,1,1,1,,,1,A,10,/wwb,1,1,1,,,1,A,,/' "$d/hand-people.csv" > nw.csv
python3 "$d/mksection.py" nw.csv > pnw.csv
expect_exit 1 "data: a sampled person without design_weight" tabulate --tables wshare "$d/hand.spec" pnw.csv
same_line "data: no weight: message" \
	"tabulate: pnw.csv:49: design_weight: missing for a person in the sample (weighted figures need it)" "$(cat err)"
printf 'table t\n  title.nl T\n  title.en T\n  benefit ww\n  weights design\n  panel h1 all\n    row x share large_distance\nend\n' > s.spec
expect_exit 1 "data: a weighted table reaching people outside the sample" tabulate s.spec p.csv
same_line "data: weighted outside the sample: message" \
	"tabulate: p.csv:3: in_sample: table t is weighted (weights design) but takes a person outside the sample: restrict its panel to respondents" "$(cat err)"
# --weights none needs no weights at all
expect_exit 0 "--weights none runs without design weights" tabulate --weights none s.spec p.csv

# --help and --version
expect_exit 0 "--help" tabulate --help
has_text "--help names what it reads" out 'person_support/1'
has_text "--help documents the spec format" out 'row ID share COL\[=V\|V\] \[where COND\]'
has_text "--help lists table/1's columns" out '^  suppressed '
has_text "--help has an example pipeline" out 'fit-models pipelines/eerste-jaar/models.spec \|'
expect_exit 0 "--version" tabulate --version
same_line "--version text" "tabulate ketenmonitor 0.1" "$(cat out)"
done_testing
