/* rec.c - the record stream reader and writer (see rec.h for the contract).
 *
 * Reader pipeline: read() -> [inflate (ISA-L, or zlib), member after member] -> text buffer
 * -> one line at a time -> the fields of one record in an arena. A line without a quote (the
 * writer quotes only fields that need it, so nearly every line) is split by split_plain, 16
 * bytes at a time; any other line goes to libcsv. Feeding libcsv a line at a time costs one
 * call per line but gives exact line numbers for every diagnostic and lets `#` directive
 * lines be recognised before libcsv sees them (the writer quotes every field that starts
 * with '#', so an unquoted '#' at the start of a record can only be a directive). Because a
 * line holds at most one record end, one record is complete at a time: no queue.
 */
#include "rec.h"
#include "diag.h"
#include "datecalc.h"
#include "outfile.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define IN_SIZE   (256 * 1024)
#define TXT_SIZE  (256 * 1024)
#define OUT_SIZE  (256 * 1024)

void rec_enlarge_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1024 * 1024);   /* best effort: the limit may be lower */
#else
	(void)fd;
#endif
}

/* ---------------------------------------------------------------- reader */

struct rec_reader {
	int fd;
	char *name;
	int tee_fd;

	unsigned char *in;          /* raw bytes as read */
	size_t in_len, in_pos;
	int in_eof;
	int gzip;                   /* -1 not yet known, 0 plain, 1 gzip */
	z_stream zs;
	int z_init;
#ifdef HAVE_ISAL
	/* ISA-L inflates about three times faster than zlib (bench/README.md); zlib stays
	 * the fallback (REC_ZLIB=1 forces it) and reads the same members. */
	struct inflate_state *is;
#endif
	int in_member;              /* inside a gzip member (its end not seen yet) */

	unsigned char *txt;         /* decompressed text */
	size_t txt_len, txt_pos;
	int text_eof;
	int last_byte_nl;           /* the text so far ends with '\n' (or is empty) */

	struct csv_parser csv;
	long line;                  /* number of the line being fed (1-based) */
	int at_line_start;
	int pending;                /* bytes of an unfinished record were fed to libcsv */
	int record_done;
	long record_line;

	char *dir;                  /* a '#' directive line being collected */
	size_t dir_len, dir_cap;
	int in_dir;

	char *raw;                  /* a record libcsv parsed, its bytes as read (valid CSV) */
	size_t raw_len, raw_cap;
	const char *rawp;           /* the current record's bytes as read, for rec_put_fields:
				     * raw, or the line in the text buffer (fast path) */

	char *arena;                /* the fields of the current record, NUL-terminated */
	size_t arena_len, arena_cap;
	size_t *off, *len;
	size_t nf, nf_cap;
	int too_long;               /* a record with more fields than nf_cap allows grows it */

	int progress;               /* stderr is a terminal: report progress on long runs */
	long total_records;
	double started, last_report;
	int progress_shown;

	const struct schema *schema;
	int want_header;
	long header_line;
	long records;
	int failed;
	char err[1024];
};

static int rerr(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int rerr(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (line > 0)
		n = snprintf(r->err, sizeof r->err, "%s:%ld: ", r->name, line);
	else
		n = snprintf(r->err, sizeof r->err, "%s: ", r->name);
	if (field && *field && n >= 0 && (size_t)n < sizeof r->err)
		n += snprintf(r->err + n, sizeof r->err - (size_t)n, "%s: ", field);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof r->err)
		vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
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
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
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
	if (r->z_init)
		inflateEnd(&r->zs);
#ifdef HAVE_ISAL
	free(r->is);
#endif
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

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
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
	if (n > 0 && r->tee_fd >= 0 && write_all(r->tee_fd, r->in + r->in_len, (size_t)n) < 0)
		return rerr(r, 0, NULL, "cannot pass the stream through: %s", strerror(errno));
	r->in_len += (size_t)n;
	return 0;
}

#ifdef HAVE_ISAL
static int zlib_forced(void)
{
	const char *z = getenv("REC_ZLIB");

	return z && strcmp(z, "1") == 0;
}

static const char *isal_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid block type";
	case ISAL_INVALID_SYMBOL: return "invalid code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	default: return "inflate failed";
	}
}

/* One step of ISA-L inflate over the raw bytes (fill_text's loop around it gives the same
 * member, truncation and garbage rules as with zlib). Returns 0 or REC_ERROR. */
