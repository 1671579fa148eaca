/* fast.h - link-waves' hot conversions, each the exact equal of a library check on the
 * inputs it accepts (tests/link-waves/fast_test.c compares them over many awkward
 * strings). Header-only so that test can include it.
 *
 * Why: for 1 M applications link-waves checks and parses 12 M fields; the library's
 * general check (schema_check_value) followed by a second parse took a large part of its
 * time. Dates are parsed with the library's date_parse_iso, which is fast itself.
 */
#ifndef LINK_WAVES_FAST_H
#define LINK_WAVES_FAST_H

#include <stdint.h>
#include <string.h>

#include "datecalc.h"
#include "schema.h"

/* An integer schema_check_value certainly accepts (optional '-', 1..15 digits, inside the
 * field's range): 0 and its value, else -1. */
static inline int fast_int(const struct schema_field *f, const char *s, size_t len, long *out)
{
	size_t i = s[0] == '-';
	long v = 0;

	if (len == i || len - i > 15)
		return -1;
	for (; i < len; i++) {
		unsigned c = (unsigned)(unsigned char)s[i] - '0';

		if (c > 9)
			return -1;
		v = v * 10 + (long)c;
	}
	if (s[0] == '-')
		v = -v;
	/* the range check of schema_check_value, on the same double (exact below 2^53) */
	if ((f->has_lo && (double)v < f->lo) || (f->has_hi && (double)v > f->hi))
		return -1;
	*out = v;
	return 0;
}

/* hex digit -> value; 0x10 = not a lowercase hex digit; filled at the first use
 * (hexv[0] is 0x10 from then on) */
static unsigned char hexv[256];

static inline void hex_init(void)
{
	memset(hexv, 0x10, sizeof hexv);
	for (int c = 0; c < 10; c++)
		hexv['0' + c] = (unsigned char)c;
	for (int c = 0; c < 6; c++)
		hexv['a' + c] = (unsigned char)(10 + c);
}

/* KEY from person_key S (LEN bytes): 0, or -1 when it is not 32 lowercase hex digits. */
static inline int key_decode(const char *s, size_t len, unsigned char key[16])
{
	unsigned badbits = 0;

	if (hexv[0] == 0)
		hex_init();
	if (len != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned hi = hexv[(unsigned char)s[2 * i]], lo = hexv[(unsigned char)s[2 * i + 1]];

		badbits |= hi | lo;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return badbits & 0x10 ? -1 : 0;
}

#endif
