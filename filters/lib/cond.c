/* cond.c - the condition language: tokenizer, recursive descent with a depth limit,
 * named populations, evaluation (see cond.h). */
#include "cond.h"
#include "diag.h"
#include "specfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cond_def {
	char *name;
	char *text;                  /* expanded */
	enum cond_op top;            /* its root's operator: whether it needs parentheses */
};

struct cond_names {
	struct cond_def *defs;
	size_t n;
};

/* ---- text being built: the expansion ---- */

struct text {
	char *s;
	size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

/* ---- tokens ---- */

enum tok { T_END, T_WORD, T_STRING, T_LP, T_RP, T_COMMA, T_OP, T_AMP, T_BAR };

struct parser {
	const char *src;             /* the whole text */
	const char *s;               /* the next character */
	const char *tok_start;       /* where the current token starts */
	enum tok tok;
	char text[256];
	enum cond_op op;
	int depth;
	const struct cond_names *names;
	struct text out;             /* src with names replaced, up to `copied` */
	const char *copied;
	char *err;
	size_t errsz;
	int failed;
};

static void *perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void *perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errsz, fmt, ap);
		va_end(ap);
	}
	p->failed = 1;
	return NULL;
}

static int is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '+';
}

static int lex_op(struct parser *p, const char *s)
{
	static const struct { const char *text; enum cond_op op; } ops[] = {
		{ "==", C_EQ }, { "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE }, { "<", C_LT },
		{ ">", C_GT }, { "=", C_EQ },
	};

	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (strncmp(s, ops[i].text, strlen(ops[i].text)) == 0) {
			p->op = ops[i].op;
			p->tok = T_OP;
			return (int)strlen(ops[i].text);
		}
	perr(p, "unknown operator at '%.10s' (use == != < <= > >=)", s);
	return -1;
}

static int lex(struct parser *p)
{
	const char *s = p->s;
	size_t k = 0;
	int n;

	while (isspace((unsigned char)*s))
		s++;
	p->tok_start = s;
	p->text[0] = '\0';
	if (!*s) {
		p->tok = T_END;
	} else if (strchr("(),&|", *s)) {
		p->tok = *s == '(' ? T_LP : *s == ')' ? T_RP : *s == ',' ? T_COMMA : *s == '&' ? T_AMP : T_BAR;
		s++;
	} else if (*s == '"') {
		for (s++; *s && *s != '"'; s++)
			if (k + 1 < sizeof p->text)
				p->text[k++] = *s;
		if (*s != '"')
			return perr(p, "unterminated quoted value"), -1;
		p->text[k] = '\0';
		s++;
		p->tok = T_STRING;
	} else if (strchr("=!<>", *s)) {
		if ((n = lex_op(p, s)) < 0)
			return -1;
		s += n;
	} else if (is_word_char((unsigned char)*s)) {
		for (; is_word_char((unsigned char)*s); s++)
			if (k + 1 < sizeof p->text)
				p->text[k++] = *s;
		p->text[k] = '\0';
		p->tok = T_WORD;
	} else {
		return perr(p, "unexpected character '%c'", *s), -1;
	}
	p->s = s;
	return 0;
}

static int is_keyword(const char *w)
{
	return !strcmp(w, "and") || !strcmp(w, "or") || !strcmp(w, "not") || !strcmp(w, "in") ||
	       !strcmp(w, "all") || !strcmp(w, "missing");
}

#define is_name specfile_is_name

/* ---- nodes ---- */

static struct cond *node(enum cond_op op)
{
	struct cond *c = xcalloc(1, sizeof *c);

	c->op = op;
	c->field = -1;
	return c;
}

void cond_free(struct cond *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_kids; i++)
		cond_free(c->kids[i]);
	for (size_t i = 0; i < c->n_values; i++)
		free(c->values[i]);
	free(c->kids);
	free(c->column);
	free(c->values);
	free(c->numbers);
	free(c);
}

static void add_kid(struct cond *c, struct cond *k)
{
	c->kids = xrealloc(c->kids, (c->n_kids + 1) * sizeof *c->kids);
	c->kids[c->n_kids++] = k;
}

static void add_value(struct cond *c, const char *v)
{
	char *end;
	double x;

	c->values = xrealloc(c->values, (c->n_values + 1) * sizeof *c->values);
	c->numbers = xrealloc(c->numbers, (c->n_values + 1) * sizeof *c->numbers);
	c->values[c->n_values] = xstrdup(v);
	errno = 0;
	x = strtod(v, &end);
	c->numbers[c->n_values] = (*v && !*end && errno == 0 && !isspace((unsigned char)*v)) ? x : NAN;
	c->n_values++;
}

/* ---- recursive descent (depth-limited) ---- */

static struct cond *parse_or(struct parser *p);

