/* schema.c - see schema.h. Parses the schema text of schemas/ (built in, plus
 * REC_SCHEMA_PATH), resolves `extends`, checks values. */
#include "schema.h"
#include "schema_label.h"
#include "datecalc.h"
#include "diag.h"
#include "rec.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char *const schemas_builtin[];

/* A schema as declared, before `extends` and `adds` are resolved. */
struct decl {
	struct schema s;
	char *extends;              /* id of the parent, or NULL */
	char *adds;                 /* id of a schema whose added fields come next, or NULL */
	int resolved;               /* 0 no, 1 in progress (cycle check), 2 done */
	struct schema_field *own;   /* the fields the file itself declares */
	size_t n_own;
	struct label_list *labels;  /* its NAME-VERSION.labels (schema_label.h), or NULL */
};

/* A labels file (NAME-VERSION.labels): the words of one schema, kept apart from the
 * schema files so that every reader of those (a test's own parser, a swapped-in stage)
 * sees only fields. A later file of the same id replaces an earlier one. */
struct labels_file {
	char *id;
	char *origin;
	struct label_list l;
};

static struct labels_file *labels_files;
static size_t n_labels_files;

static struct decl *decls;
static size_t n_decls;
static int loaded;
static char load_error[512];

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Next whitespace-separated word of *p; NULL at the end. */
static char *word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static int parse_bound(const char *s, size_t len, int *has, double *v)
{
	char buf[64], *end;

	if (len == 0) {
		*has = 0;
		return 0;
	}
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	if (*end != '\0')
		return -1;
	*has = 1;
	return 0;
}

static int parse_type(const char *t, struct schema_field *f)
{
	const char *open;
	size_t base;

	memset(&f->type, 0, sizeof f->type);
	f->has_lo = f->has_hi = 0;
	f->enum_values = NULL;
	f->enum_len = NULL;
	f->n_enum = 0;
	f->hex_digits = 0;
	if (strcmp(t, "hex32") == 0) {
		f->type = ST_TEXT;
		f->hex_digits = 32;
		return 0;
	}
	if (strncmp(t, "enum(", 5) == 0) {
		size_t n = strlen(t);
		char *list, *p, *comma;

		if (n < 7 || t[n - 1] != ')')
			return -1;
		f->type = ST_ENUM;
		list = xstrdup(t + 5);
		list[n - 6] = '\0';
		for (p = list; p; p = comma ? comma + 1 : NULL) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if (*p == '\0') {
				free(list);
				return -1;
			}
			f->enum_values = xrealloc(f->enum_values, (f->n_enum + 1) * sizeof *f->enum_values);
			f->enum_len = xrealloc(f->enum_len, (f->n_enum + 1) * sizeof *f->enum_len);
			f->enum_len[f->n_enum] = strlen(p);
			f->enum_values[f->n_enum++] = xstrdup(p);
		}
		free(list);
		return 0;
	}
	open = strchr(t, '[');
	base = open ? (size_t)(open - t) : strlen(t);
	if (base == 3 && strncmp(t, "int", 3) == 0)
		f->type = ST_INT;
	else if (base == 3 && strncmp(t, "num", 3) == 0)
		f->type = ST_NUM;
	else if (!open && strcmp(t, "date") == 0)
		f->type = ST_DATE;
	else if (!open && strcmp(t, "bool") == 0)
		f->type = ST_BOOL;
	else if (!open && strcmp(t, "text") == 0)
		f->type = ST_TEXT;
	else
		return -1;
	if (open) {
		const char *comma = strchr(open, ','), *close = strchr(open, ']');

		if (!comma || !close || comma > close || close[1] != '\0')
			return -1;
		if (parse_bound(open + 1, (size_t)(comma - open - 1), &f->has_lo, &f->lo) ||
		    parse_bound(comma + 1, (size_t)(close - comma - 1), &f->has_hi, &f->hi))
			return -1;
	}
	return 0;
}

static int fail(const char *origin, int line, const char *what)
{
	snprintf(load_error, sizeof load_error, "%.300s:%d: %.150s", origin, line, what);
	return -1;
}

/* Free what parse_text allocated for a declaration (one being overridden: nothing has
 * resolved it yet, so it has no fields of its own beyond `own`). */
