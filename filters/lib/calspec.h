/* calspec.h - the calibration spec (pipelines/eerste-jaar/calibration.spec): which
 * respondent sets get calibrated weights, on which margins, by which method.
 *
 * Why in the library: calibrate-weights makes the weights from it, and the stages that use
 * the weights (fit-models, tabulate) read the same spec to know each weight column's set
 * and margins - the variance of a calibrated estimate needs the calibration's variables
 * (svyvar.h) - so one parser serves all three.
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
 * calspec_load checks every name against the schemas it is given, so a spec that parses is a
 * spec the stage can run. A loaded spec lives until calspec_free; its strings and arrays are
 * owned by it, and field pointers point into the schemas (which live for the run).
 */
#ifndef KETEN_CALSPEC_H
#define KETEN_CALSPEC_H

#include <stddef.h>

#include "cond.h"
#include "schema.h"

/* survey's calfun: the calibration function (calibrate-weights' calibrate.h) */
enum cal_method { CAL_LINEAR, CAL_RAKING, CAL_LOGIT };

/* The stream the calibration reads and the one it writes: the output is the input, then
 * CALSPEC_METHOD_COLUMN (the method tag), then one weight column per set. */
#define CALSPEC_IN_SCHEMA "person_support/1"
#define CALSPEC_OUT_SCHEMA "person_calibrated/1"
#define CALSPEC_METHOD_COLUMN "calibration_method"

#define CALSPEC_MAX_SETS 8           /* a person's set membership is a bit mask */
#define CALSPEC_MAX_MARGIN_VARS 8

/* A categorical column the margins use (each once, in order of first use). */
struct calspec_var {
	char *name;
	const struct schema_field *field;    /* in the input schema */
};

struct calspec_margin {
	size_t *vars;                 /* indexes into spec.vars */
	size_t nvars;
	char *name;                   /* "benefit*age_class" */
	int line;
};

struct calspec_set {
	char *column;                 /* the weight column it fills */
	char **atoms;                 /* bool columns that must be 1 */
	size_t natoms;
	char *text;                   /* the condition as written, atoms joined by " & " */
	int line;
};

struct calspec {
	char *path;
	int has_method;
	enum cal_method method;
	double lower, upper;          /* bounds */
	char *weight;                 /* the design weight column */
	struct calspec_set *sets;
	size_t nsets;
	struct calspec_margin *margins;
	size_t nmargins;
	struct calspec_var *vars;
	size_t nvars;
};

/* The two schemas, checked to be as described above: *in and *out, and the weight columns
 * in the output's order (*weight_cols, *n of them, in memory the caller frees; the names
 * are the schema's). Returns 0, or -1 with the problem in err. */
int calspec_schemas(const struct schema **in, const struct schema **out, const char ***weight_cols,
		    size_t *n, char *err, size_t errsz);

/* Read PATH. in = the schema read (person_support/1); weight_cols = the columns the stage
 * adds for weights (set columns must be among them, each used once, none left over).
 * Returns NULL with "PATH:LINE: problem" in err on any error. */
struct calspec *calspec_load(const char *path, const struct schema *in,
			     const char *const *weight_cols, size_t nweight_cols,
			     char *err, size_t errsz);
void calspec_free(struct calspec *s);          /* accepts NULL */

/* The margins as one line, "benefit*age_class+benefit*phase" (for the method tag), in
 * memory the caller frees. */
char *calspec_margins_text(const struct calspec *s);

/* Were the weights whose method tag (CALSPEC_METHOD_COLUMN) is TAG calibrated on this spec's
 * margins? (A stage that uses them takes the variance's residuals from these margins.)
 * Returns 0, or -1 with the refusal in err. */
int calspec_check_tag(const struct calspec *s, const char *tag, char *err, size_t errsz);

/* linear|raking|logit -> method; -1 when unknown */
int calspec_parse_method(const char *word);
const char *cal_method_name(enum cal_method m);

/* The set whose weight column is COLUMN, or -1. */
int calspec_set_of_column(const struct calspec *s, const char *column);

/* The respondent set an estimate over POPULATION (a condition, cond.h) is calibrated by:
 * the set whose every atom the population requires - as a conjunct `ATOM == 1` (or a bare
 * ATOM) of its top-level `and`, names expanded - with the most atoms when several do (the
 * set nearest to the population). Returns its index, or -1 with the reason in err: no set
 * fits, or two with as many atoms do. */
int calspec_set_for(const struct calspec *s, const struct cond *population, char *err, size_t errsz);

#endif
