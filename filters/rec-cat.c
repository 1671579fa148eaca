/* rec-cat - one section of a record stream as a plain CSV file: the header row, then the
 * records, without the `#schema` line and without the other sections.
 *
 * Why: a record stream is for programs (several sections, a `#schema` line before each);
 * R's read.csv, pandas, DuckDB and a spreadsheet want one table with its header first.
 * rec-cat is the bridge, usable in any shell pipeline (`rec-cat person_support/1
 * persons.rec.gz | ...`); the report pipeline makes the plain files of a report folder
 * with it, several sections in one pass (--to). The bytes of each record go out as they
 * were read (the stream is RFC 4180 CSV already); the reader checks the framing, the
 * header against the schema and every record's field count on the way.
 *
 * In the report's chain rec-cat sits between fit-models and tabulate (--pass, --keep):
 * the stream goes on to tabulate as it came, and the kept stream and its plain files are
 * written in the same pass. Before, the chain kept the stream with tee and made the plain
 * files after it from the kept gzip file: one more inflate and parse of every person row,
 * on the run's serial tail (issue 22).
 */
#include "diag.h"
#include "filter.h"
#include "rec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TARGETS 16

/* One section to write, and where. */
struct target {
	const char *want;              /* NAME/VERSION, or NAME for any version */
	const char *path;              /* NULL = stdout */
	struct rec_writer *w;
	const struct schema *schema;   /* the section found (its header is written once) */
	int tapped;                    /* gzip beside a gzip --keep: its sections are the kept
				        * stream's own members, compressed once (rec.h's tap) */
};

struct ctx {
	struct target t[MAX_TARGETS];
	size_t n;
	const char *out;               /* -o FILE for the SECTION operand */
	struct target *cur;            /* the target of the section being read, or NULL */
	int pass;                      /* --pass: the input's bytes on to stdout, as read */
	const char *keep;              /* --keep FILE: every section, as a record stream */
	struct rec_writer *keep_w;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: rec-cat [-o FILE] SECTION [FILE...]\n"
	"       rec-cat --to SECTION=FILE [--to SECTION=FILE...] [FILE...]\n"
	"       rec-cat --pass [--keep FILE] [--to SECTION=FILE...] [FILE...]\n"
	"\n"
	"Write one section of record streams (gzip or plain; no FILE, or '-', reads stdin) as a\n"
	"plain CSV file: its header row, then its records - no #schema line, no other section.\n"
	"SECTION is NAME/VERSION (person_support/1) or NAME (any version). Sections of that\n"
	"schema in several inputs, or several times in one, go out one after another under one\n"
	"header. The result is RFC 4180 CSV in UTF-8 with a header row, as R's read.csv, pandas'\n"
	"read_csv, DuckDB and LibreOffice read it with their defaults.\n"
	"\n"
	"  -o, --output FILE     write to FILE instead of stdout; gzip (level 1) when FILE ends\n"
	"                        in .gz. Files are created 0600 (they may hold person rows) as\n"
	"                        FILE.partial and renamed when complete\n"
	"  --to SECTION=FILE     write SECTION to FILE (as -o); repeat it to write several\n"
	"                        sections in one pass over the input (at most %d)\n"
	"  --pass                pass the input on to stdout byte for byte, as read (gzip stays\n"
	"                        gzip), so rec-cat can sit in a pipeline; the sections go to\n"
	"                        files (--to, --keep), none to stdout\n"
	"  --keep FILE           also write every section, #schema lines included, to FILE as a\n"
	"                        record stream (gzip, level 1, when FILE ends in .gz; 0600, as\n"
	"                        -o): what `tee FILE` after a stage writing gzip would keep\n"
	"  --help, --version\n"
	"\n"
	"Standard output is always plain text (REC_LEVEL does not apply), or with --pass the\n"
	"input as it came. A failed run leaves nothing under any FILE; what --pass wrote\n"
	"before the failure is not taken back (the reader downstream sees a cut stream).\n"
	"\n"
	"Exit status: 0 written, 1 bad input, a SECTION not in the input, two versions of a\n"
	"NAME, or a write error (nothing is left under FILE then), 2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  rec-cat person_support/1 report/persons.rec.gz | head\n"
	"  rec-cat -o tables.csv table/1 report/tables.rec.gz\n"
	"  rec-cat --to person_support/1=persons.csv.gz --to model_fit/1=model_fit.csv persons.rec.gz\n"
	"  fit-models models.spec < support.gz | rec-cat --pass --keep persons.rec.gz \\\n"
	"      --to person_support/1=persons.csv.gz | tabulate tables.spec -\n",
	MAX_TARGETS);
}

