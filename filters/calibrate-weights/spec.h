/* spec.h - the calibration spec (pipelines/eerste-jaar/calibration.spec).
 *
 * Line oriented; `#` starts a comment (at the start of a line or after white space).
 * Statements:
 *   method linear|raking|logit      required: survey's calfun
 *   bounds LOWER UPPER              bounds on the g-weights (default -inf inf); logit
 *                                   needs both finite, and always LOWER < 1 < UPPER
 *   weight COLUMN                   required: the design weight column (num)
 *   set COLUMN ATOM [& ATOM]...     a respondent set: the people with every ATOM (a bool
 *                                   column) = 1 get a calibrated weight in COLUMN, a weight
 *                                   column of the output schema; each weight column once
 *   margin VAR [VAR...]             a margin: the population totals of every combination of
 *                                   the VARs' values (a cell) are calibration targets; VARs
 *                                   are categorical columns (bool, int, enum, text), an
 *                                   empty value is a category of its own
 *
 * spec_load checks every name against the schemas it is given, so a spec that parses is a
 * spec the stage can run. A loaded spec lives until spec_free; its strings and arrays are
 * owned by it, and field pointers point into the schemas (which live for the run).
 */
#ifndef CW_SPEC_H
#define CW_SPEC_H

#include <stddef.h>

#include "calibrate.h"
#include "schema.h"

#define SPEC_MAX_SETS 8           /* a person's set membership is a bit mask */
#define SPEC_MAX_MARGIN_VARS 8

/* A categorical column the margins use (each once, in order of first use). */
struct spec_var {
	char *name;
	const struct schema_field *field;    /* in the input schema */
};

struct spec_margin {
	size_t *vars;                 /* indexes into spec.vars */
	size_t nvars;
	char *name;                   /* "benefit*age_class" */
	int line;
};

struct spec_set {
	char *column;                 /* the weight column it fills */
	char **atoms;                 /* bool columns that must be 1 */
	size_t natoms;
	char *text;                   /* the condition as written, atoms joined by " & " */
	int line;
};

struct cw_spec {
	char *path;
	int has_method;
	enum cal_method method;
	double lower, upper;          /* bounds */
	char *weight;                 /* the design weight column */
	struct spec_set *sets;
	size_t nsets;
	struct spec_margin *margins;
	size_t nmargins;
	struct spec_var *vars;
	size_t nvars;
};

/* Read PATH. in = the schema read (person_support/1); weight_cols = the columns the stage
 * adds for weights (set columns must be among them, each used once, none left over).
 * Returns NULL with "PATH:LINE: problem" in err on any error. */
struct cw_spec *spec_load(const char *path, const struct schema *in,
                          const char *const *weight_cols, size_t nweight_cols,
                          char *err, size_t errsz);
void spec_free(struct cw_spec *s);

/* The margins as one line, "benefit*age_class+benefit*phase" (for the method tag), in
 * memory the caller frees. */
char *spec_margins_text(const struct cw_spec *s);

/* linear|raking|logit -> method; -1 when unknown */
int spec_parse_method(const char *word);

#endif
