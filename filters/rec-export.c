/* rec-export - one section of a record stream as an SPSS (.sav) or Stata (.dta) file,
 * with the labels of schemas/: a label on every variable, value labels on every code and
 * boolean, dates as dates, missing values as SPSS and Stata mean them.
 *
 * Why through ReadStat: it is the library R's haven and Python's pyreadstat write these
 * formats with, kept up against SPSS and Stata; a format written by hand would drift.
 * Why two passes: ReadStat wants the number of rows and every text column's width before
 * the first row. The first pass counts them (a stream on stdin is kept meanwhile in a
 * private temporary file, removed at the end); the second writes.
 *
 * What the analyst gets (the codebook says the same, codebook.c):
 *   bool   0/1, value labels nee/ja (no/yes)          enum  1..k in the schema's order,
 *   int    whole numbers (labels where the schema          the code's label on each
 *          gives them: w1_health)                    num   doubles
 *   date   SPSS DATE11 / Stata %td                     text  strings
 *   empty  system-missing (SPSS), . (Stata); an empty text is "" (declared missing in SPSS)
 */
#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "outfile.h"
#include "rec.h"
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPSS_DAY0 141428        /* days from 1582-10-14 (SPSS's day 0) to 1970-01-01 */
#define STATA_DAY0 3653         /* days from 1960-01-01 (Stata's day 0) to 1970-01-01 */
#define STATA_LABEL_MAX 80      /* Stata's variable labels: 80 characters */
#define STATA_STR_MAX 2045      /* Stata's longest str# */

enum format { FMT_NONE, FMT_SAV, FMT_DTA };

/* A variable: one field of the section, its ReadStat type, what the first pass saw. */
struct var {
	readstat_type_t type;
	size_t width;               /* text: the longest value, in bytes (at least 1) */
	readstat_variable_t *rv;
};

struct ctx {
	const char *want;           /* --section: NAME/VERSION or NAME */
	int lang;                   /* --lang */
	enum format format;         /* --format, or from -o's suffix */
	const char *out;            /* -o FILE */
	const char *input;          /* the one input (NULL = stdin) */
	int pass;                   /* 1: count, 2: write */
	char *spool;                /* stdin kept for the second pass */
	int spool_fd;
	const struct schema *schema;
	int in_section;             /* the section being read is the one exported */
	long rows, written;
	struct var *vars;
	readstat_writer_t *rw;
	struct outfile of;
	int of_open;
	char label[STATA_LABEL_MAX * 4 + 1];
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: rec-export -o FILE [--format sav|dta] [--section ID] [--lang nl|en] [INPUT]\n"
	"\n"
	"Write one section of a record stream (INPUT, gzip or plain; none or '-' reads stdin) as\n"
	"an SPSS .sav or a Stata .dta file through ReadStat, with the labels of schemas/ (the\n"
	"codebook's): every variable carries its label, every code and boolean its value labels.\n"
	"\n"
	"  -o, --output FILE   the file to write (required), created 0600 as FILE.partial and\n"
	"                      renamed when complete\n"
	"  --format sav|dta    SPSS or Stata (default: from FILE's ending, .sav or .dta)\n"
	"  --section ID        the section: NAME/VERSION or NAME (default person_support)\n"
	"  --lang nl|en        the language of the labels (default nl)\n"
	"  --help, --version\n"
	"\n"
	"Values: a boolean is 0/1 (labelled no/yes); a code is its number in the schema's list\n"
	"of codes, from 1, labelled with the code's label (codebook --help shows the numbers);\n"
	"whole numbers, decimals and texts as they are; dates as dates (SPSS DATE11, Stata %%td).\n"
	"An empty value is system-missing in SPSS and . in Stata; an empty text is \"\", declared\n"
	"a missing value in SPSS. A variable without a label in the schema gets the field's\n"
	"definition. The file's date is the input file's modification time (stdin: 0, or\n"
	"SOURCE_DATE_EPOCH), so the same input gives the same bytes.\n"
	"\n"
	"Exit status: 0 written, 1 bad input, no such section, or a write error (no FILE is\n"
	"left then), 2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  rec-export -o persons.sav report/persons.rec.gz\n"
	"  rec-export --lang en -o persons.dta report/persons.rec.gz\n"
	"  rec-export --section model_coef/1 -o coef.dta report/persons.rec.gz\n");
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct ctx *c = vc;

	switch (o) {
	case 'o':
		c->out = arg;
		return 0;
	case 'f':
		if (strcmp(arg, "sav") && strcmp(arg, "dta"))
			return snprintf(err, errsz, "--format: sav or dta, not '%s'", arg), -1;
		c->format = strcmp(arg, "sav") == 0 ? FMT_SAV : FMT_DTA;
		return 0;
	case 's':
		c->want = arg;
		return 0;
	default:
		if ((c->lang = schema_lang(arg)) < 0)
			return snprintf(err, errsz, "--lang: nl or en, not '%s'", arg), -1;
		return 0;
	}
}

