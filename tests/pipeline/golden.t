#!/usr/bin/env bash
# Byte-identity across refactors: a small dirty world (raw files committed, made by
# `synth --persons 6000 --sample 1500 --seed 16 --dirty 0.01` at commit a539c0a, so a
# change of synth does not move it) runs through the pipeline as it is, sharded over two,
# and in English with --min-n 20; the sha256 of every decompressed output must equal the
# digests recorded with the binaries of commit a539c0a (before issue 16's refactor).
# (Issue 19 renamed the record streams - tables.csv became tables.rec.gz, persons.gz
# persons.rec.gz, ... - with the same digests, and added the plain files made from them.)
# A deliberate change of an output: KETEN_ACCEPT=1 tests/run golden records the new
# digests (review the diff of data/golden.sha256 and say why in the commit).
. "$KETEN_ROOT/tests/lib/tap.sh"
export SOURCE_DATE_EPOCH=1796256000   # the pages name the run date: 2026-12-03, every day
D=$KETEN_ROOT/tests/pipeline/data

mkdir world && tar xzf "$D/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
: > digests
run() {  # name, pipeline options...
	local name=$1; shift
	"$KETEN_ROOT/pipelines/eerste-jaar/run" "$@" world "out-$name" >/dev/null 2>"err-$name" ||
		{ echo "# $name: the pipeline failed:"; sed 's/^/#   /' "err-$name" | tail -5; return 1; }
	for f in tables.rec.gz report.md report.html persons.rec.gz rejects.rec.gz unlinked.rec.gz \
		tables.csv persons.csv.gz model_fit.csv model_coef.csv rejects.csv.gz unlinked.csv.gz; do
		# the report names its spec file: the checkout's path is not part of the output
		printf '%s  %s/%s\n' "$(gzip -dcf "out-$name/$f" | sed "s#$KETEN_ROOT#ROOT#g" | sha256sum | cut -d' ' -f1)" \
			"$name" "${f%.gz}"
	done >> digests
}
ok_if "the pipeline runs on the golden world" run plain
ok_if "the sharded pipeline (2 shards) runs on the golden world" run shard2 --shards 2
ok_if "the English pipeline with --min-n 20 runs on the golden world" run en --lang en --min-n 20
golden "every output's digest equals the one recorded before the refactor" "$D/golden.sha256" digests
done_testing
