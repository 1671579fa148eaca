/* tabulate - the report's tables from the person stream and the fitted models.
 *
 * Reads person_support/1 (classify-support) followed by fit-models' model_fit/1 and
 * model_coef/1 sections, and writes the cells a table spec asks for: as table/1 (long
 * CSV, one row a cell), as a Markdown report or as one self-contained HTML page. People
 * tables are streamed (one accumulator per cell, nothing per person is kept); model tables
 * are read from the model sections. Runs on the filter driver (filters/lib/filter.h): the
 * spec is read at the start, the sections are read into the parts, and the end makes the
 * cells, applies disclosure control and writes the renderings. See
 * filters/tabulate/tabulate.h for the parts.
 */
#include "tabulate.h"

#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "outfile.h"
#include "rec.h"
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

enum { FORMAT_CSV, FORMAT_MD, FORMAT_HTML };

/* What the figures are and what the pages withhold (part of --help). */
static void usage_method(FILE *fp)
{
	fprintf(fp,
	"Estimates: survey tables (weights design) are weighted by design_weight, with a\n"
	"design-based 95%% interval: ratio estimator over the domain, stratified by stratum, one\n"
	"person per PSU, no fpc, linearised (as R's survey::svymean on subset() of\n"
	"svydesign(ids=~1, strata=~stratum, weights=~design_weight) over everyone in the sample;\n"
	"a stratum with one sampled person adds nothing, as survey.lonely.psu = \"certainty\").\n"
	"With --calibrated CALSPEC (the calibration spec calibrate-weights ran with), a weighted\n"
	"panel takes the calibrated weight of the respondent set its condition lies in (the set\n"
	"whose every column the condition requires as COL == 1, the most specific one; none or\n"
	"two equally specific: a usage error naming the table), and its interval is survey's\n"
	"after calibrate(): svymean on subset() of the calibrated design of that set, the\n"
	"variance from the residuals of the calibration regression (the same singleton rule);\n"
	"the cell's method names the weight column.\n"
	"Unweighted shares get the Wilson interval, unweighted means mean +- 1.96 sd/sqrt(n).\n"
	"Registry tables (weights none) count every person of the population. n is always\n"
	"unweighted: the people a share or mean is over.\n"
	"Disclosure control (after the European SDC handbook and tau-ARGUS): primary\n"
	"suppression hides every count on fewer than --min-n people: a cell's n (for a\n"
	"category of a dist: its own count), a block's \"n = ...\" line, a model's n. A\n"
	"suppressed cell publishes nothing derived from it: estimate, interval and n are\n"
	"empty (suppressed = 1), md and html show x and no n, no bar. Secondary suppression:\n"
	"in a linked set (a dist's categories, rows declared linked) with one suppressed row\n"
	"the smallest other row goes too; then the audit takes every published count, the\n"
	"way each is defined (which people it counts: totals, complements, categories,\n"
	"nesting of populations and respondents, across tables) and, for every withheld\n"
	"count, the smallest and largest value it can still take (its feasibility interval:\n"
	"two linear programs, GLPK). Each must be at least --protection people wide; with\n"
	"--secondary audit the audit suppresses further cells (the smallest count that bounds\n"
	"the narrow interval) until every one is, with --secondary link a narrow interval\n"
	"fails the run: exit 1, naming the table, benefit, period, population, row and the\n"
	"interval, and nothing is written. Every withheld count is checked, the yes-count of\n"
	"a suppressed unweighted share too (estimate x n would give it away).\n"
	"--round-base B shows every count (n, count rows, block and model n) as the nearest\n"
	"multiple of B (halves up); estimates and intervals stay exact, so an unweighted share\n"
	"still pins its n (the audit knows). The method note states --min-n, --protection and\n"
	"the rounding.\n"
	"Model tables: effects (fig2/fig5): ame_scaled = AME / largest |AME| among the model's\n"
	"terms with p < --alpha (empty for the others), and ame with its interval (the pages\n"
	"draw an effect's bar, with its interval, and mark it * when the AME's 95%% interval\n"
	"excludes 0, so bar, mark and interval agree); symbols\n"
	"(table1): ++ significantly positive on every outcome (H1 or H2) and negative on none,\n"
	"+ positive on some, - negative on some and positive on none, +/- both, blank none;\n"
	"contrasts (hours_contrast): the contrast:NAME rows as difference.\n");
}

