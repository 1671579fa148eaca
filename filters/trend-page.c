/* trend-page - the headline figures over every published report, as one HTML page.
 *
 * A monitor shows how figures move. This reads the history (history/1: one section per
 * published run, pipelines/refresh appends them) and writes REPORTS/current/history.html:
 * the runs, then for each headline figure of the gate spec a line chart over the runs
 * with its 95 % interval as a band, and a table of the same numbers (trend-page/series.h).
 * One self-contained page like the report's: inline CSS and SVG, no script, well-formed
 * XML. It holds only what was published: a suppressed figure is a gap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "filter.h"
#include "html.h"
#include "rec.h"
#include "runset.h"
#include "series.h"
#include "specs.h"

struct page_words {
	const char *lang, *title, *intro, *runs_head, *run, *published, *code, *peildatum, *extracts,
		*extracts_changed, *cells;
	struct chart_words chart;
};

static const struct page_words words_nl = {
	"nl", "Het eerste jaar: de kerncijfers door de tijd",
	"Elke grafiek volgt een kerncijfer over de gepubliceerde rapporten, het oudste links. De lijn is de "
	"schatting, de lichte band het 95%-betrouwbaarheidsinterval. Een verschil tussen twee rapporten is meer "
	"dan toeval (compare-runs: beyond) als het minstens de wortel is van de som van de kwadraten van de halve "
	"intervalbreedtes; banden die elkaar nog overlappen kunnen dus toch een echt verschil tonen. Een onderbreking "
	"is een rapport waarin het cijfer onderdrukt was of ontbrak; een gestreepte verticale lijn een rapport met "
	"een andere methode voor dit cijfer (een methodewijziging, geen nieuws). Onder elke grafiek staan dezelfde "
	"cijfers in een tabel.",
	"Gepubliceerde rapporten", "rapport", "gepubliceerd", "codeversie", "peildatum", "extracten",
	"gewijzigd", "cellen",
	{ "rapport", "gepubliceerd", "schatting", "95%-interval", "n", "onderdrukt", "niet in dit rapport",
	  "andere methode", "Lijngrafiek van", "Cijfers van" },
};

static const struct page_words words_en = {
	"en", "The first year: the headline figures over time",
	"Each chart follows one headline figure over the published reports, the oldest on the left. The line is "
	"the estimate, the light band its 95% confidence interval. A difference between two reports is more than "
	"chance (compare-runs: beyond) when it is at least the square root of the sum of the squared half-widths "
	"of their intervals, so bands that still overlap can show a real change. A gap is a report in which the "
	"figure was suppressed or absent; a dashed vertical line a report with another method for this figure "
	"(a change of method, not news). Below each chart, the same numbers as a table.",
	"Published reports", "report", "published", "code version", "peildatum", "extracts", "changed", "cells",
	{ "report", "published", "estimate", "95% interval", "n", "suppressed", "not in this report",
	  "another method", "Line chart of", "Numbers of" },
};

/* after html_base_css: the intro, then the chart's rules (chart_css), then the tables' */
static const char css_intro[] = ".intro{color:#555;font-size:.85rem;margin:0 0 .4rem}\n";
static const char css[] =
	"table{border-collapse:collapse;margin:.4rem 0;font-size:.8rem}\n"
	"caption{text-align:left;color:#555;font-size:.8rem}\n"
	"th,td{padding:.15rem .5rem;border-bottom:1px solid #ddd;text-align:right;font-variant-numeric:tabular-nums}\n"
	"th:first-child,td:first-child,td.t,th.t{text-align:left}\n"
	"td.ci{white-space:nowrap}\n"
	".note{color:#d55e00}\n"
	".scroll{overflow-x:auto}\n"
	"@media print{body{max-width:none;font-size:10pt;padding:0}section{break-inside:avoid;page-break-inside:avoid}"
	".band,.pt,.line{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

