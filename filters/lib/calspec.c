/* calspec.c - read calibration.spec (format and contract: calspec.h). */
#include "calspec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define MAX_WORDS 64

struct parser {
	struct calspec *s;
	const struct schema *in;
	const char *const *weight_cols;
	size_t nweight_cols;
	int line;
	char msg[400];
};

/* The message of a statement's problem; calspec_load puts "PATH:LINE: " before it. */
static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *cal_method_name(enum cal_method m)
{
	static const char *const names[] = { "linear", "raking", "logit" };
	return names[m];
}

int calspec_set_of_column(const struct calspec *s, const char *column)
{
	for (size_t k = 0; k < s->nsets; k++)
		if (strcmp(s->sets[k].column, column) == 0)
			return (int)k;
	return -1;
}

/* Does C require COLUMN == 1: is it such a comparison, or an `and` with one among its
 * operands (at any depth of `and`s)? */
static int requires_one(const struct cond *c, const char *column)
{
	if (c->op == C_AND) {
		for (size_t i = 0; i < c->n_kids; i++)
			if (requires_one(c->kids[i], column))
				return 1;
		return 0;
	}
	return c->op == C_EQ && c->n_values == 1 && strcmp(c->column, column) == 0 &&
	       c->numbers[0] == 1;
}

int calspec_check_tag(const struct calspec *s, const char *tag, char *err, size_t errsz)
{
	const char *m = strstr(tag, "margins=");
	char *want = calspec_margins_text(s);
	size_t n = strlen(want);
	int ok = m && strncmp(m + 8, want, n) == 0 && (m[8 + n] == ';' || m[8 + n] == '\0');

	if (!ok)
		snprintf(err, errsz, "the weights were calibrated on other margins than %s's (%s): %s", s->path,
			 want, tag);
	free(want);
	return ok ? 0 : -1;
}

int calspec_set_for(const struct calspec *s, const struct cond *population, char *err, size_t errsz)
{
	int best = -1, tie = -1;

	for (size_t k = 0; k < s->nsets; k++) {
		size_t a;

		for (a = 0; a < s->sets[k].natoms && requires_one(population, s->sets[k].atoms[a]); a++)
			;
		if (a < s->sets[k].natoms)
			continue;
		if (best < 0 || s->sets[k].natoms > s->sets[best].natoms) {
			best = (int)k;
			tie = -1;
		} else if (s->sets[k].natoms == s->sets[best].natoms) {
			tie = (int)k;
		}
	}
	if (best < 0)
		return snprintf(err, errsz, "no respondent set of %s holds the population: none of its "
				"sets' conditions is required by it", s->path), -1;
	if (tie >= 0)
		return snprintf(err, errsz, "the population lies in two respondent sets of %s, %s (%s) and "
				"%s (%s): which weight is meant?", s->path, s->sets[best].column,
				s->sets[best].text, s->sets[tie].column, s->sets[tie].text), -1;
	return best;
}

int calspec_schemas(const struct schema **in, const struct schema **out, const char ***weight_cols,
		    size_t *n, char *err, size_t errsz)
{
	const char *e = NULL;
	const struct schema *i, *o;

	*weight_cols = NULL;
	*n = 0;
	if (!(i = schema_find(CALSPEC_IN_SCHEMA, &e)) || !(o = schema_find(CALSPEC_OUT_SCHEMA, &e)))
		return snprintf(err, errsz, "%s", e ? e : "unknown schema"), -1;
	if (o->n_fields < i->n_fields + 2 || strcmp(o->fields[i->n_fields].name, CALSPEC_METHOD_COLUMN) != 0)
		return snprintf(err, errsz, "schema %s (%s) is not %s plus %s and weight columns",
				CALSPEC_OUT_SCHEMA, o->origin, CALSPEC_IN_SCHEMA, CALSPEC_METHOD_COLUMN), -1;
	for (size_t f = 0; f < i->n_fields; f++)
		if (strcmp(i->fields[f].name, o->fields[f].name) != 0)
			return snprintf(err, errsz, "schema %s (%s): column %zu is %s, %s has %s", CALSPEC_OUT_SCHEMA,
					o->origin, f + 1, o->fields[f].name, CALSPEC_IN_SCHEMA, i->fields[f].name), -1;
	for (size_t f = i->n_fields + 1; f < o->n_fields; f++)
		if (o->fields[f].type != ST_NUM)
			return snprintf(err, errsz, "schema %s (%s): weight column %s is not num",
					CALSPEC_OUT_SCHEMA, o->origin, o->fields[f].name), -1;
	*n = o->n_fields - i->n_fields - 1;
	*weight_cols = xmalloc((*n ? *n : 1) * sizeof **weight_cols);
	for (size_t c = 0; c < *n; c++)
		(*weight_cols)[c] = o->fields[i->n_fields + 1 + c].name;
	*in = i;
	*out = o;
	return 0;
}

