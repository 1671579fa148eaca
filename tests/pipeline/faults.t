#!/usr/bin/env bash
# Fault injection: every way a delivery or a run can go wrong, each on its own against the
# same published report (delivery.sh). Each case asserts: the refresh exits 1, says one
# line on stderr naming the real cause (what failed, the file and line, why), leaves
# REPORTS/current byte for byte as it was, publishes nothing, and leaves no temporary
# folder behind. A control case first shows the delivery the faults are put into passes.
# (refresh-faults.t: signals, two refreshes at once, future stamps; diskfull.t; accept.t.)
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
. "$KETEN_ROOT/tests/pipeline/delivery.sh"
make_deliveries
ok_if "the base delivery is published" test -f reports/current/tables.csv

# ctl_line FILE: the control-file line of inbox/FILE as the supplier writes it (python3
# counts the rows and hashes the bytes, not our scripts).
ctl_line() {
	python3 -c 'import hashlib, sys
b = open(sys.argv[1], "rb").read()
print("%s;%d;%s" % (sys.argv[1].split("/")[-1], b.count(b"\n") - 1, hashlib.sha256(b).hexdigest()))' "$1"
}

# --- control: the new delivery, with a correct control file, passes every gate -----------
fresh_inbox
{ echo 'bestand;regels;sha256'; for f in cwi_aanvragen uwv_overdracht uitkeringen; do ctl_line inbox/$f.csv; done; } > inbox/levering.ctl
cp inbox/levering.ctl good.ctl
cp -a reports control
expect_exit 0 "control: the new delivery (with its control file) is published" "$refresh" inbox control
same_line "control: every gate passed" "rows passed|reject-rate passed|cells passed|headline-n passed|peildatum passed|extracts passed" \
	"$(awk '{ print $1, $2 }' control/current/logs/gates.txt | tr '\n' '|' | sed 's/|$//')"

# --- each raw kind missing ----------------------------------------------------------------
kinds=(cwi_aanvragen uwv_overdracht uitkeringen steekproef golf1 golf2 golf3)
for i in 0 1 2 3 4 5 6; do
	k=${kinds[$i]}
	fresh_inbox; rm "inbox/$k.csv"
	check_refused "R$((i + 1)) ($k) missing" "input check failed: $k \\(R$((i + 1))\\): no file of this kind in inbox \\(required"
done
# ... unless the manifest allows it: --registry-only without the sample and the waves
fresh_inbox; rm inbox/steekproef.csv inbox/golf[123].csv
cp -a reports regonly
expect_exit 0 "--registry-only: R4-R7 may be absent, the registry figures are published" "$refresh" inbox regonly -- --registry-only
has_text "--registry-only: the summary says so" regonly/current/summary.txt '^registry-only: no sample and no waves \(absent: steekproef golf1 golf2 golf3\)'
same_line "--registry-only: the registry cells equal the full run's" \
	"$(grep -E '^(handover|handover_distance),|^counts,.*,persons,' reports/current/tables.csv)" \
	"$(grep -E '^(handover|handover_distance),|^counts,.*,persons,' regonly/current/tables.csv)"

# --- broken files -------------------------------------------------------------------------
fresh_inbox; : > inbox/uitkeringen.csv
check_refused "an empty file" "input check failed: ingest: inbox/uitkeringen.csv: empty file: no header line$"
fresh_inbox; head -n 1 new/golf2.csv > inbox/golf2.csv
check_refused "a header-only file" "input check failed: inbox/golf2.csv \\(golf2\\): header only, no data rows$"
fresh_inbox; head -c $(( $(wc -c < new/uwv_overdracht.csv) * 3 / 4 )) new/uwv_overdracht.csv > inbox/uwv_overdracht.csv
ok_if "(the cut is inside a line)" test "$(tail -c 1 inbox/uwv_overdracht.csv | od -An -c | tr -d ' ')" != '\n'
check_refused "a file truncated mid-line" \
	"input check failed: ingest: inbox/uwv_overdracht.csv:$(wc -l < inbox/uwv_overdracht.csv | awk '{ print $1 + 1 }'): truncated delivery: the last line has no line end"
fresh_inbox; printf 'datum;opmerking\r\n01-01-2007;geen\r\n' > inbox/notes.csv
check_refused "a file of no kind" "input check failed: ingest: inbox/notes.csv:1: header matches no raw file kind"
fresh_inbox; cp -p inbox/golf1.csv inbox/golf1-bis.csv
check_refused "two files of one kind" "input check failed: golf1 \\(R5\\): 2 files \\(golf1-bis.csv, golf1.csv\\), .*inputs allows 1$"

