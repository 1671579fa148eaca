#!/usr/bin/env python3
"""faults.py CLEAN_DIR DIRTY_DIR - check synth --dirty against a clean run of the same seed,
independently of the project's reader. For every raw file:
  - every line listed in dirty.csv has exactly the one fault its kind names, by the rules of
    DOMAIN.md (found by this script's own row validator), and every other line has none;
  - the lines not listed are byte for byte the clean run's file;
  - every kind of reject/1 that ingest owns occurs somewhere.
Prints TAP lines."""
import re
import sys
from datetime import date

clean, dirty = sys.argv[1], sys.argv[2]
fails = 0


def ok(cond, desc, detail=""):
    global fails
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else ": " + detail))
    if not cond:
        fails += 1


FILES = ["cwi_aanvragen.csv", "uwv_overdracht.csv", "uitkeringen.csv", "steekproef.csv",
         "golf1.csv", "golf2.csv", "golf3.csv"]
KINDS = ["wrong_field_count", "bad_encoding", "stray_quote", "bad_date", "bad_number", "bad_bsn",
         "unknown_code", "out_of_range", "missing_required", "routing", "duplicate_key"]
YN = {"1", "2", "8", "9"}


def real_date(s):
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", s)
    if not m:
        return False
    try:
        date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return True
    except ValueError:
        return False


def bsn_valid(s):
    """11-check: 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11 (a lost leading 0 restored)"""
    s = s.zfill(9)
    return (sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])) % 11 == 0


# per file: date columns, bsn column, code lists, required columns, numeric ranges
SPEC = {
    "cwi_aanvragen.csv": dict(
        dates=["geboortedatum", "aanvraagdatum", "beslisdatum", "overdracht_datum"], bsn="bsn",
        codes={"geslacht": {"M", "V"}, "herkomst": {"A", "W", "N"}, "opleiding": {"1", "2", "3", "4", "9"},
               "uitkering": {"WW", "WWB"}, "fase": {"1", "2", "3", "4"}, "beslissing": {"T", "A", ""}},
        required=["bsn", "geboortedatum", "geslacht", "herkomst", "aanvraagdatum", "uitkering", "fase", "vestiging"],
        numbers={"vestiging": (1000, 9999, ())}),
    "uwv_overdracht.csv": dict(dates=["ontvangstdatum"], bsn="bsn", codes={"fase_uwv": {"1", "2", "3", "4", ""}},
                               required=["bsn", "ontvangstdatum"], numbers={}),
    "uitkeringen.csv": dict(dates=["ingangsdatum", "einddatum", "peildatum"], bsn="bsn",
                            codes={"uitkering": {"WW", "WWB"}, "einde_reden": {"1", "2", "3", ""}},
                            required=["bsn", "uitkering", "ingangsdatum", "peildatum"], numbers={}),
    "steekproef.csv": dict(dates=[], bsn="bsn", codes={}, required=["respnr", "bsn", "stratum", "trekkingskans"],
                           numbers={"respnr": (1, 10**12, ())}, key="respnr"),
}
wave_codes = {c: YN for c in ("uitkering_nu", "zoekt", "hulp_gevraagd", "sollicitatieplicht", "prob_gezondheid",
                              "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting",
                              "advies_vacatures", "hulp_solliciteren", "hulp_eigen_bedrijf", "traject",
                              "training", "hulp_problemen", "begeleiding_werk")}
wave_codes["werk"] = {"1", "2", "3", "8", "9"}
wave_codes["gezondheid"] = {"1", "2", "3", "4", "5", "8", "9"}
wave_codes["huishouden"] = {"1", "2", "3", "4", "8", "9"}
for g in ("golf1.csv", "golf2.csv", "golf3.csv"):
    SPEC[g] = dict(dates=["invuldatum"], bsn=None, codes=wave_codes, required=["respnr"],
                   numbers={"respnr": (1, 10**12, ()), "zoekuren": (0, 97, (98, 99)), "sollicitaties": (0, 997, (998, 999)),
                            "contacten_werk": (0, 97, (98, 99)), "einde_maand": (1, 12, (98, 99))}, key="respnr")


