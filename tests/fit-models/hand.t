#!/usr/bin/env bash
# Hand-checkable properties of fit-models: a 2x2 logit's coefficient is the log odds ratio;
# weights scaled by a constant change nothing but weighted_n; permuting rows changes
# nothing; a new reference level changes the coefficients as the algebra says.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/fit-models
export REC_SCHEMA_PATH=$d/schemas REC_LEVEL=0

# 2x2: b = 0: 30 of 100 have yb = 1; b = 1: 45 of 60. log OR = log((45*70)/(15*30))
awk 'BEGIN { print "#schema fmtest/1"; print "id,grp,yb,yc,yl,x1,x2,f,b,t,w,stratum"
	for (i = 1; i <= 160; i++) { b = i > 100; y = b ? (i <= 145) : (i <= 30)
		printf "%d,p,%d,,,,,,%d,,,\n", i, y, b } }' >two.csv
printf 'model two\n  family logit\n  outcome yb\n  term b\n' >two.spec
fit-models -i two.csv two.spec >out 2>err
got=$(awk -F, '/^#schema/ { s = $0 } s ~ /model_coef/ && $2 == "b" { print $4 }' out)
want=$(awk 'BEGIN { printf "%.15g", log((45 * 70) / (15 * 30)) }')
ok_if "2x2 logit: coefficient = log odds ratio $want (got $got)" \
	awk -v a="$got" -v b="$want" 'BEGIN { exit !(a - b < 1e-12 && b - a < 1e-12) }'
got=$(awk -F, '/^#schema/ { s = $0 } s ~ /model_coef/ && $2 == "b" { print $10 }' out)
ok_if "2x2 logit: ratio = odds ratio 7 (got $got)" awk -v a="$got" 'BEGIN { exit !(a - 7 < 1e-12 && 7 - a < 1e-12) }'
got=$(awk -F, '/^#schema/ { s = $0 } s ~ /model_coef/ && $2 == "(Intercept)" { print $4 }' out)
ok_if "2x2 logit: intercept = log odds in b = 0, log(30/70)" \
	awk -v a="$got" 'BEGIN { b = log(30 / 70); exit !(a - b < 1e-12 && b - a < 1e-12) }'
got=$(awk -F, '/^#schema/ { s = $0 } s ~ /model_coef/ && $2 == "b" { print $5 }' out)
ok_if "2x2 logit: se = sqrt(1/45 + 1/15 + 1/30 + 1/70) (Woolf)" \
	awk -v a="$got" 'BEGIN { b = sqrt(1/45 + 1/15 + 1/30 + 1/70); exit !(a - b < 1e-12 && b - a < 1e-12) }'
got=$(awk -F, '/^#schema/ { s = $0 } s ~ /model_coef/ && $2 == "b" { print $13 }' out)
ok_if "2x2 logit: AME of b = 45/60 - 30/100 (discrete change)" \
	awk -v a="$got" 'BEGIN { b = 45/60 - 30/100; exit !(a - b < 1e-12 && b - a < 1e-12) }'

