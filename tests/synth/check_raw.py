#!/usr/bin/env python3
"""check_raw.py DIR - read synth's raw files back independently (no project code) and check
that they are as DOMAIN.md says they are delivered: encodings, BOM, line ends, delimiter,
headers, code lists, dates, BSN 11-check, routing, keys. Prints TAP lines."""
import re
import sys
from datetime import date

D = sys.argv[1]
failures = 0


def ok(cond, desc, detail=""):
    global failures
    if cond:
        print("ok - " + desc)
    else:
        failures += 1
        print("not ok - " + desc + (": " + detail if detail else ""))


HEADERS = {
    "cwi_aanvragen.csv": "bsn;geboortedatum;geslacht;herkomst;opleiding;aanvraagdatum;uitkering;fase;beslissing;beslisdatum;overdracht_datum;vestiging",
    "uwv_overdracht.csv": "bsn;ontvangstdatum;fase_uwv",
    "uitkeringen.csv": "bsn;uitkering;ingangsdatum;einddatum;einde_reden;peildatum",
    "steekproef.csv": "respnr;bsn;stratum;trekkingskans",
    "golf1.csv": "respnr;invuldatum;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk;huishouden",
    "golf2.csv": "respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk",
    "golf3.csv": "respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;begeleiding_werk",
}
REGISTRY = ["cwi_aanvragen.csv", "uwv_overdracht.csv", "uitkeringen.csv", "steekproef.csv"]
WAVES = ["golf1.csv", "golf2.csv", "golf3.csv"]


def read(name):
    return open(D + "/" + name, "rb").read()


def dmy(s):
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", s)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def bsn_ok(s):
    if not re.fullmatch(r"\d{8,9}", s):
        return False
    s = s.zfill(9)
    tot = sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])
    return tot % 11 == 0


rows = {}
# ---- encodings, line ends, BOM, headers, field counts ----
for name in REGISTRY:
    b = read(name)
    ok(not b.startswith(b"\xef\xbb\xbf"), name + ": no BOM")
    try:
        text = b.decode("cp1252")
        enc = True
    except UnicodeDecodeError as e:
        enc = False
        text = ""
        ok(False, name + ": decodes as Windows-1252", str(e))
    if enc:
        ok(True, name + ": decodes as Windows-1252")
    lines = b.split(b"\n")
    ok(lines[-1] == b"" and all(l.endswith(b"\r") for l in lines[:-1]), name + ": every line ends with CRLF")
    ok(b"\r" not in b.replace(b"\r\n", b""), name + ": no bare CR")
    ls = text.split("\r\n")[:-1]
    ok(ls[0] == HEADERS[name], name + ": header exact")
    nf = HEADERS[name].count(";") + 1
    bad = [i + 2 for i, l in enumerate(ls[1:]) if l.count(";") + 1 != nf]
    ok(not bad, name + ": every row has %d ';'-separated fields" % nf, "lines %s" % bad[:5])
    ok('"' not in text, name + ": no quote characters")
    rows[name] = [l.split(";") for l in ls[1:]]

for name in WAVES:
    b = read(name)
    if name == "golf2.csv":
        ok(b.startswith(b"\xef\xbb\xbf"), name + ": starts with a UTF-8 BOM")
        b = b[3:]
    else:
        ok(not b.startswith(b"\xef\xbb\xbf"), name + ": no BOM")
    try:
        text = b.decode("utf-8")
        ok(True, name + ": decodes as UTF-8")
    except UnicodeDecodeError as e:
        text = ""
        ok(False, name + ": decodes as UTF-8", str(e))
    ok(b"\r" not in b and b.endswith(b"\n"), name + ": LF line ends only")
    ls = text.split("\n")[:-1]
    ok(ls[0] == HEADERS[name], name + ": header exact")
    nf = HEADERS[name].count(";") + 1
    bad = [i + 2 for i, l in enumerate(ls[1:]) if l.count(";") + 1 != nf]
    ok(not bad, name + ": every row has %d fields" % nf, "lines %s" % bad[:5])
    rows[name] = [l.split(";") for l in ls[1:]]

# ---- R1 ----
r1 = rows["cwi_aanvragen.csv"]
errs = []
for i, f in enumerate(r1):
    ln = i + 2
    (bsn, gb, sex, herk, opl, ad, uitk, fase, besl, bd, od, vest) = f
    if not (len(bsn) == 9 and bsn_ok(bsn)): errs.append((ln, "bsn", bsn))
    if not dmy(gb): errs.append((ln, "geboortedatum", gb))
    if sex not in ("M", "V"): errs.append((ln, "geslacht", sex))
    if herk not in ("A", "W", "N"): errs.append((ln, "herkomst", herk))
    if opl not in ("1", "2", "3", "4", "9"): errs.append((ln, "opleiding", opl))
    if not dmy(ad): errs.append((ln, "aanvraagdatum", ad))
    if uitk not in ("WW", "WWB"): errs.append((ln, "uitkering", uitk))
    if fase not in ("1", "2", "3", "4"): errs.append((ln, "fase", fase))
    if besl not in ("T", "A", ""): errs.append((ln, "beslissing", besl))
    if (besl == "") != (bd == "") or (bd and not dmy(bd)): errs.append((ln, "beslisdatum", bd))
    if od and not dmy(od): errs.append((ln, "overdracht_datum", od))
    if not re.fullmatch(r"\d{4}", vest): errs.append((ln, "vestiging", vest))
    if dmy(gb) and dmy(ad):
        age = (dmy(ad) - dmy(gb)).days / 365.25
        if not 17.9 < age < 66: errs.append((ln, "age", age))
