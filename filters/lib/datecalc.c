/* datecalc.c - see datecalc.h. Days from civil (H. Hinnant's algorithm), exact for the
 * proleptic Gregorian calendar, no tables, no locale. */
#include "datecalc.h"

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

void date_to_ymd(int day, int *y, int *m, int *d)
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

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int date_parse_iso(const char *s, size_t len)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

int date_parse_dmy(const char *s, size_t len)
{
	int y, m, d;

	if (len != 10 || s[2] != '-' || s[5] != '-' ||
	    digits(s, 2, &d) || digits(s + 3, 2, &m) || digits(s + 6, 4, &y))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

void date_format_iso(int day, char *buf)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
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
