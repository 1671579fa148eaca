/* rec_read.c - the record stream reader (see rec.h for the contract).
 *
 * Reader pipeline: read() -> [inflate (gz.h: ISA-L or zlib), member after member] -> text
 * buffer -> one line at a time -> the fields of one record in an arena. A line without a
 * quote (the writer quotes only fields that need it, so nearly every line) is split by
 * split_plain, 16 bytes at a time; any other line goes to libcsv. Feeding libcsv a line at
 * a time costs one call per line but gives exact line numbers for every diagnostic and
 * lets `#` directive lines be recognised before libcsv sees them (the writer quotes every
 * field that starts with '#', so an unquoted '#' at the start of a record can only be a
 * directive). Because a line holds at most one record end, one record is complete at a
 * time: no queue.
 */
#include "rec.h"
#include "rec_impl.h"
#include "diag.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define IN_SIZE   (256 * 1024)
#define TXT_SIZE  (256 * 1024)

static int vrerr(struct rec_reader *r, long line, const char *field, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int vrerr(struct rec_reader *r, long line, const char *field, const char *fmt, va_list ap)
{
	int n;

	if (line > 0)
		n = snprintf(r->err, sizeof r->err, "%s:%ld: ", r->name, line);
	else
		n = snprintf(r->err, sizeof r->err, "%s: ", r->name);
	if (field && *field && n >= 0 && (size_t)n < sizeof r->err)
		n += snprintf(r->err + n, sizeof r->err - (size_t)n, "%s: ", field);
	if (n >= 0 && (size_t)n < sizeof r->err)
		vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
	return REC_ERROR;
}

int rec_reader_set_error(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrerr(r, line, field, fmt, ap);
	va_end(ap);
	return REC_ERROR;
}

/* A broken stream: the message, and every later rec_reader_next fails. */
static int rerr(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int rerr(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrerr(r, line, field, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return REC_ERROR;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Progress for people watching a terminal: quiet for runs under two seconds and whenever
 * stderr is not a terminal (cron, the pipeline's logs). */
static void progress_tick(struct rec_reader *r)
{
	double t;

	if (!r->progress || (++r->total_records & 0xffff) != 0)
		return;
	t = now_seconds();
	if (t - r->started < 2.0 || t - r->last_report < 1.0)
		return;
	r->last_report = t;
	r->progress_shown = 1;
	fprintf(stderr, "\r%s: %s: %ld records, %.0f records/s ", diag_prog, r->name,
	        r->total_records, (double)r->total_records / (t - r->started));
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;   /* keep leading and trailing blanks: values round-trip byte for byte */
}

struct rec_reader *rec_reader_open(const char *path)
{
	struct rec_reader *r;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		rec_enlarge_pipe(fd);
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->name = xstrdup(fd == STDIN_FILENO && (path == NULL || strcmp(path, "-") == 0) ? "stdin" : path);
	r->tee_fd = -1;
	r->in = xmalloc(IN_SIZE);
	r->txt = xmalloc(TXT_SIZE);
	r->gzip = -1;
	r->last_byte_nl = 1;
	r->at_line_start = 1;
	r->line = 1;
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");   /* the policy of xmalloc (rec.h) */
	csv_set_space_func(&r->csv, no_space);
	r->progress = isatty(STDERR_FILENO);
	r->started = r->last_report = r->progress ? now_seconds() : 0;
	r->nf_cap = 64;
	r->off = xmalloc(r->nf_cap * sizeof *r->off);
	r->len = xmalloc(r->nf_cap * sizeof *r->len);
	r->arena_cap = 4096;
	r->arena = xmalloc(r->arena_cap);
	return r;
}

void rec_reader_free(struct rec_reader *r)
{
	if (r == NULL)
		return;
	if (r->progress_shown)
		fputc('\n', stderr);
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	gz_inflater_free(r->gz);
	rec_get_release(r);
	free(r->kind);
	csv_free(&r->csv);
	free(r->name);
	free(r->in);
	free(r->txt);
	free(r->dir);
	free(r->arena);
	free(r->raw);
	free(r->off);
	free(r->len);
	free(r);
}

void rec_reader_tee(struct rec_reader *r, int fd)
{
	r->tee_fd = fd;
}

const char *rec_reader_error(const struct rec_reader *r) { return r->err; }
const char *rec_reader_name(const struct rec_reader *r) { return r->name; }
long rec_reader_line(const struct rec_reader *r) { return r->record_line; }
long rec_reader_records(const struct rec_reader *r) { return r->records; }
const struct schema *rec_reader_schema(const struct rec_reader *r) { return r->schema; }
size_t rec_reader_nfields(const struct rec_reader *r) { return r->schema ? r->schema->n_fields : 0; }

int rec_reader_index(const struct rec_reader *r, const char *field)
{
	return r->schema ? schema_field_index(r->schema, field) : -1;
}

const char *rec_reader_field(const struct rec_reader *r, size_t i)
{
	return i < r->nf ? r->arena + r->off[i] : "";
}

size_t rec_reader_field_len(const struct rec_reader *r, size_t i)
{
	return i < r->nf ? r->len[i] : 0;
}


/* Read more raw bytes. Returns 0, or REC_ERROR. Sets in_eof at the end of the file. */
static int fill_in(struct rec_reader *r)
{
	ssize_t n;

	if (r->in_pos < r->in_len) {
		memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
		r->in_len -= r->in_pos;
	} else {
		r->in_len = 0;
	}
	r->in_pos = 0;
	do
		n = read(r->fd, r->in + r->in_len, IN_SIZE - r->in_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rerr(r, 0, NULL, "read error: %s", strerror(errno));
	if (n == 0)
		r->in_eof = 1;
	if (n > 0 && r->tee_fd >= 0 && rec_write_all(r->tee_fd, r->in + r->in_len, (size_t)n) < 0)
		return rerr(r, 0, NULL, "cannot pass the stream through: %s", strerror(errno));
	r->in_len += (size_t)n;
	return 0;
}
/* Refill the text buffer (from txt_pos on). Returns 0 (text_eof set at the end) or REC_ERROR. */
static int fill_text(struct rec_reader *r)
{
	r->txt_len = r->txt_pos = 0;
	if (r->gzip < 0) {
		while (r->in_len < 2 && !r->in_eof)
			if (fill_in(r))
				return REC_ERROR;
		r->gzip = r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b;
		if (r->gzip && !(r->gz = gz_inflater_new(rec_config()->force_zlib)))
			return rerr(r, 0, NULL, "cannot start zlib");
	}
	if (!r->gzip) {
		if (r->in_pos >= r->in_len && !r->in_eof && fill_in(r))
			return REC_ERROR;
		if (r->in_pos >= r->in_len) {
			r->text_eof = 1;
			return 0;
		}
		/* Plain text: hand the raw buffer over by swapping, no copy. */
		unsigned char *t = r->txt;
		r->txt = r->in;
		r->in = t;
		r->txt_len = r->in_len;
		r->txt_pos = r->in_pos;
		r->in_len = r->in_pos = 0;
		return 0;
	}
	while (r->txt_len == 0) {
		const char *err = NULL;
		size_t used;
		int rc;

		if (r->in_pos >= r->in_len) {
			if (!r->in_eof && fill_in(r))
				return REC_ERROR;
			if (r->in_pos >= r->in_len) {
				if (r->in_member)
					return rerr(r, r->line, NULL, "truncated gzip stream (it ends inside a member)");
				r->text_eof = 1;
				return 0;
			}
		}
		if (!r->in_member) {
			/* A new member must start with the gzip magic: anything else is garbage. */
			if (r->in_len - r->in_pos < 2 && !r->in_eof) {
				if (fill_in(r))
					return REC_ERROR;
				continue;
			}
			if (r->in_len - r->in_pos < 2 || r->in[r->in_pos] != 0x1f || r->in[r->in_pos + 1] != 0x8b)
				return rerr(r, r->line, NULL, "corrupt gzip stream: bytes after the end of a member that are not another member");
			r->in_member = 1;
		}
		rc = gz_inflate(r->gz, r->in + r->in_pos, r->in_len - r->in_pos, &used,
				r->txt, TXT_SIZE, &r->txt_len, &err);
		r->in_pos += used;
		if (rc == GZ_ERROR)
			return rerr(r, r->line, NULL, "corrupt gzip stream: %s", err);
		if (rc == GZ_MEMBER_END) {
			r->in_member = 0;
		} else if (rc == GZ_NEED_INPUT) {
			if (r->in_eof)
				return rerr(r, r->line, NULL, "truncated gzip stream (it ends inside a member)");
			if (fill_in(r))
				return REC_ERROR;
		}
	}
	return 0;
}

static void grow_fields(struct rec_reader *r)
{
	r->nf_cap *= 2;
	r->off = xrealloc(r->off, r->nf_cap * sizeof *r->off);
	r->len = xrealloc(r->len, r->nf_cap * sizeof *r->len);
}

static void cb_field(void *s, size_t n, void *data)
{
	struct rec_reader *r = data;

	if (r->nf == r->nf_cap)
		grow_fields(r);
	if (r->arena_len + n + 1 > r->arena_cap) {
		while (r->arena_len + n + 1 > r->arena_cap)
			r->arena_cap *= 2;
		r->arena = xrealloc(r->arena, r->arena_cap);
	}
	if (n)
		memcpy(r->arena + r->arena_len, s, n);
	r->arena[r->arena_len + n] = '\0';
	r->off[r->nf] = r->arena_len;
	r->len[r->nf] = n;
	r->nf++;
	r->arena_len += n + 1;
}

static void cb_record(int c, void *data)
{
	struct rec_reader *r = data;

	(void)c;
	r->record_done = 1;
	r->pending = 0;
}

/* Handle a complete directive line (without its newline). */
static int directive(struct rec_reader *r)
{
	const char *d = r->dir;
	const struct schema *s;
	const char *err = NULL;
	char id[256];

	if (r->want_header)
		return rerr(r, r->header_line, NULL, "#schema %s has no header row", r->schema->id);
	if (strncmp(d, "#schema ", 8) != 0)
		return rerr(r, r->line, NULL, "unknown directive '%.40s' (a line starting with '#' must be '#schema NAME/VERSION')", d);
	d += 8;
	while (*d == ' ')
		d++;
	snprintf(id, sizeof id, "%s", d);
	for (size_t n = strlen(id); n > 0 && (id[n - 1] == ' ' || id[n - 1] == '\r'); n--)
		id[n - 1] = '\0';
	s = schema_find(id, &err);
	if (s == NULL) {
		if (err)
			return rerr(r, r->line, NULL, "cannot load schemas: %s", err);
		return rerr(r, r->line, NULL, "unknown schema '%.60s' (not in schemas/ nor REC_SCHEMA_PATH)", id);
	}
	r->schema = s;
	r->want_header = 1;
	r->header_line = r->line;
	r->records = 0;
	return 0;
}

static int check_header(struct rec_reader *r)
{
	const struct schema *s = r->schema;
	size_t n = s->n_fields;

	for (size_t i = 0; i < r->nf && i < n; i++) {
		const char *got = r->arena + r->off[i];

		if (strcmp(got, s->fields[i].name) != 0) {
			if (schema_field_index(s, got) < 0)
				return rerr(r, r->record_line, got, "not a field of %s (column %zu should be %s)",
				            s->id, i + 1, s->fields[i].name);
			return rerr(r, r->record_line, s->fields[i].name, "header of %s: column %zu is %s, the schema has %s there",
			            s->id, i + 1, got, s->fields[i].name);
		}
	}
	if (r->nf < n)
		return rerr(r, r->record_line, s->fields[r->nf].name, "missing from the header of %s (%zu of %zu fields)",
		            s->id, r->nf, n);
	if (r->nf > n)
		return rerr(r, r->record_line, r->arena + r->off[n], "not a field of %s (the header has %zu fields, the schema %zu)",
		            s->id, r->nf, n);
	return 0;
}

/* A record is complete in the arena: header, or data. */
static int finish_record(struct rec_reader *r)
{
	r->record_done = 0;
	if (r->schema == NULL)
		return rerr(r, r->record_line, NULL, "record before any #schema line");
	if (r->want_header) {
		if (check_header(r))
			return REC_ERROR;
		r->want_header = 0;
		if (r->schema->n_fields > r->kind_cap) {
			r->kind_cap = r->schema->n_fields;
			r->kind = xrealloc(r->kind, r->kind_cap);
		}
		for (size_t i = 0; i < r->schema->n_fields; i++)
			r->kind[i] = (unsigned char)(r->schema->fields[i].type | (r->schema->fields[i].required ? REC_KIND_REQ : 0));
		return REC_SECTION;
	}
	if (r->nf != r->schema->n_fields)
		return rerr(r, r->record_line, NULL, "wrong number of fields: %zu, %s has %zu",
		            r->nf, r->schema->id, r->schema->n_fields);
	r->records++;
	progress_tick(r);
	return REC_RECORD;
}

static void start_record(struct rec_reader *r)
{
	r->nf = 0;
	r->arena_len = 0;
	r->raw_len = 0;
	r->record_line = r->line;
}

/* Split a line of M bytes (without its line end) that holds no quote at its commas into
 * the arena. Hot: every record of every stage comes through here (a person/1 row has 150
 * fields, 120 M fields a stage at 1 M applications), so there is no call per field: the
 * line is copied 16 bytes at a time while a bit mask marks its commas, quotes and CRs.
 * Returns 0, or -1 when the line holds a quote or a CR (libcsv's case) - the arena is then
 * left for the caller to reset. */
static int split_plain(struct rec_reader *r, const unsigned char *p, size_t m)
{
	char *a;
	size_t i = 0, start = 0, nf = 0;

	if (m + 1 > r->arena_cap) {
		while (m + 1 > r->arena_cap)
			r->arena_cap *= 2;
		r->arena = xrealloc(r->arena, r->arena_cap);
	}
	a = r->arena;
#define ADD_FIELD(end) do { \
		if (nf == r->nf_cap) \
			grow_fields(r); \
		r->off[nf] = start; \
		r->len[nf] = (end) - start; \
		nf++; \
	} while (0)
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');

	for (; i + 16 <= m; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		unsigned mask;

		if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr))))
			return -1;
		_mm_storeu_si128((__m128i *)(a + i), v);
		mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
		while (mask) {
			size_t pos = i + (size_t)__builtin_ctz(mask);

			mask &= mask - 1;
			a[pos] = '\0';
			ADD_FIELD(pos);
			start = pos + 1;
		}
	}
#endif
	for (; i < m; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\r')
			return -1;
		a[i] = (char)c;
		if (c == ',') {
			a[i] = '\0';
			ADD_FIELD(i);
			start = i + 1;
		}
	}
	a[m] = '\0';
	ADD_FIELD(m);
#undef ADD_FIELD
	r->nf = nf;
	r->arena_len = m + 1;
	return 0;
}

int rec_reader_next(struct rec_reader *r)
{
	if (r->failed || r->bad)   /* a refused value stops the reading too (rec.h) */
		return REC_ERROR;
	for (;;) {
		unsigned char *p, *nl;
		size_t n;

		if (r->txt_pos >= r->txt_len) {
			if (r->text_eof || fill_text(r))
				goto at_end;
			if (r->text_eof)
				goto at_end;
			continue;
		}
		p = r->txt + r->txt_pos;
		n = r->txt_len - r->txt_pos;
		nl = memchr(p, '\n', n);
		if (nl)
			n = (size_t)(nl - p) + 1;

		if (r->at_line_start && !r->pending && !r->in_dir && p[0] == '#') {
			r->in_dir = 1;
			r->dir_len = 0;
		}
		if (r->at_line_start && !r->pending && !r->in_dir)
			start_record(r);
		r->at_line_start = nl != NULL;
		r->last_byte_nl = nl != NULL;
		r->txt_pos += n;

		if (r->in_dir) {
			if (r->dir_len + n + 1 > r->dir_cap) {
				r->dir_cap = r->dir_len + n + 256;
				r->dir = xrealloc(r->dir, r->dir_cap);
			}
			memcpy(r->dir + r->dir_len, p, n);
			r->dir_len += n;
			if (!nl)
				continue;
			r->dir[r->dir_len - 1] = '\0';
			r->in_dir = 0;
			if (directive(r))
				return REC_ERROR;
			r->line++;
			continue;
		}
		/* Fast path: a whole line without quotes (most records: the writer quotes only
		 * fields that need it) is split at its commas directly; libcsv would find the
		 * same fields. Lines with a quote or a stray CR go to libcsv. */
		if (!r->pending && nl) {
			size_t m = n - 1;

			if (m > 0 && p[m - 1] == '\r')
				m--;
			if (m == 0) {
				r->line++;
				continue;   /* an empty line holds no record (as libcsv skips it) */
			}
			if (split_plain(r, p, m) == 0) {
				r->line++;
				r->rawp = (const char *)p;   /* valid until the next call: the text
							      * buffer is only refilled then */
				r->raw_len = n;
				return finish_record(r);
			}
			r->nf = 0;   /* a quote or a stray CR: start over in libcsv */
			r->arena_len = 0;
		}
		r->pending = 1;
		if (r->raw_len + n > r->raw_cap) {
			r->raw_cap = 2 * (r->raw_len + n) + 256;
			r->raw = xrealloc(r->raw, r->raw_cap);
		}
		memcpy(r->raw + r->raw_len, p, n);
		r->raw_len += n;
		r->rawp = r->raw;
		if (csv_parse(&r->csv, p, n, cb_field, cb_record, r) != n)
			return rerr(r, r->line, NULL, "malformed CSV: %s", csv_strerror(csv_error(&r->csv)));
		if (nl)
			r->line++;
		if (r->record_done)
			return finish_record(r);
		/* No record ended on this piece: a line continues inside quotes, a partial line
		 * waits for more text, or an empty line held no record. */
	}
at_end:
	if (r->failed)
		return REC_ERROR;
	if (r->in_dir)
		return rerr(r, r->line, NULL, "truncated stream: the last line has no newline");
	if (r->pending) {
		if (!r->last_byte_nl)
			return rerr(r, r->line, NULL, "truncated stream: the last line has no newline");
		if (csv_fini(&r->csv, cb_field, cb_record, r) != 0)
			return rerr(r, r->record_line, NULL, "malformed CSV: unterminated quoted field at the end of the stream");
		if (r->record_done) {
			int rc = finish_record(r);
			if (rc != 0)
				return rc;
		}
		r->pending = 0;
	}
	if (r->want_header)
		return rerr(r, r->header_line, NULL, "#schema %s has no header row", r->schema->id);
	return REC_EOF;
}

int rec_reader_check(struct rec_reader *r)
{
	char msg[256];

	if (!r->schema)
		return -1;
	for (size_t i = 0; i < r->schema->n_fields && i < r->nf; i++)
		if (schema_check_value(&r->schema->fields[i], r->arena + r->off[i], msg, sizeof msg)) {
			/* a bad value is the caller's to judge; the stream itself is fine */
			rec_reader_set_error(r, r->record_line, r->schema->fields[i].name, "%s", msg);
			return (int)i;
		}
	return -1;
}
