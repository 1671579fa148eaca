/* svyvar.c - design-based variance of domain estimates (contract: svyvar.h). */
#include "svyvar.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "diag.h"

/* ---- a small open-addressing index of fixed-size keys ---- */

struct keyset {
	size_t width;                /* uint32 words a key */
	uint32_t *keys;              /* n x width */
	size_t n, cap;
	size_t *slot;                /* index + 1, 0 = free */
	size_t nslot;
};

static uint64_t key_hash(const uint32_t *k, size_t width)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a 64 over the words */

	for (size_t i = 0; i < width; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

static void keyset_init(struct keyset *ks, size_t width)
{
	memset(ks, 0, sizeof *ks);
	ks->width = width ? width : 1;
	ks->nslot = 64;
	ks->slot = xcalloc(ks->nslot, sizeof *ks->slot);
}

static void keyset_release(struct keyset *ks)
{
	free(ks->keys);
	free(ks->slot);
}

static void keyset_rehash(struct keyset *ks)
{
	free(ks->slot);
	ks->nslot *= 2;
	ks->slot = xcalloc(ks->nslot, sizeof *ks->slot);
	for (size_t i = 0; i < ks->n; i++) {
		size_t s = key_hash(ks->keys + i * ks->width, ks->width) & (ks->nslot - 1);

		while (ks->slot[s])
			s = (s + 1) & (ks->nslot - 1);
		ks->slot[s] = i + 1;
	}
}

/* The index of key k, added when new (*added = 1). */
static size_t keyset_intern(struct keyset *ks, const uint32_t *k, int *added)
{
	size_t s = key_hash(k, ks->width) & (ks->nslot - 1), i;

	*added = 0;
	for (; ks->slot[s]; s = (s + 1) & (ks->nslot - 1)) {
		i = ks->slot[s] - 1;
		if (memcmp(ks->keys + i * ks->width, k, ks->width * sizeof *k) == 0)
			return i;
	}
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? 2 * ks->cap : 64;
		ks->keys = xrealloc(ks->keys, ks->cap * ks->width * sizeof *ks->keys);
	}
	i = ks->n++;
	memcpy(ks->keys + i * ks->width, k, ks->width * sizeof *k);
	ks->slot[s] = i + 1;
	*added = 1;
	if (2 * ks->n > ks->nslot)
		keyset_rehash(ks);
	return i;
}

/* ---- the design ---- */

struct values {                  /* the values one variable took, code = index */
	char **v;
	size_t n;
};

struct svy_design {
	long *nh;                    /* per stratum: persons */
	size_t nstrata;
	/* calibrated */
	size_t nvars, nmargins;
	size_t **mvars, *mnvars;     /* the margins' variables */
	struct values *vals;         /* per variable */
	uint32_t *key;               /* scratch: nvars codes */
	struct keyset patterns;      /* codes of every variable */
	double *pat_d;               /* per pattern: sum of d */
	struct keyset pairs;         /* (stratum, pattern) */
	double *pair_n, *pair_w, *pair_w2;
	size_t paircap, patcap;
	/* after svy_design_finish */
	size_t ncells, nkept;
	size_t *pat_cell;            /* npatterns x nmargins */
	size_t *cell_kept;           /* per cell: its index among the kept, or SIZE_MAX */
	gsl_matrix *chol;            /* Cholesky factor of sum d x x' over the kept cells */
	int finished;
};

struct svy_design *svy_design_new(size_t nvars, size_t nmargins, const size_t *const *margin_vars,
				  const size_t *margin_nvars)
{
	struct svy_design *s = xcalloc(1, sizeof *s);

	s->nvars = nvars;
	if (nvars == 0)
		return s;
	s->nmargins = nmargins;
	s->mvars = xcalloc(nmargins ? nmargins : 1, sizeof *s->mvars);
	s->mnvars = xcalloc(nmargins ? nmargins : 1, sizeof *s->mnvars);
	for (size_t m = 0; m < nmargins; m++) {
		s->mnvars[m] = margin_nvars[m];
		s->mvars[m] = xmalloc((margin_nvars[m] ? margin_nvars[m] : 1) * sizeof **s->mvars);
		memcpy(s->mvars[m], margin_vars[m], margin_nvars[m] * sizeof **s->mvars);
	}
	s->vals = xcalloc(nvars, sizeof *s->vals);
	s->key = xcalloc(nvars, sizeof *s->key);
	keyset_init(&s->patterns, nvars);
	keyset_init(&s->pairs, 2);
	return s;
}