static void usage(FILE *fp)
{
	const struct schema *out = schema_find("table/1", NULL);

	fprintf(fp,
	"usage: tabulate [--format csv|md|html] [--lang nl|en] [--min-n N] [--protection P]\n"
	"                [--secondary audit|link] [--no-audit] [--round-base B] [--alpha A]\n"
	"                [--weights design|none|both] [--unweighted] [--tables ID,...]\n"
	"                [--variant ID,...] [--calibrated CALSPEC] [--changes FILE]\n"
	"                [--populations FILE] [--run-date DATE] [--extract-date KIND=DATE]\n"
	"                [--extract-dates FILE] [--pages-weighted] [--previous FILE]\n"
	"                [--csv FILE] [--md FILE] [--html FILE]\n"
	"                SPEC [FILE...]\n"
	"\n"
	"Make the report's tables. Reads a record stream (FILE..., or stdin when none or '-'):\n"
	"person_support/1 (classify-support; see schemas/person_support-1.schema) or\n"
	"person_calibrated/1 (calibrate-weights), then the\n"
	"model_fit/1 and model_coef/1 sections fit-models appends. Any other section is an error.\n"
	"SPEC says which tables to make (pipelines/eerste-jaar/tables.spec; format below).\n"
	"\n");
	usage_method(fp);
	fprintf(fp,
	"\n"
	"Options:\n"
	"  --format F     csv (default): table/1 record stream (gzip unless REC_LEVEL=0);\n"
	"                 md: a readable report; html: one self-contained page with SVG bars\n"
	"  --csv FILE, --md FILE, --html FILE\n"
	"                 write that format to FILE; any combination in one pass over the\n"
	"                 stream; --format is then unused. (The pipeline writes them all in its\n"
	"                 chain; after a published run it makes the pages again, with --changes.)\n"
	"                 FILE.partial is renamed to FILE when complete; a FIFO or device (also\n"
	"                 through a link: /dev/stdout) is written in place, any other link refused\n"
	"  --plain FILE   the cells for people: plain CSV (RFC 4180, UTF-8, header row first,\n"
	"                 no #schema line), table/1's columns and the report's words beside the\n"
	"                 ids in --lang: table_label, benefit_label, period_label,\n"
	"                 population_label, row_label (schemas/table_labelled-1.schema)\n"
	"  --lang L       nl (default: the report's own wording) or en, for md, html and --plain\n"
	"  --min-n N      suppress counts on fewer than N people (default 10; 0: none)\n"
	"  --protection P every withheld count keeps a feasibility interval at least P people\n"
	"                 wide (default: --min-n, so the published figures tell no more than\n"
	"                 the rule itself: a primary count lies in 0..N-1)\n"
	"  --secondary S  audit (default): suppress more cells until the audit passes;\n"
	"                 link: only the linked sets; a narrow interval then fails the run\n"
	"  --no-audit     skip the audit (link sets only; not for publication); --audit: on\n"
	"  --round-base B show counts as multiples of B (default 1: exact; CBS practice: 5)\n"
	"  --alpha A      significance level for model effects and symbols (default 0.05)\n"
	"  --weights W    design (default): survey tables weighted; none: all unweighted;\n"
	"                 both: weighted and unweighted cells (weighted = 1 / 0)\n"
	"  --unweighted   same as --weights none\n"
	"  --tables LIST  only these table ids (comma-separated), in the spec's order\n"
	"  --variant LIST make these variant tables (a 'variant BASE' line) in their bases'\n"
	"                 place, e.g. obligation_per_period (default: none, the bases)\n"
	"  --calibrated CALSPEC\n"
	"                 weighted panels take calibrated weights (above; default: design_weight)\n"
	"  --populations FILE\n"
	"                 the named populations the spec's conditions use (default: the file\n"
	"                 its 'populations FILE' line names, beside the spec)\n"
	"  --changes FILE what changed since the last published report: compare-runs' change/1\n"
	"                 stream of the last run's tables.csv against this run's (default: none,\n"
	"                 and no such section). md and html then open with a section \"Sinds\n"
	"                 het vorige rapport\" / \"Since the last report\": the tables whose\n"
	"                 method tag changed first, how many cells moved, and the cells that\n"
	"                 moved beyond their interval, with both estimates and z; suppressed\n"
	"                 cells are never listed. Every record must agree with this run's cells\n"
	"                 (key, suppression, estimate, n): a stream of another run is refused\n"
	"  --previous FILE the same section, compared here: FILE is the last published run's\n"
	"                 table/1 stream (its tables.rec.gz), compared with this run's --csv\n"
	"                 file once it is written, as compare-runs compares them at its default\n"
	"                 levels - so the pipeline needs no second pass for the pages. Needs\n"
	"                 --csv; not with --changes\n"
	"  --run-date DATE\n"
	"                 the date the run was made (YYYY-MM-DD), named in the pages' opening\n"
	"                 line (default: none named; tabulate itself reads no clock)\n"
	"  --extract-date KIND=DATE\n"
	"                 the extract date (peildatum) of the raw files of KIND, named in the\n"
	"                 opening line; repeat for more kinds (default: none named)\n"
	"  --extract-dates FILE\n"
	"                 lines KIND=DATE, each as an --extract-date, read once the input has\n"
	"                 ended: the first stage of a pipeline may still be writing FILE while\n"
	"                 tabulate reads its stream (the report pipeline's ingest writes it)\n"
	"  --pages-weighted\n"
	"                 with --weights both: the pages (--md, --html) show the survey cells\n"
	"                 weighted only, as with --weights design, while --csv and --plain have\n"
	"                 both; suppression is decided once, over every cell published\n"
	"                 (default: the pages show what the tables have)\n"
	"  --help, --version\n"
	"\n");
	spec_help(fp);
	fprintf(fp, "\nWrites table/1 (--format csv):\n");
	if (out)
		schema_describe(out, fp, "  ");
	fprintf(fp,
	"\nExit status: 0 ok, 1 bad data, spec or I/O (FILE:LINE: FIELD: problem), 2 bad usage.\n"
	"\nExamples:\n"
	"  bin/classify-support < status.gz | bin/fit-models pipelines/eerste-jaar/models.spec |\n"
	"      bin/tabulate pipelines/eerste-jaar/tables.spec > tables.gz\n"
	"  bin/tabulate --format html --lang en pipelines/eerste-jaar/tables.spec all.gz > report.html\n"
	"  bin/tabulate --tables coverage,fig1 --format md pipelines/eerste-jaar/tables.spec support.gz\n"
	"  bin/tabulate --min-n 20 --protection 20 --round-base 5 --csv t.csv --md r.md \\\n"
	"      pipelines/eerste-jaar/tables.spec persons.gz\n"
	"  bin/compare-runs last/tables.csv tables.csv > changes.csv\n"
	"  bin/tabulate --changes changes.csv --md report.md pipelines/eerste-jaar/tables.spec persons.gz\n");
}

