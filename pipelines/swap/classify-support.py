#!/usr/bin/env python3
"""classify-support.py - a swapped-in classify-support, in Python (stdlib only).

A stand-alone re-implementation of bin/classify-support with a different method: H2
contacts about work left out (the wave-3 guidance question is not comparable with the
count of contacts of waves 1-2) and "don't know" answers as missing. It reads and writes
the same record stream - plain CSV, person_status/1 in, person_support/1 out - so it can
take the C stage's place in the chain:

    ingest ... | link-waves | derive-status | gzip -dcf |
        python3 pipelines/swap/classify-support.py | gzip -1 | fit-models SPEC | ...

It should agree with `classify-support --contacts exclude --dont-know missing` on every
column except support_method, where it says what it is (tests/classify-support/swap.t).

Rules (schemas/person_support-1.schema): a flag of a period is 1 when any wave of the
period answers yes, else missing when one answers dont_know, else 0 (empty = not
received); set only for people who answered a wave of the period (H1: wave 1 or 2; H2:
wave 3; first year: waves 2 and 3). Help with non-work problems only for people with a
problem in the period. Handover: WW only.

Stream format handled: `#schema NAME/VERSION` lines, RFC 4180 CSV; output quoted like the
C writer (a field with '"', ',', CR or LF, or starting with '#'). Input may be plain or
gzip (told by the magic bytes, as the C stages do); output is plain text (REC_LEVEL=0):
put `| gzip -1` after it to keep a compressed stream.
"""
import csv
import datetime
import gzip
import io
import sys

CONTACTS_THRESHOLD = 0      # H1 contacts: contacts_work > this
ON_TIME_DAYS = 28           # handover on time: days <= this
METHOD = ("contacts=exclude;threshold=%d;dont_know=missing;carryover=yes;on_time=%d;"
          "impl=pipelines/swap/classify-support.py" % (CONTACTS_THRESHOLD, ON_TIME_DAYS))

FORMS = [("advice", "advice_vacancies"), ("help_applying", "help_applying"),
         ("own_business", "help_own_business"), ("programme", "programme"),
         ("training", "training")]
ADDED = (["support_method"]
         + ["h1_" + f for f, _ in FORMS] + ["h1_problem_help", "h1_contacts", "h1_any_support"]
         + ["h2_" + f for f, _ in FORMS] + ["h2_problem_help", "h2_contacts", "h2_any_support"]
         + ["year_advice", "year_help_applying", "year_own_business", "year_programme",
            "year_h2_programme", "year_training", "year_problem_help", "year_contacts",
            "year_any_support"]
         + ["handover_known_cwi", "handover_known_uwv", "handover_category", "handover_days",
            "handover_on_time"])

NA = "n/a"                   # not defined (no problem; H2 contacts): left out of combinations


def die(msg):
    sys.stderr.write("classify-support.py: %s\n" % msg)
    sys.exit(1)


def period(answers):
    """Flag of a period from its waves' yes/no/dont_know answers: 1, 0 or None (missing)."""
    if "yes" in answers:
        return 1
    if "dont_know" in answers:
        return None
    for a in answers:
        if a not in ("no", ""):
            die("unexpected answer %r" % a)
    return 0


def combine(values):
    """Any of several flags: 1 if one is 1, else None if one is missing, else 0; NA ignored."""
    values = [v for v in values if v is not NA]
    if not values:
        return NA
    if 1 in values:
        return 1
    if None in values:
        return None
    return 0


def text(v):
    if v is None or v is NA:
        return ""
    return str(v)


def quote(v):
    if v and (v[0] == "#" or any(c in v for c in '",\r\n')):
        return '"' + v.replace('"', '""') + '"'
    return v