ok(not errs, "R1: every value in its code list / a real date / a valid 9-digit BSN, ages 18-64", str(errs[:5]))
dates = [dmy(f[5]) for f in r1]
ok(all(dates[i] <= dates[i + 1] for i in range(len(dates) - 1)), "R1: ordered by aanvraagdatum")
adjacent_only = True
last = {}
for i, f in enumerate(r1):
    if f[0] in last and last[f[0]] != i - 1:
        adjacent_only = False
    last[f[0]] = i
ok(not adjacent_only, "R1: not grouped by person")
W0, W1 = date(2006, 3, 1), date(2006, 4, 30)
per = {}
for f in r1:
    per.setdefault(f[0], []).append(f)
n_multi = sum(1 for v in per.values() if len(v) > 1)
n_refused = sum(1 for f in r1 if f[8] == "A")
n_pending = sum(1 for f in r1 if f[8] == "")
n_outside_granted = sum(1 for f in r1 if f[8] == "T" and not (W0 <= dmy(f[5]) <= W1))
n_second = sum(1 for v in per.values()
               if sum(1 for f in v if f[8] == "T" and W0 <= dmy(f[5]) <= W1) >= 1
               and any(f[8] == "T" and dmy(f[5]) > W1 for f in v))
n_sameday = sum(1 for v in per.values()
                if len({f[5] for f in v if f[8] == "T"}) < len([f for f in v if f[8] == "T"]))
ok(n_multi > 0 and n_refused > 0 and n_pending > 0 and n_outside_granted > 0 and n_second > 0 and n_sameday > 0,
   "R1: several applications per person: refused, pending, granted outside the window, a second granted later, same-day ties",
   "%d %d %d %d %d %d" % (n_multi, n_refused, n_pending, n_outside_granted, n_second, n_sameday))

# ---- R2, R3 ----
errs = []
r1_bsn = {f[0] for f in r1}
for i, f in enumerate(rows["uwv_overdracht.csv"]):
    if not bsn_ok(f[0]) or f[0].zfill(9) not in r1_bsn: errs.append((i + 2, "bsn", f[0]))
    if not dmy(f[1]): errs.append((i + 2, "ontvangstdatum", f[1]))
    if f[2] not in ("1", "2", "3", "4", ""): errs.append((i + 2, "fase_uwv", f[2]))
ok(not errs, "R2: valid BSNs known in R1, real dates, fase_uwv 1-4 or empty", str(errs[:5]))
r3 = rows["uitkeringen.csv"]
errs = []
peil = {f[5] for f in r3}
for i, f in enumerate(r3):
    if not bsn_ok(f[0]) or f[0].zfill(9) not in r1_bsn: errs.append((i + 2, "bsn", f[0]))
    if f[1] not in ("WW", "WWB"): errs.append((i + 2, "uitkering", f[1]))
    if not dmy(f[2]): errs.append((i + 2, "ingangsdatum", f[2]))
    if f[3] and (not dmy(f[3]) or dmy(f[3]) < dmy(f[2]) or dmy(f[3]) > dmy(f[5])): errs.append((i + 2, "einddatum", f[3]))
    if (f[3] == "") != (f[4] == "") or f[4] not in ("1", "2", "3", ""): errs.append((i + 2, "einde_reden", f[4]))
    if dmy(f[2]) >= dmy(f[5]): errs.append((i + 2, "ingangsdatum after peildatum", f[2]))
ok(not errs, "R3: valid BSNs, dates, einde_reden 1-3 exactly when einddatum, spells inside the extract", str(errs[:5]))
ok(len(peil) == 1, "R3: one peildatum")
running = sum(1 for f in r3 if f[3] == "")
ok(0 < running < len(r3), "R3: some spells still running on the peildatum (censored), some ended")
eight = sum(1 for name in ("uwv_overdracht.csv", "uitkeringen.csv") for f in rows[name] if len(f[0]) == 8)
ok(eight > 0, "R2/R3: some BSNs written with 8 digits (leading 0 lost)", str(eight))
multi_spell = {}
for f in r3:
    multi_spell[f[0].zfill(9)] = multi_spell.get(f[0].zfill(9), 0) + 1
ok(any(v > 1 for v in multi_spell.values()), "R3: some persons have more than one spell")

