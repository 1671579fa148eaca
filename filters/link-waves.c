/* link-waves - join ingest's sections into one person/1 row per person of the study
 * population, in person_key order; every input row that is not used goes to --unlinked.
 *
 * Three phases: parse options; read every section into the store (link-waves/store.h says
 * what is held and why it is shaped so); resolve each person at the end and write
 * (link-waves/resolve.c). Sections come in any order, so nothing can be written before the
 * input ends.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "fast.h"
#include "filter.h"
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
/* cohort_person/1: person/1, then these (--cohorts; written by resolve.c's write_cohort) */
static const char *const cohort_cols[] = { "cohort_kind", "cohort", "uwv_rows_claim", "uwv_received_claim" };
#define N_COHORT_COLS (sizeof cohort_cols / sizeof cohort_cols[0])


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
"  --cohorts KIND       month, quarter or year: every calendar window of that kind is a\n"
"                       window of its own (doc/cohorts.md): a row per person and cohort\n"
"                       in whose window the person has a granted application, with the\n"
"                       rules above applied to that window, as cohort_person/1 (person/1,\n"
"                       then cohort_kind, cohort, uwv_rows_claim, uwv_received_claim: the\n"
"                       person's handover_uwv rows received from the index application to\n"
"                       its 6-month mark); rows in person_key order, then cohort order.\n"
"                       Unlinked: the rows of persons with no granted application at all\n"
"                       (in --from..--to). The window options go without it.\n"
"  --from MONTH, --to MONTH\n"
"                       with --cohorts: only applications filed in these months (yyyy-mm;\n"
"                       default every month); a quarter or year must be whole\n"
"  --unlinked FILE      write the unlinked/1 rows there (default: only counted on stderr);\n"
"                     a FILE named *.gz is gzip, even at REC_LEVEL=0\n"
"  --help, --version\n"
"\n"
"Memory: everything is held until the input ends, about 180 bytes a person at the\n"
"most (1.25 applications, a spell and a handover row each: 10 million people take about\n"
"1.8 GB; it peaks while the rows are put in key order for writing); the most it held at\n"
"once is printed on stderr.\n"
"\n"
"Examples:\n"
"  ingest --key-file raw/pseudonym.key raw/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv \\\n"
"      raw/{steekproef,golf1,golf2,golf3}.csv | link-waves --unlinked unlinked.gz |\n"
"    derive-status > status.gz\n"
"  cat registry.gz survey.gz | link-waves > person.gz    (sections in any order)\n"
"  ingest --key-file raw/pseudonym.key raw/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv |\n"
"    link-waves --cohorts month --from 2005-01 --to 2007-12 | derive-status | ...\n");
}

/* --- the run's state ------------------------------------------------------------ */

struct pending {                 /* a row in the lookup pipeline (see "persons" below) */
	struct rowkey {          /* a row's person_key, decoded before its checks */
		unsigned char key[16];
		uint64_t h;
		int bad;
	} k;
	size_t pos;                  /* the slot where its probe stopped */
	uint32_t cand;               /* the person that slot names (tag matched) */
	uint32_t row;                /* its index in its section's array */
	enum sec sec;
	int busy;
};

struct lw {
	struct store st;             /* everything held to the end (store.h) */
	const char *unlinked_path;   /* --unlinked */
	int from, to;                /* --from, --to: month numbers (year * 12 + month - 1); -1 none */
	int window_given;            /* --window-start or --window-end */
	struct rec_writer *unl;
	/* the input being read */
	struct rec_reader *r;
	enum sec sec;
	int f[16];                   /* field indexes, by section (see section) */
	int wf[MAX_WFIELDS];         /* wave sections: index of each st.wnames[k] field */
	const long *val;             /* the current record's values (rec_reader_values) */
	struct pending probing, linking;   /* slot being fetched; person being fetched */
	/* spell benefit code -> index in application/1's benefit codes (person/1 and the
	 * index-spell rule compare benefits across the two sections); -1 = not there */
	int *spell_benefit;
	const struct schema_field *spell_benefit_field;
};

static const char *fld(const struct lw *c, int k)
{
	return rec_reader_field(c->r, (size_t)c->f[k]);
}

