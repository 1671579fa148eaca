#!/usr/bin/env bash
# gate-check on hand-made runs: every gate at and just past its limit, each verdict worked
# out by hand from the numbers below; --accept; the report; the spec's mistakes.
source "$KETEN_ROOT/tests/lib/tap.sh"

cat > gates.spec <<'EOF'
# a spec as pipelines/eerste-jaar/gates.spec writes one
rows 0.20 0.50
rows 0.10 0.10 uitkeringen
reject-rate 0.05
cells
cells-optional ame_scaled
headline-n 0.5
headline fig1 ww h1 on_benefit_3m any_support share
headline hours ww h1 on_benefit_3m all mean
registry handover counts/persons
peildatum
extracts
EOF
inputs() {   # inputs DIR "kind,file,rows,rejected,sha256,peildatum"...
	local d=$1; shift
	mkdir -p "$d"
	{ echo kind,file,rows,rejected,sha256,peildatum; printf '%s\n' "$@"; } > "$d/inputs.csv"
}
tables() {   # tables DIR "table,benefit,period,population,row,measure,estimate,n,suppressed"...
	local d=$1 line; shift
	mkdir -p "$d"
	{ echo '#schema table/1'
	  echo 'table,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method'
	  for line in "$@"; do
		IFS=, read -r t b p pop r m e n s <<< "$line"
		echo "$t,$b,$p,$pop,$r,$m,$e,,,$n,$s,0,,"
	  done; } > "$d/tables.csv"
}
check() { gate-check --spec gates.spec --inputs now/inputs.csv --tables now/tables.csv --previous prev --report report.csv "$@"; }
# verdicts GATE: "subject previous current verdict" per row of GATE in report.csv, read by
# python3's csv module (subjects of cells hold commas, quoted).
verdicts() {
	python3 -c 'import csv, sys
for r in csv.DictReader(open("report.csv")):
    if r["gate"] == sys.argv[1]:
        print(r["subject"], r["previous"], r["current"], r["verdict"])' "$1" | tr '\n' '|' | sed 's/|$//'
}

# --- rows: the limits are "more than": -20 % and +50 % pass, one row more fails ------------
tables prev 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0'
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0'
inputs prev 'cwi_aanvragen,a.csv,1000,0,,' 'golf1,g.csv,200,0,,' 'uitkeringen,u.csv,1000,0,,2007-04-16'
inputs now 'cwi_aanvragen,a.csv,800,0,,' 'golf1,g.csv,300,0,,' 'uitkeringen,u.csv,1100,0,,2007-04-16'
expect_exit 0 "rows: -20% and +50% and +10% (a kind's own limit) are allowed" check
same_line "rows: three passes" "pass pass pass" "$(grep '^rows,' report.csv | cut -d, -f6 | tr '\n' ' ' | sed 's/ $//')"
same_line "rows: the report row, by hand" "rows,cwi_aanvragen,1000,800,-20% to +50%,pass,800 rows against 1000 in the last published run (-20.0%; the gate allows -20% to +50%)" \
	"$(grep '^rows,cwi_aanvragen,' report.csv)"
inputs now 'cwi_aanvragen,a.csv,799,0,,' 'golf1,g.csv,301,0,,' 'uitkeringen,u.csv,1101,0,,2007-04-16'
expect_exit 1 "rows: one row past each limit fails" check
same_line "rows: three failures" "fail fail fail" "$(grep '^rows,' report.csv | cut -d, -f6 | tr '\n' ' ' | sed 's/ $//')"
same_line "rows: the first failure is the last line of stderr" \
	"gate-check: rows: cwi_aanvragen: 799 rows against 1000 in the last published run (-20.1%; the gate allows -20% to +50%) (the first of 3 failures)" "$(tail -n 1 err)"
