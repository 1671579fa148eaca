/* spec.c - parse fit-models spec files (format: spec.h, models.spec, --help).
 *
 * Line oriented: `#` starts a comment (at the start of a line or after white space), a
 * line ending in `\` continues on the next, `model NAME` opens a block that runs to the
 * next `model` line. The hash of a block is FNV-1a 64 over its meaningful lines (comments
 * and blank lines dropped, white space runs collapsed to one space, each line ended by
 * '\n'), so re-indenting or commenting a model keeps its hash and any change of meaning
 * changes it.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "spec.h"

struct parser {
	const char *file;
	int line;
	char *err;
	size_t errsz;
};

static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(p->err, p->errsz, "%s:%d: ", p->file, p->line);
	va_start(ap, fmt);
	if (k >= 0 && (size_t)k < p->errsz)
		vsnprintf(p->err + k, p->errsz - k, fmt, ap);
	va_end(ap);
	return -1;
}

const char *spec_family_name(enum fm_family f)
{
	static const char *const names[] = { "logit", "linear", "poisson", "negbin" };
	return names[f];
}

const char *spec_variance_name(enum fm_variance v)
{
	static const char *const names[] = { "model", "hc0", "hc1", "design" };
	return names[v];
}

static int is_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '+';
}

/* ---- population conditions: tokenizer and recursive descent ---- */

enum tok { T_END, T_WORD, T_STRING, T_LP, T_RP, T_COMMA, T_OP };

struct lexer {
	const char *s;
	enum tok tok;
	char text[256];
	enum cond_op op;
	struct parser *p;
};

static int lex(struct lexer *lx)
{
	const char *s = lx->s;
	while (isspace((unsigned char)*s))
		s++;
	lx->text[0] = '\0';
	if (!*s) {
		lx->tok = T_END;
	} else if (*s == '(' || *s == ')' || *s == ',') {
		lx->tok = *s == '(' ? T_LP : *s == ')' ? T_RP : T_COMMA;
		s++;
	} else if (*s == '"') {
		size_t k = 0;
		for (s++; *s && *s != '"'; s++)
			if (k + 1 < sizeof lx->text)
				lx->text[k++] = *s;
		if (*s != '"')
			return perr(lx->p, "population: unterminated quoted value");
		lx->text[k] = '\0';
		s++;
		lx->tok = T_STRING;
	} else if (strchr("=!<>", *s)) {
		lx->tok = T_OP;
		if (s[0] == '=' && s[1] == '=') { lx->op = C_EQ; s += 2; }
		else if (s[0] == '!' && s[1] == '=') { lx->op = C_NE; s += 2; }
		else if (s[0] == '<' && s[1] == '=') { lx->op = C_LE; s += 2; }
		else if (s[0] == '>' && s[1] == '=') { lx->op = C_GE; s += 2; }
		else if (s[0] == '<') { lx->op = C_LT; s += 1; }
		else if (s[0] == '>') { lx->op = C_GT; s += 1; }
		else
			return perr(lx->p, "population: unknown operator at '%.10s' (use == != < <= > >=)", s);
	} else if (is_word_char((unsigned char)*s)) {
		size_t k = 0;
		while (is_word_char((unsigned char)*s)) {
			if (k + 1 < sizeof lx->text)
				lx->text[k++] = *s;
			s++;
		}
		lx->text[k] = '\0';
		lx->tok = T_WORD;
	} else {
		return perr(lx->p, "population: unexpected character '%c'", *s);
	}
	lx->s = s;
	return 0;
}

/* Condition nodes live for the run; a node built before a syntax error is kept reachable
 * here too, so the program exits (usage error) without leaking it. */
static struct cond **cond_arena;
static size_t n_cond_arena;

static struct cond *cond_new(enum cond_op op)
{
	struct cond *c = xcalloc(1, sizeof *c);
	cond_arena = xrealloc(cond_arena, (n_cond_arena + 1) * sizeof *cond_arena);
	cond_arena[n_cond_arena++] = c;
	c->op = op;
	c->field = -1;
	return c;
}

static void cond_add_value(struct cond *c, const char *v)
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

static int is_keyword(const char *w)
{
	return !strcmp(w, "and") || !strcmp(w, "or") || !strcmp(w, "not") || !strcmp(w, "in") ||
	       !strcmp(w, "all") || !strcmp(w, "missing");
}