void svy_design_free(struct svy_design *s)
{
	if (s == NULL)
		return;
	for (size_t m = 0; m < s->nmargins; m++)
		free(s->mvars[m]);
	for (size_t k = 0; k < s->nvars; k++) {
		for (size_t i = 0; i < s->vals[k].n; i++)
			free(s->vals[k].v[i]);
		free(s->vals[k].v);
	}
	if (s->nvars) {
		keyset_release(&s->patterns);
		keyset_release(&s->pairs);
	}
	free(s->mvars);
	free(s->mnvars);
	free(s->vals);
	free(s->key);
	free(s->pat_d);
	free(s->pair_n);
	free(s->pair_w);
	free(s->pair_w2);
	free(s->pat_cell);
	free(s->cell_kept);
	if (s->chol)
		gsl_matrix_free(s->chol);
	free(s->nh);
	free(s);
}

static uint32_t value_code(struct values *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return (uint32_t)i;
	v->v = xrealloc(v->v, (v->n + 1) * sizeof *v->v);
	v->v[v->n] = xstrdup(s);
	return (uint32_t)v->n++;
}

long svy_design_pattern(struct svy_design *s, const char *const *vals)
{
	size_t p;
	int added;

	for (size_t k = 0; k < s->nvars; k++)
		s->key[k] = value_code(&s->vals[k], vals[k]);
	p = keyset_intern(&s->patterns, s->key, &added);
	if (added) {
		if (p >= s->patcap) {
			s->patcap = s->patcap ? 2 * s->patcap : 64;
			s->pat_d = xrealloc(s->pat_d, s->patcap * sizeof *s->pat_d);
		}
		s->pat_d[p] = 0;
	}
	return (long)p;
}

static void count_stratum(struct svy_design *s, size_t stratum)
{
	if (stratum >= s->nstrata) {
		s->nh = xrealloc(s->nh, (stratum + 1) * sizeof *s->nh);
		memset(s->nh + s->nstrata, 0, (stratum + 1 - s->nstrata) * sizeof *s->nh);
		s->nstrata = stratum + 1;
	}
	s->nh[stratum]++;
}

long svy_design_add(struct svy_design *s, size_t stratum, long pattern, double d, double w)
{
	uint32_t key[2] = { (uint32_t)stratum, (uint32_t)pattern };
	size_t i;
	int added;

	count_stratum(s, stratum);
	if (s->nvars == 0)
		return (long)stratum;
	s->pat_d[pattern] += d;
	i = keyset_intern(&s->pairs, key, &added);
	if (added) {
		if (i >= s->paircap) {
			s->paircap = s->paircap ? 2 * s->paircap : 64;
			s->pair_n = xrealloc(s->pair_n, s->paircap * sizeof *s->pair_n);
			s->pair_w = xrealloc(s->pair_w, s->paircap * sizeof *s->pair_w);
			s->pair_w2 = xrealloc(s->pair_w2, s->paircap * sizeof *s->pair_w2);
		}
		s->pair_n[i] = s->pair_w[i] = s->pair_w2[i] = 0;
	}
	s->pair_n[i] += 1;
	s->pair_w[i] += w;
	s->pair_w2[i] += w * w;
	return (long)i;
}

size_t svy_design_strata(const struct svy_design *s)
{
	size_t n = 0;

	for (size_t h = 0; h < s->nstrata; h++)
		n += s->nh[h] > 0;
	return n;
}