def faults(name, raw, header, seen_keys):
    """the set of faults of one raw line (bytes without the line end)"""
    spec = SPEC[name]
    enc = "utf-8" if name.startswith("golf") else "cp1252"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        return {"bad_encoding"}
    if '"' in text:
        return {"stray_quote"}
    f = text.split(";")
    if len(f) != len(header):
        return {"wrong_field_count"}
    v = dict(zip(header, f))
    out = set()
    for c in spec["required"]:
        if v[c] == "":
            out.add("missing_required")
    for c in spec["dates"]:
        if v[c] != "" and not real_date(v[c]):
            out.add("bad_date")
    if spec["bsn"] and v[spec["bsn"]] != "":
        b = v[spec["bsn"]]
        if not re.fullmatch(r"\d{8,9}", b):
            out.add("bad_number")
        elif not bsn_valid(b):
            out.add("bad_bsn")
    for c, allowed in spec["codes"].items():
        if c in v and v[c] != "" and v[c] not in allowed:
            out.add("unknown_code")
    for c, (lo, hi, miss) in spec["numbers"].items():
        if c in v and v[c] != "":
            if not re.fullmatch(r"\d+", v[c]):
                out.add("bad_number")
            elif not (lo <= int(v[c]) <= hi or int(v[c]) in miss):
                out.add("out_of_range")
    if name == "steekproef.csv" and v["trekkingskans"] != "":
        t = v["trekkingskans"]
        if not re.fullmatch(r"\d+(,\d+)?", t):
            out.add("bad_number")
        elif not 0 < float(t.replace(",", ".")) <= 1:
            out.add("out_of_range")
    if name.startswith("golf"):
        if v["zoekt"] != "1" and v["zoekuren"] != "":
            out.add("routing")
        if "uitkering_nu" in v and v["uitkering_nu"] != "2" and v["einde_maand"] != "":
            out.add("routing")
        probs = [v[p] for p in ("prob_gezondheid", "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting")]
        if "1" not in probs and v["hulp_problemen"] != "":
            out.add("routing")
    if not out and "key" in spec:
        if v[spec["key"]] in seen_keys:
            out.add("duplicate_key")
        seen_keys.add(v[spec["key"]])
    return out


listed = {}
for line in open(dirty + "/dirty.csv").read().splitlines()[1:]:
    fname, ln, kind = line.split(",")
    listed[(fname, int(ln))] = kind
kinds_seen = set(listed.values())
ok(kinds_seen == set(KINDS), "dirty.csv lists every fault kind ingest owns", "missing %s" % (set(KINDS) - kinds_seen))

for name in FILES:
    db = open(dirty + "/" + name, "rb").read()
    cb = open(clean + "/" + name, "rb").read()
    crlf = not name.startswith("golf")
    bom = b"\xef\xbb\xbf" if name == "golf2.csv" else b""
    dl = db[len(bom):].split(b"\r\n" if crlf else b"\n")[:-1]
    header = dl[0].decode("ascii").split(";")
    kept, wrong, seen = [], [], set()
    n_listed = 0
    for i, raw in enumerate(dl[1:]):
        ln = i + 2
        got = faults(name, raw, header, seen)
        want = listed.get((name, ln))
        if want:
            n_listed += 1
            if got != {want}:
                wrong.append((ln, want, sorted(got)))
        else:
            kept.append(raw)
            if got:
                wrong.append((ln, "clean", sorted(got)))
    ok(n_listed > 0, name + ": has injected faults (%d)" % n_listed)
    ok(not wrong, name + ": each listed line has exactly its fault, every other line none", str(wrong[:5]))
    rebuilt = bom + (b"\r\n" if crlf else b"\n").join([dl[0]] + kept) + (b"\r\n" if crlf else b"\n")
    ok(rebuilt == cb, name + ": without the listed lines, byte-identical to the clean run")
sys.exit(0)
