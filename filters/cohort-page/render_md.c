/* render_md.c - the cohort page in Markdown: the layout of the pieces walk.c hands over.
 * Per kind of cohort and benefit a heading; per indicator a table of the cohorts (estimate,
 * interval, n, status); the curves of the last cohorts as a table of months; the method
 * lines last. No charts: the HTML page draws them. */
#include "page.h"

#include "md.h"

static void begin(const struct page_ctx *x, FILE *fp)
{
	int l = x->o->lang;

	fputs("# ", fp);
	md_esc(fp, word(l, "title"));
	fputs("\n\n", fp);
	md_esc(fp, word(l, "intro"));
	fputs("\n", fp);
}

static void group(const struct page_ctx *x, FILE *fp, const char *kind, const char *benefit)
{
	fputs("\n## ", fp);
	md_esc(fp, word(x->o->lang, kind));
	fputs(" · ", fp);
	md_esc(fp, word(x->o->lang, benefit));
	fputs("\n", fp);
}

static void indicator(const struct page_ctx *x, FILE *fp, const struct indicator *ind, const struct page_series *s,
		      const char *title)
{
	int l = x->o->lang;

	fputs("\n### ", fp);
	md_esc(fp, title);
	fprintf(fp, "\n\n| %s | %s | %s | %s | %s |\n|:--|--:|--:|--:|:--|\n", word(l, "cohort"), word(l, "estimate"),
		word(l, "ci"), word(l, "n"), word(l, "status"));
	for (size_t i = 0; i < s->n; i++) {
		const struct fig *f = s->fig[i];
		char e[64], ci[96], n[32];

		fmt_fig_est(l, e, sizeof e, f, ind->percent, ind->decimals);
		fmt_fig_ci(l, ci, sizeof ci, f, ind->percent, ind->decimals);
		fmt_fig_n(n, sizeof n, f);
		fputs("| ", fp);
		md_esc(fp, s->pt[i].x);
		fprintf(fp, " | %s | %s | %s | %s |\n", e, ci, n, f ? status_word(l, f->status) : word(l, "no_row"));
	}
}

static void curves(const struct page_ctx *x, FILE *fp, const struct page_series *s, size_t ns, const char *title)
{
	int l = x->o->lang;

	fputs("\n### ", fp);
	md_esc(fp, title);
	fputs("\n\n", fp);
	md_esc(fp, word(l, "curves_note"));
	fprintf(fp, "\n\n| %s |", word(l, "month_col"));
	for (size_t k = 0; k < ns; k++)
		fprintf(fp, " %s %s | %s | %s |", s[k].name, word(l, "estimate"), word(l, "ci"), word(l, "at_risk"));
	fputs("\n|--:|", fp);
	for (size_t k = 0; k < ns; k++)
		fputs("--:|--:|--:|", fp);
	fputs("\n", fp);
	for (size_t i = 0; i < s[0].n; i++) {
		fprintf(fp, "| %s |", s[0].pt[i].x);
		for (size_t k = 0; k < ns; k++) {
			char e[64], ci[96], n[32];

			fmt_fig_est(l, e, sizeof e, s[k].fig[i], 1, 1);
			fmt_fig_ci(l, ci, sizeof ci, s[k].fig[i], 1, 1);
			fmt_fig_n(n, sizeof n, s[k].fig[i]);
			fprintf(fp, " %s | %s | %s |", e, ci, n);
		}
		fputs("\n", fp);
	}
}

static void end(const struct page_ctx *x, FILE *fp)
{
	fprintf(fp, "\n## %s\n\n", word(x->o->lang, "method"));
	for (size_t i = 0; i < x->fs->nmethods; i++)
		fprintf(fp, "- `%s`\n", x->fs->methods[i]);
	fputs("\n", fp);
	md_esc(fp, word(x->o->lang, "generated"));
	fputs("\n", fp);
}

const struct page_format page_md = { md_esc, begin, group, indicator, curves, end };
