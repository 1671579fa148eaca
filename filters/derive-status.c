/* derive-status - add the derived measures of DOMAIN.md to each person: person/1 in,
 * person_status/1 out (the input columns unchanged, then the new ones).
 *
 * A streaming stage: one row in, one row out, nothing kept between rows, so memory does
 * not depend on the number of people. Every method choice is an option whose default is
 * the report's reading (see usage() and schemas/person_status-1.schema).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "rec.h"
#include "schema.h"

enum source { SRC_REGISTRY, SRC_SURVEY };
enum month_end { ME_CLAMP, ME_NEXT };

static struct {
	int age_bound[4];        /* --age-classes: lower bounds of classes 2..5 */
	int large_phase;         /* --large-phase */
	enum source source;      /* --on-benefit-source */
	int h1_wave;             /* --h1-wave: 1 or 2 */
	enum month_end month_end;/* --month-end */
} opt = { { 25, 35, 45, 55 }, 3, SRC_REGISTRY, 2, ME_CLAMP };

/* The columns derive-status adds, in person_status/1's order (checked at start-up). */
static const char *const added[] = {
	"age", "age_class", "migrant", "large_distance", "days_on_benefit", "spell_running",
	"on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "h1_poor_health", "h2_poor_health",
	"h1_nonwork_problem", "h2_nonwork_problem", "h1_asked_help", "h2_asked_help",
	"h1_obligation", "h2_obligation", "h1_work_resumed", "h2_work_resumed", "h1_looking",
	"h2_looking", "h1_search_hours", "h2_search_hours", "h1_applications", "h2_applications"
};
#define N_ADDED (sizeof added / sizeof added[0])

static const char *const age_class_name[5] = { "under_25", "25_34", "35_44", "45_54", "55_plus" };
static const char *const prob_items[5] = { "prob_health", "prob_addiction", "prob_debt",
	"prob_care", "prob_housing" };

/* Field indexes of the current person/1 section: looked up once per section. */
struct wave_idx {
	int health, asked_help, obligation, work, looking, search_hours, applications;
	int on_benefit_now, benefit_end_month;   /* waves 2 and 3 */
	int prob[5];
};
static struct {
	int birth, application_date, origin, phase, spell_start, spell_end, extract_date;
	struct wave_idx w[3];
	/* the any-wave items of each half-year (H1: waves 1 and 2; H2: wave 3) */
	int health[2][2], prob[2][10], asked_help[2][2];
	int n_waves[2];
} ix;

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: derive-status [OPTIONS] [FILE...]\n"
"Add the derived measures to each person: ages, distance, time on benefit, and the H1/H2\n"
"measures from the survey waves.\n"
"\n"
"Reads person/1 (link-waves; FILE or stdin, gzip or plain). Writes person_status/1 on\n"
"stdout: the person/1 columns unchanged, then these (schemas/person_status-1.schema):\n");
	const struct schema *s = schema_find("person_status/1", NULL);
	if (s)
		for (size_t i = s->n_fields - N_ADDED; i < s->n_fields; i++)
			fprintf(fp, "  %-19s %s\n", s->fields[i].name, s->fields[i].meaning);
	fprintf(fp,
"\n"
"H1 = waves 1 and 2 (application .. month 6), H2 = wave 3 (months 7-12). The any-wave\n"
"measures (poor health, non-work problem, asked for help) are 1 when a wave of the\n"
"half-year says yes, 0 when a wave answered and none said yes, missing otherwise.\n"
"\n"
"Options:\n"
"  --age-classes A,B,C,D   lower bounds of the age classes 25_34, 35_44, 45_54, 55_plus\n"
"                          (default 25,35,45,55; the class names stay those of the\n"
"                          schema: with other bounds they name classes 1..5)\n"
"  --large-phase N         large distance = phase >= N (default 3)\n"
"  --on-benefit-source S   registry (default): the index spell decides on_benefit_Km:\n"
"                          end_date later than the day K months after the application,\n"
"                          or running and extract_date later than it; missing when the\n"
"                          extract date comes first (censored) or there is no spell.\n"
"                          survey: the waves decide; for each K, wave 3 first, else wave\n"
"                          2: on_benefit_now = 0 with benefit_end_month M gives M > K;\n"
"                          on_benefit_now = 1 gives 1 for K up to the wave's horizon\n"
"                          (wave 2: 6, wave 3: 12); on_benefit_now = 0 without a month\n"
"                          gives 0 for K from the horizon on; otherwise missing\n"
"  --month-end M           the day K months after a day that does not exist in the\n"
"                          target month (31 March + 6 months): clamp (default: the\n"
"                          month's last day, 30 September) or next (the day after it,\n"
"                          1 October)\n"
"  --h1-wave N             the wave whose answer stands for H1 in obligation, work,\n"
"                          looking, hours and applications: 1 or 2 (default 2)\n"
"  --help, --version\n"
"\n"
"Hours a week are 0 for people not looking (report, footnote 3); when looking is\n"
"missing the hours are taken as answered. The exit reason is person/1's spell_end_reason.\n"
"\n"
"Example:\n"
"  link-waves sections.gz | derive-status --h1-wave 1 | classify-support > support.gz\n");
}