/* ---------------------------------------------------------------- the first pass */

static int section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;
	const struct schema *s = rec_reader_schema(r);

	(void)w;
	c->in_section = strchr(c->want, '/') ? strcmp(s->id, c->want) == 0 : strcmp(s->name, c->want) == 0;
	if (!c->in_section)
		return FILTER_SKIP;
	if (c->pass == 1 && c->schema && c->schema != s)
		return rec_reader_fail(r, -1, "%s and %s both answer to --section %s: name the version",
				       c->schema->id, s->id, c->want);
	if (c->schema == NULL) {
		c->schema = s;
		c->vars = xcalloc(s->n_fields, sizeof *c->vars);
	}
	return 0;
}

static int count(struct ctx *c, struct rec_reader *r)
{
	for (size_t i = 0; i < c->schema->n_fields; i++)
		if (c->schema->fields[i].type == ST_TEXT && rec_reader_field_len(r, i) > c->vars[i].width)
			c->vars[i].width = rec_reader_field_len(r, i);
	c->rows++;
	return 0;
}

static int write_row(struct ctx *c, struct rec_reader *r);

static int record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;

	(void)w;
	return c->pass == 1 ? count(c, r) : write_row(c, r);
}

/* stdin is read once: the first pass keeps its bytes for the second. */
static int input_start(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;
	char path[4096];
	const char *tmp = getenv("TMPDIR");

	(void)w;
	if (c->pass != 1 || c->input)
		return 0;
	snprintf(path, sizeof path, "%s/rec-export.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((c->spool_fd = mkstemp(path)) < 0) {
		diag_warn(path, 0, NULL, "cannot keep stdin for the second pass: %s", strerror(errno));
		return -1;
	}
	c->spool = xstrdup(path);
	rec_reader_tee(r, c->spool_fd);
	return 0;
}

/* ---------------------------------------------------------------- the variables */

/* The label of a variable: the schema's in --lang, else its definition; cut to what
 * Stata takes (80 characters, never inside a UTF-8 character). */
static const char *var_label(struct ctx *c, const struct schema_field *f)
{
	const char *l = f->label[c->lang] ? f->label[c->lang] : f->meaning;
	size_t bytes = 0, chars = 0;

	while (l[bytes] && chars < STATA_LABEL_MAX) {
		bytes++;
		while ((l[bytes] & 0xc0) == 0x80)
			bytes++;
		chars++;
	}
	snprintf(c->label, sizeof c->label, "%.*s", (int)bytes, l);
	return c->label;
}

/* Value labels: an enum's code k is the number k + 1; a bool's and an int's value is
 * itself. NULL when the field has no labelled value. */
static readstat_label_set_t *label_set(struct ctx *c, const struct schema_field *f)
{
	readstat_label_set_t *ls = NULL;

	for (size_t k = 0; k < f->n_values; k++) {
		const char *text = f->values[k].label[c->lang] ? f->values[k].label[c->lang] : f->values[k].code;

		if (f->type != ST_ENUM && !f->values[k].label[c->lang])
			continue;
		if (ls == NULL)
			ls = readstat_add_label_set(c->rw, READSTAT_TYPE_INT32, f->name);
		readstat_label_int32_value(ls, f->type == ST_ENUM ? (int32_t)k + 1 : atoi(f->values[k].code), text);
	}
	return ls;
}

