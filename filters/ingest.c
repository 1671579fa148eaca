/* ingest - read the raw extracts R1-R7 as delivered and write one checked section per file.
 *
 * The first stage of the chain (DESIGN.md). It is the only program that sees raw values
 * and BSNs: it decodes each file (Windows-1252 or UTF-8, with or without a BOM, ';',
 * CRLF or LF), converts every value to the stream's conventions (ISO dates, decimal
 * points, words for codes, SPSS missing codes to missing), checks each row against its
 * output schema, replaces the BSN by its keyed pseudonym, and sends every row it refuses
 * to the reject stream with the reason. Rows in = rows out + rows rejected, per file.
 *
 * Shape: main parses options, opens every input and reads its header (so a file of an
 * unknown kind fails before any output), then streams each file one physical line at a
 * time. Memory: one line buffer per file and, for the sample and the waves, one
 * respondent number per kept row (the duplicate-key check).
 *
 * Checks, in this order, one reason per row (the first fault found): the line's bytes
 * (bad_encoding), its CSV quoting (stray_quote), its field count (wrong_field_count), then
 * each field from left to right (missing_required, bad_bsn, bad_date, bad_number,
 * unknown_code, out_of_range), then the questionnaire routing (routing), then the
 * respondent number against the rows already kept (duplicate_key).
 */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "datecalc.h"
#include "diag.h"
#include "filter.h"
#include "load8.h"
#include "plaincsv.h"
#include "rec.h"
#include "schema.h"

#include "bsnmask.h"
#include "keyset.h"
#include "kinds.h"
#include "pseudonym.h"
#include "rawio.h"

#define MAX_FIELDS 64           /* more than any raw file has; more are counted, not kept */
#define DEFAULT_MAX_REJECT_RATE 0.05
#define DETAIL_MAX 200

enum reason {
	R_WRONG_FIELD_COUNT, R_BAD_ENCODING, R_STRAY_QUOTE, R_BAD_DATE, R_BAD_NUMBER, R_BAD_BSN,
	R_UNKNOWN_CODE, R_OUT_OF_RANGE, R_MISSING_REQUIRED, R_ROUTING, R_DUPLICATE_KEY, N_REASONS
};

/* As in reject/1's enum. */
static const char *const reason_names[N_REASONS] = {
	"wrong_field_count", "bad_encoding", "stray_quote", "bad_date", "bad_number", "bad_bsn",
	"unknown_code", "out_of_range", "missing_required", "routing", "duplicate_key"
};

struct options {
	const char *key_file;      /* --key-file: the HMAC key (required) */
	const char *rejects;       /* --rejects: the reject stream; NULL = counted only */
	const char *kind;          /* --kind: every file is of this kind (else: by header) */
	const char *file_counts;   /* --file-counts: rows per file as CSV; NULL = none */
	double max_reject_rate;    /* --max-reject-rate: exit 1 above it, per file */
	int keep_bsn;              /* --keep-bsn: leave BSN digits in the reject stream */
	unsigned utf8_kinds;       /* --utf8: bit i = kinds[i] is read as UTF-8 */
	int identify;              /* --identify: say what each file is, read no rows */
	int key_fingerprint;       /* --key-fingerprint: print the key's fingerprint */
};

/* The message for a file whose last line has no line end (ingest and --identify). */
#define TRUNCATED_DELIVERY "truncated delivery: the last line has no line end (the file was cut short)"


/* Codes are 1 to CODE_MAX bytes; per CV_CODE column, the code a value of length n that
 * starts with byte b can only be: at[n - 1][b] = 1 + its index in the column's codes
 * (0 = none). Hot: 5 codes a row in R1, 2 in R3 - one look-up and one compare instead of
 * a walk through the list, whose branches the random codes mispredict. */
#define CODE_MAX 3
struct code_index {
	unsigned char at[CODE_MAX][256];
};

/* One input file: its kind, how its raw columns map to the kind's columns, and its counts. */
struct input {
	const char *name;                  /* as on the command line ("-" shows as stdin) */
	struct line_reader *lr;
	const struct kind *kind;
	enum raw_encoding enc;             /* the kind's, or UTF-8 after a BOM */
	size_t nraw;                       /* raw columns */
	int col_of_raw[MAX_FIELDS];        /* raw column j -> index into kind->cols */
	int raw_of_col[MAX_FIELDS];        /* kind->cols[i] -> raw column (-1: source_line) */
	const struct schema_field *field[MAX_FIELDS];   /* kind->cols[i]'s schema field */
	struct code_index *code_ix;        /* per kind->cols[i]; used for CV_CODE columns */
	int bsn_raw;                       /* raw column of the BSN, -1 if none */
	int key_raw;                       /* raw column of respnr, -1 if none */
	size_t line_col;                   /* kind->cols index of source_line */
	int rule_skipped[8], rule_filter[8][6], nrule_filters[8];
	long nread, nwritten, nrejected, per_reason[N_REASONS];
	/* The first refused row, for the one-line reason when the file fails the reject rate. */
	long first_reject_line;
	char first_reject_field[64], first_reject_detail[DETAIL_MAX];
	/* Encoding: a Windows-1252 file whose accented lines are UTF-8 is refused (--utf8). */
	int bom;                           /* the file starts with a UTF-8 BOM */
	struct enc_tally tally;            /* its non-ASCII lines, when read as Windows-1252 */
	const char *utf8_field;            /* raw column of the first UTF-8 text, for the message */
	char utf8_sample[48];              /* that field's value (at most 40 bytes, digits masked) */
	/* The latest extract date (peildatum) of the rows written, for --file-counts. */
	int extract_col;                   /* kind->cols index of extract_date, -1 if none */
	char extract_date[11];             /* yyyy-mm-dd, "" when none */
};

/* Why a file cannot be read (its header or its first bytes), found before any output. */
struct problem {
	long line;             /* 0 when it is about the whole file */
	char field[64];        /* "" when none */
	char msg[512];         /* utf8_refusal's message whole */
};

/* A converted value waiting to be written (a row is written only when all of it is good). */
struct slot {
	const char *s;     /* NULL = missing */
	size_t len;
};

/* What went wrong with a row. */
struct fault {
	enum reason reason;
	const char *field;     /* raw column name, NULL for the whole row */
	char detail[DETAIL_MAX];
};

/* The line being worked on: parser, split fields, converted values. Reused for every row. */
struct work {
	struct csv_parser csv;
	char *arena;               /* split fields, NUL-terminated, back to back */
	size_t arena_len, arena_cap;
	size_t off[MAX_FIELDS], len[MAX_FIELDS];
	size_t nfields;            /* may exceed MAX_FIELDS: then only counted */
	char *dec;                 /* decoded line (when not plain ASCII) */
	size_t dec_cap;
	char *mask;                /* the row as written to the reject stream */
	size_t mask_cap;
	struct slot slot[MAX_FIELDS];
	char datebuf[MAX_FIELDS][11];
	char keybuf[PSEUDONYM_LEN + 1];
	struct pseudonym_key key;
	struct keyset *seen[8];    /* per kind (index into kinds[]): respnrs kept */
};

static const struct options *opt;

/* ------------------------------------------------------------------ CSV of one line */

