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
# cohort_extract DIR PEILDATUM: the registry monitor's R1-R3 and key of one synth history
# (2006-01 to 2007-06, 20000 persons), extracted on PEILDATUM (dd-mm-yyyy): two extracts of
# it are two monthly deliveries of the same registry.
cohort_extract() {
	synth --span 2006-01:2007-06 --persons 20000 --seed 5 --peildatum "$2" --out "$1" > /dev/null &&
		rm -f "$1/truth-cohorts.csv" "$1/dirty.csv"
}