enum section { SEC_NONE, SEC_PEOPLE, SEC_FIT, SEC_COEF };

/* One run: the command line, then what is built from the spec and the stream. What it
 * builds lives until exit (tabulate.h). */
struct run {
	struct topts o;
	int format;                 /* --format */
	const char *tables;         /* --tables */
	const char *variants;       /* --variant */
	const char *populations;    /* --populations */
	const char *changes_path;   /* --changes */
	const char *extract_file;   /* --extract-dates */
	const char *previous;       /* --previous */
	int pages_weighted;         /* --pages-weighted */
	struct tchanges *changes;
	const char *csv, *md, *html, *plain;   /* --csv, --md, --html, --plain FILE */
	const char *spec_path;      /* SPEC */
	const char *calibrated;     /* --calibrated SPEC */
	struct tcal *cal;
	struct tspec *spec;
	struct people *people;
	struct models *models;
	struct tcells cells;
	enum section sec;           /* the section being read */
	int people_sections;
};

/* ---- the command line ---------------------------------------------------------------- */

enum { O_FORMAT = 256, O_LANG, O_MIN_N, O_PROTECTION, O_SECONDARY, O_AUDIT, O_NO_AUDIT,
       O_ROUND_BASE, O_ALPHA, O_WEIGHTS, O_UNWEIGHTED, O_TABLES, O_POPULATIONS, O_CSV, O_MD,
       O_HTML, O_PLAIN, O_CALIBRATED, O_VARIANT, O_CHANGES, O_RUN_DATE, O_EXTRACT_DATE,
       O_EXTRACT_DATES, O_PAGES_WEIGHTED, O_PREVIOUS };

