#!/usr/bin/env bash
# Same seed -> the same bytes in every file; another seed -> other data; the population and
# its truth do not depend on the sample size (the sample and the survey have streams of their own).
. "$KETEN_ROOT/tests/lib/tap.sh"
files="cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv steekproef.csv golf1.csv golf2.csv golf3.csv pseudonym.key truth.csv truth-persons.csv dirty.csv"

synth --persons 15000 --sample 2000 --seed 3 --out a >/dev/null
synth --persons 15000 --sample 2000 --seed 3 --out b >/dev/null
synth --persons 15000 --sample 2000 --seed 4 --out c >/dev/null
synth --persons 15000 --sample 1000 --seed 3 --out d >/dev/null
for f in $files; do
	ok_if "seed 3 twice: $f byte-identical" cmp -s a/$f b/$f
done
for f in $files; do
	[ "$f" = dirty.csv ] && continue   # only its header without --dirty
	ok_if "seed 4: $f differs" bash -c "! cmp -s a/$f c/$f"
done
for f in cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv; do
	ok_if "--sample 1000 vs 2000: registry file $f identical" cmp -s a/$f d/$f
done
grep ',population,' a/truth.csv > pa
grep ',population,' d/truth.csv > pd
same_text "--sample 1000 vs 2000: population rows of truth.csv identical" pa pd
same_line "--sample 1000: 1000 rows in steekproef.csv" 1001 "$(wc -l < d/steekproef.csv | tr -d ' ')"
done_testing