same_line "rows: one line per failure before it" 4 "$(wc -l < err)"
expect_exit 0 "rows: --accept rows lets them through" check --accept rows
same_line "rows: reported as accepted" "accepted accepted accepted" "$(grep '^rows,' report.csv | cut -d, -f6 | tr '\n' ' ' | sed 's/ $//')"
has_text "rows: stderr says accepted" err '^gate-check: rows: cwi_aanvragen: accepted \(--accept rows\): 799 rows'
expect_exit 1 "rows: --accept cells does not" check --accept cells
inputs now 'cwi_aanvragen,a.csv,1000,0,,' 'golf1,g.csv,200,0,,'
expect_exit 1 "rows: a kind gone from the run fails" check
has_text "rows: ... saying so" err '^gate-check: rows: uitkeringen: no file of this kind in this run, 1000 rows in the last published run$'
expect_exit 0 "rows: unless --absent names it (a switch allowed it)" check --absent uitkeringen
inputs now 'cwi_aanvragen,a.csv,1000,0,,' 'golf1,g.csv,200,0,,' 'uitkeringen,u.csv,1000,0,,2007-04-16' 'steekproef,s.csv,10,0,,'
expect_exit 0 "rows: a kind new in this run passes (skipped)" check
same_line "rows: ... skipped" "rows,steekproef,,,,skipped,not in the last published run" "$(grep '^rows,steekproef' report.csv)"

# --- reject-rate: 5 of 100 passes, 6 of 100 fails; --max-reject-rate overrides ---------------
inputs prev 'cwi_aanvragen,a.csv,100,0,,'
inputs now 'cwi_aanvragen,a.csv,100,5,,' 'golf1,g.csv,100,6,,'
expect_exit 1 "reject-rate: 6 of 100 fails" check
same_line "reject-rate: 5 passes, 6 fails" "reject-rate,a.csv,,0.0500,0.05,pass|reject-rate,g.csv,,0.0600,0.05,fail" \
	"$(grep '^reject-rate,' report.csv | cut -d, -f1-6 | tr '\n' '|' | sed 's/|$//')"
has_text "reject-rate: the line" err '^gate-check: reject-rate: g.csv: 6 of 100 rows rejected \(6.0%; the gate allows 0.05\)$'
expect_exit 0 "reject-rate: --max-reject-rate 0.06 lets 6% through" check --max-reject-rate 0.06
expect_exit 2 "reject-rate: --max-reject-rate 2 is a usage error" check --max-reject-rate 2

# --- cells ----------------------------------------------------------------------------------
inputs prev 'cwi_aanvragen,a.csv,100,0,,'
inputs now 'cwi_aanvragen,a.csv,100,0,,'
tables prev 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0' 'a,ww,h1,all,r1,share,0.5,20,0' 'a,ww,h1,all,r2,share,0.5,20,0' \
	'a,ww,h1,all,r3,share,0.5,20,0' 'a,ww,h1,all,r4,ame_scaled,0.5,20,0' 'a,ww,h1,all,r5,share,,20,0'
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0' 'a,ww,h1,all,r1,share,,5,1' 'a,ww,h1,all,r2,share,,20,0' \
	'a,ww,h1,all,r4,ame_scaled,,20,0' 'a,ww,h1,all,r5,share,,20,0'
expect_exit 1 "cells: a value lost, and a cell gone, fail" check
same_line "cells: r1 (now suppressed) and r4 (ame_scaled, optional) pass; r2 (empty) and r3 (gone) fail" \
	'a,ww,h1,all,r2,share value empty fail|a,ww,h1,all,r3,share value gone fail' "$(verdicts cells)"
has_text "cells: the line" err '^gate-check: cells: a,ww,h1,all,r2,share: had a value in the last published run, has none now and is not suppressed$'
expect_exit 0 "cells: --registry-only compares only the registry cells (none of these)" check --registry-only
tables prev 'handover,ww,year,on_benefit_6m,none,share,0.1,50,0' 'counts,ww,year,all,persons,count,50,50,0' 'counts,ww,year,all,sampled,count,5,5,0'
tables now 'handover,ww,year,on_benefit_6m,none,share,,50,0' 'counts,ww,year,all,persons,count,,50,0' 'counts,ww,year,all,sampled,count,,5,0'
expect_exit 1 "cells: --registry-only: a registry table and a registry row count" check --registry-only
same_line "cells: --registry-only: handover and counts/persons fail, counts/sampled is not compared" 2 "$(grep -c '^cells,.*,fail,' report.csv)"

