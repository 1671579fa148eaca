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
 * Shape: the first pass is three callbacks (a section starts, a record, the end), the
 * second one loop over the spools, so the stage moves onto a library filter driver as it
 * is. Nothing is written before every set is calibrated: a calibration that fails (an
 * empty cell, infeasible bounds, collinear margins, no convergence) names the set, the
 * margin and the cell, and the output stays empty.
 */
#include <errno.h>
#include <getopt.h>
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
#include "rec.h"
#include "respondents.h"
#include "schema.h"
#include "spec.h"

#define IN_SCHEMA  "person_support/1"
#define OUT_SCHEMA "person_calibrated/1"
#define METHOD_COLUMN "calibration_method"

/* The stage: options, spec, what the first pass gathers, the spools. */
struct stage {
	struct cal_options opt;
	const char *tmpdir;          /* --tmpdir: where the spools go */
	const char *spec_path;
	struct cw_spec *spec;
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
	long sections;
	int *spool;                  /* one per input */
	size_t nspool;
};

/* A value this stage cannot use. The library's check names the record's first field that
 * breaks its schema; a value the schema allows but the stage cannot use is named here. */
static void __attribute__((noreturn))
bad_value(struct rec_reader *r, int i)
{
	if (rec_reader_check(r) >= 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
	die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), rec_reader_schema(r)->fields[i].name,
	    "unexpected value: %s", rec_reader_field(r, (size_t)i));
}

/* ---- the first pass: three callbacks ---- */

static void on_section(struct stage *s, const struct rec_reader *r)
{
	const struct schema *sch = rec_reader_schema(r);
	const char *absent = NULL;

	if (strcmp(sch->id, IN_SCHEMA) != 0)
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), NULL,
		    "section %s: calibrate-weights reads %s (classify-support's output)", sch->id, IN_SCHEMA);
	/* spec_load checked the names against the built-in schema; REC_SCHEMA_PATH may differ */
	if ((s->weight_index = rec_reader_index(r, s->spec->weight)) < 0)
		absent = s->spec->weight;
	for (size_t k = 0; k < s->spec->nvars; k++)
		if ((s->var_index[k] = rec_reader_index(r, s->spec->vars[k].name)) < 0)
			absent = s->spec->vars[k].name;
	for (size_t k = 0; k < s->spec->nsets; k++)
		for (size_t a = 0; a < s->spec->sets[k].natoms; a++)
			if ((s->atom_index[k][a] = rec_reader_index(r, s->spec->sets[k].atoms[a])) < 0)
				absent = s->spec->sets[k].atoms[a];
	if (absent)
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), absent,
		    "not in this %s section (%s), which the spec needs", IN_SCHEMA, sch->origin);
	s->sections++;
}

/* The sets the current person belongs to (bit k: set k): every atom is 1. */
static unsigned sets_of(const struct stage *s, struct rec_reader *r)
{
	unsigned mask = 0;

	for (size_t k = 0; k < s->spec->nsets; k++) {
		int in = 1;

		for (size_t a = 0; a < s->spec->sets[k].natoms; a++) {
			int i = s->atom_index[k][a];
			const char *v = rec_reader_field(r, (size_t)i);

			if ((v[0] != '0' && v[0] != '1' && v[0] != '\0') || (v[0] && v[1]))
				bad_value(r, i);
			in &= v[0] == '1';
		}
		mask |= (unsigned)in << k;
	}
	return mask;
}

static void keep_respondent(struct stage *s, struct rec_reader *r, long pattern, unsigned mask)
{
	const char *v = rec_reader_field(r, (size_t)s->weight_index);
	double d;

	if (v[0] == '\0') {
		size_t k = 0;

		while (!(mask >> k & 1))
			k++;
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), s->spec->weight,
		    "missing for a person of set %s (%s)", s->spec->sets[k].column, s->spec->sets[k].text);
	}
	if (rec_parse_num(v, &d) != 0 || !isfinite(d) || !(d > 0) ||
	    schema_check_value(&rec_reader_schema(r)->fields[s->weight_index], v, NULL, 0) != 0)
		bad_value(r, s->weight_index);
	resp_add(&s->resp, pattern, mask, d);
}

