#!/usr/bin/env bash
# pipelines/headline on a hand-made tables.csv: the rows it shows, each worked out by hand.
. "$KETEN_ROOT/tests/lib/tap.sh"
h=$KETEN_ROOT/pipelines/headline
cat > tables.csv <<'T'
table,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method
coverage,ww,year,on_benefit_6m,any_support,share,0.9649,0.951,0.978,731,0,1,,m
coverage,wwb,year,on_benefit_6m,any_support,share,,,,,1,1,,m
hours,ww,h1,on_benefit_3m,all,mean,7.34,6.91,7.77,1198,0,1,,m
hours_contrast,ww,h1,on_benefit_3m,all,mean,1,0,2,10,0,1,,m
fig2,ww,h1,on_benefit_3m,migrant,ame,0.1,,,700,0,0,,m
T
cat > truth.csv <<'T'
table,benefit,period,population,row,measure,scope,estimate,n
coverage,ww,year,on_benefit_6m,any_support,share,respondents_weighted,0.9649,731
coverage,ww,year,on_benefit_6m,any_support,share,population,0.97,171000
T
cat > want <<'W'
table     ben  per population      row           estimate       95% CI      n   report
coverage  ww   year on_benefit_6m   any_support        96%       95-98%    731      97%
coverage  wwb  year on_benefit_6m   any_support          x                          88%
hours     ww   h1  on_benefit_3m   all                7.3      6.9-7.8   1198      7.7
W
expect_exit 0 "headline TABLES.csv" "$h" tables.csv
same_text "the headline rows, a suppressed one as x, other tables left out" want out
cat > want-truth <<'W'
table     ben  per population      row           estimate       95% CI      n   report   truth     pop
coverage  ww   year on_benefit_6m   any_support        96%       95-98%    731      97%     96%     97%
coverage  wwb  year on_benefit_6m   any_support          x                          88%                
hours     ww   h1  on_benefit_3m   all                7.3      6.9-7.8   1198      7.7                
W
expect_exit 0 "headline --truth" "$h" --truth truth.csv tables.csv
same_text "... with synth's truth on the respondents and the population" want-truth out
expect_exit 2 "no TABLES.csv: usage error" "$h"
expect_exit 1 "a missing file: exit 1" "$h" nosuch.csv
done_testing
