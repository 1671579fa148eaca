/* rec.h - the record stream: the one contract every stage shares (DESIGN.md).
 *
 * Bytes are gzip (one or more members: `cat a.gz b.gz` is a stream) or plain text, told
 * apart by the gzip magic. The text is RFC 4180 CSV (comma, '"', LF) in sections: a line
 * `#schema NAME/VERSION`, a header row, then records. The header must list exactly the
 * fields of the schema (schemas/, see schema.h), in order.
 *
 * Most programs do not call the reader themselves: filter.h's driver runs the loop below
 * and hands each section and record to the program's callbacks.
 *
 * Reading is a pull loop:
 *
 *     struct rec_reader *r = rec_reader_open(path);      // NULL or "-" = stdin
 *     int rc;
 *     while ((rc = rec_reader_next(r)) > 0) {
 *             if (rc == REC_SECTION) { look up field indexes once: rec_reader_index(r, "age") }
 *             else { use rec_get_int(r, i), rec_reader_field(r, i), ... }
 *     }
 *     if (rc < 0) die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
 *     rec_reader_free(r);
 *
 * Everything that could silently shorten a result is an error (rc < 0): a truncated or
 * corrupt gzip stream, bytes after a gzip member that are not another member, a malformed
 * CSV quote, a record with the wrong number of fields, records before any `#schema` line,
 * an unknown schema, a header that differs from the schema, a `#schema` line with no
 * header after it, an unknown `#` directive. After one, the reader stays failed.
 *
 * Limits and bytes: no input can make the reader use unbounded memory or time. A record
 * (its lines, quoted line ends included) holds at most REC_MAX_RECORD_BYTES bytes, so a
 * field does too; at most REC_MAX_FIELDS fields; a stream at most REC_MAX_SECTIONS
 * `#schema` lines, each at most REC_MAX_DIRECTIVE bytes. Beyond a limit the stream is
 * refused ("FILE:LINE: record longer than 67108864 bytes (REC_MAX_RECORD_BYTES)"), never
 * cut. Every field must be UTF-8 text without a NUL byte ("FILE:LINE: FIELD: not utf-8:
 * byte 0xff at position 3", "FILE:LINE: FIELD: a NUL byte at position 3"): the stream is
 * UTF-8 CSV, whatever the field's type. Buffers grow geometrically, so a long line costs
 * time in proportion to its length in every build (the sanitizer's too: its realloc always
 * copies). Messages quote input bytes with control characters and bytes that are not
 * UTF-8 shown as '?': a diagnostic is always one line of text.
 *
 * Values are read with the typed getters (rec_get_int, ...), which check the field against
 * its schema - type, range, code list, required, hex32 - exactly as rec-check does, so a
 * range changed in schemas/ (or overridden through REC_SCHEMA_PATH) changes what every
 * stage accepts. A refused value does not break the stream: the getter returns "missing"
 * and records the first refusal of the record ("FILE:LINE: FIELD: problem",
 * rec_reader_error); rec_reader_bad() tells, and the next rec_reader_next() returns
 * REC_ERROR with that message: a stage cannot read on past a value its schema refuses.
 *
 * What is checked where (the contract every stage keeps; tests/stream/limits.t shows it):
 *   - every program, every field of every record: the framing, the limits above and the
 *     bytes (UTF-8, no NUL) - in the pass that splits the line, where a record of ASCII
 *     bytes costs one test per 16 bytes;
 *   - every program, the fields it reads: their values, in the typed getters (which parse
 *     the value anyway) - a stage rejects what it reads. A field a stage passes on unread
 *     (rec_put_fields, rec_reader_field) is not parsed, so a stage costs no more for a
 *     wide record it mostly copies, and a bad value in such a field passes that stage;
 *   - every value of every field: rec-check (its value mode, rec_reader_check), link-waves
 *     (rec_reader_values: everything ingest wrote, before any person is built) and
 *     rec-merge's key; a stream that went through a stage written outside this library
 *     (a swapped-in stage) is checked whole by `rec-check` in the pipeline.
 * rec_reader_field() gives a field's bytes unparsed: UTF-8 text without NUL, nothing more
 * (a stage that uses a value read that way checks it itself, or uses rec_get_text).
 *
 * Writing mirrors it: rec_writer_section() writes `#schema` and the header from the schema
 * itself (a stage cannot misname a column), rec_put*() append fields, rec_writer_end()
 * ends the record and checks the field count. Output is gzip at REC_LEVEL (0 = plain text;
 * default REC_LEVEL_DEFAULT), buffered, through gz.h (ISA-L at level 1 when the build has
 * it, else zlib; REC_ZLIB=1 forces zlib); gzip input is inflated the same way. Write
 * errors are sticky: the first one stops all output and is reported by rec_writer_close(),
 * which returns -1; rec_writer_failed() lets a long run stop early. SIGPIPE is left at its
 * default, so a stage whose reader died dies with it, as Unix filters do.
 * With REC_COUNTS=FILE, closing the stdout writer appends its sections and record counts
 * to FILE (in rec-check's words), for the pipeline's run summary. With REC_PROGRESS=FILE,
 * the stdout writer keeps in FILE the number of records it has written so far (one line,
 * rewritten in place every 65 536 records and at the end), for a pipeline's progress line
 * on a terminal; FILE cannot be opened: no progress, nothing else changes.
 * With REC_VMSPLICE=1, plain text on stdout, when stdout is a pipe, is handed to the pipe
 * with vmsplice(2) instead of copied into it: set it only where the program reading the
 * pipe reads it with read(2), as every program here does, and never splices or tees it on
 * (rec_write.c, struct lend). The bytes are the same either way.
 *
 * The environment: REC_LEVEL, REC_ZLIB, REC_COUNTS, REC_PROGRESS, REC_VMSPLICE and
 * REC_SCHEMA_PATH are read once, by rec_init(), which every program calls first (the
 * driver does). A program that has not called it yet (tabulate, ingest, synth until they
 * are ported to filter.h) gets the same reading at its first use of a stream or a schema;
 * nothing else in the library reads the environment.
 *
 * Exits: the library never calls exit() for bad data or failed I/O: it returns codes and
 * keeps the message in its handle. Two things do end the program: running out of memory
 * (xmalloc's policy, diag.h: "out of memory", exit 1 - a stream library that cannot grow
 * a buffer has no way to go on) and internal bugs (BUG(): a program that misuses the API,
 * such as a record of the wrong field count, aborts with the source line).
 *
 * Ownership: a reader or writer owns its buffers. Field pointers are views valid until the
 * next rec_reader_next(); copy what must live longer. Schema pointers live for the run.
 */
