/* models.c - fit-models' sections and the tables built from them.
 *
 * fig2/fig5 (kind effects): one bar per term, its length the average marginal effect (AME)
 * relative to the largest |AME| among the model's significant terms. AMEs are on the
 * response scale (a change in the probability of support), so bars compare across terms
 * and across the H1 and H2 models, which odds ratios do not. A term is significant when
 * the p of its coefficient is below --alpha; the AME has the coefficient's sign (the link
 * is monotone), so that test is the AME's too.
 *
 * table1 (kind symbols): per benefit and form of support, each outcome model (looking,
 * hours, applications; H1 and H2) says whether the form's effect is significantly positive
 * or negative. The report's legend, made exact:
 *     ++  significantly positive on every outcome (in H1 or H2) and negative on none
 *     +   significantly positive on at least one outcome, not all, negative on none
 *     -   significantly negative on at least one outcome, positive on none
 *     +/- positive on one outcome and negative on another (or H1 against H2): not in the
 *         report's legend; shown rather than hidden
 *     (blank) no significant effect
 * hours_contrast (kind contrasts): the model_coef rows named contrast:NAME.
 */
#include "tabulate.h"

#include "diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct models {
	struct mfit *v;
	size_t n;
	int fit_idx[9];             /* model family outcome weights variance n status warnings spec_hash */
	int coef_idx[10];           /* model term aliased estimate se p ci_low ci_high ame ame_se */
};

static const char *const fit_fields[] = { "model", "family", "outcome", "weights", "variance", "n",
					  "status", "warnings", "spec_hash" };
static const char *const coef_fields[] = { "model", "term", "aliased", "estimate", "se", "p",
					   "ci_low", "ci_high", "ame", "ame_se" };

struct models *models_new(void)
{
	return xcalloc(1, sizeof(struct models));
}

static struct mfit *get(struct models *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
	memset(&m->v[m->n], 0, sizeof m->v[m->n]);
	m->v[m->n].name = xstrdup(name);
	m->v[m->n].n = -1;          /* no model_fit row yet */
	return &m->v[m->n++];
}

const struct mfit *models_find(const struct models *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	return NULL;
}

static int lookup(struct rec_reader *r, const char *const *names, int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((idx[i] = rec_reader_require(r, names[i])) < 0)
			return -1;
	return 0;
}

int models_fit_section(struct models *m, struct rec_reader *r)
{
	return lookup(r, fit_fields, m->fit_idx, 9);
}

int models_coef_section(struct models *m, struct rec_reader *r)
{
	return lookup(r, coef_fields, m->coef_idx, 10);
}

/* Text fields through the typed getter: checked against the schema like every value. */
static char *text(struct rec_reader *r, int i)
{
	return xstrdup(rec_get_text(r, i));
}

int models_fit_record(struct models *m, struct rec_reader *r)
{
	struct mfit *f = get(m, rec_get_text(r, m->fit_idx[0]));
	long n;

	if (f->n >= 0)
		return rec_reader_fail(r, m->fit_idx[0], "%s: a second model_fit row", f->name);
	f->family = text(r, m->fit_idx[1]);
	f->outcome = text(r, m->fit_idx[2]);
	f->weights = text(r, m->fit_idx[3]);
	f->variance = text(r, m->fit_idx[4]);
	n = rec_get_int(r, m->fit_idx[5]);
	if (n == REC_INT_NONE && !rec_reader_bad(r))
		return rec_reader_fail(r, m->fit_idx[5], "missing");
	f->n = n;
	f->status = text(r, m->fit_idx[6]);
	f->warnings = text(r, m->fit_idx[7]);
	f->spec_hash = text(r, m->fit_idx[8]);
	return rec_reader_bad(r) ? -1 : 0;
}

int models_coef_record(struct models *m, struct rec_reader *r)
{
	struct mfit *f = get(m, rec_get_text(r, m->coef_idx[0]));
	struct mcoef *c;

	if (f->ncoefs == f->capcoefs) {
		f->capcoefs = f->capcoefs ? 2 * f->capcoefs : 16;
		f->coefs = xrealloc(f->coefs, f->capcoefs * sizeof *f->coefs);
	}
	c = &f->coefs[f->ncoefs++];
	c->term = text(r, m->coef_idx[1]);
	c->aliased = rec_get_bool(r, m->coef_idx[2]) == 1;
	c->estimate = rec_get_num(r, m->coef_idx[3]);
	c->se = rec_get_num(r, m->coef_idx[4]);
	c->p = rec_get_num(r, m->coef_idx[5]);
	c->ci_low = rec_get_num(r, m->coef_idx[6]);
	c->ci_high = rec_get_num(r, m->coef_idx[7]);
	c->ame = rec_get_num(r, m->coef_idx[8]);
	c->ame_se = rec_get_num(r, m->coef_idx[9]);
	return rec_reader_bad(r) ? -1 : 0;
}

