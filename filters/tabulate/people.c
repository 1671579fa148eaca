/* people.c - one pass over person_support/1: every person is added to the accumulators of
 * the cells it belongs to and then forgotten, so memory depends on the spec and the number
 * of strata, not on the number of people.
 *
 * For the audit (disclose.c) each person is also counted in one atom: the list of sets
 * (block, row n, row yes-count, model population) the person is in (tabulate.h, struct
 * tatoms). The atoms' number depends on how many combinations of the spec's conditions
 * occur, not on the number of people (a few thousand for the report's spec).
 *
 * A slot is one block of a people table: (table, benefit, panel), with one accumulator per
 * row. The design (for weighted figures) is the whole sample: every person with
 * in_sample = 1 counts in its stratum's n_h, whether or not it is in any cell, because a
 * domain estimate keeps the full design's strata (R: subset() of a svydesign).
 */
#include "tabulate.h"

#include "atoms.h"
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
	int set;                    /* --calibrated: the calibrated set whose weight it takes; -1 */
	long n;                     /* people in the panel */
	struct tacc *acc;           /* one per row */
	int panel_set;              /* the audit's sets: the block's people, */
	int *n_set, *k_set;         /* and per row its n and its yes-count (-1: none) */
};

/* What a set's people must satisfy (all of it): for people_phantom. */
struct setdef {
	const struct tatom **need;
	size_t nneed;
};

/* A model's population as a set: benefit (-1 = all) and population column (-1 = none). */
struct mset {
	double bvalue;
	int popvar;
	int set;
};

struct people {
	const struct tspec *s;
	const struct topts *o;
	struct slot *slots;
	size_t nslots;
	int need_design;
	struct tcal *cal;           /* --calibrated, or NULL */
	double *val;                /* per var: the value of the current record */
	unsigned char *def;         /* per var: 1 when not missing (right after val: one payload) */
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
	/* the audit's sets and atoms */
	struct setdef *sets;
	size_t nsets;
	struct mset *msets;
	size_t nmsets;
	struct atomset atoms;
	uint64_t *sig;              /* the current person's sets */
	uint64_t *implied;          /* people_phantom: per set, the sets its people are all in */
	unsigned char *inhabited;   /* per set: a real person is in it */
};

/* ---- the audit's sets ---------------------------------------------------------------- */

static const struct tatom *new_atom(int var, int neg, const double *val)
{
	struct tatom *a = xcalloc(1, sizeof *a);

	a->var = var;
	a->neg = neg;
	if (val) {
		a->vals = xmalloc(sizeof *a->vals);
		a->vals[0] = *val;
		a->nvals = 1;
	}
	return a;                   /* `not in {}` (neg, no values): the value is not missing */
}

static int new_set(struct people *p, const struct setdef *base, const struct tatom *const *more, size_t nmore)
{
	struct setdef *d;

	p->sets = xrealloc(p->sets, (p->nsets + 1) * sizeof *p->sets);
	d = &p->sets[p->nsets];
	d->nneed = (base ? base->nneed : 0) + nmore;
	d->need = xcalloc(d->nneed ? d->nneed : 1, sizeof *d->need);
	if (base)
		memcpy(d->need, base->need, base->nneed * sizeof *d->need);
	if (nmore)
		memcpy(d->need + (base ? base->nneed : 0), more, nmore * sizeof *more);
	return (int)p->nsets++;
}

static double benefit_value(const struct tspec *s, const char *benefit)
{
	const struct schema_field *f = s->vars[s->var_benefit].f;

	for (size_t e = 0; e < f->n_enum; e++)
		if (strcmp(f->enum_values[e], benefit) == 0)
			return (double)e;
	return -1;                  /* all */
}

/* The yes-count of a row is a set of its own when it can be a published or protected count:
 * a dist category (its own count decides its suppression), or a 0/1 row an unweighted
 * estimate shows exactly (k = estimate x n). */
static int row_has_k(const struct people *p, const struct slot *sl, const struct trow *row)
{
	int unweighted = !sl->weighted || p->o->weights == WEIGHTS_BOTH;

	if (row->dist)
		return 1;
	if (!unweighted || row->measure == MEAS_COUNT)
		return 0;
	return row->measure == MEAS_SHARE || p->s->vars[row->var].f->type == ST_BOOL;
}

