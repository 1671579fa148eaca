#!/usr/bin/env bash
# rec-check on real command lines: reports, pass-through, and each problem's exact message.
. "$KETEN_ROOT/tests/lib/tap.sh"

printf '#schema sample/1\nrespondent_id,person_key,source_line,stratum,inclusion_prob\nr1,00000000000000000000000000000001,2,"Fryslân, noord",0.5\nr2,00000000000000000000000000000002,3,x,0.25\n' > good.csv
gzip -c good.csv > good.gz
cat good.gz good.gz > two.gz

expect_exit 0 "a valid plain stream passes" rec-check good.csv
same_text "it reports the section and the count" <(printf 'good.csv: sample/1: 2 records (lines 1-4)\ngood.csv: ok: 1 sections, 2 records\n') out

expect_exit 0 "two gzip members read as one stream" rec-check two.gz
same_line "both sections counted" "two.gz: ok: 2 sections, 4 records" "$(tail -1 out)"

rec-check --pass -q < two.gz > passed.gz 2> err; rc=$?
same_line "--pass exits 0 on a valid stream" 0 "$rc"
ok_if "--pass copies the bytes unchanged" cmp -s two.gz passed.gz
same_line "--pass -q prints nothing" "" "$(cat err)"

head -c 40 good.gz > cut.gz
rec-check --pass < cut.gz > passed.gz 2> err; rc=$?
same_line "a truncated stream in --pass mode exits 1" 1 "$rc"
same_line "with the message" "rec-check: stdin:1: truncated gzip stream (it ends inside a member)" "$(cat err)"

printf '#schema sample/1\nrespondent_id,person_key,source_line,stratum,inclusion_prob\nr1,00000000000000000000000000000001,2,x,0.5\nr2,00000000000000000000000000000002,3,x\n' > short.csv
expect_exit 1 "a record with too few fields fails" rec-check short.csv
same_line "naming the line" "rec-check: short.csv:4: wrong number of fields: 4, sample/1 has 5" "$(cat err)"

printf '#schema sample/1\nrespondent_id,person_key,source_line,stratum,inclusion_prob\nr1,00000000000000000000000000000001,2,x,1.5\n' > range.csv
expect_exit 1 "a value out of its schema's range fails" rec-check range.csv
same_line "naming line and field" "rec-check: range.csv:3: inclusion_prob: out of range [0,1]: 1.5" "$(cat err)"
expect_exit 0 "--structure does not check values" rec-check --structure range.csv

printf '#schema sample/1\nrespondent_id,person_key,source_line,stratum,inclusion_prob\n,00000000000000000000000000000001,2,x,0.5\n' > req.csv
expect_exit 1 "a missing required value fails" rec-check req.csv
same_line "naming the field" "rec-check: req.csv:3: respondent_id: missing required value" "$(cat err)"

printf '#schema sample/2\nx\n' > unknown.csv
expect_exit 1 "an unknown schema version fails" rec-check unknown.csv
same_line "with its name" "rec-check: unknown.csv:1: unknown schema 'sample/2' (not in schemas/ nor REC_SCHEMA_PATH)" "$(cat err)"

# A schema declared by a user for their own stage, through REC_SCHEMA_PATH.
mkdir myschemas
printf 'schema mine/1\n# my own stage\nx int[0,9] req a digit\ny text opt anything\n' > myschemas/mine-1.schema
printf '#schema mine/1\nx,y\n3,a\n' > mine.csv
expect_exit 1 "without REC_SCHEMA_PATH a user's schema is unknown" rec-check mine.csv
REC_SCHEMA_PATH=$PWD/myschemas expect_exit 0 "with REC_SCHEMA_PATH it is known" rec-check mine.csv
REC_SCHEMA_PATH=$PWD/myschemas expect_exit 0 "--describe shows a schema" rec-check --describe mine/1
has_text "the description lists the fields with type and meaning" out '^  x +req  int\[0,9\]: a digit$'
expect_exit 0 "--list lists the built-in schemas" rec-check --list
ok_if "every file in schemas/ is listed" test "$(grep -c . out)" -eq "$(ls "$KETEN_ROOT"/schemas/*.schema | wc -l)"
expect_exit 2 "an unknown option is a usage error" rec-check --bogus
has_text "that points to --help" err "Try 'rec-check --help'"
expect_exit 0 "--help works" rec-check --help
has_text "--help shows an example" out 'Examples:'
expect_exit 1 "a missing file fails" rec-check no-such-file.gz
same_line "with the system's reason" "rec-check: no-such-file.gz: cannot open: No such file or directory" "$(cat err)"
done_testing
