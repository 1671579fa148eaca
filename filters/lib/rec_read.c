/* rec_read.c - the record stream reader (see rec.h for the contract).
 *
 * Reader pipeline: read() -> [inflate (gz.h: ISA-L or zlib), member after member] -> text
 * buffer -> one whole line at a time (next_line: a view into the text buffer, or the line
 * collected across refills when it is longer than what the buffer holds) -> the fields of
 * one record in an arena. A line without a quote (the writer quotes only fields that need
 * it, so nearly every line) is split by split_plain, 16 bytes at a time (or, with AVX2,
 * split_sparse and a lazy split's count_rest, 32); any other line goes to libcsv. Feeding libcsv a line at a time costs one call per line but gives exact
 * line numbers for every diagnostic and lets `#` directive lines be recognised before
 * libcsv sees them (the writer quotes every field that starts with '#', so an unquoted '#'
 * at the start of a record can only be a directive). A line holds at most one record end
 * (a second one, from a stray CR, is an error), so one record is complete at a time: no
 * queue.
 *
 * Linear time: every buffer grows geometrically (libcsv's own grows by a block size we
 * set to its current size before each call), so a 10 MB line is read in one pass in every
 * build - a fixed step is quadratic under AddressSanitizer, whose realloc always copies.
 */
#include "rec.h"
#include "rec_impl.h"
#include "diag.h"
#include "utf8.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__SSE2__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SPLIT_SPARSE 1
static int wide_rest = -1;   /* count_rest (AVX2, POPCNT) may run here; set by the first reader */
#endif

/* REC_IO_SIZE: the read and text buffers; the fuzz build (make fuzz) sets it small, so
 * that nearly every input crosses refills (and a large buffer per run is no cost there). */
#ifndef REC_IO_SIZE
#define REC_IO_SIZE (256 * 1024)
#endif
#define IN_SIZE   REC_IO_SIZE
#define TXT_SIZE  REC_IO_SIZE
/* Every buffer a line is split from (in, txt, part) and the arena it is split into have
 * PAD bytes more than they hold, all defined: the splits read and write the last piece
 * of a line a block at a time (16 bytes, 32 with AVX2), past its end. */
#define PAD 32

/* The tee lent (REC_VMSPLICE=1, a pipe, plain input): rec-cat --pass hands the person
 * stream on to tabulate, 300 MB at 1 M applications, and write(2) into the pipe was a
 * third of its time (issue 22). The text is read straight into one of TEE_SLOTS buffers
 * and that buffer is lent to the pipe with vmsplice, as rec_write.c's struct lend does
 * (which says when that is safe: a reader that copies, hence the opt-in): a buffer is
 * read into again only when a pipe's worth of bytes went in after it; when none is free
 * (short reads), that read goes to the reader's own buffer and is written as before. */
#define TEE_SLOTS 8
struct tee_ring {
	unsigned char *ring;        /* TEE_SLOTS buffers of IN_SIZE + PAD */
	size_t slot;                /* the next to lend */
	unsigned long long sent;    /* bytes into the pipe so far, lent or written */
	unsigned long long after[TEE_SLOTS];   /* sent when each buffer was last lent */
	unsigned char lent[TEE_SLOTS];
};

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
	utf8_clean(r->err);   /* input bytes quoted in it: one line of text (rec.h) */
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
	r->in = xcalloc(1, IN_SIZE + PAD);
	r->txt = xcalloc(1, TXT_SIZE + PAD);
	r->gzip = -1;
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
	r->split_limit = SIZE_MAX;
#ifdef HAVE_SPLIT_SPARSE
	if (wide_rest < 0) {
		__builtin_cpu_init();
		wide_rest = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
			    !rec_config()->split_whole;
	}
#endif
	return r;
}

void rec_reader_split_lazily(struct rec_reader *r)
{
	r->split_limit = 0;
}

#ifdef HAVE_SPLIT_SPARSE
/* The sparse split needs BMI2's pdep and POPCNT, and pays only where pdep is one
 * instruction: not on AMD before Zen 3 (family 0x19), which runs it as microcode. */
static int sparse_fast_here(void)
{
	unsigned a, b, c, d, family;

	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("popcnt"))
		return 0;
	if (!__get_cpuid(0, &a, &b, &c, &d) || b != 0x68747541u)   /* "Auth"enticAMD */
		return 1;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	family = (a >> 8) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	return family >= 0x19;
}
#endif

