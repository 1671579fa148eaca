/* verdict.h - what happened to one cell between two runs, and the tally of a comparison.
 *
 * The rule, in order (the first that holds decides):
 *   new / gone         the cell is in only the new / only the old run
 *   hidden             suppressed in both: nothing was published either time
 *   suppressed         published before, suppressed now ("newly suppressed")
 *   unsuppressed       suppressed before, published now
 *   unchanged          estimate, interval, n and symbol all equal
 *   n_changed          the same estimate and symbol on another n
 *   within / beyond    the estimate moved and both sides have an interval: the two-sample z
 *                      on the standard errors the intervals imply. A published interval of
 *                      level L (tabulate's 95 %) is read as estimate -+ z_q se with
 *                      q = (1 + L) / 2, so se = (ci_high - ci_low) / (2 z_q) - the width,
 *                      which also serves the asymmetric Wilson and log intervals.
 *                      z = (new - old) / sqrt(se_old^2 + se_new^2); beyond when
 *                      |z| >= z_{1 - A/2} for the test level A (the usual "p <= A"),
 *                      within otherwise. At the default A = 1 - L the two quantiles are
 *                      the same number and the rule is exact in the intervals' own units:
 *                      beyond when |new - old| >= sqrt(h_old^2 + h_new^2), h the half-widths
 *                      ("the combined interval"); it is computed that way, so a difference
 *                      exactly on the boundary is decided exactly.
 *   changed            the value moved, and a side has no interval (a count, a p, a scaled
 *                      effect, a symbol, an estimate that appeared or went empty): not judged
 *
 * The verdict is the figure's; whether the cell's method tag changed is told beside it
 * (struct judged.method_changed), because then any difference is a change of method.
 */
#ifndef KETEN_VERDICT_H
#define KETEN_VERDICT_H

#include <stddef.h>

enum verdict {
	V_METHOD, V_UNCHANGED, V_WITHIN, V_BEYOND, V_N_CHANGED, V_CHANGED, V_NEW, V_GONE,
	V_SUPPRESSED, V_UNSUPPRESSED, V_HIDDEN, N_VERDICTS
};

/* change/1's word for each verdict */
extern const char *const verdict_word[N_VERDICTS];

/* One run's side of a cell; present 0 when the run has no such cell. The values of a
 * suppressed side are never looked at. */
struct side {
	int present, suppressed;
	double est, lo, hi;      /* NaN missing */
	long n;                  /* -1 missing */
	const char *symbol;      /* "" missing */
};

/* The test: the critical value and the intervals' quantile (verdict_test_init). */
struct verdict_test {
	double z_crit;           /* z_{1 - A/2} */
	double z_interval;       /* z_{(1 + L)/2} */
	double k;                /* z_crit / z_interval: beyond when |d| >= k * sqrt(h_old^2 + h_new^2) */
};

/* LEVEL A and INTERVAL_LEVEL L, both in (0, 1). Returns 0, or -1 when one is outside. */
int verdict_test_init(struct verdict_test *t, double level, double interval_level);

struct judged {
	enum verdict verdict;
	double difference;       /* new - old when both estimates are published; NaN otherwise */
	double z;                /* the two-sample z when judged (NaN otherwise, or when both intervals
				  * have no width) */
};

void verdict_judge(const struct verdict_test *t, const struct side *old, const struct side *new_,
		   struct judged *out);

/* The counts behind compare-runs --summary: cells whose method tag is the same in both
 * runs by verdict, the others apart. */
struct tally {
	size_t by_verdict[N_VERDICTS];
	size_t method_cells;     /* cells whose method tag differs */
};

void tally_add(struct tally *t, enum verdict v, int method_changed);

/* The one line of the summary, e.g. "156 rows of tables.csv moved, 3 beyond their interval;
 * 2 new": it counts rows, as tables.csv and change/1 have them (a survey cell's weighted
 * and unweighted twins are two rows; the report's pages show and count only the weighted
 * one), and says so. METHOD_TABLES (may be "") names the tables whose method changed. */
void tally_line(const struct tally *t, const char *method_tables, char *buf, size_t bufsz);

#endif
