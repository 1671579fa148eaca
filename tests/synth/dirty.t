#!/usr/bin/env bash
# --dirty 0.01: every fault kind ingest owns is injected and listed in dirty.csv; each listed
# line has exactly that fault and no other line has any (checked by faults.py, not by the
# project's reader); the clean rows, the truth and the key do not change.
. "$KETEN_ROOT/tests/lib/tap.sh"
here=$KETEN_ROOT/tests/synth

synth --persons 30000 --sample 5000 --seed 5 --out clean >/dev/null
expect_exit 0 "synth --dirty 0.01 runs" synth --persons 30000 --sample 5000 --seed 5 --dirty 0.01 --out dirty
same_line "clean run: dirty.csv has only its header" "file,line,kind" "$(cat clean/dirty.csv)"
for f in truth.csv truth-persons.csv pseudonym.key; do
	ok_if "--dirty leaves $f unchanged" cmp -s clean/$f dirty/$f
done
n=$(($(wc -l < dirty/dirty.csv) - 1))
rows=0
for f in cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3; do
	rows=$((rows + $(wc -l < clean/$f.csv) - 1))
done
# about 1 % of the clean data rows get a faulty copy (binomial: 4 standard errors around 1 %)
ok_if "about 1 % of rows faulty ($n)" awk -v n="$n" -v r="$rows" 'BEGIN { e = 0.01 * r; s = sqrt(e); exit !(n > e - 4 * s && n < e + 4 * s) }'
python3 "$here/faults.py" clean dirty
# iconv, an outside reader, also rejects the registry file carrying a bad byte
ok_if "iconv rejects the faulty steekproef.csv as WINDOWS-1252" bash -c '! iconv -f WINDOWS-1252 -t UTF-8 dirty/steekproef.csv >/dev/null 2>&1'
synth --persons 30000 --sample 5000 --seed 5 --dirty 0.01 --out dirty2 >/dev/null
same=1
for f in dirty/*; do cmp -s "$f" "dirty2/${f#dirty/}" || same=0; done
same_line "--dirty: same seed, same bytes in every file" 1 "$same"
done_testing