static void decl_release(struct decl *d)
{
	for (size_t i = 0; i < d->n_own; i++) {
		for (size_t k = 0; k < d->own[i].n_enum; k++)
			free(d->own[i].enum_values[k]);
		free(d->own[i].enum_values);
		free(d->own[i].enum_len);
		free(d->own[i].name);
		free(d->own[i].meaning);
	}
	free(d->own);
	free(d->extends);
	free(d->adds);
	free(d->s.name);
	free(d->s.id);
	free(d->s.comment);
	free(d->s.origin);
}

/* Is TEXT a labels file: its first declaration (after blank and '#' lines) `labels ...`? */
static int is_labels_text(const char *text)
{
	const char *p = text;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	return strncmp(p, "labels", 6) == 0 && (p[6] == ' ' || p[6] == '\t');
}

/* Parse a labels text (its first declaration `labels NAME/VERSION`). */
static int parse_labels(const char *text, const char *origin)
{
	struct labels_file lf = { NULL, NULL, { NULL, 0, NULL } };
	char *copy = xstrdup(text), *line, *next, *p, *key, *name;
	const char *why = NULL;
	int lineno = 0;

	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		key = word(&p);
		name = word(&p);
		if (strcmp(key, "labels") == 0 && !lf.id && name && strchr(name, '/') && !*trim(p)) {
			lf.id = xstrdup(name);
			continue;
		}
		if (!lf.id)
			why = "the first declaration must be 'labels NAME/VERSION'";
		else if (label_parse(&lf.l, key, name, trim(p), lineno, &why) == 0)
			why = "expected stage, label.LANG, missing.LANG or code.LANG";
		if (why) {
			free(copy);
			free(lf.id);
			label_list_release(&lf.l);
			return fail(origin, lineno, why);
		}
	}
	free(copy);
	if (!lf.id)
		return fail(origin, lineno, "no 'labels NAME/VERSION' line");
	lf.origin = xstrdup(origin);
	for (size_t i = 0; i < n_labels_files; i++)
		if (strcmp(labels_files[i].id, lf.id) == 0) {
			label_list_release(&labels_files[i].l);
			free(labels_files[i].id);
			free(labels_files[i].origin);
			labels_files[i] = lf;
			return 0;
		}
	labels_files = xrealloc(labels_files, (n_labels_files + 1) * sizeof *labels_files);
	labels_files[n_labels_files++] = lf;
	return 0;
}

/* Parse one schema text into a new decl (or a labels text: parse_labels). */
static int parse_text(const char *text, const char *origin)
{
	struct decl d;
	char *copy = xstrdup(text), *line, *next;
	int lineno = 0;
	size_t comment_len = 0;

	if (is_labels_text(text)) {
		free(copy);
		return parse_labels(text, origin);
	}
	memset(&d, 0, sizeof d);
	d.s.origin = xstrdup(origin);
	d.s.comment = xstrdup("");
	for (line = copy; line; line = next) {
		char *p, *name, *type, *req;
		struct schema_field f;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		p = trim(line);
		if (*p == '\0')
			continue;
		if (*p == '#') {
			size_t n = strlen(p + 1);

			p = trim(p + 1);
			n = strlen(p);
			d.s.comment = xrealloc(d.s.comment, comment_len + n + 2);
			if (comment_len)
				d.s.comment[comment_len++] = '\n';
			memcpy(d.s.comment + comment_len, p, n + 1);
			comment_len += n;
			continue;
		}
		name = word(&p);
		if (strcmp(name, "schema") == 0) {
			char *id = word(&p), *slash;

			if (d.s.id || !id || !(slash = strchr(id, '/')) || slash == id || word(&p))
				return free(copy), fail(origin, lineno, "expected one 'schema NAME/VERSION' line");
			d.s.id = xstrdup(id);
			d.s.name = xstrdup(id);
			d.s.name[slash - id] = '\0';
			d.s.version = atoi(slash + 1);
			if (d.s.version <= 0)
				return free(copy), fail(origin, lineno, "version must be a positive number");
			continue;
		}
		if (!d.s.id)
			return free(copy), fail(origin, lineno, "the first declaration must be 'schema NAME/VERSION'");
		if (strcmp(name, "extends") == 0) {
			char *id = word(&p);

			if (!id || d.extends || d.n_own)
				return free(copy), fail(origin, lineno, "'extends NAME/VERSION' must come once, before the fields");
			d.extends = xstrdup(id);
			continue;
		}
		if (strcmp(name, "adds") == 0) {
			char *id = word(&p);

			if (!id || d.adds || d.n_own)
				return free(copy), fail(origin, lineno, "'adds NAME/VERSION' must come once, before the fields");
			d.adds = xstrdup(id);
			continue;
		}
		type = word(&p);
		req = word(&p);
		if (!type || !req || (strcmp(req, "req") && strcmp(req, "opt")))
			return free(copy), fail(origin, lineno, "expected 'FIELD TYPE req|opt MEANING'");
		memset(&f, 0, sizeof f);
		if (parse_type(type, &f))
			return free(copy), fail(origin, lineno, "unknown type (int, num, date, bool, text, hex32, enum(...), with [LO,HI] for int and num)");
		f.name = xstrdup(name);
		f.required = strcmp(req, "req") == 0;
		f.meaning = xstrdup(trim(p));
		for (size_t i = 0; i < d.n_own; i++)
			if (strcmp(d.own[i].name, f.name) == 0)
				return free(copy), fail(origin, lineno, "field declared twice");
		d.own = xrealloc(d.own, (d.n_own + 1) * sizeof *d.own);
		d.own[d.n_own++] = f;
	}
	free(copy);
	if (!d.s.id)
		return fail(origin, lineno, "no 'schema NAME/VERSION' line");
	/* A later declaration of the same id (REC_SCHEMA_PATH) overrides an earlier one. */
	for (size_t i = 0; i < n_decls; i++)
		if (strcmp(decls[i].s.id, d.s.id) == 0) {
			decl_release(&decls[i]);
			decls[i] = d;
			return 0;
		}
	decls = xrealloc(decls, (n_decls + 1) * sizeof *decls);
	decls[n_decls++] = d;
	return 0;
}

