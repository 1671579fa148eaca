#!/usr/bin/env bash
# rec-export's SPSS and Stata files, read back by R's haven (the library R users open them
# with): every person and every value, the variable labels and the value labels. The
# known answer is worked out here from the stream and the schemas, by the rules
# rec-export --help states (a code is its number in the schema's list, from 1; booleans
# 0/1; dates as dates; empty = missing), and the words of the .labels files. Skips (77)
# where R or haven is absent.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
command -v Rscript >/dev/null && Rscript -e 'library(haven)' >/dev/null 2>&1 ||
	{ echo "R with haven missing (apt-get install r-cran-haven)"; exit 77; }

ok_if "the pipeline makes a report folder" report_folder report
expect_exit 0 "rec-export writes persons.sav (labels in Dutch)" rec-export -o persons.sav report/persons.rec.gz
expect_exit 0 "rec-export writes persons.dta (labels in English)" rec-export --lang en -o persons.dta report/persons.rec.gz
expect_exit 0 "rec-export writes model_coef.sav" rec-export --section model_coef/1 -o coef.sav report/persons.rec.gz
same_line "the files are private (0600: person rows)" "600 600" "$(stat -c %a persons.sav persons.dta | paste -sd" ")"

# R: per file the data (dates ISO, numbers with 17 digits, NA) and per variable its label
# and value labels
cat > dump.R <<'R'
library(haven)
dump <- function(d, stem) {
  meta <- data.frame(var = names(d), label = sapply(d, function(x) { l <- attr(x, "label"); if (is.null(l)) "" else l }),
    labels = sapply(d, function(x) { l <- attr(x, "labels"); if (is.null(l)) "" else paste(unname(l), names(l), sep = "=", collapse = ";") }))
  write.csv(meta, paste0(stem, ".meta.csv"), row.names = FALSE)
  v <- lapply(d, function(x) {
    if (inherits(x, "Date")) format(x, "%Y-%m-%d")
    else if (is.numeric(x)) sprintf("%.17g", as.numeric(x))
    else as.character(x) })
  write.csv(as.data.frame(v, stringsAsFactors = FALSE), paste0(stem, ".data.csv"), row.names = FALSE)
}
dump(read_sav("persons.sav"), "sav")
dump(read_dta("persons.dta"), "dta")
dump(read_sav("coef.sav"), "coef")
R
expect_exit 0 "haven reads the .sav and the .dta" Rscript dump.R
python3 - "$KETEN_ROOT/schemas" report/persons.rec.gz <<'PY' || echo "not ok - the Python checks ran to their end (a traceback above)"
import csv, gzip, math, os, re, sys
sd, stream = sys.argv[1:3]
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond and detail:
        print("#   " + str(detail)[:400])
def schema(sid):
    """[(field, type)] and the chain of schema ids, the most derived last."""
    out, chain = [], []
    for line in open(os.path.join(sd, sid.replace("/", "-") + ".schema"), encoding="utf-8"):
        w = line.split()
        if not w or w[0].startswith("#") or w[0] == "schema":
            continue
        if w[0] == "extends":
            o, c = schema(w[1])
            out, chain = out + o, chain + c
        else:
            out.append((w[0], w[1]))
    return out, chain + [sid]
def words(chain, lang):
    """Exact-name labels {field: text} and code labels {(field, code): text}; a file of a
    more derived schema, and a later line, win."""
    lab, code = {}, {}
    for sid in chain:
        for line in open(os.path.join(sd, sid.replace("/", "-") + ".labels"), encoding="utf-8"):
            m = re.match(r"label\.%s ([a-z0-9_]+) (.+)$" % lang, line.rstrip("\n"))
            if m:
                lab[m.group(1)] = m.group(2)
            m = re.match(r"code\.%s ([a-z0-9_]+)=(\S+) (.+)$" % lang, line.rstrip("\n"))
            if m:
                code[(m.group(1), m.group(2))] = m.group(3)
    return lab, code
def section(sid):
    rows, cur, header = [], None, None
    for row in csv.reader(gzip.open(stream, "rt", encoding="utf-8", newline="")):
        if len(row) == 1 and row[0].startswith("#schema "):
            cur, header = row[0][8:], None
        elif cur == sid and header is None:
            header = row
        elif cur == sid:
            rows.append(dict(zip(header, row)))
    return rows
def expect(v, typ):
    """The value haven should give, by rec-export --help's rules."""
    if v == "":
        return None if typ != "text" else ""
    if typ.startswith("enum("):
        return float(typ[5:-1].split(",").index(v) + 1)
    if typ.startswith(("int", "num", "bool")):
        return float(v)
    return v   # text, date, hex32: the stream's own characters
def same(want, got):
    if want is None:
        return got == "NA"
    if isinstance(want, float):
        return got != "NA" and math.isclose(want, float(got), rel_tol=1e-12, abs_tol=1e-300)
    return got == want or (want == "" and got == "NA")
for stem, sid, lang in [("sav", "person_support/1", "nl"), ("dta", "person_support/1", "en"), ("coef", "model_coef/1", "nl")]:
    fields, chain = schema(sid)
    rows = section(sid)
    data = list(csv.DictReader(open(stem + ".data.csv", newline="", encoding="utf-8")))
    meta = {r["var"]: r for r in csv.DictReader(open(stem + ".meta.csv", newline="", encoding="utf-8"))}
    ok(list(meta) == [f for f, _ in fields], "%s: the variables are the schema's fields, in order (%d)" % (stem, len(fields)))
    ok(len(data) == len(rows) > 0, "%s: a case per record (%d)" % (stem, len(rows)))
    bad = ["row %d %s: want %r got %r" % (i + 1, f, r[f], d.get(f)) for i, (r, d) in enumerate(zip(rows, data))
           for f, t in fields if not same(expect(r[f], t), d.get(f, "?"))]
    ok(not bad, "%s: every value as the stream has it (%d values)" % (stem, len(rows) * len(fields)), bad[:3])
    lab, code = words(chain, lang)
    badl = ["%s: %r, labels file %r" % (f, meta[f]["label"], t) for f, t in lab.items() if f in meta and meta[f]["label"] != t]
    ok(len(lab) > 10 and not badl, "%s: the variable labels are the labels file's (%s, %d)" % (stem, lang, len(lab)), badl[:3])
    vl = {f: dict(p.split("=", 1)[::-1] for p in meta[f]["labels"].split(";")) if meta[f]["labels"] else {} for f in meta}
    # vl[f]: {label: number}; by number:
    bynum = {f: {float(n): l for l, n in d.items()} for f, d in vl.items()}
    badc = []
    for f, t in fields:
        if t.startswith("enum("):
            codes = t[5:-1].split(",")
            if sorted(bynum[f]) != [float(i + 1) for i in range(len(codes))]:
                badc.append("%s: value labels for %s, codes %s" % (f, sorted(bynum[f]), codes))
            for i, c in enumerate(codes):
                if (f, c) in code and bynum[f].get(float(i + 1)) != code[(f, c)]:
                    badc.append("%s=%s: %r, labels file %r" % (f, c, bynum[f].get(float(i + 1)), code[(f, c)]))
        elif t == "bool" and sorted(bynum[f]) != [0.0, 1.0]:
            badc.append("%s: a bool labelled %s" % (f, sorted(bynum[f])))
    ok(not badc, "%s: every code and boolean has its value labels, the labels file's words" % stem, badc[:3])
PY
done_testing
