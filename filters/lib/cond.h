/* cond.h - the one condition language: which rows a model or a table is about.
 *
 * Why one: populations were written twice, in two grammars (models.spec's `benefit == ww
 * and on_benefit_6m == 1`, tables.spec's `on_benefit_6m responded_w3`), by two parsers, and
 * drifted. Here is the only grammar, and named populations (a populations file, e.g.
 * pipelines/eerste-jaar/populations.spec) let every spec write a population once and
 * refer to it by name, so a method change (which wave H1 uses) is made in one place.
 *
 *   cond    := or
 *   or      := and { "or" and }
 *   and     := not { ("and" | "&") not }
 *   not     := "not" not | primary
 *   primary := "(" cond ")" | "all" | "missing(" COL ")" | NAME
 *            | COL                              a bool column that is 1 (tabulate's atom)
 *            | COL ("==" | "=") V { "|" V }     one of the values
 *            | COL "!=" V { "|" V }             none of the values
 *            | COL ("<" | "<=" | ">" | ">=") NUMBER
 *            | COL "in" "(" V { "," V } ")"     one of the values
 *   V       := a word (letters, digits, _ . - +) or a "quoted" string
 *
 * Meaning, on a record's text: a comparison with a missing (empty) value is false - `!=`
 * too; `missing(COL)` tests for it. Two values are equal when both read as numbers and the
 * numbers are equal, else when the texts are. An ordering comparison needs a number: on a
 * value that is not one the condition fails (-1) and names the column. `and` and `or` go
 * left to right and stop at the first operand that settles them (a failing operand
 * settles them too).
 *
 * Names: a populations file holds lines `population NAME = CONDITION` ('#' comments, a
 * line ending in '\' continues); a name may use the names defined above it (so there are
 * no cycles). In a condition, a word that is a defined name stands for its condition
 * (names come before columns: do not name a population like a column). cond_parse gives
 * the condition's text with every name replaced by its definition (parenthesised where
 * the grammar needs it), which is what a model records and hashes: the population is
 * described by what it is, whichever names were used to write it.
 *
 * Depth: a condition nested deeper than COND_MAX_DEPTH (parentheses, `not`, names within
 * names) is refused when it is parsed; chains of `and`/`or` are flat (one node with many
 * operands), so nothing the input controls makes the evaluation recurse deeper.
 *
 * Ownership: cond_parse returns a tree owned by the caller (cond_free); strings inside are
 * the tree's. A cond_names set owns its definitions.
 */
#ifndef KETEN_COND_H
#define KETEN_COND_H

#include <stddef.h>

#include "schema.h"

#define COND_MAX_DEPTH 64

enum cond_op { C_ALL, C_AND, C_OR, C_NOT, C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IN, C_MISSING };

struct cond {
	enum cond_op op;
	struct cond **kids;          /* C_AND, C_OR: two or more operands in order; C_NOT: one */
	size_t n_kids;
	char *column;                /* comparisons, C_IN, C_MISSING */
	int field;                   /* index in the current section (cond_resolve; -1 absent) */
	char **values;               /* the literals */
	double *numbers;             /* each literal as a number, NaN when it is not one */
	size_t n_values;
	int bare;                    /* written as a bare COL (== 1): must be a bool column */
};

struct cond_names;

struct cond_names *cond_names_new(void);
void cond_names_free(struct cond_names *n);           /* accepts NULL */
/* Add the populations of FILE. Returns 0, or -1 with "FILE:LINE: problem" in err. */
int cond_names_load(struct cond_names *n, const char *file, char *err, size_t errsz);
/* The definition of NAME, expanded (see above), or NULL. */
const char *cond_names_text(const struct cond_names *n, const char *name);

/* Parse TEXT (names may be NULL). Returns the tree, or NULL with the problem in err ("')'
 * expected"). When expanded is not NULL, *expanded receives the text with names replaced
 * (the caller frees it). */
struct cond *cond_parse(const char *text, const struct cond_names *names, char **expanded,
			char *err, size_t errsz);
void cond_free(struct cond *c);                       /* accepts NULL */

/* Columns a condition reads, each passed to add (duplicates possible). */
void cond_columns(const struct cond *c, void (*add)(void *ctx, const char *name), void *ctx);

/* Field indexes for the current section; lookup returns -1 when absent. Returns 0 when
 * every column is there, else -1 and *missing names the first absent one. */
int cond_resolve(struct cond *c, int (*lookup)(void *ctx, const char *name), void *ctx,
		 const char **missing);

/* Resolve against schema S and check what the schema can tell: a bare COL must be a bool
 * column. Returns 0, or -1 with "COLUMN: problem" in err. */
int cond_compile(struct cond *c, const struct schema *s, char *err, size_t errsz);

/* Evaluate on the current record (after cond_resolve): 1 in, 0 out, -1 when an ordering
 * comparison met a value that is not a number (*bad_column names its column). get(ctx,
 * field) returns the field's text, "" when missing. This is the definition of a
 * condition's meaning; fit-models runs a compiled form checked against it
 * (tests/fit-models/population_test.c). */
int cond_eval(const struct cond *c, const char *(*get)(void *ctx, int field), void *ctx,
	      const char **bad_column);

#endif
