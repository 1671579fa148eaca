/* runset.h - the published cells of one or more runs: what compare-runs and trend-page read.
 *
 * A run is the table/1 cells of one published report: a tables.csv (one run per input
 * file, named by the file), or one run's section of a history/1 stream (REPORTS/history.gz:
 * one section per run, named by its `run` column; history-stamp writes them). The loader
 * is fed record by record from the filter driver's callbacks (runset_section, runset_record),
 * so the reading, the schema check and the messages are the driver's.
 *
 * What a run keeps of a cell is what was published: a suppressed cell keeps no estimate,
 * interval, n or symbol even when its input row had one (a table/1 row of a suppressed
 * cell has none, and compare-runs must never be the place where one leaks out).
 *
 * A cell is keyed by table/1's first six fields (table, benefit, period, population, row,
 * measure), which tabulate writes once each: a key that repeats within a run is an error.
 *
 * Ownership: struct runset owns every run, cell and string until runset_release.
 */
#ifndef KETEN_RUNSET_H
#define KETEN_RUNSET_H

#include <stddef.h>

#include "rec.h"

enum { KEY_FIELDS = 6 };

struct cell {
	char *key[KEY_FIELDS];       /* table, benefit, period, population, row, measure */
	double est, lo, hi;          /* NaN when missing (always, when suppressed) */
	long n;                      /* -1 when missing (always, when suppressed) */
	int suppressed;
	char *symbol;                /* "" when missing (always, when suppressed) */
	char *method;                /* the cell's method tag ("" when missing) */
	long line;                   /* where it was read, for the repeated-key message */
};

struct run {
	char *name;                  /* history: the run stamp; tables: the file's name */
	const char *file;            /* the input it came from (points into argv) */
	long publication;            /* history: its publication number; tables: 0 */
	char *published, *code_version, *extracts_sha256, *peildatum;   /* history only ("" else) */
	struct cell *cells;          /* in the order read */
	size_t n, cap;
};

struct runset {
	struct run *v;
	size_t n;
	int history;                 /* 1 when the runs came from history/1 sections */
	/* the current section's field indexes, looked up once per section */
	int ix_key[KEY_FIELDS], ix_est, ix_lo, ix_hi, ix_n, ix_supp, ix_symbol, ix_method;
	int ix_run, ix_pub, ix_published, ix_code, ix_sha, ix_peil;
	const char *file;            /* the input being read */
	struct run *current;         /* the run of the current section (tables) or record */
};

/* A section began in FILE: table/1 (a run of its own per file) or history/1 (runs by the
 * `run` column). Returns 0, or REC_ERROR with a refusal in the reader (another schema, or
 * table/1 and history/1 mixed). */
int runset_section(struct runset *rs, struct rec_reader *r, const char *file);
/* A record of the current section. Returns 0 or REC_ERROR (a value refused, a repeated
 * cell key). */
int runset_record(struct runset *rs, struct rec_reader *r);

/* The run named NAME, or NULL. */
struct run *runset_find(const struct runset *rs, const char *name);

/* Cells of RUN sorted by key, as an array of pointers (the caller frees it). A key that
 * repeats gives NULL, with "FILE:LINE: row: cell ... repeated (first at line N)" in err. */
const struct cell **runset_sorted(const struct run *run, char *err, size_t errsz);

/* Compare two cells by key (strcmp field by field). */
int cell_key_cmp(const struct cell *a, const struct cell *b);

/* The cell of SORTED (runset_sorted, N cells) with KEY's key, or NULL. */
const struct cell *runset_lookup(const struct cell **sorted, size_t n, const struct cell *key);

void runset_release(struct runset *rs);

#endif
