/* classify-support - support per half-year, in the first year, and the WW handover.
 *
 * Reads person_status/1 (derive-status), writes person_support/1: every input column
 * unchanged, then the support and handover columns. One record in, one record out, in
 * input order (person_key order); sections are mirrored, so `cat a.gz b.gz` works.
 * cohort_status/1 (a row per person and cohort) in gives cohort_support/1 out, with the
 * handover by the claim rule unless --uwv-known person (doc/cohorts.md).
 *
 * The rules are those of DOMAIN.md and the meaning lines of schemas/person_support-1.schema;
 * each constant of the method is an option with the report's choice as default, and the
 * run's rules are written into every record (support_method) so a table can say what it
 * is built on.
 *
 * Values are three-valued (1 yes, 0 no, -1 missing) plus a fourth state, "not applicable"
 * (-2): help with non-work problems for a person without a problem, and H2 contacts under
 * --contacts exclude. Combining is Kleene's OR with "not applicable" as the neutral
 * element: yes wins, then missing, then no. That single rule gives "a dont_know makes the
 * flag missing unless another wave says yes" for the forms, the same for "any support" and
 * the first-year flags, and leaves out what is not defined instead of counting it as no.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "months.h"
#include "rec.h"
#include "schema.h"

#define IN_SCHEMA  "person_status/1"
#define OUT_SCHEMA "person_support/1"

/* The sections classify-support reads, what it writes for each (the input's columns, then
 * out_cols; checked at start-up), and the handover rule each takes by default. */
enum uwv_known { UWV_DEFAULT, UWV_PERSON, UWV_CLAIM };
static const struct io {
	const char *in, *out;
	enum uwv_known uwv_default;
} ios[] = {
	{ IN_SCHEMA, OUT_SCHEMA, UWV_PERSON },
	{ "cohort_status/1", "cohort_support/1", UWV_CLAIM },
};
#define N_IOS (sizeof ios / sizeof ios[0])

enum { V_NA = -2, V_MISS = -1, V_NO = 0, V_YES = 1, V_DONT_KNOW = 2, V_OTHER = 3 };

/* The five forms asked in every wave as an enum(yes,no,dont_know) item. */
enum { F_ADVICE, F_APPLYING, F_BUSINESS, F_PROGRAMME, F_TRAINING, N_FORMS };
static const char *const form_item[N_FORMS] = {
	"advice_vacancies", "help_applying", "help_own_business", "programme", "training"
};

/* The columns this stage adds, in person_support/1's order (checked against the schema at
 * start-up, so a schema edit cannot silently shift the values under other names). */
static const char *const out_cols[] = {
	"support_method",
	"h1_advice", "h1_help_applying", "h1_own_business", "h1_programme", "h1_training",
	"h1_problem_help", "h1_contacts", "h1_any_support",
	"h2_advice", "h2_help_applying", "h2_own_business", "h2_programme", "h2_training",
	"h2_problem_help", "h2_contacts", "h2_any_support",
	"year_advice", "year_help_applying", "year_own_business", "year_programme",
	"year_h2_programme", "year_training", "year_problem_help", "year_contacts",
	"year_any_support",
	"handover_known_cwi", "handover_known_uwv", "handover_category", "handover_days",
	"handover_on_time",
};
#define N_OUT_COLS (sizeof out_cols / sizeof out_cols[0])

/* The method: one field per option (person_support/1 names them in its meaning lines). */
struct method {
	int contacts_exclude;        /* --contacts exclude: H2 contacts (guidance_work) left out */
	long contacts_threshold;     /* --contacts-threshold N: H1 contacts = contacts_work > N */
	int dont_know_missing;       /* --dont-know missing: dont_know makes a flag missing */
	int carryover;               /* --carryover yes: H1 programme runs on in year_h2_programme */
	long on_time_days;           /* --on-time-days N: handover_on_time = days <= N */
	enum uwv_known uwv_known;    /* --uwv-known person|claim; UWV_DEFAULT: the section's */
	char tag[160];               /* support_method, built once */
	char section_tag[192];       /* the current section's: tag, then its handover rule
					* unless it is the study's on person_status/1 */
};

