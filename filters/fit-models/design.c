/* design.c - a model's design columns, its diagnostics, the fit and the coefficient rows.
 *
 * Columns follow R's treatment coding: the intercept, then per term in the spec's order a
 * numeric column, or one column per non-reference level (levels in enum order, or sorted
 * when the column is text), or for an interaction the products of its parts' columns with
 * the first part varying fastest, as model.matrix orders them. Names: "(Intercept)",
 * COLUMN, COLUMN:LEVEL, and the parts' names joined by ':' for an interaction.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "diag.h"
#include "design.h"

#define MAX_FACTORS FM_MAX_INTERACT

struct dcol {
	int nf;
	int var[MAX_FACTORS];
	int code[MAX_FACTORS];     /* level code, -1 = the numeric value */
	char *name;
	int term;                  /* spec term index, -1 intercept */
};

struct mdesign {               /* the ctx of the row callback */
	const struct fm_store *st;
	const struct fm_model *m;
	struct dcol *cols;
	size_t p;
	const uint32_t *rows;      /* used rows (stored row indexes) */
	int ovar;                  /* override for AMEs: this variable takes oval (-1 = none) */
	double oval;
};

static double value(const struct mdesign *md, int var, uint32_t r)
{
	return var == md->ovar ? md->oval : md->st->vars[var].v[r];
}

static void fill(const struct mdesign *md, uint32_t r, double *x)
{
	for (size_t c = 0; c < md->p; c++) {
		const struct dcol *dc = &md->cols[c];
		double v = 1;
		for (int f = 0; f < dc->nf; f++) {
			double a = value(md, dc->var[f], r);
			v *= dc->code[f] < 0 ? a : (a == dc->code[f] ? 1 : 0);
		}
		x[c] = v;
	}
}

static void row_cb(const void *ctx, size_t i, double *x)
{
	const struct mdesign *md = ctx;
	fill(md, md->rows[i], x);
}

/* ---- warnings: collected in the result, and each on stderr ---- */

