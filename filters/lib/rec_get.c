/* rec_get.c - typed getters: a field of the current record, checked against its schema
 * (see rec.h, "Typed getters").
 *
 * Each getter accepts exactly what schema_check_value accepts for the field's type, range,
 * code list and required flag, so a schema edit (or a REC_SCHEMA_PATH override) changes
 * what every stage accepts. The common forms are parsed here without a call per character
 * (hot: derive-status reads about 60 fields of every person); anything the fast path does
 * not take goes to schema_check_value, whose words make the message.
 */
#include "rec.h"
#include "rec_impl.h"
#include "datecalc.h"
#include "diag.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_name[] = { "int", "num", "date", "bool", "text", "enum" };

/* Record the first refusal of this record: "NAME:LINE: FIELD: problem". */
static void refuse(struct rec_reader *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void refuse(struct rec_reader *r, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (r->bad)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rec_reader_set_error(r, r->record_line, field, "%s", msg);
	r->bad = 1;
}

/* Field I's schema entry and text, or NULL (and a BUG: a program bug) when I is not a
 * field of the section. */
static const struct schema_field *field_at(const struct rec_reader *r, int i)
{
	if (r->schema == NULL || i < 0 || (size_t)i >= r->schema->n_fields || (size_t)i >= r->nf)
		BUG("rec_get: field %d of %s", i, r->schema ? r->schema->id : "(no section)");
	rec_need(r, (size_t)i);
	return &r->schema->fields[i];
}

/* The value is not of the field's type or range: the schema's words, or (when the schema
 * accepts it) a program that reads the field as another type than the schema declares. */
static void refuse_value(struct rec_reader *r, const struct schema_field *f, const char *v,
			 enum schema_type want)
{
	char msg[256];

	if (f->type != want)
		refuse(r, f->name, "%s in %s (%s), read here as %s", type_name[f->type],
		       r->schema->id, r->schema->origin, type_name[want]);
	else if (schema_check_value(f, v, msg, sizeof msg) != 0)
		refuse(r, f->name, "%s", msg);
	else
		refuse(r, f->name, "not a valid %s: %.60s", type_name[want], v);
}

/* Field I's schema entry in *f and its text, or NULL when it is empty: missing, or
 * refused when the schema requires a value. */
static const char *value(struct rec_reader *r, int i, const struct schema_field **f)
{
	const char *v;

	*f = field_at(r, i);
	v = r->arena + r->off[i];
	if (v[0] != '\0')
		return v;
	if ((*f)->required)
		refuse(r, (*f)->name, "missing required value");
	return NULL;
}

static inline __attribute__((always_inline)) int value_of(const struct schema_field *f,
	const char *v, size_t len, long *out);

/* Field I as the schema type WANT (int, date, enum code, bool), or NONE: every case,
 * refusals included. The getters below take the common cases first, inline, and come here
 * for the rest. */
static long __attribute__((noinline)) typed(struct rec_reader *r, int i, enum schema_type want, long none)
{
	const struct schema_field *f;
	const char *v = value(r, i, &f);
	long x;

	if (v == NULL)
		return none;
	if (f->type == want && value_of(f, v, r->len[i], &x) == 0)
		return x;
	refuse_value(r, f, v, want);
	return none;
}

/* The getters' hot part (derive-status makes some 40 calls a person): a value of field I,
 * of type WANT, that is there (1), or missing where the schema allows it (0); anything
 * else (-1) goes to typed(), which sorts it out. One byte (r->kind) tells type and
 * required flag. */
static inline int fast(const struct rec_reader *r, int i, enum schema_type want)
{
	/* n_split: nf, unless the record is split lazily (rec_reader_split_lazily); a field
	 * not split yet goes the slow way, whose field_at splits it - also one a sparse split
	 * left out (REC_KIND_SKIP, rec_reader_split_sparsely) */
	if ((size_t)i >= r->n_split || (r->kind[i] & (REC_KIND_TYPE | REC_KIND_SKIP)) != want)
		return -1;
	if (r->len[i] > 0)
		return 1;
	return r->kind[i] & REC_KIND_REQ ? -1 : 0;
}

int rec_get_bool(struct rec_reader *r, int i)
{
	int k = fast(r, i, ST_BOOL);
	const char *v;

	if (k == 0)
		return -1;
	if (k > 0 && r->len[i] == 1 && ((v = r->arena + r->off[i])[0] == '0' || v[0] == '1'))
		return v[0] - '0';
	return (int)typed(r, i, ST_BOOL, -1);
}

long rec_get_int(struct rec_reader *r, int i)
{
	int k = fast(r, i, ST_INT);
	long x;

	if (k == 0)
		return REC_INT_NONE;
	if (k > 0 && schema_int_value(&r->schema->fields[i], r->arena + r->off[i], r->len[i], &x) == 0)
		return x;
	return typed(r, i, ST_INT, REC_INT_NONE);
}

int rec_get_date(struct rec_reader *r, int i)
{
	int k = fast(r, i, ST_DATE), day;

	if (k == 0)
		return DATE_NONE;
	if (k > 0 && (day = date_parse_iso(r->arena + r->off[i], r->len[i])) != DATE_NONE)
		return day;
	return (int)typed(r, i, ST_DATE, DATE_NONE);
}

/* Codes are short words: a loop beats a call to memcmp. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

int rec_get_code(struct rec_reader *r, int i)
{
	int k = fast(r, i, ST_ENUM);

	if (k == 0)
		return -1;
	if (k > 0) {
		const struct schema_field *f = &r->schema->fields[i];
		const char *v = r->arena + r->off[i];

		for (size_t c = 0; c < f->n_enum; c++)
			if (r->len[i] == f->enum_len[c] && same_bytes(v, f->enum_values[c], r->len[i]))
				return (int)c;
	}
	return (int)typed(r, i, ST_ENUM, -1);
}

double rec_get_num(struct rec_reader *r, int i)
{
	const struct schema_field *f;
	const char *v;
	char msg[256];
	double x;
	long n;

	/* n_split and REC_KIND_SKIP: see fast() */
	f = (size_t)i < r->n_split && !(r->kind[i] & REC_KIND_SKIP) ? &r->schema->fields[i] : NULL;
	if (f == NULL && (size_t)i < r->nf) {
		rec_need(r, (size_t)i);
		f = &r->schema->fields[i];
	}
	/* the common cases in one parse: a num, an int or a bool the schema takes */
	if (f && r->len[i] > 0) {
		v = r->arena + r->off[i];
		if (f->type == ST_NUM && schema_num_value(f, v, &x) == 0)
			return x;
		if (f->type == ST_INT && schema_int_value(f, v, r->len[i], &n) == 0)
			return (double)n;
		if (f->type == ST_BOOL && r->len[i] == 1 && (v[0] == '0' || v[0] == '1'))
			return v[0] - '0';
	}
	if (f && r->len[i] == 0 && !f->required)
		return NAN;                 /* missing where the schema allows it: common */
	if ((v = value(r, i, &f)) == NULL)
		return NAN;
	/* an int or a bool is a number too (a model's term may be either) */
	if (f->type != ST_NUM && f->type != ST_INT && f->type != ST_BOOL) {
		refuse_value(r, f, v, ST_NUM);
		return NAN;
	}
	if (schema_check_value(f, v, msg, sizeof msg) != 0) {
		refuse(r, f->name, "%s", msg);
		return NAN;
	}
	return strtod(v, NULL);
}

