/* link-waves - join ingest's sections into one person/1 row per person of the study
 * population, in person_key order; every input row that is not used goes to --unlinked.
 *
 * Three phases: parse options; read every section into the store (link-waves/store.h says
 * what is held and why it is shaped so); resolve each person at the end and write
 * (link-waves/resolve.c). Sections come in any order, so nothing can be written before the
 * input ends.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "fast.h"
#include "rec.h"
#include "schema.h"
#include "store.h"
#include "table.h"

/* The person/1 columns resolve.c writes itself, in schema order; the rest are wK_NAME
 * copies of waveK/1's NAME (checked at start-up, so a schema change cannot shift columns). */
static const char *const person_fixed[] = {
	"person_key", "n_applications", "n_refused_before", "application_line", "birth_date",
	"sex", "origin", "education", "application_date", "benefit", "phase", "decision_date",
	"cwi_handover_date", "office", "spell_start", "spell_end", "spell_end_reason",
	"extract_date", "uwv_rows", "uwv_received_date", "uwv_phase", "in_sample",
	"respondent_id", "stratum", "inclusion_prob", "design_weight", "responded_w1",
	"responded_w2", "responded_w3"
};
#define N_FIXED (sizeof person_fixed / sizeof person_fixed[0])

static struct store st;
static const char *unlinked_path;

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: link-waves [OPTIONS] [FILE...]\n"
"Join ingest's sections into one row per person of the study population.\n"
"\n"
"Reads (in any order, any number of each; FILE or stdin, gzip or plain):\n"
"  application/1, handover_uwv/1, benefit_spell/1, sample/1, wave1/1, wave2/1, wave3/1\n"
"Writes person/1 on stdout, in person_key order, and unlinked/1 to --unlinked FILE\n"
"(the columns: schemas/person-1.schema, schemas/unlinked-1.schema).\n"
"\n"
"Rules:\n"
"  index application  the earliest granted application filed inside the window (same-day\n"
"                     ties: lowest source_line); people without one are not in person/1\n"
"  n_refused_before   refused applications filed before the index application (same day:\n"
"                     lower source_line)\n"
"  index spell        the earliest spell of the same benefit starting on or after the\n"
"                     application date (ties: lowest source_line)\n"
"  overlapping spells two spells of one person and benefit whose days overlap (a running\n"
"                     spell is open-ended): the later one (start, then source_line) is\n"
"                     unlinked and plays no part; the check is against the spells kept\n"
"  UWV handover       uwv_rows counts the rows; the earliest received_date gives the phase\n"
"  sample, waves      sample/1 links person_key and respondent_id; waves link by\n"
"                     respondent_id\n"
"  duplicates         two rows of one person (application, spell, handover) with the same\n"
"                     source_line, two sample rows of one respondent or one person, two\n"
"                     rows of one respondent in a wave: the lowest source_line (then the\n"
"                     smaller content) is kept, the others are unlinked as duplicate_key\n"
"Unlinked rows (reason): every row of a person with applications but no index application\n"
"(no_index_application); of a person without any application: spells\n"
"(spell_without_application), handovers (handover_without_application), the sample row\n"
"and its waves (sample_without_application); wave rows whose respondent is not in the\n"
"sample (wave_not_in_sample); overlapping_spells; duplicate_key (also the waves of a\n"
"respondent whose only sample row was a duplicate). Counts per section and\n"
"reason go to stderr: read = index/linked + other rows of linked persons + unlinked.\n"
"An input without any application/1 section is an error (nothing could be linked).\n"
"\n"
"Options:\n"
"  --window-start DATE  first application date of the window (default 2006-03-01)\n"
"  --window-end DATE    last application date of the window (default 2006-04-30)\n"
"  --unlinked FILE      write the unlinked/1 rows there (default: only counted on stderr)\n"
"  --help, --version\n"
"\n"
"Memory: everything is held until the input ends, about 160 bytes a person (1.25\n"
"applications, a spell and a handover row each: 10 million people take about 1.6 GB);\n"
"what it held is printed on stderr.\n"
"\n"
"Examples:\n"
"  ingest --key-file raw/pseudonym.key raw/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv \\\n"
"      raw/{steekproef,golf1,golf2,golf3}.csv | link-waves --unlinked unlinked.gz |\n"
"    derive-status > status.gz\n"
"  cat registry.gz survey.gz | link-waves > person.gz    (sections in any order)\n");
}

