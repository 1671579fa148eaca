/* design.h - what fit-models keeps of the stream, and how a model's design is built.
 *
 * Why this shape: fit-models must pass a large person stream through and fit its models
 * at the end, so it keeps only what the specs need: one compact array of doubles per
 * needed column (outcome, terms, weight, strata; categorical values as level codes), for
 * the rows that fall in at least one model's population, plus per model the list of its
 * rows (4 bytes each). Population conditions are evaluated while streaming, on the text
 * of the fields, so their columns are not kept. Bytes per kept row: 8 per stored column
 * plus 4 per model whose population holds the row.
 */
#ifndef FM_DESIGN_H
#define FM_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include "spec.h"
#include "glm.h"
#include "sample.h"

struct fm_var {                /* a stored column */
	char *name;
	int categorical;           /* values are level codes */
	int is_bool;               /* numeric from a bool field: AME as the change 0 -> 1 */
	int enum_order;            /* levels seeded from an enum: keep that order */
	char **levels;             /* categorical: in first-seen (or enum) order */
	size_t n_levels;
	size_t last_hit;
	double *v;                 /* one value per stored row; NaN = missing */
	int field;                 /* index in the current section, -1 = absent */
	int is_num_field;          /* diagnostic: field type */
};

struct fm_store {
	struct fm_var *vars;
	size_t n_vars;
	size_t n_rows, cap;
};

struct fm_term {               /* a resolved spec term */
	int var;                   /* main effect: the stored column; -1 for an interaction */
	int categorical;
	int ref;                   /* categorical: level code of the reference, -1 = first */
};

struct fm_model {
	struct spec_model *spec;
	struct fm_term *terms;     /* spec->n_terms */
	int resolved;              /* kinds settled against a schema */
	const char *weight_column; /* the weight it uses: the spec's, or (--calibrated) its
				    * respondent set's calibrated weight; NULL unweighted */
	int set;                   /* calibrated: the calibration spec's set, -1 none */
	int outcome, weight, strata;   /* stored columns (-1 none) */
	int design_weight;         /* calibrated: the stored design weight column (-1 none) */
	struct fm_sample *sample;  /* variance design: the sample its rows are a domain of */
	uint32_t *rows;            /* stored rows in the population */
	size_t n_rows, cap;
	size_t pop;                /* its population condition in the compiled set (population.h) */
	int usable;                /* the current section carries every column */
	size_t sections;           /* sections that were usable */
	const char *absent;        /* a column missing from the last section, for the message */
};

struct fm_options {
	struct glm_options glm;
	long min_rows;             /* --min-rows: fewer rows is a tiny_population warning */
	double min_events;         /* --min-events: per coefficient, logit */
};

struct fm_coef {
	char *term;
	int aliased;
	double estimate, se, statistic, p, ci_low, ci_high, ratio, ratio_low, ratio_high, ame, ame_se;
};

enum { ST_OK, ST_WARNING, ST_FAILED };

struct fm_result {
	size_t n;                  /* rows used */
	size_t n_population;       /* rows in the population before complete cases */
	double weighted_n;
	struct glm_fit g;
	int have_fit;
	int status;
	char *warnings;            /* ';'-separated */
	struct fm_coef *coef;
	size_t n_coef;
};

/* Fit model m on the stored rows; fills r (allocations owned by r). Writes each
 * diagnostic to stderr as it is found. The model's sample (variance design) is finished. */
void fm_fit_model(struct fm_model *m, struct fm_store *st, const struct fm_options *o, struct fm_result *r);

#endif
