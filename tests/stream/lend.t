#!/usr/bin/env bash
# lend.t - REC_VMSPLICE=1 (rec.h; rec_write.c's struct lend): plain stdout to a pipe is
# handed over with vmsplice, the same bytes as written; only when asked, because a reader
# that splices the pipe on would see bytes written later; and the report pipeline asks for
# it only where the reader is one of ours. The known answers: the text written here with
# awk (rec-merge of one sorted file writes its records back as read), and the environment
# each stage of a run saw. (The buffers' reuse against the pipe's size: lend_test.)
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"

mkdir schemas
printf 'schema single/1\nv text opt the value\n' > schemas/single-1.schema
export REC_SCHEMA_PATH=$PWD/schemas REC_LEVEL=0
awk 'BEGIN { print "#schema single/1"; print "v"
	for (i = 1; i <= 600000; i++) printf "value %07d with some more words\n", i }' > text.csv

# a reader that waits for the pipe to fill, then reads it in small pieces with pauses
cat > slow.py <<'EOF'
import os, sys, time
time.sleep(0.3)
out = open(sys.argv[1], 'wb'); n = 0
while True:
    b = os.read(0, 65536)
    if not b: break
    out.write(b); n += 1
    if n % 8 == 0: time.sleep(0.002)
EOF
# a reader that passes the pipe on with splice(2) into a pipe of its own, 1 MiB at a time,
# and reads that one a little later (what pv does)
cat > splicer.py <<'EOF'
import os, sys, time, fcntl
r, w = os.pipe()
fcntl.fcntl(w, 1031, 1 << 20)   # F_SETPIPE_SZ
out = open(sys.argv[1], 'wb')
while True:
    held = 0
    while held < (1 << 20):
        n = os.splice(0, w, (1 << 20) - held)
        if n == 0: break
        held += n
    time.sleep(0.05)
    left = held
    while left:
        b = os.read(r, left); out.write(b); left -= len(b)
    if held == 0: break
EOF

REC_VMSPLICE=1 rec-merge --key v text.csv | python3 slow.py lent.csv
same_text "REC_VMSPLICE=1: a slow reader reads the text as written (20 MB: round the ring of 8 buffers ten times)" text.csv lent.csv
rec-merge --key v text.csv | python3 splicer.py spliced.csv
same_text "without REC_VMSPLICE: a reader that splices the pipe on reads the text as written" text.csv spliced.csv
REC_VMSPLICE=1 rec-merge --key v text.csv > file.csv
same_text "REC_VMSPLICE=1 with stdout a file: the text" text.csv file.csv

if command -v strace > /dev/null; then
	REC_VMSPLICE=1 strace -f -e trace=vmsplice,write -o lent.trace rec-merge --key v text.csv | cat > /dev/null
	ok_if "REC_VMSPLICE=1 on a pipe: the text goes out by vmsplice (strace)" grep -q '^[0-9]* *vmsplice(1, ' lent.trace
	same_line "REC_VMSPLICE=1 on a pipe: no write to stdout (strace)" 0 "$(grep -c '^[0-9]* *write(1, ' lent.trace)"
	strace -f -e trace=vmsplice -o plain.trace rec-merge --key v text.csv | cat > /dev/null
	same_line "without REC_VMSPLICE: no vmsplice (strace)" 0 "$(grep -c 'vmsplice(' plain.trace)"
fi

# The tee lent (rec_reader_tee: rec-cat --pass, rec-check --pass): the bytes read go on
# through a ring of buffers lent to the pipe; when none is free (short reads), a read is
# written as before. The known answer: the input itself, which --pass gives back.
REC_VMSPLICE=1 rec-cat --pass --keep kept.csv.gz text.csv | python3 slow.py tee-lent.csv
same_text "REC_VMSPLICE=1 rec-cat --pass: a slow reader reads the input as it was" text.csv tee-lent.csv
gzip -dc kept.csv.gz > kept.csv
same_text "and the kept stream is the input" text.csv kept.csv
# a writer that drips (300 pieces of 1000 bytes, 2 ms apart, then the rest at once), so
# that rec-cat reads little at a time and finds the ring's buffers still in the pipe
cat > drip.py <<'EOF'
import os, sys, time
data = open(sys.argv[1], 'rb').read(); i = 0
for k in range(300):
    os.write(1, data[i:i + 1000]); i += 1000; time.sleep(0.002)
os.write(1, data[i:])
EOF
if command -v strace > /dev/null; then
	python3 drip.py text.csv | REC_VMSPLICE=1 strace -e trace=vmsplice,write -o tee.trace rec-cat --pass --keep /dev/null |
		python3 slow.py tee-drip.csv
	same_text "REC_VMSPLICE=1 rec-cat --pass after a dripping writer: the input as it was" text.csv tee-drip.csv
	ok_if "the tee lent most of it (vmsplice, strace)" test "$(grep -c '^vmsplice(1, ' tee.trace)" -gt 20
	ok_if "and wrote the reads that found no free buffer (write, strace)" test "$(grep -c '^write(1, ' tee.trace)" -gt 1
	strace -e trace=vmsplice -o tee-plain.trace rec-cat --pass --keep /dev/null text.csv | cat > /dev/null
	same_line "without REC_VMSPLICE: the tee lends nothing (strace)" 0 "$(grep -c 'vmsplice(' tee-plain.trace)"
else
	echo "# strace is not installed: the system calls are not looked at"
fi

# The report pipeline: which stages get REC_VMSPLICE=1 (pipelines/golden.t: the same
# report as ever). Each stage through a wrapper that
# notes its name and REC_VMSPLICE, then runs the real program.
unset REC_LEVEL REC_SCHEMA_PATH
E2E_PERSONS=2000 E2E_SAMPLE=400 make_world world
mkdir shim
for p in "$KETEN_BIN"/*; do ln -s "$p" shim/; done
for p in ingest link-waves derive-status classify-support fit-models rec-cat; do
	rm "shim/$p"
	printf '#!/bin/sh\necho "%s ${REC_VMSPLICE:-unset}" >> "%s/seen"\nexec "%s/%s" "$@"\n' \
		"$p" "$PWD" "$KETEN_BIN" "$p" > "shim/$p"
	chmod +x "shim/$p"
done
run=$KETEN_ROOT/pipelines/eerste-jaar/run
KETEN_BIN=$PWD/shim "$run" --progress none world ours > /dev/null 2>&1
same_line "a run: it ends well" 0 $?
sort -u seen > seen.ours
printf '%s\n' "classify-support 1" "derive-status 1" "fit-models 1" "ingest 1" "ingest unset" "link-waves 1" \
	"rec-cat 1" "rec-cat unset" > want.ours
same_text "a run: every stage whose reader is ours lends (ingest --identify and --key-fingerprint write no stream)" want.ours seen.ours
rm seen
KETEN_BIN=$PWD/shim "$run" --progress none --classify "classify-support | cat" world theirs > /dev/null 2>&1
same_line "a run with --classify 'classify-support | cat': it ends well" 0 $?
sort -u seen > seen.theirs
printf '%s\n' "classify-support unset" "derive-status unset" "fit-models 1" "ingest 1" "ingest unset" "link-waves 1" \
	"rec-cat 1" "rec-cat unset" > want.theirs
same_text "a --classify command of the user's: neither it nor the stage it reads from lends" want.theirs seen.theirs
cmp -s <(gzip -dc ours/persons.rec.gz) <(gzip -dc theirs/persons.rec.gz) && cmp -s ours/tables.csv theirs/tables.csv
same_line "and the same persons and tables as the run that lends" 0 $?
done_testing
