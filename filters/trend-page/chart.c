/* chart.c - see chart.h */
#include "chart.h"

#include <math.h>
#include <string.h>

#include "html.h"

/* The chart's frame in viewBox units: plot area inside the margins. */
enum { VIEW_W = 640, VIEW_H = 220, MARGIN_L = 58, MARGIN_R = 18, MARGIN_T = 12, MARGIN_B = 34 };

static int published(const struct point *p)
{
	return p->cell && !p->cell->suppressed && isfinite(p->cell->est);
}

static int has_band(const struct point *p)
{
	return published(p) && isfinite(p->cell->lo) && isfinite(p->cell->hi);
}

void chart_format(char *buf, size_t bufsz, double v, int percent)
{
	if (!isfinite(v))
		snprintf(buf, bufsz, "-");
	else if (percent)
		snprintf(buf, bufsz, "%.1f%%", 100 * v);
	else
		snprintf(buf, bufsz, "%.2f", v);
}

/* The y range: every published estimate and interval, padded, on round ticks. */
struct scale {
	double lo, hi, step;
};

static void y_scale(const struct series *s, struct scale *sc)
{
	double lo = INFINITY, hi = -INFINITY, span, mag, unit;

	for (size_t i = 0; i < s->n; i++) {
		const struct cell *c = s->pt[i].cell;

		if (!published(&s->pt[i]))
			continue;
		lo = fmin(lo, has_band(&s->pt[i]) ? fmin(c->lo, c->est) : c->est);
		hi = fmax(hi, has_band(&s->pt[i]) ? fmax(c->hi, c->est) : c->est);
	}
	if (!isfinite(lo)) {
		lo = 0;
		hi = 1;
	}
	span = hi - lo;
	if (span < (s->percent ? 0.04 : fmax(0.1 * fabs(hi), 0.5))) {
		double mid = (lo + hi) / 2, half = (s->percent ? 0.04 : fmax(0.1 * fabs(hi), 0.5)) / 2;

		lo = mid - half;
		hi = mid + half;
		span = hi - lo;
	}
	mag = pow(10, floor(log10(span / 4)));
	unit = span / 4 / mag;
	sc->step = mag * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
	sc->lo = floor(lo / sc->step) * sc->step;
	sc->hi = ceil(hi / sc->step) * sc->step;
	if (s->percent) {
		sc->lo = fmax(sc->lo, 0);
		sc->hi = fmin(sc->hi, 1);
	}
}

static double x_at(const struct series *s, size_t i)
{
	double w = VIEW_W - MARGIN_L - MARGIN_R;

	return s->n == 1 ? MARGIN_L + w / 2 : MARGIN_L + w * (double)i / (double)(s->n - 1);
}

static double y_at(const struct scale *sc, double v)
{
	double h = VIEW_H - MARGIN_T - MARGIN_B;

	return MARGIN_T + h * (sc->hi - v) / (sc->hi - sc->lo);
}

static void axes(FILE *fp, const struct series *s, const struct scale *sc)
{
	size_t every = s->n <= 6 ? 1 : (s->n + 5) / 6;
	char t[32];

	for (double v = sc->lo; v <= sc->hi + sc->step / 2; v += sc->step) {
		chart_format(t, sizeof t, v, s->percent);
		if (s->percent && strstr(t, ".0%"))
			snprintf(t, sizeof t, "%.0f%%", 100 * v);
		fprintf(fp, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\"/>", MARGIN_L, VIEW_W - MARGIN_R,
			y_at(sc, v), y_at(sc, v));
		fprintf(fp, "<text class=\"tick\" x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>", MARGIN_L - 6,
			y_at(sc, v) + 4, t);
	}
	fprintf(fp, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", MARGIN_L, VIEW_W - MARGIN_R,
		VIEW_H - MARGIN_B, VIEW_H - MARGIN_B);
	/* the date of each run's publication (every so many when there are many); the
	 * outermost labels are anchored inwards, so that they stay inside the frame */
	for (size_t i = 0; i < s->n; i++)
		if (i % every == 0 || i + 1 == s->n) {
			snprintf(t, sizeof t, "%.10s", s->pt[i].run->published);
			fprintf(fp, "<text class=\"tick\" x=\"%.2f\" y=\"%d\" text-anchor=\"%s\">", x_at(s, i), VIEW_H - 12,
				s->n == 1 ? "middle" : i == 0 ? "start" : i + 1 == s->n ? "end" : "middle");
			html_esc(fp, t);
			fputs("</text>", fp);
		}
}