static void on_record(struct stage *s, struct rec_reader *r)
{
	const struct schema *sch = rec_reader_schema(r);
	char err[200];
	unsigned mask;
	long pattern;

	for (size_t k = 0; k < s->spec->nvars; k++) {
		int i = s->var_index[k];

		s->vals[k] = rec_reader_field(r, (size_t)i);
		if (schema_check_value(&sch->fields[i], s->vals[k], NULL, 0) != 0)
			bad_value(r, i);
	}
	if ((pattern = cells_add(s->cells, s->vals, err, sizeof err)) < 0)
		die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), NULL, "%s", err);
	if ((mask = sets_of(s, r)) != 0)
		keep_respondent(s, r, pattern, mask);
}

/* ---- calibration of one set ---- */

/* After the last record: the cells and columns, then every set. */
static void on_end(struct stage *s)
{
	if (s->sections == 0)
		die(EXIT_DATA, NULL, 0, NULL, "no %s section in the input (did an earlier stage fail?)", IN_SCHEMA);
	cells_finish(s->cells);
	resp_calibrate(&s->resp);
}

/* ---- the spools and the two passes ---- */

static int spool_open(const struct stage *s)
{
	size_t n = strlen(s->tmpdir) + 40;
	char *path = xmalloc(n);
	int fd;

	snprintf(path, n, "%s/calibrate-weights.XXXXXX", s->tmpdir);
	fd = mkstemp(path);
	if (fd < 0)
		die(EXIT_DATA, s->tmpdir, 0, NULL, "cannot create a spool file: %s", strerror(errno));
	if (unlink(path) != 0 || fchmod(fd, 0600) != 0)
		die(EXIT_DATA, path, 0, NULL, "cannot make the spool file private: %s", strerror(errno));
	free(path);
	return fd;
}

/* The first pass over one input: every byte read goes to a new spool. */
static void read_input(struct stage *s, const char *path)
{
	struct rec_reader *r = rec_reader_open(path);
	int rc;

	if (r == NULL)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	s->spool = xrealloc(s->spool, (s->nspool + 1) * sizeof *s->spool);
	s->spool[s->nspool] = spool_open(s);
	rec_reader_tee(r, s->spool[s->nspool++]);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION)
			on_section(s, r);
		else
			on_record(s, r);
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
	rec_reader_free(r);
}

static void put_weights(const struct stage *s, struct rec_writer *w, size_t resp)
{
	rec_put(w, s->tag);
	for (size_t c = 0; c < s->nweight_cols; c++)
		rec_put_num(w, resp == CELLS_NONE ? NAN : resp_weight(&s->resp, resp, s->col_set[c]));
}

