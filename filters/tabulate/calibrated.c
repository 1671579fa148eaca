/* calibrated.c - survey figures on calibrated weights (tabulate --calibrated SPEC).
 *
 * With the calibration spec calibrate-weights ran with, a weighted panel takes the
 * calibrated weight of the respondent set its respondents lie in (calspec_set_for on the
 * panel's condition: the set whose every atom the condition requires as COL == 1, the most
 * specific when several), and its figures become what R's survey computes after calibrate:
 *     d <- calibrate(svydesign(ids=~1, strata=~stratum, weights=~design_weight, data=SET), ...)
 *     svymean(~y, subset(d, cell))
 * The ratio R = sum w y / sum w over the cell; its variance by the delta method from the
 * two domain totals (w y, w), whose variance svyvar.h computes from the calibration
 * regression's residuals over every person of the set (the set is the calibrated design's
 * sample). Each used set keeps one svy_design; each cell one svy_domain (tacc.dom): memory
 * grows with strata, patterns and cells, never with persons.
 */
#include "tabulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calspec.h"
#include "cond.h"
#include "diag.h"
#include "svyvar.h"

struct tcal {
	struct calspec *spec;
	struct svy_design **svy;    /* per set; NULL when no panel uses it */
	int *f_weight;              /* per set: its weight column in the section */
	int f_design, f_tag;        /* the design weight, the method tag */
	int *f_vars;                /* the margins' variables */
	const char **vals;
	int check_tag;              /* the first record of a section: check the tag */
	long *slot;                 /* the current person: slot in each set's design, -1 none */
	double *w, d;               /* its calibrated weights, its design weight */
};

struct tcal *tcal_load(const char *path, char *err, size_t errsz)
{
	const struct schema *in, *out;
	const char **cols = NULL;
	size_t ncols = 0;
	char msg[600];
	struct tcal *c;
	struct calspec *spec;

	if (calspec_schemas(&in, &out, &cols, &ncols, msg, sizeof msg) < 0)
		return snprintf(err, errsz, "--calibrated: %s", msg), NULL;
	spec = calspec_load(path, in, cols, ncols, msg, sizeof msg);
	free(cols);
	if (!spec)
		return snprintf(err, errsz, "--calibrated: %s", msg), NULL;
	c = xcalloc(1, sizeof *c);
	c->spec = spec;
	c->svy = xcalloc(spec->nsets, sizeof *c->svy);
	c->f_weight = xcalloc(spec->nsets, sizeof *c->f_weight);
	c->slot = xcalloc(spec->nsets, sizeof *c->slot);
	c->w = xcalloc(spec->nsets, sizeof *c->w);
	c->f_vars = xcalloc(spec->nvars ? spec->nvars : 1, sizeof *c->f_vars);
	c->vals = xcalloc(spec->nvars ? spec->nvars : 1, sizeof *c->vals);
	return c;
}

/* The design of set k, made on first use. */
static struct svy_design *set_design(struct tcal *c, int k)
{
	const struct calspec *s = c->spec;

	if (!c->svy[k]) {
		const size_t **mv = xcalloc(s->nmargins ? s->nmargins : 1, sizeof *mv);
		size_t *mn = xcalloc(s->nmargins ? s->nmargins : 1, sizeof *mn);

		for (size_t m = 0; m < s->nmargins; m++) {
			mv[m] = s->margins[m].vars;
			mn[m] = s->margins[m].nvars;
		}
		c->svy[k] = svy_design_new(s->nvars, s->nmargins, (const size_t *const *)mv, mn);
		free(mv);
		free(mn);
	}
	return c->svy[k];
}

static int set_for(struct tcal *c, const struct tspec *s, const struct ttable *t, const struct tpanel *p,
		   char *err, size_t errsz)
{
	char msg[600];
	struct cond *tree = cond_parse(p->cond_src, s->names, NULL, msg, sizeof msg);
	int k = tree ? calspec_set_for(c->spec, tree, msg, sizeof msg) : -1;

	cond_free(tree);
	if (k < 0)
		return snprintf(err, errsz, "%s:%ld: table %s, panel %s %s: --calibrated: %s", s->path, t->line,
				t->id, p->period, p->population, msg), -1;
	set_design(c, k);
	return k;
}

