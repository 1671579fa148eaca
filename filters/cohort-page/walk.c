/* walk.c - the one walk over the figures that both pages share (see page.h). */
#include "page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

enum { KM_MONTHS = 18 };

static const char *const month_label[KM_MONTHS] = {
	"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18",
};

void series_title(const struct page_ctx *x, char *buf, size_t sz, const char *kind, const char *benefit,
		  const char *what)
{
	snprintf(buf, sz, "%s · %s · %s", what, word(x->o->lang, benefit), word(x->o->lang, kind));
}

/* A figure as a chart point: drawn when it is published (known, or a provisional estimate). */
static void to_point(const struct fig *f, const char *xlabel, struct chart_point *p)
{
	*p = (struct chart_point){ .x = xlabel, .est = NAN, .lo = NAN, .hi = NAN };
	if (f && (f->status == ST_KNOWN || f->status == ST_ESTIMATE) && isfinite(f->est)) {
		p->est = f->est;
		p->lo = f->lo;
		p->hi = f->hi;
		p->shown = 1;
	}
}

static void series_alloc(struct page_series *s, size_t n)
{
	s->fig = xcalloc(n ? n : 1, sizeof *s->fig);
	s->pt = xcalloc(n ? n : 1, sizeof *s->pt);
	s->n = n;
}

static void series_free(struct page_series *s)
{
	free(s->fig);
	free(s->pt);
}

/* An indicator over the cohorts; nothing when no cohort has its row. */
static void indicator(const struct page_ctx *x, FILE *fp, const struct page_format *fmt, const struct indicator *ind,
		      const char *kind, const char *benefit, const char **cohorts, size_t nc)
{
	struct page_series s = { 0 };
	char title[512];
	size_t found = 0;

	series_alloc(&s, nc);
	for (size_t i = 0; i < nc; i++) {
		s.fig[i] = figset_find(x->fs, kind, cohorts[i], benefit, ind->row, ind->measure);
		found += s.fig[i] != NULL;
		to_point(s.fig[i], cohorts[i], &s.pt[i]);
	}
	if (found) {
		series_title(x, title, sizeof title, kind, benefit, ind->name[x->o->lang]);
		fmt->indicator(x, fp, ind, &s, title);
	}
	series_free(&s);
}

/* The curve of a cohort: S(1) .. S(18); returns how many readings are drawn. */
static size_t curve(const struct page_ctx *x, struct page_series *s, const char *kind, const char *benefit,
		    const char *cohort)
{
	char row[32];
	size_t shown = 0;

	s->name = cohort;
	series_alloc(s, KM_MONTHS);
	for (int k = 0; k < KM_MONTHS; k++) {
		snprintf(row, sizeof row, "on_benefit_%dm", k + 1);
		s->fig[k] = figset_find(x->fs, kind, cohort, benefit, row, "surv");
		to_point(s->fig[k], month_label[k], &s->pt[k]);
		shown += (size_t)s->pt[k].shown;
	}
	return shown;
}

/* The Kaplan-Meier curves of the last --curves cohorts that have a reading to draw, the
 * oldest first. */
static void curves(const struct page_ctx *x, FILE *fp, const struct page_format *fmt, const char *kind,
		   const char *benefit, const char **cohorts, size_t nc)
{
	size_t want = (size_t)x->o->curves, ns = 0;
	struct page_series *s = xcalloc(want ? want : 1, sizeof *s);
	char title[512];

	for (size_t i = nc; i-- > 0 && ns < want;) {
		if (curve(x, &s[ns], kind, benefit, cohorts[i]) > 0)
			ns++;
		else
			series_free(&s[ns]);
	}
	for (size_t i = 0; i < ns / 2; i++) {
		struct page_series t = s[i];

		s[i] = s[ns - 1 - i];
		s[ns - 1 - i] = t;
	}
	if (ns) {
		series_title(x, title, sizeof title, kind, benefit, word(x->o->lang, "curves"));
		fmt->curves(x, fp, s, ns, title);
	}
	for (size_t i = 0; i < ns; i++)
		series_free(&s[i]);
	free(s);
}

void page_walk(const struct page_ctx *x, FILE *fp, const struct page_format *fmt)
{
	size_t nk, nb, nc;
	const char **kinds = figset_values(x->fs, 0, NULL, NULL, &nk);

	fmt->begin(x, fp);
	for (size_t k = 0; k < nk; k++) {
		const char **benefits = figset_values(x->fs, 2, kinds[k], NULL, &nb);

		for (size_t b = 0; b < nb; b++) {
			const char **cohorts = figset_values(x->fs, 1, kinds[k], benefits[b], &nc);

			fmt->group(x, fp, kinds[k], benefits[b]);
			for (size_t i = 0; i < n_indicators; i++)
				indicator(x, fp, fmt, &indicators[i], kinds[k], benefits[b], cohorts, nc);
			curves(x, fp, fmt, kinds[k], benefits[b], cohorts, nc);
			free(cohorts);
		}
		free(benefits);
	}
	free(kinds);
	fmt->end(x, fp);
}