# compare two outputs numerically: every number of model_fit and model_coef
cmpnum() {   # desc tol fileA fileB [skip-columns]
	python3 - "$@" <<'PY' || echo "not ok - $1: the Python check stopped before its end"
import csv, sys
desc, tol, a, b = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
skip = set(sys.argv[5].split(',')) if len(sys.argv) > 5 else set()
def model_rows(p):
    out, sec, hdr = [], None, None
    for r in csv.reader(open(p)):
        if r and r[0].startswith('#schema'):
            sec, hdr = r[0], None
            continue
        if hdr is None:
            hdr = r
            continue
        if 'model_' in sec:
            out.append((sec, dict(zip(hdr, r))))
    return out
A, B = model_rows(a), model_rows(b)
bad = []
if len(A) != len(B):
    bad.append('row counts %d %d' % (len(A), len(B)))
for (sa, ra), (sb, rb) in zip(A, B):
    for k in ra:
        if k in skip or k == 'spec_hash':
            continue
        x, y = ra[k], rb[k]
        try:
            fx, fy = float(x), float(y)
            if abs(fx - fy) > tol * max(abs(fx), abs(fy), 1e-300):
                bad.append('%s %s %s: %s vs %s' % (ra.get('model'), ra.get('term', ''), k, x, y))
        except ValueError:
            if x != y:
                bad.append('%s %s %s: %s vs %s' % (ra.get('model'), ra.get('term', ''), k, x, y))
print(('ok - ' if not bad else 'not ok - ') + desc + ' (%d rows)' % len(A))
for m in bad[:10]:
    print('#   ' + m)
PY
}
fit-models --epsilon 1e-14 -i "$d/data/r-stream.csv" "$d/data/r.spec" >base 2>/dev/null
# weights times 7.3
awk -F, -v OFS=, 'NR > 2 && $11 != "" { $11 = sprintf("%.6f", $11 * 7.3) } { print }' "$d/data/r-stream.csv" >w73.csv
awk -F, -v OFS=, 'NR > 2 && $11 != "" { $11 = sprintf("%.6f", $11 * 1) } { print }' "$d/data/r-stream.csv" >w1.csv
fit-models --epsilon 1e-14 -i w1.csv "$d/data/r.spec" >w1 2>/dev/null
fit-models --epsilon 1e-14 -i w73.csv "$d/data/r.spec" >w73 2>/dev/null
cmpnum "weights x 7.3: every estimate, se, p, interval, AME and fit statistic unchanged" 1e-10 w1 w73 weighted_n
ok_if "weights x 7.3: weighted_n scales by 7.3" python3 -c "
import csv,sys
def wn(p):
    sec=None; out={}
    for r in csv.reader(open(p)):
        if r[0].startswith('#schema'): sec=r[0]; continue
        if sec=='#schema model_fit/1' and r[0]!='model' and r[4]=='design': out[r[0]]=float(r[7])
    return out
a,b=wn('w1'),wn('w73')
sys.exit(not (a and all(abs(b[k]-7.3*a[k])<=1e-9*b[k] for k in a)))"
# rows in a shuffled order
{ head -2 "$d/data/r-stream.csv"; tail -n +3 "$d/data/r-stream.csv" | awk 'BEGIN { srand(3) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2-; } >perm.csv
fit-models --epsilon 1e-14 -i perm.csv "$d/data/r.spec" >perm 2>/dev/null
cmpnum "rows permuted: every number unchanged" 1e-10 base perm

# reference level: f ref a versus f ref c (linear and logit)
for fam in linear logit; do
	y=yl; [ $fam = logit ] && y=yb
	printf 'model ra\n  family %s\n  outcome %s\n  term x1\n  term f ref a\n' $fam $y >ra.spec
	printf 'model ra\n  family %s\n  outcome %s\n  term x1\n  term f ref c\n' $fam $y >rc.spec
	fit-models --epsilon 1e-14 -i "$d/data/r-stream.csv" ra.spec >ra 2>/dev/null
	fit-models --epsilon 1e-14 -i "$d/data/r-stream.csv" rc.spec >rc 2>/dev/null
	ok_if "$fam, reference a -> c: (Intercept)' = (Intercept) + f:c, f:a' = -f:c, f:b' = f:b - f:c, f:d' = f:d - f:c, x1 and the se of x1 equal" python3 -c "
import csv,sys
def co(p):
    sec=None; out={}
    for r in csv.reader(open(p)):
        if r[0].startswith('#schema'): sec=r[0]; continue
        if sec=='#schema model_coef/1' and r[0]!='model': out[r[1]]=(float(r[3]),float(r[4]))
    return out
a,c=co('ra'),co('rc')
chk=[(c['(Intercept)'][0], a['(Intercept)'][0]+a['f:c'][0]), (c['f:a'][0], -a['f:c'][0]),
     (c['f:b'][0], a['f:b'][0]-a['f:c'][0]), (c['f:d'][0], a['f:d'][0]-a['f:c'][0]),
     (c['x1'][0], a['x1'][0]), (c['x1'][1], a['x1'][1]), (c['f:a'][1], a['f:c'][1])]
sys.exit(not all(abs(x-y) <= 1e-9*max(abs(x),abs(y),1e-3) for x,y in chk))"
done

# determinism: the same input gives byte-identical output (compared decompressed)
REC_LEVEL=1 fit-models -i "$d/data/r-stream.csv" "$d/data/r.spec" 2>/dev/null | gzip -dc >run1
REC_LEVEL=1 fit-models -i "$d/data/r-stream.csv" "$d/data/r.spec" 2>/dev/null | gzip -dc >run2
ok_if "two runs give byte-identical output" cmp -s run1 run2
done_testing
