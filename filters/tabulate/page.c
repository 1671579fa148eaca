/* page.c - the one walk over the cells that both pages (render_md.c, render_html.c) share.
 *
 * The cells come in spec order (tabulate.c): per table, people cells grouped by block
 * (slot), model cells by model. The walk decides what a page shows - which blocks, their
 * headings and population lines, every row's label and the scale of its bar, which
 * effects are significant, table1's grid and the estimates behind it, failed models,
 * notes, the method line - and hands each piece to the page's callbacks (struct
 * page_format), which only lay it out. What is shown is therefore the same on both
 * pages, suppression included: a suppressed cell reaches a page as the cell, and the
 * page writes it through fmt_est/fmt_ci/fmt_count, which show nothing derived from it.
 */
#include "tabulate.h"

#include "diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>



/* ---- texts a block writes through its page's escaper --------------------------------- */

void page_heading(const struct tctx *x, FILE *fp, const struct page_block *b, page_text_fn text)
{
	const struct tcell *c = b->first;

	if (b->chart) {
		text(fp, tr_row(x, c));
		if (!b->dben) {
			text(fp, " · ");
			text(fp, tr_label(x, c->benefit));
		}
		return;
	}
	text(fp, tr_label(x, c->benefit));
	text(fp, " · ");
	text(fp, tr_label(x, c->period));
	text(fp, " · ");
	text(fp, tr_label(x, c->population));
}

/* A chart's line: every block's benefit, population, respondents and n. */
static void chart_population(const struct tctx *x, FILE *fp, const struct page_block *b, page_text_fn text)
{
	char nb[32];

	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *c = b->rows[k].cell;

		if (k > 0 && c->slot == b->rows[k - 1].cell->slot)
			continue;
		if (k > 0)
			text(fp, "; ");
		text(fp, tr_label(x, c->benefit));
		text(fp, " ");
		text(fp, tr_label(x, c->population));
		if (*c->tp->respondents) {
			char who[512];

			plain_respondents(x, c->tp->respondents, who, sizeof who);
			text(fp, " (");
			text(fp, who);
			text(fp, ")");
		}
		text(fp, ": n = ");
		text(fp, fmt_count(nb, sizeof nb, c->panel_n, c->panel_hidden));
	}
}

void page_population(const struct tctx *x, FILE *fp, const struct page_block *b, page_text_fn text)
{
	const struct tcell *c = b->first;
	char nb[32];

	if (b->chart) {
		chart_population(x, fp, b, text);
		return;
	}
	text(fp, tr_ui(x, "population"));
	text(fp, ": ");
	text(fp, tr_label(x, c->population));
	if (b->t->kind == KIND_PEOPLE && *c->tp->respondents) {
		char who[512];

		plain_respondents(x, c->tp->respondents, who, sizeof who);
		text(fp, "; ");
		text(fp, who);
	} else if (b->t->kind == KIND_PEOPLE && !b->t->weighted) {
		text(fp, "; ");
		text(fp, tr_ui(x, "registry"));
	}
	text(fp, "; n = ");
	if (b->t->kind == KIND_PEOPLE)
		text(fp, fmt_count(nb, sizeof nb, c->panel_n, c->panel_hidden));
	else
		text(fp, fmt_count(nb, sizeof nb, c->n, c->suppressed));
}

/* ---- people tables --------------------------------------------------------------------- */

/* The largest |value| among a table's cells of MEASURE (for scaling means and counts). */
static double table_max(const struct tctx *x, size_t from, size_t to, const char *measure)
{
	double m = 0;

	for (size_t i = from; i < to; i++) {
		const struct tcell *c = &x->cells->v[i];

		if (strcmp(c->measure, measure) != 0 || c->suppressed)
			continue;
		if (isfinite(c->est))
			m = fmax(m, fabs(c->est));
		if (isfinite(c->hi))
			m = fmax(m, fabs(c->hi));
		if (isfinite(c->lo))
			m = fmax(m, fabs(c->lo));
	}
	return m > 0 ? m : 1;
}