/* Field indexes of the input section, looked up once per section. */
struct fields {
	int benefit, application_date, cwi_handover_date, uwv_rows, uwv_received_date;
	int claim;                   /* the handover by the claim rule: the two below are used */
	int uwv_rows_claim, uwv_received_claim;
	int responded[3];
	int nonwork_problem[2];      /* h1_, h2_nonwork_problem */
	int form[N_FORMS][3];        /* w1..w3 items of each form */
	int help_problems[3];
	int contacts_work[2];        /* w1, w2 (wave 3 does not ask it) */
	int guidance_work;           /* w3 */
	int ww, wwb;                 /* benefit's codes of ww and wwb */
	/* the schema's code lists, as answers: by field index, then code: V_YES, V_NO,
	 * V_DONT_KNOW, or V_OTHER (a code the method does not know) */
	signed char (*answer_of)[8];
};

struct ctx {
	struct method m;
	struct fields f;
	long sections;
};

/* One person's result, in output order. */
struct support {
	int h1[N_FORMS], h1_problem_help, h1_contacts, h1_any;
	int h2[N_FORMS], h2_problem_help, h2_contacts, h2_any;
	int year[N_FORMS], year_h2_programme, year_problem_help, year_contacts, year_any;
	int known_cwi, known_uwv;
	const char *category;        /* NULL = missing */
	long days;                   /* LONG_MIN = missing */
	int on_time;
};

static int
or3(int a, int b)
{
	if (a == V_YES || b == V_YES)
		return V_YES;
	if (a == V_NA)
		return b;
	if (b == V_NA)
		return a;
	if (a == V_MISS || b == V_MISS)
		return V_MISS;
	return V_NO;
}

/* An answer to a yes/no/dont_know item as a value: empty (not asked, no answer, or a
 * wave the person did not answer) counts as not received, dont_know per --dont-know. */
static int
answer(struct rec_reader *r, const struct fields *f, int i, const struct method *m)
{
	int code = rec_get_code(r, i);

	if (code < 0)
		return V_NO;
	switch (f->answer_of[i][code < 8 ? code : 7]) {
	case V_YES:
		return V_YES;
	case V_NO:
		return V_NO;
	case V_DONT_KNOW:
		return m->dont_know_missing ? V_MISS : V_NO;
	}
	rec_reader_fail(r, i, "unexpected value: %s", rec_reader_field(r, (size_t)i));
	return V_MISS;
}

/* Each code of the yes/no/dont_know field I as an answer (see struct fields). */
static void
answers_of(const struct rec_reader *r, struct fields *f, int i)
{
	const struct schema_field *sf = &rec_reader_schema(r)->fields[i];

	for (size_t k = 0; k < 8; k++) {
		const char *v = k < sf->n_enum ? sf->enum_values[k] : "";

		f->answer_of[i][k] = !strcmp(v, "yes") ? V_YES : !strcmp(v, "no") ? V_NO
			: !strcmp(v, "dont_know") ? V_DONT_KNOW : V_OTHER;
	}
}

static int
benefit_code(const struct rec_reader *r, int i, const char *word)
{
	const struct schema_field *sf = &rec_reader_schema(r)->fields[i];

	for (size_t k = 0; k < sf->n_enum; k++)
		if (strcmp(sf->enum_values[k], word) == 0)
			return (int)k;
	return -1;
}

static void
fields_lookup(struct rec_reader *r, struct fields *f)
{
	char name[64];
	int w, k;

	f->benefit = rec_reader_require(r, "benefit");
	f->application_date = rec_reader_require(r, "application_date");
	f->cwi_handover_date = rec_reader_require(r, "cwi_handover_date");
	f->uwv_rows = rec_reader_require(r, "uwv_rows");
	f->uwv_received_date = rec_reader_require(r, "uwv_received_date");
	f->nonwork_problem[0] = rec_reader_require(r, "h1_nonwork_problem");
	f->nonwork_problem[1] = rec_reader_require(r, "h2_nonwork_problem");
	for (w = 0; w < 3; w++) {
		snprintf(name, sizeof name, "responded_w%d", w + 1);
		f->responded[w] = rec_reader_require(r, name);
		for (k = 0; k < N_FORMS; k++) {
			snprintf(name, sizeof name, "w%d_%s", w + 1, form_item[k]);
			f->form[k][w] = rec_reader_require(r, name);
		}
		snprintf(name, sizeof name, "w%d_help_problems", w + 1);
		f->help_problems[w] = rec_reader_require(r, name);
	}
	f->contacts_work[0] = rec_reader_require(r, "w1_contacts_work");
	f->contacts_work[1] = rec_reader_require(r, "w2_contacts_work");
	f->guidance_work = rec_reader_require(r, "w3_guidance_work");
	if (rec_reader_bad(r))
		return;
	f->ww = benefit_code(r, f->benefit, "ww");
	f->wwb = benefit_code(r, f->benefit, "wwb");
	free(f->answer_of);
	f->answer_of = xcalloc(rec_reader_nfields(r), sizeof *f->answer_of);
	for (w = 0; w < 3; w++) {
		for (k = 0; k < N_FORMS; k++)
			answers_of(r, f, f->form[k][w]);
		answers_of(r, f, f->help_problems[w]);
	}
	answers_of(r, f, f->guidance_work);
}

