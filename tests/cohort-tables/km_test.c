/* km_test - the Kaplan-Meier module (filters/cohort-tables/km.c) against R's
 * survival::survfit, to 1e-10 (relative above 1), on:
 *   data/km-cases.csv    hand-made cases (ties, censoring on an event's day, all censored,
 *                        none censored, a plateau at one half, S reaching 0, time 0, an
 *                        upper limit that rises again past one half) and
 *                        25 random small ones
 *   data/km-synth.csv    the month cohorts of a synth world (tests/cohort-tables/km_data.py),
 *                        on calendar month time and on days, times computed here by
 *                        months_since and in R by make-expected.R's own reading
 * with the expected values make-expected.R wrote (data/km-expected.csv,
 * data/km-synth-expected.csv): every step (time, at risk, events, censored, S, Greenwood's
 * standard error of log S, interval), the curve read at given times (summary.survfit),
 * readings after the last time refused, and the quartiles with their intervals, for the
 * log (default), log-log and plain intervals at 95 % (the hand-made cases also the log
 * interval at 90 %). Then
 * the module's own contract: bad input refused, an empty fit, release twice.
 *
 *   km_test                      the committed cases (KETEN_ROOT names the checkout)
 *   km_test --synth DATA EXPECT  any km_data.py file against survfit's numbers on it
 *                                (r-live.t: a fresh synth world and a live R)
 *   km_test --readings DATA      prints group,k,n_risk,surv,lower,upper: the month-time
 *                                curve of each group read at k = 1..18 (KM_BEYOND: empty)
 *                                and the median, k = "median" (truth.t holds them against
 *                                synth's cohort truth)
 */
#include "../lib/tap.h"
#include "../../filters/cohort-tables/km.c"
#include "months.h"

#include <stdarg.h>
#include <stdio.h>

#include "datecalc.h"

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	tap_checks++;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

/* ---------- the cases: named lists of observations ---------- */
struct kcase {
	char name[64];
	struct km_obs *obs;
	size_t n, cap;
};
struct cases {
	struct kcase *c;
	size_t n;
};

static struct kcase *case_get(struct cases *cs, const char *name)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].name, name))
			return &cs->c[i];
	cs->c = realloc(cs->c, (cs->n + 1) * sizeof *cs->c);
	if (!cs->c)
		abort();
	memset(&cs->c[cs->n], 0, sizeof *cs->c);
	snprintf(cs->c[cs->n].name, sizeof cs->c[cs->n].name, "%s", name);
	return &cs->c[cs->n++];
}

static void case_add(struct kcase *c, double time, int ended)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->obs = realloc(c->obs, c->cap * sizeof *c->obs);
		if (!c->obs)
			abort();
	}
	c->obs[c->n++] = (struct km_obs){ time, ended };
}

static void cases_free(struct cases *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->c[i].obs);
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

/* Split a CSV line without quotes into at most MAX fields (in place). */
static int split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ',') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static FILE *open_or_fail(const char *path)
{
	FILE *fp = fopen(path, "r");

	if (!fp) {
		check(0, "cannot open %s", path);
		exit(1);
	}
	return fp;
}

/* data/km-cases.csv: case,time,ended */
static void read_hand_cases(const char *path, struct cases *cs)
{
	FILE *fp = open_or_fail(path);
	char line[256], *f[3];

	if (!fgets(line, sizeof line, fp))
		abort();
	while (fgets(line, sizeof line, fp))
		if (split(line, f, 3) == 3)
			case_add(case_get(cs, f[0]), strtod(f[1], NULL), atoi(f[2]));
	fclose(fp);
}

/* km_data.py's group,application_date,end_date,extract_date -> GROUP/months and GROUP/days:
 * an ended spell is an event on its end date, a running one censored on the extract date */
