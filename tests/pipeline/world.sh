# tests/pipeline/world.sh - a moderate synth world for the end-to-end tests (source it).
# make_world DIR [SYNTH OPTIONS]: DIR gets the raw files, truth and key.
# The pages name the run's date: a fixed clock (reproducible-builds' SOURCE_DATE_EPOCH,
# which pipelines/eerste-jaar/run honours) keeps two runs' pages byte-identical even across
# midnight: 2026-12-03.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796256000}
make_world() {
	local dir=$1; shift
	synth --persons "${E2E_PERSONS:-40000}" --sample "${E2E_SAMPLE:-4000}" --seed "${E2E_SEED:-7}" "$@" --out "$dir" > /dev/null
}
run_pipeline() { "$KETEN_ROOT/pipelines/eerste-jaar/run" "$@"; }
