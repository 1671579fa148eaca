/* render_html.c - one self-contained page: inline CSS, inline SVG bars, no external file.
 *
 * Layout follows the report's figures: horizontal bars with the label on the left and the
 * figure on the right; effects (fig2/fig5) as bars left (negative) or right (positive) of a
 * centre line, only the significant ones drawn. Each bar is its own small SVG stretched to
 * the width of a CSS grid column, so labels stay HTML text that wraps and stays readable on
 * a phone (the grid folds to label-above-bar on narrow screens); print CSS keeps figures
 * whole on a page. The markup is also well-formed XML (void elements closed, only the five
 * XML entities), so a strict parser can check it.
 */
#include "tabulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void esc(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:54rem;margin:0 auto;"
	"padding:1rem;color:#1a1a1a;line-height:1.4;background:#fff}\n"
	"h1{font-size:1.5rem;margin:.5rem 0}\n"
	"h2{font-size:1.15rem;margin:2.2rem 0 .4rem;padding-top:1rem;border-top:1px solid #ccc}\n"
	"h3{font-size:.95rem;margin:1.1rem 0 .2rem}\n"
	".id{font-weight:normal;color:#777;font-size:.8rem;font-family:monospace}\n"
	".pop{color:#555;font-size:.85rem;margin:0 0 .4rem}\n"
	".bars{display:grid;grid-template-columns:minmax(7rem,15rem) 1fr 9rem;gap:.2rem .6rem;align-items:center;margin:.3rem 0}\n"
	".lbl{font-size:.9rem}\n"
	".bars svg{width:100%;height:1.15rem;display:block;overflow:visible}\n"
	".val{font-size:.85rem;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".val small{color:#666}\n"
	".bar{fill:#0072b2}\n"
	".bar.neg{fill:#d55e00}\n"
	".track{fill:#eef2f5}\n"
	".ci{stroke:#1a1a1a;stroke-width:1.5}\n"
	".axis{stroke:#777;stroke-width:1}\n"
	".ns,.notes,.method{font-size:.8rem;color:#555}\n"
	".pop,.method,.notes{overflow-wrap:anywhere}\n"
	".method{border-left:3px solid #ddd;padding-left:.5rem}\n"
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
	".val{white-space:normal;font-size:.8rem}.val small{display:block}nav ul{columns:1}}\n"
	"@media print{body{max-width:none;font-size:10pt;padding:0}nav{display:none}"
	"section{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}"
	".bar,.track{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* One bar: value v on a scale [lo, hi] of the SVG (0..100 or -100..100). */
static void bar(FILE *fp, double v, double lo, double hi, int diverging, const char *label)
{
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"", fp);
	fprintf(fp, "%s 0 %s 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"", diverging ? "-100" : "0",
		diverging ? "200" : "100");
	esc(fp, label);
	fputs("\">", fp);
	fprintf(fp, "<rect class=\"track\" x=\"%s\" y=\"1\" width=\"%s\" height=\"8\"/>", diverging ? "-100" : "0",
		diverging ? "200" : "100");
	if (isfinite(v)) {
		double x0 = v < 0 ? v : 0, w = fabs(v);

		fprintf(fp, "<rect class=\"bar%s\" x=\"%.3f\" y=\"1\" width=\"%.3f\" height=\"8\"/>", v < 0 ? " neg" : "",
			x0, w);
	}
	if (isfinite(lo) && isfinite(hi)) {
		double a = fmax(lo, diverging ? -100 : 0), b = fmin(hi, 100);

		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"5\" y2=\"5\" vector-effect=\"non-scaling-stroke\"/>",
			a, b);
		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"3\" y2=\"7\" vector-effect=\"non-scaling-stroke\"/>", a, a);
		fprintf(fp, "<line class=\"ci\" x1=\"%.3f\" x2=\"%.3f\" y1=\"3\" y2=\"7\" vector-effect=\"non-scaling-stroke\"/>", b, b);
	}
	if (diverging)
		fputs("<line class=\"axis\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"10\" vector-effect=\"non-scaling-stroke\"/>", fp);
	fputs("</svg>", fp);
}

