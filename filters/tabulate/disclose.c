/* disclose.c - disclosure control: a suppressed cell must stay hidden from a reader who
 * combines every published number, not only from one who reads the cell.
 *
 * Words as in the European SDC handbook (Hundepool et al., ch. 4-5) and tau-ARGUS:
 *   primary suppression   a count on fewer than --min-n people is not published: a cell's
 *                         n (a share's or mean's denominator, a count row), a dist
 *                         category's own count, a block's "n = ...", a model's n;
 *   secondary suppression further cells withheld so that no withheld count can be worked
 *                         out from the published ones (the spec's link sets first, then
 *                         whatever the audit finds);
 *   feasibility interval  the smallest and largest value a withheld count can take given
 *                         every published count and how the tables are defined (audit.c);
 *   protection level      --protection P (default --min-n): every withheld count must keep
 *                         a feasibility interval at least P wide (hi - lo >= P, in
 *                         people, after rounding the ends inwards to whole people). This
 *                         is tau-ARGUS's sliding protection: a width wherever the interval
 *                         lies, so that passing the audit does not depend on the withheld
 *                         value itself.
 * Why P = --min-n by default: the rule itself tells every reader that a primary count lies
 * in [0, min_n - 1]; with P = min_n the published figures narrow no withheld count further
 * than that. Every withheld count is checked, primary or secondary, because a reader cannot
 * tell them apart; that includes the yes-count of a suppressed unweighted share (estimate x
 * n), so its estimate cannot be recomputed either.
 *
 * The quantities are the sets of people.c, merged when two sets hold the same atoms (the
 * same people: a block's n and its one row's n, the n of a dist's categories), plus one
 * per model n. A quantity is published when any cell or block shows it, and a target when
 * a suppressed cell or a hidden block is about it. Withholding a quantity suppresses every
 * cell that shows it; the first target found too narrow in a round withholds the smallest
 * published quantity that bounds it (a non-zero dual value), and the round starts again,
 * until every target is wide enough. Withholding only removes rows from the LP, so a
 * target found wide enough stays so.
 */
#include "tabulate.h"

#include "atoms.h"
#include "diag.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct quant {
	long value;                 /* the true count */
	int set;                    /* one of its sets, or -1: a model's n */
	const struct mfit *fit;     /* a model's n: the model */
	int bound_set;              /* a model's n: its population's set */
	int zero;                   /* a set nobody can be in: nothing to protect */
	int target, safe;           /* withheld and protected; found wide enough */
	const struct tcell *who;    /* a cell it is about, for messages */
	const char *what;
};

struct sdc {
	struct tcells *c;
	struct people *people;
	const struct models *models;
	const struct topts *o;
	struct tatoms atoms;
	int *q_of_set;              /* set -> quantity */
	struct quant *q;
	size_t nq;
	struct aquant *aq;          /* this round's LP view of q */
	long protection, added;
	char unbound[512];          /* models whose n is more than their population's count */
};

long shown_count(const struct topts *o, long n)
{
	long b = o->round_base;

	return b > 1 ? (n + b / 2) / b * b : n;
}

/* What a reader can tell from a count shown as V: the range rounding leaves. */
static void shown_range(const struct topts *o, long v, double *lo, double *hi)
{
	long b = o->round_base;

	if (b <= 1) {
		*lo = *hi = (double)v;
		return;
	}
	*lo = (double)(v - b / 2 < 0 ? 0 : v - b / 2);
	*hi = (double)(v - b / 2 + b - 1);
}

/* ---- primary and link-set suppression ---------------------------------------------------- */

static void suppress_row(struct tcells *c, const struct tcell *x, int how)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].tr == x->tr && c->v[i].slot == x->slot && !c->v[i].suppressed)
			c->v[i].suppressed = how;
}

/* Cells of the same block (slot) and link set, as indexes; the weighted and unweighted
 * cell of one row share their suppression. */
static void suppress_link(struct tcells *c, size_t from, size_t to, int link)
{
	for (;;) {
		int nsup = 0;
		size_t best = (size_t)-1;

		/* count suppressed rows: a row may have two cells (weighted, unweighted) */
		for (size_t i = from; i < to; i++) {
			const struct tcell *x = &c->v[i];

			if (x->link != link || (i > from && x->tr == c->v[i - 1].tr))
				continue;
			if (x->suppressed)
				nsup++;
			else if (best == (size_t)-1 || x->count < c->v[best].count)
				best = i;
		}
		if (nsup != 1 || best == (size_t)-1)
			return;
		for (size_t i = from; i < to; i++)
			if (c->v[i].tr == c->v[best].tr)
				c->v[i].suppressed = 2;
	}
}