# --- headline-n: half is allowed, less is not; suppressed counts as 0 ------------------------
tables prev 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0' 'hours,ww,h1,on_benefit_3m,all,mean,7.5,99,0'
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,50,0' 'hours,ww,h1,on_benefit_3m,all,mean,7.5,49,0'
expect_exit 1 "headline-n: 100 -> 50 passes, 99 -> 49 fails (the floor is 49.5)" check
same_line "headline-n: the verdicts" \
	"fig1,ww,h1,on_benefit_3m,any_support,share 100 50 pass|hours,ww,h1,on_benefit_3m,all,mean 99 49 fail" "$(verdicts headline-n)"
has_text "headline-n: the line" err '^gate-check: headline-n: hours,ww,h1,on_benefit_3m,all,mean: n 49 against 99 in the last published run \(the gate allows a drop of 50%: at least 50\)$'
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,,80,1' 'hours,ww,h1,on_benefit_3m,all,mean,7.5,99,0'
expect_exit 1 "headline-n: a headline now suppressed fails" check
has_text "headline-n: ... as n 0" err 'fig1,ww,h1,on_benefit_3m,any_support,share: n 0 \(suppressed\) against 100'
expect_exit 0 "headline-n: --registry-only skips the survey headlines" check --registry-only

# --- peildatum ------------------------------------------------------------------------------
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0' 'hours,ww,h1,on_benefit_3m,all,mean,7.5,99,0'
inputs prev 'uitkeringen,u.csv,100,0,,2007-04-16'
for d in 2007-04-16:0 2007-05-01:0 2007-04-15:1; do
	inputs now "uitkeringen,u.csv,100,0,,${d%:*}"
	expect_exit "${d#*:}" "peildatum: ${d%:*} after 2007-04-16: exit ${d#*:}" check
done
has_text "peildatum: the line" err '^gate-check: peildatum: uitkeringen: extract date 2007-04-15 is earlier than 2007-04-16 of the last published run$'
inputs now 'uitkeringen,u.csv,100,0,,2007-04-16'

# --- extracts -------------------------------------------------------------------------------
printf '%s\n' 'a.csv aaaa 11 100 1.5' 'b.csv bbbb 12 200 2.5' 'c.csv cccc 13 300 3.5' 'd.csv dddd 14 400 4.5' > before
printf '%s\n' 'a.csv aaaa 11 100 1.5' 'b.csv bbbx 12 200 2.5' 'c.csv cccc 99 300 3.5' 'd.csv dddd 14 400 4.6' > after
expect_exit 1 "extracts: changed, replaced and modified files fail" check --before before --after after
same_line "extracts: the four verdicts" "pass fail fail fail" "$(grep '^extracts,' report.csv | cut -d, -f6 | tr '\n' ' ' | sed 's/ $//')"
has_text "extracts: contents" err '^gate-check: extracts: b.csv: its contents changed while the run read it'
has_text "extracts: another inode" err '^gate-check: extracts: c.csv: replaced by another file while the run read it'
has_text "extracts: another time" err '^gate-check: extracts: d.csv: modified while the run read it'
head -n 3 after > after3
expect_exit 1 "extracts: a file gone" check --before before --after after3
has_text "extracts: ... said so" err '^gate-check: extracts: d.csv: gone after the run read it'
expect_exit 2 "extracts: --before without --after is a usage error" check --before before

# --- no previous run: the comparisons are skipped ---------------------------------------------
expect_exit 0 "no previous run: passes" gate-check --spec gates.spec --inputs now/inputs.csv --tables now/tables.csv --report report.csv
same_line "no previous run: the gates that compare are skipped" \
	"rows:skipped reject-rate:pass cells:skipped headline-n:skipped headline-n:skipped peildatum:skipped extracts:skipped" \
	"$(python3 -c 'import csv; print(" ".join(r["gate"] + ":" + r["verdict"] for r in csv.DictReader(open("report.csv"))))')"
same_line "no previous run: the summary on stdout" "rows         skipped (nothing to compare)" "$(head -n 1 out)"

