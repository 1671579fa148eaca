/* series.c - see series.h */
#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "html.h"

/* A run's cell as a chart point: drawn when published (not suppressed, an estimate). */
static void to_point(const struct point *p, struct chart_point *cp, char *date, size_t datesz)
{
	snprintf(date, datesz, "%.10s", p->run->published);
	*cp = (struct chart_point){ .x = date, .est = NAN, .lo = NAN, .hi = NAN, .mark = p->method_changed };
	if (p->cell && !p->cell->suppressed) {
		cp->est = p->cell->est;
		cp->lo = p->cell->lo;
		cp->hi = p->cell->hi;
		cp->shown = 1;
	}
}

void series_svg(FILE *fp, const struct series *s, const char *label, const struct chart_words *w)
{
	struct chart_point *pt = xcalloc(s->n ? s->n : 1, sizeof *pt);
	char (*dates)[16] = xcalloc(s->n ? s->n : 1, sizeof *dates);
	struct chart_series one = { pt, s->n };
	struct chart c = { &one, 1, s->percent, 2, 0 };
	size_t lsz = strlen(w->chart_of) + strlen(label) + 2;
	char *aria = xmalloc(lsz);

	for (size_t i = 0; i < s->n; i++)
		to_point(&s->pt[i], &pt[i], dates[i], sizeof dates[i]);
	snprintf(aria, lsz, "%s %s", w->chart_of, label);
	chart_svg(fp, &c, aria);
	free(aria);
	free(dates);
	free(pt);
}

void series_table(FILE *fp, const struct series *s, const char *label, const struct chart_words *w)
{
	fputs("<table class=\"trend\"><caption>", fp);
	html_esc(fp, w->table_of);
	fputs(" ", fp);
	html_esc(fp, label);
	fprintf(fp, "</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", w->run, w->published,
		w->estimate, w->interval, w->n);
	for (size_t i = 0; i < s->n; i++) {
		const struct point *p = &s->pt[i];
		struct chart_point cp;
		char date[16], e[32], lo[32], hi[32];

		to_point(p, &cp, date, sizeof date);
		fprintf(fp, "<tr><td>%ld</td><td>", p->run->publication);
		html_esc(fp, p->run->published);
		fputs("</td>", fp);
		if (!chart_shown(&cp)) {
			fprintf(fp, "<td colspan=\"3\" class=\"t\">%s</td>", p->cell ? w->suppressed : w->absent);
		} else {
			chart_format(e, sizeof e, cp.est, s->percent, 2, 0);
			chart_format(lo, sizeof lo, cp.lo, s->percent, 2, 0);
			chart_format(hi, sizeof hi, cp.hi, s->percent, 2, 0);
			fprintf(fp, "<td>%s</td><td class=\"ci\">", e);
			if (chart_has_band(&cp))
				fprintf(fp, "%s - %s", lo, hi);
			else
				fputs("-", fp);
			fputs("</td><td>", fp);
			if (p->cell->n >= 0)
				fprintf(fp, "%ld", p->cell->n);
			fputs("</td>", fp);
		}
		if (p->method_changed)
			fprintf(fp, "<td class=\"t note\">%s</td>", w->method_changed);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
}
