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

/* Empty: missing, or refused when the schema requires a value. */
static void empty(struct rec_reader *r, const struct schema_field *f)
{
	if (f->required)
		refuse(r, f->name, "missing required value");
}

int rec_get_bool(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];

	if (v[0] == '\0') {
		empty(r, f);
		return -1;
	}
	if ((v[0] == '0' || v[0] == '1') && v[1] == '\0' && f->type == ST_BOOL)
		return v[0] - '0';
	refuse_value(r, f, v, ST_BOOL);
	return -1;
}

long rec_get_int(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];
	size_t len = r->len[i], k = v[0] == '-';
	long x = 0;

	if (len == 0) {
		empty(r, f);
		return REC_INT_NONE;
	}
	/* schema_check_value's integer: '-'?, 1..18 digits, inside the range (compared as a
	 * double, as it does: exact below 2^53, rounded the same way above) */
	if (f->type != ST_INT || len == k || len - k > 18)
		goto bad;
	for (; k < len; k++) {
		unsigned d = (unsigned)(unsigned char)v[k] - '0';

		if (d > 9)
			goto bad;
		x = x * 10 + (long)d;
	}
	if (v[0] == '-')
		x = -x;
	if ((f->has_lo && (double)x < f->lo) || (f->has_hi && (double)x > f->hi))
		goto bad;
	return x;
bad:
	refuse_value(r, f, v, ST_INT);
	return REC_INT_NONE;
}

double rec_get_num(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];
	char msg[256];
	double x;

	if (v[0] == '\0') {
		empty(r, f);
		return NAN;
	}
	if (f->type != ST_NUM || schema_check_value(f, v, msg, sizeof msg) != 0) {
		refuse_value(r, f, v, ST_NUM);
		return NAN;
	}
	x = strtod(v, NULL);
	return x;
}

int rec_get_date(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];
	int day;

	if (v[0] == '\0') {
		empty(r, f);
		return DATE_NONE;
	}
	if (f->type == ST_DATE && (day = date_parse_iso(v, r->len[i])) != DATE_NONE)
		return day;
	refuse_value(r, f, v, ST_DATE);
	return DATE_NONE;
}

int rec_get_code(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];

	if (v[0] == '\0') {
		empty(r, f);
		return -1;
	}
	if (f->type == ST_ENUM)
		for (size_t k = 0; k < f->n_enum; k++)
			if (strcmp(v, f->enum_values[k]) == 0)
				return (int)k;
	refuse_value(r, f, v, ST_ENUM);
	return -1;
}

const char *rec_get_text(struct rec_reader *r, int i)
{
	const struct schema_field *f = field_at(r, i);
	const char *v = r->arena + r->off[i];
	char msg[256];

	if (v[0] == '\0')
		empty(r, f);
	else if (schema_check_value(f, v, msg, sizeof msg) != 0)
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