static void read_synth_cases(const char *path, struct cases *cs)
{
	FILE *fp = open_or_fail(path);
	char line[256], *f[4], name[64];

	if (!fgets(line, sizeof line, fp))
		abort();
	while (fgets(line, sizeof line, fp)) {
		int app, stop, ended;

		if (split(line, f, 4) != 4)
			continue;
		ended = f[2][0] != '\0';
		app = date_parse_iso(f[1], strlen(f[1]));
		stop = ended ? date_parse_iso(f[2], strlen(f[2])) : date_parse_iso(f[3], strlen(f[3]));
		snprintf(name, sizeof name, "%s/months", f[0]);
		case_add(case_get(cs, name), months_since(app, stop), ended);
		snprintf(name, sizeof name, "%s/days", f[0]);
		case_add(case_get(cs, name), (double)(stop - app), ended);
	}
	fclose(fp);
}

/* ---------- comparing with R ---------- */
static double num(const char *s)
{
	if (!strcmp(s, "NA") || !strcmp(s, "NaN"))
		return NAN;
	return strtod(s, NULL);    /* also "Inf", "-Inf" */
}

/* equal as survfit's number: both missing, the same infinity, or within 1e-10 (relative
 * above 1); *worst keeps the largest finite difference */
static int same(double got, const char *want_s, double *worst)
{
	double want = num(want_s), d;

	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got);
	if (isinf(want) || isinf(got))
		return got == want;
	d = fabs(got - want) / fmax(1, fabs(want));
	if (d > *worst)
		*worst = d;
	return d <= 1e-10;
}

enum { C_CASE, C_CONF, C_LEVEL, C_KIND, C_X, C_NRISK, C_NEVENT, C_NCENSOR, C_EST, C_SE, C_LOWER, C_UPPER, N_COLS };

struct group_result {
	long steps, readings, beyond, quantiles, bad;
	double worst;
	char first_bad[200];
};

static void compare_row(const struct km_fit *fit, char **f, size_t *step, struct group_result *g)
{
	int ok = 1;

	if (!strcmp(f[C_KIND], "step")) {
		const struct km_step *s = *step < fit->n_steps ? &fit->steps[*step] : NULL;

		(*step)++;
		g->steps++;
		ok = s && same(s->time, f[C_X], &g->worst) && s->n_risk == atol(f[C_NRISK]) &&
			s->n_event == atol(f[C_NEVENT]) && s->n_censor == atol(f[C_NCENSOR]) &&
			same(s->surv, f[C_EST], &g->worst) && same(s->se_log, f[C_SE], &g->worst) &&
			same(s->lower, f[C_LOWER], &g->worst) && same(s->upper, f[C_UPPER], &g->worst);
	} else if (!strcmp(f[C_KIND], "at")) {
		struct km_point pt;

		g->readings++;
		ok = km_at(fit, num(f[C_X]), &pt) == KM_OK && pt.n_risk == atol(f[C_NRISK]) &&
			same(pt.surv, f[C_EST], &g->worst) && same(pt.se, f[C_SE], &g->worst) &&
			same(pt.lower, f[C_LOWER], &g->worst) && same(pt.upper, f[C_UPPER], &g->worst);
	} else if (!strcmp(f[C_KIND], "beyond")) {
		struct km_point pt;

		g->beyond++;
		ok = km_at(fit, num(f[C_X]), &pt) == KM_BEYOND && isnan(pt.surv);
	} else if (!strcmp(f[C_KIND], "quantile")) {
		struct km_quantile q;

		g->quantiles++;
		ok = km_quantile(fit, num(f[C_X]), &q) == KM_OK && same(q.q, f[C_EST], &g->worst) &&
			same(q.lower, f[C_LOWER], &g->worst) && same(q.upper, f[C_UPPER], &g->worst);
	} else {
		ok = 0;
	}
	if (!ok && !g->bad++)
		snprintf(g->first_bad, sizeof g->first_bad, "%s at %s: R says %s [%s, %s]", f[C_KIND], f[C_X],
			 f[C_EST], f[C_LOWER], f[C_UPPER]);
}

static void report(const char *group, const struct km_fit *fit, size_t step, const struct group_result *g)
{
	int all_steps = step == fit->n_steps;

	check(!g->bad && all_steps && g->steps > 0, "%s: %ld steps, %ld readings, %ld refused after the last time, "
	      "%ld quantiles as survfit (largest difference %.1e)%s%s", group, g->steps, g->readings, g->beyond,
	      g->quantiles, g->worst, g->bad ? ": " : all_steps ? "" : ": another number of steps",
	      g->bad ? g->first_bad : "");
}