static void primary_and_links(struct tcells *c, long min_n)
{
	size_t i = 0;

	for (size_t k = 0; k < c->n; k++) {
		struct tcell *x = &c->v[k];

		if (x->tr && (x->n < min_n || (x->tr->dist && x->count < min_n)))
			x->suppressed = 1;
		if (x->tr && x->panel_n < min_n)
			x->panel_hidden = 1;
	}
	/* blocks are contiguous: cells of one slot follow each other */
	while (i < c->n) {
		size_t j = i + 1;

		if (c->v[i].tr == NULL) {
			i++;
			continue;
		}
		while (j < c->n && c->v[j].tr && c->v[j].slot == c->v[i].slot && c->v[j].table == c->v[i].table)
			j++;
		/* a link set can change after another's suppression only through shared rows,
		 * which the spec forbids (a row is in one set), so one pass per set is enough */
		for (int l = 0; l < c->v[i].tp->nlinks; l++)
			suppress_link(c, i, j, l);
		i = j;
	}
}

/* ---- quantities ---------------------------------------------------------------------------- */

/* Every set that no atom holds gets a phantom atom (people_phantom), so the LP does not
 * take "nobody is in it" as known; a set nobody can be in stays empty. */
static void add_phantoms(struct sdc *x)
{
	struct tatoms a;
	unsigned char *seen;

	people_atoms(x->people, &a);
	seen = xcalloc(a.nsets ? a.nsets : 1, 1);
	for (size_t j = 0; j < a.n; j++)
		for (size_t s = 0; s < a.nsets; s++)
			seen[s] |= (unsigned char)sig_has(a.sig + j * a.words, s);
	for (size_t s = 0; s < a.nsets; s++)
		if (!seen[s])
			people_phantom(x->people, (int)s);
	free(seen);
	people_atoms(x->people, &x->atoms);
}

static int same_atoms(const struct tatoms *a, size_t s, size_t t)
{
	for (size_t j = 0; j < a->n; j++)
		if (sig_has(a->sig + j * a->words, s) != sig_has(a->sig + j * a->words, t))
			return 0;
	return 1;
}

/* One quantity per group of sets holding the same atoms. */
static void people_quantities(struct sdc *x)
{
	const struct tatoms *a = &x->atoms;
	uint64_t *h = xcalloc(a->nsets ? a->nsets : 1, sizeof *h);
	long *count = xcalloc(a->nsets ? a->nsets : 1, sizeof *count);
	int *natoms = xcalloc(a->nsets ? a->nsets : 1, sizeof *natoms);

	for (size_t s = 0; s < a->nsets; s++)
		h[s] = 1469598103934665603ULL;
	for (size_t j = 0; j < a->n; j++)
		for (size_t s = 0; s < a->nsets; s++)
			if (sig_has(a->sig + j * a->words, s)) {
				h[s] = (h[s] ^ j) * 1099511628211ULL;
				count[s] += a->count[j];
				natoms[s]++;
			}
	x->q_of_set = xcalloc(a->nsets ? a->nsets : 1, sizeof *x->q_of_set);
	for (size_t s = 0; s < a->nsets; s++) {
		size_t t;

		for (t = 0; t < s; t++)
			if (h[t] == h[s] && same_atoms(a, s, t))
				break;
		if (t < s) {
			x->q_of_set[s] = x->q_of_set[t];
			continue;
		}
		x->q = xrealloc(x->q, (x->nq + 1) * sizeof *x->q);
		memset(&x->q[x->nq], 0, sizeof x->q[x->nq]);
		x->q[x->nq].set = (int)s;
		x->q[x->nq].value = count[s];
		x->q[x->nq].zero = natoms[s] == 0;
		x->q_of_set[s] = (int)x->nq++;
	}
	free(h);
	free(count);
	free(natoms);
}

static long set_count(const struct tatoms *a, int set)
{
	long n = 0;

	for (size_t j = 0; j < a->n; j++)
		if (sig_has(a->sig + j * a->words, (size_t)set))
			n += a->count[j];
	return n;
}

static int model_quantity(struct sdc *x, const struct tcell *c)
{
	const struct tmodel *tm = &c->table->models[c->panel];
	struct quant *q;

	for (size_t i = 0; i < x->nq; i++)
		if (x->q[i].fit == c->fit)
			return (int)i;
	x->q = xrealloc(x->q, (x->nq + 1) * sizeof *x->q);
	q = &x->q[x->nq];
	memset(q, 0, sizeof *q);
	q->set = -1;
	q->fit = c->fit;
	q->value = c->fit->n;
	/* no person section (model tables alone): nothing to bound the model's n by */
	q->bound_set = people_count(x->people) > 0 ? people_model_set(x->people, tm) : -1;
	if (q->bound_set >= 0 && q->value > set_count(&x->atoms, q->bound_set)) {
		/* model sections that do not come from these people: the bound would be false */
		size_t len = strlen(x->unbound);

		snprintf(x->unbound + len, sizeof x->unbound - len, "%s%s", len ? ", " : "", c->fit->name);
		q->bound_set = -1;
	}
	return (int)x->nq++;
}