/* --- the rules ---------------------------------------------------------------------- */

/* The day on which "still on benefit after K months" is judged, for an application on DAY.
 *
 * The report counts calendar months from the application date ("langer dan drie maanden"),
 * so the day is the same day of the month K months later: 2006-03-15 + 6 = 2006-09-15.
 * When that day does not exist (31 March + 6 months: there is no 31 September) there are
 * two readings. The report's, and the default (--month-end clamp), moves it back to the
 * month's last day, 2006-09-30: a spell that runs "to the end of the sixth month" counts,
 * and every application in one month gets its judgement day in the same target month
 * (which keeps the 3/6/12-month populations of one application month comparable).
 * --month-end next rolls over to the day after that last day, 2006-10-01, as mktime()
 * would: a strict "a full K months have passed" reading. Leap years need nothing special:
 * 2007-08-31 + 6 = 2008-02-29 (clamp) or 2008-03-01 (next); 2006-02-28 + 12 = 2007-02-28.
 */
static int months_later(int day, int k)
{
	int t = date_add_months(day, k);
	int y0, m0, d0, y, m, d;

	if (opt.month_end == ME_CLAMP)
		return t;
	date_to_ymd(day, &y0, &m0, &d0);
	date_to_ymd(t, &y, &m, &d);
	return d < d0 ? t + 1 : t;  /* clamped: the first day of the next month */
}

/* Registry: 1, 0, or -1 (missing). A censored spell (running, the extract taken on or
 * before the judgement day) is unknown, not finished. */
static int on_benefit_registry(int start, int end, int extract, int day)
{
	if (start == DATE_NONE)
		return -1;
	if (end != DATE_NONE)
		return end > day;
	if (extract != DATE_NONE && extract > day)
		return 1;
	return -1;
}

/* Survey, one wave (horizon: the last month it covers): 1, 0 or -1. */
static int on_benefit_wave(int now, int end_month, int horizon, int k)
{
	if (now == 1)
		return k <= horizon ? 1 : -1;
	if (now == 0 && end_month > 0)
		return end_month > k;
	if (now == 0)
		return k >= horizon ? 0 : -1;
	return -1;
}

/* --- reading fields --------------------------------------------------------------- */

static struct rec_reader *rd;

static __attribute__((noreturn)) void bad(int i, const char *what)
{
	const char *v = rec_reader_field(rd, (size_t)i);

	die(EXIT_DATA, rec_reader_name(rd), rec_reader_line(rd),
	    rec_reader_schema(rd)->fields[i].name, "%s%s%s", what, *v ? ": " : "", v);
}

static const char *fs(int i)
{
	return rec_reader_field(rd, (size_t)i);
}

