#!/usr/bin/env bash
# bench/fit-models.sh - a logit with 20 terms (14 numeric, 4 bool, 2 categorical of 4
# levels: 27 coefficients) on 1 million rows: fit-models' time and peak memory, beside
#   - the gzip round trip (gzip -dc | gzip -1) of the same stream, the floor of any stage,
#   - fit-models passing the stream through with an empty population (no fit),
#   - R's glm on the same data in the same run (Debian's r-base-core, when installed):
#     glm alone (data already in memory) and read + glm (data.table::fread or read.csv).
# BENCH_SIZE=small: 100 000 rows. Prints a Markdown table.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/fit-models
mkdir -p "$dir/schemas"
rows=1000000
[ "${BENCH_SIZE:-}" = small ] && rows=100000

# a schema of its own (REC_SCHEMA_PATH), so the bench needs no other stage
{
	echo "schema fmbench/1"
	echo "# fit-models benchmark rows"
	echo "y bool req outcome"
	for i in $(seq 1 14); do echo "x$i num req numeric term"; done
	for i in 1 2 3 4; do echo "b$i bool req binary term"; done
	echo "c1 enum(a,b,c,d) req categorical term"
	echo "c2 enum(p,q,r,s) req categorical term"
} >"$dir/schemas/fmbench-1.schema"
export REC_SCHEMA_PATH=$dir/schemas
{
	echo "model bench"
	echo "  family logit"
	echo "  outcome y"
	for i in $(seq 1 14); do echo "  term x$i"; done
	for i in 1 2 3 4; do echo "  term b$i"; done
	echo "  term c1"
	echo "  term c2"
} >"$dir/bench.spec"
sed 's/^  outcome y$/  outcome y\n  population x1 > 1000/' "$dir/bench.spec" >"$dir/empty.spec"

data=$dir/rows-$rows.csv
if [ ! -s "$data" ]; then
	awk -v n="$rows" 'BEGIN { srand(11); split("a b c d", C1, " "); split("p q r s", C2, " ")
		printf "#schema fmbench/1\ny"; for (i = 1; i <= 14; i++) printf ",x%d", i
		printf ",b1,b2,b3,b4,c1,c2\n"
		for (r = 0; r < n; r++) {
			eta = -0.3; line = ""
			for (i = 1; i <= 14; i++) { x = int((rand() * 2 - 1) * 10000) / 10000; eta += x * (i % 5 - 2) * 0.2; line = line "," x }
			for (i = 1; i <= 4; i++) { b = rand() < 0.3 + 0.1 * i; eta += b * 0.25 * (i - 2); line = line "," b }
			c1 = 1 + int(rand() * 4); c2 = 1 + int(rand() * 4); eta += (c1 - 2) * 0.2 - (c2 == 3) * 0.4
			y = rand() < 1 / (1 + exp(-eta))
			print y line "," C1[c1] "," C2[c2]
		} }' >"$data"
fi
bytes=$(wc -c <"$data")
gz=$dir/rows-$rows.csv.gz
[ -s "$gz" ] || gzip -1 <"$data" >"$gz"

tm() {   # tm OUTFILE COMMAND... : wall seconds, CPU seconds (user + sys) and peak KB
	local o=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$o" "$@"
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$o" >"$o.x" && mv "$o.x" "$o"
}
tm "$dir/t.gzip" sh -c "gzip -dc '$gz' | gzip -1 >/dev/null"
tm "$dir/t.pass" sh -c "fit-models -i '$gz' '$dir/empty.spec' >/dev/null 2>'$dir/pass.err'"
tm "$dir/t.fit" sh -c "fit-models -i '$gz' '$dir/bench.spec' >'$dir/out.gz' 2>'$dir/fit.err'"
tm "$dir/t.fitplain" sh -c "REC_LEVEL=0 fit-models -i '$data' '$dir/bench.spec' >/dev/null 2>/dev/null"
status=$(gzip -dc "$dir/out.gz" | awk -F, '/^#schema/ { s = /model_fit/; next } s && $1 == "bench" { print $17 " iterations, converged " $18 ", status " $20 }')

