/* utf8.c - see utf8.h */
#include "utf8.h"

#include <string.h>

size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;

		return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;

		return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
		       (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

size_t utf8_bad(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (u[i] < 0x80) {
			if (u[i] == 0)
				return i;
			i++;
			continue;
		}
		if ((k = utf8_seq(u + i, n - i)) == 0)
			return i;
		i += k;
	}
	return n;
}

void utf8_clean(char *s)
{
	unsigned char *u = (unsigned char *)s;
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t k = utf8_seq(u + i, n - i);

		if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f))) {
			u[i++] = '?';
			continue;
		}
		i += k;
	}
}
