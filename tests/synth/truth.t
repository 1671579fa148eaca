#!/usr/bin/env bash
# truth.csv is what the raw files say: recompute.py rebuilds the registry figures, counts and
# the respondents' survey figures (weighted and unweighted) from the raw files alone, by
# DOMAIN.md's definitions, and finds truth.csv's numbers. Also: one truth-persons row per
# sampled person, and the counts add up.
. "$KETEN_ROOT/tests/lib/tap.sh"
synth --persons 40000 --sample 6000 --seed 21 --out w >/dev/null
python3 "$KETEN_ROOT/tests/synth/recompute.py" w || echo "not ok - recompute.py: the Python checks stopped before their end"
same_line "truth-persons.csv: one row per row of steekproef.csv" "$(($(wc -l < w/steekproef.csv) - 1))" "$(($(wc -l < w/truth-persons.csv) - 1))"
same_line "truth-persons.csv: respnr in steekproef order" "$(tail -n +2 w/steekproef.csv | cut -d';' -f1 | tr -d '\r' | md5sum)" "$(tail -n +2 w/truth-persons.csv | cut -d, -f1 | md5sum)"
same_line "counts: sampled persons = rows of steekproef.csv" "$(($(wc -l < w/steekproef.csv) - 1))" \
	"$(awk -F, '$1 == "counts" && $4 == "all" && $5 == "sampled" { s += $8 } END { print s }' w/truth.csv)"
for k in 1 2 3; do
	same_line "counts: responded_w$k = rows of golf$k.csv" "$(($(wc -l < w/golf$k.csv) - 1))" \
		"$(awk -F, -v r=responded_w$k '$1 == "counts" && $4 == "all" && $5 == r { s += $8 } END { print s }' w/truth.csv)"
done
# every figure of DOMAIN.md's tables is there in every scope it has
for key in "coverage,ww,year,on_benefit_6m,any_support" "fig1,ww,h2,on_benefit_12m,any_support" \
	"fig4,wwb,h1,on_benefit_3m,any_support" "fig6,wwb,year,on_benefit_6m,problem_help" \
	"handover_support,ww,h2,on_benefit_6m,uwv_unknown" "hours,wwb,h2,on_benefit_6m,all" \
	"obligation,wwb,h1,on_benefit_6m,search_hours:obligation"; do
	same_line "truth.csv: $key in 3 scopes" 3 "$(grep -c "^$key," w/truth.csv)"
done
same_line "truth.csv: handover (registry) in the population scope only" 4 "$(grep -c '^handover,ww,year,on_benefit_6m,' w/truth.csv)"
same_line "truth.csv: 16 model_truth rows of fig2_h2_ww" 16 "$(grep -c '^model_truth,ww,h2,fig2_h2_ww,' w/truth.csv)"
same_line "truth.csv: 12 table1 models x 7 terms + 3 contrasts" 87 "$(grep -c '^model_truth,[a-z]*,h[12],table1_' w/truth.csv)"
done_testing
