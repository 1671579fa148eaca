/* tabulate - the report's tables from the person stream and the fitted models.
 *
 * Reads person_support/1 (classify-support) followed by fit-models' model_fit/1 and
 * model_coef/1 sections, and writes the cells a table spec asks for: as table/1 (long
 * CSV, one row a cell), as a Markdown report or as one self-contained HTML page. People
 * tables are streamed (one accumulator per cell, nothing per person is kept); model tables
 * are read from the model sections. See filters/tabulate/tabulate.h for the parts.
 */
#include "tabulate.h"

#include "diag.h"
#include "outfile.h"
#include "rec.h"
#include "schema.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FORMAT_CSV, FORMAT_MD, FORMAT_HTML };

static void usage(FILE *fp)
{
	const struct schema *out = schema_find("table/1", NULL);

	fprintf(fp,
	"usage: tabulate [--format csv|md|html] [--lang nl|en] [--min-n N] [--protection P]\n"
	"                [--secondary audit|link] [--no-audit] [--round-base B] [--alpha A]\n"
	"                [--weights design|none|both] [--unweighted] [--tables ID,...]\n"
	"                SPEC [FILE...]\n"
	"\n"
	"Make the report's tables. Reads a record stream (FILE..., or stdin when none or '-'):\n"
	"person_support/1 (classify-support; see schemas/person_support-1.schema), then the\n"
	"model_fit/1 and model_coef/1 sections fit-models appends. Any other section is an error.\n"
	"SPEC says which tables to make (pipelines/eerste-jaar/tables.spec; format below).\n"
	"\n"
	"Estimates: survey tables (weights design) are weighted by design_weight, with a\n"
	"design-based 95%% interval: ratio estimator over the domain, stratified by stratum, one\n"
	"person per PSU, no fpc, linearised (as R's survey::svymean on subset() of\n"
	"svydesign(ids=~1, strata=~stratum, weights=~design_weight) over everyone in the sample;\n"
	"a stratum with one sampled person adds nothing, as survey.lonely.psu = \"certainty\").\n"
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
	"terms with p < --alpha (empty for the others), and ame with its interval; symbols\n"
	"(table1): ++ significantly positive on every outcome (H1 or H2) and negative on none,\n"
	"+ positive on some, - negative on some and positive on none, +/- both, blank none;\n"
	"contrasts (hours_contrast): the contrast:NAME rows as difference.\n"
	"\n"
	"Options:\n"
	"  --format F     csv (default): table/1 record stream (gzip unless REC_LEVEL=0);\n"
	"                 md: a readable report; html: one self-contained page with SVG bars\n"
	"  --csv FILE, --md FILE, --html FILE\n"
	"                 write that format to FILE; any combination in one pass over the\n"
	"                 stream (the pipeline writes all three at once); --format is then unused.\n"
	"                 FILE.partial is renamed to FILE when complete; a FIFO or device (also\n"
	"                 through a link: /dev/stdout) is written in place, any other link refused\n"
	"  --lang L       nl (default: the report's own wording) or en, for md and html\n"
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
	"      pipelines/eerste-jaar/tables.spec persons.gz\n");
}

enum section { SEC_NONE, SEC_PEOPLE, SEC_FIT, SEC_COEF };

/* What the run builds lives until exit (see tabulate.h); kept here, not on main's stack, so
 * it stays reachable and a leak checker reports only real leaks. */
static struct tspec *spec;
static struct people *people;
static struct models *models;
static struct tcells cells;
/* the open input: a die() mid-stream leaves it reachable (volatile: the store must stay) */
static struct rec_reader *volatile reader;

static int read_stream(const char *path, struct people *p, struct models *m)
{
	enum section sec = SEC_NONE;
	int rc, people_sections = 0;
	struct rec_reader *r;

	r = reader = rec_reader_open(path);
	if (r == NULL)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			const char *id = rec_reader_schema(r)->id;

			if (strcmp(id, "person_support/1") == 0) {
				sec = SEC_PEOPLE;
				people_section(p, r);
				people_sections++;
			} else if (strcmp(id, "model_fit/1") == 0) {
				sec = SEC_FIT;
				models_fit_section(m, r);
			} else if (strcmp(id, "model_coef/1") == 0) {
				sec = SEC_COEF;
				models_coef_section(m, r);
			} else {
				die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), NULL,
				    "section %s: tabulate reads person_support/1, model_fit/1 and model_coef/1", id);
			}
			continue;
		}
		switch (sec) {
		case SEC_PEOPLE: people_record(p, r); break;
		case SEC_FIT: models_fit_record(m, r); break;
		case SEC_COEF: models_coef_record(m, r); break;
		default: BUG("record outside a section");
		}
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
	rec_reader_free(r);
	reader = NULL;
	return people_sections;
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

