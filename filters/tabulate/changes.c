/* changes.c - the section "Sinds het vorige rapport" / "Since the last report" of both
 * pages: what compare-runs' change/1 stream (tabulate --changes FILE) says moved since the
 * last published run.
 *
 * changes_load reads FILE whole before the person stream (a bad file fails the run before
 * anything is computed). changes_check, after disclosure control, holds every record that
 * has a new side against this run's own cells: the same key, the same suppression, the
 * same estimate and n as table/1 carries them (compare-runs read them back exactly) - a
 * stream made from another run's tables is refused, and no record can put a figure on the
 * page that this run suppresses. changes_page then builds the section's view - the tables
 * whose method tag changed first, the counts (moved in all, beyond their interval, the
 * cells under a changed method apart, as compare-runs --summary counts them), and the cells
 * that moved beyond their interval - and hands it to the page's changes callback. Both
 * layouts (changes_md, changes_html) live here beside the view, in the pages' own markup
 * and words (words.c, ch_*), so the pages' files only name them.
 *
 * What the section shows is what both reports published: a listed cell is published in
 * both runs (verdict beyond needs both intervals), and its figures are written through
 * fmt_est/fmt_ci of this run's cell; a suppressed cell is never listed.
 */
#include "tabulate.h"

#include "diag.h"
#include "filter.h"
#include "html.h"
#include "md.h"
#include "runcmp.h"
#include "runset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CH_TABLE, CH_BENEFIT, CH_PERIOD, CH_POPULATION, CH_ROW, CH_MEASURE, CH_WEIGHTED, CH_KEYS };

/* One change/1 record, as far as the section needs it. */
struct tchange {
	char *key[CH_KEYS];         /* a method record has only the table */
	char *verdict;
	int method_changed;
	double old_est, old_lo, old_hi, new_est, new_lo, new_hi, z;
	long new_n;                 /* -1 missing */
	char *old_method, *new_method;
	long cells;                 /* method records */
	long line;
};

struct tchanges {
	const char *path;
	struct tchange *v;
	size_t n, cap;
	int sections;
	/* the current section's field indexes */
	int ix_key[CH_KEYS], ix_verdict, ix_mc, ix_old[3], ix_new[3], ix_new_n, ix_z, ix_old_m, ix_new_m, ix_cells;
};

/* ---- reading --------------------------------------------------------------------------- */

static int ch_section(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	static const char *const keys[CH_KEYS] = { "table", "benefit", "period", "population", "row", "measure",
						   "weighted" };
	struct tchanges *c = ctx;

	(void)out;
	if (strcmp(rec_reader_schema(r)->id, "change/1") != 0)
		return rec_reader_fail(r, -1, "section %s: --changes reads change/1 (compare-runs)",
				       rec_reader_schema(r)->id);
	c->sections++;
	for (int k = 0; k < CH_KEYS; k++)
		c->ix_key[k] = rec_reader_index(r, keys[k]);
	c->ix_verdict = rec_reader_index(r, "verdict");
	c->ix_mc = rec_reader_index(r, "method_changed");
	c->ix_old[0] = rec_reader_index(r, "old_estimate");
	c->ix_old[1] = rec_reader_index(r, "old_ci_low");
	c->ix_old[2] = rec_reader_index(r, "old_ci_high");
	c->ix_new[0] = rec_reader_index(r, "new_estimate");
	c->ix_new[1] = rec_reader_index(r, "new_ci_low");
	c->ix_new[2] = rec_reader_index(r, "new_ci_high");
	c->ix_new_n = rec_reader_index(r, "new_n");
	c->ix_z = rec_reader_index(r, "z");
	c->ix_old_m = rec_reader_index(r, "old_method");
	c->ix_new_m = rec_reader_index(r, "new_method");
	c->ix_cells = rec_reader_index(r, "cells");
	return 0;
}

