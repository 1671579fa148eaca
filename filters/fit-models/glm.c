/* glm.c - IRLS for logit, linear, poisson and negative binomial models (see glm.h).
 *
 * The family functions copy R's (stats/src/family.c, make.link, MASS::negative.binomial)
 * down to their clamps (the logit's inverse link is cut at |eta| > 30, the log link's at
 * DBL_EPSILON), because the iteration path, and so the last step's weights that R's
 * covariance uses, depend on them.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "diag.h"
#include "glm.h"

#define BLOCK 256              /* rows per block of the blocked QR */

struct fam {
	enum fm_family f;          /* FAM_POISSON also serves glm.nb's first fit */
	double theta;              /* negbin */
};

/* ---- family functions, as R's ---- */

static double linkfun(const struct fam *fm, double mu)
{
	switch (fm->f) {
	case FAM_LOGIT: return log(mu / (1 - mu));
	case FAM_LINEAR: return mu;
	default: return log(mu);
	}
}

double glm_linkinv(enum fm_family family, double eta)
{
	double t;
	switch (family) {
	case FAM_LOGIT:
		t = eta < -30 ? DBL_EPSILON : eta > 30 ? 1 / DBL_EPSILON : exp(eta);
		return t / (1 + t);
	case FAM_LINEAR:
		return eta;
	default:
		return fmax(exp(eta), DBL_EPSILON);
	}
}

double glm_mu_eta(enum fm_family family, double eta)
{
	double t, o;
	switch (family) {
	case FAM_LOGIT:
		/* one exp (the same value twice): hot, per row and IRLS iteration and per AME */
		t = exp(eta);
		o = 1 + t;
		return (eta > 30 || eta < -30) ? DBL_EPSILON : t / (o * o);
	case FAM_LINEAR:
		return 1;
	default:
		return fmax(exp(eta), DBL_EPSILON);
	}
}

double glm_mu_eta2(enum fm_family family, double eta)
{
	double mu;
	switch (family) {
	case FAM_LOGIT:
		mu = 1 / (1 + exp(-eta));
		return mu * (1 - mu) * (1 - 2 * mu);
	case FAM_LINEAR:
		return 0;
	default:
		return exp(eta);
	}
}

static double variance(const struct fam *fm, double mu)
{
	switch (fm->f) {
	case FAM_LOGIT: return mu * (1 - mu);
	case FAM_LINEAR: return 1;
	case FAM_POISSON: return mu;
	default: return mu + mu * mu / fm->theta;
	}
}

static double ylogy(double y, double mu)
{
	return y != 0 ? y * log(y / mu) : 0;
}

static double dev_resid(const struct fam *fm, double y, double mu, double w)
{
	double th = fm->theta;
	switch (fm->f) {
	case FAM_LOGIT:
		return 2 * w * (ylogy(y, mu) + ylogy(1 - y, 1 - mu));
	case FAM_LINEAR:
		return w * (y - mu) * (y - mu);
	case FAM_POISSON:
		return y > 0 ? 2 * w * (y * log(y / mu) - (y - mu)) : 2 * mu * w;
	default:
		return 2 * w * (y * log(fmax(1, y) / mu) - (y + th) * log((y + th) / (mu + th)));
	}
}

static int valid_mu(const struct fam *fm, double mu)
{
	switch (fm->f) {
	case FAM_LOGIT: return isfinite(mu) && mu > 0 && mu < 1;
	case FAM_LINEAR: return 1;
	case FAM_POISSON: return isfinite(mu) && mu > 0;
	default: return mu > 0;
	}
}

static double mustart(const struct fam *fm, double y, double w)
{
	switch (fm->f) {
	case FAM_LOGIT: return (w * y + 0.5) / (w + 1);
	case FAM_LINEAR: return y;
	case FAM_POISSON: return y + 0.1;
	default: return y + (y == 0) / 6.0;
	}
}

/* Neumaier's compensated sum: the deviance of a million rows stays exact to a few ulps,
 * so a tight --epsilon is not defeated by rounding noise. */
struct ksum { double s, c; };
static void kadd(struct ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}
static double kval(const struct ksum *k) { return k->s + k->c; }

/* ---- the work space of one fit ---- */

enum eta_src { ETA_MUSTART, ETA_BETA, ETA_LOGMU };   /* ETA_LOGMU: log(linkinv(x'beta)), glm.nb's etastart */

