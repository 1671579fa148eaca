/* spec.c - the table spec: a small line format, checked against person_support/1 when it is
 * read, so a misspelt column or value stops the run before any data is read.
 *
 * The format is documented in spec_help() (tabulate --help) and at the top of
 * pipelines/eerste-jaar/tables.spec. Lines are specfile.h's (comments, continuations, white
 * space); one statement a line, the first word its keyword. Conditions are written in the
 * one condition language (filters/lib/cond.h), with the named populations of a
 * populations file, and lowered here to the atoms people.c tests on every person: a
 * comparison of one column with a list of values, all of which must hold. That is the part
 * of the language whose sets the disclosure audit can construct a person for
 * (people_phantom), so `or`, `not`, ordering and missing() are refused in a table.
 */
#include "tabulate.h"

#include "cond.h"
#include "diag.h"
#include "schema.h"
#include "specfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_SCHEMA "person_support/1"

/* Why a parser that refuses on the first error unwinds with longjmp: the refusal can come
 * from twenty levels of small parse functions, each of which would otherwise have to
 * return and test a status. Everything a parse function allocates is reachable from the
 * spec it builds (or from `tree` and `scratch` below) before anything that can refuse is
 * called, so spec_read frees it all after the jump. */
struct parser {
	struct tspec *s;
	const struct schema *schema;
	const char *path;
	long line;
	int names_fixed;            /* --populations given: a `populations` line is ignored */
	const char *kw;             /* the keyword of the line being read */
	struct ttable *t;           /* the open table, or NULL */
	struct tpanel *p;           /* its open panel, or NULL */
	struct specfile *sf;
	struct cond *tree;          /* a condition being lowered (parse_cond) */
	struct tcond scratch;       /* a share's value being parsed (parse_value) */
	char *tmp;                  /* a copy being parsed (parse_dist) */
	struct spec_error *err;     /* where the refusal goes */
	jmp_buf fail;
};

static void __attribute__((format(printf, 2, 3), noreturn)) spec_die(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	ps->err->file = ps->path;
	ps->err->line = ps->line;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
	va_end(ap);
	longjmp(ps->fail, 1);
}

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The next word of a spec line (specfile_word), "" at the end. */
static char *word(char **rest)
{
	static char none[1];
	char *w = specfile_word(rest);

	return w ? w : none;
}

static int valid_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == ':' || *s == '-' || *s == '.' || *s == '+' || *s == '/'))
			return 0;
	return 1;
}

static int var_of(struct parser *ps, const char *name)
{
	struct tspec *s = ps->s;
	int fi;
	struct tvar *v;

	for (size_t i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return (int)i;
	fi = schema_field_index(ps->schema, name);
	if (fi < 0)
		spec_die(ps, "%s: no such column in %s", name, PERSON_SCHEMA);
	v = GROW(s->vars, s->nvars);
	v->name = xstrdup(name);
	v->f = &ps->schema->fields[fi];
	v->index = -1;
	return (int)(s->nvars - 1);
}

/* The value V of column F as the number people.c stores. */
static double value_of(struct parser *ps, const struct schema_field *f, const char *v)
{
	char *end;
	double d;

	switch (f->type) {
	case ST_BOOL:
		if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
			return v[0] - '0';
		spec_die(ps, "%s: not a bool value: '%s' (0 or 1)", f->name, v);
	case ST_ENUM:
		for (size_t i = 0; i < f->n_enum; i++)
			if (strcmp(f->enum_values[i], v) == 0)
				return (double)i;
		spec_die(ps, "%s: not one of its values: '%s'", f->name, v);
	case ST_INT:
	case ST_NUM:
		errno = 0;
		d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno || !isfinite(d))
			spec_die(ps, "%s: not a number: '%s'", f->name, v);
		return d;
	default:
		spec_die(ps, "%s: a %s column cannot be compared", f->name,
			 f->type == ST_DATE ? "date" : "text");
	}
}

/* The condition as the pages show it (the respondents of a panel): the spec's short
 * form, whatever names or spelling wrote it - COL for a bool that is 1, else COL=V|V or
 * COL!=V|V, joined by " & ". */
