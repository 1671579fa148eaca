/* codebook - the codebook of a report folder, made from schemas/: every field of every
 * section an analyst gets, with its labels in Dutch and English, type, range or codes
 * (and the numbers the SPSS/Stata export gives the codes), what an empty value means, and
 * the program that writes it.
 *
 * Why a program and not a document: the schemas are the one place the fields, their
 * labels and their codes are declared (schema_label.h); the report, the export and this
 * codebook read them from there, so the codebook cannot say something the data does not.
 */
#include "diag.h"
#include "filter.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sections of a report folder, and the files that hold each (the run's names). */
static const struct section_file {
	const char *id, *files;
} report_sections[] = {
	{ "person_support/1", "persons.csv.gz (and the stream persons.rec.gz, from which rec-export writes .sav and .dta)" },
	{ "model_fit/1", "model_fit.csv (and the stream persons.rec.gz)" },
	{ "model_coef/1", "model_coef.csv (and the stream persons.rec.gz)" },
	{ "table_labelled/1", "tables.csv (the cells of tables.rec.gz with the report's words beside the ids)" },
	{ "table/1", "tables.rec.gz (the stream the next run's gates and compare-runs read)" },
	{ "reject/1", "rejects.csv.gz (and the stream rejects.rec.gz)" },
	{ "unlinked/1", "unlinked.csv.gz (and the stream unlinked.rec.gz)" },
};
#define N_REPORT (sizeof report_sections / sizeof report_sections[0])

enum format { FMT_MD, FMT_HTML };

struct ctx {
	enum format format;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: codebook [--format md|html] [SECTION...]\n"
	"\n"
	"Write the codebook of the sections named (NAME/VERSION; default: the sections of a\n"
	"report folder: person_support/1, model_fit/1, model_coef/1, table_labelled/1, table/1,\n"
	"reject/1, unlinked/1) on stdout, from the schemas built from schemas/ (plus REC_SCHEMA_PATH):\n"
	"for every field its label in Dutch and English, type, range or codes with their\n"
	"labels and the numbers rec-export gives them in SPSS and Stata, what an empty value\n"
	"means, the program that writes it, and its definition. Reads no data.\n"
	"\n"
	"  --format md|html   Markdown (default) or one self-contained HTML page\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 written, 1 an unknown section or a write error, 2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  codebook > codebook.md\n"
	"  codebook --format html person_support/1 > persons-codebook.html\n");
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct ctx *c = vc;

	(void)o;
	if (strcmp(arg, "md") == 0)
		c->format = FMT_MD;
	else if (strcmp(arg, "html") == 0)
		c->format = FMT_HTML;
	else
		return snprintf(err, errsz, "--format: md or html, not '%s'", arg), -1;
	return 0;
}

/* Text into a Markdown table cell or HTML: what would break the markup is escaped. */
static void put_text(enum format fmt, const char *s)
{
	for (; s && *s; s++) {
		if (fmt == FMT_MD && *s == '|')
			fputs("\\|", stdout);
		else if (fmt == FMT_HTML && *s == '<')
			fputs("&lt;", stdout);
		else if (fmt == FMT_HTML && *s == '>')
			fputs("&gt;", stdout);
		else if (fmt == FMT_HTML && *s == '&')
			fputs("&amp;", stdout);
		else
			putchar(*s);
	}
}

/* "nl / en" of a pair of labels; "-" for one that is absent. */
static void put_pair(enum format fmt, const char *const label[SCHEMA_N_LANG])
{
	put_text(fmt, label[SCHEMA_NL] ? label[SCHEMA_NL] : "-");
	fputs(" / ", stdout);
	put_text(fmt, label[SCHEMA_EN] ? label[SCHEMA_EN] : "-");
}

static void put_range(const struct schema_field *f)
{
	if (f->has_lo || f->has_hi) {
		printf(" [");
		if (f->has_lo)
			printf("%g", f->lo);
		printf(", ");
		if (f->has_hi)
			printf("%g", f->hi);
		printf("]");
	}
}

/* The type cell: the type, its range, and every labelled value. An enum's code k (from 1,
 * in the schema's order) is the number rec-export writes for it. */
static void put_type(enum format fmt, const struct schema_field *f)
{
	static const char *const names[] = { "int", "num", "date", "bool", "text", "enum" };
	const char *sep = fmt == FMT_HTML ? "<br>" : "; ";

	printf("%s", names[f->type]);
	put_range(f);
	if (f->type == ST_DATE)
		printf(" (yyyy-mm-dd)");
	for (size_t k = 0; k < f->n_values; k++) {
		const struct schema_value *v = &f->values[k];

		printf("%s", k == 0 ? (fmt == FMT_HTML ? "<br>" : ": ") : sep);
		if (f->type == ST_ENUM)
			printf("%s (%zu) = ", v->code, k + 1);
		else
			printf("%s = ", v->code);
		put_pair(fmt, v->label);
	}
}

