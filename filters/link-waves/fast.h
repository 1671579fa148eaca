/* fast.h - link-waves' person_key decoder: 32 lowercase hex digits to 16 bytes, 16 at a
 * time with SSE2, else a table lookup per digit (tests/link-waves/fast_test.c compares it
 * with a plain decoder over many awkward strings and every byte at every place). Header-
 * only so that test can include it.
 *
 * Why: 2.3 M keys for 1 M applications; every other field is checked and parsed by the
 * library (rec_reader_values), in one pass.
 */
#ifndef LINK_WAVES_FAST_H
#define LINK_WAVES_FAST_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif


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

/* KEY from person_key S (LEN bytes): 0, or -1 when it is not 32 lowercase hex digits.
 * With SSE2, 16 digits at a time: each byte a digit (c - '0' in 0..9) or a letter (c - 'a'
 * in 0..5, compared signed: a byte of 0x80 or more lands outside both), its value
 * chosen by the test, and each pair joined into a byte (high digit first). */
static inline int key_decode(const char *s, size_t len, unsigned char key[16])
{
	if (len != 32)
		return -1;
#ifdef __SSE2__
	const __m128i zero_m1 = _mm_set1_epi8(-1), ten = _mm_set1_epi8(10), six = _mm_set1_epi8(6);
	__m128i half[2];

	for (int h = 0; h < 2; h++) {
		__m128i c = _mm_loadu_si128((const __m128i *)(s + 16 * h));
		__m128i d = _mm_sub_epi8(c, _mm_set1_epi8('0')), a = _mm_sub_epi8(c, _mm_set1_epi8('a'));
		__m128i is_d = _mm_and_si128(_mm_cmpgt_epi8(d, zero_m1), _mm_cmplt_epi8(d, ten));
		__m128i is_a = _mm_and_si128(_mm_cmpgt_epi8(a, zero_m1), _mm_cmplt_epi8(a, six));
		__m128i v = _mm_or_si128(_mm_and_si128(is_d, d), _mm_and_si128(is_a, _mm_add_epi8(a, ten)));

		if (_mm_movemask_epi8(_mm_or_si128(is_d, is_a)) != 0xffff)
			return -1;
		/* 16-bit lanes: the high digit in the low byte, the low digit in the high byte */
		half[h] = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0xff)), 4), _mm_srli_epi16(v, 8));
	}
	_mm_storeu_si128((__m128i *)key, _mm_packus_epi16(half[0], half[1]));
	return 0;
#else
	unsigned badbits = 0;

	if (hexv[0] == 0)
		hex_init();
	for (int i = 0; i < 16; i++) {
		unsigned hi = hexv[(unsigned char)s[2 * i]], lo = hexv[(unsigned char)s[2 * i + 1]];

		badbits |= hi | lo;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return badbits & 0x10 ? -1 : 0;
#endif
}

#endif