# --- cut to 60 % of its rows at a line end: the row gate, or the control file --------------
n=$(wc -l < new/cwi_aanvragen.csv)
fresh_inbox; head -n $((n * 6 / 10)) new/cwi_aanvragen.csv > inbox/cwi_aanvragen.csv
rows_now=$((n * 6 / 10 - 1)) rows_was=$(($(wc -l < base/cwi_aanvragen.csv) - 1))
pct=$(awk -v a=$rows_now -v b=$rows_was 'BEGIN { printf "%+.1f", 100 * (a - b) / b }')
check_refused "R1 cut to 60% at a line end" \
	"gate rows failed: cwi_aanvragen: $rows_now rows against $rows_was in the last published run \\($pct%; the gate allows -20% to \\+50%\\)"
cp good.ctl inbox/levering.ctl
check_refused "R1 cut to 60%, with the supplier's control file" \
	"control file failed: inbox/levering.ctl:2: cwi_aanvragen.csv: $rows_now data rows, the control file says $((n - 1))$"

# --- a control file that disagrees ---------------------------------------------------------
fresh_inbox; cp good.ctl inbox/levering.ctl
awk -F';' -v OFS=';' 'NR == 2 { $3 = $3 == "M" ? "V" : "M" } { print }' new/cwi_aanvragen.csv > inbox/cwi_aanvragen.csv
ok_if "(the file changed, its rows did not)" test "$(wc -l < inbox/cwi_aanvragen.csv)" = "$n"
check_refused "a control file whose SHA-256 disagrees" \
	"control file failed: inbox/levering.ctl:2: cwi_aanvragen.csv: sha256 [0-9a-f]{64}, the control file says [0-9a-f]{64}$"
fresh_inbox; { cat good.ctl; echo 'uwv_overdracht_2.csv;10;0000000000000000000000000000000000000000000000000000000000000000'; } > inbox/levering.ctl
check_refused "a control file listing a file not delivered" \
	"control file failed: inbox/levering.ctl:5: uwv_overdracht_2.csv: listed, but not delivered$"

# --- what ingest refuses -------------------------------------------------------------------
# ISO dates in R3 (every date column yyyy-mm-dd): every row refused, the reason quotes the first.
fresh_inbox
awk -F';' -v OFS=';' 'NR > 1 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9]/)
	$i = substr($i, 7, 4) "-" substr($i, 4, 2) "-" substr($i, 1, 2) substr($i, 11) } { print }' new/uitkeringen.csv > inbox/uitkeringen.csv
first=$(sed -n 2p inbox/uitkeringen.csv | cut -d';' -f3)
r3=$(($(wc -l < inbox/uitkeringen.csv) - 1))
check_refused "ISO dates in a registry file" \
	"stage ingest failed: ingest: inbox/uitkeringen.csv:2: ingangsdatum: not a date \\(dd-mm-yyyy\\): '$first' \\($r3 of $r3 rows rejected, 100.0%, above --max-reject-rate 0.05\\)$"
kept=reports/failed/$(ls -t reports/failed | head -n 1)
ok_if "a failed stage keeps its logs, rejects and reason" test -s "$kept/logs/ingest.log" -a -s "$kept/rejects.rec.gz" -a -s "$kept/reason"
ok_if "... not the half-made report" test ! -e "$kept/persons.rec.gz" -a ! -e "$kept/persons.csv.gz" -a ! -e "$kept/tables.csv" -a ! -e "$kept/tables.rec.gz"
same_line "... whose rejects hold every R3 row" "$r3" "$(gzip -dc "$kept/rejects.rec.gz" | grep -c '^inbox/uitkeringen.csv,')"
# UTF-8 posing as Windows-1252: the sample's strata hold "Fryslân".
fresh_inbox; iconv -f cp1252 -t utf-8 new/steekproef.csv > inbox/steekproef.csv
line=$(grep -n 'Fryslân' inbox/steekproef.csv | head -n 1 | cut -d: -f1)
check_refused "a UTF-8 file posing as Windows-1252" \
	"input check failed: ingest: inbox/steekproef.csv:$line: stratum: declared windows-1252 \\(steekproef\\) but the file is utf-8 .*'Fryslân [^']*' would read as 'FryslÃ¢n[^']*'; --utf8 steekproef reads it as utf-8$"
expect_exit 0 "... which --utf8 steekproef reads (in a copy of the reports)" "$refresh" inbox control -- --utf8 steekproef
# 6 % of R2's rows with a bad date: above the reject rate of the gate spec.
fresh_inbox
awk -F';' -v OFS=';' 'NR > 1 && NR % 16 == 0 { $2 = "31-02-2006" } { print }' new/uwv_overdracht.csv > inbox/uwv_overdracht.csv
first=$(awk 'NR > 1 && NR % 16 == 0 { print NR; exit }' inbox/uwv_overdracht.csv)
check_refused "a reject rate above the gate spec's" \
	"stage ingest failed: ingest: inbox/uwv_overdracht.csv:$first: ontvangstdatum: not a date \\(dd-mm-yyyy\\): '31-02-2006' \\([0-9]+ of [0-9]+ rows rejected, 6\\.[0-9]%, above --max-reject-rate 0.05\\)$"

