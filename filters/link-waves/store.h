/* store.h - what link-waves holds until the end of its input, and the two phases that
 * share it: reading (link-waves.c) and resolving (resolve.c).
 *
 * Sections come in any order (a `cat` of several ingest outputs), so every row is kept
 * until the end. Memory per person is the budget (10 million people on 24 GiB), so each
 * row is held in the fewest bytes that still give person/1 its columns:
 *
 *   struct person  32 bytes: the binary key and the heads of its row lists; found through
 *                  a keytab (table.h: 4-byte slots, load <= 3/4).
 *   struct app     36 bytes an application: only the columns person/1 takes from it, dates
 *                  as int32 day numbers (datecalc.h), codes as enum indexes, office interned.
 *   struct spell   24 bytes a benefit spell; struct ho 16 bytes a UWV handover row.
 *                  (A row's bucket tag, its person key's first bits, sits in what was
 *                  padding: the rows are put in key order before person/1 is written.)
 *   samples, respondents, wave rows: only the panel (a small part of the people). A wave
 *                  row keeps its answers as the stream's own text (length-prefixed values in
 *                  one pool), so they come out exactly as they went in.
 *
 * A person's applications, spells and handovers are singly linked lists through their
 * arrays (an index, not a pointer: arrays move when they grow). Decisions that involve
 * more than one row (index application, index spell, overlaps, duplicates) are taken at the
 * end by rules that do not depend on arrival order (lowest source_line, then content), so
 * the output is the same whatever the order of the sections.
 */
#ifndef LINK_WAVES_STORE_H
#define LINK_WAVES_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "rec.h"
#include "schema.h"
#include "table.h"

enum sec { SEC_APP, SEC_HO, SEC_SPELL, SEC_SAMPLE, SEC_W1, SEC_W2, SEC_W3, N_SEC };
extern const char *const sec_id[N_SEC];

/* unlinked/1's reasons, in its enum order. */
enum reason { R_NO_INDEX, R_WAVE_NOT_IN_SAMPLE, R_SAMPLE_NO_APP, R_SPELL_NO_APP,
	      R_OVERLAP, R_HO_NO_APP, R_DUPLICATE, N_REASON };
extern const char *const reason_name[N_REASON];

/* What unlinked/1's detail column says; unl.aux is the source_line it names, if any. */
enum detail { D_NO_INDEX_APP, D_NO_INDEX_PERSON, D_NOT_IN_SAMPLE, D_NO_APP,
	      D_NO_APP_RESPONDENT, D_OVERLAP, D_DUP_LINE, D_DUP_RESPONDENT, D_DUP_PERSON,
	      D_DUP_WAVE, D_DUP_SAMPLE_OF_WAVE };

#define BYTE_NONE 0xFF

struct person {
	unsigned char key[16];      /* person_key, binary: sorts like its lowercase hex */
	uint32_t app, spell, ho;    /* list heads, NONE = empty */
	uint32_t sample;            /* the kept sample row (set by resolve), NONE */
};

struct app {
	int32_t line, date, birth, decided, handed_over;   /* DATE_NONE = missing */
	uint32_t office;            /* id in store.offices */
	uint32_t next;
	uint8_t sex, origin, education, benefit, phase, decision;  /* enum indexes in
					   application/1's schema; BYTE_NONE = missing */
	uint16_t bucket;            /* its person key's first 16 bits (order_rows in resolve.c) */
};

struct spell {
	int32_t line, start, end, extract;
	uint32_t next;
	uint8_t benefit;            /* index in application/1's benefit codes */
	uint8_t end_reason;         /* index in benefit_spell/1's end_reason codes */
	uint16_t bucket;
};

struct ho {
	int32_t line, received;
	uint32_t next;
	uint8_t phase;              /* 0 = missing */
	uint16_t bucket;
};

_Static_assert(sizeof(struct app) == 36 && sizeof(struct spell) == 24 && sizeof(struct ho) == 16,
	       "a row's bucket tag must fit in its padding: the bytes a person are the budget");