/* NAME's condition, parsed from its (expanded) definition one level deeper; the expansion
 * replaces the name in p->out. */
static struct cond *reference(struct parser *p, const struct cond_def *d, int whole,
			      const char *name_start, const char *name_end)
{
	char msg[256];
	struct parser sub = { .src = d->text, .s = d->text, .depth = p->depth + 1,
			      .names = p->names, .err = msg, .errsz = sizeof msg };
	struct cond *c = NULL;
	int parens = !whole && (d->top == C_OR || d->top == C_AND);

	if (sub.depth > COND_MAX_DEPTH)
		return perr(p, "nested deeper than %d levels", COND_MAX_DEPTH);
	if (lex(&sub) < 0 || !(c = parse_or(&sub)) || sub.tok != T_END) {
		cond_free(c);
		free(sub.out.s);
		return perr(p, "population %s: %s", d->name, sub.failed ? msg : "bad definition");
	}
	free(sub.out.s);
	text_add(&p->out, p->copied, (size_t)(name_start - p->copied));
	text_add(&p->out, "(", parens);
	text_add(&p->out, d->text, strlen(d->text));
	text_add(&p->out, ")", parens);
	p->copied = name_end;
	return c;
}

static const struct cond_def *find_def(const struct cond_names *n, const char *name)
{
	for (size_t i = 0; n && i < n->n; i++)
		if (!strcmp(n->defs[i].name, name))
			return &n->defs[i];
	return NULL;
}

/* After COL: the values of `== V|V`, `!= V|V`, `< N`, ... */
static struct cond *comparison(struct parser *p, const char *column)
{
	struct cond *c = node(p->op);

	c->column = xstrdup(column);
	do {
		if (lex(p) < 0)
			return cond_free(c), NULL;
		if (p->tok != T_WORD && p->tok != T_STRING)
			return cond_free(c), perr(p, "a value expected after %s", column);
		add_value(c, p->text);
		if (lex(p) < 0)
			return cond_free(c), NULL;
	} while (p->tok == T_BAR && (c->op == C_EQ || c->op == C_NE));
	if (c->op != C_EQ && c->op != C_NE && isnan(c->numbers[0])) {
		perr(p, "%s: ordering needs a number, not '%s'", column, c->values[0]);
		cond_free(c);
		return NULL;
	}
	return c;
}

/* After COL in: the list `(V, V, ...)`. */
static struct cond *in_list(struct parser *p, const char *column)
{
	struct cond *c = node(C_IN);

	c->column = xstrdup(column);
	if (lex(p) < 0 || p->tok != T_LP)
		return cond_free(c), p->failed ? NULL : perr(p, "'(' expected after %s in", column);
	do {
		if (lex(p) < 0 || (p->tok != T_WORD && p->tok != T_STRING))
			return cond_free(c), p->failed ? NULL : perr(p, "a value expected in %s in (...)", column);
		add_value(c, p->text);
		if (lex(p) < 0)
			return cond_free(c), NULL;
	} while (p->tok == T_COMMA);
	if (p->tok != T_RP)
		return cond_free(c), perr(p, "')' expected after the values of %s in (...)", column);
	return lex(p) < 0 ? (cond_free(c), NULL) : c;
}

static struct cond *missing_test(struct parser *p)
{
	struct cond *c;

	if (lex(p) < 0 || p->tok != T_LP || lex(p) < 0 || p->tok != T_WORD || is_keyword(p->text))
		return p->failed ? NULL : perr(p, "missing(COLUMN) expected");
	c = node(C_MISSING);
	c->column = xstrdup(p->text);
	if (lex(p) < 0 || p->tok != T_RP) {
		if (!p->failed)
			perr(p, "')' expected after missing(%s", c->column);
		cond_free(c);
		return NULL;
	}
	return lex(p) < 0 ? (cond_free(c), NULL) : c;
}

static struct cond *parenthesised(struct parser *p)
{
	struct cond *c;

	if (++p->depth > COND_MAX_DEPTH)
		return perr(p, "nested deeper than %d levels", COND_MAX_DEPTH);
	if (lex(p) < 0 || !(c = parse_or(p)))
		return NULL;
	p->depth--;
	if (p->tok != T_RP)
		return cond_free(c), perr(p, "')' expected");
	return lex(p) < 0 ? (cond_free(c), NULL) : c;
}

static struct cond *parse_primary(struct parser *p)
{
	const struct cond_def *d;
	char column[256];
	int whole = p->tok_start == p->src;
	struct cond *c;