#ifndef KETEN_REC_H
#define KETEN_REC_H

#include <limits.h>
#include <stddef.h>
#include "schema.h"

#define REC_LEVEL_DEFAULT 1

/* The reader's limits (see "Limits and bytes" above). */
#define REC_MAX_RECORD_BYTES (64L * 1024 * 1024)
#define REC_MAX_FIELDS 65536
#define REC_MAX_SECTIONS 10000
#define REC_MAX_DIRECTIVE 256

/* What the library takes from the environment, read once by rec_init(). */
struct rec_config {
	int level;                  /* REC_LEVEL: gzip level of output 0..9 (0 = plain text) */
	int force_zlib;             /* REC_ZLIB=1: zlib even where ISA-L is built in */
	const char *counts_path;    /* REC_COUNTS: append the stdout writer's counts here */
	const char *progress_path;  /* REC_PROGRESS: the stdout writer's records so far */
	const char *schema_path;    /* REC_SCHEMA_PATH: ':'-separated folders of *.schema */
	int vmsplice;               /* REC_VMSPLICE=1: plain stdout to a pipe is lent, not copied */
	int split_whole;            /* REC_SPLIT=whole: no sparse split, no AVX2 count in a lazy one */
};

/* Read the environment. Returns 0, or 1 with a warning for the user in WARN (REC_LEVEL
 * not a level 0..9: the default is used). Call once, first. */
int rec_init(char *warn, size_t warnsz);
const struct rec_config *rec_config(void);

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

