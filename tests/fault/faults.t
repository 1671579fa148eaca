#!/usr/bin/env bash
# Fault injection (issue 17): allocations and writes of a run made to fail in turn
# (tests/fault/shim.c, LD_PRELOAD), for the stream filters and ingest on small hand-made
# inputs: every write; the first 150 allocations and then 150 spread evenly over the rest
# (a run makes thousands, most of them loading the schemas through the same xmalloc; every
# allocation in turn: FAULT_EVERY=1). Not failed: allocations inside OpenSSL (FAULT_SPARE:
# OpenSSL 3 crashes on one of its own). fit-models exits 2 when the failure is in reading
# its spec (every spec problem is a usage error there): counted with the absorbed ones. Each run must end cleanly: exit 1 with a message "PROG: ..." on stderr and
# no finished output - stdout (gzip, REC_LEVEL=1) is not a complete gzip stream, and
# ingest's --rejects file does not exist under its name - or, where a library absorbed the
# failure (stdio falls back to an unbuffered stream), exit 0 with exactly the output of
# the run without a fault. A crash, another exit code, a missing message or a finished
# output after exit 1 fails. The sanitizer build replaces malloc itself: skipped there.
source "$KETEN_ROOT/tests/lib/tap.sh"
if [ -n "${KETEN_SANITIZED:-}" ]; then
	echo "# the sanitizer's allocator does not take an LD_PRELOAD malloc: run by make test"
	exit 77
fi
shim=$KETEN_BUILD/fault/shim.so
ok_if "the shim is built" test -f "$shim"
export REC_LEVEL=1

# inputs: person_status/1 (mkstatus.py), person/1 (its first columns), person_support/1
printf 'p01 benefit=ww answered=1,2\np02 benefit=wwb answered=3\np03 benefit=ww\n' > people.txt
python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" people.txt > status.csv
n=$(grep -v '^#' "$KETEN_ROOT/schemas/person-1.schema" | grep -vc '^schema\|^$')
{ echo '#schema person/1'; sed -n '2,$p' status.csv | cut -d, -f1-"$n"; } > person.csv
REC_LEVEL=0 classify-support status.csv > support.csv
printf 'model m\n  family linear\n  outcome age\n  term benefit\n' > m.spec
cp "$KETEN_ROOT/tests/ingest/data/test.key" key && chmod 600 key
cp "$KETEN_ROOT/tests/ingest/data/steekproef.csv" "$KETEN_ROOT/tests/ingest/data/cwi_aanvragen.csv" .

# walk KIND NAME PROG ARG...: run once to count KIND's calls (alloc or write), then fail
# each in turn; one TAP line with the tally, a comment per bad run
walk() {
	local kind=$1 name=$2 k total bad=0 absorbed=0 rc var
	shift 2
	var=FAULT_${kind^^}
	rm -f rejects.csv
	FAULT_COUNT=count LD_PRELOAD=$shim "$@" > want.out 2> want.err || { echo "# $name: the run without a fault failed"; cat want.err; }
	read -r allocs writes < count
	[ "$kind" = alloc ] && total=$allocs || total=$writes
	local step=1 tried=0
	[ "$kind" = alloc ] && [ -z "${FAULT_EVERY:-}" ] && [ "$total" -gt 300 ] && step=$(( (total - 150 + 149) / 150 ))
	for ((k = 1; k <= total; k += (k < 150 ? 1 : step))); do
		tried=$((tried + 1))
		rm -f rejects.csv
		env "$var=$k" LD_PRELOAD="$shim" "$@" > got.out 2> got.err; rc=$?
		if [ "$rc" -eq 0 ] && cmp -s want.out got.out; then
			absorbed=$((absorbed + 1))
		elif [ "$rc" -eq 2 ] && grep -q "^fit-models: m.spec:" got.err; then
			# fit-models reports a spec it could not read as a bad spec: exit 2, as for
			# every other spec error (documented in tests/fuzz/README.md)
			absorbed=$((absorbed + 1))
		elif [ "$rc" -ne 1 ]; then
			bad=$((bad + 1)); echo "# $name: $kind $k: exit $rc: $(head -c 200 got.err)"
		elif ! grep -q "^${1##*/}: " got.err; then
			bad=$((bad + 1)); echo "# $name: $kind $k: exit 1 without a message: $(head -c 200 got.err)"
		elif [ -s got.out ] && gzip -t got.out 2> /dev/null; then
			bad=$((bad + 1)); echo "# $name: $kind $k: exit 1 but stdout is a finished gzip stream"
		elif [ -e rejects.csv ]; then
			bad=$((bad + 1)); echo "# $name: $kind $k: exit 1 but the rejects file is there under its name"
		fi
	done
	ok_if "$name: $tried of its $total ${kind}s failed in turn: each ends cleanly ($absorbed absorbed with the right output)" \
		test "$bad" -eq 0 -a "$total" -gt 0
}

for kind in alloc write; do
	walk $kind "derive-status" derive-status person.csv
	walk $kind "classify-support" classify-support status.csv
	walk $kind "fit-models" fit-models m.spec -i support.csv
	walk $kind "rec-merge" rec-merge --key person_key support.csv
	walk $kind "rec-check --pass" rec-check --pass -q support.csv
	FAULT_SPARE=libcrypto walk $kind "ingest" ingest --key-file key --rejects rejects.csv steekproef.csv cwi_aanvragen.csv
done
done_testing