static int ch_record(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct tchanges *c = ctx;
	struct tchange *e;
	long n;

	(void)out;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	e = &c->v[c->n++];
	for (int k = 0; k < CH_KEYS; k++)
		e->key[k] = xstrdup(rec_get_text(r, c->ix_key[k]));
	e->verdict = xstrdup(rec_get_text(r, c->ix_verdict));
	e->method_changed = rec_get_bool(r, c->ix_mc) == 1;
	e->old_est = rec_get_num(r, c->ix_old[0]);
	e->old_lo = rec_get_num(r, c->ix_old[1]);
	e->old_hi = rec_get_num(r, c->ix_old[2]);
	e->new_est = rec_get_num(r, c->ix_new[0]);
	e->new_lo = rec_get_num(r, c->ix_new[1]);
	e->new_hi = rec_get_num(r, c->ix_new[2]);
	n = rec_get_int(r, c->ix_new_n);
	e->new_n = n == REC_INT_NONE ? -1 : n;
	e->z = rec_get_num(r, c->ix_z);
	e->old_method = xstrdup(rec_get_text(r, c->ix_old_m));
	e->new_method = xstrdup(rec_get_text(r, c->ix_new_m));
	n = rec_get_int(r, c->ix_cells);
	e->cells = n == REC_INT_NONE ? 0 : n;
	e->line = rec_reader_line(r);
	return rec_reader_bad(r) ? -1 : 0;
}

static void changes_free(struct tchanges *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (int k = 0; k < CH_KEYS; k++)
			free(c->v[i].key[k]);
		free(c->v[i].verdict);
		free(c->v[i].old_method);
		free(c->v[i].new_method);
	}
	free(c->v);
	free(c);
}

struct tchanges *changes_load(const char *path)
{
	static const struct filter reader = {
		.name = "tabulate", .section = ch_section, .record = ch_record,
	};
	struct tchanges *c = xcalloc(1, sizeof *c);
	int rc;

	c->path = path;
	if ((rc = filter_read(&reader, c, path, NULL)) == 0 && c->sections > 0)
		return c;
	if (rc == 0)
		diag_warn(path, 0, NULL, "no change/1 section (--changes reads compare-runs' output)");
	changes_free(c);
	return NULL;
}

/* ---- --previous: the comparison made here ----------------------------------------------- */

/* A record of runcmp.h into the store, with the values compare-runs' stream would give
 * ch_record: a side's figures only when it is shown, n -1 and NaN for what is missing. */
static int add_change(void *ctx, const struct runcmp_change *ch)
{
	struct tchanges *c = ctx;
	const struct side *so = &ch->old_side, *sn = &ch->new_side;
	int show_old = so->present && !so->suppressed, show_new = sn->present && !sn->suppressed;
	struct tchange *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	e = &c->v[c->n++];
	for (int k = 0; k < CH_KEYS; k++)
		e->key[k] = xstrdup(ch->key[k] ? ch->key[k] : "");
	e->verdict = xstrdup(verdict_word[ch->judged.verdict]);
	e->method_changed = ch->method_changed;
	e->old_est = show_old ? so->est : NAN;
	e->old_lo = show_old ? so->lo : NAN;
	e->old_hi = show_old ? so->hi : NAN;
	e->new_est = show_new ? sn->est : NAN;
	e->new_lo = show_new ? sn->lo : NAN;
	e->new_hi = show_new ? sn->hi : NAN;
	e->new_n = show_new && sn->n >= 0 ? sn->n : -1;
	e->z = ch->judged.z;
	e->old_method = xstrdup(ch->old_method);
	e->new_method = xstrdup(ch->new_method);
	e->cells = ch->method_record ? (long)ch->cells : 0;
	e->line = (long)c->n + 2;   /* where compare-runs' stream would have it */
	return 0;
}

