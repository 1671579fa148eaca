/* render_html.c - the cohort page in HTML: the layout of the pieces walk.c hands over. Per
 * indicator a line chart over the cohorts with its interval band (filters/lib/chart.h)
 * and a table of the same numbers; the Kaplan-Meier curves of the last cohorts in one
 * chart with a legend and their table. One self-contained page like the report's and the
 * trend page's: inline CSS and SVG, no script, well-formed XML. */
#include "page.h"

#include "html.h"

/* after html_base_css and chart_css */
static const char css[] =
	".intro,.note{color:#555;font-size:.85rem;margin:0 0 .4rem}\n"
	"table{border-collapse:collapse;margin:.4rem 0;font-size:.8rem}\n"
	"caption{text-align:left;color:#555;font-size:.8rem}\n"
	"th,td{padding:.15rem .5rem;border-bottom:1px solid #ddd;text-align:right;font-variant-numeric:tabular-nums}\n"
	"th:first-child,td:first-child,td.t,th.t{text-align:left}\n"
	"td.ci{white-space:nowrap}\n"
	"td.nyk{color:#777;font-style:italic}\n"
	".legend{font-size:.8rem;color:#333;margin:.2rem 0}\n"
	".scroll{overflow-x:auto}\n"
	"@media print{body{max-width:none;font-size:10pt;padding:0}svg,table{break-inside:avoid;page-break-inside:avoid}"
	".band,.pt,.line,.key{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void begin(const struct page_ctx *x, FILE *fp)
{
	int l = x->o->lang;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>", word(l, "lang"));
	html_esc(fp, word(l, "title"));
	fprintf(fp, "</title>\n<style>\n%s%s%s</style>\n</head>\n<body>\n<h1>", html_base_css, chart_css, css);
	html_esc(fp, word(l, "title"));
	fputs("</h1>\n<p class=\"intro\">", fp);
	html_esc(fp, word(l, "intro"));
	fputs("</p>\n", fp);
}

static void group(const struct page_ctx *x, FILE *fp, const char *kind, const char *benefit)
{
	fputs("<h2>", fp);
	html_esc(fp, word(x->o->lang, kind));
	fputs(" · ", fp);
	html_esc(fp, word(x->o->lang, benefit));
	fprintf(fp, " <span class=\"id\">%s %s</span></h2>\n", kind, benefit);
}

static void chart(const struct page_ctx *x, FILE *fp, const struct page_series *s, size_t ns, int percent,
		  int decimals, const char *title)
{
	struct chart_series cs[CHART_COLOURS];
	struct chart c = { cs, ns < CHART_COLOURS ? ns : CHART_COLOURS, percent, decimals, x->o->lang == LANG_NL };
	char label[600];

	for (size_t k = 0; k < c.ns; k++)
		cs[k] = (struct chart_series){ s[k].pt, s[k].n };
	snprintf(label, sizeof label, "%s %s", word(x->o->lang, "chart_of"), title);
	chart_svg(fp, &c, label);
}

/* A table cell of a figure: its estimate (or its status word), interval and n. */
static void fig_cells(const struct page_ctx *x, FILE *fp, const struct fig *f, int percent, int decimals)
{
	int l = x->o->lang;
	char e[64], ci[96], n[32];

	fmt_fig_est(l, e, sizeof e, f, percent, decimals);
	fmt_fig_ci(l, ci, sizeof ci, f, percent, decimals);
	fmt_fig_n(n, sizeof n, f);
	fprintf(fp, "<td%s>", f && f->status == ST_NOT_YET_KNOWN ? " class=\"nyk\"" : "");
	html_esc(fp, e);
	fputs("</td><td class=\"ci\">", fp);
	html_esc(fp, ci);
	fprintf(fp, "</td><td>%s</td>", n);
}

static void caption(const struct page_ctx *x, FILE *fp, const char *title)
{
	fputs("<div class=\"scroll\"><table class=\"cohorts\"><caption>", fp);
	html_esc(fp, word(x->o->lang, "table_of"));
	fputs(" ", fp);
	html_esc(fp, title);
	fputs("</caption>\n", fp);
}

static void indicator(const struct page_ctx *x, FILE *fp, const struct indicator *ind, const struct page_series *s,
		      const char *title)
{
	int l = x->o->lang;

	fputs("<h3>", fp);
	html_esc(fp, ind->name[l]);
	fprintf(fp, " <span class=\"id\">%s %s %s</span></h3>\n", ind->table, ind->row, ind->measure);
	chart(x, fp, s, 1, ind->percent, ind->decimals, title);
	caption(x, fp, title);
	fprintf(fp, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\" class=\"t\">%s</th></tr></thead>\n<tbody>\n",
		word(l, "cohort"), word(l, "estimate"), word(l, "ci"), word(l, "n"), word(l, "status"));
	for (size_t i = 0; i < s->n; i++) {
		fputs("<tr><td>", fp);
		html_esc(fp, s->pt[i].x);
		fputs("</td>", fp);
		fig_cells(x, fp, s->fig[i], ind->percent, ind->decimals);
		fprintf(fp, "<td class=\"t\">%s</td></tr>\n", s->fig[i] ? status_word(l, s->fig[i]->status) : word(l, "no_row"));
	}
	fputs("</tbody></table></div>\n", fp);
}

static void curves(const struct page_ctx *x, FILE *fp, const struct page_series *s, size_t ns, const char *title)
{
	int l = x->o->lang;

	fputs("<h3>", fp);
	html_esc(fp, word(l, "curves"));
	fputs(" <span class=\"id\">km on_benefit_1m..18m surv</span></h3>\n<p class=\"note\">", fp);
	html_esc(fp, word(l, "curves_note"));
	fputs("</p>\n", fp);
	chart(x, fp, s, ns, 1, 1, title);
	fputs("<p class=\"legend\">", fp);
	for (size_t k = 0; k < ns && k < CHART_COLOURS; k++) {
		fprintf(fp, "<span class=\"key s%zu\"></span>", k);
		html_esc(fp, s[k].name);
	}
	fputs("</p>\n", fp);
	caption(x, fp, title);
	fprintf(fp, "<thead><tr><th scope=\"col\">%s</th>", word(l, "month_col"));
	for (size_t k = 0; k < ns; k++) {
		fputs("<th scope=\"col\">", fp);
		html_esc(fp, s[k].name);
		fprintf(fp, " %s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>", word(l, "estimate"), word(l, "ci"),
			word(l, "at_risk"));
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < s[0].n; i++) {
		fprintf(fp, "<tr><td>%s</td>", s[0].pt[i].x);
		for (size_t k = 0; k < ns; k++)
			fig_cells(x, fp, s[k].fig[i], 1, 1);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

static void end(const struct page_ctx *x, FILE *fp)
{
	fputs("<h2>", fp);
	html_esc(fp, word(x->o->lang, "method"));
	fputs("</h2>\n<ul>\n", fp);
	for (size_t i = 0; i < x->fs->nmethods; i++) {
		fputs("<li><span class=\"id\">", fp);
		html_esc(fp, x->fs->methods[i]);
		fputs("</span></li>\n", fp);
	}
	fputs("</ul>\n<p class=\"note\">", fp);
	html_esc(fp, word(x->o->lang, "generated"));
	fputs("</p>\n</body>\n</html>\n", fp);
}

const struct page_format page_html = { html_esc, begin, group, indicator, curves, end };
