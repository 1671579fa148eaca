/* datecalc.h - calendar dates as day numbers, for ages, durations and "k months later".
 *
 * A date is an int: days since 1970-01-01 (proleptic Gregorian). DATE_NONE marks missing.
 * Pure functions, no locale, no time zones: the stream's dates are calendar days.
 */
#ifndef KETEN_DATECALC_H
#define KETEN_DATECALC_H

#include <stddef.h>

#define DATE_NONE (-2147483647 - 1)

/* Day number of y-m-d, or DATE_NONE if it is not a real calendar date. */
int date_from_ymd(int y, int m, int d);
void date_to_ymd(int day, int *y, int *m, int *d);

/* Parse "yyyy-mm-dd" (exactly 10 chars, real calendar). DATE_NONE on failure. */
int date_parse_iso(const char *s, size_t len);
/* Parse "dd-mm-yyyy" (the raw files' format; 1-digit day/month not accepted). DATE_NONE on failure. */
int date_parse_dmy(const char *s, size_t len);
/* Write "yyyy-mm-dd" and a NUL into buf (at least 11 bytes). */
void date_format_iso(int day, char *buf);

/* The same day K calendar months later; a day that does not exist moves to the month's
 * end (2006-03-31 + 6 months = 2006-09-30; 2007-08-31 + 6 = 2008-02-29). */
int date_add_months(int day, int months);

/* Whole years from birth to day (age on that day; a 29 February birthday counts on
 * 1 March in non-leap years). */
int date_age_years(int birth, int day);

#endif