struct work {
	const struct glm_design *d;
	const struct glm_options *o;
	size_t k;                  /* kept columns */
	size_t *keep;              /* their indexes in the design */
	double *xfull;             /* p */
	double *xk;                /* k */
	gsl_matrix *S, *S2, *T, *A, *Rcov;   /* (k+1)^2, (k+1)^2, (k+1)^2, BLOCK x (k+1), k x k */
	size_t fill;
	int gsl_status;
};

static double weight(const struct work *wk, size_t i)
{
	return wk->d->w ? wk->d->w[i] : 1.0;
}

static void get_row(struct work *wk, size_t i)
{
	wk->d->row(wk->d->ctx, i, wk->xfull);
	for (size_t j = 0; j < wk->k; j++)
		wk->xk[j] = wk->xfull[wk->keep[j]];
}

static double dot_k(const struct work *wk, const double *beta)
{
	double e = 0;
	for (size_t j = 0; j < wk->k; j++)
		e += wk->xk[j] * beta[j];
	return e;
}

static double row_eta(struct work *wk, const struct fam *fm, enum eta_src src, const double *beta, size_t i)
{
	switch (src) {
	case ETA_MUSTART:
		return linkfun(fm, mustart(fm, wk->d->y[i], weight(wk, i)));
	case ETA_BETA:
		return dot_k(wk, beta);
	default:
		return log(glm_linkinv(FAM_POISSON, dot_k(wk, beta)));
	}
}

static void acc_flush(struct work *wk, gsl_matrix *S)
{
	if (wk->fill == 0)
		return;
	gsl_matrix_view a = gsl_matrix_submatrix(wk->A, 0, 0, wk->fill, wk->k + 1);
	int st = gsl_linalg_QR_UR_decomp(S, &a.matrix, wk->T);
	if (st && !wk->gsl_status)
		wk->gsl_status = st;
	wk->fill = 0;
}

static void acc_row(struct work *wk, gsl_matrix *S, double sw, double z)
{
	double *r = gsl_matrix_ptr(wk->A, wk->fill, 0);
	for (size_t j = 0; j < wk->k; j++)
		r[j] = sw * wk->xk[j];
	r[wk->k] = sw * z;
	if (++wk->fill == BLOCK)
		acc_flush(wk, S);
}

/* One pass over the rows at the linear predictor given by (src, beta): the deviance,
 * whether every mu is valid, and (S not NULL) the triangular factor of sqrt(W)[X | z]
 * for the next step, W and z from this mu. */
static double pass(struct work *wk, const struct fam *fm, enum eta_src src, const double *beta,
                   gsl_matrix *S, int *valid)
{
	const struct glm_design *d = wk->d;
	struct ksum dev = { 0, 0 };
	*valid = 1;
	if (S)
		gsl_matrix_set_zero(S);
	wk->fill = 0;
	for (size_t i = 0; i < d->n; i++) {
		double y = d->y[i], w = weight(wk, i), eta, mu;
		get_row(wk, i);
		eta = row_eta(wk, fm, src, beta, i);
		mu = glm_linkinv(fm->f == FAM_NEGBIN ? FAM_POISSON : fm->f, eta);
		if (!valid_mu(fm, mu))
			*valid = 0;
		kadd(&dev, dev_resid(fm, y, mu, w));
		if (S) {
			double me = glm_mu_eta(fm->f == FAM_NEGBIN ? FAM_POISSON : fm->f, eta);
			if (me == 0 || w == 0)
				continue;
			acc_row(wk, S, sqrt(w * me * me / variance(fm, mu)), eta + (y - mu) / me);
		}
	}
	if (S)
		acc_flush(wk, S);
	return kval(&dev);
}

/* beta = R11^-1 c from the factor S = [R11 c; 0 r]. */
static int solve(struct work *wk, const gsl_matrix *S, double *beta)
{
	size_t k = wk->k;
	for (size_t j = k; j-- > 0;) {
		double s = gsl_matrix_get(S, j, k), r = gsl_matrix_get(S, j, j);
		for (size_t l = j + 1; l < k; l++)
			s -= gsl_matrix_get(S, j, l) * beta[l];
		if (r == 0 || !isfinite(r))
			return -1;
		beta[j] = s / r;
	}
	return 0;
}

/* R's dqrdc2 rule on the triangular factor of the weighted design (all p columns): in the
 * design's order, a column whose residual after the kept earlier columns has a norm below
 * tol times its own norm is aliased. The factor has the same column norms and the same
 * residual norms as sqrt(W)X, so the decision is the one R makes on sqrt(W)X. */
