/* rec_write.c - the record stream writer (see rec.h for the contract).
 *
 * Fields are quoted only when they must be (a comma, quote, CR or LF inside, or a leading
 * '#'), straight into one 256 KiB buffer; a full buffer goes out as it is (level 0) or
 * through the gzip deflater (gz.h). A file is written beside its name (NAME.partial) and
 * renamed at a successful close, so a failed run never leaves a file that looks whole.
 * Plain text to a pipe whose reader copies what it reads may be lent instead of written
 * (REC_VMSPLICE=1: see struct lend).
 */
#include "rec.h"
#include "rec_impl.h"
#include "datecalc.h"
#include "diag.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifndef REC_IO_SIZE          /* see rec_read.c */
#define REC_IO_SIZE (256 * 1024)
#endif
#define OUT_SIZE  REC_IO_SIZE

/* Lending (REC_VMSPLICE=1, plain text to a pipe): a full buffer is handed to the pipe with
 * vmsplice(2) - the pipe holds references to its pages, the reader's read(2) copies from
 * them - instead of being copied into the pipe by write(2): one copy of every byte of the
 * chain's 300 MB-a-stage streams fewer, and no pipe pages to allocate (issue 22).
 * A lent page must not change until the pipe has let go of it. The pipe holds at most
 * F_GETPIPE_SZ bytes, oldest first, so once that many bytes went in after a buffer, the
 * buffer is out of it: the writer fills LEND_SLOTS buffers in turn and takes the next
 * one only then (with 1 MiB pipes, always); when it is not, lending stops for the rest
 * of the stream and a buffer of its own is written as usual.
 * That holds only when the reader copies: a reader that splice(2)s or tee(2)s the pipe on
 * (pv, a splicing cat) would pass the references on, out of this count, and see bytes
 * written later. Hence an opt-in for whoever starts both ends: the report pipeline sets
 * REC_VMSPLICE=1 for a stage whose reader is one of ours. The ring is mmap'd and
 * munmap'd, never freed to malloc: pages still in the pipe keep their bytes after that. */
#ifndef LEND_SLOTS           /* a test builds the writer with fewer (tests/stream/lend_test.c) */
#define LEND_SLOTS 8
#endif
struct lend {
	unsigned char *ring;        /* LEND_SLOTS buffers of OUT_SIZE */
	size_t slot;                /* the buffer being filled */
	unsigned long long sent;    /* bytes lent so far */
	unsigned long long after[LEND_SLOTS];   /* sent when each buffer was last lent */
	unsigned char lent[LEND_SLOTS];
	int stopped;                /* not lending any more: w->buf is the writer's own */
};

struct rec_writer {
	int fd;
	char *name;                 /* for messages */
	struct outfile of;          /* a named file: written safely, renamed at close (outfile.h) */
	int level;
	struct gz_deflater *gz;     /* level > 0: ISA-L or zlib (gz.h) */
	unsigned char *buf;         /* CSV text waiting to be written or compressed */
	size_t len;
	const struct schema *schema;
	const struct schema **sections;   /* every section written, for REC_COUNTS */
	long *section_records;
	size_t n_sections;
	long records;               /* in every section */
	int progress_fd;            /* REC_PROGRESS file of the stdout writer, or -1 */
	size_t field;               /* fields put in the current record */
	int empty_only;             /* the record so far is one empty field */
	struct rec_writer *tap;     /* rec_writer_section_tap: the member also goes to its file */
	int member_open;            /* bytes went into the gzip member not yet ended */
	int wrote;                  /* bytes reached the file (its own, or a tap's) */
	struct lend *lend;          /* REC_VMSPLICE=1 on a pipe, plain text; else NULL */
	int failed;
	char err[512];
};

static void werr(struct rec_writer *w, const char *what)
{
	if (!w->failed)
		snprintf(w->err, sizeof w->err, "%s: %s", w->name, what);
	w->failed = 1;
}

