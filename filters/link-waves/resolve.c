/* resolve.c - link-waves' second phase: once the whole input is in the store, decide each
 * person's rows and write person/1 in person_key order; collect the rest as unlinked.
 *
 * Order of work: (1) the sample rows, all at once, because a sample row can clash with two
 * others (same respondent, same person) and only a rule over all of them is independent of
 * arrival order; (2) the persons, sorted by key, one at a time: duplicates, the index
 * application, then either a person/1 row or every row of the person to unlinked; (3) wave
 * rows of respondents without a kept sample row.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datecalc.h"
#include "diag.h"
#include "months.h"
#include "rec.h"
#include "schema.h"
#include "store.h"

const char *const sec_id[N_SEC] = {
	"application/1", "handover_uwv/1", "benefit_spell/1", "sample/1",
	"wave1/1", "wave2/1", "wave3/1"
};

const char *const reason_name[N_REASON] = {
	"no_index_application", "wave_not_in_sample", "sample_without_application",
	"spell_without_application", "overlapping_spells", "handover_without_application",
	"duplicate_key"
};

int store_cohort_of(const struct store *st, int day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return (y * 12 + m - 1) / st->cohort_months;
}

void store_cohort_label(const struct store *st, int cohort, char *buf)
{
	int month = cohort * st->cohort_months, y = month / 12, m = month % 12 + 1;

	if (st->cohort_months == 1)
		snprintf(buf, 16, "%04d-%02d", y, m);
	else if (st->cohort_months == 3)
		snprintf(buf, 16, "%04d-Q%d", y, (m - 1) / 3 + 1);
	else
		snprintf(buf, 16, "%04d", y);
}

void key_format(const unsigned char *k, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0; i < 16; i++) {
		out[2 * i] = hx[k[i] >> 4];
		out[2 * i + 1] = hx[k[i] & 15];
	}
	out[32] = '\0';
}

void store_unlink(struct store *st, enum sec s, int32_t line, uint32_t person, uint32_t resp,
		  enum reason reason, enum detail detail, uint32_t aux)
{
	st->unls = vec_grow(st->unls, &st->cap_unls, st->n_unls + 1, sizeof *st->unls);
	st->unls[st->n_unls++] = (struct unl){ .sec = (uint8_t)s, .reason = (uint8_t)reason,
		.detail = (uint8_t)detail, .line = line, .person = person, .resp = resp,
		.aux = aux };
	st->n_unl[s][reason]++;
}

int store_wrow_cmp(const struct store *st, const struct wrow *a, const struct wrow *b)
{
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	c = memcmp(st->wpool + a->off, st->wpool + b->off, a->len < b->len ? a->len : b->len);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* The comparators get the store as qsort_r's context. */

static int cmp_int(long a, long b)
{
	return a < b ? -1 : a > b;
}

static int cmp_person_key(const struct store *cs, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (a == NONE || b == NONE)
		return a == NONE ? -1 : 1;
	return memcmp(cs->persons[a].key, cs->persons[b].key, 16);
}

static int cmp_resp(const struct store *cs, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (a == NONE || b == NONE)
		return a == NONE ? -1 : 1;
	return strcmp(strtab_str(&cs->resp_ids, a), strtab_str(&cs->resp_ids, b));
}

/* --- (1) the sample --------------------------------------------------------------- */

static int sample_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct sample *a = &cs->samples[*(const uint32_t *)pa];
	const struct sample *b = &cs->samples[*(const uint32_t *)pb];
	int c;

	if ((c = cmp_int(a->line, b->line)) || (c = cmp_person_key(cs, a->person, b->person)) ||
	    (c = cmp_resp(cs, a->resp, b->resp)))
		return c;
	if ((c = strcmp(strtab_str(&cs->strata, a->stratum), strtab_str(&cs->strata, b->stratum))))
		return c;
	return a->prob < b->prob ? -1 : a->prob > b->prob;
}

/* Keep a sample row when neither its respondent nor its person has a kept row yet, taking
 * rows by source_line (then content): the same outcome in every arrival order. */
static void resolve_samples(struct store *st)
{
	uint32_t *order = xmalloc((st->n_samples + 1) * sizeof *order);

	for (size_t i = 0; i < st->n_samples; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, st->n_samples, sizeof *order, sample_cmp, st);
	for (size_t i = 0; i < st->n_samples; i++) {
		struct sample *s = &st->samples[order[i]];
		struct resp *r = &st->resps[s->resp];
		struct person *p = &st->persons[s->person];

		if (r->sample != NONE) {
			store_unlink(st, SEC_SAMPLE, s->line, s->person, s->resp, R_DUPLICATE,
				     D_DUP_RESPONDENT, (uint32_t)st->samples[r->sample].line);
			r->sample_lost = 1;
		} else if (p->sample != NONE) {
			store_unlink(st, SEC_SAMPLE, s->line, s->person, s->resp, R_DUPLICATE,
				     D_DUP_PERSON, (uint32_t)st->samples[p->sample].line);
			r->sample_lost = 1;
		} else {
			r->sample = p->sample = order[i];
		}
	}
	free(order);
}

/* --- (2) the persons -------------------------------------------------------------- */

