#!/usr/bin/env bash
# ingest on 1 million applications (R1 cwi_aanvragen, Windows-1252, CRLF) against
# `iconv -f cp1252 -t utf-8 FILE | gzip -1` on the same file in the same run: MB/s of raw
# input, the ratio, and peak memory (also on a tenth of the file: memory must not grow).
# The file: synth's R1 when bin/synth is there (its first BENCH_ROWS rows), otherwise an
# awk-made R1 with valid BSNs and the same columns. BENCH_ROWS (default 1 000 000).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/ingest; mkdir -p "$dir"
rows=${BENCH_ROWS:-1000000}
[ "${BENCH_SIZE:-}" = small ] && rows=100000
f=$dir/cwi_aanvragen-$rows.csv
key=$dir/pseudonym.key
if [ ! -s "$f" ]; then
	if command -v synth >/dev/null 2>&1; then
		source_note="synth's R1 (first $rows rows of --persons $rows --seed 1)"
		rm -rf "$dir/world"
		synth --persons "$rows" --seed 1 --out "$dir/world" >/dev/null
		head -n $((rows + 1)) "$dir/world/cwi_aanvragen.csv" > "$f.tmp"
		cp "$dir/world/pseudonym.key" "$key"
		rm -rf "$dir/world"
	else
		source_note="awk-made R1 (bin/synth not built)"
		awk -v n="$rows" 'BEGIN {
			srand(1)
			printf "bsn;geboortedatum;geslacht;herkomst;opleiding;aanvraagdatum;uitkering;fase;beslissing;beslisdatum;overdracht_datum;vestiging\r\n"
			split("A A A A A W N N", herkomst, " ")
			for (i = 1; i <= n; i++) {
				do {   # 8 random digits and the check digit of the 11-check
					s = 0; b = ""
					for (k = 0; k < 8; k++) { d = int(rand() * 10); b = b d; s += (9 - k) * d }
					c = s % 11
				} while (c == 10)
				b = b c
				if (substr(b, 1, 1) == "0" && rand() < 0.5) b = substr(b, 2)   # a lost leading 0
				ww = rand() < 0.6
				dec = rand() < 0.9 ? "T" : (rand() < 0.5 ? "A" : "")
				ad = sprintf("%02d-%02d-2006", 1 + int(rand() * 28), 3 + int(rand() * 2))
				bd = dec == "" ? "" : sprintf("%02d-%02d-2006", 1 + int(rand() * 28), 4 + int(rand() * 2))
				od = rand() < 0.7 ? sprintf("%02d-%02d-2006", 1 + int(rand() * 28), 4 + int(rand() * 3)) : ""
				printf "%s;%02d-%02d-%d;%s;%s;%d;%s;%s;%d;%s;%s;%s;%04d\r\n", b,
					1 + int(rand() * 28), 1 + int(rand() * 12), 1941 + int(rand() * 47),
					rand() < 0.5 ? "M" : "V", herkomst[1 + int(rand() * 8)],
					rand() < 0.05 ? 9 : 1 + int(rand() * 4), ad, ww ? "WW" : "WWB",
					1 + int(rand() * 4), dec, bd, od, 1 + int(rand() * 9999)
			}
		}' > "$f.tmp"
		printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > "$key"
	fi
	mv "$f.tmp" "$f"
	echo "$source_note" > "$f.source"
fi
chmod 600 "$key"
head -n $((rows / 10 + 1)) "$f" > "$dir/tenth.csv"
bytes=$(wc -c < "$f")
# wall seconds, CPU seconds (user + sys, children included), peak RSS in KB
t() { /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
      awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"; }
ing="ingest --key-file '$key' --max-reject-rate 1"
read -r t_base1 c_base1 _ < <(t sh -c "iconv -f cp1252 -t utf-8 '$f' | gzip -1 > /dev/null")
read -r t_ing c_ing m_ing < <(t sh -c "$ing '$f' > /dev/null")
read -r t_plain c_plain m_plain < <(t sh -c "REC_LEVEL=0 $ing '$f' > /dev/null")
read -r t_pipe c_pipe _ < <(t sh -c "REC_LEVEL=0 $ing '$f' | gzip -1 > /dev/null")
read -r t_base2 c_base2 _ < <(t sh -c "iconv -f cp1252 -t utf-8 '$f' | gzip -1 > /dev/null")
read -r _ _ m_tenth < <(t sh -c "$ing '$dir/tenth.csv' > /dev/null")
read -r t_iconv c_iconv _ < <(t sh -c "iconv -f cp1252 -t utf-8 '$f' > /dev/null")
out_bytes=$(REC_LEVEL=0 ingest --key-file "$key" --max-reject-rate 1 "$f" 2>/dev/null | wc -c)
if awk -v a="$t_base1" -v b="$t_base2" 'BEGIN { exit !(a <= b) }'; then t_base=$t_base1 c_base=$c_base1; else t_base=$t_base2 c_base=$c_base2; fi
echo "### ingest: $rows applications (R1), $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB raw; $(cat "$f.source")"
echo
echo "| command | wall s | MB/s of raw input | ratio to iconv \| gzip -1 (wall) | CPU s | ratio (CPU) | peak RSS |"
echo "|---|---|---|---|---|---|---|"
# the command through the environment: awk -v would read its '\|' (a pipe inside a table
# cell) as an escape sequence and warn
row() { ROW_CMD="$1" awk -v s="$2" -v g="$t_base" -v cpu="$3" -v gc="$c_base" -v b="$bytes" -v m="$4" 'BEGIN {
	printf "| %s | %.2f | %.0f | %.2f | %.2f | %.2f | %s |\n", ENVIRON["ROW_CMD"], s, b / 1e6 / s, s / g, cpu, cpu / gc, m }'; }
row 'iconv -f cp1252 -t utf-8 FILE \| gzip -1 (faster of two runs)' "$t_base" "$c_base" "-"
row 'iconv -f cp1252 -t utf-8 FILE (alone)' "$t_iconv" "$c_iconv" "-"
row 'ingest --key-file K FILE (gzip -1 out, the default)' "$t_ing" "$c_ing" "$((m_ing / 1024)) MB"
row 'REC_LEVEL=0 ingest --key-file K FILE (plain out)' "$t_plain" "$c_plain" "$((m_plain / 1024)) MB"
row 'REC_LEVEL=0 ingest --key-file K FILE \| gzip -1' "$t_pipe" "$c_pipe" "-"
echo
echo "Peak RSS on a tenth of the file: $((m_tenth / 1024)) MB (R1 keeps no per-row state)."
echo "ingest's output is $(awk -v o="$out_bytes" -v i="$bytes" 'BEGIN { printf "%.2f", o / i }') times its input in bytes (a 32-hex person_key for a 9-digit"
echo "BSN, words for codes, ISO dates, source_line), so its gzip -1 has more to compress than"
echo "the baseline's. CPU s include both processes of a pipe; a shared machine makes wall"
echo "seconds noisy, so both ratios are shown."
