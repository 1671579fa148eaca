/* respondents.h - the people of the spec's sets, and the calibration of each set.
 *
 * The first pass keeps every person who belongs to at least one set (spec.h) as a
 * respondent: the pattern of its calibration variables (cells.h), its sets and its design
 * weight, 16 bytes, in stream order. After the last person, resp_calibrate builds each
 * set's calibration problem from the cells (a column per kept cell, the population counts
 * as totals) and solves it (calibrate.h); the second pass asks for the weights of the
 * respondents in the same order.
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
#include "spec.h"

/* The work space of one set's calibration, sized once for every respondent. */
struct resp_scratch {
	size_t *members;             /* the set's respondents */
	double *x, *d, *g, *total;   /* the calibration problem (calibrate.h) and its answer */
	double *st;                  /* per cell: weighted sample total */
	long *count;                 /* per cell: respondents */
};

struct respondents {
	const struct cw_spec *spec;
	const struct cells *cells;
	const struct cal_options *opt;
	uint32_t *pattern;           /* cells.h pattern */
	unsigned char *sets;         /* bit k: in spec set k */
	double *d;                   /* design weight */
	double *w;                   /* n x nsets calibrated weights; NaN outside a set */
	size_t n, cap;
	struct resp_scratch work;
};

void resp_init(struct respondents *r, const struct cw_spec *spec, const struct cells *cells,
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