/* Does the schema S answer to WANT (an id, or a name for any version)? */
static int wanted(const char *want, const struct schema *s)
{
	return strchr(want, '/') ? strcmp(want, s->id) == 0 : strcmp(want, s->name) == 0;
}

static int add_target(struct ctx *c, const char *want, const char *path, char *err, size_t errsz)
{
	if (c->n == MAX_TARGETS)
		return snprintf(err, errsz, "at most %d sections", MAX_TARGETS), -1;
	if (*want == '\0' || want[strlen(want) - 1] == '/')
		return snprintf(err, errsz, "not a section name: '%s'", want), -1;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->t[i].want, want) == 0)
			return snprintf(err, errsz, "%s named twice", want), -1;
	c->t[c->n].want = want;
	c->t[c->n++].path = path;
	return 0;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct ctx *c = vc;
	char *eq;

	if (o == 'o') {
		c->out = arg;
		return 0;
	}
	if (o == 'p') {
		c->pass = 1;
		return 0;
	}
	if (o == 'k') {
		c->keep = arg;
		return 0;
	}
	eq = strchr(arg, '=');
	if (eq == NULL || eq[1] == '\0')
		return snprintf(err, errsz, "--to: expected SECTION=FILE, not '%s'", arg), -1;
	*eq = '\0';   /* arg is argv's own string: it lives for the run */
	return add_target(c, arg, eq + 1, err, errsz);
}

static int operands(void *vc, int argc, char **argv, const char *const **inputs, size_t *n_inputs,
		    char *err, size_t errsz)
{
	struct ctx *c = vc;

	if (c->n > 0 && c->out)
		return snprintf(err, errsz, "-o goes with a SECTION operand, not with --to"), -1;
	if (c->keep && !c->pass)
		return snprintf(err, errsz, "--keep goes with --pass (rec-cat in a pipeline)"), -1;
	if (c->pass && c->out)
		return snprintf(err, errsz, "--pass goes with --to and --keep, not with -o"), -1;
	if (c->n == 0 && !c->pass) {
		if (argc == 0)
			return snprintf(err, errsz, "expected a SECTION (e.g. person_support/1)"), -1;
		if (add_target(c, argv[0], c->out, err, errsz) < 0)
			return -1;
		argc--;
		argv++;
	}
	*inputs = (const char *const *)argv;
	*n_inputs = (size_t)argc;
	return 0;
}