/* Both runs read and compared into C. 0, or -1 after a message. */
static int compare_into(struct tchanges *c, struct runset *rs, const char *previous, const char *current)
{
	struct verdict_test test;
	struct runcmp cmp;
	char err[512];
	int rc;

	if (runset_read(rs, previous) < 0)
		return -1;
	if (rs->kind != &runkind_table || rs->history || rs->n != 1) {
		diag_warn(previous, 0, NULL, "--previous: not one run's table/1 stream (the last report's tables.rec.gz)");
		return -1;
	}
	if (runset_read(rs, current) < 0)
		return -1;
	verdict_test_init(&test, 0.05, 0.95);   /* compare-runs' defaults, as the pipeline runs it */
	rc = runcmp_prepare(&cmp, rs->kind, &test, &rs->v[0], &rs->v[1], err, sizeof err);
	if (rc < 0)
		diag_warn(NULL, 0, NULL, "--previous: %s", err);
	else
		rc = runcmp_emit(&cmp, add_change, c);
	runcmp_release(&cmp);
	return rc;
}

struct tchanges *changes_compare(const char *previous, const char *current)
{
	struct tchanges *c = xcalloc(1, sizeof *c);
	struct runset rs;
	int rc;

	memset(&rs, 0, sizeof rs);
	c->path = previous;
	c->sections = 1;
	rc = compare_into(c, &rs, previous, current);
	runset_release(&rs);
	if (rc == 0)
		return c;
	changes_free(c);
	return NULL;
}

/* ---- checking against this run --------------------------------------------------------- */

static int is(const struct tchange *e, const char *verdict)
{
	return strcmp(e->verdict, verdict) == 0;
}

static const struct ttable *spec_table(const struct tspec *s, const char *id)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].id, id) == 0)
			return &s->tables[i];
	return NULL;
}

/* This run's cell with E's key, or NULL. */
static const struct tcell *this_cell(const struct tctx *x, const struct tchange *e)
{
	for (size_t i = 0; i < x->cells->n; i++) {
		const struct tcell *c = &x->cells->v[i];

		if (strcmp(c->table->id, e->key[CH_TABLE]) == 0 && strcmp(c->benefit, e->key[CH_BENEFIT]) == 0 &&
		    strcmp(c->period, e->key[CH_PERIOD]) == 0 && strcmp(c->population, e->key[CH_POPULATION]) == 0 &&
		    strcmp(c->row, e->key[CH_ROW]) == 0 && strcmp(c->measure, e->key[CH_MEASURE]) == 0 &&
		    c->weighted == (strcmp(e->key[CH_WEIGHTED], "1") == 0))
			return c;
	}
	return NULL;
}

static int same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* What record E says of this run's side against the cell C (NULL: none). NULL when they
 * agree, else the field and the problem in *field. */
static const char *disagreement(const struct tchange *e, const struct tcell *c, const char **field)
{
	int says_suppressed = is(e, "suppressed") || is(e, "hidden");
	int says_published = !says_suppressed && !is(e, "new");     /* a new cell may be either */

	*field = "verdict";
	if (c == NULL)
		return "the cell is not in this run's tables (a change/1 stream of another run?)";
	if (c->suppressed ? says_published : says_suppressed)
		return c->suppressed ? "this run suppresses the cell" : "this run publishes the cell";
	*field = "new_estimate";
	if (c->suppressed ? !isnan(e->new_est) || !isnan(e->new_lo) || !isnan(e->new_hi) : !same_num(c->est, e->new_est))
		return c->suppressed ? "a suppressed cell has a figure in the stream" : "not this run's estimate";
	*field = "new_n";
	if (c->suppressed ? e->new_n >= 0 : e->new_n != c->n)
		return c->suppressed ? "a suppressed cell has an n in the stream" : "not this run's n";
	return NULL;
}

/* Does the page leave E's cell out? A table --tables leaves out, or the unweighted twin of
 * a survey cell when this rendering makes weighted cells only (the pipeline publishes the
 * twins in tables.csv, tabulate --weights both, and renders the pages --weights design). */
static int left_out(const struct tctx *x, const struct ttable *t, const struct tchange *e)
{
	return t && (!t->selected || (t->kind == KIND_PEOPLE && t->weighted && x->opts->weights == WEIGHTS_DESIGN &&
				      strcmp(e->key[CH_WEIGHTED], "0") == 0));
}

