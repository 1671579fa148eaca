/* months.c - calendar month time; the contract is in months.h. */
#include <math.h>

#include "datecalc.h"
#include "months.h"

int months_mark(int day, int k, enum month_end rule)
{
	int t = date_add_months(day, k);
	int y0, m0, d0, y, m, d;

	if (rule == MONTH_END_CLAMP)
		return t;
	date_to_ymd(day, &y0, &m0, &d0);
	date_to_ymd(t, &y, &m, &d);
	return d < d0 ? t + 1 : t;  /* clamped: the first day of the next month */
}

double months_since(int from, int to)
{
	int y0, m0, d0, y1, m1, d1, m, a, b;

	if (from == DATE_NONE || to == DATE_NONE || to < from)
		return NAN;
	date_to_ymd(from, &y0, &m0, &d0);
	date_to_ymd(to, &y1, &m1, &d1);
	m = (y1 - y0) * 12 + (m1 - m0);     /* A_m falls in TO's month: at most one too far */
	a = date_add_months(from, m);
	if (a > to)
		a = date_add_months(from, --m);
	b = date_add_months(from, m + 1);
	return (double)m + (double)(to - a) / (double)(b - a);
}