static void show_atom(struct tcond *c, const struct cond *k, int bool_one)
{
	size_t len = c->text ? strlen(c->text) : 0, need = len + strlen(k->column) + 8;
	char *t;

	for (size_t i = 0; i < k->n_values; i++)
		need += strlen(k->values[i]) + 1;
	t = c->text = xrealloc(c->text, need);
	t[len] = '\0';
	if (len)
		strcat(t, " & ");
	strcat(t, k->column);
	if (bool_one)
		return;
	strcat(t, k->op == C_NE ? "!=" : "=");
	for (size_t i = 0; i < k->n_values; i++) {
		if (i)
			strcat(t, "|");
		strcat(t, k->values[i]);
	}
}

/* One comparison (COL, COL == V|V, COL != V|V, COL in (...)) as an atom of C. */
static void lower_atom(struct parser *ps, const struct cond *k, struct tcond *c)
{
	struct tatom *a = GROW(c->atoms, c->n);
	const struct schema_field *f;

	memset(a, 0, sizeof *a);
	a->var = var_of(ps, k->column);
	a->neg = k->op == C_NE;
	f = ps->s->vars[a->var].f;
	if (k->bare && f->type != ST_BOOL)
		spec_die(ps, "%s: not a bool column: write %s=VALUE", k->column, k->column);
	a->vals = xcalloc(k->n_values, sizeof *a->vals);
	for (size_t i = 0; i < k->n_values; i++)
		a->vals[a->nvals++] = value_of(ps, f, k->values[i]);
	show_atom(c, k, f->type == ST_BOOL && !a->neg && a->nvals == 1 && a->vals[0] == 1);
}

/* Lower the tree K (a chain of `and`, names expanded) into C's atoms. */
static void lower(struct parser *ps, const struct cond *k, struct tcond *c)
{
	static const char *const words[] = {
		[C_OR] = "or", [C_NOT] = "not", [C_LT] = "<", [C_LE] = "<=", [C_GT] = ">",
		[C_GE] = ">=", [C_MISSING] = "missing()",
	};

	switch (k->op) {
	case C_ALL:
		return;
	case C_AND:
		for (size_t i = 0; i < k->n_kids; i++)
			lower(ps, k->kids[i], c);
		return;
	case C_EQ:
	case C_NE:
	case C_IN:
		lower_atom(ps, k, c);
		return;
	default:
		spec_die(ps, "'%s' in a table condition: tabulate takes COL, COL=V|V, COL!=V|V and COL in (V, ...) joined by 'and' or '&'",
			 words[k->op]);
	}
}

/* TEXT, a condition of the condition language (cond.h) with the spec's named populations,
 * into C; an empty text is the empty (always true) condition. */
static void parse_cond(struct parser *ps, const char *text, struct tcond *c)
{
	char err[256];
	struct cond *tree;

	memset(c, 0, sizeof *c);
	c->text = xstrdup("");
	if (*text == '\0')
		return;
	tree = cond_parse(text, ps->s->names, NULL, err, sizeof err);
	if (tree == NULL)
		spec_die(ps, "condition '%s': %s", text, err);
	ps->tree = tree;
	lower(ps, tree, c);
	ps->tree = NULL;
	cond_free(tree);
}

/* A share's COL or COL=V|V (one comparison: the values that count as yes). */
static void parse_value(struct parser *ps, const char *text, struct tatom *a)
{
	struct tcond *c = &ps->scratch;

	parse_cond(ps, text, c);
	if (c->n != 1)
		spec_die(ps, "share %s: one column and its values expected (COL or COL=V|V)", text);
	*a = c->atoms[0];
	free(c->atoms);
	free(c->text);
	memset(c, 0, sizeof *c);
}

static void cond_add_atom(struct tcond *c, int var, double val)
{
	struct tatom *a = GROW(c->atoms, c->n);

	memset(a, 0, sizeof *a);
	a->var = var;
	a->vals = xmalloc(sizeof *a->vals);
	a->vals[0] = val;
	a->nvals = 1;
}

static void need_table(struct parser *ps, const char *kw)
{
	if (ps->t == NULL)
		spec_die(ps, "'%s' outside a table (start one with 'table ID')", kw);
}

static void need_kind(struct parser *ps, const char *kw, int people)
{
	need_table(ps, kw);
	if (people && ps->t->kind != KIND_PEOPLE)
		spec_die(ps, "'%s' in a model table (kind effects/symbols/contrasts take 'model' lines)", kw);
	if (!people && ps->t->kind == KIND_PEOPLE)
		spec_die(ps, "'%s' in a people table (set 'kind effects|symbols|contrasts' first)", kw);
}

static struct trow *new_row(struct parser *ps, const char *id)
{
	struct tpanel *p = ps->p;
	struct trow *r;

