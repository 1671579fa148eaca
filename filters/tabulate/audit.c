/* audit.c - the attacker's linear programs, through GLPK (see tabulate.h, struct aquant).
 *
 * Columns: one per atom (people.c), >= 0, and one per model n, >= 0. Rows: one per
 * published quantity (a sum of atoms, or a model n) fixed to its published value (or the
 * range a rounded value leaves), and for each model n the row  n - (its population's
 * atoms) <= 0: a model is fitted on some of its population. The feasible region is every
 * way the people could be spread over the atoms that gives the published tables; the
 * smallest and largest value of a withheld count over it is what a reader who combines
 * the published numbers by linear algebra (subtraction, totals, complements, nesting
 * across tables) can know. The region is the LP relaxation: an attacker reasoning over
 * whole people can only do as well or better at the ends, so disclose.c rounds the bounds
 * inwards (ceil, floor) before comparing their distance with the protection level.
 *
 * One problem serves every withheld count of a round: only the objective changes, and
 * the simplex starts from the last basis (still feasible: the rows did not change).
 */
#include "tabulate.h"

#include "atoms.h"
#include "diag.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct audit {
	glp_prob *lp;
	const struct tatoms *a;
	const struct aquant *q;
	size_t nq;
	int *row_of;                /* quantity -> its row (1-based), 0 = not published */
	int *col_of;                /* model quantity -> its column, 0 = a people set */
	int *obj;                   /* columns with coefficient 1 in the current objective */
	size_t nobj;
};

/* The triplets of the constraint matrix, GLPK style (1-based, slot 0 unused). */
struct triplets {
	int *ia, *ja;
	double *ar;
	size_t n, cap;
};

static void put(struct triplets *t, int row, int col, double v)
{
	if (t->n + 1 >= t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->ia = xrealloc(t->ia, t->cap * sizeof *t->ia);
		t->ja = xrealloc(t->ja, t->cap * sizeof *t->ja);
		t->ar = xrealloc(t->ar, t->cap * sizeof *t->ar);
	}
	t->n++;
	t->ia[t->n] = row;
	t->ja[t->n] = col;
	t->ar[t->n] = v;
}

/* Row ROW: +1 on every atom of SET. */
static void put_set(struct triplets *t, const struct tatoms *a, int row, int set, double v)
{
	for (size_t j = 0; j < a->n; j++)
		if (sig_has(a->sig + j * a->words, (size_t)set))
			put(t, row, (int)j + 1, v);
}

static int add_row(glp_prob *lp, double lo, double hi, int upper_only)
{
	int r = glp_add_rows(lp, 1);

	if (upper_only)
		glp_set_row_bnds(lp, r, GLP_UP, 0, hi);
	else if (lo == hi)
		glp_set_row_bnds(lp, r, GLP_FX, lo, lo);
	else
		glp_set_row_bnds(lp, r, GLP_DB, lo, hi);
	return r;
}

/* GLPK's failures (in practice: an allocation it could not make) end the program the way
 * every other failure does - "tabulate: audit: ...", exit 1 - not in abort(). GLPK prints
 * what went wrong through its terminal output, then "Error detected in file ...", then
 * calls the error hook, which must not return. So the terminal hook prints nothing (stdout
 * may be the table stream) and keeps the last line before that, and the error hook dies
 * with it. */
static char glpk_said[200];

static int glpk_terminal(void *info, const char *s)
{
	(void)info;
	if (strncmp(s, "Error detected", 14) != 0) {
		snprintf(glpk_said, sizeof glpk_said, "%s", s);
		glpk_said[strcspn(glpk_said, "\n")] = '\0';
	}
	return 1;                   /* printed by nobody */
}

static void glpk_failed(void *info)
{
	(void)info;
	die(EXIT_DATA, NULL, 0, NULL, "audit: GLPK: %s", glpk_said[0] ? glpk_said : "failed");
}

/* GLPK's environment, made here rather than on its first call: GLPK aborts when it cannot
 * allocate the environment it makes by itself, while glp_init_env says so. */
static void glpk_start(void)
{
	if (glp_init_env() == 2)
		die(EXIT_DATA, NULL, 0, NULL, "audit: GLPK: out of memory");
	glpk_said[0] = '\0';
	glp_term_hook(glpk_terminal, NULL);
	glp_error_hook(glpk_failed, NULL);
}

