/* derive-status - add the derived measures of DOMAIN.md to each person: person/1 in,
 * person_status/1 out (the input columns unchanged, then the new ones); cohort_person/1
 * (link-waves --cohorts) in, cohort_status/1 out: the same columns for each cohort row,
 * then the Kaplan-Meier time on benefit (km_time, km_ended).
 *
 * A streaming stage: one row in, one row out, nothing kept between rows, so memory does
 * not depend on the number of people. Every method choice is an option whose default is
 * the report's reading (see usage() and schemas/person_status-1.schema).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "months.h"
#include "rec.h"
#include "schema.h"

enum source { SRC_REGISTRY, SRC_SURVEY };

/* The method: one field per option, defaults the report's (see usage()). */
struct method {
	int age_bound[4];        /* --age-classes: lower bounds of classes 2..5 */
	int large_phase;         /* --large-phase */
	enum source source;      /* --on-benefit-source */
	int h1_wave;             /* --h1-wave: 1 or 2 */
	enum month_end month_end;/* --month-end */
};

/* The columns derive-status adds, in person_status/1's order (checked at start-up). */
static const char *const added[] = {
	"age", "age_class", "migrant", "large_distance", "days_on_benefit", "spell_running",
	"on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "h1_poor_health", "h2_poor_health",
	"h1_nonwork_problem", "h2_nonwork_problem", "h1_asked_help", "h2_asked_help",
	"h1_obligation", "h2_obligation", "h1_work_resumed", "h2_work_resumed", "h1_looking",
	"h2_looking", "h1_search_hours", "h2_search_hours", "h1_applications", "h2_applications"
};
#define N_ADDED (sizeof added / sizeof added[0])

/* The sections derive-status reads and what it writes for each: the input's columns, then
 * `added`, then for cohort rows the Kaplan-Meier time (checked at start-up). */
static const struct io {
	const char *in, *out;
	int km;                  /* km_time, km_ended follow */
} ios[] = {
	{ "person/1", "person_status/1", 0 },
	{ "cohort_person/1", "cohort_status/1", 1 },
};
#define N_IOS (sizeof ios / sizeof ios[0])
static const char *const km_cols[] = { "km_time", "km_ended" };

static const char *const age_class_name[5] = { "under_25", "25_34", "35_44", "45_54", "55_plus" };
static const char *const prob_items[5] = { "prob_health", "prob_addiction", "prob_debt",
	"prob_care", "prob_housing" };

/* Field indexes of the current person/1 section: looked up once per section. */
struct wave_idx {
	int health, asked_help, obligation, work, looking, search_hours, applications;
	int on_benefit_now, benefit_end_month;   /* waves 2 and 3 */
	int prob[5];
};
struct fields {
	int birth, application_date, origin, phase, spell_start, spell_end, extract_date;
	struct wave_idx w[3];
	/* the any-wave items of each half-year (H1: waves 1 and 2; H2: wave 3) */
	int health[2][2], prob[2][10], asked_help[2][2];
	int n_waves[2];
	int native;                  /* origin's code for "native" (not a migrant) */
	const char *work_word[8];    /* by wK_work's code: the word written (full -> fully) */
	double age_lo, age_hi;       /* person_status/1's range of age */
};

struct ctx {
	struct method opt;
	struct fields ix;
	const struct io *io;     /* the current section's */
};

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
"Reads cohort_person/1 too (link-waves --cohorts: a row per person and cohort), and writes\n"
"cohort_status/1: the same columns for each row's index application, then\n"
"  km_time             calendar months from application_date to spell_end, or to\n"
"                      extract_date while the spell runs (filters/lib/months.h)\n"
"  km_ended            1: the spell ended (an event at km_time); 0: running (censored)\n"
"both missing without a spell: a Kaplan-Meier curve's input (cohort-tables).\n"
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

/* --- one section, one row ------------------------------------------------------------ */

/* The any-wave rule over the bool fields IDX[0..N-1] (one item in one or more waves, or
 * several items): 1 when one says 1, 0 when one answered and none said 1, -1 when none
 * answered. */
static int any_yes(struct rec_reader *r, const int *idx, int n)
{
	int v = -1;

	for (int j = 0; j < n; j++) {
		int b = rec_get_bool(r, idx[j]);

		if (b == 1)
			return 1;
		if (b == 0)
			v = 0;
	}
	return v;
}

/* Poor health (4 or 5): the any-wave rule on the health items IDX[0..N-1] (their range,
 * 1..5, is the schema's). */
static int any_poor_health(struct rec_reader *r, const int *idx, int n)
{
	int v = -1;

	for (int j = 0; j < n; j++) {
		long h = rec_get_int(r, idx[j]);

		if (h == REC_INT_NONE)
			continue;
		if (h >= 4)
			return 1;
		v = 0;
	}
	return v;
}