	if (p == NULL)
		spec_die(ps, "a row before any 'panel'");
	if (!valid_id(id))
		spec_die(ps, "bad row id: '%s'", id);
	for (size_t i = 0; i < p->nrows; i++)
		if (strcmp(p->rows[i].id, id) == 0)
			spec_die(ps, "row %s: defined twice in this panel", id);
	r = GROW(p->rows, p->nrows);
	memset(r, 0, sizeof *r);
	r->id = xstrdup(id);
	r->var = -1;
	r->link = -1;
	return r;
}

/* rest = "[where COND]" */
static void parse_where(struct parser *ps, char *rest, struct trow *r)
{
	char *kw = word(&rest);

	if (*kw == '\0') {
		parse_cond(ps, "", &r->where);
		return;
	}
	if (strcmp(kw, "where") != 0 || *rest == '\0')
		spec_die(ps, "expected 'where CONDITION', got '%s'", kw);
	parse_cond(ps, rest, &r->where);
}

/* row ID share COL[=V|V] [where COND] | row ID mean COL [where COND] | row ID count [where COND] */
static void parse_row(struct parser *ps, char *rest)
{
	char *id = word(&rest), *m = word(&rest);
	struct trow *r = new_row(ps, id);

	if (strcmp(m, "count") == 0) {
		r->measure = MEAS_COUNT;
	} else if (strcmp(m, "share") == 0) {
		char *what = word(&rest);

		if (*what == '\0')
			spec_die(ps, "row %s: share of what? (share COL or share COL=VALUE)", id);
		r->measure = MEAS_SHARE;
		parse_value(ps, what, &r->value);
		r->var = r->value.var;
	} else if (strcmp(m, "mean") == 0) {
		char *col = word(&rest);
		const struct schema_field *f;

		if (*col == '\0')
			spec_die(ps, "row %s: mean of what? (mean COL)", id);
		r->measure = MEAS_MEAN;
		r->var = var_of(ps, col);
		f = ps->s->vars[r->var].f;
		if (f->type != ST_INT && f->type != ST_NUM && f->type != ST_BOOL)
			spec_die(ps, "row %s: %s: not a number column", id, col);
	} else {
		spec_die(ps, "row %s: unknown measure '%s' (share, mean, count)", id, m);
	}
	parse_where(ps, rest, r);
}

/* dist COL [where COND]: one share row per value of COL (an enum), linked. */
static void parse_dist(struct parser *ps, char *rest)
{
	char *col = word(&rest), *where = rest;
	int var, link;
	const struct schema_field *f;

	if (ps->p == NULL)
		spec_die(ps, "'dist' before any 'panel'");
	var = var_of(ps, col);
	f = ps->s->vars[var].f;
	if (f->type != ST_ENUM)
		spec_die(ps, "dist %s: not an enum column", col);
	link = ps->p->nlinks++;
	for (size_t i = 0; i < f->n_enum; i++) {
		struct trow *r = new_row(ps, f->enum_values[i]);
		char *w;

		r->measure = MEAS_SHARE;
		r->var = var;
		r->value.var = var;
		r->value.vals = xmalloc(sizeof *r->value.vals);
		r->value.vals[0] = (double)i;
		r->value.nvals = 1;
		r->dist = 1;
		r->link = link;
		w = ps->tmp = xstrdup(where);
		parse_where(ps, w, r);
		ps->tmp = NULL;
		free(w);
	}
}

/* linked ROW ROW...: any one of them can be worked out from the others. */
static void parse_linked(struct parser *ps, char *rest)
{
	struct tpanel *p = ps->p;
	int link, n = 0;

	if (p == NULL)
		spec_die(ps, "'linked' before any 'panel'");
	link = p->nlinks++;
	for (char *id = word(&rest); *id; id = word(&rest), n++) {
		size_t i;

		for (i = 0; i < p->nrows; i++)
			if (strcmp(p->rows[i].id, id) == 0)
				break;
		if (i == p->nrows)
			spec_die(ps, "linked: no row '%s' in this panel (name rows before linking them)", id);
		if (p->rows[i].link >= 0)
			spec_die(ps, "linked: row %s is already in a linked set", id);
		p->rows[i].link = link;
	}
	if (n < 2)
		spec_die(ps, "linked: name at least two rows");
}

static int one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static const char *const periods[] = { "h1", "h2", "year", NULL };
static const char *const benefits[] = { "ww", "wwb", "all", NULL };