static size_t find_aliased(const gsl_matrix *R, size_t p, double tol, int *aliased)
{
	double *q = xcalloc(p * p, sizeof *q), *v = xmalloc(p * sizeof *v);
	size_t kept = 0;
	for (size_t j = 0; j < p; j++) {
		double n0 = 0, n1 = 0;
		for (size_t i = 0; i < p; i++) {
			v[i] = i <= j ? gsl_matrix_get(R, i, j) : 0;
			n0 += v[i] * v[i];
		}
		n0 = sqrt(n0);
		for (int twice = 0; twice < 2; twice++)
			for (size_t l = 0; l < kept; l++) {
				double s = 0;
				for (size_t i = 0; i < p; i++)
					s += q[l * p + i] * v[i];
				for (size_t i = 0; i < p; i++)
					v[i] -= s * q[l * p + i];
			}
		for (size_t i = 0; i < p; i++)
			n1 += v[i] * v[i];
		n1 = sqrt(n1);
		if (n1 < tol * (n0 > 0 ? n0 : 1)) {
			aliased[j] = 1;
			continue;
		}
		aliased[j] = 0;
		for (size_t i = 0; i < p; i++)
			q[kept * p + i] = v[i] / n1;
		kept++;
	}
	free(q);
	free(v);
	return kept;
}

struct irls_out {
	double *beta;              /* k */
	double *beta_prev;         /* k: where the weights of Rcov were taken (if src_prev = ETA_BETA/LOGMU) */
	enum eta_src src_prev;
	double *step;              /* k */
	double dev;
	int iter, conv;
};

static void fail(struct glm_fit *f, const char *msg)
{
	f->failed = 1;
	snprintf(f->message, sizeof f->message, "%s", msg);
}

/* glm.fit's loop from the factor S (already accumulated at the start) and dev_old. */
static int irls(struct work *wk, const struct fam *fm, enum eta_src src0, const double *beta0,
                double devold, struct irls_out *out, struct glm_fit *f)
{
	size_t k = wk->k;
	double *bnew = out->beta, *coefold = xmalloc(k * sizeof *coefold);
	int have_old = 0, valid;
	double dev = devold;

	out->src_prev = src0;
	if (beta0)
		memcpy(out->beta_prev, beta0, k * sizeof *beta0);
	memset(out->step, 0, k * sizeof *out->step);
	out->conv = 0;
	for (out->iter = 1; out->iter <= wk->o->max_iter; out->iter++) {
		gsl_matrix_view r11 = gsl_matrix_submatrix(wk->S, 0, 0, k, k);
		if (gsl_matrix_memcpy(wk->Rcov, &r11.matrix)) {
			free(coefold);
			fail(f, "gsl: matrix copy failed");
			return -1;
		}
		if (solve(wk, wk->S, bnew) < 0) {
			free(coefold);
			fail(f, "the weighted design became singular during the iteration");
			return -1;
		}
		dev = pass(wk, fm, ETA_BETA, bnew, wk->S2, &valid);
		if (wk->gsl_status)
			break;
		for (int ii = 1; !isfinite(dev) || !valid; ii++) {
			if (!have_old) {
				free(coefold);
				fail(f, "no valid set of coefficients was found from the starting values");
				return -1;
			}
			if (ii > wk->o->max_iter) {
				free(coefold);
				fail(f, "step halving could not find a valid step");
				return -1;
			}
			for (size_t j = 0; j < k; j++)
				bnew[j] = (bnew[j] + coefold[j]) / 2;
			dev = pass(wk, fm, ETA_BETA, bnew, wk->S2, &valid);
		}
		if (have_old)
			for (size_t j = 0; j < k; j++)
				out->step[j] = bnew[j] - coefold[j];
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < wk->o->epsilon) {
			out->conv = 1;
			break;
		}
		devold = dev;
		memcpy(coefold, bnew, k * sizeof *bnew);
		memcpy(out->beta_prev, bnew, k * sizeof *bnew);
		out->src_prev = ETA_BETA;
		have_old = 1;
		gsl_matrix *t = wk->S;
		wk->S = wk->S2;
		wk->S2 = t;
	}
	if (out->iter > wk->o->max_iter)
		out->iter = wk->o->max_iter;
	out->dev = dev;
	free(coefold);
	if (wk->gsl_status) {
		char m[120];
		snprintf(m, sizeof m, "gsl: %s", gsl_strerror(wk->gsl_status));
		fail(f, m);
		return -1;
	}
	return 0;
}

/* ---- MASS::theta.ml and glm.nb's log-likelihood ---- */