/* The wave columns derive-status reads, and the half-years they make up. */
static void wave_fields(struct rec_reader *r, struct fields *ix)
{
	char name[64];

	for (int k = 0; k < 3; k++) {
		struct wave_idx *x = &ix->w[k];
#define W(f) (snprintf(name, sizeof name, "w%d_%s", k + 1, f), rec_reader_require(r, name))
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

		ix->n_waves[h] = hi - lo + 1;
		for (int k = lo; k <= hi; k++) {
			ix->health[h][k - lo] = ix->w[k].health;
			ix->asked_help[h][k - lo] = ix->w[k].asked_help;
			for (int j = 0; j < 5; j++)
				ix->prob[h][(k - lo) * 5 + j] = ix->w[k].prob[j];
		}
	}
}

/* The code of WORD in field I's code list, -1 when absent. */
static int code_of(const struct rec_reader *r, int i, const char *word)
{
	const struct schema_field *f = &rec_reader_schema(r)->fields[i];

	for (size_t k = 0; k < f->n_enum; k++)
		if (strcmp(f->enum_values[k], word) == 0)
			return (int)k;
	return -1;
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;
	struct fields *ix = &c->ix;
	const struct schema *out;
	const struct schema_field *work;

	for (c->io = ios; c->io < ios + N_IOS && strcmp(rec_reader_schema(r)->id, c->io->in); c->io++)
		;
	if (c->io == ios + N_IOS)
		return rec_reader_fail(r, -1, "unexpected section %s: derive-status reads person/1 or cohort_person/1",
				       rec_reader_schema(r)->id);
	out = schema_find(c->io->out, NULL);
	ix->birth = rec_reader_require(r, "birth_date");
	ix->application_date = rec_reader_require(r, "application_date");
	ix->origin = rec_reader_require(r, "origin");
	ix->phase = rec_reader_require(r, "phase");
	ix->spell_start = rec_reader_require(r, "spell_start");
	ix->spell_end = rec_reader_require(r, "spell_end");
	ix->extract_date = rec_reader_require(r, "extract_date");
	wave_fields(r, ix);
	if (rec_reader_bad(r))
		return -1;
	ix->native = code_of(r, ix->origin, "native");
	work = &rec_reader_schema(r)->fields[ix->w[0].work];
	for (size_t k = 0; k < work->n_enum && k < 8; k++)
		ix->work_word[k] = strcmp(work->enum_values[k], "full") == 0 ? "fully" : work->enum_values[k];
	const struct schema_field *age = &out->fields[schema_field_index(out, "age")];
	ix->age_lo = age->has_lo ? age->lo : 0;
	ix->age_hi = age->has_hi ? age->hi : 1e9;
	if (rec_writer_section(w, c->io->out) < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	return 0;
}

enum measure { M_OBLIGATION, M_WORK, M_LOOKING, M_HOURS, M_APPLICATIONS };

/* A single-wave measure of a half-year, from wave K (0-based); LOOKING is the wave's
 * looking, read once for the two measures that use it. */
static void put_wave_measure(struct rec_reader *r, const struct fields *ix, struct rec_writer *w,
			     enum measure m, int k, int looking)
{
	const struct wave_idx *x = &ix->w[k];
	long n;
	int c;

	switch (m) {
	case M_OBLIGATION:      /* dont_know is kept: it carries meaning */
		c = rec_get_code(r, x->obligation);
		rec_put(w, c < 0 ? NULL : rec_reader_schema(r)->fields[x->obligation].enum_values[c]);
		break;
	case M_WORK:
		c = rec_get_code(r, x->work);
		rec_put(w, c < 0 || c >= 8 ? NULL : ix->work_word[c]);
		break;
	case M_LOOKING:
		rec_put_bool(w, looking);   /* -1 = missing */
		break;
	case M_HOURS:
		n = rec_get_int(r, x->search_hours);
		if (looking == 0)
			rec_put_int(w, 0);   /* not looking: 0 hours (report, footnote 3) */
		else if (n != REC_INT_NONE)
			rec_put_int(w, n);   /* looking, or looking not answered: as answered */
		else
			rec_put_missing(w);
		break;
	case M_APPLICATIONS:
		n = rec_get_int(r, x->applications);
		if (n != REC_INT_NONE)
			rec_put_int(w, n);
		else
			rec_put_missing(w);
		break;
	}
}

/* Time on benefit from the index spell: days and whether it still runs. 0, or -1 when the
 * spell's dates do not fit (refused: nothing written). */
static int put_spell(struct rec_reader *r, const struct fields *ix, struct rec_writer *w,
		     int start, int end, int extract)
{
	int last = end != DATE_NONE ? end : extract;

	if (start == DATE_NONE) {
		rec_put_missing(w);
		rec_put_missing(w);
		return 0;
	}
	if (last == DATE_NONE)
		return rec_reader_fail(r, ix->extract_date, "missing for a running spell");
	if (last < start)
		return rec_reader_fail(r, end != DATE_NONE ? ix->spell_end : ix->extract_date, "before spell_start: %s",
				       rec_reader_field(r, (size_t)(end != DATE_NONE ? ix->spell_end : ix->extract_date)));
	rec_put_int(w, last - start);
	rec_put_bool(w, end == DATE_NONE);
	return 0;
}

/* on_benefit_3m, _6m, _12m. */
static void put_on_benefit(struct rec_reader *r, const struct ctx *c, struct rec_writer *w,
			   int app, int start, int end, int extract)
{
	static const int months[3] = { 3, 6, 12 };
	const struct fields *ix = &c->ix;

	for (int i = 0; i < 3; i++) {
		int v;

		if (c->opt.source == SRC_REGISTRY) {
			v = on_benefit_registry(start, end, extract, months_mark(app, months[i], c->opt.month_end));
		} else {
			long m3 = rec_get_int(r, ix->w[2].benefit_end_month), m2 = rec_get_int(r, ix->w[1].benefit_end_month);

			v = on_benefit_wave(rec_get_bool(r, ix->w[2].on_benefit_now), m3 == REC_INT_NONE ? -1 : (int)m3,
					    12, months[i]);
			if (v < 0)
				v = on_benefit_wave(rec_get_bool(r, ix->w[1].on_benefit_now),
						    m2 == REC_INT_NONE ? -1 : (int)m2, 6, months[i]);
		}
		rec_put_bool(w, v);          /* -1 = missing */
	}
}

/* km_time and km_ended: the index spell as a Kaplan-Meier observation, on calendar month
 * time from the application (doc/cohorts.md): an event at the end date, or censored at the
 * extract date while it runs (put_spell checked that the dates are in order). */
static void put_km(struct rec_writer *w, int app, int start, int end, int extract)
{
	if (start == DATE_NONE) {
		rec_put_missing(w);
		rec_put_missing(w);
		return;
	}
	rec_put_num(w, months_since(app, end != DATE_NONE ? end : extract));
	rec_put_bool(w, end != DATE_NONE);
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	const struct ctx *c = vc;
	const struct fields *ix = &c->ix;
	int app = rec_get_date(r, ix->application_date), birth = rec_get_date(r, ix->birth);
	int start = rec_get_date(r, ix->spell_start), end = rec_get_date(r, ix->spell_end);
	int extract = rec_get_date(r, ix->extract_date), origin = rec_get_code(r, ix->origin);
	long phase = rec_get_int(r, ix->phase);
	int age, cls, h1 = c->opt.h1_wave - 1, looking[2];

	/* both required: missing means refused (any other refusal fails the next read) */
	if (app == DATE_NONE || birth == DATE_NONE)
		return -1;
	age = date_age_years(birth, app);
	if (age < ix->age_lo || age > ix->age_hi)
		return rec_reader_fail(r, ix->birth, "age at application outside %g..%g: %s", ix->age_lo,
				       ix->age_hi, rec_reader_field(r, (size_t)ix->birth));
	rec_put_fields(w, r);
	rec_put_int(w, age);
	for (cls = 0; cls < 4 && age >= c->opt.age_bound[cls]; cls++)
		;
	rec_put(w, age_class_name[cls]);
	rec_put_bool(w, origin != ix->native);
	rec_put_bool(w, phase >= c->opt.large_phase);
	if (put_spell(r, ix, w, start, end, extract) < 0)
		return -1;
	put_on_benefit(r, c, w, app, start, end, extract);
	for (int h = 0; h < 2; h++)
		rec_put_bool(w, any_poor_health(r, ix->health[h], ix->n_waves[h]));
	for (int h = 0; h < 2; h++)
		rec_put_bool(w, any_yes(r, ix->prob[h], 5 * ix->n_waves[h]));
	for (int h = 0; h < 2; h++)
		rec_put_bool(w, any_yes(r, ix->asked_help[h], ix->n_waves[h]));
	looking[0] = rec_get_bool(r, ix->w[h1].looking);
	looking[1] = rec_get_bool(r, ix->w[2].looking);
	for (enum measure m = M_OBLIGATION; m <= M_APPLICATIONS; m++) {
		put_wave_measure(r, ix, w, m, h1, looking[0]);
		put_wave_measure(r, ix, w, m, 2, looking[1]);
	}
	if (c->io->km)
		put_km(w, app, start, end, extract);
	rec_writer_end(w);
	return 0;
}

/* --- options and main ------------------------------------------------------------- */

/* Each output schema must be its input schema, then the columns derive-status writes, in
 * its order. */
static int check_io(const struct io *io)
{
	const char *err = NULL;
	const struct schema *in = schema_find(io->in, &err), *s = in ? schema_find(io->out, &err) : NULL;
	size_t n_km = io->km ? 2 : 0;

	if (!s || s->n_fields != in->n_fields + N_ADDED + n_km) {
		diag_warn(NULL, 0, NULL, "%s", err ? err : "an output schema is not its input plus the columns derive-status writes");
		return -1;
	}
	for (size_t i = 0; i < N_ADDED + n_km; i++) {
		const char *want = i < N_ADDED ? added[i] : km_cols[i - N_ADDED];

		if (strcmp(s->fields[in->n_fields + i].name, want) != 0) {
			diag_warn(s->origin, 0, s->fields[in->n_fields + i].name, "%s: derive-status writes %s there",
				  io->out, want);
			return -1;
		}
	}
	return 0;
}

static int start(void *vc, struct rec_writer *w)
{
	(void)vc;
	(void)w;
	for (size_t i = 0; i < N_IOS; i++)
		if (check_io(&ios[i]) < 0)
			return -1;
	return 0;
}

static int parse_age_classes(struct method *m, const char *v, char *err, size_t errsz)
{
	const char *p = v;

	for (int i = 0; i < 4; i++) {
		char *e;
		long b = strtol(p, &e, 10);

		if (e == p || b < 1 || b > 120 || (i > 0 && b <= m->age_bound[i - 1]) ||
		    (i < 3 ? *e != ',' : *e != '\0')) {
			snprintf(err, errsz, "--age-classes: four increasing ages in 1..120, as 25,35,45,55: %s", v);
			return -1;
		}
		m->age_bound[i] = (int)b;
		p = e + 1;
	}
	return 0;
}

/* --large-phase: a phase of person/1's range. */
static int parse_large_phase(struct method *m, const char *v, char *err, size_t errsz)
{
	const struct schema *s = schema_find("person/1", NULL);
	const struct schema_field *f = &s->fields[schema_field_index(s, "phase")];
	char *e;
	long p = strtol(v, &e, 10);

	if (e == v || *e || (f->has_lo && p < f->lo) || (f->has_hi && p > f->hi)) {
		snprintf(err, errsz, "--large-phase: a phase %g..%g: %s", f->lo, f->hi, v);
		return -1;
	}
	m->large_phase = (int)p;
	return 0;
}

/* ARG as one of the words (NULL-terminated), its index; -1 and the message otherwise. */
static int choice(const char *opt, const char *arg, const char *const *words, const char *what,
		  char *err, size_t errsz)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	snprintf(err, errsz, "%s: %s: %s", opt, what, arg);
	return -1;
}