struct trend {
	const char *headline_spec;   /* --headlines SPEC (gates.spec) */
	const char *table_spec;      /* --tables SPEC (tables.spec; labels), or NULL */
	const struct page_words *w;  /* --lang */
	struct headlines heads;
	struct words labels;
	struct runset runs;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: trend-page --headlines SPEC [--tables SPEC] [--lang nl|en] [HISTORY...]\n"
"\n"
"Reads the history of the published reports (history/1: REPORTS/history.gz, one section\n"
"per run; HISTORY or stdin, gzip or plain, several are read one after the other) and writes\n"
"one HTML page on stdout: the runs (publication, date, code version, peildatum, extracts),\n"
"then for every headline figure a line chart over the runs in publication order - the\n"
"estimate as a line, its 95%% interval as a band, a gap where the figure was suppressed or\n"
"absent, a dashed line where its method tag changed - and a table of the same numbers\n"
"(for screen readers and print). Inline CSS and SVG, no script, well-formed XML.\n"
"\n"
"Options:\n"
"  --headlines SPEC  the headline figures: the `headline TABLE BENEFIT PERIOD POPULATION\n"
"                    ROW MEASURE` lines of a gate spec (pipelines/eerste-jaar/gates.spec);\n"
"                    required\n"
"  --tables SPEC     the table spec whose titles and labels (title.LANG, label.LANG) name\n"
"                    the figures (pipelines/eerste-jaar/tables.spec); default: the ids\n"
"  --lang nl|en      the page's language (default nl)\n"
"  --help, --version\n"
"\n"
"Exit status: 0 written, 1 bad input or I/O error, 2 bad usage.\n"
"\n"
"Example:\n"
"  trend-page --headlines pipelines/eerste-jaar/gates.spec --tables pipelines/eerste-jaar/tables.spec \\\n"
"    REPORTS/history.gz > REPORTS/current/history.html\n");
}

enum { O_HEADLINES = 1, O_TABLES, O_LANG };

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	struct trend *t = vc;

	switch (opt) {
	case O_HEADLINES: t->headline_spec = arg; return 0;
	case O_TABLES: t->table_spec = arg; return 0;
	case O_LANG:
		if (strcmp(arg, "nl") != 0 && strcmp(arg, "en") != 0) {
			snprintf(err, errsz, "--lang: nl or en, not '%s'", arg);
			return -1;
		}
		t->w = strcmp(arg, "en") == 0 ? &words_en : &words_nl;
		return 0;
	}
	return -1;
}

