#!/usr/bin/env python3
"""mkstatus.py - build a plain person_status/1 stream from a readable list of people.

    python3 mkstatus.py PEOPLE_FILE > status.csv

PEOPLE_FILE: one person per line, `KEY field=value field=value ...`; a line starting with
white space continues the previous person; `#` starts a comment. Every field not named
gets the base value below (a valid person of the study population, sampled, answered no
wave, every survey item empty), so a test names only what its case is about. The header
comes from schemas/person-1.schema + person_status-1.schema ($KETEN_ROOT), so the stream
stays valid when a column is added there.

One shorthand: `answered=1,2,3` (the waves the person answered) sets responded_wN=1 and,
in each such wave, every support item to no, contacts_work to 0 (waves 1-2), guidance_work
to no (wave 3), every prob_* to 0 and h1_/h2_nonwork_problem to 0: a respondent who got
nothing and has no problem. Fields named after it override it.

KEY is written as a person_key the schema accepts (hex32: 32 lowercase hex digits): a KEY
that is not one already becomes the hex of its bytes padded with '0' ("p01" ->
"703031" + 26 zeros), which keeps the keys' byte order; key_label() reads one back.
"""
import csv
import os
import re
import sys

ROOT = os.environ.get("KETEN_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")

BASE = {
    "n_applications": "1", "n_refused_before": "0", "application_line": "2",
    "birth_date": "1970-01-01", "sex": "female", "origin": "native",
    "application_date": "2006-03-01", "benefit": "wwb", "phase": "1", "office": "0001",
    "uwv_rows": "0", "in_sample": "1", "responded_w1": "0", "responded_w2": "0",
    "responded_w3": "0", "age": "36", "age_class": "35_44", "migrant": "0",
    "large_distance": "0",
}


def hex_key(key):
    if re.fullmatch(r"[0-9a-f]{32}", key):
        return key
    raw = key.encode()
    if len(raw) > 16:
        sys.exit("mkstatus: %s: a KEY of at most 16 bytes" % key)
    return raw.hex().ljust(32, "0")


def key_label(key):
    """The KEY a hex_key came from (a key hex_key did not make is returned as it is)."""
    try:
        raw = bytes.fromhex(key).rstrip(b"\0")
        if raw and raw.isascii() and raw.decode().isprintable() and hex_key(raw.decode()) == key:
            return raw.decode()
    except ValueError:
        pass
    return key


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


def people(path):
    cur = None
    with open(path) as fp:
        for line in fp:
            text = line.split("#", 1)[0]
            if not text.strip():
                continue
            if text[0].isspace():
                if cur is None:
                    sys.exit("mkstatus: continuation before a person: " + line)
                cur[1].extend(text.split())
                continue
            if cur:
                yield cur
            words = text.split()
            cur = (words[0], words[1:])
    if cur:
        yield cur


def answered(w):
    row = {"responded_w" + w: "1", "h%s_nonwork_problem" % ("2" if w == "3" else "1"): "0"}
    for item in ("advice_vacancies", "help_applying", "help_own_business", "programme",
                 "training"):
        row["w%s_%s" % (w, item)] = "no"
    for item in ("health", "addiction", "debt", "care", "housing"):
        row["w%s_prob_%s" % (w, item)] = "0"
    if w == "3":
        row["w3_guidance_work"] = "no"
    else:
        row["w%s_contacts_work" % w] = "0"
    return row


def main():
    fields = schema_fields("person_status/1")
    out = csv.writer(sys.stdout, lineterminator="\n")
    sys.stdout.write("#schema person_status/1\n")
    out.writerow(fields)
    for key, sets in people(sys.argv[1]):
        row = dict(BASE, person_key=hex_key(key))
        for s in sets:
            f, _, v = s.partition("=")
            if f == "answered":
                for w in v.split(","):
                    row.update(answered(w))
                continue
            if f not in fields:
                sys.exit("mkstatus: %s: no field %s in person_status/1" % (key, f))
            row[f] = v
        out.writerow([row.get(f, "") for f in fields])


if __name__ == "__main__":
    main()
