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
#include "specfile.h"

struct parser {
	const char *file;
	int line;
	char *err;
	size_t errsz;
	struct cond_names *names;    /* the populations file's, or --populations' */
	int names_fixed;             /* --populations given: a `populations` line is ignored */
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

#define is_name specfile_is_name

/* ---- the block parser ---- */

static void fnv1a(uint64_t *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 0x100000001b3ULL;
	}
}

#define word specfile_word

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
				free(t.ref);   /* a second ref replaces the first (the fuzzer saw it leak) */
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
	for (size_t n = strlen(rest); n > 0 && rest[n - 1] == ' '; n--)
		rest[n - 1] = '\0';
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

/* Whether TERM can name a coefficient of M (design.c's names: "(Intercept)", COLUMN,
 * COLUMN:LEVEL, and for an interaction its parts' names joined by ':'): it is the
 * intercept or starts with a declared column, whole or followed by ':'. A level is known
 * only with the data, so a name that passes can still be missing from the fit (then the
 * warning contrast_unknown_term); a name that fails is a spec error like any other. */
static int may_name_coefficient(const struct spec_model *m, const char *term)
{
	if (!strcmp(term, "(Intercept)"))
		return 1;
	for (size_t i = 0; i < m->n_terms; i++) {
		const char *c = m->terms[i].column;
		size_t n = c ? strlen(c) : 0;

		if (c && !strncmp(term, c, n) && (term[n] == '\0' || term[n] == ':'))
			return 1;
	}
	return 0;
}

static int check_contrasts(struct parser *p, const struct spec_model *m)
{
	for (size_t k = 0; k < m->n_contrasts; k++)
		for (size_t q = 0; q < m->contrasts[k].n; q++)
			if (!may_name_coefficient(m, m->contrasts[k].term[q])) {
				p->line = m->contrasts[k].line;
				return perr(p, "contrast %s: '%s' is not a coefficient of model %s "
					    "(its terms' coefficients are (Intercept), COLUMN and COLUMN:LEVEL)",
					    m->contrasts[k].name, m->contrasts[k].term[q], m->name);
			}
	return 0;
}

static int finish_model(struct parser *p, struct spec_model *m)
{
	if (!m)
		return 0;
	if (check_contrasts(p, m))
		return -1;
	p->line = m->line;
	if (!m->outcome)
		return perr(p, "model %s: no outcome", m->name);
	if (m->n_terms == 0)
		return perr(p, "model %s: no term (an intercept-only model needs no fit-models)", m->name);
	if (find_term(m, m->outcome) >= 0)
		return perr(p, "model %s: the outcome %s is also a term", m->name, m->outcome);
	if (!m->population) {
		m->population = xstrdup("all");
		m->cond = cond_parse("all", NULL, NULL, p->err, p->errsz);
	}
	return 0;
}

/* `population CONDITION`: the condition, and its text with names replaced (model_fit's
 * population column and the hash record what the population is, not how it was named). */
static int parse_population(struct parser *p, struct spec_model *m, const char *rest)
{
	char msg[400];

	if (m->population)
		return perr(p, "population: given twice (combine conditions with 'and')");
	if (!*rest)
		return perr(p, "population: a condition expected (or 'all')");
	if (!(m->cond = cond_parse(rest, p->names, &m->population, msg, sizeof msg)))
		return perr(p, "population: %s", msg);
	return 0;
}

static int parse_family(struct parser *p, struct spec_model *m, char *rest)
{
	static const char *const names[] = { "logit", "linear", "poisson", "negbin" };
	char *w = word(&rest);

	if (!w || word(&rest))
		return perr(p, "family: one of logit, linear, poisson, negbin expected");
	for (int f = 0; f < 4; f++)
		if (!strcmp(w, names[f])) {
			m->family = (enum fm_family)f;
			return 0;
		}
	return perr(p, "family: '%s' is not one of logit, linear, poisson, negbin", w);
}

static int parse_outcome(struct parser *p, struct spec_model *m, char *rest)
{
	char *w = word(&rest);

	if (!w || !is_name(w) || word(&rest))
		return perr(p, "outcome: one column name expected");
	if (m->outcome)
		return perr(p, "outcome: given twice");
	m->outcome = xstrdup(w);
	return 0;
}

static int parse_weights(struct parser *p, struct spec_model *m, char *rest)
{
	char *w = word(&rest), *col = word(&rest);

	if (w && !strcmp(w, "none") && !col) {
		m->weighted = 0;
		return 0;
	}
	if (!w || strcmp(w, "design"))
		return perr(p, "weights: 'none' or 'design [COLUMN]' expected");
	if (col && (!is_name(col) || word(&rest)))
		return perr(p, "weights: design [COLUMN] expected");
	m->weighted = 1;
	free(m->weight_column);
	m->weight_column = xstrdup(col ? col : "design_weight");
	return 0;
}

static int parse_variance(struct parser *p, struct spec_model *m, char *rest)
{
	static const char *const names[] = { "model", "hc0", "hc1", "design" };
	char *w = word(&rest), *s, *col;
	int v;

	if (!w)
		return perr(p, "variance: model, hc0, hc1 or design expected");
	for (v = 0; v < 4 && strcmp(w, names[v]); v++)
		;
	if (v == 4)
		return perr(p, "variance: '%s' is not one of model, hc0, hc1, design", w);
	m->variance = (enum fm_variance)v;
	free(m->strata_column);
	m->strata_column = NULL;
	if (m->variance != VAR_DESIGN)
		return word(&rest) ? perr(p, "variance %s: nothing may follow", w) : 0;
	s = word(&rest);
	col = s ? word(&rest) : NULL;
	if (!s)
		m->strata_column = xstrdup("stratum");
	else if (!strcmp(s, "strata") && col && is_name(col) && !word(&rest))
		m->strata_column = strcmp(col, "none") ? xstrdup(col) : NULL;
	else
		return perr(p, "variance design: 'strata COLUMN' or 'strata none' expected");
	return 0;
}

