#!/usr/bin/env python3
"""Checks trend-page's page for the hand-made history of tests/history/data (run1..4.csv,
headlines.spec): parses it as XML (the page is well-formed by design) and compares what
each chart draws and each table says with the answers worked out from the four runs:

  fig1 ww h1 (share): R1 0.5 [0.4,0.6], R2 0.55 [0.45,0.65], R3 suppressed, R4 0.6 [0.5,0.7]
    -> 3 dots; the line broken at R3: 2 line paths (R1-R2, R4 alone); 2 bands;
       table: R3 'onderdrukt', R4 60.0% 50.0% - 70.0% n 120
  hours ww h1 (mean): R1 7, R2 7.5, R3 8 under method m2 (m1 before), R4 absent
    -> 3 dots, 1 line, 1 band, 1 dashed method line; table: R4 'niet in dit rapport',
       R3 'andere methode'
  fig4 wwb h1: in no run -> no dot, line or band; 4 rows 'niet in dit rapport'
  runs table: 4 rows, R4's extracts 'gewijzigd' (another digest), R2 and R3 not.
usage: trendcheck.py PAGE  - prints TAP lines."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
page = ET.parse(sys.argv[1]).getroot()
body = page.find("body")

def ok(cond, desc):
    print(("ok - " if cond else "not ok - ") + desc)

svgs = body.iter(NS + "svg")
svgs = list(svgs)
ok(len(svgs) == 3, "three charts, one per headline figure (%d)" % len(svgs))
tables = [t for t in body.iter("table") if t.get("class") == "trend"]
ok(len(tables) == 3, "three tables of numbers (%d)" % len(tables))

def count(svg, tag, cls):
    return sum(1 for e in svg.iter(NS + tag) if e.get("class") == cls)

want = {0: (3, 2, 2, 0), 1: (3, 1, 1, 1), 2: (0, 0, 0, 0)}
names = ["fig1 (suppressed in R3)", "hours (method change at R3, absent in R4)", "fig4 (in no run)"]
for i, (dots, lines, bands, mcs) in want.items():
    s = svgs[i]
    got = (count(s, "circle", "pt"), count(s, "path", "line"), count(s, "path", "band"), count(s, "line", "mc"))
    ok(got == (dots, lines, bands, mcs), "%s: dots, line paths, bands, method lines %s (want %s)"
       % (names[i], got, (dots, lines, bands, mcs)))
    ok(s.get("role") == "img" and s.get("aria-label", "").startswith("Lijngrafiek van"),
       "%s: the chart is an image with a label" % names[i])

def rows(t):
    return [[("".join(td.itertext())).strip() for td in tr.findall("td")] for tr in t.find("tbody").findall("tr")]

r = rows(tables[0])
ok(len(r) == 4, "fig1: a row per run")
ok(r[2][2] == "onderdrukt", "fig1: R3 says suppressed, and shows no number (%s)" % r[2])
ok(r[3][2:] == ["60.0%", "50.0% - 70.0%", "120"], "fig1: R4's estimate, interval and n (%s)" % r[3][2:])
ok(r[0][2:] == ["50.0%", "40.0% - 60.0%", "100"], "fig1: R1's estimate, interval and n (%s)" % r[0][2:])
r = rows(tables[1])
ok(r[3][2] == "niet in dit rapport", "hours: R4 has no such cell (%s)" % r[3])
ok(r[2][-1] == "andere methode", "hours: R3's method change is noted (%s)" % r[2])
ok(r[1][2:5] == ["7.50", "6.50 - 8.50", "55"], "hours: R2's numbers (%s)" % r[1][2:5])
r = rows(tables[2])
ok(all(x[2] == "niet in dit rapport" for x in r) and len(r) == 4, "fig4: in no run")
runs = [t for t in body.iter("table") if t.get("class") != "trend"][0]
r = rows(runs)
ok([x[0] for x in r] == ["1", "2", "3", "4"] and [x[1] for x in r] == ["R1", "R2", "R3", "R4"],
   "the runs table: R1..R4 in publication order")
ok(["gewijzigd" in x[5] for x in r] == [False, False, False, True], "only R4's extracts changed (%s)" % [x[5] for x in r])
ok(r[3][4] == "uitkeringen=2007-04-01", "R4's peildatum (%s)" % r[3][4])