/* The second pass: the spools again, each record with its weights. */
static void emit(struct stage *s, struct rec_writer *w)
{
	size_t next = 0;

	for (size_t f = 0; f < s->nspool && !rec_writer_failed(w); f++) {
		char path[64];
		struct rec_reader *r;
		int rc;

		snprintf(path, sizeof path, "/dev/fd/%d", s->spool[f]);
		if (lseek(s->spool[f], 0, SEEK_SET) != 0 || (r = rec_reader_open(path)) == NULL)
			die(EXIT_DATA, path, 0, NULL, "cannot read the spool back: %s", strerror(errno));
		while ((rc = rec_reader_next(r)) > 0) {
			if (rc == REC_SECTION) {
				on_section(s, r);
				if (rec_writer_section(w, OUT_SCHEMA) != 0)
					die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
				continue;
			}
			rec_put_fields(w, r);
			if (sets_of(s, r) == 0) {
				put_weights(s, w, CELLS_NONE);
			} else {
				if (next == s->resp.n)
					BUG("the spool has more respondents than the first pass");
				put_weights(s, w, next++);
			}
			rec_writer_end(w);
			if (rec_writer_failed(w))
				break;
		}
		if (rc < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
		rec_reader_free(r);
		close(s->spool[f]);
	}
	if (next != s->resp.n && !rec_writer_failed(w))
		BUG("the spool has %zu respondents, the first pass %zu", next, s->resp.n);
}

/* ---- set-up: schemas, options, spec ---- */

/* person_calibrated/1 must be person_support/1, calibration_method, then weight columns. */
static void check_schemas(struct stage *s)
{
	const char *err = NULL;

	if (!(s->in = schema_find(IN_SCHEMA, &err)) || !(s->out = schema_find(OUT_SCHEMA, &err)))
		die(EXIT_DATA, NULL, 0, NULL, "%s", err ? err : "unknown schema");
	if (s->out->n_fields < s->in->n_fields + 2 ||
	    strcmp(s->out->fields[s->in->n_fields].name, METHOD_COLUMN) != 0)
		die(EXIT_DATA, NULL, 0, NULL, "schema %s (%s) is not %s plus %s and weight columns",
		    OUT_SCHEMA, s->out->origin, IN_SCHEMA, METHOD_COLUMN);
	for (size_t i = 0; i < s->in->n_fields; i++)
		if (strcmp(s->in->fields[i].name, s->out->fields[i].name) != 0)
			die(EXIT_DATA, NULL, 0, NULL, "schema %s (%s): column %zu is %s, %s has %s",
			    OUT_SCHEMA, s->out->origin, i + 1, s->out->fields[i].name, IN_SCHEMA,
			    s->in->fields[i].name);
	s->nweight_cols = s->out->n_fields - s->in->n_fields - 1;
	s->weight_cols = xmalloc(s->nweight_cols * sizeof *s->weight_cols);
	for (size_t c = 0; c < s->nweight_cols; c++) {
		const struct schema_field *f = &s->out->fields[s->in->n_fields + 1 + c];

		if (f->type != ST_NUM)
			die(EXIT_DATA, NULL, 0, NULL, "schema %s (%s): weight column %s is not num",
			    OUT_SCHEMA, s->out->origin, f->name);
		s->weight_cols[c] = f->name;
	}
}

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

static double opt_number(const char *name, const char *s)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (end == s || *end || errno || isnan(x))
		diag_usage("--%s: not a number: '%s'", name, s);
	return x;
}

static void parse_options(struct stage *s, int argc, char **argv, int *method, double bounds[2])
{
	enum { O_METHOD = 256, O_BOUNDS, O_EPS, O_MAXIT, O_CONVERGE, O_TMPDIR, O_HELP, O_VERSION };
	static const struct option lopts[] = {
		{ "method", required_argument, NULL, O_METHOD },
		{ "bounds", required_argument, NULL, O_BOUNDS },
		{ "epsilon", required_argument, NULL, O_EPS },
		{ "maxit", required_argument, NULL, O_MAXIT },
		{ "converge", required_argument, NULL, O_CONVERGE },
		{ "tmpdir", required_argument, NULL, O_TMPDIR },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	char *comma;
	double x;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case O_METHOD:
			if ((*method = spec_parse_method(optarg)) < 0)
				diag_usage("--method: expected linear, raking or logit, not '%s'", optarg);
			break;
		case O_BOUNDS:
			if (!(comma = strchr(optarg, ',')))
				diag_usage("--bounds: expected LOWER,UPPER, not '%s'", optarg);
			*comma = '\0';
			bounds[0] = opt_number("bounds", optarg);
			bounds[1] = opt_number("bounds", comma + 1);
			break;
		case O_EPS:
			if (!((s->opt.epsilon = opt_number("epsilon", optarg)) > 0))
				diag_usage("--epsilon: must be above 0: '%s'", optarg);
			break;
		case O_MAXIT:
			x = opt_number("maxit", optarg);
			if (!(x >= 1 && x <= 100000 && x == floor(x)))
				diag_usage("--maxit: not a whole number from 1 to 100000: '%s'", optarg);
			s->opt.maxit = (int)x;
			break;
		case O_CONVERGE:
			if (strcmp(optarg, "totals") && strcmp(optarg, "weights"))
				diag_usage("--converge: expected totals or weights, not '%s'", optarg);
			s->opt.converge = strcmp(optarg, "totals") ? CAL_CONVERGE_WEIGHTS : CAL_CONVERGE_TOTALS;
			break;
		case O_TMPDIR:
			s->tmpdir = optarg;
			break;
		case O_HELP:
			usage(stdout);
			exit(diag_close_stdout(EXIT_SUCCESS_));
		case O_VERSION:
			printf("calibrate-weights ketenmonitor 0.1\n");
			exit(diag_close_stdout(EXIT_SUCCESS_));
		default:
			diag_usage("%s option '%s'", optopt ? "missing argument to" : "unknown", argv[optind - 1]);
		}
	}
}