static int app_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct app *a = &cs->apps[*(const uint32_t *)pa];
	const struct app *b = &cs->apps[*(const uint32_t *)pb];
	int c;

	if ((c = cmp_int(a->line, b->line)) || (c = cmp_int(a->date, b->date)) ||
	    (c = cmp_int(a->birth, b->birth)) || (c = cmp_int(a->decided, b->decided)) ||
	    (c = cmp_int(a->handed_over, b->handed_over)) ||
	    (c = strcmp(strtab_str(&cs->offices, a->office), strtab_str(&cs->offices, b->office))))
		return c;
	return memcmp(&a->sex, &b->sex, 6);   /* sex .. decision: six bytes in a row */
}

static int spell_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct spell *a = &cs->spells[*(const uint32_t *)pa];
	const struct spell *b = &cs->spells[*(const uint32_t *)pb];
	int c;

	if ((c = cmp_int(a->line, b->line)) || (c = cmp_int(a->benefit, b->benefit)) ||
	    (c = cmp_int(a->start, b->start)) || (c = cmp_int(a->end, b->end)) ||
	    (c = cmp_int(a->end_reason, b->end_reason)))
		return c;
	return cmp_int(a->extract, b->extract);
}

/* Spells in the order the index and overlap rules read them: benefit, start, line. */
static int spell_time_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct spell *a = &cs->spells[*(const uint32_t *)pa];
	const struct spell *b = &cs->spells[*(const uint32_t *)pb];
	int c;

	if ((c = cmp_int(a->benefit, b->benefit)) || (c = cmp_int(a->start, b->start)))
		return c;
	return cmp_int(a->line, b->line);
}

static int ho_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct ho *a = &cs->hos[*(const uint32_t *)pa];
	const struct ho *b = &cs->hos[*(const uint32_t *)pb];
	int c;

	if ((c = cmp_int(a->line, b->line)) || (c = cmp_int(a->received, b->received)))
		return c;
	return cmp_int(a->phase, b->phase);
}

/* Scratch lists of one person's rows (indexes), reused from person to person. */
struct list {
	uint32_t *v;
	size_t n, cap;
};

/* Sort the indexes V[0..N) by CMP: a person's rows are a handful, so insertion sort
 * (stable, like glibc's qsort merge sort: the same order) without qsort's set-up. */