/* The quantity of model cell C (its model's n), or -1 for other cells. */
static int fit_quantity(const struct sdc *x, const struct tcell *c)
{
	for (size_t i = 0; c->fit && i < x->nq; i++)
		if (x->q[i].fit == c->fit)
			return (int)i;
	return -1;
}

static void build_quantities(struct sdc *x)
{
	add_phantoms(x);
	people_quantities(x);
	for (size_t i = 0; i < x->c->n; i++)
		if (x->c->v[i].fit)
			model_quantity(x, &x->c->v[i]);
	if (*x->unbound)
		diag_warn(NULL, 0, NULL, "audit: models with an n above their population's count in the person stream (not fitted on these people?): %s; audited without that bound",
			  x->unbound);
	x->aq = xcalloc(x->nq ? x->nq : 1, sizeof *x->aq);
}

/* ---- one round: what is published, what must be protected ----------------------------------- */

static void publish(struct sdc *x, int q, long shown, int exact)
{
	struct aquant *a = &x->aq[q];
	double lo, hi;

	if (exact)
		lo = hi = (double)x->q[q].value;
	else
		shown_range(x->o, shown, &lo, &hi);
	if (!a->published || lo > a->lo)
		a->lo = lo;
	if (!a->published || hi < a->hi)
		a->hi = hi;
	a->published = 1;
}

static void target(struct sdc *x, int q, const struct tcell *who, const char *what)
{
	if (x->q[q].zero || x->q[q].target)
		return;
	x->q[q].target = 1;
	x->q[q].who = who;
	x->q[q].what = what;
}

static void people_round(struct sdc *x, const struct tcell *c)
{
	/* an unweighted share or mean pins its n (estimate and interval give it away even when
	 * n is rounded); the yes-count of an unweighted 0/1 row is estimate x n */
	int exact_n = !c->weighted && strcmp(c->measure, "count") != 0;

	if (!c->suppressed) {
		publish(x, x->q_of_set[c->set_n], shown_count(x->o, c->n), exact_n);
		if (c->k_shown)
			publish(x, x->q_of_set[c->set_k], 0, 1);
	} else {
		if (c->tr->dist)
			target(x, x->q_of_set[c->set_k], c, "category count");
		else
			target(x, x->q_of_set[c->set_n], c, "n");
		if (c->k_shown)
			target(x, x->q_of_set[c->set_k], c, "yes-count");
	}
	if (!c->panel_hidden)
		publish(x, x->q_of_set[c->set_panel], shown_count(x->o, c->panel_n), 0);
	else
		target(x, x->q_of_set[c->set_panel], c, "block n");
}

static void round_view(struct sdc *x)
{
	for (size_t i = 0; i < x->nq; i++) {
		x->aq[i].set = x->q[i].set;
		x->aq[i].bound_set = x->q[i].bound_set;
		x->aq[i].published = 0;
		x->aq[i].lo = x->aq[i].hi = 0;
	}
	for (size_t i = 0; i < x->c->n; i++) {
		const struct tcell *c = &x->c->v[i];
		int q = fit_quantity(x, c);

		if (c->tr)
			people_round(x, c);
		else if (q >= 0 && !c->suppressed)
			publish(x, q, shown_count(x->o, c->n), 0);
		else if (q >= 0)
			target(x, q, c, "model n");
	}
}

/* ---- withholding ------------------------------------------------------------------------------ */

static int symbol_uses(const struct sdc *x, const struct tcell *s, const struct mfit *f)
{
	for (size_t mi = 0; mi < s->table->nmodels; mi++)
		if (strcmp(s->table->models[mi].benefit, s->benefit) == 0 &&
		    models_find(x->models, s->table->models[mi].name) == f)
			return 1;
	return 0;
}

/* Suppress every cell and hide every block that shows quantity Q (it is published, so
 * there is at least one). */
static void withhold(struct sdc *x, int q)
{
	struct tcells *c = x->c;
	size_t changed = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct tcell *v = &c->v[i];

		if (v->tr) {
			if (!v->suppressed && (x->q_of_set[v->set_n] == q || (v->k_shown && x->q_of_set[v->set_k] == q))) {
				suppress_row(c, v, 2);
				changed++;
			}
			if (!v->panel_hidden && x->q_of_set[v->set_panel] == q) {
				v->panel_hidden = 1;
				changed++;
			}
		} else if (!v->suppressed && x->q[q].fit &&
			   (v->fit == x->q[q].fit || (strcmp(v->measure, "symbol") == 0 && symbol_uses(x, v, x->q[q].fit)))) {
			v->suppressed = 2;
			changed++;
		}
	}
	if (changed == 0)
		BUG("audit: quantity %d is published but no cell or block shows it", q);
	x->added++;
}