void render_csv(const struct tctx *x, const char *path)
{
	struct rec_writer *w = rec_writer_open(path, -1, 0644);

	if (w == NULL)
		die(EXIT_DATA, path ? path : "stdout", 0, NULL, "cannot write: %s", strerror(errno));
	if (rec_writer_section(w, "table/1") != 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (size_t i = 0; i < x->cells->n && !rec_writer_failed(w); i++) {
		const struct tcell *c = &x->cells->v[i];

		rec_put(w, c->table->id);
		rec_put(w, c->benefit);
		rec_put(w, c->period);
		rec_put(w, c->population);
		rec_put(w, c->row);
		rec_put(w, c->measure);
		rec_put_num(w, c->est);
		rec_put_num(w, c->lo);
		rec_put_num(w, c->hi);
		if (c->suppressed)
			rec_put_missing(w);         /* a suppressed cell has no count either */
		else
			rec_put_int(w, c->n);
		rec_put_bool(w, c->suppressed != 0);
		rec_put_bool(w, c->weighted);
		rec_put(w, c->symbol);
		rec_put(w, c->method);
		rec_writer_end(w);
	}
	if (rec_writer_close(w) != 0)
		exit(diag_close_stdout(EXIT_DATA));
}

/* Write one rendering to PATH through outfile (PATH.partial renamed into place, a device
 * or FIFO written in place, a link refused), so a reader never sees half a page. */
static void render_to_file(const struct tctx *x, const char *path, void (*render)(const struct tctx *, FILE *))
{
	struct outfile of;
	FILE *fp;
	int fd, bad, e;

	if (outfile_open(&of, path, 0644) < 0)
		die(EXIT_DATA, path, 0, NULL, "cannot write: %s", of.err);
	/* stdio gets its own descriptor: fclose closes that one, outfile_commit the other */
	if ((fd = dup(of.fd)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		outfile_abort(&of);
		die(EXIT_DATA, path, 0, NULL, "cannot write: %s", strerror(errno));
	}
	render(x, fp);
	bad = fflush(fp) != 0 || ferror(fp);
	e = errno;
	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		outfile_abort(&of);
		die(EXIT_DATA, path, 0, NULL, "write error: %s", strerror(e));
	}
	if (outfile_commit(&of) < 0)
		die(EXIT_DATA, path, 0, NULL, "%s", of.err);
}

static double parse_double_opt(const char *name, const char *v, double lo, double hi)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (*v == '\0' || *end || errno || !(d >= lo && d <= hi))
		diag_usage("%s: '%s' is not a number in [%g, %g]", name, v, lo, hi);
	return d;
}

static long parse_whole_opt(const char *name, const char *v, double lo)
{
	double d = parse_double_opt(name, v, lo, 1e9);

	if (d != floor(d))
		diag_usage("%s: '%s' is not a whole number", name, v);
	return (long)d;
}

/* The command line: the options tabulate.h passes on, and where the renderings go. */
struct args {
	struct topts o;
	int format;
	const char *tables, *csv, *md, *html;
};

static void parse_disclosure_opt(struct topts *o, int c)
{
	switch (c) {
	case 'm': o->min_n = parse_whole_opt("--min-n", optarg, 0); break;
	case 'P': o->protection = parse_whole_opt("--protection", optarg, 1); break;
	case 'R': o->round_base = parse_whole_opt("--round-base", optarg, 1); break;
	case 'A': o->audit = 1; break;
	case 'N': o->audit = 0; break;
	default:
		if (strcmp(optarg, "audit") == 0) o->secondary = SECONDARY_AUDIT;
		else if (strcmp(optarg, "link") == 0) o->secondary = SECONDARY_LINK;
		else diag_usage("--secondary: '%s' is not audit or link", optarg);
	}
}