static int fdate(int i)
{
	const char *s = fs(i);
	int d;

	if (!*s)
		return DATE_NONE;
	if ((d = date_parse_iso(s, rec_reader_field_len(rd, (size_t)i))) == DATE_NONE)
		bad(i, "not a date (yyyy-mm-dd)");
	return d;
}

/* A small non-negative int (up to 3 digits as the schema's items are): -1 when missing. */
static int fint(int i)
{
	const char *s = fs(i);
	int v = 0, n = 0;

	if (!*s)
		return -1;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n == 4)
			bad(i, "not a small whole number");
		v = v * 10 + (s[n] - '0');
	}
	return v;
}

static int fbool(int i)
{
	const char *s = fs(i);

	if (!*s)
		return -1;
	if ((s[0] == '0' || s[0] == '1') && !s[1])
		return s[0] - '0';
	bad(i, "not a bool (0/1)");
}

/* The any-wave rule over the bool fields IDX[0..N-1] (one item in one or more waves, or
 * several items): 1 when one says 1, 0 when one answered and none said 1, -1 when none
 * answered. */
static int any_yes(const int *idx, int n)
{
	int r = -1;

	for (int j = 0; j < n; j++) {
		int v = fbool(idx[j]);

		if (v == 1)
			return 1;
		if (v == 0)
			r = 0;
	}
	return r;
}

/* Poor health (4 or 5): the any-wave rule on the 1..5 health items IDX[0..N-1]. */
static int any_poor_health(const int *idx, int n)
{
	int r = -1;

	for (int j = 0; j < n; j++) {
		int h = fint(idx[j]);

		if (h > 5 || h == 0)
			bad(idx[j], "not a health score 1..5");
		if (h >= 4)
			return 1;
		if (h >= 1)
			r = 0;
	}
	return r;
}

/* --- one section, one row ------------------------------------------------------------ */

static int need(const char *name)
{
	int i = rec_reader_index(rd, name);

	if (i < 0)
		BUG("person/1 has no field %s", name);
	return i;
}

static void section_begin(struct rec_writer *w)
{
	const struct schema *s = rec_reader_schema(rd);
	char name[64];

	if (strcmp(s->id, "person/1") != 0)
		die(EXIT_DATA, rec_reader_name(rd), rec_reader_line(rd), NULL,
		    "unexpected section %s: derive-status reads person/1", s->id);
	ix.birth = need("birth_date");
	ix.application_date = need("application_date");
	ix.origin = need("origin");
	ix.phase = need("phase");
	ix.spell_start = need("spell_start");
	ix.spell_end = need("spell_end");
	ix.extract_date = need("extract_date");
	for (int k = 0; k < 3; k++) {
		struct wave_idx *x = &ix.w[k];
#define W(f) (snprintf(name, sizeof name, "w%d_%s", k + 1, f), need(name))
		x->health = W("health");
		x->asked_help = W("asked_help");
		x->obligation = W("obligation");
		x->work = W("work");
		x->looking = W("looking");
		x->search_hours = W("search_hours");
		x->applications = W("applications");
		x->on_benefit_now = k ? W("on_benefit_now") : -1;
		x->benefit_end_month = k ? W("benefit_end_month") : -1;
		for (int j = 0; j < 5; j++)
			x->prob[j] = W(prob_items[j]);
#undef W
	}
	for (int h = 0; h < 2; h++) {
		int lo = h == 0 ? 0 : 2, hi = h == 0 ? 1 : 2;

		ix.n_waves[h] = hi - lo + 1;
		for (int k = lo; k <= hi; k++) {
			ix.health[h][k - lo] = ix.w[k].health;
			ix.asked_help[h][k - lo] = ix.w[k].asked_help;
			for (int j = 0; j < 5; j++)
				ix.prob[h][(k - lo) * 5 + j] = ix.w[k].prob[j];
		}
	}
	if (rec_writer_section(w, "person_status/1") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
}

static void put_flag(struct rec_writer *w, int v)
{
	rec_put_bool(w, v);          /* -1 = missing */
}

enum measure { M_OBLIGATION, M_WORK, M_LOOKING, M_HOURS, M_APPLICATIONS };

/* A single-wave measure of a half-year, from wave K (0-based). */
static void put_wave_measure(struct rec_writer *w, enum measure m, int k)
{
	const struct wave_idx *x = &ix.w[k];
	const char *v;
	int n;

	switch (m) {
	case M_OBLIGATION:
		v = fs(x->obligation);
		if (*v && strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "dont_know"))
			bad(x->obligation, "not yes, no or dont_know");
		rec_put(w, v);          /* dont_know is kept: it carries meaning */
		break;
	case M_WORK:
		v = fs(x->work);
		if (strcmp(v, "full") == 0)
			v = "fully";
		else if (*v && strcmp(v, "none") && strcmp(v, "partly"))
			bad(x->work, "not none, partly or full");
		rec_put(w, v);
		break;
	case M_LOOKING:
		put_flag(w, fbool(x->looking));
		break;
	case M_HOURS:
		n = fint(x->search_hours);
		if (fbool(x->looking) == 0)
			rec_put_int(w, 0);   /* not looking: 0 hours (report, footnote 3) */
		else if (n >= 0)
			rec_put_int(w, n);   /* looking, or looking not answered: as answered */
		else
			rec_put_missing(w);
		break;
	case M_APPLICATIONS:
		n = fint(x->applications);
		if (n >= 0)
			rec_put_int(w, n);
		else
			rec_put_missing(w);
		break;
	}
}

