#!/usr/bin/env bash
# --accept GATE lets exactly its own case through: for each gate, a delivery that fails that
# gate alone (the same faults as faults.t); accepting any other gate still fails it, with
# the same reason; accepting its own publishes it, and the summary, gates.csv and the
# refresh log say which gate was accepted.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
. "$KETEN_ROOT/tests/pipeline/delivery.sh"
make_deliveries
cp -a reports reports.base
gates="rows reject-rate cells headline-n peildatum extracts"
sed '2s/;1;/;2;/' new/golf1.csv > golf1.changed
replacebin mv

# fault GATE: put into inbox/ the fault that fails GATE alone; sets pattern (the reason)
# and bin (the programs the fault needs).
fault() {
	fresh_inbox
	bin=$KETEN_BIN
	case $1 in
	rows)	head -n $(($(wc -l < new/uwv_overdracht.csv) * 7 / 10)) new/uwv_overdracht.csv > inbox/uwv_overdracht.csv
		pattern="gate rows failed: uwv_overdracht: " ;;
	reject-rate)
		awk -F';' -v OFS=';' 'NR > 1 && NR % 16 == 0 { $2 = "31-02-2006" } { print }' new/uwv_overdracht.csv > inbox/uwv_overdracht.csv
		pattern="stage ingest failed: ingest: inbox/uwv_overdracht.csv:[0-9]+: ontvangstdatum: not a date .*above --max-reject-rate 0.05" ;;
	cells)	awk -F';' -v OFS=';' 'NR > 1 { $4 = "A" } { print }' new/cwi_aanvragen.csv > inbox/cwi_aanvragen.csv
		pattern="gate cells failed: " ;;
	headline-n)
		awk -F';' -v OFS=';' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c["zoekt"] == 1 && NR % 10 < 7 { $c["zoekuren"] = 99 } { print }' \
			new/golf2.csv > inbox/golf2.csv
		pattern="gate headline-n failed: " ;;
	peildatum)
		sed -i 's/;16-04-2007\(\r\{0,1\}\)$/;15-04-2007\1/' inbox/uitkeringen.csv
		pattern="gate peildatum failed: " ;;
	extracts)
		bin=$PWD/replacebin
		pattern="gate extracts failed: golf1.csv: " ;;
	esac
}

for gate in $gates; do
	for other in $gates; do
		[ "$other" != "$gate" ] || continue
		rm -rf reports && cp -a reports.base reports
		fault "$gate"
		KETEN_BIN=$bin check_refused "$gate fault, --accept $other" "$pattern" -- --accept "$other"
	done
	rm -rf reports && cp -a reports.base reports
	fault "$gate"
	was=$(readlink reports/current)
	KETEN_BIN=$bin expect_exit 0 "$gate fault, --accept $gate: published" "$refresh" --accept "$gate" inbox reports
	ok_if "$gate fault, --accept $gate: current moved to the new run" test "$(readlink reports/current)" != "$was" -a -f reports/current/tables.csv
	has_text "$gate fault, --accept $gate: the summary says so" reports/current/summary.txt "^  $gate +ACCEPTED \\(--accept $gate: [0-9]+ of [0-9]+ checks failed\\)$"
	same_line "$gate fault, --accept $gate: only $gate has accepted rows in gates.csv" "$gate" \
		"$(grep ',accepted,' reports/current/gates.csv | cut -d, -f1 | sort -u | tr '\n' ' ' | sed 's/ $//')"
	same_line "$gate fault, --accept $gate: nothing failed in gates.csv" 0 "$(grep -c ',fail,' reports/current/gates.csv)"
	has_text "$gate fault, --accept $gate: the log names the accepted gate" reports/refresh.log "ok: current -> runs/[^ ]+ \\(publication [0-9]+\\); gates accepted: $gate$"
	has_text "$gate fault, --accept $gate: the log records the option" reports/refresh.log "running eerste-jaar into runs/[^ ]+ with --accept $gate"
done

# Accepting a gate that does not fail changes nothing but is recorded as asked.
rm -rf reports && cp -a reports.base reports
fresh_inbox
expect_exit 0 "--accept rows on a delivery that passes: published" "$refresh" --accept rows inbox reports
has_text "... and every gate passed" reports/current/summary.txt '^  rows +passed'
expect_exit 2 "--accept of no gate: a usage error" "$refresh" --accept nosuchgate inbox reports.base
has_text "--accept of no gate: says which gates there are" err "^refresh: eerste-jaar: --accept: no gate 'nosuchgate' \\(rows, reject-rate, cells, headline-n, peildatum, extracts\\)$"
done_testing
