#!/usr/bin/env bash
# On synth data: the chain ingest | link-waves | derive-status | classify-support must
# reproduce synth's per-person truth (truth-persons.csv) exactly, for every sampled person:
# h1_any_support, h2_any_support, every year_* column and handover_category (the support
# columns synth knows). The world carries dirty rows (--dirty: extra faulty copies that
# ingest must reject; the clean rows and the truth do not change). And the swapped Python
# stage agrees with the C stage's --contacts exclude --dont-know missing on the same people.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/classify-support/lib.sh"
SWAP=$KETEN_ROOT/pipelines/swap/classify-support.py

synth --seed 6 --persons 20000 --sample 3000 --dirty 0.01 --out world > synth.log 2>&1
ok_if "synth writes a world" test -s world/truth-persons.csv
ingest --key-file world/pseudonym.key --rejects rejects.gz \
	$(ls world/*.csv | grep -Ev '/(truth[^/]*|dirty)\.csv$') \
	2> ingest.log | link-waves 2> link.log | derive-status 2> derive.log > status.csv
ok_if "ingest | link-waves | derive-status" test "${PIPESTATUS[*]}" = "0 0 0"
expect_exit 0 "classify-support on synth's people" classify-support status.csv
mv out support.csv

# Join on respnr = respondent_id; compare every column both files have that classify-support
# adds; a value is a string, empty = missing on both sides.
python3 - "$KETEN_ROOT" world/truth-persons.csv support.csv > got.txt <<'PY' || echo "not ok - synth's truth: the Python comparison stopped before its end"
import csv, sys
sys.argv.pop(0); root = sys.argv.pop(0)
exec(open(root + "/tests/classify-support/support.py").read().split("cmd = sys.argv[1]")[0])
truth = list(csv.DictReader(open(sys.argv[0], newline="")))
ours = {r["respondent_id"]: r for r in records(sys.argv[1]) if r["respondent_id"]}
cols = [c for c in ADDED if c in truth[0]]
need = {"h1_any_support", "h2_any_support", "year_any_support", "year_advice"}
print("columns compared: %s" % ("all needed" if need <= set(cols) else "MISSING " + " ".join(sorted(need - set(cols)))))
missing = [t["respnr"] for t in truth if t["respnr"] not in ours]
print("sampled people missing from the output: %d" % len(missing))
bad = {}
for t in truth:
    o = ours.get(t["respnr"])
    if o is None:
        continue
    for c in cols:
        if t[c] != o[c]:
            bad.setdefault(c, []).append("%s truth=%r ours=%r" % (t["respnr"], t[c], o[c]))
print("people compared: %d" % len(truth))
for c in ("h1_any_support", "h2_any_support", "year_any_support"):
    print("set (not missing) %s: %d" % (c, sum(1 for r in ours.values() if r[c] != "")))
for c in cols:
    n = len(bad.get(c, []))
    print("%s: %s" % (c, "same for every person" if n == 0 else "%d differ, e.g. %s" % (n, "; ".join(bad[c][:3]))))
PY
sed 's/^/# /' got.txt
has_text "synth's truth has the support columns" got.txt "^columns compared: all needed$"
has_text "every sampled person is in the output" got.txt "^sampled people missing from the output: 0$"
has_text "a real number of people compared" got.txt "^people compared: [1-9][0-9]{3,}$"
has_text "h1_any_support set for many" got.txt "^set \(not missing\) h1_any_support: [1-9][0-9]{2,}$"
has_text "h2_any_support set for many" got.txt "^set \(not missing\) h2_any_support: [1-9][0-9]{2,}$"
has_text "year_any_support set for many" got.txt "^set \(not missing\) year_any_support: [1-9][0-9]{2,}$"
while read -r line; do
	col=${line%%:*}
	same_line "$col: equal to synth's truth for every sampled person" "$col: same for every person" "$line"
done < <(grep -E '^(h[12]_|year_|handover_)' got.txt)

# The swapped stage on real-looking people.
classify-support --contacts exclude --dont-know missing status.csv > c.csv
python3 "$SWAP" < status.csv > swap.csv
coldiff c.csv swap.csv > got.txt
echo support_method > want.txt
same_text "swapped Python stage = classify-support --contacts exclude --dont-know missing on synth" want.txt got.txt
done_testing
