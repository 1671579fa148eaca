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

static const struct fm_var *sort_var;
static int cmp_levels(const void *a, const void *b)
{
	const char *x = sort_var->levels[*(const int *)a], *y = sort_var->levels[*(const int *)b];
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
		sort_var = v;
		if (all_num)
			qsort(order, v->n_levels, sizeof *order, cmp_levels);
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

/* ---- the model ---- */

void fm_fit_model(struct fm_model *m, struct fm_store *st, const struct fm_options *o, struct fm_result *r)
{
	const struct spec_model *sp = m->spec;
	struct mdesign md = { .st = st, .m = m, .ovar = -1 };
	struct glm_design gd = { 0 };
	uint32_t *used;
	double *y, *w = NULL, sumw = 0;
	int *strata = NULL;
	size_t n = 0, dropped = 0, nonpos = 0, p;
	char code[600];
	int *blank, *involved;
	enum fm_family fam = sp->family;
	const char *ycol = sp->outcome;

	memset(r, 0, sizeof *r);
	r->n_population = m->n_rows;
	r->weighted_n = NAN;
	/* reference levels by name (a text column's levels are known only now) */
	int ref_missing = 0;
	for (size_t t = 0; t < sp->n_terms; t++) {
		struct fm_term *ft = &m->terms[t];
		const struct fm_var *v;
		ft->ref = -1;
		if (ft->var < 0 || !ft->categorical || !sp->terms[t].ref)
			continue;
		v = &st->vars[ft->var];
		for (size_t c = 0; c < v->n_levels; c++)
			if (!strcmp(v->levels[c], sp->terms[t].ref))
				ft->ref = (int)c;
		if (ft->ref < 0)
			ref_missing = 1;
	}
	build_columns(m, st, &md.cols, &md.p);
	p = md.p;
	blank = xcalloc(p, sizeof *blank);
	involved = xcalloc(p, sizeof *involved);

	/* complete cases */
	used = xmalloc((m->n_rows + 1) * sizeof *used);
	y = xmalloc((m->n_rows + 1) * sizeof *y);
	if (sp->weighted)
		w = xmalloc((m->n_rows + 1) * sizeof *w);
	if (m->strata >= 0)
		strata = xmalloc((m->n_rows + 1) * sizeof *strata);
	for (size_t k = 0; k < m->n_rows; k++) {
		uint32_t row = m->rows[k];
		int ok = !isnan(st->vars[m->outcome].v[row]);
		for (size_t t = 0; t < sp->n_terms && ok; t++)
			if (m->terms[t].var >= 0)
				ok = !isnan(st->vars[m->terms[t].var].v[row]);
		if (ok && m->weight >= 0)
			ok = !isnan(st->vars[m->weight].v[row]);
		if (ok && m->strata >= 0)
			ok = !isnan(st->vars[m->strata].v[row]);
		if (!ok) {
			dropped++;
			continue;
		}
		if (m->weight >= 0 && !(st->vars[m->weight].v[row] > 0)) {
			nonpos++;
			continue;
		}
		used[n] = row;
		y[n] = st->vars[m->outcome].v[row];
		if (w) {
			w[n] = st->vars[m->weight].v[row];
			sumw += w[n];
		}
		if (strata)
			strata[n] = (int)st->vars[m->strata].v[row];
		n++;
	}
	r->n = n;
	r->weighted_n = w ? sumw : (double)n;
	if (w)
		for (size_t i = 0; i < n; i++)
			w[i] *= (double)n / sumw;      /* to mean 1, as svyglm does */
	md.rows = used;
	gd = (struct glm_design){ .n = n, .p = p, .row = row_cb, .ctx = &md, .y = y, .w = w,
	                          .stratum = strata, .n_strata = m->strata >= 0 ? st->vars[m->strata].n_levels : 0 };

	if (dropped) {
		snprintf(code, sizeof code, "dropped_incomplete:%zu", dropped);
		note(r, code);
	}
	if (nonpos) {
		snprintf(code, sizeof code, "dropped_nonpositive_weight:%zu", nonpos);
		warn(m, r, 0, code, "%zu rows with a weight that is not positive were left out", nonpos);
	}
	if (ref_missing) {
		for (size_t t = 0; t < sp->n_terms; t++)
			if (m->terms[t].var >= 0 && m->terms[t].categorical && sp->terms[t].ref && m->terms[t].ref < 0) {
				snprintf(code, sizeof code, "reference_level_absent:%s:%s", sp->terms[t].column, sp->terms[t].ref);
				warn(m, r, 1, code, "the reference level never occurs in the stream");
			}
		goto coefs;
	}
	if (m->n_rows == 0) {
		warn(m, r, 1, "empty_population", "no row of the stream is in the population '%s'", sp->population);
		goto coefs;
	}
	if (n == 0) {
		snprintf(code, sizeof code, "no_complete_rows:%zu", m->n_rows);
		warn(m, r, 1, code, "every one of the %zu rows of the population misses the outcome, a term, the weight or the stratum", m->n_rows);
		goto coefs;
	}
	if ((long)n < o->min_rows) {
		snprintf(code, sizeof code, "tiny_population:%zu", n);
		warn(m, r, 0, code, "only %zu rows (--min-rows %ld)", n, o->min_rows);
	}

	/* the outcome */
	{
		double y0 = y[0];
		int constant = 1;
		for (size_t i = 0; i < n; i++) {
			if (y[i] != y0)
				constant = 0;
			if (fam == FAM_LOGIT && y[i] != 0 && y[i] != 1) {
				snprintf(code, sizeof code, "outcome_not_binary:%s", ycol);
				warn(m, r, 1, code, "a logit outcome must be 0 or 1, found %g", y[i]);
				goto coefs;
			}
			if ((fam == FAM_POISSON || fam == FAM_NEGBIN) && (y[i] < 0 || y[i] != floor(y[i]))) {
				snprintf(code, sizeof code, "outcome_not_count:%s", ycol);
				warn(m, r, 1, code, "a count outcome must be a whole number >= 0, found %g", y[i]);
				goto coefs;
			}
		}
		if (constant) {
			snprintf(code, sizeof code, "no_variation:%s", ycol);
			warn(m, r, 1, code, "the outcome is %g in every row: nothing to explain", y0);
			goto coefs;
		}
	}

	/* terms: no variation, empty levels, separation within a level */
	for (size_t t = 0; t < sp->n_terms; t++) {
		const struct fm_term *ft = &m->terms[t];
		if (ft->var < 0)
			continue;
		const struct fm_var *v = &st->vars[ft->var];
		if (!ft->categorical) {
			double v0 = v->v[used[0]];
			int constant = 1;
			for (size_t i = 0; i < n && constant; i++)
				constant = v->v[used[i]] == v0;
			if (constant) {
				snprintf(code, sizeof code, "no_variation:%s", v->name);
				warn(m, r, 0, code, "the term is %g in every row (R reports NA for it)", v0);
				continue;
			}
			if (v->is_bool && fam != FAM_LINEAR) {
				for (int lv = 0; lv <= 1; lv++) {
					size_t nl = 0, ev = 0;
					for (size_t i = 0; i < n; i++)
						if (v->v[used[i]] == lv) {
							nl++;
							ev += y[i] > 0;
						}
					if (nl > 0 && (ev == 0 || (fam == FAM_LOGIT && ev == nl))) {
						for (size_t j = 0; j < p; j++)
							if ((lv == 0 && j == 0) || (md.cols[j].nf == 1 && md.cols[j].var[0] == ft->var))
								blank[j] = 1;
						snprintf(code, sizeof code, "quasi_separation:%s:%d", v->name, lv);
						warn(m, r, 0, code, "the outcome is %s in each of the %zu rows with %s = %d: its coefficient has no finite estimate (R stays silent)",
						     ev ? "1" : "0", nl, v->name, lv);
					}
				}
			}
			continue;
		}
		size_t *cnt = xcalloc(v->n_levels + 1, sizeof *cnt), *ev = xcalloc(v->n_levels + 1, sizeof *ev);
		size_t present = 0;
		for (size_t i = 0; i < n; i++) {
			size_t c = (size_t)v->v[used[i]];
			cnt[c]++;
			ev[c] += y[i] > 0;
		}
		for (size_t c = 0; c < v->n_levels; c++)
			present += cnt[c] > 0;
		if (present <= 1) {
			snprintf(code, sizeof code, "no_variation:%s", v->name);
			warn(m, r, 0, code, "only one level of %s occurs in the rows used", v->name);
		} else {
			int *order = level_order(v);
			for (size_t k = 0; k < v->n_levels; k++) {
				size_t c = (size_t)order[k];
				if (cnt[c] == 0) {
					snprintf(code, sizeof code, "empty_level:%s:%s", v->name, v->levels[c]);
					warn(m, r, 0, code, "no row has %s = %s", v->name, v->levels[c]);
				} else if (fam != FAM_LINEAR && (ev[c] == 0 || (fam == FAM_LOGIT && ev[c] == cnt[c]))) {
					int is_ref = (int)c == ft->ref || (ft->ref < 0 && k == 0);
					for (size_t j = 0; j < p; j++)
						if ((is_ref && j == 0) ||
						    (md.cols[j].nf == 1 && md.cols[j].var[0] == ft->var && (is_ref || md.cols[j].code[0] == (int)c)))
							blank[j] = 1;
					snprintf(code, sizeof code, "quasi_separation:%s:%s", v->name, v->levels[c]);
					warn(m, r, 0, code, "the outcome is %s in each of the %zu rows with %s = %s: %s has no finite estimate (R stays silent)",
					     ev[c] ? (fam == FAM_LOGIT ? "1" : "> 0") : "0", cnt[c], v->name, v->levels[c],
					     (int)c == ft->ref || (ft->ref < 0 && k == 0) ? "the intercept or a level coefficient" : "its coefficient");
				}
			}
			free(order);
		}
		free(cnt);
		free(ev);
	}

	/* the fit */
	glm_fit(&gd, fam, sp->variance, &o->glm, &r->g);
	r->have_fit = 1;
	if (r->g.failed) {
		warn(m, r, 1, "fit_failed", "%s", r->g.message);
		goto coefs;
	}
	for (size_t j = 0; j < p; j++)
		if (r->g.aliased[j]) {
			snprintf(code, sizeof code, "aliased:%s", md.cols[j].name);
			warn(m, r, 0, code, "collinear with earlier columns: dropped (R reports NA)");
		}
	if (fam != FAM_LINEAR) {
		/* a converged fit whose last step was tiny is not running off to infinity: skip
		 * the certificate's pass over the rows */
		double big = 0;
		for (size_t j = 0; j < p; j++)
			if (!r->g.aliased[j])
				big = fmax(big, fabs(r->g.step[j]) / (1 + fabs(r->g.beta[j])));
		int sep = r->g.converged && big < 1e-6 ? 0 : glm_separation(&gd, &r->g, involved);
		if (sep == 2) {
			for (size_t j = 0; j < p; j++)
				if (involved[j]) {
					snprintf(code, sizeof code, "complete_separation:%s", md.cols[j].name);
					warn(m, r, 1, code, "a combination of the terms predicts the outcome exactly: no estimates");
				}
		} else if (sep == 1) {
			for (size_t j = 0; j < p; j++)
				if (involved[j]) {
					blank[j] = 1;
					if (r->warnings && strstr(r->warnings, "quasi_separation:") &&
					    strstr(r->warnings, md.cols[j].name))
						continue;
					snprintf(code, sizeof code, "quasi_separation:%s", md.cols[j].name);
					warn(m, r, 0, code, "the estimate runs off to infinity along a separating direction: left missing");
				}
		}
		if (!r->g.converged && sep == 0) {
			snprintf(code, sizeof code, "not_converged:%d", r->g.iter);
			warn(m, r, 1, code, "no convergence after %d iterations (--max-iter, --epsilon)", r->g.iter);
		}
	} else if (!r->g.converged) {
		snprintf(code, sizeof code, "not_converged:%d", r->g.iter);
		warn(m, r, 1, code, "no convergence after %d iterations (--max-iter, --epsilon)", r->g.iter);
	}
	if (fam == FAM_NEGBIN && r->g.theta_warn)
		warn(m, r, 0, "theta_not_converged", "theta.ml or the theta/beta alternation hit its limit (--theta-max-iter, --max-iter)");
	if (sp->variance == VAR_DESIGN && r->g.singleton_strata) {
		snprintf(code, sizeof code, "singleton_strata:%d", r->g.singleton_strata);
		warn(m, r, 0, code, "%d strata have one row: they add nothing to the variance (as survey.lonely.psu = \"remove\")", r->g.singleton_strata);
	}
	if (fam == FAM_LOGIT && o->min_events > 0 && r->g.rank > 1) {
		double ev = 0;
		for (size_t i = 0; i < n; i++)
			ev += y[i];
		double minority = fmin(ev, (double)n - ev), per = minority / (double)(r->g.rank - 1);
		if (per < o->min_events) {
			snprintf(code, sizeof code, "few_events:%.1f", per);
			warn(m, r, 0, code, "%.0f rows in the smaller outcome group for %zu coefficients: %.1f per coefficient (--min-events %g)",
			     minority, r->g.rank - 1, per, o->min_events);
		}
	}

coefs:
	{
		int failed = r->status == ST_FAILED;
		int use_t = fam == FAM_LINEAR || sp->variance == VAR_DESIGN;
		double df = r->have_fit ? r->g.df_residual : NAN;
		double *l = xcalloc(p, sizeof *l);
		size_t *want = xmalloc((p + 1) * sizeof *want), na = 0;
		int *refs = xmalloc((p + 1) * sizeof *refs);
		r->coef = xcalloc(p + sp->n_contrasts, sizeof *r->coef);
		for (size_t j = 0; j < p; j++) {
			struct fm_coef *c = &r->coef[r->n_coef++];
			c->term = md.cols[j].name;
			c->estimate = c->se = c->ame = c->ame_se = NAN;
			if (!failed && r->have_fit) {
				c->aliased = r->g.aliased[j];
				if (!c->aliased && !blank[j]) {
					c->estimate = r->g.beta[j];
					c->se = sqrt(r->g.cov[j * p + j]);
				}
			}
			inference(c, fam, use_t, df);
			/* AMEs for main effects: collected, computed in one pass below */
			const struct dcol *dc = &md.cols[j];
			if (isfinite(c->estimate) && dc->nf == 1 && sp->terms[dc->term].n_parts == 0) {
				const struct fm_term *ft = &m->terms[dc->term];
				int ref = -1;
				if (ft->categorical) {
					int *order = level_order(&st->vars[ft->var]);
					ref = ft->ref >= 0 ? ft->ref : order[0];
					free(order);
				}
				want[na] = j;
				refs[na++] = ref;
			}
		}
		int any_blank = 0;
		for (size_t q = 0; q < p; q++)
			any_blank |= blank[q];
		if (na > 0 && !any_blank) {
			double *ames = xmalloc(na * sizeof *ames), *grads = xmalloc(na * p * sizeof *grads);
			ame_all(&md, &gd, &r->g, want, refs, na, ames, grads);
			for (size_t a = 0; a < na; a++) {
				r->coef[want[a]].ame = ames[a];
				r->coef[want[a]].ame_se = sqrt(quad(&r->g, grads + a * p));
			}
			free(ames);
			free(grads);
		}
		for (size_t k = 0; k < sp->n_contrasts; k++) {
			const struct spec_contrast *sc = &sp->contrasts[k];
			struct fm_coef *c = &r->coef[r->n_coef++];
			char name[300];
			int known = 1, est = 1;
			snprintf(name, sizeof name, "contrast:%s", sc->name);
			c->term = xstrdup(name);
			c->estimate = c->se = c->ame = c->ame_se = NAN;
			memset(l, 0, p * sizeof *l);
			for (size_t q = 0; q < sc->n; q++) {
				size_t j;
				for (j = 0; j < p && strcmp(md.cols[j].name, sc->term[q]); j++)
					;
				if (j == p) {
					known = 0;
					snprintf(code, sizeof code, "contrast_unknown_term:%s:%s", sc->name, sc->term[q]);
					warn(m, r, 0, code, "the contrast names a coefficient the model does not have");
					continue;
				}
				l[j] += sc->coef[q];
			}
			if (known && !failed && r->have_fit) {
				double e = 0;
				for (size_t j = 0; j < p; j++)
					if (l[j] != 0 && (r->g.aliased[j] || blank[j]))
						est = 0;
					else if (l[j] != 0)
						e += l[j] * r->g.beta[j];
				if (!est) {
					c->aliased = 1;
					snprintf(code, sizeof code, "contrast_not_estimable:%s", sc->name);
					warn(m, r, 0, code, "it involves an aliased or separated coefficient");
				} else {
					c->estimate = e;
					c->se = sqrt(quad(&r->g, l));
				}
			}
			inference(c, fam, use_t, df);
			if (fam == FAM_LINEAR && isfinite(c->estimate)) {
				int simple = 1;    /* AME = estimate when the contrast's columns are plain numeric main effects */
				for (size_t j = 0; j < p; j++)
					if (l[j] != 0 && (md.cols[j].nf != 1 || md.cols[j].term < 0))
						simple = 0;
				if (simple) {
					c->ame = c->estimate;
					c->ame_se = c->se;
				}
			}
		}
		free(want);
		free(refs);
		free(l);
	}
	free(blank);
	free(involved);
	free(used);
	free(y);
	free(w);
	free(strata);
	for (size_t j = 0; j < p; j++)
		if (md.cols[j].name != r->coef[j].term)
			free(md.cols[j].name);
	free(md.cols);
}