int changes_check(const struct tchanges *ch, const struct tctx *x)
{
	for (size_t i = 0; i < ch->n; i++) {
		const struct tchange *e = &ch->v[i];
		const struct ttable *t = spec_table(x->spec, e->key[CH_TABLE]);
		const char *field, *why;

		if (is(e, "method") || is(e, "gone") || left_out(x, t, e))
			continue;           /* no new side, or a cell this page leaves out */
		if ((why = disagreement(e, t ? this_cell(x, e) : NULL, &field)) != NULL) {
			diag_warn(ch->path, e->line, field, "%s/%s/%s/%s/%s/%s: %s", e->key[CH_TABLE], e->key[CH_BENEFIT],
				  e->key[CH_PERIOD], e->key[CH_POPULATION], e->key[CH_ROW], e->key[CH_MEASURE], why);
			return -1;
		}
	}
	return 0;
}

/* ---- the view ---------------------------------------------------------------------------- */

/* "95,1 % (93,2 – 96,5 %)": an estimate of cell C's kind with its interval. */
static void fmt_side(const struct tctx *x, char *buf, size_t sz, const struct tcell *c, double est, double lo, double hi)
{
	struct tcell v = *c;
	char e[64], ci[96];

	v.est = est;
	v.lo = lo;
	v.hi = hi;
	fmt_est(x, e, sizeof e, &v, est);
	fmt_ci(x, ci, sizeof ci, &v);
	snprintf(buf, sz, *ci ? "%s (%s)" : "%s", e, ci);
}

static void beyond_row(const struct tctx *x, const struct tchange *e, const struct tcell *c, struct page_change_row *r)
{
	r->table = c->table->title[x->opts->lang];
	r->id = c->table->id;
	snprintf(r->cell, sizeof r->cell, "%s · %s · %s · %s", tr_row(x, c), tr_label(x, c->benefit),
		 tr_label(x, c->period), tr_label(x, c->population));
	fmt_side(x, r->old, sizeof r->old, c, e->old_est, e->old_lo, e->old_hi);
	fmt_side(x, r->now, sizeof r->now, c, c->est, c->lo, c->hi);
	if (isfinite(e->z))
		snprintf(r->z, sizeof r->z, "%+.2f", e->z);
	else
		snprintf(r->z, sizeof r->z, "–");
	if (x->opts->lang == LANG_NL && strchr(r->z, '.'))
		*strchr(r->z, '.') = ',';
}

/* The view of the section (changes_check has passed): method records, counts, the cells
 * beyond their interval, into PC and the arrays it points to (METHODS, ROWS: a slot a
 * record each). */
static void build_view(const struct tctx *x, const struct tchanges *ch, struct page_changes *pc,
		       struct page_change_method *methods, struct page_change_row *rows)
{
	for (size_t i = 0; i < ch->n; i++) {
		const struct tchange *e = &ch->v[i];
		const struct ttable *t = spec_table(x->spec, e->key[CH_TABLE]);

		if (left_out(x, t, e))
			continue;           /* a table (--tables) or a twin this page leaves out */
		if (is(e, "method")) {
			struct page_change_method *m = &methods[pc->nmethods++];

			m->id = e->key[CH_TABLE];
			m->table = t ? t->title[x->opts->lang] : e->key[CH_TABLE];
			m->old_method = e->old_method;
			m->new_method = e->new_method;
			m->cells = e->cells;
			continue;
		}
		if (e->method_changed) {
			pc->method_cells++;
			continue;
		}
		pc->moved += is(e, "within") || is(e, "beyond") || is(e, "changed");
		if (is(e, "beyond")) {
			pc->beyond++;
			if (t)              /* checked: published here, so a cell of this run */
				beyond_row(x, e, this_cell(x, e), &rows[pc->nrows++]);
		}
	}
	pc->methods = methods;
	pc->rows = rows;
}

