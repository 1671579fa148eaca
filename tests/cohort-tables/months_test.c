/* months_test - calendar month time (filters/lib/months.c): values worked out by
 * hand from DOMAIN.md's rule ("k calendar months later, a day that does not exist moves to
 * the month's end"), and on random pairs of days the property that makes a Kaplan-Meier
 * curve on this scale read the report's "on benefit after k months": for every k,
 * to > date_add_months(from, k) exactly when months_since(from, to) > k; and the value grows
 * with TO. */
#include "../lib/tap.h"
#include "datecalc.h"
#include "months.h"

#include <math.h>
#include <stdio.h>

#include "../lib/test_rng.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	tap_checks++;
	if (!ok)
		failures++;
}

static int day(const char *iso)
{
	return date_parse_iso(iso, 10);
}

int main(void)
{
	static const struct { const char *from, *to; double want; const char *why; } hand[] = {
		{ "2006-03-15", "2006-03-15", 0, "the same day: 0" },
		{ "2006-03-15", "2006-04-14", 30.0 / 31, "a day short of a month: 30 of March 15 - April 15's 31 days" },
		{ "2006-03-15", "2006-04-15", 1, "one month later: 1 exactly" },
		{ "2006-01-31", "2006-02-28", 1, "31 January + 1 month is 28 February (month's end): 1" },
		{ "2006-01-31", "2006-03-01", 1 + 1.0 / 31, "1 March: a day into the month from 28 February to 31 March" },
		{ "2006-03-31", "2006-09-30", 6, "DOMAIN.md's example: 31 March 2006 + 6 months = 30 September" },
		{ "2007-08-31", "2008-02-29", 6, "DOMAIN.md's example: 31 August 2007 + 6 months = 29 February 2008" },
		{ "2007-08-31", "2008-02-28", 5 + 28.0 / 29, "a day before that: 28 of the 29 days from 31 January" },
		{ "2006-03-01", "2007-03-01", 12, "a year: 12" },
		{ "2006-03-01", "2007-09-16", 18 + 15.0 / 30, "18 months and 15 of September's 30 days" },
	};
	char what[200];
	long bad_prop = 0, bad_mono = 0, pairs = 0;

	for (size_t i = 0; i < sizeof hand / sizeof *hand; i++) {
		double got = months_since(day(hand[i].from), day(hand[i].to));

		snprintf(what, sizeof what, "months_since(%s, %s) = %.10g: %s", hand[i].from, hand[i].to, got, hand[i].why);
		check(got == hand[i].want, what);
	}
	check(isnan(months_since(day("2006-03-02"), day("2006-03-01"))), "a day before FROM: NAN");
	check(isnan(months_since(DATE_NONE, day("2006-03-01"))) && isnan(months_since(day("2006-03-01"), DATE_NONE)),
	      "DATE_NONE on either side: NAN");
	/* the property, on 200 000 random pairs over 1999-2012 */
	for (int r = 0; r < 200000; r++) {
		int from = day("1999-01-01") + (int)rnd(4750), to = from + (int)rnd(800);
		double m = months_since(from, to), m1 = months_since(from, to + 1);

		pairs++;
		for (int k = 0; k <= 27; k++)
			if ((to > date_add_months(from, k)) != (m > k))
				bad_prop++;
		if (!(m1 > m))
			bad_mono++;
	}
	snprintf(what, sizeof what, "%ld random pairs: to > from + k months exactly when months_since > k, k = 0..27", pairs);
	check(bad_prop == 0, what);
	check(bad_mono == 0, "months_since grows strictly with TO, day by day");
	tap_plan();
	return failures ? 1 : 0;
}