const char *model_term_row(const char *term, const char *period)
{
	size_t n = strlen(period);

	if (strncmp(term, period, n) == 0 && term[n] == '_' && term[n + 1])
		return term + n + 1;
	return term;
}

static int significant(const struct mcoef *c, double alpha)
{
	return !c->aliased && isfinite(c->p) && c->p < alpha && isfinite(c->estimate);
}

static const char *sign_of(double v)
{
	return v > 0 ? "+" : v < 0 ? "-" : "";
}

static struct tcell *model_cell(struct tcells *out, const struct ttable *t, int mi, const struct tmodel *tm,
				const struct mfit *f, const char *row, const char *measure, const struct topts *o)
{
	struct tcell *c = cells_add(out);

	c->table = t;
	c->benefit = tm->benefit;
	c->period = tm->period;
	c->population = tm->population;
	c->row = row;
	c->measure = measure;
	c->n = c->count = c->panel_n = f->n;
	c->weighted = strcmp(f->weights, "design") == 0;
	c->method = f->spec_hash;
	c->panel = mi;
	c->link = -1;
	c->est = c->lo = c->hi = NAN;
	c->suppressed = f->n < o->min_n;
	c->fit = f;
	c->set_n = c->set_k = c->set_panel = -1;
	return c;
}

static int usable(const struct mfit *f)
{
	return strcmp(f->status, "failed") != 0;
}

static void effects(const struct ttable *t, const struct mfit *const *fits, const struct topts *o, struct tcells *out)
{
	for (size_t mi = 0; mi < t->nmodels; mi++) {
		const struct tmodel *tm = &t->models[mi];
		const struct mfit *f = fits[mi];
		double max = 0;

		for (size_t i = 0; i < f->ncoefs; i++) {
			const struct mcoef *k = &f->coefs[i];

			if (usable(f) && significant(k, o->alpha) && isfinite(k->ame) && fabs(k->ame) > max)
				max = fabs(k->ame);
		}
		for (size_t i = 0; i < f->ncoefs; i++) {
			const struct mcoef *k = &f->coefs[i];
			const char *row = model_term_row(k->term, tm->period);
			int sig = usable(f) && significant(k, o->alpha) && isfinite(k->ame);
			struct tcell *c;

			if (strcmp(k->term, "(Intercept)") == 0 || strncmp(k->term, "contrast:", 9) == 0)
				continue;
			c = model_cell(out, t, (int)mi, tm, f, row, "ame_scaled", o);
			if (sig && max > 0) {
				c->est = k->ame / max;
				strcpy(c->symbol, sign_of(k->ame));
			}
			c = model_cell(out, t, (int)mi, tm, f, row, "ame", o);
			if (usable(f) && !k->aliased && isfinite(k->ame)) {
				c->est = k->ame;
				if (isfinite(k->ame_se)) {
					c->lo = k->ame - tab_z * k->ame_se;
					c->hi = k->ame + tab_z * k->ame_se;
				}
				if (sig)
					strcpy(c->symbol, sign_of(k->ame));
			}
		}
	}
}

static const struct mcoef *form_term(const struct mfit *f, const char *period, const char *form)
{
	for (size_t i = 0; i < f->ncoefs; i++)
		if (strcmp(model_term_row(f->coefs[i].term, period), form) == 0)
			return &f->coefs[i];
	return NULL;
}

static char *joined(const char *a, const char *sep, const char *b)
{
	char *s = xmalloc(strlen(a) + strlen(sep) + strlen(b) + 1);

	strcpy(s, a);
	strcat(s, sep);
	strcat(s, b);
	return s;
}

/* WORD is one of the SEP-separated words of LIST. */
static int has_word(const char *list, char sep, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; p = strchr(p, sep) ? strchr(p, sep) + 1 : p + strlen(p))
		if (strncmp(p, word, n) == 0 && (p[n] == sep || p[n] == '\0'))
			return 1;
	return 0;
}