int rec_reader_split_sparsely(struct rec_reader *r)
{
#ifdef HAVE_SPLIT_SPARSE
	static int fast = -1;

	if (fast < 0)
		fast = sparse_fast_here();
	if (!fast || rec_config()->split_whole || r->sparse)
		return r->sparse;
	r->sparse = 1;
	r->need = xcalloc(1, REC_MAX_FIELDS / 8 + 8);
	return 1;
#else
	(void)r;
	return 0;
#endif
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
	if (r->tee_ring) {   /* munmap, never free: the pipe may hold its pages still */
		munmap(r->tee_ring->ring, (size_t)TEE_SLOTS * (IN_SIZE + PAD));
		free(r->tee_ring);
	}
	if (r->txt_own)
		r->txt = r->txt_own;
	rec_get_release(r);
	free(r->kind);
	free(r->need);
	csv_free(&r->csv);
	free(r->name);
	free(r->in);
	free(r->txt);
	free(r->part);
	free(r->arena);
	free(r->raw);
	free(r->off);
	free(r->len);
	free(r);
}

void rec_reader_tee(struct rec_reader *r, int fd)
{
	struct stat st;
	void *ring;

	r->tee_fd = fd;
	if (!rec_config()->vmsplice || r->tee_ring || fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return;
	ring = mmap(NULL, (size_t)TEE_SLOTS * (IN_SIZE + PAD), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ring == MAP_FAILED)
		return;
	r->tee_ring = xcalloc(1, sizeof *r->tee_ring);
	r->tee_ring->ring = ring;
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
	/* n_split: nf, unless split lazily; split sparsely, not every field of it */
	if (i < r->n_split && !(r->sparse_rec && (r->kind[i] & REC_KIND_SKIP)))
		return r->arena + r->off[i];
	if (i >= r->nf)
		return "";
	rec_need(r, i);
	return r->arena + r->off[i];
}

size_t rec_reader_field_len(const struct rec_reader *r, size_t i)
{
	if (i < r->n_split && !(r->sparse_rec && (r->kind[i] & REC_KIND_SKIP)))
		return r->len[i];
	if (i >= r->nf)
		return 0;
	rec_need(r, i);
	return r->len[i];
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
	if (n > 0 && r->tee_ring)
		r->tee_ring->sent += (unsigned long long)n;
	r->in_len += (size_t)n;
	return 0;
}

/* Plain text with the tee lent: read into the next ring buffer, which becomes the text
 * buffer, and lend it; or, when it may be in the pipe still, into the reader's own text
 * buffer, written. Returns 0 (text_eof set at the end) or REC_ERROR. */
static int fill_lent(struct rec_reader *r)
{
	struct tee_ring *t = r->tee_ring;
	int lend = rec_lend_reusable(r->tee_fd, t->lent[t->slot], t->sent, t->after[t->slot]);
	unsigned char *buf;
	ssize_t n;

	if (r->txt_own == NULL)
		r->txt_own = r->txt;
	buf = lend ? t->ring + t->slot * (IN_SIZE + PAD) : r->txt_own;
	do
		n = read(r->fd, buf, IN_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rerr(r, 0, NULL, "read error: %s", strerror(errno));
	r->txt = buf;
	r->txt_pos = 0;
	r->txt_len = (size_t)n;
	if (n == 0) {
		r->in_eof = r->text_eof = 1;
		return 0;
	}
	if ((lend ? rec_vmsplice_all : rec_write_all)(r->tee_fd, buf, (size_t)n) < 0)
		return rerr(r, 0, NULL, "cannot pass the stream through: %s", strerror(errno));
	t->sent += (unsigned long long)n;
	if (lend) {
		t->after[t->slot] = t->sent;
		t->lent[t->slot] = 1;
		t->slot = (t->slot + 1) % TEE_SLOTS;
	}
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
		if (r->tee_ring && r->in_pos >= r->in_len && !r->in_eof)
			return fill_lent(r);
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

/* Room for one more field; 0, or -1 when the record would pass REC_MAX_FIELDS. */
static int grow_fields(struct rec_reader *r)
{
	if (r->nf_cap >= REC_MAX_FIELDS)
		return -1;
	r->nf_cap *= 2;
	r->off = xrealloc(r->off, r->nf_cap * sizeof *r->off);
	r->len = xrealloc(r->len, r->nf_cap * sizeof *r->len);
	return 0;
}

/* BUF (of *cap bytes) made to hold NEED: doubled until it does (never a fixed step: see
 * the top of this file). Returns the buffer. */
static void *reserve(void *buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return buf;
	while (*cap < need)
		*cap = *cap ? 2 * *cap : 4096;
	return xrealloc(buf, *cap);
}

static void cb_field(void *s, size_t n, void *data)
{
	struct rec_reader *r = data;

	if (r->nf == r->nf_cap && grow_fields(r) < 0) {
		r->too_many = 1;
		return;
	}
	r->arena = reserve(r->arena, &r->arena_cap, r->arena_len + n + 1);
	if (n)
		memcpy(r->arena + r->arena_len, s, n);
	r->arena[r->arena_len + n] = '\0';
	r->off[r->nf] = r->arena_len;
	r->len[r->nf] = n;
	r->nf++;
	r->n_split = r->nf;   /* libcsv's records are split whole */
	r->arena_len += n + 1;
}

static void cb_record(int c, void *data)
{
	struct rec_reader *r = data;

	(void)c;
	r->record_done++;
	r->pending = 0;
}

/* A directive line P (N bytes, its line end included). */
static int directive(struct rec_reader *r, const unsigned char *p, size_t n)
{
	const struct schema *s;
	const char *err = NULL;
	char line[REC_MAX_DIRECTIVE + 1], *id;
	size_t bad;

	if (r->want_header)
		return rerr(r, r->header_line, NULL, "#schema %s has no header row", r->schema->id);
	n--;   /* the '\n' */
	if (n > REC_MAX_DIRECTIVE)
		return rerr(r, r->line, NULL, "a '#' line longer than %d bytes (REC_MAX_DIRECTIVE)", REC_MAX_DIRECTIVE);
	memcpy(line, p, n);
	line[n] = '\0';
	if ((bad = utf8_bad(line, n)) < n)
		return rerr(r, r->line, NULL, "a '#' line that is not text: byte 0x%02x at position %zu",
			    (unsigned char)line[bad], bad + 1);
	if (strncmp(line, "#schema ", 8) != 0)
		return rerr(r, r->line, NULL, "unknown directive '%.40s' (a line starting with '#' must be '#schema NAME/VERSION')", line);
	if (++r->sections > REC_MAX_SECTIONS)
		return rerr(r, r->line, NULL, "more than %d sections in one stream (REC_MAX_SECTIONS)", REC_MAX_SECTIONS);
	id = line + 8 + strspn(line + 8, " ");
	for (n = strlen(id); n > 0 && (id[n - 1] == ' ' || id[n - 1] == '\r'); n--)
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

/* Every field is text: UTF-8 without a NUL (rec.h). Only records that hold a byte >= 0x80
 * or a NUL (r->care) come here. */
static int check_bytes(struct rec_reader *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		const char *v = r->arena + r->off[i];
		size_t at = utf8_bad(v, r->len[i]);
		char field[32];
		const char *name = field;

		if (at == r->len[i])
			continue;
		if (i < r->schema->n_fields)
			name = r->schema->fields[i].name;
		else
			snprintf(field, sizeof field, "field %zu", i + 1);
		if (v[at] == '\0')
			return rerr(r, r->record_line, name, "a NUL byte at position %zu", at + 1);
		return rerr(r, r->record_line, name, "not utf-8: byte 0x%02x at position %zu",
			    (unsigned char)v[at], at + 1);
	}
	return 0;
}

/* A record is complete in the arena: header, or data. */
static int finish_record(struct rec_reader *r)
{
	if (r->record_done > 1)
		return rerr(r, r->record_line, NULL, "malformed CSV: a CR inside a line, outside quotes");
	r->record_done = 0;
	if (r->schema == NULL)
		return rerr(r, r->record_line, NULL, "record before any #schema line");
	/* a header is read by name, and a record of other bytes than ASCII is checked field
	 * by field: both split whole */
	if ((r->care || r->want_header) && r->n_split < r->nf)
		rec_split_to(r, r->nf - 1);
#ifdef FUZZ_PLANTED_BUG
	/* A bug planted on purpose, only in `make fuzz FUZZ_FLAGS=-DFUZZ_PLANTED_BUG`: the
	 * demonstration that the fuzzer finds one (tests/fuzz/README.md). An off-by-one that
	 * writes one byte past the arena when a record of more than 4 fields ends empty. */
	if (r->nf > 4 && r->len[r->nf - 1] == 0)
		r->arena[r->arena_cap] = '\0';
#endif
	if (r->care && check_bytes(r))
		return REC_ERROR;
	if (r->want_header) {
		if (check_header(r))
			return REC_ERROR;
		r->want_header = 0;
		if (r->schema->n_fields > r->kind_cap) {
			r->kind_cap = r->schema->n_fields;
			r->kind = xrealloc(r->kind, r->kind_cap);
		}
		for (size_t i = 0; i < r->schema->n_fields; i++)
			r->kind[i] = (unsigned char)(r->schema->fields[i].type | (r->schema->fields[i].required ? REC_KIND_REQ : 0) |
						     (r->schema->fields[i].hex_digits ? REC_KIND_HEX : 0) |
						     (r->sparse ? REC_KIND_SKIP : 0));
		if (r->sparse)   /* a new section: nothing read yet, so nothing to split */
			memset(r->need, 0, REC_MAX_FIELDS / 8 + 8);
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
	r->n_split = 0;
	r->sparse_rec = 0;
	r->arena_len = 0;
	r->raw_len = 0;
	r->care = 0;
	r->record_line = r->line;
}

enum { SPLIT_LIBCSV = -1, SPLIT_TOO_MANY = -2 };

/* split_plain's fields so far, in locals: the arena's stores (char) could alias the
 * reader's own pointers, which would then be loaded again for every field. */
struct split {
	size_t *off, *len;
	size_t cap, nf, start;
	size_t limit;               /* split this many fields (r->split_limit) ... */
	size_t counted;             /* ... and only count the commas after them */
};

/* Field S->nf ends at END; 0, or -1 past REC_MAX_FIELDS. */
static inline __attribute__((always_inline)) int add_field(struct rec_reader *r, struct split *s, size_t end)
{
	if (s->nf == s->cap) {
		if (grow_fields(r) < 0)
			return -1;
		s->off = r->off;
		s->len = r->len;
		s->cap = r->nf_cap;
	}
	s->off[s->nf] = s->start;
	s->len[s->nf] = end - s->start;
	s->nf++;
	s->start = end + 1;
	return 0;
}

/* The set bits of a 16-bit mask (the build has no -mpopcnt: __builtin_popcount would be
 * a call into libgcc). */
static inline unsigned bits16(unsigned x)
{
	x = x - ((x >> 1) & 0x5555u);
	x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
	x = (x + (x >> 4)) & 0x0f0fu;
	return (x + (x >> 8)) & 0x1fu;
}

#ifdef __SSE2__
/* One piece of split_plain: the 16 bytes V at offset I of the line, of which the bits of
 * LIVE are the line's. LAZY (a constant): past S->limit fields, commas are only counted.
 * Returns 0, SPLIT_LIBCSV or SPLIT_TOO_MANY. */
static inline __attribute__((always_inline)) int split16(struct rec_reader *r, struct split *s, char *a,
							 size_t i, __m128i v, unsigned live, int lazy)
{
	unsigned mask;
	__m128i commas;

	if ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
						     _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')))) & live)
		return SPLIT_LIBCSV;
	commas = _mm_cmpeq_epi8(v, _mm_set1_epi8(','));
	mask = (unsigned)_mm_movemask_epi8(commas) & live;
	if (lazy && s->nf >= s->limit) {
		_mm_storeu_si128((__m128i *)(a + i), v);
		s->counted += bits16(mask);
		return 0;
	}
	/* Split whole, every comma ends a field: the block goes to the arena with its commas
	 * as the NULs that end the fields (a lazy split ends only those it splits) */
	_mm_storeu_si128((__m128i *)(a + i), lazy ? v : _mm_andnot_si128(commas, v));
	/* Room for every comma the block can hold, made once a block: no test a comma (a
	 * person row has 6 or 7 commas in 16 bytes). Near REC_MAX_FIELDS, the checked loop. */
	if (s->cap - s->nf < 16 && s->cap < REC_MAX_FIELDS && grow_fields(r) == 0) {
		s->off = r->off;
		s->len = r->len;
		s->cap = r->nf_cap;
	}
	if (s->cap - s->nf >= 16) {
		size_t *off = s->off, *len = s->len, nf = s->nf, start = s->start;

		while (mask) {
			size_t pos = i + (size_t)__builtin_ctz(mask);

			if (lazy && nf >= s->limit) {
				s->counted += bits16(mask);
				break;
			}
			mask &= mask - 1;
			if (lazy)
				a[pos] = '\0';
			off[nf] = start;
			len[nf++] = pos - start;
			start = pos + 1;
		}
		s->nf = nf;
		s->start = start;
		return 0;
	}
	while (mask) {
		size_t pos = i + (size_t)__builtin_ctz(mask);

		if (lazy && s->nf >= s->limit) {
			s->counted += bits16(mask);
			break;
		}
		mask &= mask - 1;
		if (lazy)
			a[pos] = '\0';
		if (add_field(r, s, pos) < 0)
			return SPLIT_TOO_MANY;
	}
	return 0;
}
#endif

#ifdef HAVE_SPLIT_SPARSE
/* One 32-byte block of a line at P for the AVX2 splits (count_rest, split_sparse), the
 * bits of LIVE the line's: copied to A; its commas in *COMMAS; the OR and the minimum of
 * its bytes kept in ANY and LEAST (a whole block) or its bytes >= 0x80 or NUL in *LAST
 * (the line's last block), for wide_care. Returns -1 when it holds a quote or a CR. */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) int
wide_block(const unsigned char *p, char *a, uint32_t live, __m256i *any, __m256i *least, uint32_t *last,
	   uint32_t *commas)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)p);

	if ((uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
							   _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')))) & live)
		return -1;
	_mm256_storeu_si256((__m256i *)a, v);
	if (live != 0xffffffffu)
		*last = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(v, _mm256_cmpeq_epi8(v, _mm256_setzero_si256()))) & live;
	else {
		*any = _mm256_or_si256(*any, v);
		*least = _mm256_min_epu8(*least, v);
	}
	*commas = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(','))) & live;
	return 0;
}