long svy_design_count(const struct svy_design *s, size_t stratum)
{
	return stratum < s->nstrata ? s->nh[stratum] : 0;
}

int svy_design_calibrated(const struct svy_design *s)
{
	return s->nvars > 0;
}

/* The cells: per margin, the combinations of its variables' codes among the patterns. */
static void find_cells(struct svy_design *s)
{
	size_t npat = s->patterns.n, width = 1;
	uint32_t *key;

	for (size_t m = 0; m < s->nmargins; m++)
		width = s->mnvars[m] + 1 > width ? s->mnvars[m] + 1 : width;
	key = xcalloc(width, sizeof *key);

	s->pat_cell = xmalloc((npat ? npat : 1) * (s->nmargins ? s->nmargins : 1) * sizeof *s->pat_cell);
	for (size_t m = 0; m < s->nmargins; m++) {
		struct keyset cells;
		int added;

		keyset_init(&cells, s->mnvars[m] + 1);
		for (size_t p = 0; p < npat; p++) {
			key[0] = (uint32_t)m;
			for (size_t i = 0; i < s->mnvars[m]; i++)
				key[i + 1] = s->patterns.keys[p * s->patterns.width + s->mvars[m][i]];
			s->pat_cell[p * s->nmargins + m] = s->ncells + keyset_intern(&cells, key, &added);
		}
		s->ncells += cells.n;
		keyset_release(&cells);
	}
	free(key);
}

/* sum_p d_p x_p x_p' over every cell, then the kept cells in order: a cell is left out
 * when its residual after the kept ones is below SVY_QR_TOL of its norm (R's qr rule on
 * X sqrt(d)), found by extending a Cholesky factor one cell at a time. */
static int choose_cells(struct svy_design *s, gsl_matrix *G, char *err, size_t errsz)
{
	size_t C = s->ncells, K = 0;
	gsl_matrix *L = gsl_matrix_calloc(C, C), *GK;
	gsl_vector *y = gsl_vector_alloc(C);
	int st = 0;

	s->cell_kept = xmalloc(C * sizeof *s->cell_kept);
	for (size_t j = 0; j < C; j++) {
		double gjj = gsl_matrix_get(G, j, j), r = gjj;

		s->cell_kept[j] = SIZE_MAX;
		if (K > 0) {
			gsl_matrix_view LK = gsl_matrix_submatrix(L, 0, 0, K, K);
			gsl_vector_view yk = gsl_vector_subvector(y, 0, K);

			for (size_t a = 0; a < K; a++)
				gsl_vector_set(y, a, 0);
			for (size_t c = 0; c < j; c++)
				if (s->cell_kept[c] != SIZE_MAX)
					gsl_vector_set(y, s->cell_kept[c], gsl_matrix_get(G, c, j));
			if ((st = gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &LK.matrix, &yk.vector)))
				break;
			r -= gsl_blas_dnrm2(&yk.vector) * gsl_blas_dnrm2(&yk.vector);
		}
		if (!(gjj > 0) || !(r > SVY_QR_TOL * SVY_QR_TOL * gjj))
			continue;
		for (size_t a = 0; a < K; a++)
			gsl_matrix_set(L, K, a, gsl_vector_get(y, a));
		gsl_matrix_set(L, K, K, sqrt(r));
		s->cell_kept[j] = K++;
	}
	gsl_matrix_free(L);
	gsl_vector_free(y);
	if (st)
		return snprintf(err, errsz, "calibration variance: %s", gsl_strerror(st)), -1;
	/* the factor used for B: Cholesky of the kept cells' block, computed afresh */
	s->nkept = K;
	if (K == 0)
		return 0;
	GK = gsl_matrix_alloc(K, K);
	for (size_t a = 0; a < C; a++)
		for (size_t b = 0; b < C; b++)
			if (s->cell_kept[a] != SIZE_MAX && s->cell_kept[b] != SIZE_MAX)
				gsl_matrix_set(GK, s->cell_kept[a], s->cell_kept[b], gsl_matrix_get(G, a, b));
	if ((st = gsl_linalg_cholesky_decomp1(GK))) {
		gsl_matrix_free(GK);
		return snprintf(err, errsz, "calibration variance: %s", gsl_strerror(st)), -1;
	}
	s->chol = GK;
	return 0;
}

