/* people.c - one pass over person_support/1: every person is added to the accumulators of
 * the cells it belongs to and then forgotten, so memory depends on the spec and the number
 * of strata, not on the number of people.
 *
 * A slot is one block of a people table: (table, benefit, panel), with one accumulator per
 * row. The design (for weighted figures) is the whole sample: every person with
 * in_sample = 1 counts in its stratum's n_h, whether or not it is in any cell, because a
 * domain estimate keeps the full design's strata (R: subset() of a svydesign).
 */
#include "tabulate.h"

#include "diag.h"
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_METHODS 64

struct slot {
	const struct ttable *t;
	const struct tpanel *p;
	const char *benefit;
	double bvalue;              /* enum index of benefit, or -1 for `all` */
	int panel;
	int weighted;               /* accumulate design sums */
	long n;                     /* people in the panel */
	struct tacc *acc;           /* one per row */
};

struct people {
	const struct tspec *s;
	const struct topts *o;
	struct slot *slots;
	size_t nslots;
	int need_design;
	double *val;                /* per var: the value of the current record */
	unsigned char *def;         /* per var: 1 when not missing */
	int i_in_sample, i_stratum, i_weight, i_method;
	const char *name;
	/* strata of the design, interned; nh = people of the sample in each */
	char **strata;
	long *nh;
	size_t nstrata, capstrata;
	size_t *hash;               /* open addressing: stratum index + 1, 0 = empty */
	size_t hashcap;
	/* support_method values seen */
	char *methods[MAX_METHODS];
	size_t nmethods;
	long records;
	int sections;
};

struct people *people_new(const struct tspec *s, const struct topts *o)
{
	struct people *p = xcalloc(1, sizeof *p);

	p->s = s;
	p->o = o;
	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];

		if (!t->selected || t->kind != KIND_PEOPLE)
			continue;
		for (size_t b = 0; b < t->nbenefits; b++) {
			for (size_t pi = 0; pi < t->npanels; pi++) {
				struct slot *sl;

				p->slots = xrealloc(p->slots, (p->nslots + 1) * sizeof *p->slots);
				sl = &p->slots[p->nslots++];
				memset(sl, 0, sizeof *sl);
				sl->t = t;
				sl->p = &t->panels[pi];
				sl->panel = (int)pi;
				sl->benefit = t->benefits[b];
				sl->bvalue = -1;
				if (strcmp(sl->benefit, "all") != 0) {
					const struct schema_field *f = s->vars[s->var_benefit].f;

					for (size_t e = 0; e < f->n_enum; e++)
						if (strcmp(f->enum_values[e], sl->benefit) == 0)
							sl->bvalue = (double)e;
				}
				sl->weighted = t->weighted && o->weights != WEIGHTS_NONE;
				if (sl->weighted)
					p->need_design = 1;
				sl->acc = xcalloc(sl->p->nrows, sizeof *sl->acc);
			}
		}
	}
	p->val = xcalloc(s->nvars ? s->nvars : 1, sizeof *p->val);
	p->def = xcalloc(s->nvars ? s->nvars : 1, 1);
	p->hashcap = 64;
	p->hash = xcalloc(p->hashcap, sizeof *p->hash);
	return p;
}

static int need_index(struct rec_reader *r, const char *field)
{
	int i = rec_reader_index(r, field);

	if (i < 0)
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), field, "no such column in %s",
		    rec_reader_schema(r)->id);
	return i;
}

void people_section(struct people *p, struct rec_reader *r)
{
	struct tspec *s = (struct tspec *)p->s;

	for (size_t i = 0; i < s->nvars; i++)
		s->vars[i].index = need_index(r, s->vars[i].name);
	p->i_in_sample = need_index(r, "in_sample");
	p->i_stratum = need_index(r, "stratum");
	p->i_weight = need_index(r, "design_weight");
	p->i_method = need_index(r, "support_method");
	p->name = rec_reader_name(r);
	p->sections++;
}