int tcal_assign(struct tcal *c, struct tspec *s, char *err, size_t errsz)
{
	for (size_t i = 0; i < s->ntables; i++) {
		struct ttable *t = &s->tables[i];

		for (size_t k = 0; k < t->npanels; k++) {
			t->panels[k].cal_set = -1;
			if (t->selected && t->kind == KIND_PEOPLE && t->weighted &&
			    (t->panels[k].cal_set = set_for(c, s, t, &t->panels[k], err, errsz)) < 0)
				return -1;
		}
	}
	return 0;
}

const char *tcal_column(const struct tcal *c, int set)
{
	return c->spec->sets[set].column;
}

int tcal_section(struct tcal *c, struct rec_reader *r)
{
	const struct calspec *s = c->spec;

	if ((c->f_tag = rec_reader_require(r, CALSPEC_METHOD_COLUMN)) < 0 ||
	    (c->f_design = rec_reader_require(r, s->weight)) < 0)
		return -1;
	for (size_t k = 0; k < s->nsets; k++)
		if (c->svy[k] && (c->f_weight[k] = rec_reader_require(r, s->sets[k].column)) < 0)
			return -1;
	for (size_t v = 0; v < s->nvars; v++)
		if ((c->f_vars[v] = rec_reader_require(r, s->vars[v].name)) < 0)
			return -1;
	c->check_tag = 1;
	return 0;
}

/* Were the weights calibrated on the spec's margins? (The residuals of the variance are
 * those margins'.) */
static int check_tag(struct tcal *c, struct rec_reader *r)
{
	char err[1024];

	c->check_tag = 0;
	if (calspec_check_tag(c->spec, rec_get_text(r, c->f_tag), err, sizeof err) < 0)
		return rec_reader_fail(r, c->f_tag, "%s", err);
	return 0;
}

int tcal_record(struct tcal *c, struct rec_reader *r, size_t stratum)
{
	const struct calspec *s = c->spec;
	long pattern;
	int vals_read = 0;

	if (c->check_tag && check_tag(c, r) < 0)
		return -1;
	for (size_t k = 0; k < s->nsets; k++) {
		c->slot[k] = -1;
		if (!c->svy[k] || rec_reader_field_len(r, (size_t)c->f_weight[k]) == 0)
			continue;
		c->w[k] = rec_get_num(r, c->f_weight[k]);
		c->d = rec_get_num(r, c->f_design);
		if (rec_reader_bad(r))
			return -1;
		if (!(c->w[k] > 0) || !isfinite(c->w[k]))
			return rec_reader_fail(r, c->f_weight[k], "not a positive weight: %s",
					       rec_reader_field(r, (size_t)c->f_weight[k]));
		if (!(c->d > 0) || !isfinite(c->d))
			return rec_reader_fail(r, c->f_design, "%s for a person of set %s: %s",
					       isnan(c->d) ? "missing" : "not a positive weight", s->sets[k].column,
					       rec_reader_field(r, (size_t)c->f_design));
		if (!vals_read) {
			for (size_t v = 0; v < s->nvars; v++)
				c->vals[v] = rec_get_text(r, c->f_vars[v]);
			vals_read = 1;
		}
		pattern = svy_design_pattern(c->svy[k], c->vals);    /* each design has its own */
		c->slot[k] = svy_design_add(c->svy[k], stratum, pattern, c->d, c->w[k]);
	}
	return 0;
}

int tcal_has(const struct tcal *c, int set)
{
	return c->slot[set] >= 0;
}

void tcal_add(struct tcal *c, int set, struct tacc *a, double y)
{
	double u[2] = { c->w[set] * y, c->w[set] };

	if (!a->dom)
		a->dom = svy_domain_new(c->svy[set], 2);
	a->csw += c->w[set];
	a->cswy += c->w[set] * y;
	svy_domain_add(a->dom, c->slot[set], c->d, c->w[set], u);
}

int tcal_finish(struct tcal *c, char *err, size_t errsz)
{
	for (size_t k = 0; k < c->spec->nsets; k++)
		if (c->svy[k] && svy_design_finish(c->svy[k], err, errsz) < 0)
			return -1;
	return 0;
}

int tcal_estimate(const struct tacc *a, double *est, double *se, char *err, size_t errsz)
{
	double V[4], r, v;

	*est = *se = NAN;
	if (!a->dom || !(a->csw > 0))
		return 0;
	if (svy_domain_variance(a->dom, V, err, errsz) < 0)
		return -1;
	r = a->cswy / a->csw;
	v = (V[0] - 2 * r * V[1] + r * r * V[3]) / (a->csw * a->csw);
	*est = r;
	*se = sqrt(v > 0 ? v : 0);
	return 0;
}