/* Whether the blocks wide_block saw hold a byte >= 0x80 or a NUL (r->care). */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) unsigned
wide_care(__m256i any, __m256i least, uint32_t last)
{
	return (_mm256_movemask_epi8(any) | _mm256_movemask_epi8(_mm256_cmpeq_epi8(least, _mm256_setzero_si256())) |
		last) != 0;
}

/* The rest of a lazy split's line, from I to M, once the fields the program reads are
 * split: only copied and its commas counted (*COUNTED), 32 bytes at a time with AVX2 and
 * a popcount instruction, where split16 takes 16 and counts in software. Why: fit-models
 * and rec-cat --pass split every person row lazily, and this counting was most of their
 * split (issue 22). *CARE as split_plain's r->care for these bytes. Returns 0 or
 * SPLIT_LIBCSV. Only where wide_rest_here() says so. */
__attribute__((target("avx2,popcnt"))) static int count_rest(const unsigned char *p, size_t i, size_t m, char *a,
							   size_t *counted, unsigned *care)
{
	__m256i any = _mm256_setzero_si256(), least = _mm256_set1_epi8(-1);
	uint32_t last = 0, commas;
	size_t n = 0;

	for (; i < m; i += 32) {
		if (wide_block(p + i, a + i, m - i >= 32 ? 0xffffffffu : (1u << (m - i)) - 1, &any, &least, &last,
			       &commas) < 0)
			return SPLIT_LIBCSV;
		n += (size_t)__builtin_popcount(commas);
	}
	*counted += n;
	*care = wide_care(any, least, last);
	return 0;
}