void changes_page(const struct tctx *x, FILE *fp, const struct page_format *pf)
{
	struct page_changes pc = { 0 };
	struct page_change_method *methods;
	struct page_change_row *rows;

	if (x->changes == NULL || pf->changes == NULL)
		return;
	methods = xcalloc(x->changes->n + 1, sizeof *methods);
	rows = xcalloc(x->changes->n + 1, sizeof *rows);
	build_view(x, x->changes, &pc, methods, rows);
	pf->changes(x, fp, &pc);
	free(methods);
	free(rows);
}

/* The first sentence: "... zijn 156 cellen verschoven, waarvan 3 buiten hun interval." (the
 * formats stay literal, so the compiler checks them) */
static void moved_sentence(const struct tctx *x, const struct page_changes *pc, char *buf, size_t sz)
{
	size_t m = pc->moved, k = pc->beyond;
	const char *verb = m == 1 ? "is" : "zijn", *cel = m == 1 ? "cel" : "cellen", *cell = m == 1 ? "cell" : "cells";

	if (x->opts->lang == LANG_NL) {
		if (m == 0)
			snprintf(buf, sz, "Vergeleken met het vorige gepubliceerde rapport is geen cel verschoven.");
		else if (k == 0)
			snprintf(buf, sz, "Vergeleken met het vorige gepubliceerde rapport %s %zu %s verschoven, geen daarvan "
				 "buiten haar interval.", verb, m, cel);
		else
			snprintf(buf, sz, "Vergeleken met het vorige gepubliceerde rapport %s %zu %s verschoven, waarvan %zu "
				 "buiten %s interval.", verb, m, cel, k, k == 1 ? "haar" : "hun");
	} else {
		if (m == 0)
			snprintf(buf, sz, "Compared with the last published report, no cell moved.");
		else if (k == 0)
			snprintf(buf, sz, "Compared with the last published report, %zu %s moved, none of them beyond its "
				 "interval.", m, cell);
		else
			snprintf(buf, sz, "Compared with the last published report, %zu %s moved, %zu of them beyond %s "
				 "interval.", m, cell, k, k == 1 ? "its" : "their");
	}
}

static void method_sentence(const struct tctx *x, const struct page_changes *pc, char *buf, size_t sz)
{
	if (x->opts->lang == LANG_NL)
		snprintf(buf, sz, "De methode van deze tabellen is gewijzigd: elk verschil daarin is een methodewijziging, "
			 "geen nieuws (%zu %s apart geteld).", pc->method_cells, pc->method_cells == 1 ? "cel" : "cellen");
	else
		snprintf(buf, sz, "The method of these tables changed: every difference in them is a change of method, "
			 "not news (%zu %s counted apart).", pc->method_cells, pc->method_cells == 1 ? "cell" : "cells");
}

/* ---- the layouts --------------------------------------------------------------------------- */

void changes_md(const struct tctx *x, FILE *fp, const struct page_changes *pc)
{
	char s[1024];

	fprintf(fp, "\n## %s\n\n", tr_ui(x, "ch_title"));
	if (pc->nmethods) {
		method_sentence(x, pc, s, sizeof s);
		md_esc(fp, s);
		fprintf(fp, "\n\n| %s | %s | %s | %s |\n|:--|:--|:--|--:|\n", tr_ui(x, "ch_table"),
			tr_ui(x, "ch_old_method"), tr_ui(x, "ch_new_method"), tr_ui(x, "ch_cells_col"));
		for (size_t i = 0; i < pc->nmethods; i++) {
			const struct page_change_method *m = &pc->methods[i];

			fputs("| ", fp);
			md_esc(fp, m->table);
			fprintf(fp, " (`%s`) | `%s` | `%s` | %ld |\n", m->id, m->old_method, m->new_method, m->cells);
		}
		fputc('\n', fp);
	}
	moved_sentence(x, pc, s, sizeof s);
	md_esc(fp, s);
	fputc('\n', fp);
	if (pc->nrows == 0)
		return;
	fprintf(fp, "\n| %s | %s | %s | %s | z |\n|:--|:--|--:|--:|--:|\n", tr_ui(x, "ch_table"),
		tr_ui(x, "ch_cell_col"), tr_ui(x, "ch_previous"), tr_ui(x, "ch_now"));
	for (size_t i = 0; i < pc->nrows; i++) {
		const struct page_change_row *r = &pc->rows[i];

		fputs("| ", fp);
		md_esc(fp, r->table);
		fprintf(fp, " (`%s`) | ", r->id);
		md_esc(fp, r->cell);
		fprintf(fp, " | %s | %s | %s |\n", r->old, r->now, r->z);
	}
	fputc('\n', fp);
	md_esc(fp, tr_ui(x, "ch_test"));
	fputc('\n', fp);
}