static double theta_ml(const struct glm_design *d, const double *mu, const struct glm_options *o,
                       double *se, int *warn)
{
	double n = 0, s = 0, t0, del = 1, info = NAN;
	int it = 0;
	for (size_t i = 0; i < d->n; i++) {
		double w = d->w ? d->w[i] : 1, r = d->y[i] / mu[i] - 1;
		n += w;
		s += w * r * r;
	}
	t0 = n / s;
	while (++it < o->theta_max_iter && fabs(del) > o->theta_eps) {
		double sc = 0, in = 0, log_t0;
		t0 = fabs(t0);
		gsl_sf_result p0, q0, py, qy;
		/* psi(t0 + y) and psi'(t0 + y) of each small count y, worked out on first use in
		 * this iteration: the counts take a few distinct values and the digammas were most
		 * of the fit's time. The same calls on the same arguments: the same numbers. */
		enum { N_Y = 64 };
		double psi_y[N_Y], psi1_y[N_Y];
		unsigned char have_y[N_Y] = { 0 };
		if (gsl_sf_psi_e(t0, &p0) || gsl_sf_psi_1_e(t0, &q0)) {
			*warn = 2;
			return NAN;
		}
		log_t0 = log(t0);
		for (size_t i = 0; i < d->n; i++) {
			double w = d->w ? d->w[i] : 1, y = d->y[i], m = mu[i];
			int k = y >= 0 && y < N_Y && y == (int)y ? (int)y : -1;
			if (k >= 0 && have_y[k]) {
				py.val = psi_y[k];
				qy.val = psi1_y[k];
			} else {
				if (gsl_sf_psi_e(t0 + y, &py) || gsl_sf_psi_1_e(t0 + y, &qy)) {
					*warn = 2;
					return NAN;
				}
				if (k >= 0) {
					psi_y[k] = py.val;
					psi1_y[k] = qy.val;
					have_y[k] = 1;
				}
			}
			sc += w * (py.val - p0.val + log_t0 + 1 - log(t0 + m) - (y + t0) / (m + t0));
			in += w * (-qy.val + q0.val - 1 / t0 + 2 / (m + t0) - (y + t0) / ((m + t0) * (m + t0)));
		}
		info = in;
		del = sc / in;
		t0 += del;
	}
	if (t0 < 0) {
		t0 = 0;
		*warn = 1;
	}
	if (it == o->theta_max_iter)
		*warn = 1;
	*se = sqrt(1 / info);
	return t0;
}

static double nb_loglik(const struct glm_design *d, double th, const double *mu)
{
	struct ksum l = { 0, 0 };
	gsl_sf_result a, b, c;
	if (gsl_sf_lngamma_e(th, &b))
		return NAN;
	for (size_t i = 0; i < d->n; i++) {
		double w = d->w ? d->w[i] : 1, y = d->y[i];
		if (gsl_sf_lngamma_e(th + y, &a) || gsl_sf_lngamma_e(y + 1, &c))
			return NAN;
		kadd(&l, w * (a.val - b.val - c.val + th * log(th) + y * log(mu[i] + (y == 0)) - (th + y) * log(th + mu[i])));
	}
	return kval(&l);
}

static void fitted_mu(struct work *wk, const double *beta, double *mu)
{
	for (size_t i = 0; i < wk->d->n; i++) {
		get_row(wk, i);
		mu[i] = glm_linkinv(FAM_POISSON, dot_k(wk, beta));
	}
}

/* ---- covariance ---- */

/* C = (R'R)^-1 from the k x k triangular factor. */
static int unscaled_cov(struct work *wk, gsl_matrix *C)
{
	size_t k = wk->k;
	gsl_matrix *Ri = gsl_matrix_calloc(k, k);
	int st;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i; j < k; j++)
			gsl_matrix_set(Ri, i, j, gsl_matrix_get(wk->Rcov, i, j));
	st = gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, Ri);
	if (!st)
		st = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, Ri, Ri, 0.0, C);
	gsl_matrix_free(Ri);
	return st;
}

/* 2-norm condition number of the factor with unit-length columns. */
static double condition_number(struct work *wk)
{
	size_t k = wk->k;
	gsl_matrix *A = gsl_matrix_calloc(k, k), *V = gsl_matrix_alloc(k, k);
	gsl_vector *s = gsl_vector_alloc(k), *work = gsl_vector_alloc(k);
	double c = NAN;
	for (size_t j = 0; j < k; j++) {
		double nrm = 0;
		for (size_t i = 0; i <= j; i++)
			nrm += gsl_matrix_get(wk->Rcov, i, j) * gsl_matrix_get(wk->Rcov, i, j);
		nrm = sqrt(nrm);
		for (size_t i = 0; i <= j; i++)
			gsl_matrix_set(A, i, j, nrm > 0 ? gsl_matrix_get(wk->Rcov, i, j) / nrm : 0);
	}
	if (k == 1)
		c = 1;
	else if (gsl_linalg_SV_decomp(A, V, s, work) == 0) {
		double lo = gsl_vector_get(s, k - 1), hi = gsl_vector_get(s, 0);
		c = lo > 0 ? hi / lo : INFINITY;
	}
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(s);
	gsl_vector_free(work);
	return c;
}

