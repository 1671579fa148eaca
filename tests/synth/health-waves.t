#!/usr/bin/env bash
# poor_health.w1_reports: how often wave 1 reports a person's poor H1 health (4-5), wave 2
# always doing so. The rule (params.c): wave 2 answers 4-5 exactly when H1 health is poor
# (no missing codes there); wave 1 answers 4-5 with probability poor_health.w1_reports
# when it is poor, never when it is not; otherwise 1-3 or a missing code. So among people
# who answered both waves with a valid health answer in each (1-5): wave 1 says 4-5 only
# when wave 2 does, and of the wave-2 "poor" a share of about w1_reports x (1 - the item
# non-response) say 4-5 in wave 1 as well. The default world is byte-identical to before
# the parameter existed (span.t's checksums).
. "$KETEN_ROOT/tests/lib/tap.sh"
pairs() {   # WORLD: one line per person in golf1 and golf2 with valid health in both: w1 w2
	python3 - "$1" <<'PY'
import csv, sys
def health(name):
    with open(sys.argv[1] + "/" + name, encoding="utf-8-sig", newline="") as f:
        return {r["respnr"]: int(r["gezondheid"]) for r in csv.DictReader(f, delimiter=";")
                if r["gezondheid"] in ("1", "2", "3", "4", "5")}
w1, w2 = health("golf1.csv"), health("golf2.csv")
for k in sorted(set(w1) & set(w2)):
    print(w1[k], w2[k])
PY
}
count() {   # FILE AWK-CONDITION
	awk "$2 { n++ } END { print n + 0 }" "$1"
}
for v in default 0 1; do
	args=()
	[ "$v" = default ] || args=(--param "poor_health.w1_reports=$v")
	synth --persons 40000 --seed 11 "${args[@]}" --out "w$v" > /dev/null
	pairs "w$v" > "p$v"
	ok_if "w1_reports=$v: people with valid health in both waves" [ "$(wc -l < "p$v")" -gt 500 ]
	same_line "w1_reports=$v: wave 1 says 4-5 only when wave 2 does" 0 "$(count "p$v" '$1 >= 4 && $2 <= 3')"
done
same_line "w1_reports=0: wave 1 never says 4-5" 0 "$(count p0 '$1 >= 4')"
same_line "w1_reports=1: wave 1 says 4-5 whenever wave 2 does" 0 "$(count p1 '$1 <= 3 && $2 >= 4')"
ok_if "w1_reports=1: some wave-2 poor health at all" [ "$(count p1 '$2 >= 4')" -gt 50 ]
# default 0.7: of wave-2 poor with a valid wave-1 answer, wave 1 says 4-5 with probability
# 0.7 / (0.7 + 0.3 (1 - na - dk)) (a missing wave-1 answer drops the pair), na = 0.015 and
# dk = 0.02 (item.no_answer, item.dont_know): 0.7 / 0.9895 = 0.7074; within 4 binomial SE
python3 - pdefault <<'PY' || echo "not ok - default: the share check ran"
import math, sys
rows = [l.split() for l in open(sys.argv[1])]
poor2 = [r for r in rows if int(r[1]) >= 4]
k = sum(int(r[0]) >= 4 for r in poor2)
n = len(poor2)
p = 0.7 / (0.7 + 0.3 * (1 - 0.015 - 0.02))
se = math.sqrt(p * (1 - p) / n)
ok = n > 100 and abs(k / n - p) <= 4 * se
print("%s - default: wave 1 repeats wave 2's poor health in %d of %d (%.3f; expected %.4f +- %.3f)"
      % ("ok" if ok else "not ok", k, n, k / n if n else float("nan"), p, 4 * se))
PY
done_testing