const char *rec_get_text(struct rec_reader *r, int i)
{
	const struct schema_field *f;
	const char *v;
	char msg[256];

	/* text the reader has checked already (UTF-8, no NUL): nothing more to parse, but a
	 * hex32 key's digits */
	if (fast(r, i, ST_TEXT) > 0) {
		v = r->arena + r->off[i];
		if (!(r->kind[i] & REC_KIND_HEX) || schema_hex_value(v, r->len[i], r->schema->fields[i].hex_digits))
			return v;
	}
	if ((v = value(r, i, &f)) == NULL)
		return "";
	if (schema_check_value(f, v, msg, sizeof msg) != 0)
		refuse(r, f->name, "%s", msg);
	return v;
}

int rec_reader_fail(struct rec_reader *r, int i, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	refuse(r, i >= 0 && r->schema && (size_t)i < r->schema->n_fields ? r->schema->fields[i].name : NULL,
	       "%s", msg);
	return REC_ERROR;
}

int rec_reader_bad(const struct rec_reader *r)
{
	return r->bad;
}

int rec_reader_require(struct rec_reader *r, const char *field)
{
	int i = rec_reader_index(r, field);

	if (i < 0)
		rec_reader_fail(r, -1, "%s has no field %s (%s)", r->schema ? r->schema->id : "(no section)",
				field, r->schema ? r->schema->origin : "");
	return i;
}

/* ---- every field at once: rec_reader_values ---------------------------------------- */

/* Why: a stage that keeps whole records (link-waves: 12 M fields for 1 M applications)
 * would otherwise check every value (rec_reader_check) and then parse it again; here one
 * pass does both. */

void rec_get_release(struct rec_reader *r)
{
	free(r->vals);
}

