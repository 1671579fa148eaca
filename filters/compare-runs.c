/* compare-runs - what changed between two published runs, cell by cell, with a verdict.
 *
 * The monitor's question after every refresh: which figures moved, and is it more than
 * noise? Two runs' table/1 cells in (two tables.csv, or two runs of the history), change/1
 * out: method records first (a table whose method tag differs: every difference there is
 * a change of method, not news), then a record per cell with both sides and the verdict of
 * verdict.h - the records of runcmp.h, which tabulate --previous puts on the pages. It
 * reads both runs whole (a report has hundreds of cells, the history a few hundred per
 * run) before writing anything, so a bad input writes nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "filter.h"
#include "rec.h"
#include "runcmp.h"
#include "runset.h"
#include "verdict.h"

struct opts {
	double level;            /* --level A: the test's level (default 0.05) */
	double interval_level;   /* --interval-level L: the published intervals' level (0.95) */
	const char *summary;     /* --summary FILE: the one-line summary */
	const char *old_run, *new_run;   /* --old RUN, --new RUN: runs of a history */
	int list;                /* --list: the runs of a history, nothing compared */
};

struct compare {
	struct opts o;
	struct verdict_test test;
	struct runset runs;
	struct runcmp cmp;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: compare-runs [OPTIONS] OLD NEW\n"
"       compare-runs [OPTIONS] [--old RUN] [--new RUN] HISTORY\n"
"       compare-runs --list HISTORY\n"
"\n"
"What changed between two published runs, cell by cell. Reads two runs' table/1 cells:\n"
"OLD and NEW are two tables.csv (tabulate's table/1; gzip or plain, '-' = stdin), or\n"
"HISTORY is REPORTS/history.gz (history/1, one section per published run: the last two\n"
"runs by default). The registry monitor's runs compare the same way: two cohort tables\n"
"(cohort_table/1) or runs of its history (cohort_history/1), cohort_change/1 out - a\n"
"figure not yet known is not published, so one that becomes known is new, not moved.\n"
"Writes change/1 on stdout (schemas/change-1.schema; a cell is keyed by table/1's\n"
"table, benefit, period, population, row, measure and weighted - the pipeline publishes\n"
"each survey cell weighted and unweighted - the last in change/1's last column):\n"
"  - first a record per table whose method tag (table/1's method) differs between the\n"
"    runs (verdict method, with both tags and the number of cells): every difference in\n"
"    that table is then a change of method, not news, and its cells say method_changed=1;\n"
"  - then a record per cell, in NEW's order (cells only OLD has last): old and new\n"
"    estimate, interval and n, the difference, z, and a verdict:\n"
"      unchanged     estimate, interval, n and symbol equal\n"
"      within        moved within the combined interval (|z| below the critical value)\n"
"      beyond        moved beyond it: |z| >= z_(1-A/2), A = --level\n"
"      n_changed     the same estimate on another n\n"
"      changed       moved, and a side has no interval (counts, p, scaled effects,\n"
"                    symbols): not judged\n"
"      new, gone     in NEW only, in OLD only\n"
"      suppressed    published in OLD, suppressed in NEW (newly suppressed)\n"
"      unsuppressed  suppressed in OLD, published in NEW\n"
"      hidden        suppressed in both\n"
"    z = (new - old) / sqrt(se_old^2 + se_new^2), the standard errors taken from the\n"
"    published intervals: se = (ci_high - ci_low) / (2 z_q), q = (1 + L) / 2. At the\n"
"    defaults (A = 1 - L) a cell is beyond when |new - old| >= sqrt(h_old^2 + h_new^2),\n"
"    h the intervals' half-widths, decided exactly in those units.\n"
"A suppressed side publishes nothing here either: no estimate, interval, n or symbol,\n"
"and no difference or z.\n"
"\n"
"Options:\n"
"  --level A            the test's level (default 0.05): beyond when p <= A\n"
"  --interval-level L   the level of the published intervals (default 0.95, tabulate's)\n"
"  --summary FILE       write one line to FILE: \"156 rows of tables.csv moved, 3 beyond\n"
"                       their interval\" (moved: within + beyond + changed), then what\n"
"                       else happened (new, gone, newly suppressed, ...) and the tables\n"
"                       whose method changed; rows under a changed method are counted\n"
"                       apart. It counts rows as tables.csv has them: a survey cell's\n"
"                       weighted and unweighted twins are two rows, while the report's\n"
"                       pages show and count the weighted one only\n"
"  --old RUN, --new RUN runs of HISTORY by their stamp (the run column); with only --new,\n"
"                       OLD is the run before it; with only --old, NEW is the last run\n"
"  --list               print the runs of HISTORY, one a line: publication, run,\n"
"                       published, code version, extracts digest (12 digits), peildatum,\n"
"                       rows (of its tables.csv: both twins of a survey cell); compare\n"
"                       nothing\n"
"  --help, --version\n"
"\n"
"Exit status: 0 compared, 1 bad input or I/O error, 2 bad usage.\n"
"\n"
"Examples:\n"
"  compare-runs REPORTS/runs/A/tables.csv REPORTS/current/tables.csv > changes.csv\n"
"  compare-runs --list REPORTS/history.gz\n"
"  compare-runs --old 20070101T023000Z --new 20070201T023000Z REPORTS/history.gz |\n"
"    zcat | awk -F, '$7 == \"beyond\"'\n");
}