static int isal_step(struct rec_reader *r)
{
	struct inflate_state *is = r->is;
	size_t avail = r->in_len - r->in_pos;
	int rc;

	is->next_in = r->in + r->in_pos;
	is->avail_in = (uint32_t)avail;
	is->next_out = r->txt;
	is->avail_out = TXT_SIZE;
	rc = isal_inflate(is);
	r->in_pos = r->in_len - is->avail_in;
	r->txt_len = TXT_SIZE - is->avail_out;
	if (rc < 0)
		return rerr(r, r->line, NULL, "corrupt gzip stream: %s", isal_error(rc));
	if (is->block_state == ISAL_BLOCK_FINISH) {
		r->in_member = 0;
		isal_inflate_reset(is);
		is->crc_flag = ISAL_GZIP;
	} else if (r->txt_len == 0 && is->avail_in == avail) {
		/* no progress: it needs more input than there is */
		if (r->in_eof)
			return rerr(r, r->line, NULL, "truncated gzip stream (it ends inside a member)");
		return fill_in(r);
	}
	return 0;
}
#endif

/* Refill the text buffer (from txt_pos on). Returns 0 (text_eof set at the end) or REC_ERROR. */
static int fill_text(struct rec_reader *r)
{
	r->txt_len = r->txt_pos = 0;
	if (r->gzip < 0) {
		while (r->in_len < 2 && !r->in_eof)
			if (fill_in(r))
				return REC_ERROR;
		r->gzip = r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b;
#ifdef HAVE_ISAL
		if (r->gzip && !zlib_forced()) {
			r->is = xcalloc(1, sizeof *r->is);
			isal_inflate_init(r->is);
			r->is->crc_flag = ISAL_GZIP;
		} else
#endif
		if (r->gzip) {
			memset(&r->zs, 0, sizeof r->zs);
			if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK)
				return rerr(r, 0, NULL, "cannot start zlib");
			r->z_init = 1;
		}
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
		int zrc;

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
#ifdef HAVE_ISAL
		if (r->is) {
			if (isal_step(r))
				return REC_ERROR;
			continue;
		}
#endif
		r->zs.next_in = r->in + r->in_pos;
		r->zs.avail_in = (uInt)(r->in_len - r->in_pos);
		r->zs.next_out = r->txt;
		r->zs.avail_out = TXT_SIZE;
		zrc = inflate(&r->zs, Z_NO_FLUSH);
		r->in_pos = r->in_len - r->zs.avail_in;
		r->txt_len = TXT_SIZE - r->zs.avail_out;
		if (zrc == Z_STREAM_END) {
			r->in_member = 0;
			if (inflateReset(&r->zs) != Z_OK)
				return rerr(r, 0, NULL, "cannot reset zlib");
		} else if (zrc == Z_BUF_ERROR) {
			if (r->in_eof && r->zs.avail_in == 0 && r->txt_len == 0)
				return rerr(r, r->line, NULL, "truncated gzip stream (it ends inside a member)");
			if (r->zs.avail_in == 0 && fill_in(r))
				return REC_ERROR;
		} else if (zrc != Z_OK) {
			return rerr(r, r->line, NULL, "corrupt gzip stream: %s", r->zs.msg ? r->zs.msg : "inflate failed");
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
	if (r->failed)
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
			rerr(r, r->record_line, r->schema->fields[i].name, "%s", msg);
			r->failed = 0;   /* a bad value is the caller's to judge; the stream itself is fine */
			return (int)i;
		}
	return -1;
}

int rec_parse_int(const char *s, long *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno)
		return -1;
	*out = v;
	return 0;
}

int rec_parse_num(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '\0')
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int rec_parse_bool(const char *s, int *out)
{
	if ((s[0] == '0' || s[0] == '1') && s[1] == '\0') {
		*out = s[0] - '0';
		return 0;
	}
	return -1;
}

/* ---------------------------------------------------------------- writer */

struct rec_writer {
	int fd;
	char *name;                 /* for messages */
	struct outfile of;          /* a named file: written safely, renamed at close (outfile.h) */
	int level;
	z_stream zs;
	int z_init;
#ifdef HAVE_ISAL
	/* Level 1 goes through ISA-L's igzip when the build has it: the same gzip format,
	 * about four times zlib's level-1 speed (bench/README.md). REC_ZLIB=1 forces zlib. */
	struct isal_zstream is;
	uint8_t *is_level_buf;
	int use_isal;
#endif
	unsigned char *buf;         /* CSV text waiting to be written or compressed */
	size_t len;
	unsigned char *zbuf;
	const struct schema *schema;
	const struct schema **sections;   /* every section written, for REC_COUNTS */
	long *section_records;
	size_t n_sections;
	size_t field;               /* fields put in the current record */
	int empty_only;             /* the record so far is one empty field */
	int failed;
	char err[512];
};

