/* svytotal_test - totals and means with their linearised standard errors from
 * filters/lib/svyvar.c, on the design weights and on three calibrated designs, against R's
 * svytotal and svymean to 1e-10 relative.
 *
 * The world and R's answers are svytotal.R's (committed beside this file; rerun it with
 * `Rscript tests/calibrate-weights/svytotal.R` from the checkout): data/svytotal-people.csv,
 * 61 people in 3 strata (one a singleton) with calibration variables a and b, design weight
 * d, y, a domain flag and the calibrated weights of linear, raking and bounded logit
 * calibration on the margins ~a + ~b; data/svytotal-expected.csv, per design and domain
 * (the whole sample, or subset(design, dom == 1)) svytotal's and svymean's estimate and SE.
 *
 * What the library is given is what its header says a caller gives: a total's influence
 * values are w y, a mean's w (y - R) / W, 0 outside the domain; the estimate itself is the
 * caller's sum. So this checks the total's SE (the calibration residuals included) and
 * the sums, as a stage computing a total would.
 */
#include "../lib/tap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "diag.h"
#include "svyvar.h"

enum { N_MAX = 100, N_DESIGNS = 4 };
static const char *const design_names[N_DESIGNS] = { "none", "linear", "raking", "logit" };

struct person {
	size_t stratum;
	char a[8], b[8];
	double d, y, w[N_DESIGNS];   /* w[0] = d: the design weights */
	int dom;
};

static void near(double got, double want, double tol, const char *what)
{
	int ok = fabs(got - want) <= tol * fmax(1, fabs(want));

	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		printf("#   got %.17g, want %.17g\n", got, want);
}

static FILE *open_data(const char *name)
{
	const char *root = getenv("KETEN_ROOT");
	char path[4096];

	snprintf(path, sizeof path, "%s/tests/calibrate-weights/data/%s", root ? root : ".", name);
	return fopen(path, "r");
}

/* The people of data/svytotal-people.csv; their number, or -1. */
static int read_people(struct person *p)
{
	FILE *fp = open_data("svytotal-people.csv");
	char line[512];
	int n = 0;

	if (fp == NULL || fgets(line, sizeof line, fp) == NULL)
		return fp ? (fclose(fp), -1) : -1;
	while (n < N_MAX && fgets(line, sizeof line, fp)) {
		struct person *q = &p[n];
		int h;

		if (sscanf(line, "%d,%7[^,],%7[^,],%lf,%lf,%d,%lf,%lf,%lf", &h, q->a, q->b, &q->d, &q->y, &q->dom,
			   &q->w[1], &q->w[2], &q->w[3]) != 9) {
			fclose(fp);
			return -1;
		}
		q->stratum = (size_t)h;
		q->w[0] = q->d;
		n++;
	}
	fclose(fp);
	return n;
}

/* Total and mean over the domain (all: everyone) of design D, with their SEs. */
static int estimate(const struct person *p, int n, int D, int all, double out[4])
{
	static const size_t va[] = { 0 }, vb[] = { 1 };
	static const size_t *const margins[] = { va, vb };
	static const size_t margin_n[] = { 1, 1 };
	struct svy_design *s = D ? svy_design_new(2, 2, margins, margin_n) : svy_design_new(0, 0, NULL, NULL);
	struct svy_domain *total = svy_domain_new(s, 1), *mean = svy_domain_new(s, 1);
	long slot[N_MAX];
	double T = 0, W = 0, V;
	char err[256];
	int rc = 0;

	for (int i = 0; i < n; i++) {
		const char *vals[2] = { p[i].a, p[i].b };

		slot[i] = svy_design_add(s, p[i].stratum, D ? svy_design_pattern(s, vals) : -1, p[i].d, p[i].w[D]);
		if (all || p[i].dom) {
			T += p[i].w[D] * p[i].y;
			W += p[i].w[D];
		}
	}
	rc |= svy_design_finish(s, err, sizeof err);
	for (int i = 0; i < n; i++) {
		double u;

		if (!all && !p[i].dom)
			continue;
		u = p[i].w[D] * p[i].y;
		svy_domain_add(total, slot[i], p[i].d, p[i].w[D], &u);
		u = p[i].w[D] * (p[i].y - T / W) / W;
		svy_domain_add(mean, slot[i], p[i].d, p[i].w[D], &u);
	}
	out[0] = T;
	rc |= svy_domain_variance(total, &V, err, sizeof err);
	out[1] = sqrt(V);
	out[2] = T / W;
	rc |= svy_domain_variance(mean, &V, err, sizeof err);
	out[3] = sqrt(V);
	svy_domain_free(total);
	svy_domain_free(mean);
	svy_design_free(s);
	return rc;
}

int main(void)
{
	static const char *const what[4] = { "svytotal", "svytotal's SE", "svymean", "svymean's SE" };
	struct person p[N_MAX];
	int n = read_people(p), compared = 0;
	FILE *fp = open_data("svytotal-expected.csv");
	char line[512], design[16], domain[16];
	double want[4], got[4];

	gsl_set_error_handler_off();
	tap_line("%s - data/svytotal-people.csv holds the 61 people of svytotal.R\n", n == 61 ? "ok" : "not ok");
	if (n != 61 || fp == NULL || fgets(line, sizeof line, fp) == NULL) {
		tap_line("not ok - data/svytotal-expected.csv can be read\n");
		tap_plan();
		return 0;
	}
	while (fgets(line, sizeof line, fp) &&
	       sscanf(line, "%15[^,],%15[^,],%lf,%lf,%lf,%lf", design, domain, &want[0], &want[1], &want[2], &want[3]) == 6) {
		int D = -1;
		char label[200];

		for (int k = 0; k < N_DESIGNS; k++)
			if (strcmp(design, design_names[k]) == 0)
				D = k;
		if (D < 0)
			continue;
		if (estimate(p, n, D, strcmp(domain, "all") == 0, got) != 0)
			tap_line("not ok - %s, %s: the library refused the design\n", design, domain);
		for (int k = 0; k < 4; k++) {
			snprintf(label, sizeof label, "design %s, %s: %s (R: %.17g)", design,
				 strcmp(domain, "all") == 0 ? "the whole sample" : "a domain", what[k], want[k]);
			near(got[k], want[k], 1e-10, label);
		}
		compared++;
	}
	fclose(fp);
	tap_line("%s - every design and domain of R's file was compared (%d of 8)\n", compared == 8 ? "ok" : "not ok",
		 compared);
	tap_plan();
	return 0;
}
