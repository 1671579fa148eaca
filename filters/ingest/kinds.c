/* kinds.c - see kinds.h. The codes are DOMAIN.md's; the words are the schemas'. */
#include "kinds.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ codes */

/* A code and its word, with their lengths (convert() compares and writes them per field). */
#define C(raw, word) {raw, word, sizeof(raw) - 1, sizeof(word) - 1}

static const struct code_map sex_codes[] = {
	C("M", "male"), C("V", "female"), {NULL, NULL, 0, 0}
};
static const struct code_map origin_codes[] = {
	C("A", "native"), C("W", "western"), C("N", "non_western"), {NULL, NULL, 0, 0}
};
static const struct code_map education_codes[] = {
	C("1", "primary"), C("2", "lower_secondary"), C("3", "upper_secondary"), C("4", "higher"),
	{NULL, NULL, 0, 0}
};
static const struct code_map benefit_codes[] = {
	C("WW", "ww"), C("WWB", "wwb"), {NULL, NULL, 0, 0}
};
static const struct code_map decision_codes[] = {
	C("T", "granted"), C("A", "refused"), C("", "pending"), {NULL, NULL, 0, 0}
};
static const struct code_map end_reason_codes[] = {
	C("1", "work"), C("2", "entitlement_ended"), C("3", "other"), {NULL, NULL, 0, 0}
};
/* Yes/no items: 1 yes, 2 no. */
static const struct code_map bool_codes[] = {
	C("1", "1"), C("2", "0"), {NULL, NULL, 0, 0}
};
/* Items where "don't know" carries meaning (obligation, the forms of support, guidance). */
static const struct code_map ynd_codes[] = {
	C("1", "yes"), C("2", "no"), C("8", "dont_know"), {NULL, NULL, 0, 0}
};
static const struct code_map work_codes[] = {
	C("1", "none"), C("2", "partly"), C("3", "full"), {NULL, NULL, 0, 0}
};
static const struct code_map household_codes[] = {
	C("1", "single"), C("2", "couple"), C("3", "couple_children"), C("4", "single_parent"),
	{NULL, NULL, 0, 0}
};

/* SPSS missing codes (DOMAIN.md): 8 don't know / 9 no answer on one-digit items, 98/99
 * on contacten_werk, zoekuren and einde_maand, 998/999 on sollicitaties. */
static const char *const miss_8_9[] = {"8", "9", NULL};
static const char *const miss_9[] = {"9", NULL};
static const long miss_8_9_num[] = {8, 9, -1};
static const long miss_98_99[] = {98, 99, -1};
static const long miss_998_999[] = {998, 999, -1};

#define LINE            {"source_line", NULL, CV_LINE, NULL, NULL, NULL, 0, 0}
#define BSN             {"person_key", "bsn", CV_BSN, NULL, NULL, NULL, 0, 0}
#define RESPNR          {"respondent_id", "respnr", CV_KEY, NULL, NULL, NULL, 0, 0}
#define DATE(f, r)      {f, r, CV_DATE, NULL, NULL, NULL, 0, 0}
#define CODE(f, r, c, m) {f, r, CV_CODE, c, m, NULL, 0, 0}
#define INT(f, r, m)    {f, r, CV_INT, NULL, NULL, m, 0, 0}
#define BOOLQ(f, r)     CODE(f, r, bool_codes, miss_8_9)
#define YND(f, r)       CODE(f, r, ynd_codes, miss_9)

/* ------------------------------------------------------------------ R1-R4 */

static const struct column r1_cols[] = {
	BSN,
	LINE,
	DATE("birth_date", "geboortedatum"),
	CODE("sex", "geslacht", sex_codes, NULL),
	CODE("origin", "herkomst", origin_codes, NULL),
	CODE("education", "opleiding", education_codes, miss_9),
	DATE("application_date", "aanvraagdatum"),
	CODE("benefit", "uitkering", benefit_codes, NULL),
	INT("phase", "fase", NULL),
	CODE("decision", "beslissing", decision_codes, NULL),
	DATE("decision_date", "beslisdatum"),
	DATE("cwi_handover_date", "overdracht_datum"),
	{"office", "vestiging", CV_DIGITS, NULL, NULL, NULL, 4, 0},
};