static int add_variable(struct ctx *c, size_t i)
{
	const struct schema_field *f = &c->schema->fields[i];
	struct var *v = &c->vars[i];
	readstat_label_set_t *ls;

	switch (f->type) {
	case ST_BOOL: case ST_ENUM: v->type = READSTAT_TYPE_INT8; break;
	case ST_INT:  v->type = f->has_lo && f->has_hi && f->lo > -2e9 && f->hi < 2e9 ? READSTAT_TYPE_INT32
							: READSTAT_TYPE_DOUBLE; break;
	case ST_DATE: v->type = c->format == FMT_DTA ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE; break;
	case ST_NUM:  v->type = READSTAT_TYPE_DOUBLE; break;
	case ST_TEXT: v->type = READSTAT_TYPE_STRING; break;
	}
	if (v->type == READSTAT_TYPE_STRING && v->width == 0)
		v->width = 1;
	if (c->format == FMT_DTA && v->width > STATA_STR_MAX) {
		diag_warn(NULL, 0, f->name, "a text of %zu bytes: Stata takes at most %d", v->width, STATA_STR_MAX);
		return -1;
	}
	v->rv = readstat_add_variable(c->rw, f->name, v->type, v->width);
	readstat_variable_set_label(v->rv, var_label(c, f));
	if (f->type == ST_DATE)
		readstat_variable_set_format(v->rv, c->format == FMT_DTA ? "%td" : "DATE11");
	if ((f->type == ST_BOOL || f->type == ST_ENUM || f->type == ST_INT) && (ls = label_set(c, f)) != NULL)
		readstat_variable_set_label_set(v->rv, ls);
	readstat_variable_set_measure(v->rv, f->type == ST_BOOL || f->type == ST_ENUM ? READSTAT_MEASURE_NOMINAL
				      : f->type == ST_TEXT ? READSTAT_MEASURE_NOMINAL : READSTAT_MEASURE_SCALE);
	if (f->type == ST_TEXT && c->format == FMT_SAV && !f->required)
		readstat_variable_add_missing_string_value(v->rv, "");
	return 0;
}

/* ---------------------------------------------------------------- writing */

