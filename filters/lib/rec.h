/* rec.h - the record stream: the one contract every stage shares (DESIGN.md).
 *
 * Bytes are gzip (one or more members: `cat a.gz b.gz` is a stream) or plain text, told
 * apart by the gzip magic. The text is RFC 4180 CSV (comma, '"', LF) in sections: a line
 * `#schema NAME/VERSION`, a header row, then records. The header must list exactly the
 * fields of the schema (schemas/, see schema.h), in order.
 *
 * Reading is a pull loop:
 *
 *     struct rec_reader *r = rec_reader_open(path);      // NULL or "-" = stdin
 *     int rc;
 *     while ((rc = rec_reader_next(r)) > 0) {
 *             if (rc == REC_SECTION) { look up field indexes once: rec_reader_index(r, "age") }
 *             else { use rec_reader_field(r, i) }
 *     }
 *     if (rc < 0) die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
 *     rec_reader_free(r);
 *
 * Everything that could silently shorten a result is an error (rc < 0): a truncated or
 * corrupt gzip stream, bytes after a gzip member that are not another member, a malformed
 * CSV quote, a record with the wrong number of fields, records before any `#schema` line,
 * an unknown schema, a header that differs from the schema, a `#schema` line with no
 * header after it, an unknown `#` directive.
 *
 * Writing mirrors it: rec_writer_section() writes `#schema` and the header from the schema
 * itself (a stage cannot misname a column), rec_put*() append fields, rec_writer_end()
 * ends the record and checks the field count. Output is gzip at REC_LEVEL (environment;
 * 0 = plain text; default REC_LEVEL_DEFAULT), buffered: level 1 through ISA-L when the build
 * has it, otherwise (or with REC_ZLIB=1) through zlib; gzip input is inflated the same way.
 * The bytes are gzip either way. Write errors are
 * sticky: the first one stops all output and is reported by rec_writer_close(), which
 * returns -1; rec_writer_failed() lets a long run stop early. SIGPIPE is left at its
 * default, so a stage whose reader died dies with it, as Unix filters do.
 * With REC_COUNTS=FILE in the environment, closing the stdout writer appends its sections and
 * record counts to FILE (in rec-check's words), for the pipeline's run summary.
 *
 * Ownership: a reader or writer owns its buffers. Field pointers are views valid until the
 * next rec_reader_next(); copy what must live longer. Schema pointers live for the run.
 */
#ifndef KETEN_REC_H
#define KETEN_REC_H

#include <stddef.h>
#include "schema.h"

#define REC_LEVEL_DEFAULT 1

enum {
	REC_ERROR = -1,
	REC_EOF = 0,
	REC_RECORD = 1,   /* a record is ready */
	REC_SECTION = 2   /* a new section began: schema and header are known, no record yet */
};

struct rec_reader;

/* Open PATH (NULL or "-" = stdin) for reading. Returns NULL and sets errno when the file
 * cannot be opened. The name used in messages is PATH, or "stdin". */
struct rec_reader *rec_reader_open(const char *path);
void rec_reader_free(struct rec_reader *r);              /* accepts NULL; closes the file */

int rec_reader_next(struct rec_reader *r);               /* REC_RECORD, REC_SECTION, REC_EOF or REC_ERROR */

/* After REC_ERROR: "FILE:LINE: FIELD: problem" (for die(..., "%s", msg)). */
const char *rec_reader_error(const struct rec_reader *r);

/* Copy every byte read from the input (as read: compressed stays compressed) to fd, so a
 * checker can sit in a pipeline and pass the stream through unchanged. Call before the
 * first rec_reader_next. A failed write makes rec_reader_next return REC_ERROR. */
void rec_reader_tee(struct rec_reader *r, int fd);

const char *rec_reader_name(const struct rec_reader *r); /* "stdin" or the path */
long rec_reader_line(const struct rec_reader *r);        /* line where the current record (or header) starts */
long rec_reader_records(const struct rec_reader *r);     /* records read in the current section */

/* The current section. */
const struct schema *rec_reader_schema(const struct rec_reader *r);
size_t rec_reader_nfields(const struct rec_reader *r);
int rec_reader_index(const struct rec_reader *r, const char *field);   /* -1 if absent */

/* Field I of the current record: NUL-terminated, "" when missing. */
const char *rec_reader_field(const struct rec_reader *r, size_t i);
size_t rec_reader_field_len(const struct rec_reader *r, size_t i);

/* Check every field of the current record against the schema's types, ranges and
 * required flags. Returns the index of the first bad field (message in
 * rec_reader_error: "FILE:LINE: FIELD: problem"), or -1 when the record is valid. */
int rec_reader_check(struct rec_reader *r);

/* Convenience parsers for field values. Each returns 0 on success, -1 when the value is
 * missing or malformed (the schema check tells which). */
int rec_parse_int(const char *s, long *out);
int rec_parse_num(const char *s, double *out);
int rec_parse_bool(const char *s, int *out);

struct rec_writer;

/* Open PATH (NULL or "-" = stdout) for writing; level -1 = from REC_LEVEL or the default.
 * Returns NULL and sets errno when the file cannot be created. mode is the file's
 * creation mode (0644 for ordinary streams, 0600 for the reject stream). */
struct rec_writer *rec_writer_open(const char *path, int level, int mode);

/* Start a section of schema ID ("person/1"): writes `#schema` and the header. Returns -1
 * (and a message in rec_writer_error) when the schema is unknown. */
int rec_writer_section(struct rec_writer *w, const char *id);

void rec_put(struct rec_writer *w, const char *value);                 /* NULL or "" = missing */
void rec_put_len(struct rec_writer *w, const char *value, size_t len);
void rec_put_int(struct rec_writer *w, long v);
void rec_put_num(struct rec_writer *w, double v);      /* shortest text that reads back exactly; NaN = missing */
void rec_put_bool(struct rec_writer *w, int v);        /* v < 0 = missing */
void rec_put_date(struct rec_writer *w, int day);      /* DATE_NONE = missing */
void rec_put_missing(struct rec_writer *w);
/* Append every field of the reader's current record (for a stage that adds columns). */
void rec_put_fields(struct rec_writer *w, const struct rec_reader *r);
/* End the record. A field count that differs from the schema is an internal bug (BUG). */
void rec_writer_end(struct rec_writer *w);

int rec_writer_failed(const struct rec_writer *w);    /* 1 after a write error */
const char *rec_writer_error(const struct rec_writer *w);
/* Flush, finish the gzip member, close. Returns 0, or -1 (message in rec_writer_error and
 * already printed) when any write failed. Frees w. */
int rec_writer_close(struct rec_writer *w);

/* Pipes between stages: ask the kernel for 1 MiB pipe buffers on fd when it is a pipe
 * (adjacent stages otherwise run in lock-step on one core). Harmless elsewhere. */
void rec_enlarge_pipe(int fd);

#endif
