/* calibrate.c - survey's calibrate(): regcalibrate's GREG step and grake's Newton
 * iteration (contract and R agreement: calibrate.h).
 *
 * The matrices are small (p, the calibration columns, is tens; n, the respondents, is
 * thousands), so X is held dense and every product goes through GSL's BLAS; the Newton
 * system through the eigensystem of the symmetric T (GSL), which gives the pseudo-inverse
 * MASS::ginv computes in R and lets a singular direction be named.
 */
#include "calibrate.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "diag.h"

/* grake: design weights are rescaled when every total is this many times its sample total */
#define RESCALE_RATIO 20.0
/* MASS::ginv's tolerance, as survey calls it */
#define GINV_TOL (256 * DBL_EPSILON)

const char *cal_status_name(enum cal_status s)
{
	static const char *const names[] = {
		"ok", "bad options", "empty", "infeasible", "singular", "not converged", "gsl error"
	};
	return names[s];
}

static int unbounded(const struct cal_options *o)
{
	return o->lower == -INFINITY && o->upper == INFINITY;
}

int cal_check_options(const struct cal_options *o, char *msg, size_t msgsz)
{
	if (isnan(o->lower) || isnan(o->upper) || !(o->lower < 1 && 1 < o->upper)) {
		snprintf(msg, msgsz, "bounds %g..%g: the lower bound must be below 1 and the upper above 1",
		         o->lower, o->upper);
		return -1;
	}
	if (o->method == CAL_LOGIT && !(isfinite(o->lower) && isfinite(o->upper))) {
		snprintf(msg, msgsz, "logit calibration needs finite bounds");
		return -1;
	}
	if (!(o->epsilon > 0) || o->maxit < 1) {
		snprintf(msg, msgsz, "epsilon must be above 0 and maxit at least 1");
		return -1;
	}
	return 0;
}

/* x outside [lo, hi] moves to the nearer bound; NaN stays NaN (R's pmin/pmax) */
static double clamp(double x, double lo, double hi)
{
	if (x < lo)
		x = lo;
	if (x > hi)
		x = hi;
	return x;
}

/* survey's Fm1: g - 1 as a function of u = x'eta */
static double cal_fm1(const struct cal_options *o, double u)
{
	double L = o->lower, U = o->upper, A, e;

	switch (o->method) {
	case CAL_LINEAR:
		return clamp(u + 1, L, U) - 1;
	case CAL_RAKING:
		return clamp(exp(u), L, U) - 1;
	case CAL_LOGIT:
		A = (U - L) / ((U - 1) * (1 - L));
		e = exp(A * u);
		return (L * (U - 1) + U * (1 - L) * e) / (U - 1 + (1 - L) * e) - 1;
	}
	return NAN;
}

/* survey's dF, the derivative of Fm1 (0 where a bound holds g). Raking compares u, not
 * exp(u), with the bounds, as survey's cal.raking does: the solution is the same either
 * way, but the Newton path, and so where the iteration stops, is survey's. */
static double cal_df(const struct cal_options *o, double u)
{
	double L = o->lower, U = o->upper, A, e, den;

	if (isnan(u))
		return NAN;
	switch (o->method) {
	case CAL_LINEAR:
		return u < U - 1 && u > L - 1 ? 1.0 : 0.0;
	case CAL_RAKING:
		return u < U - 1 && u > L - 1 ? exp(u) : 0.0;
	case CAL_LOGIT:
		A = (U - L) / ((U - 1) * (1 - L));
		e = exp(A * u);
		den = U - 1 + (1 - L) * e;
		return U * (1 - L) * e * A / den - ((L * (U - 1) + U * (1 - L) * e) * ((1 - L) * e * A)) / (den * den);
	}
	return NAN;
}

/* Work space of one solve: every vector and matrix it needs, allocated once. */
struct work {
	const struct cal_problem *pb;
	const struct cal_options *o;
	const gsl_matrix *X;         /* n x p: a view of pb->x */
	gsl_vector *d;               /* design weights, rescaled */
	gsl_vector *st;              /* X'd */
	gsl_vector *eta, *deta, *misfit, *tmp;     /* p */
	gsl_vector *u, *f, *df, *dw, *gprev;      /* n */
	gsl_matrix *B;               /* n x p: diag(d df) X */
	gsl_matrix *T, *U, *V;       /* p x p: T, its symmetric copy, eigenvectors */
	gsl_vector *S, *svwork;      /* p: eigenvalues, work */
	gsl_eigen_symmv_workspace *eig;
	int gsl_status;
};

