#!/usr/bin/env bash
# Output files named on the command line (tabulate --csv/--md/--html, through
# filters/lib/outfile.c; ingest --rejects through the stream writer): a symbolic link is
# neither followed nor replaced, a FIFO or a device is written in place and stays what it
# was, a regular file is replaced whole, nothing half-written is left. Each case looks at
# the file system afterwards (stat), not at tabulate's word for it.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
python3 "$d/mksection.py" "$d/hand-people.csv" > p.csv
spec=$d/hand.spec
kind() { stat -c %F "$1" 2>/dev/null || echo absent; }

for opt in csv md html; do
	echo precious > victim.$opt
	ln -s victim.$opt link.$opt
	expect_exit 1 "--$opt to a symbolic link: refused" tabulate --tables reg --$opt link.$opt "$spec" p.csv
	same_line "--$opt to a symbolic link: the link is still a link" "symbolic link" "$(kind link.$opt)"
	same_line "--$opt to a symbolic link: what it points to is untouched" precious "$(cat victim.$opt)"
	same_line "--$opt to a symbolic link: no partial file left" absent "$(kind link.$opt.partial)"

	mkfifo fifo.$opt
	cat fifo.$opt > got.$opt &
	reader=$!
	expect_exit 0 "--$opt to a FIFO: written" tabulate --tables reg --$opt fifo.$opt "$spec" p.csv
	wait $reader
	same_line "--$opt to a FIFO: still a FIFO" fifo "$(kind fifo.$opt)"
	ok_if "--$opt to a FIFO: the reader got the rendering" sh -c "gzip -dcf got.$opt | grep -q reg"

	echo old > file.$opt
	expect_exit 0 "--$opt over a regular file: written" tabulate --tables reg --$opt file.$opt "$spec" p.csv
	ok_if "--$opt over a regular file: replaced by the new rendering" sh -c "gzip -dcf file.$opt | grep -q reg"
	same_line "--$opt over a regular file: no partial file left" absent "$(kind file.$opt.partial)"
done

# /dev/full: every write fails. Before, the rendering was written to /dev/full.partial and
# renamed over /dev/full, so as root the device became a regular file.
if [ "$(id -u)" = 0 ]; then
	for opt in csv md html; do
		expect_exit 1 "--$opt /dev/full as root: a write error" tabulate --tables reg --$opt /dev/full "$spec" p.csv
		has_text "--$opt /dev/full as root: the message says so" err 'No space left on device'
		same_line "--$opt /dev/full as root: still a character device" "character special file" "$(kind /dev/full)"
		same_line "--$opt /dev/full as root: no /dev/full.partial" absent "$(kind /dev/full.partial)"
	done
else
	echo "# /dev/full cases left out: not root"
fi

# the stream writer of every filter goes the same way: ingest's reject stream
cp "$KETEN_ROOT/tests/ingest/data/test.key" key && chmod 600 key
echo precious > victim.rej
ln -s victim.rej rejects.gz
expect_exit 1 "ingest --rejects to a symbolic link: refused" \
	ingest --key-file key --rejects rejects.gz "$KETEN_ROOT/tests/ingest/data/golf1.csv"
same_line "ingest --rejects to a symbolic link: the message names it" \
	"ingest: rejects.gz: cannot create: Too many levels of symbolic links" "$(cat err)"
same_line "ingest --rejects to a symbolic link: untouched" "precious|symbolic link" "$(cat victim.rej)|$(kind rejects.gz)"
done_testing