static size_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static size_t stratum_of(struct people *p, const char *name)
{
	size_t mask = p->hashcap - 1, h = str_hash(name) & mask;

	for (; p->hash[h]; h = (h + 1) & mask)
		if (strcmp(p->strata[p->hash[h] - 1], name) == 0)
			return p->hash[h] - 1;
	if (p->nstrata == p->capstrata) {
		p->capstrata = p->capstrata ? 2 * p->capstrata : 16;
		p->strata = xrealloc(p->strata, p->capstrata * sizeof *p->strata);
		p->nh = xrealloc(p->nh, p->capstrata * sizeof *p->nh);
	}
	p->strata[p->nstrata] = xstrdup(name);
	p->nh[p->nstrata] = 0;
	p->hash[h] = ++p->nstrata;
	if (2 * p->nstrata > p->hashcap) {         /* grow and rehash */
		free(p->hash);
		p->hashcap *= 2;
		p->hash = xcalloc(p->hashcap, sizeof *p->hash);
		for (size_t i = 0; i < p->nstrata; i++) {
			size_t k = str_hash(p->strata[i]) & (p->hashcap - 1);

			while (p->hash[k])
				k = (k + 1) & (p->hashcap - 1);
			p->hash[k] = i + 1;
		}
	}
	return p->nstrata - 1;
}

static int method_of(struct people *p, struct rec_reader *r)
{
	const char *m = rec_reader_field(r, (size_t)p->i_method);

	for (size_t i = p->nmethods; i-- > 0;)
		if (strcmp(p->methods[i], m) == 0)
			return (int)i;
	if (p->nmethods == MAX_METHODS)
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), "support_method",
		    "more than %d different values in one stream", MAX_METHODS);
	p->methods[p->nmethods] = xstrdup(m);
	return (int)p->nmethods++;
}

static void __attribute__((noreturn)) bad_value(struct rec_reader *r, const char *field, const char *what, const char *v)
{
	die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), field, "%s: '%s'", what, v);
}

static void parse_vars(struct people *p, struct rec_reader *r)
{
	const struct tspec *s = p->s;

	for (size_t i = 0; i < s->nvars; i++) {
		const struct tvar *v = &s->vars[i];
		const char *x = rec_reader_field(r, (size_t)v->index);
		char *end;

		p->def[i] = *x != '\0';
		if (!p->def[i])
			continue;
		switch (v->f->type) {
		case ST_BOOL:
			if ((x[0] != '0' && x[0] != '1') || x[1])
				bad_value(r, v->name, "not a bool", x);
			p->val[i] = x[0] - '0';
			break;
		case ST_ENUM: {
			size_t e;

			for (e = 0; e < v->f->n_enum; e++)
				if (strcmp(v->f->enum_values[e], x) == 0)
					break;
			if (e == v->f->n_enum)
				bad_value(r, v->name, "not one of the schema's values", x);
			p->val[i] = (double)e;
			break;
		}
		default:
			errno = 0;
			p->val[i] = strtod(x, &end);
			if (*end || errno || !isfinite(p->val[i]))
				bad_value(r, v->name, "not a number", x);
		}
	}
}

static int atom_holds(const struct people *p, const struct tatom *a)
{
	int in = 0;

	if (!p->def[a->var])
		return 0;
	for (size_t i = 0; i < a->nvals; i++)
		if (p->val[a->var] == a->vals[i]) {
			in = 1;
			break;
		}
	return in != a->neg;
}

static int cond_holds(const struct people *p, const struct tcond *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!atom_holds(p, &c->atoms[i]))
			return 0;
	return 1;
}