static void work_free(struct work *w)
{
	gsl_vector *vs[] = { w->d, w->st, w->eta, w->deta, w->misfit, w->tmp, w->u, w->f, w->df,
	                     w->dw, w->gprev, w->S, w->svwork };
	gsl_matrix *ms[] = { w->B, w->T, w->U, w->V };

	for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
		if (vs[i])
			gsl_vector_free(vs[i]);
	for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
		if (ms[i])
			gsl_matrix_free(ms[i]);
	if (w->eig)
		gsl_eigen_symmv_free(w->eig);
}

/* GSL allocates with malloc and returns NULL when out of memory: stop as xmalloc does. */
static gsl_vector *vec(size_t n)
{
	gsl_vector *v = gsl_vector_calloc(n);

	if (v == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	return v;
}

static gsl_matrix *mat(size_t r, size_t c)
{
	gsl_matrix *m = gsl_matrix_calloc(r, c);

	if (m == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	return m;
}

static void work_init(struct work *w, const struct cal_problem *pb, const struct cal_options *o,
                      const gsl_matrix *X)
{
	size_t n = pb->n, p = pb->p;

	memset(w, 0, sizeof *w);
	w->X = X;
	w->pb = pb;
	w->o = o;
	w->d = vec(n);
	w->u = vec(n);
	w->f = vec(n);
	w->df = vec(n);
	w->dw = vec(n);
	w->gprev = vec(n);
	w->st = vec(p);
	w->eta = vec(p);
	w->deta = vec(p);
	w->misfit = vec(p);
	w->tmp = vec(p);
	w->S = vec(p);
	w->svwork = vec(p);
	w->B = mat(n, p);
	w->T = mat(p, p);
	w->U = mat(p, p);
	w->V = mat(p, p);
	if ((w->eig = gsl_eigen_symmv_alloc(p)) == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		gsl_vector_set(w->d, i, pb->d[i]);
}

static void note(struct work *w, int status)
{
	if (status && !w->gsl_status)
		w->gsl_status = status;
}

/* T = X' diag(v) X */
static void cross(struct work *w, const gsl_vector *v)
{
	size_t n = w->pb->n, p = w->pb->p;

	for (size_t i = 0; i < n; i++) {
		double vi = gsl_vector_get(v, i);

		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(w->B, i, j, vi * gsl_matrix_get(w->X, i, j));
	}
	note(w, gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, w->X, w->B, 0.0, w->T));
}

/* T = V diag(S) V' (T is symmetric positive semi-definite, so its eigenvalues are its
 * singular values: the symmetric eigensolver gives MASS::ginv's decomposition and, unlike
 * one-sided Jacobi SVD, never runs out of sweeps on a badly scaled T). Returns the index of
 * the largest eigenvalue in absolute value. */
static size_t eigen(struct work *w)
{
	size_t p = w->pb->p, top = 0;

	for (size_t j = 0; j < p; j++)          /* symmetric to the last bit */
		for (size_t k = 0; k < p; k++)
			gsl_matrix_set(w->U, j, k, 0.5 * (gsl_matrix_get(w->T, j, k) + gsl_matrix_get(w->T, k, j)));
	note(w, gsl_eigen_symmv(w->U, w->S, w->V, w->eig));
	for (size_t k = 1; k < p; k++)
		if (fabs(gsl_vector_get(w->S, k)) > fabs(gsl_vector_get(w->S, top)))
			top = k;
	return top;
}

/* x = ginv(T) b from the eigensystem in S, V (MASS::ginv: directions whose singular value
 * is at or below GINV_TOL times the largest are dropped) */
static void ginv_apply(struct work *w, size_t top, const gsl_vector *b, gsl_vector *x)
{
	size_t p = w->pb->p;
	double cut = GINV_TOL * fabs(gsl_vector_get(w->S, top));

	note(w, gsl_blas_dgemv(CblasTrans, 1.0, w->V, b, 0.0, w->svwork));
	for (size_t k = 0; k < p; k++) {
		double s = gsl_vector_get(w->S, k);

		gsl_vector_set(w->svwork, k, fabs(s) > cut ? gsl_vector_get(w->svwork, k) / s : 0.0);
	}
	note(w, gsl_blas_dgemv(CblasNoTrans, 1.0, w->V, w->svwork, 0.0, x));
}

/* u = X eta, f = Fm1(u), df = dF(u); returns 1 when every g and dF is finite */
static int evaluate(struct work *w)
{
	int finite = 1;

	note(w, gsl_blas_dgemv(CblasNoTrans, 1.0, w->X, w->eta, 0.0, w->u));
	for (size_t i = 0; i < w->pb->n; i++) {
		double u = gsl_vector_get(w->u, i);
		double f = cal_fm1(w->o, u), df = cal_df(w->o, u);

		gsl_vector_set(w->f, i, f);
		gsl_vector_set(w->df, i, df);
		if (!isfinite(1 + f) || !isfinite(df))
			finite = 0;
	}
	return finite;
}

/* misfit = t - X'd - X'(d f), as grake computes it; returns the largest relative misfit
 * |misfit_j| / (1 + |t_j|) (NaN when one is not finite) and its column */
static double misfit(struct work *w, size_t *worst)
{
	double max = 0;

	gsl_vector_memcpy(w->dw, w->f);
	note(w, gsl_vector_mul(w->dw, w->d));
	note(w, gsl_blas_dgemv(CblasTrans, 1.0, w->X, w->dw, 0.0, w->tmp));
	*worst = 0;
	for (size_t j = 0; j < w->pb->p; j++) {
		double t = w->pb->total[j];
		double m = t - gsl_vector_get(w->st, j) - gsl_vector_get(w->tmp, j);
		double rel = fabs(m) / (1 + fabs(t));

		gsl_vector_set(w->misfit, j, m);
		if (isnan(rel)) {
			*worst = j;
			return NAN;
		}
		if (rel > max) {
			max = rel;
			*worst = j;
		}
	}
	return max;
}

double cal_scale(const struct cal_problem *pb, const struct cal_options *o)
{
	double sum = 0, min = INFINITY;

	if (o->method == CAL_LINEAR && unbounded(o))
		return 1;                /* regcalibrate does not rescale */
	for (size_t j = 0; j < pb->p; j++) {
		double st = 0, r;

		for (size_t i = 0; i < pb->n; i++)
			st += pb->d[i] * pb->x[i * pb->p + j];
		if (st == 0)
			return 1;
		r = pb->total[j] / st;
		sum += r;
		if (r < min)
			min = r;
	}
	return pb->p > 0 && min > RESCALE_RATIO ? sum / (double)pb->p : 1;
}

enum cal_status cal_check_total(const struct cal_options *o, double sample_total, double total)
{
	if (sample_total == 0)
		return total == 0 ? CAL_OK : CAL_EMPTY;
	if (total < o->lower * sample_total || total > o->upper * sample_total)
		return CAL_INFEASIBLE;
	return CAL_OK;
}

/* Before iterating: empty or unreachable columns, then collinearity (T = X'DX, whose
 * eigensystem the linear step reuses). Returns the index of the largest eigenvalue, or -1. */
static long precheck(struct work *w, struct cal_result *res)
{
	size_t n = w->pb->n, p = w->pb->p, top, small = 0;

	note(w, gsl_blas_dgemv(CblasTrans, 1.0, w->X, w->d, 0.0, w->st));
	for (size_t j = 0; j < p; j++) {
		int nonneg = 1, zero = 1;

		for (size_t i = 0; i < n; i++) {
			double x = gsl_matrix_get(w->X, i, j);

			nonneg &= x >= 0;
			zero &= x == 0;
		}
		res->column = j;
		if (zero && w->pb->total[j] != 0)
			return res->status = CAL_EMPTY, -1;
		if (nonneg && cal_check_total(w->o, gsl_vector_get(w->st, j), w->pb->total[j]) != CAL_OK)
			return res->status = CAL_INFEASIBLE, -1;
	}
	cross(w, w->d);
	top = eigen(w);
	for (size_t k = 1; k < p; k++)
		if (fabs(gsl_vector_get(w->S, k)) < fabs(gsl_vector_get(w->S, small)))
			small = k;
	if (!w->gsl_status &&
	    !(fabs(gsl_vector_get(w->S, small)) > CAL_SINGULAR_TOL * fabs(gsl_vector_get(w->S, top)))) {
		gsl_vector_view v = gsl_matrix_column(w->V, small);
		double a = -1, b = -1;

		for (size_t j = 0; j < p; j++) {
			double c = fabs(gsl_vector_get(&v.vector, j));

			if (c > a)
				b = a, res->other_column = res->column, a = c, res->column = j;
			else if (c > b)
				b = c, res->other_column = j;
		}
		return res->status = CAL_SINGULAR, -1;
	}
	return (long)top;
}

/* regcalibrate: g = 1 + X (X'DX)^-1 (t - X'd), one step */
static void linear_step(struct work *w, size_t top)
{
	for (size_t j = 0; j < w->pb->p; j++)
		gsl_vector_set(w->misfit, j, w->pb->total[j] - gsl_vector_get(w->st, j));
	ginv_apply(w, top, w->misfit, w->eta);
	note(w, gsl_blas_dgemv(CblasNoTrans, 1.0, w->X, w->eta, 0.0, w->f));
}

static int converged(struct work *w, double rel)
{
	double move = 0;

	if (w->o->converge == CAL_CONVERGE_TOTALS)
		return rel < w->o->epsilon;
	for (size_t i = 0; i < w->pb->n; i++) {
		double m = fabs(gsl_vector_get(w->f, i) - gsl_vector_get(w->gprev, i));

		if (!(m <= move))
			move = m;
	}
	gsl_vector_memcpy(w->gprev, w->f);
	return move < w->o->epsilon;
}

/* grake, step for step (see calibrate.h); returns CAL_OK or CAL_NOT_CONVERGED */
static enum cal_status newton(struct work *w, struct cal_result *res)
{
	int iter = 1;
	double rel;

	gsl_vector_set_zero(w->eta);
	evaluate(w);
	gsl_vector_memcpy(w->gprev, w->f);
	for (;;) {
		gsl_vector_memcpy(w->dw, w->df);
		note(w, gsl_vector_mul(w->dw, w->d));
		cross(w, w->dw);
		misfit(w, &res->column);
		ginv_apply(w, eigen(w), w->misfit, w->deta);
		note(w, gsl_vector_add(w->eta, w->deta));
		while (!evaluate(w) && iter < w->o->maxit) {
			iter++;
			note(w, gsl_vector_scale(w->deta, 0.5));
			note(w, gsl_vector_sub(w->eta, w->deta));
		}
		rel = misfit(w, &res->column);
		res->iterations = iter;
		res->misfit = rel;
		if (w->gsl_status || isnan(rel))
			return CAL_NOT_CONVERGED;
		if (converged(w, rel))
			return CAL_OK;
		if (++iter > w->o->maxit)
			return CAL_NOT_CONVERGED;
	}
}

/* The checks, then one linear step or the Newton iteration, in w. */
static void solve(struct work *w, struct cal_result *res)
{
	long top = precheck(w, res);
	size_t worst;

	if (top < 0 || w->gsl_status)
		return;
	if (w->o->method == CAL_LINEAR && unbounded(w->o)) {
		linear_step(w, (size_t)top);
		res->iterations = 1;
		res->misfit = misfit(w, &worst);
		res->column = worst;
		res->status = isnan(res->misfit) ? CAL_NOT_CONVERGED : CAL_OK;
	} else {
		res->status = newton(w, res);
	}
}

enum cal_status cal_solve(const struct cal_problem *pb, const struct cal_options *o,
                          double *g, struct cal_result *res)
{
	struct work w;

	memset(res, 0, sizeof *res);
	res->scale = 1;
	if (cal_check_options(o, res->message, sizeof res->message) != 0)
		return res->status = CAL_BAD_OPTIONS;
	if (pb->p == 0) {
		for (size_t i = 0; i < pb->n; i++)
			g[i] = 1;
		return res->status = CAL_OK;
	}
	if (pb->n == 0)
		return res->status = CAL_EMPTY;
	res->scale = cal_scale(pb, o);
	{
		gsl_matrix_const_view xv = gsl_matrix_const_view_array(pb->x, pb->n, pb->p);

		work_init(&w, pb, o, &xv.matrix);
		note(&w, gsl_vector_scale(w.d, res->scale));
		solve(&w, res);
		if (w.gsl_status) {
			snprintf(res->message, sizeof res->message, "gsl: %s", gsl_strerror(w.gsl_status));
			res->status = CAL_GSL_ERROR;
		}
		if (res->status == CAL_OK)
			for (size_t i = 0; i < pb->n; i++)
				g[i] = (1 + gsl_vector_get(w.f, i)) * res->scale;
		work_free(&w);
	}
	return res->status;
}
