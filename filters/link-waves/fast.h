/* fast.h - link-waves' hot conversions, each the exact equal of a library function or
 * check on the inputs it accepts (tests/link-waves/fast_test.c compares them over every
 * date and many awkward strings). Header-only so that test can include it.
 *
 * Why: for 1 M applications link-waves checks and parses 12 M fields and writes 7 M
 * dates; the library's general functions (schema_check_value, then date_parse_iso again,
 * date_format_iso through date_to_ymd) took a fifth of its time.
 */
#ifndef LINK_WAVES_FAST_H
#define LINK_WAVES_FAST_H

#include <stdint.h>
#include <string.h>

#include "datecalc.h"
#include "schema.h"

/* Day number of "yyyy-mm-dd" (LEN bytes); DATE_NONE when date_parse_iso would refuse it.
 * The same result as date_parse_iso for every input (tests/link-waves/fast_test.c). */
static inline int fast_date(const char *s, size_t len)
{
	static const int before[13] = { 0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	static const unsigned char dim[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned d[10], any = 0;
	int y, m, day, leap;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return DATE_NONE;
	for (int i = 0; i < 10; i++) {
		d[i] = (unsigned)(unsigned char)s[i] - '0';
		if (i != 4 && i != 7)
			any |= d[i] > 9;
	}
	if (any)
		return DATE_NONE;
	y = (int)(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]);
	m = (int)(d[5] * 10 + d[6]);
	day = (int)(d[8] * 10 + d[9]);
	if (y < 1 || m < 1 || m > 12 || day < 1)
		return DATE_NONE;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (day > dim[m] + (m == 2 && leap))
		return DATE_NONE;
	y--;
	/* days from 0001-01-01, minus those up to 1970-01-01 (719162) */
	return 365 * y + y / 4 - y / 100 + y / 400 + before[m] + (m > 2 && leap) + day - 1 - 719162;
}

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

/* "yyyy-mm-dd" of day number DAY (a date date_parse_iso gives: years 1..9999) into BUF
 * (10 bytes, no NUL): what date_format_iso writes. */
static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static inline void fast_date_format_any(int day, char *buf)
{
	/* H. Hinnant's civil_from_days, as date_to_ymd, on unsigned numbers: the days from
	 * 0000-03-01 are never negative for years 1..9999 */
	unsigned z = (unsigned)(day + 719468);
	unsigned era = z / 146097;
	unsigned doe = z - era * 146097;
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	unsigned y = yoe + era * 400 + (m <= 2);

	memcpy(buf, two_digits + 2 * (y / 100), 2);
	memcpy(buf + 2, two_digits + 2 * (y % 100), 2);
	buf[4] = '-';
	memcpy(buf + 5, two_digits + 2 * m, 2);
	buf[7] = '-';
	memcpy(buf + 8, two_digits + 2 * d, 2);
}

/* "mm-dd" of each day of the year (from 0), for common [0] and leap [1] years; filled at
 * the first use (static: one copy per file that includes this header) */
static char month_day[2][366][5];

static inline void date_text_init(void)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	for (int leap = 0; leap < 2; leap++)
		for (int m = 0, doy = 0; m < 12; m++)
			for (int d = 1; d <= dim[m] + (m == 1 && leap); d++, doy++) {
				memcpy(month_day[leap][doy], two_digits + 2 * (m + 1), 2);
				month_day[leap][doy][2] = '-';
				memcpy(month_day[leap][doy] + 3, two_digits + 2 * d, 2);
			}
}

/* The same, fast for 1901..2099, where every fourth year is a leap year (hot: 7 M dates
 * written for 820 000 persons). */
static inline void fast_date_format(int day, char *buf)
{
	/* days since 1901-01-01; 2100-01-01 is day 72684 */
	unsigned n = (unsigned)(day + 25202), yo, doy;

	if (month_day[0][0][0] == 0)
		date_text_init();
	if (n >= 72684) {
		fast_date_format_any(day, buf);
		return;
	}
	yo = (4 * n + 3) / 1461;           /* years since 1901: cycles of 365, 365, 365, 366 */
	doy = n - 365 * yo - yo / 4;
	memcpy(buf, two_digits + 2 * (19 + (yo + 1) / 100), 2);
	memcpy(buf + 2, two_digits + 2 * ((yo + 1) % 100), 2);
	buf[4] = '-';
	memcpy(buf + 5, month_day[(yo & 3) == 3][doy], 5);
}

#endif