/* The parsed value of field K (rec_reader_values: int, day number, code index). */
static long fval(const struct lw *c, int k)
{
	return c->val[c->f[k]];
}

/* A line number (int[1,] in the schemas) that fits the store's 32 bits; -1 refused. */
static int32_t fline(struct lw *c, int k)
{
	long v = fval(c, k);

	if (v > INT32_MAX) {
		rec_reader_fail(c->r, c->f[k], "not a line number: %s", fld(c, k));
		return -1;
	}
	return (int32_t)v;
}

/* --- persons ------------------------------------------------------------------------
 * Hot: 2.3 M person lookups for 1 M applications, each a random access into the key
 * table and one into the person array (tens of MB: cache misses). So a lookup is spread
 * over three rows: a row's key is decoded and its slot fetched when the row is read; the
 * slot is probed while the next row is read, and the person it names fetched; the key is
 * compared and the row linked to the person while the row after that is read. Lookups
 * are done in arrival order, each after every earlier row is linked (a key not in the
 * table is added at once), so persons are found and added exactly as one at a time. */


/* Decode field K's key and start fetching its slot (its errors come after the schema's). */
static void key_start(struct lw *c, int k, struct rowkey *rk)
{
	rk->bad = key_decode(fld(c, k), rec_reader_field_len(c->r, (size_t)c->f[k]), rk->key);
	if (!rk->bad) {
		rk->h = keytab_hash(rk->key);
		keytab_prefetch(&c->st.person_tab, rk->h);
	}
}

/* The row's values (rec_reader_values), then its key: 0, or -1 refused. */
static int row_values(struct lw *c, int k, const struct rowkey *rk)
{
	if ((c->val = rec_reader_values(c->r)) == NULL)
		return -1;
	if (rk && rk->bad)
		return rec_reader_fail(c->r, c->f[k], "not 32 lowercase hex digits: %s", fld(c, k));
	return 0;
}

static uint32_t new_person(struct lw *c, const unsigned char key[16])
{
	uint32_t idx;

	c->st.persons = vec_grow(c->st.persons, &c->st.cap_persons, c->st.n_persons + 1, sizeof *c->st.persons);
	idx = (uint32_t)c->st.n_persons++;
	memcpy(c->st.persons[idx].key, key, 16);
	c->st.persons[idx].app = c->st.persons[idx].spell = c->st.persons[idx].ho = c->st.persons[idx].sample = NONE;
	keytab_add(&c->st.person_tab, c->st.persons, idx);
	return idx;
}

/* Put row ROW of section S at the head of person P's list. */
static void link_row(struct lw *c, enum sec s, uint32_t p, uint32_t row)
{
	uint16_t bucket = (uint16_t)(c->st.persons[p].key[0] << 8 | c->st.persons[p].key[1]);

	switch (s) {
	case SEC_APP:
		c->st.apps[row].bucket = bucket;
		c->st.apps[row].next = c->st.persons[p].app;
		c->st.persons[p].app = row;
		break;
	case SEC_SPELL:
		c->st.spells[row].bucket = bucket;
		c->st.spells[row].next = c->st.persons[p].spell;
		c->st.persons[p].spell = row;
		break;
	case SEC_HO:
		c->st.hos[row].bucket = bucket;
		c->st.hos[row].next = c->st.persons[p].ho;
		c->st.persons[p].ho = row;
		break;
	default:
		BUG("link_row: section %d has no person list", (int)s);
	}
}


/* The row in `c->linking`: compare the candidate's key (fetched meanwhile) and link it; on a
 * tag clash go on c->probing, and add the person when the key is not there after all. */
static void link_pending(struct lw *c)
{
	uint32_t p = c->linking.cand;

	if (!c->linking.busy)
		return;
	c->linking.busy = 0;
	while (memcmp(c->st.persons[p].key, c->linking.k.key, 16) != 0) {
		c->linking.pos = (c->linking.pos + 1) & c->st.person_tab.mask;
		if ((p = keytab_probe(&c->st.person_tab, c->linking.k.h, &c->linking.pos)) == NONE) {
			p = new_person(c, c->linking.k.key);
			break;
		}
	}
	link_row(c, c->linking.sec, p, c->linking.row);
}