static void werr(struct rec_writer *w, const char *what)
{
	if (!w->failed)
		snprintf(w->err, sizeof w->err, "%s: %s", w->name, what);
	w->failed = 1;
}

static int level_from_env(void)
{
	const char *s = getenv("REC_LEVEL");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return REC_LEVEL_DEFAULT;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 9) {
		diag_warn(NULL, 0, "REC_LEVEL", "not a level 0..9: '%s'; using %d", s, REC_LEVEL_DEFAULT);
		return REC_LEVEL_DEFAULT;
	}
	return (int)v;
}

struct rec_writer *rec_writer_open(const char *path, int level, int mode)
{
	struct rec_writer *w = xcalloc(1, sizeof *w);

	if (path == NULL || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		w->name = xstrdup("stdout");
		rec_enlarge_pipe(w->fd);
	} else {
		if (outfile_open(&w->of, path, (mode_t)mode) < 0) {
			int e = errno;

			free(w);
			errno = e;
			return NULL;
		}
		w->fd = w->of.fd;
		w->name = xstrdup(path);
	}
	w->level = level >= 0 ? level : level_from_env();
	if (w->level > 9)
		w->level = 9;
	w->buf = xmalloc(OUT_SIZE);
#ifdef HAVE_ISAL
	if (w->level == 1 && !zlib_forced()) {
		w->use_isal = 1;
		w->zbuf = xmalloc(OUT_SIZE);
		isal_deflate_init(&w->is);
		w->is.level = 1;
		w->is.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
		w->is_level_buf = xmalloc(ISAL_DEF_LVL1_DEFAULT);
		w->is.level_buf = w->is_level_buf;
		w->is.gzip_flag = IGZIP_GZIP;
		w->is.flush = NO_FLUSH;
		return w;
	}
#endif
	if (w->level > 0) {
		w->zbuf = xmalloc(OUT_SIZE);
		if (deflateInit2(&w->zs, w->level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			die(EXIT_DATA, NULL, 0, NULL, "cannot start zlib");
		w->z_init = 1;
	}
	return w;
}

#ifdef HAVE_ISAL
static void isal_out(struct rec_writer *w, const unsigned char *p, size_t n, int finish)
{
	w->is.next_in = (uint8_t *)p;
	w->is.avail_in = (uint32_t)n;
	w->is.end_of_stream = (uint16_t)(finish != 0);
	do {
		w->is.next_out = w->zbuf;
		w->is.avail_out = OUT_SIZE;
		if (isal_deflate(&w->is) != COMP_OK) {
			werr(w, "ISA-L deflate failed");
			return;
		}
		if (!w->failed && write_all(w->fd, w->zbuf, OUT_SIZE - w->is.avail_out) < 0)
			werr(w, strerror(errno));
	} while (w->is.avail_in > 0 || w->is.avail_out == 0 ||
	         (finish && w->is.internal_state.state != ZSTATE_END));
}
#endif

static void deflate_out(struct rec_writer *w, const unsigned char *p, size_t n, int flush)
{
	w->zs.next_in = (unsigned char *)p;
	w->zs.avail_in = (uInt)n;
	do {
		int rc;

		w->zs.next_out = w->zbuf;
		w->zs.avail_out = OUT_SIZE;
		rc = deflate(&w->zs, flush);
		if (rc == Z_STREAM_ERROR) {
			werr(w, "zlib deflate failed");
			return;
		}
		if (!w->failed && write_all(w->fd, w->zbuf, OUT_SIZE - w->zs.avail_out) < 0)
			werr(w, strerror(errno));
	} while (w->zs.avail_out == 0 || (flush == Z_FINISH && w->zs.avail_in > 0));
}

/* Write out buf[0, upto) and keep the rest (an unfinished record) at the front. */
static void flush_buf(struct rec_writer *w, size_t upto, int finish)
{
	if (!w->failed) {
		if (w->level == 0) {
			if (upto && write_all(w->fd, w->buf, upto) < 0)
				werr(w, strerror(errno));
#ifdef HAVE_ISAL
		} else if (w->use_isal) {
			isal_out(w, w->buf, upto, finish);
#endif
		} else {
			deflate_out(w, w->buf, upto, finish ? Z_FINISH : Z_NO_FLUSH);
		}
	}
	memmove(w->buf, w->buf + upto, w->len - upto);
	w->len -= upto;
}

static void put_bytes(struct rec_writer *w, const char *p, size_t n)
{
	while (n > 0) {
		size_t room;

		if (w->len == OUT_SIZE)
			flush_buf(w, w->len, 0);
		room = OUT_SIZE - w->len;
		if (room > n)
			room = n;
		memcpy(w->buf + w->len, p, room);
		w->len += room;
		p += room;
		n -= room;
	}
}

int rec_writer_section(struct rec_writer *w, const char *id)
{
	const char *err = NULL;
	const struct schema *s = schema_find(id, &err);

	if (s == NULL) {
		snprintf(w->err, sizeof w->err, "%s: %s", id, err ? err : "unknown schema");
		return -1;
	}
	if (w->field != 0)
		BUG("section %s started inside a record", id);
	w->schema = s;
	w->sections = xrealloc(w->sections, (w->n_sections + 1) * sizeof *w->sections);
	w->section_records = xrealloc(w->section_records, (w->n_sections + 1) * sizeof *w->section_records);
	w->sections[w->n_sections] = s;
	w->section_records[w->n_sections++] = 0;
	put_bytes(w, "#schema ", 8);
	put_bytes(w, s->id, strlen(s->id));
	put_bytes(w, "\n", 1);
	for (size_t i = 0; i < s->n_fields; i++) {
		if (i)
			put_bytes(w, ",", 1);
		put_bytes(w, s->fields[i].name, strlen(s->fields[i].name));
	}
	put_bytes(w, "\n", 1);
	return 0;
}

static const unsigned char needs_quote[256] = {
	['"'] = 1, [','] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* Does a value hold a byte that must be quoted? Hot (every field a stage writes itself:
 * 32-digit keys, dates, codes): 16 bytes at a time where SSE2 is there. */
static int any_needs_quote(const char *v, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
		lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');

	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(v + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, quote)),
					   _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr)));

		if (_mm_movemask_epi8(hit))
			return 1;
	}