/* panel PERIOD POPULATION [COND] */
static void parse_panel(struct parser *ps, char *rest)
{
	char *period = word(&rest), *pop = word(&rest);
	struct tpanel *p;

	if (!one_of(period, periods))
		spec_die(ps, "panel: period '%s' is not h1, h2 or year", period);
	if (*pop == '\0')
		spec_die(ps, "panel: no population (all, or a bool column such as on_benefit_6m)");
	p = GROW(ps->t->panels, ps->t->npanels);
	memset(p, 0, sizeof *p);
	p->period = xstrdup(period);
	p->population = xstrdup(pop);
	parse_cond(ps, rest, &p->cond);
	p->cond_src = xstrdup(rest);
	p->respondents = p->cond.text;   /* before the population's atom: that is not shown */
	if (strcmp(pop, "all") != 0) {
		int v = var_of(ps, pop);

		if (ps->s->vars[v].f->type != ST_BOOL)
			spec_die(ps, "panel: population %s: not a bool column", pop);
		cond_add_atom(&p->cond, v, 1);
	}
	ps->p = p;
}

/* model BENEFIT PERIOD POPULATION NAME [OUTCOME] */
static void parse_model(struct parser *ps, char *rest)
{
	struct tmodel *m = GROW(ps->t->models, ps->t->nmodels);
	char *b = word(&rest), *period = word(&rest), *pop = word(&rest), *name = word(&rest);
	char *outcome = word(&rest);

	memset(m, 0, sizeof *m);

	if (!one_of(b, benefits))
		spec_die(ps, "model: benefit '%s' is not ww, wwb or all", b);
	if (!one_of(period, periods))
		spec_die(ps, "model: period '%s' is not h1, h2 or year", period);
	if (*pop == '\0' || *name == '\0')
		spec_die(ps, "model: expected BENEFIT PERIOD POPULATION NAME [OUTCOME]");
	if (*rest)
		spec_die(ps, "model: unexpected '%s'", rest);
	m->benefit = xstrdup(b);
	m->period = xstrdup(period);
	m->population = xstrdup(pop);
	m->name = xstrdup(name);
	m->outcome = *outcome ? xstrdup(outcome) : NULL;
	/* the audit bounds the model's n by its population's count (people_model_set) */
	m->popvar = -1;
	{
		int fi = schema_field_index(ps->schema, pop);

		if (fi >= 0 && ps->schema->fields[fi].type == ST_BOOL)
			m->popvar = var_of(ps, pop);
	}
}

static void word_list(struct parser *ps, char *rest, char ***list, size_t *n, const char *kw)
{
	for (char *w = word(&rest); *w; w = word(&rest)) {
		if (!valid_id(w))
			spec_die(ps, "%s: bad word '%s'", kw, w);
		*GROW(*list, *n) = xstrdup(w);
	}
	if (*n == 0)
		spec_die(ps, "%s: empty list", kw);
}

static void end_table(struct parser *ps)
{
	struct ttable *t = ps->t;

	for (int l = 0; l < NLANG; l++)
		if (t->title[l] == NULL)
			spec_die(ps, "table %s: no title.%s", t->id, l == LANG_NL ? "nl" : "en");
	if (t->kind == KIND_PEOPLE) {
		if (t->nbenefits == 0)
			spec_die(ps, "table %s: no 'benefit' line", t->id);
		if (t->npanels == 0)
			spec_die(ps, "table %s: no panel", t->id);
		for (size_t i = 0; i < t->npanels; i++)
			if (t->panels[i].nrows == 0)
				spec_die(ps, "table %s: panel %zu has no rows", t->id, i + 1);
	} else {
		if (t->nmodels == 0)
			spec_die(ps, "table %s: no 'model' line", t->id);
	}
	if (t->kind == KIND_SYMBOLS) {
		if (t->nforms == 0 || t->noutcomes == 0)
			spec_die(ps, "table %s: kind symbols needs 'forms' and 'outcomes'", t->id);
		for (size_t i = 0; i < t->nmodels; i++) {
			const char *o = t->models[i].outcome;
			size_t j;

			if (o == NULL)
				spec_die(ps, "table %s: model %s: no OUTCOME (kind symbols)", t->id, t->models[i].name);
			for (j = 0; j < t->noutcomes; j++)
				if (strcmp(t->outcomes[j], o) == 0)
					break;
			if (j == t->noutcomes)
				spec_die(ps, "table %s: model %s: outcome %s is not in 'outcomes'", t->id, t->models[i].name, o);
		}
	}
	ps->t = NULL;
	ps->p = NULL;
}