/* A line inside a model block: hashed as normalized (the population as expanded), then
 * parsed. */
static int model_line(struct parser *p, struct spec_model *m, const char *key, char *rest)
{
	int rc;

	if (strcmp(key, "population") != 0) {
		fnv1a(&m->hash, key, strlen(key));
		if (*rest) {
			fnv1a(&m->hash, " ", 1);
			fnv1a(&m->hash, rest, strlen(rest));
		}
		fnv1a(&m->hash, "\n", 1);
	}
	if (!strcmp(key, "family"))
		return parse_family(p, m, rest);
	if (!strcmp(key, "outcome"))
		return parse_outcome(p, m, rest);
	if (!strcmp(key, "weights"))
		return parse_weights(p, m, rest);
	if (!strcmp(key, "variance"))
		return parse_variance(p, m, rest);
	if (!strcmp(key, "term"))
		return parse_term(p, m, rest);
	if (!strcmp(key, "contrast"))
		return parse_contrast(p, m, rest);
	if (strcmp(key, "population") != 0)
		return perr(p, "unknown keyword '%s' (model, family, outcome, population, weights, variance, term, contrast)", key);
	if ((rc = parse_population(p, m, rest)) == 0) {
		fnv1a(&m->hash, "population ", 11);
		fnv1a(&m->hash, m->population, strlen(m->population));
		fnv1a(&m->hash, "\n", 1);
	}
	return rc;
}

/* `model NAME`: a new block (the previous one finished first). */
static int new_model(struct parser *p, struct spec_model **models, size_t *n, struct spec_model **m,
		     char *rest)
{
	char *name = word(&rest);
	int line = p->line;

	if (finish_model(p, *m) < 0)
		return -1;
	p->line = line;
	if (!name || !is_name(name) || word(&rest))
		return perr(p, "model: one name of letters, digits and '_' expected");
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*models)[i].name, name))
			return perr(p, "model %s: already defined at %s:%d", name, (*models)[i].file, (*models)[i].line);
	*models = xrealloc(*models, (*n + 1) * sizeof **models);
	*m = &(*models)[(*n)++];
	memset(*m, 0, sizeof **m);
	(*m)->name = xstrdup(name);
	(*m)->file = xstrdup(p->file);
	(*m)->line = line;
	(*m)->family = FAM_LOGIT;
	(*m)->variance = VAR_MODEL;
	(*m)->hash = 0xcbf29ce484222325ULL;
	fnv1a(&(*m)->hash, "model ", 6);
	fnv1a(&(*m)->hash, name, strlen(name));
	fnv1a(&(*m)->hash, "\n", 1);
	return 0;
}

/* `populations FILE` (before the first model): the named populations, FILE relative to
 * the spec's folder. --populations, when given, stands instead. */
static int populations_line(struct parser *p, char *rest)
{
	char *w = word(&rest), path[4096], msg[600];
	const char *slash = strrchr(p->file, '/');

	if (!w || word(&rest))
		return perr(p, "populations: one file name expected");
	if (p->names_fixed)
		return 0;
	if (w[0] == '/' || !slash)
		snprintf(path, sizeof path, "%s", w);
	else
		snprintf(path, sizeof path, "%.*s/%s", (int)(slash - p->file), p->file, w);
	if (cond_names_load(p->names, path, msg, sizeof msg) < 0)
		return perr(p, "populations: %s", msg);
	return 0;
}

static int parse_file(struct parser *p, struct specfile *sf, struct spec_model **models, size_t *n)
{
	struct spec_model *m = NULL;
	char *logical, msg[300];
	int rc;

	while ((rc = specfile_next(sf, &logical, &p->line, msg, sizeof msg)) > 0) {
		char *rest = logical, *key = word(&rest);

		while (*rest == ' ')
			rest++;
		if (!strcmp(key, "model"))
			rc = new_model(p, models, n, &m, rest);
		else if (!m && !strcmp(key, "populations"))
			rc = populations_line(p, rest);
		else if (!m)
			rc = perr(p, "'%s' before the first 'model NAME' line", key);
		else
			rc = model_line(p, m, key, rest);
		if (rc < 0)
			return -1;
	}
	if (rc == -2)   /* not the spec's fault: exit 1, as for any failed read */
		die(EXIT_DATA, p->file, p->line, NULL, "%s", msg);
	if (rc < 0)
		return perr(p, "%s", msg);
	if (finish_model(p, m) < 0)
		return -1;
	if (!m) {
		snprintf(p->err, p->errsz, "%s: no model in this file", p->file);
		return -1;
	}
	return 0;
}

int spec_parse(const char *file, const char *populations, struct spec_model **models, size_t *n,
	       char *err, size_t errsz)
{
	struct parser p = { .file = file, .err = err, .errsz = errsz, .names = cond_names_new() };
	struct specfile *sf = specfile_open(file);
	int rc = 0;

	if (!sf) {
		if (diag_out_of_resources(errno))   /* the machine failed, not the spec: exit 1 */
			die(EXIT_DATA, file, 0, NULL, "cannot open: %s", strerror(errno));
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		cond_names_free(p.names);
		return -1;
	}
	if (populations) {
		p.names_fixed = 1;
		rc = cond_names_load(p.names, populations, err, errsz);
	}
	if (rc == 0)
		rc = parse_file(&p, sf, models, n);
	cond_names_free(p.names);
	specfile_close(sf);
	return rc;
}