#endif
	for (; i < n; i++)
		if (needs_quote[(unsigned char)v[i]])
			return 1;
	return 0;
}

void rec_put_len(struct rec_writer *w, const char *v, size_t n)
{
	int quote = 0;

	if (w->schema == NULL)
		BUG("rec_put before rec_writer_section");
	if (v == NULL) {
		v = "";
		n = 0;
	}
	if (n > 0 && v[0] == '#')
		quote = 1;
	else
		quote = any_needs_quote(v, n);
	w->empty_only = w->field == 0 && n == 0;
	/* Hot (every field a stage writes itself): the separator and the value straight into
	 * the buffer when they fit. */
	if (!quote && w->len + n + 1 <= OUT_SIZE) {
		if (w->field++)
			w->buf[w->len++] = ',';
		memcpy(w->buf + w->len, v, n);
		w->len += n;
		return;
	}
	if (w->field++)
		put_bytes(w, ",", 1);
	if (!quote) {
		put_bytes(w, v, n);
		return;
	}
	put_bytes(w, "\"", 1);
	for (size_t i = 0; i < n;) {
		const char *q = memchr(v + i, '"', n - i);
		size_t upto = q ? (size_t)(q - v) + 1 : n;

		put_bytes(w, v + i, upto - i);
		if (q)
			put_bytes(w, "\"", 1);   /* a quote is written twice */
		i = upto;
	}
	put_bytes(w, "\"", 1);
}

void rec_put(struct rec_writer *w, const char *v)
{
	rec_put_len(w, v, v ? strlen(v) : 0);
}

void rec_put_missing(struct rec_writer *w)
{
	/* Hot: link-waves writes 66 empty wave columns for every person outside the panel
	 * (54 M a run). Not the first field: no lone empty field to guard against. */
	if (w->field > 0 && w->len + 1 <= OUT_SIZE) {
		w->buf[w->len++] = ',';
		w->field++;
		w->empty_only = 0;
		return;
	}
	rec_put_len(w, "", 0);
}

void rec_put_int(struct rec_writer *w, long v)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	/* by hand, not snprintf: counts and line numbers are written for every record */
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	rec_put_len(w, p, (size_t)(buf + sizeof buf - p));
}

void rec_put_num(struct rec_writer *w, double v)
{
	char buf[40];
	int n;

	if (isnan(v) || isinf(v)) {
		rec_put_missing(w);
		return;
	}
	if (v == 0)
		v = 0;   /* no "-0" */
	n = snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		n = snprintf(buf, sizeof buf, "%.17g", v);
	rec_put_len(w, buf, (size_t)n);
}

