/* rec-check - validate record streams against schemas/, optionally passing them through.
 *
 * It is the project's own independent witness of the stream contract: any stage, also one
 * written in awk or Python, can be checked by putting rec-check behind it, and with --pass
 * it can sit between two stages of a live pipeline (the bytes go through exactly as read;
 * a problem makes it exit 1, which `set -o pipefail` turns into a failed run).
 */
#include "diag.h"
#include "rec.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int pass_through;    /* --pass: copy the input to stdout unchanged */
static int check_values = 1;/* --structure turns the per-value checks off */
static int quiet;           /* -q: no report, only problems */

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

static void report_section(FILE *report, const char *name, const char *section, long records, long first, long last)
{
	if (section && !quiet)
		fprintf(report, "%s: %s: %ld records (lines %ld-%ld)\n", name, section, records, first, last);
}

static int check_stream(const char *path, FILE *report)
{
	struct rec_reader *r = rec_reader_open(path);
	const char *section = NULL;
	long first_line = 0, last_line = 0, in_section = 0, total = 0, sections = 0;
	int rc;

	if (r == NULL)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	if (pass_through)
		rec_reader_tee(r, STDOUT_FILENO);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			report_section(report, rec_reader_name(r), section, in_section, first_line, last_line);
			section = rec_reader_schema(r)->id;
			first_line = last_line = rec_reader_line(r) - 1;   /* the #schema line */
			last_line++;
			in_section = 0;
			sections++;
			continue;
		}
		total++;
		in_section++;
		last_line = rec_reader_line(r);
		if (check_values && rec_reader_check(r) >= 0) {
			diag_warn(NULL, 0, NULL, "%s", rec_reader_error(r));
			rec_reader_free(r);
			return EXIT_DATA;
		}
	}
	if (rc < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_reader_error(r));
		rec_reader_free(r);
		return EXIT_DATA;
	}
	report_section(report, rec_reader_name(r), section, in_section, first_line, last_line);
	if (!quiet)
		fprintf(report, "%s: ok: %ld sections, %ld records\n", rec_reader_name(r), sections, total);
	rec_reader_free(r);
	return 0;
}

static int list_schemas(void)
{
	const char *err = NULL;

	if (schema_find("", &err) == NULL && err)
		die(EXIT_DATA, NULL, 0, NULL, "cannot load schemas: %s", err);
	for (size_t i = 0; i < schema_count(); i++) {
		const struct schema *s = schema_at(i);
		const char *nl = strchr(s->comment, '\n');

		printf("%-20s %zu fields  %.*s\n", s->id, s->n_fields,
		       nl ? (int)(nl - s->comment) : (int)strlen(s->comment), s->comment);
	}
	return 0;
}

static int describe(const char *id)
{
	const char *err = NULL;
	const struct schema *s = schema_find(id, &err);

	if (s == NULL) {
		if (err)
			die(EXIT_DATA, NULL, 0, NULL, "cannot load schemas: %s", err);
		diag_usage("unknown schema '%s' (see rec-check --list)", id);
	}
	printf("%s (%s)\n%s\n\n", s->id, s->origin, s->comment);
	schema_describe(s, stdout, "  ");
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	FILE *report;
	int c, status = 0;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': pass_through = 1; break;
		case 's': check_values = 0; break;
		case 'q': quiet = 1; break;
		case 'l': return diag_close_stdout(list_schemas());
		case 'd': return diag_close_stdout(describe(optarg));
		case 'h': usage(stdout); return diag_close_stdout(0);
		case 'V': puts("rec-check ketenmonitor 0.1"); return diag_close_stdout(0);
		default: diag_usage("unknown option");
		}
	}
	report = pass_through ? stderr : stdout;
	if (optind == argc)
		status = check_stream(NULL, report);
	for (int i = optind; i < argc && status == 0; i++)
		status = check_stream(argv[i], report);
	return diag_close_stdout(status);
}
