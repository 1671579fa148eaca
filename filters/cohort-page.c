/* cohort-page - the registry monitor's report pages: cohort_table/1 as Markdown and HTML.
 *
 * cohort-tables writes the monitor's figures as a long table (cohort_table/1: a row per
 * figure of every cohort and benefit, with its status). This reads it and writes the
 * readable pages (page.h): per kind of cohort and benefit, each indicator - applicants, on
 * benefit after 3, 6 and 12 months, the handover categories, the Kaplan-Meier median - as
 * a line over the cohorts with its interval band (HTML) and a table of the same numbers,
 * then the Kaplan-Meier curves S(1..18) of the last cohorts. A not_yet_known figure is
 * shown as such and a suppressed one as x, never with a number (figures.c keeps none).
 * One program, one job: cohort-tables computes, this lays out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "filter.h"
#include "outfile.h"
#include "page.h"
#include "rec.h"
#include "schema.h"

#define IN_SCHEMA "cohort_table/1"

enum { F_TABLE, F_KIND, F_COHORT, F_BENEFIT, F_ROW, F_MEASURE, F_STATUS, F_EST, F_LO, F_HI, F_N, F_METHOD, N_F };
static const char *const field_name[N_F] = {
	"table", "cohort_kind", "cohort", "benefit", "row", "measure", "status", "estimate", "ci_low", "ci_high", "n",
	"method",
};

struct run {
	const char *md, *html;       /* --md FILE, --html FILE */
	int format_md;               /* --format md: Markdown on stdout (default HTML) */
	struct opts o;
	int ix[N_F];
	struct figset fs;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: cohort-page [--md FILE] [--html FILE] [--format md|html] [--lang nl|en] [--curves N] [TABLES...]\n"
"\n"
"Reads the registry monitor's figures (cohort_table/1, what cohort-tables writes; TABLES or\n"
"stdin, gzip or plain) and writes its report pages: per kind of cohort and benefit, each\n"
"indicator - applicants, on benefit after 3, 6 and 12 months, the WW handover categories,\n"
"the Kaplan-Meier median - as a line over the cohorts with its 95%% interval as a band\n"
"(HTML) and a table of the same numbers, then the Kaplan-Meier curves S(1..18) of the\n"
"last cohorts. A figure that is not yet known is shown as 'not yet known' and never as a\n"
"number; a suppressed one as x, with nothing derived from it; a provisional Kaplan-Meier\n"
"figure (members still censored) says so. HTML: inline CSS and SVG, no script,\n"
"well-formed XML. Writes FILE.partial and renames it when complete.\n"
"\n"
"Options:\n"
"  --md FILE         write the Markdown page to FILE\n"
"  --html FILE       write the HTML page to FILE\n"
"  --format md|html  without --md and --html: the page written on stdout (default html)\n"
"  --lang nl|en      the pages' language (default nl)\n"
"  --curves N        the Kaplan-Meier curves of the last N cohorts with a reading to draw,\n"
"                    1 to %d (default 3)\n"
"  --help, --version\n"
"\n"
"Exit status: 0 written, 1 bad input or I/O error, 2 bad usage.\n"
"\n"
"Example:\n"
"  cohort-page --lang en --md report.md --html report.html tables.csv\n", CHART_COLOURS);
}

