/* km.h - the Kaplan-Meier estimate of a survival curve, with Greenwood standard errors,
 * confidence intervals, quantiles (the median) and readings at given times, computed as R's
 * survival::survfit (version 3.5) computes them for right-censored, unweighted data.
 *
 * What "as survfit" means, number by number (doc/cohorts.md has the reasons):
 * - steps: one per distinct observed time (events and censorings), ascending: n_risk (the
 *   observations with time >= it), n_event, n_censor; surv = the product over steps up to
 *   and including it of (1 - n_event / n_risk). A censored observation at the time of an
 *   event counts as at risk at that event (it ended later).
 * - se_log: Greenwood's standard error of log surv, sqrt(sum of d / (n (n - d))) over the
 *   event steps so far (survfit's $std.err); INFINITY once surv is 0.
 * - lower, upper: the interval of the fit's level (default 0.95; z = the normal quantile of
 *   1 - (1 - level) / 2) of the fit's type:
 *     KM_CONF_LOG (survfit's default): exp(log surv -/+ z se_log), upper capped at 1;
 *     KM_CONF_LOGLOG: exp(-exp(log(-log surv) -/+ z se_log / log surv));
 *     KM_CONF_PLAIN: surv -/+ z surv se_log, clipped to [0, 1].
 *   NAN where survfit gives NA: surv 0 (every type), surv 1 (log-log), and plain's 0 x Inf.
 * - km_at(t): summary(fit, times = t): the last step at or before t (before the first step:
 *   surv 1, se 0 and the interval [1, 1], whatever the type), se = surv x se_log (summary's
 *   $std.err), n_risk = the observations with time >= t. t after the last observed time is
 *   not read off (summary's extend = FALSE): KM_BEYOND, and the point holds NANs.
 * - km_quantile(p): quantile.survfit: the first time the curve (for lower and upper: the
 *   lower and upper curves) is at or below 1 - p; where it sits exactly at 1 - p (within
 *   sqrt(DBL_EPSILON)) the midpoint of that time and the next step's (or the last observed
 *   time); NAN when not reached. The median is p = 0.5.
 *
 * Contract:
 * - km_fit_init() sorts OBS in place by time; the fit keeps no pointer into it. The fit
 *   owns its steps until km_fit_release(), which frees them and leaves an empty fit (safe to
 *   call twice, and on a fit whose init failed). An empty OBS gives a fit with no steps
 *   (km_at: KM_BEYOND; quantiles NAN).
 * - Times in any unit, finite and >= 0; ended is 1 (the spell ended: an event) or 0
 *   (still running: censored). The cohort stage uses calendar month time (months.h).
 * - Errors are returned, never printed: KM_EINVAL (a bad time, event flag, level or
 *   interval type; *fit is then empty), KM_ENOMEM. The module never exits, keeps no state
 *   of its own and reads no environment.
 * - Cost: O(n log n) time for the sort, one km_step per distinct time.
 */
#ifndef KETEN_KM_H
#define KETEN_KM_H

#include <stddef.h>

enum km_conf { KM_CONF_LOG, KM_CONF_LOGLOG, KM_CONF_PLAIN };
enum { KM_OK = 0, KM_BEYOND = 1, KM_EINVAL = -1, KM_ENOMEM = -2 };

struct km_obs {
	double time;
	int ended;              /* 1 event, 0 censored */
};

struct km_step {
	double time;
	long n_risk, n_event, n_censor;
	double surv, se_log, lower, upper;
};

struct km_fit {
	long n, n_events;
	size_t n_steps;
	struct km_step *steps;  /* owned; ascending time */
	enum km_conf conf;
	double level, z;
};

/* A reading of the curve at one time (summary.survfit's row). */
struct km_point {
	long n_risk;
	double surv, se, se_log, lower, upper;
};

struct km_quantile {
	double q, lower, upper;  /* NAN: not reached */
};

int km_fit_init(struct km_fit *fit, struct km_obs *obs, size_t n, enum km_conf conf, double level);
void km_fit_release(struct km_fit *fit);
int km_at(const struct km_fit *fit, double t, struct km_point *pt);
int km_quantile(const struct km_fit *fit, double p, struct km_quantile *q);   /* KM_OK or KM_ENOMEM */

/* "log", "log-log" or "plain" (survfit's names) -> *conf; -1 for anything else. */
int km_conf_parse(const char *name, enum km_conf *conf);
const char *km_strerror(int err);

#endif