#endif

/* Split a line of M bytes (without its line end) that holds no quote at its commas into
 * the arena. Hot: every record of every stage comes through here (a person/1 row has 150
 * fields, 120 M fields a stage at 1 M applications), so there is no call per field and no
 * test per byte: the line is copied 16 bytes at a time - its last piece too, read and
 * written past its end (PAD), the bytes beyond M masked off - while a bit mask marks its
 * commas, quotes and CRs, and two running vectors (the OR and the minimum of its bytes,
 * and a mask for the last piece) tell at the end whether any byte asks for the UTF-8
 * check (>= 0x80, or a NUL: r->care).
 * LAZY (rec_reader_split_lazily): after r->split_limit fields (0) the commas are only
 * counted, a popcount a block, and the rest of the line stays one run in the arena, which
 * rec_split_to splits as far as the program reads: the field count and the bytes are
 * checked all the same, in this one pass.
 * Returns 0; SPLIT_LIBCSV when the line holds a quote or a CR (libcsv's case: the arena is
 * then left for the caller to reset); SPLIT_TOO_MANY past REC_MAX_FIELDS. */
static inline __attribute__((always_inline)) int split_plain(struct rec_reader *r, const unsigned char *p,
								   size_t m, int lazy)
{
	struct split s = { r->off, r->len, r->nf_cap, 0, 0, r->split_limit, 0 };
	char *a;
	size_t i = 0;
	int rc;

	r->arena = reserve(r->arena, &r->arena_cap, m + 1 + PAD);
	a = r->arena;
#ifdef __SSE2__
	__m128i v, any = _mm_setzero_si128(), least = _mm_set1_epi8(-1);

	unsigned last = 0;

	for (; i + 16 <= m; i += 16) {
#ifdef HAVE_SPLIT_SPARSE
		if (lazy && s.nf >= s.limit && wide_rest)
			break;
#endif
		v = _mm_loadu_si128((const __m128i *)(p + i));
		if ((rc = split16(r, &s, a, i, v, 0xffffu, lazy)) != 0)
			return rc;
		any = _mm_or_si128(any, v);
		least = _mm_min_epu8(least, v);
	}
#ifdef HAVE_SPLIT_SPARSE
	if (lazy && s.nf >= s.limit && wide_rest && i < m) {
		if ((rc = count_rest(p, i, m, a, &s.counted, &last)) != 0)
			return rc;
		i = m;
	}
#endif
	if (i < m) {   /* the last piece: only its first M - I bytes are the line's */
		unsigned live = (1u << (m - i)) - 1;

		v = _mm_loadu_si128((const __m128i *)(p + i));
		if ((rc = split16(r, &s, a, i, v, live, lazy)) != 0)
			return rc;
		last = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))) & live;
	}
	r->care = (_mm_movemask_epi8(any) | _mm_movemask_epi8(_mm_cmpeq_epi8(least, _mm_setzero_si128())) | last) != 0;