/* ARG as one of WORDS (NULL-terminated): its index; -1 and the message otherwise. */
static int one_word(const char *opt, const char *arg, const char *const *words, const char *what,
		    char *err, size_t errsz)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	snprintf(err, errsz, "%s: '%s' is not %s", opt, arg, what);
	return -1;
}

static int number_opt(const char *name, const char *v, double lo, double hi, double *out, char *err,
		      size_t errsz)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (*v == '\0' || *end || errno || !(*out >= lo && *out <= hi)) {
		snprintf(err, errsz, "%s: '%s' is not a number in [%g, %g]", name, v, lo, hi);
		return -1;
	}
	return 0;
}

static int whole_opt(const char *name, const char *v, double lo, long *out, char *err, size_t errsz)
{
	double d;

	if (number_opt(name, v, lo, 1e9, &d, err, errsz) < 0)
		return -1;
	if (d != floor(d)) {
		snprintf(err, errsz, "%s: '%s' is not a whole number", name, v);
		return -1;
	}
	*out = (long)d;
	return 0;
}

/* The options that choose a word. */
static int word_option(struct run *run, int opt, const char *arg, char *err, size_t errsz)
{
	static const char *const formats[] = { "csv", "md", "html", NULL };
	static const char *const langs[] = { "nl", "en", NULL };
	static const char *const secondary[] = { "audit", "link", NULL };
	static const char *const weights[] = { "design", "none", "both", NULL };
	int k;

	switch (opt) {
	case O_FORMAT:
		k = one_word("--format", arg, formats, "csv, md or html", err, errsz);
		run->format = k;
		break;
	case O_LANG:
		k = one_word("--lang", arg, langs, "nl or en", err, errsz);
		run->o.lang = k;
		break;
	case O_SECONDARY:
		k = one_word("--secondary", arg, secondary, "audit or link", err, errsz);
		run->o.secondary = k;
		break;
	default:
		k = one_word("--weights", arg, weights, "design, none or both", err, errsz);
		run->o.weights = k;
	}
	return k < 0 ? -1 : 0;
}

/* --run-date DATE, --extract-date KIND=DATE: checked, and kept as the page shows them. */
static int date_option(struct topts *o, int opt, const char *arg, char *err, size_t errsz)
{
	const char *eq = strchr(arg, '=');
	const char *date = opt == O_RUN_DATE ? arg : eq ? eq + 1 : "";
	size_t have = o->extract_dates ? strlen(o->extract_dates) : 0;

	if (date_parse_iso(date, strlen(date)) == DATE_NONE || (opt == O_EXTRACT_DATE && (eq == NULL || eq == arg))) {
		snprintf(err, errsz, "%s: '%s' is not %s", opt == O_RUN_DATE ? "--run-date" : "--extract-date", arg,
			 opt == O_RUN_DATE ? "a date YYYY-MM-DD" : "KIND=YYYY-MM-DD");
		return -1;
	}
	if (opt == O_RUN_DATE) {
		o->run_date = arg;
		return 0;
	}
	o->extract_dates = xrealloc(o->extract_dates, have + strlen(arg) + 3);
	sprintf(o->extract_dates + have, "%s%.*s %s", have ? ", " : "", (int)(eq - arg), arg, date);
	return 0;
}