/* The row in `c->probing` (its slot fetched meanwhile): a key not in the table is a new
 * person, added and linked now; else its candidate is fetched and the row goes to
 * `c->linking`. `c->linking` must be empty. */
static void probe_pending(struct lw *c)
{
	uint32_t p;

	if (!c->probing.busy)
		return;
	c->probing.busy = 0;
	c->probing.pos = c->probing.k.h & c->st.person_tab.mask;
	if ((p = keytab_probe(&c->st.person_tab, c->probing.k.h, &c->probing.pos)) == NONE) {
		link_row(c, c->probing.sec, new_person(c, c->probing.k.key), c->probing.row);
		return;
	}
	__builtin_prefetch(&c->st.persons[p], 1);
	c->linking = c->probing;
	c->linking.cand = p;
	c->linking.busy = 1;
}

/* Link row ROW of section S to the person of RK (whose slot key_start fetched), in the
 * pipeline: it is done two rows later (or at lookups_flush). */
static void person_link(struct lw *c, enum sec s, const struct rowkey *rk, uint32_t row)
{
	link_pending(c);
	probe_pending(c);
	c->probing.k = *rk;
	c->probing.row = row;
	c->probing.sec = s;
	c->probing.busy = 1;
}

/* Finish every lookup in the pipeline (at a section's start and the input's end). */
static void lookups_flush(struct lw *c)
{
	link_pending(c);
	probe_pending(c);
	link_pending(c);
}

/* The person of RK at once (sample rows: few, and they keep the index). */
static uint32_t person_now(struct lw *c, const struct rowkey *rk)
{
	uint32_t p;

	lookups_flush(c);
	p = keytab_find(&c->st.person_tab, c->st.persons, rk->key);
	return p != NONE ? p : new_person(c, rk->key);
}