#else
	unsigned care = 0;

	for (; i < m; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\r')
			return SPLIT_LIBCSV;
		care |= c >= 0x80 || c == 0;
		a[i] = (char)c;
		if (c == ',' && lazy && s.nf >= s.limit) {
			s.counted++;
		} else if (c == ',') {
			a[i] = '\0';
			if (add_field(r, &s, i) < 0)
				return SPLIT_TOO_MANY;
		}
	}
	r->care = care != 0;
#endif
	(void)rc;
	a[m] = '\0';
	r->arena_len = m + 1;
	if (lazy && s.nf >= s.limit) {   /* the last field too is left in the run */
		if (s.counted + 1 > (size_t)REC_MAX_FIELDS - s.nf)
			return SPLIT_TOO_MANY;
		r->nf = s.nf + s.counted + 1;
		r->n_split = s.nf;
		r->split_next = s.start;
		return 0;
	}
	if (add_field(r, &s, m) < 0)
		return SPLIT_TOO_MANY;
	r->nf = r->n_split = s.nf;
	return 0;
}

/* Every record of a stream is split by one of these two (the test is made once a line). */
static int split_whole(struct rec_reader *r, const unsigned char *p, size_t m)
{
	return split_plain(r, p, m, 0);
}

static int split_lazy(struct rec_reader *r, const unsigned char *p, size_t m)
{
	return split_plain(r, p, m, 1);
}

