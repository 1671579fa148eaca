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

#include "cond.h"

enum fm_family { FAM_LOGIT, FAM_LINEAR, FAM_POISSON, FAM_NEGBIN };
enum fm_variance { VAR_MODEL, VAR_HC0, VAR_HC1, VAR_DESIGN };
enum fm_kind { KIND_AUTO, KIND_NUMERIC, KIND_CATEGORICAL };

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
	char *population;            /* as written, names replaced by their definitions ("all"
				      * when absent); hashed so */
	struct cond *cond;           /* cond.h */
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

/* Parse FILE and append its models to *models (*n of them, growing). Population names
 * come from POPULATIONS when it is not NULL (--populations), else from the file's own
 * `populations FILE` line (a file beside it), else there are none. On a syntax error,
 * returns -1 with "FILE:LINE: problem" in err. Model names must be unique across files. */
int spec_parse(const char *file, const char *populations, struct spec_model **models, size_t *n,
	       char *err, size_t errsz);

const char *spec_family_name(enum fm_family f);
const char *spec_variance_name(enum fm_variance v);

#endif
