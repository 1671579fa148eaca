/* estimate.c - the estimators.
 *
 * Weighted figures are ratio estimates R = sum(w y) / sum(w) over a domain (the cell's
 * people) of a stratified sample with one person per PSU and no finite population
 * correction: what R's survey package computes with
 *     svydesign(ids = ~1, strata = ~stratum, weights = ~design_weight, data = sample)
 *     svymean(~y, subset(design, domain), na.rm = TRUE)
 * Its linearised variance uses z_i = w_i (y_i - R) / sum(w) for domain members and 0 for
 * everyone else in the sample; per stratum h with n_h people (the whole sample's count):
 *     V = sum_h n_h / (n_h - 1) * (sum_h z^2 - (sum_h z)^2 / n_h)
 * and sum_h z, sum_h z^2 follow from five running sums per stratum (struct tstrat), so no
 * person is kept. The interval is R +- qnorm(0.975) se, as confint() on svymean gives.
 * (Disclosure control is in disclose.c.)
 */
#include "tabulate.h"

#include "diag.h"
#include "wilson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double tab_z = 1.959963984540054;     /* qnorm(0.975) */

struct tcell *cells_add(struct tcells *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	return &c->v[c->n++];
}

void acc_add(struct tacc *a, double y)
{
	double d = y - a->mean;

	a->n++;
	a->k += y;
	a->mean += d / (double)a->n;
	a->m2 += d * (y - a->mean);
}

void acc_add_weighted(struct tacc *a, double y, size_t stratum, double w)
{
	struct tstrat *s;

	if (stratum >= a->nst) {
		size_t n = stratum + 8;

		a->st = xrealloc(a->st, n * sizeof *a->st);
		memset(a->st + a->nst, 0, (n - a->nst) * sizeof *a->st);
		a->nst = n;
	}
	s = &a->st[stratum];
	s->sd += w;
	s->sy += w * y;
	s->qdd += w * w;
	s->qyd += w * w * y;
	s->qyy += w * w * y * y;
}

void est_wilson(double k, long n, double *est, double *lo, double *hi)
{
	wilson_interval(k, n, tab_z, est, lo, hi);
}

void est_mean(const struct tacc *a, double *est, double *lo, double *hi)
{
	double se;

	*est = *lo = *hi = NAN;
	if (a->n <= 0)
		return;
	*est = a->mean;
	if (a->n < 2)
		return;
	se = sqrt(a->m2 / (double)(a->n - 1) / (double)a->n);
	*lo = a->mean - tab_z * se;
	*hi = a->mean + tab_z * se;
}

int est_design(const struct tacc *a, const long *nh, size_t nstrata, double *est, double *se)
{
	double sw = 0, swy = 0, r, v = 0;

	*est = *se = NAN;
	for (size_t h = 0; h < a->nst; h++) {
		sw += a->st[h].sd;
		swy += a->st[h].sy;
	}
	if (!(sw > 0))
		return -1;
	r = swy / sw;
	for (size_t h = 0; h < a->nst && h < nstrata; h++) {
		const struct tstrat *s = &a->st[h];
		double n = (double)nh[h], sz, szz;

		if (nh[h] < 2 || s->sd == 0)
			continue;
		sz = (s->sy - r * s->sd) / sw;
		szz = (s->qyy - 2 * r * s->qyd + r * r * s->qdd) / (sw * sw);
		v += n / (n - 1) * (szz - sz * sz / n);
	}
	*est = r;
	*se = sqrt(v > 0 ? v : 0);
	return 0;
}
