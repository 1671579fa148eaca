#!/usr/bin/env bash
# Output is identical whatever the order of the input sections (as `cat` of several ingest
# outputs may deliver them): the hand-made sections in every rotation and in reverse, and
# then cut into one-row sections shuffled at random (so rows of one person, duplicates
# among them, arrive in every order). person/1, unlinked/1 and the counts must not change.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/link-waves/lib.sh"

mkinput > in.csv
link-waves --unlinked ref-unl.csv in.csv > ref.csv 2> ref-err.txt
counts ref-err.txt > ref-counts.txt
same_text "reference counts as worked out by hand" "$D/expected-stderr.txt" ref-counts.txt

check_order() {  # description, input file
	link-waves --unlinked u.csv "$2" > p.csv 2> e.txt
	counts e.txt > c.txt
	if cmp -s ref.csv p.csv && cmp -s ref-unl.csv u.csv && cmp -s ref-counts.txt c.txt; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		diff ref.csv p.csv | head -5 | sed 's/^/#   /'
		diff ref-unl.csv u.csv | head -5 | sed 's/^/#   /'
	fi
}

set -- $SECTIONS
for i in 1 2 3 4 5 6; do   # rotations: each section first once
	set -- "${@:2}" "$1"
	mkinput "$@" > rot.csv
	check_order "sections in the order $*" rot.csv
done
mkinput w3 w2 w1 sample spell ho app > rev.csv
check_order "sections in reverse order" rev.csv

# One-row sections in random order (fixed seeds, so a failure can be replayed).
for seed in 1 2 3 4 5 6 7 8; do
	python3 - "$D" "$seed" > shuf.csv <<'PY' || echo "not ok - seed $seed: the Python shuffle stopped before its end"
import random, sys
d, seed = sys.argv[1], int(sys.argv[2])
pieces = []
for s in "app ho spell sample w1 w2 w3".split():
    lines = open(d + "/" + s + ".csv", encoding="utf-8").read().splitlines()
    pieces += ["\n".join(lines[:2] + [r]) for r in lines[2:]]
random.Random(seed).shuffle(pieces)
print("\n".join(pieces))
PY
	check_order "one-row sections shuffled (seed $seed)" shuf.csv
done
done_testing
