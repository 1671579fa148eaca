/* bsnmask.c - BSN masking of free text (see bsnmask.h for what is masked and why). */
#include "bsnmask.h"

#include "pseudonym.h"

#include <string.h>

#define MAX_GROUPS 64

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_sep(char c)
{
	return c == '.' || c == ' ' || c == '-';
}

/* Groups [g, g+k) of a span: the date shape d-m-yyyy (1-2, 1-2, 4 digits)? */
static int date_shaped(const size_t *len, size_t g, size_t k)
{
	return k == 3 && len[g] <= 2 && len[g + 1] <= 2 && len[g + 2] == 4;
}

/* Groups [g, g+k) hold 8 or 9 digits that pass the 11-check. */
static int bsn_groups(const char *s, const size_t *at, const size_t *len, size_t g, size_t k)
{
	char digits[9], bsn9[9];
	const char *why;
	size_t nd = 0;

	for (size_t i = g; i < g + k; i++) {
		if (nd + len[i] > sizeof digits)
			return 0;
		memcpy(digits + nd, s + at[i], len[i]);
		nd += len[i];
	}
	return (nd == 8 || nd == 9) && bsn_check(digits, nd, bsn9, &why) == 0;
}

/* One span: digit groups joined by single separators, all the same one. Masks each window
 * of whole groups (one group too) that spells a BSN; returns bytes masked. */
static size_t mask_span(char *s, const size_t *at, const size_t *len, size_t ngroups)
{
	size_t masked = 0;

	for (size_t g = 0; g < ngroups; g++) {
		for (size_t k = 1; g + k <= ngroups; k++) {
			size_t from = at[g], to = at[g + k - 1] + len[g + k - 1];

			if (date_shaped(len, g, k) || !bsn_groups(s, at, len, g, k))
				continue;
			memset(s + from, '*', to - from);
			masked += to - from;
		}
	}
	return masked;
}

size_t bsn_mask(char *s, size_t n, int every_long_run)
{
	size_t i = 0, masked = 0;

	while (i < n) {
		size_t at[MAX_GROUPS], len[MAX_GROUPS], ngroups = 0, j = i;
		char sep = 0;

		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		/* the span from i: groups of digits, one separator (the same) between them */
		for (;;) {
			size_t start = j;

			while (j < n && is_digit(s[j]))
				j++;
			if (every_long_run && j - start >= 8) {   /* whatever its check digit */
				memset(s + start, '*', j - start);
				masked += j - start;
			}
			if (ngroups < MAX_GROUPS) {
				at[ngroups] = start;
				len[ngroups++] = j - start;
			}
			if (j + 1 < n && is_sep(s[j]) && (sep == 0 || s[j] == sep) && is_digit(s[j + 1])) {
				sep = s[j];
				j++;
				continue;
			}
			break;
		}
		masked += mask_span(s, at, len, ngroups);
		i = j;
	}
	return masked;
}
