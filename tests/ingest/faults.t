#!/usr/bin/env bash
# One test per fault kind: a good row then one bad row (data/faults.tsv), each must be
# rejected with the exact line, raw column and reason, the good row written, the count on
# stderr, and exit 1 (1 of 2 rows rejected is above the default --max-reject-rate 0.05).
source "$KETEN_ROOT/tests/lib/tap.sh"
data=$KETEN_ROOT/tests/ingest/data
cp "$data/test.key" key && chmod 600 key
n=0
while IFS=$'\t' read -r base field reason row; do
	case $base in ''|'#'*) continue ;; esac
	n=$((n + 1))
	mkdir -p "c$n" && cd "c$n" || exit 1
	eol='\n'
	head -n 1 "$data/$base" | grep -q $'\r$' && eol='\r\n'
	head -n 2 "$data/$base" > "$base"
	# shellcheck disable=SC2059
	printf "$row$eol" >> "$base"
	[ "$field" = - ] && field=
	d="$base: $reason${field:+ in $field}"
	expect_exit 1 "$d: exit 1" ingest --key-file ../key --rejects rej.gz "$base"
	same_line "$d: line, field, reason" "3,$field,$reason" "$(zcat_any rej.gz | tail -n +3 | cut -d, -f3-5)"
	same_line "$d: one reject row" 1 "$(zcat_any rej.gz | tail -n +3 | wc -l)"
	same_line "$d: the good row is written" "2" "$(zcat_any out | awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "source_line") c = i } NR > 2 { print $c }')"
	has_text "$d: counted on stderr" err ": 2 rows read, 1 written, 1 rejected: $reason 1\$"
	cd .. || exit 1
done < "$data/faults.tsv"
same_line "every case of faults.tsv ran" 61 "$n"
done_testing