static int no_char(unsigned char c)
{
	(void)c;
	return 0;
}

static void csv_start(struct csv_parser *p)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		die(EXIT_DATA, NULL, 0, NULL, "cannot start the csv parser");
	csv_set_delim(p, ';');
	csv_set_space_func(p, no_char);   /* keep spaces: a value is checked as delivered */
	csv_set_term_func(p, no_char);    /* the line is the row: no terminators inside */
}

static void on_field(void *s, size_t n, void *data)
{
	struct work *w = data;

	if (w->nfields < MAX_FIELDS) {
		if (n > 0)   /* libcsv passes NULL for an empty field before its buffer exists */
			memcpy(w->arena + w->arena_len, s, n);
		w->off[w->nfields] = w->arena_len;
		w->len[w->nfields] = n;
		w->arena_len += n;
		w->arena[w->arena_len++] = '\0';
	}
	w->nfields++;
}

static void on_row(int c, void *data)
{
	(void)c;
	(void)data;
}

/* 0x80 in each byte of X that equals the byte repeated in C8, 0 elsewhere (exact: no
 * false positives from a borrow, unlike the shorter has-zero-byte test). */
static inline uint64_t bytes_equal(uint64_t x, uint64_t c8)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
	uint64_t y = x ^ c8;

	return ~(((y & low7) + low7) | y | low7);
}

/* Split one decoded line at ';' (RFC 4180 quoting). Returns 0, or -1 on a stray quote with
 * *at = the field where parsing failed (0-based). */
static int split_line(struct work *w, const char *s, size_t n, size_t *at)
{
	const uint64_t semis = 0x3B3B3B3B3B3B3B3Bull, quotes = 0x2222222222222222ull;
	char *a;
	size_t got, start = 0;

	/* 2n + 1: libcsv's fields and their NULs; + 8: the zeros after a copied line. */
	if (w->arena_cap < 2 * n + 9) {
		w->arena_cap = 2 * n + 9;
		w->arena = xrealloc(w->arena, w->arena_cap);
	}
	a = w->arena;
	w->arena_len = 0;
	w->nfields = 0;
	if (n == 0)
		return 0;   /* an empty line has no fields, as libcsv says */
	/* Hot (every line, 2.3 M a run): no quote on the line makes CSV a plain split at ';'
	 * (libcsv would give the same fields, at three times the cost). The line is copied
	 * (the reject stream shows it as it was) and scanned 8 bytes at a time for ';' and '"';
	 * each ';' becomes the NUL that ends its field. The zeros after the copy match
	 * neither and end the last field. */
	memcpy(a, s, n);
	memset(a + n, 0, 8);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t x = load8(a + i), semi;

		if (bytes_equal(x, quotes))
			goto quoted;
		for (semi = bytes_equal(x, semis); semi; semi &= semi - 1) {
			size_t end = i + (size_t)__builtin_ctzll(semi) / 8;

			if (w->nfields < MAX_FIELDS) {
				w->off[w->nfields] = start;
				w->len[w->nfields] = end - start;
			}
			w->nfields++;
			a[end] = '\0';
			start = end + 1;
		}
	}
	if (w->nfields < MAX_FIELDS) {
		w->off[w->nfields] = start;
		w->len[w->nfields] = n - start;
	}
	w->nfields++;
	return 0;
quoted:
	w->nfields = 0;
	got = csv_parse(&w->csv, s, n, on_field, on_row, w);
	if (got == n && csv_fini(&w->csv, on_field, on_row, w) == 0)
		return 0;
	/* A parse error leaves the parser mid-field: start a fresh one (rare). */
	*at = w->nfields;
	csv_free(&w->csv);
	csv_start(&w->csv);
	return -1;
}

/* The raw column holding byte OFF of the raw line (';' outside quotes counted). */
static size_t column_at(const char *s, size_t off)
{
	size_t col = 0;
	int quoted = 0;

	for (size_t i = 0; i < off; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ';' && !quoted)
			col++;
	}
	return col;
}

/* ------------------------------------------------------------------ masking */

/* The row as the reject stream shows it: decoded, and (unless --keep-bsn) with the BSN
 * column's bytes replaced by '*' and anything else that looks like a BSN masked by
 * bsn_mask (filters/ingest/bsnmask.h), in every field of every kind of file; in a file
 * with a BSN column every run of 8+ digits too. */
static const char *masked_row(struct work *w, const struct input *in, const char *s, size_t n)
{
	size_t col = 0, i;
	int quoted = 0;

	if (opt->keep_bsn)
		return s;
	if (w->mask_cap < n + 1) {
		w->mask_cap = n + 1;
		w->mask = xrealloc(w->mask, w->mask_cap);
	}
	memcpy(w->mask, s, n);
	w->mask[n] = '\0';
	for (i = 0; in->bsn_raw >= 0 && i < n; i++) {
		char c = w->mask[i];

		if (c == '"')
			quoted = !quoted;
		if (c == ';' && !quoted)
			col++;
		else if ((int)col == in->bsn_raw)
			w->mask[i] = '*';
	}
	bsn_mask(w->mask, n, in->bsn_raw >= 0);
	return w->mask;
}

/* A raw value quoted into a detail message: at most 40 bytes (cut at a character). */
static void quote_value(char *buf, size_t bufsz, const char *v, size_t n)
{
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
		snprintf(buf, bufsz, "'%.*s...'", (int)n, v);
	} else {
		snprintf(buf, bufsz, "'%.*s'", (int)n, v);
	}
}

/* ------------------------------------------------------------------ conversions */

