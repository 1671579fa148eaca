/* runset.h - the published cells of one or more runs: what compare-runs and trend-page read.
 *
 * A run is the published cells of one run of a pipeline, of one of two kinds (struct
 * runkind, chosen by the first section's schema; the kinds never mix):
 *   the report's: the table/1 cells of a tables.csv (one run per input file, named by the
 *     file), or one run's section of a history/1 stream (REPORTS/history.gz: one section
 *     per run, named by its `run` column; history-stamp writes them);
 *   the registry monitor's: the cohort_table/1 cells of its tables, or one run's section of
 *     a cohort_history/1 stream (the monitor's history.gz).
 * The loader is fed record by record from the filter driver's callbacks (runset_section,
 * runset_record), so the reading, the schema check and the messages are the driver's.
 *
 * What a run keeps of a cell is what was published: a suppressed cell keeps no estimate,
 * interval, n or symbol even when its input row had one (a table/1 row of a suppressed
 * cell has none, and compare-runs must never be the place where one leaks out).
 *
 * A cell is keyed by its kind's key fields, which the table's writer writes once each: a
 * key that repeats within a run is an error. table/1: table, benefit, period, population,
 * row, measure and weighted (tabulate --weights both writes each survey cell twice, weighted
 * and unweighted; a history member written before the pipeline did so has each survey cell
 * once, with the column: weighted=1, or 0 for a registry cell). cohort_table/1: table,
 * cohort_kind, cohort, benefit, population, row, measure.
 *
 * A cohort figure that is not_yet_known is not a published cell: the run keeps nothing of
 * it, so a figure that becomes known is new in the later run, not a change; its status
 * suppressed is the suppressed flag.
 *
 * Ownership: struct runset owns every run, cell and string until runset_release.
 */
#ifndef KETEN_RUNSET_H
#define KETEN_RUNSET_H

#include <stddef.h>

#include "rec.h"

enum { KEY_FIELDS = 7 };

/* What the runs are: the schemas read, the key, what compare-runs writes. */
struct runkind {
	const char *table_schema, *history_schema, *change_schema;
	const char *key_names[KEY_FIELDS];
	int lead_keys;               /* the change schema's first columns are key_names[0..lead_keys-1],
				      * the other key fields its last columns */
	int cohort;                  /* 1: cohort_table/1 (status instead of suppressed and symbol) */
};

extern const struct runkind runkind_table, runkind_cohort;

struct cell {
	char *key[KEY_FIELDS];       /* the kind's key fields (struct runkind) */
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
	const struct runkind *kind;  /* of the first section (NULL before it) */
	int history;                 /* 1 when the runs came from history sections */
	/* the current section's field indexes, looked up once per section */
	int ix_key[KEY_FIELDS], ix_est, ix_lo, ix_hi, ix_n, ix_supp, ix_symbol, ix_method, ix_status;
	int ix_run, ix_pub, ix_published, ix_code, ix_sha, ix_peil;
	const char *file;            /* the input being read */
	const char *reading;         /* runset_read's PATH (it lives for the run) */
	struct run *current;         /* the run of the current section (tables) or record */
};

/* A section began in FILE: a table (table/1, cohort_table/1: a run of its own per file) or
 * a history (history/1, cohort_history/1: runs by the `run` column). Returns 0, or
 * REC_ERROR with a refusal in the reader (another schema, tables and histories mixed, or
 * the report's and the monitor's mixed). */
int runset_section(struct runset *rs, struct rec_reader *r, const char *file);
/* A record of the current section. Returns 0 or REC_ERROR (a value refused). A cohort
 * figure not yet known is skipped. */
int runset_record(struct runset *rs, struct rec_reader *r);

/* One input (PATH; NULL or "-" = stdin) read whole into RS through the filter driver's
 * reading (filter.h), section by section as above. Returns 0, or -1 (message printed). */
int runset_read(struct runset *rs, const char *path);

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
