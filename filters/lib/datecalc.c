/* datecalc.c - see datecalc.h. Days from civil (H. Hinnant's algorithm), exact for the
 * proleptic Gregorian calendar, no locale. The hot paths (reading a date, writing one,
 * a day's year, month and day) take small tables between 1901 and 2099, where every fourth
 * year is a leap year; other years the general arithmetic. */
#include "datecalc.h"

#include <stdint.h>
#include <string.h>

#include "load8.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return DATE_NONE;
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int day, int *y, int *m, int *d);
static void month_day_init(void);
static uint16_t month_day_num[2][366];   /* month << 8 | day, as month_day below */

/* Between 1901 and 2099 the year and the day of the year come from one division (every
 * fourth year a leap year) and month and day from a table, as in date_format_iso: derive-
 * status takes months and ages of every person; other years take the general route. */
void date_to_ymd(int day, int *y, int *m, int *d)
{
	unsigned n = (unsigned)(day + 25202);   /* days since 1901-01-01; 2100-01-01 is 72684 */

	if (n < 72684) {
		unsigned yo = (4 * n + 3) / 1461, md;

		if (month_day_num[0][0] == 0)
			month_day_init();
		md = month_day_num[(yo & 3) == 3][n - 365 * yo - yo / 4];
		*y = (int)(1901 + yo);
		*m = (int)(md >> 8);
		*d = (int)(md & 0xffu);
		return;
	}
	civil_from_days(day, y, m, d);
}

