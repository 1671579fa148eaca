/* ingest_test.c - fuzz harness of ingest's raw-file reader and converters
 * (filters/ingest.c and the files of filters/ingest, included; ingest's main is renamed and
 * unused).
 *
 * Input: byte 0 says how ingest reads the rest, which is one raw file:
 *   bits 0-2   0-6: --kind KIND (kinds[], R1-R7); 7: the kind recognised by the header
 *   bit 3      --utf8 for every kind (else each kind's own encoding, mostly Windows-1252)
 *   bit 4      the header of kind (bits 0-2, or with 7 bits 5-7) is put before the rest,
 *              so that nearly every input reaches the rows of some kind
 * The file is read as ingest reads each of its inputs: header_read and header_map, then
 * stream_file into a stream and a reject stream written with the library's writer.
 * Invariants:
 *   - a refused file (its header, a truncated delivery, a Windows-1252 file that is UTF-8)
 *     gives one diagnostic "FILE:LINE: [FIELD: ]problem" as ingest dies with it;
 *   - otherwise rows read = data lines of the file = rows written + rows rejected, per
 *     reason too;
 *   - the stream reads back with the reader (rec.h): one section of the kind's schema,
 *     as many records as rows written, each passing rec_reader_check (every value of
 *     every field against the schema: ranges, codes, dates, person_key as hex32);
 *   - the reject stream reads back likewise: one reject/1 record a rejected row, each
 *     naming the file, its kind, a line of the file, a reason and a detail, and a field
 *     that is a raw column of the kind - missing only for faults of the whole row
 *     (wrong_field_count, stray_quote and bad_encoding where the column is unknown).
 * Corpus: tests/fuzz/corpus/ingest (seeds: tests/ingest/data's files behind their byte).
 */
#define FUZZ_NAME "ingest"
#include "fuzz.h"

#define LINE_BUF_INIT 512   /* rawio.c's line buffer: small (its refills fuzzed too), cheap */
#define main ingest_main
#include "../../filters/ingest.c"
#include "../../filters/ingest/bsnmask.c"
#define slot keyset_slot   /* keyset.c's own struct slot, not ingest.c's */
#include "../../filters/ingest/keyset.c"
#undef slot
#include "../../filters/ingest/kinds.c"
#include "../../filters/ingest/pseudonym.c"
#include "../../filters/ingest/rawio.c"
#undef main

static struct options fuzz_opt;
static struct work fuzz_work;

/* Once per process: the kinds checked against their schemas, a key (as in a test: fixed
 * bytes, not secret), the CSV parser. */
static void set_up(void)
{
	static int ready;
	char err[256], warn[256];
	unsigned char key[32];

	if (ready)
		return;
	rec_init(warn, sizeof warn);
	for (size_t i = 0; i < n_kinds; i++)
		fuzz_check(kinds_check(&kinds[i], err, sizeof err) == 0, "kind %s: %s", kinds[i].name, err);
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)(i * 37 + 11);
	fuzz_check(pseudonym_key_set(&fuzz_work.key, key, err, sizeof err) == 0, "key: %s", err);
	csv_start(&fuzz_work.csv);
	opt = &fuzz_opt;
	ready = 1;
}

/* The input as a raw file: the header of kind K (its raw columns, ';'), then BODY. */
static const char *raw_file(const struct kind *k, const uint8_t *body, size_t n)
{
	size_t len = 0;
	char *buf = malloc(n + 1024);   /* a header is shorter than 1024 bytes */
	const char *path;

	if (k) {
		for (size_t i = 0; i < k->ncols; i++)
			if (k->cols[i].raw)
				len += (size_t)snprintf(buf + len, 1024 - len, "%s%s", len ? ";" : "", k->cols[i].raw);
		buf[len++] = '\n';
	}
	if (n)
		memcpy(buf + len, body, n);
	path = fuzz_file("raw.csv", buf, len + n);
	free(buf);
	return path;
}

static long count_newlines(const char *path)
{
	size_t n = 0;
	char *s = fuzz_read(path, &n);
	long lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	free(s);
	return lines;
}

/* The problem as ingest dies with it (die_problem), checked. */
static void problem_ok(const struct input *in, const struct problem *pb, const char *path)
{
	char msg[1024];

	fuzz_check(!strcmp(in->name, path), "a problem about '%s'", in->name);
	snprintf(msg, sizeof msg, "%s:%ld: %s%s%s", in->name, pb->line, pb->field, pb->field[0] ? ": " : "", pb->msg);
	if (pb->line == 0)
		snprintf(msg, sizeof msg, "%s: %s%s%s", in->name, pb->field, pb->field[0] ? ": " : "", pb->msg);
	fuzz_check(pb->msg[0] != '\0' && fuzz_message_ok(msg, path), "refused with the message '%s'", msg);
}

