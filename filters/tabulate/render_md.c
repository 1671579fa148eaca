/* render_md.c - the readable report in Markdown: the layout of the pieces page.c hands
 * over. Per table its title; per block a heading (benefit · period · population), the
 * population line with its n and a table of the estimates with their interval and n; the
 * method line last.
 */
#include "tabulate.h"

#include "md.h"

#include <math.h>
#include <string.h>

static void begin(const struct tctx *x, FILE *fp)
{
	fprintf(fp, "# %s\n\n", tr_ui(x, "report"));
	page_header(x, fp, md_esc);
	fputs("\n", fp);
}

static void table_begin(const struct tctx *x, FILE *fp, const struct ttable *t, int empty)
{
	fputs("\n## ", fp);
	md_esc(fp, t->title[x->opts->lang]);
	fprintf(fp, " (`%s`)\n", t->id);
	if (empty)
		fputs("\n(–)\n", fp);
}

static void block_head(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	fputs("\n### ", fp);
	page_heading(x, fp, b, md_esc);
	fputs("\n\n", fp);
	page_population(x, fp, b, md_esc);
	fputs("\n\n", fp);
}

static void people_rows(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	char nb[32];

	fprintf(fp, "| | %s | %s | n |\n|:--|--:|--:|--:|\n", tr_ui(x, "estimate"), tr_ui(x, "ci"));
	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *c = b->rows[k].cell;
		char e[64], ci[96];

		fmt_est(x, e, sizeof e, c, c->est);
		fmt_ci(x, ci, sizeof ci, c);
		fputs("| ", fp);
		md_esc(fp, b->rows[k].label);
		fprintf(fp, " | %s | %s | %s |\n", e, ci, fmt_count(nb, sizeof nb, c->n, c->suppressed));
	}
}

/* Every term, significant or not: the AME, marked when its interval excludes 0, and the
 * interval. */
static void effect_rows(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	fprintf(fp, "| | %s | %s |\n|:--|--:|--:|\n", tr_ui(x, "ame"), tr_ui(x, "ci"));
	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *a = b->rows[k].cell;
		char v[64], ci[96];

		fmt_est(x, v, sizeof v, a, a->est);
		fmt_ci(x, ci, sizeof ci, a);
		fputs("| ", fp);
		md_esc(fp, b->rows[k].label);
		fprintf(fp, " | %s%s | %s |\n", v, b->rows[k].sig ? " \\*" : "", ci);
	}
	if (b->nsig == 0 && !b->first->suppressed)
		fprintf(fp, "\n(%s)\n", tr_ui(x, "none_significant"));
}

/* One table: the contrast, its benefit and period as columns. */
static void contrast_rows(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	fprintf(fp, "\n| | | | %s | %s | n |\n|:--|:--|:--|--:|--:|--:|\n", tr_ui(x, "difference"), tr_ui(x, "ci"));
	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *c = b->rows[k].cell;
		char e[64], ci[96], nb[32];

		fmt_est(x, e, sizeof e, c, c->est);
		fmt_ci(x, ci, sizeof ci, c);
		fputs("| ", fp);
		md_esc(fp, tr_row(x, c));
		fputs(" | ", fp);
		md_esc(fp, tr_label(x, c->benefit));
		fputs(" | ", fp);
		md_esc(fp, tr_label(x, c->period));
		fprintf(fp, " | %s | %s | %s |\n", e, ci, fmt_count(nb, sizeof nb, c->n, c->suppressed));
	}
}

static void block(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	if (b->t->kind == KIND_CONTRASTS) {
		contrast_rows(x, fp, b);
		return;
	}
	block_head(x, fp, b);
	if (b->t->kind == KIND_EFFECTS)
		effect_rows(x, fp, b);
	else
		people_rows(x, fp, b);
}

static void symbols(const struct tctx *x, FILE *fp, const struct page_symbols *s)
{
	fputs("\n| |", fp);
	for (size_t b = 0; b < s->nbenefits; b++) {
		fputc(' ', fp);
		md_esc(fp, tr_label(x, s->benefits[b]));
		fputs(" |", fp);
	}
	fputs("\n|:--|", fp);
	for (size_t b = 0; b < s->nbenefits; b++)
		fputs(":-:|", fp);
	fputc('\n', fp);
	for (size_t f = 0; f < s->t->nforms; f++) {
		fputs("| ", fp);
		md_esc(fp, tr_label(x, s->t->forms[f]));
		fputs(" |", fp);
		for (size_t b = 0; b < s->nbenefits; b++)
			fprintf(fp, " %s |", s->grid[f][b]);
		fputc('\n', fp);
	}
	fprintf(fp, "\n%s:\n\n| | %s | %s | %s | %s | p | n |\n|:--|:--|:--|--:|--:|--:|--:|\n",
		tr_ui(x, "behind"), tr_ui(x, "outcome"), tr_ui(x, "period"), tr_ui(x, "ame"), tr_ui(x, "ci"));
	for (size_t k = 0; k < s->nbehind; k++) {
		const struct page_behind *e = &s->behind[k];

		fputs("| ", fp);
		md_esc(fp, e->benefit);
		fputs(": ", fp);
		md_esc(fp, e->form);
		fputs(" | ", fp);
		md_esc(fp, e->outcome);
		fputs(" | ", fp);
		md_esc(fp, e->period);
		fprintf(fp, " | %s%s | %s | %s | %s |\n", e->est, e->significant ? " \\*" : "", e->ci, e->p, e->n);
	}
}

static void failed(const struct tctx *x, FILE *fp, const struct mfit *f)
{
	char wb[512];

	fputs("\n**", fp);
	md_esc(fp, f->name);
	fprintf(fp, "**: %s (", tr_ui(x, "failed"));
	md_esc(fp, fmt_warnings(x, f, wb, sizeof wb));
	fputs(")\n", fp);
}

static void note(const struct tctx *x, FILE *fp, size_t k, const char *text)
{
	(void)x;
	fputs(k == 0 ? "\n" : "", fp);
	md_esc(fp, text);
	fputs("  \n", fp);
}

static void table_end(const struct tctx *x, FILE *fp, const struct ttable *t, const char *method)
{
	(void)t;
	fprintf(fp, "\n*%s:* ", tr_ui(x, "method"));
	md_esc(fp, method);
	fputc('\n', fp);
}

static void tech(const struct tctx *x, FILE *fp, const struct ttable *t, const char *tags, int first)
{
	if (first)
		fprintf(fp, "\n## %s\n\n%s\n\n", tr_ui(x, "appendix"), tr_ui(x, "appendix_intro"));
	fprintf(fp, "- `%s`: ", t->id);
	md_esc(fp, tags);
	fputc('\n', fp);
}

static void end(const struct tctx *x, FILE *fp)
{
	(void)x;
	(void)fp;
}

const struct page_format page_md = {
	.charts = 0, .begin = begin, .changes = changes_md, .table_begin = table_begin, .block = block, .symbols = symbols,
	.failed = failed, .note = note, .table_end = table_end, .tech = tech, .end = end,
};
