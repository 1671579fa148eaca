#!/usr/bin/env bash
# calibrate-weights against R's survey::calibrate (make-expected.R wrote data/r-*; CI needs
# no R): every calibrated weight within 1e-10 relative of R's, for linear (GREG), raking and
# bounded logit on the demo world (synth --seed 2006, default size, through the chain up to
# classify-support), and for linear and raking with and without bounds and bounded logit on
# the hand-made population; where R's iteration fails (no convergence, divergence), the stage
# fails too, naming the set and reporting R's misfit.
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
done_testing