# --- the gates -----------------------------------------------------------------------------
n2=$(wc -l < new/uwv_overdracht.csv)
fresh_inbox; head -n $((n2 * 7 / 10)) new/uwv_overdracht.csv > inbox/uwv_overdracht.csv
check_refused "a raw kind shrinking by 30%" "gate rows failed: uwv_overdracht: [0-9]+ rows against $((n2 - 1)) in the last published run \\(-3[0-9]\\.[0-9]%"
kept=reports/failed/$(ls -t reports/failed | head -n 1)
for f in tables.csv tables.rec.gz report.md persons.rec.gz persons.csv.gz rejects.rec.gz gates.csv inputs.csv summary.txt reason logs/gate-check.log; do
	ok_if "a failed gate keeps the whole run for a look: $f" test -s "$kept/$f"
done
has_text "a failed gate: its gates.csv has the failure" "$kept/gates.csv" '^rows,uwv_overdracht,[0-9]+,[0-9]+,-20% to \+50%,fail,'
# CWI stops delivering the origin (everybody coded A): the migrant effects have no value.
fresh_inbox; awk -F';' -v OFS=';' 'NR > 1 { $4 = "A" } { print }' new/cwi_aanvragen.csv > inbox/cwi_aanvragen.csv
check_refused "a table cell that goes empty" \
	"gate cells failed: fig[25],ww[b]?,h[12],on_benefit_[36]m,migrant,ame: had a value in the last published run, has none now and is not suppressed"
# An older R3 delivery: the extract date goes back a day.
fresh_inbox; sed -i 's/;16-04-2007\(\r\{0,1\}\)$/;15-04-2007\1/' inbox/uitkeringen.csv
check_refused "the extract date going back" "gate peildatum failed: uitkeringen: extract date 2007-04-15 is earlier than 2007-04-16 of the last published run"
# The search hours of 7 in 10 wave-2 respondents who look for work left unanswered (99).
fresh_inbox
awk -F';' -v OFS=';' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c["zoekt"] == 1 && NR % 10 < 7 { $c["zoekuren"] = 99 } { print }' \
	new/golf2.csv > inbox/golf2.csv
check_refused "a headline figure's n more than halved" \
	"gate headline-n failed: hours,ww,h1,on_benefit_3m,all,mean: n [0-9]+ against [0-9]+ in the last published run \\(the gate allows a drop of 50%"
# An extract replaced while the run reads it, after the checks before ingest: golf1.csv
# rewritten (cp) or another file moved in under its name (mv) as ingest starts.
sed '2s/;1;/;2;/' new/golf1.csv > golf1.changed
replacebin cp; fresh_inbox
KETEN_BIN=$PWD/replacebin check_refused "an extract rewritten during the run (cp)" \
	"gate extracts failed: golf1.csv: (its contents changed|modified) while the run read it"
replacebin mv; fresh_inbox
KETEN_BIN=$PWD/replacebin check_refused "an extract replaced during the run (mv)" \
	"gate extracts failed: golf1.csv: (replaced by another file|its contents changed) while the run read it"

# --- each stage killed with SIGKILL --------------------------------------------------------
# A bin folder where one stage reads a little of its input and is then killed; ingest still
# answers --identify and --key-fingerprint (the checks before the chain).
killbin() {
	rm -rf killbin && mkdir killbin
	for p in "$KETEN_BIN"/*; do ln -s "$p" killbin/; done
	rm "killbin/$1"
	cat > "killbin/$1" <<EOF
#!/bin/sh
case "\$1" in --identify|--key-fingerprint) exec "$KETEN_BIN/$1" "\$@" ;; esac
[ "$1" = ingest ] || head -c 65536 > /dev/null
kill -KILL \$\$
EOF
	chmod +x "killbin/$1"
}
for s in ingest link-waves derive-status classify-support fit-models tabulate; do
	killbin $s
	fresh_inbox
	KETEN_BIN=$PWD/killbin check_refused "$s killed with SIGKILL" "stage $s failed: killed by SIGKILL \\(signal 9\\)"
done

# --- the key -------------------------------------------------------------------------------
fresh_inbox; chmod 644 inbox/pseudonym.key
check_refused "a key readable by others" \
	"key failed: ingest: inbox/pseudonym.key: key file mode 0644 is open to group or others: refused \\(chmod 600 it\\)$"
fresh_inbox; printf '%064d\n' 0 > inbox/pseudonym.key
check_refused "an all-zero key" "key failed: ingest: inbox/pseudonym.key: key of low entropy: all 32 bytes are zero$"

ok_if "the failed runs' output is kept for a look (the last 3)" test "$(ls reports/failed | wc -l)" -eq 3
has_text "a failed run keeps its logs and its reason" "reports/failed/$(ls reports/failed | tail -n 1)/reason" '^eerste-jaar: key failed: '
done_testing