/* `populations FILE` (before the first table): the named populations the conditions may
 * use, FILE relative to the spec's folder. --populations, when given, stands instead. */
static void populations_line(struct parser *ps, char *rest)
{
	const char *slash = strrchr(ps->path, '/');
	char *file = word(&rest), path[4096], err[512];

	if (*file == '\0' || *rest)
		spec_die(ps, "populations: one file name expected");
	if (ps->s->ntables)
		spec_die(ps, "populations: must come before the first table");
	if (ps->names_fixed)
		return;
	if (ps->s->names)
		spec_die(ps, "populations: a second populations line");
	if (file[0] == '/' || slash == NULL)
		snprintf(path, sizeof path, "%s", file);
	else
		snprintf(path, sizeof path, "%.*s/%s", (int)(slash - ps->path), ps->path, file);
	ps->s->names = cond_names_new();
	if (cond_names_load(ps->s->names, path, err, sizeof err) < 0)
		spec_die(ps, "populations: %s", err);
}

/* label.nl KEY TEXT, label.en KEY TEXT (anywhere) */
static void parse_label(struct parser *ps, char *rest)
{
	int l = ps->kw[6] == 'n' ? LANG_NL : LANG_EN;
	char *key = word(&rest);
	struct tlabel *lb;

	if (!valid_id(key) || *rest == '\0')
		spec_die(ps, "%s: expected KEY TEXT", ps->kw);
	lb = GROW(ps->s->labels[l], ps->s->nlabels[l]);
	lb->key = xstrdup(key);
	lb->text = xstrdup(rest);
}

/* table ID */
static void parse_table(struct parser *ps, char *rest)
{
	struct tspec *s = ps->s;
	char *id = word(&rest);
	struct ttable *t;

	if (ps->t)
		spec_die(ps, "table %s: the previous table %s has no 'end'", id, ps->t->id);
	if (!valid_id(id) || *rest)
		spec_die(ps, "table: expected one id");
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].id, id) == 0)
			spec_die(ps, "table %s: defined twice", id);
	t = GROW(s->tables, s->ntables);
	memset(t, 0, sizeof *t);
	t->id = xstrdup(id);
	t->line = ps->line;
	t->selected = 1;
	ps->t = t;
}

/* variant BASE: another reading of table BASE (defined before it), made instead of BASE
 * when --variant names it, never by default */
static void parse_variant(struct parser *ps, char *rest)
{
	char *base = word(&rest);
	size_t i;

	if (!valid_id(base) || *rest)
		spec_die(ps, "variant: expected the id of one table");
	for (i = 0; i + 1 < ps->s->ntables; i++)
		if (strcmp(ps->s->tables[i].id, base) == 0)
			break;
	if (i + 1 >= ps->s->ntables)
		spec_die(ps, "variant: no table %s before this one", base);
	if (ps->s->tables[i].variant_of)
		spec_die(ps, "variant: %s is a variant itself", base);
	free(ps->t->variant_of);   /* a second `variant` line: the last one counts */
	ps->t->variant_of = xstrdup(base);
	ps->t->selected = 0;
}

static void parse_end(struct parser *ps, char *rest)
{
	(void)rest;
	end_table(ps);
}

/* title.nl/title.en TEXT, note.nl/note.en TEXT */
static void parse_text(struct parser *ps, char *rest)
{
	const char *lang = strchr(ps->kw, '.') + 1;
	int l = strcmp(lang, "nl") == 0 ? LANG_NL : strcmp(lang, "en") == 0 ? LANG_EN : -1;

	if (l < 0)
		spec_die(ps, "%s: language is nl or en", ps->kw);
	if (*rest == '\0')
		spec_die(ps, "%s: no text", ps->kw);
	if (ps->kw[0] == 't') {
		free(ps->t->title[l]);   /* a second title: the last one counts */
		ps->t->title[l] = xstrdup(rest);
	} else
		*GROW(ps->t->notes[l], ps->t->nnotes[l]) = xstrdup(rest);
}

/* kind people|effects|symbols|contrasts */
static void parse_kind(struct parser *ps, char *rest)
{
	static const char *const kinds[] = { "people", "effects", "symbols", "contrasts", NULL };
	char *k = word(&rest);
	int i;

	for (i = 0; kinds[i] && strcmp(kinds[i], k) != 0; i++)
		;
	if (kinds[i] == NULL)
		spec_die(ps, "kind: '%s' is not people, effects, symbols or contrasts", k);
	if (ps->t->npanels || ps->t->nmodels)
		spec_die(ps, "kind: must come before panels and models");
	ps->t->kind = (enum tkind)i;
}

