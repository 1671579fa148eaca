# tests/history/mkhistory.sh - a hand-made history of four runs (source it):
# make_history FILE writes tests/history/data/run1..4.csv as the runs R1..R4 (publication
# 1..4, published 2007-0N-01), R4 with other extracts than R1..R3.
make_history() {
	local i d=$KETEN_ROOT/tests/history/data
	: > "$1"
	for i in 1 2 3 4; do
		history-stamp --run "R$i" --publication "$i" --published "2007-0$i-01T02:30:00Z" --code-version v1 \
			--extracts-sha256 "$([ $i -lt 4 ] && echo aaaa || echo bbbb)" --peildatum "uitkeringen=2007-0$i-01" \
			"$d/run$i.csv" >> "$1" || return 1
	done
}
