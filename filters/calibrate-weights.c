/* calibrate-weights - calibrate the survey weights to registry totals (issue 20).
 *
 * Reads person_support/1 (classify-support's output), writes person_calibrated/1: every
 * input column unchanged, then calibration_method and one calibrated weight column per
 * respondent set of the spec (pipelines/eerste-jaar/calibration.spec). The population
 * totals of the spec's margins are counted over every person of the stream; each set's
 * design weights are calibrated to them as R's survey::calibrate does (calibrate.h).
 *
 * Why two passes: the totals are known only after the last person, and the weights go on
 * the rows. The rows are not held: the reader copies the input, as read (gzip stays gzip),
 * into a spool, a temporary file that is unlinked the moment it is created (mode 0600, so
 * no other user could have opened it; nothing is left behind if the stage dies), and the
 * second pass reads the spool back through /dev/fd. Memory is the patterns of the
 * calibration variables (cells.h) and 13 bytes per respondent plus 8 per set
 * (respondents.h), whatever the number of persons; disk is the size of the input.
 *
 * Shape: the stage runs on the filter driver (filter.h). The first pass is its callbacks
 * (an input opens: spool it; a section; a record); the end calibrates every set and runs
 * the second pass, the spools through the driver's filter_read with two other callbacks
 * that write each record with its weights. Nothing is written before every set is
 * calibrated: a calibration that fails (an empty cell, infeasible bounds, collinear
 * margins, no convergence) names the set, the margin and the cell, and the output stays
 * empty.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calibrate.h"
#include "cells.h"
#include "diag.h"
#include "filter.h"
#include "rec.h"
#include "respondents.h"
#include "schema.h"
#include "calspec.h"

#define IN_SCHEMA CALSPEC_IN_SCHEMA
#define OUT_SCHEMA CALSPEC_OUT_SCHEMA

/* The stage: options, spec, what the first pass gathers, the spools. */
struct stage {
	struct cal_options opt;
	int method;                  /* --method, or -1: the spec's */
	double bounds[2];            /* --bounds, or NaN: the spec's */
	const char *tmpdir;          /* --tmpdir: where the spools go */
	const char *spec_path;
	struct calspec *spec;
	const struct schema *in, *out;
	const char **weight_cols;    /* the output schema's weight columns, in its order */
	size_t nweight_cols;
	size_t *col_set;             /* weight column -> spec set */
	char *tag;                   /* calibration_method */
	struct cells *cells;
	struct respondents resp;
	/* field indexes of the current section */
	int *var_index;              /* per spec var */
	int **atom_index;            /* per set, per atom */
	int weight_index;
	const char **vals;           /* scratch: the values of the spec's vars */
	int *spool;                  /* one per input */
	size_t nspool;
	size_t next;                 /* the second pass: the next respondent */
};

/* ---- the first pass: a section, a record, the end ---- */

/* The spec's columns in this section (the first pass and the second). */
static int find_columns(struct stage *s, struct rec_reader *r)
{
	const struct schema *sch = rec_reader_schema(r);
	const char *absent = NULL;

	if (strcmp(sch->id, IN_SCHEMA) != 0) {
		diag_warn(rec_reader_name(r), rec_reader_line(r), NULL,
			  "section %s: calibrate-weights reads %s (classify-support's output)", sch->id, IN_SCHEMA);
		return -1;
	}
	/* calspec_load checked the names against the built-in schema; REC_SCHEMA_PATH may differ */
	if ((s->weight_index = rec_reader_index(r, s->spec->weight)) < 0)
		absent = s->spec->weight;
	for (size_t k = 0; k < s->spec->nvars; k++)
		if ((s->var_index[k] = rec_reader_index(r, s->spec->vars[k].name)) < 0)
			absent = s->spec->vars[k].name;
	for (size_t k = 0; k < s->spec->nsets; k++)
		for (size_t a = 0; a < s->spec->sets[k].natoms; a++)
			if ((s->atom_index[k][a] = rec_reader_index(r, s->spec->sets[k].atoms[a])) < 0)
				absent = s->spec->sets[k].atoms[a];
	if (absent) {
		diag_warn(rec_reader_name(r), rec_reader_line(r), absent,
			  "not in this %s section (%s), which the spec needs", IN_SCHEMA, sch->origin);
		return -1;
	}
	return 0;
}