static int option(void *ctx, int opt, const char *arg, char *err, size_t errsz)
{
	struct run *run = ctx;
	struct topts *o = &run->o;

	switch (opt) {
	case O_FORMAT: case O_LANG: case O_SECONDARY: case O_WEIGHTS:
		return word_option(run, opt, arg, err, errsz);
	case O_MIN_N: return whole_opt("--min-n", arg, 0, &o->min_n, err, errsz);
	case O_PROTECTION: return whole_opt("--protection", arg, 1, &o->protection, err, errsz);
	case O_ROUND_BASE: return whole_opt("--round-base", arg, 1, &o->round_base, err, errsz);
	case O_ALPHA: return number_opt("--alpha", arg, 0, 1, &o->alpha, err, errsz);
	case O_AUDIT: o->audit = 1; return 0;
	case O_NO_AUDIT: o->audit = 0; return 0;
	case O_UNWEIGHTED: o->weights = WEIGHTS_NONE; return 0;
	case O_TABLES: run->tables = arg; return 0;
	case O_POPULATIONS: run->populations = arg; return 0;
	case O_CSV: run->csv = arg; return 0;
	case O_MD: run->md = arg; return 0;
	case O_HTML: run->html = arg; return 0;
	case O_PLAIN: run->plain = arg; return 0;
	case O_CALIBRATED: run->calibrated = arg; return 0;
	case O_VARIANT: run->variants = arg; return 0;
	case O_CHANGES: run->changes_path = arg; return 0;
	case O_EXTRACT_DATES: run->extract_file = arg; return 0;
	case O_PAGES_WEIGHTED: run->pages_weighted = 1; return 0;
	case O_PREVIOUS: run->previous = arg; return 0;
	case O_RUN_DATE: case O_EXTRACT_DATE: return date_option(o, opt, arg, err, errsz);
	}
	return -1;
}

/* SPEC, then the input files. */
static int operands(void *ctx, int argc, char **argv, const char *const **inputs, size_t *n_inputs,
		    char *err, size_t errsz)
{
	struct run *run = ctx;

	if (argc == 0) {
		snprintf(err, errsz, "no SPEC given (e.g. pipelines/eerste-jaar/tables.spec)");
		return -1;
	}
	if (run->previous && !run->csv) {
		snprintf(err, errsz, "--previous needs --csv (the tables it compares)");
		return -1;
	}
	if (run->previous && run->changes_path) {
		snprintf(err, errsz, "--previous and --changes both give the changes: one of them");
		return -1;
	}
	run->spec_path = argv[0];
	*inputs = (const char *const *)argv + 1;
	*n_inputs = (size_t)argc - 1;
	if (run->o.protection < 0)
		run->o.protection = run->o.min_n;
	return 0;
}

/* ---- the stream ------------------------------------------------------------------------ */

static int start(void *ctx, struct rec_writer *out)
{
	struct run *run = ctx;
	char err[512];

	(void)out;
	run->spec = spec_load(run->spec_path, run->populations);
	if ((run->tables && spec_select(run->spec, run->tables, err, sizeof err) < 0) ||
	    (run->variants && spec_variants(run->spec, run->variants, err, sizeof err) < 0)) {
		filter_usage_error("%s", err);
		return FILTER_BAD_USAGE;
	}
	/* --weights none: nothing is weighted, so no calibrated weight is read */
	if (run->calibrated && run->o.weights != WEIGHTS_NONE && !(run->cal = tcal_load(run->calibrated, err, sizeof err))) {
		filter_usage_error("%s", err);
		return FILTER_BAD_USAGE;
	}
	if (run->cal && tcal_assign(run->cal, run->spec, err, sizeof err) < 0) {
		filter_usage_error("%s", err);
		return FILTER_BAD_USAGE;
	}
	if (run->changes_path && (run->changes = changes_load(run->changes_path)) == NULL)
		return -1;
	run->people = people_new(run->spec, &run->o, run->cal);
	run->models = models_new();
	return 0;
}

static int section(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct run *run = ctx;
	const char *id = rec_reader_schema(r)->id;

	(void)out;
	if (strcmp(id, "person_support/1") == 0 || strcmp(id, "person_calibrated/1") == 0) {
		run->sec = SEC_PEOPLE;
		run->people_sections++;
		return people_section(run->people, r);
	}
	if (strcmp(id, "model_fit/1") == 0) {
		run->sec = SEC_FIT;
		return models_fit_section(run->models, r);
	}
	if (strcmp(id, "model_coef/1") == 0) {
		run->sec = SEC_COEF;
		return models_coef_section(run->models, r);
	}
	return rec_reader_fail(r, -1, "section %s: tabulate reads person_support/1 (or person_calibrated/1), model_fit/1 and model_coef/1", id);
}

static int record(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct run *run = ctx;

	(void)out;
	switch (run->sec) {
	case SEC_PEOPLE: return people_record(run->people, r);
	case SEC_FIT: return models_fit_record(run->models, r);
	case SEC_COEF: return models_coef_record(run->models, r);
	default: BUG("record outside a section");
	}
}