static void value_cell(const struct tctx *x, FILE *fp, const struct tcell *c, int show_n)
{
	char e[64], ci[96];

	fmt_est(x, e, sizeof e, c, c->est);
	fmt_ci(x, ci, sizeof ci, c);
	fputs("<div class=\"val\">", fp);
	esc(fp, e);
	if (*ci) {
		fputs(" <small>(", fp);
		esc(fp, ci);
		fputs(")</small>", fp);
	}
	if (show_n && !c->suppressed)           /* a suppressed cell shows no count */
		fprintf(fp, " <small>n %ld</small>", c->n);
	fputs("</div>\n", fp);
}

/* A bar row for a people or contrast cell. */
static void cell_row(const struct tctx *x, FILE *fp, const struct tcell *c, const char *label, double scale, int diverging)
{
	double k = 100 / scale;
	char aria[512], e[64];

	fmt_est(x, e, sizeof e, c, c->est);
	snprintf(aria, sizeof aria, "%s: %s", label, e);
	fputs("<div class=\"lbl\">", fp);
	esc(fp, label);
	fputs("</div>", fp);
	if (c->suppressed)
		bar(fp, NAN, NAN, NAN, diverging, aria);
	else
		bar(fp, c->est * k, c->lo * k, c->hi * k, diverging, aria);
	value_cell(x, fp, c, 1);
}

/* A people or contrasts block: heading and population line, then a bar per row. */
static void bars(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	if (b->t->kind == KIND_PEOPLE) {
		fputs("<h3>", fp);
		page_heading(x, fp, b, esc);
		fputs("</h3>\n<p class=\"pop\">", fp);
		page_population(x, fp, b, esc);
		fputs("</p>\n", fp);
	}
	fputs("<div class=\"bars\">\n", fp);
	for (size_t k = 0; k < b->nrows; k++)
		cell_row(x, fp, b->rows[k].cell, b->rows[k].label, b->rows[k].scale, b->t->kind == KIND_CONTRASTS);
	fputs("</div>\n", fp);
}

/* A model: bars left (negative) or right (positive) for the significant effects, then the
 * others named in one line. */
static void effects(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	const struct tcell *c = b->first;
	int nns = 0;

	fputs("<h3>", fp);
	esc(fp, tr_label(x, c->benefit));
	fputs(" · ", fp);
	esc(fp, tr_label(x, c->period));
	fputs("</h3>\n<p class=\"pop\">", fp);
	page_population(x, fp, b, esc);
	fputs("</p>\n", fp);
	if (c->suppressed)
		fputs("<p class=\"ns\">x</p>\n", fp);
	fputs("<div class=\"bars\">\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		const struct tcell *s = b->rows[k].rel, *a = b->rows[k].cell;
		char e[64], aria[sizeof b->rows[k].label + sizeof e + 8], v[64];

		if (!isfinite(s->est))
			continue;
		fmt_num(x, e, sizeof e, s->est, 2);
		snprintf(aria, sizeof aria, "%s: %s", b->rows[k].label, e);
		fputs("<div class=\"lbl\">", fp);
		esc(fp, b->rows[k].label);
		fputs("</div>", fp);
		bar(fp, s->est * 100, NAN, NAN, 1, aria);
		fmt_est(x, v, sizeof v, a, a->est);
		fputs("<div class=\"val\">", fp);
		esc(fp, s->symbol);
		fputs(" <small>", fp);
		esc(fp, tr_ui(x, "ame"));
		fputs(" ", fp);
		esc(fp, v);
		fputs("</small></div>\n", fp);
	}
	fputs("</div>\n", fp);
	for (size_t k = 0; k < b->nrows; k++) {
		if (isfinite(b->rows[k].rel->est))
			continue;
		fputs(nns++ ? ", " : "<p class=\"ns\">", fp);
		if (nns == 1) {
			esc(fp, tr_ui(x, b->nsig ? "not_significant" : "none_significant"));
			fputs(": ", fp);
		}
		esc(fp, b->rows[k].label);
	}
	if (nns)
		fputs("</p>\n", fp);
}

static void block(const struct tctx *x, FILE *fp, const struct page_block *b)
{
	if (b->t->kind == KIND_EFFECTS)
		effects(x, fp, b);
	else
		bars(x, fp, b);
}