/* Split each record's fields only as far as they are read (a field is split at its first
 * look, by any getter or rec_reader_field), not all of them as each record is read. Why:
 * a stage that reads a few fields of most records and passes the rest on (rec-cat,
 * fit-models, shard) should not pay for splitting 150 fields to read 3. Nothing else
 * changes: the field count, the framing and the bytes of every field are still checked
 * for every record, in the same pass. Call before the first rec_reader_next. */
void rec_reader_split_lazily(struct rec_reader *r);

/* Split only the fields the program has read in an earlier record of the section, not
 * all of them. Why: derive-status, classify-support and tabulate read a third or less
 * of a person row's fields, all through the row (so a lazy split, which splits up to the
 * last field read, saves nothing), and the split's cost is mostly the work per field. A
 * field read for the first time is found all the same: that record is split again, whole,
 * and the field is split in every record after it. Nothing else changes (the field count,
 * the framing and every field's bytes are checked for every record). Only on a CPU with
 * AVX2 and a fast pdep (x86-64 with BMI2; not AMD before Zen 3); elsewhere, and with
 * REC_SPLIT=whole in the environment, records are split whole. Call before the first
 * rec_reader_next. Returns 1 when records will be split sparsely, 0 when whole. */
int rec_reader_split_sparsely(struct rec_reader *r);

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

/* Check every field of the current record against the schema's types, ranges, code lists,
 * hex32 and required flags (rec-check's value mode, rec-merge; see "What is checked
 * where"). Returns the index of the first bad field (message in rec_reader_error:
 * "FILE:LINE: FIELD: problem"), or -1 when the record is valid (or the reader holds a
 * header, not a record). */
int rec_reader_check(struct rec_reader *r);

/* Typed getters: field I (an index from rec_reader_index) of the current record, checked
 * against the section's schema. A missing (empty) value gives the "missing" result shown;
 * a value the schema refuses - wrong type, out of range, not one of the codes, empty but
 * required, or a field the schema declares as another type - gives "missing" too and
 * records the refusal (the first of the record; see the top of this file). */
#define REC_INT_NONE LONG_MIN
int rec_get_bool(struct rec_reader *r, int i);          /* 0 or 1; -1 missing */
long rec_get_int(struct rec_reader *r, int i);          /* REC_INT_NONE missing */
double rec_get_num(struct rec_reader *r, int i);        /* num, int or bool; NaN missing */
int rec_get_date(struct rec_reader *r, int i);          /* day number (datecalc.h); DATE_NONE missing */
int rec_get_code(struct rec_reader *r, int i);          /* enum: index in the schema's codes; -1 missing */
const char *rec_get_text(struct rec_reader *r, int i);  /* any type, checked; "" missing */
/* Field I's text, checked against its schema whatever its type (as rec_get_text), and its
 * length in *len; "" (and *len 0) when missing or refused. For code that reads values as
 * text (a condition comparing codes, fit-models' populations). */
const char *rec_get_field(struct rec_reader *r, int i, size_t *len);

/* Every field of the current record checked against its schema (as rec_reader_check) and
 * parsed, in one pass: for field I, vals[I] is an int's value (REC_INT_NONE missing), a
 * date's day number (DATE_NONE), an enum's code index or a bool's 0/1 (-1 missing), and 0
 * for num and text fields (read those with rec_get_num, rec_reader_field). Returns the
 * array (valid until the next rec_reader_next), or NULL with the first refused field's
 * message, as a getter (rec_reader_bad). For a stage that keeps whole records. */
const long *rec_reader_values(struct rec_reader *r);

/* A program's own rule refused field I of the current record (I < 0: no field): records
 * "FILE:LINE: FIELD: <message>" as a getter would (the first refusal wins). Returns
 * REC_ERROR. */
