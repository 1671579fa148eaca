#!/usr/bin/env bash
# On synth data: ingest | link-waves | derive-status reproduces synth's truth exactly:
# the population counts (persons on benefit after 3/6/12 months and in all, per benefit;
# sampled persons and respondents per wave in each) of truth.csv, and every person_status
# column truth-persons.csv gives for each sampled person (ages, classes, days on benefit,
# on_benefit_*, responded_w*, the H1/H2 measures). A clean world and one with --dirty rows
# (which ingest must reject, so the truth does not change).
source "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=1
for need in synth ingest; do
	if ! command -v "$need" >/dev/null; then echo "not ok - $need is not built"; exit 0; fi
done
raw="cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3"

run_world() {  # name, synth options...
	local w=$1; shift
	synth --persons 20000 --sample 3000 --out "$w" "$@" > /dev/null 2>&1 ||
		{ echo "not ok - synth $* failed"; return 1; }
	chmod 600 "$w/pseudonym.key"
	ingest --key-file "$w/pseudonym.key" --max-reject-rate 1 $(for r in $raw; do echo "$w/$r.csv"; done) \
		2> "$w.ingest.log" > "$w.sections.gz" || { echo "not ok - ingest on $w failed"; cat "$w.ingest.log"; return 1; }
	link-waves --unlinked "$w.unlinked.gz" "$w.sections.gz" 2> "$w.link.log" > "$w.person.gz" &&
		derive-status "$w.person.gz" > "$w.status.gz"
}

check_world() {  # name, description
	python3 "$KETEN_ROOT/tests/derive-status/truth.py" "$1.status.gz" "$1/truth.csv" \
		"$1/truth-persons.csv" > "$1.cmp" 2>&1
	same_line "$2: population and respondent counts equal truth.csv (40 counts)" \
		"counts compared: 40 bad 0" "$(grep '^counts compared' "$1.cmp")"
	same_line "$2: every sampled person's derived columns equal truth-persons.csv" \
		"person mismatches: 0" "$(grep '^person mismatches' "$1.cmp")"
	grep -v '^counts compared\|^person' "$1.cmp" | head -10 | sed 's/^/#   /'
}

ok_if "clean world: the chain runs" run_world clean --seed 11
check_world clean "clean world"
ok_if "dirty world (2 % faulty rows): the chain runs" run_world dirty --seed 12 --dirty 0.02
check_world dirty "dirty world"
has_text "dirty world: ingest rejected rows" dirty.ingest.log '[1-9][0-9]* rejected'
done_testing
