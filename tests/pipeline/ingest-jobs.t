#!/usr/bin/env bash
# run --ingest-jobs N: ingest over the raw files in N processes side by side, the first
# part streaming into link-waves and the others into files put after it. The answer is
# known without the code under test: it is the run with one ingest (--ingest-jobs 1, the
# chain as it was), which every output - published files decompressed, ingest's messages,
# per-file counts and record counts - must equal byte for byte, on a dirty world (rejects
# in every file, so the reject streams of the parts are joined too). A part that fails
# must fail the run the way one ingest does: the same one-line reason (the failing file's
# message, naming every file over the reject rate) and the same rejects kept, wherever the
# failing files are (ingest reads every file before it fails on its reject rate).
# What it would catch: parts joined out of order, a reject stream or counts header
# repeated, a part's failure hidden behind another's success, parts cut past the files.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
E2E_PERSONS=6000 E2E_SAMPLE=1500 make_world w --dirty 0.01
chmod 600 w/pseudonym.key

# outputs DIR: every file of the run folder decompressed (not the timings, not the paths)
outputs() {
	local f
	for f in $(cd "$1" && ls | grep -v -e '^logs$' -e '^code.version$'); do
		echo "== $f"
		case $f in
		summary.txt) sed -e '/^eerste-jaar run of/d' -e '/^total wall time/d' "$1/$f" |
				awk '/^stage  /{ skip = 1 } skip && /^$/ { skip = 0 } !skip' ;;
		*) gzip -dcf "$1/$f" ;;
		esac
	done
	for f in ingest.log ingest.counts ingest.count; do echo "== logs/$f"; cat "$1/logs/$f"; done
	awk '$1 == "ingest" { print "== ingest records", $2 }' "$1/logs/../summary.txt"
}
run_jobs() {  # N OUT [WORLD]
	run_pipeline --ingest-jobs "$1" "${3:-w}" "$2" > /dev/null 2> "$2.err"
}
ok_if "--ingest-jobs 1 (one ingest, the reference) runs" run_jobs 1 one
outputs one > one.txt
has_text "... and rejected rows in the dirty world" one/logs/ingest.log '[1-9][0-9]* rejected'
for n in 2 3 7 9; do
	ok_if "--ingest-jobs $n runs" run_jobs "$n" "jobs$n"
	outputs "jobs$n" > "jobs$n.txt"
	same_text "--ingest-jobs $n: every output, ingest's messages and counts as with one ingest" one.txt "jobs$n.txt"
done
# the parts: 7 files in 7 processes (each part one file); 9 asked, 7 made
same_line "--ingest-jobs 7: a process per file" 6 "$(ls jobs7/logs/ingest-*.log | wc -l)"
same_line "--ingest-jobs 9: no more processes than files" 6 "$(ls jobs9/logs/ingest-*.log | wc -l)"
same_line "--ingest-jobs 1: the default" "$(ls one/logs/ingest*.log)" "$(run_pipeline w dflt >/dev/null 2>&1; ls dflt/logs/ingest*.log | sed 's/^dflt/one/')"
same_line "--shards 2: two ingest parts by default (ingest runs alone before the shards)" \
	"dsh/logs/ingest-2.log" "$(run_pipeline --shards 2 w dsh >/dev/null 2>&1; ls dsh/logs/ingest-2.log)"
expect_exit 2 "--ingest-jobs 0 is a usage error" run_pipeline --ingest-jobs 0 w bad
has_text "... said so" err "ingest-jobs: not a number >= 1"

# failures: every date of a file ISO instead of dd-mm-yyyy, so all its rows are refused
iso_dates() {  # FILE: rewrite every dd-mm-yyyy in it
	awk -F';' -v OFS=';' 'NR > 1 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9]/)
		$i = substr($i, 7, 4) "-" substr($i, 4, 2) "-" substr($i, 1, 2) substr($i, 11) } { print }' "$1" > "$1.new" &&
		mv "$1.new" "$1"
}
# the first file (first part), the last (last part), two in different parts (the reason
# names the first and then the other: "; also above it: ...")
for bad in cwi_aanvragen uwv_overdracht cwi_aanvragen.uitkeringen.uwv_overdracht; do
	rm -rf "w-$bad" && cp -a w "w-$bad"
	for f in ${bad//./ }; do iso_dates "w-$bad/$f.csv"; done
	for n in 1 3; do
		expect_exit 1 "$bad refused, --ingest-jobs $n: the run fails" \
			run_pipeline --ingest-jobs "$n" --keep-failed "kept-$bad-$n" "w-$bad" "out-$bad-$n"
		tail -n 1 err > "reason-$bad-$n"
		gzip -dcf "kept-$bad-$n/rejects.rec.gz" > "rejects-$bad-$n"
	done
	has_text "$bad refused: ingest names it" "reason-$bad-1" "stage ingest failed: ingest: w-[a-z_.]*/${bad%%.*}[.]csv:2: .*above --max-reject-rate"
	same_text "$bad refused: --ingest-jobs 3 gives one ingest's reason" "reason-$bad-1" "reason-$bad-3"
	same_text "$bad refused: --ingest-jobs 3 keeps one ingest's rejects" "rejects-$bad-1" "rejects-$bad-3"
	ok_if "$bad refused: no part's stream left behind" test -z "$(find "kept-$bad-3" -name '*.partial')"
done
has_text "three files refused: the reason names the other two" reason-cwi_aanvragen.uitkeringen.uwv_overdracht-1 \
	"also above it: w-[^ ]*/uitkeringen.csv, w-[^ ]*/uwv_overdracht.csv\)$"
done_testing
