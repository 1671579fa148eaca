/* glm.h - generalized linear models by IRLS, as R's glm.fit and MASS::glm.nb compute them.
 *
 * Why this shape: the design matrix is never held in memory. A model sees its rows
 * through a callback that fills one design row from the stored columns, and every IRLS
 * step reduces sqrt(W)[X | z] block by block into a small triangular factor (a "tall and
 * skinny" Householder QR: gsl_linalg_QR_UR_decomp on the running factor stacked on the
 * next block of rows). So memory is the stored columns plus O(block x p), whatever n is,
 * and the arithmetic is a Householder QR of the weighted design, never normal equations.
 *
 * R agreement: the iteration replicates glm.fit step for step (its starting values, its
 * convergence test |dev - dev_old| / (|dev| + 0.1) < epsilon, its step halving when the
 * deviance is not finite or mu leaves its range, and its covariance from the QR of the
 * last step), so with the same epsilon the results agree with R's to rounding, not just
 * to the convergence tolerance. Aliased columns are found once, on the weighted design of
 * the first step, with the rule of R's dqrdc2 (a column whose residual norm after the
 * earlier kept columns falls below rank_tol times its own norm is aliased): the later of
 * collinear columns in the spec's order is dropped, as R reports NA for it.
 */
#ifndef FM_GLM_H
#define FM_GLM_H

#include <stddef.h>
#include "spec.h"
#include "svyvar.h"

struct glm_design {
	size_t n;                    /* rows used */
	size_t p;                    /* design columns, the intercept first */
	void (*row)(const void *ctx, size_t i, double *x);   /* fill x[0..p-1] for row i */
	const void *ctx;
	const double *y;             /* outcome, n */
	const double *w;             /* prior weights (already normalized), NULL = all 1 */
	const int *stratum;          /* design variance: stratum 0..n_strata-1 per row; NULL = one */
	size_t n_strata;
	/* design variance: the rows are a domain of this sample (svyvar.h), row i at slot[i];
	 * calibrated, design_w and cal_w are each row's design and calibrated weights as read */
	const struct svy_design *survey;
	const long *slot;
	const double *design_w, *cal_w;
};

struct glm_options {
	double epsilon;              /* --epsilon: relative deviance change that ends IRLS */
	int max_iter;                /* --max-iter: IRLS iterations (and negbin alternations) */
	double rank_tol;             /* --rank-tol: dqrdc2's tolerance for aliasing */
	double theta_eps;            /* --theta-eps: theta.ml's Newton tolerance */
	int theta_max_iter;          /* --theta-max-iter: theta.ml's limit */
};

struct glm_fit {
	enum fm_family family;
	enum fm_variance variance;
	size_t n, p, rank;
	int *aliased;                /* p: 1 = dropped as collinear */
	double *beta;                /* p: NaN where aliased */
	double *cov;                 /* p*p row-major, by the chosen variance; NaN for aliased */
	double *step;                /* p: the last IRLS step (0 for aliased); separation check */
	double deviance, null_deviance, loglik, aic, pseudo_r2;
	double df_residual;          /* n - rank; design variance: n - strata + 1 - rank (the
				      * strata of the rows, as svyglm's degf of the domain) */
	double dispersion;           /* linear: residual variance; 1 otherwise */
	double theta, theta_se;      /* negbin */
	double condition;            /* 2-norm condition number of sqrt(W)X, unit-length columns */
	int iter, converged;
	int theta_warn;              /* negbin: theta.ml hit its limit, or alternation limit */
	int singleton_strata;        /* design variance: strata of the rows with one person in the
				      * sample (they contribute 0: the singleton rule, svyvar.h) */
	int failed;
	char message[200];           /* why it failed (failed = 1) */
};

/* Fit. Returns 0 (f->failed tells whether estimates exist); f's arrays are allocated
 * here and released by glm_fit_release. */
int glm_fit(const struct glm_design *d, enum fm_family family, enum fm_variance variance,
            const struct glm_options *o, struct glm_fit *f);
void glm_fit_release(struct glm_fit *f);

/* The family's inverse link, its derivative dmu/deta and the second derivative, as R's
 * family objects compute them (for average marginal effects). */
double glm_linkinv(enum fm_family family, double eta);
double glm_mu_eta(enum fm_family family, double eta);
double glm_mu_eta2(enum fm_family family, double eta);

/* Separation certificate: is the last IRLS step d a direction along which the likelihood
 * keeps rising (logit: (2y-1) x'd >= 0 for every row; counts: x'd <= 0 where y = 0 and
 * x'd = 0 elsewhere)? Returns 0 when not; 1 quasi-complete; 2 complete (logit: every row
 * strictly separated). involved[j] = 1 for columns that carry the direction. */
int glm_separation(const struct glm_design *d, const struct glm_fit *f, int *involved);

#endif
