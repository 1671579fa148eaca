/* load8.h - eight bytes as one word, for the code that tests eight bytes at a time
 * (ingest's splitting of raw lines at ';', datecalc's reading of a date).
 */
#ifndef KETEN_LOAD8_H
#define KETEN_LOAD8_H

#include <stdint.h>
#include <string.h>

/* The 8 bytes at P as a word whose lowest bits hold P[0] (so ctz finds the first match):
 * one load where the machine is little-endian. */
static inline uint64_t load8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

#endif