enum { O_LEVEL = 1, O_INTERVAL_LEVEL, O_SUMMARY, O_OLD, O_NEW, O_LIST };

static int parse_share(const char *name, const char *arg, double *out, char *err, size_t errsz)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v > 0 && v < 1)) {
		snprintf(err, errsz, "%s: not a number between 0 and 1 (exclusive): '%s'", name, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	struct opts *o = &((struct compare *)vc)->o;

	switch (opt) {
	case O_LEVEL: return parse_share("--level", arg, &o->level, err, errsz);
	case O_INTERVAL_LEVEL: return parse_share("--interval-level", arg, &o->interval_level, err, errsz);
	case O_SUMMARY: o->summary = arg; return 0;
	case O_OLD: o->old_run = arg; return 0;
	case O_NEW: o->new_run = arg; return 0;
	case O_LIST: o->list = 1; return 0;
	}
	return -1;
}

static const struct option longopts[] = {
	{ "level", required_argument, NULL, O_LEVEL },
	{ "interval-level", required_argument, NULL, O_INTERVAL_LEVEL },
	{ "summary", required_argument, NULL, O_SUMMARY },
	{ "old", required_argument, NULL, O_OLD },
	{ "new", required_argument, NULL, O_NEW },
	{ "list", no_argument, NULL, O_LIST },
	{ NULL, 0, NULL, 0 }
};

static const struct filter compare_runs = {
	.name = "compare-runs", .usage = usage, .long_opts = longopts, .option = option,
};

/* ------------------------------------------------------------------ choosing the runs */

/* The two runs to compare (message printed and -1 when they cannot be chosen). */
static int choose(const struct compare *c, int n_inputs, const struct run **old, const struct run **new_)
{
	const struct runset *rs = &c->runs;
	const struct run *o = NULL, *n = NULL;

	if (n_inputs == 2) {
		if (rs->n != 2) {
			diag_warn(NULL, 0, NULL, "the two files hold %zu runs: give two tables.csv (a run each), or one "
				  "history with --old and --new", rs->n);
			return -1;
		}
		*old = &rs->v[0];
		*new_ = &rs->v[1];
		return 0;
	}
	if (!rs->history) {
		diag_warn(rs->v[0].file, 0, NULL, "a table/1 stream is one run: compare-runs needs OLD and NEW, or a history");
		return -1;
	}
	if (c->o.new_run && (n = runset_find(rs, c->o.new_run)) == NULL) {
		diag_warn(rs->v[0].file, 0, NULL, "run %s is not in the history (compare-runs --list shows its runs)", c->o.new_run);
		return -1;
	}
	if (c->o.old_run && (o = runset_find(rs, c->o.old_run)) == NULL) {
		diag_warn(rs->v[0].file, 0, NULL, "run %s is not in the history (compare-runs --list shows its runs)", c->o.old_run);
		return -1;
	}
	if (n == NULL)
		n = &rs->v[rs->n - 1];
	if (o == NULL && n > rs->v)
		o = n - 1;
	if (o == n) {
		diag_warn(rs->v[0].file, 0, NULL, "--old and --new name the same run, %s", n->name);
		return -1;
	}
	if (o == NULL) {
		diag_warn(rs->v[0].file, 0, NULL, "no run before %s to compare it with (the history holds %zu %s)",
			  n->name, rs->n, rs->n == 1 ? "run" : "runs");
		return -1;
	}
	*old = o;
	*new_ = n;
	return 0;
}

static void list_runs(const struct runset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct run *r = &rs->v[i];

		printf("%ld %s %s %s %.12s %s %zu\n", r->publication, r->name, r->published, r->code_version,
		       r->extracts_sha256, *r->peildatum ? r->peildatum : "-", r->n);
	}
}

/* ------------------------------------------------------------------ comparing */

static void put_side(struct rec_writer *w, const struct side *s)
{
	int show = s->present && !s->suppressed;

	rec_put_num(w, show ? s->est : NAN);
	rec_put_num(w, show ? s->lo : NAN);
	rec_put_num(w, show ? s->hi : NAN);
	if (show && s->n >= 0)
		rec_put_int(w, s->n);
	else
		rec_put_missing(w);
}

