/* dates_test - the library's date reading and writing (datecalc.c), run millions of times
 * a stage and written for speed, against plain reference readings written here on top of
 * date_from_ymd / date_to_ymd (whose answers rec_test checks by hand). Inputs: every
 * yyyy-mm-dd (and dd-mm-yyyy) of years 0..9999 with months 00..13, 19, 20, 99 and days 00..32 and more,
 * dates with one byte changed (non-digits, NUL, a missing dash), other lengths, and every
 * day of years 1..9999 formatted and read back, and every day through date_to_ymd and
 * back through date_from_ymd. */
#include "datecalc.h"

#include <stdio.h>
#include <string.h>

#include "../lib/tap.h"

static int failures;

static void check(int ok, const char *what)
{
	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

#include "../lib/test_rng.h"

/* The reference: the plain reading, digit by digit, then date_from_ymd (whose answers are
 * checked by hand in rec_test). A NUL among the LEN bytes is not a digit. */
static int ref_parse_iso(const char *s, size_t len)
{
	static const int start[3] = { 0, 5, 8 }, width[3] = { 4, 2, 2 };
	int v[3] = { 0, 0, 0 };

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return DATE_NONE;
	for (int k = 0; k < 3; k++)
		for (int i = start[k]; i < start[k] + width[k]; i++) {
			if (s[i] < '0' || s[i] > '9')
				return DATE_NONE;
			v[k] = v[k] * 10 + (s[i] - '0');
		}
	return date_from_ymd(v[0], v[1], v[2]);
}

/* The reference text of a day: date_to_ymd's fields, printed. */
static void ref_format_iso(int day, char *buf)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}

/* The raw files' dd-mm-yyyy: the same reference on the digits rearranged. */
static int ref_parse_dmy(const char *s, size_t len)
{
	char iso[16];

	if (len != 10 || s[2] != '-' || s[5] != '-')
		return DATE_NONE;
	memcpy(iso, s + 6, 4);
	iso[4] = '-';
	memcpy(iso + 5, s + 3, 2);
	iso[7] = '-';
	memcpy(iso + 8, s, 2);
	return ref_parse_iso(iso, 10);
}

/* Both readers agree with the reference on S, and on S's bytes read as dd-mm-yyyy. */
static int date_agrees(const char *s, size_t len)
{
	return date_parse_iso(s, len) == ref_parse_iso(s, len) &&
	       date_parse_dmy(s, len) == ref_parse_dmy(s, len);
}

static void test_dates(void)
{
	static const int months[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 19, 20, 99 };
	static const int days[] = { 0, 1, 2, 27, 28, 29, 30, 31, 32, 39, 40, 99 };
	static const char subst[] = { '/', ':', ' ', 'a', '-', '+', '0', '9', '\0', '\x80' };
	long n = 0, bad = 0, valid = 0;
	char s[48], t[48];

	for (int y = 0; y <= 9999; y++)
		for (size_t m = 0; m < sizeof months / sizeof *months; m++)
			for (size_t d = 0; d < sizeof days / sizeof *days; d++) {
				snprintf(s, sizeof s, "%04d-%02d-%02d", y, months[m], days[d]);
				n++;
				valid += date_parse_iso(s, 10) != DATE_NONE;
				if (!date_agrees(s, 10))
					bad++;
				snprintf(t, sizeof t, "%02d-%02d-%04d", days[d], months[m], y);
				if (!date_agrees(t, 10))
					bad++;
			}
	printf("# %ld dates compared, %ld of them valid\n", n, valid);
	check(bad == 0 && valid > 700000, "date_parse_iso and date_parse_dmy = the digit-by-digit reading on every yyyy-mm-dd and dd-mm-yyyy (months 0..13, days 0..32)");

	bad = 0;
	n = 0;
	for (int i = 0; i < 200000; i++) {
		int y = 1 + (int)rnd(9999), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
		size_t pos = rnd(10);

		snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
		s[pos] = subst[rnd(sizeof subst)];
		n++;
		if (!date_agrees(s, 10))
			bad++;
		/* the same text one byte shorter or longer */
		memcpy(t, s, 10);
		t[9] = '\0';
		if (!date_agrees(t, 9))
			bad++;
		t[9] = s[9];
		t[10] = (char)('0' + rnd(10));
		t[11] = '\0';
		if (!date_agrees(t, 11))
			bad++;
	}
	check(bad == 0, "date_parse_iso and date_parse_dmy = the reference on dates with one byte changed (NUL too), and other lengths");

	/* both readers keep the last date read in each of their slots (DATE_MEMO): 3 000
	 * days of 2005..2013 (more than the slots) read in random order 1 M times - each one
	 * from its slot, or read anew after another date took the slot - with the same date
	 * but one month digit after each, refused and not kept */
	bad = 0;
	for (int i = 0; i < 1000000; i++) {
		int day = date_from_ymd(2005, 1, 1) + (int)rnd(3000), at = (int)rnd(2);
		char iso[16], dmy[16];

		ref_format_iso(day, iso);
		snprintf(dmy, sizeof dmy, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
		bad += date_parse_iso(iso, 10) != day || date_parse_dmy(dmy, 10) != day;
		iso[5 + at] = 'x';
		dmy[3 + at] = 'x';
		bad += date_parse_iso(iso, 10) != DATE_NONE || date_parse_dmy(dmy, 10) != DATE_NONE;
	}
	check(bad == 0, "date_parse_iso and _dmy: 3 000 days read 1 M times in random order, each the day it is; a changed month refused");

	bad = 0;
	n = 0;
	for (int day = date_from_ymd(1, 1, 1); day <= date_from_ymd(9999, 12, 31); day++) {
		char want[16], got[16];

		ref_format_iso(day, want);
		date_format_iso(day, got);
		n++;
		if (strcmp(want, got) != 0 || date_parse_iso(got, 10) != day)
			bad++;
	}
	printf("# %ld days formatted\n", n);
	check(bad == 0 && n == 3652059, "date_format_iso = date_to_ymd printed, on every day of years 1..9999, and reads back");

	/* date_to_ymd (a table between 1901 and 2099, the general route elsewhere) against
	 * date_from_ymd's arithmetic: every day of years 1..9999 back to itself, and the next
	 * day one later in the calendar (the day, else the month, else the year steps) */
	bad = 0;
	for (int day = date_from_ymd(1, 1, 1), py = 0, pm = 12, pd = 31; day <= date_from_ymd(9999, 12, 31); day++) {
		int y, m, d;

		date_to_ymd(day, &y, &m, &d);
		if (date_from_ymd(y, m, d) != day ||
		    !((y == py && m == pm && d == pd + 1) || (y == py && m == pm + 1 && d == 1) ||
		      (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31)))
			bad++;
		py = y, pm = m, pd = d;
	}
	check(bad == 0, "date_to_ymd = date_from_ymd's inverse on every day of years 1..9999, one calendar day after the other");
}

int main(void)
{
	test_dates();
	tap_plan();
	return failures ? 1 : 0;
}
