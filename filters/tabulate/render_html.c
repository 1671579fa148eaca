/* render_html.c - one self-contained page: inline CSS, inline SVG bars, no external file.
 *
 * Layout follows the report's figures: horizontal bars with the label on the left and the
 * figure on the right, each on an axis with round ticks (chart_ticks) - light gridlines
 * through the bars, tick marks and labels under every run of bars on one scale; effects
 * (fig2/fig5) as AME bars left (negative) or right (positive) of 0 with their 95 %
 * interval as a whisker, drawn only when that interval excludes 0 (page_sig, so the bar,
 * its mark and its interval agree); a chart whose blocks differ in half-year (fig1, fig4,
 * hours) as columns side by side per group, a colour per half-year, with a legend. Each
 * bar is its own small SVG stretched to the width of a CSS grid column, so labels stay
 * HTML text that wraps and stays readable on a phone (the grid folds to label-above-bar on
 * narrow screens); print CSS keeps figures whole on a page. The markup is also
 * well-formed XML (void elements closed, only the five XML entities: html_esc), so a
 * strict parser can check it. The style is html_base_css followed by the rules below.
 */
#include "tabulate.h"

#include "chart.h"
#include "html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The page's own rules, after the project's base style (html_base_css). Colours a check
 * looks for in a screenshot are used for nothing else: the gridlines (#c5ced6), the tick
 * marks (#5a6f80), the whiskers (#000000, crisp), the half-years' columns (#0072b2 the
 * first, #56b4e9 the second). */
static const char css[] =
	".bars{display:grid;grid-template-columns:minmax(7rem,15rem) 1fr 9rem;gap:.2rem .6rem;align-items:center;margin:.3rem 0}\n"
	".lbl{font-size:.9rem}\n"
	".bars svg{width:100%;height:1.15rem;display:block;overflow:visible}\n"
	".val{font-size:.85rem;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".val small{color:#666}\n"
	".bar{fill:#0072b2}\n"
	".bar.neg{fill:#d55e00}\n"
	".track{fill:#eef2f5}\n"
	".grid{stroke:#c5ced6;stroke-width:2}\n"
	".ci{stroke:#000;stroke-width:2;shape-rendering:crispEdges}\n"
	".axis{stroke:#777;stroke-width:1}\n"
	".ticks{position:relative;height:1.3rem;font-size:.7rem;color:#555;font-variant-numeric:tabular-nums}\n"
	".ticks svg{position:absolute;left:0;top:0;width:100%;height:.35rem;overflow:visible}\n"
	".ticks span{position:absolute;top:.4rem;transform:translateX(-50%);white-space:nowrap}\n"
	".tm{stroke:#5a6f80;stroke-width:2}\n"
	"svg.cols{width:100%;height:auto;max-width:40rem;display:block;margin:.3rem 0}\n"
	".col.p0,.key.p0{fill:#0072b2;background:#0072b2}\n"
	".col.p1,.key.p1{fill:#56b4e9;background:#56b4e9}\n"
	".col.p2,.key.p2{fill:#009e73;background:#009e73}\n"
	".col.p3,.key.p3{fill:#cc79a7;background:#cc79a7}\n"
	".tick{font-size:11px;fill:#555}\n"
	".legend{list-style:none;padding:0;margin:.2rem 0;font-size:.85rem}\n"
	".key{display:inline-block;width:.8rem;height:.8rem;margin-right:.4rem;vertical-align:-.1rem}\n"
	".ns,.notes,.method{font-size:.8rem;color:#555}\n"
	".pop,.method,.notes,.tech{overflow-wrap:anywhere}\n"
	".method{border-left:3px solid #ddd;padding-left:.5rem}\n"
	".tech{font-size:.8rem;color:#555}\n"
	"table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}\n"
	"th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:right}\n"
	"th:first-child,td:first-child{text-align:left}\n"
	"td.sym{text-align:center;font-weight:bold}\n"
	"td.t,th.t{text-align:left}\n"
	"td.ci{white-space:nowrap}\n"
	"table.detail{font-size:.8rem}\n"
	".scroll{overflow-x:auto}\n"
	"nav ul{columns:2;font-size:.85rem;padding-left:1.2rem}\n"
	"@media (max-width:38rem){.bars{grid-template-columns:minmax(0,1fr) 6.5rem}.lbl{grid-column:1/-1;margin-top:.35rem}"
	".val{white-space:normal;font-size:.8rem}.val small{display:block}nav ul{columns:1}.bars>div:empty{display:none}}\n"
	"@media print{body{max-width:none;font-size:10pt;padding:0}nav{display:none}"
	"section{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}"
	".bar,.track,.col,.key{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* A bar's axis: lo..hi on round ticks every step (chart_ticks); a diverging axis (effects,
 * contrasts) is symmetric around 0. share: the ticks are shown in %. */
struct axis {
	double lo, hi, step;
	int share;
	int decimals;               /* of a tick label, as shown */
};

static void axis_for(struct axis *a, double scale, int share, int diverging)
{
	double lo, hi, shown;

	if (!(isfinite(scale) && scale > 0))
		scale = 1;
	chart_ticks(diverging ? -scale : 0, scale, diverging ? 4 : 5, &lo, &hi, &a->step);
	a->hi = fmax(-lo, hi);
	a->lo = diverging ? -a->hi : 0;
	a->share = share;
	shown = a->step * (share ? 100 : 1);
	a->decimals = shown >= 1 ? 0 : (int)ceil(-log10(shown) - 1e-9);
}

static int axis_ticks(const struct axis *a)
{
	return (int)lround((a->hi - a->lo) / a->step);
}

/* A value's place on a bar's SVG: 0..100, or -100..100 when diverging. */
static double at(const struct axis *a, double v)
{
	return 100 * v / a->hi;
}

/* One bar: value v and its interval on axis a, with the axis's gridlines under it. */
static void bar(FILE *fp, const struct axis *a, double v, double lo, double hi, int diverging, const char *label)
{
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"", fp);
	fprintf(fp, "%s 0 %s 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"", diverging ? "-100" : "0",
		diverging ? "200" : "100");
	html_esc(fp, label);
	fputs("\">", fp);
	fprintf(fp, "<rect class=\"track\" x=\"%s\" y=\"1\" width=\"%s\" height=\"8\"/>", diverging ? "-100" : "0",
		diverging ? "200" : "100");
	for (int k = 1; k < axis_ticks(a); k++) {
		double g = at(a, a->lo + k * a->step);

		if (fabs(g) > 1e-9)          /* 0 of a diverging axis: the axis line */
			fprintf(fp, "<line class=\"grid\" x1=\"%.3f\" x2=\"%.3f\" y1=\"0\" y2=\"10\" vector-effect=\"non-scaling-stroke\"/>",
				g, g);
	}
	if (isfinite(v)) {
		double x0 = v < 0 ? at(a, v) : 0, w = fabs(at(a, v));

		fprintf(fp, "<rect class=\"bar%s\" x=\"%.3f\" y=\"1\" width=\"%.3f\" height=\"8\"/>", v < 0 ? " neg" : "",
			x0, w);
	}
	if (isfinite(lo) && isfinite(hi)) {
		double l = fmax(at(a, lo), diverging ? -100 : 0), h = fmin(at(a, hi), 100);

		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"5\" y2=\"5\" vector-effect=\"non-scaling-stroke\"/>",
			l, h);
		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"2.5\" y2=\"7.5\" vector-effect=\"non-scaling-stroke\"/>", l, l);
		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"2.5\" y2=\"7.5\" vector-effect=\"non-scaling-stroke\"/>", h, h);
	}
	if (diverging)
		fputs("<line class=\"axis\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"10\" vector-effect=\"non-scaling-stroke\"/>", fp);
	fputs("</svg>", fp);
}

