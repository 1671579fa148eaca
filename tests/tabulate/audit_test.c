/* audit_test.c - the audit's linear programs (filters/tabulate/audit.c) on tables small
 * enough to solve by hand (TAP).
 *
 * A 2 x 2 table of people: cells a b / c d with 3 7 / 5 15 people, margins r1 = a + b = 10,
 * r2 = c + d = 20, k1 = a + c = 8, k2 = b + d = 22, total 30. Each cell is an atom, each
 * margin a set of atoms. By hand:
 *   all four cells withheld, margins published: a lies in [max(0, r1 - k2), min(r1, k1)]
 *     = [0, 8] (the textbook feasibility interval of a 2 x 2 table); d in [12, 20];
 *   b published too: a = r1 - b = 3 exactly, bounded by r1 and b;
 *   nothing published: a is unbounded above;
 *   rounded r1 (shown 10 with base 5: 8..12) and k1 published: a in [0, 8], still;
 *   a model's n (a column of its own) published as 6 and bounded by the set {a, b}: the
 *     withheld a + b is then at least 6 - with k2 = 22 and only the first row counted,
 *     [6, 30] when nothing else is published.
 * The Makefile links tests with the library only, so the modules are included here.
 */
#include "../lib/tap.h"
#include "../../filters/tabulate/atoms.c"
#include "../../filters/tabulate/audit.c"

#include <stdio.h>

static int failed;

static void same(double want, double got, const char *what)
{
	if (want == got || (isinf(want) && isinf(got))) {
		tap_line("ok - %s = %g\n", what, got);
	} else {
		failed = 1;
		tap_line("not ok - %s: wanted %g, got %g\n", what, want, got);
	}
}

/* sets: 0 = a, 1 = b, 2 = c, 3 = d (the cells), 4 = r1, 5 = r2, 6 = k1, 7 = k2, 8 = total */
static const int members[4][5] = {
	{ 0, 4, 6, 8, -1 }, { 1, 4, 7, 8, -1 }, { 2, 5, 6, 8, -1 }, { 3, 5, 7, 8, -1 },
};
static const long people[4] = { 3, 7, 5, 15 };

static struct tatoms table(uint64_t *sig, long *count)
{
	struct tatoms a = { 9, 1, 4, sig, count };

	for (int j = 0; j < 4; j++) {
		sig[j] = 0;
		for (int k = 0; members[j][k] >= 0; k++)
			sig_set(&sig[j], (size_t)members[j][k]);
		count[j] = people[j];
	}
	return a;
}

/* Quantities 0..8 = the sets; PUB: which are published (at their true value). */
static void quantities(struct aquant *q, const struct tatoms *a, const int *pub)
{
	for (int i = 0; i < 9; i++) {
		long v = 0;

		for (size_t j = 0; j < a->n; j++)
			if (sig_has(&a->sig[j], (size_t)i))
				v += a->count[j];
		q[i].set = i;
		q[i].bound_set = -1;
		q[i].published = pub[i];
		q[i].lo = q[i].hi = (double)v;
	}
}

int main(void)
{
	uint64_t sig[4];
	long count[4];
	struct tatoms a = table(sig, count);
	struct aquant q[10];
	unsigned char binding[10];
	double lo, hi;
	struct audit *x;

	{       /* margins published, cells withheld */
		int pub[9] = { 0, 0, 0, 0, 1, 1, 1, 1, 1 };

		quantities(q, &a, pub);
		x = audit_build(&a, q, 9);
		audit_range(x, 0, &lo, &hi, binding);
		same(0, lo, "margins only: a, smallest");
		same(8, hi, "margins only: a, largest (min(r1, k1))");
		tap_line("%s - margins only: the bound on a comes from a published margin\n",
		       binding[4] || binding[6] || binding[8] ? "ok" : "not ok");
		failed |= !(binding[4] || binding[6] || binding[8]);
		audit_range(x, 3, &lo, &hi, NULL);
		same(12, lo, "margins only: d, smallest (r2 - k1)");
		same(20, hi, "margins only: d, largest (r2)");
		audit_free(x);
	}
	{       /* b published as well: a = r1 - b */
		int pub[9] = { 0, 1, 0, 0, 1, 1, 1, 1, 1 };

		quantities(q, &a, pub);
		x = audit_build(&a, q, 9);
		audit_range(x, 0, &lo, &hi, binding);
		same(3, lo, "b published: a exactly, smallest");
		same(3, hi, "b published: a exactly, largest");
		tap_line("%s - b published: b's row is among those that bind a\n", binding[1] ? "ok" : "not ok");
		failed |= !binding[1];
		audit_free(x);
	}
	{       /* nothing published */
		int pub[9] = { 0 };

		quantities(q, &a, pub);
		x = audit_build(&a, q, 9);
		audit_range(x, 0, &lo, &hi, NULL);
		same(0, lo, "nothing published: a, smallest");
		same(INFINITY, hi, "nothing published: a, unbounded");
		audit_free(x);
	}
	{       /* r1 rounded to 10 (base 5: 8..12), k1 exact */
		int pub[9] = { 0, 0, 0, 0, 1, 0, 1, 0, 0 };

		quantities(q, &a, pub);
		q[4].lo = 8;
		q[4].hi = 12;
		x = audit_build(&a, q, 9);
		audit_range(x, 0, &lo, &hi, NULL);
		same(0, lo, "r1 rounded, k1 exact: a, smallest");
		same(8, hi, "r1 rounded, k1 exact: a, largest (k1)");
		audit_range(x, 4, &lo, &hi, NULL);
		same(8, lo, "r1 rounded: r1 itself, smallest");
		same(12, hi, "r1 rounded: r1 itself, largest");
		audit_free(x);
	}
	{       /* a model's n = 6, fitted on people of r1; only it and the total published */
		int pub[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };

		quantities(q, &a, pub);
		q[9].set = -1;
		q[9].bound_set = 4;
		q[9].published = 1;
		q[9].lo = q[9].hi = 6;
		x = audit_build(&a, q, 10);
		audit_range(x, 4, &lo, &hi, NULL);
		same(6, lo, "model n 6 on r1's people: r1 at least 6");
		same(30, hi, "model n 6 on r1's people: r1 at most the total");
		q[9].published = 0;
		audit_free(x);
		x = audit_build(&a, q, 10);
		audit_range(x, 9, &lo, &hi, NULL);
		same(0, lo, "model n withheld: smallest 0");
		same(30, hi, "model n withheld: at most its population, at most the total");
		audit_free(x);
	}
	glp_free_env();
	tap_plan();
	return failed;
}