static void define_slot_sets(struct people *p, struct slot *sl)
{
	const struct tspec *s = p->s;
	const struct tpanel *pn = sl->p;
	struct setdef base = { 0 };
	size_t nb = 0;

	base.need = xcalloc(pn->cond.n + 1, sizeof *base.need);
	if (sl->bvalue >= 0)
		base.need[nb++] = new_atom(s->var_benefit, 0, &sl->bvalue);
	for (size_t i = 0; i < pn->cond.n; i++)
		base.need[nb++] = &pn->cond.atoms[i];
	base.nneed = nb;
	sl->panel_set = new_set(p, &base, NULL, 0);
	sl->n_set = xcalloc(pn->nrows, sizeof *sl->n_set);
	sl->k_set = xcalloc(pn->nrows, sizeof *sl->k_set);
	for (size_t ri = 0; ri < pn->nrows; ri++) {
		const struct trow *row = &pn->rows[ri];
		const struct tatom **more = xcalloc(row->where.n + 2, sizeof *more);
		size_t nm = 0;
		static const double one = 1;

		for (size_t i = 0; i < row->where.n; i++)
			more[nm++] = &row->where.atoms[i];
		if (row->var >= 0)
			more[nm++] = new_atom(row->var, 1, NULL);
		sl->n_set[ri] = new_set(p, &base, more, nm);
		sl->k_set[ri] = -1;
		if (row_has_k(p, sl, row)) {
			more[nm++] = row->measure == MEAS_SHARE ? &row->value : new_atom(row->var, 0, &one);
			sl->k_set[ri] = new_set(p, &base, more, nm);
		}
		free(more);
	}
	free(base.need);            /* new_set copied it */
}

static void define_model_sets(struct people *p)
{
	const struct tspec *s = p->s;
	static const double one = 1;

	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];

		if (!t->selected || t->kind == KIND_PEOPLE)
			continue;
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct tmodel *m = &t->models[mi];
			double bv = benefit_value(s, m->benefit);
			const struct tatom *need[2];
			size_t k, nn = 0;

			for (k = 0; k < p->nmsets; k++)
				if (p->msets[k].bvalue == bv && p->msets[k].popvar == m->popvar)
					break;
			if (k < p->nmsets)
				continue;
			if (bv >= 0)
				need[nn++] = new_atom(s->var_benefit, 0, &bv);
			if (m->popvar >= 0)
				need[nn++] = new_atom(m->popvar, 0, &one);
			p->msets = xrealloc(p->msets, (p->nmsets + 1) * sizeof *p->msets);
			p->msets[p->nmsets].bvalue = bv;
			p->msets[p->nmsets].popvar = m->popvar;
			p->msets[p->nmsets++].set = new_set(p, NULL, need, nn);
		}
	}
}

static void define_sets(struct people *p)
{
	size_t nvars = p->s->nvars ? p->s->nvars : 1;

	for (size_t i = 0; i < p->nslots; i++)
		define_slot_sets(p, &p->slots[i]);
	define_model_sets(p);
	atomset_init(&p->atoms, (p->nsets + 63) / 64, nvars * (sizeof *p->val + 1));
	p->sig = xcalloc(p->atoms.words, sizeof *p->sig);
}

int people_model_set(const struct people *p, const struct tmodel *m)
{
	double bv = benefit_value(p->s, m->benefit);

	for (size_t k = 0; k < p->nmsets; k++)
		if (p->msets[k].bvalue == bv && p->msets[k].popvar == m->popvar)
			return p->msets[k].set;
	return -1;
}

void people_atoms(const struct people *p, struct tatoms *out)
{
	out->nsets = p->nsets;
	out->words = p->atoms.words;
	out->n = p->atoms.n;
	out->sig = p->atoms.sig;
	out->count = p->atoms.count;
}

struct people *people_new(const struct tspec *s, const struct topts *o, struct tcal *cal)
{
	struct people *p = xcalloc(1, sizeof *p);