/* A tick's label: "40 %" for a share, else the number with the step's decimals. */
static void tick_label(const struct tctx *x, const struct axis *a, double v, char *buf, size_t sz)
{
	char n[48];

	fmt_num(x, n, sizeof n, v * (a->share ? 100 : 1), a->decimals);
	snprintf(buf, sz, "%s%s", n, a->share ? " %" : "");
}

/* The axis under a run of bars: a grid row with the tick labels under the bars' column. */
static void ticks_row(const struct tctx *x, FILE *fp, const struct axis *a)
{
	char t[64];

	fputs("<div></div><div class=\"ticks\" aria-hidden=\"true\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\">",
	      fp);
	for (int k = 0; k <= axis_ticks(a); k++)
		fprintf(fp, "<line class=\"tm\" x1=\"%.3f\" x2=\"%.3f\" y1=\"0\" y2=\"4\" vector-effect=\"non-scaling-stroke\"/>",
			100 * k * a->step / (a->hi - a->lo), 100 * k * a->step / (a->hi - a->lo));
	fputs("</svg>", fp);
	for (int k = 0; k <= axis_ticks(a); k++) {
		double v = a->lo + k * a->step;

		tick_label(x, a, v, t, sizeof t);
		fprintf(fp, "<span style=\"left:%.3f%%\">", 100 * (v - a->lo) / (a->hi - a->lo));
		html_esc(fp, t);
		fputs("</span>", fp);
	}
	fputs("</div><div></div>\n", fp);
}