/* H1 contacts about work: contacts_work > threshold in wave 1 or 2 (a missing count,
 * which includes 98 "don't know" since ingest maps 98/99 to missing, is not > N). */
static int
h1_contacts(struct rec_reader *r, const struct fields *f, const struct method *m)
{
	long n;
	int w;

	for (w = 0; w < 2; w++)
		if ((n = rec_get_int(r, f->contacts_work[w])) != REC_INT_NONE && n > m->contacts_threshold)
			return V_YES;
	return V_NO;
}

static void
classify_survey(struct rec_reader *r, const struct fields *f, const struct method *m,
                struct support *s)
{
	int resp[3], h1_resp, h2_resp, year_resp, problem, k;

	for (k = 0; k < 3; k++)
		resp[k] = rec_get_bool(r, f->responded[k]);   /* required: missing is refused */
	h1_resp = resp[0] || resp[1];
	h2_resp = resp[2];
	year_resp = resp[1] && resp[2];

	/* H1: waves 1 and 2 */
	s->h1_problem_help = V_NA;
	s->h1_contacts = s->h1_any = V_MISS;
	for (k = 0; k < N_FORMS; k++)
		s->h1[k] = V_MISS;
	if (h1_resp) {
		s->h1_any = V_NA;
		for (k = 0; k < N_FORMS; k++) {
			s->h1[k] = or3(answer(r, f, f->form[k][0], m), answer(r, f, f->form[k][1], m));
			s->h1_any = or3(s->h1_any, s->h1[k]);
		}
		problem = rec_get_bool(r, f->nonwork_problem[0]);
		if (problem == V_YES)
			s->h1_problem_help = or3(answer(r, f, f->help_problems[0], m),
			                         answer(r, f, f->help_problems[1], m));
		s->h1_contacts = h1_contacts(r, f, m);
		s->h1_any = or3(or3(s->h1_any, s->h1_problem_help), s->h1_contacts);
	}

	/* H2: wave 3 */
	s->h2_problem_help = V_NA;
	s->h2_contacts = m->contacts_exclude ? V_NA : V_MISS;
	s->h2_any = V_MISS;
	for (k = 0; k < N_FORMS; k++)
		s->h2[k] = V_MISS;
	if (h2_resp) {
		s->h2_any = V_NA;
		for (k = 0; k < N_FORMS; k++) {
			s->h2[k] = answer(r, f, f->form[k][2], m);
			s->h2_any = or3(s->h2_any, s->h2[k]);
		}
		problem = rec_get_bool(r, f->nonwork_problem[1]);
		if (problem == V_YES)
			s->h2_problem_help = answer(r, f, f->help_problems[2], m);
		if (!m->contacts_exclude)
			s->h2_contacts = answer(r, f, f->guidance_work, m);
		s->h2_any = or3(or3(s->h2_any, s->h2_problem_help), s->h2_contacts);
	}

	/* The first year: people who answered waves 2 and 3. */
	s->year_h2_programme = s->year_problem_help = s->year_contacts = s->year_any = V_MISS;
	for (k = 0; k < N_FORMS; k++)
		s->year[k] = V_MISS;
	if (year_resp) {
		for (k = 0; k < N_FORMS; k++)
			s->year[k] = or3(s->h1[k], s->h2[k]);
		s->year_h2_programme = m->carryover ? s->year[F_PROGRAMME] : s->h2[F_PROGRAMME];
		s->year_problem_help = or3(s->h1_problem_help, s->h2_problem_help);
		s->year_contacts = or3(s->h1_contacts, s->h2_contacts);
		s->year_any = or3(s->h1_any, s->h2_any);
	}
}

/* The WW handover (registry, every person): missing for WWB. */
static void
classify_handover(struct rec_reader *r, const struct fields *f, const struct method *m,
                  struct support *s)
{
	int benefit = rec_get_code(r, f->benefit);
	int app, cwi, uwv;
	long uwv_rows;