static double measure_scale(const struct tctx *x, size_t from, size_t to, const struct tcell *c)
{
	return strcmp(c->measure, "share") == 0 ? 1 : table_max(x, from, to, c->measure);
}

/* Does every block of the table have one row, the same one? Then a page that draws
 * charts draws one. */
static int single_row_table(const struct tctx *x, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct tcell *c = &x->cells->v[i];

		if (c->tp->nrows != 1 || strcmp(c->row, x->cells->v[from].row) != 0)
			return 0;
	}
	return 1;
}

/* Append " (weighted)" / " (unweighted)" when the table has both kinds of rows. */
static void weight_suffix(const struct tctx *x, struct page_row *r, int both)
{
	size_t len = strlen(r->label);

	if (both)
		snprintf(r->label + len, sizeof r->label - len, " (%s)",
			 tr_ui(x, r->cell->weighted ? "weighted_row" : "unweighted_row"));
}

/* A label of parts joined by " · ". */
static void label_part(char *label, size_t sz, const char *part)
{
	size_t len = strlen(label);

	snprintf(label + len, sz - len, "%s%s", *label ? " · " : "", part);
}

/* The whole table as one chart: a bar per block, labelled by what differs between them. */
static void people_chart(const struct tctx *x, FILE *fp, const struct page_format *pf, struct page_block *b,
			 size_t from, size_t to, int both)
{
	const struct tcell *f = &x->cells->v[from];
	const char *periods[8];
	size_t nperiods = 0;
	int dper = 0, dpop = 0;

	b->chart = 1;
	for (size_t i = from; i < to; i++) {
		const struct tcell *c = &x->cells->v[i];

		b->dben |= strcmp(c->benefit, f->benefit) != 0;
		dper |= strcmp(c->period, f->period) != 0;
		dpop |= strcmp(c->population, f->population) != 0;
	}
	for (size_t i = from; i < to; i++) {
		struct page_row *r = &b->rows[b->nrows++];

		r->cell = &x->cells->v[i];
		r->label[0] = '\0';
		if (b->dben || !dper)
			label_part(r->label, sizeof r->label, tr_label(x, r->cell->benefit));
		if (dper)
			label_part(r->label, sizeof r->label, tr_label(x, r->cell->period));
		if (dpop)
			label_part(r->label, sizeof r->label, tr_label(x, r->cell->population));
		weight_suffix(x, r, both);
		r->scale = measure_scale(x, from, to, r->cell);
		for (r->series = 0; (size_t)r->series < nperiods && strcmp(periods[r->series], r->cell->period) != 0;
		     r->series++)
			;
		if ((size_t)r->series == nperiods && nperiods < sizeof periods / sizeof *periods)
			periods[nperiods++] = r->cell->period;
	}
	b->grouped = dper;          /* the report's fig1/fig4: the half-years side by side */
	pf->block(x, fp, b);
}

static void people_blocks(const struct tctx *x, FILE *fp, const struct page_format *pf, const struct ttable *t,
			  size_t from, size_t to)
{
	const struct tcell *v = x->cells->v;
	struct page_block b = { .t = t, .first = &v[from] };
	int both = 0;

	for (size_t k = from; k + 1 < to; k++)
		if (v[k].tr == v[k + 1].tr && v[k].slot == v[k + 1].slot)
			both = 1;
	b.rows = xcalloc(to - from, sizeof *b.rows);
	if (pf->charts && single_row_table(x, from, to)) {
		people_chart(x, fp, pf, &b, from, to, both);
	} else {
		for (size_t i = from; i < to; i = i + b.nrows) {
			b.first = &v[i];
			b.nrows = 0;
			for (size_t j = i; j < to && v[j].slot == v[i].slot; j++) {
				struct page_row *r = &b.rows[b.nrows++];

				r->cell = &v[j];
				snprintf(r->label, sizeof r->label, "%s", tr_row(x, r->cell));
				weight_suffix(x, r, both);
				r->scale = measure_scale(x, from, to, r->cell);
			}
			pf->block(x, fp, &b);
		}
	}
	free(b.rows);
}