static void value_cell(const struct tctx *x, FILE *fp, const struct tcell *c, int show_n)
{
	char e[64], ci[96];

	fmt_est(x, e, sizeof e, c, c->est);
	fmt_ci(x, ci, sizeof ci, c);
	fputs("<div class=\"val\">", fp);
	html_esc(fp, e);
	if (*ci) {
		fputs(" <small>(", fp);
		html_esc(fp, ci);
		fputs(")</small>", fp);
	}
	if (show_n && !c->suppressed)           /* a suppressed cell shows no count */
		fprintf(fp, " <small>n %ld</small>", c->n);
	fputs("</div>\n", fp);
}

/* A bar row for a people or contrast cell. */
static void cell_row(const struct tctx *x, FILE *fp, const struct tcell *c, const char *label, const struct axis *a,
		     int diverging)
{
	char aria[512], e[64];

	fmt_est(x, e, sizeof e, c, c->est);
	snprintf(aria, sizeof aria, "%s: %s", label, e);
	fputs("<div class=\"lbl\">", fp);
	html_esc(fp, label);
	fputs("</div>", fp);
	if (c->suppressed)
		bar(fp, a, NAN, NAN, NAN, diverging, aria);
	else
		bar(fp, a, c->est, c->lo, c->hi, diverging, aria);
	value_cell(x, fp, c, 1);
}

static void people_head(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	fputs("<h3>", fp);
	page_heading(x, fp, b, html_esc);
	fputs("</h3>\n<p class=\"pop\">", fp);
	page_population(x, fp, b, html_esc);
	fputs("</p>\n", fp);
}

/* A people or contrasts block: heading and population line, then a bar per row, and the
 * axis under every run of rows on one scale. */
static void bars(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	int diverging = b->t->kind == KIND_CONTRASTS;

	if (b->t->kind == KIND_PEOPLE)
		people_head(x, fp, b);
	fputs("<div class=\"bars\">\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		const struct page_row *r = &b->rows[k];
		struct axis a;

		axis_for(&a, r->scale, strcmp(r->cell->measure, "share") == 0, diverging);
		cell_row(x, fp, r->cell, r->label, &a, diverging);
		if (k + 1 == b->nrows || r[1].scale != r->scale || strcmp(r[1].cell->measure, r->cell->measure) != 0)
			ticks_row(x, fp, &a);
	}
	fputs("</div>\n", fp);
}

/* The figures of a chart's column, as its legend entry shows them. */
static void column_text(const struct tctx *x, const struct tcell *c, char *buf, size_t sz)
{
	char e[64], ci[96];

	fmt_est(x, e, sizeof e, c, c->est);
	fmt_ci(x, ci, sizeof ci, c);
	if (*ci && !c->suppressed)
		snprintf(buf, sz, "%s (%s), n %ld", e, ci, c->n);
	else
		snprintf(buf, sz, "%s", e);
}

/* The chart's frame in viewBox units. */
enum { COL_W = 640, COL_H = 240, COL_L = 52, COL_R = 8, COL_T = 20, COL_B = 28 };

static double col_y(const struct axis *a, double v)
{
	return COL_T + (COL_H - COL_T - COL_B) * (1 - fmin(fmax(v / a->hi, 0), 1));
}

