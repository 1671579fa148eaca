#!/usr/bin/env bash
# Fault injection (issue 17): allocations and writes of a run made to fail in turn
# (tests/fault/shim.c, LD_PRELOAD), for the stream filters and ingest on small hand-made
# inputs: every write; every allocation site (the shim's FAULT_SITES: a call site by its
# two innermost callers outside the C library, so that xmalloc's and fopen's callers are
# told apart) - the first allocation of each in turn; with FAULT_EVERY=1 besides, every
# allocation in turn (a run makes thousands, most of them loading the schemas: too slow
# for the suite). Not failed: allocations inside OpenSSL (FAULT_SPARE: OpenSSL 3 crashes
# on its own failed allocations, inside libcrypto). GLPK's are failed: tabulate installs
# GLPK's error hook, so its failures end in "tabulate: audit: GLPK: ...", exit 1. A spec or
# key file that cannot be opened or read for want of memory is the machine's failure, not
# the file's: exit 1 too (fit-models, ingest), not the exit 2 of a bad spec or key. Each run must end
# cleanly: exit 1 with a message "PROG: ..." on stderr and no finished output - stdout
# (gzip, REC_LEVEL=1) is not a complete gzip stream, and ingest's --rejects file and
# shard's streams do not exist under their names - or, where a library absorbed the
# failure (stdio falls back to an unbuffered stream), exit 0 with exactly the output of
# the run without a fault. A crash, another exit code, a missing message or a finished
# output after exit 1 fails. The sanitizer build replaces malloc itself: skipped there.
# Not here (their inputs are more than a few lines): calibrate-weights, compare-runs,
# history-stamp, history-check, trend-page, cohort-tables, cohort-page.
source "$KETEN_ROOT/tests/lib/tap.sh"
if [ -n "${KETEN_SANITIZED:-}" ]; then
	echo "# the sanitizer's allocator does not take an LD_PRELOAD malloc: run by make test"
	exit 77
fi
shim=$KETEN_BUILD/fault/shim.so
ok_if "the shim is built" test -f "$shim"
export REC_LEVEL=1

# inputs: person_status/1 (mkstatus.py), person/1 (its first columns), person_support/1,
# ingest's test files and what ingest makes of them, tabulate's hand-made stream
printf 'p01 benefit=ww answered=1,2\np02 benefit=wwb answered=3\np03 benefit=ww\n' > people.txt
python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" people.txt > status.csv
n=$(grep -v '^#' "$KETEN_ROOT/schemas/person-1.schema" | grep -vc '^schema\|^$')
{ echo '#schema person/1'; sed -n '2,$p' status.csv | cut -d, -f1-"$n"; } > person.csv
REC_LEVEL=0 classify-support status.csv > support.csv
printf 'model m\n  family linear\n  outcome age\n  term benefit\n' > m.spec
cp "$KETEN_ROOT/tests/ingest/data/test.key" key && chmod 600 key
cp "$KETEN_ROOT"/tests/ingest/data/{steekproef,cwi_aanvragen,uwv_overdracht,uitkeringen,golf1,golf2,golf3}.csv .
REC_LEVEL=0 ingest --key-file key steekproef.csv cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv \
	golf1.csv golf2.csv golf3.csv > ingested.csv 2> /dev/null
source "$KETEN_ROOT/tests/tabulate/data/hand-stream.sh"
hand_stream > hand.csv
cp "$KETEN_ROOT/tests/tabulate/data/hand.spec" .

# The files a program writes besides stdout (shard's streams): OUTS, set per program.
OUTS=

# judge NAME WHAT RC PROG: whether the run just made (got.out, got.err, rejects.csv, $OUTS)
# ended cleanly, against the run without a fault (want.out, want.OUT); counts it in
# absorbed or bad, and says why a bad run is bad in a comment
judge() {
	local name=$1 what=$2 rc=$3 prog=$4 f
	if [ "$rc" -eq 0 ] && cmp -s want.out got.out; then
		for f in $OUTS; do
			cmp -s "want.$f" "$f" || { bad=$((bad + 1)); echo "# $name: $what: exit 0 but $f differs"; return; }
		done
		absorbed=$((absorbed + 1))
	elif [ "$rc" -ne 1 ]; then
		bad=$((bad + 1)); echo "# $name: $what: exit $rc: $(head -c 200 got.err)"
	elif ! grep -q "^${prog##*/}: " got.err; then
		bad=$((bad + 1)); echo "# $name: $what: exit 1 without a message: $(head -c 200 got.err)"
	elif [ -s got.out ] && gzip -t got.out 2> /dev/null; then
		bad=$((bad + 1)); echo "# $name: $what: exit 1 but stdout is a finished gzip stream"
	elif [ -e rejects.csv ]; then
		bad=$((bad + 1)); echo "# $name: $what: exit 1 but the rejects file is there under its name"
	else
		for f in $OUTS; do
			[ -e "$f" ] && { bad=$((bad + 1)); echo "# $name: $what: exit 1 but $f is there under its name"; return; }
		done
	fi
}

