# bench/timing.bash - timing helpers for the benchmark scripts (source it; not a benchmark:
# bench/run runs *.sh only). Needs $dir, a folder the script owns. The older scripts carry
# their own copy of these two functions; new ones source this file.
#   t CMD      "wall cpu peak-kB" of CMD (run by sh, children included; cpu = user + sys)
#   best CMD   t of the faster of two runs (by wall time): the machine is shared
t() { /usr/bin/time -f '%e %U %S %M' -o "$dir/time" sh -c "$1" >/dev/null 2>&1 ||
	{ echo "bench: failed: $1" >&2; exit 1; }; awk '{ print $1, $2 + $3, $4 }' "$dir/time"; }
best() { local a b; a=$(t "$1"); b=$(t "$1"); awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); print (x[1] <= y[1]) ? a : b }'; }