static void put_missing(enum format fmt, const struct schema_field *f)
{
	if (f->required)
		fputs("nooit leeg / never empty", stdout);
	else
		put_pair(fmt, f->missing);
}

static void field_row(enum format fmt, const struct schema_field *f)
{
	const char *open = fmt == FMT_HTML ? "<tr><td><code>" : "| `";
	const char *next = fmt == FMT_HTML ? "</td><td>" : " | ";

	printf("%s%s%s%s", open, f->name, fmt == FMT_HTML ? "</code>" : "`", next);
	put_pair(fmt, f->label);
	fputs(next, stdout);
	put_type(fmt, f);
	fputs(next, stdout);
	put_missing(fmt, f);
	fputs(next, stdout);
	put_text(fmt, f->stage ? f->stage : "-");
	fputs(next, stdout);
	put_text(fmt, f->meaning);
	puts(fmt == FMT_HTML ? "</td></tr>" : " |");
}

static const char *files_of(const char *id)
{
	for (size_t i = 0; i < N_REPORT; i++)
		if (strcmp(report_sections[i].id, id) == 0)
			return report_sections[i].files;
	return NULL;
}

static void section(enum format fmt, const struct schema *s)
{
	const char *files = files_of(s->id);

	if (fmt == FMT_HTML) {
		printf("<h2 id=\"%s\">%s</h2>\n", s->name, s->id);
		if (files)
			printf("<p>In the report folder: %s.</p>\n", files);
		printf("<p>");
		put_text(fmt, s->comment);
		printf("</p>\n<table>\n<tr><th>field</th><th>label (nl / en)</th><th>type and values</th>"
		       "<th>empty means (nl / en)</th><th>written by</th><th>definition</th></tr>\n");
	} else {
		printf("## %s\n\n", s->id);
		if (files)
			printf("In the report folder: %s.\n\n", files);
		printf("%s\n\n", s->comment);
		printf("| field | label (nl / en) | type and values | empty means (nl / en) | written by | definition |\n"
		       "|---|---|---|---|---|---|\n");
	}
	for (size_t i = 0; i < s->n_fields; i++)
		field_row(fmt, &s->fields[i]);
	puts(fmt == FMT_HTML ? "</table>" : "");
}

static const char intro[] =
	"Every field of the files an analyst opens, from schemas/ (the one place the fields,\n"
	"their labels and codes are declared). How values are written:\n";
static const char *const intro_items[] = {
	"CSV files (tables.csv, persons.csv.gz, ...): UTF-8, comma, a header row; codes as the "
	"words shown, booleans 0/1, dates yyyy-mm-dd, decimals with a point; an empty field is a "
	"missing value.",
	"SPSS (.sav) and Stata (.dta), written by rec-export: every variable carries its label; a "
	"code is the number in parentheses, with the code's label as value label; booleans are "
	"0/1 labelled no/yes; dates are dates (SPSS DATE11, Stata %td); a missing number, date "
	"or code is system-missing (SPSS) or . (Stata); an empty text is \"\" (declared missing "
	"in SPSS).",
	"Labels are in Dutch and English (rec-export --lang nl|en picks one).",
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = { { "format", required_argument, NULL, 'f' }, { 0 } };
	static const struct filter codebook = {
		.name = "codebook", .usage = usage, .long_opts = longopts, .option = option,
	};
	struct ctx c = { FMT_MD };
	const char *err = NULL;
	int status;

	if (filter_args(&codebook, &c, argc, argv, &status))
		return status;
	for (int i = optind; i < argc; i++)
		if (schema_find(argv[i], &err) == NULL)
			die(EXIT_DATA, NULL, 0, NULL, "%s", err ? err : "no schema with this id (rec-check --list)");
	if (c.format == FMT_HTML)
		puts("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ketenmonitor codebook</title>\n"
		     "<style>body{font-family:sans-serif;max-width:80em;margin:1em auto;padding:0 1em}"
		     "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:.2em .4em;"
		     "vertical-align:top;text-align:left}th{background:#eee}</style></head><body>\n"
		     "<h1>Codebook</h1>");
	else
		puts("# Codebook\n");
	printf(c.format == FMT_HTML ? "<p>%s</p><ul>\n" : "%s\n", intro);
	for (size_t i = 0; i < sizeof intro_items / sizeof *intro_items; i++)
		printf(c.format == FMT_HTML ? "<li>%s</li>\n" : "- %s\n", intro_items[i]);
	puts(c.format == FMT_HTML ? "</ul>" : "");
	for (size_t i = 0; optind == argc && i < N_REPORT; i++) {
		const struct schema *s = schema_find(report_sections[i].id, &err);

		if (s == NULL)
			die(EXIT_DATA, NULL, 0, NULL, "%s: %s", report_sections[i].id, err ? err : "no such schema");
		section(c.format, s);
	}
	for (int i = optind; i < argc; i++)
		section(c.format, schema_find(argv[i], NULL));
	if (c.format == FMT_HTML)
		puts("</body></html>");
	return diag_close_stdout(EXIT_SUCCESS_);
}
