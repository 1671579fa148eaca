/* svyvar.h - the design-based variance of a domain estimate, as R's survey package
 * computes it, with design weights or after survey::calibrate.
 *
 * The design: a stratified sample with one person per PSU and no finite population
 * correction, svydesign(ids = ~1, strata = ~S, weights = ~W). An estimate is made over a
 * domain of it (a table cell, a model's population): subset(design, domain). Its influence
 * values u_i (k numbers per person: a ratio's w_i (y_i - R) / sum w, a model's row of
 * estfun %*% Ainv) are 0 for the people of the sample outside the domain, and its variance
 * is svyrecvar's
 *
 *     V = sum_h n_h / (n_h - 1) sum_{i in h} (e_i - ebar_h)(e_i - ebar_h)',   e = u,
 *
 * over every person of the sample's stratum h: n_h is the whole sample's count, not the
 * domain's (that is the domain convention; survey pads the domain's strata with zeros).
 * The singleton rule: a stratum with one person in the sample adds nothing
 * (survey.lonely.psu = "certainty"; for these one-stage designs "remove" gives the same).
 *
 * Calibrated: the sample is the respondent set whose weights calibrate-weights calibrated
 * (its design weights d to the population totals of the margins' cells), and survey takes
 * the residuals of the calibration regression in place of u, whatever the calfun:
 *
 *     e_i = u_i - w_i x_i' B,     B = (sum_j d_j x_j x_j')^- sum_j d_j x_j (u_j / w_j)'
 *
 * (w the calibrated weights, x_i the indicators of person i's cell in every margin:
 * svyrecvar's qr.resid(qr(X sqrt(d)), u / (g sqrt(d))) * g sqrt(d)). Outside the domain u
 * is 0 but e is not: every person of the set counts. Cells of a margin that earlier cells
 * already span are left out of B by R's qr() rule (a residual below 1e-7 of the cell's own
 * norm): any spanning set gives the same residuals.
 *
 * Why sums and not persons: the design holds per stratum n_h, and when calibrated per
 * pattern (a person's combination of the margins' variables) the sum of d, and per
 * (stratum, pattern) the count and the sums of w and w^2. A domain holds per stratum the
 * sums of u and u u', per (stratum, pattern) the sum of w u and per pattern the sum of
 * (d / w) u. V follows exactly from those sums (svy_domain_variance), so memory grows with
 * strata and patterns, never with persons - a stage can stream.
 *
 * Use: svy_design_new; for every person of the sample svy_design_add (calibrated: the
 * person's pattern from svy_design_pattern first), which returns the person's slot; then
 * svy_design_finish. Per estimate: svy_domain_new; for every person of the domain
 * svy_domain_add with its slot; svy_domain_variance. A domain may be filled while its
 * design is (a streaming stage adds a person to the design, then to its domains).
 *
 * Ownership: the design and each domain own their memory (svy_design_free,
 * svy_domain_free accept NULL); a domain points to its design, which must outlive it.
 * Nothing here prints or exits, except when memory runs out (xmalloc). GSL: the caller
 * turns GSL's error handler off; every status is checked.
 */
#ifndef KETEN_SVYVAR_H
#define KETEN_SVYVAR_H

#include <stddef.h>

#define SVY_QR_TOL 1e-7          /* R's qr() default: a cell spanned by earlier ones */

struct svy_design;
struct svy_domain;

/* A design. Not calibrated: nvars = 0 (margins ignored). Calibrated: the calibration's
 * categorical variables (nvars of them) and its margins, margin m being the variables
 * margin_vars[m][0..margin_nvars[m]-1] (indexes into the variables); the arrays are copied. */
struct svy_design *svy_design_new(size_t nvars, size_t nmargins, const size_t *const *margin_vars,
				  const size_t *margin_nvars);
void svy_design_free(struct svy_design *s);

/* Calibrated designs: the pattern of a person whose variables have the values vals[0..nvars-1]
 * ("" is a value too). Before svy_design_finish. */
long svy_design_pattern(struct svy_design *s, const char *const *vals);

/* A person of the sample: its stratum (0, 1, ...: the caller's codes), and when calibrated
 * its pattern, design weight d and calibrated weight w (both > 0; uncalibrated designs
 * ignore them). Returns the person's slot, for svy_domain_add. Before svy_design_finish. */
long svy_design_add(struct svy_design *s, size_t stratum, long pattern, double d, double w);

/* After the last person. Returns 0, or -1 with the problem in err (a GSL failure). */
int svy_design_finish(struct svy_design *s, char *err, size_t errsz);

size_t svy_design_strata(const struct svy_design *s);     /* strata with a person */
long svy_design_count(const struct svy_design *s, size_t stratum);    /* n_h */
int svy_design_calibrated(const struct svy_design *s);

/* A domain estimate with k influence values per person. */
struct svy_domain *svy_domain_new(const struct svy_design *s, size_t k);
void svy_domain_free(struct svy_domain *dom);

/* A person of the domain: its slot (svy_design_add), design weight d, calibrated weight w
 * (as given to svy_design_add) and influence values u[0..k-1]. */
void svy_domain_add(struct svy_domain *dom, long slot, double d, double w, const double *u);

/* The variance: V (k x k, row-major). After svy_design_finish. Returns 0, or -1 with the
 * problem in err. */
int svy_domain_variance(const struct svy_domain *dom, double *V, char *err, size_t errsz);

#endif