# --- the spec -------------------------------------------------------------------------------
expect_exit 0 "--get reject-rate" gate-check --spec gates.spec --get reject-rate
same_line "--get reject-rate: the spec's" 0.05 "$(cat out)"
grep -v '^reject-rate' gates.spec > off.spec
expect_exit 0 "--get reject-rate without the gate: 1 (no limit)" gate-check --spec off.spec --get reject-rate
same_line "--get reject-rate without the gate" 1 "$(cat out)"
printf 'rows 0.2\n' > bad1.spec
expect_exit 1 "spec: rows with one number" gate-check --spec bad1.spec --get reject-rate
same_line "spec: the line is named" "gate-check: bad1.spec:1: rows takes SHRINK GROW [KIND]" "$(cat err)"
printf '# fine\nreject-rate 1.5\n' > bad2.spec
expect_exit 1 "spec: a share above 1" gate-check --spec bad2.spec --get reject-rate
same_line "spec: ... named" "gate-check: bad2.spec:2: reject-rate: not a share between 0 and 1: '1.5'" "$(cat err)"
printf 'cells\nrowz 0.2 0.5\n' > bad3.spec
expect_exit 1 "spec: an unknown statement" gate-check --spec bad3.spec --get reject-rate
has_text "spec: ... named" err "^gate-check: bad3.spec:2: unknown statement 'rowz'"
printf 'headline-n 0.5\n' > bad4.spec
expect_exit 1 "spec: headline-n without a headline" gate-check --spec bad4.spec --get reject-rate
expect_exit 2 "--accept of no gate" gate-check --spec gates.spec --get reject-rate --accept row
has_text "--accept of no gate: names the gates" err "^gate-check: --accept: no gate 'row' \(rows, reject-rate, cells, headline-n, peildatum, extracts\)$"
expect_exit 2 "no --spec" gate-check --inputs now/inputs.csv --tables now/tables.csv
expect_exit 0 "--help" gate-check --help
has_text "--help names every gate" out 'headline-n'
expect_exit 0 "--version" gate-check --version

# --- inputs that cannot be read ---------------------------------------------------------------
printf 'kind,file\ncwi_aanvragen,a.csv\n' > short.csv
expect_exit 1 "inputs.csv without rows and rejected" gate-check --spec gates.spec --inputs short.csv --tables now/tables.csv
same_line "... the column is named" "gate-check: short.csv:1: rows: column missing" "$(cat err)"
printf 'kind,file,rows,rejected\ncwi_aanvragen,a.csv,x,0\n' > nan.csv
expect_exit 1 "inputs.csv with a row count that is not a number" gate-check --spec gates.spec --inputs nan.csv --tables now/tables.csv
same_line "... the line is named" "gate-check: nan.csv:2: rows, rejected: not whole numbers: 'x', '0'" "$(cat err)"
printf '#schema table/1\ntable,benefit\n' > badtables.csv
expect_exit 1 "tables.csv that is not table/1" gate-check --spec gates.spec --inputs now/inputs.csv --tables badtables.csv
has_text "... says where" err '^gate-check: badtables.csv:2: '
# --- a report folder since issue 19: the stream is tables.rec.gz, tables.csv is plain CSV ----
inputs prev 'cwi_aanvragen,a.csv,1000,0,,'
inputs now 'cwi_aanvragen,a.csv,1000,0,,'
tables now 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0'
tables prev 'fig1,ww,h1,on_benefit_3m,any_support,share,0.9,100,0' 'fig1,ww,h2,on_benefit_6m,any_support,share,0.7,100,0'
gzip -c prev/tables.csv > prev/tables.rec.gz
tail -n +2 prev/tables.csv > prev/plain.csv && mv prev/plain.csv prev/tables.csv   # header first: not a stream
expect_exit 1 "previous tables.rec.gz is read (not the plain tables.csv): the cell gone fails" check
has_text "... the cells gate names the cell only tables.rec.gz holds" err '^gate-check: cells: fig1,ww,h2,on_benefit_6m,any_support,share: had a value in the last published run'
gzip -c now/tables.csv > now/tables.rec.gz
expect_exit 1 "--tables reads a gzip stream (tables.rec.gz) as well" check --tables now/tables.rec.gz
done_testing
