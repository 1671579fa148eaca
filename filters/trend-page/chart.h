/* chart.h - one headline figure over the published runs: an SVG line chart with its
 * interval as a band, and the same numbers as a table.
 *
 * The chart follows the report's own SVG (tabulate's render_html.c): inline, no script,
 * the report's blue (#0072b2) for the figure, a light tint of it (#cfe3f1) for the 95 %
 * interval, grey axes; it scales to the page's width (viewBox) and says what it shows in
 * its aria-label, while the table after it carries every number for screen readers (and
 * for print). A run in which the figure is suppressed or absent breaks the line and the
 * band there: nothing is drawn for it, and its table row says why. A run whose method tag
 * for the figure differs from the run before gets a dashed vertical line (a method change,
 * not news) and a note in the table.
 */
#ifndef TREND_CHART_H
#define TREND_CHART_H

#include <stdio.h>

#include "runset.h"

struct point {
	const struct run *run;
	const struct cell *cell;     /* NULL: the run has no such cell */
	int method_changed;          /* the cell's method tag differs from the run before's */
};

struct series {
	struct point *pt;            /* in publication order */
	size_t n;
	int percent;                 /* a share: shown in % */
};

/* The words the chart and table use, in the page's language. */
struct chart_words {
	const char *run, *published, *estimate, *interval, *n, *suppressed, *absent, *method_changed,
		*chart_of, *table_of;
};

/* LABEL names the figure (the chart's aria-label and the table's caption). */
void chart_svg(FILE *fp, const struct series *s, const char *label, const struct chart_words *w);
void chart_table(FILE *fp, const struct series *s, const char *label, const struct chart_words *w);

/* A figure as the page shows it: "83%" / "83.5%" for shares, "7.3" otherwise. */
void chart_format(char *buf, size_t bufsz, double v, int percent);

#endif