/* Cells come from two places (people, models); put them back in the spec's table order,
 * keeping their order within a table. */
static void order_cells(const struct tspec *s, struct tcells *c)
{
	struct tcell *v = xmalloc((c->n ? c->n : 1) * sizeof *v);
	size_t k = 0;

	for (size_t t = 0; t < s->ntables; t++)
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].table == &s->tables[t])
				v[k++] = c->v[i];
	if (k != c->n)
		BUG("cells of no table");
	free(c->v);
	c->v = v;
	c->cap = c->n;
}

/* ---- the renderings -------------------------------------------------------------------- */

/* Write one rendering to PATH through outfile (PATH.partial renamed into place, a device
 * or FIFO written in place, a link refused), so a reader never sees half a page. */
struct rendering {
	const struct tctx *x;
	const struct page_format *page;
};

static void write_rendering(FILE *fp, const void *arg)
{
	const struct rendering *r = arg;

	render_page(r->x, fp, r->page);
}

static int render_to_file(const struct tctx *x, const char *path, const struct page_format *page)
{
	struct rendering r = { x, page };
	char err[512];

	if (outfile_stdio(path, 0644, write_rendering, &r, err, sizeof err) < 0) {
		diag_warn(path, 0, NULL, "%s", err);
		return -1;
	}
	return 0;
}

/* The tables asked for (--csv, --plain), from X. */
static int write_tables(const struct run *run, const struct tctx *x)
{
	if (run->csv && render_csv(x, run->csv) < 0)
		return -1;
	if (run->plain && render_plain(x, run->plain) < 0)
		return -1;
	return 0;
}

/* The pages asked for (--md, --html), from PX (X, or its weighted view: --pages-weighted). */
static int write_pages(const struct run *run, const struct tctx *px)
{
	if (run->md && render_to_file(px, run->md, &page_md) < 0)
		return -1;
	if (run->html && render_to_file(px, run->html, &page_html) < 0)
		return -1;
	return 0;
}

/* No file named: stdout in --format. */
static int write_format(const struct run *run, const struct tctx *x, const struct tctx *px)
{
	if (run->format == FORMAT_CSV)
		return render_csv(x, NULL);
	render_page(px, stdout, run->format == FORMAT_MD ? &page_md : &page_html);
	return 0;                   /* stdout's write errors: the driver's closing */
}

/* --extract-dates FILE: its lines KIND=DATE, each as an --extract-date. Read at the end,
 * when the pipeline's ingest has written it. Returns 0, or -1 after a message. */
static int read_extract_dates(struct topts *o, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[256], err[300];
	long n = 0;

	if (fp == NULL) {
		diag_warn(path, 0, NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, fp)) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (date_option(o, O_EXTRACT_DATE, line, err, sizeof err) < 0) {
			fclose(fp);
			diag_warn(path, n, NULL, "not KIND=YYYY-MM-DD: '%s'", line);
			return -1;
		}
	}
	fclose(fp);
	return 0;
}

/* --pages-weighted: the cells without the unweighted twins of the survey tables, which is
 * what --weights design makes - the pages then read as they always have. */
static void weighted_view(const struct tcells *all, struct tcells *view)
{
	view->v = xmalloc((all->n ? all->n : 1) * sizeof *view->v);
	view->n = 0;
	for (size_t i = 0; i < all->n; i++) {
		const struct tcell *c = &all->v[i];

		if (!(c->table->kind == KIND_PEOPLE && c->table->weighted && !c->weighted))
			view->v[view->n++] = *c;
	}
	view->cap = view->n;
}

/* The tables, then the pages: with --previous, the changes come from the tables just
 * written (--csv), so they are compared between the two; --changes is checked before
 * anything is written. X's cells are final (disclosure control done). */
