#!/usr/bin/env bash
# ingest on the hand-made raw files of data/ (see data/make-data.sh): exact output per kind,
# encodings and line ends, the command line, the key file, headers, the reject stream and
# its rate limit. Expected outputs are written by hand in data/expected/*.out, with each
# person_key as {BSN}; pseudo() fills those in with python3's own HMAC-SHA-256, so the
# known answer does not come from the code under test.
source "$KETEN_ROOT/tests/lib/tap.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
cp "$data/other.key" key2 && chmod 600 key2
for f in "$data"/*.csv; do cp "$f" .; done
kinds="cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3"

pseudo() {   # pseudo KEYFILE < template > text
	python3 -c '
import hmac, hashlib, re, sys
key = bytes.fromhex(open(sys.argv[1]).readline().strip())
sys.stdout.write(re.sub(r"\{(\d{9})\}",
    lambda m: hmac.new(key, m.group(1).encode(), hashlib.sha256).hexdigest()[:32], sys.stdin.read()))' "$1"
}

# --- every kind, exactly -------------------------------------------------------------
for k in $kinds; do
	pseudo key < "$data/expected/$k.out" > "want.$k"
	expect_exit 0 "$k: exit 0" ingest --key-file key "$k.csv"
	zcat_any out > "got.$k"
	same_text "$k: output as worked out by hand" "want.$k" "got.$k"
	n=$(($(wc -l < "$k.csv") - 1))
	same_line "$k: counts on stderr" "ingest: $k.csv: $k: $n rows read, $n written, 0 rejected" "$(cat err)"
done

# --- several files: one section each, in the order given -----------------------------
expect_exit 0 "all seven files: exit 0" ingest --key-file key golf3.csv cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv steekproef.csv golf1.csv golf2.csv
zcat_any out > got.all
cat want.golf3 want.cwi_aanvragen want.uwv_overdracht want.uitkeringen want.steekproef want.golf1 want.golf2 > want.all
same_text "all seven files: the sections in command-line order" want.all got.all
same_line "all seven files: one count line per file" 7 "$(grep -c 'rows read' err)"
expect_exit 0 "the same run again" ingest --key-file key golf3.csv cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv steekproef.csv golf1.csv golf2.csv
zcat_any out > got.again
same_text "same input, same key: byte-identical output" got.all got.again

# --- encodings, line ends, stdin -----------------------------------------------------
tr -d '\r' < cwi_aanvragen.csv > lf.csv
expect_exit 0 "R1 with LF line ends: exit 0" ingest --key-file key lf.csv
zcat_any out > got.lf
same_text "R1 with LF line ends reads as with CRLF" want.cwi_aanvragen got.lf
expect_exit 0 "R4 as UTF-8 with a BOM: exit 0" ingest --key-file key steekproef-bom.csv
zcat_any out > got.bom
same_text "R4 as UTF-8 with a BOM reads as the Windows-1252 file" want.steekproef got.bom
has_text "Windows-1252 0xE2 becomes UTF-8 U+00E2" "got.steekproef" '^100001,.*,WW Fryslân,0\.0125$'
has_text "Windows-1252 0x92 becomes UTF-8 U+2019" "got.steekproef" '^100002,.*,WWB ’s-Hertogenbosch,0\.25$'
sed '1s/^\xef\xbb\xbf//' golf2.csv > nobom.csv
expect_exit 0 "golf2 without its BOM: exit 0" ingest --key-file key nobom.csv
zcat_any out > got.nobom
same_text "golf2 without its BOM reads the same" want.golf2 got.nobom
ingest --key-file key < golf1.csv > out 2> err; rc=$?
same_line "stdin: exit 0" 0 "$rc"
zcat_any out > got.stdin
same_text "stdin: the same output" want.golf1 got.stdin
has_text "stdin: counts name stdin" err '^ingest: stdin: golf1: 3 rows read'
expect_exit 0 "'-' reads stdin too" sh -c 'ingest --key-file key - < golf3.csv'
zcat_any out > got.dash
same_text "'-': the same output" want.golf3 got.dash
REC_LEVEL=0 ingest --key-file key golf3.csv > plain
same_text "REC_LEVEL=0 writes the same text uncompressed" want.golf3 plain

# Every Windows-1252 byte that is text (all but the 5 undefined ones, and ; " , which are
# CSV), in R4's stratum: the UTF-8 written must be what iconv makes of the same bytes.
python3 -c '
import sys
b = bytes(c for c in range(0x20, 0x100) if c not in b";\x22," and c not in (0x7f, 0x81, 0x8d, 0x8f, 0x90, 0x9d))
sys.stdout.buffer.write(b"respnr;bsn;stratum;trekkingskans\r\n100001;291417772;" + b + b";0,5\r\n")' > allbytes.csv
expect_exit 0 "every Windows-1252 text byte: exit 0" ingest --key-file key allbytes.csv
sed -n 2p allbytes.csv | cut -d';' -f3 | iconv -f cp1252 -t utf-8 > want.allbytes
zcat_any out | awk -F, 'NR == 3 { print $4 }' > got.allbytes
same_text "every Windows-1252 text byte: as iconv converts it" want.allbytes got.allbytes
# Valid UTF-8 of 2, 3 and 4 bytes passes (a respnr is text): é € U+1F600.
{ head -n 1 golf3.csv; printf '10\303\251\342\202\254\360\237\230\200;15-03-2007;2;12;3;2;;0;2;2;1;2;2;2;2;2;;;;;;;\n'; } > utf8.csv
expect_exit 0 "valid UTF-8 of 2, 3 and 4 bytes: exit 0" ingest --key-file key utf8.csv
same_line "valid UTF-8 of 2, 3 and 4 bytes: kept as it is" "$(printf '10\303\251\342\202\254\360\237\230\200')" "$(zcat_any out | awk -F, 'NR == 3 { print $1 }')"

# Lines across the 1 MiB read buffer, and one line longer than it (2.6 MB of ';': too many
# fields): every row read once, in order.
{ head -n 1 golf1.csv
  awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "%d;20-03-2006;1;1;12;5;1;1;2;2;2;2;2;2;1;2;2;2;2;;3;2\n", 200000 + i }'
  awk 'BEGIN { s = ";;;;;;;;;;"; while (length(s) < 1500000) s = s s; print "300000" s }'
  echo '300001;20-03-2006;1;1;12;5;1;1;2;2;2;2;2;2;1;2;2;2;2;;3;2'
  echo '200005;20-03-2006;1;1;12;5;1;1;2;2;2;2;2;2;1;2;2;2;2;;3;2'; } > big.csv
expect_exit 0 "a 5 MB wave file with a 2.6 MB line: exit 0" ingest --key-file key --rejects rej.gz --max-reject-rate 1 big.csv
has_text "a 5 MB file: every row counted" err 'golf1: 40003 rows read, 40001 written, 2 rejected: wrong_field_count 1, duplicate_key 1$'
same_line "a 5 MB file: rows in order, each once" "$(seq 200001 240000; echo 300001)" "$(zcat_any out | tail -n +3 | cut -d, -f1)"
same_line "a 5 MB file: the long line is line 40002" "40002,,wrong_field_count" "$(zcat_any rej.gz | sed -n 3p | cut -d, -f3-5)"
same_line "a 5 MB file: a respnr of line 6 again after 40000 others is found" "40004,respnr,duplicate_key,respnr already kept from line 6" "$(zcat_any rej.gz | sed -n 4p | cut -d, -f3-6)"

# --- pseudonyms ----------------------------------------------------------------------
expect_exit 0 "another key: exit 0" ingest --key-file key2 cwi_aanvragen.csv
zcat_any out > got.key2
pseudo key2 < "$data/expected/cwi_aanvragen.out" > want.key2
same_text "another key: HMAC under that key" want.key2 got.key2
same_line "another key: every pseudonym differs" 4 \
	"$(paste -d, <(tail -n +3 got.cwi_aanvragen | cut -d, -f1) <(tail -n +3 got.key2 | cut -d, -f1) | awk -F, '$1 != $2' | wc -l)"
r1=$(awk -F, '$2 == 3 {print $1}' got.cwi_aanvragen)   # delivered as 74391501
r3=$(awk -F, '$2 == 3 {print $1}' got.uitkeringen)     # delivered as 074391501
r4=$(awk -F, '$3 == 3 {print $2}' got.steekproef)      # delivered as 74391501
same_line "a lost leading 0: R1's 8 digits link to R3's 9" "$r1" "$r3"
same_line "a lost leading 0: R4 links too" "$r1" "$r4"
same_line "R1 and R2 link: the same key for 291417772" \
	"$(awk -F, '$2 == 2 {print $1}' got.cwi_aanvragen)" "$(awk -F, '$2 == 2 {print $1}' got.uwv_overdracht)"

# --- SPSS codes ----------------------------------------------------------------------
# golf1 line 3: sollicitatieplicht 8 and advies_vacatures 8 are kept as dont_know,
# hulp_solliciteren 9 is missing; line 4: every 8/9, 98/99 and 998/999 is missing.
same_line "8 = dont_know kept, 9 = missing" "dont_know,dont_know,," \
	"$(awk -F, '$2 == 3 {print $9 "," $16 "," $17 ","}' got.golf1)"
same_line "8/9, 98/99, 998/999 become missing" "100003,4,2006-03-25,,,,,,,,,,,,,,,,,,,," "$(awk -F, '$2 == 4' got.golf1)"

# --- command line --------------------------------------------------------------------
expect_exit 2 "no --key-file: exit 2" ingest golf1.csv
has_text "no --key-file: says why" err '^ingest: --key-file is required'
expect_exit 2 "unknown option: exit 2" ingest --key-file key --bogus golf1.csv
expect_exit 2 "--max-reject-rate 1.5: exit 2" ingest --key-file key --max-reject-rate 1.5 golf1.csv
has_text "--max-reject-rate 1.5: message" err "^ingest: --max-reject-rate: not a share between 0 and 1: '1.5'$"
expect_exit 2 "--kind R9: exit 2" ingest --key-file key --kind R9 golf1.csv
has_text "--kind R9: message" err "^ingest: --kind: unknown kind 'R9'"
expect_exit 2 "--rejects -: exit 2" ingest --key-file key --rejects - golf1.csv
expect_exit 0 "--help: exit 0" ingest --help
has_text "--help names the output schemas" out 'wave3/1'
has_text "--help gives the default --max-reject-rate" out 'default 0.05'
expect_exit 0 "--version: exit 0" ingest --version
same_line "--version" "ingest ketenmonitor 0.1" "$(cat out)"

# --- the key file --------------------------------------------------------------------
# A key problem is a refused key: exit 2 and one line naming the key file (ssh's rule).
expect_exit 2 "key file missing: exit 2" ingest --key-file nokey golf1.csv
same_line "key file missing: message" "ingest: nokey: cannot open key file: No such file or directory" "$(cat err)"
printf '0011\n' > short.key; chmod 600 short.key
expect_exit 2 "short key: exit 2" ingest --key-file short.key golf1.csv
same_line "short key: message" "ingest: short.key: key too short: the first line has 4 characters, a key is 64 hex digits (32 bytes)" "$(cat err)"
printf '%s\n' "$(cat key)00" > long.key; chmod 600 long.key
expect_exit 2 "a key of 66 hex digits: exit 2" ingest --key-file long.key golf1.csv
same_line "a key of 66 hex digits: message" "ingest: long.key: bad key: the first line must be 64 hex digits, it has 66 characters" "$(cat err)"
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g > nonhex.key; chmod 600 nonhex.key
expect_exit 2 "non-hex key: exit 2" ingest --key-file nonhex.key golf1.csv
same_line "non-hex key: message" "ingest: nonhex.key: bad key: the first line must be 64 hex digits, character 64 is not one" "$(cat err)"
: > empty.key; chmod 600 empty.key
expect_exit 2 "empty key file: exit 2" ingest --key-file empty.key golf1.csv
has_text "empty key file: message" err '^ingest: empty.key: empty key file'
printf '%s\n' 0000000000000000000000000000000000000000000000000000000000000000 > zero.key; chmod 600 zero.key
expect_exit 2 "an all-zero key: exit 2" ingest --key-file zero.key golf1.csv
same_line "an all-zero key: one line saying so" "ingest: zero.key: key of low entropy: all 32 bytes are zero" "$(cat err)"
printf '%s\n' 4141414141414141414141414141414141414141414141414141414141414141 > same.key; chmod 600 same.key
expect_exit 2 "a key of one byte repeated: exit 2" ingest --key-file same.key golf1.csv
same_line "a key of one byte repeated: one line saying so" "ingest: same.key: key of low entropy: all 32 bytes are 0x41" "$(cat err)"
printf '%s\n' 0102030405060708010203040506070801020304050607080102030405060708 > pattern.key; chmod 600 pattern.key
expect_exit 2 "a key of 8 bytes repeated: exit 2" ingest --key-file pattern.key golf1.csv
has_text "a key of 8 bytes repeated: low entropy, 8 values" err '^ingest: pattern.key: key of low entropy: only 8 different byte values in 32 bytes'
printf '%s\r\nsecond line ignored\n' "$(cat key)" > crlf.key; chmod 600 crlf.key
expect_exit 0 "key with CRLF and a second line: exit 0" ingest --key-file crlf.key golf3.csv
for mode in 644 640 604 660 666; do
	cp key loose.key; chmod $mode loose.key
	expect_exit 2 "a key file of mode $mode is refused: exit 2" ingest --key-file loose.key golf3.csv
	same_line "mode $mode: one line naming the file and its mode, nothing written" \
		"ingest: loose.key: key file mode 0$mode is open to group or others: refused (chmod 600 it)|0" "$(cat err)|$(wc -c < out)"
done
mkdir keydir; chmod 700 keydir
expect_exit 2 "a folder as key file: exit 2" ingest --key-file keydir golf3.csv
has_text "a folder as key file: said so" err '^ingest: keydir: key file is not a regular file$'
cp key ro.key; chmod 400 ro.key
expect_exit 0 "a key file of mode 0400 is used" ingest --key-file ro.key golf3.csv

# --- the key's fingerprint -----------------------------------------------------------
# python3's hashlib: the first 16 hex digits of SHA-256 of the 32 key bytes.
fp() { python3 -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(open(sys.argv[1]).readline().strip())).hexdigest()[:16])' "$1"; }
expect_exit 0 "--key-fingerprint: exit 0" ingest --key-fingerprint --key-file key
same_line "--key-fingerprint: python3's SHA-256 of the key bytes, 16 hex digits" "$(fp key)" "$(cat out)"
expect_exit 0 "--key-fingerprint of another key" ingest --key-fingerprint --key-file key2
same_line "another key: its own fingerprint" "$(fp key2)" "$(cat out)"
ok_if "the two fingerprints differ" test "$(fp key)" != "$(fp key2)"
ok_if "the fingerprint does not show the key" bash -c '! grep -qi "$(cut -c1-16 key)" out'
cp key loose.key; chmod 644 loose.key
expect_exit 2 "--key-fingerprint of a 0644 key: refused too" ingest --key-fingerprint --key-file loose.key
expect_exit 2 "--key-fingerprint with files: usage error" ingest --key-fingerprint --key-file key golf1.csv

# --- headers -------------------------------------------------------------------------
printf 'a;b;c\n1;2;3\n' > odd.csv
expect_exit 1 "header of no kind: exit 1" ingest --key-file key golf1.csv odd.csv
same_line "header of no kind: message" \
	"ingest: odd.csv:1: header matches no raw file kind (cwi_aanvragen, uwv_overdracht, uitkeringen, steekproef, golf1, golf2, golf3); name one with --kind" \
	"$(cat err)"
same_line "header of no kind: nothing written, not even the good file" 0 "$(zcat_any out | wc -c)"
expect_exit 1 "--kind golf2 on a golf3 file: exit 1" ingest --key-file key --kind golf2 golf3.csv
same_line "--kind golf2 on a golf3 file: names the column" "ingest: golf3.csv:1: begeleiding_werk: header: not a column of golf2" "$(cat err)"
expect_exit 0 "--kind R7 on golf3: exit 0" ingest --key-file key --kind R7 golf3.csv
tail -n +2 cwi_aanvragen.csv > nohead.csv
expect_exit 1 "--kind R1 on a file without its header: exit 1" ingest --key-file key --kind R1 nohead.csv
same_line "--kind R1 on a file without its header: the BSN in the message is masked" "ingest: nohead.csv:1: *********: header: not a column of cwi_aanvragen" "$(cat err)"
sed '1s/;huishouden//; 2,$s/;[^;]*$//' golf1.csv > nohh.csv
expect_exit 1 "golf1 without huishouden is not recognised: exit 1" ingest --key-file key nohh.csv
expect_exit 1 "--kind golf1 without huishouden: exit 1" ingest --key-file key --kind golf1 nohh.csv
same_line "--kind golf1 without huishouden: names the column" "ingest: nohh.csv:1: huishouden: header: column missing (a golf1 file has 22 columns)" "$(cat err)"
tr -d '\r' < uwv_overdracht.csv | awk -F';' -v OFS=';' '{t = $2; $2 = $3; $3 = t; printf "%s\r\n", $0}' > swapped.csv
expect_exit 0 "columns in another order: exit 0" ingest --key-file key swapped.csv
zcat_any out > got.swapped
same_text "columns in another order: matched by name" want.uwv_overdracht got.swapped
: > empty.csv
expect_exit 1 "empty file: exit 1" ingest --key-file key empty.csv
same_line "empty file: message" "ingest: empty.csv: empty file: no header line" "$(cat err)"
head -n 1 golf2.csv > hdr.csv
expect_exit 0 "header only: exit 0" ingest --key-file key hdr.csv
same_line "header only: a section without rows" "$(head -n 2 want.golf2)" "$(zcat_any out)"
has_text "header only: counted" err 'golf2: 0 rows read, 0 written, 0 rejected$'

# --- text as delivered: quoted in the stream where CSV needs it ------------------------
# (rec_put_len; the values ingest makes itself - dates, codes, the key - go out unquoted)
{ head -n 1 steekproef.csv
  printf '100009;291417772;"WW, Groningen ""oost""";0,5\r\n'
  printf '#10;74391501;WW;0,5\r\n'
} > quoted.csv
expect_exit 0 "a stratum with a comma and quotes, a respnr starting with #: exit 0" ingest --key-file key quoted.csv
zcat_any out > got.quoted
same_line "the stratum quoted, its quotes doubled" 1 "$(grep -c ',"WW, Groningen ""oost""",' got.quoted)"
same_line "the respnr that starts with # quoted" 1 "$(grep -c '^"#10",' got.quoted)"
expect_exit 0 "the stream reads back" rec-check got.quoted

# --- the reject stream ---------------------------------------------------------------
{ cat steekproef.csv
  printf '100004;631706691;WW overig;0,5\r\n'      # bad_bsn (11-check)
  printf '100001;631706690;WW overig;0,5\r\n'      # duplicate_key
  printf '100005;631706690;"WW overig;0,5\r\n'     # stray_quote
  printf '100006;631706690;WW;overig;0,5\r\n'      # wrong_field_count, BSN still masked
  printf '100007;631706690;Frysl\201n;0,5\r\n'     # bad_encoding
  printf '100008;631706690;WW overig;0,0\r\n'      # out_of_range
} > mixed.csv
cat > want.rej <<'EOT'
#schema reject/1
source,kind,line,field,reason,detail,row
mixed.csv,steekproef,5,bsn,bad_bsn,bsn fails the 11-check,"100004;*********;WW overig;0,5"
mixed.csv,steekproef,6,respnr,duplicate_key,respnr already kept from line 2,"100001;*********;WW overig;0,5"
mixed.csv,steekproef,7,stratum,stray_quote,stray quote: the field is not valid csv quoting,"100005;*********;""WW overig;0,5"
mixed.csv,steekproef,8,,wrong_field_count,"5 fields, expected 4","100006;*********;WW;overig;0,5"
mixed.csv,steekproef,9,stratum,bad_encoding,byte 0x81 at position 23 is not windows-1252 text,"100007;*********;Frysl�n;0,5"
mixed.csv,steekproef,10,trekkingskans,out_of_range,"'0,0' is out of range [0,1] (and must be > 0)","100008;*********;WW overig;0,0"
EOT
echo stale > rej.gz; chmod 644 rej.gz
expect_exit 1 "6 of 9 rows rejected: exit 1" ingest --key-file key --rejects rej.gz mixed.csv
same_line "counts per reason" "ingest: mixed.csv: steekproef: 9 rows read, 3 written, 6 rejected: wrong_field_count 1, bad_encoding 1, stray_quote 1, bad_bsn 1, out_of_range 1, duplicate_key 1" "$(head -n 1 err)"
same_line "the rate limit: the last line names the file, its first refused row and the counts" \
	"ingest: mixed.csv:5: bsn: bsn fails the 11-check (6 of 9 rows rejected, 66.7%, above --max-reject-rate 0.05)" "$(tail -n 1 err)"
zcat_any rej.gz > got.rej
same_text "reject rows: line, field, reason, detail, the row with its BSN masked" want.rej got.rej
same_line "the reject stream is private (0600), even over an existing file" 600 "$(stat -c %a rej.gz)"
same_line "rows in = rows out + rows rejected" 9 "$(($(zcat_any out | tail -n +3 | wc -l) + $(tail -n +3 got.rej | wc -l)))"
same_line "the rejected rows are not in the output" "2 3 4" "$(zcat_any out | tail -n +3 | cut -d, -f3 | tr '\n' ' ' | sed 's/ $//')"
expect_exit 0 "--max-reject-rate 1 disables the limit" ingest --key-file key --rejects rej.gz --max-reject-rate 1 mixed.csv
expect_exit 0 "--keep-bsn: exit 0" ingest --key-file key --rejects rej.gz --keep-bsn --max-reject-rate 1 mixed.csv
same_line "--keep-bsn: the BSN stays in the reject row" '"100004;631706691;WW overig;0,5"' "$(zcat_any rej.gz | awk -F, '$3 == 5 {print $7 "," $8}')"
expect_exit 1 "no --rejects: still counted, still exit 1" ingest --key-file key mixed.csv
has_text "no --rejects: says the rows were not kept" err '^ingest: rejected rows were counted, not kept \(no --rejects\)$'

# The limit is "above": 1 rejected of 20 rows is 0.05 exactly.
{ head -n 2 golf1.csv; for i in $(seq 2 19); do sed -n 2p golf1.csv | sed "s/^100001/1001$(printf %02d "$i")/"; done; sed -n 3p golf1.csv | sed 's/;0;4$/;x;4/'; } > rate.csv
expect_exit 0 "1 of 20 rejected = 0.05: not above the default" ingest --key-file key rate.csv
has_text "1 of 20: counted" err 'golf1: 20 rows read, 19 written, 1 rejected: bad_number 1$'
expect_exit 1 "1 of 20 rejected with --max-reject-rate 0.049: exit 1" ingest --key-file key --max-reject-rate 0.049 rate.csv
expect_exit 1 "a file over the limit fails the run even when others are fine" ingest --key-file key --max-reject-rate 0.049 golf3.csv rate.csv
same_line "the other files are still written" 2 "$(zcat_any out | grep -c '^#schema')"
done_testing