static const struct column r2_cols[] = {
	BSN,
	LINE,
	DATE("received_date", "ontvangstdatum"),
	INT("phase_uwv", "fase_uwv", NULL),
};

static const struct column r3_cols[] = {
	BSN,
	LINE,
	CODE("benefit", "uitkering", benefit_codes, NULL),
	DATE("start_date", "ingangsdatum"),
	DATE("end_date", "einddatum"),
	CODE("end_reason", "einde_reden", end_reason_codes, NULL),
	DATE("extract_date", "peildatum"),
};

static const struct column r4_cols[] = {
	RESPNR,
	BSN,
	LINE,
	{"stratum", "stratum", CV_TEXT, NULL, NULL, NULL, 0, 0},
	{"inclusion_prob", "trekkingskans", CV_DECIMAL, NULL, NULL, NULL, 0, 1},
};

/* ------------------------------------------------------------------ waves */

#define WAVE_CORE \
	INT("search_hours", "zoekuren", miss_98_99), \
	INT("applications", "sollicitaties", miss_998_999), \
	BOOLQ("asked_help", "hulp_gevraagd"), \
	YND("obligation", "sollicitatieplicht"), \
	INT("health", "gezondheid", miss_8_9_num), \
	BOOLQ("prob_health", "prob_gezondheid"), \
	BOOLQ("prob_addiction", "prob_verslaving"), \
	BOOLQ("prob_debt", "prob_schulden"), \
	BOOLQ("prob_care", "prob_zorg"), \
	BOOLQ("prob_housing", "prob_huisvesting"), \
	YND("advice_vacancies", "advies_vacatures"), \
	YND("help_applying", "hulp_solliciteren"), \
	YND("help_own_business", "hulp_eigen_bedrijf"), \
	YND("programme", "traject"), \
	YND("training", "training"), \
	YND("help_problems", "hulp_problemen")

static const struct column w1_cols[] = {
	RESPNR,
	LINE,
	DATE("fill_date", "invuldatum"),
	CODE("work", "werk", work_codes, miss_8_9),
	BOOLQ("looking", "zoekt"),
	WAVE_CORE,
	INT("contacts_work", "contacten_werk", miss_98_99),
	CODE("household", "huishouden", household_codes, miss_8_9),
};

static const struct column w2_cols[] = {
	RESPNR,
	LINE,
	DATE("fill_date", "invuldatum"),
	BOOLQ("on_benefit_now", "uitkering_nu"),
	INT("benefit_end_month", "einde_maand", miss_98_99),
	CODE("work", "werk", work_codes, miss_8_9),
	BOOLQ("looking", "zoekt"),
	WAVE_CORE,
	INT("contacts_work", "contacten_werk", miss_98_99),
};

static const struct column w3_cols[] = {
	RESPNR,
	LINE,
	DATE("fill_date", "invuldatum"),
	BOOLQ("on_benefit_now", "uitkering_nu"),
	INT("benefit_end_month", "einde_maand", miss_98_99),
	CODE("work", "werk", work_codes, miss_8_9),
	BOOLQ("looking", "zoekt"),
	WAVE_CORE,
	YND("guidance_work", "begeleiding_werk"),
};

/* The routing of the questionnaires, where it is certain (DOMAIN.md). */
#define RULE_HOURS {"zoekuren", {"zoekt", NULL}, "2", "zoekuren answered while zoekt = 2 (not looking)"}
#define RULE_PROBLEMS {"hulp_problemen", \
	{"prob_gezondheid", "prob_verslaving", "prob_schulden", "prob_zorg", "prob_huisvesting", NULL}, \
	"2", "hulp_problemen answered while every prob_* = 2 (no problem)"}
#define RULE_END {"einde_maand", {"uitkering_nu", NULL}, "1", "einde_maand answered while uitkering_nu = 1 (still on benefit)"}

