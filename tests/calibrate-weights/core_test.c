/* core_test - the calibration core (filters/calibrate-weights/calibrate.c) on its own.
 *
 *  - survey::calibrate's g-weights (data/core-cases.txt, make-expected.R): linear with and
 *    without bounds, raking with and without, logit; numeric columns besides indicators;
 *    a case where grake rescales the design weights first. Within 1e-10 relative.
 *  - known answers by hand: one margin is post-stratification, g = N_c / t_c in every
 *    cell, for every method whose bounds allow it; totals the design weights already meet
 *    leave every g at 1.
 *  - the refusals: an empty column, a total out of reach within the bounds, collinear
 *    columns (and which), no convergence (and the worst column), bad options.
 */
#include "../lib/tap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "diag.h"
#include "../../filters/calibrate-weights/calibrate.c"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	tap_checks++;
	failures += !ok;
}

static struct cal_options opts(enum cal_method m, double lower, double upper)
{
	return (struct cal_options){ .method = m, .lower = lower, .upper = upper,
	                             .epsilon = CAL_EPSILON_DEFAULT, .maxit = CAL_MAXIT_DEFAULT,
	                             .converge = CAL_CONVERGE_TOTALS };
}

/* ---- survey::calibrate's values ---- */

struct rcase {
	char name[64], method[16];
	double lower, upper;
	size_t n, p;
	double *x, *d, *total, *g;
};

static int read_case(FILE *fp, struct rcase *c)
{
	char lo[64], hi[64], word[16];

	if (fscanf(fp, " case %63s %15s %63s %63s %zu %zu", c->name, c->method, lo, hi, &c->n, &c->p) != 6)
		return 0;
	c->lower = strtod(lo, NULL);
	c->upper = strtod(hi, NULL);
	c->x = xmalloc(c->n * c->p * sizeof *c->x);
	c->d = xmalloc(c->n * sizeof *c->d);
	c->g = xmalloc(c->n * sizeof *c->g);
	c->total = xmalloc(c->p * sizeof *c->total);
	if (fscanf(fp, " %15s", word) != 1 || strcmp(word, "total"))
		return -1;
	for (size_t j = 0; j < c->p; j++)
		if (fscanf(fp, "%lf", &c->total[j]) != 1)
			return -1;
	for (size_t i = 0; i < c->n; i++) {
		if (fscanf(fp, " %15s %lf", word, &c->d[i]) != 2 || strcmp(word, "row"))
			return -1;
		for (size_t j = 0; j < c->p; j++)
			if (fscanf(fp, "%lf", &c->x[i * c->p + j]) != 1)
				return -1;
		if (fscanf(fp, "%lf", &c->g[i]) != 1)
			return -1;
	}
	return fscanf(fp, " %15s", word) == 1 && strcmp(word, "end") == 0 ? 1 : -1;
}

static void r_cases(void)
{
	const char *root = getenv("KETEN_ROOT");
	char path[4096], what[400], comment[200];
	struct rcase c;
	FILE *fp;
	int rc, ncases = 0;

	snprintf(path, sizeof path, "%s/tests/calibrate-weights/data/core-cases.txt", root ? root : ".");
	if ((fp = fopen(path, "r")) == NULL) {
		check(0, "data/core-cases.txt can be read");
		return;
	}
	if (fgets(comment, sizeof comment, fp) == NULL || comment[0] != '#')
		check(0, "data/core-cases.txt starts with its comment line");
	for (;;) {
		double *g, worst = 0;
		struct cal_options o;
		struct cal_result res;
		struct cal_problem pb;

		memset(&c, 0, sizeof c);
		if ((rc = read_case(fp, &c)) <= 0)
			break;
		o = opts((enum cal_method)calspec_parse_method(c.method), c.lower, c.upper);
		pb = (struct cal_problem){ .n = c.n, .p = c.p, .x = c.x, .d = c.d, .total = c.total };
		g = xmalloc(c.n * sizeof *g);
		cal_solve(&pb, &o, g, &res);
		for (size_t i = 0; res.status == CAL_OK && i < c.n; i++)
			worst = fmax(worst, fabs(g[i] - c.g[i]) / fabs(c.g[i]));
		snprintf(what, sizeof what, "%s, %s, bounds %g..%g: %zu g-weights equal survey::calibrate's "
		         "within 1e-10 (largest relative difference %.2g, %d iterations%s)", c.name, c.method,
		         c.lower, c.upper, c.n, worst, res.iterations, res.scale != 1 ? ", weights rescaled" : "");
		check(res.status == CAL_OK && worst <= 1e-10, what);
		ncases++;
		free(g);
		free(c.x);
		free(c.d);
		free(c.g);
		free(c.total);
	}
	if (rc < 0) {
		check(0, "data/core-cases.txt is well formed");
		free(c.x);
		free(c.d);
		free(c.g);
		free(c.total);
	}
	fclose(fp);
	check(ncases == 10, "all 10 cases of make-expected.R were compared");
}

