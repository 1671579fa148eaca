/* series.h - one headline figure over the published runs: the line chart with its interval
 * as a band (filters/lib/chart.h draws it), and the same numbers as a table.
 *
 * A run in which the figure is suppressed or absent breaks the line and the band there:
 * nothing is drawn for it, and its table row says why. A run whose method tag for the
 * figure differs from the run before gets a dashed vertical line (a method change, not
 * news) and a note in the table. The x axis names each run by its publication date.
 */
#ifndef TREND_SERIES_H
#define TREND_SERIES_H

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
void series_svg(FILE *fp, const struct series *s, const char *label, const struct chart_words *w);
void series_table(FILE *fp, const struct series *s, const char *label, const struct chart_words *w);

#endif