/* The band: one closed path per stretch of consecutive runs with an interval (a stretch of
 * one run is drawn a few units wide, so that it shows). */
static void band(FILE *fp, const struct series *s, const struct scale *sc)
{
	for (size_t i = 0; i < s->n;) {
		size_t j = i;

		if (!has_band(&s->pt[i])) {
			i++;
			continue;
		}
		while (j + 1 < s->n && has_band(&s->pt[j + 1]))
			j++;
		fputs("<path class=\"band\" d=\"", fp);
		for (size_t k = i; k <= j; k++)
			fprintf(fp, "%s%.2f %.2f ", k == i ? "M" : "L", x_at(s, k) - (i == j ? 5 : 0),
				y_at(sc, s->pt[k].cell->hi));
		if (i == j)
			fprintf(fp, "L%.2f %.2f ", x_at(s, i) + 5, y_at(sc, s->pt[i].cell->hi));
		for (size_t k = j + 1; k-- > i;) {
			fprintf(fp, "L%.2f %.2f ", x_at(s, k) + (i == j ? 5 : 0), y_at(sc, s->pt[k].cell->lo));
			if (i == j)
				fprintf(fp, "L%.2f %.2f ", x_at(s, k) - 5, y_at(sc, s->pt[k].cell->lo));
		}
		fputs("Z\"/>", fp);
		i = j + 1;
	}
}

/* The line through consecutive published estimates, and a dot at each. */
static void line(FILE *fp, const struct series *s, const struct scale *sc)
{
	int open = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (!published(&s->pt[i])) {
			if (open)
				fputs("\"/>", fp);
			open = 0;
			continue;
		}
		fprintf(fp, "%s%.2f %.2f", open ? " L" : "<path class=\"line\" d=\"M", x_at(s, i),
			y_at(sc, s->pt[i].cell->est));
		open = 1;
	}
	if (open)
		fputs("\"/>", fp);
	for (size_t i = 0; i < s->n; i++)
		if (published(&s->pt[i]))
			fprintf(fp, "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\"/>", x_at(s, i),
				y_at(sc, s->pt[i].cell->est));
}

void chart_svg(FILE *fp, const struct series *s, const char *label, const struct chart_words *w)
{
	struct scale sc;

	y_scale(s, &sc);
	fprintf(fp, "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"", VIEW_W, VIEW_H);
	html_esc(fp, w->chart_of);
	fputs(" ", fp);
	html_esc(fp, label);
	fputs("\">", fp);
	axes(fp, s, &sc);
	band(fp, s, &sc);
	for (size_t i = 0; i < s->n; i++)
		if (s->pt[i].method_changed)
			fprintf(fp, "<line class=\"mc\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\"/>", x_at(s, i), x_at(s, i),
				MARGIN_T, VIEW_H - MARGIN_B);
	line(fp, s, &sc);
	fputs("</svg>\n", fp);
}

void chart_table(FILE *fp, const struct series *s, const char *label, const struct chart_words *w)
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
		char e[32], lo[32], hi[32];

		fprintf(fp, "<tr><td>%ld</td><td>", p->run->publication);
		html_esc(fp, p->run->published);
		fputs("</td>", fp);
		if (!published(p)) {
			fprintf(fp, "<td colspan=\"3\" class=\"t\">%s</td>", p->cell ? w->suppressed : w->absent);
		} else {
			chart_format(e, sizeof e, p->cell->est, s->percent);
			chart_format(lo, sizeof lo, p->cell->lo, s->percent);
			chart_format(hi, sizeof hi, p->cell->hi, s->percent);
			fprintf(fp, "<td>%s</td><td class=\"ci\">", e);
			if (has_band(p))
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
