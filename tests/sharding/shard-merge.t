#!/usr/bin/env bash
# shard and rec-merge on small hand-made streams, checked with awk/sort, not with our reader.
. "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=0

# An ingest-like stream: 6 persons with applications, 4 of them sampled, wave rows for 3 of
# those plus one respondent who is not in the sample. Keys are hex32: a1 and 30 zeros, ...
Z=000000000000000000000000000000
{
	echo '#schema application/1'
	echo 'person_key,source_line,birth_date,sex,origin,education,application_date,benefit,phase,decision,decision_date,cwi_handover_date,office'
	for k in a1 b2 c3 d4 e5 f6; do
		k=$k$Z
		echo "$k,2,1970-01-01,male,native,,2006-03-10,ww,1,granted,2006-03-20,,0001"
	done
	echo "c3$Z,8,1970-01-01,male,native,,2006-05-10,ww,1,refused,2006-05-20,,0001"
	echo '#schema sample/1'
	echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
	echo "R1,a1$Z,2,s,0.5"; echo "R2,c3$Z,3,s,0.5"; echo "R3,d4$Z,4,s,0.25"; echo "R4,f6$Z,5,s,0.25"
	echo '#schema wave1/1'
	grep -v '^#\|^schema' "$KETEN_ROOT/schemas/wave1-1.schema" | awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 } END { print "" }'
	for r in R1 R3 R4 R9; do
		printf '%s,%s' "$r" 2; for i in $(seq 3 23); do printf ','; done; echo
	done
} > in.csv
ok_if "the hand-made input is a valid stream" rec-check -q in.csv

expect_exit 0 "shard -n 3 splits it" shard -n 3 -o part in.csv
ok_if "three shards written" test -s part.0.gz -a -s part.1.gz -a -s part.2.gz
total_in=$(grep -vc '^#' in.csv)
total_out=$(for i in 0 1 2; do gzip -dcf part.$i.gz | grep -vc '^#'; done | awk '{ s += $1 } END { print s }')
same_line "no row lost or doubled (header lines included: 3 per shard)" $((total_in + 2 * 3)) "$total_out"
for i in 0 1 2; do
	same_line "shard $i has every section in order" "application/1 sample/1 wave1/1" "$(gzip -dcf part.$i.gz | awk '/^#schema/ { printf "%s%s", s, $2; s = " " }')"
done
# Each person's application and sample rows, and the sample's respondents' wave rows, share a shard.
for i in 0 1 2; do gzip -dcf part.$i.gz | awk -v s=$i -F, '/^#schema/ { sec = $0; getline; next } { print s, sec, $1, $2 }'; done > where.txt
ok_if "every person's rows are in one shard" awk '
	$3 == "application/1" || $3 == "sample/1" { k = ($3 == "application/1") ? $4 : $5; if (k in at && at[k] != $1) bad = 1; at[k] = $1 }
	$3 == "sample/1" { resp[$4] = $1 }
	$3 == "wave1/1" { w[$4] = $1 }
	END { for (r in w) if (r in resp && resp[r] != w[r]) bad = 1; exit bad }' where.txt
same_line "a respondent not in the sample goes to shard 0" "0" "$(awk '$3 == "wave1/1" && $4 == "R9" { print $1 }' where.txt)"
expect_exit 2 "shard refuses stdin (it reads its input twice)" shard -n 2 -o x -
expect_exit 2 "shard needs a number of shards" shard -n 0 -o x in.csv

# rec-merge: two sorted sample/1 streams into one, compared with sort's answer. Keys are
# hex32 (K 3 = 31 zeros and a 3); equal keys inside one input keep its order.
K() { printf '%032d' "$1"; }
{ echo '#schema sample/1'; echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
  echo "R1,$(K 1),2,s,0.5"; echo "R2,$(K 3),3,s,0.5"; echo "R3,$(K 3),4,first,0.5"; echo "R4,$(K 9),5,s,0.5"; } > m1.csv
{ echo '#schema sample/1'; echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
  echo "R5,$(K 2),2,s,0.5"; echo "R6,$(K 4),3,second,0.5"; echo "R7,$(K 5),4,\"quoted, field\",0.5"; } > m2.csv
gzip -c m2.csv > m2.gz
expect_exit 0 "rec-merge merges two sorted streams" rec-merge --key person_key m1.csv m2.gz
{ head -2 m1.csv; { tail -n +3 m1.csv | sed 's/^/1 /'; tail -n +3 m2.csv | sed 's/^/2 /'; } |
  awk '{ line = substr($0, 3); split(line, f, ","); print f[2] "\t" $1 "\t" NR "\t" line }' | sort -t "$(printf '\t')" -k1,1 -k2,2n -k3,3n | cut -f4; } > want.csv
gzip -dcf out > got.csv
same_text "the merged stream is the sort of both, equal keys in input order" want.csv got.csv
{ echo '#schema sample/1'; echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
  echo "R1,$(K 2),2,s,0.5"; echo "R2,$(K 1),3,s,0.5"; } > unsorted.csv
expect_exit 1 "an unsorted input is an error" rec-merge --key person_key m1.csv unsorted.csv
same_line "naming file, line and key" "rec-merge: unsorted.csv:4: person_key: not sorted: $(K 1) comes after $(K 2)" "$(cat err)"
# issue 17: the same shard twice doubled every person with exit 0
expect_exit 1 "the same shard given twice is an error" rec-merge --key person_key m1.csv m2.gz m1.csv
same_line "naming the second file, its line, the key and the first file" \
	"rec-merge: m1.csv:3: person_key: $(K 1) is in m1.csv too: a shard given twice? (each person is in one shard)" "$(cat err)"
same_line "... and writing nothing" 0 "$(wc -c < out)"
{ echo '#schema sample/1'; echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
  echo "R8,$(K 6),2,s,0.5"; echo "R9,$(K 9),3,s,0.5"; } > m3.csv
expect_exit 1 "one person in two shards is an error" rec-merge --key person_key m1.csv m2.gz m3.csv
same_line "naming the key and both files" \
	"rec-merge: m3.csv:4: person_key: $(K 9) is in m1.csv too: a shard given twice? (each person is in one shard)" "$(cat err)"
{ echo '#schema sample/1'; echo 'respondent_id,person_key,source_line,stratum,inclusion_prob'
  echo "R8,$(K 6),2,s,0.5"; echo "R9,K9,3,s,0.5"; } > badkey.csv
expect_exit 1 "a person_key that is not hex32 is an error (the key is read through its getter)" rec-merge --key person_key m1.csv badkey.csv
same_line "... with the schema's message" "rec-merge: badkey.csv:4: person_key: not 32 lowercase hex digits: K9" "$(cat err)"
printf '#schema handover_uwv/1\nperson_key,source_line,received_date,phase_uwv\n%s,2,2006-03-01,1\n' "$(K 1)" > other.csv
expect_exit 1 "inputs of different schemas are an error" rec-merge --key person_key m1.csv other.csv
expect_exit 1 "a key that is not a field is an error" rec-merge --key nope m1.csv
expect_exit 2 "--key is required" rec-merge m1.csv
done_testing
