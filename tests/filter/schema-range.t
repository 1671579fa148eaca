#!/usr/bin/env bash
# schemas/ is the single source of a field's range: a range changed there (here through
# REC_SCHEMA_PATH, which overrides a built-in schema) changes what every filter accepts,
# since the typed getters check each value against the schema (issue 16). For each stage, a
# stream the built-in schemas accept is refused under a narrower range, at the first record
# whose value falls outside it (worked out here by python3 from the stream and the rule of
# which rows the stage reads), with the library's message; rec-check agrees.
. "$KETEN_ROOT/tests/lib/tap.sh"
export REC_LEVEL=0
mkdir world && tar xzf "$KETEN_ROOT/tests/pipeline/data/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
ingest --key-file world/pseudonym.key world/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv \
	> ingest.csv 2>/dev/null
link-waves < ingest.csv > person.csv 2>/dev/null
derive-status < person.csv > status.csv
classify-support < status.csv > support.csv
ok_if "the stages run on the world with the built-in schemas" test -s support.csv

override() {  # folder, schema file, field, new type: a copy of the built-in schema with one line changed
	mkdir -p "$1"
	sed -E "s/^($3 +)[^ ]+/\1$4/" "$KETEN_ROOT/schemas/$2" > "$1/$2"
	grep -qF "$4" "$1/$2" && ! cmp -s "$KETEN_ROOT/schemas/$2" "$1/$2"
}
# first(FILE, SECTION, PYTHON-CONDITION on row r): "LINE VALUE-OF-FIELD" of the first match
first() {
	python3 - "$@" <<'PY'
import csv, sys
path, section, field, cond = sys.argv[1:5]
sec = None; header = None
for n, line in enumerate(open(path), 1):
    if line.startswith('#schema '):
        sec = line.split()[1]; header = None; continue
    row = next(csv.reader([line]))
    if header is None:
        header = row; continue
    r = dict(zip(header, row))
    if sec == section and eval(cond):
        print(n, r[field]); break
PY
}
refused() {  # description, override folder, stage..., input, expected message
	local d=$1 dir=$2 want=${*: -1} in=${*: -2:1}
	expect_exit 0 "$d: accepted with the built-in schemas" "${@:3:$#-4}" < "$in"
	REC_SCHEMA_PATH=$dir expect_exit 1 "$d: refused under the narrower schema" "${@:3:$#-4}" < "$in"
	same_line "$d: the first value outside it, in the library's words" "$want" "$(grep -v '^link-waves: \(memory\|read\|[a-z_]*/1:\)' err | head -1)"
}

ok_if "override: application/1 phase int[1,3]" override app application-1.schema phase 'int[1,3]'
read line v < <(first ingest.csv application/1 phase 'int(r["phase"]) > 3')
refused "link-waves, application/1 phase" app link-waves ingest.csv "link-waves: stdin:$line: phase: out of range [1,3]: $v"
REC_SCHEMA_PATH=app expect_exit 1 "rec-check agrees" rec-check -q ingest.csv
same_line "rec-check: the same record" "rec-check: ingest.csv:$line: phase: out of range [1,3]: $v" "$(cat err)"

ok_if "override: person/1 phase int[1,3]" override per person-1.schema phase 'int[1,3]'
read line v < <(first person.csv person/1 phase 'int(r["phase"]) > 3')
refused "derive-status, person/1 phase" per derive-status person.csv "derive-status: stdin:$line: phase: out of range [1,3]: $v"

# classify-support reads uwv_rows of every WW person (the handover); person_status/1
# extends person/1, so the override reaches it
ok_if "override: person/1 uwv_rows int[0,0]" override uwv person-1.schema uwv_rows 'int[0,0]'
read line v < <(first status.csv person_status/1 uwv_rows 'r["benefit"] == "ww" and int(r["uwv_rows"]) > 0')
refused "classify-support, uwv_rows" uwv classify-support status.csv "classify-support: stdin:$line: uwv_rows: out of range [0,0]: $v"
REC_SCHEMA_PATH=uwv expect_exit 1 "rec-check agrees" rec-check -q status.csv

# fit-models keeps the model columns of every row in some model's population (the four of
# populations.spec); h1_search_hours is one (table1_hours_h1_*)
ok_if "override: person_status/1 h1_search_hours num[0,5]" override hours person_status-1.schema h1_search_hours 'num[0,5]'
read line v < <(first support.csv person_support/1 h1_search_hours \
	'r["h1_search_hours"] != "" and float(r["h1_search_hours"]) > 5 and (r["on_benefit_3m"] == "1" and r["responded_w2"] == "1" or r["on_benefit_6m"] == "1" and r["responded_w3"] == "1")')
refused "fit-models, h1_search_hours" hours fit-models "$KETEN_ROOT/pipelines/eerste-jaar/models.spec" support.csv \
	"fit-models: stdin:$line: h1_search_hours: out of range [0,5]: $v"
done_testing
