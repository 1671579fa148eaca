#!/usr/bin/env bash
# runs.sh - whole report runs as cron makes them, against another checkout and Miller
# (issue 22): per round, for each checkout, a first run into an empty folder and a second
# into the same folder (a published run to compare with: a refresh), then one
# `mlr --icsv --ifs ';' --ocsv cat | gzip -1` pass over the same raw files; the three take
# turns, so a noisy minute hits all. Wall and CPU seconds (user + sys, every process).
#   BASE_ROOT=/path/to/other/checkout BENCH_ROUNDS=5 BENCH_WORLD=DIR bash bench/runs.sh
# BENCH_WORLD defaults to bench/chain.sh's 1 M world (made by it; BENCH_SIZE=small: its
# 100 000 world); BASE_ROOT to none (this checkout alone).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
dir=${BENCH_DIR:-/tmp/keten-bench}/runs; mkdir -p "$dir"
size=1000000; [ "${BENCH_SIZE:-}" = small ] && size=100000
world=${BENCH_WORLD:-${BENCH_DIR:-/tmp/keten-bench}/chain/world-$size}
[ -s "$world/golf3.csv" ] || { echo "runs.sh: no world in $world (bash bench/chain.sh makes one; or BENCH_WORLD=DIR)" >&2; exit 2; }
raw=("$world/cwi_aanvragen.csv" "$world/uwv_overdracht.csv" "$world/uitkeringen.csv" "$world/steekproef.csv" "$world/golf1.csv" "$world/golf2.csv" "$world/golf3.csv")
roots=(${BASE_ROOT:+"$BASE_ROOT"} "$root")
t() { /usr/bin/time -f "%e %U %S" -o "$dir/t" sh -c "$1" >/dev/null 2>&1 || { echo "runs.sh: failed: $1" >&2; exit 1; }
      awk '{ printf "%s / %.2f", $1, $2 + $3 }' "$dir/t"; }
echo "Machine: $(sh "$root/bench/machine"); load at the start $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "Checkouts: ${roots[*]}; world $world. Each cell: wall s / CPU s."
printf '| round |'; for r in "${roots[@]}"; do printf ' %s: first | %s: second |' "$(basename "$r")" "$(basename "$r")"; done; echo ' Miller |'
for k in $(seq "${BENCH_ROUNDS:-3}"); do
	line="| $k |"
	for r in "${roots[@]}"; do
		rm -rf "$dir/out"
		# each checkout's run with its own programs (bench/run exports KETEN_BIN)
		line="$line $(t "env -u KETEN_BIN $r/pipelines/eerste-jaar/run $world $dir/out") |"
		line="$line $(t "env -u KETEN_BIN $r/pipelines/eerste-jaar/run $world $dir/out") |"
	done
	command -v mlr >/dev/null && line="$line $(t "mlr --icsv --ifs ';' --ocsv cat ${raw[*]} | gzip -1") |" || line="$line - |"
	echo "$line"
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$dir/out"
