#!/usr/bin/env python3
"""support.py - small independent helpers for the classify-support tests.

    support.py table OUT.csv             the added columns (support_method left out) of a plain
                                         person_support/1 stream as a table: one line per
                                         person, `KEY v v v ...`, '.' = missing
    support.py norm TABLE                a hand-written table without comments, '|' and extra
                                         white space (what `table` prints)
    support.py apply TABLE CHANGES       TABLE with CHANGES applied: lines `KEY column=value`
                                         ('.' = missing); a change that changes nothing fails
    support.py coldiff A.csv B.csv       names of the columns (input columns included) whose
                                         value differs in any record, one a line; fails unless
                                         both have the same sections, headers and keys
    support.py method OUT.csv            the distinct support_method values, one a line
    support.py added                     the columns person_support/1 adds, one a line

The column order of a table is that of schemas/person_support-1.schema after the
person_status/1 columns, read from the schema files, not from the program under test.
"""
import csv
import os
import sys

ROOT = os.environ.get("KETEN_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "classify-support"))
from mkstatus import key_label  # noqa: E402  (the people file's KEY of a hex person_key)


def schema_fields(sid):
    name, version = sid.split("/")
    fields = []
    with open(os.path.join(ROOT, "schemas", "%s-%s.schema" % (name, version))) as fp:
        for line in fp:
            words = line.split()
            if not words or words[0].startswith("#") or words[0] == "schema":
                continue
            if words[0] == "extends":
                fields += schema_fields(words[1])
            else:
                fields.append(words[0])
    return fields


ADDED = schema_fields("person_support/1")[len(schema_fields("person_status/1")):]
TABLE_COLS = [c for c in ADDED if c != "support_method"]


def sections(path):
    """[(schema line, header, [rows])] of a plain stream."""
    out = []
    with open(path, newline="") as fp:
        lines = fp.read().split("\n")
    body = []
    for line in lines:
        if line.startswith("#schema "):
            body = []
            out.append((line, body))
        elif line:
            body.append(line)
    result = []
    for sline, text in out:
        rows = list(csv.reader(text))
        result.append((sline, rows[0], rows[1:]))
    return result


def records(path):
    for _, header, rows in sections(path):
        for row in rows:
            yield dict(zip(header, row))


def table(path):
    for rec in records(path):
        print(" ".join([key_label(rec["person_key"])] + [rec[c] or "." for c in TABLE_COLS]))


def norm_lines(path):
    out = []
    with open(path) as fp:
        for line in fp:
            words = [w for w in line.split("#", 1)[0].split() if w != "|"]
            if not words:
                continue
            if len(words) != len(TABLE_COLS) + 1:
                sys.exit("support.py: %s: %s: %d values, wanted %d"
                         % (path, words[0], len(words) - 1, len(TABLE_COLS)))
            out.append(words)
    return out


def apply(tpath, cpath):
    rows = norm_lines(tpath)
    by_key = {r[0]: r for r in rows}
    with open(cpath) as fp:
        for line in fp:
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            key = words[0]
            for change in words[1:]:
                col, _, val = change.partition("=")
                i = TABLE_COLS.index(col) + 1
                if by_key[key][i] == val:
                    sys.exit("support.py: %s: %s %s is already %s" % (cpath, key, col, val))
                by_key[key][i] = val
    for r in rows:
        print(" ".join(r))


def coldiff(apath, bpath):
    a, b = sections(apath), sections(bpath)
    if [(s, h, len(r)) for s, h, r in a] != [(s, h, len(r)) for s, h, r in b]:
        sys.exit("support.py: %s and %s differ in sections, headers or record counts"
                 % (apath, bpath))
    changed = set()
    for (_, header, arows), (_, _, brows) in zip(a, b):
        k = header.index("person_key")
        for ra, rb in zip(arows, brows):
            if ra[k] != rb[k]:
                sys.exit("support.py: person_key %s vs %s" % (ra[k], rb[k]))
            changed.update(h for h, x, y in zip(header, ra, rb) if x != y)
    for h in a[0][1] if a else []:
        if h in changed:
            print(h)


def method(path):
    seen = []
    for rec in records(path):
        if rec["support_method"] not in seen:
            seen.append(rec["support_method"])
    print("\n".join(seen))


cmd = sys.argv[1]
if cmd == "table":
    table(sys.argv[2])
elif cmd == "norm":
    for r in norm_lines(sys.argv[2]):
        print(" ".join(r))
elif cmd == "apply":
    apply(sys.argv[2], sys.argv[3])
elif cmd == "coldiff":
    coldiff(sys.argv[2], sys.argv[3])
elif cmd == "added":
    print("\n".join(ADDED))
elif cmd == "method":
    method(sys.argv[2])
else:
    sys.exit("support.py: unknown command " + cmd)