static int render_all(struct run *run, struct tctx *x)
{
	struct topts po = run->o;
	struct tcells view = { NULL, 0, 0 };
	struct tctx px = *x;
	int rc = -1;

	if (run->pages_weighted && run->o.weights == WEIGHTS_BOTH) {
		po.weights = WEIGHTS_DESIGN;
		weighted_view(&run->cells, &view);
		px.opts = &po;
		px.cells = &view;
	}
	if (run->changes && changes_check(run->changes, &px) < 0)
		goto out;
	if (!(run->csv || run->md || run->html || run->plain)) {
		rc = write_format(run, x, &px);
		goto out;
	}
	if (write_tables(run, x) < 0)
		goto out;
	if (run->previous) {
		if ((run->changes = changes_compare(run->previous, run->csv)) == NULL ||
		    changes_check(run->changes, &px) < 0)
			goto out;
		px.changes = x->changes = run->changes;
	}
	rc = write_pages(run, &px);
out:
	free(view.v);
	return rc;
}

static int end(void *ctx, struct rec_writer *out)
{
	struct run *run = ctx;
	const struct tspec *s = run->spec;
	struct tctx x = { s, &run->o, run->models, &run->cells, run->changes };
	int need_people = 0;
	char err[300];

	(void)out;
	for (size_t i = 0; i < s->ntables; i++)
		need_people |= s->tables[i].selected && s->tables[i].kind == KIND_PEOPLE;
	if (need_people && run->people_sections == 0) {
		diag_warn(NULL, 0, NULL, "no person_support/1 section in the input (the people tables need it)");
		return -1;
	}
	if (run->cal && tcal_finish(run->cal, err, sizeof err) < 0) {
		diag_warn(NULL, 0, NULL, "--calibrated: %s", err);
		return -1;
	}
	people_cells(run->people, &run->cells);
	models_cells(run->models, s, &run->o, &run->cells);
	order_cells(s, &run->cells);
	disclose(&run->cells, run->people, run->models, &run->o);   /* dies before anything is written when the audit fails */
	if (run->extract_file && read_extract_dates(&run->o, run->extract_file) < 0)
		return -1;
	return render_all(run, &x);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, O_FORMAT },
		{ "lang", required_argument, NULL, O_LANG },
		{ "min-n", required_argument, NULL, O_MIN_N },
		{ "protection", required_argument, NULL, O_PROTECTION },
		{ "secondary", required_argument, NULL, O_SECONDARY },
		{ "audit", no_argument, NULL, O_AUDIT },
		{ "no-audit", no_argument, NULL, O_NO_AUDIT },
		{ "round-base", required_argument, NULL, O_ROUND_BASE },
		{ "alpha", required_argument, NULL, O_ALPHA },
		{ "weights", required_argument, NULL, O_WEIGHTS },
		{ "unweighted", no_argument, NULL, O_UNWEIGHTED },
		{ "tables", required_argument, NULL, O_TABLES },
		{ "populations", required_argument, NULL, O_POPULATIONS },
		{ "csv", required_argument, NULL, O_CSV },
		{ "md", required_argument, NULL, O_MD },
		{ "html", required_argument, NULL, O_HTML },
		{ "plain", required_argument, NULL, O_PLAIN },
		{ "calibrated", required_argument, NULL, O_CALIBRATED },
		{ "variant", required_argument, NULL, O_VARIANT },
		{ "changes", required_argument, NULL, O_CHANGES },
		{ "run-date", required_argument, NULL, O_RUN_DATE },
		{ "extract-date", required_argument, NULL, O_EXTRACT_DATE },
		{ "extract-dates", required_argument, NULL, O_EXTRACT_DATES },
		{ "pages-weighted", no_argument, NULL, O_PAGES_WEIGHTED },
		{ "previous", required_argument, NULL, O_PREVIOUS },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter tabulate = {
		.name = "tabulate", .usage = usage, .long_opts = longopts, .flags = FILTER_NO_STDOUT | FILTER_SPLIT_SPARSE,
		.option = option, .operands = operands, .start = start, .section = section,
		.record = record, .end = end,
	};
	/* static: what the run builds lives until exit (tabulate.h) and stays reachable from
	 * here, so a leak checker reports only real leaks */
	static struct run run = {
		.o = { .min_n = 10, .protection = -1, .audit = 1, .secondary = SECONDARY_AUDIT,
		       .round_base = 1, .alpha = 0.05, .weights = WEIGHTS_DESIGN, .lang = LANG_NL },
		.format = FORMAT_CSV,
	};

	gsl_set_error_handler_off();       /* svyvar.c checks every status */
	return filter_main(&tabulate, &run, argc, argv);
}
