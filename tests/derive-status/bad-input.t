#!/usr/bin/env bash
# Bad input and bad usage: the exact message (file, line, field) and exit code of each.
# Values are checked by the library against schemas/person-1.schema (issue 16): the
# messages are rec-check's words for the same value.
source "$KETEN_ROOT/tests/lib/tap.sh"
T=$KETEN_ROOT/tests/derive-status
export REC_LEVEL=0

bad() {  # description, the person (derive.py syntax), expected message
	printf 'p01 %s\n' "$2" > p.txt
	python3 "$T/derive.py" mkinput p.txt > p.csv
	expect_exit 1 "$1: exit 1" derive-status p.csv
	same_line "$1: message" "$3" "$(cat err)"
}
bad "born after the application" "birth_date=2007-01-01" \
	"derive-status: p.csv:3: birth_date: age at application outside 0..120: 2007-01-01"
bad "a spell ending before it starts" "spell_start=2006-04-01 spell_end=2006-03-01 extract_date=2007-01-01" \
	"derive-status: p.csv:3: spell_end: before spell_start: 2006-03-01"
bad "a running spell without an extract date" "spell_start=2006-04-01" \
	"derive-status: p.csv:3: extract_date: missing for a running spell"
bad "a bool that is not 0/1" "w2_looking=2" \
	"derive-status: p.csv:3: w2_looking: not a boolean (0 or 1): 2"
bad "a health score out of range" "w1_health=7" \
	"derive-status: p.csv:3: w1_health: out of range [1,5]: 7"
bad "an unknown obligation code" "w2_obligation=maybe" \
	"derive-status: p.csv:3: w2_obligation: not one of the codes of w2_obligation: maybe"
bad "a phase out of range" "phase=5" \
	"derive-status: p.csv:3: phase: out of range [1,4]: 5"
bad "hours out of the schema's range" "w3_search_hours=98" \
	"derive-status: p.csv:3: w3_search_hours: out of range [0,97]: 98"
bad "a date that does not exist" "spell_start=2006-02-29 extract_date=2007-01-01" \
	"derive-status: p.csv:3: spell_start: not a date (yyyy-mm-dd): 2006-02-29"

# a section of another schema (link-waves' input: a stage skipped)
expect_exit 1 "a section derive-status does not read: exit 1" derive-status "$KETEN_ROOT/tests/link-waves/data/ho.csv"
same_line "... message" "derive-status: $KETEN_ROOT/tests/link-waves/data/ho.csv:2: unexpected section handover_uwv/1: derive-status reads person/1 or cohort_person/1" "$(cat err)"

printf 'p01\n' > p.txt
python3 "$T/derive.py" mkinput p.txt | gzip -c | head -c 100 > cut.gz
expect_exit 1 "a truncated gzip stream: exit 1" derive-status cut.gz
has_text "... named as truncated" err '^derive-status: cut\.gz:[0-9]+: truncated gzip stream'

usage() {  # option..., expected first line
	local want=${*: -1}
	expect_exit 2 "${*:1:$#-1}: exit 2" derive-status "${@:1:$#-1}"
	same_line "${*:1:$#-1}: message" "$want" "$(head -1 err)"
}
usage --h1-wave 3 "derive-status: --h1-wave: 1 or 2: 3"
usage --age-classes 25,35,45 "derive-status: --age-classes: four increasing ages in 1..120, as 25,35,45,55: 25,35,45"
usage --age-classes 25,35,35,55 "derive-status: --age-classes: four increasing ages in 1..120, as 25,35,45,55: 25,35,35,55"
usage --large-phase 5 "derive-status: --large-phase: a phase 1..4: 5"
usage --on-benefit-source both "derive-status: --on-benefit-source: registry or survey: both"
usage --month-end roll "derive-status: --month-end: clamp or next: roll"
usage --nope "derive-status: unknown option '--nope'"
usage --h1-wave "derive-status: option '--h1-wave' needs a value"

expect_exit 0 "--version" derive-status --version
same_line "... prints name and version" "derive-status ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help" derive-status --help
for o in --age-classes --large-phase --on-benefit-source --month-end --h1-wave person/1 person_status/1 \
	 "default 25,35,45,55" "default 3" "registry \(default\)" "clamp \(default" "default 2" Example; do
	has_text "--help mentions $o" out "$o"
done
done_testing
