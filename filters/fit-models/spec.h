/* spec.h - model specs of fit-models: the parsed form of pipelines/ *.spec files.
 *
 * A spec file holds one block per model (see the top of pipelines/eerste-jaar/models.spec
 * and `fit-models --help` for the format). Parsing checks the syntax only; which column
 * is numeric or categorical, and whether a reference level exists, is settled against the
 * schema of the first section that carries the model's columns (fit-models.c).
 *
 * Ownership: spec_parse() returns models that live for the whole run (never freed: the
 * program ends after fitting). Strings are owned by the structures.
 */
#ifndef FM_SPEC_H
#define FM_SPEC_H

#include <stddef.h>
#include <stdint.h>

enum fm_family { FAM_LOGIT, FAM_LINEAR, FAM_POISSON, FAM_NEGBIN };
enum fm_variance { VAR_MODEL, VAR_HC0, VAR_HC1, VAR_DESIGN };
enum fm_kind { KIND_AUTO, KIND_NUMERIC, KIND_CATEGORICAL };

/* A population condition: a small expression tree over column values (text). */
enum cond_op { C_ALL, C_AND, C_OR, C_NOT, C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IN, C_MISSING };

struct cond {
	enum cond_op op;
	struct cond *a, *b;          /* C_AND, C_OR: both; C_NOT: a */
	char *column;                /* comparisons, C_IN, C_MISSING */
	int field;                   /* index in the current section (set per section; -1 absent) */
	char **values;               /* the literal (one) or the C_IN list */
	double *numbers;             /* each literal as a number, NaN when it is not one */
	size_t n_values;
};

/* One `term` line: a main effect (one column) or an interaction (2..4 main effects). */
#define FM_MAX_INTERACT 4
struct spec_term {
	char *column;                /* main effect: the column; interaction: NULL */
	enum fm_kind kind;           /* as written (KIND_AUTO: from the schema type) */
	char *ref;                   /* categorical: the reference level, NULL = the first level */
	int n_parts;                 /* interaction: how many main-effect terms */
	int part[FM_MAX_INTERACT];   /* interaction: indexes of earlier main-effect terms */
	char *text;                  /* as written, for messages */
	int line;
};

/* `contrast NAME = c1*TERM1 + c2*TERM2 ...`: a linear combination of coefficients. */
struct spec_contrast {
	char *name;
	size_t n;
	char **term;                 /* coefficient names as model_coef writes them */
	double *coef;
	int line;
};

struct spec_model {
	char *name;
	const char *file;            /* the spec file, for messages */
	int line;                    /* line of the `model` keyword */
	enum fm_family family;
	char *outcome;
	char *population;            /* as written ("all" when absent) */
	struct cond *cond;
	int weighted;                /* weights design */
	char *weight_column;         /* design_weight unless named */
	enum fm_variance variance;
	char *strata_column;         /* variance design: stratum unless named; NULL = no strata */
	struct spec_term *terms;
	size_t n_terms;
	struct spec_contrast *contrasts;
	size_t n_contrasts;
	uint64_t hash;               /* FNV-1a 64 of the block's normalized text */
};

/* Parse FILE and append its models to *models (*n of them, growing). On a syntax error,
 * returns -1 with "FILE:LINE: problem" in err. Model names must be unique across files. */
int spec_parse(const char *file, struct spec_model **models, size_t *n, char *err, size_t errsz);

const char *spec_family_name(enum fm_family f);
const char *spec_variance_name(enum fm_variance v);

/* Columns a condition reads, appended to names (duplicates allowed). */
void cond_columns(const struct cond *c, void (*add)(void *ctx, const char *name), void *ctx);

/* Resolve field indexes for the current section; lookup returns -1 when absent.
 * Returns 0 when every column is there, else -1 and *missing names the first absent one. */
int cond_resolve(struct cond *c, int (*lookup)(void *ctx, const char *name), void *ctx,
                 const char **missing);

/* Evaluate on the current record: the definition of a condition's meaning. fit-models
 * itself runs the compiled form (population.h), checked against this one by
 * tests/fit-models/population_test.c. get(ctx, field) returns the field's text ("" missing).
 * A comparison with a missing value is false (so is `!=`); `missing(COL)` tests for it.
 * Ordering comparisons need a number: on a value that is not one, returns -1 and sets
 * *bad_column (the caller reports file, line and column). */
int cond_eval(const struct cond *c, const char *(*get)(void *ctx, int field), void *ctx,
              const char **bad_column);

#endif