int rec_reader_fail(struct rec_reader *r, int i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 when a getter or rec_reader_fail refused something (in the current record: the next
 * rec_reader_next fails with the message). */
int rec_reader_bad(const struct rec_reader *r);
/* The index of FIELD in the current section; -1 (and a refusal naming the section's
 * schema) when it has none: for a schema overridden without a column a program needs. */
int rec_reader_require(struct rec_reader *r, const char *field);

/* Convenience parsers for field values. Each returns 0 on success, -1 when the value is
 * missing or malformed (the schema check tells which). */
int rec_parse_int(const char *s, long *out);
int rec_parse_num(const char *s, double *out);
int rec_parse_bool(const char *s, int *out);

struct rec_writer;

/* Open PATH (NULL or "-" = stdout) for writing; level -1 = REC_LEVEL (rec_init).
 * Returns NULL and sets errno when the file cannot be created. mode is the file's
 * creation mode (0644 for ordinary streams, 0600 for the reject stream). */
struct rec_writer *rec_writer_open(const char *path, int level, int mode);
/* A file of W's is written behind (outfile.h: its pages leave the page cache once on
 * disk); one that is read straight back (shard's parts) keeps them: call this first. */
void rec_writer_read_back(struct rec_writer *w);
/* PATH's name ends in ".gz": what the programs that choose gzip by a file's name test
 * (rec-cat's --keep and --to; link-waves' --unlinked, gzip even at REC_LEVEL=0). */
int rec_path_is_gz(const char *path);

/* Start a section of schema ID ("person/1"): writes `#schema` and the header. Returns -1
 * (and a message in rec_writer_error) when the schema is unknown. */
int rec_writer_section(struct rec_writer *w, const char *id);
/* The same without the `#schema` line: the header row alone, so that what follows is a
 * plain CSV file for people and their tools (rec-cat). Call it once per file: a reader of
 * plain CSV takes a second header row for a record. */
int rec_writer_plain_section(struct rec_writer *w, const char *id);
/* A section as rec_writer_section, whose header and records (up to the next section or
 * the close) are one gzip member of their own that also goes, byte for byte, to TO's file:
 * a plain CSV file of the section, compressed once for both (rec-cat --pass --keep with
 * --to FILE.gz). The `#schema` line ends the member before it. TO's header goes with the
 * first section tapped into it; a later one adds its records only. W and TO write gzip,
 * and TO is written only through taps (no section of its own); close (or discard) W
 * before TO. A write error on TO fails TO alone. Returns -1 (message in rec_writer_error) otherwise, or for an unknown schema.
 * Both files are sequences of whole gzip members, which every gzip reader reads whole. */
int rec_writer_section_tap(struct rec_writer *w, const char *id, struct rec_writer *to);

void rec_put(struct rec_writer *w, const char *value);                 /* NULL or "" = missing */
void rec_put_len(struct rec_writer *w, const char *value, size_t len);
/* A value the program made itself and knows needs no quotes - digits, a date, a code
 * word of the schema, hex - holding no comma, quote, CR or LF and not starting with '#':
 * written without the test rec_put_len makes of every byte. Anything read from outside
 * goes through rec_put_len. (ingest writes 12 M such values a run at 1 M applications.) */
void rec_put_plain(struct rec_writer *w, const char *value, size_t len);
void rec_put_int(struct rec_writer *w, long v);
void rec_put_num(struct rec_writer *w, double v);      /* shortest text that reads back exactly; NaN = missing */
void rec_put_bool(struct rec_writer *w, int v);        /* v < 0 = missing */
void rec_put_date(struct rec_writer *w, int day);      /* DATE_NONE = missing */
void rec_put_missing(struct rec_writer *w);
void rec_put_missing_n(struct rec_writer *w, size_t n);   /* N missing fields in a row */
/* Append every field of the reader's current record (for a stage that adds columns). */
void rec_put_fields(struct rec_writer *w, const struct rec_reader *r);
/* End the record. A field count that differs from the schema is an internal bug (BUG). */
void rec_writer_end(struct rec_writer *w);

int rec_writer_failed(const struct rec_writer *w);    /* 1 after a write error */
const char *rec_writer_error(const struct rec_writer *w);
/* Flush, finish the gzip member, close. Returns 0, or -1 (message in rec_writer_error and
 * already printed) when any write failed. Frees w. */
int rec_writer_close(struct rec_writer *w);
/* A run that failed: drop what is buffered, remove a file's NAME.partial, free w (NULL
 * accepted). Nothing more is written; a file never appears under its name. */
void rec_writer_discard(struct rec_writer *w);

/* Pipes between stages: ask the kernel for 1 MiB pipe buffers on fd when it is a pipe
 * (adjacent stages otherwise run in lock-step on one core). Harmless elsewhere. */
void rec_enlarge_pipe(int fd);

#endif
