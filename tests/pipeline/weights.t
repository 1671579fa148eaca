#!/usr/bin/env bash
# The pipeline publishes every survey cell weighted and unweighted, each with its n
# (DOMAIN.md; run --weights both, the default), and --weights design turns the unweighted
# ones off. Known answers: a twin is its weighted cell's key with weighted=0 and the same n
# (n is the unweighted count either way); the weighted cells are the ones a --weights
# design run publishes, byte for byte, and the registry cells (weighted=0 only) have no
# twin; the pages are the same either way (they show the weighted figures), in a single
# and in a sharded run; headline and the headline gate read the weighted figure, and the
# cells gate checks both twins.
. "$KETEN_ROOT/tests/lib/tap.sh"
D=$KETEN_ROOT/tests/pipeline/data
mkdir world && tar xzf "$D/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
run() { "$KETEN_ROOT/pipelines/eerste-jaar/run" "$@" >/dev/null 2>err-run; }
# weighted_view TABLES: the table/1 stream without the unweighted twins (each right after
# its weighted cell, with its key)
weighted_view() {
	gzip -dc "$1" | awk -F, 'NR <= 2 { print; next } { k = $1 FS $2 FS $3 FS $4 FS $5 FS $6 }
		$12 == "1" { w[k] = 1 } !($12 == "0" && (k in w))'
}

ok_if "the pipeline runs with its defaults" run world both
ok_if "and with --weights design" run --weights design world design
ok_if "and sharded over two" run --shards 2 world shard2
gzip -dc both/tables.rec.gz > both.csv
twins=$(awk -F, 'NR > 2 { k = $1 FS $2 FS $3 FS $4 FS $5 FS $6 } NR > 2 && $12 == "1" { w[k] = $10 }
	NR > 2 && $12 == "0" && (k in w) { n++; if (w[k] != $10) bad++ } END { print n + 0, bad + 0 }' both.csv)
read -r n_twins n_bad <<< "$twins"
ok_if "the default tables hold unweighted twins ($n_twins)" test "$n_twins" -gt 0
same_line "each with its weighted cell's n" 0 "$n_bad"
same_line "as many twins as weighted people-table cells the design run has" \
	"$(gzip -dc design/tables.rec.gz | awk -F, 'NR > 2 && $12 == "1" && $6 != "ame" && $6 != "ame_scaled" && $6 != "p" && $6 != "symbol" && $1 !~ /^(table1|fig2|fig5|hours_contrast)$/' | wc -l)" \
	"$n_twins"
same_text "without the twins, the tables are the --weights design run's" <(gzip -dc design/tables.rec.gz) <(weighted_view both/tables.rec.gz)
same_line "tables.csv has a row per cell of tables.rec.gz" "$(($(wc -l < both.csv) - 1))" "$(wc -l < both/tables.csv)"
for f in report.md report.html; do
	same_text "$f is the same with and without the twins" <(sed "s#$PWD/##g" design/$f) <(sed "s#$PWD/##g" both/$f)
	same_text "and in the sharded run" <(sed "s#$PWD/##g" both/$f) <(sed "s#$PWD/##g" shard2/$f)
done
same_text "the sharded run's tables are the single run's" <(gzip -dc both/tables.rec.gz) <(gzip -dc shard2/tables.rec.gz)
has_text "the summary says the survey cells are both ways" both/summary.txt '^survey cells: weighted and unweighted'
has_text "and --weights design that they are weighted only" design/summary.txt '^survey cells: weighted only'
same_text "headline shows the weighted figures (as from the design run)" \
	<("$KETEN_ROOT/pipelines/headline" design/tables.csv) <("$KETEN_ROOT/pipelines/headline" both/tables.csv)
ok_if "a run with twins after one without passes its gates" run --previous design world next
ok_if "and one with twins after one with twins" run --previous both world again
same_line "where nothing moved: the twins are unchanged too" "0 rows of tables.csv moved, 0 beyond their interval" \
	"$(cat again/logs/changes.line)"
# the gates on twins: the cells gate checks each twin (one gone fails, named apart), the
# headline-n gate reads the weighted figure's n (fig1 ww h1: 335 on the golden world)
G=$KETEN_ROOT/pipelines/eerste-jaar/gates.spec
twin() {   # twin WEIGHTED N: the default run's tables with fig1 ww h1's cell of WEIGHTED given n N ('-': dropped)
	gzip -dc both/tables.rec.gz | awk -F, -v OFS=, -v w="$1" -v n="$2" 'NR > 2 && $1 == "fig1" && $2 == "ww" &&
		$3 == "h1" && $5 == "any_support" && $12 == w { if (n == "-") next; $10 = n } { print }' | gzip > now.rec.gz
}
twin 0 -
expect_exit 1 "a run whose unweighted twin is gone fails the cells gate" \
	gate-check --spec "$G" --inputs both/inputs.csv --tables now.rec.gz --previous both
has_text "naming the twin" err '^gate-check: cells: fig1,ww,h1,on_benefit_3m,any_support,share,unweighted: had a value'
twin 0 100
expect_exit 0 "the unweighted twin's n halved leaves the headline gate passing" \
	gate-check --spec "$G" --inputs both/inputs.csv --tables now.rec.gz --previous both
twin 1 100
expect_exit 1 "the weighted figure's n halved fails it" \
	gate-check --spec "$G" --inputs both/inputs.csv --tables now.rec.gz --previous both
has_text "on the weighted n" err '^gate-check: headline-n: fig1,ww,h1,on_benefit_3m,any_support,share: .*335'
expect_exit 2 "--weights takes both or design" "$KETEN_ROOT/pipelines/eerste-jaar/run" --weights none world bad
has_text "and says so" err "weights must be both or design, not 'none'"
done_testing
