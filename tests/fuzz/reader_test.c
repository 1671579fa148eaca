/* reader_test.c - fuzz harness of the record stream reader (rec.h), plain text.
 * reader_gz_test.c includes this file with FUZZ_GZIP: the same input, gzip-compressed
 * (split into two members at a point the input chooses) before the reader sees it.
 *
 * Invariants, for any bytes:
 *   - the reader ends with REC_EOF or REC_ERROR, and a REC_ERROR comes with one
 *     diagnostic line "FILE:LINE: [FIELD: ]problem" (fuzz_message_ok);
 *   - rec_reader_check on every record either accepts it or names a field in that form;
 *   - what was read before the end (sections and records) written again with the writer
 *     (rec_put_len, field by field) reads back without error to the same sections and
 *     the same fields, and copying that stream record by record (rec_put_fields, the
 *     stages' pass-through) gives it back byte for byte;
 *   - a reader that splits lazily (rec_reader_split_lazily), its fields looked at from the
 *     last to the first, ends the same way, with the same message, the same sections and
 *     the same fields;
 *   - so does a reader that splits sparsely (rec_reader_split_sparsely) and looks at every
 *     third field only (the same ones in each record, so that every record after the
 *     first is split sparsely): those fields are the same.
 * The corpus: tests/fuzz/corpus/reader (tests/fuzz/README.md).
 */
#ifndef FUZZ_NAME
#define FUZZ_NAME "reader"
#endif
#include "fuzz.h"

#include "rec.h"
#include "schema.h"

#include <zlib.h>

struct copy {                /* what one read of a stream found */
	size_t n_sec;
	const struct schema **sec;
	size_t *sec_first;       /* index of the section's first record */
	size_t n_rec;
	char ***rec;             /* fields, NUL-terminated copies */
	size_t **len;
	size_t *nf;
};

static void copy_free(struct copy *c)
{
	for (size_t i = 0; i < c->n_rec; i++) {
		for (size_t k = 0; k < c->nf[i]; k++)
			free(c->rec[i][k]);
		free(c->rec[i]);
		free(c->len[i]);
	}
	free(c->rec);
	free(c->len);
	free(c->nf);
	free(c->sec);
	free(c->sec_first);
	memset(c, 0, sizeof *c);
}

enum { READ_WHOLE, READ_LAZY, READ_SPARSE };

/* A field a sparse read (READ_SPARSE) looks at. */
static int sparse_looks(size_t k)
{
	return k % 3 == 1;
}

/* Every field a sparse read does not look at made empty (to compare a whole read with). */
static void keep_sparse_fields(struct copy *c)
{
	for (size_t i = 0; i < c->n_rec; i++)
		for (size_t k = 0; k < c->nf[i]; k++)
			if (!sparse_looks(k)) {
				c->rec[i][k][0] = '\0';
				c->len[i][k] = 0;
			}
}

/* BACKWARDS: look at the fields from the last to the first (a lazily split record is
 * split whole at its first look). SPARSE: look only at the fields of sparse_looks, the
 * others copied as empty. */
static void copy_record(struct copy *c, const struct rec_reader *r, int backwards, int sparse)
{
	size_t nf = rec_reader_nfields(r);

	c->rec = realloc(c->rec, (c->n_rec + 1) * sizeof *c->rec);
	c->len = realloc(c->len, (c->n_rec + 1) * sizeof *c->len);
	c->nf = realloc(c->nf, (c->n_rec + 1) * sizeof *c->nf);
	c->rec[c->n_rec] = malloc((nf + 1) * sizeof **c->rec);
	c->len[c->n_rec] = malloc((nf + 1) * sizeof **c->len);
	c->nf[c->n_rec] = nf;
	for (size_t j = 0; j < nf; j++) {
		size_t k = backwards ? nf - 1 - j : j, n = sparse && !sparse_looks(k) ? 0 : rec_reader_field_len(r, k);

		c->rec[c->n_rec][k] = malloc(n + 1);
		if (n == 0) {
			c->rec[c->n_rec][k][0] = '\0';
			c->len[c->n_rec][k] = 0;
			continue;
		}
		memcpy(c->rec[c->n_rec][k], rec_reader_field(r, k), n + 1);
		c->len[c->n_rec][k] = n;
	}
	c->n_rec++;
}

