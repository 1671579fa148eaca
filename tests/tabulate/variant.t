#!/usr/bin/env bash
# Variant tables (`variant BASE` in a table spec; tabulate --variant, run --variant): the
# obligation table's per-period reading (DOMAIN.md: wave 2 among the H1 population, wave 3
# among the H2 population, health and hours from the same wave) on the golden world.
#   - by default the spec makes `obligation` and not its variant;
#   - with --variant obligation_per_period the variant stands in the base's place, and the
#     other tables are the default's, byte for byte;
#   - two of its cells against python3's weighted share from the person rows (sum d y / sum d
#     over the panel's respondents with an answer): the H2 block's no-obligation share (the
#     wave-3 answer among wave-3 respondents on benefit after 6 months) and the H1 block's
#     poor health of those without (wave 2's health 4 or 5);
#   - refusals: an unknown id, a table that is not a variant, a variant of a table defined
#     after it.
source "$KETEN_ROOT/tests/lib/tap.sh"
D=$KETEN_ROOT/tests/pipeline/data
SPEC=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
export REC_LEVEL=0

mkdir world && tar xzf "$D/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
"$KETEN_ROOT/pipelines/eerste-jaar/run" --variant obligation_per_period world out > /dev/null 2> err
same_line "run --variant obligation_per_period: exit 0" 0 "$?"
gzip -dc out/persons.rec.gz > persons.csv
gzip -dc out/tables.rec.gz > run-tables.csv   # the run's table/1 stream (tables.csv is the plain one, with labels)
tabulate --weights both --csv default.csv "$SPEC" persons.csv 2> err   # as the run does
same_line "tabulate, default: exit 0" "0:" "$?:$(cat err)"
same_line "by default: the obligation table, not its variant" "obligation" \
	"$(awk -F, 'NR > 2 && $1 ~ /^obligation/ { print $1 }' default.csv | sort -u)"
same_line "with --variant: the variant in the base's place" "obligation_per_period" \
	"$(awk -F, 'NR > 2 && $1 ~ /^obligation/ { print $1 }' run-tables.csv | sort -u)"
same_line "with --variant: every other table as by default" \
	"$(grep -v '^obligation' default.csv | sha256sum)" "$(grep -v '^obligation' run-tables.csv | sha256sum)"
python3 - persons.csv run-tables.csv <<'PY' || echo "not ok - --variant: the Python checks stopped before their end"
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if r]
hdr = rows[1]
people = [dict(zip(hdr, r)) for r in rows[2:] if not r[0].startswith("#schema") and len(r) == len(hdr)]
cells = {}
trows = [r for r in csv.reader(open(sys.argv[2])) if r and not r[0].startswith("#schema")]
for r in trows[1:]:
    c = dict(zip(trows[0], r))
    if c["weighted"] == "1":    # the weighted cell (the run publishes its unweighted twin too)
        cells[(c["table"], c["population"], c["row"])] = c
def ok(cond, what, detail=""):
    print(("ok - " if cond else "not ok - ") + what)
    if not cond and detail: print("#   " + detail)
def share(pred_in, pred_yes):
    sw = swy = 0.0
    n = 0
    for p in people:
        if p["benefit"] == "wwb" and pred_in(p):
            w = float(p["design_weight"])
            sw += w; swy += w * pred_yes(p); n += 1
    return swy / sw, n
est, n = share(lambda p: p["on_benefit_6m"] == "1" and p["responded_w3"] == "1" and p["h2_obligation"] in ("yes", "no", "dont_know"),
               lambda p: p["h2_obligation"] == "no")
c = cells[("obligation_per_period", "on_benefit_6m", "no_obligation")]
ok(c["period"] == "h2" and abs(float(c["estimate"]) - est) < 1e-12 and int(c["n"]) == n,
   "H2 block: no obligation by wave 3's answer, %.12g over %d" % (est, n), "got %s over %s" % (c["estimate"], c["n"]))
est, n = share(lambda p: p["on_benefit_3m"] == "1" and p["responded_w2"] == "1" and p["h1_obligation"] == "no" and p["w2_health"] != "",
               lambda p: p["w2_health"] in ("4", "5"))
c = cells[("obligation_per_period", "on_benefit_3m", "poor_health:no_obligation")]
ok(abs(float(c["estimate"]) - est) < 1e-12 and int(c["n"]) == n,
   "H1 block: poor health (wave 2) of those without, %.12g over %d" % (est, n), "got %s over %s" % (c["estimate"], c["n"]))
PY

refuse() {   # refuse NAME MESSAGE ARGS...
	local name=$1 msg=$2; shift 2
	tabulate "$@" > out.csv 2> err
	same_line "$name: exit 2, nothing written" "2:0" "$?:$(wc -c < out.csv)"
	same_line "$name: the message" "$msg" "$(head -1 err)"
}
refuse "--variant: an unknown id" "tabulate: --variant: no table 'nope' in $SPEC" --variant nope "$SPEC" persons.csv
refuse "--variant: not a variant" "tabulate: --variant: table counts of $SPEC is not a variant (no 'variant' line)" \
	--variant counts "$SPEC" persons.csv
cp "$KETEN_ROOT/pipelines/eerste-jaar/populations.spec" .
cat > late.spec <<'S'
populations populations.spec
table a
  variant b
  title.nl x
  title.en x
  benefit ww
  weights none
  panel year all
    row n count
end
S
tabulate late.spec persons.csv > out.csv 2> err
same_line "a variant of a table defined after it: exit 1 and the message" \
	"1:tabulate: late.spec:3: variant: no table b before this one" "$?:$(head -1 err)"
done_testing
