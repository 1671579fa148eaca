# tests/analyst/world.sh - source it. report_folder DIR [RUN OPTIONS...] runs the report
# pipeline on the committed golden world (tests/pipeline/data: 6 000 persons, with rejects
# and unlinked rows; unpacked once into ./world) into DIR.
report_folder() {
	local dir=$1; shift
	[ -d world ] || { mkdir world && tar xzf "$KETEN_ROOT/tests/pipeline/data/golden-world.tar.gz" -C world &&
		chmod 600 world/pseudonym.key; } || return 1
	"$KETEN_ROOT/pipelines/eerste-jaar/run" "$@" world "$dir" 2> "$dir.err" >/dev/null ||
		{ sed 's/^/# /' "$dir.err" | tail -5; return 1; }
}
