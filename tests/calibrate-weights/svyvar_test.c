/* svyvar_test - the domain variance of filters/lib/svyvar.c on examples worked by hand.
 *
 * Each answer was worked out on paper and checked with R's survey package (the script is
 * in the comments; options(survey.lonely.psu = "certainty")):
 *
 *  1. a ratio and a total over a domain of a stratified sample, one stratum a singleton:
 *     the domain's zeros count in each stratum's n_h; the singleton adds nothing.
 *  2. post-stratification (one margin) by linear calibration, then a total and a ratio
 *     over a domain: the residuals are w (z - the d-weighted cell mean of z), z = u / w.
 *  3. margins that add nothing (a margin every person shares, a margin repeated, a margin
 *     inside another): the same answers as 2 - a cell already spanned is left out.
 *  4. a ratio through two influence values (w y, w) and the delta method, as tabulate
 *     does it: the same answer as the ratio's own influence values.
 *  5. domains filled while the design is (a streaming stage): the same answers.
 */
#include "../lib/tap.h"
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "diag.h"
#include "svyvar.h"

static void near(double got, double want, double tol, const char *what)
{
	int ok = fabs(got - want) <= tol * fmax(1, fabs(want));

	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		printf("#   got %.17g, want %.17g\n", got, want);
}

/* ---- 1. uncalibrated ----
 * person  a  b  c  d  e  f  g       d1 <- data.frame(h = c(0,0,0,1,1,1,2),
 * stratum 0  0  0  1  1  1  2         w = c(2,2,4,3,1,5,6), y = c(1,0,0,1,1,0,0),
 * w       2  2  4  3  1  5  6         dom = c(T,F,T,T,T,F,T))
 * y       1  0  0  1  1  0  0       des <- svydesign(ids = ~1, strata = ~h, weights = ~w, data = d1)
 * domain  x  .  x  x  x  .  x       svymean(~y, subset(des, dom)); svytotal(~y, subset(des, dom))
 * Ratio: R = 6/16 = 0.375, u = w (y - R) / 16: a 1.25/16, c -1.5/16, d 1.875/16, e 0.625/16,
 * g -2.25/16. Stratum 0 (n 3): 3/2 (sum u^2 - (sum u)^2 / 3) = 0.022216796875; stratum 1:
 * 0.01068115234375; stratum 2, one person: 0. V = 0.03289794921875 (R: the same).
 * Total: u = w y: stratum 0 (2, 0, 0): 3/2 (4 - 4/3) = 4; stratum 1 (3, 1, 0): 3/2 (10 -
 * 16/3) = 7; V = 11 (R: 11). */
static void uncalibrated(void)
{
	static const size_t h[] = { 0, 0, 0, 1, 1, 1, 2 };
	static const double w[] = { 2, 2, 4, 3, 1, 5, 6 }, y[] = { 1, 0, 0, 1, 1, 0, 0 };
	static const int dom[] = { 1, 0, 1, 1, 1, 0, 1 };
	struct svy_design *s = svy_design_new(0, 0, NULL, NULL);
	struct svy_domain *ratio = svy_domain_new(s, 1), *total = svy_domain_new(s, 1);
	long slot[7];
	double V, R = 6.0 / 16, u;
	char err[200];

	for (int i = 0; i < 7; i++)
		slot[i] = svy_design_add(s, h[i], -1, NAN, NAN);
	near(svy_design_finish(s, err, sizeof err), 0, 0, "uncalibrated: the design finishes");
	near((double)svy_design_count(s, 0) + 10 * (double)svy_design_count(s, 2), 13, 0,
	     "n_h counts the sample: 3 in stratum 0, 1 in stratum 2");
	for (int i = 0; i < 7; i++) {
		if (!dom[i])
			continue;
		u = w[i] * (y[i] - R) / 16;
		svy_domain_add(ratio, slot[i], NAN, NAN, &u);
		u = w[i] * y[i];
		svy_domain_add(total, slot[i], NAN, NAN, &u);
	}
	svy_domain_variance(ratio, &V, err, sizeof err);
	near(V, 0.03289794921875, 1e-15, "uncalibrated: a ratio over a domain (R's svymean: 0.03289794921875)");
	svy_domain_variance(total, &V, err, sizeof err);
	near(V, 11, 1e-15, "uncalibrated: a total over a domain (R's svytotal: 11)");
	svy_domain_free(ratio);
	svy_domain_free(total);
	svy_design_free(s);
}

