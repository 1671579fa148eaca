/* rec-check - validate record streams against schemas/, optionally passing them through.
 *
 * It is the project's own independent witness of the stream contract: any stage, also one
 * written in awk or Python, can be checked by putting rec-check behind it, and with --pass
 * it can sit between two stages of a live pipeline (the bytes go through exactly as read;
 * a problem makes it exit 1, which `set -o pipefail` turns into a failed run).
 */
#include "diag.h"
#include "filter.h"
#include "rec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ctx {
	int pass_through;       /* --pass: copy the input to stdout unchanged */
	int check_values;       /* --structure turns the per-value checks off */
	int quiet;              /* -q: no report, only problems */
	const char *describe;   /* --describe ID */
	int list;               /* --list */
	FILE *report;           /* stdout, or stderr under --pass */
	/* the current input's current section, for its report line */
	const char *section;
	long first_line, last_line, in_section, total, sections;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: rec-check [--pass] [--structure] [-q] [FILE...]\n"
	"       rec-check --list\n"
	"       rec-check --describe NAME/VERSION\n"
	"\n"
	"Check record streams (gzip or plain CSV in #schema sections) against the schemas\n"
	"built from schemas/ (plus REC_SCHEMA_PATH): the gzip framing, the CSV, each section's\n"
	"header, the field count of every record, and every value's type, range and required\n"
	"flag. Prints each section with its record count, and stops at the first problem.\n"
	"No FILE, or '-', reads stdin.\n"
	"\n"
	"  --pass           copy the input to stdout exactly as read (for use between two\n"
	"                   stages); the report goes to stderr\n"
	"  --structure      check framing, headers and field counts, not the values\n"
	"  -q, --quiet      print nothing but problems\n"
	"  --list           list the known schemas\n"
	"  --describe ID    print the fields of schema ID (e.g. person/1)\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 valid, 1 a problem was found (message: FILE:LINE: FIELD: problem),\n"
	"2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  rec-check out/person.gz\n"
	"  ingest --key-file k R*.csv | rec-check --pass | link-waves > persons.gz\n"
	"  my-stage.py < in.gz | rec-check -q\n");
}

static void report_section(const struct ctx *c, const char *name)
{
	if (c->section && !c->quiet)
		fprintf(c->report, "%s: %s: %ld records (lines %ld-%ld)\n", name, c->section, c->in_section,
			c->first_line, c->last_line);
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;

	(void)w;
	report_section(c, rec_reader_name(r));
	c->section = rec_reader_schema(r)->id;
	c->first_line = c->last_line = rec_reader_line(r) - 1;   /* the #schema line */
	c->last_line++;
	c->in_section = 0;
	c->sections++;
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;

	(void)w;
	c->total++;
	c->in_section++;
	c->last_line = rec_reader_line(r);
	if (c->check_values && rec_reader_check(r) >= 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_reader_error(r));
		return -1;
	}
	return 0;
}

static int input_end(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct ctx *c = vc;

	(void)w;
	report_section(c, rec_reader_name(r));
	if (!c->quiet)
		fprintf(c->report, "%s: ok: %ld sections, %ld records\n", rec_reader_name(r), c->sections, c->total);
	c->section = NULL;
	c->in_section = c->total = c->sections = 0;
	return 0;
}

static int list_schemas(void)
{
	const char *err = NULL;

	if (schema_find("", &err) == NULL && err) {
		diag_warn(NULL, 0, NULL, "cannot load schemas: %s", err);
		return -1;
	}
	for (size_t i = 0; i < schema_count(); i++) {
		const struct schema *s = schema_at(i);
		const char *nl = strchr(s->comment, '\n');

		printf("%-20s %zu fields  %.*s\n", s->id, s->n_fields,
		       nl ? (int)(nl - s->comment) : (int)strlen(s->comment), s->comment);
	}
	return FILTER_DONE;
}

static int describe(const char *id)
{
	const char *err = NULL;
	const struct schema *s = schema_find(id, &err);

	if (s == NULL) {
		if (err)
			diag_warn(NULL, 0, NULL, "cannot load schemas: %s", err);
		else
			filter_usage_error("unknown schema '%s' (see rec-check --list)", id);
		return err ? -1 : FILTER_BAD_USAGE;
	}
	printf("%s (%s)\n%s\n\n", s->id, s->origin, s->comment);
	schema_describe(s, stdout, "  ");
	return FILTER_DONE;
}

static int input_start(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	(void)w;
	if (((struct ctx *)vc)->pass_through)
		rec_reader_tee(r, STDOUT_FILENO);
	return 0;
}

static int start(void *vc, struct rec_writer *w)
{
	struct ctx *c = vc;

	(void)w;
	if (c->list)
		return list_schemas();
	if (c->describe)
		return describe(c->describe);
	c->report = c->pass_through ? stderr : stdout;
	return 0;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct ctx *c = vc;

	(void)err;
	(void)errsz;
	switch (o) {
	case 'p': c->pass_through = 1; break;
	case 's': c->check_values = 0; break;
	case 'q': c->quiet = 1; break;
	case 'l': c->list = 1; break;
	case 'd': c->describe = arg; break;
	default: return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pass", no_argument, NULL, 'p' },
		{ "structure", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list", no_argument, NULL, 'l' },
		{ "describe", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter rec_check = {
		.name = "rec-check", .usage = usage, .short_opts = "q", .long_opts = longopts,
		.flags = FILTER_NO_STDOUT, .option = option, .start = start, .input_start = input_start, .section = section,
		.record = record, .input_end = input_end,
	};
	struct ctx c = { .check_values = 1 };

	return filter_main(&rec_check, &c, argc, argv);
}
