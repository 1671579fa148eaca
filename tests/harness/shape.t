#!/usr/bin/env bash
# The code's shape (issue 16): no C function is longer than 120 lines, the main of every
# stream filter - the programs on the driver, filters/lib/filter.h - is under 60 lines, and
# every program links only the libraries it uses. A function is counted from the line that names it to its closing brace, as ctags
# reports it; the house style (a function's braces alone at column 0) lets a short python
# reader find both without a C parser. There are no exceptions: a function that grows
# past the limit is split into named steps (issue 16 split the last ones).
. "$KETEN_ROOT/tests/lib/tap.sh"
cd "$KETEN_ROOT" || exit 1
python3 - filters/*.c filters/*/*.c tests/*/*.c <<'PY' || echo "not ok - the shape of the C files: the Python checks stopped before their end"
import re, sys
stream_filters = ['derive-status', 'classify-support', 'link-waves', 'fit-models', 'rec-check',
                  'calibrate-weights', 'rec-merge', 'shard', 'tabulate', 'compare-runs', 'history-stamp',
                  'history-check', 'trend-page', 'cohort-tables', 'rec-cat', 'cohort-page']
long, mains, seen = [], {}, 0
for path in sys.argv[1:]:
    lines = open(path).read().split('\n')
    for i, line in enumerate(lines):
        if line != '{':
            continue
        # the signature: back to the line that names the function
        j = i - 1
        while j > 0 and not re.match(r'^[A-Za-z_].*\(', lines[j]):
            j -= 1
        m = re.search(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(', lines[j])
        if not m or lines[j].startswith(('struct', 'static const', 'enum', 'union')) and '(' not in lines[j]:
            continue
        name = m.group(1)
        if re.match(r'^[A-Za-z_]', lines[i - 1]) and '(' not in lines[j]:
            continue
        k = i + 1
        while k < len(lines) and lines[k] != '}':
            k += 1
        n = k - j + 1
        seen += 1
        if name == 'main':
            mains[path] = n
        if n > 120:
            long.append('%s %s: %d lines' % (path, name, n))
def ok(c, d):
    print(('ok - ' if c else 'not ok - ') + d)
ok(seen > 500, 'the reader finds the functions (%d)' % seen)
ok(not long, 'no function is over 120 lines')
for x in long: print('#   ' + x)
for f in stream_filters:
    n = mains.get('filters/%s.c' % f, 0)
    ok(0 < n < 60, '%s: main is under 60 lines (%d)' % (f, n))
PY

# programs link only what they use (the Makefile's LIBS_NAME)
for b in "$KETEN_BIN"/*; do
	prog=$(basename "$b")
	case $prog in
	synth) want="libgsl libsodium" ;;
	fit-models|calibrate-weights|compare-runs|cohort-tables|tabulate) want="libgsl" ;;
	ingest) want="libcrypto" ;;
	*) want="" ;;
	esac
	same_line "$prog links $([ -n "$want" ] && echo "$want only" || echo "none") of libgsl, libsodium, libcrypto" "$want" \
		"$(ldd "$b" | grep -o 'libgsl\.\|libsodium\|libcrypto' | sed 's/\.$//' | sort -u | tr '\n' ' ' | sed 's/ $//')"
done
done_testing
