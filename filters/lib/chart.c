/* chart.c - see chart.h */
#include "chart.h"

#include <math.h>
#include <string.h>

#include "html.h"

/* The chart's frame in viewBox units: plot area inside the margins. */
enum { VIEW_W = 640, VIEW_H = 220, MARGIN_L = 58, MARGIN_R = 18, MARGIN_T = 12, MARGIN_B = 34 };

const char chart_css[] =
	"svg.trend{width:100%;height:auto;display:block;max-width:40rem}\n"
	".band{fill:#cfe3f1}\n"
	".line{fill:none;stroke:#0072b2;stroke-width:2.5;stroke-linejoin:round}\n"
	".pt{fill:#0072b2}\n"
	".grid{stroke:#e6e6e6;stroke-width:1}\n"
	".axis{stroke:#777;stroke-width:1}\n"
	".mc{stroke:#d55e00;stroke-width:1.5;stroke-dasharray:4 3}\n"
	".tick{font-size:11px;fill:#555}\n"
	/* the other series: Okabe-Ito colours, their bands translucent over the first one's */
	".line.s1{stroke:#d55e00}.pt.s1,.key.s1{fill:#d55e00;background:#d55e00}.band.s1{fill:#d55e00;fill-opacity:.15}\n"
	".line.s2{stroke:#009e73}.pt.s2,.key.s2{fill:#009e73;background:#009e73}.band.s2{fill:#009e73;fill-opacity:.15}\n"
	".line.s3{stroke:#cc79a7}.pt.s3,.key.s3{fill:#cc79a7;background:#cc79a7}.band.s3{fill:#cc79a7;fill-opacity:.15}\n"
	".key{display:inline-block;width:1.6em;height:.3em;vertical-align:middle;margin:0 .3em 0 .8em;"
	"background:#0072b2}\n";

int chart_shown(const struct chart_point *p)
{
	return p->shown && isfinite(p->est);
}

int chart_has_band(const struct chart_point *p)
{
	return chart_shown(p) && isfinite(p->lo) && isfinite(p->hi);
}

void chart_format(char *buf, size_t bufsz, double v, int percent, int decimals, int comma)
{
	if (!isfinite(v))
		snprintf(buf, bufsz, "-");
	else if (percent)
		snprintf(buf, bufsz, "%.1f%%", 100 * v);
	else
		snprintf(buf, bufsz, "%.*f", decimals, v);
	if (comma)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
}

/* The y range: every shown estimate and interval, padded, on round ticks. */
struct scale {
	double lo, hi, step;
};

void chart_ticks(double lo, double hi, int parts, double *tlo, double *thi, double *step)
{
	double span = hi - lo, mag = pow(10, floor(log10(span / parts))), unit = span / parts / mag;

	*step = mag * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
	*tlo = floor(lo / *step) * *step;
	*thi = ceil(hi / *step) * *step;
}

static void y_scale(const struct chart *c, struct scale *sc)
{
	double lo = INFINITY, hi = -INFINITY, span, least;

	for (size_t k = 0; k < c->ns; k++)
		for (size_t i = 0; i < c->s[k].n; i++) {
			const struct chart_point *p = &c->s[k].pt[i];

			if (!chart_shown(p))
				continue;
			lo = fmin(lo, chart_has_band(p) ? fmin(p->lo, p->est) : p->est);
			hi = fmax(hi, chart_has_band(p) ? fmax(p->hi, p->est) : p->est);
		}
	if (!isfinite(lo)) {
		lo = 0;
		hi = 1;
	}
	span = hi - lo;
	least = c->percent ? 0.04 : fmax(0.1 * fabs(hi), 0.5);
	if (span < least) {
		double mid = (lo + hi) / 2;

		lo = mid - least / 2;
		hi = mid + least / 2;
		span = hi - lo;
	}
	chart_ticks(lo, hi, 4, &sc->lo, &sc->hi, &sc->step);
	if (c->percent) {
		sc->lo = fmax(sc->lo, 0);
		sc->hi = fmin(sc->hi, 1);
	}
}

static double x_at(size_t n, size_t i)
{
	double w = VIEW_W - MARGIN_L - MARGIN_R;

	return n == 1 ? MARGIN_L + w / 2 : MARGIN_L + w * (double)i / (double)(n - 1);
}

static double y_at(const struct scale *sc, double v)
{
	double h = VIEW_H - MARGIN_T - MARGIN_B;

	return MARGIN_T + h * (sc->hi - v) / (sc->hi - sc->lo);
}

/* A tick's label: a share's whole percent without its ".0". */
static void tick_label(char *t, size_t tsz, double v, const struct chart *c)
{
	chart_format(t, tsz, v, c->percent, c->decimals, 0);
	if (c->percent && strstr(t, ".0%"))
		snprintf(t, tsz, "%.0f%%", 100 * v);
	if (c->comma)
		for (char *p = t; *p; p++)
			if (*p == '.')
				*p = ',';
}

