/* spec.c - see spec.h */
#include "spec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

const char *const gate_names[N_GATES] = {
	"rows", "reject-rate", "cells", "headline-n", "peildatum", "extracts"
};

int gate_by_name(const char *name)
{
	for (int g = 0; g < N_GATES; g++)
		if (strcmp(gate_names[g], name) == 0)
			return g;
	return -1;
}

#define MAX_WORDS 16

struct spec_line {
	const char *path;
	long line;
	char *w[MAX_WORDS];
	int n;
	char *err;
	size_t errsz;
};

static int bad(struct spec_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct spec_line *l, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(l->err, l->errsz, "%s:%ld: ", l->path, l->line);

	va_start(ap, fmt);
	if (k >= 0 && (size_t)k < l->errsz)
		vsnprintf(l->err + k, l->errsz - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

/* Word I as a share in [0, 1] (or any number >= 0 when UNBOUNDED). */
static int share(struct spec_line *l, int i, int unbounded, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(l->w[i], &end);
	if (errno || end == l->w[i] || *end != '\0' || !(*out >= 0) || (!unbounded && *out > 1))
		return bad(l, "%s: not a %s: '%s'", l->w[0], unbounded ? "number >= 0" : "share between 0 and 1", l->w[i]);
	return 0;
}

static int arity(struct spec_line *l, int lo, int hi, const char *usage)
{
	if (l->n - 1 < lo || l->n - 1 > hi)
		return bad(l, "%s takes %s", l->w[0], usage);
	return 0;
}

/* The N words joined by commas (a table/1 cell key). */
static char *joined(char *const *w, int n)
{
	size_t len = 0, at = 0;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	s = xmalloc(len);
	for (int i = 0; i < n; i++) {
		size_t k = strlen(w[i]);

		memcpy(s + at, w[i], k);
		at += k;
		s[at++] = i + 1 < n ? ',' : '\0';
	}
	return s;
}

/* One statement. */
static int statement(struct gate_spec *s, struct spec_line *l)
{
	int g = gate_by_name(l->w[0]);
	double a, b;

	if (strcmp(l->w[0], "headline") == 0) {
		if (arity(l, 6, 6, "TABLE BENEFIT PERIOD POPULATION ROW MEASURE") < 0)
			return -1;
		s->headline = xrealloc(s->headline, (s->nheadline + 1) * sizeof *s->headline);
		s->headline[s->nheadline++] = joined(l->w + 1, 6);
		return 0;
	}
	if (strcmp(l->w[0], "registry") == 0 || strcmp(l->w[0], "cells-optional") == 0) {
		int reg = l->w[0][0] == 'r';
		char ***list = reg ? &s->registry : &s->optional;
		size_t *n = reg ? &s->nregistry : &s->noptional;

		if (arity(l, 1, MAX_WORDS - 1, reg ? "TABLE[/ROW]..." : "MEASURE...") < 0)
			return -1;
		for (int i = 1; i < l->n; i++) {
			*list = xrealloc(*list, (*n + 1) * sizeof **list);
			(*list)[(*n)++] = xstrdup(l->w[i]);
		}
		return 0;
	}
	if (g < 0)
		return bad(l, "unknown statement '%s' (rows, reject-rate, cells, cells-optional, headline-n, "
			   "headline, registry, peildatum, extracts)", l->w[0]);
	s->on[g] = 1;
	switch ((enum gate_id)g) {
	case G_ROWS:
		if (arity(l, 2, 3, "SHRINK GROW [KIND]") < 0 || share(l, 1, 0, &a) < 0 || share(l, 2, 1, &b) < 0)
			return -1;
		s->rows = xrealloc(s->rows, (s->nrows + 1) * sizeof *s->rows);
		s->rows[s->nrows++] = (struct rows_limit){ l->n == 4 ? xstrdup(l->w[3]) : NULL, a, b };
		return 0;
	case G_REJECT_RATE:
		return arity(l, 1, 1, "MAX") < 0 ? -1 : share(l, 1, 0, &s->reject_rate);
	case G_HEADLINE_N:
		return arity(l, 1, 1, "DROP") < 0 ? -1 : share(l, 1, 0, &s->headline_drop);
	case G_CELLS:
	case G_PEILDATUM:
	case G_EXTRACTS:
		return arity(l, 0, 0, "no settings");
	case N_GATES:
		break;
	}
	return 0;
}

int gate_spec_load(struct gate_spec *s, const char *path, char *err, size_t errsz)
{
	FILE *fp = fopen(path, "r");
	struct spec_line l = { path, 0, {NULL}, 0, err, errsz };
	char *buf = NULL, *save, *tok;
	size_t cap = 0;
	int rc = 0;

	memset(s, 0, sizeof *s);
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && getline(&buf, &cap, fp) >= 0) {
		l.line++;
		l.n = 0;
		for (tok = strtok_r(buf, " \t\r\n", &save); tok && l.n < MAX_WORDS; tok = strtok_r(NULL, " \t\r\n", &save))
			l.w[l.n++] = tok;
		if (l.n == 0 || l.w[0][0] == '#')
			continue;
		if (tok != NULL)
			rc = bad(&l, "more than %d words", MAX_WORDS);
		else
			rc = statement(s, &l);
	}
	if (rc == 0 && ferror(fp))
		rc = -1, snprintf(err, errsz, "%s: read error: %s", path, strerror(errno));
	if (rc == 0 && s->on[G_HEADLINE_N] && s->nheadline == 0)
		rc = -1, snprintf(err, errsz, "%s: headline-n without any headline line", path);
	free(buf);
	fclose(fp);
	if (rc < 0)
		gate_spec_release(s);
	return rc;
}

void gate_spec_release(struct gate_spec *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i].kind);
	for (size_t i = 0; i < s->nheadline; i++)
		free(s->headline[i]);
	for (size_t i = 0; i < s->nregistry; i++)
		free(s->registry[i]);
	for (size_t i = 0; i < s->noptional; i++)
		free(s->optional[i]);
	free(s->optional);
	free(s->rows);
	free(s->headline);
	free(s->registry);
	memset(s, 0, sizeof *s);
}

const struct rows_limit *gate_spec_rows(const struct gate_spec *s, const char *kind)
{
	const struct rows_limit *general = NULL;

	for (size_t i = 0; i < s->nrows; i++) {
		if (s->rows[i].kind == NULL)
			general = &s->rows[i];
		else if (strcmp(s->rows[i].kind, kind) == 0)
			return &s->rows[i];
	}
	return general;
}
