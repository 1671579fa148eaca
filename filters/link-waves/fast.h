/* fast.h - link-waves' person_key decoder: 32 lowercase hex digits to 16 bytes, a table
 * lookup per digit (tests/link-waves/fast_test.c compares it with a plain decoder over
 * many awkward strings). Header-only so that test can include it.
 *
 * Why: 2.3 M keys for 1 M applications; every other field is checked and parsed by the
 * library (rec_reader_values), in one pass.
 */
#ifndef LINK_WAVES_FAST_H
#define LINK_WAVES_FAST_H

#include <stdint.h>
#include <string.h>


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
