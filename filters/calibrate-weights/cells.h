/* cells.h - the margins' cells over the population, and the calibration columns.
 *
 * Why patterns: a person is counted once, as a pattern, the combination of the values of
 * every calibration variable (benefit, age_class, phase, ...). The table of patterns is as
 * large as the number of combinations that occur (hundreds), not the number of persons,
 * and everything calibration needs follows from it: each margin's cells and population
 * totals, and which cells are calibration columns. A respondent is kept as the index of
 * its pattern.
 *
 * Cells and their order: a margin's cells are the combinations of its variables' values
 * that occur in the population, in lexicographic order of the variables as the spec names
 * them, each variable's values in their schema order (enum: as declared; bool: 0, 1; int:
 * by value; text: by bytes), the empty value ("missing", a category of its own) last.
 * Cells are numbered margin after margin.
 *
 * Columns: every cell is a calibration target, but cells of different margins overlap
 * (benefit x age class and benefit x phase both add up to the benefit totals), so the
 * indicators of all cells are linearly dependent. Going through the cells in order, a cell
 * becomes a column unless its indicator over the population is a combination of the
 * columns before it - by R's qr() rule (dqrdc2, tol 1e-7: residual norm below 1e-7 of its
 * own norm), on the population's patterns, each weighted by its count. A cell left out is
 * met whenever the columns are. Typically the first margin keeps all its cells and a later
 * one loses, per level of a variable it shares with earlier margins, its last cell.
 *
 * Ownership: cells_new keeps a pointer to the spec, which must outlive it. All memory is
 * the patterns, cells and columns; cells_free releases it.
 */
#ifndef CW_CELLS_H
#define CW_CELLS_H

#include <stddef.h>

#include "calspec.h"

#define CELLS_MAX_LEVELS 250      /* values of one variable: it must be a category */
#define CELLS_QR_TOL 1e-7         /* R's qr() default */
#define CELLS_NONE ((size_t)-1)

struct cells;

struct cells *cells_new(const struct calspec *spec);
void cells_free(struct cells *c);

/* Count one person of the population: vals[k] is the value of spec->vars[k] ("" =
 * missing). Returns the person's pattern, or -1 with a message in err when a variable has
 * more than CELLS_MAX_LEVELS values. Only before cells_finish. */
long cells_add(struct cells *c, const char *const *vals, char *err, size_t errsz);

/* After the last person: order the cells and choose the columns. */
void cells_finish(struct cells *c);

size_t cells_npersons(const struct cells *c);
size_t cells_npatterns(const struct cells *c);
size_t cells_ncells(const struct cells *c);
size_t cells_ncolumns(const struct cells *c);
size_t cells_column_cell(const struct cells *c, size_t column);   /* the cell of a column */
size_t cells_cell_column(const struct cells *c, size_t cell);     /* or CELLS_NONE */
size_t cells_cell_margin(const struct cells *c, size_t cell);
double cells_population(const struct cells *c, size_t cell);      /* persons in the cell */
/* The cell of pattern in margin m. */
size_t cells_pattern_cell(const struct cells *c, size_t pattern, size_t m);
/* "benefit=wwb, age_class=55_plus" (a missing value: "on_benefit_12m missing") */
void cells_describe(const struct cells *c, size_t cell, char *buf, size_t bufsz);

#endif