	s->known_cwi = s->known_uwv = s->on_time = V_MISS;
	s->category = NULL;
	s->days = LONG_MIN;
	if (benefit == f->wwb)
		return;
	if (benefit != f->ww) {
		rec_reader_fail(r, f->benefit, "unexpected value: %s", rec_reader_field(r, (size_t)f->benefit));
		return;
	}
	app = rec_get_date(r, f->application_date);      /* required */
	cwi = rec_get_date(r, f->cwi_handover_date);
	uwv = rec_get_date(r, f->uwv_received_date);
	if (f->claim) {       /* what the claim recorded up to its 6-month mark */
		if (cwi != DATE_NONE && cwi > months_mark(app, 6, MONTH_END_CLAMP))
			cwi = DATE_NONE;
		uwv = rec_get_date(r, f->uwv_received_claim);
		uwv_rows = rec_get_int(r, f->uwv_rows_claim);
	} else {
		uwv_rows = rec_get_int(r, f->uwv_rows);  /* required (refused: the record fails,
							   * record() sees it) */
	}
	s->known_cwi = cwi != DATE_NONE;
	s->known_uwv = uwv_rows > 0;
	s->category = s->known_cwi ? (s->known_uwv ? "both" : "cwi_only")
	                           : (s->known_uwv ? "uwv_only" : "none");
	if (cwi != DATE_NONE)
		s->days = (long)cwi - app;
	else if (s->known_uwv && uwv != DATE_NONE)
		s->days = (long)uwv - app;
	if (s->days != LONG_MIN)
		s->on_time = s->days <= m->on_time_days;
}

static void
put3(struct rec_writer *w, int v)
{
	rec_put_bool(w, v >= 0 ? v : -1);
}

static void
put_support(struct rec_writer *w, const struct method *m, const struct support *s)
{
	int k;

	rec_put(w, m->section_tag);
	for (k = 0; k < N_FORMS; k++)
		put3(w, s->h1[k]);
	put3(w, s->h1_problem_help);
	put3(w, s->h1_contacts);
	put3(w, s->h1_any);
	for (k = 0; k < N_FORMS; k++)
		put3(w, s->h2[k]);
	put3(w, s->h2_problem_help);
	put3(w, s->h2_contacts);
	put3(w, s->h2_any);
	put3(w, s->year[F_ADVICE]);
	put3(w, s->year[F_APPLYING]);
	put3(w, s->year[F_BUSINESS]);
	put3(w, s->year[F_PROGRAMME]);
	put3(w, s->year_h2_programme);
	put3(w, s->year[F_TRAINING]);
	put3(w, s->year_problem_help);
	put3(w, s->year_contacts);
	put3(w, s->year_any);
	put3(w, s->known_cwi);
	put3(w, s->known_uwv);
	if (s->category == NULL)
		rec_put_missing(w);     /* not rec_put(w, NULL): see the report on rec_put_len */
	else
		rec_put(w, s->category);
	if (s->days == LONG_MIN)
		rec_put_missing(w);
	else
		rec_put_int(w, s->days);
	put3(w, s->on_time);
}

/* Each output schema must be its input schema plus out_cols, in that order. */
static int
check_io(const struct io *io)
{
	const struct schema *in, *out;
	const char *err = NULL;
	size_t i;

	if ((in = schema_find(io->in, &err)) == NULL || (out = schema_find(io->out, &err)) == NULL) {
		diag_warn(NULL, 0, NULL, "%s", err ? err : "unknown schema");
		return -1;
	}
	if (out->n_fields != in->n_fields + N_OUT_COLS) {
		diag_warn(NULL, 0, NULL, "schema %s (%s) is not %s plus the %zu columns "
			  "this program writes", io->out, out->origin, io->in, N_OUT_COLS);
		return -1;
	}
	for (i = 0; i < N_OUT_COLS; i++)
		if (strcmp(out->fields[in->n_fields + i].name, out_cols[i]) != 0) {
			diag_warn(NULL, 0, NULL, "schema %s (%s): column %zu is %s, this "
				  "program writes %s there", io->out, out->origin,
				  in->n_fields + i + 1, out->fields[in->n_fields + i].name, out_cols[i]);
			return -1;
		}
	return 0;
}

