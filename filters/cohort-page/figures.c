/* figures.c - the cohort_table/1 rows the page shows (see page.h). */
#include "page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void figset_add(struct figset *fs, const struct fig_row *f)
{
	struct fig *c;
	size_t i;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? 2 * fs->cap : 256;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	c = &fs->v[fs->n++];
	*c = (struct fig){ .status = f->status, .est = f->est, .lo = f->lo, .hi = f->hi, .n = f->n };
	c->table = xstrdup(f->table);
	c->kind = xstrdup(f->kind);
	c->cohort = xstrdup(f->cohort);
	c->benefit = xstrdup(f->benefit);
	c->row = xstrdup(f->row);
	c->measure = xstrdup(f->measure);
	/* what is not published is not kept: no page can show a number of it */
	if (c->status != ST_KNOWN && c->status != ST_ESTIMATE) {
		c->est = c->lo = c->hi = NAN;
		c->n = -1;
	}
	for (i = 0; i < fs->nmethods && strcmp(fs->methods[i], f->method) != 0; i++)
		;
	if (i == fs->nmethods) {
		fs->methods = xrealloc(fs->methods, (fs->nmethods + 1) * sizeof *fs->methods);
		fs->methods[fs->nmethods++] = xstrdup(f->method);
	}
}

const struct fig *figset_find(const struct figset *fs, const char *kind, const char *cohort, const char *benefit,
			      const char *row, const char *measure)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct fig *f = &fs->v[i];

		if (strcmp(f->cohort, cohort) == 0 && strcmp(f->row, row) == 0 && strcmp(f->measure, measure) == 0 &&
		    strcmp(f->benefit, benefit) == 0 && strcmp(f->kind, kind) == 0)
			return f;
	}
	return NULL;
}

const char **figset_values(const struct figset *fs, int field, const char *kind, const char *benefit, size_t *n)
{
	const char **v = xcalloc(fs->n ? fs->n : 1, sizeof *v);

	*n = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct fig *f = &fs->v[i];
		const char *s = field == 0 ? f->kind : field == 1 ? f->cohort : f->benefit;
		size_t k;

		if ((kind && strcmp(f->kind, kind) != 0) || (benefit && strcmp(f->benefit, benefit) != 0))
			continue;
		/* rows come cohort by cohort: the last value seen is the usual match */
		if (*n && strcmp(v[*n - 1], s) == 0)
			continue;
		for (k = 0; k < *n && strcmp(v[k], s) != 0; k++)
			;
		if (k == *n)
			v[(*n)++] = s;
	}
	return v;
}

void figset_release(struct figset *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct fig *f = &fs->v[i];

		free(f->table);
		free(f->kind);
		free(f->cohort);
		free(f->benefit);
		free(f->row);
		free(f->measure);
	}
	for (size_t i = 0; i < fs->nmethods; i++)
		free(fs->methods[i]);
	free(fs->methods);
	free(fs->v);
	*fs = (struct figset){ 0 };
}
