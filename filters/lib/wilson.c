/* wilson.c - Wilson's score interval; the contract is in wilson.h. */
#include <math.h>

#include "wilson.h"

void wilson_interval(double k, long n, double z, double *share, double *lo, double *hi)
{
	double p, z2n, centre, half;

	if (n <= 0) {
		*share = *lo = *hi = NAN;
		return;
	}
	p = k / (double)n;
	z2n = z * z / (double)n;
	centre = (p + z2n / 2) / (1 + z2n);
	half = z / (1 + z2n) * sqrt(p * (1 - p) / (double)n + z2n / (4.0 * (double)n));
	*share = p;
	*lo = centre - half;
	*hi = centre + half;
	if (k <= 0)                         /* exact at the bounds, not rounded near them */
		*lo = 0;
	if (k >= (double)n)
		*hi = 1;
}