/* --- small helpers ---------------------------------------------------------------- */

/* How one field of a section is checked and parsed in one pass (see check_row). */
enum fkind { FK_TEXT, FK_INT, FK_DATE, FK_ENUM, FK_OTHER };

struct fplan {
	const struct schema_field *f;
	enum fkind kind;
	size_t *wlen;                /* FK_ENUM: length of each word */
};

#define VAL_NONE LONG_MIN        /* an int field that is missing (or not an integer) */

struct in {                      /* the reader and what the current section needs */
	struct rec_reader *r;
	enum sec sec;
	int f[16];                   /* field indexes, by section (see read_section) */
	int wf[MAX_WFIELDS];         /* wave sections: index of each st.wnames[k] field */
	const struct schema *sch;    /* the section's schema, and per field of it: */
	struct fplan *plan;          /*   how it is checked (built once per section kind) */
	long *val;                   /*   the current record's value: int, day number
				      *   (DATE_NONE), enum index (BYTE_NONE) */
	size_t nf;
};

static __attribute__((noreturn)) void bad(const struct in *in, const char *field,
					 const char *what, const char *v)
{
	die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), field, "%s: %s", what, v);
}

static const char *fld(const struct in *in, int k)
{
	return rec_reader_field(in->r, (size_t)in->f[k]);
}

/* The parsed value of field K (after check_row). */
static long fval(const struct in *in, int k)
{
	return in->val[in->f[k]];
}

static int32_t fline(const struct in *in, int k)
{
	long v = fval(in, k);

	if (v == VAL_NONE || v < 1 || v > INT32_MAX)
		bad(in, "source_line", "not a line number", fld(in, k));
	return (int32_t)v;
}

/* --- checking and parsing a record in one pass --------------------------------------
 * Hot: every field of every record (12 M fields for 1 M applications). The schema check
 * (rec_reader_check) would parse each date, integer and code, and then this program
 * would parse them again; instead each field is checked here and its value kept. Only
 * values that are certainly valid are accepted here (the same rules as
 * schema_check_value, for the common forms); anything else goes to rec_reader_check,
 * which gives the verdict and the message, exactly as before. */

/* The index of the code S (LEN bytes) among the field's words, or -1. */
static inline long fast_enum(const struct fplan *p, const char *s, size_t len)
{
	for (size_t i = 0; i < p->f->n_enum; i++)
		if (len == p->wlen[i] && memcmp(s, p->f->enum_values[i], len) == 0)
			return (long)(uint8_t)i;
	return -1;
}

static struct fplan *plans[N_SEC];       /* per section kind, built at its first section */
static long *plan_vals[N_SEC];
static const struct schema *plan_sch[N_SEC];

static void plan_free(int k)
{
	if (plans[k])
		for (size_t i = 0; i < plan_sch[k]->n_fields; i++)
			free(plans[k][i].wlen);
	free(plans[k]);
	free(plan_vals[k]);
	plans[k] = NULL;
	plan_vals[k] = NULL;
}

