/* km.c - Kaplan-Meier with Greenwood standard errors, as survival::survfit; the contract and
 * the definitions are in km.h. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "km.h"

static int obs_cmp(const void *pa, const void *pb)
{
	const struct km_obs *a = pa, *b = pb;

	return (a->time > b->time) - (a->time < b->time);
}

int km_conf_parse(const char *name, enum km_conf *conf)
{
	if (!strcmp(name, "log"))
		*conf = KM_CONF_LOG;
	else if (!strcmp(name, "log-log"))
		*conf = KM_CONF_LOGLOG;
	else if (!strcmp(name, "plain"))
		*conf = KM_CONF_PLAIN;
	else
		return -1;
	return 0;
}

const char *km_strerror(int err)
{
	switch (err) {
	case KM_OK: return "no error";
	case KM_BEYOND: return "after the last observed time";
	case KM_EINVAL: return "a time that is negative or not a number, an event flag other than 0 or 1, "
		"a level outside (0, 1) or an unknown interval type";
	case KM_ENOMEM: return "out of memory";
	default: return "unknown error";
	}
}

/* survfit_confint with conf.lower = "usual" */
static void interval(const struct km_fit *fit, double surv, double se_log, double *lower, double *upper)
{
	double z = fit->z;

	switch (fit->conf) {
	case KM_CONF_LOG:
		if (surv == 0) {
			*lower = *upper = NAN;
			return;
		}
		*lower = exp(log(surv) - z * se_log);
		*upper = fmin(exp(log(surv) + z * se_log), 1.0);
		return;
	case KM_CONF_LOGLOG:
		if (surv == 0 || surv == 1) {
			*lower = *upper = NAN;
			return;
		}
		*lower = exp(-exp(log(-log(surv)) - z * se_log / log(surv)));
		*upper = exp(-exp(log(-log(surv)) + z * se_log / log(surv)));
		return;
	case KM_CONF_PLAIN: {
		double half = se_log * surv * z;    /* 0 x Inf = NaN at surv 0, as in R */

		*lower = isnan(half) ? NAN : fmax(surv - half, 0.0);
		*upper = isnan(half) ? NAN : fmin(surv + half, 1.0);
		return;
	}
	}
}

static int check_input(const struct km_obs *obs, size_t n, enum km_conf conf, double level)
{
	if (!(level > 0 && level < 1) || (conf != KM_CONF_LOG && conf != KM_CONF_LOGLOG && conf != KM_CONF_PLAIN))
		return KM_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(obs[i].time) || obs[i].time < 0 || (obs[i].ended != 0 && obs[i].ended != 1))
			return KM_EINVAL;
	return KM_OK;
}

int km_fit_init(struct km_fit *fit, struct km_obs *obs, size_t n, enum km_conf conf, double level)
{
	double surv = 1, varsum = 0;
	long at_risk = (long)n;
	int rc;

	memset(fit, 0, sizeof *fit);
	if ((rc = check_input(obs, n, conf, level)) != KM_OK)
		return rc;
	fit->conf = conf;
	fit->level = level;
	fit->z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);
	fit->n = (long)n;
	if (n == 0)
		return KM_OK;
	fit->steps = malloc(n * sizeof *fit->steps);
	if (!fit->steps)
		return KM_ENOMEM;
	qsort(obs, n, sizeof *obs, obs_cmp);
	for (size_t i = 0; i < n;) {
		struct km_step *s = &fit->steps[fit->n_steps++];
		size_t j = i;

		s->time = obs[i].time;
		s->n_risk = at_risk;
		s->n_event = s->n_censor = 0;
		for (; j < n && obs[j].time == s->time; j++) {
			s->n_event += obs[j].ended;
			s->n_censor += !obs[j].ended;
		}
		if (s->n_event > 0) {
			double d = (double)s->n_event, r = (double)s->n_risk;

			surv *= (r - d) / r;
			varsum += d / (r * (r - d));     /* r == d: +Inf, and surv is 0 */
		}
		s->surv = surv;
		s->se_log = sqrt(varsum);
		interval(fit, s->surv, s->se_log, &s->lower, &s->upper);
		fit->n_events += s->n_event;
		at_risk -= (long)(j - i);
		i = j;
	}
	return KM_OK;
}

void km_fit_release(struct km_fit *fit)
{
	free(fit->steps);
	fit->steps = NULL;
	fit->n_steps = 0;
	fit->n = fit->n_events = 0;
}