#ifdef HAVE_SPLIT_SPARSE
enum { SPLIT_WHOLE = -3 };

/* Split a line as split_plain does, but give off and len only to the fields the program
 * has read before (r->need; rec_reader_split_sparsely). Why: derive-status reads 38 of a
 * person row's 98 fields, classify-support 31 of 118, tabulate 36 of 149, and most of the
 * split's time is the work per comma, not per block (bench/README.md). A block's commas
 * end the fields nf .. nf+pop-1; the bits of r->need for those fields, deposited onto the
 * commas' positions (pdep), are the commas whose fields are wanted. Each such field
 * begins after the comma before it: in the block (the highest comma below), or the last
 * comma of an earlier block (START). The field count and the bytes are checked as in
 * split_plain; a record with bytes to check (r->care) is split again whole.
 * Returns 0, SPLIT_LIBCSV, or SPLIT_WHOLE (near REC_MAX_FIELDS: split_plain's checked
 * loop decides). */
__attribute__((target("avx2,bmi2,popcnt"))) static int split_sparse(struct rec_reader *r,
									     const unsigned char *p, size_t m)
{
	const unsigned char *need = r->need;
	size_t *off, *len, nf = 0, start = 0, i;
	char *a;
	__m256i any = _mm256_setzero_si256(), least = _mm256_set1_epi8(-1);
	uint32_t last = 0;

	r->arena = reserve(r->arena, &r->arena_cap, m + 1 + PAD);
	a = r->arena;
	off = r->off;
	len = r->len;
	for (i = 0; i < m; i += 32) {
		uint32_t live = m - i >= 32 ? 0xffffffffu : (1u << (m - i)) - 1, mask, pop, want;
		uint64_t bits;

		if (wide_block(p + i, a + i, live, &any, &least, &last, &mask) < 0)
			return SPLIT_LIBCSV;
		if (mask == 0)
			continue;
		if (r->nf_cap - nf < 33) {   /* room for every field of the block, and the last */
			if (nf + 33 > (size_t)REC_MAX_FIELDS || grow_fields(r) < 0)
				return SPLIT_WHOLE;
			off = r->off;
			len = r->len;
		}
		pop = (uint32_t)__builtin_popcount(mask);
		memcpy(&bits, need + nf / 8, sizeof bits);   /* pop + 7 <= 39 bits of the 64 */
		want = (uint32_t)((bits >> (nf % 8)) & ((1ull << pop) - 1));
		if (want) {
			/* the wanted fields' end commas (ends) and the commas before them (begins:
			 * one fewer when the block's first field is wanted, which begins at START) */
			uint32_t ends = _pdep_u32(want, mask), begins = _pdep_u32(want >> 1, mask);
			size_t from = start;

			if (!(want & 1))
				goto next_begin;
			for (;;) {
				size_t end = i + (unsigned)__builtin_ctz(ends), j = nf + (unsigned)__builtin_ctz(want);

				a[end] = '\0';
				off[j] = from;
				len[j] = end - from;
				want &= want - 1;
				ends &= ends - 1;
				if (!want)
					break;
			next_begin:
				from = i + (unsigned)__builtin_ctz(begins) + 1;
				begins &= begins - 1;
			}
		}
		start = i + 32 - (unsigned)__builtin_clz(mask);
		nf += pop;
	}
	a[m] = '\0';
	r->arena_len = m + 1;
	off[nf] = start;   /* the last field, always: nothing reads past the line's end */
	len[nf] = m - start;
	r->nf = r->n_split = nf + 1;
	r->care = wide_care(any, least, last);
	if (r->care)   /* checked field by field: split whole (as rarely as a byte >= 0x80) */
		return split_whole(r, p, m);
	r->sparse_rec = 1;
	return 0;
}
#endif

