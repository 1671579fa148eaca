/* cohort-tables - the registry monitor's figures for every cohort of applicants:
 * cohort_support/1 in (link-waves --cohorts | derive-status | classify-support), one
 * cohort_table/1 row per figure out.
 *
 * Three phases on the driver: every row counted in the cells of the cohorts it belongs to
 * (cohort-tables/cells.c), then at the end each cell's figures under the censoring rule
 * (figures.c, with the Kaplan-Meier curve of km.c) and disclosure control over all of them
 * (disclose.c). The figures, the rules and their reasons are doc/cohorts.md's.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "cohorts.h"
#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "rec.h"
#include "schema.h"

#define IN_SCHEMA "cohort_support/1"
#define OUT_SCHEMA "cohort_table/1"

/* The columns read, in this order in struct ctx's ix. */
static const char *const in_cols[] = { "person_key", "cohort_kind", "cohort", "benefit", "application_date",
	"on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "handover_category", "km_time", "km_ended",
	"extract_date", "support_method" };
enum { I_KEY, I_KIND, I_COHORT, I_BENEFIT, I_APP, I_ON3, I_ON6, I_ON12, I_HANDOVER, I_KM_TIME, I_KM_ENDED,
       I_EXTRACT, I_METHOD, N_IN };

struct ctx {
	struct copts o;
	struct cohorts c;
	int want_kind[3];             /* --kind: month, quarter, year */
	char **ranges;                /* --combine, in order */
	size_t n_ranges;
	int ix[N_IN];
	int code_of[N_IN][8];         /* enum columns: the schema's code -> ours (CK_*, B_*, HO_*) */
	char *method;                 /* the input's support_method (one per input) */
	long rows;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: cohort-tables [OPTIONS] [FILE...]\n"
"The registry figures of every cohort of applicants, with the censoring made explicit.\n"
"\n"
"Reads cohort_support/1 (link-waves --cohorts | derive-status | classify-support; FILE or\n"
"stdin, gzip or plain), rows in person_key order and a person's rows in cohort order, as\n"
"link-waves writes them. Writes cohort_table/1 on stdout (schemas/cohort_table-1.schema):\n"
"a row per figure of every cohort and benefit:\n"
"  inflow      applicants: the members (a person with a granted application in the window)\n"
"  on_benefit  on benefit after 3, 6 and 12 months: count, and share with Wilson interval\n"
"  handover    WW: none, cwi_only, uwv_only, both among those on benefit after 6 months\n"
"              (shares, Wilson; the rule of classify-support --uwv-known)\n"
"  km          the Kaplan-Meier estimate S(m) of time on benefit, m = 1..18 calendar months,\n"
"              with Greenwood's standard error, its interval and the number at risk; the\n"
"              median with its interval (survival::survfit's numbers, doc/cohorts.md)\n"
"\n"
"The censoring rule: a k-month figure is known only when the extract date is later than\n"
"the k-month mark of the cohort's last member (known_from: the day after); before that\n"
"its status is not_yet_known and it carries no number. S(m) is an estimate while members\n"
"are censored before m, known once the rule holds for m. Status suppressed: withheld by\n"
"disclosure control (doc/cohorts.md, \"Disclosure control\").\n"
"\n"
"Options:\n"
"  --kind K[,K...]       month, quarter, year: the kinds of cohort made (default month);\n"
"                        a longer one from the input's (month) rows, each person once, in\n"
"                        the first cohort they are in\n"
"  --combine FROM:TO     a cohort of the months FROM..TO (yyyy-mm:yyyy-mm), each person\n"
"                        once, with the index of the first month they are in (2006-03:2006-04\n"
"                        is the study's population); repeat for more\n"
"  --min-n N             withhold a figure on fewer than N people (default 10; 0 turns\n"
"                        disclosure control off: for checking, never for publishing)\n"
"  --protection P        withheld figures must keep at least P people of uncertainty\n"
"                        against subtraction (default --min-n)\n"
"  --conf log|log-log|plain  the Kaplan-Meier interval (survfit's conf.type; default log)\n"
"  --level L             the intervals' level (default 0.95)\n"
"  --month-end clamp|next  the k-month mark of a day the target month lacks: as\n"
"                        derive-status --month-end (default clamp)\n"
"  --decision-lag DAYS   the membership of a cohort is final only once the extract date\n"
"                        is DAYS past the cohort's last day (applications decided late\n"
"                        join it): no figure is known before (the applicants count, and\n"
"                        the curve's first months); default off: as the extract has it\n"
"  --extract-date DATE   the extract date of the censoring rule (default: the input's\n"
"                        earliest extract_date)\n"
"  --help, --version\n"
"\n"
"Memory: 16 bytes a row and kind (the Kaplan-Meier input), and a few hundred cells.\n"
"\n"
"Example:\n"
"  ingest --key-file raw/pseudonym.key raw/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv |\n"
"    link-waves --cohorts month | derive-status | classify-support |\n"
"    cohort-tables --combine 2006-03:2006-04 > cohorts.gz\n");
}

