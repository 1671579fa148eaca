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

#include "diag.h"

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

static double measure_scale(const struct tctx *x, size_t from, size_t to, const struct tcell *c)
{
	return strcmp(c->measure, "share") == 0 ? 1 : table_max(x, from, to, c->measure);
}

/* Does every block of the table have one row, the same one? Then draw one chart. */
static int single_row_table(const struct tctx *x, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct tcell *c = &x->cells->v[i];

		if (c->tp->nrows != 1 || strcmp(c->row, x->cells->v[from].row) != 0)
			return 0;
	}
	return 1;
}

static void people_html(const struct tctx *x, FILE *fp, const struct ttable *t, size_t from, size_t to)
{
	int both = 0;
	char nb[32];

	for (size_t k = from; k + 1 < to; k++)
		if (x->cells->v[k].tr == x->cells->v[k + 1].tr && x->cells->v[k].slot == x->cells->v[k + 1].slot)
			both = 1;
	if (single_row_table(x, from, to)) {
		/* one chart: a bar per block, labelled by what differs between blocks */
		const struct tcell *f = &x->cells->v[from];
		int dben = 0, dper = 0, dpop = 0;

		for (size_t i = from; i < to; i++) {
			const struct tcell *c = &x->cells->v[i];

			dben |= strcmp(c->benefit, f->benefit) != 0;
			dper |= strcmp(c->period, f->period) != 0;
			dpop |= strcmp(c->population, f->population) != 0;
		}
		fputs("<h3>", fp);
		esc(fp, tr_row(x, f));
		if (!dben) {
			fputs(" · ", fp);
			esc(fp, tr_label(x, f->benefit));
		}
		fputs("</h3>\n<p class=\"pop\">", fp);
		for (size_t i = from; i < to; i++) {
			const struct tcell *c = &x->cells->v[i];

			if (i > from && c->slot == x->cells->v[i - 1].slot)
				continue;
			if (i > from)
				fputs("; ", fp);
			esc(fp, tr_label(x, c->benefit));
			fputs(" ", fp);
			esc(fp, tr_label(x, c->population));
			if (*c->tp->respondents) {
				fputs(" (", fp);
				esc(fp, tr_ui(x, "respondents"));
				fputs(": ", fp);
				esc(fp, c->tp->respondents);
				fputs(")", fp);
			}
			fprintf(fp, ": n = %s", fmt_count(nb, sizeof nb, c->panel_n, c->panel_hidden));
		}
		fputs("</p>\n<div class=\"bars\">\n", fp);
		for (size_t i = from; i < to; i++) {
			const struct tcell *c = &x->cells->v[i];
			char label[512] = "";
			size_t len;

			if (dben || !dper)
				snprintf(label, sizeof label, "%s", tr_label(x, c->benefit));
			if (dper) {
				len = strlen(label);
				snprintf(label + len, sizeof label - len, "%s%s", *label ? " · " : "", tr_label(x, c->period));
			}
			if (dpop) {
				len = strlen(label);
				snprintf(label + len, sizeof label - len, "%s%s", *label ? " · " : "", tr_label(x, c->population));
			}
			if (both) {
				len = strlen(label);
				snprintf(label + len, sizeof label - len, " (%s)", tr_ui(x, c->weighted ? "weighted_row" : "unweighted_row"));
			}
			cell_row(x, fp, c, label, measure_scale(x, from, to, c), 0);
		}
		fputs("</div>\n", fp);
		return;
	}
	for (size_t i = from; i < to;) {
		const struct tcell *c = &x->cells->v[i];
		size_t j;

		fputs("<h3>", fp);
		esc(fp, tr_label(x, c->benefit));
		fputs(" · ", fp);
		esc(fp, tr_label(x, c->period));
		fputs(" · ", fp);
		esc(fp, tr_label(x, c->population));
		fputs("</h3>\n<p class=\"pop\">", fp);
		esc(fp, tr_ui(x, "population"));
		fputs(": ", fp);
		esc(fp, tr_label(x, c->population));
		if (*c->tp->respondents) {
			fputs("; ", fp);
			esc(fp, tr_ui(x, "respondents"));
			fputs(": ", fp);
			esc(fp, c->tp->respondents);
		} else if (!t->weighted) {
			fputs("; ", fp);
			esc(fp, tr_ui(x, "registry"));
		}
		fprintf(fp, "; n = %s</p>\n<div class=\"bars\">\n", fmt_count(nb, sizeof nb, c->panel_n, c->panel_hidden));
		for (j = i; j < to && x->cells->v[j].slot == c->slot; j++) {
			const struct tcell *r = &x->cells->v[j];
			char label[512];

			snprintf(label, sizeof label, "%s%s%s%s", tr_row(x, r), both ? " (" : "",
				 both ? tr_ui(x, r->weighted ? "weighted_row" : "unweighted_row") : "", both ? ")" : "");
			cell_row(x, fp, r, label, measure_scale(x, from, to, r), 0);
		}
		fputs("</div>\n", fp);
		i = j;
	}
}