static struct cond *parse_or(struct lexer *lx);

static struct cond *parse_primary(struct lexer *lx)
{
	struct cond *c;
	char column[256];
	if (lx->tok == T_LP) {
		if (lex(lx) < 0 || !(c = parse_or(lx)))
			return NULL;
		if (lx->tok != T_RP) {
			perr(lx->p, "population: ')' expected");
			return NULL;
		}
		return lex(lx) < 0 ? NULL : c;
	}
	if (lx->tok != T_WORD) {
		perr(lx->p, "population: a column name, 'all', 'missing(COLUMN)', 'not' or '(' expected");
		return NULL;
	}
	if (!strcmp(lx->text, "all")) {
		return lex(lx) < 0 ? NULL : cond_new(C_ALL);
	}
	if (!strcmp(lx->text, "missing")) {
		if (lex(lx) < 0 || lx->tok != T_LP || lex(lx) < 0 || lx->tok != T_WORD ||
		    is_keyword(lx->text)) {
			perr(lx->p, "population: missing(COLUMN) expected");
			return NULL;
		}
		c = cond_new(C_MISSING);
		c->column = xstrdup(lx->text);
		if (lex(lx) < 0 || lx->tok != T_RP) {
			perr(lx->p, "population: ')' expected after missing(%s", c->column);
			return NULL;
		}
		return lex(lx) < 0 ? NULL : c;
	}
	if (is_keyword(lx->text) || !is_name(lx->text)) {
		perr(lx->p, "population: '%s' is not a column name", lx->text);
		return NULL;
	}
	snprintf(column, sizeof column, "%s", lx->text);
	if (lex(lx) < 0)
		return NULL;
	if (lx->tok == T_WORD && !strcmp(lx->text, "in")) {
		c = cond_new(C_IN);
		c->column = xstrdup(column);
		if (lex(lx) < 0)
			return NULL;
		if (lx->tok != T_LP) {
			perr(lx->p, "population: '(' expected after %s in", column);
			return NULL;
		}
		do {
			if (lex(lx) < 0)
				return NULL;
			if (lx->tok != T_WORD && lx->tok != T_STRING) {
				perr(lx->p, "population: a value expected in %s in (...)", column);
				return NULL;
			}
			cond_add_value(c, lx->text);
			if (lex(lx) < 0)
				return NULL;
		} while (lx->tok == T_COMMA);
		if (lx->tok != T_RP) {
			perr(lx->p, "population: ')' expected after the values of %s in (...)", column);
			return NULL;
		}
		return lex(lx) < 0 ? NULL : c;
	}
	if (lx->tok != T_OP) {
		perr(lx->p, "population: an operator (== != < <= > >= in) expected after %s", column);
		return NULL;
	}
	c = cond_new(lx->op);
	c->column = xstrdup(column);
	if (lex(lx) < 0)
		return NULL;
	if (lx->tok != T_WORD && lx->tok != T_STRING) {
		perr(lx->p, "population: a value expected after %s", column);
		return NULL;
	}
	cond_add_value(c, lx->text);
	if (c->op != C_EQ && c->op != C_NE && isnan(c->numbers[0])) {
		perr(lx->p, "population: %s: ordering needs a number, not '%s'", column, lx->text);
		return NULL;
	}
	return lex(lx) < 0 ? NULL : c;
}

static struct cond *parse_not(struct lexer *lx)
{
	if (lx->tok == T_WORD && !strcmp(lx->text, "not")) {
		struct cond *c = cond_new(C_NOT);
		if (lex(lx) < 0 || !(c->a = parse_not(lx)))
			return NULL;
		return c;
	}
	return parse_primary(lx);
}

static struct cond *parse_and(struct lexer *lx)
{
	struct cond *c = parse_not(lx);
	while (c && lx->tok == T_WORD && !strcmp(lx->text, "and")) {
		struct cond *n = cond_new(C_AND);
		n->a = c;
		if (lex(lx) < 0 || !(n->b = parse_not(lx)))
			return NULL;
		c = n;
	}
	return c;
}