enum { O_MD = 1, O_HTML, O_FORMAT, O_LANG, O_CURVES };

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	struct run *run = vc;
	char *end;
	long v;

	switch (opt) {
	case O_MD: run->md = arg; return 0;
	case O_HTML: run->html = arg; return 0;
	case O_FORMAT:
		if (strcmp(arg, "md") != 0 && strcmp(arg, "html") != 0)
			break;
		run->format_md = strcmp(arg, "md") == 0;
		return 0;
	case O_LANG:
		if (strcmp(arg, "nl") != 0 && strcmp(arg, "en") != 0)
			break;
		run->o.lang = strcmp(arg, "en") == 0 ? LANG_EN : LANG_NL;
		return 0;
	case O_CURVES:
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || v < 1 || v > CHART_COLOURS)
			break;
		run->o.curves = (int)v;
		return 0;
	}
	snprintf(err, errsz, "%s: not '%s' (%s)", opt == O_FORMAT ? "--format" : opt == O_LANG ? "--lang" : "--curves",
		 arg, opt == O_FORMAT ? "md or html" : opt == O_LANG ? "nl or en" : "a number of cohorts, 1 to 4");
	return -1;
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct run *run = vc;

	(void)out;
	if (strcmp(rec_reader_schema(r)->id, IN_SCHEMA) != 0)
		return rec_reader_fail(r, -1, "section %s: cohort-page reads " IN_SCHEMA " (cohort-tables)",
				       rec_reader_schema(r)->id);
	for (int i = 0; i < N_F; i++)
		run->ix[i] = rec_reader_require(r, field_name[i]);
	return rec_reader_bad(r) ? -1 : 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	static const char *const status_name[N_STATUS] = { "known", "estimate", "not_yet_known", "suppressed" };
	struct run *run = vc;
	const char *status = rec_get_text(r, run->ix[F_STATUS]);
	struct fig_row f = {
		.table = rec_get_text(r, run->ix[F_TABLE]), .kind = rec_get_text(r, run->ix[F_KIND]),
		.cohort = rec_get_text(r, run->ix[F_COHORT]), .benefit = rec_get_text(r, run->ix[F_BENEFIT]),
		.row = rec_get_text(r, run->ix[F_ROW]), .measure = rec_get_text(r, run->ix[F_MEASURE]),
		.method = rec_get_text(r, run->ix[F_METHOD]), .est = rec_get_num(r, run->ix[F_EST]),
		.lo = rec_get_num(r, run->ix[F_LO]), .hi = rec_get_num(r, run->ix[F_HI]), .n = rec_get_int(r, run->ix[F_N]),
	};
	int st;

	(void)out;
	if (rec_reader_bad(r))
		return -1;
	for (st = 0; st < N_STATUS && strcmp(status, status_name[st]) != 0; st++)
		;
	f.status = (enum fstatus)st;
	if (f.n == REC_INT_NONE)
		f.n = -1;
	figset_add(&run->fs, &f);
	return 0;
}

static void write_page(FILE *fp, const void *arg)
{
	const struct run *run = ((const struct run *const *)arg)[0];
	const struct page_format *fmt = ((const struct page_format *const *)arg)[1];
	struct page_ctx x = { &run->fs, &run->o };

	page_walk(&x, fp, fmt);
}

static int end(void *vc, struct rec_writer *out)
{
	struct run *run = vc;
	char err[512];

	(void)out;
	if (run->md || run->html) {
		const void *md[2] = { run, &page_md }, *html[2] = { run, &page_html };

		if (run->md && outfile_stdio(run->md, 0644, write_page, md, err, sizeof err) < 0) {
			diag_warn(run->md, 0, NULL, "%s", err);
			return -1;
		}
		if (run->html && outfile_stdio(run->html, 0644, write_page, html, err, sizeof err) < 0) {
			diag_warn(run->html, 0, NULL, "%s", err);
			return -1;
		}
		return 0;
	}
	write_page(stdout, (const void *[2]){ run, run->format_md ? &page_md : &page_html });
	return 0;                   /* stdout's write errors: the driver's closing */
}

static void release(void *vc)
{
	figset_release(&((struct run *)vc)->fs);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "md", required_argument, NULL, O_MD },
		{ "html", required_argument, NULL, O_HTML },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "lang", required_argument, NULL, O_LANG },
		{ "curves", required_argument, NULL, O_CURVES },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter cohort_page = {
		.name = "cohort-page", .usage = usage, .long_opts = longopts, .option = option,
		.flags = FILTER_NO_STDOUT, .section = section, .record = record, .end = end, .release = release,
	};
	struct run run = { .o = { .lang = LANG_NL, .curves = 3 } };

	return filter_main(&cohort_page, &run, argc, argv);
}