	if (p->tok == T_LP)
		return parenthesised(p);
	if (p->tok != T_WORD)
		return perr(p, "a column name, 'all', 'missing(COLUMN)', 'not' or '(' expected");
	if (!strcmp(p->text, "all"))
		return lex(p) < 0 ? NULL : node(C_ALL);
	if (!strcmp(p->text, "missing"))
		return missing_test(p);
	if (is_keyword(p->text) || !is_name(p->text))
		return perr(p, "'%s' is not a column name", p->text);
	snprintf(column, sizeof column, "%s", p->text);
	if ((d = find_def(p->names, column)) != NULL) {
		const char *name_start = p->tok_start, *name_end = p->s;

		if (lex(p) < 0)
			return NULL;
		whole = whole && p->tok == T_END;
		p->s = name_end;            /* the token after the name is read again */
		if ((c = reference(p, d, whole, name_start, name_end)) == NULL || lex(p) < 0)
			return cond_free(c), NULL;
		return c;
	}
	if (lex(p) < 0)
		return NULL;
	if (p->tok == T_WORD && !strcmp(p->text, "in"))
		return in_list(p, column);
	if (p->tok == T_OP)
		return comparison(p, column);
	/* a bare column: a bool that is 1 (cond_compile checks the type) */
	c = node(C_EQ);
	c->column = xstrdup(column);
	add_value(c, "1");
	c->bare = 1;
	return c;
}

static struct cond *parse_not(struct parser *p)
{
	struct cond *c;

	if (p->tok == T_WORD && !strcmp(p->text, "not")) {
		if (++p->depth > COND_MAX_DEPTH)
			return perr(p, "nested deeper than %d levels", COND_MAX_DEPTH);
		c = node(C_NOT);
		add_kid(c, NULL);
		if (lex(p) < 0 || !(c->kids[0] = parse_not(p)))
			return cond_free(c), NULL;
		p->depth--;
		return c;
	}
	return parse_primary(p);
}

static int is_and(const struct parser *p)
{
	return p->tok == T_AMP || (p->tok == T_WORD && !strcmp(p->text, "and"));
}

static int is_or(const struct parser *p)
{
	return p->tok == T_WORD && !strcmp(p->text, "or");
}

/* A chain of operands joined by one operator, as one flat node. */
static struct cond *chain(struct parser *p, enum cond_op op, struct cond *(*operand)(struct parser *),
			  int (*joiner)(const struct parser *))
{
	struct cond *first = operand(p), *c;

	if (first == NULL || !joiner(p))
		return first;
	c = node(op);
	add_kid(c, first);
	while (joiner(p)) {
		struct cond *k;

		if (lex(p) < 0 || !(k = operand(p)))
			return cond_free(c), NULL;
		add_kid(c, k);
	}
	return c;
}

static struct cond *parse_and(struct parser *p)
{
	return chain(p, C_AND, parse_not, is_and);
}

static struct cond *parse_or(struct parser *p)
{
	return chain(p, C_OR, parse_and, is_or);
}

struct cond *cond_parse(const char *text, const struct cond_names *names, char **expanded,
			char *err, size_t errsz)
{
	struct parser p = { .src = text, .s = text, .copied = text, .names = names,
			    .err = err, .errsz = errsz };
	struct cond *c;

	while (isspace((unsigned char)*p.src))
		p.src++;
	if (lex(&p) < 0 || !(c = parse_or(&p))) {
		free(p.out.s);
		return NULL;
	}
	if (p.tok != T_END) {
		perr(&p, "unexpected '%s' after the condition", p.text[0] ? p.text : "(token)");
		cond_free(c);
		free(p.out.s);
		return NULL;
	}
	text_add(&p.out, p.copied, strlen(p.copied));
	if (expanded)
		*expanded = p.out.s;
	else
		free(p.out.s);
	return c;
}

/* ---- named populations ---- */

struct cond_names *cond_names_new(void)
{
	return xcalloc(1, sizeof(struct cond_names));
}

void cond_names_free(struct cond_names *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		free(n->defs[i].name);
		free(n->defs[i].text);
	}
	free(n->defs);
	free(n);
}

const char *cond_names_text(const struct cond_names *n, const char *name)
{
	const struct cond_def *d = find_def(n, name);

	return d ? d->text : NULL;
}

/* One logical line `population NAME = CONDITION` (comments gone, white space collapsed). */
static int define(struct cond_names *n, char *line, char *msg, size_t msgsz)
{
	char *name, *eq = strchr(line, '='), *body;
	struct cond *c;
	char *expanded = NULL;

	if (strncmp(line, "population ", 11) != 0 || !eq || eq[1] == '=')
		return snprintf(msg, msgsz, "'population NAME = CONDITION' expected"), -1;
	*eq = '\0';
	name = line + 11;
	for (char *e = eq; e > name && e[-1] == ' '; e--)
		e[-1] = '\0';
	body = eq + 1 + (eq[1] == ' ');
	if (!is_name(name) || is_keyword(name))
		return snprintf(msg, msgsz, "'%s' is not a population name (letters, digits, '_')", name), -1;
	if (find_def(n, name))
		return snprintf(msg, msgsz, "population %s: defined twice", name), -1;
	if ((c = cond_parse(body, n, &expanded, msg, msgsz)) == NULL)
		return -1;
	n->defs = xrealloc(n->defs, (n->n + 1) * sizeof *n->defs);
	n->defs[n->n++] = (struct cond_def){ xstrdup(name), expanded, c->op };
	cond_free(c);
	return 0;
}