/* ---- known answers by hand ---- */

/* One margin of two cells: cell A has design weights 2, 2, 4 (sample total 8) and 12
 * persons in the population; cell B 5, 5 (10) and 8. Every method calibrates each cell on
 * its own: g = 12/8 = 1.5 in A and 8/10 = 0.8 in B. */
static const double ps_x[] = { 1, 0, 1, 0, 1, 0, 0, 1, 0, 1 };
static const double ps_d[] = { 2, 2, 4, 5, 5 };
static const double ps_total[] = { 12, 8 };

static void post_stratification(void)
{
	const struct cal_problem pb = { .n = 5, .p = 2, .x = ps_x, .d = ps_d, .total = ps_total };
	const struct { enum cal_method m; double lo, hi; } cases[] = {
		{ CAL_LINEAR, -INFINITY, INFINITY }, { CAL_LINEAR, 0.5, 2 }, { CAL_RAKING, -INFINITY, INFINITY },
		{ CAL_RAKING, 0.7, 1.6 }, { CAL_LOGIT, 0.5, 2 }, { CAL_LOGIT, 0.2, 10 },
	};
	char what[400];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct cal_options o = opts(cases[k].m, cases[k].lo, cases[k].hi);
		struct cal_result res;
		double g[5], worst = 0;

		o.epsilon = 1e-12;
		cal_solve(&pb, &o, g, &res);
		for (size_t i = 0; i < 5; i++)
			worst = fmax(worst, fabs(g[i] - (i < 3 ? 1.5 : 0.8)));
		snprintf(what, sizeof what, "post-stratification by hand, %s %g..%g: g = 1.5 and 0.8 "
		         "(largest difference %.2g)", cal_method_name(cases[k].m), cases[k].lo, cases[k].hi, worst);
		check(res.status == CAL_OK && worst < 1e-10, what);
	}
}

/* Totals that the design weights already meet (two overlapping columns): g stays 1. */
static void already_calibrated(void)
{
	const double x[] = { 1, 1, 1, 0, 1, 1, 1, 0, 1, 1 };
	const double d[] = { 3, 1.5, 2, 4, 2.5 };
	const double total[] = { 13, 7.5 };          /* sum d; sum d where column 2 is 1 */
	const struct cal_problem pb = { .n = 5, .p = 2, .x = x, .d = d, .total = total };
	const enum cal_method ms[] = { CAL_LINEAR, CAL_RAKING, CAL_LOGIT };
	char what[400];

	for (size_t k = 0; k < 3; k++) {
		struct cal_options o = opts(ms[k], ms[k] == CAL_LOGIT ? 0.5 : -INFINITY, ms[k] == CAL_LOGIT ? 2 : INFINITY);
		struct cal_result res;
		double g[5], worst = 0;

		cal_solve(&pb, &o, g, &res);
		for (size_t i = 0; i < 5; i++)
			worst = fmax(worst, fabs(g[i] - 1));
		snprintf(what, sizeof what, "%s: a set that already meets the totals keeps its weights "
		         "(largest |g - 1| %.2g, %d iteration)", cal_method_name(ms[k]), worst, res.iterations);
		check(res.status == CAL_OK && worst < 1e-14 && res.iterations == 1, what);
	}
}