static void symbols(const struct tctx *x, FILE *fp, const struct page_symbols *s)
{
	fputs("<table class=\"symbols\">\n<thead><tr><th></th>", fp);
	for (size_t b = 0; b < s->nbenefits; b++) {
		fputs("<th>", fp);
		esc(fp, tr_label(x, s->benefits[b]));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t f = 0; f < s->t->nforms; f++) {
		fputs("<tr><td>", fp);
		esc(fp, tr_label(x, s->t->forms[f]));
		fputs("</td>", fp);
		for (size_t b = 0; b < s->nbenefits; b++) {
			fputs("<td class=\"sym\">", fp);
			esc(fp, s->grid[f][b]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	/* the estimates behind the symbols */
	fputs("<p class=\"notes\">", fp);
	esc(fp, tr_ui(x, "behind"));
	fputs("</p>\n", fp);
	fprintf(fp, "<div class=\"scroll\"><table class=\"detail\">\n<thead><tr><th></th><th class=\"t\">%s</th><th class=\"t\">%s</th><th>%s</th><th>%s</th><th>p</th><th>n</th></tr></thead>\n<tbody>\n",
		tr_ui(x, "outcome"), tr_ui(x, "period"), tr_ui(x, "ame"), tr_ui(x, "ci"));
	for (size_t k = 0; k < s->nbehind; k++) {
		const struct page_behind *e = &s->behind[k];

		fputs("<tr><td>", fp);
		esc(fp, e->benefit);
		fputs(": ", fp);
		esc(fp, e->form);
		fputs("</td><td class=\"t\">", fp);
		esc(fp, e->outcome);
		fputs("</td><td class=\"t\">", fp);
		esc(fp, e->period);
		fputs("</td><td>", fp);
		esc(fp, e->est);
		if (e->significant)
			fputs(" *", fp);
		fputs("</td><td class=\"ci\">", fp);
		esc(fp, e->ci);
		fputs("</td><td>", fp);
		esc(fp, e->p);
		fprintf(fp, "</td><td>%s</td></tr>\n", e->n);
	}
	fputs("</tbody>\n</table></div>\n", fp);
}

static void begin(const struct tctx *x, FILE *fp)
{
	const struct tspec *s = x->spec;
	char g[1024];

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
		x->opts->lang == LANG_NL ? "nl" : "en");
	esc(fp, tr_ui(x, "report"));
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	esc(fp, tr_ui(x, "report"));
	fputs("</h1>\n<p class=\"notes\">", fp);
	tr_fill(x, "generated", spec_name(x), g, sizeof g);
	esc(fp, g);
	fputs("</p>\n<nav><ul>\n", fp);
	for (size_t ti = 0; ti < s->ntables; ti++) {      /* the contents: a link per table */
		const struct ttable *t = &s->tables[ti];

		if (!t->selected)
			continue;
		fputs("<li><a href=\"#t-", fp);
		esc(fp, t->id);
		fputs("\">", fp);
		esc(fp, t->title[x->opts->lang]);
		fputs("</a></li>\n", fp);
	}
	fputs("</ul></nav>\n", fp);
}

static void table_begin(const struct tctx *x, FILE *fp, const struct ttable *t, int empty)
{
	(void)empty;
	fputs("<section id=\"t-", fp);
	esc(fp, t->id);
	fputs("\">\n<h2>", fp);
	esc(fp, t->title[x->opts->lang]);
	fputs(" <span class=\"id\">", fp);
	esc(fp, t->id);
	fputs("</span></h2>\n", fp);
}

static void failed(const struct tctx *x, FILE *fp, const struct mfit *f)
{
	char wb[512];

	fputs("<p class=\"ns\"><strong>", fp);
	esc(fp, f->name);
	fputs("</strong>: ", fp);
	esc(fp, tr_ui(x, "failed"));
	fputs(" (", fp);
	esc(fp, fmt_warnings(x, f, wb, sizeof wb));
	fputs(")</p>\n", fp);
}

static void note(const struct tctx *x, FILE *fp, size_t k, const char *text)
{
	(void)x;
	(void)k;
	fputs("<p class=\"notes\">", fp);
	esc(fp, text);
	fputs("</p>\n", fp);
}

static void table_end(const struct tctx *x, FILE *fp, const struct ttable *t, const char *method)
{
	(void)t;
	fputs("<p class=\"method\">", fp);
	esc(fp, tr_ui(x, "method"));
	fputs(": ", fp);
	esc(fp, method);
	fputs("</p>\n</section>\n", fp);
}

static void end(const struct tctx *x, FILE *fp)
{
	(void)x;
	fputs("</body>\n</html>\n", fp);
}

const struct page_format page_html = {
	.charts = 1, .begin = begin, .changes = changes_html, .table_begin = table_begin, .block = block, .symbols = symbols,
	.failed = failed, .note = note, .table_end = table_end, .end = end,
};