/* benefit ww [wwb] | all */
static void parse_benefit(struct parser *ps, char *rest)
{
	word_list(ps, rest, &ps->t->benefits, &ps->t->nbenefits, ps->kw);
	for (size_t i = 0; i < ps->t->nbenefits; i++)
		if (!one_of(ps->t->benefits[i], benefits))
			spec_die(ps, "benefit: '%s' is not ww, wwb or all", ps->t->benefits[i]);
}

/* weights design|none */
static void parse_weights(struct parser *ps, char *rest)
{
	char *w = word(&rest);

	if (strcmp(w, "design") == 0)
		ps->t->weighted = 1;
	else if (strcmp(w, "none") == 0)
		ps->t->weighted = 0;
	else
		spec_die(ps, "weights: '%s' is not design or none", w);
}

static void parse_forms(struct parser *ps, char *rest)
{
	word_list(ps, rest, &ps->t->forms, &ps->t->nforms, ps->kw);
}

static void parse_outcomes(struct parser *ps, char *rest)
{
	word_list(ps, rest, &ps->t->outcomes, &ps->t->noutcomes, ps->kw);
}

/* Where a keyword may stand: anywhere, in any table, in a people table, in a model table. */
enum place { ANYWHERE, IN_TABLE, IN_PEOPLE, IN_MODELS };

/* The statements of a spec. A new statement is a line here and its parse function. */
static const struct keyword {
	const char *word;           /* ending in '.': a prefix (title.nl, title.en, ...) */
	enum place place;
	void (*parse)(struct parser *ps, char *rest);
} keywords[] = {
	{ "populations", ANYWHERE, populations_line },
	{ "label.nl", ANYWHERE, parse_label },
	{ "label.en", ANYWHERE, parse_label },
	{ "table", ANYWHERE, parse_table },
	{ "end", IN_TABLE, parse_end },
	{ "title.", IN_TABLE, parse_text },
	{ "note.", IN_TABLE, parse_text },
	{ "kind", IN_TABLE, parse_kind },
	{ "variant", IN_TABLE, parse_variant },
	{ "benefit", IN_PEOPLE, parse_benefit },
	{ "weights", IN_PEOPLE, parse_weights },
	{ "panel", IN_PEOPLE, parse_panel },
	{ "row", IN_PEOPLE, parse_row },
	{ "dist", IN_PEOPLE, parse_dist },
	{ "linked", IN_PEOPLE, parse_linked },
	{ "model", IN_MODELS, parse_model },
	{ "forms", IN_MODELS, parse_forms },
	{ "outcomes", IN_MODELS, parse_outcomes },
};

static void parse_line(struct parser *ps, char *line)
{
	char *rest = line, *kw = word(&rest);
	size_t i, n = sizeof keywords / sizeof *keywords;

	ps->kw = kw;
	for (i = 0; i < n; i++) {
		size_t len = strlen(keywords[i].word);

		if (keywords[i].word[len - 1] == '.' ? strncmp(kw, keywords[i].word, len) == 0
						     : strcmp(kw, keywords[i].word) == 0)
			break;
	}
	if (i < n && keywords[i].place == ANYWHERE) {
		keywords[i].parse(ps, rest);
		return;
	}
	need_table(ps, kw);
	if (i == n)
		spec_die(ps, "unknown keyword '%s'", kw);
	if (keywords[i].place != IN_TABLE)
		need_kind(ps, kw, keywords[i].place == IN_PEOPLE);
	keywords[i].parse(ps, rest);
}

