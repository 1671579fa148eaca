#!/usr/bin/env bash
# Whole deliveries: a file cut short (no line end after its last line) is refused naming
# the file and line; a Windows-1252 file that holds UTF-8 is refused unless --utf8 names
# its kind; --identify says what each file is without reading rows; --file-counts writes
# the rows per file and R3's latest peildatum. Every expected line is written by hand from
# the files below (data/, see data/make-data.sh), not taken from ingest.
source "$KETEN_ROOT/tests/lib/tap.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
for f in "$data"/*.csv; do cp "$f" .; done
cut_msg="truncated delivery: the last line has no line end (the file was cut short)"

pseudo() {   # pseudo KEYFILE < template > text (as ingest.t: python3's own HMAC)
	python3 -c '
import hmac, hashlib, re, sys
key = bytes.fromhex(open(sys.argv[1]).readline().strip())
sys.stdout.write(re.sub(r"\{(\d{9})\}",
    lambda m: hmac.new(key, m.group(1).encode(), hashlib.sha256).hexdigest()[:32], sys.stdin.read()))' "$1"
}

# --- files cut short -----------------------------------------------------------------
# steekproef.csv's last line is "100003;837783537;WW overig;1\r\n"; the issue's case is a
# decimal cut inside its last field (0,1294117647 read as 0.129411): make that the value.
sed '$s/;1\r$/;0,1294117647\r/' steekproef.csv > full.csv
head -c -6 full.csv > cutfield.csv          # ends "...;0,129411"
expect_exit 1 "a file cut inside its last field: exit 1" ingest --key-file key --max-reject-rate 1 cutfield.csv
same_line "cut inside its last field: one line naming file and line" "ingest: cutfield.csv:4: $cut_msg" "$(cat err)"
same_line "cut inside its last field: the cut value is never written" 0 "$(gzip -dcf out 2>/dev/null | grep -c '0\.129411')"
head -c -2 full.csv > nocrlf.csv            # a whole last row, but no line end after it
expect_exit 1 "a last line without its line end: exit 1" ingest --key-file key nocrlf.csv
same_line "without its line end: the line is named" "ingest: nocrlf.csv:4: $cut_msg" "$(cat err)"
printf 'respnr;bsn;stratum;trekkingskans' > hdrcut.csv
expect_exit 1 "a header without a line end: exit 1" ingest --key-file key hdrcut.csv
same_line "a header without a line end: line 1" "ingest: hdrcut.csv:1: $cut_msg" "$(cat err)"
expect_exit 1 "cut short in the middle of three files: exit 1" ingest --key-file key golf1.csv cutfield.csv golf3.csv
has_text "cut short among others: the cut file is named" err "^ingest: cutfield.csv:4: truncated delivery"
tr -d '\r' < full.csv | head -c -1 > lfcut.csv
expect_exit 1 "an LF file without its last LF: exit 1" ingest --key-file key lfcut.csv
expect_exit 0 "the whole file: exit 0" ingest --key-file key full.csv
same_line "the whole file: 0.1294117647 written whole" 1 "$(gzip -dcf out | grep -c ',WW overig,0\.1294117647$')"

# --- UTF-8 posing as Windows-1252 ----------------------------------------------------
# steekproef.csv is Windows-1252 (0xE2 in "Fryslân", 0x92 in "’s-Hertogenbosch");
# iconv makes the UTF-8 file a supplier might send instead, without a BOM.
iconv -f cp1252 -t utf-8 steekproef.csv > s8.csv
expect_exit 1 "R4 in UTF-8 without a BOM: refused, exit 1" ingest --key-file key s8.csv
same_line "refused: names file, line, field, what would happen and the option" \
	"ingest: s8.csv:2: stratum: declared windows-1252 (steekproef) but the file is utf-8 (2 of 2 lines with non-ascii bytes): 'WW Fryslân' would read as 'WW FryslÃ¢n'; --utf8 steekproef reads it as utf-8" \
	"$(cat err)"
pseudo key < "$data/expected/steekproef.out" > want.steekproef
for opt in steekproef R4 all golf1,R4; do
	expect_exit 0 "--utf8 $opt: exit 0" ingest --key-file key --utf8 "$opt" s8.csv
	gzip -dcf out > got
	same_text "--utf8 $opt: the same sample as the Windows-1252 file gives" want.steekproef got
done
expect_exit 0 "the Windows-1252 file itself: not refused" ingest --key-file key steekproef.csv
expect_exit 1 "--utf8 R4 on the Windows-1252 file: its accented rows are bad_encoding" \
	ingest --key-file key --utf8 R4 --rejects rej.gz steekproef.csv
same_line "--utf8 R4 on Windows-1252: two rows refused as bad_encoding" "2,stratum,bad_encoding 3,stratum,bad_encoding" \
	"$(gzip -dcf rej.gz | tail -n +3 | cut -d, -f3-5 | tr '\n' ' ' | sed 's/ $//')"
# A UTF-8 file with one damaged row is still UTF-8 (2 lines of UTF-8, 1 not): refused.
{ cat s8.csv; printf '100004;631706690;WW Frysl\342n;0,5\r\n'; } > s8bad.csv
expect_exit 1 "UTF-8 with one Windows-1252 row: still refused" ingest --key-file key s8bad.csv
has_text "UTF-8 with one Windows-1252 row: 2 of 3 lines" err '\(2 of 3 lines with non-ascii bytes\)'
# A Windows-1252 file with one UTF-8 row is Windows-1252 (1 line of UTF-8, 2 not).
{ cat steekproef.csv; printf '100004;631706690;WW Frysl\303\242n;0,5\r\n'; } > cpone.csv
expect_exit 0 "Windows-1252 with one UTF-8 row: read as Windows-1252" ingest --key-file key cpone.csv
expect_exit 2 "--utf8 with a kind that is not one: exit 2" ingest --key-file key --utf8 R9 s8.csv
has_text "--utf8 R9: says so" err "^ingest: --utf8: not a list of kinds: 'R9'"

# --- --identify ----------------------------------------------------------------------
: > empty.csv
head -n 1 golf2.csv > hdronly.csv
printf 'a;b;c\r\n1;2;3\r\n' > odd.csv
cat > want.identify <<'EOT'
file,kind,data_rows,final_line_end,encoding,problem_line,problem_field,problem
cwi_aanvragen.csv,cwi_aanvragen,4,yes,ascii,0,,
golf2.csv,golf2,3,yes,utf-8-bom,0,,
steekproef.csv,steekproef,3,yes,not-utf-8,0,,
steekproef-bom.csv,steekproef,3,yes,utf-8-bom,0,,
uitkeringen.csv,uitkeringen,3,yes,ascii,0,,
hdronly.csv,golf2,0,yes,utf-8-bom,0,,
EOT
expect_exit 0 "--identify on good files: exit 0, no key needed" ingest --identify cwi_aanvragen.csv golf2.csv steekproef.csv steekproef-bom.csv uitkeringen.csv hdronly.csv
same_text "--identify: kind, data rows, line end, encoding per file" want.identify out
cat > want.identify2 <<EOT
file,kind,data_rows,final_line_end,encoding,problem_line,problem_field,problem
empty.csv,,0,,,0,,empty file: no header line
odd.csv,,1,yes,ascii,1,,"header matches no raw file kind (cwi_aanvragen, uwv_overdracht, uitkeringen, steekproef, golf1, golf2, golf3); name one with --kind"
cutfield.csv,steekproef,3,no,not-utf-8,4,,$cut_msg
hdrcut.csv,,0,no,ascii,1,,$cut_msg
s8.csv,steekproef,3,yes,utf-8,2,stratum,declared windows-1252 (steekproef) but the file is utf-8 (2 of 2 lines with non-ascii bytes): 'WW Fryslân' would read as 'WW FryslÃ¢n'; --utf8 steekproef reads it as utf-8
nosuch.csv,,0,,,0,,cannot open: No such file or directory
golf1.csv,golf1,3,yes,ascii,0,,
EOT
expect_exit 1 "--identify with problems: exit 1" ingest --identify empty.csv odd.csv cutfield.csv hdrcut.csv s8.csv nosuch.csv golf1.csv
same_text "--identify: each file's first problem, every file still listed" want.identify2 out
same_line "--identify: each problem also on stderr, in ingest's words" \
	"ingest: empty.csv: empty file: no header line|ingest: cutfield.csv:4: $cut_msg|ingest: s8.csv:2: stratum: declared windows-1252 (steekproef) but the file is utf-8 (2 of 2 lines with non-ascii bytes): 'WW Fryslân' would read as 'WW FryslÃ¢n'; --utf8 steekproef reads it as utf-8" \
	"$(sed -n '1p;3p;5p' err | tr '\n' '|' | sed 's/|$//')"
same_line "--identify: one stderr line per problem" 6 "$(wc -l < err)"
expect_exit 0 "--identify --utf8 R4: the UTF-8 sample is no problem" ingest --identify --utf8 R4 s8.csv
same_line "--identify --utf8 R4: its line" "s8.csv,steekproef,3,yes,utf-8,0,," "$(tail -n 1 out)"
expect_exit 0 "--identify --kind R5 on golf1" ingest --identify --kind R5 golf1.csv
expect_exit 2 "--identify without files: exit 2" ingest --identify

# --- --file-counts -------------------------------------------------------------------
# R3 with three extract dates; the latest one (01-08-2007) is on a refused row (bad date),
# so the latest written is 15-07-2007.
{ cat uitkeringen.csv
  printf '%s\r\n' '631706690;WW;01-03-2006;;;15-07-2007' '366258515;WW;31-02-2006;;;01-08-2007'; } > r3.csv
expect_exit 0 "--file-counts: exit 0" ingest --key-file key --max-reject-rate 1 --file-counts counts.csv r3.csv golf1.csv steekproef.csv
cat > want.counts <<'EOT'
file,kind,rows,written,rejected,extract_date
r3.csv,uitkeringen,5,4,1,2007-07-15
golf1.csv,golf1,3,3,0,
steekproef.csv,steekproef,3,3,0,
EOT
same_text "--file-counts: rows, written, rejected per file; R3's latest written peildatum" want.counts counts.csv
printf 'bsn;uitkering;ingangsdatum;einddatum;einde_reden;peildatum\r\n' > "a,b.csv"
expect_exit 0 "--file-counts: a file name with a comma" ingest --key-file key --file-counts counts.csv "a,b.csv"
same_line "--file-counts: the name quoted, no rows, no peildatum" '"a,b.csv",uitkeringen,0,0,0,' "$(tail -n 1 counts.csv)"
mkdir ro && chmod 500 ro
if [ "$(id -u)" != 0 ]; then
	expect_exit 1 "--file-counts into a folder that cannot be written: exit 1" ingest --key-file key --file-counts ro/c.csv golf1.csv
else
	expect_exit 1 "--file-counts into a missing folder: exit 1" ingest --key-file key --file-counts nofolder/c.csv golf1.csv
fi
has_text "--file-counts that cannot be written: said so" err 'c.csv: cannot create: '
done_testing
