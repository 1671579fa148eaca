/* cells.c - patterns, margin cells and calibration columns (contract: cells.h). */
#include "cells.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "diag.h"

/* The values one variable took, in order of first sight (code = index); after
 * cells_finish rank[code] is the value's place in the canonical order. */
struct levels {
	char **v;
	size_t n;
	size_t *rank;
};

struct cells {
	const struct calspec *spec;
	size_t nvars, nmargins;
	struct levels *lv;           /* per variable */
	/* the patterns: codes of every variable, and how many persons have them */
	unsigned char *keys;         /* npat x nvars */
	double *count;
	size_t npat, patcap;
	size_t *slot;                /* hash table: pattern + 1, 0 = free */
	size_t nslot;
	unsigned char *key;          /* the pattern being looked up */
	size_t npersons;
	/* after cells_finish */
	size_t ncells;
	size_t *cell_margin;         /* per cell */
	size_t *cell_pattern;        /* per cell: a pattern of it, to describe it */
	double *pop;                 /* per cell: persons */
	size_t *pat_cell;            /* npat x nmargins */
	size_t *col_cell, ncols;
	size_t *cell_col;
};

struct cells *cells_new(const struct calspec *spec)
{
	struct cells *c = xcalloc(1, sizeof *c);

	c->spec = spec;
	c->nvars = spec->nvars;
	c->nmargins = spec->nmargins;
	c->lv = xcalloc(c->nvars, sizeof *c->lv);
	c->key = xmalloc(c->nvars ? c->nvars : 1);
	c->nslot = 1024;
	c->slot = xcalloc(c->nslot, sizeof *c->slot);
	return c;
}

void cells_free(struct cells *c)
{
	if (c == NULL)
		return;
	for (size_t k = 0; k < c->nvars; k++) {
		for (size_t i = 0; i < c->lv[k].n; i++)
			free(c->lv[k].v[i]);
		free(c->lv[k].v);
		free(c->lv[k].rank);
	}
	free(c->lv);
	free(c->keys);
	free(c->count);
	free(c->slot);
	free(c->key);
	free(c->cell_margin);
	free(c->cell_pattern);
	free(c->pop);
	free(c->pat_cell);
	free(c->col_cell);
	free(c->cell_col);
	free(c);
}

