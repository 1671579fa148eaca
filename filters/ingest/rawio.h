/* rawio.h - physical lines of a raw extract, and their decoding to UTF-8.
 *
 * Why line by line: a raw file (R1-R7 of DOMAIN.md) never legitimately holds a quoted
 * newline, so each physical line is one row. Reading lines first and parsing the CSV of
 * one line at a time confines a stray quote, a bad byte or a wrong field count to its own
 * line, and gives every problem its exact line number (header = line 1).
 *
 * Line ends: LF, with one CR before it stripped (CRLF and LF files both read). A last
 * line without LF is still a line; a file ending in LF has no empty line after it.
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

#endif