static void warn(const struct fm_model *m, struct fm_result *r, int failed, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void warn(const struct fm_model *m, struct fm_result *r, int failed, const char *code,
                 const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	size_t old = r->warnings ? strlen(r->warnings) : 0;
	r->warnings = xrealloc(r->warnings, old + strlen(code) + 2);
	sprintf(r->warnings + old, "%s%s", old ? ";" : "", code);
	if (failed)
		r->status = ST_FAILED;
	else if (r->status == ST_OK)
		r->status = ST_WARNING;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warn(m->spec->file, m->spec->line, m->spec->name, "%s: %s", code, msg);
}

/* note: in the warnings column, but it does not change the status */
static void note(struct fm_result *r, const char *code)
{
	int s = r->status;
	size_t old = r->warnings ? strlen(r->warnings) : 0;
	r->warnings = xrealloc(r->warnings, old + strlen(code) + 2);
	sprintf(r->warnings + old, "%s%s", old ? ";" : "", code);
	r->status = s;
}

/* ---- levels in output order ---- */

static int numeric_text(const char *s, double *x)
{
	char *end;
	*x = strtod(s, &end);
	return *s && !*end;
}

static int cmp_levels(const void *a, const void *b, void *ctx)
{
	const struct fm_var *var = ctx;
	const char *x = var->levels[*(const int *)a], *y = var->levels[*(const int *)b];
	double u, v;
	if (numeric_text(x, &u) && numeric_text(y, &v) && u != v)
		return u < v ? -1 : 1;
	return strcmp(x, y);
}

/* order[k] = the level code at position k */
static int *level_order(const struct fm_var *v)
{
	int *order = xmalloc((v->n_levels + 1) * sizeof *order);
	for (size_t k = 0; k < v->n_levels; k++)
		order[k] = (int)k;
	if (!v->enum_order) {
		int all_num = 1;
		double x;
		for (size_t k = 0; k < v->n_levels; k++)
			all_num &= numeric_text(v->levels[k], &x);
		if (all_num)
			qsort_r(order, v->n_levels, sizeof *order, cmp_levels, (void *)v);
		else {
			/* plain byte order when any level is not a number */
			for (size_t a = 1; a < v->n_levels; a++)
				for (size_t b = a; b > 0 && strcmp(v->levels[order[b - 1]], v->levels[order[b]]) > 0; b--) {
					int t = order[b];
					order[b] = order[b - 1];
					order[b - 1] = t;
				}
		}
	}
	return order;
}

/* ---- building the columns ---- */

static void add_col(struct dcol **cols, size_t *p, const struct dcol *c)
{
	*cols = xrealloc(*cols, (*p + 1) * sizeof **cols);
	(*cols)[(*p)++] = *c;
}

/* The columns of one main-effect term: (var, code) pairs and names. */
struct part { size_t n; int var; int *code; char **name; };   /* arrays of n (freed by the caller) */

static int term_part(const struct fm_model *m, const struct fm_store *st, size_t t, struct part *pt)
{
	const struct fm_term *ft = &m->terms[t];
	const struct fm_var *v = &st->vars[ft->var];
	pt->var = ft->var;
	pt->n = 0;
	pt->code = xmalloc((v->n_levels + 1) * sizeof *pt->code);
	pt->name = xmalloc((v->n_levels + 1) * sizeof *pt->name);
	if (!ft->categorical) {
		pt->code[0] = -1;
		pt->name[0] = xstrdup(v->name);
		pt->n = 1;
		return 0;
	}
	int *order = level_order(v);
	int ref = ft->ref >= 0 ? ft->ref : (v->n_levels ? order[0] : -1);
	for (size_t k = 0; k < v->n_levels; k++) {
		char buf[512];
		if (order[k] == ref)
			continue;
		snprintf(buf, sizeof buf, "%s:%s", v->name, v->levels[order[k]]);
		pt->code[pt->n] = order[k];
		pt->name[pt->n] = xstrdup(buf);
		pt->n++;
	}
	free(order);
	return 0;
}

static void build_columns(const struct fm_model *m, const struct fm_store *st, struct dcol **cols, size_t *p)
{
	struct dcol c = { 0 };
	struct part *pt = xcalloc(FM_MAX_INTERACT, sizeof *pt);
	*cols = NULL;
	*p = 0;
	c.name = xstrdup("(Intercept)");
	c.term = -1;
	add_col(cols, p, &c);
	for (size_t t = 0; t < m->spec->n_terms; t++) {
		const struct spec_term *sp = &m->spec->terms[t];
		if (sp->n_parts == 0) {
			term_part(m, st, t, &pt[0]);
			for (size_t k = 0; k < pt[0].n; k++) {
				memset(&c, 0, sizeof c);
				c.nf = 1;
				c.var[0] = pt[0].var;
				c.code[0] = pt[0].code[k];
				c.name = pt[0].name[k];
				c.term = (int)t;
				add_col(cols, p, &c);
			}
			free(pt[0].code);
			free(pt[0].name);
			continue;
		}
		size_t idx[FM_MAX_INTERACT] = { 0 }, total = 1;
		for (int q = 0; q < sp->n_parts; q++) {
			term_part(m, st, (size_t)sp->part[q], &pt[q]);
			total *= pt[q].n;
		}
		for (size_t k = 0; k < total; k++) {
			char buf[1024] = "";
			size_t rem = k;
			memset(&c, 0, sizeof c);
			c.nf = sp->n_parts;
			c.term = (int)t;
			for (int q = 0; q < sp->n_parts; q++) {
				idx[q] = rem % pt[q].n;
				rem /= pt[q].n;
				c.var[q] = pt[q].var;
				c.code[q] = pt[q].code[idx[q]];
				if (q)
					strncat(buf, ":", sizeof buf - strlen(buf) - 1);
				strncat(buf, pt[q].name[idx[q]], sizeof buf - strlen(buf) - 1);
			}
			c.name = xstrdup(buf);
			add_col(cols, p, &c);
		}
		for (int q = 0; q < sp->n_parts; q++) {
			for (size_t k = 0; k < pt[q].n; k++)
				free(pt[q].name[k]);
			free(pt[q].code);
			free(pt[q].name);
		}
	}
	free(pt);
}

/* ---- tests and intervals ---- */

static void inference(struct fm_coef *c, enum fm_family fam, int use_t, double df)
{
	double q;
	if (!isfinite(c->estimate) || !isfinite(c->se) || c->se <= 0) {
		c->statistic = c->p = c->ci_low = c->ci_high = NAN;
		c->ratio = fam == FAM_LINEAR || !isfinite(c->estimate) ? NAN : exp(c->estimate);
		c->ratio_low = c->ratio_high = NAN;
		return;
	}
	c->statistic = c->estimate / c->se;
	if (use_t) {
		if (df > 0) {
			c->p = 2 * gsl_cdf_tdist_Q(fabs(c->statistic), df);
			q = gsl_cdf_tdist_Pinv(0.975, df);
		} else {
			c->p = NAN;
			q = NAN;
		}
	} else {
		c->p = 2 * gsl_cdf_ugaussian_Q(fabs(c->statistic));
		q = gsl_cdf_ugaussian_Pinv(0.975);
	}
	c->ci_low = c->estimate - q * c->se;
	c->ci_high = c->estimate + q * c->se;
	if (fam == FAM_LINEAR) {
		c->ratio = c->ratio_low = c->ratio_high = NAN;
	} else {
		c->ratio = exp(c->estimate);
		c->ratio_low = exp(c->ci_low);
		c->ratio_high = exp(c->ci_high);
	}
}

/* ---- average marginal effects ---- */

/* Average marginal effects of the main-effect columns listed in want[0..na-1] (column
 * indexes; refs[a] is the reference level code for a level column): for a numeric
 * (non-bool) term the mean derivative of mu by the variable (through every column that
 * holds it, interactions included); for a bool the mean change of mu from 0 to 1; for a
 * level the mean change from the reference level. Weighted by the prior weights. One pass
 * over the rows for all of them; grad (na x p) receives d AME / d beta. */
static double column_value(const struct mdesign *md, size_t j, uint32_t r)
{
	const struct dcol *dc = &md->cols[j];
	double v = 1;
	for (int f = 0; f < dc->nf; f++) {
		double a = value(md, dc->var[f], r);
		v *= dc->code[f] < 0 ? a : (a == dc->code[f] ? 1 : 0);
	}
	return v;
}

static void ame_all(struct mdesign *md, const struct glm_design *gd, const struct glm_fit *g,
                    const size_t *want, const int *refs, size_t na, double *ame, double *grad)
{
	size_t p = md->p;
	double *x = xmalloc(p * sizeof *x), *b = xmalloc(p * sizeof *b), sumw = 0;
	double *x1 = xmalloc(p * sizeof *x1), *x0 = xmalloc(p * sizeof *x0);
	/* per AME: the columns that hold its variable */
	size_t **cols = xcalloc(na + 1, sizeof *cols), *ncols = xcalloc(na + 1, sizeof *ncols);
	int *deriv = xcalloc(na + 1, sizeof *deriv);
	for (size_t j = 0; j < p; j++)
		b[j] = g->aliased[j] ? 0 : g->beta[j];
	for (size_t a = 0; a < na; a++) {
		const struct dcol *dc = &md->cols[want[a]];
		int var = dc->var[0];
		deriv[a] = dc->code[0] < 0 && !md->st->vars[var].is_bool;
		cols[a] = xmalloc(p * sizeof **cols);
		for (size_t j = 0; j < p; j++)
			for (int f = 0; f < md->cols[j].nf; f++)
				if (md->cols[j].var[f] == var) {
					cols[a][ncols[a]++] = j;
					break;
				}
		ame[a] = 0;
		memset(grad + a * p, 0, p * sizeof *grad);
	}
	for (size_t i = 0; i < gd->n; i++) {
		double w = gd->w ? gd->w[i] : 1, e = 0;
		uint32_t r = md->rows[i];
		sumw += w;
		md->ovar = -1;
		fill(md, r, x);
		for (size_t j = 0; j < p; j++)
			e += b[j] * x[j];
		double me = glm_mu_eta(g->family, e), me2 = glm_mu_eta2(g->family, e);
		for (size_t a = 0; a < na; a++) {
			const struct dcol *dc = &md->cols[want[a]];
			double *ga = grad + a * p;
			if (deriv[a]) {
				/* d x_j / d v: the product of the column's other factors */
				double de = 0;
				for (size_t q = 0; q < ncols[a]; q++) {
					const struct dcol *cj = &md->cols[cols[a][q]];
					double prod = 1;
					for (int f = 0; f < cj->nf; f++) {
						if (cj->var[f] == dc->var[0] && cj->code[f] < 0)
							continue;
						double av = value(md, cj->var[f], r);
						prod *= cj->code[f] < 0 ? av : (av == cj->code[f] ? 1 : 0);
					}
					x1[q] = prod;
					de += b[cols[a][q]] * prod;
				}
				ame[a] += w * me * de;
				for (size_t j = 0; j < p; j++)
					ga[j] += w * me2 * x[j] * de;
				for (size_t q = 0; q < ncols[a]; q++)
					ga[cols[a][q]] += w * me * x1[q];
			} else {
				double e1 = e, e0 = e;
				md->ovar = dc->var[0];
				for (size_t q = 0; q < ncols[a]; q++) {
					size_t j = cols[a][q];
					md->oval = dc->code[0] < 0 ? 1 : dc->code[0];
					x1[q] = column_value(md, j, r);
					md->oval = dc->code[0] < 0 ? 0 : refs[a];
					x0[q] = column_value(md, j, r);
					e1 += b[j] * (x1[q] - x[j]);
					e0 += b[j] * (x0[q] - x[j]);
				}
				md->ovar = -1;
				double m1 = glm_mu_eta(g->family, e1), m0 = glm_mu_eta(g->family, e0);
				ame[a] += w * (glm_linkinv(g->family, e1) - glm_linkinv(g->family, e0));
				for (size_t j = 0; j < p; j++)
					ga[j] += w * (m1 - m0) * x[j];
				for (size_t q = 0; q < ncols[a]; q++) {
					size_t j = cols[a][q];
					ga[j] += w * (m1 * x1[q] - m0 * x0[q]) - w * (m1 - m0) * x[j];
				}
			}
		}
	}
	for (size_t a = 0; a < na; a++) {
		ame[a] /= sumw;
		for (size_t j = 0; j < p; j++)
			grad[a * p + j] /= sumw;
		free(cols[a]);
	}
	free(cols);
	free(ncols);
	free(deriv);
	free(x);
	free(x0);
	free(x1);
	free(b);
}

static double quad(const struct glm_fit *g, const double *l)
{
	double s = 0;
	for (size_t a = 0; a < g->p; a++) {
		if (g->aliased[a] || l[a] == 0)
			continue;
		for (size_t b = 0; b < g->p; b++)
			if (!g->aliased[b] && l[b] != 0)
				s += l[a] * g->cov[a * g->p + b] * l[b];
	}
	return s;
}

/* ---- the model, in phases ---- */

/* One model's fit in progress: what its phases share. */
struct fit {
	struct fm_model *m;
	struct fm_store *st;
	const struct fm_options *o;
	struct fm_result *r;
	const struct spec_model *sp;
	struct mdesign md;
	struct glm_design gd;
	size_t p;                  /* design columns */
	uint32_t *used;            /* the rows used (complete cases), n of them */
	double *y, *w;             /* outcome; weights (NULL unweighted), scaled to mean 1 */
	int *strata;
	long *slot;                /* variance design: each row's slot in its sample */
	double *design_w, *cal_w;  /* calibrated: design and calibrated weights, as read */
	size_t n;
	int *blank;                /* per column: its estimate is left missing (separation) */
	int *involved;
	int ref_missing;           /* a reference level named in the spec never occurs */
	char code[600];            /* the warning code being built */
};

enum { FIT_GO = 0, FIT_STOP = 1 };   /* a phase's status: go on, or straight to collecting */

/* Reference levels by name (a text column's levels are known only now). */
static void find_references(struct fit *f)
{
	for (size_t t = 0; t < f->sp->n_terms; t++) {
		struct fm_term *ft = &f->m->terms[t];
		const struct fm_var *v;

		ft->ref = -1;
		if (ft->var < 0 || !ft->categorical || !f->sp->terms[t].ref)
			continue;
		v = &f->st->vars[ft->var];
		for (size_t c = 0; c < v->n_levels; c++)
			if (!strcmp(v->levels[c], f->sp->terms[t].ref))
				ft->ref = (int)c;
		if (ft->ref < 0)
			f->ref_missing = 1;
	}
}

/* Is stored row ROW a complete case (outcome, terms, weight, stratum all there)? */
static int complete(const struct fit *f, uint32_t row)
{
	const struct fm_model *m = f->m;
	const struct fm_var *vars = f->st->vars;
	int ok = !isnan(vars[m->outcome].v[row]);

	for (size_t t = 0; t < f->sp->n_terms && ok; t++)
		if (m->terms[t].var >= 0)
			ok = !isnan(vars[m->terms[t].var].v[row]);
	if (ok && m->weight >= 0)
		ok = !isnan(vars[m->weight].v[row]);
	if (ok && m->strata >= 0)
		ok = !isnan(vars[m->strata].v[row]);
	if (ok && m->design_weight >= 0)
		ok = !isnan(vars[m->design_weight].v[row]);
	return ok;
}

/* Phase 1, select rows: the design's columns, and the complete cases of the population
 * with a positive weight; weights scaled to mean 1, as svyglm does. */
static int select_rows(struct fit *f)
{
	struct fm_model *m = f->m;
	const struct fm_var *vars = f->st->vars;
	size_t dropped = 0, nonpos = 0;
	double sumw = 0;

	find_references(f);
	build_columns(m, f->st, &f->md.cols, &f->md.p);
	f->p = f->md.p;
	f->blank = xcalloc(f->p, sizeof *f->blank);
	f->involved = xcalloc(f->p, sizeof *f->involved);
	f->used = xmalloc((m->n_rows + 1) * sizeof *f->used);
	f->y = xmalloc((m->n_rows + 1) * sizeof *f->y);
	if (f->sp->weighted)
		f->w = xmalloc((m->n_rows + 1) * sizeof *f->w);
	if (m->strata >= 0)
		f->strata = xmalloc((m->n_rows + 1) * sizeof *f->strata);
	if (m->sample)
		f->slot = xmalloc((m->n_rows + 1) * sizeof *f->slot);
	if (m->set >= 0) {
		f->design_w = xmalloc((m->n_rows + 1) * sizeof *f->design_w);
		f->cal_w = xmalloc((m->n_rows + 1) * sizeof *f->cal_w);
	}
	for (size_t k = 0; k < m->n_rows; k++) {
		uint32_t row = m->rows[k];

		if (!complete(f, row)) {
			dropped++;
			continue;
		}
		if (m->weight >= 0 && !(vars[m->weight].v[row] > 0)) {
			nonpos++;
			continue;
		}
		f->used[f->n] = row;
		f->y[f->n] = vars[m->outcome].v[row];
		if (f->w)
			sumw += f->w[f->n] = vars[m->weight].v[row];
		if (f->strata)
			f->strata[f->n] = (int)vars[m->strata].v[row];
		if (f->slot && (f->slot[f->n] = row < m->sample->n_slots ? m->sample->slot[row] : -1) < 0)
			BUG("model %s: a complete row outside its design's sample", m->spec->name);
		if (f->cal_w) {
			f->design_w[f->n] = vars[m->design_weight].v[row];
			f->cal_w[f->n] = vars[m->weight].v[row];
		}
		f->n++;
	}
	f->r->n = f->n;
	f->r->weighted_n = f->w ? sumw : (double)f->n;
	if (f->w)
		for (size_t i = 0; i < f->n; i++)
			f->w[i] *= (double)f->n / sumw;
	f->md.rows = f->used;
	f->gd = (struct glm_design){ .n = f->n, .p = f->p, .row = row_cb, .ctx = &f->md, .y = f->y, .w = f->w,
				     .stratum = f->strata, .n_strata = m->strata >= 0 ? f->st->vars[m->strata].n_levels : 0,
				     .survey = m->sample ? m->sample->svy : NULL, .slot = f->slot,
				     .design_w = f->design_w, .cal_w = f->cal_w };
	if (dropped) {
		snprintf(f->code, sizeof f->code, "dropped_incomplete:%zu", dropped);
		note(f->r, f->code);
	}
	if (m->set >= 0) {
		snprintf(f->code, sizeof f->code, "weight:%s", m->weight_column);
		note(f->r, f->code);
	}
	if (nonpos) {
		snprintf(f->code, sizeof f->code, "dropped_nonpositive_weight:%zu", nonpos);
		warn(m, f->r, 0, f->code, "%zu rows with a weight that is not positive were left out", nonpos);
	}
	return FIT_GO;
}

/* Phase 2a: the rows and the outcome can be fitted at all. */
static int check_rows(struct fit *f)
{
	const struct spec_model *sp = f->sp;
	const char *ycol = sp->outcome;
	enum fm_family fam = sp->family;
	int constant = 1;

	if (f->ref_missing) {
		for (size_t t = 0; t < sp->n_terms; t++)
			if (f->m->terms[t].var >= 0 && f->m->terms[t].categorical && sp->terms[t].ref && f->m->terms[t].ref < 0) {
				snprintf(f->code, sizeof f->code, "reference_level_absent:%s:%s", sp->terms[t].column, sp->terms[t].ref);
				warn(f->m, f->r, 1, f->code, "the reference level never occurs in the stream");
			}
		return FIT_STOP;
	}
	if (f->m->n_rows == 0) {
		warn(f->m, f->r, 1, "empty_population", "no row of the stream is in the population '%s'", sp->population);
		return FIT_STOP;
	}
	if (f->n == 0) {
		snprintf(f->code, sizeof f->code, "no_complete_rows:%zu", f->m->n_rows);
		warn(f->m, f->r, 1, f->code, "every one of the %zu rows of the population misses the outcome, a term, the weight or the stratum", f->m->n_rows);
		return FIT_STOP;
	}
	if ((long)f->n < f->o->min_rows) {
		snprintf(f->code, sizeof f->code, "tiny_population:%zu", f->n);
		warn(f->m, f->r, 0, f->code, "only %zu rows (--min-rows %ld)", f->n, f->o->min_rows);
	}
	for (size_t i = 0; i < f->n; i++) {
		if (f->y[i] != f->y[0])
			constant = 0;
		if (fam == FAM_LOGIT && f->y[i] != 0 && f->y[i] != 1) {
			snprintf(f->code, sizeof f->code, "outcome_not_binary:%s", ycol);
			warn(f->m, f->r, 1, f->code, "a logit outcome must be 0 or 1, found %g", f->y[i]);
			return FIT_STOP;
		}
		if ((fam == FAM_POISSON || fam == FAM_NEGBIN) && (f->y[i] < 0 || f->y[i] != floor(f->y[i]))) {
			snprintf(f->code, sizeof f->code, "outcome_not_count:%s", ycol);
			warn(f->m, f->r, 1, f->code, "a count outcome must be a whole number >= 0, found %g", f->y[i]);
			return FIT_STOP;
		}
	}
	if (constant) {
		snprintf(f->code, sizeof f->code, "no_variation:%s", ycol);
		warn(f->m, f->r, 1, f->code, "the outcome is %g in every row: nothing to explain", f->y[0]);
		return FIT_STOP;
	}
	return FIT_GO;
}

/* A numeric term: no variation; a bool term whose outcome is constant at one value
 * (quasi-separation: the coefficient has no finite estimate). */
static void check_numeric_term(struct fit *f, const struct fm_term *ft)
{
	const struct fm_var *v = &f->st->vars[ft->var];
	enum fm_family fam = f->sp->family;
	double v0 = v->v[f->used[0]];
	int constant = 1;

	for (size_t i = 0; i < f->n && constant; i++)
		constant = v->v[f->used[i]] == v0;
	if (constant) {
		snprintf(f->code, sizeof f->code, "no_variation:%s", v->name);
		warn(f->m, f->r, 0, f->code, "the term is %g in every row (R reports NA for it)", v0);
		return;
	}
	if (!v->is_bool || fam == FAM_LINEAR)
		return;
	for (int lv = 0; lv <= 1; lv++) {
		size_t nl = 0, ev = 0;

		for (size_t i = 0; i < f->n; i++)
			if (v->v[f->used[i]] == lv) {
				nl++;
				ev += f->y[i] > 0;
			}
		if (nl > 0 && (ev == 0 || (fam == FAM_LOGIT && ev == nl))) {
			for (size_t j = 0; j < f->p; j++)
				if ((lv == 0 && j == 0) || (f->md.cols[j].nf == 1 && f->md.cols[j].var[0] == ft->var))
					f->blank[j] = 1;
			snprintf(f->code, sizeof f->code, "quasi_separation:%s:%d", v->name, lv);
			warn(f->m, f->r, 0, f->code, "the outcome is %s in each of the %zu rows with %s = %d: its coefficient has no finite estimate (R stays silent)",
			     ev ? "1" : "0", nl, v->name, lv);
		}
	}
}

/* Level C of a categorical term (position K in output order) is empty, or the outcome is
 * constant in it. */
static void check_level(struct fit *f, const struct fm_term *ft, size_t k, size_t c, size_t cnt, size_t ev)
{
	const struct fm_var *v = &f->st->vars[ft->var];
	enum fm_family fam = f->sp->family;
	int is_ref = (int)c == ft->ref || (ft->ref < 0 && k == 0);

	if (cnt == 0) {
		snprintf(f->code, sizeof f->code, "empty_level:%s:%s", v->name, v->levels[c]);
		warn(f->m, f->r, 0, f->code, "no row has %s = %s", v->name, v->levels[c]);
		return;
	}
	if (fam == FAM_LINEAR || !(ev == 0 || (fam == FAM_LOGIT && ev == cnt)))
		return;
	for (size_t j = 0; j < f->p; j++)
		if ((is_ref && j == 0) ||
		    (f->md.cols[j].nf == 1 && f->md.cols[j].var[0] == ft->var && (is_ref || f->md.cols[j].code[0] == (int)c)))
			f->blank[j] = 1;
	snprintf(f->code, sizeof f->code, "quasi_separation:%s:%s", v->name, v->levels[c]);
	warn(f->m, f->r, 0, f->code, "the outcome is %s in each of the %zu rows with %s = %s: %s has no finite estimate (R stays silent)",
	     ev ? (fam == FAM_LOGIT ? "1" : "> 0") : "0", cnt, v->name, v->levels[c],
	     is_ref ? "the intercept or a level coefficient" : "its coefficient");
}

static void check_categorical_term(struct fit *f, const struct fm_term *ft)
{
	const struct fm_var *v = &f->st->vars[ft->var];
	size_t *cnt = xcalloc(v->n_levels + 1, sizeof *cnt), *ev = xcalloc(v->n_levels + 1, sizeof *ev);
	size_t present = 0;

	for (size_t i = 0; i < f->n; i++) {
		size_t c = (size_t)v->v[f->used[i]];

		cnt[c]++;
		ev[c] += f->y[i] > 0;
	}
	for (size_t c = 0; c < v->n_levels; c++)
		present += cnt[c] > 0;
	if (present <= 1) {
		snprintf(f->code, sizeof f->code, "no_variation:%s", v->name);
		warn(f->m, f->r, 0, f->code, "only one level of %s occurs in the rows used", v->name);
	} else {
		int *order = level_order(v);

		for (size_t k = 0; k < v->n_levels; k++)
			check_level(f, ft, k, (size_t)order[k], cnt[order[k]], ev[order[k]]);
		free(order);
	}
	free(cnt);
	free(ev);
}

/* Phase 2b: the terms: no variation, empty levels, separation within a level. */
static int check_terms(struct fit *f)
{
	for (size_t t = 0; t < f->sp->n_terms; t++) {
		const struct fm_term *ft = &f->m->terms[t];

		if (ft->var < 0)
			continue;
		if (ft->categorical)
			check_categorical_term(f, ft);
		else
			check_numeric_term(f, ft);
	}
	return FIT_GO;
}

/* After a logit/count fit: separation (a combination of terms predicts the outcome). */
static void check_separation(struct fit *f)
{
	struct glm_fit *g = &f->r->g;
	double big = 0;
	int sep;

	/* a converged fit whose last step was tiny is not running off to infinity: skip the
	 * certificate's pass over the rows */
	for (size_t j = 0; j < f->p; j++)
		if (!g->aliased[j])
			big = fmax(big, fabs(g->step[j]) / (1 + fabs(g->beta[j])));
	sep = g->converged && big < 1e-6 ? 0 : glm_separation(&f->gd, g, f->involved);
	for (size_t j = 0; j < f->p && sep; j++) {
		if (!f->involved[j])
			continue;
		if (sep == 2) {
			snprintf(f->code, sizeof f->code, "complete_separation:%s", f->md.cols[j].name);
			warn(f->m, f->r, 1, f->code, "a combination of the terms predicts the outcome exactly: no estimates");
			continue;
		}
		f->blank[j] = 1;
		if (f->r->warnings && strstr(f->r->warnings, "quasi_separation:") && strstr(f->r->warnings, f->md.cols[j].name))
			continue;
		snprintf(f->code, sizeof f->code, "quasi_separation:%s", f->md.cols[j].name);
		warn(f->m, f->r, 0, f->code, "the estimate runs off to infinity along a separating direction: left missing");
	}
	if (!g->converged && sep == 0) {
		snprintf(f->code, sizeof f->code, "not_converged:%d", g->iter);
		warn(f->m, f->r, 1, f->code, "no convergence after %d iterations (--max-iter, --epsilon)", g->iter);
	}
}

/* The fit's own diagnostics after separation: negbin's theta, lonely strata, few events. */
static void check_fit_notes(struct fit *f)
{
	const struct glm_fit *g = &f->r->g;
	enum fm_family fam = f->sp->family;

	if (fam == FAM_NEGBIN && g->theta_warn)
		warn(f->m, f->r, 0, "theta_not_converged", "theta.ml or the theta/beta alternation hit its limit (--theta-max-iter, --max-iter)");
	if (f->sp->variance == VAR_DESIGN && g->singleton_strata) {
		snprintf(f->code, sizeof f->code, "singleton_strata:%d", g->singleton_strata);
		warn(f->m, f->r, 0, f->code, "%d strata of the rows have one person in the design's sample: they add nothing to the variance (survey.lonely.psu = \"certainty\")", g->singleton_strata);
	}
	if (fam == FAM_LOGIT && f->o->min_events > 0 && g->rank > 1) {
		double ev = 0, minority, per;

		for (size_t i = 0; i < f->n; i++)
			ev += f->y[i];
		minority = fmin(ev, (double)f->n - ev);
		per = minority / (double)(g->rank - 1);
		if (per < f->o->min_events) {
			snprintf(f->code, sizeof f->code, "few_events:%.1f", per);
			warn(f->m, f->r, 0, f->code, "%.0f rows in the smaller outcome group for %zu coefficients: %.1f per coefficient (--min-events %g)",
			     minority, g->rank - 1, per, f->o->min_events);
		}
	}
}

/* Phase 3, fit: IRLS (glm.c) and what the fit itself shows. */
static int fit_glm(struct fit *f)
{
	struct glm_fit *g = &f->r->g;

	glm_fit(&f->gd, f->sp->family, f->sp->variance, &f->o->glm, g);
	f->r->have_fit = 1;
	if (g->failed) {
		warn(f->m, f->r, 1, "fit_failed", "%s", g->message);
		return FIT_STOP;
	}
	for (size_t j = 0; j < f->p; j++)
		if (g->aliased[j]) {
			snprintf(f->code, sizeof f->code, "aliased:%s", f->md.cols[j].name);
			warn(f->m, f->r, 0, f->code, "collinear with earlier columns: dropped (R reports NA)");
		}
	if (f->sp->family != FAM_LINEAR) {
		check_separation(f);
	} else if (!g->converged) {
		snprintf(f->code, sizeof f->code, "not_converged:%d", g->iter);
		warn(f->m, f->r, 1, f->code, "no convergence after %d iterations (--max-iter, --epsilon)", g->iter);
	}
	check_fit_notes(f);
	return FIT_GO;
}

static int use_t(const struct fit *f)
{
	return f->sp->family == FAM_LINEAR || f->sp->variance == VAR_DESIGN;
}

/* Phase 4, collect: one coefficient row per design column, with its test and interval. */
static void collect_coefficients(struct fit *f)
{
	struct fm_result *r = f->r;
	int failed = r->status == ST_FAILED;
	double df = r->have_fit ? r->g.df_residual : NAN;

	r->coef = xcalloc(f->p + f->sp->n_contrasts, sizeof *r->coef);
	for (size_t j = 0; j < f->p; j++) {
		struct fm_coef *c = &r->coef[r->n_coef++];

		c->term = f->md.cols[j].name;
		c->estimate = c->se = c->ame = c->ame_se = NAN;
		if (!failed && r->have_fit) {
			c->aliased = r->g.aliased[j];
			if (!c->aliased && !f->blank[j]) {
				c->estimate = r->g.beta[j];
				c->se = sqrt(r->g.cov[j * f->p + j]);
			}
		}
		inference(c, f->sp->family, use_t(f), df);
	}
}

/* Phase 5, marginal effects: of every main-effect column with an estimate, in one pass over
 * the rows (none when some estimate was left missing). */
static void marginal_effects(struct fit *f)
{
	struct fm_result *r = f->r;
	size_t *want = xmalloc((f->p + 1) * sizeof *want), na = 0;
	int *refs = xmalloc((f->p + 1) * sizeof *refs), any_blank = 0;

	for (size_t j = 0; j < f->p; j++) {
		const struct dcol *dc = &f->md.cols[j];

		any_blank |= f->blank[j];
		if (isfinite(r->coef[j].estimate) && dc->nf == 1 && f->sp->terms[dc->term].n_parts == 0) {
			const struct fm_term *ft = &f->m->terms[dc->term];
			int ref = -1;

			if (ft->categorical) {
				int *order = level_order(&f->st->vars[ft->var]);

				ref = ft->ref >= 0 ? ft->ref : order[0];
				free(order);
			}
			want[na] = j;
			refs[na++] = ref;
		}
	}
	if (na > 0 && !any_blank) {
		double *ames = xmalloc(na * sizeof *ames), *grads = xmalloc(na * f->p * sizeof *grads);

		ame_all(&f->md, &f->gd, &r->g, want, refs, na, ames, grads);
		for (size_t a = 0; a < na; a++) {
			r->coef[want[a]].ame = ames[a];
			r->coef[want[a]].ame_se = sqrt(quad(&r->g, grads + a * f->p));
		}
		free(ames);
		free(grads);
	}
	free(want);
	free(refs);
}

/* The contrast's weights over the design columns in l; 0 when it names a coefficient the
 * model does not have (warned). */
static int contrast_weights(struct fit *f, const struct spec_contrast *sc, double *l)
{
	int known = 1;

	memset(l, 0, f->p * sizeof *l);
	for (size_t q = 0; q < sc->n; q++) {
		size_t j;

		for (j = 0; j < f->p && strcmp(f->md.cols[j].name, sc->term[q]); j++)
			;
		if (j == f->p) {
			known = 0;
			snprintf(f->code, sizeof f->code, "contrast_unknown_term:%s:%s", sc->name, sc->term[q]);
			warn(f->m, f->r, 0, f->code, "the contrast names a coefficient the model does not have");
			continue;
		}
		l[j] += sc->coef[q];
	}
	return known;
}

/* Phase 4b, collect: one row per contrast. */
static void collect_contrasts(struct fit *f)
{
	struct fm_result *r = f->r;
	double *l = xcalloc(f->p, sizeof *l), df = r->have_fit ? r->g.df_residual : NAN;
	int failed = r->status == ST_FAILED;

	for (size_t k = 0; k < f->sp->n_contrasts; k++) {
		const struct spec_contrast *sc = &f->sp->contrasts[k];
		struct fm_coef *c = &r->coef[r->n_coef++];
		char name[300];
		int est = 1;

		snprintf(name, sizeof name, "contrast:%s", sc->name);
		c->term = xstrdup(name);
		c->estimate = c->se = c->ame = c->ame_se = NAN;
		if (contrast_weights(f, sc, l) && !failed && r->have_fit) {
			double e = 0;

			for (size_t j = 0; j < f->p; j++)
				if (l[j] != 0 && (r->g.aliased[j] || f->blank[j]))
					est = 0;
				else if (l[j] != 0)
					e += l[j] * r->g.beta[j];
			if (!est) {
				c->aliased = 1;
				snprintf(f->code, sizeof f->code, "contrast_not_estimable:%s", sc->name);
				warn(f->m, r, 0, f->code, "it involves an aliased or separated coefficient");
			} else {
				c->estimate = e;
				c->se = sqrt(quad(&r->g, l));
			}
		}
		inference(c, f->sp->family, use_t(f), df);
		if (f->sp->family == FAM_LINEAR && isfinite(c->estimate)) {
			int simple = 1;    /* AME = estimate when the contrast's columns are plain numeric main effects */

			for (size_t j = 0; j < f->p; j++)
				if (l[j] != 0 && (f->md.cols[j].nf != 1 || f->md.cols[j].term < 0))
					simple = 0;
			if (simple) {
				c->ame = c->estimate;
				c->ame_se = c->se;
			}
		}
	}
	free(l);
}

static void fit_release(struct fit *f)
{
	free(f->blank);
	free(f->involved);
	free(f->used);
	free(f->y);
	free(f->w);
	free(f->strata);
	free(f->slot);
	free(f->design_w);
	free(f->cal_w);
	for (size_t j = 0; j < f->p; j++)
		if (f->md.cols[j].name != f->r->coef[j].term)
			free(f->md.cols[j].name);
	free(f->md.cols);
}

void fm_fit_model(struct fm_model *m, struct fm_store *st, const struct fm_options *o, struct fm_result *r)
{
	struct fit f = { .m = m, .st = st, .o = o, .r = r, .sp = m->spec,
			 .md = { .st = st, .m = m, .ovar = -1 } };

	memset(r, 0, sizeof *r);
	r->n_population = m->n_rows;
	r->weighted_n = NAN;
	if (select_rows(&f) == FIT_GO && check_rows(&f) == FIT_GO && check_terms(&f) == FIT_GO)
		fit_glm(&f);
	collect_coefficients(&f);
	marginal_effects(&f);
	collect_contrasts(&f);
	fit_release(&f);
}
