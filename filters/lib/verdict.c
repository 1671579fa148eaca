/* verdict.c - see verdict.h */
#include "verdict.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const verdict_word[N_VERDICTS] = {
	"method", "unchanged", "within", "beyond", "n_changed", "changed", "new", "gone",
	"suppressed", "unsuppressed", "hidden"
};

int verdict_test_init(struct verdict_test *t, double level, double interval_level)
{
	if (!(level > 0 && level < 1) || !(interval_level > 0 && interval_level < 1))
		return -1;
	t->z_crit = gsl_cdf_ugaussian_Pinv(1 - level / 2);
	t->z_interval = gsl_cdf_ugaussian_Pinv((1 + interval_level) / 2);
	/* the same probability gives the same double, and k is then exactly 1 */
	t->k = t->z_crit == t->z_interval ? 1.0 : t->z_crit / t->z_interval;
	return 0;
}

/* Two values that are both missing, or equal. */
static int same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int has_interval(const struct side *s)
{
	return isfinite(s->est) && isfinite(s->lo) && isfinite(s->hi);
}

void verdict_judge(const struct verdict_test *t, const struct side *old, const struct side *new_,
		   struct judged *out)
{
	out->difference = NAN;
	out->z = NAN;
	if (!old->present || !new_->present) {
		out->verdict = old->present ? V_GONE : V_NEW;
		return;
	}
	if (old->suppressed || new_->suppressed) {
		out->verdict = old->suppressed && new_->suppressed ? V_HIDDEN : old->suppressed ? V_UNSUPPRESSED
			: V_SUPPRESSED;
		return;
	}
	if (isfinite(old->est) && isfinite(new_->est))
		out->difference = new_->est - old->est;
	if (same_num(old->est, new_->est) && strcmp(old->symbol, new_->symbol) == 0) {
		if (old->n != new_->n) {
			out->verdict = V_N_CHANGED;
			return;
		}
		if (same_num(old->lo, new_->lo) && same_num(old->hi, new_->hi)) {
			out->verdict = V_UNCHANGED;
			return;
		}
	}
	if (!has_interval(old) || !has_interval(new_)) {
		out->verdict = V_CHANGED;
		return;
	}
	{
		double h = hypot((old->hi - old->lo) / 2, (new_->hi - new_->lo) / 2);
		double d = out->difference;

		/* judged in the intervals' units (see verdict.h); z reported beside it */
		out->verdict = d != 0 && fabs(d) >= t->k * h ? V_BEYOND : V_WITHIN;
		if (h > 0)
			out->z = t->z_interval * (d / h);   /* d / h first: exactly 1 on the boundary */
		else if (d == 0)
			out->z = 0;
	}
}

void tally_add(struct tally *t, enum verdict v, int method_changed)
{
	if (method_changed)
		t->method_cells++;
	else
		t->by_verdict[v]++;
}

/* Append "; N WORDS" when N > 0. */
static void part(char *buf, size_t bufsz, size_t n, const char *words)
{
	size_t len = strlen(buf);

	if (n > 0 && len < bufsz)
		snprintf(buf + len, bufsz - len, "; %zu %s", n, words);
}

void tally_line(const struct tally *t, const char *method_tables, char *buf, size_t bufsz)
{
	const size_t *v = t->by_verdict;
	size_t moved = v[V_WITHIN] + v[V_BEYOND] + v[V_CHANGED], len;

	snprintf(buf, bufsz, "%zu %s of tables.csv moved, %zu beyond their interval", moved, moved == 1 ? "row" : "rows",
		 v[V_BEYOND]);
	part(buf, bufsz, v[V_N_CHANGED], "with the same estimate on another n");
	part(buf, bufsz, v[V_NEW], "new");
	part(buf, bufsz, v[V_GONE], "gone");
	part(buf, bufsz, v[V_SUPPRESSED], "newly suppressed");
	part(buf, bufsz, v[V_UNSUPPRESSED], "no longer suppressed");
	len = strlen(buf);
	if (t->method_cells > 0 && len < bufsz)
		snprintf(buf + len, bufsz - len, "; method changed in %s (%zu %s: a change of method, not news)",
			 method_tables, t->method_cells, t->method_cells == 1 ? "row" : "rows");
}