void rec_put_bool(struct rec_writer *w, int v)
{
	/* Hot (a stage of flags writes dozens a record): not the first field, so there is a
	 * section and no lone empty field to guard against. */
	if (v >= 0 && w->field > 0 && w->len + 2 <= OUT_SIZE) {
		w->buf[w->len++] = ',';
		w->buf[w->len++] = v ? '1' : '0';
		w->field++;
		w->empty_only = 0;
		return;
	}
	if (v < 0) {
		rec_put_missing(w);   /* most people have no survey answers: most flags are missing */
		return;
	}
	rec_put_len(w, v ? "1" : "0", 1);
}

void rec_put_date(struct rec_writer *w, int day)
{
	char buf[16];

	if (day == DATE_NONE) {
		rec_put_missing(w);
		return;
	}
	date_format_iso(day, buf);
	rec_put_len(w, buf, 10);
}

void rec_put_fields(struct rec_writer *w, const struct rec_reader *r)
{
	size_t n = r->raw_len;

	/* The record's bytes as read are already CSV with exactly these fields, so they are
	 * copied as they are instead of being quoted field by field again (that re-quoting was
	 * nearly half of a column-adding stage's time). Only the line end is dropped: LF, or
	 * CRLF from a writer that uses it. A stream that did not come from this library keeps
	 * its own (valid) quoting. */
	if (w->schema == NULL)
		BUG("rec_put_fields before rec_writer_section");
	if (n > 0 && r->rawp[n - 1] == '\n')
		n--;
	if (n > 0 && r->rawp[n - 1] == '\r')
		n--;
	if (r->nf == 0)
		return;
	if (w->field)
		put_bytes(w, ",", 1);
	put_bytes(w, r->rawp, n);
	w->field += r->nf;
	w->empty_only = 0;   /* a lone empty field came in as "" and is copied as such */
}

void rec_writer_end(struct rec_writer *w)
{
	if (w->schema == NULL || w->field != w->schema->n_fields)
		BUG("record of %zu fields for %s, which has %zu", w->field,
		    w->schema ? w->schema->id : "(no section)", w->schema ? w->schema->n_fields : 0);
	/* One empty field alone would be a blank line, which CSV readers skip. */
	if (w->empty_only)
		put_bytes(w, "\"\"", 2);
	put_bytes(w, "\n", 1);
	w->section_records[w->n_sections - 1]++;
	w->field = 0;
	w->empty_only = 0;
}

int rec_writer_failed(const struct rec_writer *w) { return w->failed; }
const char *rec_writer_error(const struct rec_writer *w) { return w->err; }

/* REC_COUNTS=FILE: the stage's own count of what it wrote on stdout, in rec-check's words,
 * so a pipeline can report rows per stage without parsing every stream a second time. */
static void report_counts(const struct rec_writer *w)
{
	const char *path = getenv("REC_COUNTS");
	long total = 0;
	FILE *fp;

	if (path == NULL || *path == '\0' || w->fd != STDOUT_FILENO || (fp = fopen(path, "a")) == NULL)
		return;
	for (size_t i = 0; i < w->n_sections; i++) {
		fprintf(fp, "stdout: %s: %ld records\n", w->sections[i]->id, w->section_records[i]);
		total += w->section_records[i];
	}
	fprintf(fp, "stdout: %s: %zu sections, %ld records\n", w->failed ? "FAILED" : "ok", w->n_sections, total);
	fclose(fp);
}

int rec_writer_close(struct rec_writer *w)
{
	int rc;

	if (w == NULL)
		return 0;
	if (w->field != 0)
		BUG("rec_writer_close inside a record");
	flush_buf(w, w->len, 1);
	if (w->z_init)
		deflateEnd(&w->zs);
	if (w->fd != STDOUT_FILENO) {
		if (w->failed)
			outfile_abort(&w->of);
		else if (outfile_commit(&w->of) < 0)
			werr(w, w->of.err);
	}
	rc = w->failed ? -1 : 0;
	if (w->failed)
		diag_warn(NULL, 0, NULL, "write error: %s", w->err);
	report_counts(w);
	free(w->sections);
	free(w->section_records);
	free(w->name);
	free(w->buf);
	free(w->zbuf);
#ifdef HAVE_ISAL
	free(w->is_level_buf);
#endif
	free(w);
	return rc;
}
