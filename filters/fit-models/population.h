/* population.h - the models' population conditions, compiled for the per-row loop.
 *
 * Why: fit-models tests every model's population on every input row (821 000 person rows
 * for a few thousand respondents), and the report's 16 models share 4 conditions built
 * from 6 comparisons. Walking each model's tree with strtod on every field cost more than
 * passing the row through. Compiled, each distinct comparison and each distinct
 * (sub)condition is evaluated at most once per row, a field's number is parsed at most
 * once per row (plain integers without strtod), and the operands of an and/or that cannot
 * fail are tried most-selective first (learned from the rows seen so far).
 *
 * The result is exactly cond_eval()'s (cond.h), including which column a failing ordering
 * comparison names: operands that can fail (an ordering comparison inside) are never moved,
 * and reordering happens only within runs of operands that cannot fail, whose and/or is
 * the same in any order. tests/fit-models/population_test.c checks the two against each
 * other on random conditions and values.
 *
 * Ownership: pop_compile() returns a set that lives for the run (no per-row allocation).
 */
#ifndef FM_POPULATION_H
#define FM_POPULATION_H

#include <stddef.h>
#include "spec.h"

struct pop_set;

/* Compile conds[0..n-1] (one per model; NULL = all rows). pop_id(p, i) is the compiled
 * condition of conds[i]: structurally equal conditions share an id. */
struct pop_set *pop_compile(struct cond *const *conds, size_t n);
void pop_free(struct pop_set *p);               /* accepts NULL */
size_t pop_id(const struct pop_set *p, size_t i);
size_t pop_count(const struct pop_set *p);      /* distinct conditions: ids 0..count-1 */

/* A new section: look up every column the conditions read (lookup returns -1 when absent;
 * a condition whose column is absent must not be evaluated in this section). */
void pop_section(struct pop_set *p, int (*lookup)(void *ctx, const char *name), void *ctx);

/* The conditions in use in this section (ids, repeats allowed; after pop_section). */
void pop_live(struct pop_set *p, const size_t *ids, size_t n);

/* A new row: get(ctx, field, &len) returns the field's text ("" = missing) and its length
 * in bytes; it is called at most once per field the evaluated conditions read. */
void pop_row(struct pop_set *p, const char *(*get)(void *ctx, int field, size_t *len), void *ctx);

/* Condition id on the current row: 1 in, 0 out, -1 when an ordering comparison met a
 * value that is not a number (*bad_column names its column), as cond_eval. */
int pop_eval(struct pop_set *p, size_t id, const char **bad_column);

/* 0 when every live condition is 0 on the current row (so no model takes the row and
 * none fails); 1 when some may be in or failing: then ask pop_eval. Cheap for the rows
 * of no population. */
int pop_any(struct pop_set *p);

#endif