/* ---- model tables ---------------------------------------------------------------------- */

int page_sig(const struct tcell *c)
{
	return !c->suppressed && isfinite(c->est) && isfinite(c->lo) && isfinite(c->hi) && (c->lo > 0 || c->hi < 0);
}

/* One block per model: its terms as pairs of cells (ame_scaled, then ame). */
static void effects_blocks(const struct tctx *x, FILE *fp, const struct page_format *pf, const struct ttable *t,
			   size_t from, size_t to)
{
	const struct tcell *v = x->cells->v;
	struct page_block b = { .t = t };

	b.rows = xcalloc(to - from, sizeof *b.rows);
	for (size_t i = from, j; i < to; i = j) {
		b.first = &v[i];
		b.nrows = 0;
		b.nsig = 0;
		for (j = i; j + 1 < to && v[j].panel == v[i].panel; j += 2) {
			struct page_row *r = &b.rows[b.nrows++];

			r->rel = &v[j];
			r->cell = &v[j + 1];
			snprintf(r->label, sizeof r->label, "%s", tr_row(x, r->rel));
			r->sig = page_sig(r->cell);
			b.nsig += r->sig;
		}
		pf->block(x, fp, &b);
		if (j == i)
			break;              /* a lone cell: no pair to show (not made by models.c) */
	}
	free(b.rows);
}

static void contrasts_block(const struct tctx *x, FILE *fp, const struct page_format *pf, const struct ttable *t,
			    size_t from, size_t to)
{
	struct page_block b = { .t = t, .first = &x->cells->v[from] };
	double scale = table_max(x, from, to, "difference");

	b.rows = xcalloc(to - from, sizeof *b.rows);
	for (size_t k = from; k < to; k++) {
		struct page_row *r = &b.rows[b.nrows++];

		r->cell = &x->cells->v[k];
		snprintf(r->label, sizeof r->label, "%s · %s · %s", tr_label(x, r->cell->benefit),
			 tr_label(x, r->cell->period), tr_row(x, r->cell));
		r->scale = scale;
	}
	pf->block(x, fp, &b);
	free(b.rows);
}

/* table1: the benefits (columns, in order of appearance), the symbol of each form and
 * benefit ("x" suppressed, "" none), and the AME and p of every model behind them. */
static void symbols_view(const struct tctx *x, FILE *fp, const struct page_format *pf, const struct ttable *t,
			 size_t from, size_t to)
{
	const struct tcell *v = x->cells->v;
	struct page_symbols s = { .t = t };

	for (size_t k = from; k < to; k++) {
		size_t b;

		if (strcmp(v[k].measure, "symbol") != 0)
			continue;
		for (b = 0; b < s.nbenefits && strcmp(s.benefits[b], v[k].benefit) != 0; b++)
			;
		if (b == s.nbenefits && s.nbenefits < MAX_SYMBOL_BENEFITS)
			s.benefits[s.nbenefits++] = v[k].benefit;
	}
	s.grid = xcalloc(t->nforms, sizeof *s.grid);
	for (size_t f = 0; f < t->nforms; f++)
		for (size_t b = 0; b < s.nbenefits; b++) {
			s.grid[f][b] = "";
			for (size_t k = from; k < to; k++)
				if (strcmp(v[k].measure, "symbol") == 0 && strcmp(v[k].benefit, s.benefits[b]) == 0 &&
				    strcmp(v[k].row, t->forms[f]) == 0)
					s.grid[f][b] = v[k].suppressed ? "x" : v[k].symbol;
		}
	s.behind = xcalloc(to - from, sizeof *s.behind);
	for (size_t k = from; k + 1 < to; k++) {
		struct page_behind *e = &s.behind[s.nbehind];
		const struct tcell *a = &v[k], *p = &v[k + 1];
		const char *colon = strrchr(a->row, ':');

		if (strcmp(a->measure, "ame") != 0 || strcmp(p->measure, "p") != 0)
			continue;
		snprintf(e->form_id, sizeof e->form_id, "%.*s", colon ? (int)(colon - a->row) : (int)strlen(a->row), a->row);
		e->benefit = tr_label(x, a->benefit);
		e->form = tr_label(x, e->form_id);
		e->outcome = tr_label(x, colon ? colon + 1 : "");
		e->period = tr_label(x, a->period);
		fmt_est(x, e->est, sizeof e->est, a, a->est);
		fmt_ci(x, e->ci, sizeof e->ci, a);
		fmt_est(x, e->p, sizeof e->p, p, p->est);
		fmt_count(e->n, sizeof e->n, a->n, a->suppressed);
		e->significant = page_sig(a);
		s.nbehind++;
	}
	pf->symbols(x, fp, &s);
	free(s.grid);
	free(s.behind);
}

