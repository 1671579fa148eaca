/* months.h - calendar months after a day: the day "k months later" on which the report's
 * "still on benefit after k months" is judged, and calendar month time - how far one day
 * lies after another, counted in calendar months, as a real number (doc/cohorts.md, "Time
 * on benefit"). Shared by derive-status (on_benefit_Km, km_time) and cohort-tables (the
 * censoring rule's k-month marks).
 *
 *   months_since(from, to) = m + (to - A_m) / (A_{m+1} - A_m)
 *
 * where A_m = date_add_months(from, m) ("m calendar months later, a day that does not
 * exist moves to the month's end", DOMAIN.md) and m is the largest whole number with
 * A_m <= to. So months_since(from, A_k) == k exactly, the function grows strictly with
 * TO, and "a spell still runs k months after the application" (end > A_k) is exactly
 * months_since(application, end) > k: a Kaplan-Meier curve on this scale read at k is the
 * report's "on benefit after k months" when nobody is censored before k.
 *
 * Contract: FROM and TO are day numbers (datecalc.h). Returns NAN when either is DATE_NONE
 * or TO comes before FROM. Pure: no state, no allocation. The value is a correctly rounded
 * double of m plus one division of two whole numbers, so another program computing the
 * same formula in doubles gets the same bits (tests/cohort-tables/make-expected.R does).
 */
#ifndef KETEN_MONTHS_H
#define KETEN_MONTHS_H

/* How a day that does not exist in the target month is read (31 March + 6 months).
 * The report counts calendar months from the application date ("langer dan drie
 * maanden"), so the mark is the same day of the month k months later: 2006-03-15 + 6 =
 * 2006-09-15. When that day does not exist there are two readings. MONTH_END_CLAMP, the
 * report's and the default of every option that offers the choice, moves it back to the
 * month's last day, 2006-09-30: a spell that runs "to the end of the sixth month" counts,
 * and every application in one month gets its mark in the same target month (which keeps
 * the 3/6/12-month populations of one application month comparable). MONTH_END_NEXT rolls
 * over to the day after it, 2006-10-01, as mktime() would: a strict "a full k months have
 * passed" reading. */
enum month_end { MONTH_END_CLAMP, MONTH_END_NEXT };

/* The k-month mark of DAY: the day K calendar months later, read by RULE. Leap years need
 * nothing special: 2007-08-31 + 6 = 2008-02-29 (clamp) or 2008-03-01 (next). */
int months_mark(int day, int k, enum month_end rule);

double months_since(int from, int to);

#endif