static struct cond *parse_or(struct lexer *lx)
{
	struct cond *c = parse_and(lx);
	while (c && lx->tok == T_WORD && !strcmp(lx->text, "or")) {
		struct cond *n = cond_new(C_OR);
		n->a = c;
		if (lex(lx) < 0 || !(n->b = parse_and(lx)))
			return NULL;
		c = n;
	}
	return c;
}

static struct cond *cond_parse(struct parser *p, const char *text)
{
	struct lexer lx = { .s = text, .p = p };
	struct cond *c;
	if (lex(&lx) < 0 || !(c = parse_or(&lx)))
		return NULL;
	if (lx.tok != T_END) {
		perr(p, "population: unexpected '%s' after the condition", lx.text[0] ? lx.text : "(token)");
		return NULL;
	}
	return c;
}

void cond_columns(const struct cond *c, void (*add)(void *ctx, const char *name), void *ctx)
{
	if (!c)
		return;
	if (c->column)
		add(ctx, c->column);
	cond_columns(c->a, add, ctx);
	cond_columns(c->b, add, ctx);
}

int cond_resolve(struct cond *c, int (*lookup)(void *ctx, const char *name), void *ctx,
                 const char **missing)
{
	if (!c)
		return 0;
	if (c->column) {
		c->field = lookup(ctx, c->column);
		if (c->field < 0) {
			*missing = c->column;
			return -1;
		}
	}
	if (cond_resolve(c->a, lookup, ctx, missing) < 0)
		return -1;
	return cond_resolve(c->b, lookup, ctx, missing);
}