static void effects_html(const struct tctx *x, FILE *fp, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		const struct tcell *c = &x->cells->v[i];
		size_t j;
		int nns = 0, nsig = 0;
		char nb[32];

		fputs("<h3>", fp);
		esc(fp, tr_label(x, c->benefit));
		fputs(" · ", fp);
		esc(fp, tr_label(x, c->period));
		fputs("</h3>\n<p class=\"pop\">", fp);
		esc(fp, tr_ui(x, "population"));
		fputs(": ", fp);
		esc(fp, tr_label(x, c->population));
		fprintf(fp, "; n = %s</p>\n", fmt_count(nb, sizeof nb, c->n, c->suppressed));
		if (c->suppressed) {
			fputs("<p class=\"ns\">x</p>\n", fp);
		}
		fputs("<div class=\"bars\">\n", fp);
		for (j = i; j + 1 < to && x->cells->v[j].panel == c->panel; j += 2) {
			const struct tcell *s = &x->cells->v[j], *a = &x->cells->v[j + 1];
			char e[64], aria[512], v[64], ci[96];

			if (!isfinite(s->est))
				continue;
			nsig++;
			fmt_num(x, e, sizeof e, s->est, 2);
			snprintf(aria, sizeof aria, "%s: %s", tr_row(x, s), e);
			fputs("<div class=\"lbl\">", fp);
			esc(fp, tr_row(x, s));
			fputs("</div>", fp);
			bar(fp, s->est * 100, NAN, NAN, 1, aria);
			fmt_est(x, v, sizeof v, a, a->est);
			fmt_ci(x, ci, sizeof ci, a);
			fputs("<div class=\"val\">", fp);
			esc(fp, s->symbol);
			fputs(" <small>", fp);
			esc(fp, tr_ui(x, "ame"));
			fputs(" ", fp);
			esc(fp, v);
			fputs("</small></div>\n", fp);
		}
		fputs("</div>\n", fp);
		for (j = i; j + 1 < to && x->cells->v[j].panel == c->panel; j += 2) {
			const struct tcell *s = &x->cells->v[j];

			if (isfinite(s->est))
				continue;
			fputs(nns++ ? ", " : "<p class=\"ns\">", fp);
			if (nns == 1) {
				esc(fp, tr_ui(x, nsig ? "not_significant" : "none_significant"));
				fputs(": ", fp);
			}
			esc(fp, tr_row(x, s));
		}
		if (nns)
			fputs("</p>\n", fp);
		i = j;
	}
}

