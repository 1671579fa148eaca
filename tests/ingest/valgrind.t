#!/usr/bin/env bash
# ingest's whole-file checks under valgrind --leak-check=full: --identify (good files and
# each problem), --key-fingerprint, --file-counts, a refused key, a file cut short, UTF-8
# posing as Windows-1252 - no invalid access, no definite or indirect leak (exit 99 would
# say so). Skipped by the sanitizer build (make check), where valgrind cannot run.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/valgrind.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
for f in "$data"/*.csv; do cp "$f" .; done
head -c -3 uitkeringen.csv > cut.csv
iconv -f cp1252 -t utf-8 steekproef.csv > s8.csv
: > empty.csv
printf 'a;b\r\n1;2\r\n' > odd.csv

expect_exit 0 "--identify on good files" vg ingest --identify cwi_aanvragen.csv golf2.csv steekproef.csv steekproef-bom.csv
expect_exit 1 "--identify on every problem (exit 1, not 99)" vg ingest --identify cut.csv s8.csv empty.csv odd.csv nosuch.csv
expect_exit 0 "--key-fingerprint" vg ingest --key-fingerprint --key-file key
cp key loose.key && chmod 644 loose.key
expect_exit 2 "a refused key (exit 2, not 99)" vg ingest --key-file loose.key golf1.csv
expect_exit 0 "--file-counts" vg ingest --key-file key --rejects rej.gz --file-counts counts.csv uitkeringen.csv steekproef.csv
expect_exit 1 "a file cut short (exit 1, not 99)" vg ingest --key-file key golf1.csv cut.csv
expect_exit 1 "UTF-8 posing as Windows-1252 (exit 1, not 99)" vg ingest --key-file key s8.csv
expect_exit 0 "--utf8 steekproef" vg ingest --key-file key --utf8 steekproef s8.csv
expect_exit 1 "a reject rate above the limit (exit 1, not 99)" vg ingest --key-file key --rejects rej.gz --max-reject-rate 0 --utf8 R4 steekproef.csv golf1.csv
done_testing