static void symbols(const struct ttable *t, const struct mfit *const *fits, const struct topts *o, struct tcells *out)
{
	for (size_t b = 0; b < t->nmodels; b++) {
		const char *benefit = t->models[b].benefit;
		size_t first;

		for (first = 0; strcmp(t->models[first].benefit, benefit) != 0; first++)
			;
		if (first != b)
			continue;           /* benefits in order of first appearance */
		for (size_t fi = 0; fi < t->nforms; fi++) {
			const char *form = t->forms[fi];
			int npos = 0, nneg = 0, all_weighted = 1;
			long nmin = -1;
			char *method = xstrdup(""), *pops = xstrdup("");
			size_t at = out->n;
			struct tcell *c;
			const char *s;

			cells_add(out);          /* the symbol cell: filled in once the models are read */
			for (size_t oi = 0; oi < t->noutcomes; oi++) {
				int pos = 0, neg = 0;

				for (size_t mi = 0; mi < t->nmodels; mi++) {
					const struct tmodel *tm = &t->models[mi];
					const struct mfit *f = fits[mi];
					const struct mcoef *k;
					char *row;

					if (strcmp(tm->benefit, benefit) != 0 || strcmp(tm->outcome, t->outcomes[oi]) != 0)
						continue;
					if (nmin < 0 || f->n < nmin)
						nmin = f->n;
					all_weighted &= strcmp(f->weights, "design") == 0;
					if (!has_word(method, ';', f->spec_hash)) {
						char *m = *method ? joined(method, ";", f->spec_hash) : xstrdup(f->spec_hash);

						free(method);
						method = m;
					}
					if (!has_word(pops, '+', tm->population)) {
						char *p = *pops ? joined(pops, "+", tm->population) : xstrdup(tm->population);

						free(pops);
						pops = p;
					}
					k = usable(f) ? form_term(f, tm->period, form) : NULL;
					row = joined(form, ":", tm->outcome);
					c = model_cell(out, t, (int)mi, tm, f, row, "ame", o);
					if (k && !k->aliased && isfinite(k->ame)) {
						c->est = k->ame;
						if (isfinite(k->ame_se)) {
							c->lo = k->ame - tab_z * k->ame_se;
							c->hi = k->ame + tab_z * k->ame_se;
						}
					}
					if (k && significant(k, o->alpha)) {
						strcpy(c->symbol, sign_of(k->estimate));
						pos |= k->estimate > 0;
						neg |= k->estimate < 0;
					}
					c = model_cell(out, t, (int)mi, tm, f, row, "p", o);
					if (k && !k->aliased)
						c->est = k->p;
				}
				npos += pos;
				nneg += neg;
			}
			s = npos && nneg ? "+/-" : nneg ? "-" : npos == (int)t->noutcomes ? "++" : npos ? "+" : "";
			c = &out->v[at];         /* cells_add may have moved the array: index, not pointer */
			c->table = t;
			c->benefit = benefit;
			c->period = "year";
			c->population = pops;   /* the models' populations: H1 and H2 differ */
			c->row = form;
			c->measure = "symbol";
			c->n = c->count = c->panel_n = nmin < 0 ? 0 : nmin;
			c->weighted = all_weighted;
			c->method = method;
			c->panel = -1;
			c->link = -1;
			c->set_n = c->set_k = c->set_panel = -1;
			c->est = c->lo = c->hi = NAN;
			c->suppressed = nmin < o->min_n;
			strcpy(c->symbol, s);
		}
	}
}

static void contrasts(const struct ttable *t, const struct mfit *const *fits, const struct topts *o, struct tcells *out)
{
	for (size_t mi = 0; mi < t->nmodels; mi++) {
		const struct tmodel *tm = &t->models[mi];
		const struct mfit *f = fits[mi];

		for (size_t i = 0; i < f->ncoefs; i++) {
			const struct mcoef *k = &f->coefs[i];
			struct tcell *c;

			if (strncmp(k->term, "contrast:", 9) != 0)
				continue;
			c = model_cell(out, t, (int)mi, tm, f, k->term + 9, "difference", o);
			if (usable(f) && !k->aliased && isfinite(k->estimate)) {
				c->est = k->estimate;
				c->lo = k->ci_low;
				c->hi = k->ci_high;
				if (significant(k, o->alpha))
					strcpy(c->symbol, sign_of(k->estimate));
			}
		}
	}
}

void models_cells(const struct models *m, const struct tspec *s, const struct topts *o, struct tcells *out)
{
	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];
		const struct mfit **fits;

		if (!t->selected || t->kind == KIND_PEOPLE)
			continue;
		fits = xcalloc(t->nmodels, sizeof *fits);
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct mfit *f = models_find(m, t->models[mi].name);

			if (f == NULL || f->n < 0)
				die(EXIT_DATA, NULL, 0, NULL,
				    "table %s: model %s: no model_fit/1 row in the input (run fit-models with the spec that defines it, or leave the table out with --tables)",
				    t->id, t->models[mi].name);
			if (!usable(f))
				diag_warn(NULL, 0, NULL, "table %s: model %s failed (%s): its cells are empty",
					  t->id, f->name, *f->warnings ? f->warnings : "no warnings given");
			fits[mi] = f;
		}
		if (t->kind == KIND_EFFECTS)
			effects(t, fits, o, out);
		else if (t->kind == KIND_SYMBOLS)
			symbols(t, fits, o, out);
		else
			contrasts(t, fits, o, out);
		free(fits);
	}
}