struct sample {
	uint32_t resp, person, stratum;
	int32_t line;
	double prob;
};

struct resp {                    /* one per respondent_id (id in store.resp_ids) */
	uint32_t sample;            /* the kept sample row (set by resolve), NONE */
	uint32_t wave[3];           /* the kept row of each wave, NONE */
	uint8_t sample_lost;        /* one of its sample rows was unlinked as a duplicate */
};

struct wrow {
	int32_t line;
	uint32_t resp;
	size_t off;                 /* in store.wpool: per column a length byte, then bytes */
	uint32_t len;
};

struct unl {
	uint8_t sec, reason, detail;
	int32_t line;
	uint32_t person, resp, aux; /* NONE when not known / not named */
};

/* The wave columns of person/1: for wave k, the waveK/1 field names person/1 copies as
 * wK_NAME, in person/1's order. */
#define MAX_WFIELDS 64

struct store {
	int window_start, window_end;    /* --window-start, --window-end (--from, --to) */
	int cohort_months;               /* --cohorts: a cohort is 1 (month), 3 (quarter) or 12
					  * (year) calendar months, each its own window; 0: the
					  * one window, person/1 */
	int unbounded;                   /* --cohorts without --from and --to: every date */

	struct person *persons; size_t n_persons, cap_persons;
	struct app *apps;       size_t n_apps, cap_apps;
	struct spell *spells;   size_t n_spells, cap_spells;
	struct ho *hos;         size_t n_hos, cap_hos;
	struct sample *samples; size_t n_samples, cap_samples;
	struct resp *resps;     size_t cap_resps;
	struct wrow *wrows[3];  size_t n_wrows[3], cap_wrows[3];
	unsigned char *wpool;   size_t n_wpool, cap_wpool;
	struct unl *unls;       size_t n_unls, cap_unls;
	struct keytab person_tab;
	struct strtab offices, strata, resp_ids;

	const struct schema *sch[N_SEC];
	const char *wnames[3][MAX_WFIELDS];
	size_t n_wnames[3];

	long n_sections[N_SEC];          /* sections seen, by kind */
	/* counts for stderr: read = used + other + sum of unlinked, per section */
	long n_read[N_SEC], n_used[N_SEC], n_other[N_SEC], n_unl[N_SEC][N_REASON];
	long n_written, n_persons_written, n_in_sample, n_responded[3];
	size_t peak_bytes;               /* the most held at once (store_note_peak) */
};

/* Record an unlinked row (written, sorted, by store_write_unlinked). */
void store_unlink(struct store *st, enum sec s, int32_t line, uint32_t person, uint32_t resp,
		  enum reason reason, enum detail detail, uint32_t aux);

/* Order of two rows of one wave and respondent: source_line, then the answers. */
int store_wrow_cmp(const struct store *st, const struct wrow *a, const struct wrow *b);

void key_format(const unsigned char *k, char *out);

/* The cohort of day number DAY (--cohorts): its index, months since year 0 divided by
 * the cohort's length; its label ("2006-03", "2006-Q1", "2006") into BUF (16 bytes). */
int store_cohort_of(const struct store *st, int day);
void store_cohort_label(const struct store *st, int cohort, char *buf);

/* resolve.c: decide every person's rows, write person/1 (with --cohorts cohort_person/1,
 * a row per person and cohort) to OUT (person_key order, then cohort). */
void resolve_and_write(struct store *st, struct rec_writer *out);
/* Write the unlinked rows, sorted by section, source_line, person_key, respondent_id
 * (W may be NULL: then they are only counted). */
void store_write_unlinked(struct store *st, struct rec_writer *w);
/* Counts on stderr; checks that every row read was accounted for. */
void store_report(const struct store *st);
size_t store_bytes(const struct store *st);
/* Note what is held now, plus EXTRA bytes of a copy being made, if it is the most yet. */
void store_note_peak(struct store *st, size_t extra);
void store_release(struct store *st);

#endif
