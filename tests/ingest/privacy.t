#!/usr/bin/env bash
# No BSN leaves ingest: every BSN value of the input (the bsn column of every row, good or
# bad, also with a lost leading 0 restored) is searched for in the decompressed output and
# reject stream. The list is made by python3 from the raw files, not by ingest.
source "$KETEN_ROOT/tests/lib/tap.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
for f in cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3; do cp "$data/$f.csv" .; done
# Bad rows that still carry a BSN: a failed 11-check, a wrong field count, a stray quote, a
# bad date, a bad encoding; and a good 8-digit BSN (its 9-digit form is searched too).
{ cat cwi_aanvragen.csv
  printf '%s\r\n' '631706691;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '366258515;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;1234' \
                  '415868348;31-12-1985;"V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '781286578;31-02-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234' \
                  '70499962;31-12-1985;V;W;1;28-04-2006;WW;1;A;10-05-2006;;1234'
  printf '228303886;31-12-1985;V;\201;1;28-04-2006;WW;1;A;10-05-2006;;1234\r\n'
} > r1.csv
{ cat steekproef.csv; printf '%s\r\n' '100004;368595742;;0,5' '100005;368595742;WW;x;0,5' '100001;631706690;WW overig;0,5'; } > r4.csv
files="r1.csv uwv_overdracht.csv uitkeringen.csv r4.csv golf1.csv golf2.csv golf3.csv"
# shellcheck disable=SC2086
expect_exit 0 "ingest with rejects: exit 0" ingest --key-file key --rejects rej.gz --max-reject-rate 1 $files
python3 - $files > bsns <<'PY'
import sys
seen = set()
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')
    head = lines[0].strip(b'\r\xef\xbb\xbf').split(b';')
    if b'bsn' not in head:
        continue
    col = head.index(b'bsn')
    for line in lines[1:]:
        parts = line.rstrip(b'\r').split(b';')
        if len(parts) > col:
            v = parts[col].decode('latin-1').strip('"')
            if len(v) >= 7:
                seen.add(v)
                if len(v) == 8:
                    seen.add('0' + v)
for v in sorted(seen):
    print(v)
PY
same_line "the input holds 13 distinct BSN values (8-digit ones twice)" 13 "$(wc -l < bsns)"
zcat_any out > out.txt
zcat_any rej.gz > rej.txt
same_line "rows were rejected (8), so the reject stream is tested too" 8 "$(tail -n +3 rej.txt | wc -l)"
same_line "no input BSN in the output" 0 "$(grep -c -F -f bsns out.txt)"
same_line "no input BSN in the reject stream" 0 "$(grep -c -F -f bsns rej.txt)"
same_line "no run of 8+ digits in the reject stream" 0 "$(grep -c -E '[0-9]{8}' rej.txt)"
# shellcheck disable=SC2086
expect_exit 0 "--keep-bsn: exit 0" ingest --key-file key --rejects rej2.gz --keep-bsn --max-reject-rate 1 $files
zcat_any out > out2.txt
same_line "--keep-bsn: still no BSN in the output" 0 "$(grep -c -F -f bsns out2.txt)"
same_line "--keep-bsn: the reject stream keeps them (in all 8 rows)" 8 "$(zcat_any rej2.gz | grep -c -F -f bsns)"
done_testing