/* A row of the section's tables: the table (title and id), then cells of CLASS ("" none). */
static void html_row(FILE *fp, const char *title, const char *id, size_t n, const char *const *cells,
		     const char *const *classes)
{
	fputs("<tr><td>", fp);
	html_esc(fp, title);
	fputs(" <span class=\"id\">", fp);
	html_esc(fp, id);
	fputs("</span></td>", fp);
	for (size_t k = 0; k < n; k++) {
		fprintf(fp, *classes[k] ? "<td class=\"%s\">" : "<td%s>", classes[k]);
		html_esc(fp, cells[k]);
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
}

static void html_methods(const struct tctx *x, FILE *fp, const struct page_changes *pc)
{
	static const char *const classes[] = { "t", "t", "" };
	char s[1024], nb[32];

	method_sentence(x, pc, s, sizeof s);
	fputs("<p class=\"notes\">", fp);
	html_esc(fp, s);
	fprintf(fp, "</p>\n<div class=\"scroll\"><table class=\"detail\">\n<thead><tr><th>%s</th><th class=\"t\">%s</th>"
		"<th class=\"t\">%s</th><th>%s</th></tr></thead>\n<tbody>\n", tr_ui(x, "ch_table"),
		tr_ui(x, "ch_old_method"), tr_ui(x, "ch_new_method"), tr_ui(x, "ch_cells_col"));
	for (size_t i = 0; i < pc->nmethods; i++) {
		const struct page_change_method *m = &pc->methods[i];
		const char *cells[] = { m->old_method, m->new_method, nb };

		snprintf(nb, sizeof nb, "%ld", m->cells);
		html_row(fp, m->table, m->id, 3, cells, classes);
	}
	fputs("</tbody>\n</table></div>\n", fp);
}

void changes_html(const struct tctx *x, FILE *fp, const struct page_changes *pc)
{
	static const char *const classes[] = { "t", "ci", "ci", "" };
	char s[1024];

	fputs("<section id=\"changes\">\n<h2>", fp);
	html_esc(fp, tr_ui(x, "ch_title"));
	fputs("</h2>\n", fp);
	if (pc->nmethods)
		html_methods(x, fp, pc);
	moved_sentence(x, pc, s, sizeof s);
	fputs("<p>", fp);
	html_esc(fp, s);
	fputs("</p>\n", fp);
	if (pc->nrows == 0) {
		fputs("</section>\n", fp);
		return;
	}
	fprintf(fp, "<div class=\"scroll\"><table class=\"detail\">\n<thead><tr><th>%s</th><th class=\"t\">%s</th>"
		"<th>%s</th><th>%s</th><th>z</th></tr></thead>\n<tbody>\n", tr_ui(x, "ch_table"),
		tr_ui(x, "ch_cell_col"), tr_ui(x, "ch_previous"), tr_ui(x, "ch_now"));
	for (size_t i = 0; i < pc->nrows; i++) {
		const struct page_change_row *r = &pc->rows[i];
		const char *cells[] = { r->cell, r->old, r->now, r->z };

		html_row(fp, r->table, r->id, 4, cells, classes);
	}
	fputs("</tbody>\n</table></div>\n<p class=\"notes\">", fp);
	html_esc(fp, tr_ui(x, "ch_test"));
	fputs("</p>\n</section>\n", fp);
}
