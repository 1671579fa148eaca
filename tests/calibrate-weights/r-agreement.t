#!/usr/bin/env bash
# calibrate-weights against R's survey::calibrate (make-expected.R wrote data/r-*; CI needs
# no R): every calibrated weight within 1e-10 relative of R's, for linear (GREG), raking and
# bounded logit on the demo world (synth --seed 2006, default size, through the chain up to
# classify-support), and for linear and raking with and without bounds and bounded logit on
# the hand-made population; where R's iteration fails (no convergence, divergence), the stage
# fails too, naming the set and reporting R's misfit.
# Phase 2, on both worlds: fit-models' table1 models (svyglm with --epsilon 1e-14, as R ran
# glm.control(epsilon = 1e-14)) on a domain of the whole design-weighted sample and, with
# --calibrated, on a domain of the raking-calibrated design of each model's respondent set:
# coefficients and standard errors within 1e-9 of R's (compare-glm.py); tabulate's survey
# cells (svymean on a domain of the design-weighted sample, and with --calibrated on a
# domain of each method's calibrated design of the cell's respondent set): n, estimate and
# standard error within 1e-10 of R's (compare-tab.py).
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/calibrate-weights
export REC_LEVEL=0

# ---- the hand-made population -----------------------------------------------------------
gzip -dc "$d/data/hand-people.txt.gz" > people.txt
python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" people.txt | classify-support > hand.csv
ok_if "the hand-made population becomes a person_support/1 stream" test -s hand.csv
while read -r name method bounds; do
	calibrate-weights --method "$method" ${bounds:+--bounds "$bounds"} "$d/data/hand.spec" hand.csv > "hand-$name.csv" 2> err
	same_line "hand-made, $name: exit 0, nothing on stderr" "0:" "$?:$(cat err)"
	python3 "$d/compare.py" "hand-$name.csv" "$d/data/r-hand-weights.csv.gz" "$name" 1e-10
done <<'EOF'
linear linear
linear_bounded linear 0.3,8
raking raking
raking_bounded raking 0.6,5
logit logit 0.2,10
EOF
table1=$(grep -o '^model table1_[a-z0-9_]*' "$KETEN_ROOT/pipelines/eerste-jaar/models.spec" | sed 's/^model /--model /')
# glm_agreement WORLD SPEC: fit-models on WORLD-raking.csv with design and calibrated weights
glm_agreement() {
	local w=$1 spec=$2
	# shellcheck disable=SC2086
	fit-models --epsilon 1e-14 $table1 -i "$w-raking.csv" "$KETEN_ROOT/pipelines/eerste-jaar/models.spec" > "$w-fm-none.csv" 2> /dev/null
	same_line "$w: fit-models, design weights: exit 0" 0 "$?"
	python3 "$d/compare-glm.py" "$w-fm-none.csv" "$d/data/r-$w-glm.csv" none 1e-9
	# shellcheck disable=SC2086
	fit-models --epsilon 1e-14 --calibrated "$spec" $table1 -i "$w-raking.csv" "$KETEN_ROOT/pipelines/eerste-jaar/models.spec" > "$w-fm-cal.csv" 2> /dev/null
	same_line "$w: fit-models --calibrated: exit 0" 0 "$?"
	python3 "$d/compare-glm.py" "$w-fm-cal.csv" "$d/data/r-$w-glm.csv" raking 1e-9
}
# tab_agreement WORLD METHOD SPEC: tabulate's survey cells on WORLD-METHOD.csv (none: the
# design weights of WORLD-raking.csv; otherwise --calibrated SPEC) against R's svymean
tab_agreement() {
	local w=$1 m=$2 spec=$3 f=$1-$2.csv tables cal=()
	[ "$m" != none ] || f=$w-raking.csv
	[ "$m" = none ] || cal=(--calibrated "$spec")
	tables=$(awk -F, -v d="$m" 'NR > 1 && $1 == d { print $2 }' "$d/data/r-$w-estimates.csv" | sort -u | paste -sd,)
	tabulate --min-n 0 --tables "$tables" "${cal[@]}" "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" "$f" > "$w-tab-$m.csv" 2> err
	same_line "$w, $m: tabulate ${cal[*]:+--calibrated }exit 0, nothing on stderr" "0:" "$?:$(cat err)"
	python3 "$d/compare-tab.py" "$w-tab-$m.csv" "$d/data/r-$w-estimates.csv" "$m" 1e-10
}
glm_agreement hand "$d/data/hand.spec"
for m in none raking logit; do tab_agreement hand $m "$d/data/hand.spec"; done
# R's failures (data/r-hand-failures.txt: method lower upper set | R's message)
grep -v '^#' "$d/data/r-hand-failures.txt" | while IFS='|' read -r cfg rmsg; do
	read -r method lower upper set <<<"$cfg"
	calibrate-weights --method "$method" --bounds "$lower,$upper" "$d/data/hand.spec" hand.csv > out 2> err
	rc=$?
	same_line "hand-made, $method $lower..$upper: R fails ($rmsg), so does the stage (exit 1, no output)" "1:0" "$rc:$(wc -c < out)"
	has_text "hand-made, $method $lower..$upper: the message names R's set $set" err "^calibrate-weights: set $set "
	if [[ $rmsg == *"Failed to converge: eps="* ]]; then
		eps=$(sed 's/.*eps=\([0-9.e-]*\) .*/\1/' <<<"$rmsg")
		got=$(sed -n 's/.*is still off by \([0-9.e-]*\) .*/\1/p' err)
		ok_if "hand-made, $method $lower..$upper: the misfit reported ($got) is R's ($eps), 6 digits" \
			python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-6 * b)" "${got:-0}" "$eps"
	else
		has_text "hand-made, $method $lower..$upper: where R stops on NA, the stage reports divergence" err "diverged"
	fi
done

# ---- the demo world ---------------------------------------------------------------------
synth --seed 2006 --out world > /dev/null
ingest --key-file world/pseudonym.key world/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv 2> /dev/null |
	link-waves 2> /dev/null | derive-status | classify-support > demo.csv
ok_if "the demo world goes through the chain up to classify-support" test "${PIPESTATUS[*]}" = "0 0 0 0"
want=$(grep -v '^#' "$d/data/r-demo-input.txt")
same_line "the demo world is the one R calibrated (if not: rerun make-expected.R)" "$want" \
	"$(python3 "$d/fingerprint.py" "$d/data/demo.spec" demo.csv)"
for m in linear raking logit; do
	case $m in logit) b=(--bounds 0.2,12) ;; *) b=() ;; esac
	calibrate-weights --method $m "${b[@]}" "$d/data/demo.spec" demo.csv > "demo-$m.csv" 2> err
	same_line "demo world, $m: exit 0, nothing on stderr" "0:" "$?:$(cat err)"
	python3 "$d/compare.py" "demo-$m.csv" "$d/data/r-demo-weights-$m.csv.gz" $m 1e-10
done
glm_agreement demo "$d/data/demo.spec"
for m in none linear raking logit; do tab_agreement demo $m "$d/data/demo.spec"; done
done_testing