/* Field F's value V (LEN bytes; see rec_reader_values), or -1 when the schema refuses it. */
static inline __attribute__((always_inline)) int value_of(const struct schema_field *f,
	const char *v, size_t len, long *out)
{
	char msg[256];

	if (len == 0) {
		*out = f->type == ST_INT ? REC_INT_NONE : f->type == ST_DATE ? DATE_NONE : -1;
		return f->required ? -1 : 0;
	}
	switch (f->type) {
	case ST_INT:
		return schema_int_value(f, v, len, out);
	case ST_DATE:
		return (*out = date_parse_iso(v, len)) == DATE_NONE ? -1 : 0;
	case ST_ENUM:
		for (size_t j = 0; j < f->n_enum; j++)
			if (len == f->enum_len[j] && same_bytes(v, f->enum_values[j], len)) {
				*out = (long)j;
				return 0;
			}
		return -1;
	case ST_BOOL:
		*out = v[0] - '0';
		return len == 1 && (v[0] == '0' || v[0] == '1') ? 0 : -1;
	case ST_TEXT:
		*out = 0;
		return f->hex_digits && !schema_hex_value(v, len, f->hex_digits) ? -1 : 0;
	case ST_NUM:
		*out = 0;
		return schema_check_value(f, v, msg, sizeof msg);
	}
	return -1;
}

const long *rec_reader_values(struct rec_reader *r)
{
	const struct schema_field *fields;

	if (r->schema == NULL)
		BUG("rec_reader_values before a section");
	if (r->schema->n_fields + 1 > r->vals_cap) {
		r->vals_cap = r->schema->n_fields + 1;
		r->vals = xrealloc(r->vals, r->vals_cap * sizeof *r->vals);
	}
	fields = r->schema->fields;
	rec_need_all(r);
	for (size_t i = 0; i < r->nf; i++)
		if (value_of(&fields[i], r->arena + r->off[i], r->len[i], &r->vals[i]) < 0) {
			char msg[256];

			if (schema_check_value(&fields[i], r->arena + r->off[i], msg, sizeof msg) == 0)
				BUG("%s: a value the schema accepts was refused", fields[i].name);
			refuse(r, fields[i].name, "%s", msg);
			return NULL;
		}
	return r->vals;
}

/* ---- any field checked: rec_get_field, rec_reader_check ------------------------------ */

/* Why a pass of its own: the driver checks every record a stage reads, also the fields it
 * only passes on (a swapped-in stage that writes a bad code must not get it past the next
 * C stage), so this runs on every record of every stage. Most fields of a person row are
 * empty; the others are short words, dates and numbers, taken here in one byte-driven
 * switch (r->kind) without a call for the common cases. Only a refused value goes to
 * schema_check_value, whose words make the message. */
static inline int valid(const struct rec_reader *r, size_t i)
{
	const struct schema_field *f;
	size_t len = r->len[i];
	unsigned k = r->kind[i];
	const char *v;
	double x;
	long n;

	if (len == 0)
		return !(k & REC_KIND_REQ);
	v = r->arena + r->off[i];
	switch (k & REC_KIND_TYPE) {
	case ST_BOOL:
		return len == 1 && (v[0] == '0' || v[0] == '1');
	case ST_DATE:
		return date_parse_iso(v, len) != DATE_NONE;
	case ST_ENUM:
		f = &r->schema->fields[i];
		for (size_t c = 0; c < f->n_enum; c++)
			if (len == f->enum_len[c] && same_bytes(v, f->enum_values[c], len))
				return 1;
		return 0;
	case ST_INT:
		return schema_int_value(&r->schema->fields[i], v, len, &n) == 0;
	case ST_NUM:
		return schema_num_value(&r->schema->fields[i], v, &x) == 0;
	case ST_TEXT:   /* UTF-8 without a NUL: the reader checked the bytes */
		return !(k & REC_KIND_HEX) || schema_hex_value(v, len, r->schema->fields[i].hex_digits);
	}
	return 0;
}

const char *rec_get_field(struct rec_reader *r, int i, size_t *len)
{
	const struct schema_field *f;
	char msg[256];

	rec_need(r, (size_t)i);   /* split lazily, not this far yet (a negative I: no-op) */
	if ((size_t)i < r->nf && r->kind && valid(r, i)) {
		*len = r->len[i];
		return r->arena + r->off[i];
	}
	f = field_at(r, i);
	if (schema_check_value(f, r->arena + r->off[i], msg, sizeof msg) == 0)
		BUG("%s: a value the schema accepts was refused", f->name);
	refuse(r, f->name, "%s", msg);
	*len = 0;
	return "";
}

int rec_reader_check(struct rec_reader *r)
{
	char msg[256];

	if (!r->schema || r->want_header)
		return -1;
	rec_need_all(r);
	for (size_t i = 0; i < r->nf; i++) {
		if (valid(r, i))
			continue;
		if (schema_check_value(&r->schema->fields[i], r->arena + r->off[i], msg, sizeof msg) == 0)
			BUG("%s: a value the schema accepts was refused", r->schema->fields[i].name);
		/* a bad value is the caller's to judge; the stream itself is fine */
		rec_reader_set_error(r, r->record_line, r->schema->fields[i].name, "%s", msg);
		return (int)i;
	}
	return -1;
}
