# tests/calibrate-weights/lib.sh - helpers for calibrate-weights' shell tests (source it).
#   people FILE          a plain person_support/1 stream from a people file (the format of
#                        tests/classify-support/mkstatus.py: KEY field=value ...)
#   weights STREAM       one line per person: KEY (the people file's) and the four calibrated weights (%.10g;
#                        '-' when missing)
#   set_value STREAM KEY FIELD VALUE
#                        the plain STREAM with FIELD of person KEY (the people file's)
#                        set to VALUE, on stdout: a value no C stage would pass on
#                        (a stage checks the values it reads), written here
#   small_world FILE     the small world of fit-models/calibrated.t and tabulate.t (people
#                        file format): 15 WW and 16 WWB people; wave-2 respondents a1-a4,
#                        a6 (WW, design weights 2 2 3 3 3) and b1-b3 (WWB, 2 2 4); a5 and b4
#                        sampled without answering wave 2; a2, a4, b2 answered wave 3 too;
#                        the others not sampled
#   spec FILE MARGIN...  a spec with the four sets of the pipeline and the given margin
#                        lines ("benefit age_class"), method raking, weight design_weight
#   calibrated_small_world  the small world post-stratified on benefit, in the current
#                        folder: small.txt, small.csv (person_support/1), ps.spec and
#                        cal.csv (calibrate-weights' output), with a TAP line that it ran
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
small_world() {
	{
		cat <<'P'
a1 benefit=ww  sex=male   stratum=s1 design_weight=2 answered=1,2 h1_search_hours=4
a2 benefit=ww  sex=female stratum=s1 design_weight=2 answered=1,2,3 h1_search_hours=6
a3 benefit=ww  sex=male   stratum=s2 design_weight=3 answered=1,2 h1_search_hours=0
a4 benefit=ww  sex=female stratum=s2 design_weight=3 answered=1,2,3 h1_search_hours=10
a5 benefit=ww  sex=male   stratum=s1 design_weight=2 answered=1
a6 benefit=ww  sex=male   stratum=s2 design_weight=3 answered=1,2 h1_search_hours=7
b1 benefit=wwb sex=male   stratum=s1 design_weight=2 answered=1,2 h1_search_hours=1
b2 benefit=wwb sex=female stratum=s2 design_weight=2 answered=1,2,3 h1_search_hours=3
b3 benefit=wwb sex=male   stratum=s2 design_weight=4 answered=1,2 h1_search_hours=2
b4 benefit=wwb sex=female stratum=s3 design_weight=6 answered=1
P
		for i in $(seq 1 9); do echo "x$i benefit=ww in_sample=0"; done
		for i in $(seq 1 12); do echo "y$i benefit=wwb in_sample=0"; done
	} > "$1"
}
calibrated_small_world() {
	small_world small.txt
	people small.txt > small.csv
	spec ps.spec "benefit"
	calibrate-weights ps.spec small.csv > cal.csv 2> err
	same_line "the small world: calibrate-weights exits 0" "0:" "$?:$(cat err)"
}