/* The schemas, and the tag of the method once the options are known. */
static int
start(void *vc, struct rec_writer *w)
{
	struct method *m = &((struct ctx *)vc)->m;

	(void)w;
	snprintf(m->tag, sizeof m->tag,
	         "contacts=%s;threshold=%ld;dont_know=%s;carryover=%s;on_time=%ld",
	         m->contacts_exclude ? "exclude" : "report", m->contacts_threshold,
	         m->dont_know_missing ? "missing" : "no", m->carryover ? "yes" : "no",
	         m->on_time_days);
	for (size_t i = 0; i < N_IOS; i++)
		if (check_io(&ios[i]) < 0)
			return -1;
	return 0;
}

static void
usage(FILE *fp)
{
	const struct schema *in = schema_find(IN_SCHEMA, NULL);
	const struct schema *out = schema_find(OUT_SCHEMA, NULL);
	size_t i;

	fprintf(fp,
"usage: classify-support [OPTIONS] [FILE...]\n"
"\n"
"Adds support per half-year (H1 = waves 1-2, H2 = wave 3), in the first year,\n"
"and the WW handover to each person.\n"
"Reads:  %s sections (derive-status's output) from the FILEs or stdin,\n"
"        gzip or plain text; or cohort_status/1 (a row per person and cohort)\n"
"Writes: %s to stdout: every input column unchanged, then the columns\n"
"        below (cohort_support/1 for cohort_status/1); gzip at level REC_LEVEL\n"
"        (0 = plain text)\n"
"\n"
"Options (the report's choice is the default; support_method records them):\n"
"  --contacts report|exclude  H2 contacts about work: report = begeleiding_werk (the\n"
"                             guidance question of wave 3) counts as contacts; exclude =\n"
"                             not comparable with H1's count: h2_contacts missing and\n"
"                             left out of h2_any_support, year_contacts = h1_contacts\n"
"                             (default report)\n"
"  --contacts-threshold N     H1 contacts = contacten_werk > N in wave 1 or 2; a missing\n"
"                             count (98 don't know, 99) is not > N (default 0)\n"
"  --dont-know no|missing     a dont_know answer counts as not received (no), or makes\n"
"                             the flag missing unless another wave of the period says yes\n"
"                             (missing); empty answers always count as not received\n"
"                             (default no)\n"
"  --carryover yes|no         a programme of H1 runs on in H2 in year_h2_programme (the\n"
"                             report, Figure 3 note) (default yes)\n"
"  --on-time-days N           handover_on_time = handover_days <= N (default 28)\n"
"  --uwv-known person|claim   the handover's sources: person = DOMAIN.md's rule (known\n"
"                             at CWI: cwi_handover_date present; at UWV: any\n"
"                             handover_uwv row of the person, uwv_rows > 0); claim =\n"
"                             only what was recorded from the application to its\n"
"                             6-month mark (cwi_handover_date up to the mark; at UWV:\n"
"                             uwv_rows_claim > 0), so a later claim does not revise an\n"
"                             old cohort's published figure (doc/cohorts.md). claim\n"
"                             needs cohort_status/1's columns. (default person for\n"
"                             person_status/1, claim for cohort_status/1; support_method\n"
"                             names it, ;uwv_known=claim, except for the study's default)\n"
"  --help, --version\n"
"\n"
"Combining rule: yes in any part wins, else missing (a dont_know under --dont-know\n"
"missing) makes it missing, else no; help with non-work problems is left out for\n"
"people without a problem. Half-year values are set for people who answered a wave\n"
"of the half-year; first-year values for people who answered waves 2 and 3.\n"
"\n"
"Columns added (schemas/person_support-1.schema):\n",
	        IN_SCHEMA, OUT_SCHEMA);
	if (in != NULL && out != NULL)
		for (i = in->n_fields; i < out->n_fields; i++)
			fprintf(fp, "  %-19s %s\n", out->fields[i].name, out->fields[i].meaning);
	fprintf(fp,
"\n"
"Example:\n"
"  ingest --key-file pseudonym.key raw/*.csv | link-waves | derive-status |\n"
"    classify-support --contacts exclude > support.gz\n"
"  zcat support.gz | head -3\n");
}