static uint64_t hash_key(const unsigned char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a 64 */

	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

static void grow_table(struct cells *c)
{
	size_t n = c->nslot * 2;

	free(c->slot);
	c->slot = xcalloc(n, sizeof *c->slot);
	c->nslot = n;
	for (size_t p = 0; p < c->npat; p++) {
		size_t s = hash_key(c->keys + p * c->nvars, c->nvars) & (n - 1);

		while (c->slot[s])
			s = (s + 1) & (n - 1);
		c->slot[s] = p + 1;
	}
}

long cells_add(struct cells *c, const char *const *vals, char *err, size_t errsz)
{
	size_t s, p;

	for (size_t k = 0; k < c->nvars; k++) {
		struct levels *l = &c->lv[k];
		size_t i;

		for (i = 0; i < l->n && strcmp(l->v[i], vals[k]); i++)
			;
		if (i == l->n) {
			if (l->n == CELLS_MAX_LEVELS) {
				snprintf(err, errsz, "%s: more than %d values: a margin needs a categorical column",
				         c->spec->vars[k].name, CELLS_MAX_LEVELS);
				return -1;
			}
			l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
			l->v[l->n++] = xstrdup(vals[k]);
		}
		c->key[k] = (unsigned char)i;
	}
	c->npersons++;
	s = hash_key(c->key, c->nvars) & (c->nslot - 1);
	for (; c->slot[s]; s = (s + 1) & (c->nslot - 1)) {
		p = c->slot[s] - 1;
		if (memcmp(c->keys + p * c->nvars, c->key, c->nvars) == 0) {
			c->count[p] += 1;
			return (long)p;
		}
	}
	if (c->npat == c->patcap) {
		c->patcap = c->patcap ? 2 * c->patcap : 256;
		c->keys = xrealloc(c->keys, c->patcap * (c->nvars ? c->nvars : 1));
		c->count = xrealloc(c->count, c->patcap * sizeof *c->count);
	}
	p = c->npat++;
	memcpy(c->keys + p * c->nvars, c->key, c->nvars);
	c->count[p] = 1;
	c->slot[s] = p + 1;
	if (2 * c->npat > c->nslot)
		grow_table(c);
	return (long)p;
}

/* ---- canonical order of a variable's values ---- */

static long enum_index(const struct schema_field *f, const char *v)
{
	for (size_t i = 0; i < f->n_enum; i++)
		if (strcmp(f->enum_values[i], v) == 0)
			return (long)i;
	return (long)f->n_enum;
}

static int value_cmp(const struct schema_field *f, const char *a, const char *b)
{
	if (!*a || !*b)
		return (!*a) - (!*b);               /* missing last */
	if (f->type == ST_ENUM) {
		long ia = enum_index(f, a), ib = enum_index(f, b);

		if (ia != ib)
			return ia < ib ? -1 : 1;
	} else if (f->type == ST_INT || f->type == ST_BOOL) {
		double x = strtod(a, NULL), y = strtod(b, NULL);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return strcmp(a, b);
}

static int level_cmp(const void *x, const void *y, void *ctx)
{
	const struct schema_field *f = ((void **)ctx)[0];
	char **v = ((void **)ctx)[1];

	return value_cmp(f, v[*(const size_t *)x], v[*(const size_t *)y]);
}

static void rank_levels(struct cells *c, size_t k)
{
	struct levels *l = &c->lv[k];
	size_t *order = xmalloc((l->n ? l->n : 1) * sizeof *order);
	void *ctx[2] = { (void *)c->spec->vars[k].field, l->v };

	for (size_t i = 0; i < l->n; i++)
		order[i] = i;
	qsort_r(order, l->n, sizeof *order, level_cmp, ctx);
	l->rank = xmalloc((l->n ? l->n : 1) * sizeof *l->rank);
	for (size_t i = 0; i < l->n; i++)
		l->rank[order[i]] = i;
	free(order);
}

/* ---- cells of a margin ---- */

struct margin_sort {
	const struct cells *c;
	const struct calspec_margin *m;
};

/* patterns by the ranks of the margin's variables */
static int pattern_cmp(const void *x, const void *y, void *ctx)
{
	const struct margin_sort *ms = ctx;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	for (size_t i = 0; i < ms->m->nvars; i++) {
		size_t k = ms->m->vars[i];
		size_t ra = ms->c->lv[k].rank[ms->c->keys[a * ms->c->nvars + k]];
		size_t rb = ms->c->lv[k].rank[ms->c->keys[b * ms->c->nvars + k]];

		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return 0;
}

static void margin_cells(struct cells *c, size_t m, size_t *order)
{
	struct margin_sort ms = { c, &c->spec->margins[m] };

	for (size_t p = 0; p < c->npat; p++)
		order[p] = p;
	qsort_r(order, c->npat, sizeof *order, pattern_cmp, &ms);
	for (size_t i = 0; i < c->npat; i++) {
		size_t p = order[i];

		if (i == 0 || pattern_cmp(&order[i - 1], &order[i], &ms) != 0) {
			c->cell_margin = xrealloc(c->cell_margin, (c->ncells + 1) * sizeof *c->cell_margin);
			c->cell_pattern = xrealloc(c->cell_pattern, (c->ncells + 1) * sizeof *c->cell_pattern);
			c->pop = xrealloc(c->pop, (c->ncells + 1) * sizeof *c->pop);
			c->cell_margin[c->ncells] = m;
			c->cell_pattern[c->ncells] = p;
			c->pop[c->ncells] = 0;
			c->ncells++;
		}
		c->pat_cell[p * c->nmargins + m] = c->ncells - 1;
		c->pop[c->ncells - 1] += c->count[p];
	}
}

/* ---- columns: in-order Gram-Schmidt on the count-weighted pattern indicators ---- */

static void choose_columns(struct cells *c)
{
	gsl_matrix *q = gsl_matrix_calloc(c->npat ? c->npat : 1, c->ncells ? c->ncells : 1);
	gsl_vector *v = gsl_vector_calloc(c->npat ? c->npat : 1);

	if (q == NULL || v == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	c->col_cell = xmalloc((c->ncells ? c->ncells : 1) * sizeof *c->col_cell);
	c->cell_col = xmalloc((c->ncells ? c->ncells : 1) * sizeof *c->cell_col);
	for (size_t j = 0; j < c->ncells; j++) {
		size_t m = c->cell_margin[j];
		double norm, rest;

		for (size_t p = 0; p < c->npat; p++)
			gsl_vector_set(v, p, c->pat_cell[p * c->nmargins + m] == j ? sqrt(c->count[p]) : 0.0);
		norm = gsl_blas_dnrm2(v);
		/* twice: one pass of classical Gram-Schmidt loses orthogonality ("twice is enough") */
		for (int pass = 0; pass < 2; pass++)
			for (size_t k = 0; k < c->ncols; k++) {
				gsl_vector_view qk = gsl_matrix_column(q, k);
				double r;

				gsl_blas_ddot(&qk.vector, v, &r);
				gsl_blas_daxpy(-r, &qk.vector, v);
			}
		rest = gsl_blas_dnrm2(v);
		c->cell_col[j] = CELLS_NONE;
		if (!(rest > CELLS_QR_TOL * norm))
			continue;
		gsl_vector_scale(v, 1 / rest);
		gsl_matrix_set_col(q, c->ncols, v);
		c->cell_col[j] = c->ncols;
		c->col_cell[c->ncols++] = j;
	}
	gsl_matrix_free(q);
	gsl_vector_free(v);
}

void cells_finish(struct cells *c)
{
	size_t *order = xmalloc((c->npat ? c->npat : 1) * sizeof *order);

	for (size_t k = 0; k < c->nvars; k++)
		rank_levels(c, k);
	c->pat_cell = xmalloc((c->npat ? c->npat : 1) * c->nmargins * sizeof *c->pat_cell);
	for (size_t m = 0; m < c->nmargins; m++)
		margin_cells(c, m, order);
	free(order);
	choose_columns(c);
}

size_t cells_npersons(const struct cells *c) { return c->npersons; }
size_t cells_npatterns(const struct cells *c) { return c->npat; }
size_t cells_ncells(const struct cells *c) { return c->ncells; }
size_t cells_ncolumns(const struct cells *c) { return c->ncols; }
size_t cells_column_cell(const struct cells *c, size_t column) { return c->col_cell[column]; }
size_t cells_cell_column(const struct cells *c, size_t cell) { return c->cell_col[cell]; }
size_t cells_cell_margin(const struct cells *c, size_t cell) { return c->cell_margin[cell]; }
double cells_population(const struct cells *c, size_t cell) { return c->pop[cell]; }

size_t cells_pattern_cell(const struct cells *c, size_t pattern, size_t m)
{
	return c->pat_cell[pattern * c->nmargins + m];
}

void cells_describe(const struct cells *c, size_t cell, char *buf, size_t bufsz)
{
	const struct calspec_margin *m = &c->spec->margins[c->cell_margin[cell]];
	size_t p = c->cell_pattern[cell], len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nvars && len < bufsz; i++) {
		size_t k = m->vars[i];
		const char *v = c->lv[k].v[c->keys[p * c->nvars + k]];
		int n = *v ? snprintf(buf + len, bufsz - len, "%s%s=%s", i ? ", " : "", c->spec->vars[k].name, v)
		           : snprintf(buf + len, bufsz - len, "%s%s missing", i ? ", " : "", c->spec->vars[k].name);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}
