/* runcmp.h - two published runs compared cell by cell: the records of change/1 (or
 * cohort_change/1), handed to a callback one by one.
 *
 * Why in the library: compare-runs writes them as a stream (the run's changes.rec.gz), and
 * tabulate --previous shows them on the pages it makes in the chain, without a second
 * pass over the person stream after it. Both get the same records from the same code, so
 * the pages say what changes.csv says.
 *
 * The records, in order: a method record per (table, old method, new method) whose tag
 * differs between the runs; then a record per cell of NEW (its OLD side, or none: new);
 * then a record per cell of OLD that NEW lacks (gone). Each cell is judged by verdict.h.
 *
 * Ownership: the runs (runset.h) outlive the comparison; a change's strings point into
 * them. runcmp_release frees what the comparison holds.
 */
#ifndef KETEN_RUNCMP_H
#define KETEN_RUNCMP_H

#include <stddef.h>

#include "runset.h"
#include "verdict.h"

/* A table whose method tag changed, and on how many cells. */
struct method_change {
	const char *table, *old_method, *new_method;
	size_t cells;
};

/* One record. A method record has key[0] (the table), the methods and cells only. */
struct runcmp_change {
	int method_record;
	const char *key[KEY_FIELDS];  /* the kind's key fields; NULL past key[0] in a method record */
	struct judged judged;         /* a cell record's verdict, difference and z */
	int method_changed;           /* a cell record: the cell's method tag differs */
	struct side old_side, new_side;   /* as judged (verdict.h); a side's figures are shown
					   * only when present and not suppressed */
	const char *old_method, *new_method;   /* "" for a side that is not there */
	size_t cells;                 /* a method record: the cells under the change */
};

struct runcmp {
	const struct runkind *kind;
	struct verdict_test test;
	struct tally tally;           /* every cell record's verdict (compare-runs --summary) */
	struct method_change *mc;
	size_t n_mc;
	const struct run *old, *new_;
	const struct cell **old_sorted, **new_sorted;
};

/* Get ready to compare OLD -> NEW of KIND with TEST: sort both runs, find the tables whose
 * method changed. Returns 0, or -1 with the message in ERR (a key that repeats in a run). */
int runcmp_prepare(struct runcmp *c, const struct runkind *kind, const struct verdict_test *test,
		   const struct run *old, const struct run *new_, char *err, size_t errsz);

/* Hand every record to fn(ctx, change), in the order above, and count the cells in
 * c->tally. fn returns 0, or -1 to stop (runcmp_emit then returns -1). */
int runcmp_emit(struct runcmp *c, int (*fn)(void *ctx, const struct runcmp_change *ch), void *ctx);

/* The tables whose method changed, each once, ", "-joined into BUF ("" when none). */
void runcmp_method_tables(const struct runcmp *c, char *buf, size_t bufsz);

void runcmp_release(struct runcmp *c);

#endif
