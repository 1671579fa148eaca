#!/usr/bin/env bash
# pipelines/refresh under faults that are about the job, not the data: SIGTERM and SIGINT
# stop every stage, remove the temporary folder, log one line and keep current; a run
# killed without its traps leaves a temporary folder the next refresh removes; two
# refreshes started together never both run (the second exits 75); run folders stamped in
# the future (a clock set back) are pruned by publication order, never the report just
# published; a new pseudonym key makes a new report whose summary says every pseudonym
# changed.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
. "$KETEN_ROOT/tests/pipeline/delivery.sh"
make_deliveries

# slowbin: classify-support notes its pid and process group, then waits for ./release.
rm -rf slowbin && mkdir slowbin
for p in "$KETEN_BIN"/*; do ln -s "$p" slowbin/; done
rm slowbin/classify-support
cat > slowbin/classify-support <<EOF
#!/bin/sh
ps -o pgid= \$\$ | tr -d ' ' > "$PWD/stage.pgid.tmp" && mv "$PWD/stage.pgid.tmp" "$PWD/stage.pgid"
echo \$\$ > "$PWD/stage.pid.tmp" && mv "$PWD/stage.pid.tmp" "$PWD/stage.pid"
while [ ! -e "$PWD/release" ]; do sleep 0.1; done
exec "$KETEN_BIN/classify-support" "\$@"
EOF
chmod +x slowbin/classify-support
wait_for() {   # wait_for FILE: up to 60 s
	local i
	for i in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}
# no process of group $1 left (a zombie waiting for init to reap it is gone too)
group_gone() { ! ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; }
gone() { ! ps -o stat= -p "$1" | grep -qv '^Z'; }

# --- SIGTERM and SIGINT to refresh -------------------------------------------------------
for sig in TERM INT; do
	fresh_inbox; rm -f stage.pid stage.pgid release
	report_state > state.before
	lines_before=$(wc -l < reports/refresh.log)
	set -m   # refresh in a process group of its own: a background job would ignore SIGINT
	# and SIGINT at its default even when this test was started with it ignored (make check
	# run in the background of a non-interactive shell): bash cannot trap a signal ignored
	# on entry, and the case would wait for ever
	KETEN_BIN=$PWD/slowbin env --default-signal=INT "$refresh" inbox reports > out 2> err &
	rpid=$!
	set +m
	ok_if "SIG$sig: the stage is running" wait_for stage.pgid
	ok_if "SIG$sig: its temporary folder is there while it runs" test -n "$(find reports/runs -maxdepth 1 -name '.*.partial.*')"
	kill -"$sig" "$rpid"
	wait "$rpid"; rc=$?
	num=$(kill -l "$sig")
	same_line "SIG$sig: refresh exits 128+$num" $((128 + num)) "$rc"
	same_line "SIG$sig: one line on stderr" "refresh: stopped by SIG$sig: nothing published; current report kept" "$(cat err)"
	ok_if "SIG$sig: the stage is gone" gone "$(cat stage.pid)"
	ok_if "SIG$sig: no process left in the stages' group" group_gone "$(cat stage.pgid)"
	report_state > state.after
	ok_if "SIG$sig: current and the runs unchanged" cmp -s state.before state.after
	ok_if "SIG$sig: no temporary folder left" no_leftovers
	same_line "SIG$sig: one line in the log about it" 1 \
		"$(tail -n +$((lines_before + 1)) reports/refresh.log | grep -c "refresh: stopped by SIG$sig: the run and its stages were stopped, nothing published; current report kept")"
done

# --- a run killed without its traps: the next refresh removes what it left --------------
fresh_inbox; rm -f stage.pid stage.pgid release
set -m
KETEN_BIN=$PWD/slowbin "$refresh" inbox reports > out 2> err &
rpid=$!
set +m
wait_for stage.pgid
stale=$(find reports/runs -maxdepth 1 -name '.*.partial.*')
# Every process of the job goes, as when a machine loses power: refresh's own group (the
# run and every helper it started: any of them still holds the lock it inherited) and the
# stages' group. Killing only refresh and one child left a helper holding the lock now
# and then, and the next refresh rightly exited 75.
kill -KILL -- "-$rpid" "-$(cat stage.pgid)"
wait "$rpid" 2>/dev/null
for i in $(seq 100); do group_gone "$rpid" && group_gone "$(cat stage.pgid)" && break; sleep 0.1; done
ok_if "SIGKILL: the run's temporary folder is left behind" test -d "$stale"
work=$(cat "$stale/.workdir")
ok_if "SIGKILL: ... and its logs folder under TMPDIR" test -d "$work"
expect_exit 0 "the next refresh runs" "$refresh" inbox reports
ok_if "and removes the folder the killed run left" test ! -e "$stale"
ok_if "and its logs folder" test ! -e "$work"
has_text "and logs it" reports/refresh.log "refresh: removed $(basename "$stale"), left by a run that was killed"
has_text "and publishes the new delivery" reports/refresh.log 'ok: current -> runs/'

# --- two refreshes started together ------------------------------------------------------
# (the delivery must be new again: add one more application)
fresh_inbox
printf '100000010;01-01-1971;V;A;2;03-04-2007;WWB;3;T;11-04-2007;;1234\r\n' >> inbox/cwi_aanvragen.csv
rm -f stage.pid stage.pgid release
runs_before=$(ls reports/runs | wc -l)
KETEN_BIN=$PWD/slowbin "$refresh" inbox reports > out1 2> err1 & p1=$!
KETEN_BIN=$PWD/slowbin "$refresh" inbox reports > out2 2> err2 & p2=$!
wait_for stage.pgid
while kill -0 "$p1" 2>/dev/null && kill -0 "$p2" 2>/dev/null; do sleep 0.1; done
touch release
wait "$p1"; r1=$?
wait "$p2"; r2=$?
same_line "two together: one ran (0), the other did nothing (75)" "0 75" "$(printf '%s\n' $r1 $r2 | sort -n | tr '\n' ' ' | sed 's/ $//')"
same_line "two together: the other said so on stderr" \
	"refresh: another refresh is running; nothing done (exit 75: try again later)" "$(cat err1 err2)"
same_line "two together: exactly one new report" $((runs_before + 1)) "$(ls reports/runs | wc -l)"
has_text "two together: the log says so" reports/refresh.log 'another refresh holds the lock; nothing done'
rm -f release

# --- run folders stamped in the future (a clock set back) ----------------------------------
# Two published runs renamed to stamps of 2999 (publications 1 and 2), and a report of an
# older version without a publication record; --keep 2 must drop publication 1 and the
# unrecorded one, keep publication 2, and keep the run it has just published.
mkdir fut
"$refresh" base fut > /dev/null 2>&1
mv "fut/$(readlink fut/current)" fut/runs/29990101T000000Z && ln -sfn runs/29990101T000000Z fut/current
"$refresh" new fut > /dev/null 2>&1
mv "fut/$(readlink fut/current)" fut/runs/29990102T000000Z && ln -sfn runs/29990102T000000Z fut/current
cp -a fut/runs/29990102T000000Z fut/runs/29991231T000000Z && rm fut/runs/29991231T000000Z/publication
same_line "future stamps: publications 1 and 2 recorded" "1 2" "$(cut -d' ' -f1 fut/runs/2999010[12]T000000Z/publication | tr '\n' ' ' | sed 's/ $//')"
fresh_inbox
printf '100000022;01-01-1972;M;N;4;04-04-2007;WW;1;T;12-04-2007;;1234\r\n' >> inbox/cwi_aanvragen.csv
expect_exit 0 "future stamps: a new delivery is published" "$refresh" --keep 2 inbox fut
now=$(readlink fut/current)
ok_if "future stamps: current points at the run just published, which exists" test -f "fut/$now/tables.csv"
same_line "future stamps: it is publication 3" 3 "$(cut -d' ' -f1 "fut/$now/publication")"
same_line "future stamps: kept publication 2 and the new one, nothing else" \
	"$(printf '%s\n' 29990102T000000Z "$(basename "$now")" | sort | tr '\n' ' ')" "$(ls fut/runs | tr '\n' ' ')"
has_text "future stamps: the log says what was removed, in publication order" fut/refresh.log \
	'removed runs/29990101T000000Z \(publication 1; keeping the newest 2\)'
has_text "future stamps: the unrecorded report went first" fut/refresh.log \
	'removed runs/29991231T000000Z \(publication none; keeping the newest 2\)'

# --- a new key: a new report that says every pseudonym changed ----------------------------
mkdir keyrep
"$refresh" base keyrep > /dev/null 2>&1
first=$(readlink keyrep/current)
rm -rf inbox && cp -rp base inbox
python3 -c 'import secrets; print(secrets.token_hex(32))' > inbox/pseudonym.key && chmod 600 inbox/pseudonym.key
expect_exit 0 "a new key with the same extracts: a new report" "$refresh" inbox keyrep
ok_if "a new key: current moved" test "$(readlink keyrep/current)" != "$first"
fp=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(open(sys.argv[1]).readline().strip())).hexdigest()[:16])' inbox/pseudonym.key)
same_line "a new key: its fingerprint (python3's SHA-256 of the key) is recorded" "$fp" "$(cat keyrep/current/key.fingerprint)"
has_text "a new key: the log names the key as the change" keyrep/refresh.log "changed: the pseudonym key \\(fingerprint $fp\\)"
has_text "a new key: the summary says every pseudonym changed" keyrep/current/summary.txt \
	"^pseudonym key: fingerprint $fp - a NEW KEY \\(last published run: [0-9a-f]{16}\\):"
has_text "a new key: ... in those words" keyrep/current/summary.txt 'every pseudonym \(person_key\) differs from the last published run'
keys() { gzip -dc "$1" | awk -F, '/^#schema/ { s = $0; next } s ~ /person_support/ && $1 != "person_key" { print $1 }' | sort; }
keys "keyrep/$first/persons.rec.gz" > keys.old
keys keyrep/current/persons.rec.gz > keys.new
same_line "a new key: as many persons" "$(wc -l < keys.old)" "$(wc -l < keys.new)"
same_line "a new key: not one person_key the same" 0 "$(comm -12 keys.old keys.new | wc -l)"
expect_exit 0 "the same key again: nothing done" "$refresh" inbox keyrep
has_text "the same key again: the log says so" keyrep/refresh.log 'extracts and key unchanged since'
done_testing