static void parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "min-n", required_argument, NULL, 'm' },
		{ "protection", required_argument, NULL, 'P' },
		{ "secondary", required_argument, NULL, 'S' },
		{ "audit", no_argument, NULL, 'A' },
		{ "no-audit", no_argument, NULL, 'N' },
		{ "round-base", required_argument, NULL, 'R' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "weights", required_argument, NULL, 'w' },
		{ "unweighted", no_argument, NULL, 'u' },
		{ "tables", required_argument, NULL, 't' },
		{ "csv", required_argument, NULL, 'C' },
		{ "md", required_argument, NULL, 'M' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct topts *o = &a->o;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0) a->format = FORMAT_CSV;
			else if (strcmp(optarg, "md") == 0) a->format = FORMAT_MD;
			else if (strcmp(optarg, "html") == 0) a->format = FORMAT_HTML;
			else diag_usage("--format: '%s' is not csv, md or html", optarg);
			break;
		case 'l':
			if (strcmp(optarg, "nl") == 0) o->lang = LANG_NL;
			else if (strcmp(optarg, "en") == 0) o->lang = LANG_EN;
			else diag_usage("--lang: '%s' is not nl or en", optarg);
			break;
		case 'm': case 'P': case 'R': case 'S': case 'A': case 'N':
			parse_disclosure_opt(o, c);
			break;
		case 'a': o->alpha = parse_double_opt("--alpha", optarg, 0, 1); break;
		case 'w':
			if (strcmp(optarg, "design") == 0) o->weights = WEIGHTS_DESIGN;
			else if (strcmp(optarg, "none") == 0) o->weights = WEIGHTS_NONE;
			else if (strcmp(optarg, "both") == 0) o->weights = WEIGHTS_BOTH;
			else diag_usage("--weights: '%s' is not design, none or both", optarg);
			break;
		case 'u': o->weights = WEIGHTS_NONE; break;
		case 't': a->tables = optarg; break;
		case 'C': a->csv = optarg; break;
		case 'M': a->md = optarg; break;
		case 'H': a->html = optarg; break;
		case 'h': usage(stdout); exit(diag_close_stdout(0));
		case 'V': puts("tabulate ketenmonitor 0.1"); exit(diag_close_stdout(0));
		default: diag_usage("unknown option");
		}
	}
	if (optind == argc)
		diag_usage("no SPEC given (e.g. pipelines/eerste-jaar/tables.spec)");
	if (o->protection < 0)
		o->protection = o->min_n;
}

int main(int argc, char **argv)
{
	struct args a = { .o = { .min_n = 10, .protection = -1, .audit = 1, .secondary = SECONDARY_AUDIT,
				 .round_base = 1, .alpha = 0.05, .weights = WEIGHTS_DESIGN, .lang = LANG_NL },
			  .format = FORMAT_CSV };
	int need_people = 0, people_sections = 0;
	struct tctx ctx;

	diag_init(argv[0]);
	parse_args(argc, argv, &a);
	spec = spec_load(argv[optind++]);
	if (a.tables)
		spec_select(spec, a.tables);
	for (size_t i = 0; i < spec->ntables; i++)
		need_people |= spec->tables[i].selected && spec->tables[i].kind == KIND_PEOPLE;
	people = people_new(spec, &a.o);
	models = models_new();
	rec_enlarge_pipe(STDIN_FILENO);

	if (optind == argc)
		people_sections += read_stream(NULL, people, models);
	for (int i = optind; i < argc; i++)
		people_sections += read_stream(argv[i], people, models);
	if (need_people && people_sections == 0)
		die(EXIT_DATA, NULL, 0, NULL, "no person_support/1 section in the input (the people tables need it)");

	people_cells(people, &cells);
	models_cells(models, spec, &a.o, &cells);
	order_cells(spec, &cells);
	disclose(&cells, people, models, &a.o);   /* dies before anything is written when the audit fails */

	ctx.spec = spec;
	ctx.opts = &a.o;
	ctx.models = models;
	ctx.cells = &cells;
	if (a.csv || a.md || a.html) {
		if (a.csv)
			render_csv(&ctx, a.csv);
		if (a.md)
			render_to_file(&ctx, a.md, render_md);
		if (a.html)
			render_to_file(&ctx, a.html, render_html);
	} else if (a.format == FORMAT_CSV) {
		render_csv(&ctx, NULL);
	} else if (a.format == FORMAT_MD) {
		render_md(&ctx, stdout);
	} else {
		render_html(&ctx, stdout);
	}
	return diag_close_stdout(0);
}
