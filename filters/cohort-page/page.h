/* page.h - the cohort page's parts: the figures read (figures.c), the words and numbers of
 * both languages (words.c), the one walk over the figures that both pages share (walk.c)
 * and the two layouts (render_md.c, render_html.c).
 *
 * The walk decides what a page shows - per kind of cohort and benefit, each indicator as a
 * series over the cohorts, then the Kaplan-Meier curves of the last cohorts - and hands
 * each piece to the page's callbacks (struct page_format), which only lay it out. So the
 * two pages show the same figures, and a figure's status rules both: a not_yet_known or
 * suppressed figure reaches a page with no number (figures.c keeps none for it, whatever
 * its row held), and the page writes its status word instead.
 */
#ifndef COHORT_PAGE_H
#define COHORT_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "chart.h"

enum fstatus { ST_KNOWN, ST_ESTIMATE, ST_NOT_YET_KNOWN, ST_SUPPRESSED, N_STATUS };

/* One cohort_table/1 row. */
struct fig {
	char *table, *kind, *cohort, *benefit, *row, *measure;
	enum fstatus status;
	double est, lo, hi;          /* NaN unless known or estimate */
	long n;                      /* -1 unless known or estimate */
};

struct figset {
	struct fig *v;
	size_t n, cap;
	char **methods;              /* the distinct method tags, in order of appearance */
	size_t nmethods;
};

/* A row as read (the texts point into the reader's record). */
struct fig_row {
	const char *table, *kind, *cohort, *benefit, *row, *measure, *method;
	enum fstatus status;
	double est, lo, hi;
	long n;                      /* -1 when missing */
};

/* Keeps a copy of the row's texts; a not published figure keeps no number. */
void figset_add(struct figset *fs, const struct fig_row *r);
/* The figure of KIND, COHORT, BENEFIT, ROW and MEASURE, or NULL. */
const struct fig *figset_find(const struct figset *fs, const char *kind, const char *cohort, const char *benefit,
			      const char *row, const char *measure);
/* The distinct values of a field over the rows matching KIND (NULL: any) and BENEFIT (NULL:
 * any), in order of first appearance: FIELD 0 kind, 1 cohort, 2 benefit. Caller frees the
 * array (not the strings). */
const char **figset_values(const struct figset *fs, int field, const char *kind, const char *benefit, size_t *n);
void figset_release(struct figset *fs);

enum { LANG_NL, LANG_EN, NLANG };

struct opts {
	int lang;
	int curves;                  /* --curves: Kaplan-Meier curves of the last N cohorts */
};

/* The page's fixed words (words.c): UI word KEY in LANG. */
const char *word(int lang, const char *key);
/* An indicator's name, a benefit's, a kind's, a status word (words.c). */
const char *status_word(int lang, enum fstatus st);
/* A figure's estimate / interval / n as the tables write them: a share in % with a
 * decimal comma in Dutch; "" when the figure has none. */
void fmt_fig_est(int lang, char *buf, size_t sz, const struct fig *f, int percent, int decimals);
void fmt_fig_ci(int lang, char *buf, size_t sz, const struct fig *f, int percent, int decimals);
void fmt_fig_n(char *buf, size_t sz, const struct fig *f);

/* An indicator: a row of cohort_table/1 followed over the cohorts. */
struct indicator {
	const char *table, *row, *measure;
	int percent, decimals;
	const char *name[NLANG];
};
extern const struct indicator indicators[];
extern const size_t n_indicators;

/* A series as the walk hands it to a page: the figures in x order (NULL: no row) and the
 * same as chart points. */
struct page_series {
	const char *name;            /* the cohort (a curve), or NULL for an indicator */
	const struct fig **fig;
	struct chart_point *pt;
	size_t n;
};

struct page_ctx {
	const struct figset *fs;
	const struct opts *o;
};

typedef void (*page_text_fn)(FILE *fp, const char *s);

struct page_format {
	page_text_fn text;           /* the page's escaper */
	void (*begin)(const struct page_ctx *x, FILE *fp);
	void (*group)(const struct page_ctx *x, FILE *fp, const char *kind, const char *benefit);
	/* an indicator over the cohorts: X_LABEL names the x positions (the cohorts) */
	void (*indicator)(const struct page_ctx *x, FILE *fp, const struct indicator *ind, const struct page_series *s,
			  const char *title);
	/* the curves of the last cohorts: one series each, x positions months 1..18 */
	void (*curves)(const struct page_ctx *x, FILE *fp, const struct page_series *s, size_t ns, const char *title);
	void (*end)(const struct page_ctx *x, FILE *fp);
};

extern const struct page_format page_md, page_html;

/* The walk (walk.c): the whole page through FMT. */
void page_walk(const struct page_ctx *x, FILE *fp, const struct page_format *fmt);

/* A chart's title in the page's words ("WW · ..."), into BUF. */
void series_title(const struct page_ctx *x, char *buf, size_t sz, const char *kind, const char *benefit,
		  const char *what);

#endif