struct audit *audit_build(const struct tatoms *a, const struct aquant *q, size_t nq)
{
	struct audit *x = xcalloc(1, sizeof *x);
	struct triplets t = { 0 };
	int ncols = (int)a->n;

	glpk_start();
	x->lp = glp_create_prob();
	x->a = a;
	x->q = q;
	x->nq = nq;
	x->row_of = xcalloc(nq ? nq : 1, sizeof *x->row_of);
	x->col_of = xcalloc(nq ? nq : 1, sizeof *x->col_of);
	x->obj = xcalloc(a->n + nq + 1, sizeof *x->obj);
	for (size_t i = 0; i < nq; i++)
		if (q[i].set < 0)
			x->col_of[i] = ++ncols;
	if (ncols > 0) {
		glp_add_cols(x->lp, ncols);
		for (int j = 1; j <= ncols; j++)
			glp_set_col_bnds(x->lp, j, GLP_LO, 0, 0);
	}
	for (size_t i = 0; i < nq; i++) {
		if (q[i].published) {
			x->row_of[i] = add_row(x->lp, q[i].lo, q[i].hi, 0);
			if (q[i].set >= 0)
				put_set(&t, a, x->row_of[i], q[i].set, 1);
			else
				put(&t, x->row_of[i], x->col_of[i], 1);
		}
		if (q[i].set < 0 && q[i].bound_set >= 0) {
			int r = add_row(x->lp, 0, 0, 1);

			put(&t, r, x->col_of[i], 1);
			put_set(&t, a, r, q[i].bound_set, -1);
		}
	}
	if (t.n > 0)
		glp_load_matrix(x->lp, (int)t.n, t.ia, t.ja, t.ar);
	free(t.ia);
	free(t.ja);
	free(t.ar);
	return x;
}

static void set_objective(struct audit *x, size_t target)
{
	const struct tatoms *a = x->a;

	for (size_t k = 0; k < x->nobj; k++)
		glp_set_obj_coef(x->lp, x->obj[k], 0);
	x->nobj = 0;
	if (x->q[target].set < 0) {
		x->obj[x->nobj++] = x->col_of[target];
	} else {
		for (size_t j = 0; j < a->n; j++)
			if (sig_has(a->sig + j * a->words, (size_t)x->q[target].set))
				x->obj[x->nobj++] = (int)j + 1;
	}
	for (size_t k = 0; k < x->nobj; k++)
		glp_set_obj_coef(x->lp, x->obj[k], 1);
}

/* Solve in direction DIR; the optimum in *v (+inf when unbounded). Returns -1 when GLPK
 * finds no answer even from a fresh basis. */
static int solve(struct audit *x, int dir, double *v, unsigned char *binding)
{
	glp_smcp parm;
	int status;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	glp_set_obj_dir(x->lp, dir);
	if (glp_get_num_rows(x->lp) == 0 || x->nobj == 0) {
		/* nothing published, or an empty set: no constraint, or nothing to count */
		*v = x->nobj == 0 || dir == GLP_MIN ? 0 : INFINITY;
		return 0;
	}
	if (glp_simplex(x->lp, &parm) != 0) {
		glp_std_basis(x->lp);
		if (glp_simplex(x->lp, &parm) != 0)
			return -1;
	}
	status = glp_get_status(x->lp);
	if (status == GLP_UNBND) {
		*v = INFINITY;
		return 0;
	}
	if (status != GLP_OPT)
		return -1;
	*v = glp_get_obj_val(x->lp);
	for (size_t i = 0; binding && i < x->nq; i++)
		if (x->row_of[i] && fabs(glp_get_row_dual(x->lp, x->row_of[i])) > 1e-9)
			binding[i] = 1;
	return 0;
}

int audit_range(struct audit *x, size_t target, double *lo, double *hi, unsigned char *binding)
{
	if (binding)
		memset(binding, 0, x->nq);
	set_objective(x, target);
	if (solve(x, GLP_MIN, lo, binding) < 0 || solve(x, GLP_MAX, hi, binding) < 0)
		return -1;
	return 0;
}

void audit_free(struct audit *x)
{
	if (x == NULL)
		return;
	glp_delete_prob(x->lp);
	free(x->row_of);
	free(x->col_of);
	free(x->obj);
	free(x);
}