/* --- reading ---------------------------------------------------------------------- */

/* Our code of each code of an enum column, by word. */
static void map_codes(struct ctx *x, const struct rec_reader *r, int col, const char *const *words, int n)
{
	const struct schema_field *f = &rec_reader_schema(r)->fields[x->ix[col]];

	for (size_t k = 0; k < 8; k++) {
		x->code_of[col][k] = -1;
		for (int j = 0; k < f->n_enum && j < n; j++)
			if (strcmp(f->enum_values[k], words[j]) == 0)
				x->code_of[col][k] = j;
	}
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *x = vc;

	(void)w;
	if (strcmp(rec_reader_schema(r)->id, IN_SCHEMA) != 0)
		return rec_reader_fail(r, -1, "unexpected section %s: cohort-tables reads " IN_SCHEMA
				       " (link-waves --cohorts | derive-status | classify-support)",
				       rec_reader_schema(r)->id);
	for (int i = 0; i < N_IN; i++)
		x->ix[i] = rec_reader_require(r, in_cols[i]);
	if (rec_reader_bad(r))
		return -1;
	map_codes(x, r, I_KIND, ck_name, 3);
	map_codes(x, r, I_BENEFIT, benefit_name, N_BENEFIT);
	map_codes(x, r, I_HANDOVER, ho_name, N_HO);
	return 0;
}

static int code(const struct ctx *x, struct rec_reader *r, int col)
{
	int c = rec_get_code(r, x->ix[col]);

	return c < 0 || c >= 8 ? -1 : x->code_of[col][c];
}

/* The row's support_method: one per input (a table rests on one method). */
static int check_method(struct ctx *x, struct rec_reader *r)
{
	const char *m = rec_reader_field(r, (size_t)x->ix[I_METHOD]);

	if (!x->method)
		x->method = xstrdup(m);
	else if (strcmp(x->method, m) != 0)
		return rec_reader_fail(r, x->ix[I_METHOD], "%s after %s: one method per input", m, x->method);
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *x = vc;
	struct crow row = { .key = rec_reader_field(r, (size_t)x->ix[I_KEY]) };
	int extract = rec_get_date(r, x->ix[I_EXTRACT]), kind = code(x, r, I_KIND);
	double t = rec_get_num(r, x->ix[I_KM_TIME]);
	int ended = rec_get_bool(r, x->ix[I_KM_ENDED]);
	char err[256];

	(void)w;
	x->rows++;
	row.benefit = code(x, r, I_BENEFIT);
	row.app = rec_get_date(r, x->ix[I_APP]);
	for (int k = 0; k < N_MARKS; k++)
		row.on[k] = rec_get_bool(r, x->ix[I_ON3 + k]);
	row.handover = code(x, r, I_HANDOVER);
	if (rec_reader_bad(r) || check_method(x, r) < 0)
		return -1;
	if (kind < 0 || row.benefit < 0)
		return rec_reader_fail(r, kind < 0 ? x->ix[I_KIND] : x->ix[I_BENEFIT], "not a code cohort-tables knows: %s",
				       rec_reader_field(r, (size_t)x->ix[kind < 0 ? I_KIND : I_BENEFIT]));
	row.kind = (enum ck)kind;
	if ((row.month = cohort_label_month(row.kind, rec_reader_field(r, (size_t)x->ix[I_COHORT]))) < 0)
		return rec_reader_fail(r, x->ix[I_COHORT], "not a %s cohort (2006-03, 2006-Q1, 2006): %s",
				       ck_name[row.kind], rec_reader_field(r, (size_t)x->ix[I_COHORT]));
	row.has_spell = !isnan(t);
	if (row.has_spell != (ended >= 0))
		return rec_reader_fail(r, x->ix[I_KM_ENDED], "km_time and km_ended must be both there or both missing");
	row.obs = (struct km_obs){ .time = t, .ended = ended };
	if (extract != DATE_NONE) {
		if (x->c.earliest_extract == DATE_NONE || extract < x->c.earliest_extract)
			x->c.earliest_extract = extract;
		if (extract > x->c.latest_extract)
			x->c.latest_extract = extract;
	}
	if (cells_add(&x->c, &row, err, sizeof err) < 0)
		return rec_reader_fail(r, -1, "%s", err);
	return 0;
}