r_glm=- r_all=- r_mem=- r_wall=-
if command -v Rscript >/dev/null 2>&1; then
	cat >"$dir/glm.R" <<'R'
args <- commandArgs(TRUE)
cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
t0 <- cpu()
d <- if (requireNamespace("data.table", quietly = TRUE)) data.table::fread(args[1], skip = 1, data.table = FALSE) else read.csv(args[1], skip = 1)
d$c1 <- factor(d$c1, levels = c("a", "b", "c", "d")); d$c2 <- factor(d$c2, levels = c("p", "q", "r", "s"))
t1 <- cpu()
f <- glm(y ~ ., family = binomial(), data = d, control = glm.control(epsilon = 1e-12, maxit = 50))
t2 <- cpu()
cat(t2 - t1, t2 - t0, f$iter, "\n")
write.csv(data.frame(term = names(coef(f)), estimate = coef(f), se = sqrt(diag(vcov(f)))), args[2], row.names = FALSE)
R
	tm "$dir/t.r" Rscript "$dir/glm.R" "$data" "$dir/r-coef.csv" >"$dir/r.out" 2>"$dir/r.err" || true
	if [ -s "$dir/r.out" ]; then
		read -r r_glm r_all r_iter <"$dir/r.out"
		r_mem=$(awk '{ print $3 }' "$dir/t.r")
		r_wall=$(awk '{ print $1 }' "$dir/t.r")
		# agreement of the two fits (same data, same epsilon)
		agree=$(python3 - "$dir/out.gz" "$dir/r-coef.csv" <<'PY'
import csv, gzip, sys
got = {}
sec = None
for r in csv.reader(gzip.open(sys.argv[1], 'rt')):
    if r[0].startswith('#schema'): sec = r[0]; continue
    if sec == '#schema model_coef/1' and r[0] == 'bench': got[r[1]] = (float(r[3]), float(r[4]))
rn = lambda t: t if t in ('(Intercept)',) or not t[:2] in ('c1', 'c2') else t[:2] + ':' + t[2:]
worst = 0
for r in csv.DictReader(open(sys.argv[2])):
    g = got[rn(r['term'])]
    for a, b in zip(g, (float(r['estimate']), float(r['se']))):
        worst = max(worst, abs(a - b) / max(abs(b), 1e-12))
print('%.1e' % worst)
PY
)
	fi
fi
read -r w_gzip t_gzip m_gzip <"$dir/t.gzip"
read -r w_pass t_pass m_pass <"$dir/t.pass"
read -r w_fit t_fit m_fit <"$dir/t.fit"
read -r w_plain t_plain m_plain <"$dir/t.fitplain"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-" && b != "-") printf "%.2f", a / b; else printf "-" }'; }
cat <<EOF
## fit-models: logit, 20 terms (27 coefficients), $rows rows

Input: $bytes bytes of CSV (gzip level 1: $(wc -c <"$gz") bytes); fit: $status.

CPU seconds (user + system) are the figures to compare: these machines are shared, so
wall time depends on the load (shown for reference).

| run | CPU s | wall s | peak memory (KB) | ratio (CPU) |
|---|---|---|---|---|
| gzip -dc \| gzip -1 (floor of a stage) | $t_gzip | $w_gzip | $m_gzip | 1.00 |
| fit-models, empty population (pass-through only) | $t_pass | $w_pass | $m_pass | $(ratio "$t_pass" "$t_gzip") x gzip |
| fit-models, gzip in and out | $t_fit | $w_fit | $m_fit | $(ratio "$t_fit" "$t_gzip") x gzip |
| fit-models, plain text in and out (REC_LEVEL=0) | $t_plain | $w_plain | $m_plain | - |
| R glm() alone, data in memory | $r_glm | - | - | fit-models fit / R glm = $(ratio "$(awk -v a="$t_fit" -v b="$t_pass" 'BEGIN { print a - b }')" "$r_glm") |
| R fread + glm (whole Rscript: $r_wall s wall) | $r_all | - | $r_mem | fit-models / R = $(ratio "$t_fit" "$r_all") |