int cond_names_load(struct cond_names *n, const char *file, char *err, size_t errsz)
{
	struct specfile *sf = specfile_open(file);
	char *line, msg[400];
	int lineno = 0, rc;

	if (sf == NULL) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		return -1;
	}
	while ((rc = specfile_next(sf, &line, &lineno, msg, sizeof msg)) > 0 &&
	       (rc = define(n, line, msg, sizeof msg)) == 0)
		;
	if (rc < 0)
		snprintf(err, errsz, "%s:%d: %s", file, lineno, msg);
	specfile_close(sf);
	return rc < 0 ? -1 : 0;
}

/* ---- on a section, on a record ---- */

void cond_columns(const struct cond *c, void (*add)(void *ctx, const char *name), void *ctx)
{
	if (!c)
		return;
	if (c->column)
		add(ctx, c->column);
	for (size_t i = 0; i < c->n_kids; i++)
		cond_columns(c->kids[i], add, ctx);
}

int cond_resolve(struct cond *c, int (*lookup)(void *ctx, const char *name), void *ctx,
		 const char **missing)
{
	if (!c)
		return 0;
	if (c->column && (c->field = lookup(ctx, c->column)) < 0) {
		*missing = c->column;
		return -1;
	}
	for (size_t i = 0; i < c->n_kids; i++)
		if (cond_resolve(c->kids[i], lookup, ctx, missing) < 0)
			return -1;
	return 0;
}

static int schema_lookup(void *ctx, const char *name)
{
	return schema_field_index(ctx, name);
}

static int check_bare(const struct cond *c, const struct schema *s, char *err, size_t errsz)
{
	int i;

	if (c->bare && (i = schema_field_index(s, c->column)) >= 0 && s->fields[i].type != ST_BOOL) {
		snprintf(err, errsz, "%s: not a bool column of %s: write %s == VALUE", c->column, s->id, c->column);
		return -1;
	}
	for (size_t k = 0; k < c->n_kids; k++)
		if (check_bare(c->kids[k], s, err, errsz) < 0)
			return -1;
	return 0;
}

int cond_compile(struct cond *c, const struct schema *s, char *err, size_t errsz)
{
	const char *missing = NULL;

	if (check_bare(c, s, err, errsz) < 0)
		return -1;
	if (cond_resolve(c, schema_lookup, (void *)s, &missing) < 0) {
		snprintf(err, errsz, "%s: not a field of %s", missing, s->id);
		return -1;
	}
	return 0;
}

static int compare(const struct cond *c, const char *v, const char **bad_column)
{
	double x;
	char *end;
	int eq = 0;

	if (!*v)
		return 0;
	x = strtod(v, &end);
	if (*end)
		x = NAN;
	if (c->op == C_EQ || c->op == C_NE || c->op == C_IN) {
		for (size_t i = 0; i < c->n_values && !eq; i++)
			eq = (!isnan(x) && !isnan(c->numbers[i])) ? x == c->numbers[i] : strcmp(v, c->values[i]) == 0;
		return c->op == C_NE ? !eq : eq;
	}
	if (isnan(x)) {
		*bad_column = c->column;
		return -1;
	}
	switch (c->op) {
	case C_LT: return x < c->numbers[0];
	case C_LE: return x <= c->numbers[0];
	case C_GT: return x > c->numbers[0];
	case C_GE: return x >= c->numbers[0];
	default: return 0;
	}
}

int cond_eval(const struct cond *c, const char *(*get)(void *ctx, int field), void *ctx,
	      const char **bad_column)
{
	int r = 1;

	switch (c->op) {
	case C_ALL:
		return 1;
	case C_AND:
		for (size_t i = 0; i < c->n_kids && r > 0; i++)
			r = cond_eval(c->kids[i], get, ctx, bad_column);
		return r;
	case C_OR:
		r = 0;
		for (size_t i = 0; i < c->n_kids && r == 0; i++)
			r = cond_eval(c->kids[i], get, ctx, bad_column);
		return r;
	case C_NOT:
		r = cond_eval(c->kids[0], get, ctx, bad_column);
		return r < 0 ? r : !r;
	case C_MISSING:
		return get(ctx, c->field)[0] == '\0';
	default:
		return compare(c, get(ctx, c->field), bad_column);
	}
}