int cond_eval(const struct cond *c, const char *(*get)(void *ctx, int field), void *ctx,
              const char **bad_column)
{
	const char *v;
	double x;
	char *end;
	int r;
	switch (c->op) {
	case C_ALL:
		return 1;
	case C_AND:
		r = cond_eval(c->a, get, ctx, bad_column);
		return r <= 0 ? r : cond_eval(c->b, get, ctx, bad_column);
	case C_OR:
		r = cond_eval(c->a, get, ctx, bad_column);
		return r != 0 ? r : cond_eval(c->b, get, ctx, bad_column);
	case C_NOT:
		r = cond_eval(c->a, get, ctx, bad_column);
		return r < 0 ? r : !r;
	case C_MISSING:
		return get(ctx, c->field)[0] == '\0';
	default:
		break;
	}
	v = get(ctx, c->field);
	if (!*v)
		return 0;
	x = strtod(v, &end);
	if (*end)
		x = NAN;
	if (c->op == C_EQ || c->op == C_NE || c->op == C_IN) {
		int eq = 0;
		for (size_t i = 0; i < c->n_values && !eq; i++)
			eq = (!isnan(x) && !isnan(c->numbers[i])) ? x == c->numbers[i]
			                                           : strcmp(v, c->values[i]) == 0;
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

/* ---- the block parser ---- */

static void fnv1a(uint64_t *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 0x100000001b3ULL;
	}
}

/* Strip the comment (a '#' at the start or after white space, outside quotes) and
 * trailing white space, in place. */
static void strip_line(char *s)
{
	int quoted = 0;
	for (char *c = s; *c; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (*c == '#' && !quoted && (c == s || isspace((unsigned char)c[-1]))) {
			*c = '\0';
			break;
		}
	}
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Collapse runs of white space to one space and drop leading white space, in place. */
static void collapse(char *s)
{
	char *o = s;
	int space = 1;
	for (char *c = s; *c; c++) {
		if (isspace((unsigned char)*c)) {
			if (!space)
				*o++ = ' ';
			space = 1;
		} else {
			*o++ = *c;
			space = 0;
		}
	}
	if (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/* Split the next white-space separated word off *s. */
static char *word(char **s)
{
	char *w;
	while (**s == ' ')
		(*s)++;
	if (!**s)
		return NULL;
	w = *s;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

static int find_term(const struct spec_model *m, const char *column)
{
	for (size_t i = 0; i < m->n_terms; i++)
		if (m->terms[i].column && !strcmp(m->terms[i].column, column))
			return (int)i;
	return -1;
}

static int term_fail(struct spec_term *t, int rc)
{
	free(t->text);
	free(t->column);
	free(t->ref);
	return rc;
}

static int parse_term(struct parser *p, struct spec_model *m, char *rest)
{
	struct spec_term t = { 0 };
	char *w = word(&rest), *colon;
	if (!w)
		return perr(p, "term: a column name expected");
	t.text = xstrdup(w);
	t.line = p->line;
	if ((colon = strchr(w, ':'))) {
		char *part = w;
		while (part) {
			char *next = strchr(part, ':');
			int k;
			if (next)
				*next++ = '\0';
			if ((k = find_term(m, part)) < 0)
				return term_fail(&t, perr(p, "term %s: '%s' must be declared as a term before the interaction", t.text, part));
			if (t.n_parts == FM_MAX_INTERACT)
				return term_fail(&t, perr(p, "term %s: at most %d columns in an interaction", t.text, FM_MAX_INTERACT));
			for (int j = 0; j < t.n_parts; j++)
				if (t.part[j] == k)
					return term_fail(&t, perr(p, "term %s: '%s' appears twice", t.text, part));
			t.part[t.n_parts++] = k;
			part = next;
		}
		if (t.n_parts < 2)
			return term_fail(&t, perr(p, "term %s: an interaction needs two columns", t.text));
		if (word(&rest))
			return term_fail(&t, perr(p, "term %s: nothing may follow an interaction", t.text));
	} else {
		if (!is_name(w))
			return term_fail(&t, perr(p, "term: '%s' is not a column name", w));
		if (find_term(m, w) >= 0)
			return term_fail(&t, perr(p, "term %s: declared twice", w));
		t.column = xstrdup(w);
		while ((w = word(&rest))) {
			if (!strcmp(w, "numeric"))
				t.kind = KIND_NUMERIC;
			else if (!strcmp(w, "categorical"))
				t.kind = KIND_CATEGORICAL;
			else if (!strcmp(w, "ref")) {
				if (!(w = word(&rest)))
					return term_fail(&t, perr(p, "term %s: ref needs a level", t.column));
				t.ref = xstrdup(w);
				t.kind = KIND_CATEGORICAL;
			} else
				return term_fail(&t, perr(p, "term %s: unknown word '%s' (numeric, categorical, ref LEVEL)", t.column, w));
		}
		if (t.ref && t.kind == KIND_NUMERIC)
			return term_fail(&t, perr(p, "term %s: a numeric term has no reference level", t.column));
	}
	m->terms = xrealloc(m->terms, (m->n_terms + 1) * sizeof *m->terms);
	m->terms[m->n_terms++] = t;
	return 0;
}

static int contrast_fail(struct spec_contrast *c, int rc)
{
	free(c->name);
	for (size_t i = 0; i < c->n; i++)
		free(c->term[i]);
	free(c->term);
	free(c->coef);
	return rc;
}

static int parse_contrast(struct parser *p, struct spec_model *m, char *rest)
{
	struct spec_contrast c = { 0 };
	char *eq = strchr(rest, '='), *s;
	double sign = 1;
	if (!eq)
		return perr(p, "contrast: NAME = TERM + TERM ... expected");
	*eq = '\0';
	collapse(rest);
	if (!is_name(rest))
		return perr(p, "contrast: '%s' is not a name", rest);
	for (size_t i = 0; i < m->n_contrasts; i++)
		if (!strcmp(m->contrasts[i].name, rest))
			return contrast_fail(&c, perr(p, "contrast %s: declared twice", rest));
	c.name = xstrdup(rest);
	c.line = p->line;
	s = eq + 1;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+') {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	for (;;) {
		char tok[256];
		size_t k = 0;
		double coef = 1;
		char *end;
		while (*s == ' ')
			s++;
		if (!*s)
			return contrast_fail(&c, perr(p, "contrast %s: a term expected", c.name));
		while (*s && *s != ' ' && *s != '+' && !(*s == '-' && k > 0 && tok[k - 1] != '*')) {
			if (k + 1 < sizeof tok)
				tok[k++] = *s;
			s++;
		}
		tok[k] = '\0';
		char *star = strchr(tok, '*'), *name = tok;
		if (star) {
			*star = '\0';
			coef = strtod(tok, &end);
			if (end == tok || *end || !isfinite(coef))
				return contrast_fail(&c, perr(p, "contrast %s: '%s' is not a number", c.name, tok));
			name = star + 1;
		}
		if (!*name)
			return contrast_fail(&c, perr(p, "contrast %s: a term expected", c.name));
		c.term = xrealloc(c.term, (c.n + 1) * sizeof *c.term);
		c.coef = xrealloc(c.coef, (c.n + 1) * sizeof *c.coef);
		c.term[c.n] = xstrdup(name);
		c.coef[c.n] = sign * coef;
		c.n++;
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s != '+' && *s != '-')
			return contrast_fail(&c, perr(p, "contrast %s: '+' or '-' expected before '%.20s'", c.name, s));
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	m->contrasts = xrealloc(m->contrasts, (m->n_contrasts + 1) * sizeof *m->contrasts);
	m->contrasts[m->n_contrasts++] = c;
	return 0;
}

static int finish_model(struct parser *p, struct spec_model *m)
{
	if (!m)
		return 0;
	p->line = m->line;
	if (!m->outcome)
		return perr(p, "model %s: no outcome", m->name);
	if (m->n_terms == 0)
		return perr(p, "model %s: no term (an intercept-only model needs no fit-models)", m->name);
	if (find_term(m, m->outcome) >= 0)
		return perr(p, "model %s: the outcome %s is also a term", m->name, m->outcome);
	if (!m->population) {
		m->population = xstrdup("all");
		m->cond = cond_new(C_ALL);
	}
	return 0;
}

int spec_parse(const char *file, struct spec_model **models, size_t *n, char *err, size_t errsz)
{
	struct parser p = { .file = file, .line = 0, .err = err, .errsz = errsz };
	FILE *fp = fopen(file, "r");
	char *buf = NULL, *logical = NULL;
	size_t cap = 0, lcap = 0;
	ssize_t len;
	struct spec_model *m = NULL;
	int rc = 0, start_line = 0;

	if (!fp) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		return -1;
	}
	size_t llen = 0;
	while ((len = getline(&buf, &cap, fp)) >= 0) {
		p.line++;
		if (memchr(buf, '\0', (size_t)len)) {
			rc = perr(&p, "a NUL byte in a spec file");
			break;
		}
		strip_line(buf);
		/* join continuation lines */
		size_t bl = strlen(buf);
		int cont = bl > 0 && buf[bl - 1] == '\\';
		if (cont)
			buf[--bl] = '\0';
		if (llen == 0)
			start_line = p.line;
		if (llen + bl + 2 > lcap) {
			lcap = (llen + bl + 2) * 2;
			logical = xrealloc(logical, lcap);
		}
		memcpy(logical + llen, buf, bl);
		llen += bl;
		logical[llen++] = ' ';
		logical[llen] = '\0';
		if (cont)
			continue;
		llen = 0;
		collapse(logical);
		if (!*logical)
			continue;
		int line_here = p.line;
		p.line = start_line;
		char *rest = logical, *key = word(&rest);
		while (*rest == ' ')
			rest++;
		if (!strcmp(key, "model")) {
			char *name = word(&rest);
			if ((rc = finish_model(&p, m)) < 0)
				break;
			p.line = start_line;
			if (!name || !is_name(name) || word(&rest)) {
				rc = perr(&p, "model: one name of letters, digits and '_' expected");
				break;
			}
			for (size_t i = 0; i < *n; i++)
				if (!strcmp((*models)[i].name, name)) {
					rc = perr(&p, "model %s: already defined at %s:%d", name, (*models)[i].file, (*models)[i].line);
					break;
				}
			if (rc < 0)
				break;
			*models = xrealloc(*models, (*n + 1) * sizeof **models);
			m = &(*models)[(*n)++];
			memset(m, 0, sizeof *m);
			m->name = xstrdup(name);
			m->file = xstrdup(file);
			m->line = start_line;
			m->family = FAM_LOGIT;
			m->variance = VAR_MODEL;
			m->hash = 0xcbf29ce484222325ULL;
			fnv1a(&m->hash, "model ", 6);
			fnv1a(&m->hash, name, strlen(name));
			fnv1a(&m->hash, "\n", 1);
			p.line = line_here;
			continue;
		}
		if (!m) {
			rc = perr(&p, "'%s' before the first 'model NAME' line", key);
			break;
		}
		/* hash the normalized line (key and rest) */
		fnv1a(&m->hash, key, strlen(key));
		if (*rest) {
			fnv1a(&m->hash, " ", 1);
			fnv1a(&m->hash, rest, strlen(rest));
		}
		fnv1a(&m->hash, "\n", 1);
		if (!strcmp(key, "family")) {
			char *w = word(&rest);
			if (!w || word(&rest)) {
				rc = perr(&p, "family: one of logit, linear, poisson, negbin expected");
				break;
			}
			if (!strcmp(w, "logit")) m->family = FAM_LOGIT;
			else if (!strcmp(w, "linear")) m->family = FAM_LINEAR;
			else if (!strcmp(w, "poisson")) m->family = FAM_POISSON;
			else if (!strcmp(w, "negbin")) m->family = FAM_NEGBIN;
			else {
				rc = perr(&p, "family: '%s' is not one of logit, linear, poisson, negbin", w);
				break;
			}
		} else if (!strcmp(key, "outcome")) {
			char *w = word(&rest);
			if (!w || !is_name(w) || word(&rest)) {
				rc = perr(&p, "outcome: one column name expected");
				break;
			}
			if (m->outcome) {
				rc = perr(&p, "outcome: given twice");
				break;
			}
			m->outcome = xstrdup(w);
		} else if (!strcmp(key, "population")) {
			if (m->population) {
				rc = perr(&p, "population: given twice (combine conditions with 'and')");
				break;
			}
			if (!*rest) {
				rc = perr(&p, "population: a condition expected (or 'all')");
				break;
			}
			m->population = xstrdup(rest);
			if (!(m->cond = cond_parse(&p, rest))) {
				rc = -1;
				break;
			}
		} else if (!strcmp(key, "weights")) {
			char *w = word(&rest), *col = word(&rest);
			if (w && !strcmp(w, "none") && !col) {
				m->weighted = 0;
			} else if (w && !strcmp(w, "design")) {
				if (col && (!is_name(col) || word(&rest))) {
					rc = perr(&p, "weights: design [COLUMN] expected");
					break;
				}
				m->weighted = 1;
				m->weight_column = xstrdup(col ? col : "design_weight");
			} else {
				rc = perr(&p, "weights: 'none' or 'design [COLUMN]' expected");
				break;
			}
		} else if (!strcmp(key, "variance")) {
			char *w = word(&rest);
			if (!w) {
				rc = perr(&p, "variance: model, hc0, hc1 or design expected");
				break;
			}
			if (!strcmp(w, "model")) m->variance = VAR_MODEL;
			else if (!strcmp(w, "hc0")) m->variance = VAR_HC0;
			else if (!strcmp(w, "hc1")) m->variance = VAR_HC1;
			else if (!strcmp(w, "design")) m->variance = VAR_DESIGN;
			else {
				rc = perr(&p, "variance: '%s' is not one of model, hc0, hc1, design", w);
				break;
			}
			free(m->strata_column);
			m->strata_column = NULL;
			if (m->variance == VAR_DESIGN) {
				char *s = word(&rest), *col = s ? word(&rest) : NULL;
				if (!s)
					m->strata_column = xstrdup("stratum");
				else if (!strcmp(s, "strata") && col && is_name(col) && !word(&rest))
					m->strata_column = strcmp(col, "none") ? xstrdup(col) : NULL;
				else {
					rc = perr(&p, "variance design: 'strata COLUMN' or 'strata none' expected");
					break;
				}
			} else if (word(&rest)) {
				rc = perr(&p, "variance %s: nothing may follow", w);
				break;
			}
		} else if (!strcmp(key, "term")) {
			if ((rc = parse_term(&p, m, rest)) < 0)
				break;
		} else if (!strcmp(key, "contrast")) {
			if ((rc = parse_contrast(&p, m, rest)) < 0)
				break;
		} else {
			rc = perr(&p, "unknown keyword '%s' (model, family, outcome, population, weights, variance, term, contrast)", key);
			break;
		}
		p.line = line_here;
	}
	if (rc == 0 && ferror(fp)) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && llen > 0) {
		p.line = start_line;
		rc = perr(&p, "the last line ends in '\\' but nothing follows");
	}
	if (rc == 0)
		rc = finish_model(&p, m);
	if (rc == 0 && !m) {
		snprintf(err, errsz, "%s: no model in this file", file);
		rc = -1;
	}
	free(buf);
	free(logical);
	fclose(fp);
	return rc;
}
