#!/usr/bin/env bash
# measure-gap.sh [SPEC] - calibrated survey figures against synth's population truth, over
# five synth worlds of the default size (seeds 1..5, or $SEEDS): the mean absolute gap of
# every survey figure of tables.spec, with design weights and with calibrate-weights'
# weights (tabulate and tabulate --calibrated), how often the 95% interval covers the
# truth, and every miss with its z (measure-gap.py: gap-cells.csv, misses.csv). Not a
# test: it takes minutes. SPEC defaults to pipelines/eerste-jaar/calibration.spec; the
# worlds are kept in $MEASURE_DIR (default /tmp/measure-gap) and reused while synth's
# arguments stay the same. $SYNTH_ARGS adds synth arguments, for a counterfactual world
# that isolates one cause of a gap (README, "How much it helps"):
#   tests/calibrate-weights/measure-gap.sh
#   tests/calibrate-weights/measure-gap.sh my-margins.spec
#   SEEDS="6 7 8 9 10" tests/calibrate-weights/measure-gap.sh
#   MEASURE_DIR=/tmp/mg-noresp SYNTH_ARGS="--param resp.poor_health=0" tests/calibrate-weights/measure-gap.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
spec=$(realpath "${1:-$root/pipelines/eerste-jaar/calibration.spec}")
dir=${MEASURE_DIR:-/tmp/measure-gap}
PATH=$root/bin:$PATH
mkdir -p "$dir"
worlds=()
survey=coverage,fig1,fig3,fig4,fig6,handover_support,hours,obligation   # the weighted tables
for seed in ${SEEDS:-1 2 3 4 5}; do
	w=$dir/seed$seed
	if [ ! -s "$w/support.gz" ] || [ "$(cat "$w/synth-args" 2> /dev/null)" != "${SYNTH_ARGS:-}" ]; then
		rm -rf "$w"
		# shellcheck disable=SC2086 # SYNTH_ARGS is a list of words
		synth --seed "$seed" ${SYNTH_ARGS:-} --out "$w" > /dev/null
		printf '%s\n' "${SYNTH_ARGS:-}" > "$w/synth-args"
		ingest --key-file "$w/pseudonym.key" "$w"/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv 2> /dev/null |
			link-waves 2> /dev/null | derive-status | classify-support > "$w/support.gz"
	fi
	calibrate-weights "$spec" "$w/support.gz" > "$w/cal.csv.gz"
	REC_LEVEL=0 tabulate --tables "$survey" --csv "$w/design.csv" "$root/pipelines/eerste-jaar/tables.spec" "$w/cal.csv.gz"
	REC_LEVEL=0 tabulate --tables "$survey" --csv "$w/calibrated.csv" --calibrated "$spec" "$root/pipelines/eerste-jaar/tables.spec" "$w/cal.csv.gz"
	worlds+=("$w")
done
cd "$dir" && python3 "$here/measure-gap.py" "${worlds[@]}"