static void plan_section(struct in *in, int k)
{
	const struct schema *s = rec_reader_schema(in->r);

	if (plan_sch[k] != s) {
		plan_free(k);
		plan_sch[k] = s;
		plans[k] = xcalloc(s->n_fields + 1, sizeof *plans[k]);
		plan_vals[k] = xcalloc(s->n_fields + 1, sizeof *plan_vals[k]);
		for (size_t i = 0; i < s->n_fields; i++) {
			struct fplan *p = &plans[k][i];

			p->f = &s->fields[i];
			switch (p->f->type) {
			case ST_TEXT: p->kind = FK_TEXT; break;
			case ST_INT: p->kind = FK_INT; break;
			case ST_DATE: p->kind = FK_DATE; break;
			case ST_ENUM:
				p->kind = FK_ENUM;
				p->wlen = xcalloc(p->f->n_enum + 1, sizeof *p->wlen);
				for (size_t j = 0; j < p->f->n_enum; j++)
					p->wlen[j] = strlen(p->f->enum_values[j]);
				break;
			default: p->kind = FK_OTHER; break;
			}
		}
	}
	in->sch = s;
	in->plan = plans[k];
	in->val = plan_vals[k];
	in->nf = s->n_fields;
}

/* The values of the record the slow way, once rec_reader_check has passed it: what the
 * fast path gives for the forms it accepts, for every form the schema accepts. */
static void parse_slow(struct in *in)
{
	for (size_t i = 0; i < in->nf; i++) {
		const struct fplan *p = &in->plan[i];
		const char *v = rec_reader_field(in->r, i);
		long x;

		switch (p->kind) {
		case FK_INT:
			in->val[i] = rec_parse_int(v, &x) < 0 ? VAL_NONE : x;
			break;
		case FK_DATE:
			in->val[i] = *v ? date_parse_iso(v, strlen(v)) : DATE_NONE;
			break;
		case FK_ENUM:
			in->val[i] = BYTE_NONE;
			if (!*v)
				break;
			for (size_t j = 0; j < p->f->n_enum; j++)
				if (strcmp(p->f->enum_values[j], v) == 0) {
					in->val[i] = (uint8_t)j;
					break;
				}
			if (in->val[i] == BYTE_NONE)
				BUG("%s: the schema check passed an unknown code: %s", p->f->name, v);
			break;
		default:
			break;
		}
	}
}

/* Check the current record against its schema and keep its values in in->val. A record
 * the fast path does not certainly accept goes to rec_reader_check: its first bad field
 * is refused with the library's message, as every record used to be. */
static void check_row(struct in *in)
{
	char msg[256];

	for (size_t i = 0; i < in->nf; i++) {
		const struct fplan *p = &in->plan[i];
		const char *v = rec_reader_field(in->r, i);
		size_t len;

		if (!*v) {
			if (p->f->required)
				goto slow;
			in->val[i] = p->kind == FK_INT ? VAL_NONE : p->kind == FK_DATE ? DATE_NONE
				: BYTE_NONE;
			continue;
		}
		switch (p->kind) {
		case FK_TEXT:
			break;
		case FK_INT:
			if (fast_int(p->f, v, rec_reader_field_len(in->r, i), &in->val[i]) < 0)
				goto slow;
			break;
		case FK_DATE:
			in->val[i] = date_parse_iso(v, rec_reader_field_len(in->r, i));
			if (in->val[i] == DATE_NONE)
				goto slow;
			break;
		case FK_ENUM:
			len = rec_reader_field_len(in->r, i);
			if ((in->val[i] = fast_enum(p, v, len)) < 0)
				goto slow;
			break;
		case FK_OTHER:
			if (schema_check_value(p->f, v, msg, sizeof msg))
				goto slow;
			break;
		}
	}
	return;
slow:
	if (rec_reader_check(in->r) >= 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(in->r));
	parse_slow(in);
}

/* --- persons ------------------------------------------------------------------------
 * Hot: 2.3 M person lookups for 1 M applications, each a random access into the key
 * table and one into the person array (tens of MB: cache misses). So a lookup is spread
 * over three rows: a row's key is decoded and its slot fetched when the row is read; the
 * slot is probed while the next row is read, and the person it names fetched; the key is
 * compared and the row linked to the person while the row after that is read. Lookups
 * are done in arrival order, each after every earlier row is linked (a key not in the
 * table is added at once), so persons are found and added exactly as one at a time. */