/* Every (case, conf, level) group of the expected file, in order: fit, then compare. */
static long compare_file(const char *path, struct cases *cs)
{
	FILE *fp = open_or_fail(path);
	char line[1024], *f[N_COLS], key[128] = "";
	struct km_fit fit = { 0 };
	struct group_result g = { 0 };
	size_t step = 0;
	long groups = 0;
	int have = 0;

	if (!fgets(line, sizeof line, fp))
		abort();
	while (fgets(line, sizeof line, fp)) {
		char k[128];

		if (split(line, f, N_COLS) != N_COLS) {
			check(0, "%s: a line without %d fields", path, N_COLS);
			continue;
		}
		snprintf(k, sizeof k, "%s %s %s", f[C_CASE], f[C_CONF], f[C_LEVEL]);
		if (strcmp(k, key)) {
			struct kcase *c = case_get(cs, f[C_CASE]);
			enum km_conf conf;

			if (have)
				report(key, &fit, step, &g);
			km_fit_release(&fit);
			memset(&g, 0, sizeof g);
			step = 0;
			snprintf(key, sizeof key, "%s", k);
			if (km_conf_parse(f[C_CONF], &conf) < 0 || c->n == 0 ||
			    km_fit_init(&fit, c->obs, c->n, conf, atof(f[C_LEVEL])) != KM_OK) {
				check(0, "%s: no observations or no fit", key);
				have = 0;
				continue;
			}
			have = 1;
			groups++;
		}
		if (have)
			compare_row(&fit, f, &step, &g);
	}
	if (have)
		report(key, &fit, step, &g);
	km_fit_release(&fit);
	fclose(fp);
	return groups;
}

/* ---------- the module's own contract ---------- */
static void contract(void)
{
	struct km_obs bad_time[] = { { 1, 1 }, { -0.5, 0 } }, nan_time[] = { { NAN, 1 } }, bad_flag[] = { { 1, 2 } };
	struct km_obs good[] = { { 3, 1 }, { 1, 0 }, { 2, 1 } };
	struct km_fit fit;
	struct km_point pt;
	struct km_quantile q;
	enum km_conf conf;

	check(km_fit_init(&fit, bad_time, 2, KM_CONF_LOG, 0.95) == KM_EINVAL && fit.n_steps == 0 && !fit.steps,
	      "a negative time: KM_EINVAL and an empty fit");
	check(km_fit_init(&fit, nan_time, 1, KM_CONF_LOG, 0.95) == KM_EINVAL, "a time that is not a number: KM_EINVAL");
	check(km_fit_init(&fit, bad_flag, 1, KM_CONF_LOG, 0.95) == KM_EINVAL, "an event flag 2: KM_EINVAL");
	check(km_fit_init(&fit, good, 3, KM_CONF_LOG, 1.0) == KM_EINVAL && km_fit_init(&fit, good, 3, KM_CONF_LOG, 0) == KM_EINVAL,
	      "a level of 1 or 0: KM_EINVAL");
	check(km_fit_init(&fit, good, 3, (enum km_conf)7, 0.95) == KM_EINVAL, "an unknown interval type: KM_EINVAL");
	check(km_fit_init(&fit, good, 0, KM_CONF_LOG, 0.95) == KM_OK && fit.n_steps == 0 &&
	      km_at(&fit, 0, &pt) == KM_BEYOND && isnan(pt.surv) && km_quantile(&fit, 0.5, &q) == KM_OK && isnan(q.q),
	      "no observations: an empty fit, no reading, no median");
	km_fit_release(&fit);
	check(km_fit_init(&fit, good, 3, KM_CONF_LOG, 0.95) == KM_OK && good[0].time == 1 && good[2].time == 3 &&
	      fit.n_steps == 3 && fit.n == 3 && fit.n_events == 2, "three observations: sorted in place, three steps, two events");
	/* by hand: at 2, 2 at risk, 1 event: S = 1/2; Greenwood 1/(2 * 1) -> se_log = sqrt(1/2) */
	check(km_at(&fit, 2.5, &pt) == KM_OK && pt.surv == 0.5 && fabs(pt.se_log - sqrt(0.5)) < 1e-15 && pt.n_risk == 1,
	      "by hand: S(2.5) = 1/2, se of log S = sqrt(1/2), 1 at risk");
	check(km_at(&fit, 3, &pt) == KM_OK && pt.surv == 0 && isinf(pt.se_log) && isnan(pt.lower),
	      "by hand: S(3) = 0, infinite se, no interval");
	check(km_at(&fit, 3.0000001, &pt) == KM_BEYOND, "after the last time: KM_BEYOND");
	km_fit_release(&fit);
	km_fit_release(&fit);
	check(fit.steps == NULL && fit.n_steps == 0, "release twice: safe, the fit is empty");
	check(km_conf_parse("log", &conf) == 0 && conf == KM_CONF_LOG && km_conf_parse("log-log", &conf) == 0 &&
	      conf == KM_CONF_LOGLOG && km_conf_parse("plain", &conf) == 0 && conf == KM_CONF_PLAIN &&
	      km_conf_parse("logit", &conf) == -1, "interval types by survfit's names; logit is not one");
	check(!strcmp(km_strerror(KM_ENOMEM), "out of memory"), "km_strerror names the errors");
}