int svy_design_finish(struct svy_design *s, char *err, size_t errsz)
{
	gsl_matrix *G;
	int rc;

	s->finished = 1;
	if (s->nvars == 0)
		return 0;
	find_cells(s);
	if (s->ncells == 0)
		return 0;
	G = gsl_matrix_calloc(s->ncells, s->ncells);
	for (size_t p = 0; p < s->patterns.n; p++)
		for (size_t a = 0; a < s->nmargins; a++)
			for (size_t b = 0; b < s->nmargins; b++)
				*gsl_matrix_ptr(G, s->pat_cell[p * s->nmargins + a], s->pat_cell[p * s->nmargins + b]) += s->pat_d[p];
	rc = choose_cells(s, G, err, errsz);
	gsl_matrix_free(G);
	return rc;
}

/* ---- a domain ---- */

struct svy_domain {
	const struct svy_design *s;
	size_t k;
	double *U, *UU;              /* per stratum: sum u (k), sum u u' (k x k) */
	size_t nstrata;
	double *WU;                  /* per (stratum, pattern) pair: sum w u */
	size_t npairs;
	double *DU;                  /* per pattern: sum (d / w) u */
	size_t npat;
};

struct svy_domain *svy_domain_new(const struct svy_design *s, size_t k)
{
	struct svy_domain *dom = xcalloc(1, sizeof *dom);

	dom->s = s;
	dom->k = k;
	return dom;
}

void svy_domain_free(struct svy_domain *dom)
{
	if (dom == NULL)
		return;
	free(dom->U);
	free(dom->UU);
	free(dom->WU);
	free(dom->DU);
	free(dom);
}

/* Grow an array of n blocks of `width` doubles to at least `need` blocks, zeroed. */
static double *grow(double *a, size_t *n, size_t need, size_t width)
{
	size_t m;

	if (need <= *n)
		return a;
	m = need > 2 * *n ? need : 2 * *n;
	a = xrealloc(a, m * width * sizeof *a);
	memset(a + *n * width, 0, (m - *n) * width * sizeof *a);
	*n = m;
	return a;
}

void svy_domain_add(struct svy_domain *dom, long slot, double d, double w, const double *u)
{
	const struct svy_design *s = dom->s;
	size_t k = dom->k, h = (size_t)slot, n;

	if (s->nvars) {
		const uint32_t *key = s->pairs.keys + (size_t)slot * 2;
		size_t p = key[1];

		h = key[0];
		n = dom->npairs;
		dom->WU = grow(dom->WU, &n, (size_t)slot + 1, k);
		dom->npairs = n;
		n = dom->npat;
		dom->DU = grow(dom->DU, &n, p + 1, k);
		dom->npat = n;
		for (size_t a = 0; a < k; a++) {
			dom->WU[(size_t)slot * k + a] += w * u[a];
			dom->DU[p * k + a] += d / w * u[a];
		}
	}
	n = dom->nstrata;
	dom->U = grow(dom->U, &n, h + 1, k);
	n = dom->nstrata;
	dom->UU = grow(dom->UU, &n, h + 1, k * k);
	dom->nstrata = n;
	for (size_t a = 0; a < k; a++) {
		dom->U[h * k + a] += u[a];
		for (size_t b = 0; b < k; b++)
			dom->UU[(h * k + a) * k + b] += u[a] * u[b];
	}
}