static void __attribute__((noreturn)) too_narrow(const struct sdc *x, const struct quant *q, double lo, double hi)
{
	const struct tcell *c = q->who;
	char his[32];

	if (isinf(hi))
		snprintf(his, sizeof his, "inf");
	else
		snprintf(his, sizeof his, "%.0f", hi);
	die(EXIT_DATA, NULL, 0, NULL,
	    "audit: table %s, benefit %s, period %s, population %s, row %s: the published figures narrow its %s to [%.0f, %s], less than --protection %ld wide (nothing written)",
	    c->table->id, c->benefit, c->period, c->population, c->fit ? c->fit->name : c->row, q->what, lo, his,
	    x->protection);
}

/* The published quantity to withhold for a target that is too narrow: among those that
 * bound it, the smallest count (the least information lost), then the first. */
static int candidate(const struct sdc *x, const unsigned char *binding)
{
	int best = -1;

	for (size_t i = 0; i < x->nq; i++)
		if (binding[i] && (best < 0 || x->q[i].value < x->q[best].value))
			best = (int)i;
	return best;
}

/* Check the targets not yet found safe; withhold one quantity for the first that is too
 * narrow. Returns 1 when something was withheld (another round is needed), 0 when every
 * target is wide enough. */
static int audit_round(struct sdc *x, double *narrowest)
{
	struct audit *lp;
	unsigned char *binding = xcalloc(x->nq ? x->nq : 1, 1);
	int more = 0;

	round_view(x);
	lp = audit_build(&x->atoms, x->aq, x->nq);
	for (size_t i = 0; i < x->nq && !more; i++) {
		struct quant *q = &x->q[i];
		double lo, hi, width;
		int cand;

		if (!q->target || q->safe)
			continue;
		if (audit_range(lp, i, &lo, &hi, binding) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "audit: the linear program solver (GLPK) found no answer");
		lo = ceil(lo - 1e-6);
		hi = isinf(hi) ? hi : floor(hi + 1e-6);
		width = hi - lo;
		if (width >= (double)x->protection) {
			q->safe = 1;
			*narrowest = fmin(*narrowest, width);
			continue;
		}
		cand = x->o->secondary == SECONDARY_AUDIT ? candidate(x, binding) : -1;
		if (cand < 0)
			too_narrow(x, q, lo, hi);
		withhold(x, cand);
		more = 1;
	}
	audit_free(lp);
	free(binding);
	return more;
}

static void audit_all(struct sdc *x)
{
	double narrowest = INFINITY;
	size_t ntargets = 0, withheld = 0;

	for (size_t i = 0; i < x->c->n; i++)
		withheld += x->c->v[i].suppressed || x->c->v[i].panel_hidden;
	if (withheld == 0)
		return;                 /* nothing withheld: nothing to audit (the usual case) */
	build_quantities(x);
	while (audit_round(x, &narrowest))
		;
	for (size_t i = 0; i < x->nq; i++)
		ntargets += (size_t)x->q[i].target;
	glp_free_env();
	if (ntargets > 0 && isinf(narrowest))
		diag_warn(NULL, 0, NULL, "audit: %zu withheld counts, none bounded by what is published; %ld more suppressions by the audit",
			  ntargets, x->added);
	else if (ntargets > 0)
		diag_warn(NULL, 0, NULL,
			  "audit: %zu withheld counts, none can be narrowed to less than %.0f people (--protection %ld); %ld more suppressions by the audit",
			  ntargets, narrowest, x->protection, x->added);
}

/* ---- the cells as published ---------------------------------------------------------------------- */

static void finish(struct tcells *c, const struct topts *o)
{
	for (size_t k = 0; k < c->n; k++) {
		struct tcell *x = &c->v[k];

		if (x->suppressed) {
			x->est = x->lo = x->hi = NAN;
			x->symbol[0] = '\0';
			continue;
		}
		x->n = shown_count(o, x->n);
		if (strcmp(x->measure, "count") == 0)
			x->est = (double)x->n;
	}
	for (size_t k = 0; k < c->n; k++)         /* a block's n stands above all its cells */
		if (!c->v[k].panel_hidden)
			c->v[k].panel_n = shown_count(o, c->v[k].panel_n);
}

void disclose(struct tcells *c, struct people *p, const struct models *m, const struct topts *o)
{
	struct sdc x = { 0 };

	x.c = c;
	x.people = p;
	x.models = m;
	x.o = o;
	x.protection = o->protection;
	primary_and_links(c, o->min_n);
	if (o->audit && o->min_n > 0)
		audit_all(&x);
	finish(c, o);
	free(x.q_of_set);
	free(x.q);
	free(x.aq);
}
