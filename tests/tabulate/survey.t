#!/usr/bin/env bash
# Design-based (weighted) and unweighted estimates of the report's people tables against R:
# tests/tabulate/r/survey.R computed expected-survey.csv with the survey package (svymean on
# subset() of a stratified design) and prop.test (Wilson) on data/survey.csv; the real
# tables.spec makes the cells (a one-person stratum included: it adds nothing to the variance,
# as survey.lonely.psu = "certainty"). Agreement to 1e-6 in estimate and both interval ends, same n.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
people_tables=coverage,fig1,fig3,fig4,fig6,handover,handover_support,handover_distance,hours,obligation,counts

python3 "$d/data/mksection.py" "$d/data/survey.csv" > people.csv
expect_exit 0 "tabulate --weights both runs on the survey sample" \
	env REC_LEVEL=0 tabulate --weights both --min-n 0 --tables "$people_tables" "$spec" people.csv
mv out both.csv
python3 "$d/compare.py" "$d/r/expected-survey.csv" both.csv 1e-6

# the same figures from a gzip stream, and the default (weighted only) output is the
# weighted half of --weights both
gzip -c people.csv > people.gz
env REC_LEVEL=0 tabulate --min-n 0 --tables "$people_tables" "$spec" people.gz > default.csv
awk -F, 'NR <= 2 || $12 == 1 || $1 ~ /^(handover|handover_distance|counts)$/' both.csv > weighted-half.csv
same_text "default output = the weighted cells of --weights both (gzip input)" weighted-half.csv default.csv

# --unweighted: every cell unweighted, and equal to the unweighted half
env REC_LEVEL=0 tabulate --unweighted --min-n 0 --tables "$people_tables" "$spec" people.csv > unw.csv
awk -F, 'NR <= 2 || $12 == 0' both.csv > unweighted-half.csv
same_text "--unweighted = the unweighted cells of --weights both" unweighted-half.csv unw.csv

# determinism: byte-identical output, also compressed
tabulate --tables "$people_tables" "$spec" people.csv > a.gz
tabulate --tables "$people_tables" "$spec" people.csv > b.gz
ok_if "same input, byte-identical output" cmp -s a.gz b.gz
zcat_any a.gz > a.csv
head -1 a.csv > first
same_line "output is a table/1 section" "#schema table/1" "$(cat first)"
ok_if "rec-check accepts the output" rec-check -q a.gz
done_testing