struct rowkey {                  /* a row's person_key, decoded before its checks */
	unsigned char key[16];
	uint64_t h;
	int bad;
};

/* Decode field K's key and start fetching its slot (its errors come after check_row's). */
static void key_start(const struct in *in, int k, struct rowkey *rk)
{
	rk->bad = key_decode(fld(in, k), rec_reader_field_len(in->r, (size_t)in->f[k]), rk->key);
	if (!rk->bad) {
		rk->h = keytab_hash(rk->key);
		keytab_prefetch(&st.person_tab, rk->h);
	}
}

static void key_check(const struct in *in, int k, const struct rowkey *rk)
{
	if (rk->bad)
		bad(in, "person_key", "not 32 lowercase hex digits", fld(in, k));
}

static uint32_t new_person(const unsigned char key[16])
{
	uint32_t idx;

	st.persons = vec_grow(st.persons, &st.cap_persons, st.n_persons + 1, sizeof *st.persons);
	idx = (uint32_t)st.n_persons++;
	memcpy(st.persons[idx].key, key, 16);
	st.persons[idx].app = st.persons[idx].spell = st.persons[idx].ho = st.persons[idx].sample = NONE;
	keytab_add(&st.person_tab, st.persons, idx);
	return idx;
}

/* Put row ROW of section S at the head of person P's list. */
static void link_row(enum sec s, uint32_t p, uint32_t row)
{
	switch (s) {
	case SEC_APP:
		st.apps[row].next = st.persons[p].app;
		st.persons[p].app = row;
		break;
	case SEC_SPELL:
		st.spells[row].next = st.persons[p].spell;
		st.persons[p].spell = row;
		break;
	case SEC_HO:
		st.hos[row].next = st.persons[p].ho;
		st.persons[p].ho = row;
		break;
	default:
		BUG("link_row: section %d has no person list", (int)s);
	}
}

struct pending {                 /* a row in the lookup pipeline */
	struct rowkey k;
	size_t pos;                  /* the slot where its probe stopped */
	uint32_t cand;               /* the person that slot names (tag matched) */
	uint32_t row;                /* its index in its section's array */
	enum sec sec;
	int busy;
};
static struct pending probing, linking;   /* slot being fetched; person being fetched */

/* The row in `linking`: compare the candidate's key (fetched meanwhile) and link it; on a
 * tag clash go on probing, and add the person when the key is not there after all. */
static void link_pending(void)
{
	uint32_t p = linking.cand;

	if (!linking.busy)
		return;
	linking.busy = 0;
	while (memcmp(st.persons[p].key, linking.k.key, 16) != 0) {
		linking.pos = (linking.pos + 1) & st.person_tab.mask;
		if ((p = keytab_probe(&st.person_tab, linking.k.h, &linking.pos)) == NONE) {
			p = new_person(linking.k.key);
			break;
		}
	}
	link_row(linking.sec, p, linking.row);
}

/* The row in `probing` (its slot fetched meanwhile): a key not in the table is a new
 * person, added and linked now; else its candidate is fetched and the row goes to
 * `linking`. `linking` must be empty. */
static void probe_pending(void)
{
	uint32_t p;

	if (!probing.busy)
		return;
	probing.busy = 0;
	probing.pos = probing.k.h & st.person_tab.mask;
	if ((p = keytab_probe(&st.person_tab, probing.k.h, &probing.pos)) == NONE) {
		link_row(probing.sec, new_person(probing.k.key), probing.row);
		return;
	}
	__builtin_prefetch(&st.persons[p], 1);
	linking = probing;
	linking.cand = p;
	linking.busy = 1;
}

/* Link row ROW of section S to the person of RK (whose slot key_start fetched), in the
 * pipeline: it is done two rows later (or at lookups_flush). */