# fresh: remove what the last run left; keep_want: the outputs of the run without a fault
fresh() { rm -f rejects.csv $OUTS; }
keep_want() {
	local f
	for f in $OUTS; do cp "$f" "want.$f"; done
}

# walk KIND NAME PROG ARG...: run once to count KIND's calls (alloc or write), then fail
# each in turn; one TAP line with the tally, a comment per bad run
walk() {
	local kind=$1 name=$2 k total bad=0 absorbed=0 rc var
	shift 2
	var=FAULT_${kind^^}
	fresh
	FAULT_COUNT=count LD_PRELOAD=$shim "$@" < /dev/null > want.out 2> want.err || { echo "# $name: the run without a fault failed"; cat want.err; }
	keep_want
	read -r allocs writes _ < count
	[ "$kind" = alloc ] && total=$allocs || total=$writes
	for ((k = 1; k <= total; k++)); do
		fresh
		env "$var=$k" LD_PRELOAD="$shim" "$@" < /dev/null > got.out 2> got.err; rc=$?
		judge "$name" "$kind $k" "$rc" "$1"
	done
	ok_if "$name: each of its $total ${kind}s failed in turn: each ends cleanly ($absorbed absorbed with the right output)" \
		test "$bad" -eq 0 -a "$total" -gt 0
}

# walk_sites NAME PROG ARG...: run once to list the allocation sites (FAULT_SITES), then
# fail the first allocation of each site in turn (FAULT_SITE); one TAP line with the tally
walk_sites() {
	local name=$1 site uses n=0 allocs=0 bad=0 absorbed=0 rc
	shift
	fresh
	FAULT_SITES=sites LD_PRELOAD=$shim "$@" < /dev/null > want.out 2> want.err || { echo "# $name: the run without a fault failed"; cat want.err; }
	keep_want
	while IFS=$'\t' read -r site uses; do
		case $site in '#'*) bad=$((bad + 1)); echo "# $name: $site"; continue ;; esac
		n=$((n + 1)); allocs=$((allocs + uses))
		fresh
		rm -f count
		FAULT_COUNT=count FAULT_SITE=$site LD_PRELOAD="$shim" "$@" < /dev/null > got.out 2> got.err; rc=$?
		judge "$name" "site $site" "$rc" "$1"
		cat got.err >> "said.${name%% *}"   # every message of the walk, for the checks below
		# the site was found again and failed (a run that ended in exit() wrote its count)
		if [ -s count ] && read -r _ _ failed < count && [ "$failed" != 1 ]; then
			bad=$((bad + 1)); echo "# $name: site $site: $failed allocations failed, not 1"
		fi
	done < sites
	echo "# $name: $n allocation sites, $allocs allocations"
	ok_if "$name: the first allocation of each of its $n sites failed in turn: each ends cleanly ($absorbed absorbed with the right output)" \
		test "$bad" -eq 0 -a "$n" -gt 0
}

# Every program, one a line: OUTS|SPARE|NAME|COMMAND (SPARE: the shim's FAULT_SPARE)
while IFS='|' read -r OUTS spare name cmd; do
	read -r -a argv <<< "$cmd"
	export FAULT_SPARE=$spare
	walk_sites "$name" "${argv[@]}"
	[ -n "${FAULT_EVERY:-}" ] && walk alloc "$name" "${argv[@]}"
	walk write "$name" "${argv[@]}"
done <<'LIST'
||derive-status|derive-status person.csv
||classify-support|classify-support status.csv
||fit-models|fit-models m.spec -i support.csv
||rec-merge|rec-merge --key person_key support.csv
||rec-check --pass|rec-check --pass -q support.csv
||rec-cat|rec-cat person_support/1 support.csv
sh.0.gz sh.1.gz||shard|shard -n 2 -o sh support.csv
||link-waves|link-waves ingested.csv
||tabulate|tabulate hand.spec hand.csv
|libcrypto|ingest|ingest --key-file key --rejects rejects.csv steekproef.csv cwi_aanvragen.csv
LIST

# What those clean ends say, where a library failed under us (each run above exited 1,
# judge saw to it): GLPK's failed allocation in tabulate's audit, through GLPK's error
# hook, not GLPK's abort(); fit-models' spec file that could not be opened or read for
# want of memory, and ingest's key file, a failure of the machine (exit 1), not a bad
# spec or key (exit 2)
ok_if "tabulate: GLPK out of memory: 'tabulate: audit: GLPK: glp_alloc: no memory available'" \
	grep -qx 'tabulate: audit: GLPK: glp_alloc: no memory available' said.tabulate
ok_if "fit-models: no memory to open the spec: 'fit-models: m.spec: cannot open: Cannot allocate memory'" \
	grep -qx 'fit-models: m.spec: cannot open: Cannot allocate memory' said.fit-models
ok_if "fit-models: no memory to read the spec: 'fit-models: m.spec:1: read error: Cannot allocate memory'" \
	grep -qx 'fit-models: m.spec:1: read error: Cannot allocate memory' said.fit-models
ok_if "ingest: no memory to open the key file: 'ingest: key: cannot open key file: Cannot allocate memory'" \
	grep -qx 'ingest: key: cannot open key file: Cannot allocate memory' said.ingest
done_testing