/* The final pass: log-likelihood, and for hc0/hc1/design the influence rows
 * u_i = C x_i wres_i (wres = working residual at the estimate times the working weight of
 * the last step, as sandwich::estfun.glm and survey's svy.varcoef take them), summed into
 * the meat: HC, sum u u'; design, the domain variance of the rows' sample (svyvar.h: the
 * strata of the whole sample, the calibration's residuals). Returns 0, or -1 with a GSL
 * failure in f. */
static int final_pass(struct work *wk, const struct fam *fm, const struct irls_out *ir,
		      const gsl_matrix *C, gsl_matrix *M, double *loglik, int robust, struct glm_fit *f)
{
	const struct glm_design *d = wk->d;
	size_t k = wk->k;
	double *s = xmalloc(k * sizeof *s), *u = xmalloc(k * sizeof *u), *V = NULL;
	struct ksum ll = { 0, 0 };
	enum fm_family lf = fm->f == FAM_NEGBIN ? FAM_POISSON : fm->f;
	struct svy_domain *dom = NULL;
	int rc = 0;

	if (robust == 2)
		dom = svy_domain_new(d->survey, k);
	gsl_matrix_set_zero(M);
	for (size_t i = 0; i < d->n; i++) {
		double y = d->y[i], w = weight(wk, i), eta, mu, etap, mup, Wp, wres;

		get_row(wk, i);
		eta = dot_k(wk, ir->beta);
		mu = glm_linkinv(lf, eta);
		if (fm->f != FAM_NEGBIN) {
			double l;
			switch (fm->f) {
			case FAM_LOGIT: l = y > 0.5 ? log(mu) : log1p(-mu); break;
			case FAM_POISSON: l = y * log(mu) - mu - lgamma(y + 1); if (y == 0) l = -mu; break;
			default: l = 0; break;
			}
			kadd(&ll, w * l);
		}
		if (!robust)
			continue;
		etap = row_eta(wk, fm, ir->src_prev, ir->beta_prev, i);
		mup = glm_linkinv(lf, etap);
		Wp = w * glm_mu_eta(lf, etap) * glm_mu_eta(lf, etap) / variance(fm, mup);
		wres = (y - mu) / glm_mu_eta(lf, eta) * Wp;
		for (size_t j = 0; j < k; j++)
			s[j] = wk->xk[j] * wres;
		for (size_t a = 0; a < k; a++) {
			double t = 0;
			for (size_t b = 0; b < k; b++)
				t += gsl_matrix_get(C, a, b) * s[b];
			u[a] = t;
		}
		if (dom) {
			svy_domain_add(dom, d->slot[i], d->design_w ? d->design_w[i] : 1,
				       d->cal_w ? d->cal_w[i] : 1, u);
			continue;
		}
		for (size_t a = 0; a < k; a++)
			for (size_t b = 0; b <= a; b++)
				*gsl_matrix_ptr(M, a, b) += u[a] * u[b];
	}
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < a; b++)
			gsl_matrix_set(M, b, a, gsl_matrix_get(M, a, b));
	if (dom) {
		V = xmalloc(k * k * sizeof *V);
		if (svy_domain_variance(dom, V, f->message, sizeof f->message) < 0)
			rc = -1, f->failed = 1;
		for (size_t a = 0; a < k && rc == 0; a++)
			for (size_t b = 0; b < k; b++)
				gsl_matrix_set(M, a, b, V[a * k + b]);
	}
	*loglik = kval(&ll);
	svy_domain_free(dom);
	free(V);
	free(s);
	free(u);
	return rc;
}

void glm_fit_release(struct glm_fit *f)
{
	free(f->aliased);
	free(f->beta);
	free(f->cov);
	free(f->step);
	f->aliased = NULL;
	f->beta = f->cov = f->step = NULL;
}

/* The columns to fit: the first pass with every column finds the aliased ones (R's
 * dqrdc2 rule); then [X_keep | z] is re-factored from the full factor, which is
 * Q [S(:,keep) | S(:,p)]. Returns the kept count k (wk->k), or 0 on a failure (f says). */
