/* respondents.h - the people of the spec's sets, and the calibration of each set.
 *
 * The first pass keeps every person who belongs to at least one set (calspec.h) as a
 * respondent: the pattern of its calibration variables (cells.h), its sets and its design
 * weight, in stream order (13 bytes, and 8 a set for the weights). After the last person,
 * resp_calibrate builds each set's calibration problem from the cells (a column per kept
 * cell, the population counts as totals) and solves it (calibrate.h); the second pass
 * asks for the weights of the respondents in the same order.
 *
 * Why a row per pattern: respondents of the same pattern have the same x, so the same
 * x'eta and the same g. The problem has one row per pattern that occurs in the set, with
 * its respondents' design weights summed; each respondent then gets its own design weight
 * times its pattern's g. That is survey's calibration with a row per respondent, term for
 * term (T, the misfit, the rescaling and the stopping rule are the same sums, grouped), so
 * the weights agree to rounding; but the matrices are as large as the number of patterns
 * (hundreds), whatever the number of respondents.
 *
 * A set that cannot be calibrated stops the program (exit 1) with a message that names
 * the set, the margin and the cell: a cell without respondents, a cell out of reach within
 * the bounds, margins collinear among the respondents, no convergence. This is program
 * code, not library code: it calls die(). The work space lives in struct respondents, so
 * such an exit leaves nothing unreachable. Negative weights (linear calibration without
 * bounds) are allowed, as in R, with a warning on stderr.
 *
 * Ownership: resp_init keeps pointers to the spec, cells and options, which must outlive
 * it; resp_release frees what it allocated.
 */
#ifndef CW_RESPONDENTS_H
#define CW_RESPONDENTS_H

#include <stddef.h>
#include <stdint.h>

#include "calibrate.h"
#include "cells.h"
#include "calspec.h"

/* The work space of one set's calibration, sized once by the number of patterns. */
struct resp_scratch {
	size_t *row_of;              /* per pattern: its row in the set's problem, or CELLS_NONE */
	size_t *pattern_of;          /* per row: its pattern */
	long *people;                /* per row: respondents */
	double *x, *d, *g, *total;   /* the calibration problem (calibrate.h) and its answer */
	double *st;                  /* per cell: weighted sample total */
	long *count;                 /* per cell: respondents */
};

struct respondents {
	const struct calspec *spec;
	const struct cells *cells;
	const struct cal_options *opt;
	uint32_t *pattern;           /* cells.h pattern */
	unsigned char *sets;         /* bit k: in spec set k */
	double *d;                   /* design weight */
	double *w;                   /* n x nsets calibrated weights; NaN outside a set */
	size_t n, cap;
	struct resp_scratch work;
};

void resp_init(struct respondents *r, const struct calspec *spec, const struct cells *cells,
               const struct cal_options *opt);
void resp_release(struct respondents *r);

/* Keep a respondent (sets: a non-zero mask of spec sets). */
void resp_add(struct respondents *r, long pattern, unsigned sets, double d);

/* After cells_finish: calibrate every set, or stop the program naming the cell at fault.
 * With no person in the population there is nothing to calibrate (the weights stay NaN). */
void resp_calibrate(struct respondents *r);

/* The calibrated weight of respondent k in spec set `set` (NaN when not in the set). */
double resp_weight(const struct respondents *r, size_t k, size_t set);

#endif
