/* rawio.c - see rawio.h */
#include "rawio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "utf8.h"   /* utf8_seq: the library's, as the stream reader checks it */

/* The fuzz harness (tests/fuzz/ingest_test.c) sets it small: no 1 MiB buffer a run, and
 * nearly every input crosses a buffer refill. */
#ifndef LINE_BUF_INIT
#define LINE_BUF_INIT (1u << 20)
#endif

struct line_reader {
	int fd;
	int own_fd;          /* 0 for stdin */
	char *buf;
	size_t cap;
	size_t start, end;   /* unread bytes are buf[start, end) */
	int eof;
	int unterminated;    /* the line just returned had no LF */
	long lineno;
};

struct line_reader *line_reader_open(const char *path)
{
	struct line_reader *r;
	int fd = STDIN_FILENO;

	if (path != NULL && strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->own_fd = fd != STDIN_FILENO;
	r->cap = LINE_BUF_INIT;
	r->buf = xmalloc(r->cap + 1);   /* + 1: room for the NUL after a last line without LF */
	return r;
}

void line_reader_free(struct line_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	free(r->buf);
	free(r);
}

long line_reader_lineno(const struct line_reader *r)
{
	return r->lineno;
}

int line_reader_unterminated(const struct line_reader *r)
{
	return r->unterminated;
}

/* Read more bytes after buf[end]; move the unread part to the front first, and grow the
 * buffer when a single line fills it. Returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct line_reader *r)
{
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap + 1);
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		r->end += (size_t)n;
	return n;
}

int line_reader_next(struct line_reader *r, const char **line, size_t *len)
{
	size_t scanned = 0;   /* bytes after start already known to hold no LF */

	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl = scanned < avail ? memchr(p + scanned, '\n', avail - scanned) : NULL;
		size_t n;

		if (nl == NULL && !r->eof) {
			ssize_t got;

			scanned = avail;
			got = fill(r);
			if (got < 0)
				return -1;
			if (got == 0)
				r->eof = 1;
			continue;
		}
		if (nl == NULL && avail == 0)
			return 0;
		n = nl ? (size_t)(nl - p) : avail;
		r->start += nl ? n + 1 : n;
		r->unterminated = nl == NULL;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		p[n] = '\0';   /* the LF or CR, or the spare byte after a last line without LF */
		r->lineno++;
		*line = p;
		*len = n;
		return 1;
	}
}

/* Windows-1252 0x80..0x9F as Unicode; 0 = undefined. 0xA0..0xFF are Latin-1. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* Nonzero when the 8 bytes of w hold a byte >= 0x80 or < 0x20: not plain printable ASCII. */
static inline uint64_t word_needs_care(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;

	return (w & highs) | ((w - ones * 0x20) & ~w & highs);
}

const char *decode_line(enum raw_encoding enc, const char *in, size_t len, char *out,
			size_t *outlen, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;
	char *o;

	*bad = (size_t)-1;
	/* Fast path (hot: every line): find the first byte that is not printable ASCII, 8 at
	 * a time; the last up to 7 bytes as the (overlapping) last 8 of the line. */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (word_needs_care(w))
			break;
	}
	if (i < len && len >= 8 && i + 8 > len) {
		uint64_t w;

		memcpy(&w, s + len - 8, 8);
		if (!word_needs_care(w))
			i = len;
	}
	for (; i < len; i++)
		if (s[i] >= 0x80 || (s[i] < 0x20 && s[i] != '\t'))
			break;
	if (i == len) {
		*outlen = len;
		return in;
	}
	memcpy(out, in, i);
	o = out + i;
	while (i < len) {
		unsigned c = s[i];

		if (c < 0x80) {
			if (c < 0x20 && c != '\t') {
				if (*bad == (size_t)-1)
					*bad = i;
				o = put_utf8(o, 0xFFFD);
			} else {
				*o++ = (char)c;
			}
			i++;
		} else if (enc == ENC_CP1252) {
			unsigned cp = c >= 0xA0 ? c : cp1252_high[c - 0x80];

			if (cp == 0) {
				if (*bad == (size_t)-1)
					*bad = i;
				cp = 0xFFFD;
			}
			o = put_utf8(o, cp);
			i++;
		} else {
			size_t k = utf8_seq(s + i, len - i);

			if (k == 0) {
				if (*bad == (size_t)-1)
					*bad = i;
				o = put_utf8(o, 0xFFFD);
				i++;
			} else {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			}
		}
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

enum line_bytes line_classify(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	enum line_bytes verdict = LINE_ASCII;
	size_t i = 0;

	while (i < len) {
		size_t k;

		/* ASCII runs 8 bytes at a time (only the high bit matters here) */
		for (; i + 8 <= len; i += 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
		}
		for (; i < len && s[i] < 0x80; i++)
			;
		if (i == len)
			break;
		k = utf8_seq(s + i, len - i);
		if (k == 0)
			return LINE_NOT_UTF8;
		verdict = LINE_UTF8;
		i += k;
	}
	return verdict;
}

int enc_tally_line(struct enc_tally *t, long lineno, const char *s, size_t len)
{
	switch (line_classify(s, len)) {
	case LINE_ASCII:
		return 0;
	case LINE_NOT_UTF8:
		t->not_utf8_lines++;
		return 0;
	case LINE_UTF8:
		break;
	}
	if (t->utf8_lines++ > 0)
		return 0;
	t->first_utf8_line = lineno;
	t->first_utf8_off = 0;
	while (t->first_utf8_off < len && (unsigned char)s[t->first_utf8_off] < 0x80)
		t->first_utf8_off++;
	return 1;
}

int enc_tally_says_utf8(const struct enc_tally *t)
{
	return t->utf8_lines > t->not_utf8_lines;
}