static int start(void *vc, struct rec_writer *out)
{
	struct ctx *c = vc;

	(void)out;
	if (c->keep) {
		c->keep_w = rec_writer_open(c->keep, rec_path_is_gz(c->keep) ? 1 : 0, 0600);
		if (c->keep_w == NULL) {
			diag_warn(c->keep, 0, NULL, "cannot write: %s", strerror(errno));
			return -1;
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		const char *path = c->t[i].path;

		c->t[i].w = rec_writer_open(path, rec_path_is_gz(path) ? 1 : 0, 0600);
		c->t[i].tapped = c->keep_w && rec_path_is_gz(c->keep) && rec_path_is_gz(path);
		if (c->t[i].w == NULL) {
			diag_warn(path ? path : "stdout", 0, NULL, "cannot write: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* --pass: the input's bytes go to stdout as they are read (rec-check --pass does the same). */
static int input_start(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct ctx *c = vc;

	(void)out;
	if (c->pass)
		rec_reader_tee(r, STDOUT_FILENO);
	return 0;
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct ctx *c = vc;
	const struct schema *s = rec_reader_schema(r);

	(void)out;
	c->cur = NULL;
	for (size_t i = 0; i < c->n && !c->cur; i++)
		if (wanted(c->t[i].want, s))
			c->cur = &c->t[i];
	if (c->cur && c->cur->tapped && (c->cur->schema == NULL || c->cur->schema == s)) {
		c->cur->schema = s;
		if (rec_writer_section_tap(c->keep_w, s->id, c->cur->w) < 0)
			return rec_reader_fail(r, -1, "%s", rec_writer_error(c->keep_w));
		return 0;
	}
	if (c->keep_w && rec_writer_section(c->keep_w, s->id) < 0)
		return rec_reader_fail(r, -1, "%s", rec_writer_error(c->keep_w));
	if (c->cur == NULL)
		return c->keep_w ? 0 : FILTER_SKIP;
	if (c->cur->schema == NULL) {
		c->cur->schema = s;
		if (rec_writer_plain_section(c->cur->w, s->id) < 0)
			return rec_reader_fail(r, -1, "%s", rec_writer_error(c->cur->w));
	} else if (c->cur->schema != s) {
		return rec_reader_fail(r, -1, "%s and %s both answer to %s: name the version", c->cur->schema->id,
				       s->id, c->cur->want);
	}
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct ctx *c = vc;

	(void)out;
	if (c->keep_w) {
		rec_put_fields(c->keep_w, r);
		rec_writer_end(c->keep_w);
		if (rec_writer_failed(c->keep_w))
			return rec_reader_fail(r, -1, "%s", rec_writer_error(c->keep_w));
	}
	if (c->cur && c->cur->tapped)   /* it went out with the kept stream's bytes */
		return rec_writer_failed(c->cur->w) ? rec_reader_fail(r, -1, "%s", rec_writer_error(c->cur->w)) : 0;
	if (c->cur == NULL)
		return 0;
	rec_put_fields(c->cur->w, r);
	rec_writer_end(c->cur->w);
	return rec_writer_failed(c->cur->w) ? rec_reader_fail(r, -1, "%s", rec_writer_error(c->cur->w)) : 0;
}

/* Every section named was there; then each file is closed (renamed into place). */
static int end(void *vc, struct rec_writer *out)
{
	struct ctx *c = vc;
	int rc = 0;

	(void)out;
	for (size_t i = 0; i < c->n; i++)
		if (c->t[i].schema == NULL) {
			diag_warn(NULL, 0, NULL, "no section %s in the input", c->t[i].want);
			return -1;
		}
	/* the kept stream first: its last tapped member still goes to a target's file */
	if (c->keep_w && rec_writer_close(c->keep_w) < 0)
		rc = -1;
	c->keep_w = NULL;
	for (size_t i = 0; i < c->n; i++) {
		if (rec_writer_close(c->t[i].w) < 0)
			rc = -1;
		c->t[i].w = NULL;
	}
	return rc;
}

/* After a failure: no file is left under its name. */
static void release(void *vc)
{
	struct ctx *c = vc;

	rec_writer_discard(c->keep_w);
	for (size_t i = 0; i < c->n; i++)
		rec_writer_discard(c->t[i].w);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "to", required_argument, NULL, 't' },
		{ "pass", no_argument, NULL, 'p' }, { "keep", required_argument, NULL, 'k' }, { 0 }
	};
	static const struct filter rec_cat = {
		.name = "rec-cat", .usage = usage, .short_opts = "o:", .long_opts = longopts,
		.flags = FILTER_NO_STDOUT | FILTER_SPLIT_LAZILY, .option = option, .operands = operands, .start = start,
		.input_start = input_start, .section = section, .record = record, .end = end, .release = release,
	};
	struct ctx c = { .n = 0 };

	return filter_main(&rec_cat, &c, argc, argv);
}