/* --- the end --------------------------------------------------------------------- */

static int end(void *vc, struct rec_writer *w)
{
	struct ctx *x = vc;
	struct copts *o = &x->o;
	char err[512], ed[11], method[512], lag[48];
	long n_primary, n_secondary;

	if (o->extract_date == DATE_NONE)
		o->extract_date = x->c.earliest_extract;
	if (o->extract_date == DATE_NONE) {
		diag_warn(NULL, 0, NULL, "no extract date: no row has an extract_date (no index spell); give --extract-date");
		return -1;
	}
	if (x->c.latest_extract != x->c.earliest_extract && x->c.earliest_extract != DATE_NONE)
		diag_warn(NULL, 0, NULL, "the rows have several extract dates: the censoring rule takes the earliest");
	if (figures_make(&x->c, o, err, sizeof err) < 0) {
		diag_warn(NULL, 0, NULL, "%s", err);
		return -1;
	}
	disclose(&x->c, o, &n_primary, &n_secondary);
	date_format_iso(o->extract_date, ed);
	snprintf(lag, sizeof lag, ";decision_lag=%ld", o->decision_lag);
	snprintf(method, sizeof method, "%s;min_n=%ld;protection=%ld;conf=%s;level=%g;month_end=%s%s",
		 x->method ? x->method : "", o->min_n, o->protection,
		 o->conf == KM_CONF_LOG ? "log" : o->conf == KM_CONF_LOGLOG ? "log-log" : "plain", o->level,
		 o->month_end == MONTH_END_NEXT ? "next" : "clamp", o->decision_lag >= 0 ? lag : "");
	if (rec_writer_section(w, OUT_SCHEMA) < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	figures_write(&x->c, o, method, w);
	diag_warn(NULL, 0, NULL, "%ld rows read; extract date %s; %ld figures withheld on fewer than %ld people, "
		  "%ld more to protect them", x->rows, ed, n_primary, o->min_n, n_secondary);
	return 0;
}

/* --- options and main ------------------------------------------------------------- */

/* The kinds of the run: --kind's in month, quarter, year order, then --combine's. */
static int start(void *vc, struct rec_writer *w)
{
	struct ctx *x = vc;

	(void)w;
	if (x->o.protection < 0)
		x->o.protection = x->o.min_n;
	x->o.z = gsl_cdf_ugaussian_Pinv(1 - (1 - x->o.level) / 2);
	x->c.kinds = xcalloc(3 + x->n_ranges, sizeof *x->c.kinds);
	for (int k = 0; k < 3; k++)
		if (x->want_kind[k])
			ckind_init(&x->c.kinds[x->c.n_kinds++], (enum ck)k);
	for (size_t i = 0; i < x->n_ranges; i++)
		if (ckind_range(&x->c.kinds[x->c.n_kinds++], x->ranges[i]) < 0) {
			filter_usage_error("--combine: two months yyyy-mm:yyyy-mm, the first not after the second: %s",
					   x->ranges[i]);
			return FILTER_BAD_USAGE;
		}
	return 0;
}

static int parse_long(const char *opt, const char *arg, long lo, long *out, char *err, size_t errsz)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(arg, &e, 10);
	if (errno || e == arg || *e || v < lo || v > 100000000) {
		snprintf(err, errsz, "%s: a whole number from %ld: %s", opt, lo, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_kinds(struct ctx *x, const char *arg, char *err, size_t errsz)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%s", arg);
	memset(x->want_kind, 0, sizeof x->want_kind);
	for (char *save = NULL, *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		int i = 0;

		while (i < 3 && strcmp(k, ck_name[i]) != 0)
			i++;
		if (i == 3) {
			snprintf(err, errsz, "--kind: month, quarter or year, separated by commas: %s", arg);
			return -1;
		}
		x->want_kind[i] = 1;
	}
	return x->want_kind[0] + x->want_kind[1] + x->want_kind[2] ? 0 : (snprintf(err, errsz, "--kind: empty"), -1);
}

enum { O_KIND = 256, O_COMBINE, O_MIN_N, O_PROTECTION, O_CONF, O_LEVEL, O_MONTH_END, O_LAG, O_EXTRACT };

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	struct ctx *x = vc;
	char *e;

	switch (opt) {
	case O_KIND: return parse_kinds(x, arg, err, errsz);
	case O_COMBINE:
		x->ranges = xrealloc(x->ranges, (x->n_ranges + 1) * sizeof *x->ranges);
		x->ranges[x->n_ranges++] = (char *)arg;
		return 0;
	case O_MIN_N: return parse_long("--min-n", arg, 0, &x->o.min_n, err, errsz);
	case O_PROTECTION: return parse_long("--protection", arg, 0, &x->o.protection, err, errsz);
	case O_LAG: return parse_long("--decision-lag", arg, 0, &x->o.decision_lag, err, errsz);
	case O_CONF:
		if (km_conf_parse(arg, &x->o.conf) == 0)
			return 0;
		snprintf(err, errsz, "--conf: log, log-log or plain: %s", arg);
		return -1;
	case O_LEVEL:
		x->o.level = strtod(arg, &e);
		if (e != arg && !*e && x->o.level > 0 && x->o.level < 1)
			return 0;
		snprintf(err, errsz, "--level: a number between 0 and 1: %s", arg);
		return -1;
	case O_MONTH_END:
		if (!strcmp(arg, "clamp") || !strcmp(arg, "next")) {
			x->o.month_end = !strcmp(arg, "next") ? MONTH_END_NEXT : MONTH_END_CLAMP;
			return 0;
		}
		snprintf(err, errsz, "--month-end: clamp or next: %s", arg);
		return -1;
	case O_EXTRACT:
		if ((x->o.extract_date = date_parse_iso(arg, strlen(arg))) != DATE_NONE)
			return 0;
		snprintf(err, errsz, "--extract-date: not a date (yyyy-mm-dd): %s", arg);
		return -1;
	}
	return -1;
}

static void release(void *vc)
{
	struct ctx *x = vc;

	cells_release(&x->c);
	free(x->ranges);
	free(x->method);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, O_KIND }, { "combine", required_argument, NULL, O_COMBINE },
		{ "min-n", required_argument, NULL, O_MIN_N }, { "protection", required_argument, NULL, O_PROTECTION },
		{ "conf", required_argument, NULL, O_CONF }, { "level", required_argument, NULL, O_LEVEL },
		{ "month-end", required_argument, NULL, O_MONTH_END },
		{ "decision-lag", required_argument, NULL, O_LAG },
		{ "extract-date", required_argument, NULL, O_EXTRACT }, { NULL, 0, NULL, 0 }
	};
	static const struct filter cohort_tables = {
		.name = "cohort-tables", .usage = usage, .long_opts = longopts, .option = option,
		.start = start, .section = section, .record = record, .end = end, .release = release,
	};
	struct ctx x = { .o = { .min_n = 10, .protection = -1, .conf = KM_CONF_LOG, .level = 0.95,
				.month_end = MONTH_END_CLAMP, .decision_lag = -1, .extract_date = DATE_NONE },
			 .c = { .input_kind = N_CK, .earliest_extract = DATE_NONE, .latest_extract = DATE_NONE },
			 .want_kind = { 1, 0, 0 } };

	return filter_main(&cohort_tables, &x, argc, argv);
}