static void derive_row(struct rec_writer *w)
{
	static const int months[3] = { 3, 6, 12 };
	int app = fdate(ix.application_date), birth = fdate(ix.birth);
	int start = fdate(ix.spell_start), end = fdate(ix.spell_end);
	int extract = fdate(ix.extract_date);
	int age, cls, phase = fint(ix.phase);
	const char *origin = fs(ix.origin);
	int h1 = opt.h1_wave - 1;

	if (app == DATE_NONE)
		bad(ix.application_date, "missing required value");
	if (birth == DATE_NONE)
		bad(ix.birth, "missing required value");
	age = date_age_years(birth, app);
	if (age < 0 || age > 120)
		bad(ix.birth, "age at application outside 0..120");
	if (phase < 1 || phase > 4)
		bad(ix.phase, "not a phase 1..4");
	if (!*origin)
		bad(ix.origin, "missing required value");

	rec_put_fields(w, rd);
	rec_put_int(w, age);
	for (cls = 0; cls < 4 && age >= opt.age_bound[cls]; cls++)
		;
	rec_put(w, age_class_name[cls]);
	rec_put_bool(w, strcmp(origin, "native") != 0);
	rec_put_bool(w, phase >= opt.large_phase);
	if (start == DATE_NONE) {
		rec_put_missing(w);
		rec_put_missing(w);
	} else {
		int last = end != DATE_NONE ? end : extract;

		if (last == DATE_NONE)
			bad(ix.extract_date, "missing for a running spell");
		if (last < start)
			bad(end != DATE_NONE ? ix.spell_end : ix.extract_date, "before spell_start");
		rec_put_int(w, last - start);
		rec_put_bool(w, end == DATE_NONE);
	}
	for (int i = 0; i < 3; i++) {
		int v;

		if (opt.source == SRC_REGISTRY) {
			v = on_benefit_registry(start, end, extract, months_later(app, months[i]));
		} else {
			v = on_benefit_wave(fbool(ix.w[2].on_benefit_now), fint(ix.w[2].benefit_end_month),
					    12, months[i]);
			if (v < 0)
				v = on_benefit_wave(fbool(ix.w[1].on_benefit_now),
						    fint(ix.w[1].benefit_end_month), 6, months[i]);
		}
		put_flag(w, v);
	}
	for (int h = 0; h < 2; h++)
		put_flag(w, any_poor_health(ix.health[h], ix.n_waves[h]));
	for (int h = 0; h < 2; h++)
		put_flag(w, any_yes(ix.prob[h], 5 * ix.n_waves[h]));
	for (int h = 0; h < 2; h++)
		put_flag(w, any_yes(ix.asked_help[h], ix.n_waves[h]));
	for (enum measure m = M_OBLIGATION; m <= M_APPLICATIONS; m++) {
		put_wave_measure(w, m, h1);
		put_wave_measure(w, m, 2);
	}
	rec_writer_end(w);
}

