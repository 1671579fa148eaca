/* months.h - calendar month time: how far one day lies after another, counted in calendar
 * months, as a real number (doc/cohorts.md, "Time on benefit").
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

double months_since(int from, int to);

#endif