/* The one split of a plain line: the test is made once a line. */
static int split_line(struct rec_reader *r, const unsigned char *p, size_t m)
{
#ifdef HAVE_SPLIT_SPARSE
	if (r->sparse && !r->want_header) {
		int rc = split_sparse(r, p, m);

		if (rc != SPLIT_WHOLE)
			return rc;
		return split_whole(r, p, m);
	}
#endif
	return (r->split_limit == SIZE_MAX ? split_whole : split_lazy)(r, p, m);
}

void rec_split_again(struct rec_reader *r)
{
	size_t m = r->raw_len;

	/* the line as read, still in the text buffer (or r->part) until the next record: a
	 * plain line (no quote, no CR inside) that split_sparse took before, without its
	 * line end, LF or CRLF, as rec_reader_next gave it */
	if (m > 0 && r->rawp[m - 1] == '\n')
		m--;
	if (m > 0 && r->rawp[m - 1] == '\r')
		m--;
	if (split_whole(r, (const unsigned char *)r->rawp, m) != 0)
		BUG("rec_split_again: a line split before could not be split again");
	r->sparse_rec = 0;
}

void rec_learn(struct rec_reader *r, size_t i)
{
	r->kind[i] &= (unsigned char)~REC_KIND_SKIP;
	r->need[i / 8] |= (unsigned char)(1u << (i % 8));
	rec_split_again(r);
}

void rec_split_to(struct rec_reader *r, size_t want)
{
	char *a = r->arena;
	size_t end = r->arena_len - 1;   /* the NUL that ends the last field */
	size_t start = r->split_next;

	if (want >= r->nf)
		BUG("rec_split_to: field %zu of %zu", want + 1, r->nf);
	while (r->nf_cap < r->nf)        /* nf <= REC_MAX_FIELDS: this cannot fail */
		if (grow_fields(r) < 0)
			BUG("rec_split_to: %zu fields", r->nf);
	/* The commas of the unsplit run, 16 bytes at a time (the arena has PAD bytes past
	 * the line; bits past END masked off); there are exactly nf - n_split - 1 of them. */
	for (size_t i = start; r->n_split <= want && r->n_split < r->nf - 1; i += 16) {
		unsigned mask;
#ifdef __SSE2__
		mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(a + i)),
								  _mm_set1_epi8(',')));
#else
		mask = 0;
		for (unsigned k = 0; k < 16; k++)
			mask |= (unsigned)(a[i + k] == ',') << k;
#endif
		if (end - i < 16)
			mask &= (1u << (end - i)) - 1;
		while (mask && r->n_split <= want) {
			size_t pos = i + (size_t)__builtin_ctz(mask);

			mask &= mask - 1;
			a[pos] = '\0';
			r->off[r->n_split] = start;
			r->len[r->n_split++] = pos - start;
			start = pos + 1;
		}
	}
	if (r->n_split <= want) {   /* the last field ends at the line's end */
		r->off[r->n_split] = start;
		r->len[r->n_split++] = end - start;
	}
	r->split_next = start;
}

/* The next physical line, its '\n' included when it has one (only a stream's last line
 * may lack it): a view into the text buffer when the line lies in it whole (nearly every
 * line), else the line collected in r->part across refills. Returns 1 with *p and *n
 * (valid until the next call: the text buffer is refilled only then), 0 at the end of the
 * text, or REC_ERROR. */
