#!/usr/bin/env bash
# DuckDB reads the report folder's plain files with read_csv_auto and its defaults (issue
# 19): tables.csv as one table with the header first - every row, every column with its
# name, the estimates as numbers, every label filled in - and persons.csv.gz (compressed)
# with every person. The known answer is python3's csv module reading the same files (it
# knows nothing of DuckDB's type sniffing). DuckDB comes from npm (@duckdb/node-api, put in
# build/npm by `tools/need-packages test`; it is not packaged in Debian 12).
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
npm_dir=$KETEN_ROOT/build/npm
command -v node > /dev/null && [ -d "$npm_dir/node_modules/@duckdb/node-api" ] ||
	{ echo "DuckDB's node binding is missing (tools/need-packages test puts it in $npm_dir)"; exit 77; }

ok_if "the pipeline makes a report folder" report_folder report
cat > duck.mjs <<'JS'
import { createRequire } from 'module';
const require = createRequire(process.env.NPM_DIR + '/');
const { DuckDBInstance } = require('@duckdb/node-api');
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const t = `read_csv_auto('${process.argv[2]}/tables.csv')`;
const out = {
	columns: (await rows(`DESCRIBE SELECT * FROM ${t}`)).map(c => [c.column_name, c.column_type]),
	n: (await rows(`SELECT count(*) AS n FROM ${t}`))[0].n,
	tables: (await rows(`SELECT DISTINCT "table" AS t FROM ${t} ORDER BY 1`)).map(r => r.t),
	unlabelled: (await rows(`SELECT count(*) AS n FROM ${t} WHERE table_label IS NULL OR row_label IS NULL
		OR population_label IS NULL OR benefit_label IS NULL OR period_label IS NULL`))[0].n,
	estimate_sum: (await rows(`SELECT sum(estimate) AS s FROM ${t}`))[0].s,
	persons: (await rows(`SELECT count(*) AS n FROM read_csv_auto('${process.argv[2]}/persons.csv.gz')`))[0].n,
};
console.log(JSON.stringify(out));
JS
ok_if "DuckDB reads tables.csv and persons.csv.gz" sh -c 'NPM_DIR="$1" node duck.mjs report > duck.json 2> duck.err' sh "$npm_dir/node_modules"
[ -s duck.err ] && sed 's/^/# /' duck.err | head -5
python3 - report duck.json <<'PY' || echo "not ok - DuckDB's answers: the Python checks stopped before their end"
import csv, gzip, json, sys
d, duck = sys.argv[1], json.load(open(sys.argv[2]))
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond and detail:
        print("#   " + str(detail)[:300])
rows = list(csv.reader(open(d + "/tables.csv", encoding="utf-8", newline="")))
header, body = rows[0], rows[1:]
ok([c for c, _ in duck["columns"]] == header, "DuckDB's columns are the header row, in order", duck["columns"])
ok(int(duck["n"]) == len(body), "DuckDB finds every row of tables.csv (%d)" % len(body), duck["n"])
ok(duck["tables"] == sorted({r[header.index("table")] for r in body}), "DuckDB finds every table", duck["tables"])
types = dict(duck["columns"])
ok(types["estimate"] == "DOUBLE" and types["n"] in ("BIGINT", "INTEGER"), "estimate is read as a number, n as a whole number", types)
ok(int(duck["unlabelled"]) == 0 and all(r[header.index("row_label")] for r in body), "every row has its labels in DuckDB")
est = sum(float(r[header.index("estimate")]) for r in body if r[header.index("estimate")] != "")
ok(abs(float(duck["estimate_sum"]) - est) <= 1e-9 * max(1.0, abs(est)), "the estimates DuckDB reads add up as python3's csv reads them", (duck["estimate_sum"], est))
persons = sum(1 for _ in csv.reader(gzip.open(d + "/persons.csv.gz", "rt", encoding="utf-8", newline=""))) - 1
ok(int(duck["persons"]) == persons, "DuckDB finds every person in persons.csv.gz (%d)" % persons, duck["persons"])
PY
done_testing