static const struct routing_rule w1_rules[] = { RULE_HOURS, RULE_PROBLEMS };
static const struct routing_rule w23_rules[] = { RULE_END, RULE_HOURS, RULE_PROBLEMS };

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct kind kinds[] = {
	{"cwi_aanvragen", "R1", "application/1", ENC_CP1252, "aanvraagdatum", NULL, r1_cols, N(r1_cols), NULL, 0},
	{"uwv_overdracht", "R2", "handover_uwv/1", ENC_CP1252, "ontvangstdatum", NULL, r2_cols, N(r2_cols), NULL, 0},
	{"uitkeringen", "R3", "benefit_spell/1", ENC_CP1252, "ingangsdatum", NULL, r3_cols, N(r3_cols), NULL, 0},
	{"steekproef", "R4", "sample/1", ENC_CP1252, "trekkingskans", NULL, r4_cols, N(r4_cols), NULL, 0},
	{"golf1", "R5", "wave1/1", ENC_UTF8, "huishouden", NULL, w1_cols, N(w1_cols), w1_rules, N(w1_rules)},
	{"golf2", "R6", "wave2/1", ENC_UTF8, "uitkering_nu", "begeleiding_werk", w2_cols, N(w2_cols), w23_rules, N(w23_rules)},
	{"golf3", "R7", "wave3/1", ENC_UTF8, "begeleiding_werk", NULL, w3_cols, N(w3_cols), w23_rules, N(w23_rules)},
};
const size_t n_kinds = N(kinds);

const struct kind *kind_by_name(const char *name)
{
	for (size_t i = 0; i < n_kinds; i++)
		if (strcmp(kinds[i].name, name) == 0 || strcmp(kinds[i].alias, name) == 0)
			return &kinds[i];
	return NULL;
}

static int has_name(char *const *names, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return 1;
	return 0;
}

const struct kind *kind_recognise(char *const *names, size_t n)
{
	for (size_t i = 0; i < n_kinds; i++) {
		const struct kind *k = &kinds[i];

		if (has_name(names, n, k->marker) && !(k->absent && has_name(names, n, k->absent)))
			return k;
	}
	return NULL;
}

static int in_enum(const struct schema_field *f, const char *word)
{
	for (size_t i = 0; i < f->n_enum; i++)
		if (strcmp(f->enum_values[i], word) == 0)
			return 1;
	return 0;
}

int kinds_check(const struct kind *k, char *err, size_t errsz)
{
	const char *why = NULL;
	const struct schema *s = schema_find(k->schema, &why);

	if (s == NULL) {
		snprintf(err, errsz, "schema %s: %s", k->schema, why ? why : "unknown");
		return -1;
	}
	if (s->n_fields != k->ncols) {
		snprintf(err, errsz, "schema %s has %zu fields, ingest writes %zu for %s",
			 k->schema, s->n_fields, k->ncols, k->name);
		return -1;
	}
	for (size_t i = 0; i < k->ncols; i++) {
		const struct column *c = &k->cols[i];
		const struct schema_field *f = &s->fields[i];
		int ok = 1;

		if (strcmp(f->name, c->field) != 0) {
			snprintf(err, errsz, "schema %s: field %zu is %s, ingest writes %s there",
				 k->schema, i + 1, f->name, c->field);
			return -1;
		}
		switch (c->conv) {
		case CV_LINE: ok = f->type == ST_INT; break;
		case CV_INT: ok = f->type == ST_INT; break;
		case CV_DECIMAL: ok = f->type == ST_NUM; break;
		case CV_DATE: ok = f->type == ST_DATE; break;
		case CV_BSN: case CV_KEY: case CV_TEXT: case CV_DIGITS: ok = f->type == ST_TEXT; break;
		case CV_CODE:
			ok = f->type == ST_ENUM || f->type == ST_BOOL;
			for (const struct code_map *m = c->codes; ok && m->raw; m++)
				ok = f->type == ST_BOOL ? (strcmp(m->word, "0") == 0 || strcmp(m->word, "1") == 0)
							: in_enum(f, m->word);
			break;
		}
		if (!ok) {
			snprintf(err, errsz, "schema %s: field %s does not fit ingest's conversion of %s",
				 k->schema, f->name, c->raw ? c->raw : "the line number");
			return -1;
		}
	}
	return 0;
}