int calspec_parse_method(const char *word)
{
	for (int m = CAL_LINEAR; m <= CAL_LOGIT; m++)
		if (strcmp(word, cal_method_name((enum cal_method)m)) == 0)
			return m;
	return -1;
}

/* A field of the input schema, or NULL with a message. */
static const struct schema_field *field(struct parser *p, const char *name, const char *what)
{
	int i = schema_field_index(p->in, name);

	if (i < 0) {
		perr(p, "%s %s: no such column in %s", what, name, p->in->id);
		return NULL;
	}
	return &p->in->fields[i];
}

static int parse_bound(struct parser *p, const char *w, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(w, &end);
	if (end == w || *end || errno == ERANGE || isnan(*out))
		return perr(p, "bounds: not a number: '%s'", w);
	return 0;
}

static int st_method(struct parser *p, char **w, size_t n)
{
	int m;

	if (n != 2)
		return perr(p, "method: expected one word (linear, raking or logit)");
	if ((m = calspec_parse_method(w[1])) < 0)
		return perr(p, "method: unknown method '%s' (linear, raking or logit)", w[1]);
	if (p->s->has_method)
		return perr(p, "method: given twice");
	p->s->method = (enum cal_method)m;
	p->s->has_method = 1;
	return 0;
}

static int st_bounds(struct parser *p, char **w, size_t n)
{
	if (n != 3)
		return perr(p, "bounds: expected LOWER UPPER (e.g. 0.5 3, or -inf inf)");
	if (parse_bound(p, w[1], &p->s->lower) || parse_bound(p, w[2], &p->s->upper))
		return -1;
	if (!(p->s->lower < 1 && 1 < p->s->upper))
		return perr(p, "bounds: %s %s: the lower bound must be below 1 and the upper above 1", w[1], w[2]);
	return 0;
}

static int st_weight(struct parser *p, char **w, size_t n)
{
	const struct schema_field *f;

	if (n != 2)
		return perr(p, "weight: expected one column");
	if (p->s->weight)
		return perr(p, "weight: given twice");
	if (!(f = field(p, w[1], "weight")))
		return -1;
	if (f->type != ST_NUM && f->type != ST_INT)
		return perr(p, "weight %s: not a number column", w[1]);
	p->s->weight = xstrdup(w[1]);
	return 0;
}

