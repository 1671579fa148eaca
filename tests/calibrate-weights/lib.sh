# tests/calibrate-weights/lib.sh - helpers for calibrate-weights' shell tests (source it).
#   people FILE          a plain person_support/1 stream from a people file (the format of
#                        tests/classify-support/mkstatus.py: KEY field=value ...)
#   weights STREAM       one line per person: KEY (the people file's) and the four calibrated weights (%.10g;
#                        '-' when missing)
#   set_value STREAM KEY FIELD VALUE
#                        the plain STREAM with FIELD of person KEY (the people file's)
#                        set to VALUE, on stdout: a value no C stage would pass on
#                        (the driver checks every value it reads), written here
#   spec FILE MARGIN...  a spec with the four sets of the pipeline and the given margin
#                        lines ("benefit age_class"), method raking, weight design_weight
people() {
	python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" "$1" | REC_LEVEL=0 classify-support
}
weights() {
	python3 - "$1" <<'PY'
import csv, gzip, io, os, sys
sys.path.insert(0, os.path.join(os.environ["KETEN_ROOT"], "tests", "classify-support"))
from mkstatus import key_label
raw = open(sys.argv[1], "rb").read()
text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode()
cols = ["calibrated_weight_w1", "calibrated_weight_w2", "calibrated_weight_w3", "calibrated_weight_w23"]
for r in csv.DictReader(io.StringIO(text.split("\n", 1)[1], newline="")):
    print(key_label(r["person_key"]), " ".join("%.10g" % float(r[c]) if r[c] else "-" for c in cols))
PY
}
set_value() {
	python3 - "$@" <<'PY'
import csv, io, os, sys
sys.path.insert(0, os.path.join(os.environ["KETEN_ROOT"], "tests", "classify-support"))
from mkstatus import key_label
path, key, field, value = sys.argv[1:]
lines = open(path, newline="").read().split("\n")
at = next(csv.reader([lines[1]])).index(field)
for i, line in enumerate(lines[2:], 2):
    row = next(csv.reader([line])) if line else None
    if row and key_label(row[0]) == key:
        row[at] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(row)
        lines[i] = out.getvalue()
sys.stdout.write("\n".join(lines))
PY
}
spec() {
	local f=$1 m; shift
	{
		echo "method raking"
		echo "weight design_weight"
		echo "set calibrated_weight_w1 responded_w1"
		echo "set calibrated_weight_w2 responded_w2"
		echo "set calibrated_weight_w3 responded_w3"
		echo "set calibrated_weight_w23 responded_w2 & responded_w3"
		for m in "$@"; do echo "margin $m"; done
	} > "$f"
}