static void print_num(double x)
{
	if (!isnan(x))
		printf("%.17g", x);
}

static void readings(struct cases *cs)
{
	puts("group,k,n_risk,surv,lower,upper");
	for (size_t i = 0; i < cs->n; i++) {
		struct kcase *c = &cs->c[i];
		size_t len = strlen(c->name);
		struct km_fit fit;
		struct km_quantile q;

		if (len < 7 || strcmp(c->name + len - 7, "/months") || km_fit_init(&fit, c->obs, c->n, KM_CONF_LOG, 0.95))
			continue;
		for (int k = 1; k <= 18; k++) {
			struct km_point pt;

			km_at(&fit, k, &pt);
			printf("%.*s,%d,%ld,", (int)len - 7, c->name, k, pt.n_risk);
			print_num(pt.surv);
			putchar(',');
			print_num(pt.lower);
			putchar(',');
			print_num(pt.upper);
			putchar('\n');
		}
		if (km_quantile(&fit, 0.5, &q) == KM_OK) {
			printf("%.*s,median,,", (int)len - 7, c->name);
			print_num(q.q);
			putchar(',');
			print_num(q.lower);
			putchar(',');
			print_num(q.upper);
			putchar('\n');
		}
		km_fit_release(&fit);
	}
}

int main(int argc, char **argv)
{
	struct cases cs = { 0 };
	char path[4096];
	const char *root = getenv("KETEN_ROOT");
	long groups;

	if (argc == 4 && !strcmp(argv[1], "--synth")) {
		read_synth_cases(argv[2], &cs);
		groups = compare_file(argv[3], &cs);
		check(groups > 0, "%ld fits of %s compared with %s", groups, argv[2], argv[3]);
		cases_free(&cs);
		return failures ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--readings")) {
		read_synth_cases(argv[2], &cs);
		readings(&cs);
		cases_free(&cs);
		return 0;
	}
	if (argc != 1 || !root) {
		fprintf(stderr, "usage: km_test (with KETEN_ROOT set) | km_test --synth DATA EXPECTED\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/tests/cohort-tables/data/km-cases.csv", root);
	read_hand_cases(path, &cs);
	snprintf(path, sizeof path, "%s/tests/cohort-tables/data/km-expected.csv", root);
	groups = compare_file(path, &cs);
	check(groups == 4 * 37, "%ld fits of the hand-made and random cases (37 cases x 4 interval kinds)", groups);
	cases_free(&cs);
	snprintf(path, sizeof path, "%s/tests/cohort-tables/data/km-synth.csv", root);
	read_synth_cases(path, &cs);
	snprintf(path, sizeof path, "%s/tests/cohort-tables/data/km-synth-expected.csv", root);
	groups = compare_file(path, &cs);
	check(groups == 8 * 2 * 3, "%ld fits of synth's cohorts (4 cohorts x 2 benefits x 2 scales x 3 interval kinds)", groups);
	cases_free(&cs);
	contract();
	tap_plan();
	return failures ? 1 : 0;
}