def classify(rec):
    resp = [rec["responded_w%d" % w] == "1" for w in (1, 2, 3)]
    out = [METHOD]

    # H1: waves 1 and 2
    if resp[0] or resp[1]:
        h1 = [period([rec["w1_" + item], rec["w2_" + item]]) for _, item in FORMS]
        if rec["h1_nonwork_problem"] == "1":
            h1_ph = period([rec["w1_help_problems"], rec["w2_help_problems"]])
        else:
            h1_ph = NA
        counts = [rec["w1_contacts_work"], rec["w2_contacts_work"]]
        h1_c = int(any(c != "" and int(c) > CONTACTS_THRESHOLD for c in counts))
        h1_any = combine(h1 + [h1_ph, h1_c])
    else:
        h1, h1_ph, h1_c, h1_any = [None] * 5, None, None, None
    out += [text(v) for v in h1 + [h1_ph, h1_c, h1_any]]

    # H2: wave 3; contacts (guidance_work) excluded
    h2_c = NA
    if resp[2]:
        h2 = [period([rec["w3_" + item]]) for _, item in FORMS]
        h2_ph = period([rec["w3_help_problems"]]) if rec["h2_nonwork_problem"] == "1" else NA
        h2_any = combine(h2 + [h2_ph])
    else:
        h2, h2_ph, h2_any = [None] * 5, None, None
    out += [text(v) for v in h2 + [h2_ph, h2_c, h2_any]]

    # the first year: waves 2 and 3
    if resp[1] and resp[2]:
        year = [combine([a, b]) for a, b in zip(h1, h2)]
        prog = year[3]                      # carry-over: an H1 programme runs on in H2
        out += [text(v) for v in year[:4] + [prog, year[4]]]
        out += [text(combine([h1_ph, h2_ph])), text(combine([h1_c, h2_c])),
                text(combine([h1_any, h2_any]))]
    else:
        out += [""] * 9

    # handover (WW)
    if rec["benefit"] == "ww":
        cwi = rec["cwi_handover_date"]
        uwv_known = int(rec["uwv_rows"]) > 0
        category = {(1, 1): "both", (1, 0): "cwi_only", (0, 1): "uwv_only", (0, 0): "none"}
        date = cwi or (rec["uwv_received_date"] if uwv_known else "")
        if date:
            days = (datetime.date.fromisoformat(date)
                    - datetime.date.fromisoformat(rec["application_date"])).days
            days_text, on_time = str(days), str(int(days <= ON_TIME_DAYS))
        else:
            days_text, on_time = "", ""
        out += [str(int(cwi != "")), str(int(uwv_known)),
                category[(int(cwi != ""), int(uwv_known))], days_text, on_time]
    elif rec["benefit"] == "wwb":
        out += [""] * 5
    else:
        die("benefit %r" % rec["benefit"])
    return out


def open_input():
    raw = sys.stdin.buffer
    if raw.peek(2)[:2] == b"\x1f\x8b":
        raw = gzip.GzipFile(fileobj=raw, mode="rb")
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def main():
    reader = csv.reader(open_input())
    write = sys.stdout.write
    header = None
    expect_header = False
    for row in reader:
        if len(row) == 1 and row[0].startswith("#schema "):
            if row[0] != "#schema person_status/1":
                die("line %d: section %s: reads person_status/1"
                    % (reader.line_num, row[0][8:]))
            expect_header = True
            continue
        if expect_header:
            header = row
            write("#schema person_support/1\n")
            write(",".join(quote(v) for v in header + ADDED) + "\n")
            expect_header = False
            continue
        if header is None:
            die("line %d: record before any #schema line" % reader.line_num)
        if len(row) != len(header):
            die("line %d: %d fields, header has %d" % (reader.line_num, len(row), len(header)))
        write(",".join(quote(v) for v in row + classify(dict(zip(header, row)))) + "\n")
    if header is None:
        die("no person_status/1 section in the input")


# --help and --version answer without reading stdin (pipelines/lib.sh's KETEN_VERSION).
VERSION = "0.1"
if sys.argv[1:] == ["--help"]:
    print("usage: classify-support.py [--help | --version] < person_status/1 > person_support/1\n")
    print(__doc__.split("\n", 1)[1].strip())
    sys.exit(0)
if sys.argv[1:] == ["--version"]:
    print("classify-support.py ketenmonitor " + VERSION)
    sys.exit(0)
if sys.argv[1:]:
    sys.stderr.write("classify-support.py: takes no arguments (reads stdin)\nTry 'classify-support.py --help'.\n")
    sys.exit(2)
main()
