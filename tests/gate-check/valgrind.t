#!/usr/bin/env bash
# gate-check under valgrind --leak-check=full: a run that passes, one that fails every gate,
# --accept, the spec's mistakes, an unreadable input - no invalid access, no definite or
# indirect leak (exit 99 would say so). Skipped by the sanitizer build (make check).
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/valgrind.sh"
spec=$KETEN_ROOT/pipelines/eerste-jaar/gates.spec
mkdir prev now
printf 'kind,file,rows,rejected,sha256,peildatum\ncwi_aanvragen,a.csv,1000,0,aa,\nuitkeringen,u.csv,500,0,bb,2007-04-16\n' > prev/inputs.csv
printf 'kind,file,rows,rejected,sha256,peildatum\ncwi_aanvragen,a.csv,500,100,aa,\nuitkeringen,u.csv,500,0,bb,2007-04-01\n' > now/inputs.csv
t='#schema table/1\ntable,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method\n'
printf "$t%s\n" 'coverage,ww,year,on_benefit_6m,any_support,share,0.9,,,700,0,1,,' 'fig2,ww,h1,on_benefit_3m,migrant,ame,0.1,,,700,0,0,,' > prev/tables.csv
printf "$t%s\n" 'coverage,ww,year,on_benefit_6m,any_support,share,0.9,,,300,0,1,,' 'fig2,ww,h1,on_benefit_3m,migrant,ame,,,,700,0,0,,' > now/tables.csv
printf '%s\n' 'a.csv aa 1 10 1.0' 'u.csv bb 2 20 2.0' > before
printf '%s\n' 'a.csv ab 1 10 1.0' 'u.csv bb 3 20 2.0' > after

expect_exit 0 "a run against itself: every gate passes" vg gate-check --spec "$spec" --inputs prev/inputs.csv --tables prev/tables.csv --previous prev --before before --after before --report r.csv
expect_exit 1 "every gate failing (exit 1, not 99)" vg gate-check --spec "$spec" --inputs now/inputs.csv --tables now/tables.csv --previous prev --before before --after after --report r.csv
ok_if "(and every gate did fail)" test "$(grep -c ',fail,' r.csv)" -ge 6
expect_exit 0 "every gate accepted" vg gate-check --spec "$spec" --inputs now/inputs.csv --tables now/tables.csv --previous prev --before before --after after \
	--accept rows --accept reject-rate --accept cells --accept headline-n --accept peildatum --accept extracts --registry-only --absent golf1
printf 'rows 0.2\n' > bad.spec
expect_exit 1 "a bad spec (exit 1, not 99)" vg gate-check --spec bad.spec --inputs now/inputs.csv --tables now/tables.csv
printf 'kind,file,rows,rejected\n"open\n' > broken.csv
expect_exit 1 "a broken inputs.csv (exit 1, not 99)" vg gate-check --spec "$spec" --inputs broken.csv --tables now/tables.csv
expect_exit 1 "a missing tables.csv (exit 1, not 99)" vg gate-check --spec "$spec" --inputs now/inputs.csv --tables nosuch.csv
done_testing