/* Refuse (spec_die's fields) without a line: about the whole file (FILE) or none (NULL). */
static int spec_refuse(struct spec_error *e, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int spec_refuse(struct spec_error *e, const char *file, const char *fmt, ...)
{
	va_list ap;

	e->file = file;
	e->line = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* The statements of the file, after the set-up; spec_die jumps back here. A function of
 * its own so that nothing setjmp's caller keeps in registers is used after the jump. */
static int parse_lines(struct parser *ps)
{
	char *line, msg[512];
	int lineno = 0, rc;

	if (setjmp(ps->fail))
		return -1;
	ps->s->var_benefit = var_of(ps, "benefit");
	while ((rc = specfile_next(ps->sf, &line, &lineno, msg, sizeof msg)) > 0) {
		ps->line = lineno;
		parse_line(ps, line);
	}
	ps->line = lineno;
	if (rc < 0)
		spec_die(ps, "%s", msg);
	if (ps->t)
		spec_die(ps, "table %s: no 'end'", ps->t->id);
	return 0;
}

int spec_read(const char *path, const char *populations, struct tspec **out, struct spec_error *e)
{
	struct parser ps = { .path = path, .err = e };
	const char *err = NULL;
	char msg[512];
	int rc;

	*out = NULL;
	if ((ps.sf = specfile_open(path)) == NULL)
		return spec_refuse(e, path, "cannot open: %s", strerror(errno));
	ps.s = xcalloc(1, sizeof *ps.s);
	ps.s->path = xstrdup(path);
	ps.schema = schema_find(PERSON_SCHEMA, &err);
	if (ps.schema == NULL)
		rc = spec_refuse(e, NULL, "schema %s: %s", PERSON_SCHEMA, err ? err : "unknown");
	else if (populations && (ps.s->names = cond_names_new(), ps.names_fixed = 1,
				 cond_names_load(ps.s->names, populations, msg, sizeof msg) < 0))
		rc = spec_refuse(e, NULL, "--populations: %s", msg);
	else if ((rc = parse_lines(&ps)) == 0 && ps.s->ntables == 0)
		rc = spec_refuse(e, path, "no tables");
	specfile_close(ps.sf);
	if (ps.tree)
		cond_free(ps.tree);
	free(ps.scratch.text);
	for (size_t i = 0; i < ps.scratch.n; i++)
		free(ps.scratch.atoms[i].vals);
	free(ps.scratch.atoms);
	free(ps.tmp);
	if (rc < 0) {
		spec_free(ps.s);
		return -1;
	}
	*out = ps.s;
	return 0;
}

struct tspec *spec_load(const char *path, const char *populations)
{
	struct spec_error e;
	struct tspec *s;

	if (spec_read(path, populations, &s, &e) < 0)
		die(EXIT_DATA, e.file, e.line, NULL, "%s", e.msg);
	return s;
}

static void tcond_release(struct tcond *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->atoms[i].vals);
	free(c->atoms);
	free(c->text);
}

static void words_free(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static void panel_release(struct tpanel *p)
{
	free(p->period);
	free(p->population);
	tcond_release(&p->cond);   /* respondents points into its text */
	free(p->cond_src);
	for (size_t r = 0; r < p->nrows; r++) {
		free(p->rows[r].id);
		free(p->rows[r].value.vals);
		tcond_release(&p->rows[r].where);
	}
	free(p->rows);
}

static void table_release(struct ttable *t)
{
	free(t->id);
	for (int l = 0; l < NLANG; l++) {
		free(t->title[l]);
		words_free(t->notes[l], t->nnotes[l]);
	}
	words_free(t->benefits, t->nbenefits);
	for (size_t p = 0; p < t->npanels; p++)
		panel_release(&t->panels[p]);
	free(t->panels);
	for (size_t m = 0; m < t->nmodels; m++) {
		free(t->models[m].benefit);
		free(t->models[m].period);
		free(t->models[m].population);
		free(t->models[m].name);
		free(t->models[m].outcome);
	}
	free(t->models);
	words_free(t->forms, t->nforms);
	words_free(t->outcomes, t->noutcomes);
	free(t->variant_of);
}

void spec_free(struct tspec *s)
{
	if (s == NULL)
		return;
	free(s->path);
	cond_names_free(s->names);
	for (size_t i = 0; i < s->ntables; i++)
		table_release(&s->tables[i]);
	free(s->tables);
	for (int l = 0; l < NLANG; l++) {
		for (size_t i = 0; i < s->nlabels[l]; i++) {
			free(s->labels[l][i].key);
			free(s->labels[l][i].text);
		}
		free(s->labels[l]);
	}
	for (size_t i = 0; i < s->nvars; i++)
		free(s->vars[i].name);
	free(s->vars);
	free(s);
}

const char *spec_label(const struct tspec *s, int lang, const char *key)
{
	/* the last definition wins, so a local spec can override a shared label */
	for (size_t i = s->nlabels[lang]; i-- > 0;)
		if (strcmp(s->labels[lang][i].key, key) == 0)
			return s->labels[lang][i].text;
	return NULL;
}

int spec_select(struct tspec *s, const char *list, char *err, size_t errsz)
{
	char *copy = xstrdup(list), *save = NULL;

	for (size_t i = 0; i < s->ntables; i++)
		s->tables[i].selected = 0;
	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		size_t i;

		id = trim(id);
		for (i = 0; i < s->ntables; i++)
			if (strcmp(s->tables[i].id, id) == 0)
				break;
		if (i == s->ntables) {
			snprintf(err, errsz, "--tables: no table '%s' in %s", id, s->path);
			free(copy);
			return -1;
		}
		s->tables[i].selected = 1;
	}
	free(copy);
	return 0;
}

int spec_variants(struct tspec *s, const char *list, char *err, size_t errsz)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		struct ttable *v = NULL;

		id = trim(id);
		for (size_t i = 0; i < s->ntables; i++)
			if (strcmp(s->tables[i].id, id) == 0)
				v = &s->tables[i];
		if (v == NULL || v->variant_of == NULL) {
			if (v)
				snprintf(err, errsz, "--variant: table %s of %s is not a variant (no 'variant' line)", id, s->path);
			else
				snprintf(err, errsz, "--variant: no table '%s' in %s", id, s->path);
			free(copy);
			return -1;
		}
		for (size_t i = 0; i < s->ntables; i++)
			if (strcmp(s->tables[i].id, v->variant_of) == 0) {
				v->selected |= s->tables[i].selected;
				s->tables[i].selected = 0;
			}
	}
	free(copy);
	return 0;
}