enum { O_AGE = 256, O_LARGE, O_SOURCE, O_MONTH_END, O_H1_WAVE };

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	static const char *const sources[] = { "registry", "survey", NULL };
	static const char *const ends[] = { "clamp", "next", NULL };
	static const char *const waves[] = { "1", "2", NULL };
	struct method *m = &((struct ctx *)vc)->opt;
	int k;

	switch (o) {
	case O_AGE: return parse_age_classes(m, arg, err, errsz);
	case O_LARGE: return parse_large_phase(m, arg, err, errsz);
	case O_SOURCE:
		k = choice("--on-benefit-source", arg, sources, "registry or survey", err, errsz);
		m->source = k == 1 ? SRC_SURVEY : SRC_REGISTRY;
		return k < 0 ? -1 : 0;
	case O_MONTH_END:
		k = choice("--month-end", arg, ends, "clamp or next", err, errsz);
		m->month_end = k == 1 ? MONTH_END_NEXT : MONTH_END_CLAMP;
		return k < 0 ? -1 : 0;
	case O_H1_WAVE:
		k = choice("--h1-wave", arg, waves, "1 or 2", err, errsz);
		m->h1_wave = k + 1;
		return k < 0 ? -1 : 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "age-classes", required_argument, NULL, O_AGE },
		{ "large-phase", required_argument, NULL, O_LARGE },
		{ "on-benefit-source", required_argument, NULL, O_SOURCE },
		{ "month-end", required_argument, NULL, O_MONTH_END },
		{ "h1-wave", required_argument, NULL, O_H1_WAVE },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter derive_status = {
		.name = "derive-status", .usage = usage, .long_opts = longopts, .option = option,
		.flags = FILTER_SPLIT_SPARSE, .start = start, .section = section, .record = record,
	};
	struct ctx c = { .opt = { { 25, 35, 45, 55 }, 3, SRC_REGISTRY, 2, MONTH_END_CLAMP } };

	return filter_main(&derive_status, &c, argc, argv);
}