/* Read PATH into C; returns the last rec_reader_next result (REC_EOF or REC_ERROR). With
 * OUT, every record is also copied to OUT by rec_put_fields. HOW: READ_WHOLE; READ_LAZY,
 * split lazily and look at the fields from the last one; READ_SPARSE, split sparsely and
 * look at some fields only (both without rec_reader_check, which splits whole); the
 * message of a REC_ERROR into MSG (when not NULL, 1024 bytes). */
static int read_all(const char *path, struct copy *c, struct rec_writer *out, int how, char *msg)
{
	struct rec_reader *r = rec_reader_open(path);
	int rc, lazy = how != READ_WHOLE;

	fuzz_check(r != NULL, "cannot open %s", path);
	if (how == READ_LAZY)
		rec_reader_split_lazily(r);
	if (how == READ_SPARSE)
		(void)rec_reader_split_sparsely(r);
	while ((rc = rec_reader_next(r)) == REC_RECORD || rc == REC_SECTION) {
		if (rc == REC_SECTION) {
			c->sec = realloc(c->sec, (c->n_sec + 1) * sizeof *c->sec);
			c->sec_first = realloc(c->sec_first, (c->n_sec + 1) * sizeof *c->sec_first);
			c->sec[c->n_sec] = rec_reader_schema(r);
			c->sec_first[c->n_sec++] = c->n_rec;
			fuzz_check(rec_reader_schema(r) != NULL, "a section without a schema");
			if (out)
				fuzz_check(rec_writer_section(out, rec_reader_schema(r)->id) == 0, "section %s not written",
					   rec_reader_schema(r)->id);
			continue;
		}
		fuzz_check(rec_reader_nfields(r) == rec_reader_schema(r)->n_fields, "a record of %zu fields in %s",
			   rec_reader_nfields(r), rec_reader_schema(r)->id);
		if (!lazy && rec_reader_check(r) >= 0)
			fuzz_check(fuzz_message_ok(rec_reader_error(r), path), "check: bad message '%s'", rec_reader_error(r));
		copy_record(c, r, how == READ_LAZY, how == READ_SPARSE);
		if (out) {
			rec_put_fields(out, r);
			rec_writer_end(out);
		}
	}
	fuzz_check(rc == REC_EOF || rc == REC_ERROR, "rec_reader_next returned %d", rc);
	if (rc == REC_ERROR)
		fuzz_check(fuzz_message_ok(rec_reader_error(r), path), "bad message '%s'", rec_reader_error(r));
	if (msg)
		snprintf(msg, 1024, "%s", rc == REC_ERROR ? rec_reader_error(r) : "");
	rec_reader_free(r);
	return rc;
}

/* Write C as a canonical stream to PATH (the writer's own quoting). */
static void write_copy(const char *path, const struct copy *c)
{
	struct rec_writer *w;

	unlink(path);
	w = rec_writer_open(path, 0, 0600);
	fuzz_check(w != NULL, "cannot write %s", path);
	for (size_t s = 0; s < c->n_sec; s++) {
		size_t end = s + 1 < c->n_sec ? c->sec_first[s + 1] : c->n_rec;

		fuzz_check(rec_writer_section(w, c->sec[s]->id) == 0, "section %s not written", c->sec[s]->id);
		for (size_t i = c->sec_first[s]; i < end; i++) {
			for (size_t k = 0; k < c->nf[i]; k++)
				rec_put_len(w, c->rec[i][k], c->len[i][k]);
			rec_writer_end(w);
		}
	}
	fuzz_check(rec_writer_close(w) == 0, "writing %s failed", path);
}

static void same_copy(const struct copy *a, const struct copy *b)
{
	fuzz_check(a->n_sec == b->n_sec && a->n_rec == b->n_rec, "%zu sections, %zu records written; %zu, %zu read back",
		   a->n_sec, a->n_rec, b->n_sec, b->n_rec);
	for (size_t s = 0; s < a->n_sec; s++)
		fuzz_check(a->sec[s] == b->sec[s] && a->sec_first[s] == b->sec_first[s], "section %zu differs", s + 1);
	for (size_t i = 0; i < a->n_rec; i++) {
		fuzz_check(a->nf[i] == b->nf[i], "record %zu: %zu fields, %zu read back", i + 1, a->nf[i], b->nf[i]);
		for (size_t k = 0; k < a->nf[i]; k++)
			fuzz_check(a->len[i][k] == b->len[i][k] && !memcmp(a->rec[i][k], b->rec[i][k], a->len[i][k]),
				   "record %zu field %zu: '%.40s' read back as '%.40s'", i + 1, k + 1, a->rec[i][k], b->rec[i][k]);
	}
}