static void axes(FILE *fp, const struct chart *c, const struct scale *sc)
{
	size_t n = c->s[0].n, every = n <= 6 ? 1 : (n + 5) / 6;
	char t[64];

	for (double v = sc->lo; v <= sc->hi + sc->step / 2; v += sc->step) {
		tick_label(t, sizeof t, v, c);
		fprintf(fp, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\"/>", MARGIN_L, VIEW_W - MARGIN_R,
			y_at(sc, v), y_at(sc, v));
		fprintf(fp, "<text class=\"tick\" x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>", MARGIN_L - 6,
			y_at(sc, v) + 4, t);
	}
	fprintf(fp, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", MARGIN_L, VIEW_W - MARGIN_R,
		VIEW_H - MARGIN_B, VIEW_H - MARGIN_B);
	/* the x labels (every so many when there are many); the outermost labels are anchored
	 * inwards, so that they stay inside the frame */
	for (size_t i = 0; i < n; i++)
		if (i % every == 0 || i + 1 == n) {
			fprintf(fp, "<text class=\"tick\" x=\"%.2f\" y=\"%d\" text-anchor=\"%s\">", x_at(n, i), VIEW_H - 12,
				n == 1 ? "middle" : i == 0 ? "start" : i + 1 == n ? "end" : "middle");
			html_esc(fp, c->s[0].pt[i].x);
			fputs("</text>", fp);
		}
}

/* The class of series K's elements: "line", "line s1", ... */
static void open_element(FILE *fp, const char *element, const char *cls, size_t k)
{
	if (k == 0)
		fprintf(fp, "<%s class=\"%s\"", element, cls);
	else
		fprintf(fp, "<%s class=\"%s s%zu\"", element, cls, k % CHART_COLOURS);
}

/* A series' band: one closed path per stretch of consecutive points with an interval (a
 * stretch of one point is drawn a few units wide, so that it shows). */
static void band(FILE *fp, const struct chart_series *s, size_t k, const struct scale *sc)
{
	for (size_t i = 0; i < s->n;) {
		size_t j = i;

		if (!chart_has_band(&s->pt[i])) {
			i++;
			continue;
		}
		while (j + 1 < s->n && chart_has_band(&s->pt[j + 1]))
			j++;
		open_element(fp, "path", "band", k);
		fputs(" d=\"", fp);
		for (size_t m = i; m <= j; m++)
			fprintf(fp, "%s%.2f %.2f ", m == i ? "M" : "L", x_at(s->n, m) - (i == j ? 5 : 0),
				y_at(sc, s->pt[m].hi));
		if (i == j)
			fprintf(fp, "L%.2f %.2f ", x_at(s->n, i) + 5, y_at(sc, s->pt[i].hi));
		for (size_t m = j + 1; m-- > i;) {
			fprintf(fp, "L%.2f %.2f ", x_at(s->n, m) + (i == j ? 5 : 0), y_at(sc, s->pt[m].lo));
			if (i == j)
				fprintf(fp, "L%.2f %.2f ", x_at(s->n, m) - 5, y_at(sc, s->pt[m].lo));
		}
		fputs("Z\"/>", fp);
		i = j + 1;
	}
}

/* A series' line through consecutive shown estimates, and a dot at each. */
static void line(FILE *fp, const struct chart_series *s, size_t k, const struct scale *sc)
{
	int open = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (!chart_shown(&s->pt[i])) {
			if (open)
				fputs("\"/>", fp);
			open = 0;
			continue;
		}
		if (!open) {
			open_element(fp, "path", "line", k);
			fputs(" d=\"M", fp);
		}
		fprintf(fp, "%s%.2f %.2f", open ? " L" : "", x_at(s->n, i), y_at(sc, s->pt[i].est));
		open = 1;
	}
	if (open)
		fputs("\"/>", fp);
	for (size_t i = 0; i < s->n; i++)
		if (chart_shown(&s->pt[i])) {
			open_element(fp, "circle", "pt", k);
			fprintf(fp, " cx=\"%.2f\" cy=\"%.2f\" r=\"4\"/>", x_at(s->n, i), y_at(sc, s->pt[i].est));
		}
}

void chart_svg(FILE *fp, const struct chart *c, const char *label)
{
	struct scale sc;
	size_t n = c->ns ? c->s[0].n : 0;

	y_scale(c, &sc);
	fprintf(fp, "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"", VIEW_W, VIEW_H);
	html_esc(fp, label);
	fputs("\">", fp);
	if (c->ns)
		axes(fp, c, &sc);
	for (size_t k = 0; k < c->ns; k++)
		band(fp, &c->s[k], k, &sc);
	for (size_t i = 0; i < n; i++)
		if (c->s[0].pt[i].mark)
			fprintf(fp, "<line class=\"mc\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\"/>", x_at(n, i), x_at(n, i),
				MARGIN_T, VIEW_H - MARGIN_B);
	for (size_t k = 0; k < c->ns; k++)
		line(fp, &c->s[k], k, &sc);
	fputs("</svg>\n", fp);
}
