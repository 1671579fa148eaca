#!/usr/bin/env bash
# The weighted and unweighted twins of a survey cell (tabulate --weights both, the pipeline's
# default) are two cells: compare-runs keys them by table/1's `weighted` too, judges each on
# its own and writes change/1's last column, weighted. Hand-made runs, answers by hand:
#   fig1 weighted    0.80 (0.75-0.85) -> 0.80 (0.75-0.85)     unchanged
#   fig1 unweighted  0.78 (0.72-0.84) -> 0.66 (0.60-0.72)     difference -0.12; the combined
#        half-width sqrt(0.06^2 + 0.06^2) = 0.0849 < 0.12: beyond
#   handover (registry, weighted 0 only) 0.55 (0.50-0.60) -> 0.57 (0.52-0.62): within
# A run published before the twins (weighted cells only) against one with them: the twin
# is new, nothing else moves. A twin written twice is still a repeated cell. trend-page
# charts the weighted twin.
. "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=0
head='table,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method'
{ echo '#schema table/1'; echo "$head"
  echo 'fig1,ww,h1,on_benefit_3m,any_support,share,0.80,0.75,0.85,200,0,1,,tag'
  echo 'fig1,ww,h1,on_benefit_3m,any_support,share,0.78,0.72,0.84,200,0,0,,tag'
  echo 'handover,ww,year,on_benefit_6m,both,share,0.55,0.50,0.60,400,0,0,,tag'; } > old.csv
{ echo '#schema table/1'; echo "$head"
  echo 'fig1,ww,h1,on_benefit_3m,any_support,share,0.80,0.75,0.85,200,0,1,,tag'
  echo 'fig1,ww,h1,on_benefit_3m,any_support,share,0.66,0.60,0.72,200,0,0,,tag'
  echo 'handover,ww,year,on_benefit_6m,both,share,0.57,0.52,0.62,400,0,0,,tag'; } > new.csv
grep -v ',0,0,,tag$' old.csv > design-only.csv
echo 'handover,ww,year,on_benefit_6m,both,share,0.55,0.50,0.60,400,0,0,,tag' >> design-only.csv

expect_exit 0 "compare-runs compares runs with twins" compare-runs --summary summary.txt old.csv new.csv
cp out changes.csv
same_line "change/1's last column is weighted" weighted "$(sed -n 2p changes.csv | awk -F, '{ print $NF }')"
same_line "each twin judged on its own (verdict, weighted)" "unchanged 1|beyond 0|within 0" \
	"$(awk -F, 'NR > 2 { print $7, $24 }' changes.csv | paste -sd'|')"
same_line "the unweighted twin's difference is -0.12" "-0.12" \
	"$(awk -F, 'NR > 2 && $24 == "0" && $1 == "fig1" { printf "%.2f", $17 }' changes.csv)"
same_line "the summary counts both moved twins as rows of tables.csv, one beyond" "2 rows of tables.csv moved, 1 beyond their interval" "$(cat summary.txt)"

expect_exit 0 "a run of weighted cells only against one with twins" compare-runs design-only.csv old.csv
same_line "the twin is new, the rest unchanged" "unchanged 1|unchanged 0|new 0" \
	"$(awk -F, 'NR > 2 { print $7, $24 }' out | sort -r -k2 | paste -sd'|')"

# the same out of a history: the members keep table/1's weighted column
for run in 1 2; do
	f=$([ $run = 1 ] && echo old.csv || echo new.csv)
	history-stamp --run "R$run" --publication "$run" --published 2007-0$run-01T02:00:00Z --code-version t \
		--extracts-sha256 "$(printf '%064d' "$run")" "$f" >> history.gz
done
expect_exit 0 "compare-runs reads the twins out of a history" compare-runs history.gz
same_line "with the same verdicts" "$(awk -F, 'NR > 2 { print $7, $24 }' changes.csv)" \
	"$(awk -F, 'NR > 2 { print $7, $24 }' out)"

# trend-page charts the figure the report shows: the weighted twin (80 % in run 2, not the
# unweighted 66 %), and a registry cell's only one (57 %)
printf 'headline fig1 ww h1 on_benefit_3m any_support share\nheadline handover ww year on_benefit_6m both share\n' > g.spec
expect_exit 0 "trend-page reads the history with twins" trend-page --headlines g.spec history.gz
same_line "and charts the weighted figure, and the registry's" "80.0%|57.0%" \
	"$(grep -o '<tr><td>2</td><td>2007-02-01T02:00:00Z</td><td>[0-9.]*%' out | sed 's/.*<td>//' | paste -sd'|')"

{ cat new.csv; sed -n 4p new.csv; } > repeated.csv
expect_exit 1 "a twin written twice is a repeated cell" compare-runs old.csv repeated.csv
has_text "named with its key and weighted" err 'repeated.csv:6: row: cell fig1,ww,h1,on_benefit_3m,any_support,share,0 repeated'
done_testing
