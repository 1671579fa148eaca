#!/usr/bin/env bash
# chain.sh - the whole chain at 1 and 10 million applications (issue 10's report):
# for each stage, file in -> file out at REC_LEVEL=1 (stored streams): wall and CPU seconds,
# records/s, MB/s of uncompressed input, peak memory; side by side in the same run the gzip
# round trip of the stage's own input and output (gzip -dc F | gzip -1 > /dev/null, the
# cost no streaming stage can avoid) and Miller 6 doing the closest equivalent work. Then
# the whole pipeline as the report runs it (plain text between stages), against one
# `mlr --gzin cat | gzip -1` pass over the same raw input, and the sharded run.
#   BENCH_SIZES="1000000 10000000" (default); BENCH_SIZE=small runs 100000 only.
#   BASE_ROOT=DIR: a built checkout of an older commit (git worktree add DIR COMMIT; make -C
#   DIR), whose whole run takes turns with this one's in every round: the chain's CPU as a
#   share of that commit's on the same machine, and whether the person files are the same;
#   and each of its stages runs right after this one's, on its own stream (one pair: a
#   stage's CPU moves by 10 % from one run to the next on a shared machine).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
sizes=${BENCH_SIZES:-"1000000 10000000"}
[ "${BENCH_SIZE:-}" = small ] && sizes=100000
dir=${BENCH_DIR:-/tmp/keten-bench}/chain; mkdir -p "$dir"
have_mlr=0; command -v mlr >/dev/null && have_mlr=1
base_rev=; [ -z "${BASE_ROOT:-}" ] || base_rev=$(git -C "$BASE_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')

# t LABEL CMD: run CMD (a shell string), record "wall cpu rssKB" in $dir/t.LABEL
t() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/t.$1" sh -c "$2" || { echo "bench: failed: $2" >&2; exit 1; }
	awk 'NF == 4 { printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/t.$1" > "$dir/t.$1.x" && mv "$dir/t.$1.x" "$dir/t.$1"
}
val() { awk -v f="$2" '{ print $f }' "$dir/t.$1"; }   # val LABEL 1=wall 2=cpu 3=rss
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
# rt_of STAGE P: the label of the gzip round trip of STAGE's input (P "" or "base-")
rt_of() { case $1 in ingest) echo rt-raw ;; link-waves) echo "rt-${2}ingest" ;; derive-status) echo "rt-${2}person" ;;
	classify-support) echo "rt-${2}status" ;; fit-models) echo "rt-${2}support" ;; tabulate) echo "rt-${2}models" ;; esac; }
mb() { gzip -dcf "$1" | wc -c | awk '{ printf "%.0f", $1 / 1e6 }'; }
recs() { gzip -dcf "$1" | grep -vc '^#schema' | awk -v h="$2" '{ print $1 - h }'; }