static size_t choose_columns(struct work *wk, struct fam *fm, struct glm_fit *f, double *devold)
{
	size_t p = wk->d->p, k, c = 0;
	gsl_matrix *B, *Tb;
	int valid, st;

	*devold = pass(wk, fm, ETA_MUSTART, NULL, wk->S, &valid);
	if (wk->gsl_status)
		return fail(f, gsl_strerror(wk->gsl_status)), 0;
	if (!valid || !isfinite(*devold))
		return fail(f, "no valid starting values"), 0;
	k = find_aliased(wk->S, p, wk->o->rank_tol, f->aliased);
	f->rank = k;
	if (k == 0)
		return fail(f, "every column is aliased"), 0;
	if (k == p)
		return k;
	B = gsl_matrix_alloc(p + 1, k + 1);
	Tb = gsl_matrix_alloc(k + 1, k + 1);
	for (size_t j = 0; j < p; j++)
		if (!f->aliased[j]) {
			for (size_t i = 0; i <= p; i++)
				gsl_matrix_set(B, i, c, i <= j ? gsl_matrix_get(wk->S, i, j) : 0);
			wk->keep[c++] = j;
		}
	for (size_t i = 0; i <= p; i++)
		gsl_matrix_set(B, i, k, gsl_matrix_get(wk->S, i, p));
	st = gsl_linalg_QR_decomp_r(B, Tb);
	gsl_matrix_free(wk->S);
	gsl_matrix_free(wk->T);
	gsl_matrix_free(wk->A);
	wk->S = gsl_matrix_calloc(k + 1, k + 1);
	wk->T = gsl_matrix_alloc(k + 1, k + 1);
	wk->A = gsl_matrix_alloc(BLOCK, k + 1);
	for (size_t i = 0; i <= k; i++)
		for (size_t j = i; j <= k; j++)
			gsl_matrix_set(wk->S, i, j, gsl_matrix_get(B, i, j));
	gsl_matrix_free(B);
	gsl_matrix_free(Tb);
	if (st)
		return fail(f, gsl_strerror(st)), 0;
	wk->k = k;
	return k;
}

/* MASS::glm.nb after the poisson fit in ir: theta and beta in turn. MU (n) receives the
 * fitted means. Returns 0, or -1 on a failure (f says). */
static int negbin_alternate(struct work *wk, struct fam *fm, struct irls_out *ir, double *mu,
			    struct glm_fit *f)
{
	const struct glm_design *d = wk->d;
	const struct glm_options *o = wk->o;
	size_t k = wk->k;
	double th, t0, del = 1, d1, d2 = 1, Lm, Lm0, se = NAN, devold;
	double *bprev = xmalloc(k * sizeof *bprev);
	int alt = 0, warn = 0, valid, rc = -1;

	fitted_mu(wk, ir->beta, mu);
	th = theta_ml(d, mu, o, &se, &warn);
	if (!isfinite(th) || th <= 0)
		goto theta_failed;
	d1 = sqrt(2 * fmax(1, (double)d->n - (double)k));
	Lm = nb_loglik(d, th, mu);
	Lm0 = Lm + 2 * d1;
	while (++alt <= o->max_iter && fabs(Lm0 - Lm) / d1 + fabs(del) / d2 > o->epsilon) {
		int w1 = 0;

		memcpy(bprev, ir->beta, k * sizeof *bprev);
		fm->f = FAM_NEGBIN;
		fm->theta = th;
		devold = pass(wk, fm, ETA_LOGMU, bprev, wk->S, &valid);
		if (!valid || !isfinite(devold)) {
			fail(f, "negative binomial: no valid starting values from the previous fit");
			goto out;
		}
		if (irls(wk, fm, ETA_LOGMU, bprev, devold, ir, f) < 0)
			goto out;
		t0 = th;
		th = theta_ml(d, mu, o, &se, &w1);
		warn = w1;
		if (!isfinite(th) || th <= 0)
			goto theta_failed;
		fitted_mu(wk, ir->beta, mu);
		del = t0 - th;
		Lm0 = Lm;
		Lm = nb_loglik(d, th, mu);
	}
	f->theta = th;
	f->theta_se = se;
	f->theta_warn = warn || alt > o->max_iter;
	f->loglik = Lm;
	rc = 0;
	goto out;
theta_failed:
	fail(f, "negative binomial: theta could not be estimated (no overdispersion, or a gsl error)");
out:
	free(bprev);
	return rc;
}