void people_record(struct people *p, struct rec_reader *r)
{
	const struct tspec *s = p->s;
	int has_design = 0, method;
	size_t stratum = 0;
	double w = 0;

	p->records++;
	parse_vars(p, r);
	method = method_of(p, r);
	if (p->need_design) {
		const char *in = rec_reader_field(r, (size_t)p->i_in_sample);

		if (strcmp(in, "1") == 0) {
			const char *st = rec_reader_field(r, (size_t)p->i_stratum);
			const char *ws = rec_reader_field(r, (size_t)p->i_weight);
			char *end;

			if (*st == '\0')
				die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), "stratum",
				    "missing for a person in the sample (weighted figures need it)");
			errno = 0;
			w = strtod(ws, &end);
			if (*ws == '\0')
				die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), "design_weight",
				    "missing for a person in the sample (weighted figures need it)");
			if (*end || errno || !isfinite(w) || w <= 0)
				bad_value(r, "design_weight", "not a positive number", ws);
			stratum = stratum_of(p, st);
			p->nh[stratum]++;
			has_design = 1;
		}
	}
	for (size_t i = 0; i < p->nslots; i++) {
		struct slot *sl = &p->slots[i];
		const struct tpanel *pn = sl->p;

		if (sl->bvalue >= 0 && (!p->def[s->var_benefit] || p->val[s->var_benefit] != sl->bvalue))
			continue;
		if (!cond_holds(p, &pn->cond))
			continue;
		sl->n++;
		for (size_t ri = 0; ri < pn->nrows; ri++) {
			const struct trow *row = &pn->rows[ri];
			struct tacc *a = &sl->acc[ri];
			double y = 1;

			if (!cond_holds(p, &row->where))
				continue;
			if (row->var >= 0) {
				if (!p->def[row->var])
					continue;
				y = row->measure == MEAS_SHARE ? (double)atom_holds(p, &row->value) : p->val[row->var];
			}
			acc_add(a, y);
			a->methods |= (uint64_t)1 << method;
			if (sl->weighted && row->measure != MEAS_COUNT) {
				if (!has_design)
					die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), "in_sample",
					    "table %s is weighted (weights design) but takes a person outside the sample: restrict its panel to respondents",
					    sl->t->id);
				acc_add_weighted(a, y, stratum, w);
			}
		}
	}
}

long people_count(const struct people *p)
{
	return p->records;
}

static char *methods_text(const struct people *p, uint64_t bits)
{
	size_t len = 1;
	char *out;

	for (size_t i = 0; i < p->nmethods; i++)
		if (bits >> i & 1)
			len += strlen(p->methods[i]) + 3;
	out = xmalloc(len);
	*out = '\0';
	for (size_t i = 0; i < p->nmethods; i++)
		if (bits >> i & 1) {
			if (*out)
				strcat(out, " | ");
			strcat(out, p->methods[i]);
		}
	return out;
}

static struct tcell *row_cell(struct tcells *out, const struct slot *sl, size_t si, const struct trow *row,
			      const struct tacc *a, char *method)
{
	struct tcell *c = cells_add(out);

	c->table = sl->t;
	c->benefit = sl->benefit;
	c->period = sl->p->period;
	c->population = sl->p->population;
	c->row = row->id;
	c->measure = row->measure == MEAS_MEAN ? "mean" : row->measure == MEAS_COUNT ? "count" : "share";
	c->n = a->n;
	c->count = row->dist ? (long)a->k : a->n;
	c->method = method;
	c->panel = sl->panel;
	c->panel_n = sl->n;
	c->tp = sl->p;
	c->tr = row;
	c->link = row->link;
	c->slot = si;
	c->est = c->lo = c->hi = NAN;
	return c;
}

void people_cells(struct people *p, struct tcells *out)
{
	for (size_t si = 0; si < p->nslots; si++) {
		const struct slot *sl = &p->slots[si];

		for (size_t ri = 0; ri < sl->p->nrows; ri++) {
			const struct trow *row = &sl->p->rows[ri];
			const struct tacc *a = &sl->acc[ri];
			char *method = methods_text(p, a->methods);
			struct tcell *c;

			if (row->measure == MEAS_COUNT) {
				c = row_cell(out, sl, si, row, a, method);
				c->est = (double)a->n;
				continue;
			}
			if (sl->weighted) {
				double est, se;

				c = row_cell(out, sl, si, row, a, method);
				c->weighted = 1;
				if (est_design(a, p->nh, p->nstrata, &est, &se) == 0) {
					c->est = est;
					c->lo = est - tab_z * se;
					c->hi = est + tab_z * se;
				}
			}
			if (!sl->weighted || p->o->weights == WEIGHTS_BOTH) {
				c = row_cell(out, sl, si, row, a, method);
				if (row->measure == MEAS_SHARE)
					est_wilson(a->k, a->n, &c->est, &c->lo, &c->hi);
				else
					est_mean(a, &c->est, &c->lo, &c->hi);
			}
		}
	}
}