int km_at(const struct km_fit *fit, double t, struct km_point *pt)
{
	size_t lo = 0, hi = fit->n_steps;    /* first step with time > t: lo */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fit->steps[mid].time <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (fit->n_steps == 0 || t > fit->steps[fit->n_steps - 1].time) {
		*pt = (struct km_point){ 0, NAN, NAN, NAN, NAN, NAN };
		return KM_BEYOND;
	}
	/* at risk at t: the observations with time >= t */
	pt->n_risk = lo > 0 && fit->steps[lo - 1].time == t ? fit->steps[lo - 1].n_risk : fit->steps[lo].n_risk;
	if (lo == 0) {
		pt->surv = 1;
		pt->se = pt->se_log = 0;
		pt->lower = pt->upper = 1;
		return KM_OK;
	}
	pt->surv = fit->steps[lo - 1].surv;
	pt->se_log = fit->steps[lo - 1].se_log;
	pt->se = pt->surv * pt->se_log;
	pt->lower = fit->steps[lo - 1].lower;
	pt->upper = fit->steps[lo - 1].upper;
	return KM_OK;
}

/* survival's findq, for one curve: X the times and Y = 1 - the curve, each with 0 in front.
 * As R does it: duplicated(Y) drops every value seen before (the first stays; NaN is a
 * value too), then approx(Y +/- tol, positions, p, "constant", f = 1) sorts by value and
 * returns the position of the smallest value at or above p, skipping NaN; on a tie with
 * the last value (within tol) the quantile is the midpoint up to the last observed time.
 * The curve need not be monotone (an upper limit capped at 1 is not). */
struct findq_val {
	double v;
	size_t pos;
};

static int val_cmp(const void *pa, const void *pb)
{
	const struct findq_val *a = pa, *b = pb;

	if (a->v != b->v)
		return (a->v > b->v) - (a->v < b->v);
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* the position whose value + SHIFT is the smallest at or above P, or -1 */
static long smallest_at_or_above(const struct findq_val *val, size_t n, const char *dup, double shift, double p)
{
	for (size_t k = 0; k < n; k++)    /* ascending by value */
		if (!dup[k] && val[k].v + shift >= p)
			return (long)val[k].pos;
	return -1;
}

/* position I of findq's vectors: 0 is the point in front (time 0, curve 1) */
static double curve_y(const struct km_fit *fit, int which, size_t i)
{
	const struct km_step *s;

	if (i == 0)
		return 0;
	s = &fit->steps[i - 1];
	return 1 - (which == 0 ? s->surv : which == 1 ? s->lower : s->upper);
}

static double curve_x(const struct km_fit *fit, long i)
{
	return i > 0 ? fit->steps[i - 1].time : 0;
}

static int findq(const struct km_fit *fit, int which, double p, double *q)
{
	const double tol = sqrt(DBL_EPSILON);
	size_t n = fit->n_steps + 1, nv = 0, last = 0;
	struct findq_val *val = malloc(n * sizeof *val);
	char *dup = calloc(n, 1);
	double ymax = -INFINITY;
	int nan_seen = 0;

	*q = NAN;
	if (!val || !dup) {
		free(val);
		free(dup);
		return KM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		double v = curve_y(fit, which, i);

		if (isnan(v)) {           /* the first NaN is kept: it may be the last value */
			if (!nan_seen)
				last = i;
			nan_seen = 1;
			continue;
		}
		ymax = fmax(ymax, v);
		val[nv++] = (struct findq_val){ v, i };
	}
	qsort(val, nv, sizeof *val, val_cmp);
	for (size_t k = 0; k < nv; k++) {
		dup[k] = k > 0 && val[k].v == val[k - 1].v;
		if (!dup[k] && val[k].pos > last)
			last = val[k].pos;
	}
	if (ymax >= p) {
		long i1 = smallest_at_or_above(val, nv, dup, tol, p), i2 = smallest_at_or_above(val, nv, dup, -tol, p);
		double ylast = curve_y(fit, which, last);

		if (i1 >= 0 && i2 >= 0)
			*q = (curve_x(fit, i1) + curve_x(fit, i2)) / 2;
		if (i1 >= 0 && !isnan(ylast) && fabs(p - ylast) < tol)
			*q = (curve_x(fit, i1) + fit->steps[fit->n_steps - 1].time) / 2;
	}
	free(val);
	free(dup);
	return KM_OK;
}

int km_quantile(const struct km_fit *fit, double p, struct km_quantile *q)
{
	int rc = findq(fit, 0, p, &q->q);

	if (rc == KM_OK)
		rc = findq(fit, 1, p, &q->lower);
	if (rc == KM_OK)
		rc = findq(fit, 2, p, &q->upper);
	return rc;
}