/* One column of the grouped chart: its bar, whisker and figure on top. */
static void column(const struct tctx *x, FILE *fp, const struct axis *a, const struct page_row *r, double x0, double w)
{
	const struct tcell *c = r->cell;
	char e[64];

	if (c->suppressed || !isfinite(c->est))
		return;
	fprintf(fp, "<rect class=\"col p%d\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>", r->series % 4, x0,
		col_y(a, c->est), w, col_y(a, 0) - col_y(a, c->est));
	if (isfinite(c->lo) && isfinite(c->hi)) {
		double m = x0 + w / 2, yl = col_y(a, c->lo), yh = col_y(a, c->hi);

		fprintf(fp, "<line class=\"ci\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>", m, m, yl, yh);
		fprintf(fp, "<line class=\"ci\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>", m - 6, m + 6, yl, yl);
		fprintf(fp, "<line class=\"ci\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>", m - 6, m + 6, yh, yh);
	}
	fmt_est(x, e, sizeof e, c, c->est);
	fprintf(fp, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", x0 + w / 2,
		col_y(a, isfinite(c->hi) ? fmax(c->hi, c->est) : c->est) - 4);
	html_esc(fp, e);
	fputs("</text>", fp);
}

/* The group a column of the grouped chart stands in: its benefit when the blocks differ in
 * benefit (hours: WW, WWB), else its row. */
static const char *group_of(const struct tctx *x, const struct page_block *b, const struct page_row *r)
{
	return b->dben ? tr_label(x, r->cell->benefit) : tr_row(x, r->cell);
}

/* A chart whose blocks differ in period (fig1, fig4): per group a column per block side
 * by side, coloured by half-year, on a y axis with ticks and gridlines; the legend names
 * each column with its figures. */