/* set COLUMN ATOM [& ATOM]...: the words after COLUMN, '&' alone or inside words */
static int st_set(struct parser *p, char **w, size_t n)
{
	struct calspec_set *set;
	char text[512] = "";
	size_t k;

	if (n < 3)
		return perr(p, "set: expected COLUMN and a condition (e.g. set calibrated_weight_w1 responded_w1)");
	for (k = 0; k < p->nweight_cols && strcmp(p->weight_cols[k], w[1]); k++)
		;
	if (k == p->nweight_cols)
		return perr(p, "set %s: not a weight column of the output schema", w[1]);
	for (size_t i = 0; i < p->s->nsets; i++)
		if (strcmp(p->s->sets[i].column, w[1]) == 0)
			return perr(p, "set %s: given twice (line %d)", w[1], p->s->sets[i].line);
	if (p->s->nsets == CALSPEC_MAX_SETS)
		return perr(p, "set %s: more than %d sets", w[1], CALSPEC_MAX_SETS);
	for (size_t i = 2; i < n; i++) {
		if (strlen(text) + strlen(w[i]) + 2 > sizeof text)
			return perr(p, "set %s: the condition is longer than %zu characters", w[1], sizeof text - 2);
		strcat(text, w[i]);
		strcat(text, " ");
	}
	p->s->sets = xrealloc(p->s->sets, (p->s->nsets + 1) * sizeof *p->s->sets);
	set = &p->s->sets[p->s->nsets++];
	memset(set, 0, sizeof *set);
	set->column = xstrdup(w[1]);
	set->line = p->line;
	for (char *save = NULL, *a = strtok_r(text, "&", &save); a; a = strtok_r(NULL, "&", &save)) {
		const struct schema_field *f;
		char *e;

		while (isspace((unsigned char)*a))
			a++;
		for (e = a + strlen(a); e > a && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (*a == '\0' || strpbrk(a, " \t"))
			return perr(p, "set %s: a condition is bool columns joined by '&'", w[1]);
		if (!(f = field(p, a, "set")))
			return -1;
		if (f->type != ST_BOOL)
			return perr(p, "set %s: %s is not a bool column", w[1], a);
		set->atoms = xrealloc(set->atoms, (set->natoms + 1) * sizeof *set->atoms);
		set->atoms[set->natoms++] = xstrdup(a);
	}
	if (set->natoms == 0)
		return perr(p, "set %s: no condition", w[1]);
	text[0] = '\0';
	for (size_t i = 0; i < set->natoms; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", i ? " & " : "", set->atoms[i]);
	set->text = xstrdup(text);
	return 0;
}

static size_t var_index(struct calspec *s, const char *name, const struct schema_field *f)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return i;
	s->vars = xrealloc(s->vars, (s->nvars + 1) * sizeof *s->vars);
	s->vars[s->nvars].name = xstrdup(name);
	s->vars[s->nvars].field = f;
	return s->nvars++;
}

static int st_margin(struct parser *p, char **w, size_t n)
{
	struct calspec_margin m = { .line = p->line };
	char name[512] = "";

	if (n < 2)
		return perr(p, "margin: expected one or more columns");
	if (n - 1 > CALSPEC_MAX_MARGIN_VARS)
		return perr(p, "margin: more than %d columns", CALSPEC_MAX_MARGIN_VARS);
	for (size_t i = 1; i < n; i++) {
		const struct schema_field *f = field(p, w[i], "margin");

		if (!f)
			return -1;
		if (f->type == ST_NUM || f->type == ST_DATE)
			return perr(p, "margin: %s is not a categorical column (bool, int, enum or text)", w[i]);
		for (size_t j = 1; j < i; j++)
			if (strcmp(w[j], w[i]) == 0)
				return perr(p, "margin: %s named twice", w[i]);
		if (strlen(name) + strlen(w[i]) + 2 > sizeof name)
			return perr(p, "margin: the column names are longer than %zu characters", sizeof name - 2);
		strcat(name, i > 1 ? "*" : "");
		strcat(name, w[i]);
	}
	for (size_t i = 0; i < p->s->nmargins; i++)
		if (strcmp(p->s->margins[i].name, name) == 0)
			return perr(p, "margin %s: given twice (line %d)", name, p->s->margins[i].line);
	m.vars = xmalloc((n - 1) * sizeof *m.vars);
	for (size_t i = 1; i < n; i++)
		m.vars[m.nvars++] = var_index(p->s, w[i], field(p, w[i], "margin"));
	m.name = xstrdup(name);
	p->s->margins = xrealloc(p->s->margins, (p->s->nmargins + 1) * sizeof *p->s->margins);
	p->s->margins[p->s->nmargins++] = m;
	return 0;
}

static int statement(struct parser *p, char *text)
{
	char *w[MAX_WORDS], *save = NULL;
	size_t n = 0;

	for (char *t = strtok_r(text, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_WORDS)
			return perr(p, "more than %d words on a line", MAX_WORDS);
		w[n++] = t;
	}
	if (n == 0)
		return 0;
	if (strcmp(w[0], "method") == 0)
		return st_method(p, w, n);
	if (strcmp(w[0], "bounds") == 0)
		return st_bounds(p, w, n);
	if (strcmp(w[0], "weight") == 0)
		return st_weight(p, w, n);
	if (strcmp(w[0], "set") == 0)
		return st_set(p, w, n);
	if (strcmp(w[0], "margin") == 0)
		return st_margin(p, w, n);
	return perr(p, "unknown statement '%s' (method, bounds, weight, set, margin)", w[0]);
}

/* What a spec must have once read to the end. */
static int complete(struct parser *p)
{
	p->line = 0;
	if (!p->s->has_method)
		return perr(p, "no method line (linear, raking or logit)");
	if (p->s->method == CAL_LOGIT && !(isfinite(p->s->lower) && isfinite(p->s->upper)))
		return perr(p, "logit calibration needs finite bounds (a bounds line)");
	if (!p->s->weight)
		return perr(p, "no weight line (the design weight column)");
	if (p->s->nmargins == 0)
		return perr(p, "no margin line");
	for (size_t k = 0; k < p->nweight_cols; k++) {
		size_t i;

		for (i = 0; i < p->s->nsets && strcmp(p->s->sets[i].column, p->weight_cols[k]); i++)
			;
		if (i == p->s->nsets)
			return perr(p, "no set fills the weight column %s", p->weight_cols[k]);
	}
	return 0;
}

struct calspec *calspec_load(const char *path, const struct schema *in,
                          const char *const *weight_cols, size_t nweight_cols,
                          char *err, size_t errsz)
{
	struct parser p = { .in = in, .weight_cols = weight_cols, .nweight_cols = nweight_cols };
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	p.s = xcalloc(1, sizeof *p.s);
	p.s->path = xstrdup(path);
	p.s->lower = -INFINITY;
	p.s->upper = INFINITY;
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		calspec_free(p.s);
		return NULL;
	}
	while (rc == 0 && getline(&line, &cap, fp) > 0) {
		char *hash = line;

		p.line++;
		/* a comment starts at '#' at the start of a line or after white space */
		while ((hash = strchr(hash, '#')) && hash != line && !isspace((unsigned char)hash[-1]))
			hash++;
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\n")] = '\0';
		rc = statement(&p, line);
	}
	if (rc == 0 && ferror(fp))
		rc = perr(&p, "read error: %s", strerror(errno));
	if (rc == 0)
		rc = complete(&p);
	free(line);
	fclose(fp);
	if (rc != 0 && p.line)
		snprintf(err, errsz, "%s:%d: %s", path, p.line, p.msg);
	else if (rc != 0)
		snprintf(err, errsz, "%s: %s", path, p.msg);
	if (rc != 0) {
		calspec_free(p.s);
		return NULL;
	}
	return p.s;
}

void calspec_free(struct calspec *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nsets; i++) {
		for (size_t k = 0; k < s->sets[i].natoms; k++)
			free(s->sets[i].atoms[k]);
		free(s->sets[i].atoms);
		free(s->sets[i].column);
		free(s->sets[i].text);
	}
	for (size_t i = 0; i < s->nmargins; i++) {
		free(s->margins[i].vars);
		free(s->margins[i].name);
	}
	for (size_t i = 0; i < s->nvars; i++)
		free(s->vars[i].name);
	free(s->sets);
	free(s->margins);
	free(s->vars);
	free(s->weight);
	free(s->path);
	free(s);
}

char *calspec_margins_text(const struct calspec *s)
{
	size_t n = 1, k = 0;
	char *buf;

	for (size_t i = 0; i < s->nmargins; i++)
		n += strlen(s->margins[i].name) + 1;
	buf = xmalloc(n);
	buf[0] = '\0';
	for (size_t i = 0; i < s->nmargins; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? "+" : "", s->margins[i].name);
	return buf;
}
