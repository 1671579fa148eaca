#!/usr/bin/env python3
"""Independent checks of link-waves on a synth world (plain-text streams).

  account.py SECTIONS PERSON UNLINKED STDERR

SECTIONS is ingest's output, PERSON link-waves' person/1, UNLINKED its unlinked/1,
STDERR its messages. Prints one "ok"/"bad" line per check:
  persons      every person_key of the input is in person/1 or in unlinked/1, never both
  respondents  every wave row's respondent is linked (responded_wK = 1) or its row unlinked
  population   person/1 holds exactly the people with a granted application in the window
  index        application_line, n_applications, n_refused_before, uwv_rows, the sample
               columns and responded_wK as recomputed here from the input rows
  stderr       per section, "N read" equals the rows of the input and "N unlinked" the
               rows of unlinked/1
"""
import csv, re, sys
from collections import defaultdict

def sections(path):
    out = defaultdict(list); name = None; hdr = None
    for row in csv.reader(open(path, encoding="utf-8")):
        if row and row[0].startswith("#schema "):
            name = row[0].split()[1]; hdr = None; continue
        if hdr is None: hdr = row; continue
        out[name].append(dict(zip(hdr, row)))
    return out

inp = sections(sys.argv[1]); person = sections(sys.argv[2])["person/1"]
unl = sections(sys.argv[3])["unlinked/1"]; err = open(sys.argv[4]).read()
res = []
def check(name, ok, detail=""):
    res.append(("ok" if ok else "bad") + " " + name + ("" if ok else ": " + detail))

keys_in = set()
for s in ("application/1", "handover_uwv/1", "benefit_spell/1", "sample/1"):
    keys_in |= {r["person_key"] for r in inp[s]}
out_keys = {r["person_key"] for r in person}
unl_keys = {r["person_key"] for r in unl if r["person_key"]}
check("persons", keys_in == out_keys | unl_keys and not (out_keys & {r["person_key"] for r in unl if r["reason"] in ("no_index_application", "spell_without_application", "handover_without_application", "sample_without_application")}),
      "%d in, %d out, %d unlinked" % (len(keys_in), len(out_keys), len(unl_keys)))

resp_out = {r["respondent_id"]: r for r in person if r["respondent_id"]}
unl_rows = {(r["section"], r["source_line"], r["respondent_id"]) for r in unl}
bad = []
for k in (1, 2, 3):
    for w in inp["wave%d/1" % k]:
        p = resp_out.get(w["respondent_id"])
        linked = p is not None and p["responded_w%d" % k] == "1"
        unlinked = ("wave%d/1" % k, w["source_line"], w["respondent_id"]) in unl_rows
        if linked == unlinked: bad.append((k, w["respondent_id"]))
check("respondents", not bad, str(bad[:5]))

apps = defaultdict(list)
for a in inp["application/1"]: apps[a["person_key"]].append(a)
index = {}
for k, aa in apps.items():
    g = [a for a in aa if a["decision"] == "granted" and "2006-03-01" <= a["application_date"] <= "2006-04-30"]
    if g: index[k] = min(g, key=lambda a: (a["application_date"], int(a["source_line"])))
check("population", set(index) == out_keys, "%d expected, %d written" % (len(index), len(out_keys)))

ho = defaultdict(int)
for h in inp["handover_uwv/1"]: ho[h["person_key"]] += 1
samp = {s["person_key"]: s for s in inp["sample/1"]}
answered = {k: {w["respondent_id"] for w in inp["wave%d/1" % k]} for k in (1, 2, 3)}
bad = []
for r in person:
    k = r["person_key"]; i = index.get(k)
    if i is None: continue
    before = sum(1 for a in apps[k] if a["decision"] == "refused" and
                 (a["application_date"], int(a["source_line"])) < (i["application_date"], int(i["source_line"])))
    s = samp.get(k)
    want = {"application_line": i["source_line"], "n_applications": str(len(apps[k])),
            "n_refused_before": str(before), "uwv_rows": str(ho[k]),
            "in_sample": "1" if s else "0", "respondent_id": s["respondent_id"] if s else "",
            "stratum": s["stratum"] if s else ""}
    for c in ("benefit", "application_date", "birth_date", "sex", "origin", "phase", "office"):
        want[c] = i[c]
    for w in (1, 2, 3):
        want["responded_w%d" % w] = "1" if s and s["respondent_id"] in answered[w] else "0"
    for c, v in want.items():
        if r[c] != v: bad.append((k, c, r[c], v))
check("index", not bad, "%d differences, e.g. %s" % (len(bad), bad[:3]))

bad = []
for s in ("application/1", "handover_uwv/1", "benefit_spell/1", "sample/1", "wave1/1", "wave2/1", "wave3/1"):
    m = re.search(r"^link-waves: %s: (\d+) read,.* (\d+) unlinked" % re.escape(s), err, re.M)
    nu = sum(1 for r in unl if r["section"] == s)
    if not m or int(m.group(1)) != len(inp[s]) or int(m.group(2)) != nu:
        bad.append((s, m.groups() if m else None, len(inp[s]), nu))
check("stderr", not bad, str(bad))
print("\n".join(res))
