# chain.sh - the registry monitor's chain of stages, sourced by pipelines/eerste-jaar/run
# --chain (pipelines/cohorts/run gives it): everything else - the input checks, the key, the
# stages' statuses, the gates, the summary, publishing - is that script's.
#
#   ingest R1-R3 | link-waves --cohorts month | derive-status
#     | classify-support --uwv-known claim | (persons.rec.gz) | cohort-tables | (tables.rec.gz)
#     | cohort-page --md report.md --html report.html --plain tables.csv
# and, for people, tables.csv (the figures with their words, cohort_table_labelled/1) and
# persons.csv.gz (plain CSV, chain_analyst_files)
# shellcheck shell=bash disable=SC2034

PROG=cohorts
chain_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chain_manifest=$chain_dir/inputs
chain_gates=$chain_dir/gates.spec
chain_stages="ingest link-waves derive-status classify-support save-persons cohort-tables save-tables cohort-page"
# cohort-tables' options (the method of the published figures), with the run's defaults
cohort_opts=() cohort_kind=month cohort_lag=56 uwv_known=claim

chain_usage() {
	cat <<USAGE
usage: cohorts [OPTIONS] RAWDIR OUTDIR

Run the registry monitor on the registry files in RAWDIR (cwi_aanvragen, uwv_overdracht,
uitkeringen: *.csv, recognised by their headers) into OUTDIR: every cohort of applicants
(doc/cohorts.md), their figures with the censoring made explicit (cohort-tables --help).

  --kind K[,K...]       month, quarter, year: the kinds of cohort (default month)
  --combine FROM:TO     also a cohort of the months FROM..TO, each person once (yyyy-mm:yyyy-mm;
                        2006-03:2006-04 is the study's population); repeat for more
  --min-n N             withhold figures on fewer than N people (default cohort-tables', 10)
  --protection P        withheld figures keep at least P people of uncertainty (default: --min-n)
  --decision-lag DAYS   a cohort's membership is final DAYS after its last day: no figure
                        is known before (default 56, synth's longest decision delay; set it
                        to the supplier's)
  --uwv-known claim|person  the handover's rule (classify-support; default claim: a
                        published figure is final)
  --lang nl|en          the language of report.md and report.html (cohort-page; default nl)
  --key-file F, --inputs MANIFEST, --gates SPEC, --max-reject-rate R, --utf8 KINDS,
  --previous DIR|none, --accept GATE, --keep-failed DIR, --group-readable
                        as pipelines/eerste-jaar/run (the manifest and the gate spec
                        default to this folder's inputs and gates.spec)
  --help, --version

Example:
  synth --span 2005-01:2007-12 --out /tmp/world && pipelines/cohorts/run /tmp/world /tmp/monitor
USAGE
}

# The monitor's own options; the rest are eerste-jaar/run's.
chain_option() {
	chain_shift=2
	case $1 in
	--kind) need_value "$@"; [[ $2 =~ ^(month|quarter|year)(,(month|quarter|year))*$ ]] ||
			usage_error "--kind: month, quarter or year, separated by commas, not '$2'"
		cohort_kind=$2 ;;
	--combine) need_value "$@"; [[ $2 =~ ^[0-9]{4}-[0-9]{2}:[0-9]{4}-[0-9]{2}$ ]] ||
			usage_error "--combine: two months yyyy-mm:yyyy-mm, not '$2'"
		cohort_opts+=(--combine "$2") ;;
	--decision-lag) need_value "$@"; case $2 in *[!0-9]*) usage_error "--decision-lag: not a number of days: '$2'" ;; esac
		cohort_lag=$2 ;;
	--uwv-known) need_value "$@"; case $2 in claim|person) ;; *) usage_error "--uwv-known: claim or person, not '$2'" ;; esac
		uwv_known=$2 ;;
	--models|--tables|--classify|--shards|--sshlogin|--weights) usage_error "$1 is the report pipeline's (pipelines/eerste-jaar/run)" ;;
	# tabulate's disclosure options that cohort-tables has no counterpart of (--min-n and
	# --protection reach it through tabulate_opts)
	--secondary|--round-base) usage_error "$1 is tabulate's (the report pipeline's); cohort-tables has --min-n and --protection" ;;
	--registry-only) usage_error "$1: the monitor reads the registry files only anyway" ;;
	*) return 1 ;;
	esac
}

# After the options: --min-n and --protection went into tabulate_opts (eerste-jaar/run's options).
chain_check() {
	cohort_opts=(--kind "$cohort_kind" --decision-lag "$cohort_lag" ${tabulate_opts[@]+"${tabulate_opts[@]}"}
		${cohort_opts[@]+"${cohort_opts[@]}"})
}

# The stages (eerste-jaar/run's stage and ingest_stage: statuses, logs, timings).
chain_single_chain() {
	ingest_stage |
	stage link-waves link-waves --cohorts month --unlinked "$tmp/unlinked.rec.gz" |
	stage derive-status derive-status |
	stage classify-support classify-support --uwv-known "$uwv_known" |
	stage save-persons rec-cat --pass --keep "$tmp/persons.rec.gz" --to cohort_support/1="$tmp/persons.csv.gz" |
	REC_LEVEL=1 stage cohort-tables cohort-tables "${cohort_opts[@]}" |
	stage save-tables tee "$tmp/tables.rec.gz" |
	stage cohort-page cohort-page --lang "$lang" --md "$tmp/report.md" --html "$tmp/report.html" \
		--plain "$tmp/tables.csv"
}

# The plain files of the monitor's report folder (eerste-jaar/run's analyst_files):
# persons.csv.gz came from the chain (save-persons: rec-cat --pass, the kept stream and its
# plain file in one pass, compressed once); tables.csv, the figures with their words, is
# cohort-page's (--plain), like the report's is tabulate's.
chain_analyst_files() {
	side_files
}

chain_summary() {
	echo "cohorts: link-waves --cohorts month; classify-support --uwv-known $uwv_known; cohort-tables ${cohort_opts[*]}; cohort-page --lang $lang"
}
