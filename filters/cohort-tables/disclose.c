/* disclose.c - disclosure control of the cohort figures (cohorts.h; doc/cohorts.md,
 * "Disclosure control", has the reasoning and what is not covered).
 *
 * In the words of tabulate's disclose.c (the SDC handbook's):
 *   primary      a figure resting on fewer than --min-n people is withheld: a count, a
 *                share's denominator or yes-count (a handover category's own count, as a
 *                dist's category in tabulate), a Kaplan-Meier month's number at risk or its
 *                members still on benefit past the month, a median's curve population;
 *   links        inside a cohort, what gives a withheld figure away goes with it: the
 *                count and the share of one k-month figure (share x n is the count); the
 *                handover categories when the 6-month count is withheld (it is their n);
 *                S(k) when the k-month figure is withheld (S(k) x N is its count);
 *   complementary the handover categories add up to their published n: while fewer than
 *                two are withheld, or the withheld ones add up to less than --protection
 *                people, the smallest published one is withheld too;
 *   parts        a longer cohort (a quarter, a year, a --combine range) against the
 *                shorter cohorts of the same output it is made of: the longer count minus
 *                the published shorter ones is what the withheld shorter ones hold (less
 *                the persons in two of them, each counted once in the longer cohort). A
 *                longer cohort's figure is withheld when a shorter one is, unless at least
 *                two are and they hold at least --protection people by that subtraction.
 * Suppression only grows, so the rules run again until nothing changes.
 */
#include <math.h>

#include "cohorts.h"

static int shown(const struct fig *f)
{
	return f->present && (f->status == S_KNOWN || f->status == S_ESTIMATE);
}

/* Withhold F (when shown); counts it. Returns 1 when it changed. */
static int withhold(struct fig *f, long *counter)
{
	if (!shown(f))
		return 0;
	f->status = S_SUPPRESSED;
	(*counter)++;
	return 1;
}

static void primary(struct cellfigs *b, const struct copts *o, long *n)
{
	for (int i = 0; i < N_FIGS; i++) {
		struct fig *f = &b->f[i];
		int few = f->n < o->min_n || (f->count >= 0 && f->count < o->min_n);

		if (shown(f) && few)
			withhold(f, n);
	}
}

static int withheld(const struct fig *f)
{
	return f->present && f->status == S_SUPPRESSED;
}

/* The links inside one cell, and the complementary handover rule. Returns the changes. */
static int links(struct cellfigs *b, const struct copts *o, long *n)
{
	int changed = 0;

	for (int k = 0; k < N_MARKS; k++) {
		struct fig *cnt = &b->f[F_ON_COUNT + 2 * k], *shr = cnt + 1;

		if (withheld(cnt) || withheld(shr)) {
			changed += withhold(cnt, n) + withhold(shr, n);
			changed += withhold(&b->f[F_KM_SURV + mark_months[k] - 1], n);
			for (int h = 0; h < N_HO && k == 1; h++)
				changed += withhold(&b->f[F_HANDOVER + h], n);
		}
	}
	for (;;) {
		long sum = 0;
		int n_withheld = 0;
		struct fig *smallest = NULL;

		for (int h = 0; h < N_HO; h++) {
			struct fig *f = &b->f[F_HANDOVER + h];

			if (withheld(f)) {
				n_withheld++;
				sum += f->count;
			} else if (shown(f) && (!smallest || f->count < smallest->count)) {
				smallest = f;
			}
		}
		if (n_withheld == 0 || !smallest || (n_withheld >= 2 && sum >= o->protection))
			break;
		changed += withhold(smallest, n);
	}
	return changed;
}

/* Does kind P tile kind K's cohorts (every cohort of K is whole cohorts of P)? */
static int tiles(const struct ckind *p, const struct ckind *k)
{
	if (p == k || p->kind == CK_RANGE || p->months >= k->months)
		return 0;
	if (k->kind == CK_RANGE)
		return k->from % p->months == 0 && (k->to + 1) % p->months == 0;
	return k->months % p->months == 0;
}

/* Figure I of K's cohort (index J, benefit B) against P's cohorts inside it. */
static int parts_one(struct cohorts *c, size_t ki, size_t j, int b, size_t pi, int i, const struct copts *o,
		     long *n)
{
	const struct ckind *k = &c->kinds[ki], *p = &c->kinds[pi];
	struct fig *f = &figs_at(c, ki, j, b)->f[i];
	int first = k->kind == CK_RANGE ? k->from : (k->base + (int)j) * k->months;
	long pub_count = 0, pub_n = 0;
	int n_withheld = 0;

	if (!shown(f) || f->status != S_KNOWN || f->count < 0)
		return 0;          /* an estimate (a curve with members censored) gives no count */
	for (int m = first; m < first + k->months; m += p->months) {
		int pc = m / p->months - p->base;
		const struct fig *g;

		if (pc < 0 || pc >= (int)p->n_cohorts)
			continue;              /* no members there: a published zero */
		g = &figs_at(c, pi, (size_t)pc, b)->f[i];
		if (!g->present)
			continue;
		if (shown(g)) {
			pub_count += g->count;
			pub_n += g->n;
		} else {
			n_withheld++;
		}
	}
	if (n_withheld == 0 || (n_withheld >= 2 && f->count - pub_count >= o->protection &&
				 f->n - pub_n >= o->protection))
		return 0;
	return withhold(f, n);
}

static int parts(struct cohorts *c, const struct copts *o, long *n)
{
	int changed = 0;

	for (size_t ki = 0; ki < c->n_kinds; ki++)
		for (size_t pi = 0; pi < c->n_kinds; pi++) {
			if (!tiles(&c->kinds[pi], &c->kinds[ki]))
				continue;
			for (size_t j = 0; j < c->kinds[ki].n_cohorts; j++)
				for (int b = 0; b < N_BENEFIT; b++)
					for (int i = 0; i < N_FIGS; i++)
						changed += parts_one(c, ki, j, b, pi, i, o, n);
		}
	return changed;
}

void disclose(struct cohorts *c, const struct copts *o, long *n_primary, long *n_secondary)
{
	int changed;

	*n_primary = *n_secondary = 0;
	for (size_t i = 0; i < c->n_figs; i++)
		primary(&c->figs[i], o, n_primary);
	do {
		changed = 0;
		for (size_t i = 0; i < c->n_figs; i++)
			changed += links(&c->figs[i], o, n_secondary);
		changed += parts(c, o, n_secondary);
	} while (changed);
}