void spec_help(FILE *fp)
{
	fputs(
	"Table spec (one statement a line; '#' starts a comment, a final '\\' continues a line):\n"
	"  populations FILE                          the named populations COND may use (lines\n"
	"                                            'population NAME = CONDITION'; FILE relative\n"
	"                                            to the spec; before the first table)\n"
	"  label.nl KEY TEXT | label.en KEY TEXT     wording of a row, term, period, population\n"
	"                                            or benefit id (the key itself when absent);\n"
	"                                            KEY TABLE/ROW: a row of one table only\n"
	"  table ID ... end                          one table; inside it:\n"
	"    title.nl TEXT, title.en TEXT            required;  note.nl/note.en TEXT  footnotes\n"
	"    kind people|effects|symbols|contrasts   default people (figures over persons)\n"
	"    variant BASE                            another reading of the table BASE (defined\n"
	"                                            before): made in BASE's place only when\n"
	"                                            tabulate --variant names it\n"
	"  people tables:\n"
	"    benefit ww [wwb] | all                  one block of cells per benefit\n"
	"    weights design|none                     design: survey figure, weighted by\n"
	"                                            design_weight (needs respondents only);\n"
	"                                            none: registry figure, unweighted\n"
	"    panel PERIOD POPULATION [COND]          PERIOD h1|h2|year; POPULATION all or a bool\n"
	"                                            column that must be 1 (the figure key);\n"
	"                                            COND the respondents, e.g. h2_respondents\n"
	"    row ID share COL[=V|V] [where COND]     share of people with COL (=1, or one of the\n"
	"                                            values) among those with COL not missing\n"
	"    row ID mean COL [where COND]            mean of COL among those with it not missing\n"
	"    row ID count [where COND]               number of people (unweighted)\n"
	"    dist COL [where COND]                   one share row per value of the enum COL\n"
	"                                            (row id = the value); the rows add up, so\n"
	"                                            complementary suppression applies\n"
	"    linked ROW ROW...                       any one of these rows can be worked out from\n"
	"                                            the others: complementary suppression\n"
	"  model tables (from fit-models' sections):\n"
	"    model BENEFIT PERIOD POPULATION NAME [OUTCOME]\n"
	"    forms F...  outcomes O...               kind symbols: the support forms (term\n"
	"                                            PERIOD_F) and the outcome of each model\n"
	"  COND: fit-models' condition language (filters/lib/cond.h) as far as tables go:\n"
	"    comparisons joined by 'and' or '&': COL (a bool = 1), COL=V|V or COL == V|V (one\n"
	"    of the values), COL!=V|V (none of them), COL in (V, ...), and the names of the\n"
	"    populations file; a missing value fails every comparison. ('or', 'not', '<' and\n"
	"    missing() are refused: the disclosure audit builds a person for every set.)\n"
	"    Pages show a panel's COND as COL, COL=V|V, COL!=V|V joined by ' & ', names\n"
	"    replaced by what they stand for.\n",
	fp);
}