static int on_section(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	(void)out;
	return find_columns(ctx, r);
}

/* The sets the current person belongs to (bit k: set k): every atom is 1. A refused
 * value is in the reader (rec_reader_bad). */
static unsigned sets_of(const struct stage *s, struct rec_reader *r)
{
	unsigned mask = 0;

	for (size_t k = 0; k < s->spec->nsets; k++) {
		int in = 1;

		for (size_t a = 0; a < s->spec->sets[k].natoms; a++)
			in &= rec_get_bool(r, s->atom_index[k][a]) == 1;
		mask |= (unsigned)in << k;
	}
	return mask;
}

static int keep_respondent(struct stage *s, struct rec_reader *r, long pattern, unsigned mask)
{
	double d = rec_get_num(r, s->weight_index);
	size_t k = 0;

	if (rec_reader_bad(r))
		return -1;
	if (isnan(d)) {
		while (!(mask >> k & 1))
			k++;
		return rec_reader_fail(r, s->weight_index, "missing for a person of set %s (%s)",
				       s->spec->sets[k].column, s->spec->sets[k].text);
	}
	if (!isfinite(d) || !(d > 0))
		return rec_reader_fail(r, s->weight_index, "unexpected value: %s",
				       rec_reader_field(r, (size_t)s->weight_index));
	resp_add(&s->resp, pattern, mask, d);
	return 0;
}

static int on_record(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct stage *s = ctx;
	char err[200];
	unsigned mask;
	long pattern;

	(void)out;
	for (size_t k = 0; k < s->spec->nvars; k++)
		s->vals[k] = rec_get_text(r, s->var_index[k]);
	if (rec_reader_bad(r))
		return -1;
	if ((pattern = cells_add(s->cells, s->vals, err, sizeof err)) < 0)
		return rec_reader_fail(r, -1, "%s", err);
	mask = sets_of(s, r);
	if (rec_reader_bad(r))
		return -1;
	return mask ? keep_respondent(s, r, pattern, mask) : 0;
}

/* An input is opened: every byte read goes to a new spool (the second pass reads it). */
static int spool_input(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct stage *s = ctx;
	size_t n = strlen(s->tmpdir) + 40;
	char *path = xmalloc(n);
	int fd;

	(void)out;
	snprintf(path, n, "%s/calibrate-weights.XXXXXX", s->tmpdir);
	if ((fd = mkstemp(path)) < 0) {
		diag_warn(s->tmpdir, 0, NULL, "cannot create a spool file: %s", strerror(errno));
		free(path);
		return -1;
	}
	if (unlink(path) != 0 || fchmod(fd, 0600) != 0) {
		diag_warn(path, 0, NULL, "cannot make the spool file private: %s", strerror(errno));
		free(path);
		close(fd);
		return -1;
	}
	free(path);
	s->spool = xrealloc(s->spool, (s->nspool + 1) * sizeof *s->spool);
	s->spool[s->nspool++] = fd;
	rec_reader_tee(r, fd);
	return 0;
}

/* ---- the second pass: the spools again, each record with its weights ---- */