static int set_fault(struct fault *f, enum reason r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set_fault(struct fault *f, enum reason r, const char *field, const char *fmt, ...)
{
	va_list ap;

	f->reason = r;
	f->field = field;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof f->detail, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole number: optional '-', 1 to 9 digits. */
static int parse_long(const char *s, size_t n, long *out)
{
	size_t i = 0;
	long v = 0;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (n == i || n - i > 9)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int out_of_bounds(const struct schema_field *f, double v)
{
	return (f->has_lo && v < f->lo) || (f->has_hi && v > f->hi);
}

static void range_text(char *buf, size_t bufsz, const struct schema_field *f)
{
	char lo[32] = "", hi[32] = "";

	if (f->has_lo)
		snprintf(lo, sizeof lo, "%g", f->lo);
	if (f->has_hi)
		snprintf(hi, sizeof hi, "%g", f->hi);
	snprintf(buf, bufsz, "[%s,%s]", lo, hi);
}

/* The codes column C knows, for a message: "M, V" or "1, 2, 8; missing 9". */
static const char *code_list(char *buf, size_t bufsz, const struct column *c)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct code_map *m = c->codes; m->raw && len < bufsz; m++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s", len ? ", " : "",
					m->raw[0] ? m->raw : "empty");
	for (const char *const *m = c->missing; m && *m && len < bufsz; m++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s", m == c->missing ? "; missing " : ", ", *m);
	return buf;
}

/* A and B (their lengths given) hold the same bytes. For short codes: no call. */
static inline int same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t k = 0; k < alen; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

/* One raw value being converted: V (n bytes, NUL-terminated, writable) of column C, its
 * schema field F, into OUT; a refusal fills FAULT. */
struct raw_value {
	char *v;
	size_t n;
	const struct column *c;
	const struct schema_field *f;
	struct slot *out;
	struct fault *fault;
};

/* The value quoted for a message, in Q (only built when there is one). */
static const char *quoted(char q[64], const struct raw_value *r)
{
	quote_value(q, 64, r->v, r->n);
	return q;
}

static int give(struct raw_value *r, const char *s, size_t len)
{
	r->out->s = s;
	r->out->len = len;
	return 0;
}

/* An empty value: a code column's empty code when it has one, else missing (refused when
 * the field is required). */
static int convert_empty(struct raw_value *r)
{
	if (r->c->conv == CV_CODE)
		for (const struct code_map *m = r->c->codes; m->raw; m++)
			if (m->raw_len == 0)
				return give(r, m->word, m->word_len);
	if (r->f->required)
		return set_fault(r->fault, R_MISSING_REQUIRED, r->c->raw, "missing required value");
	return 0;
}

/* Exactly c->width digits (an office number). (A value with a non-digit is quoted as ''
 * in the message, as it always was: n is 0 by then.) */
static int convert_digits(struct raw_value *r)
{
	size_t n = r->n;
	char q[64];

	for (size_t k = 0; k < r->n; k++)
		if (r->v[k] < '0' || r->v[k] > '9')
			n = 0;
	if (n != (size_t)r->c->width) {
		quote_value(q, sizeof q, r->v, n);
		return set_fault(r->fault, R_UNKNOWN_CODE, r->c->raw, "unknown code %s (expected %d digits)",
				 q, r->c->width);
	}
	return give(r, r->v, n);
}

/* dd-mm-yyyy, written ISO into D. */
static int convert_date(struct raw_value *r, char *d)
{
	const char *v = r->v;
	char q[64];

	if (date_parse_dmy(v, r->n) == DATE_NONE)
		return set_fault(r->fault, R_BAD_DATE, r->c->raw, "not a date (dd-mm-yyyy): %s", quoted(q, r));
	memcpy(d, v + 6, 4);
	d[4] = '-';
	memcpy(d + 5, v + 3, 2);
	d[7] = '-';
	memcpy(d + 8, v, 2);
	d[10] = '\0';
	return give(r, d, 10);
}

/* A raw code to its word (through the column's index IX), a missing code to missing. */
static int convert_code(struct raw_value *r, const struct code_index *ix)
{
	const struct column *c = r->c;
	int at = r->n <= CODE_MAX ? ix->at[r->n - 1][(unsigned char)r->v[0]] : 0;
	char q[64], known[80];

	if (at > 0 && same_bytes(c->codes[at - 1].raw, c->codes[at - 1].raw_len, r->v, r->n))
		return give(r, c->codes[at - 1].word, c->codes[at - 1].word_len);
	for (const char *const *m = c->missing; m && *m; m++)
		if (strcmp(*m, r->v) == 0)
			return 0;
	return set_fault(r->fault, R_UNKNOWN_CODE, c->raw, "unknown code %s (known: %s)", quoted(q, r),
			 code_list(known, sizeof known, c));
}

static int convert_int(struct raw_value *r)
{
	char q[64], rng[80];
	size_t n = r->n;
	long lv;

	if (parse_long(r->v, n, &lv) < 0)
		return set_fault(r->fault, R_BAD_NUMBER, r->c->raw, "not a whole number: %s", quoted(q, r));
	for (const long *m = r->c->missing_num; m && *m >= 0; m++)
		if (lv == *m)
			return 0;
	if (out_of_bounds(r->f, (double)lv)) {
		range_text(rng, sizeof rng, r->f);
		return set_fault(r->fault, R_OUT_OF_RANGE, r->c->raw, "%ld is out of range %s", lv, rng);
	}
	/* Written as the number it is ("07" -> "7", "-0" -> "0"). */
	if (r->v[0] == '-' || (r->v[0] == '0' && n > 1))
		n = (size_t)snprintf(r->v, n + 1, "%ld", lv);
	return give(r, r->v, n);
}

/* A decimal comma number, written with a point. */
static int convert_decimal(struct raw_value *r)
{
	char *v = r->v, q[64], rng[80];
	size_t n = r->n, k = v[0] == '-', whole = 0, frac = 0;
	int comma = 0;
	double dv;

	for (; k < n; k++) {
		if (v[k] >= '0' && v[k] <= '9')
			*(comma ? &frac : &whole) += 1;
		else if (v[k] == ',' && !comma)
			comma = 1;
		else
			break;
	}
	if (k < n || whole == 0 || (comma && frac == 0) || whole + frac > 17)
		return set_fault(r->fault, R_BAD_NUMBER, r->c->raw, "not a number with a decimal comma: %s", quoted(q, r));
	if (comma)
		*strchr(v, ',') = '.';
	dv = strtod(v, NULL);
	if (out_of_bounds(r->f, dv) || (r->c->positive && dv <= 0)) {
		if (comma)
			*strchr(v, '.') = ',';   /* the message quotes the value as delivered */
		range_text(rng, sizeof rng, r->f);
		return set_fault(r->fault, R_OUT_OF_RANGE, r->c->raw, "%s is out of range %s%s", quoted(q, r), rng,
				 r->c->positive ? " (and must be > 0)" : "");
	}
	return give(r, v, n);
}

/* Convert raw value V (n bytes, NUL-terminated, writable) of column I into w->slot[i].
 * Returns 0, or -1 with the fault filled in. */
static int convert(struct work *w, const struct input *in, size_t i, char *v, size_t n,
		   struct fault *fault)
{
	struct raw_value r = { v, n, &in->kind->cols[i], in->field[i], &w->slot[i], fault };
	char bsn9[9];
	const char *why;

	r.out->s = NULL;
	r.out->len = 0;
	if (n == 0)
		return convert_empty(&r);
	switch (r.c->conv) {
	case CV_LINE:
		BUG("source_line has no raw column");
	case CV_BSN:
		if (bsn_check(v, n, bsn9, &why) < 0)
			return set_fault(fault, R_BAD_BSN, r.c->raw, "%s", why);
		pseudonym_make(&w->key, bsn9, w->keybuf);
		return give(&r, w->keybuf, PSEUDONYM_LEN);
	case CV_KEY:
	case CV_TEXT:
		return give(&r, v, n);
	case CV_DIGITS:
		return convert_digits(&r);
	case CV_DATE:
		return convert_date(&r, w->datebuf[i]);
	case CV_CODE:
		return convert_code(&r, &in->code_ix[i]);
	case CV_INT:
		return convert_int(&r);
	case CV_DECIMAL:
		return convert_decimal(&r);
	}
	return 0;
}

/* ------------------------------------------------------------------ one row */

static void write_reject(struct rec_writer *rej, const struct input *in, long line,
			 const struct fault *f, const char *row)
{
	if (rej == NULL)
		return;
	rec_put(rej, in->name);
	rec_put(rej, in->kind->name);
	rec_put_int(rej, line);
	rec_put(rej, f->field ? f->field : "");   /* "" not NULL: see write_row */
	rec_put(rej, reason_names[f->reason]);
	rec_put(rej, f->detail);
	rec_put(rej, row);
	rec_writer_end(rej);
}

/* Check and convert one data line. Returns 0 when the row is good (values in w->slot),
 * else -1 with the fault. */
static int check_row(struct work *w, struct input *in, long line, const char *raw,
		     const char *s, size_t n, size_t bad, struct fault *fault)
{
	const struct kind *k = in->kind;
	size_t at;

	if (bad != (size_t)-1) {
		size_t col = column_at(raw, bad);
		unsigned char b = (unsigned char)raw[bad];

		if (b < 0x20)
			return set_fault(fault, R_BAD_ENCODING, col < in->nraw ? k->cols[in->col_of_raw[col]].raw : NULL,
					 "control character 0x%02x at position %zu", b, bad + 1);
		return set_fault(fault, R_BAD_ENCODING, col < in->nraw ? k->cols[in->col_of_raw[col]].raw : NULL,
				 "byte 0x%02x at position %zu is not %s text", b, bad + 1,
				 in->enc == ENC_CP1252 ? "windows-1252" : "utf-8");
	}
	if (split_line(w, s, n, &at) < 0)
		return set_fault(fault, R_STRAY_QUOTE, at < in->nraw ? k->cols[in->col_of_raw[at]].raw : NULL,
				 "stray quote: the field is not valid csv quoting");
	if (w->nfields != in->nraw)
		return set_fault(fault, R_WRONG_FIELD_COUNT, NULL, "%zu fields, expected %zu",
				 w->nfields, in->nraw);
	for (size_t j = 0; j < in->nraw; j++)
		if (convert(w, in, (size_t)in->col_of_raw[j], w->arena + w->off[j], w->len[j], fault) < 0)
			return -1;
	for (size_t r = 0; r < k->nrules; r++) {
		const struct routing_rule *rule = &k->rules[r];
		int sk = in->rule_skipped[r], all = 1;

		if (w->slot[in->col_of_raw[sk]].s == NULL)
			continue;
		for (int m = 0; m < in->nrule_filters[r] && all; m++) {
			int fj = in->rule_filter[r][m];

			all = strcmp(w->arena + w->off[fj], rule->when) == 0;
		}
		if (all)
			return set_fault(fault, R_ROUTING, rule->skipped, "%s", rule->why);
	}
	if (in->key_raw >= 0) {
		long first = keyset_add(w->seen[k - kinds], w->arena + w->off[in->key_raw],
					w->len[in->key_raw], line);

		if (first > 0)
			return set_fault(fault, R_DUPLICATE_KEY, "respnr",
					 "respnr already kept from line %ld", first);
	}
	return 0;
}

/* Hot: once per good row. Locals, not in->kind->..., so that the loop does not reload
 * them after every call. */
static void write_row(struct rec_writer *out, const struct work *w, const struct input *in, long line)
{
	const struct slot *slot = w->slot;
	const struct column *cols = in->kind->cols;
	size_t ncols = in->kind->ncols, line_col = in->line_col;

	for (size_t i = 0; i < ncols; i++) {
		/* "" for missing: rec_put_len(NULL) hands NULL to memcpy (UBSan) */
		const char *s = slot[i].s ? slot[i].s : "";

		if (i == line_col)
			rec_put_int(out, line);
		else if (cols[i].conv == CV_KEY || cols[i].conv == CV_TEXT)   /* as delivered */
			rec_put_len(out, s, slot[i].len);
		else   /* made here: digits, dates, code words, the pseudonym's hex */
			rec_put_plain(out, s, slot[i].len);
	}
	rec_writer_end(out);
}

/* ------------------------------------------------------------------ notes on a file */

/* Count a non-ASCII line of a file read as Windows-1252; at the first one that is UTF-8,
 * keep the field it is in (as delivered, for the message that refuses the file). */
static void note_encoding(struct input *in, long line, const char *raw, size_t n)
{
	size_t off, start, end, col;

	if (!enc_tally_line(&in->tally, line, raw, n))
		return;
	off = in->tally.first_utf8_off;
	for (start = off; start > 0 && raw[start - 1] != ';'; start--)
		;
	for (end = off; end < n && raw[end] != ';' && end - start < 40; end++)
		;
	while (end > off && end < n && ((unsigned char)raw[end] & 0xC0) == 0x80)
		end--;   /* cut at a character */
	snprintf(in->utf8_sample, sizeof in->utf8_sample, "%.*s", (int)(end - start), raw + start);
	bsn_mask(in->utf8_sample, strlen(in->utf8_sample), 1);
	col = column_at(raw, off);
	in->utf8_field = col < in->nraw ? in->kind->cols[in->col_of_raw[col]].raw : NULL;
}

/* Why a Windows-1252 file that holds UTF-8 is refused, with what reading it as declared
 * would do to its first accented value. */
static const char *utf8_refusal(const struct input *in, char *buf, size_t bufsz)
{
	char mojibake[3 * sizeof in->utf8_sample + 1];
	size_t n, bad;
	const char *m = decode_line(ENC_CP1252, in->utf8_sample, strlen(in->utf8_sample), mojibake, &n, &bad);

	snprintf(buf, bufsz, "declared windows-1252 (%s) but the file is utf-8 (%ld of %ld lines with "
		 "non-ascii bytes): '%s' would read as '%.*s'; --utf8 %s reads it as utf-8",
		 in->kind->name, in->tally.utf8_lines, in->tally.utf8_lines + in->tally.not_utf8_lines,
		 in->utf8_sample, (int)n, m, in->kind->name);
	return buf;
}

static void note_first_reject(struct input *in, long line, const struct fault *f)
{
	in->first_reject_line = line;
	snprintf(in->first_reject_field, sizeof in->first_reject_field, "%s", f->field ? f->field : "");
	snprintf(in->first_reject_detail, sizeof in->first_reject_detail, "%s", f->detail);
}

/* Keep the latest extract date of the rows written (ISO dates compare as text). */
static void note_extract_date(struct input *in, const struct slot *v)
{
	if (v->s != NULL && v->len == 10 && memcmp(v->s, in->extract_date, 10) > 0) {
		memcpy(in->extract_date, v->s, 10);
		in->extract_date[10] = '\0';
	}
}

/* ------------------------------------------------------------------ one file */

static int problem_set(struct problem *p, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Stream the rows of IN (its header read and mapped) to OUT's section, opened by the
 * caller, and REJ. Returns 0, or -1 with the problem that refuses the whole file (a
 * truncated delivery, a read error, a Windows-1252 file that is UTF-8): the caller dies
 * with it. A write error only stops the loop (the caller sees rec_writer_failed). */
static int stream_file(struct work *w, struct input *in, struct rec_writer *out,
		       struct rec_writer *rej, struct problem *pb)
{
	const char *raw;
	size_t rawlen;
	int rc;

	while ((rc = line_reader_next(in->lr, &raw, &rawlen)) > 0) {
		long line = line_reader_lineno(in->lr);
		size_t n, bad;
		const char *s;
		struct fault fault;

		if (w->dec_cap < 3 * rawlen + 1) {
			w->dec_cap = 3 * rawlen + 1;
			w->dec = xrealloc(w->dec, w->dec_cap);
		}
		if (line_reader_unterminated(in->lr))
			return problem_set(pb, line, NULL, TRUNCATED_DELIVERY);
		s = decode_line(in->enc, raw, rawlen, w->dec, &n, &bad);
		if (s != raw && in->enc == ENC_CP1252)   /* not plain ASCII */
			note_encoding(in, line, raw, rawlen);
		in->nread++;
		if (check_row(w, in, line, raw, s, n, bad, &fault) == 0) {
			write_row(out, w, in, line);
			in->nwritten++;
			if (in->extract_col >= 0)
				note_extract_date(in, &w->slot[in->extract_col]);
			continue;
		}
		in->nrejected++;
		in->per_reason[fault.reason]++;
		if (!opt->keep_bsn)
			bsn_mask(fault.detail, strlen(fault.detail), in->bsn_raw >= 0);
		if (in->nrejected == 1)
			note_first_reject(in, line, &fault);
		write_reject(rej, in, line, &fault, masked_row(w, in, s, n));
		if (rec_writer_failed(out) || (rej && rec_writer_failed(rej)))
			break;
	}
	if (rc < 0)
		return problem_set(pb, line_reader_lineno(in->lr) + 1, NULL, "read error: %s", strerror(errno));
	if (in->enc == ENC_CP1252 && enc_tally_says_utf8(&in->tally)) {
		char msg[512];

		return problem_set(pb, in->tally.first_utf8_line, in->utf8_field, "%s", utf8_refusal(in, msg, sizeof msg));
	}
	return 0;
}

/* Print the counts of one file; returns 1 when its reject rate is above the maximum. */
static int report_counts(const struct input *in)
{
	char reasons[512] = "";
	size_t len = 0;
	double rate = in->nread ? (double)in->nrejected / (double)in->nread : 0;

	for (int r = 0; r < N_REASONS; r++) {
		if (in->per_reason[r] == 0)
			continue;
		len += (size_t)snprintf(reasons + len, sizeof reasons - len, "%s %s %ld",
					len ? "," : ":", reason_names[r], in->per_reason[r]);
	}
	diag_warn(in->name, 0, NULL, "%s: %ld rows read, %ld written, %ld rejected%s",
		  in->kind->name, in->nread, in->nwritten, in->nrejected, reasons);
	return rate > opt->max_reject_rate;
}

/* The one line that says why ingest fails on its reject rate, printed last: the first
 * file above the limit, at its first refused row, with the counts; the others named after
 * it. "ingest: uitkeringen.csv:2: ingangsdatum: not a date (dd-mm-yyyy): '2005-01-04'
 * (41213 of 41213 rows rejected, 100.0%, above --max-reject-rate 0.05)". */
static void report_reject_rate(const struct input *inputs, const int *over, int ninputs)
{
	const struct input *in = NULL;
	char others[512] = "";
	size_t len = 0;

	for (int i = 0; i < ninputs; i++) {
		if (!over[i])
			continue;
		if (in == NULL)
			in = &inputs[i];
		else if (len < sizeof others)
			len += (size_t)snprintf(others + len, sizeof others - len, "%s%s",
						len ? ", " : "; also above it: ", inputs[i].name);
	}
	if (in == NULL)
		return;
	diag_warn(in->name, in->first_reject_line, in->first_reject_field, "%s (%ld of %ld rows rejected, %.1f%%, "
		  "above --max-reject-rate %g%s)", in->first_reject_detail, in->nrejected, in->nread,
		  100.0 * (double)in->nrejected / (double)in->nread, opt->max_reject_rate, others);
}

/* ------------------------------------------------------------------ headers */

/* The raw column named NAME in IN's header (it is there: open_input checked). */
static int raw_index(const struct input *in, const char *name)
{
	for (size_t i = 0; i < in->kind->ncols; i++)
		if (in->kind->cols[i].raw && strcmp(in->kind->cols[i].raw, name) == 0)
			return in->raw_of_col[i];
	BUG("no raw column %s in %s", name, in->kind->name);
}

static int problem_set(struct problem *p, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	p->line = line;
	snprintf(p->field, sizeof p->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Open NAME and split its header line into w's fields (the names). Returns 0, or -1 with
 * the problem; in->lr is set whenever the file could be opened. */
static int header_read(struct input *in, struct work *w, const char *name, struct problem *pb)
{
	const char *line, *s;
	size_t len, n, bad, at;
	int rc;

	memset(in, 0, sizeof *in);
	in->name = strcmp(name, "-") == 0 ? "stdin" : name;
	in->extract_col = -1;
	in->lr = line_reader_open(name);
	if (in->lr == NULL)
		return problem_set(pb, 0, NULL, "cannot open: %s", strerror(errno));
	rc = line_reader_next(in->lr, &line, &len);
	if (rc < 0)
		return problem_set(pb, 1, NULL, "read error: %s", strerror(errno));
	if (rc == 0)
		return problem_set(pb, 0, NULL, "empty file: no header line");
	if (line_reader_unterminated(in->lr))
		return problem_set(pb, 1, NULL, TRUNCATED_DELIVERY);
	in->enc = ENC_CP1252;
	if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		in->enc = ENC_UTF8;   /* a BOM: UTF-8, whatever the kind */
		in->bom = 1;
		line += 3;
		len -= 3;
	}
	if (w->dec_cap < 3 * len + 1) {
		w->dec_cap = 3 * len + 1;
		w->dec = xrealloc(w->dec, w->dec_cap);
	}
	s = decode_line(ENC_UTF8, line, len, w->dec, &n, &bad);
	if (bad != (size_t)-1)
		return problem_set(pb, 1, NULL, "header: byte 0x%02x at position %zu is not text",
				   (unsigned char)line[bad], bad + 1);
	if (split_line(w, s, n, &at) < 0)
		return problem_set(pb, 1, NULL, "header: stray quote in column %zu", at + 1);
	if (w->nfields > MAX_FIELDS)
		return problem_set(pb, 1, NULL, "header: %zu columns, more than any raw file has", w->nfields);
	return 0;
}

/* Decide the kind of the header in w's fields and map its columns to the kind's. */
static int header_map(struct input *in, struct work *w, struct problem *pb)
{
	char *names[MAX_FIELDS];
	const struct kind *k;

	for (size_t j = 0; j < w->nfields; j++)
		names[j] = w->arena + w->off[j];
	k = opt->kind ? kind_by_name(opt->kind) : kind_recognise(names, w->nfields);
	if (k == NULL)
		return problem_set(pb, 1, NULL, "header matches no raw file kind (cwi_aanvragen, uwv_overdracht, "
				   "uitkeringen, steekproef, golf1, golf2, golf3); name one with --kind");
	in->kind = k;
	if (in->enc != ENC_UTF8)
		in->enc = opt->utf8_kinds & (1u << (k - kinds)) ? ENC_UTF8 : k->enc;
	in->nraw = k->ncols - 1;
	in->bsn_raw = in->key_raw = -1;
	for (size_t i = 0; i < k->ncols; i++)
		in->raw_of_col[i] = -1;
	for (size_t j = 0; j < w->nfields; j++) {
		size_t i;

		for (i = 0; i < k->ncols; i++)
			if (k->cols[i].raw && strcmp(k->cols[i].raw, names[j]) == 0)
				break;
		if (i == k->ncols) {
			/* A file without its header would show a BSN here: mask it. */
			bsn_mask(names[j], strlen(names[j]), 1);
			return problem_set(pb, 1, names[j], "header: not a column of %s", k->name);
		}
		if (in->raw_of_col[i] >= 0)
			return problem_set(pb, 1, names[j], "header: column listed twice");
		in->raw_of_col[i] = (int)j;
		in->col_of_raw[j] = (int)i;
	}
	for (size_t i = 0; i < k->ncols; i++) {
		const struct column *c = &k->cols[i];

		in->field[i] = &schema_find(k->schema, NULL)->fields[i];
		if (strcmp(c->field, "extract_date") == 0)
			in->extract_col = (int)i;
		if (c->conv == CV_LINE) {
			in->line_col = i;
			continue;
		}
		if (in->raw_of_col[i] < 0)
			return problem_set(pb, 1, c->raw, "header: column missing (a %s file has %zu columns)",
					   k->name, in->nraw);
		if (c->conv == CV_BSN)
			in->bsn_raw = in->raw_of_col[i];
		if (c->conv == CV_KEY)
			in->key_raw = in->raw_of_col[i];
	}
	return 0;
}

/* The per-file tables the row checks use: code look-ups, routing columns, the respnr set. */
static void input_tables(struct input *in, struct work *w)
{
	const struct kind *k = in->kind;

	in->code_ix = xcalloc(k->ncols, sizeof *in->code_ix);
	for (size_t i = 0; i < k->ncols; i++) {
		if (k->cols[i].conv != CV_CODE)
			continue;
		for (const struct code_map *m = k->cols[i].codes; m->raw; m++) {
			unsigned char *e;

			if (m->raw_len == 0)
				continue;   /* the empty code: convert() looks for it before */
			if (m->raw_len > CODE_MAX)
				BUG("code '%s' of %s is longer than CODE_MAX", m->raw, k->cols[i].raw);
			e = &in->code_ix[i].at[m->raw_len - 1][(unsigned char)m->raw[0]];
			if (*e != 0)
				BUG("codes of %s: two of one length start with '%c'", k->cols[i].raw, m->raw[0]);
			*e = (unsigned char)(m - k->cols[i].codes + 1);
		}
	}
	if (k->nrules > sizeof in->rule_skipped / sizeof in->rule_skipped[0])
		BUG("%s has %zu routing rules", k->name, k->nrules);
	for (size_t r = 0; r < k->nrules; r++) {
		const struct routing_rule *rule = &k->rules[r];
		int m;

		in->rule_skipped[r] = raw_index(in, rule->skipped);
		for (m = 0; rule->filter[m]; m++)
			in->rule_filter[r][m] = raw_index(in, rule->filter[m]);
		in->nrule_filters[r] = m;
	}
	if (in->key_raw >= 0 && w->seen[k - kinds] == NULL)
		w->seen[k - kinds] = keyset_new();
}

/* Open NAME, read and check its header, decide its kind and map its columns. Dies (exit 1)
 * with a message naming the file when it cannot be used. */
static void __attribute__((noreturn)) die_problem(const struct input *in, const struct problem *pb)
{
	die(EXIT_DATA, in->name, pb->line, pb->field[0] ? pb->field : NULL, "%s", pb->msg);
}

static void open_input(struct input *in, struct work *w, const char *name)
{
	struct problem pb;

	if (header_read(in, w, name, &pb) < 0 || header_map(in, w, &pb) < 0)
		die_problem(in, &pb);
	input_tables(in, w);
}

/* ------------------------------------------------------------------ plain CSV out */

/* --file-counts: rows per file, for the run's inputs.csv. Returns 0, or -1 after a
 * message when the file cannot be written. */
static int write_file_counts(const char *path, const struct input *inputs, int ninputs)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		diag_warn(path, 0, NULL, "cannot create: %s", strerror(errno));
		return -1;
	}
	fputs("file,kind,rows,written,rejected,extract_date\n", fp);
	for (int i = 0; i < ninputs; i++) {
		csv_put_field(fp, inputs[i].name, ',');
		fprintf(fp, "%s,%ld,%ld,%ld,%s\n", inputs[i].kind->name, inputs[i].nread,
			inputs[i].nwritten, inputs[i].nrejected, inputs[i].extract_date);
	}
	if (ferror(fp) | (fclose(fp) != 0)) {
		diag_warn(path, 0, NULL, "write error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ --identify */

/* One file for --identify: its kind, data rows, final line end, the encoding its bytes
 * show, and the first problem ingest would refuse it for, as one CSV row. Returns 1 when
 * there is a problem. */
static int identify_file(struct work *w, const char *name, FILE *out)
{
	struct input in;
	struct problem pb = { 0, "", "" };
	const char *raw, *encoding = "", *line_end = "";
	size_t len;
	long rows = 0;
	int bad, rc = 0;

	bad = header_read(&in, w, name, &pb) < 0 || header_map(&in, w, &pb) < 0;
	if (in.lr != NULL && (!bad || pb.line == 1)) {   /* the header was read */
		while ((rc = line_reader_next(in.lr, &raw, &len)) > 0) {
			rows++;
			if (in.kind != NULL)
				note_encoding(&in, line_reader_lineno(in.lr), raw, len);
			else
				enc_tally_line(&in.tally, line_reader_lineno(in.lr), raw, len);
		}
		encoding = in.bom ? "utf-8-bom" : enc_tally_says_utf8(&in.tally) ? "utf-8" :
			   in.tally.not_utf8_lines ? "not-utf-8" : "ascii";
		line_end = line_reader_unterminated(in.lr) ? "no" : "yes";   /* of the last line read */
	}
	if (rc < 0 && !bad)
		bad = problem_set(&pb, line_reader_lineno(in.lr) + 1, NULL, "read error: %s", strerror(errno));
	if (!bad && line_reader_unterminated(in.lr))
		bad = problem_set(&pb, rows + 1, NULL, TRUNCATED_DELIVERY);
	if (!bad && in.enc == ENC_CP1252 && enc_tally_says_utf8(&in.tally)) {
		char msg[512];

		bad = problem_set(&pb, in.tally.first_utf8_line, in.utf8_field, "%s", utf8_refusal(&in, msg, sizeof msg));
	}
	if (bad)   /* the same words ingest would die with */
		diag_warn(in.name, pb.line, pb.field[0] ? pb.field : NULL, "%s", pb.msg);
	csv_put_field(out, in.name, ',');
	csv_put_field(out, in.kind ? in.kind->name : "", ',');
	fprintf(out, "%ld,%s,%s,%ld,", rows, line_end, encoding, bad ? pb.line : 0);
	csv_put_field(out, bad ? pb.field : "", ',');
	csv_put_field(out, bad ? pb.msg : "", '\n');
	line_reader_free(in.lr);
	return bad != 0;
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: ingest --key-file F [--rejects F] [--max-reject-rate R] [--kind K] [--keep-bsn]\n"
	"              [--utf8 KINDS] [--file-counts F] [FILE...]\n"
	"       ingest --identify [--kind K] [--utf8 KINDS] FILE...\n"
	"       ingest --key-fingerprint --key-file F\n"
	"\n"
	"Read the raw extracts R1-R7 (listed below) exactly as delivered and write one section\n"
	"per FILE, in the order given, rows in file order. No FILE, or '-', reads stdin.\n"
	"\n"
	"Reads (';'-separated, header row; Windows-1252 for R1-R4 and UTF-8 for R5-R7, or UTF-8\n"
	"whenever the file starts with a BOM; CRLF or LF), recognised by their header:\n"
	"  cwi_aanvragen  (R1, has aanvraagdatum)     -> application/1\n"
	"  uwv_overdracht (R2, has ontvangstdatum)    -> handover_uwv/1\n"
	"  uitkeringen    (R3, has ingangsdatum)      -> benefit_spell/1\n"
	"  steekproef     (R4, has trekkingskans)     -> sample/1\n"
	"  golf1          (R5, has huishouden)        -> wave1/1\n"
	"  golf2          (R6, has uitkering_nu, no begeleiding_werk) -> wave2/1\n"
	"  golf3          (R7, has begeleiding_werk)  -> wave3/1\n"
	"Columns are matched by name; the header must list exactly the kind's columns.\n"
	"Writes those sections on stdout (fields: rec-check --describe application/1, ...),\n"
	"and the refused rows as one reject/1 section to --rejects.\n"
	"\n"
	"Conversions: dd-mm-yyyy -> yyyy-mm-dd (real calendar), decimal comma -> point, codes\n"
	"-> words (WW -> ww, T -> granted, ...), yes/no items 1/2 -> 1/0. SPSS missing codes ->\n"
	"missing: 8/9 on one-digit items, 98/99 on zoekuren, contacten_werk, einde_maand,\n"
	"998/999 on sollicitaties; but 8 = dont_know is kept where it carries meaning\n"
	"(sollicitatieplicht, the forms of support, hulp_problemen, begeleiding_werk). Empty\n"
	"= not asked = missing. A BSN must pass the 11-check (8 digits = a lost leading 0) and\n"
	"becomes person_key = hex of the first 16 bytes of HMAC-SHA-256(key, 9 digits).\n"
	"\n"
	"A row is refused for the first fault found, checked in this order: its bytes\n"
	"(bad_encoding), its quoting (stray_quote), its field count (wrong_field_count), each\n"
	"field left to right (missing_required, bad_bsn, bad_date, bad_number, unknown_code,\n"
	"out_of_range), the questionnaire routing where it is certain (routing: a value, not a\n"
	"missing code, in zoekuren while zoekt = 2, in einde_maand while uitkering_nu = 1, in\n"
	"hulp_problemen while every prob_* = 2), then the respondent number in R4 and in each\n"
	"wave (duplicate_key: the first good row is kept; files of one kind count together).\n"
	"Rows read, written and rejected per file, and per reason, go to stderr.\n"
	"\n"
	"A file, not a row, is refused (exit 1) when it cannot be a whole delivery: no header\n"
	"line, a header of no kind, a last line without a line end (a file cut short), or a\n"
	"file read as Windows-1252 whose accented text is UTF-8 (more of its non-ASCII lines\n"
	"are valid UTF-8 than not: reading it as declared would turn 'Frysl\303\242n' into\n"
	"'Frysl\303\203\302\242n'; name it with --utf8).\n"
	"\n"
	"  --key-file F          the pseudonym key: first line 64 hex digits (32 bytes). Refused\n"
	"                        (exit 2) when the file is open to group or others (mode bits\n"
	"                        077, as ssh refuses a private key), not 64 hex digits, or of\n"
	"                        low entropy (all bytes equal, fewer than 16 different values)\n"
	"  --key-fingerprint     print the key's fingerprint (the first 16 hex digits of SHA-256\n"
	"                        of its 32 bytes: names the key, never gives it away) and exit\n"
	"  --rejects F           write refused rows to F (reject/1; created mode 0600: raw\n"
	"                        values survive there). Default: refused rows are only counted\n"
	"  --keep-bsn            leave BSN digits in the reject stream (default: the BSN column,\n"
	"                        any run of 8+ digits and, in any field, any 8-9 digit number\n"
	"                        grouped by dots, spaces or dashes that passes the 11-check\n"
	"                        (874.942.081, 305 720 028) are replaced by '*')\n"
	"  --max-reject-rate R   exit 1 when any file rejects more than this share of its rows\n"
	"                        (default %g; 1 disables); all output is still written, and the\n"
	"                        last line on stderr names the first such file at its first\n"
	"                        refused row\n"
	"  --kind K              every FILE is of kind K (a name above, or R1..R7) instead of\n"
	"                        recognising it by its header\n"
	"  --utf8 KINDS          read files of these kinds (names or R1..R7, comma-separated,\n"
	"                        or 'all') as UTF-8 even without a BOM (default: as above)\n"
	"  --file-counts F       write per file: file,kind,rows,written,rejected,extract_date\n"
	"                        (plain CSV with a header; extract_date = the latest peildatum\n"
	"                        written, for R3; empty for the other kinds)\n"
	"  --identify            read no rows: print per FILE one CSV line (header first)\n"
	"                        file,kind,data_rows,final_line_end,encoding,problem_line,\n"
	"                        problem_field,problem - its kind (empty when unknown), the\n"
	"                        lines after the header, yes/no (empty for an empty file),\n"
	"                        ascii|utf-8|utf-8-bom|not-utf-8, and the first problem that\n"
	"                        would make ingest refuse the file (empty when none), also\n"
	"                        on stderr as ingest's message. Exit 1 when any file has one.\n"
	"                        Needs no key\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 bad data (a file refused, a reject rate above the maximum, a\n"
	"read or write error, no memory), 2 bad usage or a refused key.\n"
	"\n"
	"Example:\n"
	"  ingest --key-file pseudonym.key --rejects rejects.gz raw/*.csv | link-waves | ...\n"
	"  ingest --identify raw/*.csv\n",
	DEFAULT_MAX_REJECT_RATE);
}

/* --utf8 KINDS: the bit mask of kinds[] named, or -1 when a name is not a kind. */
static long utf8_kinds_parse(const char *list)
{
	char buf[256], *tok, *save = NULL;
	unsigned long mask = 0;

	if (strcmp(list, "all") == 0)
		return (1L << n_kinds) - 1;
	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct kind *k = kind_by_name(tok);

		if (k == NULL)
			return -1;
		mask |= 1ul << (k - kinds);
	}
	return mask ? (long)mask : -1;
}

static const struct option ingest_longopts[] = {
	{"key-file", required_argument, NULL, 'k'},
	{"rejects", required_argument, NULL, 'r'},
	{"max-reject-rate", required_argument, NULL, 'm'},
	{"kind", required_argument, NULL, 't'},
	{"keep-bsn", no_argument, NULL, 'b'},
	{"utf8", required_argument, NULL, 'u'},
	{"file-counts", required_argument, NULL, 'c'},
	{"identify", no_argument, NULL, 'i'},
	{"key-fingerprint", no_argument, NULL, 'f'},
	{NULL, 0, NULL, 0}
};

static int option(void *ctx, int c, const char *arg, char *err, size_t errsz)
{
	struct options *o = ctx;
	char *end;
	long mask;

	switch (c) {
	case 'k': o->key_file = arg; break;
	case 'r': o->rejects = arg; break;
	case 't': o->kind = arg; break;
	case 'b': o->keep_bsn = 1; break;
	case 'c': o->file_counts = arg; break;
	case 'i': o->identify = 1; break;
	case 'f': o->key_fingerprint = 1; break;
	case 'u':
		if ((mask = utf8_kinds_parse(arg)) < 0) {
			snprintf(err, errsz, "--utf8: not a list of kinds: '%s' (cwi_aanvragen, uwv_overdracht, "
				 "uitkeringen, steekproef, golf1, golf2, golf3, R1..R7, or all)", arg);
			return -1;
		}
		o->utf8_kinds = (unsigned)mask;
		break;
	case 'm':
		errno = 0;
		o->max_reject_rate = strtod(arg, &end);
		if (errno || end == arg || *end != '\0' || !(o->max_reject_rate >= 0 && o->max_reject_rate <= 1)) {
			snprintf(err, errsz, "--max-reject-rate: not a share between 0 and 1: '%s'", arg);
			return -1;
		}
		break;
	default: return -1;
	}
	return 0;
}

/* The options that only make sense together: 0, or EXIT_USAGE after the message. */
static int check_options(const struct options *o, int nfiles)
{
	if (o->identify && o->key_fingerprint)
		return filter_usage_error("--identify and --key-fingerprint: one at a time");
	if (o->identify && nfiles == 0)
		return filter_usage_error("--identify: name the files");
	if (o->key_fingerprint && nfiles > 0)
		return filter_usage_error("--key-fingerprint reads no files");
	if (o->key_file == NULL && !o->identify)
		return filter_usage_error("--key-file is required: ingest writes no BSN, only keyed pseudonyms");
	if (o->kind && kind_by_name(o->kind) == NULL)
		return filter_usage_error("--kind: unknown kind '%s' (cwi_aanvragen, uwv_overdracht, uitkeringen, "
					  "steekproef, golf1, golf2, golf3, or R1..R7)", o->kind);
	if (o->rejects && strcmp(o->rejects, "-") == 0)
		return filter_usage_error("--rejects: give a file; stdout carries the records");
	return 0;
}

/* --identify: one CSV line per file; 1 when any file has a problem. */
static int identify(struct work *w, int nfiles, char **files)
{
	int status = 0;

	fputs("file,kind,data_rows,final_line_end,encoding,problem_line,problem_field,problem\n", stdout);
	for (int i = 0; i < nfiles; i++)
		status |= identify_file(w, files[i], stdout);
	return status;
}

/* Stream every input; returns the exit status (reject rate, write errors). */
static int ingest_all(struct work *w, struct input *inputs, int ninputs)
{
	struct rec_writer *out, *rej = NULL;
	int status = 0, *over = xcalloc((size_t)ninputs, sizeof *over);
	long nrejected = 0;

	out = rec_writer_open(NULL, -1, 0644);
	if (out == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "cannot write stdout: %s", strerror(errno));
	if (opt->rejects) {
		rej = rec_writer_open(opt->rejects, -1, 0600);
		if (rej == NULL)
			die(EXIT_DATA, opt->rejects, 0, NULL, "cannot create: %s", strerror(errno));
		if (rec_writer_section(rej, "reject/1") < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(rej));
	}
	for (int i = 0; i < ninputs; i++) {
		struct problem pb;

		if (rec_writer_section(out, inputs[i].kind->schema) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(out));
		if (stream_file(w, &inputs[i], out, rej, &pb) < 0)
			die_problem(&inputs[i], &pb);
		line_reader_free(inputs[i].lr);
		inputs[i].lr = NULL;
		if (rec_writer_failed(out) || (rej && rec_writer_failed(rej)))
			break;
	}
	/* after a write error the files not yet read are still open (open_input read headers) */
	for (int i = 0; i < ninputs; i++)
		line_reader_free(inputs[i].lr);
	for (int i = 0; i < ninputs; i++) {
		over[i] = report_counts(&inputs[i]);
		status |= over[i];
		nrejected += inputs[i].nrejected;
	}
	if (!opt->rejects && nrejected > 0)
		diag_warn(NULL, 0, NULL, "rejected rows were counted, not kept (no --rejects)");
	if (opt->file_counts && write_file_counts(opt->file_counts, inputs, ninputs) < 0)
		status = 1;
	/* Two outputs, one verdict: when either cannot be finished, neither stays under its
	 * name (the stream is discarded; a rejects file already renamed is removed). */
	if (rej && rec_writer_close(rej) < 0) {
		status = 1;
		rec_writer_discard(out);
	} else if (rec_writer_close(out) < 0) {
		status = 1;
		if (rej)
			unlink(opt->rejects);
	}
	report_reject_rate(inputs, over, ninputs);   /* the last line: why it fails */
	free(over);
	return status;
}

int main(int argc, char **argv)
{
	static struct options o = { .max_reject_rate = DEFAULT_MAX_REJECT_RATE };
	static struct work w;
	struct input *inputs;
	char err[256];
	int status, ninputs, key_rc;

	/* ingest reads raw files, not a record stream: only the driver's command line */
	static const struct filter ingest = {
		.name = "ingest", .usage = usage, .long_opts = ingest_longopts, .option = option,
	};

	opt = &o;
	if (filter_args(&ingest, &o, argc, argv, &status))
		return status;
	if ((status = check_options(&o, argc - optind)) != 0)
		return status;

	/* Phase 2: the key, the tables, every input's header. */
	for (size_t i = 0; i < n_kinds; i++)
		if (kinds_check(&kinds[i], err, sizeof err) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", err);
	csv_start(&w.csv);
	if (o.identify) {
		status = identify(&w, argc - optind, argv + optind);
		csv_free(&w.csv);
		free(w.arena);
		free(w.dec);
		return diag_close_stdout(status ? EXIT_DATA : 0);
	}
	key_rc = pseudonym_key_load(&w.key, o.key_file, err, sizeof err);
	if (key_rc < 0)   /* a refused key is a usage error; a machine that failed, exit 1 */
		die(key_rc == -2 ? EXIT_DATA : EXIT_USAGE, o.key_file, 0, NULL, "%s", err);
	if (o.key_fingerprint) {
		puts(w.key.fingerprint);
		pseudonym_key_free(&w.key);
		csv_free(&w.csv);
		return diag_close_stdout(0);
	}
	ninputs = optind < argc ? argc - optind : 1;
	inputs = xcalloc((size_t)ninputs, sizeof *inputs);
	for (int i = 0; i < ninputs; i++)
		open_input(&inputs[i], &w, optind < argc ? argv[optind + i] : "-");

	/* Phase 3: stream. */
	status = ingest_all(&w, inputs, ninputs);
	csv_free(&w.csv);
	pseudonym_key_free(&w.key);
	for (size_t i = 0; i < n_kinds; i++)
		keyset_free(w.seen[i]);
	free(w.arena);
	free(w.dec);
	free(w.mask);
	for (int i = 0; i < ninputs; i++)
		free(inputs[i].code_ix);
	free(inputs);
	return diag_close_stdout(status ? EXIT_DATA : 0);
}