	p->s = s;
	p->o = o;
	p->cal = cal;
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
				sl->bvalue = benefit_value(s, sl->benefit);
				sl->weighted = t->weighted && o->weights != WEIGHTS_NONE;
				if (sl->weighted)
					p->need_design = 1;
				sl->set = sl->weighted && cal ? sl->p->cal_set : -1;
				sl->acc = xcalloc(sl->p->nrows, sizeof *sl->acc);
			}
		}
	}
	/* val and def in one block: an atom keeps a copy of both (its payload) */
	p->val = xcalloc(s->nvars ? s->nvars : 1, sizeof *p->val + 1);
	p->def = (unsigned char *)(p->val + (s->nvars ? s->nvars : 1));
	define_sets(p);
	p->hashcap = 64;
	p->hash = xcalloc(p->hashcap, sizeof *p->hash);
	return p;
}

int people_section(struct people *p, struct rec_reader *r)
{
	struct tspec *s = (struct tspec *)p->s;

	for (size_t i = 0; i < s->nvars; i++)
		if ((s->vars[i].index = rec_reader_require(r, s->vars[i].name)) < 0)
			return -1;
	if ((p->i_in_sample = rec_reader_require(r, "in_sample")) < 0 ||
	    (p->i_stratum = rec_reader_require(r, "stratum")) < 0 ||
	    (p->i_weight = rec_reader_require(r, "design_weight")) < 0 ||
	    (p->i_method = rec_reader_require(r, "support_method")) < 0)
		return -1;
	if (p->cal && tcal_section(p->cal, r) < 0)
		return -1;
	p->name = rec_reader_name(r);
	p->sections++;
	return 0;
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

/* The index of the record's support_method among those seen; -1 (refused) past MAX_METHODS. */
static int method_of(struct people *p, struct rec_reader *r)
{
	const char *m = rec_get_text(r, p->i_method);

	for (size_t i = p->nmethods; i-- > 0;)
		if (strcmp(p->methods[i], m) == 0)
			return (int)i;
	if (p->nmethods == MAX_METHODS)
		return rec_reader_fail(r, p->i_method, "more than %d different values in one stream", MAX_METHODS);
	p->methods[p->nmethods] = xstrdup(m);
	return (int)p->nmethods++;
}

/* The columns the spec uses, as people.c stores them (tabulate.h, struct tvar), through
 * the typed getters: a value its schema refuses stops the run with the library's message. */
static int read_vars(struct people *p, struct rec_reader *r)
{
	const struct tspec *s = p->s;

	for (size_t i = 0; i < s->nvars; i++) {
		const struct tvar *v = &s->vars[i];
		double x;

		switch (v->f->type) {
		case ST_BOOL: x = rec_get_bool(r, v->index); x = x < 0 ? NAN : x; break;
		case ST_ENUM: x = rec_get_code(r, v->index); x = x < 0 ? NAN : x; break;
		default: x = rec_get_num(r, v->index);
		}
		p->def[i] = !isnan(x);
		if (p->def[i])
			p->val[i] = x;
	}
	return rec_reader_bad(r) ? -1 : 0;
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

/* How the current person enters the accumulators (NULL for a phantom: sets only). */
struct person_design {
	struct rec_reader *r;
	size_t stratum;
	double w;
	int has_design, method;
};

/* The sets the person in p->val/p->def is in (p->sig) and, with d, the person added to the
 * accumulators of every cell it belongs to: one walk over the conditions serves both, so a
 * set's count and the n of its cell cannot disagree. Returns 0, or -1 (refused in d's
 * reader) for a person outside the sample in a weighted cell. */
static int place(struct people *p, const struct person_design *d)
{
	const struct tspec *s = p->s;

	memset(p->sig, 0, p->atoms.words * sizeof *p->sig);
	for (size_t i = 0; i < p->nmsets; i++) {
		const struct mset *m = &p->msets[i];

		if ((m->bvalue < 0 || (p->def[s->var_benefit] && p->val[s->var_benefit] == m->bvalue)) &&
		    (m->popvar < 0 || (p->def[m->popvar] && p->val[m->popvar] == 1)))
			sig_set(p->sig, (size_t)m->set);
	}
	for (size_t i = 0; i < p->nslots; i++) {
		struct slot *sl = &p->slots[i];
		const struct tpanel *pn = sl->p;

		if (sl->bvalue >= 0 && (!p->def[s->var_benefit] || p->val[s->var_benefit] != sl->bvalue))
			continue;
		if (!cond_holds(p, &pn->cond))
			continue;
		sig_set(p->sig, (size_t)sl->panel_set);
		if (d)
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
			sig_set(p->sig, (size_t)sl->n_set[ri]);
			if (sl->k_set[ri] >= 0 && y == 1)
				sig_set(p->sig, (size_t)sl->k_set[ri]);
			if (d == NULL)
				continue;
			acc_add(a, y);
			a->methods |= (uint64_t)1 << d->method;
			if (sl->weighted && row->measure != MEAS_COUNT) {
				if (!d->has_design)
					return rec_reader_fail(d->r, p->i_in_sample,
							       "table %s is weighted (weights design) but takes a person outside the sample: restrict its panel to respondents",
							       sl->t->id);
				if (sl->set < 0)
					acc_add_weighted(a, y, d->stratum, d->w);
				else if (!tcal_has(p->cal, sl->set))
					return rec_reader_fail(d->r, p->i_in_sample,
							       "table %s takes the calibrated weight %s but takes a person without one: restrict its panel to that set's respondents",
							       sl->t->id, tcal_column(p->cal, sl->set));
				else
					tcal_add(p->cal, sl->set, a, y);
			}
		}
	}
	return 0;
}

static int sig_empty(const struct people *p)
{
	for (size_t i = 0; i < p->atoms.words; i++)
		if (p->sig[i])
			return 0;
	return 1;
}

/* A person of the sample: its stratum (counted in n_h) and design weight, for weighted
 * figures. Returns 0, or -1 with the refusal in the reader. */
static int read_design(struct people *p, struct rec_reader *r, struct person_design *d)
{
	const char *st = rec_get_text(r, p->i_stratum);
	double w = rec_get_num(r, p->i_weight);

	if (rec_reader_bad(r))
		return -1;
	if (*st == '\0')
		return rec_reader_fail(r, p->i_stratum, "missing for a person in the sample (weighted figures need it)");
	if (isnan(w))
		return rec_reader_fail(r, p->i_weight, "missing for a person in the sample (weighted figures need it)");
	if (!(w > 0))
		return rec_reader_fail(r, p->i_weight, "not a positive number: '%s'",
				       rec_reader_field(r, (size_t)p->i_weight));
	d->w = w;
	d->stratum = stratum_of(p, st);
	p->nh[d->stratum]++;
	d->has_design = 1;
	return 0;
}

int people_record(struct people *p, struct rec_reader *r)
{
	struct person_design d = { r, 0, 0, 0, 0 };

	p->records++;
	if (read_vars(p, r) < 0 || (d.method = method_of(p, r)) < 0)
		return -1;
	if (p->need_design && rec_get_bool(r, p->i_in_sample) == 1 &&
	    (read_design(p, r, &d) < 0 || (p->cal && tcal_record(p->cal, r, d.stratum) < 0)))
		return -1;
	if (rec_reader_bad(r) || place(p, &d) < 0)
		return -1;
	if (!sig_empty(p))
		atomset_add(&p->atoms, p->sig, p->val, 1);
	return 0;
}

/* Make atom A hold for the current person: the first of its values, or (not in the list)
 * the smallest value of the column that is not in it. */
static int force_atom(struct people *p, const struct tatom *a)
{
	const struct schema_field *f = p->s->vars[a->var].f;
	double limit = f->type == ST_BOOL ? 2 : f->type == ST_ENUM ? (double)f->n_enum : 1e9;

	if (atom_holds(p, a))
		return 0;
	for (double v = a->neg ? 0 : a->vals[0]; v < limit; v++) {
		int in = 0;

		for (size_t i = 0; i < a->nvals; i++)
			in |= a->vals[i] == v;
		if (in == !a->neg) {
			p->val[a->var] = v;
			p->def[a->var] = 1;
			return 0;
		}
	}
	return -1;
}

/* For every set X some real person is in: the sets every such person is also in (X <= Y
 * in the data: 12 months <= 6 months, respondents <= sample). A phantom should keep these:
 * an attacker knows the structural ones, and a phantom that broke one could hold people
 * no reader would believe in. */
static void compute_implied(struct people *p)
{
	size_t w = p->atoms.words, nsets = p->nsets;

	p->implied = xcalloc((nsets ? nsets : 1) * w, sizeof *p->implied);
	p->inhabited = xcalloc(nsets ? nsets : 1, 1);
	for (size_t j = 0; j < p->atoms.n; j++) {
		const uint64_t *sig = p->atoms.sig + j * w;

		if (p->atoms.count[j] == 0)
			continue;
		for (size_t x = 0; x < nsets; x++) {
			uint64_t *m = p->implied + x * w;

			if (!sig_has(sig, x))
				continue;
			if (!p->inhabited[x])
				memcpy(m, sig, w * sizeof *m);
			else
				for (size_t k = 0; k < w; k++)
					m[k] &= sig[k];
			p->inhabited[x] = 1;
		}
	}
}

/* How many of those containments the current p->sig breaks. */
static size_t broken_implications(const struct people *p)
{
	size_t w = p->atoms.words, n = 0;

	for (size_t x = 0; x < p->nsets; x++) {
		const uint64_t *m = p->implied + x * w;

		if (!p->inhabited[x] || !sig_has(p->sig, x))
			continue;
		for (size_t k = 0; k < w; k++)
			n += (size_t)__builtin_popcountll(m[k] & ~p->sig[k]);
	}
	return n;
}

/* Make atom I's person (its payload) fit SET; 0 and its sets in p->sig, or -1. */
static int fit_into(struct people *p, size_t i, int set, size_t *satisfied)
{
	const struct setdef *d = &p->sets[set];
	size_t payload = p->atoms.payload;

	memcpy(p->val, p->atoms.data + i * payload, payload);
	*satisfied = 0;
	for (size_t k = 0; k < d->nneed; k++)
		*satisfied += (size_t)atom_holds(p, d->need[k]);
	for (size_t k = 0; k < d->nneed; k++)
		if (force_atom(p, d->need[k]) < 0)
			return -1;
	place(p, NULL);             /* sets only: cannot fail */
	return sig_has(p->sig, (size_t)set) ? 0 : -1;
}

/* The phantom: of all real people made to fit SET, the one that breaks the fewest of the
 * data's containments, then the one that needed the fewest changes, then the first. */
int people_phantom(struct people *p, int set)
{
	size_t best = (size_t)-1, best_broken = 0, best_sat = 0, n = p->atoms.n;

	if (p->implied == NULL)
		compute_implied(p);
	for (size_t i = 0; i < n; i++) {
		size_t sat, broken;

		if (p->atoms.count[i] == 0 || fit_into(p, i, set, &sat) < 0)
			continue;               /* phantoms are not people; some do not fit */
		broken = broken_implications(p);
		if (best == (size_t)-1 || broken < best_broken || (broken == best_broken && sat > best_sat)) {
			best = i;
			best_broken = broken;
			best_sat = sat;
		}
	}
	if (best == (size_t)-1 || fit_into(p, best, set, &best_sat) < 0)
		return -1;              /* nobody fits: the conditions contradict each other */
	atomset_add(&p->atoms, p->sig, p->val, 0);
	return 0;
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
	c->set_n = sl->n_set[row - sl->p->rows];
	c->set_k = sl->k_set[row - sl->p->rows];
	c->set_panel = sl->panel_set;
	return c;
}

/* A cell of a calibrated panel: the estimate and interval after calibration; the method
 * names the weight. */
static void calibrated_cell(const struct people *p, const struct slot *sl, const struct tacc *a, struct tcell *c)
{
	char err[300], *method;
	double est, se;

	if (tcal_estimate(a, &est, &se, err, sizeof err) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "table %s: %s", sl->t->id, err);
	c->est = est;
	c->lo = est - tab_z * se;
	c->hi = est + tab_z * se;
	if (asprintf(&method, "%s; weight %s", c->method, tcal_column(p->cal, sl->set)) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	c->method = method;
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
				if (sl->set >= 0) {
					calibrated_cell(p, sl, a, c);
				} else if (est_design(a, p->nh, p->nstrata, &est, &se) == 0) {
					c->est = est;
					c->lo = est - tab_z * se;
					c->hi = est + tab_z * se;
				}
			}
			if (sl->set >= 0 && p->o->weights != WEIGHTS_BOTH)
				free(method);       /* calibrated_cell made the cell's own */
			if (!sl->weighted || p->o->weights == WEIGHTS_BOTH) {
				c = row_cell(out, sl, si, row, a, method);
				c->k_shown = c->set_k >= 0;
				if (row->measure == MEAS_SHARE)
					est_wilson(a->k, a->n, &c->est, &c->lo, &c->hi);
				else
					est_mean(a, &c->est, &c->lo, &c->hi);
			}
		}
	}
}