/* The general route: civil from days (H. Hinnant), any day. */
static void civil_from_days(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Hot: every date of every stream is read here (12 M dates a stage at 1 M applications;
 * ingest reads every raw date), so the ten bytes are read as two words and checked at once
 * (a dash where a dash goes, a digit everywhere else), and between 1901 and 2099, where
 * every fourth year is a leap year, the day number comes from one multiplication and a
 * table of days before each month; other years take the general count. Y0, M0, D0: where
 * the year's four digits and the month's and day's two start; DASH1, DASH2 (< 8): where
 * the dashes are. The same answer as reading the digits one by one and calling
 * date_from_ymd, for every input (tests/stream/dates_test.c). */
static inline __attribute__((always_inline)) int parse_date10(const char *s, size_t len, int y0, int m0,
								    int d0, int dash1, int dash2)
{
	static const int before[13] = { 0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	static const unsigned char dim[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const uint64_t ones = 0x0101010101010101u, high = 0xf0f0f0f0f0f0f0f0u;
	const uint64_t dashes = 0xffu * (ones & (1ull << (8 * dash1) | 1ull << (8 * dash2)));
	uint64_t a, dg;
	uint16_t b;
	int y, m, d, leap;

	if (len != 10)
		return DATE_NONE;
	a = load8(s);                                   /* bytes 0..7 */
	b = (uint16_t)((unsigned char)s[8] | (unsigned char)s[9] << 8);   /* 8, 9: digits in both formats */
	if ((a & dashes) != (0x2du * ones & dashes))
		return DATE_NONE;
	/* the dashes read as '0'; then every byte a digit: its high nibble 3, and still 3
	 * with 6 added (no byte carries into the next: 0x3f + 6 < 0x100) */
	dg = (a & ~dashes) | (0x30u * ones & dashes);
	if ((dg & high) != 0x30u * ones || ((dg + 0x06u * ones) & high) != 0x30u * ones ||
	    (b & 0xf0f0u) != 0x3030u || ((b + 0x0606u) & 0xf0f0u) != 0x3030u)
		return DATE_NONE;
#define DIGIT(k) ((int)((k) < 8 ? (dg >> (8 * (k))) & 0xfu : (unsigned)(b >> (8 * ((k) - 8))) & 0xfu))
	y = DIGIT(y0) * 1000 + DIGIT(y0 + 1) * 100 + DIGIT(y0 + 2) * 10 + DIGIT(y0 + 3);
	m = DIGIT(m0) * 10 + DIGIT(m0 + 1);
	d = DIGIT(d0) * 10 + DIGIT(d0 + 1);
#undef DIGIT
	if (m < 1 || m > 12 || d < 1)
		return DATE_NONE;
	if ((unsigned)(y - 1901) < 199u) {
		unsigned n = (unsigned)(y - 1901);   /* 1901-01-01 is day -25202 */

		leap = (n & 3) == 3;
		if (d > dim[m] + (m == 2 && leap))
			return DATE_NONE;
		return (int)(365 * n + n / 4) - 25202 + before[m] + (m > 2 && leap) + d - 1;
	}
	if (y < 1)
		return DATE_NONE;
	leap = is_leap(y);
	if (d > dim[m] + (m == 2 && leap))
		return DATE_NONE;
	y--;
	/* days from 0001-01-01, minus those up to 1970-01-01 (719162) */
	return 365 * y + y / 4 - y / 100 + y / 400 + before[m] + (m > 2 && leap) + d - 1 - 719162;
}

/* A stream's dates are few, read many times over (820 000 applications filed in one
 * year, the spells' and decisions' days around them), so the last day read for each of
 * DATE_MEMO slots, chosen by a hash of the ten bytes, is kept with the bytes and given
 * back when the same ten bytes come again: a load, a hash and a compare instead of the
 * check and the arithmetic (about 95 instructions a date; a quarter of link-waves' reading
 * of the applications, issue 22). Only accepted dates are kept, with a bit set beside
 * their last two bytes (a slot never written, all zero, matches no ten bytes). The answer
 * is the same (tests/stream/dates_test.c). One table per format; the filters have one
 * thread. */
#define DATE_MEMO_BITS 10
#define DATE_MEMO (1u << DATE_MEMO_BITS)

struct date_memo {
	uint64_t head;   /* bytes 0-7 */
	uint32_t tail;   /* bytes 8 and 9, and bit 16 set */
	int day;
};

static inline __attribute__((always_inline)) int parse_memo(struct date_memo *memo, const char *s, size_t len,
							    int y0, int m0, int d0, int dash1, int dash2)
{
	struct date_memo *e;
	uint64_t head;
	uint32_t tail;
	int day;

	if (len != 10)
		return DATE_NONE;
	head = load8(s);
	tail = 0x10000u | (unsigned char)s[8] | (unsigned)(unsigned char)s[9] << 8;
	e = &memo[(head * 0x9e3779b97f4a7c15u + tail * 0xc2b2ae3d27d4eb4fu) >> (64 - DATE_MEMO_BITS)];
	if (e->head == head && e->tail == tail)
		return e->day;
	day = parse_date10(s, len, y0, m0, d0, dash1, dash2);
	if (day != DATE_NONE) {
		e->head = head;
		e->tail = tail;
		e->day = day;
	}
	return day;
}

int date_parse_iso(const char *s, size_t len)
{
	static struct date_memo memo[DATE_MEMO];

	return parse_memo(memo, s, len, 0, 5, 8, 4, 7);
}

int date_parse_dmy(const char *s, size_t len)
{
	static struct date_memo memo[DATE_MEMO];

	return parse_memo(memo, s, len, 6, 3, 0, 2, 5);
}

static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* "mm-dd" of each day of the year (from 0), common [0] and leap [1]; filled at first use. */
static char month_day[2][366][5];

static void month_day_init(void)
{
	for (int leap = 0; leap < 2; leap++)
		for (int m = 1, doy = 0; m <= 12; m++)
			for (int d = 1; d <= days_in_month(leap ? 2000 : 2001, m); d++, doy++) {
				month_day_num[leap][doy] = (uint16_t)(m << 8 | d);
				memcpy(month_day[leap][doy], two_digits + 2 * m, 2);
				month_day[leap][doy][2] = '-';
				memcpy(month_day[leap][doy] + 3, two_digits + 2 * d, 2);
			}
}

/* Hot: stages write millions of dates. Between 1901 and 2099 every fourth year is a leap
 * year, so the year and the day of the year come from one division and the "mm-dd" from a
 * table; other years take the general civil-from-days route. */
void date_format_iso(int day, char *buf)
{
	unsigned n = (unsigned)(day + 25202);   /* days since 1901-01-01; 2100-01-01 is 72684 */
	int y, m, d;

	if (n < 72684) {
		unsigned yo = (4 * n + 3) / 1461;     /* cycles of 365, 365, 365, 366 days */
		unsigned doy = n - 365 * yo - yo / 4;

		if (month_day[0][0][0] == 0)
			month_day_init();
		memcpy(buf, two_digits + 2 * (19 + (yo + 1) / 100), 2);
		memcpy(buf + 2, two_digits + 2 * ((yo + 1) % 100), 2);
		buf[4] = '-';
		memcpy(buf + 5, month_day[(yo & 3) == 3][doy], 5);
		buf[10] = '\0';
		return;
	}
	civil_from_days(day, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int date_add_months(int day, int months)
{
	int y, m, d, total, dim;

	date_to_ymd(day, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	dim = days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

int date_age_years(int birth, int day)
{
	int by, bm, bd, y, m, d, age;

	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(day, &y, &m, &d);
	age = y - by;
	/* Birthday not reached yet this year. A 29 February birthday in a non-leap year is
	 * reached on 1 March: (m, d) = (2, 28) < (2, 29) keeps the age one lower. */
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}
