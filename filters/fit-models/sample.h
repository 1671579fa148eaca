/* sample.h - the sample a design-variance model's rows are a domain of.
 *
 * Why: survey's svyglm on subset(design, population) takes the model's rows as a domain of
 * the whole sample - every stratum's n_h counts the sample's people, not the model's rows,
 * and after calibrate() every person of the calibrated set enters the variance through the
 * calibration's residuals (svyvar.h). So besides the rows of its population a model with
 * `variance design` needs its design's sample, which fit-models counts while streaming:
 *
 *   - design weights: the rows with the weight column (and the strata column) present -
 *     everyone sampled, in the report's stream (the design weight is empty for the others);
 *   - unweighted: the rows with the strata column present (every row without strata);
 *   - calibrated weights (fit-models --calibrated): the rows with the set's calibrated
 *     weight present - the respondent set calibrate-weights calibrated - with their design
 *     weight and their values of the calibration spec's margin variables.
 *
 * Models that share the weight, strata and set share a sample. Memory: the sample's sums
 * (svyvar.h: strata and patterns) and 8 bytes per stored row (its slot), never the sample's
 * rows themselves.
 *
 * Ownership: a sample owns its svy_design and slot array (fm_sample_release); it points to
 * the calibration spec, which outlives it.
 */
#ifndef FM_SAMPLE_H
#define FM_SAMPLE_H

#include <stddef.h>

#include "calspec.h"
#include "rec.h"
#include "svyvar.h"

struct fm_sample {
	const char *weight;          /* the weight column; NULL unweighted */
	const char *strata;          /* the strata column; NULL: one stratum */
	const struct calspec *cal;   /* calibrated: the spec, and the set */
	int set;                     /* -1: not calibrated */
	int strata_var;              /* the store's column of strata (its level codes), -1 none */
	/* the current section */
	int live;                    /* a model of this sample uses the section */
	int f_weight, f_strata, f_design;   /* field indexes (-1 absent) */
	int *f_vars;                 /* calibrated: the spec's margin variables */
	const char **vals;           /* scratch: their values */
	/* what the sample holds */
	struct svy_design *svy;
	long current;                /* the current row's slot, -1 outside the sample */
	long *slot;                  /* per stored row: its slot, -1 outside the sample */
	size_t n_slots, cap;
};

/* A sample for the weight column (NULL: unweighted), the strata column (NULL: none) and,
 * when cal is not NULL, calibration set `set` of cal. */
void fm_sample_init(struct fm_sample *s, const char *weight, const char *strata,
		    const struct calspec *cal, int set);
void fm_sample_release(struct fm_sample *s);

/* A section that a model of this sample uses: its fields. Returns 0, or -1 with the name of
 * an absent column in *absent. */
int fm_sample_section(struct fm_sample *s, const struct rec_reader *r, const char **absent);

/* Is the current row in the sample? Then *stratum_text is its stratum's value ("" when
 * there are no strata) and 1 is returned; 0 otherwise. */
int fm_sample_has(const struct fm_sample *s, const struct rec_reader *r, const char **stratum_text);

/* The current row is in the sample, in stratum `stratum` (the caller's code): count it.
 * Sets s->current. Returns 0, or -1 when a value is refused (the reader has the message). */
int fm_sample_add(struct fm_sample *s, struct rec_reader *r, size_t stratum);

/* Stored row `row` is the current row: remember its slot. */
void fm_sample_keep(struct fm_sample *s, size_t row);

/* After the last row. Returns 0, or -1 with the problem in err. */
int fm_sample_finish(struct fm_sample *s, char *err, size_t errsz);

#endif