static int load_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!dp)
		return 0;   /* a folder in the path that does not exist adds nothing */
	while ((de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);

		if ((len > 7 && strcmp(de->d_name + len - 7, ".schema") == 0) ||
		    (len > 7 && strcmp(de->d_name + len - 7, ".labels") == 0)) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(dp);
	/* Sorted, so that overrides do not depend on the directory's order. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		char path[2048];
		FILE *fp;
		char *text = NULL;
		size_t cap = 0, len = 0, got;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((fp = fopen(path, "r")) == NULL) {
			snprintf(load_error, sizeof load_error, "%.400s: %.100s", path, strerror(errno));
			rc = -1;
			break;
		}
		do {
			if (len + 4096 + 1 > cap)
				text = xrealloc(text, cap = 2 * cap + 8192);
			got = fread(text + len, 1, 4096, fp);
			len += got;
		} while (got > 0);
		fclose(fp);
		text[len] = '\0';
		rc = parse_text(text, path);
		free(text);
		if (rc)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int resolve(struct decl *d);

static struct decl *find_decl(const char *id)
{
	for (size_t i = 0; i < n_decls; i++)
		if (strcmp(decls[i].s.id, id) == 0)
			return &decls[i];
	return NULL;
}

/* The labels of D's fields (schema_label.h): its own declarations, then the general
 * code labels of the schemas it extends, nearest first. */
static int apply_labels(struct decl *d, size_t n_inherited)
{
	const struct label_list *chain[16];
	size_t n = 0;
	char msg[256];

	static const struct label_list none;

	for (struct decl *a = d->extends ? find_decl(d->extends) : NULL; a && n + 1 < 16;
	     a = a->extends ? find_decl(a->extends) : NULL)
		if (a->labels)
			chain[n++] = a->labels;
	chain[n] = NULL;
	if (label_apply(d->labels ? d->labels : &none, chain, d->s.fields, d->s.n_fields, n_inherited,
			msg, sizeof msg) < 0) {
		snprintf(load_error, sizeof load_error, "%.200s (labels of %.60s):%.200s", d->s.origin, d->s.id, msg);
		return -1;
	}
	return 0;
}

/* The fields D declares beyond the schema it extends (`adds` and its own), resolved. */
static void added_fields(const struct decl *d, const struct schema_field **fields, size_t *n)
{
	size_t base = d->extends ? find_decl(d->extends)->s.n_fields : 0;   /* resolved with d */

	*fields = d->s.fields + base;
	*n = d->s.n_fields - base;
}

/* Resolve D's parent or added schema ID (what: "extends", "adds"). */
static struct decl *resolve_ref(struct decl *d, const char *id, const char *what)
{
	struct decl *r = find_decl(id);

	if (!r) {
		snprintf(load_error, sizeof load_error, "%.300s: %s unknown schema %.100s", d->s.origin, what, id);
		return NULL;
	}
	return resolve(r) ? NULL : r;
}

static int resolve(struct decl *d)
{
	struct decl *parent = NULL, *added = NULL;
	const struct schema_field *extra = NULL;
	size_t n, n_parent = 0, n_extra = 0;

	if (d->resolved == 2)
		return 0;
	if (d->resolved == 1)
		return fail(d->s.origin, 0, "'extends' or 'adds' forms a cycle");
	if (!d->extends && !d->adds) {
		d->s.fields = d->own;
		d->s.n_fields = d->n_own;
		d->resolved = 2;
		return apply_labels(d, 0);
	}
	d->resolved = 1;
	if (d->extends && !(parent = resolve_ref(d, d->extends, "extends")))
		return -1;
	if (d->adds && !(added = resolve_ref(d, d->adds, "adds")))
		return -1;
	if (added)
		added_fields(added, &extra, &n_extra);
	n_parent = parent ? parent->s.n_fields : 0;
	n = n_parent + n_extra + d->n_own;
	d->s.fields = xmalloc((n ? n : 1) * sizeof *d->s.fields);
	if (n_parent)
		memcpy(d->s.fields, parent->s.fields, n_parent * sizeof *d->s.fields);
	if (n_extra)
		memcpy(d->s.fields + n_parent, extra, n_extra * sizeof *d->s.fields);
	if (d->n_own)
		memcpy(d->s.fields + n_parent + n_extra, d->own, d->n_own * sizeof *d->s.fields);
	d->s.n_fields = n;
	for (size_t i = n_parent; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(d->s.fields[i].name, d->s.fields[j].name) == 0) {
				snprintf(load_error, sizeof load_error, "%.200s: field %.100s is already in %.100s",
				         d->s.origin, d->s.fields[i].name, d->extends ? d->extends : d->adds);
				return -1;
			}
	d->resolved = 2;
	return apply_labels(d, n_parent + n_extra);   /* fields it does not declare itself */
}

/* Each labels file to its schema: one for a schema nobody declares is an error. */
static int attach_labels(void)
{
	for (size_t i = 0; i < n_labels_files; i++) {
		struct decl *d = find_decl(labels_files[i].id);

		if (d == NULL) {
			snprintf(load_error, sizeof load_error, "%.300s: labels of unknown schema %.100s",
				 labels_files[i].origin, labels_files[i].id);
			return -1;
		}
		d->labels = &labels_files[i].l;
	}
	return 0;
}

static int load_all(void)
{
	const char *path;

	if (loaded)
		return loaded > 0 ? 0 : -1;
	loaded = -1;
	for (size_t i = 0; schemas_builtin[i]; i++)
		if (parse_text(schemas_builtin[i], "built-in"))
			return -1;
	path = rec_config()->schema_path;
	if (path && *path) {
		char *copy = xstrdup(path), *dir, *save = NULL;

		for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
			if (load_dir(dir)) {
				free(copy);
				return -1;
			}
		free(copy);
	}
	if (attach_labels())
		return -1;
	for (size_t i = 0; i < n_decls; i++)
		if (resolve(&decls[i]))
			return -1;
	/* Keep them in id order for listings. */
	for (size_t i = 1; i < n_decls; i++)
		for (size_t j = i; j > 0 && strcmp(decls[j - 1].s.id, decls[j].s.id) > 0; j--) {
			struct decl t = decls[j];
			decls[j] = decls[j - 1];
			decls[j - 1] = t;
		}
	/* Sorting moved the parents: re-point nothing, fields were copied by value. */
	loaded = 1;
	return 0;
}

const struct schema *schema_find(const char *id, const char **err)
{
	struct decl *d;

	if (load_all()) {
		if (err)
			*err = load_error;
		return NULL;
	}
	d = find_decl(id);
	return d ? &d->s : NULL;
}

size_t schema_count(void)
{
	return load_all() ? 0 : n_decls;
}

const struct schema *schema_at(size_t i)
{
	return load_all() || i >= n_decls ? NULL : &decls[i].s;
}

int schema_field_index(const struct schema *s, const char *name)
{
	for (size_t i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int check_range(const struct schema_field *f, double v, const char *value, char *buf, size_t bufsz)
{
	if ((f->has_lo && v < f->lo) || (f->has_hi && v > f->hi)) {
		char lo[32] = "", hi[32] = "";

		if (f->has_lo)
			snprintf(lo, sizeof lo, "%g", f->lo);
		if (f->has_hi)
			snprintf(hi, sizeof hi, "%g", f->hi);
		snprintf(buf, bufsz, "out of range [%s,%s]: %s", lo, hi, value);
		return -1;
	}
	return 0;
}

int schema_num_value(const struct schema_field *f, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || end == s || s[0] == ' ' || !isfinite(*out) || strpbrk(s, "xXpPnNiI") != NULL)
		return -1;
	return (f->has_lo && *out < f->lo) || (f->has_hi && *out > f->hi) ? -2 : 0;
}

int schema_check_value(const struct schema_field *f, const char *value, char *buf, size_t bufsz)
{
	const char *p;
	double v;

	if (*value == '\0') {
		if (f->required) {
			snprintf(buf, bufsz, "missing required value");
			return -1;
		}
		return 0;
	}
	switch (f->type) {
	case ST_INT:
		p = value + (*value == '-');
		if (*p == '\0' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 18) {
			snprintf(buf, bufsz, "not an integer: %.60s", value);
			return -1;
		}
		return check_range(f, strtod(value, NULL), value, buf, bufsz);
	case ST_NUM:
		if (schema_num_value(f, value, &v) == -1) {
			snprintf(buf, bufsz, "not a number: %.60s", value);
			return -1;
		}
		return check_range(f, v, value, buf, bufsz);
	case ST_DATE:
		if (date_parse_iso(value, strlen(value)) == DATE_NONE) {
			snprintf(buf, bufsz, "not a date (yyyy-mm-dd): %.60s", value);
			return -1;
		}
		return 0;
	case ST_BOOL:
		if (strcmp(value, "0") && strcmp(value, "1")) {
			snprintf(buf, bufsz, "not a boolean (0 or 1): %.60s", value);
			return -1;
		}
		return 0;
	case ST_ENUM:
		for (size_t i = 0; i < f->n_enum; i++)
			if (strcmp(value, f->enum_values[i]) == 0)
				return 0;
		snprintf(buf, bufsz, "not one of the codes of %s: %.60s", f->name, value);
		return -1;
	case ST_TEXT: {
		size_t n = strlen(value), bad = utf8_bad(value, n);

		if (bad < n) {
			snprintf(buf, bufsz, "not utf-8: byte 0x%02x at position %zu", (unsigned char)value[bad], bad + 1);
			return -1;
		}
		if (f->hex_digits && !schema_hex_value(value, n, f->hex_digits)) {
			snprintf(buf, bufsz, "not %d lowercase hex digits: %.60s", f->hex_digits, value);
			return -1;
		}
		return 0;
	}
	}
	return 0;
}

static void type_text(const struct schema_field *f, char *buf, size_t bufsz)
{
	static const char *const names[] = { "int", "num", "date", "bool", "text", "enum" };
	size_t n;

	if (f->type == ST_ENUM) {
		n = (size_t)snprintf(buf, bufsz, "enum(");
		for (size_t i = 0; i < f->n_enum && n < bufsz; i++)
			n += (size_t)snprintf(buf + n, bufsz - n, "%s%s", i ? "," : "", f->enum_values[i]);
		if (n < bufsz)
			snprintf(buf + n, bufsz - n, ")");
		return;
	}
	n = (size_t)snprintf(buf, bufsz, "%s", f->hex_digits ? "hex32" : names[f->type]);
	if ((f->has_lo || f->has_hi) && n < bufsz) {
		char lo[32] = "", hi[32] = "";

		if (f->has_lo)
			snprintf(lo, sizeof lo, "%g", f->lo);
		if (f->has_hi)
			snprintf(hi, sizeof hi, "%g", f->hi);
		snprintf(buf + n, bufsz - n, "[%s,%s]", lo, hi);
	}
}

void schema_describe(const struct schema *s, FILE *fp, const char *indent)
{
	size_t width = 0;

	for (size_t i = 0; i < s->n_fields; i++)
		if (strlen(s->fields[i].name) > width)
			width = strlen(s->fields[i].name);
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct schema_field *f = &s->fields[i];
		char type[256];

		type_text(f, type, sizeof type);
		fprintf(fp, "%s%-*s  %-3s  %s: %s\n", indent, (int)width, f->name,
		        f->required ? "req" : "opt", type, f->meaning);
	}
}
