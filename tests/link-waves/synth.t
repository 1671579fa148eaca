#!/usr/bin/env bash
# link-waves on a synth world (ingest's output, clean and with --dirty rows):
# - account.py recomputes, independently, who is in the population, each person's index
#   application, counts, sample and wave flags, and checks that every input person and
#   every wave row is either in person/1 or in unlinked/1, and the counts on stderr;
# - the output is byte-identical whatever the order of the sections: ingest's stream is
#   split per section and cat in reverse and in a shuffled order.
# (The population counts against truth.csv are checked in tests/derive-status/synth.t.)
source "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=0
for need in synth ingest; do
	if ! command -v "$need" >/dev/null; then echo "not ok - $need is not built"; exit 0; fi
done
raw="cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3"

world() {  # name, synth options...
	local w=$1; shift
	synth --persons 20000 --sample 3000 --out "$w" "$@" > /dev/null 2>&1 || return 1
	chmod 600 "$w/pseudonym.key"
	ingest --key-file "$w/pseudonym.key" --max-reject-rate 1 $(for r in $raw; do echo "$w/$r.csv"; done) \
		2> /dev/null > "$w.sections.csv"
}

for w in clean dirty; do
	case $w in clean) opts="--seed 21" ;; dirty) opts="--seed 22 --dirty 0.03" ;; esac
	ok_if "$w world: synth and ingest run" world $w $opts
	expect_exit 0 "$w world: link-waves runs" link-waves --unlinked $w.unl.csv $w.sections.csv
	mv out $w.person.csv; mv err $w.err
	python3 "$KETEN_ROOT/tests/link-waves/account.py" $w.sections.csv $w.person.csv $w.unl.csv $w.err > $w.acc
	for c in persons respondents population index stderr; do
		line=$(grep " $c" $w.acc)
		same_line "$w world: $c" "ok $c" "$line"
	done

	# order independence: one file per section, cat in other orders
	awk -v p="$w.part" '/^#schema /{ n++ } { print > (p n) }' $w.sections.csv
	n=$(ls $w.part* | wc -l)
	same_line "$w world: ingest wrote seven sections" 7 "$n"
	cat $(ls $w.part* | sort -r) > $w.rev.csv
	cat $w.part3 $w.part6 $w.part1 $w.part7 $w.part4 $w.part2 $w.part5 > $w.shuf.csv
	for o in rev shuf; do
		link-waves --unlinked $w.$o.unl.csv $w.$o.csv 2>/dev/null > $w.$o.person.csv
		ok_if "$w world: sections in $o order give the same person/1" cmp -s $w.person.csv $w.$o.person.csv
		ok_if "$w world: ... and the same unlinked/1" cmp -s $w.unl.csv $w.$o.unl.csv
	done
done
done_testing
