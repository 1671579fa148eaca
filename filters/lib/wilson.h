/* wilson.h - Wilson's score interval for an unweighted share: k of n people, at the normal
 * quantile z (1.959963984540054 for 95 %). What R's prop.test(k, n, correct = FALSE) gives
 * as conf.int, and what every registry share of the project is published with (tabulate's
 * unweighted shares, cohort-tables' shares).
 *
 * Contract: k in [0, n]; n <= 0 gives NaN for the share and both ends. At k = 0 the lower
 * end is exactly 0 and at k = n the upper end exactly 1 (not a rounding near them). Pure:
 * no state, no allocation.
 */
#ifndef KETEN_WILSON_H
#define KETEN_WILSON_H

void wilson_interval(double k, long n, double z, double *share, double *lo, double *hi);

#endif