/* --- main ------------------------------------------------------------------------- */

static void check_schema(void)
{
	const struct schema *s = schema_find("person_status/1", NULL);

	if (!s || s->n_fields < N_ADDED)
		BUG("schema person_status/1 missing or short");
	for (size_t i = 0; i < N_ADDED; i++)
		if (strcmp(s->fields[s->n_fields - N_ADDED + i].name, added[i]) != 0)
			BUG("person_status/1 column %s, expected %s",
			    s->fields[s->n_fields - N_ADDED + i].name, added[i]);
}

static void parse_age_classes(const char *v)
{
	const char *p = v;

	for (int i = 0; i < 4; i++) {
		char *e;
		long b = strtol(p, &e, 10);

		if (e == p || b < 1 || b > 120 || (i > 0 && b <= opt.age_bound[i - 1]) ||
		    (i < 3 ? *e != ',' : *e != '\0'))
			diag_usage("--age-classes: four increasing ages in 1..120, as 25,35,45,55: %s", v);
		opt.age_bound[i] = (int)b;
		p = e + 1;
	}
}

static void process(const char *path, struct rec_writer *w)
{
	int rc, have_section = 0;

	if (!(rd = rec_reader_open(path)))
		die(EXIT_DATA, path, 0, NULL, "cannot open: %m");
	while ((rc = rec_reader_next(rd)) > 0 && !rec_writer_failed(w)) {
		if (rc == REC_SECTION) {
			section_begin(w);
			have_section = 1;
		} else if (have_section) {
			derive_row(w);
		}
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(rd));
	rec_reader_free(rd);
	rd = NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "age-classes", required_argument, NULL, 'a' },
		{ "large-phase", required_argument, NULL, 'l' },
		{ "on-benefit-source", required_argument, NULL, 's' },
		{ "month-end", required_argument, NULL, 'm' },
		{ "h1-wave", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct rec_writer *w;
	int c, status;

	diag_init(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': parse_age_classes(optarg); break;
		case 'l':
			if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '4')
				diag_usage("--large-phase: a phase 1..4: %s", optarg);
			opt.large_phase = optarg[0] - '0';
			break;
		case 's':
			if (strcmp(optarg, "registry") == 0)
				opt.source = SRC_REGISTRY;
			else if (strcmp(optarg, "survey") == 0)
				opt.source = SRC_SURVEY;
			else
				diag_usage("--on-benefit-source: registry or survey: %s", optarg);
			break;
		case 'm':
			if (strcmp(optarg, "clamp") == 0)
				opt.month_end = ME_CLAMP;
			else if (strcmp(optarg, "next") == 0)
				opt.month_end = ME_NEXT;
			else
				diag_usage("--month-end: clamp or next: %s", optarg);
			break;
		case 'w':
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				diag_usage("--h1-wave: 1 or 2: %s", optarg);
			opt.h1_wave = optarg[0] - '0';
			break;
		case 'h': usage(stdout); return diag_close_stdout(EXIT_SUCCESS_);
		case 'V': puts("derive-status ketenmonitor 0.1"); return diag_close_stdout(EXIT_SUCCESS_);
		default: diag_usage("unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	check_schema();
	if (!(w = rec_writer_open(NULL, -1, 0644)))
		die(EXIT_DATA, "stdout", 0, NULL, "cannot write: %m");
	rec_enlarge_pipe(0);
	rec_enlarge_pipe(1);
	if (optind == argc)
		process(NULL, w);
	for (int i = optind; i < argc; i++)
		process(argv[i], w);
	status = rec_writer_close(w) < 0 ? EXIT_DATA : EXIT_SUCCESS_;
	return diag_close_stdout(status);
}
