/* rawio.h - physical lines of a raw extract, and their decoding to UTF-8.
 *
 * Why line by line: a raw file (R1-R7 of DOMAIN.md) never legitimately holds a quoted
 * newline, so each physical line is one row. Reading lines first and parsing the CSV of
 * one line at a time confines a stray quote, a bad byte or a wrong field count to its own
 * line, and gives every problem its exact line number (header = line 1).
 *
 * Line ends: LF, with one CR before it stripped (CRLF and LF files both read). A last
 * line without LF is still returned as a line, and line_reader_unterminated() says so: a
 * raw file is delivered whole, so such a line is the sign of a truncated delivery and the
 * caller refuses the file. A file ending in LF has no empty line after it.
 *
 * Memory: one buffer per file, 1 MiB, grown only when a single line is longer.
 */
#ifndef INGEST_RAWIO_H
#define INGEST_RAWIO_H

#include <stddef.h>

struct line_reader;

/* Open PATH ("-" = stdin). NULL with errno set when it cannot be opened. */
struct line_reader *line_reader_open(const char *path);
/* Next line without its line end: 1 and *line, *len (a view valid until the next call),
 * 0 at the end of the file, -1 on a read error (errno set). */
int line_reader_next(struct line_reader *r, const char **line, size_t *len);
long line_reader_lineno(const struct line_reader *r);   /* line just returned (1 = first) */
/* 1 when the line just returned had no line end (only a file's last line can): the file
 * was cut short. */
int line_reader_unterminated(const struct line_reader *r);
void line_reader_free(struct line_reader *r);           /* accepts NULL; closes the file */

enum raw_encoding { ENC_UTF8, ENC_CP1252 };

/* Decode one line to UTF-8. A byte that is not text in the encoding (invalid UTF-8, one of
 * Windows-1252's five undefined bytes 0x81 0x8D 0x8F 0x90 0x9D, or a control character
 * other than TAB: NUL, a stray CR...) makes the line bad.
 *
 * Returns the decoded text: IN itself when the line is plain ASCII (no copy), else OUT.
 * OUT must hold 3 * len + 1 bytes. *outlen is the decoded length. On a bad line *bad is
 * set to the offset of the first bad byte in IN (else to (size_t)-1) and the decoded text
 * holds U+FFFD in place of each bad byte, so it can still be shown in the reject stream. */
const char *decode_line(enum raw_encoding enc, const char *in, size_t len, char *out,
			size_t *outlen, size_t *bad);

/* What the bytes of one raw line say about its encoding, for telling a UTF-8 file from a
 * Windows-1252 one: LINE_ASCII when every byte is below 0x80; LINE_UTF8 when it holds
 * valid UTF-8 multibyte sequences and no byte that is not UTF-8; LINE_NOT_UTF8 when some
 * byte of 0x80 or above is not part of a valid UTF-8 sequence (Windows-1252 text with an
 * accent almost always is: "Frysl\xE2n"). Accented Windows-1252 text is valid UTF-8 only
 * in contrived cases ("\xC3\xA9" would have to mean "Ã©"), so a file declared
 * Windows-1252 whose accented lines are all LINE_UTF8 is a UTF-8 file. */
enum line_bytes { LINE_ASCII, LINE_UTF8, LINE_NOT_UTF8 };
enum line_bytes line_classify(const char *s, size_t len);

/* A file's lines as line_classify sees them. The verdict (enc_tally_says_utf8): the file
 * is UTF-8 when more of its non-ASCII lines are valid UTF-8 than not - every one of them
 * in a clean file, nearly every one in a file with a few damaged rows, which the reject
 * stream then shows as bad_encoding. */
struct enc_tally {
	long utf8_lines;        /* LINE_UTF8 */
	long not_utf8_lines;    /* LINE_NOT_UTF8 */
	long first_utf8_line;   /* 0 = none yet */
	size_t first_utf8_off;  /* byte offset of its first non-ASCII byte */
};
/* Count line LINENO (S, LEN bytes as read). Returns 1 when it is the first LINE_UTF8 line. */
int enc_tally_line(struct enc_tally *t, long lineno, const char *s, size_t len);
int enc_tally_says_utf8(const struct enc_tally *t);

#endif
