#!/usr/bin/env python3
"""Checks cohort-page's HTML page of the hand-made stream (mkhand.py) against answers worked
out by hand from that stream: parses the page as XML (it is well-formed by design), then

  the charts, in page order (WW: applicants, 3, 6, 12 months, the four handover
  categories, the median, the curves; WWB: applicants, 3, 6, 12 months), by what each draws
  (dots, line paths, bands; per series for the curves):
    WW applicants 100, 120, x, 90          -> 3 dots, 2 line paths (a gap at 2006-03), no band
    WW 3 months 80 %, 75 %, x, not yet     -> 2 dots, 1 line, 1 band
    WW 6 months 60 %, 55 %, -, -           -> 2, 1, 1;  12 months 40 % alone -> 1, 1, 1
    handover: 2006-01 only (2006-02 suppressed) -> 1, 1, 1 each
    median 8.5, 9.26 provisional           -> 2, 1, 1
    curves of the last 3 cohorts with a reading: 2006-02 (S(1..11): 11 dots), 2006-03 (S(1..5):
      5; S(6) suppressed), 2006-04 (S(1..2): 2), each 1 line and 1 band, at the same x positions
    WWB applicants 50, 60 -> 2, 1, 0; 3 months -> 2, 1, 1; 6 and 12 months not yet known -> nothing
  the tables: numbers as the page's language writes them (80,0% / 80.0%), 'x' and nothing
  else for a suppressed figure, the status word for one not yet known, '*' after a
  provisional estimate; and no number of a suppressed row anywhere (0.4242, 0.4343, n 7).

usage: pagecheck.py PAGE nl|en  - prints TAP lines."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
page_file, lang = sys.argv[1], sys.argv[2]
page = ET.parse(page_file).getroot()
body = page.find("body")
nl = lang == "nl"

def ok(cond, desc):
    print(("ok - " if cond else "not ok - ") + "%s: %s" % (lang, desc))

def num(s):
    return s.replace(".", ",") if nl else s

W = {"known": "bekend" if nl else "known", "nyk": "nog niet bekend" if nl else "not yet known",
     "supp": "onderdrukt" if nl else "suppressed", "prov": "voorlopig" if nl else "provisional"}

ok(page.get("lang") == lang, "the page's language is %s" % page.get("lang"))
svgs = list(body.iter(NS + "svg"))
ok(len(svgs) == 14, "14 charts: 9 indicators and the curves for WW, 4 indicators for WWB (%d)" % len(svgs))

def count(svg, tag, cls):
    return sum(1 for e in svg.iter(NS + tag) if e.get("class") == cls)

want = [("WW applicants", 3, 2, 0), ("WW 3 months", 2, 1, 1), ("WW 6 months", 2, 1, 1), ("WW 12 months", 1, 1, 1),
        ("WW handover none", 1, 1, 1), ("WW handover cwi_only", 1, 1, 1), ("WW handover uwv_only", 1, 1, 1),
        ("WW handover both", 1, 1, 1), ("WW median", 2, 1, 1), None,
        ("WWB applicants", 2, 1, 0), ("WWB 3 months", 2, 1, 1), ("WWB 6 months", 0, 0, 0), ("WWB 12 months", 0, 0, 0)]
for s, w in zip(svgs, want):
    if w is None:
        continue
    got = (count(s, "circle", "pt"), count(s, "path", "line"), count(s, "path", "band"))
    ok(got == w[1:], "%s: dots, line paths, bands %s (want %s)" % (w[0], got, w[1:]))
    ok(s.get("role") == "img" and s.get("aria-label", "").startswith("Lijngrafiek van" if nl else "Line chart of"),
       "%s: the chart is an image with a label" % w[0])
# the 80 % dot above the 75 % one (SVG y grows downwards)
dots = [float(c.get("cy")) for c in svgs[1].iter(NS + "circle")]
ok(len(dots) == 2 and dots[0] < dots[1], "WW 3 months: the 80%% dot above the 75%% one (%s)" % dots)
curves = svgs[9]
for cls, name, dots_want in (("", "2006-02", 11), (" s1", "2006-03", 5), (" s2", "2006-04", 2)):
    got = (count(curves, "circle", "pt" + cls), count(curves, "path", "line" + cls), count(curves, "path", "band" + cls))
    ok(got == (dots_want, 1, 1), "curve of %s: dots, line paths, bands %s (want %s)" % (name, got, (dots_want, 1, 1)))
cx = {cls: [c.get("cx") for c in curves.iter(NS + "circle") if c.get("class") == "pt" + cls] for cls in ("", " s1", " s2")}
ok(cx[" s1"] == cx[""][:5] and cx[" s2"] == cx[""][:2], "the curves' readings of a month at the same x")
legend = [p for p in body.iter("p") if p.get("class") == "legend"]
ok(len(legend) == 1 and "".join(legend[0].itertext()) == "2006-022006-032006-04", "the legend names the three cohorts")

def rows(t):
    return [[("".join(td.itertext())).strip() for td in tr.findall("td")] for tr in t.find("tbody").findall("tr")]

tables = [t for t in body.iter("table") if t.get("class") == "cohorts"]
ok(len(tables) == 14, "a table under every chart (%d)" % len(tables))
r = rows(tables[0])
ok(r == [["2006-01", "100", "", "100", W["known"]], ["2006-02", "120", "", "120", W["known"]],
         ["2006-03", "x", "", "", W["supp"]], ["2006-04", "90", "", "90", W["known"]]], "WW applicants table %s" % r)
r = rows(tables[1])
ok(r[0] == ["2006-01", num("80.0%"), num("71.0%") + " – " + num("87.0%"), "100", W["known"]], "WW 3 months 2006-01 %s" % r[0])
ok(r[2] == ["2006-03", "x", "", "", W["supp"]], "WW 3 months 2006-03 suppressed: x and nothing else %s" % r[2])
ok(r[3] == ["2006-04", W["nyk"], "", "", W["nyk"]], "WW 3 months 2006-04 not yet known, no number %s" % r[3])
r = rows(tables[3])
ok([x[1] for x in r] == [num("40.0%"), W["nyk"], W["nyk"], W["nyk"]], "WW 12 months: known for 2006-01 only %s" % r)
r = rows(tables[4])
ok(r[1] == ["2006-02", "x", "", "", W["supp"]], "handover none 2006-02 suppressed %s" % r[1])
r = rows(tables[8])
ok(r[0] == ["2006-01", num("8.5"), num("7.0") + " – " + num("10.0"), "100", W["known"]], "median 2006-01 %s" % r[0])
ok(r[1] == ["2006-02", num("9.3") + " *", num("8.0") + " – " + num("11.0"), "120", W["prov"]],
   "median 2006-02 provisional, marked %s" % r[1])
r = rows(tables[9])
ok(len(r) == 18, "curves table: months 1..18")
ok(r[5] == ["6", num("70.0%"), num("65.0%") + " – " + num("75.0%"), "90", "x", "", "", W["nyk"], "", ""],
   "curves month 6: 2006-02 known, 2006-03 suppressed, 2006-04 not yet known %s" % r[5])
ok(r[10][1] == num("45.0%") + " *" and r[0][7] == num("97.0%") + " *", "curves: provisional readings marked (%s, %s)"
   % (r[10][1], r[0][7]))
r = rows(tables[13])
ok(r == [["2006-01", W["nyk"], "", "", W["nyk"]], ["2006-02", W["nyk"], "", "", W["nyk"]]], "WWB 12 months %s" % r)
# every text of the page and every attribute but the drawing's coordinates
text = "".join(page.itertext()) + " ".join(v for e in page.iter() for k, v in e.attrib.items()
                                           if k not in ("d", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy"))
ok(not any(s in text for s in ("42,4", "42.4", "0.4242", "43,4", "43.4", "0.4343")),
   "no number of a suppressed row on the page")
