#!/usr/bin/env bash
# The report folder's files for people are plain CSV (issue 19): python3's csv module with
# its defaults reads each as one table with its header first, and finds in it exactly the
# rows of the record stream kept beside it. The known answer comes from the stream itself,
# split into its sections here (a '#schema' line, a header, records: DESIGN.md) - not from
# rec-cat - and from the table ids of tables.spec.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"

ok_if "the pipeline makes a report folder" report_folder report
python3 - report "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" <<'PY' || echo "not ok - the plain files: the Python checks stopped before their end"
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

LABELS = ["table_label", "benefit_label", "period_label", "population_label", "row_label"]
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
    extra = LABELS if name == "tables.csv" else []   # tables.csv: the report's words after the ids
    ok(header == want_header + extra, "%s: the header is %s's%s" % (name, sec, " and the label columns" if extra else ""))
    w = len(want_header)
    ok(len(want_rows) > 0 and [r[:w] for r in rows] == want_rows,
       "%s: every row of %s in %s, in order (%d)" % (name, sec, stream, len(rows)), "%d rows against %d" % (len(rows), len(want_rows)))
    ok(all(len(r) == len(header) for r in rows), "%s: every row has the header's %d fields" % (name, len(header)))
# the person file: one row per person, nothing of the model sections (issue 19's complaint)
_, header, rows = plain(d + "/persons.csv.gz")
keys = [r[header.index("person_key")] for r in rows]
ok(all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys) and len(set(keys)) == len(keys),
   "persons.csv.gz: every person_key is a pseudonym, each once (%d)" % len(keys))
# every table of the spec is in tables.csv, read as DictReader reads it
# (a variant table - `variant BASE` - is made only on request, run --variant, in its base's place)
ids, current = [], None
for l in open(spec):
    if re.match(r"table \S", l):
        current = l.split()[1]; ids.append(current)
    elif current and re.match(r"\s+variant\s", l):
        ids.remove(current); current = None
tables = {r["table"] for r in csv.DictReader(open(d + "/tables.csv", newline=""))}
ok(len(ids) >= 15 and set(ids) == tables, "tables.csv holds every table of tables.spec (%d), and no other" % len(ids),
   sorted(set(ids) ^ tables))
# every label: the words tables.spec gives (title.nl of the table; label.nl KEY TEXT, KEY
# TABLE/ROW before ROW; a row FORM:OUTCOME without its own as "form: outcome"; the id when
# the spec has none), read from the spec here
title, label, cur = {}, {}, None
for line in open(spec, encoding="utf-8"):
    w = line.strip().split(None, 2)
    if not w or w[0].startswith("#"):
        continue
    if w[0] == "table":
        cur = w[1]
    elif w[0] == "title.nl" and cur:
        title[cur] = line.strip().split(None, 1)[1]
    elif w[0] == "label.nl" and len(w) == 3:
        label[w[1]] = w[2]
def words(key):
    return label.get(key, key)
def row_words(t, row):
    if t + "/" + row in label:
        return label[t + "/" + row]
    if row in label or ":" not in row:
        return words(row)
    form, outcome = row.split(":", 1)
    return words(form) + ": " + words(outcome)
bad = []
for r in csv.DictReader(open(d + "/tables.csv", newline="", encoding="utf-8")):
    want = [title.get(r["table"]), words(r["benefit"]), words(r["period"]), words(r["population"]), row_words(r["table"], r["row"])]
    if [r[k] for k in LABELS] != want:
        bad.append("%s/%s: %s, spec %s" % (r["table"], r["row"], [r[k] for k in LABELS], want))
ok(not bad, "tables.csv: every label is the spec's words for its ids (in Dutch, the run's default)", bad[:2])
PY
ok_if "rec-check validates the record streams" rec-check -q report/tables.rec.gz report/persons.rec.gz report/rejects.rec.gz report/unlinked.rec.gz
for f in codebook.md codebook.html; do ok_if "the codebook is in the report folder: $f" test -s report/$f; done
# the pages name the spec by its file name: no path of the checkout or the test folder
same_line "report.md and report.html hold no absolute path (checkout, folder)" "" \
	"$(grep -lF -e "$KETEN_ROOT" -e "$PWD" report/report.md report/report.html report/tables.csv)"
has_text "... the spec named as tables.spec, then the run date and the extract date" report/report.md \
	'^Gemaakt door tabulate uit tables\.spec; datum van de run: [0-9]{4}-[0-9]{2}-[0-9]{2}; peildatum van de bestanden: uitkeringen [0-9]{4}-[0-9]{2}-[0-9]{2}$'
done_testing