static int start(void *vc, struct rec_writer *out)
{
	struct trend *t = vc;
	char err[512];

	(void)out;
	if (t->headline_spec == NULL) {
		filter_usage_error("--headlines SPEC is required (the gate spec's headline lines)");
		return FILTER_BAD_USAGE;
	}
	if (headlines_load(&t->heads, t->headline_spec, err, sizeof err) < 0 ||
	    (t->table_spec && words_load(&t->labels, t->table_spec, t->w->lang, err, sizeof err) < 0)) {
		diag_warn(NULL, 0, NULL, "%s", err);
		return -1;
	}
	return 0;
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct trend *t = vc;

	(void)out;
	if (strcmp(rec_reader_schema(r)->id, "history/1") != 0)
		return rec_reader_fail(r, -1, "section %s: trend-page reads the history (history/1)",
				       rec_reader_schema(r)->id);
	return runset_section(&t->runs, r, rec_reader_name(r)) < 0 ? -1 : 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	(void)out;
	return runset_record(&((struct trend *)vc)->runs, r) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ the page */

static const char *label(const struct trend *t, const char *table, const char *key)
{
	char both[512];
	const char *s;

	snprintf(both, sizeof both, "%s/%s", table, key);
	if ((s = words_find(&t->labels, both)) || (s = words_find(&t->labels, key)))
		return s;
	return key;
}

static int by_publication(const void *a, const void *b)
{
	const struct run *x = *(const struct run *const *)a, *y = *(const struct run *const *)b;

	return x->publication != y->publication ? (x->publication > y->publication) - (x->publication < y->publication)
		: (x > y) - (x < y);
}

static void runs_table(FILE *fp, const struct trend *t, const struct run **order, size_t n)
{
	const struct page_words *w = t->w;

	fputs("<h2>", fp);
	html_esc(fp, w->runs_head);
	fprintf(fp, "</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"t\">"
		"%s</th><th scope=\"col\" class=\"t\">%s</th><th scope=\"col\" class=\"t\">%s</th><th scope=\"col\" "
		"class=\"t\">%s</th><th scope=\"col\" class=\"t\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
		w->run, "run", w->published, w->code, w->peildatum, w->extracts, w->cells);
	for (size_t i = 0; i < n; i++) {
		const struct run *r = order[i];
		int changed = i > 0 && strcmp(order[i - 1]->extracts_sha256, r->extracts_sha256) != 0;

		fprintf(fp, "<tr><td>%ld</td><td class=\"t\">", r->publication);
		html_esc(fp, r->name);
		fputs("</td><td class=\"t\">", fp);
		html_esc(fp, r->published);
		fputs("</td><td class=\"t\">", fp);
		html_esc(fp, r->code_version);
		fputs("</td><td class=\"t\">", fp);
		html_esc(fp, *r->peildatum ? r->peildatum : "-");
		fprintf(fp, "</td><td class=\"t\"><span class=\"id\">%.12s</span>%s%s</td><td>%zu</td></tr>\n",
			r->extracts_sha256, changed ? " " : "", changed ? w->extracts_changed : "", r->n);
	}
	fputs("</tbody></table></div>\n", fp);
}

/* One headline figure: its series over the runs, then the chart and the table. */
static void figure(FILE *fp, const struct trend *t, char *const *key, const struct run **order,
		   const struct cell ***sorted, size_t n)
{
	struct cell probe = { .key = { key[0], key[1], key[2], key[3], key[4], key[5] } };
	struct series s = { xcalloc(n ? n : 1, sizeof *s.pt), n, strcmp(key[5], "share") == 0 };
	char name[1024];

	for (size_t i = 0; i < n; i++) {
		s.pt[i].run = order[i];
		s.pt[i].cell = runset_lookup(sorted[i], order[i]->n, &probe);
		s.pt[i].method_changed = i > 0 && s.pt[i].cell && s.pt[i - 1].cell &&
			strcmp(s.pt[i].cell->method, s.pt[i - 1].cell->method) != 0;
	}
	snprintf(name, sizeof name, "%s · %s · %s", label(t, key[0], key[4]), label(t, key[0], key[1]),
		 label(t, key[0], key[2]));
	fputs("<h3>", fp);
	html_esc(fp, name);
	fprintf(fp, " <span class=\"id\">%s %s %s %s %s %s</span></h3>\n<p class=\"pop\">", key[0], key[1], key[2],
		key[3], key[4], key[5]);
	html_esc(fp, label(t, key[0], key[3]));
	fputs("</p>\n", fp);
	series_svg(fp, &s, name, &t->w->chart);
	fputs("<div class=\"scroll\">", fp);
	series_table(fp, &s, name, &t->w->chart);
	fputs("</div>\n", fp);
	free(s.pt);
}

static void page(FILE *fp, const struct trend *t, const struct run **order, const struct cell ***sorted, size_t n)
{
	const struct page_words *w = t->w;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>", w->lang);
	html_esc(fp, w->title);
	fprintf(fp, "</title>\n<style>\n%s%s%s%s</style>\n</head>\n<body>\n<h1>", html_base_css, css_intro, chart_css, css);
	html_esc(fp, w->title);
	fputs("</h1>\n<p class=\"intro\">", fp);
	html_esc(fp, w->intro);
	fputs("</p>\n", fp);
	runs_table(fp, t, order, n);
	for (size_t h = 0; h < t->heads.n; h++) {
		char *const *key = t->heads.key[h];
		char title[512];
		const char *text;

		if (h == 0 || strcmp(key[0], t->heads.key[h - 1][0]) != 0) {
			snprintf(title, sizeof title, "title:%s", key[0]);
			text = words_find(&t->labels, title);
			fprintf(fp, "%s<section>\n<h2>", h ? "</section>\n" : "");
			html_esc(fp, text ? text : key[0]);
			fprintf(fp, " <span class=\"id\">%s</span></h2>\n", key[0]);
		}
		figure(fp, t, key, order, sorted, n);
	}
	fputs(t->heads.n ? "</section>\n</body>\n</html>\n" : "</body>\n</html>\n", fp);
}

static int end(void *vc, struct rec_writer *out)
{
	struct trend *t = vc;
	size_t n = t->runs.n;
	const struct run **order = xcalloc(n ? n : 1, sizeof *order);
	const struct cell ***sorted = xcalloc(n ? n : 1, sizeof *sorted);
	char err[512];
	int rc = 0;

	(void)out;
	for (size_t i = 0; i < n; i++)
		order[i] = &t->runs.v[i];
	qsort(order, n, sizeof *order, by_publication);
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((sorted[i] = runset_sorted(order[i], err, sizeof err)) == NULL) {
			diag_warn(NULL, 0, NULL, "%s", err);
			rc = -1;
		}
	if (rc == 0)
		page(stdout, t, order, sorted, n);
	for (size_t i = 0; i < n; i++)
		free(sorted[i]);
	free(sorted);
	free(order);
	return rc;
}

static void release(void *vc)
{
	struct trend *t = vc;

	headlines_release(&t->heads);
	words_release(&t->labels);
	runset_release(&t->runs);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "headlines", required_argument, NULL, O_HEADLINES },
		{ "tables", required_argument, NULL, O_TABLES },
		{ "lang", required_argument, NULL, O_LANG },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter trend_page = {
		.name = "trend-page", .usage = usage, .long_opts = longopts, .option = option,
		.flags = FILTER_NO_STDOUT, .start = start, .section = section, .record = record, .end = end,
		.release = release,
	};
	struct trend t = { .w = &words_nl };

	return filter_main(&trend_page, &t, argc, argv);
}
