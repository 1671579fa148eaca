#!/usr/bin/env bash
# synth's raw files read back without the project's code: iconv for the encodings, od/awk for
# BOM and line ends, python3 (check_raw.py) for headers, code lists, dates, 11-check, routing.
. "$KETEN_ROOT/tests/lib/tap.sh"
here=$KETEN_ROOT/tests/synth

expect_exit 0 "synth writes a world" synth --persons 20000 --sample 2500 --seed 7 --out raw
for f in cwi_aanvragen uwv_overdracht uitkeringen steekproef; do
	ok_if "$f.csv: iconv reads it as WINDOWS-1252" iconv -f WINDOWS-1252 -t UTF-8 -o /dev/null raw/$f.csv
	same_line "$f.csv: every line ends in CRLF (awk)" 0 "$(awk '!/\r$/ { n++ } END { print n + 0 }' raw/$f.csv)"
done
for f in golf1 golf2 golf3; do
	ok_if "$f.csv: iconv reads it as UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null raw/$f.csv
	same_line "$f.csv: no CR (LF line ends)" 0 "$(tr -cd '\r' < raw/$f.csv | wc -c)"
done
same_line "golf2.csv starts with a BOM" "ef bb bf" "$(head -c 3 raw/golf2.csv | od -An -tx1 | tr -s ' ' | sed 's/^ //')"
same_line "golf3.csv asks begeleiding_werk, not contacten_werk" "begeleiding_werk" "$(head -1 raw/golf3.csv | tr ';' '\n' | grep -E 'contacten_werk|begeleiding_werk')"
same_line "steekproef.csv has Fryslân in Windows-1252 (byte e2)" 1 "$(grep -c $'Frysl\xe2n' raw/steekproef.csv | awk '{ print ($1 > 0) }')"
has_text "pseudonym.key is one line of 64 hex digits" raw/pseudonym.key '^[0-9a-f]{64}$'
same_line "pseudonym.key has one line" 1 "$(wc -l < raw/pseudonym.key)"
# the person_key in truth-persons.csv is HMAC-SHA-256(key, 9-digit BSN), first 16 bytes, hex
python3 - raw <<'PY' || echo "not ok - truth-persons person_key: the Python check stopped before its end"
import csv, hmac, hashlib, sys
d = sys.argv[1]
key = bytes.fromhex(open(d + "/pseudonym.key").read().strip())
bsn = {}
for line in open(d + "/steekproef.csv", encoding="cp1252", newline="").read().split("\r\n")[1:-1]:
    f = line.split(";")
    bsn[f[0]] = f[1]
bad = [r["respnr"] for r in csv.DictReader(open(d + "/truth-persons.csv"))
       if hmac.new(key, bsn[r["respnr"]].zfill(9).encode(), hashlib.sha256).hexdigest()[:32] != r["person_key"]]
print(("ok" if not bad else "not ok") + " - truth-persons person_key = HMAC-SHA-256 of the BSN under pseudonym.key" + (": %s" % bad[:3] if bad else ""))
PY
python3 "$here/check_raw.py" raw || echo "not ok - check_raw.py: the Python checks stopped before their end"
done_testing