static void person_link(enum sec s, const struct rowkey *rk, uint32_t row)
{
	link_pending();
	probe_pending();
	probing.k = *rk;
	probing.row = row;
	probing.sec = s;
	probing.busy = 1;
}

/* Finish every lookup in the pipeline (at a section's start and the input's end). */
static void lookups_flush(void)
{
	link_pending();
	probe_pending();
	link_pending();
}

/* The person of RK at once (sample rows: few, and they keep the index). */
static uint32_t person_now(const struct rowkey *rk)
{
	uint32_t p;

	lookups_flush();
	p = keytab_find(&st.person_tab, st.persons, rk->key);
	return p != NONE ? p : new_person(rk->key);
}

static uint32_t fresp(const struct in *in, int k)
{
	size_t len = rec_reader_field_len(in->r, (size_t)in->f[k]);
	uint32_t id = strtab_intern(&st.resp_ids, fld(in, k), len);

	if (id >= st.cap_resps) {
		size_t old = st.cap_resps;

		st.resps = vec_grow(st.resps, &st.cap_resps, (size_t)id + 1, sizeof *st.resps);
		for (size_t i = old; i < st.cap_resps; i++) {
			st.resps[i].sample = st.resps[i].wave[0] = st.resps[i].wave[1] = st.resps[i].wave[2] = NONE;
			st.resps[i].sample_lost = 0;
		}
	}
	return id;
}

/* --- reading ---------------------------------------------------------------------- */

static const char *const app_fields[] = { "person_key", "source_line", "birth_date", "sex",
	"origin", "education", "application_date", "benefit", "phase", "decision",
	"decision_date", "cwi_handover_date", "office", NULL };
enum { A_KEY, A_LINE, A_BIRTH, A_SEX, A_ORIGIN, A_EDU, A_DATE, A_BENEFIT, A_PHASE,
       A_DECISION, A_DECIDED, A_HANDED };
#define A_OFFICE 12
static const char *const ho_fields[] = { "person_key", "source_line", "received_date",
	"phase_uwv", NULL };
static const char *const spell_fields[] = { "person_key", "source_line", "benefit",
	"start_date", "end_date", "end_reason", "extract_date", NULL };
static const char *const sample_fields[] = { "respondent_id", "person_key", "source_line",
	"stratum", "inclusion_prob", NULL };
static const char *const wave_fields[] = { "respondent_id", "source_line", NULL };
static const char *const *const sec_fields[N_SEC] = { app_fields, ho_fields, spell_fields,
	sample_fields, wave_fields, wave_fields, wave_fields };

static void section_begin(struct in *in)
{
	const struct schema *s = rec_reader_schema(in->r);
	int k;

	for (k = 0; k < N_SEC; k++)
		if (strcmp(s->id, sec_id[k]) == 0)
			break;
	if (k == N_SEC)
		die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), NULL,
		    "unexpected section %s: link-waves reads application/1, handover_uwv/1, "
		    "benefit_spell/1, sample/1, wave1/1, wave2/1 and wave3/1", s->id);
	lookups_flush();
	in->sec = (enum sec)k;
	st.n_sections[k]++;
	plan_section(in, k);
	for (int i = 0; sec_fields[k][i]; i++)
		if ((in->f[i] = rec_reader_index(in->r, sec_fields[k][i])) < 0)
			die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r),
			    sec_fields[k][i], "no such field in %s", s->id);
	if (k >= SEC_W1)
		for (size_t i = 0; i < st.n_wnames[k - SEC_W1]; i++)
			if ((in->wf[i] = rec_reader_index(in->r, st.wnames[k - SEC_W1][i])) < 0)
				die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r),
				    st.wnames[k - SEC_W1][i], "no such field in %s", s->id);
}

