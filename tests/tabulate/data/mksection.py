#!/usr/bin/env python3
"""mksection.py [SCHEMA] COMPACT.csv > section.csv

Expand a compact CSV (a header naming a few columns of SCHEMA, default person_support/1,
then rows) into a full section (plain text: `#schema` line, the schema's header, rows), so
tabulate's tests can write only the columns that matter. Every other column gets a valid
default (required ones) or stays empty. The field list is read from schemas/*.schema
(following `extends`), so the helper follows the contract instead of copying it.
Lines of COMPACT starting with '#' are comments.
"""
import csv
import io
import os
import re
import sys

ROOT = os.environ.get("KETEN_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..", "..")

DEFAULTS = {
    # model_fit/1, model_coef/1
    "family": "logit", "outcome": "y", "population": "all", "weights": "design",
    "variance": "design", "iterations": "5", "converged": "1", "status": "ok",
    "spec_hash": "00c0ffee00c0ffee", "aliased": "0",
    # person_support/1
    "n_applications": "1", "n_refused_before": "0", "application_line": "1",
    "birth_date": "1970-01-01", "sex": "female", "origin": "native",
    "application_date": "2006-03-15", "benefit": "ww", "phase": "1", "office": "0001",
    "uwv_rows": "0", "in_sample": "0", "responded_w1": "0", "responded_w2": "0",
    "responded_w3": "0", "age": "36", "age_class": "35_44", "migrant": "0",
    "large_distance": "0", "support_method": "contacts=report;dont_know=no;carryover=yes;on_time=28",
}


def fields(name):
    path = os.path.join(ROOT, "schemas", name.replace("/", "-") + ".schema")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if not w or w[0].startswith("#"):
                continue
            if w[0] == "schema":
                continue
            if w[0] == "extends":
                out.extend(fields(w[1]))
                continue
            out.append(w[0])
    return out


def main():
    args = sys.argv[1:]
    schema = args.pop(0) if args and re.fullmatch(r"[a-z_]+/[0-9]+", args[0]) else "person_support/1"
    names = fields(schema)
    src = open(args[0], encoding="utf-8", newline="") if args else sys.stdin
    rows = list(csv.reader(line for line in src if not line.startswith("#")))
    head, body = rows[0], rows[1:]
    for h in head:
        if h not in names:
            sys.exit("mksection: %s: not a %s column" % (h, schema))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    out.write("#schema %s\n" % schema)
    w.writerow(names)
    for i, r in enumerate(body, 1):
        if len(r) != len(head):
            sys.exit("mksection: row %d: %d fields, header has %d" % (i, len(r), len(head)))
        v = dict(zip(head, r))
        if schema == "person_support/1":
            # person_key is hex32 (32 lowercase hex digits): a key of another form (k0001
            # in survey.csv) becomes the hex of its bytes padded with '0', order kept
            k = v.get("person_key") or "%032x" % i
            if not re.fullmatch(r"[0-9a-f]{32}", k):
                k = k.encode().hex().ljust(32, "0")
            v["person_key"] = k
        w.writerow([v.get(n, DEFAULTS.get(n, "")) for n in names])
    sys.stdout.write(out.getvalue())


main()