/* The convergence rule on the weights (CALMAR's) reaches the same weights. */
static void converge_on_weights(void)
{
	struct cal_options a = opts(CAL_RAKING, -INFINITY, INFINITY), b = a;
	const double x[] = { 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1 };   /* 6 x 2 */
	const double d[] = { 2, 3, 1, 4, 2, 3 };
	const double total[] = { 9, 15 };
	const struct cal_problem pb = { .n = 6, .p = 2, .x = x, .d = d, .total = total };
	struct cal_result ra, rb;
	double ga[6], gb[6], worst = 0;

	a.epsilon = b.epsilon = 1e-12;
	b.converge = CAL_CONVERGE_WEIGHTS;
	cal_solve(&pb, &a, ga, &ra);
	cal_solve(&pb, &b, gb, &rb);
	for (size_t i = 0; i < 6; i++)
		worst = fmax(worst, fabs(ga[i] - gb[i]));
	check(ra.status == CAL_OK && rb.status == CAL_OK && worst < 1e-10,
	      "--converge weights reaches the weights of --converge totals");
}

/* ---- refusals ---- */

static void refusals(void)
{
	/* column 2 has no respondents */
	const double x1[] = { 1, 0, 1, 0, 1, 0 };
	const double d1[] = { 1, 2, 3 };
	const double t1[] = { 10, 5 };
	/* columns 1 and 3 are the same respondents (collinear), column 2 is not */
	const double x2[] = { 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0 };
	const double d2[] = { 1, 2, 3, 4 };
	const double t2[] = { 10, 8, 9 };
	struct cal_problem pb = { .n = 3, .p = 2, .x = x1, .d = d1, .total = t1 };
	struct cal_options o = opts(CAL_RAKING, -INFINITY, INFINITY);
	struct cal_result res;
	double g[6];
	char msg[200];

	check(cal_solve(&pb, &o, g, &res) == CAL_EMPTY && res.column == 1, "a column without respondents: CAL_EMPTY, column 2");
	pb = (struct cal_problem){ .n = 5, .p = 2, .x = ps_x, .d = ps_d, .total = ps_total };
	o = opts(CAL_RAKING, 0.5, 1.4);   /* cell A needs 1.5 */
	check(cal_solve(&pb, &o, g, &res) == CAL_INFEASIBLE && res.column == 0,
	      "a total out of reach within the bounds: CAL_INFEASIBLE, column 1");
	check(cal_check_total(&o, 8, 12) == CAL_INFEASIBLE && cal_check_total(&o, 10, 8) == CAL_OK &&
	      cal_check_total(&o, 0, 3) == CAL_EMPTY && cal_check_total(&o, 0, 0) == CAL_OK,
	      "cal_check_total: 12 from 8 is out of 0.5..1.4, 8 from 10 is not, nothing from nothing is fine");
	pb = (struct cal_problem){ .n = 4, .p = 3, .x = x2, .d = d2, .total = t2 };
	o = opts(CAL_LINEAR, -INFINITY, INFINITY);
	check(cal_solve(&pb, &o, g, &res) == CAL_SINGULAR &&
	      ((res.column == 0 && res.other_column == 2) || (res.column == 2 && res.other_column == 0)),
	      "collinear columns: CAL_SINGULAR naming columns 1 and 3");
	/* a feasible problem in too few iterations: the worst column is reported */
	{
		const double x[] = { 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1 };
		const double d[] = { 2, 3, 1, 4, 2, 3 };
		const double total[] = { 9, 15 };
		struct cal_problem hard = { .n = 6, .p = 2, .x = x, .d = d, .total = total };

		o = opts(CAL_RAKING, -INFINITY, INFINITY);
		o.maxit = 1;
		check(cal_solve(&hard, &o, g, &res) == CAL_NOT_CONVERGED && res.iterations == 1 &&
		      res.misfit > o.epsilon, "maxit 1 on a problem raking needs several steps for: CAL_NOT_CONVERGED");
	}
	o = opts(CAL_LOGIT, -INFINITY, INFINITY);
	check(cal_check_options(&o, msg, sizeof msg) < 0 && strstr(msg, "logit calibration needs finite bounds"),
	      "logit without finite bounds is refused");
	o = opts(CAL_RAKING, 1, 3);
	check(cal_check_options(&o, msg, sizeof msg) < 0 && cal_solve(&pb, &o, g, &res) == CAL_BAD_OPTIONS,
	      "a lower bound of 1 is refused (g = 1 must lie inside the bounds)");
}

int main(void)
{
	diag_init("core_test");
	gsl_set_error_handler_off();
	r_cases();
	post_stratification();
	already_calibrated();
	converge_on_weights();
	refusals();
	tap_plan();
	return failures != 0;
}