static ssize_t put_bytes(const void *data, size_t len, void *vc)
{
	struct ctx *c = vc;
	const char *p = data;
	size_t left = len;

	while (left > 0) {
		ssize_t n = write(c->of.fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		left -= (size_t)n;
	}
	return (ssize_t)len;
}

static int rs_failed(readstat_error_t e, const char *what)
{
	if (e == READSTAT_OK)
		return 0;
	diag_warn(NULL, 0, NULL, "%s: %s", what, readstat_error_message(e));
	return -1;
}

static readstat_error_t insert(struct ctx *c, struct rec_reader *r, size_t i)
{
	const struct var *v = &c->vars[i];
	int ix = (int)i, day, b;
	long n;
	double x;

	switch (c->schema->fields[i].type) {
	case ST_BOOL:
		b = rec_get_bool(r, ix);
		return b < 0 ? readstat_insert_missing_value(c->rw, v->rv) : readstat_insert_int8_value(c->rw, v->rv, (int8_t)b);
	case ST_ENUM:
		b = rec_get_code(r, ix);
		return b < 0 ? readstat_insert_missing_value(c->rw, v->rv) : readstat_insert_int8_value(c->rw, v->rv, (int8_t)(b + 1));
	case ST_INT:
		if ((n = rec_get_int(r, ix)) == REC_INT_NONE)
			return readstat_insert_missing_value(c->rw, v->rv);
		return v->type == READSTAT_TYPE_INT32 ? readstat_insert_int32_value(c->rw, v->rv, (int32_t)n)
			: readstat_insert_double_value(c->rw, v->rv, (double)n);
	case ST_DATE:
		if ((day = rec_get_date(r, ix)) == DATE_NONE)
			return readstat_insert_missing_value(c->rw, v->rv);
		return c->format == FMT_DTA ? readstat_insert_int32_value(c->rw, v->rv, day + STATA_DAY0)
			: readstat_insert_double_value(c->rw, v->rv, ((double)day + SPSS_DAY0) * 86400.0);
	case ST_NUM:
		x = rec_get_num(r, ix);
		return isnan(x) ? readstat_insert_missing_value(c->rw, v->rv) : readstat_insert_double_value(c->rw, v->rv, x);
	case ST_TEXT:
		return readstat_insert_string_value(c->rw, v->rv, rec_get_text(r, ix));
	}
	return READSTAT_OK;
}

static int write_row(struct ctx *c, struct rec_reader *r)
{
	if (rs_failed(readstat_begin_row(c->rw), "a row"))
		return -1;
	for (size_t i = 0; i < c->schema->n_fields; i++)
		if (rs_failed(insert(c, r, i), c->schema->fields[i].name))
			return -1;
	if (rec_reader_bad(r))
		return -1;   /* a value the schema refuses: the driver prints the reader's message */
	c->written++;
	return rs_failed(readstat_end_row(c->rw), "a row");
}

/* The file's date: the input's modification time, so that the same input gives the same
 * file (stdin: SOURCE_DATE_EPOCH, the reproducible-builds convention, else 0). */
static time_t file_time(const struct ctx *c)
{
	struct stat st;
	const char *epoch = getenv("SOURCE_DATE_EPOCH");

	if (c->input && stat(c->input, &st) == 0)
		return st.st_mtime;
	return epoch ? (time_t)strtoll(epoch, NULL, 10) : 0;
}

/* Between the passes: the file and its variables. */
static int begin(struct ctx *c)
{
	char file_label[128];

	if (c->schema == NULL) {
		diag_warn(c->input ? c->input : "stdin", 0, NULL, "no section %s in the input", c->want);
		return -1;
	}
	if (outfile_open(&c->of, c->out, 0600) < 0) {
		diag_warn(c->out, 0, NULL, "cannot write: %s", c->of.err);
		return -1;
	}
	c->of_open = 1;
	c->rw = readstat_writer_init();
	readstat_set_data_writer(c->rw, put_bytes);
	snprintf(file_label, sizeof file_label, "ketenmonitor %s", c->schema->id);
	readstat_writer_set_file_label(c->rw, file_label);
	readstat_writer_set_file_timestamp(c->rw, file_time(c));
	for (size_t i = 0; i < c->schema->n_fields; i++)
		if (add_variable(c, i) < 0)
			return -1;
	if (c->format == FMT_DTA) {
		readstat_writer_set_file_format_version(c->rw, 118);   /* Stata 14+: UTF-8 */
		return rs_failed(readstat_begin_writing_dta(c->rw, c, c->rows), c->out);
	}
	readstat_writer_set_compression(c->rw, READSTAT_COMPRESS_ROWS);
	return rs_failed(readstat_begin_writing_sav(c->rw, c, c->rows), c->out);
}

static int finish(struct ctx *c)
{
	if (c->written != c->rows) {
		diag_warn(c->input ? c->input : "stdin", 0, NULL, "%ld rows on the second reading, %ld on the first: the input changed",
			  c->written, c->rows);
		return -1;
	}
	if (rs_failed(readstat_end_writing(c->rw), c->out))
		return -1;
	c->of_open = 0;
	if (outfile_commit(&c->of) < 0) {
		diag_warn(c->out, 0, NULL, "%s", c->of.err);
		return -1;
	}
	return 0;
}

static void release(struct ctx *c)
{
	if (c->rw)
		readstat_writer_free(c->rw);
	if (c->of_open)
		outfile_abort(&c->of);
	if (c->spool) {
		close(c->spool_fd);
		unlink(c->spool);
		free(c->spool);
	}
	free(c->vars);
}

static int check_args(struct ctx *c, int argc, char **argv)
{
	if (argc - optind > 1)
		return filter_usage_error("one INPUT at most (rec-cat and cat join streams)");
	c->input = optind < argc && strcmp(argv[optind], "-") ? argv[optind] : NULL;
	if (c->out == NULL)
		return filter_usage_error("-o FILE is required (the file to write)");
	if (c->format == FMT_NONE)
		c->format = ends_with(c->out, ".sav") ? FMT_SAV : ends_with(c->out, ".dta") ? FMT_DTA : FMT_NONE;
	if (c->format == FMT_NONE)
		return filter_usage_error("--format sav|dta, or a FILE ending in .sav or .dta");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
		{ "section", required_argument, NULL, 's' }, { "lang", required_argument, NULL, 'l' }, { 0 }
	};
	static const struct filter rec_export = {
		.name = "rec-export", .usage = usage, .short_opts = "o:", .long_opts = longopts,
		.option = option, .input_start = input_start, .section = section, .record = record,
	};
	struct ctx c = { .want = "person_support", .lang = SCHEMA_NL, .spool_fd = -1 };
	int status, rc;

	if (filter_args(&rec_export, &c, argc, argv, &status))
		return status;
	if ((status = check_args(&c, argc, argv)) != 0)
		return status;
	c.pass = 1;
	rc = filter_read(&rec_export, &c, c.input, NULL);
	if (rc == 0 && (rc = begin(&c)) == 0) {
		c.pass = 2;
		rc = filter_read(&rec_export, &c, c.spool ? c.spool : c.input, NULL);
		if (rc == 0)
			rc = finish(&c);
	}
	release(&c);
	return filter_finish(NULL, rc < 0 ? EXIT_DATA : EXIT_SUCCESS_);
}
