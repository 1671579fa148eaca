#!/usr/bin/env bash
# link-waves makes the pages of its big arrays present in one madvise(MADV_POPULATE_WRITE)
# each (filters/link-waves/table.h, prefault; issue 22): on a world of 20 000 people the
# person array alone is over 500 KB, past the 64-page floor, so the advice must be given,
# and every call must succeed (a start off a page boundary or a range outside the array
# would fail with EINVAL or ENOMEM, and the pages would fault one by one, unseen).
# Counted by strace; the output against the same input is checked in synth.t.
source "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=0
IFS=. read -r major minor _ <<< "$(uname -r)"
if [ "$major" -lt 5 ] || { [ "$major" = 5 ] && [ "$minor" -lt 14 ]; }; then
	echo "# kernel $(uname -r) has no MADV_POPULATE_WRITE (5.14): nothing to check"
	exit 77
fi
raw="cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3"
synth --persons 20000 --sample 3000 --seed 21 --out w > /dev/null 2>&1 && chmod 600 w/pseudonym.key &&
	ingest --key-file w/pseudonym.key $(for r in $raw; do echo "w/$r.csv"; done) 2> /dev/null > sections.csv
same_line "synth and ingest make the input" 0 $?

# (LeakSanitizer does not run under ptrace: off for this run in the sanitizer build)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -o trace.txt -e trace=madvise \
	link-waves --unlinked unl.csv sections.csv > person.csv 2> err.txt
same_line "link-waves under strace ends well" 0 $?
calls=$(grep -c 'MADV_POPULATE_WRITE' trace.txt)
ok_if "link-waves gives the advice at least once ($calls calls)" test "$calls" -ge 1
failed=$(grep 'MADV_POPULATE_WRITE' trace.txt | grep -cv ') = 0$')
same_line "every MADV_POPULATE_WRITE call succeeds" 0 "$failed"
done_testing