/* ---- 2-5. calibrated ----
 * person   1  2  3  4  5  6  7  8  9      d2 <- data.frame(h = c(0,0,0,0,1,1,1,1,1),
 * stratum  0  0  0  0  1  1  1  1  1        cell = c("p","q","p","q","p","p","q","q","q"),
 * cell     p  q  p  q  p  p  q  q  q        d = c(2,3,2,3,4,4,1,1,2), y = c(1,0,1,1,0,1,0,1,1),
 * d        2  3  2  3  4  4  1  1  2        dom = c(T,T,F,T,T,T,T,F,T))
 * y        1  0  1  1  0  1  0  1  1      cal <- calibrate(svydesign(ids = ~1, strata = ~h,
 * domain   x  x  .  x  x  x  x  .  x        weights = ~d, data = d2), ~cell - 1,
 *                                           population = c(cellp = 30, cellq = 20))
 * Totals 30 (p, design weights 12) and 20 (q, 10): g = 2.5 and 2, w = 5 6 5 6 10 10 2 2 4.
 * Total of y over the domain: 25. z = y in the domain, else 0; the d-weighted cell means of
 * z are 6/12 and 5/10, both 0.5; e = w (z - 0.5) = 2.5 -3 -2.5 3 | -5 5 -1 -1 2, sums 0:
 * V = 4/3 30.5 + 5/4 56 = 332/3 (R's svytotal: 110.66666666666669). The ratio over the
 * domain: 25/43, V = 0.053631126277355182 (R's svymean). */
static const size_t ch[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1 };
static const char *const ccell[] = { "p", "q", "p", "q", "p", "p", "q", "q", "q" };
static const double cd[] = { 2, 3, 2, 3, 4, 4, 1, 1, 2 }, cy[] = { 1, 0, 1, 1, 0, 1, 0, 1, 1 };
static const int cdom[] = { 1, 1, 0, 1, 1, 1, 1, 0, 1 };

static double cw(int i)
{
	return cd[i] * (ccell[i][0] == 'p' ? 2.5 : 2.0);
}

/* The three estimates over the calibrated design with the given margins (variables: 0 the
 * cell, 1 a value every person shares): the total's V, the ratio's V, and the ratio's V
 * from (w y, w) by the delta method. With interleave, each domain is filled as the design
 * is. */
static void calibrated(size_t nmargins, const size_t *const *mv, const size_t *mn, int interleave,
		       double *vt, double *vr, double *vd)
{
	struct svy_design *s = svy_design_new(2, nmargins, mv, mn);
	struct svy_domain *total = svy_domain_new(s, 1), *ratio = svy_domain_new(s, 1), *two = svy_domain_new(s, 2);
	long slot[9];
	double R = 25.0 / 43, W = 43, V2[4];
	char err[200];

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 9; i++) {
			const char *vals[2] = { ccell[i], "x" };
			double u, uv[2] = { cw(i) * cy[i], cw(i) };

			if (pass == 0)
				slot[i] = svy_design_add(s, ch[i], svy_design_pattern(s, vals), cd[i], cw(i));
			if (!cdom[i] || pass != !interleave)
				continue;
			u = cw(i) * cy[i];
			svy_domain_add(total, slot[i], cd[i], cw(i), &u);
			u = cw(i) * (cy[i] - R) / W;
			svy_domain_add(ratio, slot[i], cd[i], cw(i), &u);
			svy_domain_add(two, slot[i], cd[i], cw(i), uv);
		}
	svy_design_finish(s, err, sizeof err);
	svy_domain_variance(total, vt, err, sizeof err);
	svy_domain_variance(ratio, vr, err, sizeof err);
	svy_domain_variance(two, V2, err, sizeof err);
	*vd = (V2[0] - 2 * R * V2[1] + R * R * V2[3]) / (W * W);
	svy_domain_free(total);
	svy_domain_free(ratio);
	svy_domain_free(two);
	svy_design_free(s);
}

static void calibrated_cases(void)
{
	static const size_t cell[] = { 0 }, all[] = { 1 }, cell_all[] = { 0, 1 };
	static const struct { const char *name; size_t n; const size_t *mv[3]; size_t mn[3]; int interleave; } cases[] = {
		{ "one margin, the cell (post-stratification)", 1, { cell }, { 1 }, 0 },
		{ "the same, domains filled as the design is", 1, { cell }, { 1 }, 1 },
		{ "a margin everyone shares, then the cell", 2, { all, cell }, { 1, 1 }, 0 },
		{ "the cell twice", 2, { cell, cell }, { 1, 1 }, 1 },
		{ "the cell, then the cell by a shared value", 3, { cell, cell_all, all }, { 1, 2, 1 }, 0 },
	};
	char what[200];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		double vt, vr, vd;

		calibrated(cases[k].n, cases[k].mv, cases[k].mn, cases[k].interleave, &vt, &vr, &vd);
		snprintf(what, sizeof what, "calibrated, %s: the total (R's svytotal: 332/3)", cases[k].name);
		near(vt, 332.0 / 3, 1e-13, what);
		snprintf(what, sizeof what, "calibrated, %s: the ratio (R's svymean: 0.053631126277355182)", cases[k].name);
		near(vr, 0.053631126277355182, 1e-13, what);
		snprintf(what, sizeof what, "calibrated, %s: the ratio from (w y, w) by the delta method", cases[k].name);
		near(vd, 0.053631126277355182, 1e-13, what);
	}
}

int main(void)
{
	gsl_set_error_handler_off();
	uncalibrated();
	calibrated_cases();
	tap_plan();
	return 0;
}
