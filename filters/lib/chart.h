/* chart.h - an SVG line chart of one or more series with their intervals as bands: what the
 * trend page (a headline figure over the published runs) and the cohort page (an indicator
 * over the cohorts, the Kaplan-Meier curves of the last cohorts) draw.
 *
 * The chart follows the report's own SVG (tabulate's render_html.c): inline, no script,
 * the report's blue (#0072b2) for the first series' line and dots, a light tint of it
 * (#cfe3f1) for its interval, grey axes; it scales to the page's width (viewBox) and says
 * what it shows in its aria-label, while the page puts the same numbers in a table after it
 * (for screen readers and print). The page's CSS colours the elements by class: the first
 * series draws `path.line`, `path.band` and `circle.pt`, series k > 0 add the class `sK`
 * (`line s1`, ...), so the page can give each its colour (chart_css has the rules).
 *
 * Every series has one point per x position, all series the same positions (the first
 * series' x labels name them). A point that is not shown (suppressed, not yet known,
 * absent) breaks the line and the band there: nothing is drawn for it. A point with an
 * estimate but no interval gets a dot and no band. A point marked (`mark`) gets a dashed
 * vertical line (`line.mc`: a method change on the trend page). The y range covers every
 * shown estimate and interval, on round ticks; shares (percent) stay within 0-100 %.
 */
#ifndef KETEN_CHART_H
#define KETEN_CHART_H

#include <stddef.h>
#include <stdio.h>

struct chart_point {
	const char *x;               /* its label on the x axis */
	double est, lo, hi;          /* NaN when missing */
	int shown;                   /* the estimate is published: drawn (a NaN est is not) */
	int mark;                    /* a dashed vertical line at this point */
};

struct chart_series {
	const struct chart_point *pt;
	size_t n;
};

struct chart {
	const struct chart_series *s;  /* the first one is drawn in the report's blue */
	size_t ns;
	int percent;                 /* a share: shown in % and kept within 0-100 % */
	int decimals;                /* of a figure that is not a share (tick labels) */
	int comma;                   /* a decimal comma (Dutch) in the tick labels */
};

/* The SVG element: LABEL is its aria-label (what the chart shows, in the page's words). */
void chart_svg(FILE *fp, const struct chart *c, const char *label);

/* A figure as the chart writes it: "83.5%" for shares (one decimal), else DECIMALS
 * decimals; a decimal comma when COMMA; "-" for NaN. */
void chart_format(char *buf, size_t bufsz, double v, int percent, int decimals, int comma);

/* Round ticks over LO..HI (LO < HI): a step of 1, 2 or 5 times a power of ten that cuts
 * the span into about PARTS parts (at most PARTS of 1, 2 or 5), and the range widened to
 * whole steps (*TLO <= LO, *THI >= HI). The charts' y axis uses 4 parts; tabulate's bars
 * too. */
void chart_ticks(double lo, double hi, int parts, double *tlo, double *thi, double *step);

/* Whether a point is drawn as a dot, and with a band. */
int chart_shown(const struct chart_point *p);
int chart_has_band(const struct chart_point *p);

/* The colours of series 1..CHART_COLOURS-1 (series 0 is the page's .line/.band/.pt): CSS
 * rules for a page to put after its own. */
enum { CHART_COLOURS = 4 };
extern const char chart_css[];

#endif
