# tests/pipeline/delivery.sh - deliveries and a published report for the refresh tests
# (source it after tap.sh and world.sh).
#
#   make_deliveries     base/ (a small synth world, published into reports/ by a refresh)
#                       and new/ (the next delivery: base plus one application filed in
#                       2007, as a later extract holds every application up to its date -
#                       DOMAIN.md): every figure the same, every gate passes, so that a
#                       fault put into new/ is the only thing that can fail a refresh
#   fresh_inbox         inbox/ = a copy of new/
#   replacebin cp|mv    ./replacebin: the programs, but ingest (as the first stage, not
#                       for --identify or --key-fingerprint) first puts ./golf1.changed in
#                       place of inbox/golf1.csv - rewriting it (cp) or moving another file
#                       under its name (mv) - after the run's checks, while it reads them
#   report_state        what must not change when a refresh fails: where current points,
#                       every file of the current report and its checksum, the list of runs
#   check_refused NAME PATTERN [-- RUN OPTIONS...]
#                       refresh inbox/ into reports/ must exit 1, say one line on stderr
#                       matching ^refresh: eerste-jaar: PATTERN, leave current and the runs
#                       byte for byte as they were, and leave no temporary folder behind
refresh=$KETEN_ROOT/pipelines/refresh

make_deliveries() {
	E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world base
	mkdir -p new && cp -p base/* new/
	# 100000009 passes the 11-check; a WW application of April 2007, outside the window
	printf '100000009;01-01-1970;M;A;3;02-04-2007;WW;2;T;10-04-2007;;1234\r\n' >> new/cwi_aanvragen.csv
	"$refresh" base reports > /dev/null 2>&1
}

fresh_inbox() { rm -rf inbox && cp -rp new inbox; }

# replacebin cp|mv: a bin folder whose ingest replaces inbox/golf1.csv with golf1.changed as it
# starts - once a run (the run's folder, from --rejects), though ingest runs as several
# processes (run --ingest-jobs): a second swap could reuse the first file's inode.
replacebin() {
	local how
	case $1 in
	cp) how="cp '$PWD/golf1.changed' '$PWD/inbox/golf1.csv'" ;;
	mv) how="cp '$PWD/golf1.changed' '$PWD/inbox/.g' && mv '$PWD/inbox/.g' '$PWD/inbox/golf1.csv'" ;;
	esac
	rm -rf replacebin && mkdir replacebin
	for p in "$KETEN_BIN"/*; do ln -s "$p" replacebin/; done
	rm replacebin/ingest
	cat > replacebin/ingest <<WRAPPER
#!/bin/sh
case "\$1" in --identify|--key-fingerprint) exec "$KETEN_BIN/ingest" "\$@" ;; esac
run=; prev=; for a in "\$@"; do [ "\$prev" != --rejects ] || run=\$(dirname "\$a"); prev=\$a; done
mkdir "$PWD/replacebin/.replaced-\$(printf %s "\$run" | cksum | cut -d ' ' -f 1)" 2> /dev/null && { $how; }
exec "$KETEN_BIN/ingest" "\$@"
WRAPPER
	chmod +x replacebin/ingest
}

report_state() {
	readlink reports/current
	(cd reports/current && find . -type f | LC_ALL=C sort | xargs sha256sum)
	ls -a reports/runs
}

# no_leftovers: no temporary folder of a run, no half-made symlink, no refresh scratch file.
no_leftovers() {
	[ -z "$(find reports -maxdepth 2 \( -name '.*.partial.*' -o -name '.current.new' -o -name '.refresh.*' \) -print)" ]
}

check_refused() {
	local name=$1 pattern=$2; shift 2
	report_state > state.before
	expect_exit 1 "$name: the refresh fails" "$refresh" inbox reports "$@"
	same_line "$name: one line on stderr" 1 "$(wc -l < err)"
	has_text "$name: it names the cause" err "^refresh: eerste-jaar: $pattern"
	report_state > state.after
	same_text "$name: current and every run unchanged, nothing new published" state.before state.after
	ok_if "$name: no temporary folder left" no_leftovers
}
