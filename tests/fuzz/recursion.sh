#!/usr/bin/env bash
# tests/fuzz/recursion.sh - every cycle in the static call graph of filters/ (recursion,
# direct or through other functions), for the review tests/fuzz/README.md records: each
# cycle must have a depth bound that no input can raise. gcc's -fcallgraph-info writes each
# file's direct calls; a python3 pass over them finds the strongly connected components.
# Calls through function pointers (the driver's callbacks, libcsv's, cond_eval's getter)
# are not in the graph: none of them calls back into its caller.
#   tests/fuzz/recursion.sh        prints one line per cycle: its functions
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$root"/filters/*.c "$root"/filters/*/*.c; do
	rel=${f#"$root"/filters/}
	name=$(echo "${rel%.c}" | tr '/' '_')
	case $rel in */*) inc=$(dirname "$f") ;; *) inc=$root/filters/${rel%.c} ;; esac
	gcc -O0 -std=c11 -D_GNU_SOURCE -DHAVE_ISAL -I"$root/filters/lib" -I"$inc" -fcallgraph-info \
		-c "$f" -o "$tmp/$name.o" -dumpbase "$tmp/$name"
done
python3 - "$tmp" <<'PY'
import collections, glob, re, sys
sys.setrecursionlimit(100000)
graph = collections.defaultdict(set)
for path in glob.glob(sys.argv[1] + "/*.ci"):
    for m in re.finditer(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', open(path).read()):
        graph[m.group(1)].add(m.group(2))
index, low, stack, on, count = {}, {}, [], set(), [0]
def visit(v):
    index[v] = low[v] = count[0]; count[0] += 1; stack.append(v); on.add(v)
    for w in graph.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1 or v in graph.get(v, ()):
            print(" ".join(sorted(c.split("/filters/")[-1] for c in comp)))
for v in list(graph):
    if v not in index:
        visit(v)
PY