static int emit_section(void *ctx, struct rec_reader *r, struct rec_writer *w)
{
	if (find_columns(ctx, r) < 0)
		return -1;
	if (rec_writer_section(w, OUT_SCHEMA) != 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	return 0;
}

static int emit_record(void *ctx, struct rec_reader *r, struct rec_writer *w)
{
	struct stage *s = ctx;
	unsigned mask = sets_of(s, r);

	rec_put_fields(w, r);
	rec_put(w, s->tag);
	if (mask != 0 && s->next == s->resp.n)
		BUG("the spool has more respondents than the first pass");
	for (size_t c = 0; c < s->nweight_cols; c++)
		rec_put_num(w, mask == 0 ? NAN : resp_weight(&s->resp, s->next, s->col_set[c]));
	s->next += mask != 0;
	rec_writer_end(w);
	return 0;
}

/* After the last input: the cells and columns, every set calibrated (or the run stops,
 * naming the cell), then the second pass over the spools. */
static int on_end(void *ctx, struct rec_writer *w)
{
	static const struct filter second_pass = {
		.name = "calibrate-weights", .section = emit_section, .record = emit_record,
	};
	struct stage *s = ctx;

	cells_finish(s->cells);
	resp_calibrate(&s->resp);
	for (size_t f = 0; f < s->nspool; f++) {
		char path[64];

		snprintf(path, sizeof path, "/dev/fd/%d", s->spool[f]);
		if (lseek(s->spool[f], 0, SEEK_SET) != 0) {
			diag_warn(path, 0, NULL, "cannot read the spool back: %s", strerror(errno));
			return -1;
		}
		if (filter_read(&second_pass, s, path, w) < 0)
			return -1;
		if (rec_writer_failed(w))
			return 0;    /* the driver reports it */
	}
	if (s->next != s->resp.n)
		BUG("the spool has %zu respondents, the first pass %zu", s->next, s->resp.n);
	return 0;
}

/* ---- set-up: schemas, options, spec ---- */

static void usage(FILE *fp)
{
	const struct schema *in = schema_find(IN_SCHEMA, NULL), *out = schema_find(OUT_SCHEMA, NULL);

	fprintf(fp,
"usage: calibrate-weights [OPTIONS] SPEC [FILE...]\n"
"\n"
"Calibrates the design weights of each respondent set to population totals counted\n"
"over every person of the stream, as R's survey::calibrate does, and adds the\n"
"calibrated weights.\n"
"Reads:  %s sections (classify-support's output) from the FILEs or stdin,\n"
"        gzip or plain text, and SPEC (pipelines/eerste-jaar/calibration.spec)\n"
"Writes: %s to stdout: every input column unchanged, then the columns\n"
"        below; gzip at level REC_LEVEL (0 = plain text). Nothing is written when a\n"
"        set cannot be calibrated.\n"
"\n"
"SPEC, one statement a line, '#' starts a comment:\n"
"  method linear|raking|logit   survey's calfun: linear = GREG (one step without\n"
"                               bounds), raking = exp, logit = bounded logit\n"
"  bounds LOWER UPPER           bounds on g = calibrated / design weight (default\n"
"                               -inf inf; logit needs finite ones; LOWER < 1 < UPPER).\n"
"                               Bounded raking takes survey's Newton step, which holds\n"
"                               g still once log g leaves (LOWER-1, UPPER-1) and can\n"
"                               stall short of a solution: for bounds, use logit\n"
"  weight COLUMN                the design weight column\n"
"  set COLUMN ATOM [& ATOM]...  the people with every bool ATOM = 1 get a calibrated\n"
"                               weight in COLUMN (a weight column below)\n"
"  margin VAR [VAR...]          population totals of every combination of the VARs'\n"
"                               values (a cell) are targets; an empty value is a\n"
"                               category of its own. Cells of later margins that earlier\n"
"                               ones already fix are left out (R's qr() rule)\n"
"\n"
"Options:\n"
"  --method linear|raking|logit  instead of the spec's method\n"
"  --bounds LOWER,UPPER     instead of the spec's bounds (e.g. 0.3,3 or -inf,inf)\n"
"  --epsilon E              convergence tolerance (default 1e-7, survey's)\n"
"  --maxit N                iteration limit (default 50, survey's)\n"
"  --converge totals|weights  stop when every total is met within epsilon of\n"
"                           (1 + |total|) (totals: survey's rule), or when no g-weight\n"
"                           moves by epsilon or more (weights: CALMAR's) (default totals)\n"
"  --tmpdir DIR             where the spool (a copy of the input, unlinked at once,\n"
"                           mode 0600) goes (default $TMPDIR, else /tmp)\n"
"  --help, --version\n"
"\n"
"Errors (exit 1, nothing written): a cell without respondents, a cell whose total\n"
"cannot be reached within the bounds, margins collinear among the respondents, no\n"
"convergence - each naming the set, the margin and the cell.\n"
"\n"
"Columns added (schemas/person_calibrated-1.schema):\n", IN_SCHEMA, OUT_SCHEMA);
	if (in != NULL && out != NULL)
		for (size_t i = in->n_fields; i < out->n_fields; i++)
			fprintf(fp, "  %-22s %s\n", out->fields[i].name, out->fields[i].meaning);
	fprintf(fp,
"\n"
"Example:\n"
"  ingest --key-file pseudonym.key raw/*.csv | link-waves | derive-status |\n"
"    classify-support | calibrate-weights pipelines/eerste-jaar/calibration.spec > cal.gz\n"
"  calibrate-weights --method logit --bounds 0.3,3 calibration.spec support.gz > cal.gz\n");
}

static int opt_number(const char *name, const char *v, double *x, char *err, size_t errsz)
{
	char *end;

	errno = 0;
	*x = strtod(v, &end);
	if (end == v || *end || errno || isnan(*x))
		return snprintf(err, errsz, "--%s: not a number: '%s'", name, v), -1;
	return 0;
}

enum { O_METHOD = 256, O_BOUNDS, O_EPS, O_MAXIT, O_CONVERGE, O_TMPDIR };

static int option(void *ctx, int o, const char *arg, char *err, size_t errsz)
{
	struct stage *s = ctx;
	char lower[64];
	const char *comma;
	double x;

	switch (o) {
	case O_METHOD:
		if ((s->method = calspec_parse_method(arg)) < 0)
			return snprintf(err, errsz, "--method: expected linear, raking or logit, not '%s'", arg), -1;
		return 0;
	case O_BOUNDS:
		if (!(comma = strchr(arg, ',')) || (size_t)(comma - arg) >= sizeof lower)
			return snprintf(err, errsz, "--bounds: expected LOWER,UPPER, not '%s'", arg), -1;
		snprintf(lower, sizeof lower, "%.*s", (int)(comma - arg), arg);
		return opt_number("bounds", lower, &s->bounds[0], err, errsz) < 0 ? -1
			: opt_number("bounds", comma + 1, &s->bounds[1], err, errsz);
	case O_EPS:
		if (opt_number("epsilon", arg, &s->opt.epsilon, err, errsz) < 0)
			return -1;
		if (!(s->opt.epsilon > 0))
			return snprintf(err, errsz, "--epsilon: must be above 0: '%s'", arg), -1;
		return 0;
	case O_MAXIT:
		if (opt_number("maxit", arg, &x, err, errsz) < 0 || !(x >= 1 && x <= 100000 && x == floor(x)))
			return snprintf(err, errsz, "--maxit: not a whole number from 1 to 100000: '%s'", arg), -1;
		s->opt.maxit = (int)x;
		return 0;
	case O_CONVERGE:
		if (strcmp(arg, "totals") && strcmp(arg, "weights"))
			return snprintf(err, errsz, "--converge: expected totals or weights, not '%s'", arg), -1;
		s->opt.converge = strcmp(arg, "totals") ? CAL_CONVERGE_WEIGHTS : CAL_CONVERGE_TOTALS;
		return 0;
	case O_TMPDIR:
		s->tmpdir = arg;
		return 0;
	}
	return -1;
}

/* The method tag every row carries: everything that made the weights. */
static void make_tag(struct stage *s)
{
	char *margins = calspec_margins_text(s->spec);

	if (asprintf(&s->tag, "method=%s;bounds=%g,%g;margins=%s;epsilon=%g;maxit=%d;converge=%s",
	             cal_method_name(s->opt.method), s->opt.lower, s->opt.upper, margins, s->opt.epsilon,
	             s->opt.maxit, s->opt.converge == CAL_CONVERGE_TOTALS ? "totals" : "weights") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	free(margins);
}

/* The operands: SPEC, then the inputs. The spec is loaded and checked here, so a bad one
 * is a usage error before anything is read. */
static int operands(void *ctx, int argc, char **argv, const char *const **inputs, size_t *n_inputs,
		    char *err, size_t errsz)
{
	struct stage *s = ctx;

	if (argc == 0)
		return snprintf(err, errsz, "no SPEC file given"), -1;
	s->spec_path = argv[0];
	*inputs = (const char *const *)argv + 1;
	*n_inputs = (size_t)(argc - 1);
	if (calspec_schemas(&s->in, &s->out, &s->weight_cols, &s->nweight_cols, err, errsz) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", err);
	/* a usage error ends the run here, without the release callback */
	if (!(s->spec = calspec_load(s->spec_path, s->in, s->weight_cols, s->nweight_cols, err, errsz)))
		return free(s->weight_cols), s->weight_cols = NULL, -1;
	s->opt.method = s->method >= 0 ? (enum cal_method)s->method : s->spec->method;
	s->opt.lower = isnan(s->bounds[0]) ? s->spec->lower : s->bounds[0];
	s->opt.upper = isnan(s->bounds[1]) ? s->spec->upper : s->bounds[1];
	if (cal_check_options(&s->opt, err, errsz) != 0) {
		calspec_free(s->spec);
		free(s->weight_cols);
		s->spec = NULL;
		s->weight_cols = NULL;
		return -1;
	}
	s->col_set = xmalloc(s->nweight_cols * sizeof *s->col_set);
	for (size_t c = 0; c < s->nweight_cols; c++)
		for (size_t k = 0; k < s->spec->nsets; k++)
			if (strcmp(s->spec->sets[k].column, s->weight_cols[c]) == 0)
				s->col_set[c] = k;
	make_tag(s);
	s->cells = cells_new(s->spec);
	resp_init(&s->resp, s->spec, s->cells, &s->opt);
	s->var_index = xcalloc(s->spec->nvars, sizeof *s->var_index);
	s->vals = xcalloc(s->spec->nvars, sizeof *s->vals);
	s->atom_index = xcalloc(s->spec->nsets, sizeof *s->atom_index);
	for (size_t k = 0; k < s->spec->nsets; k++)
		s->atom_index[k] = xcalloc(s->spec->sets[k].natoms, sizeof **s->atom_index);
	return 0;
}

static void release(void *ctx)
{
	struct stage *s = ctx;

	for (size_t f = 0; f < s->nspool; f++)
		close(s->spool[f]);
	for (size_t k = 0; s->spec && k < s->spec->nsets; k++)
		free(s->atom_index[k]);
	free(s->atom_index);
	free(s->var_index);
	free(s->vals);
	free(s->col_set);
	free(s->tag);
	free(s->weight_cols);
	free(s->spool);
	resp_release(&s->resp);
	cells_free(s->cells);
	calspec_free(s->spec);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "method", required_argument, NULL, O_METHOD },
		{ "bounds", required_argument, NULL, O_BOUNDS },
		{ "epsilon", required_argument, NULL, O_EPS },
		{ "maxit", required_argument, NULL, O_MAXIT },
		{ "converge", required_argument, NULL, O_CONVERGE },
		{ "tmpdir", required_argument, NULL, O_TMPDIR },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter calibrate_weights = {
		.name = "calibrate-weights", .usage = usage, .long_opts = lopts, .option = option,
		.operands = operands, .input_start = spool_input, .section = on_section,
		.record = on_record, .end = on_end, .release = release,
	};
	const char *tmp = getenv("TMPDIR");
	struct stage s = {
		.opt = { .epsilon = CAL_EPSILON_DEFAULT, .maxit = CAL_MAXIT_DEFAULT,
			 .converge = CAL_CONVERGE_TOTALS },
		.method = -1, .bounds = { NAN, NAN }, .tmpdir = tmp && *tmp ? tmp : "/tmp",
	};

	gsl_set_error_handler_off();
	return filter_main(&calibrate_weights, &s, argc, argv);
}