/* Read PATH back: one section of SCHEMA; returns its records, each checked. */
static long read_back(const char *path, const char *schema, int (*each)(struct rec_reader *, void *), void *ctx)
{
	struct rec_reader *r = rec_reader_open(path);
	long n = 0;
	int rc, sections = 0;

	fuzz_check(r != NULL, "cannot open %s", path);
	while ((rc = rec_reader_next(r)) == REC_RECORD || rc == REC_SECTION) {
		if (rc == REC_SECTION) {
			sections++;
			fuzz_check(!strcmp(rec_reader_schema(r)->id, schema), "a section %s, not %s", rec_reader_schema(r)->id,
				   schema);
			continue;
		}
		fuzz_check(rec_reader_check(r) < 0, "%s: a record ingest wrote is refused: %s", schema, rec_reader_error(r));
		if (each)
			each(r, ctx);
		n++;
	}
	fuzz_check(rc == REC_EOF, "%s does not read back: %s", schema, rec_reader_error(r));
	fuzz_check(sections == 1, "%d sections of %s", sections, schema);
	rec_reader_free(r);
	return n;
}

struct reject_check {
	const struct input *in;
	long lines, per_reason[N_REASONS];
};

static int reject_ok(struct rec_reader *r, void *ctx)
{
	struct reject_check *c = ctx;
	const struct kind *k = c->in->kind;
	const char *field = rec_reader_field(r, 3), *reason = rec_reader_field(r, 4);
	long line = atol(rec_reader_field(r, 2));
	int known = 0, why;

	fuzz_check(!strcmp(rec_reader_field(r, 0), c->in->name) && !strcmp(rec_reader_field(r, 1), k->name),
		   "a reject of %s (%s)", rec_reader_field(r, 0), rec_reader_field(r, 1));
	fuzz_check(line >= 2 && line <= c->lines, "a reject at line %ld of %ld", line, c->lines);
	for (why = 0; why < N_REASONS && strcmp(reason, reason_names[why]); why++)
		;
	fuzz_check(why < N_REASONS, "reason '%s'", reason);
	c->per_reason[why]++;
	fuzz_check(rec_reader_field_len(r, 5) > 0, "line %ld: %s without a detail", line, reason);
	for (size_t i = 0; i < k->ncols; i++)
		known |= k->cols[i].raw && !strcmp(k->cols[i].raw, field);
	if (why == R_WRONG_FIELD_COUNT || why == R_STRAY_QUOTE || why == R_BAD_ENCODING)
		fuzz_check(known || !*field, "line %ld: %s in '%s', not a column of %s", line, reason, field, k->name);
	else
		fuzz_check(known, "line %ld: %s in '%s', not a column of %s", line, reason, field, k->name);
	return 0;
}

/* Stream IN as ingest_all does for one file; returns 0, or -1 after a refusal checked. */
static int stream(struct input *in, const char *path)
{
	struct rec_writer *out, *rej;
	struct problem pb;
	int rc;

	input_tables(in, &fuzz_work);
	unlink(fuzz_path("out.csv"));
	unlink(fuzz_path("rej.csv"));
	out = rec_writer_open(fuzz_path("out.csv"), 0, 0600);
	rej = rec_writer_open(fuzz_path("rej.csv"), 0, 0600);
	fuzz_check(out && rej, "cannot write the streams");
	fuzz_check(rec_writer_section(rej, "reject/1") == 0 && rec_writer_section(out, in->kind->schema) == 0,
		   "sections not written");
	rc = stream_file(&fuzz_work, in, out, rej, &pb);
	if (rc < 0)
		problem_ok(in, &pb, path);
	fuzz_check(rec_writer_close(out) == 0 && rec_writer_close(rej) == 0, "the streams not written");
	free(in->code_ix);
	for (size_t i = 0; i < n_kinds; i++) {
		keyset_free(fuzz_work.seen[i]);
		fuzz_work.seen[i] = NULL;
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;
	struct problem pb;
	struct reject_check rc = { &in, 0, { 0 } };
	const char *path;
	unsigned b = size ? data[0] : 7;
	int k = (int)(b & 7);

	set_up();
	fuzz_opt.kind = k < 7 ? kinds[k].name : NULL;
	fuzz_opt.utf8_kinds = b & 8 ? ~0u : 0;
	path = raw_file(b & 16 ? &kinds[k < 7 ? k : (int)(b >> 5) % 7] : NULL, data + (size > 0), size - (size > 0));
	if (header_read(&in, &fuzz_work, path, &pb) < 0 || header_map(&in, &fuzz_work, &pb) < 0) {
		problem_ok(&in, &pb, path);
		line_reader_free(in.lr);
		return 0;
	}
	rc.lines = count_newlines(path);
	if (stream(&in, path) < 0) {
		line_reader_free(in.lr);
		return 0;
	}
	line_reader_free(in.lr);
	fuzz_check(in.nread == rc.lines - 1, "%ld rows read from %ld data lines", in.nread, rc.lines - 1);
	fuzz_check(in.nread == in.nwritten + in.nrejected, "%ld rows read, %ld written, %ld rejected", in.nread,
		   in.nwritten, in.nrejected);
	fuzz_check(read_back(fuzz_path("out.csv"), in.kind->schema, NULL, NULL) == in.nwritten, "the stream holds "
		   "other than the %ld rows written", in.nwritten);
	fuzz_check(read_back(fuzz_path("rej.csv"), "reject/1", reject_ok, &rc) == in.nrejected, "the reject stream "
		   "holds other than the %ld rows rejected", in.nrejected);
	for (int r = 0; r < N_REASONS; r++)
		fuzz_check(rc.per_reason[r] == in.per_reason[r], "%s: %ld counted, %ld in the reject stream",
			   reason_names[r], in.per_reason[r], rc.per_reason[r]);
	return 0;
}