/* The null deviance, as glm.fit: the weighted mean, with the last fit's family. Returns
 * the sum of the weights. */
static double null_deviance(struct work *wk, const struct fam *fm, struct glm_fit *f)
{
	const struct glm_design *d = wk->d;
	struct ksum nd = { 0, 0 };
	double sumw = 0, sumwy = 0;

	for (size_t i = 0; i < d->n; i++) {
		sumw += weight(wk, i);
		sumwy += weight(wk, i) * d->y[i];
	}
	for (size_t i = 0; i < d->n; i++)
		kadd(&nd, dev_resid(fm, d->y[i], sumwy / sumw, weight(wk, i)));
	f->null_deviance = kval(&nd);
	return sumw;
}

/* The covariance of the estimate in M (k x k) by the variance kind, the log-likelihood and
 * the residual degrees of freedom. Returns 0, or -1 on a failure (f says). */
static int covariance(struct work *wk, const struct fam *fm, struct irls_out *ir, double sumw,
		      gsl_matrix *C, gsl_matrix *M, struct glm_fit *f)
{
	const struct glm_design *d = wk->d;
	size_t k = wk->k;
	double ll;
	int st, robust = f->variance == VAR_MODEL ? 0 : f->variance == VAR_DESIGN ? 2 : 1;

	if ((st = unscaled_cov(wk, C)))
		return fail(f, gsl_strerror(st)), -1;
	f->condition = condition_number(wk);
	if (final_pass(wk, fm, ir, C, M, &ll, robust, f) < 0)
		return -1;
	if (f->family != FAM_NEGBIN)
		f->loglik = ll;
	f->df_residual = (double)d->n - (double)k;
	if (f->family == FAM_LINEAR) {
		f->dispersion = f->deviance / f->df_residual;
		f->loglik = -0.5 * sumw * (log(2 * M_PI * f->deviance / sumw) + 1);
	}
	if (f->variance == VAR_MODEL) {
		if (gsl_matrix_scale(C, f->dispersion) || gsl_matrix_memcpy(M, C))
			return fail(f, "gsl: matrix scale or copy failed"), -1;
	} else if (f->variance == VAR_HC1) {
		if (gsl_matrix_scale(M, (double)d->n / ((double)d->n - (double)k)))
			return fail(f, "gsl: matrix scale failed"), -1;
	} else if (f->variance == VAR_DESIGN) {
		size_t H = 0, nh = d->stratum ? d->n_strata : 1;
		size_t *cnt = xcalloc(nh, sizeof *cnt);

		for (size_t i = 0; i < d->n; i++)
			cnt[d->stratum ? (size_t)d->stratum[i] : 0]++;
		for (size_t h = 0; h < nh; h++) {
			H += cnt[h] > 0;
			f->singleton_strata += cnt[h] > 0 && svy_design_count(d->survey, h) == 1;
		}
		free(cnt);
		f->df_residual = (double)d->n - (double)H + 1 - (double)k;
	}
	return 0;
}

/* f's arrays, every number missing until the fit says otherwise. */
static void fit_init(struct glm_fit *f, const struct glm_design *d, enum fm_family family,
		     enum fm_variance variance_kind)
{
	size_t p = d->p;

	memset(f, 0, sizeof *f);
	f->family = family;
	f->variance = variance_kind;
	f->n = d->n;
	f->p = p;
	f->aliased = xcalloc(p, sizeof *f->aliased);
	f->beta = xmalloc(p * sizeof *f->beta);
	f->step = xcalloc(p, sizeof *f->step);
	f->cov = xmalloc(p * p * sizeof *f->cov);
	for (size_t j = 0; j < p; j++)
		f->beta[j] = NAN;
	for (size_t j = 0; j < p * p; j++)
		f->cov[j] = NAN;
	f->deviance = f->null_deviance = f->loglik = f->aic = f->pseudo_r2 = NAN;
	f->df_residual = f->dispersion = f->theta = f->theta_se = f->condition = NAN;
}

static void work_release(struct work *wk)
{
	free(wk->keep);
	free(wk->xfull);
	free(wk->xk);
	gsl_matrix_free(wk->S);
	if (wk->S2) gsl_matrix_free(wk->S2);
	gsl_matrix_free(wk->T);
	gsl_matrix_free(wk->A);
	if (wk->Rcov) gsl_matrix_free(wk->Rcov);
}

