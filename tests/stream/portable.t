#!/usr/bin/env bash
# portable.t - the library's fallbacks, built and tested here: without ISA-L (zlib writes
# and inflates every level) and without SSE2 (the reader's split and the writer's quote
# check byte by byte). The unit tests' known answers must hold for each build.
source "$KETEN_ROOT/tests/lib/tap.sh"
cc=${CC:-cc}
flags="-O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 -Werror"
for variant in no-isal no-isal-no-sse2; do
	extra=
	[ $variant = no-isal-no-sse2 ] && extra=-U__SSE2__
	mkdir $variant
	ok=1
	for f in "$KETEN_ROOT"/filters/lib/*.c; do
		b=$(basename "$f" .c)
		$cc $flags $extra -I"$KETEN_ROOT/filters/lib" -c -o $variant/$b.o "$f" 2>> $variant/build.err || ok=0
	done
	$cc $flags -Wno-missing-prototypes -I"$KETEN_ROOT/filters/lib" -c -o $variant/schemas.o "$KETEN_BUILD/lib/schemas_gen.c" 2>> $variant/build.err || ok=0
	$cc $flags -Wno-missing-prototypes -I"$KETEN_ROOT/filters/lib" -o $variant/rec_test "$KETEN_ROOT/tests/stream/rec_test.c" \
		$variant/*.o -lgsl -lgslcblas -lcsv -lz -lm 2>> $variant/build.err || ok=0   # svyvar.c uses GSL
	same_line "$variant: the library builds with warnings as errors" 1 "$ok"
	[ $ok = 1 ] || { sed 's/^/#   /' $variant/build.err | head -10; continue; }
	nm $variant/*.o | grep -v ":$" | grep -q isal && echo "not ok - $variant: the library still calls ISA-L"
	./$variant/rec_test > $variant/tap 2>&1
	same_line "$variant: rec_test exits 0" 0 $?
	grep -c '^ok - ' $variant/tap > $variant/n
	same_line "$variant: every unit check passes ($(cat $variant/n) ok, none not ok)" 0 "$(grep -c '^not ok' $variant/tap)"
done
done_testing
