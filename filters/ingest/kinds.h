/* kinds.h - the seven raw file kinds (R1-R7 of DOMAIN.md) and how each column converts.
 *
 * Why a table: every raw column is one of a few conversions (a date, a code to a word, a
 * number with SPSS missing codes, ...), so a kind is a list of columns, each naming its
 * raw column, its output field and its conversion. The output schema (schemas/) stays
 * the source of truth for what is required and for the ranges: ingest reads `req`/`opt`
 * and int/num bounds from the schema at run time, and checks at start-up that this table
 * and the schema agree field by field (kinds_check), so neither can drift silently.
 *
 * Columns are listed in output order, which is the raw order with source_line inserted
 * after the key columns. A raw header may list its columns in any order: they are
 * matched by name.
 */
#ifndef INGEST_KINDS_H
#define INGEST_KINDS_H

#include <stddef.h>
#include "rawio.h"
#include "schema.h"

enum conv {
	CV_LINE,      /* source_line: the physical line number (header = 1); no raw column */
	CV_BSN,       /* bsn: 11-check, then the keyed pseudonym (person_key) */
	CV_KEY,       /* respnr: text, unique within its kind (duplicate_key) */
	CV_TEXT,      /* text, copied as it is */
	CV_DIGITS,    /* exactly `width` digits, copied (vestiging) */
	CV_DATE,      /* dd-mm-yyyy, real calendar -> yyyy-mm-dd */
	CV_CODE,      /* a code -> a word from `codes`; `missing` codes -> missing */
	CV_INT,       /* a whole number; `missing_num` codes -> missing; range from the schema */
	CV_DECIMAL    /* decimal comma -> point; range from the schema; `positive`: > 0 */
};

struct code_map {
	const char *raw;    /* the code as delivered ("" = an empty field) */
	const char *word;   /* the value written ("male", "1") */
	size_t raw_len, word_len;
};

struct column {
	const char *field;              /* output field, as in the schema */
	const char *raw;                /* raw column name; NULL for CV_LINE */
	enum conv conv;
	const struct code_map *codes;   /* CV_CODE: ends with raw == NULL */
	const char *const *missing;     /* CV_CODE: SPSS missing codes; NULL-terminated or NULL */
	const long *missing_num;        /* CV_INT: SPSS missing codes; ends with -1, or NULL */
	int width;                      /* CV_DIGITS */
	int positive;                   /* CV_DECIMAL: 0 is out of range too */
};

/* A routing rule: SKIPPED is asked only when not every FILTER column holds WHEN; an answer
 * kept in SKIPPED (a value, not a missing code) while they all do is a `routing` reject.
 * Only rules that are certain: a missing filter answer never triggers one. */
struct routing_rule {
	const char *skipped;
	const char *filter[6];   /* NULL-terminated */
	const char *when;
	const char *why;         /* the detail written to the reject stream */
};

struct kind {
	const char *name;                 /* as in reject/1: cwi_aanvragen ... golf3 */
	const char *alias;                /* R1 ... R7 */
	const char *schema;               /* the output section, "application/1" */
	enum raw_encoding enc;            /* without a BOM (with one: UTF-8) */
	const char *marker;               /* recognised by a header holding this column ... */
	const char *absent;               /* ... and not this one (NULL: no condition) */
	const struct column *cols;
	size_t ncols;                     /* output fields; raw columns = ncols - 1 */
	const struct routing_rule *rules;
	size_t nrules;
};

extern const struct kind kinds[];
extern const size_t n_kinds;

/* The kind named NAME ("golf2" or "R6"), or NULL. */
const struct kind *kind_by_name(const char *name);

/* The kind whose marker column is among the NAMES of a header, or NULL. */
const struct kind *kind_recognise(char *const *names, size_t n);

/* Check that K's columns are the fields of its schema, in order, that every code word is
 * in the schema's enum (or 0/1 for a bool), and that conversions fit the field types.
 * Returns 0, or -1 with a message in err. */
int kinds_check(const struct kind *k, char *err, size_t errsz);

#endif