static int
parse_count(const char *opt, const char *arg, long *out, char *err, size_t errsz)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 0 || v > 100000) {
		snprintf(err, errsz, "%s: not a whole number from 0 to 100000: '%s'", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_word(const char *opt, const char *arg, const char *no, const char *yes, int *out,
	   char *err, size_t errsz)
{
	if (strcmp(arg, no) == 0 || strcmp(arg, yes) == 0) {
		*out = strcmp(arg, yes) == 0;
		return 0;
	}
	snprintf(err, errsz, "%s: expected %s or %s, not '%s'", opt, no, yes, arg);
	return -1;
}

enum { O_CONTACTS = 256, O_THRESHOLD, O_DONT_KNOW, O_CARRYOVER, O_ON_TIME, O_UWV_KNOWN };

static int
option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct method *m = &((struct ctx *)vc)->m;

	switch (o) {
	case O_CONTACTS:
		return parse_word("--contacts", arg, "report", "exclude", &m->contacts_exclude, err, errsz);
	case O_THRESHOLD:
		return parse_count("--contacts-threshold", arg, &m->contacts_threshold, err, errsz);
	case O_DONT_KNOW:
		return parse_word("--dont-know", arg, "no", "missing", &m->dont_know_missing, err, errsz);
	case O_CARRYOVER:
		return parse_word("--carryover", arg, "no", "yes", &m->carryover, err, errsz);
	case O_ON_TIME:
		return parse_count("--on-time-days", arg, &m->on_time_days, err, errsz);
	case O_UWV_KNOWN: {
		int claim;

		if (parse_word("--uwv-known", arg, "person", "claim", &claim, err, errsz) < 0)
			return -1;
		m->uwv_known = claim ? UWV_CLAIM : UWV_PERSON;
		return 0;
	}
	}
	return -1;
}

/* An output section per input section: person_support/1 for person_status/1,
 * cohort_support/1 for cohort_status/1. */
static int
section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;
	const struct schema *sch = rec_reader_schema(r);
	const struct io *io = ios;
	enum uwv_known rule;

	while (io < ios + N_IOS && strcmp(sch->id, io->in) != 0)
		io++;
	if (io == ios + N_IOS)
		return rec_reader_fail(r, -1, "section %s: classify-support reads %s or cohort_status/1 "
				       "(derive-status's output)", sch->id, IN_SCHEMA);
	fields_lookup(r, &c->f);
	rule = c->m.uwv_known != UWV_DEFAULT ? c->m.uwv_known : io->uwv_default;
	c->f.claim = rule == UWV_CLAIM;
	if (c->f.claim && ((c->f.uwv_rows_claim = rec_reader_index(r, "uwv_rows_claim")) < 0 ||
			   (c->f.uwv_received_claim = rec_reader_index(r, "uwv_received_claim")) < 0))
		return rec_reader_fail(r, -1, "--uwv-known claim: section %s has no uwv_rows_claim and "
				       "uwv_received_claim (cohort_status/1 has: link-waves --cohorts)", sch->id);
	if (rec_reader_bad(r))
		return -1;
	snprintf(c->m.section_tag, sizeof c->m.section_tag, "%s%s", c->m.tag,
		 io == ios && rule == UWV_PERSON ? "" : rule == UWV_CLAIM ? ";uwv_known=claim" : ";uwv_known=person");
	if (rec_writer_section(w, io->out) != 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	return 0;
}

static int
record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	const struct ctx *c = vc;
	struct support s;

	classify_survey(r, &c->f, &c->m, &s);
	classify_handover(r, &c->f, &c->m, &s);
	if (rec_reader_bad(r))
		return -1;
	rec_put_fields(w, r);
	put_support(w, &c->m, &s);
	rec_writer_end(w);
	return 0;
}

static void
release(void *vc)
{
	free(((struct ctx *)vc)->f.answer_of);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"contacts", required_argument, NULL, O_CONTACTS},
		{"contacts-threshold", required_argument, NULL, O_THRESHOLD},
		{"dont-know", required_argument, NULL, O_DONT_KNOW},
		{"carryover", required_argument, NULL, O_CARRYOVER},
		{"on-time-days", required_argument, NULL, O_ON_TIME},
		{"uwv-known", required_argument, NULL, O_UWV_KNOWN},
		{NULL, 0, NULL, 0}
	};
	static const struct filter classify_support = {
		.name = "classify-support", .usage = usage, .long_opts = longopts, .flags = FILTER_SPLIT_SPARSE,
		.option = option, .start = start, .section = section, .record = record, .release = release,
	};
	struct ctx c = { .m = { .carryover = 1, .on_time_days = 28 } };

	return filter_main(&classify_support, &c, argc, argv);
}
