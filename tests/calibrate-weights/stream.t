#!/usr/bin/env bash
# calibrate-weights as a stage of the stream: every input column passes through unchanged,
# the five columns it adds are what the schema says, sections are mirrored (a population
# in two sections or two files is one population), gzip or plain in and out give the same
# records, two runs give the same bytes, and the spool is an unlinked file of mode 0600
# that nobody else could open and that is gone when the stage ends. On a synth world with
# the pipeline's calibration.spec every set's weights add up to every margin cell's count.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/calibrate-weights/lib.sh"
export REC_LEVEL=0
d=$KETEN_ROOT/tests/calibrate-weights/data
people "$d/twelve.txt" > pop.csv
spec ba.spec "benefit age_class"

calibrate-weights ba.spec pop.csv > out.csv 2> err
same_line "exit 0, nothing on stderr" "0:" "$?:$(cat err)"
ok_if "the output is a valid person_calibrated/1 stream" rec-check -q out.csv
python3 - pop.csv out.csv > got.txt <<'PY' || echo "not ok - the output stream: the Python check stopped before its end"
import csv, io, sys
def parse(path):
    lines = open(path).read().split("\n", 1)
    rows = list(csv.reader(io.StringIO(lines[1], newline="")))
    return lines[0], rows[0], rows[1:]
s_in, h_in, r_in = parse(sys.argv[1])
s_out, h_out, r_out = parse(sys.argv[2])
print(s_out)
print("added: " + " ".join(h_out[len(h_in):]))
print("input columns first, in order: %s" % (h_out[:len(h_in)] == h_in))
print("records: %d in, %d out" % (len(r_in), len(r_out)))
print("every input field unchanged: %s" % all(a == b[:len(h_in)] for a, b in zip(r_in, r_out)))
print("tags: " + " ".join(sorted({r[len(h_in)] for r in r_out})))
PY
cat > want.txt <<'W'
#schema person_calibrated/1
added: calibration_method calibrated_weight_w1 calibrated_weight_w2 calibrated_weight_w3 calibrated_weight_w23
input columns first, in order: True
records: 12 in, 12 out
every input field unchanged: True
tags: method=raking;bounds=-inf,inf;margins=benefit*age_class;epsilon=1e-07;maxit=50;converge=totals
W
same_text "the input passes through; the columns and the method tag are added" want.txt got.txt
calibrate-weights --method logit --bounds 0.2,3 --epsilon 1e-9 --maxit 20 --converge weights ba.spec pop.csv > out2.csv
same_line "the tag records the options" "method=logit;bounds=0.2,3;margins=benefit*age_class;epsilon=1e-09;maxit=20;converge=weights" \
	"$(sed -n 3p out2.csv | python3 -c 'import csv, sys; print(next(csv.reader(sys.stdin))[-5])')"

# sections and files: the same people twice are twice the population and twice the
# respondents, so every weight is the same, in two sections
cat pop.csv pop.csv > twice.csv
calibrate-weights ba.spec twice.csv > out-twice.csv
cat out.csv out.csv > want.csv
same_text "two sections in one file: two sections out, the same weights" want.csv out-twice.csv
calibrate-weights ba.spec pop.csv pop.csv > out-two.csv
same_text "two files: the same" want.csv out-two.csv
calibrate-weights ba.spec < twice.csv > out-stdin.csv
same_text "stdin: the same" want.csv out-stdin.csv
gzip -c pop.csv > pop.gz
calibrate-weights ba.spec pop.gz > out-gz.csv
same_text "gzip in: the same records" out.csv out-gz.csv
REC_LEVEL=1 calibrate-weights ba.spec pop.csv > out.gz
ok_if "REC_LEVEL=1: gzip out" test "$(head -c 2 out.gz | od -An -tx1 | tr -d ' ')" = 1f8b
gzip -dc out.gz > out-gunzip.csv
same_text "gzip out: the same records" out.csv out-gunzip.csv
calibrate-weights ba.spec pop.csv > again.csv
same_text "two runs: the same bytes" out.csv again.csv

# The spool: watch the stage while it waits for the rest of its input.
mkdir spool
mkfifo fifo
calibrate-weights --tmpdir "$PWD/spool" ba.spec fifo > out-fifo.csv 2> err &
pid=$!
exec 3> fifo
head -n 5 pop.csv >&3
link="" mode=""
for _ in $(seq 100); do
	for fd in /proc/$pid/fd/*; do
		t=$(readlink "$fd" 2>/dev/null) || continue
		case $t in "$PWD/spool/"*) link=$t; mode=$(stat -L -c %a "$fd"); break 2 ;; esac
	done
	sleep 0.1
done
same_line "the spool is in --tmpdir and already unlinked" deleted "$(case $link in *" (deleted)") echo deleted ;; *) echo "${link:-not found}" ;; esac)"
same_line "the spool has mode 0600" 600 "$mode"
same_line "nothing is left in --tmpdir while the stage runs" "" "$(ls -A spool)"
tail -n +6 pop.csv >&3
exec 3>&-
wait $pid
same_line "the stage reading a fifo: exit 0" 0 $?
same_text "the stage reading a fifo: the same output" out.csv out-fifo.csv
same_line "nothing is left in --tmpdir afterwards" "" "$(ls -A spool)"

# A synth world and the pipeline's spec: every set meets every margin cell's count.
synth --seed 5 --persons 20000 --sample 3000 --out world > /dev/null
ingest --key-file world/pseudonym.key world/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv 2> /dev/null |
	link-waves 2> /dev/null | derive-status | classify-support > support.csv
calibrate-weights "$KETEN_ROOT/pipelines/eerste-jaar/calibration.spec" support.csv > cal.csv 2> err
same_line "the pipeline's calibration.spec on a synth world: exit 0, nothing on stderr" "0:" "$?:$(cat err)"
python3 - "$KETEN_ROOT/pipelines/eerste-jaar/calibration.spec" cal.csv <<'PY' || echo "not ok - the pipeline's calibration.spec: the Python checks stopped before their end"
import csv, io, sys
spec, path = sys.argv[1], sys.argv[2]
margins, sets = [], {}
for line in open(spec):
    w = line.split("#", 1)[0].replace("&", " ").split()
    if w and w[0] == "margin":
        margins.append(w[1:])
    if w and w[0] == "set":
        sets[w[1]] = w[2:]
rows = list(csv.DictReader(io.StringIO(open(path).read().split("\n", 1)[1], newline="")))
for s, atoms in sets.items():
    members = [r for r in rows if all(r[a] == "1" for a in atoms)]
    weighted = [r for r in rows if r[s] != ""]
    ok = len(members) > 100 and {id(r) for r in members} == {id(r) for r in weighted}
    print("%s - %s: a weight for exactly the %d people of the set" % ("ok" if ok else "not ok", s, len(members)))
    worst, ncells = 0.0, 0
    for m in margins:
        pop, cal = {}, {}
        for r in rows:
            k = tuple(r[v] for v in m)
            pop[k] = pop.get(k, 0) + 1
            if r[s] != "":
                cal[k] = cal.get(k, 0.0) + float(r[s])
        for k in pop:
            worst = max(worst, abs(cal.get(k, 0.0) - pop[k]) / (1 + pop[k]))
            ncells += 1
    print("%s - %s: the weights add up to the population in all %d cells of %d margins (worst %.1e)"
          % ("ok" if worst < 1e-7 else "not ok", s, ncells, len(margins), worst))
PY
done_testing