int glm_fit(const struct glm_design *d, enum fm_family family, enum fm_variance variance_kind,
            const struct glm_options *o, struct glm_fit *f)
{
	size_t p = d->p, k;
	struct work wk = { .d = d, .o = o, .k = p };
	struct fam fm = { family == FAM_NEGBIN ? FAM_POISSON : family, 0 };
	struct irls_out ir = { 0 };
	double devold, sumw, *mu = NULL;
	gsl_matrix *C = NULL, *M = NULL;

	fit_init(f, d, family, variance_kind);
	if (d->n == 0) {
		fail(f, "no rows");
		return 0;
	}
	wk.keep = xmalloc(p * sizeof *wk.keep);
	for (size_t j = 0; j < p; j++)
		wk.keep[j] = j;
	wk.xfull = xmalloc(p * sizeof *wk.xfull);
	wk.xk = xmalloc(p * sizeof *wk.xk);
	wk.S = gsl_matrix_calloc(p + 1, p + 1);
	wk.T = gsl_matrix_alloc(p + 1, p + 1);
	wk.A = gsl_matrix_alloc(BLOCK, p + 1);
	if ((k = choose_columns(&wk, &fm, f, &devold)) == 0)
		goto out;
	if (d->n <= k) {
		fail(f, "no more rows than coefficients");
		goto out;
	}
	wk.S2 = gsl_matrix_calloc(k + 1, k + 1);
	wk.Rcov = gsl_matrix_alloc(k, k);
	ir.beta = xcalloc(k, sizeof *ir.beta);
	ir.beta_prev = xcalloc(k, sizeof *ir.beta_prev);
	ir.step = xcalloc(k, sizeof *ir.step);
	if (irls(&wk, &fm, ETA_MUSTART, NULL, devold, &ir, f) < 0)
		goto out;
	if (family == FAM_NEGBIN && negbin_alternate(&wk, &fm, &ir, mu = xmalloc(d->n * sizeof *mu), f) < 0)
		goto out;
	f->iter = ir.iter;
	f->converged = ir.conv;
	f->deviance = ir.dev;
	f->dispersion = 1;
	sumw = null_deviance(&wk, &fm, f);
	C = gsl_matrix_alloc(k, k);
	M = gsl_matrix_alloc(k, k);
	if (covariance(&wk, &fm, &ir, sumw, C, M, f) < 0)
		goto out;
	f->aic = -2 * f->loglik + 2 * ((double)k + (family == FAM_LINEAR || family == FAM_NEGBIN));
	f->pseudo_r2 = f->null_deviance > 0 ? 1 - f->deviance / f->null_deviance : NAN;
	for (size_t a = 0; a < k; a++) {
		f->beta[wk.keep[a]] = ir.beta[a];
		f->step[wk.keep[a]] = ir.step[a];
		for (size_t b = 0; b < k; b++)
			f->cov[wk.keep[a] * p + wk.keep[b]] = gsl_matrix_get(M, a, b);
	}
out:
	free(mu);
	free(ir.beta);
	free(ir.beta_prev);
	free(ir.step);
	work_release(&wk);
	if (C) gsl_matrix_free(C);
	if (M) gsl_matrix_free(M);
	return 0;
}

int glm_separation(const struct glm_design *d, const struct glm_fit *f, int *involved)
{
	size_t p = d->p;
	double *x = xmalloc(p * sizeof *x), *xmax = xcalloc(p, sizeof *xmax), m = 0, tol;
	int bad = 0, strict = 1;
	double *u = xmalloc(d->n * sizeof *u);
	for (size_t i = 0; i < d->n; i++) {
		double e = 0;
		d->row(d->ctx, i, x);
		for (size_t j = 0; j < p; j++) {
			if (!f->aliased[j])
				e += x[j] * f->step[j];
			if (fabs(x[j]) > xmax[j])
				xmax[j] = fabs(x[j]);
		}
		u[i] = e;
		if (fabs(e) > m)
			m = fabs(e);
	}
	tol = 1e-6 * m;
	if (m < 1e-3)
		bad = 1;
	for (size_t i = 0; i < d->n && !bad; i++) {
		double y = d->y[i];
		if (f->family == FAM_LOGIT) {
			double s = y > 0.5 ? u[i] : -u[i];
			if (s < -tol)
				bad = 1;
			if (s <= tol)
				strict = 0;
		} else {
			if (y > 0 ? fabs(u[i]) > tol : u[i] > tol)
				bad = 1;
			strict = 0;
		}
	}
	for (size_t j = 0; j < p; j++)
		involved[j] = !bad && !f->aliased[j] && fabs(f->step[j]) * xmax[j] > 1e-3 * m;
	free(x);
	free(xmax);
	free(u);
	if (bad)
		return 0;
	return strict ? 2 : 1;
}
