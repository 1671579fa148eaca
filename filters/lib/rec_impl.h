/* rec_impl.h - the reader's state, shared by the library's reading files (rec_read.c,
 * rec_get.c) and rec_put_fields (rec_write.c). Library-internal: programs use rec.h.
 */
#ifndef KETEN_REC_IMPL_H
#define KETEN_REC_IMPL_H

#include <csv.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>

#include "gz.h"
#include "rec.h"

struct tee_ring;

struct rec_reader {
	int fd;
	char *name;
	int tee_fd;
	struct tee_ring *tee_ring;  /* the tee lends plain text to a pipe (rec_read.c); or NULL */
	unsigned char *txt_own;     /* the reader's own text buffer, while txt is the ring's */

	unsigned char *in;          /* raw bytes as read */
	size_t in_len, in_pos;
	int in_eof;
	int gzip;                   /* -1 not yet known, 0 plain, 1 gzip */
	struct gz_inflater *gz;     /* gzip input: ISA-L or zlib (gz.h) */
	int in_member;              /* inside a gzip member (its end not seen yet) */

	unsigned char *txt;         /* decompressed text */
	size_t txt_len, txt_pos;
	int text_eof;

	unsigned char *part;        /* a line that did not lie whole in the text buffer,
				     * collected across refills (grown geometrically) */
	size_t part_len, part_cap;

	struct csv_parser csv;
	long line;                  /* number of the line being fed (1-based) */
	int pending;                /* bytes of an unfinished record were fed to libcsv */
	int record_done;            /* libcsv ended a record (more than 1: a stray CR) */
	long record_line;
	long sections;              /* #schema lines read (REC_MAX_SECTIONS) */

	char *raw;                  /* a record libcsv parsed, its bytes as read (valid CSV) */
	size_t raw_len, raw_cap;
	const char *rawp;           /* the current record's bytes as read, for rec_put_fields:
				     * raw, or the line in the text buffer (fast path) */

	char *arena;                /* the fields of the current record, NUL-terminated */
	size_t arena_len, arena_cap;
	size_t *off, *len;
	size_t nf, nf_cap;          /* fields of the record (all of them, split or not) */
	size_t n_split;             /* fields 0..n_split-1 have off and len; the rest are
				     * still one run of bytes in the arena from split_next on
				     * (rec_reader_split_lazily; every other record: all) */
	size_t split_next;
	size_t split_limit;         /* split_plain splits this many fields, counts the rest:
				     * SIZE_MAX, or 0 after rec_reader_split_lazily */
	int sparse;                 /* rec_reader_split_sparsely, on a CPU that does it fast */
	int sparse_rec;             /* the current record was split sparsely: a field whose
				     * kind has REC_KIND_SKIP has no off and len */
	unsigned char *need;        /* sparse: bit I set when field I is split (read before);
				     * REC_MAX_FIELDS bits and a word, zeroed at each section */
	int too_many;               /* libcsv gave more than REC_MAX_FIELDS fields */
	int care;                   /* the record holds a byte >= 0x80 or a NUL: its fields
				     * are checked for UTF-8 (rec.h, "Limits and bytes") */

	int progress;               /* stderr is a terminal: report progress on long runs */
	long total_records;
	double started, last_report;
	int progress_shown;

	const struct schema *schema;
	int want_header;
	long header_line;
	long records;
	int failed;                 /* the stream is broken: every later call returns REC_ERROR */
	int bad;                    /* a getter (rec_get.c) refused a value of this record */
	unsigned char *kind;        /* per field of the section: its type, | REC_KIND_REQ when
				     * required, | REC_KIND_HEX for hex32 - what the getters'
				     * fast paths and rec_reader_check test, in a byte */
	size_t kind_cap;
	long *vals;                 /* rec_reader_values: the current record's values */
	size_t vals_cap;
	char err[1024];
};

/* The kind byte of a field (r->kind): what the getters' fast paths test. */
#define REC_KIND_REQ 0x80    /* the field is required */
#define REC_KIND_HEX 0x40    /* a hex32 text field */
#define REC_KIND_SKIP 0x20   /* reading sparsely: not split in a sparse record (rec_need) */
#define REC_KIND_TYPE 0x0f   /* the rest: its enum schema_type */

/* Record the reader's message "NAME:LINE: FIELD: problem" (LINE 0 and FIELD NULL left
 * out); returns REC_ERROR. */
int rec_reader_set_error(struct rec_reader *r, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Split the current record's fields up to field I (< nf) out of the arena's unsplit
 * part: a record split lazily (rec_reader_split_lazily) is split as far as it is read. */
void rec_split_to(struct rec_reader *r, size_t i);

/* A record split sparsely (rec_reader_split_sparsely): split it again, whole (every
 * field's off and len; the bytes of the fields already read stay where they were). */
void rec_split_again(struct rec_reader *r);
/* ... and field I, which the program reads though it was not split: the record split
 * whole, and field I split in every record from now on. */
void rec_learn(struct rec_reader *r, size_t i);


/* Field I's off and len are known. The reader is const to its callers (a field is a view
 * of the record), but a lazily split record is split on the first look: a cache. */
static inline void rec_need(const struct rec_reader *r, size_t i)
{
	if (i >= r->n_split && i < r->nf)
		rec_split_to((struct rec_reader *)r, i);
	else if (r->sparse_rec && i < r->nf && (r->kind[i] & REC_KIND_SKIP))
		rec_learn((struct rec_reader *)r, i);
}

/* Every field of the current record has its off and len (a stage that reads them all:
 * rec_reader_values, rec_reader_check). */
static inline void rec_need_all(const struct rec_reader *r)
{
	if (r->sparse_rec)
		rec_split_again((struct rec_reader *)r);
	else if (r->nf > 0)
		rec_need(r, r->nf - 1);
}

/* write(2) all of BUF to FD, again after EINTR: 0, or -1 with errno (rec.c). */
int rec_write_all(int fd, const void *buf, size_t n);
/* vmsplice(2) all of BUF into the pipe FD (its pages lent, not copied: see rec_write.c's
 * struct lend for when that is safe), again after EINTR: 0, or -1 with errno (rec.c). */
int rec_vmsplice_all(int fd, const void *buf, size_t n);

/* A buffer lent to the pipe FD may be filled again: it never was (LENT 0), or a pipe's
 * worth of bytes went in after it (SENT now, AFTER when it was lent), so the reader has
 * taken it. The pipe's size is read now: its reader may have changed it. The rule of the
 * writer's ring (rec_write.c, struct lend) and the reader's tee (rec_read.c). */
static inline int rec_lend_reusable(int fd, int lent, unsigned long long sent, unsigned long long after)
{
	int pipe_size = fcntl(fd, F_GETPIPE_SZ);

	return pipe_size > 0 && (!lent || sent - after >= (unsigned long long)pipe_size);
}

/* Free what rec_get.c keeps in the reader (rec_reader_free calls it). */
void rec_get_release(struct rec_reader *r);

#endif