static int same_file(const char *p, const char *q)
{
	size_t n = 0, m = 0;
	char *a = fuzz_read(p, &n), *b = fuzz_read(q, &m);
	int same = a && b && n == m && !memcmp(a, b, n);

	free(a);
	free(b);
	return same;
}

#ifdef FUZZ_GZIP
/* DATA[1..] as gzip, cut into two members after DATA[0] * size / 256 bytes. */
static void *gzip_input(const uint8_t *data, size_t size, size_t *out_n)
{
	size_t body = size ? size - 1 : 0, cut = size ? (size_t)data[0] * body / 256 : 0;
	size_t cap = 2 * compressBound(body) + 64, n = 0;
	unsigned char *out = malloc(cap);
	const uint8_t *src = size ? data + 1 : data;

	for (int part = 0; part < 2; part++) {
		z_stream z = { 0 };
		size_t from = part ? cut : 0, len = part ? body - cut : cut;

		if (part == 1 && len == 0 && n > 0)
			break;
		fuzz_check(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK, "deflateInit2");
		z.next_in = (unsigned char *)(uintptr_t)(src + from);
		z.avail_in = (uInt)len;
		z.next_out = out + n;
		z.avail_out = (uInt)(cap - n);
		fuzz_check(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
		n = cap - z.avail_out;
		deflateEnd(&z);
	}
	*out_n = n;
	return out;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct copy first = { 0 }, again = { 0 }, third = { 0 }, lazy = { 0 }, sparse = { 0 };
	char msg_whole[1024], msg_lazy[1024], msg_sparse[1024];
	int rc_whole;
	const char *in, *w1, *w2;
	char w1_path[400];
	struct rec_writer *w;

	if (!ready) {
		char warn[256];

		rec_init(warn, sizeof warn);
		ready = 1;
	}
#ifdef FUZZ_GZIP
	size_t n;
	void *gz = gzip_input(data, size, &n);

	in = fuzz_file("in.gz", gz, n);
	free(gz);
#else
	in = fuzz_file("in.csv", data, size);
#endif
	rc_whole = read_all(in, &first, NULL, READ_WHOLE, msg_whole);
	fuzz_check(read_all(in, &lazy, NULL, READ_LAZY, msg_lazy) == rc_whole && strcmp(msg_whole, msg_lazy) == 0,
		   "split lazily, the read ends otherwise: '%s' against '%s'", msg_lazy, msg_whole);
	same_copy(&first, &lazy);
	copy_free(&lazy);
	fuzz_check(read_all(in, &sparse, NULL, READ_SPARSE, msg_sparse) == rc_whole && strcmp(msg_whole, msg_sparse) == 0,
		   "split sparsely, the read ends otherwise: '%s' against '%s'", msg_sparse, msg_whole);
	read_all(in, &lazy, NULL, READ_WHOLE, NULL);   /* the whole read again, to compare with */
	keep_sparse_fields(&lazy);
	same_copy(&lazy, &sparse);
	copy_free(&lazy);
	copy_free(&sparse);
	if (first.n_sec == 0) {
		copy_free(&first);
		return 0;
	}
	w1 = fuzz_path("w1.csv");
	snprintf(w1_path, sizeof w1_path, "%s", w1);
	write_copy(w1_path, &first);
	fuzz_check(read_all(w1_path, &again, NULL, READ_WHOLE, NULL) == REC_EOF, "the written stream does not read back");
	same_copy(&first, &again);

	w2 = fuzz_path("w2.csv");
	unlink(w2);
	w = rec_writer_open(w2, 0, 0600);
	fuzz_check(w != NULL, "cannot write %s", w2);
	fuzz_check(read_all(w1_path, &third, w, READ_WHOLE, NULL) == REC_EOF, "the written stream does not read back");
	fuzz_check(rec_writer_close(w) == 0, "writing %s failed", w2);
	fuzz_check(same_file(w1_path, fuzz_path("w2.csv")), "the records copied with rec_put_fields differ from the stream read");
	copy_free(&first);
	copy_free(&again);
	copy_free(&third);
	return 0;
}