/* a_p = B' x_p for every pattern (npat x k): B solves (sum d x x') B = sum d x (u / w)'. */
static int regression(const struct svy_domain *dom, double *a, char *err, size_t errsz)
{
	const struct svy_design *s = dom->s;
	size_t k = dom->k, K = s->nkept, M = s->nmargins, npat = s->patterns.n;
	gsl_matrix *B;
	int st = 0;

	memset(a, 0, npat * k * sizeof *a);
	if (K == 0)
		return 0;
	B = gsl_matrix_calloc(K, k);
	for (size_t p = 0; p < npat && p < dom->npat; p++)
		for (size_t m = 0; m < M; m++) {
			size_t c = s->cell_kept[s->pat_cell[p * M + m]];

			for (size_t j = 0; c != SIZE_MAX && j < k; j++)
				*gsl_matrix_ptr(B, c, j) += dom->DU[p * k + j];
		}
	for (size_t j = 0; j < k && !st; j++) {
		gsl_vector_view col = gsl_matrix_column(B, j);

		st = gsl_linalg_cholesky_svx(s->chol, &col.vector);
	}
	for (size_t p = 0; p < npat && !st; p++)
		for (size_t m = 0; m < M; m++) {
			size_t c = s->cell_kept[s->pat_cell[p * M + m]];

			for (size_t j = 0; c != SIZE_MAX && j < k; j++)
				a[p * k + j] += gsl_matrix_get(B, c, j);
		}
	gsl_matrix_free(B);
	if (st)
		return snprintf(err, errsz, "calibration variance: %s", gsl_strerror(st)), -1;
	return 0;
}

/* Per stratum S = sum e and Q = sum e e' over its persons, from the domain's sums and,
 * when calibrated, the regression's a_p (e_i = u_i - w_i a_p). */
static void stratum_sums(const struct svy_domain *dom, const double *a, double *S, double *Q)
{
	const struct svy_design *s = dom->s;
	size_t k = dom->k;

	memset(S, 0, s->nstrata * k * sizeof *S);
	memset(Q, 0, s->nstrata * k * k * sizeof *Q);
	for (size_t h = 0; h < s->nstrata && h < dom->nstrata; h++) {
		memcpy(S + h * k, dom->U + h * k, k * sizeof *S);
		memcpy(Q + h * k * k, dom->UU + h * k * k, k * k * sizeof *Q);
	}
	if (s->nvars == 0)
		return;
	for (size_t i = 0; i < s->pairs.n; i++) {
		size_t h = s->pairs.keys[2 * i], p = s->pairs.keys[2 * i + 1];
		const double *ap = a + p * k, *wu = i < dom->npairs ? dom->WU + i * k : NULL;

		for (size_t x = 0; x < k; x++) {
			S[h * k + x] -= s->pair_w[i] * ap[x];
			for (size_t y = 0; y < k; y++) {
				double q = s->pair_w2[i] * ap[x] * ap[y];

				if (wu)
					q -= wu[x] * ap[y] + ap[x] * wu[y];
				Q[(h * k + x) * k + y] += q;
			}
		}
	}
}

int svy_domain_variance(const struct svy_domain *dom, double *V, char *err, size_t errsz)
{
	const struct svy_design *s = dom->s;
	size_t k = dom->k, H = s->nstrata;
	double *a = NULL, *S, *Q;

	memset(V, 0, k * k * sizeof *V);
	if (!s->finished)
		return snprintf(err, errsz, "calibration variance: the design is not finished"), -1;
	if (s->nvars) {
		a = xmalloc((s->patterns.n ? s->patterns.n : 1) * k * sizeof *a);
		if (regression(dom, a, err, errsz) < 0) {
			free(a);
			return -1;
		}
	}
	S = xmalloc((H ? H : 1) * k * sizeof *S);
	Q = xmalloc((H ? H : 1) * k * k * sizeof *Q);
	stratum_sums(dom, a, S, Q);
	for (size_t h = 0; h < H; h++) {
		double n = (double)s->nh[h];

		if (s->nh[h] < 2)        /* the singleton rule */
			continue;
		for (size_t x = 0; x < k; x++)
			for (size_t y = 0; y < k; y++)
				V[x * k + y] += n / (n - 1) * (Q[(h * k + x) * k + y] - S[h * k + x] * S[h * k + y] / n);
	}
	free(a);
	free(S);
	free(Q);
	return 0;
}