static int next_line(struct rec_reader *r, const unsigned char **p, size_t *n)
{
	r->part_len = 0;
	for (;;) {
		const unsigned char *s, *nl;
		size_t k;

		if (r->txt_pos >= r->txt_len) {
			if (r->text_eof || fill_text(r))
				break;
			continue;
		}
		s = r->txt + r->txt_pos;
		nl = memchr(s, '\n', r->txt_len - r->txt_pos);
		k = nl ? (size_t)(nl - s) + 1 : r->txt_len - r->txt_pos;
		r->txt_pos += k;
		if (nl && r->part_len == 0) {
			*p = s;
			*n = k;
			return 1;
		}
		if (r->part_len + k > (size_t)REC_MAX_RECORD_BYTES)
			return rerr(r, r->line, NULL, "record longer than %ld bytes (REC_MAX_RECORD_BYTES)",
				    REC_MAX_RECORD_BYTES);
		r->part = reserve(r->part, &r->part_cap, r->part_len + k + PAD);
		memcpy(r->part + r->part_len, s, k);
		r->part_len += k;
		memset(r->part + r->part_len, 0, PAD);
		if (nl)
			break;
	}
	if (r->failed)
		return REC_ERROR;
	*p = r->part;
	*n = r->part_len;
	return r->part_len > 0;
}

/* Feed libcsv line P (N bytes, its line end included) of a record that needs it. Returns
 * 0 (r->record_done tells whether the record ended) or REC_ERROR. */
static int feed_libcsv(struct rec_reader *r, const unsigned char *p, size_t n)
{
	size_t blk = csv_get_buffer_size(&r->csv);

	r->pending = 1;
	r->care = 1;   /* rare: check every field's bytes rather than scan them here */
	if (r->raw_len + n > (size_t)REC_MAX_RECORD_BYTES)
		return rerr(r, r->record_line, NULL, "record longer than %ld bytes (REC_MAX_RECORD_BYTES)",
			    REC_MAX_RECORD_BYTES);
	r->raw = reserve(r->raw, &r->raw_cap, r->raw_len + n);
	memcpy(r->raw + r->raw_len, p, n);
	r->raw_len += n;
	r->rawp = r->raw;
	/* libcsv grows its field buffer by its block size: as large as the buffer already is,
	 * and the line, so that it doubles (see the top of this file) */
	csv_set_blk_size(&r->csv, (blk > n ? blk : n) + 128);
	if (csv_parse(&r->csv, p, n, cb_field, cb_record, r) != n)
		return rerr(r, r->line, NULL, "malformed CSV: %s", csv_strerror(csv_error(&r->csv)));
	if (r->too_many)
		return rerr(r, r->record_line, NULL, "more than %d fields (REC_MAX_FIELDS)", REC_MAX_FIELDS);
	return 0;
}

/* The end of the text: a record libcsv holds still open, a section without its header. */
static int at_end(struct rec_reader *r)
{
	if (r->pending) {
		if (csv_fini(&r->csv, cb_field, cb_record, r) != 0)
			return rerr(r, r->record_line, NULL, "malformed CSV: unterminated quoted field at the end of the stream");
		r->pending = 0;
		if (r->record_done) {
			int rc = finish_record(r);

			if (rc != 0)
				return rc;
		}
	}
	if (r->want_header)
		return rerr(r, r->header_line, NULL, "#schema %s has no header row", r->schema->id);
	return REC_EOF;
}

int rec_reader_next(struct rec_reader *r)
{
	if (r->failed || r->bad)   /* a refused value stops the reading too (rec.h) */
		return REC_ERROR;
	for (;;) {
		const unsigned char *p = NULL;
		size_t n = 0, m;
		int rc = next_line(r, &p, &n);

		if (rc <= 0)
			return rc < 0 ? REC_ERROR : at_end(r);
		if (p[n - 1] != '\n')
			return rerr(r, r->line, NULL, "truncated stream: the last line has no newline");
		if (!r->pending) {
			start_record(r);
			if (p[0] == '#') {
				if (directive(r, p, n))
					return REC_ERROR;
				r->line++;
				continue;
			}
			m = n - 1 - (n > 1 && p[n - 2] == '\r');
			if (m == 0) {
				r->line++;
				continue;   /* an empty line holds no record (as libcsv skips it) */
			}
			/* Fast path: a whole line without quotes (most records: the writer quotes
			 * only fields that need it) is split at its commas directly; libcsv would
			 * find the same fields. Lines with a quote or a stray CR go to libcsv. */
			if ((rc = split_line(r, p, m)) == 0) {
				r->line++;
				r->rawp = (const char *)p;
				r->raw_len = n;
				return finish_record(r);
			}
			if (rc == SPLIT_TOO_MANY)
				return rerr(r, r->record_line, NULL, "more than %d fields (REC_MAX_FIELDS)", REC_MAX_FIELDS);
			r->nf = 0;   /* a quote or a stray CR: start over in libcsv */
			r->arena_len = 0;
		}
		if (feed_libcsv(r, p, n))
			return REC_ERROR;
		r->line++;
		if (r->record_done)
			return finish_record(r);
		/* No record ended on this line: it continues inside quotes. */
	}
}