static void read_app(struct in *in)
{
	struct rowkey rk;
	struct app *a;
	long phase;

	key_start(in, A_KEY, &rk);
	check_row(in);
	key_check(in, A_KEY, &rk);
	st.apps = vec_grow(st.apps, &st.cap_apps, st.n_apps + 1, sizeof *st.apps);
	a = &st.apps[st.n_apps];
	memset(a, 0, sizeof *a);
	a->line = fline(in, A_LINE);
	a->birth = (int32_t)fval(in, A_BIRTH);
	a->date = (int32_t)fval(in, A_DATE);
	a->decided = (int32_t)fval(in, A_DECIDED);
	a->handed_over = (int32_t)fval(in, A_HANDED);
	a->sex = (uint8_t)fval(in, A_SEX);
	a->origin = (uint8_t)fval(in, A_ORIGIN);
	a->education = (uint8_t)fval(in, A_EDU);
	a->benefit = (uint8_t)fval(in, A_BENEFIT);
	a->decision = (uint8_t)fval(in, A_DECISION);
	if ((phase = fval(in, A_PHASE)) == VAL_NONE)
		bad(in, "phase", "not a number", fld(in, A_PHASE));
	a->phase = (uint8_t)phase;
	a->office = strtab_intern(&st.offices, fld(in, A_OFFICE),
				  rec_reader_field_len(in->r, (size_t)in->f[A_OFFICE]));
	a->next = NONE;
	person_link(SEC_APP, &rk, (uint32_t)st.n_apps++);
}

static void read_ho(struct in *in)
{
	struct rowkey rk;
	struct ho *h;
	long phase;

	key_start(in, 0, &rk);
	check_row(in);
	key_check(in, 0, &rk);
	st.hos = vec_grow(st.hos, &st.cap_hos, st.n_hos + 1, sizeof *st.hos);
	h = &st.hos[st.n_hos];
	memset(h, 0, sizeof *h);
	h->line = fline(in, 1);
	h->received = (int32_t)fval(in, 2);
	phase = fval(in, 3);
	h->phase = phase == VAL_NONE ? 0 : (uint8_t)phase;
	h->next = NONE;
	person_link(SEC_HO, &rk, (uint32_t)st.n_hos++);
}

/* spell benefit code -> index in application/1's benefit codes (person/1 and the
 * index-spell rule compare benefits across the two sections); -1 = not there */
static int *spell_benefit;
static const struct schema_field *spell_benefit_field;

/* The benefit of a spell (field index in->f[2], code CODE of its own schema) as an index
 * into application/1's benefit codes. */
static uint8_t app_benefit_code(const struct in *in, long code)
{
	const struct schema_field *sf = &in->sch->fields[in->f[2]];

	if (sf != spell_benefit_field) {
		const struct schema_field *af = &st.sch[SEC_APP]->fields[schema_field_index(st.sch[SEC_APP], "benefit")];

		free(spell_benefit);
		spell_benefit = xcalloc(sf->n_enum + 1, sizeof *spell_benefit);
		for (size_t j = 0; j < sf->n_enum; j++) {
			spell_benefit[j] = -1;
			for (size_t i = 0; i < af->n_enum; i++)
				if (strcmp(af->enum_values[i], sf->enum_values[j]) == 0) {
					spell_benefit[j] = (int)(uint8_t)i;
					break;
				}
		}
		spell_benefit_field = sf;
	}
	if (code == BYTE_NONE || spell_benefit[code] < 0)
		bad(in, "benefit", "not a benefit of application/1", fld(in, 2));
	return (uint8_t)spell_benefit[code];
}

static void read_spell(struct in *in)
{
	struct rowkey rk;
	struct spell *s;

	key_start(in, 0, &rk);
	check_row(in);
	key_check(in, 0, &rk);
	st.spells = vec_grow(st.spells, &st.cap_spells, st.n_spells + 1, sizeof *st.spells);
	s = &st.spells[st.n_spells];
	memset(s, 0, sizeof *s);
	s->line = fline(in, 1);
	s->benefit = app_benefit_code(in, fval(in, 2));
	s->start = (int32_t)fval(in, 3);
	s->end = (int32_t)fval(in, 4);
	s->end_reason = (uint8_t)fval(in, 5);
	s->extract = (int32_t)fval(in, 6);
	s->next = NONE;
	person_link(SEC_SPELL, &rk, (uint32_t)st.n_spells++);
}