for n in $sizes; do
	load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	w=$dir/world-$n
	persons=$(( n * 171 / 200 ))   # synth writes about 1.17 applications a person
	if [ ! -s "$w/golf3.csv" ]; then
		rm -rf "$w"
		synth --persons "$persons" --sample 6000 --seed 11 --out "$w" > /dev/null
		chmod 600 "$w/pseudonym.key"
	fi
	apps=$(( $(wc -l < "$w/cwi_aanvragen.csv") - 1 ))
	raw=("$w/cwi_aanvragen.csv" "$w/uwv_overdracht.csv" "$w/uitkeringen.csv" "$w/steekproef.csv" "$w/golf1.csv" "$w/golf2.csv" "$w/golf3.csv")
	rawmb=$(cat "${raw[@]}" | wc -c | awk '{ printf "%.0f", $1 / 1e6 }')
	export REC_LEVEL=1
	s=$dir/s-$n; mkdir -p "$s"

	# stage_cmd STAGE P SPECROOT: the command line of one stage on files $s/P*.gz (P "" for
	# this checkout's, "base-" for BASE_ROOT's, whose own bin/ is put first on PATH)
	stage_cmd() {
		local p=$2 sr=$3
		case $1 in
		ingest) echo "ingest --key-file $w/pseudonym.key ${raw[*]} > $s/${p}ingest.gz 2>/dev/null" ;;
		link-waves) echo "link-waves --unlinked $s/${p}unlinked.gz $s/${p}ingest.gz > $s/${p}person.gz 2>/dev/null" ;;
		derive-status) echo "derive-status $s/${p}person.gz > $s/${p}status.gz" ;;
		classify-support) echo "classify-support $s/${p}status.gz > $s/${p}support.gz" ;;
		fit-models) echo "fit-models $sr/pipelines/eerste-jaar/models.spec < $s/${p}support.gz > $s/${p}models.gz 2>/dev/null" ;;
		tabulate) echo "tabulate --csv $s/${p}tables.csv --md $s/${p}report.md --html $s/${p}report.html $sr/pipelines/eerste-jaar/tables.spec $s/${p}models.gz" ;;
		esac
	}
	stages="ingest link-waves derive-status classify-support fit-models tabulate"
	for st in $stages; do   # with BASE_ROOT, its stage takes its turn right after this one's
		t "$st" "$(stage_cmd "$st" "" "$root")"
		[ -z "${BASE_ROOT:-}" ] || t "base-$st" "PATH=$BASE_ROOT/bin:\$PATH; $(stage_cmd "$st" base- "$BASE_ROOT")"
	done
	for f in ingest person status support models; do
		t "rt-$f" "gzip -dc $s/$f.gz | gzip -1 > /dev/null"
		[ -z "${BASE_ROOT:-}" ] || t "rt-base-$f" "gzip -dc $s/base-$f.gz | gzip -1 > /dev/null"
	done
	t rt-raw "cat ${raw[*]} | gzip -1 > /dev/null"
	t iconv-raw "cat ${raw[*]} | iconv -f cp1252 -t utf-8 | gzip -1 > /dev/null"

	if [ $have_mlr = 1 ]; then
		# Miller's nearest equivalents, on the same bytes:
		#  ingest:        read the ';' raw files, write gzip CSV (no checks, no HMAC)
		#  link-waves:    join the benefit spells onto the applications by person_key
		#  derive-status: derive a few columns per person (age, distance, days on benefit)
		gzip -dc "$s/ingest.gz" | awk -v d="$s" '/^#schema/ { f = d "/sec-" substr($2, 1, index($2, "/") - 1) ".csv"; next } { print > f }'
		gzip -dc "$s/person.gz" | tail -n +2 | gzip -1 > "$s/person-plain.gz"
		t mlr-ingest "mlr --icsv --ifs ';' --ocsv cat ${raw[*]} | gzip -1 > /dev/null"
		# Miller's join holds its whole left side in memory (24 GB at 10 M, when the kernel
		# killed it): capped at 12 GB of address space; its exit status is kept.
		t mlr-link "{ ulimit -v 12000000; mlr --csv join --ul -j person_key -f $s/sec-application.csv $s/sec-benefit_spell.csv; echo \$? > $dir/mlr-link.rc; } | gzip -1 > /dev/null"
		t mlr-derive "mlr --icsv --ocsv --gzin put '\$age = int((strptime(\$application_date, \"%Y-%m-%d\") - strptime(\$birth_date, \"%Y-%m-%d\")) / 31557600); \$large_distance = \$phase >= 3 ? 1 : 0; \$migrant = \$origin == \"native\" ? 0 : 1; \$days_on_benefit = is_empty(\$spell_start) ? \"\" : (strptime(is_empty(\$spell_end) ? \$extract_date : \$spell_end, \"%Y-%m-%d\") - strptime(\$spell_start, \"%Y-%m-%d\")) / 86400' $s/person-plain.gz | gzip -1 > /dev/null"
	fi

	# The whole pipeline as the report runs it (plain text between stages), against one
	# Miller pass over the same raw files: BENCH_REPEAT (default 3) rounds, the two taking
	# turns, so a noisy minute hits both; the medians are reported.
	rm -rf "$s/report" "$s/sharded"
	rounds=${BENCH_REPEAT:-3}
	: > "$dir/rounds"
	for r in $(seq 1 "$rounds"); do
		rm -rf "$s/report"
		t pipeline "$root/pipelines/eerste-jaar/run $w $s/report 2>/dev/null"
		pw=$(val pipeline 1) pc=$(val pipeline 2)
		mw=- mc=-
		if [ $have_mlr = 1 ]; then
			t mlr-cat "mlr --icsv --ifs ';' --ocsv cat ${raw[*]} | gzip -1 > /dev/null"
			mw=$(val mlr-cat 1) mc=$(val mlr-cat 2)
		fi
		bw=- bc=-
		if [ -n "${BASE_ROOT:-}" ]; then
			rm -rf "$s/base-report"
			t base "env -u KETEN_BIN $BASE_ROOT/pipelines/eerste-jaar/run $w $s/base-report 2>/dev/null"
			bw=$(val base 1) bc=$(val base 2)
		fi
		echo "$pw $pc $mw $mc $bw $bc" >> "$dir/rounds"
	done
	median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	p_wall=$(awk '{ print $1 }' "$dir/rounds" | median); p_cpu=$(awk '{ print $2 }' "$dir/rounds" | median)
	m_wall=$(awk '{ print $3 }' "$dir/rounds" | median); m_cpu=$(awk '{ print $4 }' "$dir/rounds" | median)
	ratios=$(awk '$3 != "-" { printf "%s%.2f", sep, $1 / $3; sep = ", " }' "$dir/rounds")
	# CPU per million applications (the issue's measure), and over Miller's CPU in the same
	# round: the one moves with the machine's speed of the day, the other much less
	per_m=$(awk -v a="$apps" '{ printf "%s%.2f", sep, $2 * 1e6 / a; sep = ", " }' "$dir/rounds")
	cpu_ratios=$(awk '$4 != "-" { printf "%s%.2f", sep, $2 / $4; sep = ", " }' "$dir/rounds")
	base_ratios=$(awk '$6 != "-" { printf "%s%.2f", sep, $2 / $6; sep = ", " }' "$dir/rounds")   # BASE_ROOT
	if command -v parallel >/dev/null; then
		t sharded "$root/pipelines/sharded 2 $w $s/sharded 2>/dev/null"
		same=$(cmp -s "$s/report/tables.csv" "$s/sharded/tables.csv" && cmp -s <(gzip -dc "$s/report/persons.rec.gz") <(gzip -dc "$s/sharded/persons.rec.gz") && echo yes || echo NO)
	fi
	persons_out=$(awk '$1 == "link-waves" { print $2 }' "$s/report/summary.txt")

	echo "### $apps applications ($persons_out people, raw input $rawmb MB)"
	echo
	# the machine beside every figure: figures from different machines are not to be mixed
	echo "Machine: $(sh "$root/bench/machine"); load average at the start" \
		"$load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)."
	echo
	echo "Each stage reads a file and writes one at REC_LEVEL=1 (ISA-L level 1 where built in)."
	echo "Ratios are CPU seconds over CPU seconds measured in the same run."
	echo
	echo "| stage | wall s | CPU s | records/s | MB/s in | peak MB | gzip RT of input | ratio | gzip RT of output | ratio | Miller | ratio |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	row() {  # stage input-label input-file output-label miller-label
		local cpu in_mb rt_in rt_out rate m mr
		cpu=$(val "$1" 2)
		in_mb=$3
		rt_in=$(val "$2" 2); rt_out=$( [ -n "$4" ] && val "$4" 2 || echo "")
		rate=$(awk -v r="$6" -v c="$(val "$1" 1)" 'BEGIN { printf "%.0f", r / c }')
		m=""; mr=""
		if [ -n "$5" ] && [ -f "$dir/t.$5" ]; then m=$(val "$5" 2); mr=$(ratio "$cpu" "$m"); fi
		printf '| %s | %s | %s | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s |\n' "$1" "$(val "$1" 1)" "$cpu" "$rate" \
			"$(awk -v m="$in_mb" -v c="$(val "$1" 1)" 'BEGIN { print m / c }')" "$(awk -v k="$(val "$1" 3)" 'BEGIN { print k / 1024 }')" \
			"$rt_in" "$(ratio "$cpu" "$rt_in")" "${rt_out:--}" "$( [ -n "$rt_out" ] && ratio "$cpu" "$rt_out" || echo -)" "${m:--}" "${mr:--}"
	}
	ing_recs=$(recs "$s/ingest.gz" 7); per_recs=$persons_out
	row ingest rt-raw "$rawmb" rt-ingest mlr-ingest "$ing_recs"
	row link-waves rt-ingest "$(mb "$s/ingest.gz")" rt-person mlr-link "$ing_recs"
	row derive-status rt-person "$(mb "$s/person.gz")" rt-status mlr-derive "$per_recs"
	row classify-support rt-status "$(mb "$s/status.gz")" rt-support "" "$per_recs"
	row fit-models rt-support "$(mb "$s/support.gz")" rt-models "" "$per_recs"
	row tabulate rt-models "$(mb "$s/models.gz")" "" "" "$per_recs"
	echo
	if [ -n "${BASE_ROOT:-}" ]; then
		echo "Per stage against $BASE_ROOT ($base_rev): each of its stages ran right after this"
		echo "checkout's on its own stream, and each is taken over the gzip round trip of its own input."
		echo
		echo "| stage | CPU s | ratio to gzip RT of input | base CPU s | base ratio to gzip RT of its input | CPU / base CPU |"
		echo "|---|---|---|---|---|---|"
		for st in $stages; do
			printf '| %s | %s | %s | %s | %s | %s |\n' "$st" "$(val "$st" 2)" "$(ratio "$(val "$st" 2)" "$(val "$(rt_of "$st" "")" 2)")" \
				"$(val "base-$st" 2)" "$(ratio "$(val "base-$st" 2)" "$(val "$(rt_of "$st" base-)" 2)")" "$(ratio "$(val "$st" 2)" "$(val "base-$st" 2)")"
		done
		echo
	fi
	echo "- ingest against \`iconv -f cp1252 -t utf-8 | gzip -1\` on the raw files: $(ratio "$(val ingest 2)" "$(val iconv-raw 2)")"
	echo "- link-waves holds $(awk -v k="$(val link-waves 3)" -v p="$persons_out" 'BEGIN { printf "%.0f", k * 1024 / p }') bytes a person (peak RSS / people)"
	echo "- the whole pipeline (plain text between stages): $p_wall s wall, $p_cpu s CPU (median of $rounds runs);" \
		"CPU per million applications: $(awk -v c="$p_cpu" -v a="$apps" 'BEGIN { printf "%.2f", c * 1e6 / a }') (each round: $per_m)"
	[ $have_mlr = 0 ] && echo "- no Miller here (\`tools/need-packages bench\` installs it, as \`make bench\` does): no comparison with it, so not the issue's figure"
	[ $have_mlr = 1 ] && echo "- one \`mlr --icsv --ifs ';' --ocsv cat | gzip -1\` pass over the raw files: $m_wall s wall, $m_cpu s CPU (median of $rounds runs, taking turns with the pipeline); pipeline / mlr wall: $(ratio "$p_wall" "$m_wall") (each round: $ratios); pipeline / mlr CPU: $(ratio "$p_cpu" "$m_cpu") (each round: $cpu_ratios)"
	if [ -n "${BASE_ROOT:-}" ]; then
		b_cpu=$(awk '{ print $6 }' "$dir/rounds" | median)
		same_base=$(cmp -s <(gzip -dc "$s/report/persons.rec.gz") <(gzip -dc "$s/base-report/persons.rec.gz") &&
			cmp -s "$s/report/model_coef.csv" "$s/base-report/model_coef.csv" && echo yes || echo NO)
		echo "- the same run from $BASE_ROOT ($base_rev, taking turns): $b_cpu s CPU (median);" \
			"pipeline / it, CPU: $(ratio "$p_cpu" "$b_cpu") (each round: $base_ratios);" \
			"persons.rec.gz and model_coef.csv the same as its: $same_base"
	fi
	[ -f "$dir/t.sharded" ] && echo "- sharded over 2 local jobs: $(val sharded 1) s wall; tables and persons identical to the single run: $same"
	[ $have_mlr = 1 ] && [ "$(cat "$dir/mlr-link.rc" 2>/dev/null)" != 0 ] &&
		echo "- Miller's join did not finish within 12 GB of memory (exit $(cat "$dir/mlr-link.rc" 2>/dev/null)): its time is a lower bound"
	echo
done
