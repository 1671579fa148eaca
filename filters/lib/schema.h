/* schema.h - section schemas: the field lists of schemas/ and the value checks.
 *
 * Why compiled in: the build turns every schemas/NAME.schema file into a C table
 * (schemas_gen.c), so a program copied to another host (a sharded run over ssh) or run
 * from any folder carries the exact schemas it was built and tested with; schemas/ stays
 * the single source of truth because the table is regenerated from it on every build.
 * REC_SCHEMA_PATH (a ':'-separated list of folders of *.schema files) adds or overrides
 * schemas at run time, so a stage somebody writes in awk or Python can declare its own.
 *
 * Schemas live for the whole run: pointers returned here are never freed by callers.
 */
#ifndef KETEN_SCHEMA_H
#define KETEN_SCHEMA_H

#include <stddef.h>
#include <stdio.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum schema_type { ST_INT, ST_NUM, ST_DATE, ST_BOOL, ST_TEXT, ST_ENUM };

/* The languages of the labels (label.nl, label.en, ... in a schema file). */
enum schema_lang { SCHEMA_NL, SCHEMA_EN, SCHEMA_N_LANG };

/* A value a field can hold, with its label in each language (NULL when the schema gives
 * none): every code of an enum in the declared order, 0 and 1 of a bool, and the values
 * of an int the schema labels (`code.nl w1_health=1 zeer goed`). */
struct schema_value {
	char *code;
	const char *label[SCHEMA_N_LANG];
};

struct schema_field {
	char *name;
	enum schema_type type;
	int required;               /* 'req': may not be empty */
	int has_lo, has_hi;         /* range bounds of int/num */
	double lo, hi;
	char **enum_values;         /* ST_ENUM: the allowed words */
	size_t *enum_len;           /* ST_ENUM: the length of each (the getters compare lengths first) */
	size_t n_enum;
	int hex_digits;             /* ST_TEXT written `hex32`: exactly this many lowercase hex
				     * digits (a keyed pseudonym); 0 = any text */
	char *meaning;              /* the one line of meaning */
	/* What people read (schema_label.h has the declarations): the strings live for the
	 * run and are shared between a schema and those that extend it; NULL when absent. */
	const char *label[SCHEMA_N_LANG];    /* variable label: label.nl FIELD TEXT */
	const char *missing[SCHEMA_N_LANG];  /* what an empty value means: missing.nl FIELD TEXT */
	struct schema_value *values;         /* value labels (see struct schema_value) */
	size_t n_values;
	const char *stage;                   /* the program that writes it (`stage PROG` of the
					      * schema that declares the field) */
};

struct schema {
	char *name;                 /* "person" */
	int version;                /* 1 */
	char *id;                   /* "person/1" */
	char *comment;              /* the file's '#' lines, joined by newlines */
	char *origin;               /* where it was loaded from (a path, or "built-in") */
	struct schema_field *fields;
	size_t n_fields;
};

/* Find a schema by its id "NAME/VERSION". Loads the built-in table and REC_SCHEMA_PATH on
 * first use. Returns NULL if unknown; if a schema file is malformed, returns NULL and
 * *err (when err is not NULL) points to a static message naming the file and line. */
const struct schema *schema_find(const char *id, const char **err);

/* All known schemas, in id order (for rec-check --list and --help texts). */
size_t schema_count(void);
const struct schema *schema_at(size_t i);

/* Index of field NAME in S, or -1. */
int schema_field_index(const struct schema *s, const char *name);

/* Check VALUE (NUL-terminated; "" = missing) against F. Returns 0 when valid; otherwise -1
 * and a message in buf ("not a date: 2006-02-29", "missing required value", ...). Text
 * must be UTF-8 (utf8.h); a `hex32` field exactly 32 lowercase hex digits. */
int schema_check_value(const struct schema_field *f, const char *value, char *buf, size_t bufsz);

/* An integer exactly as schema_check_value accepts it for the int field F ('-'?, 1..18
 * digits, inside F's range - compared as a double, as it does): 0 and its value in *out,
 * -1 otherwise (the check gives the message). Inline: hot in every stage that reads ints. */
static inline int schema_int_value(const struct schema_field *f, const char *s, size_t len, long *out)
{
	size_t i = s[0] == '-';
	long v = 0;

	if (f->type != ST_INT || len == i || len - i > 18)
		return -1;
	for (; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + (long)d;
	}
	if (s[0] == '-')
		v = -v;
	if ((f->has_lo && (double)v < f->lo) || (f->has_hi && (double)v > f->hi))
		return -1;
	*out = v;
	return 0;
}

/* LEN bytes at S are exactly N lowercase hex digits (a `hex32` field: N = 32). Hot in
 * link-waves (every key of every row), so 16 digits at a time where the build has SSE2: a
 * byte is a digit when byte - '0' <= 9 or byte - 'a' <= 5, both unsigned. */
static inline int schema_hex_value(const char *s, size_t len, int n)
{
	size_t i = 0;

	if (len != (size_t)n)
		return 0;
#ifdef __SSE2__
	__m128i ok = _mm_set1_epi8(-1);

	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0')), x = _mm_sub_epi8(v, _mm_set1_epi8('a'));

		ok = _mm_and_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d),
						    _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(5)), x)));
	}
	if (_mm_movemask_epi8(ok) != 0xffff)
		return 0;
#endif
	for (; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* A number as schema_check_value reads one for a num field (strtod over the whole text, no
 * blank in front, finite, no hex, no nan/inf words): 0 and the value in *out; -2 (and the
 * value) when it is outside F's range; -1 when it is not a number. */
int schema_num_value(const struct schema_field *f, const char *s, double *out);

/* "nl" -> SCHEMA_NL, "en" -> SCHEMA_EN; -1 for anything else. */
int schema_lang(const char *word);

/* The label of value CODE of F in LANG, or NULL (no such value, or no label). */
const char *schema_value_label(const struct schema_field *f, const char *code, int lang);

/* Write a readable list of S's fields (name, type, req/opt, meaning) to FP, each line
 * prefixed by INDENT: what --help shows for the sections a program reads and writes. */
void schema_describe(const struct schema *s, FILE *fp, const char *indent);

#endif
