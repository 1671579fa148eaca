#!/usr/bin/env bash
# The codebook (issue 19): doc/codebook.md and .html are what `codebook` makes now (no
# drift from schemas/); every field of every section a report folder holds has a row, with
# its label in Dutch and English and, for an optional field, what empty means in both;
# the words are those of the .labels files. The known answer: the fields read here from the
# .schema files (extends followed) and the exact-name label lines of the .labels files.
. "$KETEN_ROOT/tests/lib/tap.sh"
codebook > cb.md && codebook --format html > cb.html
same_text "doc/codebook.md is what codebook writes now (make man rewrites it)" "$KETEN_ROOT/doc/codebook.md" cb.md
same_text "doc/codebook.html too" "$KETEN_ROOT/doc/codebook.html" cb.html
python3 - "$KETEN_ROOT/schemas" cb.md <<'PY' || echo "not ok - codebook: the Python checks stopped before their end"
import os, re, sys
sd, md = sys.argv[1:3]
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond and detail:
        print("#   " + str(detail)[:400])
def fields(sid):
    out = []
    for line in open(os.path.join(sd, sid.replace("/", "-") + ".schema"), encoding="utf-8"):
        w = line.split()
        if not w or w[0].startswith("#") or w[0] == "schema":
            continue
        if w[0] == "extends":
            out += fields(w[1])
        else:
            out.append((w[0], w[2]))
    return out
# the codebook's rows per section
rows, sec = {}, None
for line in open(md, encoding="utf-8"):
    m = re.match(r"## (\S+/\d+)$", line.strip())
    if m:
        sec = m.group(1)
        rows[sec] = {}
    m = re.match(r"\| `([^`]+)` \| (.*) \|$", line.rstrip("\n"))
    if m and sec:
        rows[sec][m.group(1)] = [c.strip() for c in m.group(2).split(" | ")]
report = ["person_support/1", "model_fit/1", "model_coef/1", "table_labelled/1", "table/1", "reject/1", "unlinked/1"]
ok(sorted(rows) == sorted(report), "the codebook has the seven sections of a report folder", sorted(rows))
for sid in report:
    fl = fields(sid)
    got = rows.get(sid, {})
    ok([f for f, _ in fl] == list(got), "%s: a row per field, in the schema's order (%d)" % (sid, len(fl)),
       set(f for f, _ in fl) ^ set(got))
    nolabel = [f for f, _ in fl if f in got and not re.fullmatch(r".+ / .+", got[f][0])]
    ok(not nolabel, "%s: every field has a label in Dutch and in English" % sid, nolabel)
    nomiss = [f for f, req in fl if req == "opt" and f in got and
              (not re.fullmatch(r".+ / .+", got[f][2]) or got[f][2] == "nooit leeg / never empty")]
    ok(not nomiss, "%s: every optional field says what empty means, in both languages" % sid, nomiss)
# the words: every exact-name label line of a .labels file of these sections, as written
# (a later line for the same field and language wins, as schemas/README.md says)
bad, n = [], 0
for sid in report:
    want = {}
    for line in open(os.path.join(sd, sid.replace("/", "-") + ".labels"), encoding="utf-8"):
        m = re.match(r"label\.(nl|en) ([a-z0-9_]+) (.+)$", line.rstrip("\n"))
        if m:
            want[(m.group(2), m.group(1))] = m.group(3)
    for (f, lang), text in want.items():
        n += 1
        cell = rows.get(sid, {}).get(f, ["?"])[0]
        nl, _, en = cell.partition(" / ")
        if (nl if lang == "nl" else en) != text:
            bad.append("%s %s %s: %r, labels file %r" % (sid, f, lang, cell, text))
ok(n > 100 and not bad, "the codebook shows the labels files' words (%d labels)" % n, bad[:3])
# Stata keeps 80 characters of a variable label: every label fits
long = ["%s %s" % (sid, f) for sid in report for f, cells in rows.get(sid, {}).items()
        if any(len(w) > 80 for w in cells[0].split(" / "))]
ok(not long, "every variable label fits Stata's 80 characters", long)
PY
ok_if "the HTML codebook is one page with a table per section" test "$(grep -c '<table' cb.html)" -ge 6
done_testing
