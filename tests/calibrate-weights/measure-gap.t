#!/usr/bin/env bash
# measure-gap.py on a hand-made world of three figures: which intervals miss the truth,
# their z, the coverage and gap lines. Worked by hand: se = (ci_high - ci_low) / (2 x
# 1.959964), z = (estimate - truth) / se.
#   fig1 a: truth 0.50; design 0.60 [0.55, 0.65] misses, z = 0.10 / 0.025510 = 3.92;
#           calibrated 0.52 [0.45, 0.59] covers, z = 0.02 / 0.035714 = 0.56
#   hours b: truth 3.0; design 2.9 [2.7, 3.1] covers, z = -0.1 / 0.102042 = -0.98;
#           calibrated 3.5 [3.2, 3.8] misses,
#           z = 0.5 / 0.153064 = 3.27
#   fig1 c: no population truth (only a respondent scope): left out; an unweighted cell
#           (weighted 0) is never counted
# Coverage 50 % with each weighting; gap design (0.10 + 0.10) / 2 = 0.1000, calibrated
# (0.02 + 0.50) / 2 = 0.2600.
. "$KETEN_ROOT/tests/lib/tap.sh"
mkdir w
cat > w/truth.csv <<'CSV'
table,benefit,period,population,row,measure,scope,estimate,n
fig1,ww,h1,on_benefit_3m,a,share,population,0.5,1000
fig1,ww,h1,on_benefit_3m,a,share,respondents_weighted,0.6,100
hours,ww,h1,on_benefit_3m,b,mean,population,3.0,1000
fig1,ww,h1,on_benefit_3m,c,share,respondents_weighted,0.4,100
CSV
table() {   # FILE then lines: row estimate lo hi n measure table weighted
	{
		echo "#schema table/1"
		echo "table,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method"
		while read -r row e lo hi n m t wt; do
			echo "$t,ww,h1,on_benefit_3m,$row,$m,$e,$lo,$hi,$n,0,$wt,,x"
		done
	} > "$1"
}
table w/design.csv <<'T'
a 0.60 0.55 0.65 120 share fig1 1
a 0.10 0.05 0.15 120 share fig1 0
b 2.9 2.7 3.1 80 mean hours 1
c 0.4 0.3 0.5 100 share fig1 1
T
table w/calibrated.csv <<'T'
a 0.52 0.45 0.59 120 share fig1 1
b 3.5 3.2 3.8 80 mean hours 1
c 0.4 0.3 0.5 100 share fig1 1
T
expect_exit 0 "measure-gap.py runs" python3 "$KETEN_ROOT/tests/calibrate-weights/measure-gap.py" w
cat > want-misses.csv <<'CSV'
world,table,benefit,period,population,row,weights,n,estimate,ci_low,ci_high,truth,z
w,fig1,ww,h1,on_benefit_3m,a,design,120,0.6000,0.5500,0.6500,0.5000,3.92
w,hours,ww,h1,on_benefit_3m,b,calibrated,80,3.5000,3.2000,3.8000,3.0000,3.27
CSV
tr -d '\r' < misses.csv > got-misses.csv
same_text "misses.csv: every missed interval with n, estimate, interval, truth and z" want-misses.csv got-misses.csv
has_text "all survey figures: 2 cells, gaps 0.1000 and 0.2600, coverage 50 % and 50 %" out \
	'^all survey figures +2 +0\.1000 +0\.2600 +50\.0% +50\.0%$'
has_text "the figure with a miss is listed with each weighting's misses and mean z" out \
	'^  fig1 +ww +h1 +on_benefit_3m +a +1 miss, z \+3\.92 \| 0 misses, z \+0\.56$'
has_text "so is the other" out '^  hours +ww +h1 +on_benefit_3m +b +0 misses, z -0\.98 \| 1 miss, z \+3\.27$'
has_text "mean z^2 with design weights: (3.9199^2 + 0.9800^2) / 2 = 8.16" out '^mean z\^2, design: 8\.16 over 2 cells'
done_testing