static void stage_init(struct stage *s, int argc, char **argv)
{
	int method = -1;
	double bounds[2] = { NAN, NAN };
	char err[600], *margins;
	const char *tmp = getenv("TMPDIR");

	memset(s, 0, sizeof *s);
	s->opt = (struct cal_options){ .epsilon = CAL_EPSILON_DEFAULT, .maxit = CAL_MAXIT_DEFAULT,
	                               .converge = CAL_CONVERGE_TOTALS };
	s->tmpdir = tmp && *tmp ? tmp : "/tmp";
	parse_options(s, argc, argv, &method, bounds);
	if (optind >= argc)
		diag_usage("no SPEC file given");
	s->spec_path = argv[optind++];
	check_schemas(s);
	if (!(s->spec = spec_load(s->spec_path, s->in, s->weight_cols, s->nweight_cols, err, sizeof err)))
		diag_usage("%s", err);
	s->opt.method = method >= 0 ? (enum cal_method)method : s->spec->method;
	s->opt.lower = isnan(bounds[0]) ? s->spec->lower : bounds[0];
	s->opt.upper = isnan(bounds[1]) ? s->spec->upper : bounds[1];
	if (cal_check_options(&s->opt, err, sizeof err) != 0)
		diag_usage("%s", err);
	s->col_set = xmalloc(s->nweight_cols * sizeof *s->col_set);
	for (size_t c = 0; c < s->nweight_cols; c++)
		for (size_t k = 0; k < s->spec->nsets; k++)
			if (strcmp(s->spec->sets[k].column, s->weight_cols[c]) == 0)
				s->col_set[c] = k;
	margins = spec_margins_text(s->spec);
	if (asprintf(&s->tag, "method=%s;bounds=%g,%g;margins=%s;epsilon=%g;maxit=%d;converge=%s",
	             cal_method_name(s->opt.method), s->opt.lower, s->opt.upper, margins, s->opt.epsilon,
	             s->opt.maxit, s->opt.converge == CAL_CONVERGE_TOTALS ? "totals" : "weights") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	free(margins);
	s->cells = cells_new(s->spec);
	resp_init(&s->resp, s->spec, s->cells, &s->opt);
	s->var_index = xcalloc(s->spec->nvars, sizeof *s->var_index);
	s->vals = xcalloc(s->spec->nvars, sizeof *s->vals);
	s->atom_index = xcalloc(s->spec->nsets, sizeof *s->atom_index);
	for (size_t k = 0; k < s->spec->nsets; k++)
		s->atom_index[k] = xcalloc(s->spec->sets[k].natoms, sizeof **s->atom_index);
}

static void stage_release(struct stage *s)
{
	for (size_t k = 0; k < s->spec->nsets; k++)
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
	spec_free(s->spec);
}

int main(int argc, char **argv)
{
	struct stage s;
	struct rec_writer *w;
	int status = EXIT_SUCCESS_;

	diag_init(argv[0]);
	gsl_set_error_handler_off();
	stage_init(&s, argc, argv);
	if (optind == argc)
		read_input(&s, NULL);
	for (int i = optind; i < argc; i++)
		read_input(&s, argv[i]);
	on_end(&s);

	rec_enlarge_pipe(STDOUT_FILENO);
	if ((w = rec_writer_open(NULL, -1, 0644)) == NULL)
		die(EXIT_DATA, "stdout", 0, NULL, "cannot write: %s", strerror(errno));
	emit(&s, w);
	if (rec_writer_close(w) != 0)
		status = EXIT_DATA;
	stage_release(&s);
	return diag_close_stdout(status);
}