/* ---- the page -------------------------------------------------------------------------- */

static void table_body(const struct tctx *x, FILE *fp, const struct page_format *pf, const struct ttable *t,
		       size_t from, size_t to)
{
	switch (t->kind) {
	case KIND_PEOPLE: people_blocks(x, fp, pf, t, from, to); break;
	case KIND_EFFECTS: effects_blocks(x, fp, pf, t, from, to); break;
	case KIND_SYMBOLS: symbols_view(x, fp, pf, t, from, to); break;
	case KIND_CONTRASTS: contrasts_block(x, fp, pf, t, from, to); break;
	}
}

void page_header(const struct tctx *x, FILE *fp, page_text_fn text)
{
	char g[1024];

	tr_fill(x, "generated", spec_name(x), g, sizeof g);
	text(fp, g);
	if (x->opts->run_date) {
		text(fp, "; ");
		tr_fill(x, "run_date", x->opts->run_date, g, sizeof g);
		text(fp, g);
	}
	if (x->opts->extract_dates) {
		text(fp, "; ");
		tr_fill(x, "extract_dates", x->opts->extract_dates, g, sizeof g);
		text(fp, g);
	}
}

/* After the last table: every table's technical tags. */
static void appendix(const struct tctx *x, FILE *fp, const struct page_format *pf)
{
	char tags[4096];
	int first = 1;

	for (size_t ti = 0; ti < x->spec->ntables; ti++) {
		const struct ttable *t = &x->spec->tables[ti];

		if (!t->selected)
			continue;
		tech_line(x, t, tags, sizeof tags);
		pf->tech(x, fp, t, tags, first);
		first = 0;
	}
}

void render_page(const struct tctx *x, FILE *fp, const struct page_format *pf)
{
	const struct tspec *s = x->spec;
	char method[4096];
	size_t i = 0;

	pf->begin(x, fp);
	changes_page(x, fp, pf);
	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];
		size_t from = i;

		if (!t->selected)
			continue;
		while (i < x->cells->n && x->cells->v[i].table == t)
			i++;
		pf->table_begin(x, fp, t, from == i);
		if (from < i)
			table_body(x, fp, pf, t, from, i);
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct mfit *f = models_find(x->models, t->models[mi].name);

			if (f && strcmp(f->status, "failed") == 0)
				pf->failed(x, fp, f);
		}
		for (size_t k = 0; k < t->nnotes[x->opts->lang]; k++)
			pf->note(x, fp, k, t->notes[x->opts->lang][k]);
		method_line(x, t, method, sizeof method);
		pf->table_end(x, fp, t, method);
	}
	appendix(x, fp, pf);
	pf->end(x, fp);
}
