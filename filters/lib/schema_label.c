/* schema_label.c - see schema_label.h. */
#include "schema_label.h"
#include "diag.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int schema_lang(const char *word)
{
	if (strcmp(word, "nl") == 0)
		return SCHEMA_NL;
	if (strcmp(word, "en") == 0)
		return SCHEMA_EN;
	return -1;
}

const char *schema_value_label(const struct schema_field *f, const char *code, int lang)
{
	if (lang < 0 || lang >= SCHEMA_N_LANG)
		return NULL;
	for (size_t i = 0; i < f->n_values; i++)
		if (strcmp(f->values[i].code, code) == 0)
			return f->values[i].label[lang];
	return NULL;
}

int label_parse(struct label_list *l, const char *keyword, const char *name, const char *text, int line,
		const char **why)
{
	static const char *const kinds[] = { "label.", "missing.", "code." };
	struct label_decl d = { .line = line };
	const char *dot, *eq;
	size_t k;

	if (strcmp(keyword, "stage") == 0) {
		if (!name || *text || l->stage)
			return *why = "expected one 'stage PROGRAM' line", -1;
		l->stage = xstrdup(name);
		return 1;
	}
	for (k = 0; k < 3; k++)
		if (strncmp(keyword, kinds[k], strlen(kinds[k])) == 0)
			break;
	if (k == 3)
		return 0;
	d.kind = (enum label_kind)k;
	dot = strchr(keyword, '.');
	if ((d.lang = schema_lang(dot + 1)) < 0)
		return *why = "unknown language (nl or en)", -1;
	if (!name || !*text)
		return *why = d.kind == LD_CODE ? "expected 'code.LANG [FIELD=]CODE TEXT'"
						: "expected 'label.LANG FIELD TEXT' (or missing.LANG)", -1;
	eq = d.kind == LD_CODE ? strchr(name, '=') : NULL;
	if (eq && (eq == name || eq[1] == '\0'))
		return *why = "expected 'code.LANG [FIELD=]CODE TEXT'", -1;
	if (eq) {
		d.field = xstrdup(name);
		d.field[eq - name] = '\0';
		d.code = xstrdup(eq + 1);
	} else if (d.kind == LD_CODE) {
		d.code = xstrdup(name);
	} else {
		d.field = xstrdup(name);
	}
	d.text = xstrdup(text);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = d;
	return 1;
}

void label_list_release(struct label_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].field);
		free(l->v[i].code);
		free(l->v[i].text);
	}
	free(l->v);
	free(l->stage);
	memset(l, 0, sizeof *l);
}

static int is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The values a field starts with: an enum's codes, a bool's 0 and 1. */
static void own_values(struct schema_field *f)
{
	static char zero[] = "0", one[] = "1";

	f->values = NULL;
	f->n_values = 0;
	if (f->type == ST_ENUM) {
		f->values = xcalloc(f->n_enum, sizeof *f->values);
		for (size_t k = 0; k < f->n_enum; k++)
			f->values[k].code = f->enum_values[k];
		f->n_values = f->n_enum;
	} else if (f->type == ST_BOOL) {
		f->values = xcalloc(2, sizeof *f->values);
		f->values[0].code = zero;
		f->values[1].code = one;
		f->n_values = 2;
	}
}

/* The value CODE of F, added when F is an int whose range holds it; NULL when F cannot
 * hold it. */
static struct schema_value *value_slot(struct schema_field *f, char *code)
{
	long v;
	char *end;

	for (size_t i = 0; i < f->n_values; i++)
		if (strcmp(f->values[i].code, code) == 0)
			return &f->values[i];
	if (f->type != ST_INT)
		return NULL;
	v = strtol(code, &end, 10);
	if (*end || end == code || (f->has_lo && (double)v < f->lo) || (f->has_hi && (double)v > f->hi))
		return NULL;
	f->values = xrealloc(f->values, (f->n_values + 1) * sizeof *f->values);
	memset(&f->values[f->n_values], 0, sizeof *f->values);
	f->values[f->n_values].code = code;
	return &f->values[f->n_values++];
}

/* Apply D to the fields it names: a name any field of the schema, a pattern only the
 * fields the schema declares itself (from n_inherited on). Returns the number of fields
 * it named, or -1 when one of them cannot hold D's code. */
static int apply_one(const struct label_decl *d, struct schema_field *fields, size_t n, size_t n_inherited)
{
	int hits = 0;

	for (size_t i = is_pattern(d->field) ? n_inherited : 0; i < n; i++) {
		struct schema_field *f = &fields[i];
		struct schema_value *slot;

		if (is_pattern(d->field) ? fnmatch(d->field, f->name, 0) != 0 : strcmp(d->field, f->name) != 0)
			continue;
		hits++;
		if (d->kind == LD_LABEL) {
			f->label[d->lang] = d->text;
		} else if (d->kind == LD_MISSING) {
			f->missing[d->lang] = d->text;
		} else if ((slot = value_slot(f, d->code)) != NULL) {
			slot->label[d->lang] = d->text;
		} else if (f->type == ST_INT) {
			continue;   /* outside a range narrowed through REC_SCHEMA_PATH: nothing to label */
		} else if (!is_pattern(d->field)) {
			return -1;   /* not a code of the enum: a typo */
		} else {
			hits--;   /* a pattern may take in fields that lack the code */
		}
	}
	return hits;
}

static void fill_general(const struct label_list *l, struct schema_field *fields, size_t n)
{
	for (size_t j = 0; j < l->n; j++) {
		const struct label_decl *d = &l->v[j];

		if (d->kind != LD_CODE || d->field)
			continue;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < fields[i].n_values; k++)
				if (!fields[i].values[k].label[d->lang] && strcmp(fields[i].values[k].code, d->code) == 0)
					fields[i].values[k].label[d->lang] = d->text;
	}
}

int label_apply(const struct label_list *l, const struct label_list *const *ancestors,
		struct schema_field *fields, size_t n, size_t n_inherited, char *err, size_t errsz)
{
	for (size_t i = 0; i < n; i++) {
		if (i < n_inherited) {
			struct schema_value *copy = xmalloc((fields[i].n_values + 1) * sizeof *copy);

			if (fields[i].n_values > 0)   /* values is NULL then: memcpy wants a pointer */
				memcpy(copy, fields[i].values, fields[i].n_values * sizeof *copy);
			fields[i].values = copy;
		} else {
			memset(fields[i].label, 0, sizeof fields[i].label);
			memset(fields[i].missing, 0, sizeof fields[i].missing);
			own_values(&fields[i]);
			fields[i].stage = l->stage;
		}
	}
	/* patterns first, then the lines that name a field: the exact name wins */
	for (int exact = 0; exact < 2; exact++)
		for (size_t j = 0; j < l->n; j++) {
			const struct label_decl *d = &l->v[j];
			int hits;

			if (!d->field || is_pattern(d->field) == exact)
				continue;
			if ((hits = apply_one(d, fields, n, n_inherited)) < 0) {
				snprintf(err, errsz, "%d: %s has no value '%s'", d->line, d->field, d->code);
				return -1;
			}
			if (hits == 0) {
				snprintf(err, errsz, "%d: no field %s in this schema", d->line, d->field);
				return -1;
			}
		}
	fill_general(l, fields, n);
	for (size_t a = 0; ancestors && ancestors[a]; a++)
		fill_general(ancestors[a], fields, n);
	return 0;
}
