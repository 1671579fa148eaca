#!/usr/bin/env python3
"""fingerprint.py SPEC STREAM - what calibrate-weights reads from STREAM under SPEC, as one line.

Prints "persons N sha256 HEX": HEX is the SHA-256 of person_key and every column SPEC names
(the weight, the sets' bool columns, the margins' columns), row by row as 'v,v,...\\n'.
make-expected.R records it for the demo world; r-agreement.t recomputes it, so a change of
the world (synth, or a stage before calibrate-weights) shows as "rerun make-expected.R"
rather than as a disagreement with R."""
import csv
import gzip
import hashlib
import io
import sys

spec, path = sys.argv[1], sys.argv[2]
cols = []
for line in open(spec):
    words = line.split("#", 1)[0].replace("&", " ").split()
    if not words:
        continue
    if words[0] == "weight":
        cols.append(words[1])
    elif words[0] == "set":
        cols += words[2:]
    elif words[0] == "margin":
        cols += words[1:]
cols = ["person_key"] + sorted(set(cols) - {"person_key"})
raw = open(path, "rb").read()
if raw[:2] == b"\x1f\x8b":
    raw = gzip.decompress(raw)
lines = io.StringIO(raw.decode("utf-8"), newline="")
first = lines.readline()
if not first.startswith("#schema "):
    sys.exit("fingerprint.py: %s: not a record stream" % path)
rows = csv.reader(lines)
header = next(rows)
idx = [header.index(c) for c in cols]
h = hashlib.sha256()
n = 0
for r in rows:
    if r and r[0].startswith("#schema"):
        sys.exit("fingerprint.py: %s: more than one section" % path)
    h.update((",".join(r[i] for i in idx) + "\n").encode())
    n += 1
print("persons %d sha256 %s" % (n, h.hexdigest()))