static void put_method(struct rec_writer *w, const struct runkind *kind, const struct runcmp_change *m)
{
	rec_put(w, m->key[0]);
	for (int f = 1; f < kind->lead_keys; f++)
		rec_put_missing(w);
	rec_put(w, verdict_word[V_METHOD]);
	rec_put_bool(w, 1);
	for (int f = 0; f < 12; f++)   /* both sides, difference, z, both symbols */
		rec_put_missing(w);
	rec_put(w, m->old_method);
	rec_put(w, m->new_method);
	rec_put_int(w, (long)m->cells);
	for (int f = kind->lead_keys; f < KEY_FIELDS; f++)
		rec_put_missing(w);
	rec_writer_end(w);
}

struct out {
	struct rec_writer *w;
	const struct runkind *kind;
};

/* One record of runcmp.h as change/1 (cohort_change/1): its columns in the schema's order. */
static int put_change(void *vo, const struct runcmp_change *ch)
{
	const struct out *o = vo;
	struct rec_writer *w = o->w;
	const struct runkind *kind = o->kind;
	const struct side *so = &ch->old_side, *sn = &ch->new_side;

	if (ch->method_record) {
		put_method(w, kind, ch);
		return 0;
	}
	for (int f = 0; f < kind->lead_keys; f++)
		rec_put(w, ch->key[f]);
	rec_put(w, verdict_word[ch->judged.verdict]);
	rec_put_bool(w, ch->method_changed);
	put_side(w, so);
	put_side(w, sn);
	rec_put_num(w, ch->judged.difference);
	rec_put_num(w, ch->judged.z);
	rec_put(w, so->present && !so->suppressed ? so->symbol : "");
	rec_put(w, sn->present && !sn->suppressed ? sn->symbol : "");
	rec_put(w, ch->old_method);
	rec_put(w, ch->new_method);
	rec_put_missing(w);
	for (int f = kind->lead_keys; f < KEY_FIELDS; f++)
		rec_put(w, ch->key[f]);
	rec_writer_end(w);
	return 0;
}

/* Write change/1 for OLD -> NEW. 0, or -1 (message printed). */
static int compare(struct compare *c, const struct run *old, const struct run *new_, struct rec_writer *w)
{
	char err[512];

	if (runcmp_prepare(&c->cmp, c->runs.kind, &c->test, old, new_, err, sizeof err) < 0) {
		diag_warn(NULL, 0, NULL, "%s", err);
		return -1;
	}
	if (rec_writer_section(w, c->runs.kind->change_schema) < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	struct out o = { w, c->runs.kind };

	return runcmp_emit(&c->cmp, put_change, &o);
}

/* --summary FILE: the tally's line. */
static int write_summary(const struct compare *c)
{
	char tables[1024], line[2048];
	FILE *fp;

	runcmp_method_tables(&c->cmp, tables, sizeof tables);
	tally_line(&c->cmp.tally, tables, line, sizeof line);
	if ((fp = fopen(c->o.summary, "w")) == NULL || fprintf(fp, "%s\n", line) < 0 || fclose(fp) != 0) {
		diag_warn(c->o.summary, 0, NULL, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ main */

static int run(struct compare *c, int n_inputs, char **inputs)
{
	const struct run *old, *new_;
	struct rec_writer *w = NULL;
	int status = 0;

	for (int i = 0; i < n_inputs && status == 0; i++)
		status = runset_read(&c->runs, inputs[i]) < 0 ? EXIT_DATA : 0;
	if (status == 0 && c->o.list) {
		list_runs(&c->runs);
		return diag_close_stdout(0);
	}
	if (status == 0 && choose(c, n_inputs, &old, &new_) < 0)
		status = EXIT_DATA;
	if (status == 0 && (w = rec_writer_open(NULL, -1, 0644)) == NULL) {
		diag_warn("stdout", 0, NULL, "cannot write: %s", strerror(errno));
		status = EXIT_DATA;
	}
	if (status == 0 && (compare(c, old, new_, w) < 0 || (c->o.summary && write_summary(c) < 0)))
		status = EXIT_DATA;
	return filter_finish(w, status);
}

int main(int argc, char **argv)
{
	struct compare c = { .o = { .level = 0.05, .interval_level = 0.95 } };
	int status, n;

	if (filter_args(&compare_runs, &c, argc, argv, &status))
		return status;
	n = argc - optind;
	if (n < 1 || n > 2)
		return filter_usage_error("expected OLD and NEW (two tables.csv) or one HISTORY, not %d %s", n,
					  n == 1 ? "file" : "files");
	if (n == 2 && (c.o.old_run || c.o.new_run || c.o.list))
		return filter_usage_error("--old, --new and --list go with one HISTORY, not two files");
	if (verdict_test_init(&c.test, c.o.level, c.o.interval_level) < 0)
		return filter_usage_error("--level and --interval-level must lie between 0 and 1");
	status = run(&c, n, argv + optind);
	runcmp_release(&c.cmp);
	runset_release(&c.runs);
	return status;
}