static void columns(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	const char *groups[16];
	size_t ng = 0, most = 1;
	struct axis a;
	char t[64];

	people_head(x, fp, b);
	for (size_t k = 0; k < b->nrows; k++) {
		const char *g = group_of(x, b, &b->rows[k]);
		size_t i, in = 0;

		for (i = 0; i < ng && strcmp(groups[i], g) != 0; i++)
			;
		if (i == ng && ng < 16)
			groups[ng++] = g;
		for (size_t j = 0; j < b->nrows; j++)
			in += strcmp(group_of(x, b, &b->rows[j]), g) == 0;
		most = in > most ? in : most;
	}
	axis_for(&a, b->rows[0].scale, strcmp(b->rows[0].cell->measure, "share") == 0, 0);
	fprintf(fp, "<svg class=\"cols\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		COL_W, COL_H);
	page_heading(x, fp, b, html_esc);
	fputs("\">", fp);
	for (int k = 0; k <= axis_ticks(&a); k++) {
		double v = a.lo + k * a.step;

		tick_label(x, &a, v, t, sizeof t);
		fprintf(fp, "<line class=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\"/>", k ? "grid" : "axis", COL_L - 4,
			COL_W - COL_R, col_y(&a, v), col_y(&a, v));
		fprintf(fp, "<text class=\"tick\" x=\"%d\" y=\"%.2f\" text-anchor=\"end\">", COL_L - 8, col_y(&a, v) + 4);
		html_esc(fp, t);
		fputs("</text>", fp);
	}
	for (size_t g = 0; g < ng; g++) {
		double gw = (double)(COL_W - COL_L - COL_R) / (double)ng, w = gw / (double)(most + 1), x0 = COL_L + (double)g * gw;
		size_t in = 0;

		for (size_t k = 0; k < b->nrows; k++)
			in += strcmp(group_of(x, b, &b->rows[k]), groups[g]) == 0;
		x0 += (gw - (double)in * w) / 2;
		for (size_t k = 0; k < b->nrows; k++)
			if (strcmp(group_of(x, b, &b->rows[k]), groups[g]) == 0) {
				column(x, fp, &a, &b->rows[k], x0, w * 0.92);
				x0 += w;
			}
		fprintf(fp, "<text class=\"tick\" x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">", COL_L + ((double)g + 0.5) * gw,
			COL_H - 8);
		html_esc(fp, groups[g]);
		fputs("</text>", fp);
	}
	fputs("</svg>\n<ul class=\"legend\">\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		char v[256];

		column_text(x, b->rows[k].cell, v, sizeof v);
		fprintf(fp, "<li><span class=\"key p%d\"></span>", b->rows[k].series % 4);
		html_esc(fp, b->rows[k].label);
		fputs(": ", fp);
		html_esc(fp, v);
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n", fp);
}

/* A model: the effects whose interval excludes 0 as bars left (negative) or right
 * (positive) of 0 with their interval, on an axis of AMEs; then the others named in one
 * line. */
static void effects(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	const struct tcell *c = b->first;
	double m = 0;
	int nns = 0;
	struct axis a;

	fputs("<h3>", fp);
	html_esc(fp, tr_label(x, c->benefit));
	fputs(" · ", fp);
	html_esc(fp, tr_label(x, c->period));
	fputs("</h3>\n<p class=\"pop\">", fp);
	page_population(x, fp, b, html_esc);
	fputs("</p>\n", fp);
	if (c->suppressed)
		fputs("<p class=\"ns\">x</p>\n", fp);
	for (size_t k = 0; k < b->nrows; k++)
		if (b->rows[k].sig)
			m = fmax(m, fmax(fabs(b->rows[k].cell->lo), fabs(b->rows[k].cell->hi)));
	axis_for(&a, m, 0, 1);
	fputs("<div class=\"bars\">\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *e = b->rows[k].cell;
		char v[64], ci[96], aria[sizeof b->rows[k].label + sizeof v + 8];

		if (!b->rows[k].sig)
			continue;
		fmt_est(x, v, sizeof v, e, e->est);
		fmt_ci(x, ci, sizeof ci, e);
		snprintf(aria, sizeof aria, "%s: %s", b->rows[k].label, v);
		fputs("<div class=\"lbl\">", fp);
		html_esc(fp, b->rows[k].label);
		fputs("</div>", fp);
		bar(fp, &a, e->est, e->lo, e->hi, 1, aria);
		fputs("<div class=\"val\">", fp);
		html_esc(fp, tr_ui(x, "ame"));
		fputs(" ", fp);
		html_esc(fp, v);
		fputs(" * <small>(", fp);
		html_esc(fp, ci);
		fputs(")</small></div>\n", fp);
	}
	if (b->nsig)
		ticks_row(x, fp, &a);
	fputs("</div>\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		if (b->rows[k].sig)
			continue;
		fputs(nns++ ? ", " : "<p class=\"ns\">", fp);
		if (nns == 1) {
			html_esc(fp, tr_ui(x, b->nsig ? "not_significant" : "none_significant"));
			fputs(": ", fp);
		}
		html_esc(fp, b->rows[k].label);
	}
	if (nns)
		fputs("</p>\n", fp);
}

static void block(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	if (b->t->kind == KIND_EFFECTS)
		effects(x, fp, b);
	else if (b->grouped)
		columns(x, fp, b);
	else
		bars(x, fp, b);
}

static void symbols(const struct tctx *x, FILE *fp, const struct page_symbols *s)
{
	fputs("<table class=\"symbols\">\n<thead><tr><th></th>", fp);
	for (size_t b = 0; b < s->nbenefits; b++) {
		fputs("<th>", fp);
		html_esc(fp, tr_label(x, s->benefits[b]));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t f = 0; f < s->t->nforms; f++) {
		fputs("<tr><td>", fp);
		html_esc(fp, tr_label(x, s->t->forms[f]));
		fputs("</td>", fp);
		for (size_t b = 0; b < s->nbenefits; b++) {
			fputs("<td class=\"sym\">", fp);
			html_esc(fp, s->grid[f][b]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	/* the estimates behind the symbols */
	fputs("<p class=\"notes\">", fp);
	html_esc(fp, tr_ui(x, "behind"));
	fputs("</p>\n", fp);
	fprintf(fp, "<div class=\"scroll\"><table class=\"detail\">\n<thead><tr><th></th><th class=\"t\">%s</th><th class=\"t\">%s</th><th>%s</th><th>%s</th><th>p</th><th>n</th></tr></thead>\n<tbody>\n",
		tr_ui(x, "outcome"), tr_ui(x, "period"), tr_ui(x, "ame"), tr_ui(x, "ci"));
	for (size_t k = 0; k < s->nbehind; k++) {
		const struct page_behind *e = &s->behind[k];

		fputs("<tr><td>", fp);
		html_esc(fp, e->benefit);
		fputs(": ", fp);
		html_esc(fp, e->form);
		fputs("</td><td class=\"t\">", fp);
		html_esc(fp, e->outcome);
		fputs("</td><td class=\"t\">", fp);
		html_esc(fp, e->period);
		fputs("</td><td>", fp);
		html_esc(fp, e->est);
		if (e->significant)
			fputs(" *", fp);
		fputs("</td><td class=\"ci\">", fp);
		html_esc(fp, e->ci);
		fputs("</td><td>", fp);
		html_esc(fp, e->p);
		fprintf(fp, "</td><td>%s</td></tr>\n", e->n);
	}
	fputs("</tbody>\n</table></div>\n", fp);
}

static void begin(const struct tctx *x, FILE *fp)
{
	const struct tspec *s = x->spec;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
		x->opts->lang == LANG_NL ? "nl" : "en");
	html_esc(fp, tr_ui(x, "report"));
	fprintf(fp, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<h1>", html_base_css, css);
	html_esc(fp, tr_ui(x, "report"));
	fputs("</h1>\n<p class=\"notes\">", fp);
	page_header(x, fp, html_esc);
	fputs("</p>\n<nav><ul>\n", fp);
	for (size_t ti = 0; ti < s->ntables; ti++) {      /* the contents: a link per table */
		const struct ttable *t = &s->tables[ti];

		if (!t->selected)
			continue;
		fputs("<li><a href=\"#t-", fp);
		html_esc(fp, t->id);
		fputs("\">", fp);
		html_esc(fp, t->title[x->opts->lang]);
		fputs("</a></li>\n", fp);
	}
	fputs("</ul></nav>\n", fp);
}

static void table_begin(const struct tctx *x, FILE *fp, const struct ttable *t, int empty)
{
	(void)empty;
	fputs("<section id=\"t-", fp);
	html_esc(fp, t->id);
	fputs("\">\n<h2>", fp);
	html_esc(fp, t->title[x->opts->lang]);
	fputs(" <span class=\"id\">", fp);
	html_esc(fp, t->id);
	fputs("</span></h2>\n", fp);
}

static void failed(const struct tctx *x, FILE *fp, const struct mfit *f)
{
	char wb[512];

	fputs("<p class=\"ns\"><strong>", fp);
	html_esc(fp, f->name);
	fputs("</strong>: ", fp);
	html_esc(fp, tr_ui(x, "failed"));
	fputs(" (", fp);
	html_esc(fp, fmt_warnings(x, f, wb, sizeof wb));
	fputs(")</p>\n", fp);
}

static void note(const struct tctx *x, FILE *fp, size_t k, const char *text)
{
	(void)x;
	(void)k;
	fputs("<p class=\"notes\">", fp);
	html_esc(fp, text);
	fputs("</p>\n", fp);
}

static void table_end(const struct tctx *x, FILE *fp, const struct ttable *t, const char *method)
{
	(void)t;
	fputs("<p class=\"method\">", fp);
	html_esc(fp, tr_ui(x, "method"));
	fputs(": ", fp);
	html_esc(fp, method);
	fputs("</p>\n</section>\n", fp);
}

static void tech(const struct tctx *x, FILE *fp, const struct ttable *t, const char *tags, int first)
{
	if (first) {
		fputs("<section id=\"appendix\">\n<h2>", fp);
		html_esc(fp, tr_ui(x, "appendix"));
		fputs("</h2>\n<p class=\"notes\">", fp);
		html_esc(fp, tr_ui(x, "appendix_intro"));
		fputs("</p>\n", fp);
	}
	fputs("<p class=\"tech\"><a href=\"#t-", fp);
	html_esc(fp, t->id);
	fputs("\"><code>", fp);
	html_esc(fp, t->id);
	fputs("</code></a>: ", fp);
	html_esc(fp, tags);
	fputs("</p>\n", fp);
}

static void end(const struct tctx *x, FILE *fp)
{
	for (size_t ti = 0; ti < x->spec->ntables; ti++)
		if (x->spec->tables[ti].selected) {       /* the appendix (tech) was opened */
			fputs("</section>\n", fp);
			break;
		}
	fputs("</body>\n</html>\n", fp);
}

const struct page_format page_html = {
	.charts = 1, .begin = begin, .changes = changes_html, .table_begin = table_begin, .block = block, .symbols = symbols,
	.failed = failed, .note = note, .table_end = table_end, .tech = tech, .end = end,
};