Fitting alone (fit-models minus its pass-through run): $(awk -v a="$t_fit" -v b="$t_pass" 'BEGIN { printf "%.2f", a - b }') CPU s;
R's glm alone: $r_glm CPU s. Largest relative difference of estimate or se between the two fits: ${agree:-not measured}.
fit-models keeps 8 bytes per stored column per row (21 columns: 168 bytes) plus 4 bytes per
row of the model's population: $(awk -v n="$rows" 'BEGIN { printf "%.0f", n * (21 * 8 + 4) / 1e6 }') MB of data here;
the IRLS reads it in blocks of 256 rows (no n x p design matrix).
EOF

# ---- synth's generating models: are the true coefficients inside the 99% intervals? ----
command -v synth >/dev/null 2>&1 || exit 0
persons=1000000 sample=100000
[ "${BENCH_SIZE:-}" = small ] && persons=160000 sample=6000
spec=$root/pipelines/eerste-jaar/models.spec
cat <<EOF2

## fit-models: synth's true coefficients against the report's models ($persons persons, sample $sample)

z = (estimate - true) / se for each of synth's model_truth coefficients; with intervals that
are right, mean z^2 is near 1 and about 5 % (1 %) fall outside the 95 % (99 %) interval.

| seed | rows per model | coefficients | mean z^2 | outside 95 % (expected) | outside 99 % (expected) | outside the 99 % interval |
|---|---|---|---|---|---|---|
EOF2
for seed in 1 2; do
	raw=$dir/synth-$seed
	rm -rf "$raw"
	synth --out "$raw" --seed "$seed" --persons "$persons" --sample "$sample" 2>/dev/null
	ingest --key-file "$raw/pseudonym.key" --rejects "$raw/rejects.gz" "$raw/cwi_aanvragen.csv" "$raw/uwv_overdracht.csv" \
		"$raw/uitkeringen.csv" "$raw/steekproef.csv" "$raw/golf1.csv" "$raw/golf2.csv" "$raw/golf3.csv" 2>/dev/null |
		link-waves 2>/dev/null | derive-status 2>/dev/null | classify-support 2>/dev/null |
		fit-models "$spec" 2>/dev/null >"$raw/fitted.gz"
	python3 - "$raw/truth.csv" "$raw/fitted.gz" "$seed" <<'PY'
import csv, gzip, sys
truth = [r for r in csv.DictReader(open(sys.argv[1])) if r['table'] == 'model_truth']
sec = hdr = None; coef = {}; n = {}
for r in csv.reader(gzip.open(sys.argv[2], 'rt')):
    if r and r[0].startswith('#schema'):
        sec = r[0].split()[1]; hdr = None; continue
    if hdr is None: hdr = r; continue
    d = dict(zip(hdr, r))
    if sec == 'model_coef/1': coef[(d['model'], d['term'])] = d
    elif sec == 'model_fit/1': n[d['model']] = int(d['n'])
z = 2.5758293035489
out = []; k = 0; zz = 0; o95 = 0
for t in truth:
    c = coef.get((t['population'], t['row']))
    if c is None or c['estimate'] == '': out.append('%s %s: no estimate' % (t['population'], t['row'])); continue
    k += 1
    e, s, v = float(c['estimate']), float(c['se']), float(t['estimate'])
    zz += ((e - v) / s) ** 2
    o95 += abs(e - v) > 1.959963984540054 * s
    if abs(e - v) > z * s: out.append('%s %s: true %g, estimate %.3g (z %.2f)' % (t['population'], t['row'], v, e, (e - v) / s))
print('| %s | %d-%d | %d | %.2f | %d (%.1f) | %d (%.1f) | %s |' % (sys.argv[3], min(n.values()), max(n.values()), k, zz / max(k, 1),
      o95, 0.05 * k, len([o for o in out if 'no estimate' not in o]), 0.01 * k, '; '.join(out) or '-'))
PY
done