static void read_sample(struct in *in)
{
	struct rowkey rk;
	struct sample *s;

	st.samples = vec_grow(st.samples, &st.cap_samples, st.n_samples + 1, sizeof *st.samples);
	s = &st.samples[st.n_samples];
	check_row(in);
	s->resp = fresp(in, 0);
	key_start(in, 1, &rk);
	key_check(in, 1, &rk);
	s->person = person_now(&rk);
	s->line = fline(in, 2);
	s->stratum = strtab_intern(&st.strata, fld(in, 3), rec_reader_field_len(in->r, (size_t)in->f[3]));
	if (rec_parse_num(fld(in, 4), &s->prob) < 0 || !(s->prob > 0))
		bad(in, "inclusion_prob", "not a probability above 0", fld(in, 4));
	st.n_samples++;
}

static void read_wave(struct in *in)
{
	int k = in->sec - SEC_W1;
	uint32_t r, id;
	struct wrow *w;

	check_row(in);
	r = fresp(in, 0);

	st.wrows[k] = vec_grow(st.wrows[k], &st.cap_wrows[k], st.n_wrows[k] + 1, sizeof *st.wrows[k]);
	id = (uint32_t)st.n_wrows[k]++;
	w = &st.wrows[k][id];
	w->line = fline(in, 1);
	w->resp = r;
	w->off = st.n_wpool;
	for (size_t i = 0; i < st.n_wnames[k]; i++) {
		size_t len = rec_reader_field_len(in->r, (size_t)in->wf[i]);

		if (len > 255)
			bad(in, st.wnames[k][i], "value longer than 255 bytes",
			    rec_reader_field(in->r, (size_t)in->wf[i]));
		st.wpool = vec_grow(st.wpool, &st.cap_wpool, st.n_wpool + len + 1, 1);
		st.wpool[st.n_wpool++] = (unsigned char)len;
		memcpy(st.wpool + st.n_wpool, rec_reader_field(in->r, (size_t)in->wf[i]), len);
		st.n_wpool += len;
	}
	w->len = (uint32_t)(st.n_wpool - w->off);
	if (st.resps[r].wave[k] == NONE) {
		st.resps[r].wave[k] = id;
	} else {
		/* keep the lowest row: the same choice whatever the arrival order */
		uint32_t old = st.resps[r].wave[k];
		uint32_t keep = store_wrow_cmp(&st, w, &st.wrows[k][old]) < 0 ? id : old;
		uint32_t drop = keep == id ? old : id;

		st.resps[r].wave[k] = keep;
		store_unlink(&st, in->sec, st.wrows[k][drop].line, NONE, r, R_DUPLICATE, D_DUP_WAVE,
			   (uint32_t)st.wrows[k][keep].line);
	}
}

static void read_input(const char *path)
{
	struct in in = { .r = rec_reader_open(path) };
	int rc, have_section = 0;

	if (!in.r)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((rc = rec_reader_next(in.r)) > 0) {
		if (rc == REC_SECTION) {
			section_begin(&in);
			have_section = 1;
			continue;
		}
		if (!have_section)
			BUG("record before a section");
		st.n_read[in.sec]++;   /* each read_* checks the record first (check_row) */
		switch (in.sec) {
		case SEC_APP: read_app(&in); break;
		case SEC_HO: read_ho(&in); break;
		case SEC_SPELL: read_spell(&in); break;
		case SEC_SAMPLE: read_sample(&in); break;
		default: read_wave(&in); break;
		}
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(in.r));
	lookups_flush();
	rec_reader_free(in.r);
}

/* --- main ------------------------------------------------------------------------- */