static void symbols_html(const struct tctx *x, FILE *fp, const struct ttable *t, size_t from, size_t to)
{
	const char *bens[8];
	size_t nb = symbol_benefits(x, from, to, bens, 8);

	fputs("<table class=\"symbols\">\n<thead><tr><th></th>", fp);
	for (size_t b = 0; b < nb; b++) {
		fputs("<th>", fp);
		esc(fp, tr_label(x, bens[b]));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t f = 0; f < t->nforms; f++) {
		fputs("<tr><td>", fp);
		esc(fp, tr_label(x, t->forms[f]));
		fputs("</td>", fp);
		for (size_t b = 0; b < nb; b++) {
			const char *s = symbol_of(x, from, to, bens[b], t->forms[f]);

			fputs("<td class=\"sym\">", fp);
			esc(fp, s);
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
	for (size_t k = from; k + 1 < to; k++) {
		const struct tcell *a = &x->cells->v[k], *p = &x->cells->v[k + 1];
		char e[64], ci[96], pv[64], form[128], count[32];
		const char *colon;

		if (strcmp(a->measure, "ame") != 0 || strcmp(p->measure, "p") != 0)
			continue;
		colon = strrchr(a->row, ':');
		snprintf(form, sizeof form, "%.*s", colon ? (int)(colon - a->row) : (int)strlen(a->row), a->row);
		fmt_est(x, e, sizeof e, a, a->est);
		fmt_ci(x, ci, sizeof ci, a);
		fmt_est(x, pv, sizeof pv, p, p->est);
		fputs("<tr><td>", fp);
		esc(fp, tr_label(x, a->benefit));
		fputs(": ", fp);
		esc(fp, tr_label(x, form));
		fputs("</td><td class=\"t\">", fp);
		esc(fp, tr_label(x, colon ? colon + 1 : ""));
		fputs("</td><td class=\"t\">", fp);
		esc(fp, tr_label(x, a->period));
		fputs("</td><td>", fp);
		esc(fp, e);
		if (*a->symbol)
			fputs(" *", fp);
		fputs("</td><td class=\"ci\">", fp);
		esc(fp, ci);
		fputs("</td><td>", fp);
		esc(fp, pv);
		fprintf(fp, "</td><td>%s</td></tr>\n", fmt_count(count, sizeof count, a->n, a->suppressed));
	}
	fputs("</tbody>\n</table></div>\n", fp);
}

static void contrasts_html(const struct tctx *x, FILE *fp, size_t from, size_t to)
{
	double scale = table_max(x, from, to, "difference");

	fputs("<div class=\"bars\">\n", fp);
	for (size_t k = from; k < to; k++) {
		const struct tcell *c = &x->cells->v[k];
		char label[512];

		snprintf(label, sizeof label, "%s · %s · %s", tr_label(x, c->benefit), tr_label(x, c->period),
			 tr_row(x, c));
		cell_row(x, fp, c, label, scale, 1);
	}
	fputs("</div>\n", fp);
}

void render_html(const struct tctx *x, FILE *fp)
{
	const struct tspec *s = x->spec;
	char method[4096];
	size_t i = 0;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
		x->opts->lang == LANG_NL ? "nl" : "en");
	esc(fp, tr_ui(x, "report"));
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	esc(fp, tr_ui(x, "report"));
	fputs("</h1>\n<p class=\"notes\">", fp);
	{
		char g[1024];

		tr_fill(x, "generated", s->path, g, sizeof g);
		esc(fp, g);
	}
	fputs("</p>\n<nav><ul>\n", fp);
	for (size_t ti = 0; ti < s->ntables; ti++) {
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
	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];
		size_t from = i;

		if (!t->selected)
			continue;
		while (i < x->cells->n && x->cells->v[i].table == t)
			i++;
		fputs("<section id=\"t-", fp);
		esc(fp, t->id);
		fputs("\">\n<h2>", fp);
		esc(fp, t->title[x->opts->lang]);
		fputs(" <span class=\"id\">", fp);
		esc(fp, t->id);
		fputs("</span></h2>\n", fp);
		if (from < i) {
			if (t->kind == KIND_PEOPLE)
				people_html(x, fp, t, from, i);
			else if (t->kind == KIND_EFFECTS)
				effects_html(x, fp, from, i);
			else if (t->kind == KIND_SYMBOLS)
				symbols_html(x, fp, t, from, i);
			else
				contrasts_html(x, fp, from, i);
		}
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct mfit *f = models_find(x->models, t->models[mi].name);

			if (f && strcmp(f->status, "failed") == 0) {
				char wb[512];

				fputs("<p class=\"ns\"><strong>", fp);
				esc(fp, f->name);
				fputs("</strong>: ", fp);
				esc(fp, tr_ui(x, "failed"));
				fputs(" (", fp);
				esc(fp, fmt_warnings(x, f, wb, sizeof wb));
				fputs(")</p>\n", fp);
			}
		}
		for (size_t k = 0; k < t->nnotes[x->opts->lang]; k++) {
			fputs("<p class=\"notes\">", fp);
			esc(fp, t->notes[x->opts->lang][k]);
			fputs("</p>\n", fp);
		}
		method_line(x, t, method, sizeof method);
		fputs("<p class=\"method\">", fp);
		esc(fp, tr_ui(x, "method"));
		fputs(": ", fp);
		esc(fp, method);
		fputs("</p>\n</section>\n", fp);
	}
	fputs("</body>\n</html>\n", fp);
}