int rec_path_is_gz(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n >= 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* Lend from now on, when stdout is a pipe and the ring can be mapped. Returns 1 (w->buf
 * is the ring's first buffer) or 0. */
static int lend_start(struct rec_writer *w)
{
	struct stat st;
	void *ring;

	if (fstat(w->fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return 0;
	ring = mmap(NULL, (size_t)LEND_SLOTS * OUT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ring == MAP_FAILED)
		return 0;
	w->lend = xcalloc(1, sizeof *w->lend);
	w->lend->ring = ring;
	w->buf = ring;
	return 1;
}

/* Lend buf[0, n) to the pipe, then move on to the next buffer (the bytes after N go with
 * it), or stop lending when the pipe may still hold that buffer. -1 (errno) on an error. */
static int lend_out(struct rec_writer *w, size_t n)
{
	struct lend *l = w->lend;
	size_t next = (l->slot + 1) % LEND_SLOTS;
	unsigned char *to;

	if (rec_vmsplice_all(w->fd, w->buf, n) < 0)
		return -1;
	l->sent += n;
	l->after[l->slot] = l->sent;
	l->lent[l->slot] = n > 0;
	if (rec_lend_reusable(w->fd, l->lent[next], l->sent, l->after[next])) {
		to = l->ring + next * OUT_SIZE;
		l->slot = next;
	} else {
		to = xmalloc(OUT_SIZE);
		l->stopped = 1;
	}
	memcpy(to, w->buf + n, w->len - n);
	w->buf = to;
	w->len -= n;
	return 0;
}

struct rec_writer *rec_writer_open(const char *path, int level, int mode)
{
	struct rec_writer *w = xcalloc(1, sizeof *w);

	w->progress_fd = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		const char *progress = rec_config()->progress_path;

		w->fd = STDOUT_FILENO;
		w->name = xstrdup("stdout");
		rec_enlarge_pipe(w->fd);
		if (progress)
			w->progress_fd = open(progress, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
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
	w->level = level >= 0 ? level : rec_config()->level;
	if (w->level > 9)
		w->level = 9;
	if (!(w->fd == STDOUT_FILENO && w->level == 0 && rec_config()->vmsplice && lend_start(w)))
		w->buf = xmalloc(OUT_SIZE);
	if (w->level > 0 && !(w->gz = gz_deflater_new(w->level, rec_config()->force_zlib))) {
		rec_writer_discard(w);
		errno = ENOMEM;   /* zlib starts unless memory is short */
		return NULL;
	}
	return w;
}

void rec_writer_read_back(struct rec_writer *w)
{
	w->of.read_back = 1;
}

/* Write to W's own file (written behind, outfile.h) or to stdout. */
static int put_out(struct rec_writer *w, const void *buf, size_t n)
{
	if (rec_write_all(w->fd, buf, n) < 0)
		return -1;
	if (w->of.path)
		outfile_wrote(&w->of, n);
	return 0;
}

static int sink(void *ctx, const void *buf, size_t n)
{
	struct rec_writer *w = ctx;

	if (w->failed)
		return -1;
	if (put_out(w, buf, n) < 0) {
		werr(w, strerror(errno));
		return -1;
	}
	w->wrote = 1;
	if (w->tap && !w->tap->failed) {   /* the tap's file fails alone; this one goes on */
		if (put_out(w->tap, buf, n) < 0)
			werr(w->tap, strerror(errno));
		w->tap->wrote = 1;
	}
	return 0;
}

/* Write out buf[0, upto) and keep the rest (an unfinished record) at the front; FINISH
 * ends the gzip member. */
static void flush_buf(struct rec_writer *w, size_t upto, int finish)
{
	const char *err;

	if (!w->failed && w->lend && !w->lend->stopped) {
		if (lend_out(w, upto) < 0)
			werr(w, strerror(errno));
		return;
	}
	if (!w->failed) {
		if (w->level == 0) {
			if (upto && put_out(w, w->buf, upto) < 0)
				werr(w, strerror(errno));
		} else if (gz_deflate(w->gz, w->buf, upto, finish, sink, w, &err) < 0 && err) {
			werr(w, err);
		}
	}
	w->member_open = !finish && (w->member_open || upto > 0);
	memmove(w->buf, w->buf + upto, w->len - upto);
	w->len -= upto;
}

/* End the gzip member with what is buffered, and stop a tap (see rec_writer_section_tap). */
static void end_member(struct rec_writer *w)
{
	if (w->level > 0 && (w->len > 0 || w->member_open))
		flush_buf(w, w->len, 1);
	w->tap = NULL;
}

static int start_section(struct rec_writer *w, const char *id, int schema_line);
static int begin_section(struct rec_writer *w, const char *id);
static void put_schema_line(struct rec_writer *w);
static void put_header(struct rec_writer *w);

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
	return start_section(w, id, 1);
}

int rec_writer_section_tap(struct rec_writer *w, const char *id, struct rec_writer *to)
{
	if (w->level == 0 || to->level == 0 || to->schema != NULL) {
		snprintf(w->err, sizeof w->err, "%s: a tap takes two gzip writers, the second written only through taps", id);
		return -1;
	}
	if (begin_section(w, id) < 0)
		return -1;
	put_schema_line(w);
	if (to->wrote)   /* its header went out with the first section tapped into it */
		put_header(w);
	end_member(w);
	w->tap = to;
	if (!to->wrote)
		put_header(w);
	return 0;
}

int rec_writer_plain_section(struct rec_writer *w, const char *id)
{
	return start_section(w, id, 0);
}

/* A new section of schema ID (no bytes yet): checked, and counted for REC_COUNTS; a
 * section tapped before it ends there (rec_writer_section_tap). */
static int begin_section(struct rec_writer *w, const char *id)
{
	const char *err = NULL;
	const struct schema *s = schema_find(id, &err);

	if (s == NULL) {
		snprintf(w->err, sizeof w->err, "%s: %s", id, err ? err : "unknown schema");
		return -1;
	}
	if (w->field != 0)
		BUG("section %s started inside a record", id);
	if (w->tap)
		end_member(w);
	w->schema = s;
	w->sections = xrealloc(w->sections, (w->n_sections + 1) * sizeof *w->sections);
	w->section_records = xrealloc(w->section_records, (w->n_sections + 1) * sizeof *w->section_records);
	w->sections[w->n_sections] = s;
	w->section_records[w->n_sections++] = 0;
	return 0;
}

static void put_schema_line(struct rec_writer *w)
{
	put_bytes(w, "#schema ", 8);
	put_bytes(w, w->schema->id, strlen(w->schema->id));
	put_bytes(w, "\n", 1);
}

static void put_header(struct rec_writer *w)
{
	for (size_t i = 0; i < w->schema->n_fields; i++) {
		if (i)
			put_bytes(w, ",", 1);
		put_bytes(w, w->schema->fields[i].name, strlen(w->schema->fields[i].name));
	}
	put_bytes(w, "\n", 1);
}

/* A section of schema ID: its `#schema` line (unless plain) and its header row. */
static int start_section(struct rec_writer *w, const char *id, int schema_line)
{
	if (begin_section(w, id) < 0)
		return -1;
	if (schema_line)
		put_schema_line(w);
	put_header(w);
	return 0;
}

static const unsigned char needs_quote[256] = {
	['"'] = 1, [','] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* Any of the four bytes that must be quoted in the 8 bytes of X: a byte of X ^ (c * 0x01..)
 * is zero where X holds c, and (y - 0x01..) & ~y & 0x80.. is nonzero exactly when y has a
 * zero byte (its false bits, above a true one, do not change the answer). */
static inline int word_needs_quote(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t a = x ^ (ones * ','), b = x ^ (ones * '"'), c = x ^ (ones * '\n'), d = x ^ (ones * '\r');

	return (((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) | ((d - ones) & ~d)) & highs ? 1 : 0;
}

static inline uint64_t load64(const char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof x);
	return x;
}

static inline uint32_t load32(const char *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof x);
	return x;
}

/* Does a value hold a byte that must be quoted? Hot (every field a stage writes itself:
 * 32-digit keys, dates, codes, most of them short): 16 bytes at a time where SSE2 is
 * there, and the rest - or a value of 4 to 16 bytes - as two words that overlap, read
 * within the value (a byte at a time was a third of ingest's writing). */
static int any_needs_quote(const char *v, size_t n)
{
	size_t i = 0;

	if (n >= 8 && n <= 16)
		return word_needs_quote(load64(v)) | word_needs_quote(load64(v + n - 8));
	if (n >= 4 && n < 8)
		return word_needs_quote((uint64_t)load32(v) | (uint64_t)load32(v + n - 4) << 32);
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
	if (i < n && n >= 16)   /* the last 16 bytes again, some of them seen */
		return word_needs_quote(load64(v + n - 16)) | word_needs_quote(load64(v + n - 8));
#endif
	for (; i < n; i++)
		if (needs_quote[(unsigned char)v[i]])
			return 1;
	return 0;
}

/* A value that needs no quotes: the separator and the value straight into the buffer when
 * they fit (hot: every field a stage writes itself). */
static inline void put_unquoted(struct rec_writer *w, const char *v, size_t n)
{
	w->empty_only = w->field == 0 && n == 0;
	if (w->len + n + 1 <= OUT_SIZE) {
		unsigned char *to;

		if (w->field++)
			w->buf[w->len++] = ',';
		to = w->buf + w->len;
		/* a short value as two words that overlap: no call to memcpy for its few bytes */
		if (n >= 8 && n <= 16) {
			uint64_t a = load64(v), b = load64(v + n - 8);

			memcpy(to, &a, 8);
			memcpy(to + n - 8, &b, 8);
		} else if (n >= 4 && n < 8) {
			uint32_t a = load32(v), b = load32(v + n - 4);

			memcpy(to, &a, 4);
			memcpy(to + n - 4, &b, 4);
		} else {
			memcpy(to, v, n);
		}
		w->len += n;
		return;
	}
	if (w->field++)
		put_bytes(w, ",", 1);
	put_bytes(w, v, n);
}

/* A value that never needs quoting: the digits, signs, points and dashes of the numbers
 * and dates this library formats itself (no quote test: every date and count of every
 * record comes here). */
static inline void put_plain(struct rec_writer *w, const char *v, size_t n)
{
	if (w->schema == NULL)
		BUG("rec_put before rec_writer_section");
	put_unquoted(w, v, n);
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
	if (!quote) {
		put_unquoted(w, v, n);
		return;
	}
	w->empty_only = 0;
	if (w->field++)
		put_bytes(w, ",", 1);
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


void rec_put_plain(struct rec_writer *w, const char *v, size_t n)
{
#ifdef __SANITIZE_ADDRESS__   /* the sanitizer build (make check) holds the caller to it */
	if (n > 0 && (v[0] == '#' || any_needs_quote(v, n)))
		BUG("rec_put_plain: '%.*s' needs quotes", (int)n, v);
#endif
	put_plain(w, v, n);
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

void rec_put_missing_n(struct rec_writer *w, size_t n)
{
	/* Hot: a person outside the panel has some 66 empty wave columns in a row; one run of
	 * commas instead of a call per column. */
	if (n > 0 && w->field > 0 && w->len + n <= OUT_SIZE) {
		memset(w->buf + w->len, ',', n);
		w->len += n;
		w->field += n;
		w->empty_only = 0;
		return;
	}
	while (n-- > 0)
		rec_put_missing(w);
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
	put_plain(w, p, (size_t)(buf + sizeof buf - p));
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
	put_plain(w, buf, (size_t)n);   /* finite: digits, '-', '.', 'e', '+' */
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
	put_plain(w, buf, 10);
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

/* REC_PROGRESS: the records so far, one line of fixed width rewritten in place (a reader
 * polling it never sees a shorter number mixed with a longer one). A failed write is
 * ignored: progress is for the eye, never a reason to stop. */
static void note_progress(const struct rec_writer *w)
{
	char line[24];
	int n = snprintf(line, sizeof line, "%20ld\n", w->records);

	if (pwrite(w->progress_fd, line, (size_t)n, 0) < 0)
		return;
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
	if ((++w->records & 0xffff) == 0 && w->progress_fd >= 0)
		note_progress(w);
}

int rec_writer_failed(const struct rec_writer *w) { return w->failed; }
const char *rec_writer_error(const struct rec_writer *w) { return w->err; }

/* REC_COUNTS=FILE: the stage's own count of what it wrote on stdout, in rec-check's words,
 * so a pipeline can report rows per stage without parsing every stream a second time. */
static void report_counts(const struct rec_writer *w)
{
	const char *path = rec_config()->counts_path;
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

static void writer_free(struct rec_writer *w)
{
	if (w->progress_fd >= 0) {
		note_progress(w);
		close(w->progress_fd);
	}
	gz_deflater_free(w->gz);
	free(w->sections);
	free(w->section_records);
	free(w->name);
	if (w->lend) {
		if (w->lend->stopped)
			free(w->buf);
		munmap(w->lend->ring, (size_t)LEND_SLOTS * OUT_SIZE);
		free(w->lend);
	} else {
		free(w->buf);
	}
	free(w);
}

int rec_writer_close(struct rec_writer *w)
{
	int rc;

	if (w == NULL)
		return 0;
	if (w->field != 0)
		BUG("rec_writer_close inside a record");
	if (w->tap)
		end_member(w);
	/* the last member ends - unless every member has ended already and bytes went out
	 * (a tap's file; a stream whose last section was tapped): no empty member after them */
	if (w->level == 0 || w->len > 0 || w->member_open || !w->wrote)
		flush_buf(w, w->len, 1);
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
	writer_free(w);
	return rc;
}

void rec_writer_discard(struct rec_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd != STDOUT_FILENO)
		outfile_abort(&w->of);
	writer_free(w);
}
