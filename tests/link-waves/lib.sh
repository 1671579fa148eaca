# lib.sh - shared by the link-waves tests (source after tap.sh).
T=$KETEN_ROOT/tests/link-waves
D=$T/data
export REC_LEVEL=0          # plain output: compare text, not gzip bytes
SECTIONS="app ho spell sample w1 w2 w3"

# The hand-made input: every section file of data/, in the order given (default: as listed).
mkinput() { local s; for s in ${*:-$SECTIONS}; do cat "$D/$s.csv"; done; }
# The first N columns of a person/1 stream (without its #schema line), parsed as CSV.
fixed_cols() {
	python3 -c '
import csv, sys
n = int(sys.argv[2])
w = csv.writer(sys.stdout, lineterminator="\n")
for row in csv.reader(l for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("#")):
    w.writerow(row[:n])' "$1" "${2:-29}"
}
# Drop the last stderr line (memory: depends on allocation sizes, checked separately).
counts() { grep -v ': memory: ' "$1"; }
