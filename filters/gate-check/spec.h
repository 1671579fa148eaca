/* spec.h - the gate spec (pipelines/eerste-jaar/gates.spec): which quality gates a run must
 * pass before it is published, and their limits.
 *
 * One statement a line, the first word names it, '#' starts a comment line:
 *
 *   rows SHRINK GROW [KIND]   rows per raw kind against the last published run: fail when
 *                             the kind has fewer than (1 - SHRINK) or more than (1 + GROW)
 *                             times its rows there; with KIND, for that kind only
 *   reject-rate MAX           share of a file's rows ingest may refuse (passed to ingest
 *                             as --max-reject-rate, and checked again here)
 *   cells                     every cell with a value in the last published report still
 *                             has one, unless it is now suppressed (disclosure control)
 *   cells-optional MEASURE... cells of these measures are left out of `cells`: their value
 *                             is missing by design when an effect is not significant
 *                             (ame_scaled: the bar is drawn only for a significant effect)
 *   headline-n DROP           a headline figure's n may not fall below (1 - DROP) times
 *                             its n in the last published report
 *   headline T B P POP ROW M  a headline figure: its table/1 key (table, benefit, period,
 *                             population, row, measure)
 *   registry T[/ROW]...       the cells a registry-only run makes (the cells gate looks
 *                             only at these when the run has no survey files)
 *   peildatum                 R3's extract date is not earlier than in the last published run
 *   extracts                  the raw files did not change while the run read them
 *
 * A gate whose statement is absent is not checked. Parsing checks every number (a share
 * in [0, 1], GROW >= 0) and every name; a mistake is "FILE:LINE: problem".
 *
 * Ownership: gate_spec_load fills a caller's struct; strings are owned by it until
 * gate_spec_release.
 */
#ifndef GATE_SPEC_H
#define GATE_SPEC_H

#include <stddef.h>

enum gate_id { G_ROWS, G_REJECT_RATE, G_CELLS, G_HEADLINE_N, G_PEILDATUM, G_EXTRACTS, N_GATES };

/* "rows", "reject-rate", "cells", "headline-n", "peildatum", "extracts": the names
 * --accept takes. */
extern const char *const gate_names[N_GATES];

/* The gate called NAME, or -1. */
int gate_by_name(const char *name);

struct rows_limit {
	char *kind;                /* NULL: every kind without a line of its own */
	double shrink, grow;
};

struct gate_spec {
	int on[N_GATES];           /* the gate has a statement */
	struct rows_limit *rows;
	size_t nrows;
	double reject_rate;
	double headline_drop;
	char **headline;           /* "table,benefit,period,population,row,measure" */
	size_t nheadline;
	char **registry;           /* "table" or "table/row" */
	size_t nregistry;
	char **optional;           /* measures the cells gate leaves out */
	size_t noptional;
};

/* Read PATH into S. Returns 0, or -1 with "PATH:LINE: problem" in err. */
int gate_spec_load(struct gate_spec *s, const char *path, char *err, size_t errsz);
void gate_spec_release(struct gate_spec *s);

/* The limits for KIND (its own line, else the general one); NULL when rows is off. */
const struct rows_limit *gate_spec_rows(const struct gate_spec *s, const char *kind);

#endif