static void sort_small(uint32_t *v, size_t n, int (*cmp)(const void *, const void *, void *), void *ctx)
{
	if (n > 16) {
		qsort_r(v, n, sizeof *v, cmp, ctx);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;

		for (; j > 0 && cmp(&v[j - 1], &x, ctx) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Gather the list starting at HEAD (NEXT_OF gives the link), sort it by source_line (then
 * content) and unlink all but the first of each source_line as duplicate_key. */
static void gather(struct store *st, struct list *l, uint32_t head, enum sec sec,
		   uint32_t person, int (*cmp)(const void *, const void *, void *))
{
	size_t k = 0;

	l->n = 0;
	for (uint32_t i = head; i != NONE;) {
		l->v = vec_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
		l->v[l->n++] = i;
		i = sec == SEC_APP ? st->apps[i].next : sec == SEC_SPELL ? st->spells[i].next
			: st->hos[i].next;
	}
	sort_small(l->v, l->n, cmp, st);
	for (size_t i = 0; i < l->n; i++) {
		int32_t line = sec == SEC_APP ? st->apps[l->v[i]].line
			: sec == SEC_SPELL ? st->spells[l->v[i]].line : st->hos[l->v[i]].line;
		int32_t prev = k == 0 ? 0 : sec == SEC_APP ? st->apps[l->v[k - 1]].line
			: sec == SEC_SPELL ? st->spells[l->v[k - 1]].line : st->hos[l->v[k - 1]].line;

		if (k > 0 && line == prev)
			store_unlink(st, sec, line, person, NONE, R_DUPLICATE, D_DUP_LINE, NONE);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

/* Enum words person/1 copies, from the input schemas (index = the stored code). */
struct words {
	const struct schema_field *sex, *origin, *education, *benefit, *end_reason;
	uint8_t granted, refused;
	size_t n_fixed;              /* person/1 columns before the wave columns */
	const struct schema *person;
	size_t n_wcols;              /* the wave columns after them, and the wave (0..2) of */
	uint8_t *wcol;               /* each: looked up once, not per person */
};

static const struct schema_field *field_of(const struct schema *s, const char *name)
{
	int i = schema_field_index(s, name);

	if (i < 0)
		BUG("%s has no field %s", s->id, name);
	return &s->fields[i];
}

static uint8_t code_of(const struct schema_field *f, const char *word)
{
	for (size_t i = 0; i < f->n_enum; i++)
		if (strcmp(f->enum_values[i], word) == 0)
			return (uint8_t)i;
	BUG("%s has no code %s", f->name, word);
}

static void put_enum(struct rec_writer *w, const struct schema_field *f, uint8_t code)
{
	if (code == BYTE_NONE)
		rec_put_missing(w);
	else   /* a word of the schema's */
		rec_put_plain(w, f->enum_values[code], f->enum_len[code]);
}

/* Unlink every row of person P, who is not in the study population. */
static void unlink_person(struct store *st, uint32_t p, const struct list *apps,
			  const struct list *spells, const struct list *hos)
{
	int has_app = apps->n > 0;
	uint32_t s = st->persons[p].sample;

	for (size_t i = 0; i < apps->n; i++)
		store_unlink(st, SEC_APP, st->apps[apps->v[i]].line, p, NONE, R_NO_INDEX,
			     D_NO_INDEX_APP, NONE);
	for (size_t i = 0; i < spells->n; i++)
		store_unlink(st, SEC_SPELL, st->spells[spells->v[i]].line, p, NONE,
			     has_app ? R_NO_INDEX : R_SPELL_NO_APP,
			     has_app ? D_NO_INDEX_PERSON : D_NO_APP, NONE);
	for (size_t i = 0; i < hos->n; i++)
		store_unlink(st, SEC_HO, st->hos[hos->v[i]].line, p, NONE,
			     has_app ? R_NO_INDEX : R_HO_NO_APP,
			     has_app ? D_NO_INDEX_PERSON : D_NO_APP, NONE);
	if (s == NONE)
		return;
	uint32_t r = st->samples[s].resp;

	store_unlink(st, SEC_SAMPLE, st->samples[s].line, p, r,
		     has_app ? R_NO_INDEX : R_SAMPLE_NO_APP,
		     has_app ? D_NO_INDEX_PERSON : D_NO_APP, NONE);
	for (int k = 0; k < 3; k++)
		if (st->resps[r].wave[k] != NONE)
			store_unlink(st, (enum sec)(SEC_W1 + k), st->wrows[k][st->resps[r].wave[k]].line,
				     p, r, has_app ? R_NO_INDEX : R_SAMPLE_NO_APP,
				     has_app ? D_NO_INDEX_PERSON : D_NO_APP_RESPONDENT, NONE);
}

/* Unlink the spells (sorted by benefit, start, line) of a linked person that overlap an
 * earlier kept spell of the same benefit; the list keeps the others, in order. */
static void drop_overlaps(struct store *st, uint32_t p, struct list *spells)
{
	uint32_t last = NONE;   /* the kept spell reaching furthest */
	int32_t reach = 0;
	size_t k = 0;

	for (size_t i = 0; i < spells->n; i++) {
		const struct spell *s = &st->spells[spells->v[i]];
		/* a running spell (no end date) is open-ended: it overlaps every later start */
		int32_t end = s->end == DATE_NONE ? INT32_MAX : s->end;

		if (last != NONE && st->spells[last].benefit != s->benefit)
			last = NONE;
		if (last != NONE && s->start <= reach) {
			store_unlink(st, SEC_SPELL, s->line, p, NONE, R_OVERLAP, D_OVERLAP,
				     (uint32_t)st->spells[last].line);
			continue;
		}
		if (last == NONE || end > reach) {
			last = spells->v[i];
			reach = end;
		}
		spells->v[k++] = spells->v[i];
	}
	spells->n = k;
}

/* The index spell of application A among the kept spells (sorted by benefit, start, line):
 * the earliest of the same benefit starting on or after it. */
static uint32_t index_spell(const struct store *st, const struct list *spells, const struct app *a)
{
	for (size_t i = 0; i < spells->n; i++) {
		const struct spell *s = &st->spells[spells->v[i]];

		if (s->benefit == a->benefit && s->start >= a->date)
			return spells->v[i];
	}
	return NONE;
}

/* One row of person/1 (cohort_person/1): the person, the index application, its spell. */
struct prow {
	uint32_t p, ia, n_refused, isp;
	size_t n_apps;
	int first;                   /* the person's first row: the sample and waves count here */
	int cohort;                  /* --cohorts: the row's cohort */
};

/* cohort_person/1's own columns: the cohort, and the UWV rows of the claim (received from
 * the index application to its 6-month mark). */
static void write_cohort(const struct store *st, struct rec_writer *w, const struct prow *r,
			 const struct list *hos)
{
	static const char *const kind[13] = { [1] = "month", [3] = "quarter", [12] = "year" };
	const struct app *a = &st->apps[r->ia];
	int32_t mark = months_mark(a->date, 6, MONTH_END_CLAMP), first = DATE_NONE;
	long n = 0;
	char label[16];

	for (size_t i = 0; i < hos->n; i++) {
		int32_t d = st->hos[hos->v[i]].received;

		if (d == DATE_NONE || d < a->date || d > mark)
			continue;
		n++;
		if (first == DATE_NONE || d < first)
			first = d;
	}
	rec_put(w, kind[st->cohort_months]);
	store_cohort_label(st, r->cohort, label);
	rec_put(w, label);
	rec_put_int(w, n);
	rec_put_date(w, first);
}

static void write_person(struct store *st, struct rec_writer *w, const struct words *wd,
			 const struct prow *pr, const struct list *hos)
{
	uint32_t p = pr->p;
	const struct app *a = &st->apps[pr->ia];
	const struct spell *s = pr->isp == NONE ? NULL : &st->spells[pr->isp];
	const struct ho *first = NULL;
	uint32_t smp = st->persons[p].sample;
	const struct sample *sm = smp == NONE ? NULL : &st->samples[smp];
	const struct resp *r = sm ? &st->resps[sm->resp] : NULL;
	const unsigned char *cur[3] = { NULL, NULL, NULL };
	char key[33];

	for (size_t i = 0; i < hos->n; i++) {
		const struct ho *h = &st->hos[hos->v[i]];

		if (!first || h->received < first->received ||
		    (h->received == first->received && h->line < first->line))
			first = h;
	}
	key_format(st->persons[p].key, key);
	rec_put_plain(w, key, 32);   /* hex */
	rec_put_int(w, (long)pr->n_apps);
	rec_put_int(w, pr->n_refused);
	rec_put_int(w, a->line);
	rec_put_date(w, a->birth);
	put_enum(w, wd->sex, a->sex);
	put_enum(w, wd->origin, a->origin);
	put_enum(w, wd->education, a->education);
	rec_put_date(w, a->date);
	put_enum(w, wd->benefit, a->benefit);
	rec_put_int(w, a->phase);
	rec_put_date(w, a->decided);
	rec_put_date(w, a->handed_over);
	rec_put(w, strtab_str(&st->offices, a->office));
	rec_put_date(w, s ? s->start : DATE_NONE);
	rec_put_date(w, s ? s->end : DATE_NONE);
	put_enum(w, wd->end_reason, s ? s->end_reason : BYTE_NONE);
	rec_put_date(w, s ? s->extract : DATE_NONE);
	rec_put_int(w, (long)hos->n);
	rec_put_date(w, first ? first->received : DATE_NONE);
	if (first && first->phase)
		rec_put_int(w, first->phase);
	else
		rec_put_missing(w);
	rec_put_bool(w, sm != NULL);
	rec_put(w, sm ? strtab_str(&st->resp_ids, sm->resp) : NULL);
	rec_put(w, sm ? strtab_str(&st->strata, sm->stratum) : NULL);
	if (sm) {
		rec_put_num(w, sm->prob);
		rec_put_num(w, 1.0 / sm->prob);
	} else {
		rec_put_missing(w);
		rec_put_missing(w);
	}
	for (int k = 0; k < 3; k++) {
		uint32_t row = r ? r->wave[k] : NONE;

		if (row != NONE) {
			cur[k] = st->wpool + st->wrows[k][row].off;
			st->n_responded[k] += pr->first;
			st->n_used[SEC_W1 + k] += pr->first;
		}
		rec_put_bool(w, row != NONE);
	}
	if (!cur[0] && !cur[1] && !cur[2])   /* outside the panel (nearly everybody) */
		rec_put_missing_n(w, wd->n_wcols);
	else for (size_t i = 0; i < wd->n_wcols; i++) {
		int k = wd->wcol[i];

		if (!cur[k]) {
			rec_put_missing(w);
			continue;
		}
		rec_put_len(w, (const char *)cur[k] + 1, cur[k][0]);
		cur[k] += 1 + cur[k][0];
	}
	if (st->cohort_months)
		write_cohort(st, w, pr, hos);
	rec_writer_end(w);
	st->n_written++;
	st->n_persons_written += pr->first;
	if (sm && pr->first) {
		st->n_in_sample++;
		st->n_used[SEC_SAMPLE]++;
	}
}

static uint64_t key_hi(const unsigned char *k)
{
	uint64_t hi = 0;

	for (int j = 0; j < 8; j++)
		hi = hi << 8 | k[j];
	return hi;
}

static int person_cmp(const void *pa, const void *pb)
{
	return memcmp(((const struct person *)pa)->key, ((const struct person *)pb)->key, 16);
}

/* The person numbered OLD before the persons were put in key order, in SORTED (its key
 * looked up: there are a few thousand such numbers, the sample's). */
static uint32_t person_renumbered(const struct person *old, const struct person *sorted, size_t n,
				  uint32_t was)
{
	size_t lo = 0, hi = n;

	if (was == NONE)
		return NONE;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(sorted[mid].key, old[was].key, 16);

		if (c == 0)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	BUG("person %u not found after sorting", was);
}

/* Put the person array itself in key order, the order person/1 is written in, so that
 * writing visits it front to back (order_rows does the same for their rows). Keys are
 * HMACs, spread evenly, so one counting pass on their top bits puts the persons into
 * buckets of a few each, which insertion sort finishes (the same order as a full sort,
 * whatever the keys; only slower if they bunch). The key table is of no use once the input
 * is read, and goes first. Runs before anything but the sample rows keeps a person's number
 * (no unlinked row names a person yet; they are renumbered all the same);
 * persons[].sample, not yet set, carries the old number meanwhile. */
static void sort_persons(struct store *st)
{
	size_t n = st->n_persons, nb;
	int bits = 8;
	struct person *sorted;
	uint32_t *start;

	keytab_release(&st->person_tab);
	while (bits < 22 && ((size_t)1 << bits) < n / 4)
		bits++;
	nb = (size_t)1 << bits;
	start = xcalloc(nb + 1, sizeof *start);
	sorted = xmalloc((n + 1) * sizeof *sorted);
	store_note_peak(st, (n + 1) * sizeof *sorted);
	prefault(sorted, 0, (n + 1) * sizeof *sorted);   /* written at random below */
	for (size_t i = 0; i < n; i++)
		start[(key_hi(st->persons[i].key) >> (64 - bits)) + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	for (size_t i = 0; i < n; i++) {
		struct person *to = &sorted[start[key_hi(st->persons[i].key) >> (64 - bits)]++];

		*to = st->persons[i];
		to->sample = (uint32_t)i;
	}
	/* start[b] is now the end of bucket b */
	for (size_t b = 0, lo = 0; b < nb; lo = start[b++]) {
		struct person *v = sorted + lo;
		size_t m = start[b] - lo;

		if (m > 32) {
			qsort(v, m, sizeof *v, person_cmp);
			continue;
		}
		for (size_t i = 1; i < m; i++) {
			struct person x = v[i];
			size_t j = i;

			for (; j > 0 && person_cmp(&v[j - 1], &x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	free(start);
	for (size_t i = 0; i < st->n_samples; i++)
		st->samples[i].person = person_renumbered(st->persons, sorted, n, st->samples[i].person);
	for (size_t i = 0; i < st->n_unls; i++)
		st->unls[i].person = person_renumbered(st->persons, sorted, n, st->unls[i].person);
	for (size_t i = 0; i < n; i++)
		sorted[i].sample = NONE;
	free(st->persons);
	st->persons = sorted;
	st->cap_persons = n + 1;
}

/* Where each of N rows goes when the rows are put in buckets of their person key's first
 * bits, stable: ROWS[i]'s bucket tag (a uint16_t at BUCKET_AT in a row of SIZE bytes) picks
 * the bucket. A bucket is a few thousand rows, so that persons visited in key order find
 * their rows in a few hundred kilobytes. */
static uint32_t *row_places(const void *rows, size_t n, size_t size, size_t bucket_at)
{
	const unsigned char *tag = (const unsigned char *)rows + bucket_at;
	uint32_t *start, *place = xmalloc((n + 1) * sizeof *place);
	int bits = 1;
	uint16_t b;

	while (bits < 12 && ((size_t)1 << bits) < n / 2048)
		bits++;
	start = xcalloc(((size_t)1 << bits) + 1, sizeof *start);
	for (size_t i = 0; i < n; i++) {
		memcpy(&b, tag + i * size, sizeof b);
		start[(b >> (16 - bits)) + 1]++;
	}
	for (size_t k = 0; k < (size_t)1 << bits; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < n; i++) {
		memcpy(&b, tag + i * size, sizeof b);
		place[i] = start[b >> (16 - bits)]++;
	}
	free(start);
	return place;
}

/* ROWS (N rows of SIZE bytes, a malloc'd array, freed here) copied in the order
 * row_places gives them, their links (a uint32_t at NEXT_AT) renumbered. Returns the new
 * array, and in *AT where each row went (for the heads that name them). MAPS_HELD: the
 * bytes of the other kinds' maps still held, for the memory line. Inlined, so that SIZE
 * is a constant where it is called. */
static inline __attribute__((always_inline)) void *
rows_to_buckets(struct store *st, void *rows, size_t n, size_t size, size_t tag_at,
		size_t next_at, uint32_t **at, size_t maps_held)
{
	const unsigned char *from = rows;
	unsigned char *to = xmalloc((n + 1) * size);
	uint32_t next;

	*at = row_places(rows, n, size, tag_at);
	store_note_peak(st, (n + 1) * size + (n + 1) * sizeof **at + maps_held);
	prefault(to, 0, n * size);   /* written at random below */
	for (size_t i = 0; i < n; i++)
		memcpy(to + (size_t)(*at)[i] * size, from + i * size, size);
	free(rows);
	for (size_t j = 0; j < n; j++) {
		memcpy(&next, to + j * size + next_at, sizeof next);
		if (next != NONE) {
			next = (*at)[next];
			memcpy(to + j * size + next_at, &next, sizeof next);
		}
	}
	return to;
}

/* The rows of each kind (applications, spells, handovers) put in key order, roughly: in
 * buckets of their person key's first bits. They arrive in date order, and the write loop
 * visits the persons in key order: at 10 M applications it waited on each person's rows
 * anywhere in a gigabyte, which prefetching did not hide (with the persons in key order
 * but not their rows, the wait moved to the rows; bench/README.md, sessions 18-19). A
 * row's bucket came with it (link_row tags it with its person's key), so this is one
 * sequential read and writes to a few thousand places, not a walk along the lists. The
 * lists keep their order (the buckets are stable); their links and the persons' heads are
 * renumbered. */
static void order_rows(struct store *st)
{
	uint32_t *app_at, *spell_at, *ho_at;

	st->apps = rows_to_buckets(st, st->apps, st->n_apps, sizeof *st->apps,
				   offsetof(struct app, bucket), offsetof(struct app, next), &app_at, 0);
	st->spells = rows_to_buckets(st, st->spells, st->n_spells, sizeof *st->spells,
				     offsetof(struct spell, bucket), offsetof(struct spell, next), &spell_at,
				     (st->n_apps + 1) * sizeof *app_at);
	st->hos = rows_to_buckets(st, st->hos, st->n_hos, sizeof *st->hos, offsetof(struct ho, bucket),
				  offsetof(struct ho, next), &ho_at,
				  (st->n_apps + st->n_spells + 2) * sizeof *app_at);
	st->cap_apps = st->n_apps + 1;
	st->cap_spells = st->n_spells + 1;
	st->cap_hos = st->n_hos + 1;
	for (size_t p = 0; p < st->n_persons; p++) {
		struct person *q = &st->persons[p];

		if (q->app != NONE)
			q->app = app_at[q->app];
		if (q->spell != NONE)
			q->spell = spell_at[q->spell];
		if (q->ho != NONE)
			q->ho = ho_at[q->ho];
	}
	free(app_at);
	free(spell_at);
	free(ho_at);
}

/* The person's index applications into IDX: the earliest granted one filed in the window
 * (same day: the lowest source_line), or with --cohorts the earliest of each cohort's
 * window, in cohort order. Returns how many. */
static size_t index_apps(const struct store *st, const struct words *wd, const struct list *apps,
			 struct list *idx)
{
	idx->n = 0;
	for (size_t i = 0; i < apps->n; i++) {
		const struct app *c = &st->apps[apps->v[i]];
		size_t j;

		if (c->decision != wd->granted || c->date < st->window_start || c->date > st->window_end)
			continue;
		/* insert in (date, line) order: a person's applications are a handful */
		idx->v = vec_grow(idx->v, &idx->cap, idx->n + 1, sizeof *idx->v);
		for (j = idx->n; j > 0; j--) {
			const struct app *b = &st->apps[idx->v[j - 1]];

			if (b->date < c->date || (b->date == c->date && b->line < c->line))
				break;
			idx->v[j] = idx->v[j - 1];
		}
		idx->v[j] = apps->v[i];
		idx->n++;
	}
	if (!st->cohort_months) {
		idx->n = idx->n > 0;
		return idx->n;
	}
	size_t k = 0;   /* dates ascend, so do cohorts: keep the first of each */

	for (size_t i = 0; i < idx->n; i++)
		if (k == 0 || store_cohort_of(st, st->apps[idx->v[i]].date) !=
		    store_cohort_of(st, st->apps[idx->v[k - 1]].date))
			idx->v[k++] = idx->v[i];
	idx->n = k;
	return k;
}

/* Refused applications filed before A: an earlier day, or the same day and a lower line. */
static uint32_t refused_before(const struct store *st, const struct words *wd, const struct list *apps,
			       const struct app *a)
{
	uint32_t n = 0;

	for (size_t i = 0; i < apps->n; i++) {
		const struct app *c = &st->apps[apps->v[i]];

		if (c->decision == wd->refused && (c->date < a->date || (c->date == a->date && c->line < a->line)))
			n++;
	}
	return n;
}

/* Scratch lists reused from person to person. */
struct scratch {
	struct list apps, spells, hos, idx, isp;
};

static void resolve_person(struct store *st, struct rec_writer *w, const struct words *wd,
			   uint32_t p, struct scratch *x)
{
	size_t n_idx, n_spells_used = 0;

	gather(st, &x->apps, st->persons[p].app, SEC_APP, p, app_cmp);
	gather(st, &x->spells, st->persons[p].spell, SEC_SPELL, p, spell_cmp);
	gather(st, &x->hos, st->persons[p].ho, SEC_HO, p, ho_cmp);
	if ((n_idx = index_apps(st, wd, &x->apps, &x->idx)) == 0) {
		unlink_person(st, p, &x->apps, &x->spells, &x->hos);
		return;
	}
	st->n_used[SEC_APP] += (long)n_idx;
	st->n_other[SEC_APP] += (long)(x->apps.n - n_idx);
	sort_small(x->spells.v, x->spells.n, spell_time_cmp, st);
	drop_overlaps(st, p, &x->spells);
	x->isp.v = vec_grow(x->isp.v, &x->isp.cap, n_idx, sizeof *x->isp.v);
	for (size_t j = 0; j < n_idx; j++) {
		size_t k = 0;

		x->isp.v[j] = index_spell(st, &x->spells, &st->apps[x->idx.v[j]]);
		while (k < j && x->isp.v[k] != x->isp.v[j])   /* two cohorts may share a spell */
			k++;
		n_spells_used += x->isp.v[j] != NONE && k == j;
	}
	st->n_used[SEC_SPELL] += (long)n_spells_used;
	st->n_other[SEC_SPELL] += (long)(x->spells.n - n_spells_used);
	st->n_used[SEC_HO] += (long)x->hos.n;
	for (size_t j = 0; j < n_idx; j++) {
		const struct app *a = &st->apps[x->idx.v[j]];
		struct prow r = { .p = p, .ia = x->idx.v[j], .n_refused = refused_before(st, wd, &x->apps, a),
				  .isp = x->isp.v[j], .n_apps = x->apps.n, .first = j == 0,
				  .cohort = st->cohort_months ? store_cohort_of(st, a->date) : 0 };

		write_person(st, w, wd, &r, &x->hos);
	}
}

void resolve_and_write(struct store *st, struct rec_writer *w)
{
	struct scratch x = { 0 };
	struct words wd;

	wd.sex = field_of(st->sch[SEC_APP], "sex");
	wd.origin = field_of(st->sch[SEC_APP], "origin");
	wd.education = field_of(st->sch[SEC_APP], "education");
	wd.benefit = field_of(st->sch[SEC_APP], "benefit");
	wd.end_reason = field_of(st->sch[SEC_SPELL], "end_reason");
	wd.granted = code_of(field_of(st->sch[SEC_APP], "decision"), "granted");
	wd.refused = code_of(field_of(st->sch[SEC_APP], "decision"), "refused");
	wd.person = schema_find("person/1", NULL);
	wd.n_fixed = wd.person->n_fields - st->n_wnames[0] - st->n_wnames[1] - st->n_wnames[2];
	wd.n_wcols = wd.person->n_fields - wd.n_fixed;
	wd.wcol = xmalloc(wd.n_wcols + 1);
	for (size_t i = 0; i < wd.n_wcols; i++)
		wd.wcol[i] = (uint8_t)(wd.person->fields[wd.n_fixed + i].name[1] - '1');

	store_note_peak(st, 0);   /* all of the input */
	sort_persons(st);
	order_rows(st);
	resolve_samples(st);
	if (rec_writer_section(w, st->cohort_months ? "cohort_person/1" : "person/1") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (size_t i = 0; i < st->n_persons && !rec_writer_failed(w); i++) {
		/* the persons are in key order now, their rows scattered: fetch the heads of
		 * the lists a few persons ahead */
		if (i + 8 < st->n_persons) {
			const struct person *q = &st->persons[i + 8];

			if (q->app != NONE)
				__builtin_prefetch(&st->apps[q->app]);
			if (q->spell != NONE)
				__builtin_prefetch(&st->spells[q->spell]);
			if (q->ho != NONE)
				__builtin_prefetch(&st->hos[q->ho]);
		}
		resolve_person(st, w, &wd, (uint32_t)i, &x);
	}
	free(wd.wcol);
	free(x.apps.v);
	free(x.spells.v);
	free(x.hos.v);
	free(x.idx.v);
	free(x.isp.v);

	/* (3) wave rows of respondents without a kept sample row */
	for (size_t r = 0; r < st->resp_ids.count; r++) {
		if (st->resps[r].sample != NONE)
			continue;
		for (int k = 0; k < 3; k++)
			if (st->resps[r].wave[k] != NONE)
				store_unlink(st, (enum sec)(SEC_W1 + k),
					     st->wrows[k][st->resps[r].wave[k]].line, NONE, (uint32_t)r,
					     st->resps[r].sample_lost ? R_DUPLICATE : R_WAVE_NOT_IN_SAMPLE,
					     st->resps[r].sample_lost ? D_DUP_SAMPLE_OF_WAVE : D_NOT_IN_SAMPLE,
					     NONE);
	}
	store_note_peak(st, 0);   /* the unlinked rows grew meanwhile */
}

/* --- unlinked ---------------------------------------------------------------------- */

static int unl_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct store *cs = ctx;
	const struct unl *a = pa, *b = pb;
	int c;

	if ((c = cmp_int(a->sec, b->sec)) || (c = cmp_int(a->line, b->line)) ||
	    (c = cmp_person_key(cs, a->person, b->person)) || (c = cmp_resp(cs, a->resp, b->resp)) ||
	    (c = cmp_int(a->reason, b->reason)) || (c = cmp_int(a->detail, b->detail)))
		return c;
	return cmp_int(a->aux, b->aux);
}

static void detail_text(const struct store *st, const struct unl *u, char *buf, size_t n)
{
	char ws[11], we[11];

	switch ((enum detail)u->detail) {
	case D_NO_INDEX_APP:
		if (st->unbounded) {
			snprintf(buf, n, "the person has no granted application");
			break;
		}
		date_format_iso(st->window_start, ws);
		date_format_iso(st->window_end, we);
		snprintf(buf, n, "the person has no granted application filed %s..%s", ws, we);
		break;
	case D_NO_INDEX_PERSON:
		snprintf(buf, n, "the person has no index application");
		break;
	case D_NOT_IN_SAMPLE:
		snprintf(buf, n, "respondent_id not in sample/1");
		break;
	case D_NO_APP:
		snprintf(buf, n, "the person has no application/1 row");
		break;
	case D_NO_APP_RESPONDENT:
		snprintf(buf, n, "the respondent's person has no application/1 row");
		break;
	case D_OVERLAP:
		snprintf(buf, n, "overlaps the spell of source_line %u", u->aux);
		break;
	case D_DUP_LINE:
		snprintf(buf, n, "person_key and source_line of a row already kept");
		break;
	case D_DUP_RESPONDENT:
		snprintf(buf, n, "respondent_id already in the sample at source_line %u", u->aux);
		break;
	case D_DUP_PERSON:
		snprintf(buf, n, "person_key already in the sample at source_line %u", u->aux);
		break;
	case D_DUP_WAVE:
		snprintf(buf, n, "respondent_id already in this wave at source_line %u", u->aux);
		break;
	case D_DUP_SAMPLE_OF_WAVE:
		snprintf(buf, n, "the respondent's sample row is a duplicate");
		break;
	}
}

void store_write_unlinked(struct store *st, struct rec_writer *w)
{
	char key[33], detail[128];

	if (!w)
		return;
	/* a wave row unlinked as a duplicate names the person its respondent links to */
	for (size_t i = 0; i < st->n_unls; i++) {
		struct unl *u = &st->unls[i];

		if (u->person == NONE && u->resp != NONE && st->resps[u->resp].sample != NONE)
			u->person = st->samples[st->resps[u->resp].sample].person;
	}
	if (st->n_unls > 1)          /* none: unls may be NULL, which qsort may not get */
		qsort_r(st->unls, st->n_unls, sizeof *st->unls, unl_cmp, st);
	if (rec_writer_section(w, "unlinked/1") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (size_t i = 0; i < st->n_unls; i++) {
		const struct unl *u = &st->unls[i];

		rec_put(w, sec_id[u->sec]);
		rec_put_int(w, u->line);
		if (u->person != NONE) {
			key_format(st->persons[u->person].key, key);
			rec_put(w, key);
		} else {
			rec_put_missing(w);
		}
		rec_put(w, u->resp != NONE ? strtab_str(&st->resp_ids, u->resp) : NULL);
		rec_put(w, reason_name[u->reason]);
		detail_text(st, u, detail, sizeof detail);
		rec_put(w, detail);
		rec_writer_end(w);
	}
}

/* --- counts and memory ------------------------------------------------------------- */

size_t store_bytes(const struct store *st)
{
	size_t b = st->cap_persons * sizeof *st->persons + st->cap_apps * sizeof *st->apps +
		st->cap_spells * sizeof *st->spells + st->cap_hos * sizeof *st->hos +
		st->cap_samples * sizeof *st->samples + st->cap_resps * sizeof *st->resps +
		st->cap_wpool + st->cap_unls * sizeof *st->unls +
		keytab_bytes(&st->person_tab) + strtab_bytes(&st->offices) +
		strtab_bytes(&st->strata) + strtab_bytes(&st->resp_ids);

	for (int k = 0; k < 3; k++)
		b += st->cap_wrows[k] * sizeof *st->wrows[k];
	return b;
}

void store_note_peak(struct store *st, size_t extra)
{
	size_t b = store_bytes(st) + extra;

	if (b > st->peak_bytes)
		st->peak_bytes = b;
}

void store_report(const struct store *st)
{
	for (int s = 0; s < N_SEC; s++) {
		char why[512];
		size_t len = 0;
		long unl = 0;

		why[0] = '\0';
		for (int r = 0; r < N_REASON; r++) {
			if (!st->n_unl[s][r])
				continue;
			unl += st->n_unl[s][r];
			len += (size_t)snprintf(why + len, sizeof why - len, "%s%s %ld",
						len ? ", " : " (", reason_name[r], st->n_unl[s][r]);
		}
		if (len)
			snprintf(why + len, sizeof why - len, ")");
		if (s == SEC_APP || s == SEC_SPELL)
			diag_warn(NULL, 0, NULL, "%s: %ld read, %ld index, %ld other of linked persons, "
				  "%ld unlinked%s", sec_id[s], st->n_read[s], st->n_used[s],
				  st->n_other[s], unl, why);
		else
			diag_warn(NULL, 0, NULL, "%s: %ld read, %ld linked, %ld unlinked%s", sec_id[s],
				  st->n_read[s], st->n_used[s], unl, why);
		if (st->n_read[s] != st->n_used[s] + st->n_other[s] + unl)
			BUG("%s: %ld read but %ld accounted for", sec_id[s], st->n_read[s],
			    st->n_used[s] + st->n_other[s] + unl);
	}
	if (st->cohort_months)
		diag_warn(NULL, 0, NULL, "cohort_person/1: %ld rows written for %ld persons, %ld in the sample, "
			  "responded: wave 1 %ld, wave 2 %ld, wave 3 %ld", st->n_written, st->n_persons_written,
			  st->n_in_sample, st->n_responded[0], st->n_responded[1], st->n_responded[2]);
	else
		diag_warn(NULL, 0, NULL, "person/1: %ld persons written, %ld in the sample, responded: "
			  "wave 1 %ld, wave 2 %ld, wave 3 %ld", st->n_written, st->n_in_sample,
			  st->n_responded[0], st->n_responded[1], st->n_responded[2]);
	diag_warn(NULL, 0, NULL, "memory: %zu bytes held for %zu person keys (%.0f bytes a person)",
		  st->peak_bytes, st->n_persons,
		  st->n_persons ? (double)st->peak_bytes / (double)st->n_persons : 0.0);
}

void store_release(struct store *st)
{
	free(st->persons);
	free(st->apps);
	free(st->spells);
	free(st->hos);
	free(st->samples);
	free(st->resps);
	for (int k = 0; k < 3; k++)
		free(st->wrows[k]);
	free(st->wpool);
	free(st->unls);
	keytab_release(&st->person_tab);
	strtab_release(&st->offices);
	strtab_release(&st->strata);
	strtab_release(&st->resp_ids);
}
