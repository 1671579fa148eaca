#!/usr/bin/env bash
# run --calibrate on the golden world (tests/pipeline/data; 6000 persons, 1500 sampled),
# single and in two shards, against the default run of the same world:
#   - the chain gains calibrate-weights (its status, count and time in the summary) and the
#     summary names the calibration spec;
#   - persons.rec.gz is person_calibrated/1, every model is fitted on calibrated weights
#     (model_fit weights = calibrated);
#   - every weighted cell of the people tables names its calibrated weight column and equals what tabulate
#     --calibrated makes of the saved persons.rec.gz by itself; every unweighted (registry)
#     cell, every n and every suppression is the default run's: calibration changes survey
#     figures only;
#   - the sharded run's outputs are the single run's;
#   - a missing --calibration spec is a usage error (exit 2) and nothing is written.
source "$KETEN_ROOT/tests/lib/tap.sh"
D=$KETEN_ROOT/tests/pipeline/data
RUN=$KETEN_ROOT/pipelines/eerste-jaar/run
SPEC=$KETEN_ROOT/pipelines/eerste-jaar/calibration.spec

mkdir world && tar xzf "$D/golden-world.tar.gz" -C world && chmod 600 world/pseudonym.key
"$RUN" world plain > /dev/null 2> err-plain
same_line "the default run: exit 0" 0 "$?"
"$RUN" --calibrate world cal > /dev/null 2> err-cal
same_line "run --calibrate: exit 0" 0 "$?"
same_line "calibrate-weights ran and exited 0" 0 "$(cat cal/logs/calibrate-weights.status 2>/dev/null)"
has_text "the summary names the calibration spec" cal/summary.txt "^survey weights: calibrated by calibrate-weights, spec $SPEC "
has_text "the summary's stage table lists calibrate-weights" cal/summary.txt "^calibrate-weights .*person_calibrated/1="
ok_if "the default run has no calibrate-weights stage" test ! -e plain/logs/calibrate-weights.status
same_line "persons.rec.gz: person_calibrated/1, then the models" "#schema person_calibrated/1|#schema model_fit/1|#schema model_coef/1" \
	"$(gzip -dc cal/persons.rec.gz | grep '^#schema' | paste -sd'|')"
same_line "every model fitted on calibrated weights" "calibrated" \
	"$(gzip -dc cal/persons.rec.gz | awk -F, '/^#schema/ { s = $0; h = 1; next } h { for (i = 1; i <= NF; i++) if ($i == "weights") c = i; h = 0; next } s ~ /model_fit/ && $c != "none" { print $c }' | sort -u)"

gzip -dc cal/persons.rec.gz > persons.csv
REC_LEVEL=0 tabulate --weights both --calibrated "$SPEC" --csv direct.csv "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" persons.csv 2> err
same_line "tabulate --calibrated on the saved persons.rec.gz: exit 0" "0:" "$?:$(cat err)"
same_line "the run's tables.rec.gz is what tabulate --weights both --calibrated (the run's default) makes of its persons.rec.gz" \
	"$(sha256sum < direct.csv)" "$(gzip -dc cal/tables.rec.gz | sha256sum)"
python3 - plain/tables.csv cal/tables.csv <<'PY' || echo "not ok - calibrated tables: the Python checks stopped before their end"
import csv, sys
def cells(path):
    rows = [r for r in csv.reader(open(path)) if r and not r[0].startswith("#schema")]
    return [dict(zip(rows[0], r)) for r in rows[1:]]
# the model tables (fig2, fig5, table1, hours_contrast) follow the models, which calibration
# changes (a symbol, a significant effect); the people tables keep their cells
models = ("fig2", "fig5", "table1", "hours_contrast")
a, b = ([c for c in cells(p) if c["table"] not in models] for p in sys.argv[1:3])
def ok(c, what, detail=""):
    print(("ok - " if c else "not ok - ") + what)
    if not c and detail: print("#   " + detail)
key = lambda c: (c["table"], c["benefit"], c["period"], c["population"], c["row"], c["measure"], c["weighted"])
ok([key(c) for c in a] == [key(c) for c in b], "the people tables: the same cells in the same order (%d)" % len(a))
same = ("n", "suppressed", "weighted")
diff = [key(x) for x, y in zip(a, b) if any(x[f] != y[f] for f in same)]
ok(not diff, "every cell's n, suppression and weighting is the default run's", "%s" % diff[:3])
w = [(x, y) for x, y in zip(a, b) if x["weighted"] == "1" and x["suppressed"] == "0" and x["measure"] in ("share", "mean")]
ok(w and all(y["method"] == x["method"] + "; weight " + y["method"].rsplit("; weight ", 1)[-1] and
             y["method"].rsplit("; weight ", 1)[-1].startswith("calibrated_weight_w") for x, y in w),
   "every weighted survey cell (%d) names its calibrated weight column" % len(w))
moved = sum(x["estimate"] != y["estimate"] for x, y in w)
ok(moved == len(w), "every weighted survey estimate moves with calibration (%d of %d)" % (moved, len(w)))
u = [(x, y) for x, y in zip(a, b) if x["weighted"] == "0"]
ok(u and all(x == y for x, y in u), "every unweighted cell (%d: registry figures, counts) is the default run's" % len(u))
PY

"$RUN" --calibrate --shards 2 world cal2 > /dev/null 2> err-cal2
same_line "run --calibrate --shards 2: exit 0" 0 "$?"
for f in tables.csv tables.rec.gz persons.rec.gz persons.csv.gz; do
	same_line "--shards 2: $f is the single run's" "$(gzip -dcf cal/$f | sha256sum)" "$(gzip -dcf cal2/$f | sha256sum)"
done

"$RUN" --calibrate --calibration nope.spec world bad > /dev/null 2> err
same_line "--calibration with a missing spec: exit 2" 2 "$?"
has_text "--calibration with a missing spec: the message" err "^eerste-jaar: --calibration: nope.spec: no such file"
ok_if "--calibration with a missing spec: nothing written" test ! -e bad
done_testing
