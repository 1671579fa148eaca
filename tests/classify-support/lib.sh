# lib.sh - shared by the classify-support tests (source after tap.sh).
# Builds the hand-made input (data/people.txt -> status.csv, plain person_status/1) and
# wraps the independent helpers of support.py.
T=$KETEN_ROOT/tests/classify-support
D=$T/data
export REC_LEVEL=0          # plain output: compare text, not gzip bytes

mkinput() { python3 "$T/mkstatus.py" "$D/people.txt" > status.csv; }
table()   { python3 "$T/support.py" table "$1"; }
norm()    { python3 "$T/support.py" norm "$1"; }
apply_changes() { python3 "$T/support.py" apply "$1" "$2"; }
coldiff() { python3 "$T/support.py" coldiff "$1" "$2"; }
method()  { python3 "$T/support.py" method "$1"; }