# ---- R4 ----
r4 = rows["steekproef.csv"]
errs = []
probs = {}
for i, f in enumerate(r4):
    if not re.fullmatch(r"\d+", f[0]): errs.append((i + 2, "respnr", f[0]))
    if not (len(f[1]) == 9 and bsn_ok(f[1]) and f[1] in r1_bsn): errs.append((i + 2, "bsn", f[1]))
    if not re.fullmatch(r"0,\d+|1", f[3]) or not 0 < float(f[3].replace(",", ".")) <= 1: errs.append((i + 2, "trekkingskans", f[3]))
    probs.setdefault(f[2], set()).add(f[3])
ok(not errs, "R4: numeric respnr, valid BSN in R1, trekkingskans with a decimal comma in (0,1]", str(errs[:5]))
ok(len({f[0] for f in r4}) == len(r4), "R4: respnr unique")
ok(all(len(v) == 1 for v in probs.values()), "R4: one inclusion probability per stratum")
pv = [float(next(iter(v)).replace(",", ".")) for v in probs.values()]
ok(len(probs) >= 8 and max(pv) / min(pv) >= 3, "R4: strata with inclusion probabilities differing by a factor of several",
   "%d strata, ratio %.2f" % (len(probs), max(pv) / min(pv)))
raw_r4 = read("steekproef.csv")
ok(b"Frysl\xe2n" in raw_r4 and any("Fryslân" in k for k in probs),
   "R4: stratum names with non-ASCII written in Windows-1252 (Frysl\\xe2n)")

# ---- waves: codes and routing ----
YN = {"1", "2", "8", "9"}
codes = {
    "uitkering_nu": YN, "werk": {"1", "2", "3", "8", "9"}, "zoekt": YN, "hulp_gevraagd": YN,
    "sollicitatieplicht": YN, "gezondheid": {"1", "2", "3", "4", "5", "8", "9"},
    "advies_vacatures": YN, "hulp_solliciteren": YN, "hulp_eigen_bedrijf": YN, "traject": YN,
    "training": YN, "begeleiding_werk": YN, "huishouden": {"1", "2", "3", "4", "8", "9"},
}
for p in ("prob_gezondheid", "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting"):
    codes[p] = YN
respnrs = {f[0] for f in r4}
for name in WAVES:
    cols = HEADERS[name].split(";")
    errs, rout = [], []
    seen = set()
    for i, f in enumerate(rows[name]):
        ln = i + 2
        v = dict(zip(cols, f))
        if v["respnr"] not in respnrs or v["respnr"] in seen: errs.append((ln, "respnr", v["respnr"]))
        seen.add(v["respnr"])
        if not dmy(v["invuldatum"]): errs.append((ln, "invuldatum", v["invuldatum"]))
        for c, allowed in codes.items():
            if c in v and c != "hulp_problemen" and v[c] not in allowed:
                errs.append((ln, c, v[c]))
        def num(c, lo, hi, miss):
            if not (re.fullmatch(r"\d+", v[c]) and (lo <= int(v[c]) <= hi or int(v[c]) in miss)):
                errs.append((ln, c, v[c]))
        num("sollicitaties", 0, 997, (998, 999))
        if "contacten_werk" in v: num("contacten_werk", 0, 97, (98, 99))
        # routing
        if v["zoekt"] == "1": num("zoekuren", 0, 97, (98, 99))
        elif v["zoekuren"] != "": rout.append((ln, "zoekuren", v["zoekt"], v["zoekuren"]))
        if "uitkering_nu" in v:
            if v["uitkering_nu"] == "2": num("einde_maand", 1, 12, (98, 99))
            elif v["einde_maand"] != "": rout.append((ln, "einde_maand"))
        has_prob = any(v[p] == "1" for p in ("prob_gezondheid", "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting"))
        if has_prob:
            if v["hulp_problemen"] not in YN: errs.append((ln, "hulp_problemen", v["hulp_problemen"]))
        elif v["hulp_problemen"] != "": rout.append((ln, "hulp_problemen"))
    ok(not errs, name + ": respnr in R4 and unique, every answer in its code list (SPSS missing codes included)", str(errs[:5]))
    ok(not rout, name + ": routing: zoekuren only when zoekt=1, einde_maand only when uitkering_nu=2, hulp_problemen only with a problem", str(rout[:5]))
    miss = sum(1 for f in rows[name] for x in f if x in ("8", "9", "98", "99", "998", "999"))
    ok(miss > 0, name + ": item non-response present (8/9, 98/99, 998/999)")
w1 = {f[0] for f in rows["golf1.csv"]}
w2 = {f[0] for f in rows["golf2.csv"]}
w3 = {f[0] for f in rows["golf3.csv"]}
ok(len(w1) < len(r4) and len(w3) < len(w2) and w3 <= w2 and (w2 - w1),
   "waves: attrition (R4 > w1, w2 > w3), wave 3 only for wave-2 respondents, some answer wave 2 without wave 1")
sys.exit(0)
