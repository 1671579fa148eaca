#!/usr/bin/env bash
# The report folder's files for people are plain CSV (issue 19): python3's csv module with
# its defaults reads each as one table with its header first, and finds in it exactly the
# rows of the record stream kept beside it. The known answer comes from the stream itself,
# split into its sections here (a '#schema' line, a header, records: DESIGN.md) - not from
# rec-cat - and from the table ids of tables.spec.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"

ok_if "the pipeline makes a report folder" report_folder report
python3 - report "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" <<'PY'
import csv, gzip, io, re, sys
d, spec = sys.argv[1:3]
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond and detail:
        print("#   " + str(detail)[:300])
def opener(p):
    return gzip.open(p, "rt", encoding="utf-8", newline="") if p.endswith(".gz") else open(p, encoding="utf-8", newline="")
def sections(p):
    """{schema id: (header, [rows])} of a record stream, every section of an id joined."""
    out, cur, header = {}, None, None
    for row in csv.reader(opener(p)):
        if len(row) == 1 and row[0].startswith("#schema "):
            cur, header = row[0].split()[1], None
            continue
        if header is None:
            header = row
            out.setdefault(cur, (header, []))
            continue
        out[cur][1].append(row)
    return out
def plain(p):
    with opener(p) as f:
        first = f.readline()
    rows = list(csv.reader(opener(p)))
    return first, rows[0], rows[1:]

streams = {"tables.rec.gz": sections(d + "/tables.rec.gz"), "persons.rec.gz": sections(d + "/persons.rec.gz"),
           "rejects.rec.gz": sections(d + "/rejects.rec.gz"), "unlinked.rec.gz": sections(d + "/unlinked.rec.gz")}
ok(sorted(streams["persons.rec.gz"]) == ["model_coef/1", "model_fit/1", "person_support/1"],
   "persons.rec.gz holds the three sections", sorted(streams["persons.rec.gz"]))
for name, stream, sec in [("tables.csv", "tables.rec.gz", "table/1"), ("persons.csv.gz", "persons.rec.gz", "person_support/1"),
                          ("model_fit.csv", "persons.rec.gz", "model_fit/1"), ("model_coef.csv", "persons.rec.gz", "model_coef/1"),
                          ("rejects.csv.gz", "rejects.rec.gz", "reject/1"), ("unlinked.csv.gz", "unlinked.rec.gz", "unlinked/1")]:
    first, header, rows = plain(d + "/" + name)
    want_header, want_rows = streams[stream][sec]
    ok(not first.startswith("#") and first.rstrip("\r\n").split(",")[0] == want_header[0],
       "%s: the first line is the header row" % name, first[:80])
    ok(header == want_header, "%s: the header is %s's" % (name, sec))
    ok(len(want_rows) > 0 and rows == want_rows, "%s: every row of %s in %s, in order (%d)" % (name, sec, stream, len(rows)),
       "%d rows against %d" % (len(rows), len(want_rows)))
    ok(all(len(r) == len(header) for r in rows), "%s: every row has the header's %d fields" % (name, len(header)))
# the person file: one row per person, nothing of the model sections (issue 19's complaint)
_, header, rows = plain(d + "/persons.csv.gz")
keys = [r[header.index("person_key")] for r in rows]
ok(all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys) and len(set(keys)) == len(keys),
   "persons.csv.gz: every person_key is a pseudonym, each once (%d)" % len(keys))
# every table of the spec is in tables.csv, read as DictReader reads it
ids = [l.split()[1] for l in open(spec) if re.match(r"table \S", l)]
tables = {r["table"] for r in csv.DictReader(open(d + "/tables.csv", newline=""))}
ok(len(ids) >= 15 and set(ids) == tables, "tables.csv holds every table of tables.spec (%d), and no other" % len(ids),
   sorted(set(ids) ^ tables))
PY
ok_if "rec-check validates the record streams" rec-check -q report/tables.rec.gz report/persons.rec.gz report/rejects.rec.gz report/unlinked.rec.gz
for f in codebook.md codebook.html; do ok_if "the codebook is in the report folder: $f" test -s report/$f; done
done_testing