static uint32_t fresp(struct lw *c, int k)
{
	size_t len = rec_reader_field_len(c->r, (size_t)c->f[k]);
	uint32_t id = strtab_intern(&c->st.resp_ids, fld(c, k), len);

	if (id >= c->st.cap_resps) {
		size_t old = c->st.cap_resps;

		c->st.resps = vec_grow(c->st.resps, &c->st.cap_resps, (size_t)id + 1, sizeof *c->st.resps);
		for (size_t i = old; i < c->st.cap_resps; i++) {
			c->st.resps[i].sample = c->st.resps[i].wave[0] = c->st.resps[i].wave[1] = c->st.resps[i].wave[2] = NONE;
			c->st.resps[i].sample_lost = 0;
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

static int section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct lw *c = vc;
	const struct schema *s = rec_reader_schema(r);
	int k;

	(void)out;
	c->r = r;
	for (k = 0; k < N_SEC; k++)
		if (strcmp(s->id, sec_id[k]) == 0)
			break;
	if (k == N_SEC)
		return rec_reader_fail(r, -1, "unexpected section %s: link-waves reads application/1, "
				       "handover_uwv/1, benefit_spell/1, sample/1, wave1/1, wave2/1 and wave3/1", s->id);
	lookups_flush(c);
	c->sec = (enum sec)k;
	c->st.n_sections[k]++;
	for (int i = 0; sec_fields[k][i]; i++)
		c->f[i] = rec_reader_require(r, sec_fields[k][i]);
	if (k >= SEC_W1)
		for (size_t i = 0; i < c->st.n_wnames[k - SEC_W1]; i++)
			c->wf[i] = rec_reader_require(r, c->st.wnames[k - SEC_W1][i]);
	return rec_reader_bad(r) ? -1 : 0;
}

static int read_app(struct lw *c)
{
	struct rowkey rk;
	struct app *a;

	key_start(c, A_KEY, &rk);
	if (row_values(c, A_KEY, &rk) < 0)
		return -1;
	c->st.apps = vec_grow(c->st.apps, &c->st.cap_apps, c->st.n_apps + 1, sizeof *c->st.apps);
	a = &c->st.apps[c->st.n_apps];
	memset(a, 0, sizeof *a);
	a->line = fline(c, A_LINE);
	a->birth = (int32_t)fval(c, A_BIRTH);
	a->date = (int32_t)fval(c, A_DATE);
	a->decided = (int32_t)fval(c, A_DECIDED);
	a->handed_over = (int32_t)fval(c, A_HANDED);
	a->sex = (uint8_t)fval(c, A_SEX);           /* code indexes; -1 (missing) is BYTE_NONE */
	a->origin = (uint8_t)fval(c, A_ORIGIN);
	a->education = (uint8_t)fval(c, A_EDU);
	a->benefit = (uint8_t)fval(c, A_BENEFIT);
	a->decision = (uint8_t)fval(c, A_DECISION);
	a->phase = (uint8_t)fval(c, A_PHASE);       /* required: the schema refuses it missing */
	a->office = strtab_intern(&c->st.offices, fld(c, A_OFFICE),
				  rec_reader_field_len(c->r, (size_t)c->f[A_OFFICE]));
	a->next = NONE;
	person_link(c, SEC_APP, &rk, (uint32_t)c->st.n_apps++);
	return 0;
}

static int read_ho(struct lw *c)
{
	struct rowkey rk;
	struct ho *h;
	long phase;

	key_start(c, 0, &rk);
	if (row_values(c, 0, &rk) < 0)
		return -1;
	c->st.hos = vec_grow(c->st.hos, &c->st.cap_hos, c->st.n_hos + 1, sizeof *c->st.hos);
	h = &c->st.hos[c->st.n_hos];
	memset(h, 0, sizeof *h);
	h->line = fline(c, 1);
	h->received = (int32_t)fval(c, 2);
	phase = fval(c, 3);
	h->phase = phase == REC_INT_NONE ? 0 : (uint8_t)phase;
	h->next = NONE;
	person_link(c, SEC_HO, &rk, (uint32_t)c->st.n_hos++);
	return 0;
}

/* The benefit of a spell (field c->f[2], code CODE of its own schema) as an index into
 * application/1's benefit codes; -1 refused. */
static int app_benefit_code(struct lw *c, long code)
{
	const struct schema_field *sf = &rec_reader_schema(c->r)->fields[c->f[2]];

	if (sf != c->spell_benefit_field) {
		const struct schema *as = c->st.sch[SEC_APP];
		const struct schema_field *af = &as->fields[schema_field_index(as, "benefit")];

		free(c->spell_benefit);
		c->spell_benefit = xcalloc(sf->n_enum + 1, sizeof *c->spell_benefit);
		for (size_t j = 0; j < sf->n_enum; j++) {
			c->spell_benefit[j] = -1;
			for (size_t i = 0; i < af->n_enum; i++)
				if (strcmp(af->enum_values[i], sf->enum_values[j]) == 0) {
					c->spell_benefit[j] = (int)(uint8_t)i;
					break;
				}
		}
		c->spell_benefit_field = sf;
	}
	if (code < 0 || c->spell_benefit[code] < 0)
		return rec_reader_fail(c->r, c->f[2], "not a benefit of application/1: %s", fld(c, 2));
	return c->spell_benefit[code];
}

static int read_spell(struct lw *c)
{
	struct rowkey rk;
	struct spell *s;
	int benefit;

	key_start(c, 0, &rk);
	if (row_values(c, 0, &rk) < 0 || (benefit = app_benefit_code(c, fval(c, 2))) < 0)
		return -1;
	c->st.spells = vec_grow(c->st.spells, &c->st.cap_spells, c->st.n_spells + 1, sizeof *c->st.spells);
	s = &c->st.spells[c->st.n_spells];
	memset(s, 0, sizeof *s);
	s->line = fline(c, 1);
	s->benefit = (uint8_t)benefit;
	s->start = (int32_t)fval(c, 3);
	s->end = (int32_t)fval(c, 4);
	s->end_reason = (uint8_t)fval(c, 5);
	s->extract = (int32_t)fval(c, 6);
	s->next = NONE;
	person_link(c, SEC_SPELL, &rk, (uint32_t)c->st.n_spells++);
	return 0;
}

static int read_sample(struct lw *c)
{
	struct rowkey rk;
	struct sample *s;
	double prob;

	if (row_values(c, 0, NULL) < 0)
		return -1;
	key_start(c, 1, &rk);
	if (rk.bad)
		return rec_reader_fail(c->r, c->f[1], "not 32 lowercase hex digits: %s", fld(c, 1));
	prob = rec_get_num(c->r, c->f[4]);
	if (!(prob > 0))
		return rec_reader_fail(c->r, c->f[4], "not a probability above 0: %s", fld(c, 4));
	c->st.samples = vec_grow(c->st.samples, &c->st.cap_samples, c->st.n_samples + 1, sizeof *c->st.samples);
	s = &c->st.samples[c->st.n_samples];
	s->resp = fresp(c, 0);
	s->person = person_now(c, &rk);
	s->line = fline(c, 2);
	s->stratum = strtab_intern(&c->st.strata, fld(c, 3), rec_reader_field_len(c->r, (size_t)c->f[3]));
	s->prob = prob;
	c->st.n_samples++;
	return 0;
}

/* The wave columns person/1 copies, into the pool as the stream's own text. */
static int keep_answers(struct lw *c, int k, struct wrow *w)
{
	w->off = c->st.n_wpool;
	for (size_t i = 0; i < c->st.n_wnames[k]; i++) {
		size_t len = rec_reader_field_len(c->r, (size_t)c->wf[i]);

		if (len > 255)
			return rec_reader_fail(c->r, c->wf[i], "value longer than 255 bytes: %s",
					       rec_reader_field(c->r, (size_t)c->wf[i]));
		c->st.wpool = vec_grow(c->st.wpool, &c->st.cap_wpool, c->st.n_wpool + len + 1, 1);
		c->st.wpool[c->st.n_wpool++] = (unsigned char)len;
		memcpy(c->st.wpool + c->st.n_wpool, rec_reader_field(c->r, (size_t)c->wf[i]), len);
		c->st.n_wpool += len;
	}
	w->len = (uint32_t)(c->st.n_wpool - w->off);
	return 0;
}

static int read_wave(struct lw *c)
{
	int k = c->sec - SEC_W1;
	uint32_t r, id;
	struct wrow *w;
	struct store *st = &c->st;

	if (row_values(c, 0, NULL) < 0)
		return -1;
	r = fresp(c, 0);
	st->wrows[k] = vec_grow(st->wrows[k], &st->cap_wrows[k], st->n_wrows[k] + 1, sizeof *st->wrows[k]);
	id = (uint32_t)st->n_wrows[k]++;
	w = &st->wrows[k][id];
	w->line = fline(c, 1);
	w->resp = r;
	if (keep_answers(c, k, w) < 0)
		return -1;
	if (st->resps[r].wave[k] == NONE) {
		st->resps[r].wave[k] = id;
	} else {
		/* keep the lowest row: the same choice whatever the arrival order */
		uint32_t old = st->resps[r].wave[k];
		uint32_t keep = store_wrow_cmp(st, w, &st->wrows[k][old]) < 0 ? id : old;
		uint32_t drop = keep == id ? old : id;

		st->resps[r].wave[k] = keep;
		store_unlink(st, c->sec, st->wrows[k][drop].line, NONE, r, R_DUPLICATE, D_DUP_WAVE,
			     (uint32_t)st->wrows[k][keep].line);
	}
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct lw *c = vc;

	(void)r;
	(void)out;
	c->st.n_read[c->sec]++;   /* each read_* checks the record first (row_values) */
	switch (c->sec) {
	case SEC_APP: return read_app(c);
	case SEC_HO: return read_ho(c);
	case SEC_SPELL: return read_spell(c);
	case SEC_SAMPLE: return read_sample(c);
	default: return read_wave(c);
	}
}

static int input_end(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	(void)r;
	(void)out;
	lookups_flush(vc);
	return 0;
}

/* --- main ------------------------------------------------------------------------- */

/* --cohorts: cohort_person/1 must be person/1 plus the cohort columns, in that order. */
static int setup_cohort_schema(const struct schema *p)
{
	const char *err = NULL;
	const struct schema *c = schema_find("cohort_person/1", &err);

	if (!c || c->n_fields != p->n_fields + N_COHORT_COLS) {
		diag_warn(NULL, 0, NULL, "%s", err ? err : "cohort_person/1 is not person/1 plus the cohort columns");
		return -1;
	}
	for (size_t i = 0; i < N_COHORT_COLS; i++)
		if (strcmp(c->fields[p->n_fields + i].name, cohort_cols[i]) != 0) {
			diag_warn(c->origin, 0, c->fields[p->n_fields + i].name,
				  "cohort_person/1 field %zu: link-waves writes %s there", p->n_fields + i + 1, cohort_cols[i]);
			return -1;
		}
	return 0;
}

/* Check person/1 against the columns this program writes, and learn the wave columns. */
static int setup_schemas(struct store *st)
{
	const char *err = NULL;
	const struct schema *p = schema_find("person/1", &err);

	for (int k = 0; k < N_SEC && p; k++)
		if (!(st->sch[k] = schema_find(sec_id[k], &err)))
			p = NULL;
	if (!p || p->n_fields < N_FIXED) {
		diag_warn(NULL, 0, NULL, "%s", err ? err : "person/1 has fewer fields than link-waves writes");
		return -1;
	}
	for (size_t i = 0; i < p->n_fields; i++) {
		const char *n = p->fields[i].name;
		int k = n[0] == 'w' && n[1] >= '1' && n[1] <= '3' && n[2] == '_' ? n[1] - '1' : -1;

		if (i < N_FIXED && strcmp(n, person_fixed[i]) == 0)
			continue;
		if (i < N_FIXED || k < 0 || st->n_wnames[k] == MAX_WFIELDS ||
		    schema_field_index(st->sch[SEC_W1 + k], n + 3) < 0) {
			diag_warn(p->origin, 0, n, "person/1 field %zu: link-waves writes %s there", i + 1,
				  i < N_FIXED ? person_fixed[i] : "a wK_NAME copy of waveK/1's NAME");
			return -1;
		}
		st->wnames[k][st->n_wnames[k]++] = n + 3;
	}
	return st->cohort_months ? setup_cohort_schema(p) : 0;
}

/* --cohorts: the window is --from..--to (whole cohorts), or every date. -1: a usage error
 * (printed). */
static int cohort_window(struct lw *c)
{
	int m = c->st.cohort_months;

	if (!m) {
		if (c->from >= 0 || c->to >= 0)
			return filter_usage_error("--from and --to go with --cohorts"), -1;
		return 0;
	}
	if (c->window_given)
		return filter_usage_error("--window-start and --window-end go without --cohorts (use --from, --to)"), -1;
	if ((c->from >= 0 && c->from % m) || (c->to >= 0 && (c->to + 1) % m))
		return filter_usage_error("--from and --to must hold whole cohorts: a %s starts in month %s",
					  m == 3 ? "quarter" : "year", m == 3 ? "1, 4, 7 or 10" : "1"), -1;
	if (c->from >= 0 && c->to >= 0 && c->from > c->to)
		return filter_usage_error("--from comes after --to"), -1;
	c->st.unbounded = c->from < 0 && c->to < 0;
	c->st.window_start = c->from >= 0 ? date_from_ymd(c->from / 12, c->from % 12 + 1, 1) : INT32_MIN + 1;
	c->st.window_end = c->to >= 0 ? date_add_months(date_from_ymd(c->to / 12, c->to % 12 + 1, 1), 1) - 1
		: INT32_MAX;
	return 0;
}

static int start(void *vc, struct rec_writer *out)
{
	struct lw *c = vc;

	(void)out;
	if (cohort_window(c) < 0)
		return FILTER_BAD_USAGE;
	if (c->st.window_start > c->st.window_end) {
		filter_usage_error("--window-start comes after --window-end");
		return FILTER_BAD_USAGE;
	}
	if (setup_schemas(&c->st) < 0)
		return -1;
	keytab_init(&c->st.person_tab, sizeof *c->st.persons);
	strtab_init(&c->st.offices);
	strtab_init(&c->st.strata);
	strtab_init(&c->st.resp_ids);
	/* a FILE named .gz is gzip even when the stream between the stages is plain text
	 * (REC_LEVEL=0, as the pipeline runs it): compressed here, by ISA-L, it need not be
	 * compressed again after the chain, on the run's one busy core */
	if (c->unlinked_path &&
	    !(c->unl = rec_writer_open(c->unlinked_path,
				       rec_config()->level == 0 && rec_path_is_gz(c->unlinked_path) ? 1 : -1, 0644))) {
		diag_warn(c->unlinked_path, 0, NULL, "cannot create: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The input is in: resolve every person, write person/1 and the unlinked rows. */
static int end(void *vc, struct rec_writer *out)
{
	struct lw *c = vc;
	int rc = 0;

	/* without applications nobody can be linked: an empty person/1 would look like a
	 * result (R1 left out of ingest's command line, an upstream stage that wrote nothing) */
	if (!c->st.n_sections[SEC_APP]) {
		diag_warn(NULL, 0, NULL, "no application/1 section in the input: nothing to link");
		rec_writer_discard(c->unl);
		rc = -1;
	} else {
		resolve_and_write(&c->st, out);
		if (rec_writer_failed(out)) {
			/* stdout broke off (its reader gone with SIGPIPE ignored, a full disk):
			 * filter_finish says why. The persons not written were never counted, so
			 * no counts to report and no unlinked file beside a cut stream. */
			rec_writer_discard(c->unl);
		} else {
			store_write_unlinked(&c->st, c->unl);
			store_report(&c->st);
			if (c->unl && rec_writer_close(c->unl) < 0)
				rc = -1;
		}
	}
	store_release(&c->st);
	free(c->spell_benefit);
	return rc;
}

/* A month as yyyy-mm: its number (year * 12 + month - 1), or -1. */
static int parse_month(const char *arg)
{
	int d = strlen(arg) == 7 && arg[4] == '-' ? date_from_ymd(atoi(arg), atoi(arg + 5), 1) : DATE_NONE;
	int y, m, dd;

	if (d == DATE_NONE || !(arg[0] >= '0' && arg[0] <= '9'))
		return -1;
	date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct lw *c = vc;
	int d;

	switch (o) {
	case 'u':
		c->unlinked_path = arg;
		return 0;
	case 'c':
		c->st.cohort_months = !strcmp(arg, "month") ? 1 : !strcmp(arg, "quarter") ? 3 : !strcmp(arg, "year") ? 12 : 0;
		if (!c->st.cohort_months)
			snprintf(err, errsz, "--cohorts: month, quarter or year: %s", arg);
		return c->st.cohort_months ? 0 : -1;
	case 'f':
	case 't':
		if ((*(o == 'f' ? &c->from : &c->to) = parse_month(arg)) < 0)
			snprintf(err, errsz, "%s: not a month (yyyy-mm): %s", o == 'f' ? "--from" : "--to", arg);
		return (o == 'f' ? c->from : c->to) < 0 ? -1 : 0;
	}
	if ((d = date_parse_iso(arg, strlen(arg))) == DATE_NONE) {
		snprintf(err, errsz, "%s: not a date (yyyy-mm-dd): %s", o == 's' ? "--window-start" : "--window-end", arg);
		return -1;
	}
	*(o == 's' ? &c->st.window_start : &c->st.window_end) = d;
	c->window_given = 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "window-start", required_argument, NULL, 's' },
		{ "window-end", required_argument, NULL, 'e' },
		{ "unlinked", required_argument, NULL, 'u' },
		{ "cohorts", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter link_waves = {
		.name = "link-waves", .usage = usage, .long_opts = longopts, .option = option,
		.start = start, .section = section, .record = record, .input_end = input_end, .end = end,
	};
	static struct lw c;   /* static: zeroed, and large */

	c.st.window_start = date_from_ymd(2006, 3, 1);
	c.st.window_end = date_from_ymd(2006, 4, 30);
	c.from = c.to = -1;
	return filter_main(&link_waves, &c, argc, argv);
}
