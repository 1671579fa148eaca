#!/usr/bin/env python3
"""Helpers for the derive-status tests (independent of the C code).

  derive.py mkinput PEOPLE      hand-made people (KEY field=value ...) -> person/1 CSV
  derive.py table STREAM        person_status/1 CSV -> "KEY col=value ..." for every
                                non-empty column derive-status adds
  derive.py norm EXPECTED       the expected file in the same form (comments dropped)
  derive.py apply EXPECTED CHANGES   EXPECTED with the "KEY col=value" lines of CHANGES
                                set (value may be empty = missing)
"""
import csv, os, sys

ROOT = os.environ.get("KETEN_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))

def fields(schema):
    out = []
    for line in open(os.path.join(ROOT, "schemas", schema + "-1.schema"), encoding="utf-8"):
        w = line.split()
        if not w or w[0].startswith("#") or w[0] in ("schema", "extends"):
            continue
        out.append(w[0])
    return out

PERSON = fields("person")
ADDED = fields("person_status")   # only the added ones: person_status extends person

BASE = dict(n_applications="1", n_refused_before="0", birth_date="1970-06-15", sex="male",
            origin="native", application_date="2006-03-15", benefit="ww", phase="1",
            office="0101", uwv_rows="0", in_sample="0", responded_w1="0",
            responded_w2="0", responded_w3="0")

def records(path):
    """KEY field=value ... ; a line starting with whitespace continues the previous one."""
    cur = None
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        if line[0].isspace() and cur:
            cur[1].extend(line.split())
            continue
        if cur:
            yield cur
        w = line.split()
        cur = (w[0], w[1:])
    if cur:
        yield cur

def mkinput(path):
    w = csv.writer(sys.stdout, lineterminator="\n")
    print("#schema person/1")
    w.writerow(PERSON)
    for n, (key, kv) in enumerate(records(path), 1):
        row = dict(BASE, person_key="%032x" % int(key[1:]), application_line=str(n))
        for item in kv:
            f, v = item.split("=", 1)
            if f == "answered":
                for k in v.split(","):
                    row["responded_w" + k] = "1"
                continue
            if f not in PERSON:
                sys.exit("mkinput: no person/1 field " + f)
            row[f] = v
        w.writerow([row.get(f, "") for f in PERSON])

def table(path):
    rows = csv.DictReader(l for l in open(path, encoding="utf-8") if not l.startswith("#"))
    for r in rows:
        key = "p%02d" % int(r["person_key"], 16)
        print(key, " ".join("%s=%s" % (c, r[c]) for c in ADDED if r[c] != ""))

def load(path):
    return {k: dict(i.split("=", 1) for i in kv) for k, kv in records(path)}

def dump(d):
    for k in sorted(d):
        print(k, " ".join("%s=%s" % (c, d[k][c]) for c in ADDED if d[k].get(c, "") != ""))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "mkinput": mkinput(sys.argv[2])
    elif cmd == "table": table(sys.argv[2])
    elif cmd == "norm": dump(load(sys.argv[2]))
    elif cmd == "apply":
        d = load(sys.argv[2])
        for k, kv in records(sys.argv[3]):
            for i in kv:
                c, v = i.split("=", 1)
                d[k][c] = v
        dump(d)
    else: sys.exit("derive.py: unknown command " + cmd)