/* Check person/1 against the columns this program writes, and learn the wave columns. */
static void setup_schemas(void)
{
	const struct schema *p = schema_find("person/1", NULL);

	for (int k = 0; k < N_SEC; k++)
		if (!(st.sch[k] = schema_find(sec_id[k], NULL)))
			BUG("schema %s not built in", sec_id[k]);
	if (!p || p->n_fields < N_FIXED)
		BUG("schema person/1 missing or short");
	for (size_t i = 0; i < p->n_fields; i++) {
		const char *n = p->fields[i].name;

		if (i < N_FIXED) {
			if (strcmp(n, person_fixed[i]) != 0)
				BUG("person/1 field %zu is %s, expected %s", i, n, person_fixed[i]);
			continue;
		}
		if (n[0] != 'w' || n[1] < '1' || n[1] > '3' || n[2] != '_')
			BUG("person/1 field %s is not a wave column", n);
		int k = n[1] - '1';
		if (st.n_wnames[k] == MAX_WFIELDS ||
		    schema_field_index(st.sch[SEC_W1 + k], n + 3) < 0)
			BUG("person/1 field %s has no source in %s", n, sec_id[SEC_W1 + k]);
		st.wnames[k][st.n_wnames[k]++] = n + 3;
	}
}

static int parse_date_opt(const char *name, const char *v)
{
	int d = date_parse_iso(v, strlen(v));

	if (d == DATE_NONE)
		diag_usage("%s: not a date (yyyy-mm-dd): %s", name, v);
	return d;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "window-start", required_argument, NULL, 's' },
		{ "window-end", required_argument, NULL, 'e' },
		{ "unlinked", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct rec_writer *out, *unl = NULL;
	int c, status;

	diag_init(argv[0]);
	opterr = 0;
	st.window_start = date_from_ymd(2006, 3, 1);
	st.window_end = date_from_ymd(2006, 4, 30);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': st.window_start = parse_date_opt("--window-start", optarg); break;
		case 'e': st.window_end = parse_date_opt("--window-end", optarg); break;
		case 'u': unlinked_path = optarg; break;
		case 'h': usage(stdout); return diag_close_stdout(EXIT_SUCCESS_);
		case 'V': puts("link-waves ketenmonitor 0.1"); return diag_close_stdout(EXIT_SUCCESS_);
		default: diag_usage("unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (st.window_start > st.window_end)
		diag_usage("--window-start comes after --window-end");
	setup_schemas();
	keytab_init(&st.person_tab, sizeof *st.persons);
	strtab_init(&st.offices);
	strtab_init(&st.strata);
	strtab_init(&st.resp_ids);

	if (unlinked_path && !(unl = rec_writer_open(unlinked_path, -1, 0644)))
		die(EXIT_DATA, unlinked_path, 0, NULL, "cannot create: %s", strerror(errno));
	rec_enlarge_pipe(0);
	if (optind == argc)
		read_input(NULL);
	for (int i = optind; i < argc; i++)
		read_input(argv[i]);
	/* without applications nobody can be linked: an empty person/1 would look like a
	 * result (R1 left out of ingest's command line, an upstream stage that wrote nothing) */
	if (!st.n_sections[SEC_APP])
		die(EXIT_DATA, NULL, 0, NULL, "no application/1 section in the input: nothing to link");

	if (!(out = rec_writer_open(NULL, -1, 0644)))
		die(EXIT_DATA, "stdout", 0, NULL, "cannot write: %s", strerror(errno));
	rec_enlarge_pipe(1);
	resolve_and_write(&st, out);
	store_write_unlinked(&st, unl);
	store_report(&st);
	status = rec_writer_close(out) < 0 ? EXIT_DATA : EXIT_SUCCESS_;
	if (unl && rec_writer_close(unl) < 0)
		status = EXIT_DATA;
	store_release(&st);
	for (int k = 0; k < N_SEC; k++)
		plan_free(k);
	free(spell_benefit);
	return diag_close_stdout(status);
}
