#!/usr/bin/env bash
# ingest on a synth world with --dirty 0.01: the rejected rows are exactly those synth
# inserted and listed in dirty.csv (same file, same line, same kind); rows in = rows out +
# rows rejected for every file; no BSN of the input leaves ingest; the pseudonyms link the
# files, are stable across runs and change with the key.
source "$KETEN_ROOT/tests/lib/tap.sh"
if ! command -v synth >/dev/null 2>&1; then
	echo "not ok - bin/synth is not built: the synth-based checks of ingest cannot run"
	exit 0
fi
files="cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv steekproef.csv golf1.csv golf2.csv golf3.csv"
ok_if "synth makes a dirty world" synth --persons 6000 --seed 11 --dirty 0.01 --out w
cd w || exit 1
chmod 600 pseudonym.key
# shellcheck disable=SC2086
expect_exit 0 "ingest on the dirty world: exit 0" ingest --key-file pseudonym.key --rejects ../rej.gz --max-reject-rate 1 $files
mv out ../out.gz; mv err ../err
cd .. || exit 1
zcat_any out.gz > out.txt
zcat_any rej.gz > rej.txt

# --- the rejects are dirty.csv, row for row ------------------------------------------
tail -n +2 w/dirty.csv | tr -d '\r' | sort -t, -k1,1 -k2,2n > want.dirty
python3 -c '
import csv, os, sys
r = csv.reader(open("rej.txt", newline="", encoding="utf-8"))
next(r); next(r)
for row in r:
    print("%s,%s,%s" % (os.path.basename(row[0]), row[2], row[4]))' | sort -t, -k1,1 -k2,2n > got.dirty
same_text "rejected rows = dirty.csv (file, line, kind)" want.dirty got.dirty
for kind in wrong_field_count bad_encoding stray_quote bad_date bad_number bad_bsn unknown_code \
	    out_of_range missing_required routing duplicate_key; do
	n=$(grep -c ",$kind\$" want.dirty)
	ok_if "dirty.csv has rows of kind $kind ($n), so that kind is tested" [ "$n" -gt 0 ]
done

# --- rows in = rows out + rows rejected, per file ------------------------------------
i=0
for f in $files; do
	i=$((i + 1))
	rows_in=$(($(wc -l < "w/$f") - 1))
	rows_out=$(awk -v s="$i" '/^#schema / { n++; getline; next } n == s { c++ } END { print c + 0 }' out.txt)
	rows_rej=$(grep -c "^w/$f,\|^$f," rej.txt || true)
	same_line "$f: $rows_in rows in = $rows_out out + $rows_rej rejected" "$rows_in" "$((rows_out + rows_rej))"
	has_text "$f: counts on stderr" err "^ingest: $f: ${f%.csv}: $rows_in rows read, $rows_out written, $rows_rej rejected"
done

# --- privacy -------------------------------------------------------------------------
python3 - w/cwi_aanvragen.csv w/uwv_overdracht.csv w/uitkeringen.csv w/steekproef.csv > bsns <<'PY' || echo "not ok - the input's BSNs: the Python that lists them stopped before its end"
import sys
seen = set()
for path in sys.argv[1:]:
    lines = open(path, "rb").read().split(b"\n")
    head = lines[0].strip(b"\r\xef\xbb\xbf").split(b";")
    col = head.index(b"bsn")
    for line in lines[1:]:
        parts = line.rstrip(b"\r").split(b";")
        if len(parts) > col:
            v = parts[col].decode("latin-1").strip('"')
            if len(v) >= 7:
                seen.add(v)
                if len(v) == 8:
                    seen.add("0" + v)
print("\n".join(sorted(seen)))
PY
ok_if "the input has BSNs to look for ($(wc -l < bsns))" [ "$(wc -l < bsns)" -gt 1000 ]
same_line "no input BSN in the output" 0 "$(grep -c -F -f bsns out.txt)"
same_line "no input BSN in the reject stream" 0 "$(grep -c -F -f bsns rej.txt)"

# --- pseudonyms ----------------------------------------------------------------------
awk '/^#schema / { s = $2; getline; next } s == "sample/1" { split($0, a, ","); print a[2] }' out.txt | sort -u > keys.sample
awk '/^#schema / { s = $2; getline; next } s == "application/1" { split($0, a, ","); print a[1] }' out.txt | sort -u > keys.app
same_line "every sampled person_key is an applicant's (the files link)" 0 "$(comm -23 keys.sample keys.app | wc -l)"
python3 - <<'PY' > keys.python || echo "not ok - python's HMAC of R1's BSNs stopped before its end"
import csv, hmac, hashlib
key = bytes.fromhex(open("w/pseudonym.key").readline().strip())
out = set()
for row in csv.reader(open("w/cwi_aanvragen.csv", encoding="cp1252", errors="replace", newline=""), delimiter=";"):
    b = row[0] if row else ""
    if b.isdigit() and len(b) in (8, 9):
        b = b.zfill(9)
        if sum((9 - i) * int(b[i]) for i in range(8)) % 11 == int(b[8]) % 11 and int(b) != 0:
            out.add(hmac.new(key, b.encode(), hashlib.sha256).hexdigest()[:32])
print("\n".join(sorted(out)))
PY
same_line "application person_keys = python's HMAC of R1's valid BSNs" 0 "$(comm -3 keys.app keys.python | wc -l)"
# synth's own truth per sampled person: respnr, person_key, stratum, inclusion_prob
python3 - > want.sample <<'PY' || echo "not ok - synth's truth per sampled person: the Python stopped before its end"
import csv
for r in csv.DictReader(open("w/truth-persons.csv", encoding="utf-8", newline="")):
    print(",".join([r["respnr"], r["person_key"], r["stratum"], r["inclusion_prob"]]))
PY
sort want.sample -o want.sample
awk '/^#schema / { s = $2; getline; next } s == "sample/1"' out.txt | python3 -c '
import csv, sys
for r in csv.reader(sys.stdin):
    print(",".join([r[0], r[1], r[3], r[4]]))' | sort > got.sample
ok_if "the sample has rows ($(wc -l < got.sample))" [ "$(wc -l < got.sample)" -gt 500 ]
same_text "sample/1 = synth's truth-persons (respnr, person_key, stratum, inclusion_prob)" want.sample got.sample
cd w || exit 1
# shellcheck disable=SC2086
ingest --key-file pseudonym.key --max-reject-rate 1 $files 2>/dev/null | gzip -dc > ../again.txt
printf '%s\n' 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff > ../other.key
chmod 600 ../other.key
# shellcheck disable=SC2086
ingest --key-file ../other.key --max-reject-rate 1 $files 2>/dev/null | gzip -dc > ../other.txt
cd .. || exit 1
same_text "a second run with the same key: identical output" out.txt again.txt
awk '/^#schema / { s = $2; getline; next } s == "application/1" { split($0, a, ","); print a[1] }' other.txt | sort -u > keys.other
same_line "another key: as many distinct pseudonyms" "$(wc -l < keys.app)" "$(wc -l < keys.other)"
same_line "another key: none of them the same" 0 "$(comm -12 keys.app keys.other | wc -l)"
done_testing
