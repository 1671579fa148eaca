#!/usr/bin/env bash
# A live cross-check with R where R is installed (skipped, exit 77, where Rscript or its
# survey package is missing; r-agreement.t compares with committed values everywhere):
# margins no committed value covers (origin, phase, sex, on benefit after 6 months) on the
# hand-made population, calibrated by survey::calibrate now and by the stage, for linear,
# raking and logit (bounds 0.1 and 20): every weight within 1e-10 (the negative weights
# linear gives here are warned about on stderr, as they should be).
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/calibrate-weights
if ! command -v Rscript > /dev/null || ! Rscript -e 'suppressMessages({ library(survey); library(MASS) })' > /dev/null 2>&1; then
	echo "# Rscript with the survey and MASS packages is not installed: nothing to cross-check live"
	exit 77
fi
export REC_LEVEL=0
spec=live.spec
cat > live.spec <<'S'
method raking
weight design_weight
set calibrated_weight_w1 responded_w1
set calibrated_weight_w2 responded_w2
set calibrated_weight_w3 responded_w3
set calibrated_weight_w23 responded_w2 & responded_w3
margin benefit age_class
margin benefit origin
margin phase
margin benefit on_benefit_6m
margin sex
S
gzip -dc "$d/data/hand-people.txt.gz" > people.txt
python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" people.txt | classify-support > hand.csv
Rscript - "$d" "$KETEN_ROOT" "$spec" > r.log 2>&1 <<'R'
a <- commandArgs(TRUE)
source(file.path(a[1], "calib.R"))
res <- world("hand.csv", a[3], list(linear = list("linear", c(-Inf, Inf)), raking = list("raking", c(-Inf, Inf)),
             logit = list("logit", c(0.1, 20))), character(0), root = a[2])
w <- wide_weights(res, c("linear", "raking", "logit"))
write.csv(w, "live.csv", row.names = FALSE, quote = FALSE)
cat("survey", as.character(packageVersion("survey")), "\n")
R
same_line "R calibrates the hand-made population under live.spec" 0 $?
sed 's/^/# /' r.log
for m in linear raking logit; do
	case $m in logit) b=(--bounds 0.1,20) ;; *) b=() ;; esac
	calibrate-weights --method $m "${b[@]}" "$spec" hand.csv > "out-$m.csv" 2> /dev/null
	python3 "$d/compare.py" "out-$m.csv" live.csv $m 1e-10
done
done_testing
