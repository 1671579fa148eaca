/* rec-merge - merge record streams that are each sorted by a key into one sorted section.
 *
 * The other half of a sharded run: each shard's per-person stages write their people in
 * person_key order, and rec-merge interleaves them into exactly the stream one machine would
 * have written. It checks what it relies on: every input has one section of one schema, the
 * same for all, sorted by the key (a key that goes down is an error, not a silently
 * unsorted result); a key in two inputs is an error too - the shards of a run hold disjoint
 * people, so it means one shard given twice (or two runs mixed), which would count those
 * people twice. Equal keys inside one input are kept in its order. The key is read through
 * the typed getter, so it is checked against its schema (person_key: hex32); the other
 * fields are passed on unread (rec.h, "What is checked where").
 */
#include "diag.h"
#include "filter.h"
#include "rec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct input {
	struct rec_reader *r;
	int key;            /* index of the key field */
	int live;           /* a record is ready */
	char *last;         /* the previous key, for the order check */
	size_t last_cap;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: rec-merge --key FIELD FILE...\n"
	"\n"
	"Merge record streams, each one section of the same schema sorted by FIELD (byte order),\n"
	"into one section sorted by FIELD on stdout. Equal keys inside one FILE keep its order.\n"
	"A FILE that is not sorted, whose schema differs from the first FILE's, or that holds a\n"
	"key another FILE holds too (a shard given twice: each person is in one shard) is an\n"
	"error, as is a key its schema does not allow.\n"
	"\n"
	"  --key FIELD   the field the inputs are sorted by (e.g. person_key)\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 merged, 1 bad input or I/O error, 2 bad usage.\n"
	"\n"
	"Example (the sharded pipeline):\n"
	"  rec-merge --key person_key shard.0.support.gz shard.1.support.gz | fit-models models.spec\n");
}

struct merge {
	const char *key;             /* --key */
	const struct schema *schema; /* of the first input; every input must have it */
	struct input *in;
	int n;
	char **paths;
	int prev;                    /* the input the last record written came from, or -1 */
	char *prev_key;              /* its key */
	size_t prev_cap;
};

/* Move IN to its next record; 0 at the end of its section, -1 on an error (printed). */
static int advance(struct merge *m, struct input *in)
{
	int rc = rec_reader_next(in->r);

	if (rc == REC_SECTION) {
		if (in->key >= 0)
			return rec_reader_fail(in->r, -1, "a second section: rec-merge merges inputs of one section each");
		if (m->schema == NULL)
			m->schema = rec_reader_schema(in->r);
		else if (rec_reader_schema(in->r) != m->schema)
			return rec_reader_fail(in->r, -1, "section %s: rec-merge merges one schema, and the first "
					       "input has %s (or a second section)", rec_reader_schema(in->r)->id,
					       m->schema->id);
		if ((in->key = rec_reader_require(in->r, m->key)) < 0)
			return REC_ERROR;
		if ((rc = rec_reader_next(in->r)) == REC_SECTION)
			return rec_reader_fail(in->r, -1, "a second section: rec-merge merges inputs of one section each");
	} else if (rc == REC_EOF && in->key < 0) {
		return rec_reader_fail(in->r, -1, "no section in the input: an empty stream (did an earlier stage fail?)");
	}
	if (rc < 0)
		return rc;
	in->live = rc == REC_RECORD;
	if (in->live) {
		const char *k = rec_get_text(in->r, in->key);
		size_t n = rec_reader_field_len(in->r, (size_t)in->key);

		if (rec_reader_bad(in->r))
			return REC_ERROR;
		if (in->last && strcmp(k, in->last) < 0)
			return rec_reader_fail(in->r, in->key, "not sorted: %.40s comes after %.40s", k, in->last);
		if (n + 1 > in->last_cap)
			in->last = xrealloc(in->last, in->last_cap = 2 * n + 64);
		memcpy(in->last, k, n + 1);
	}
	return in->live;
}

/* The input whose current key is lowest (the first of equals), or -1 when all ended. */
static int lowest(const struct merge *m)
{
	int best = -1;

	for (int i = 0; i < m->n; i++)
		if (m->in[i].live && (best < 0 || strcmp(rec_reader_field(m->in[i].r, (size_t)m->in[i].key),
							 rec_reader_field(m->in[best].r, (size_t)m->in[best].key)) < 0))
			best = i;
	return best;
}

/* Open every input and read its first record. 0, or -1 (message printed). */
static int open_inputs(struct merge *m, char **paths)
{
	m->in = xcalloc((size_t)m->n, sizeof *m->in);
	for (int i = 0; i < m->n; i++) {
		m->in[i].key = -1;
		if ((m->in[i].r = rec_reader_open(paths[i])) == NULL) {
			diag_warn(paths[i], 0, NULL, "cannot open: %s", strerror(errno));
			return -1;
		}
		if (advance(m, &m->in[i]) < 0) {
			diag_warn(NULL, 0, NULL, "%s", rec_reader_error(m->in[i].r));
			return -1;
		}
	}
	return 0;
}

/* The key of input I, about to be written, against the last one written: 0, or -1 (the
 * message printed) when another input held it too. */
static int twice(struct merge *m, int i)
{
	const char *k = rec_reader_field(m->in[i].r, (size_t)m->in[i].key);
	size_t n = rec_reader_field_len(m->in[i].r, (size_t)m->in[i].key);

	if (m->prev >= 0 && m->prev != i && !strcmp(k, m->prev_key)) {
		rec_reader_fail(m->in[i].r, m->in[i].key, "%.64s is in %s too: a shard given twice? "
				"(each person is in one shard)", k, m->paths[m->prev]);
		diag_warn(NULL, 0, NULL, "%s", rec_reader_error(m->in[i].r));
		return -1;
	}
	if (n + 1 > m->prev_cap)
		m->prev_key = xrealloc(m->prev_key, m->prev_cap = 2 * n + 64);
	memcpy(m->prev_key, k, n + 1);
	m->prev = i;
	return 0;
}

static int merge(struct merge *m, struct rec_writer *w)
{
	int best;

	if (rec_writer_section(w, m->schema->id) < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	while ((best = lowest(m)) >= 0 && !rec_writer_failed(w)) {
		if (twice(m, best) < 0)
			return -1;
		rec_put_fields(w, m->in[best].r);
		rec_writer_end(w);
		if (advance(m, &m->in[best]) < 0) {
			diag_warn(NULL, 0, NULL, "%s", rec_reader_error(m->in[best].r));
			return -1;
		}
	}
	return 0;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	if (o != 'k')
		return -1;
	((struct merge *)vc)->key = arg;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter rec_merge = {
		.name = "rec-merge", .usage = usage, .long_opts = longopts, .option = option,
	};
	struct merge m = { 0 };
	struct rec_writer *w = NULL;
	int status;

	if (filter_args(&rec_merge, &m, argc, argv, &status))
		return status;
	if (m.key == NULL)
		return filter_usage_error("--key FIELD is required");
	if (optind == argc)
		return filter_usage_error("no input files");
	m.n = argc - optind;
	m.paths = argv + optind;
	m.prev = -1;
	status = open_inputs(&m, argv + optind) < 0 ? EXIT_DATA : 0;
	if (status == 0 && (w = rec_writer_open(NULL, -1, 0644)) == NULL) {
		diag_warn("stdout", 0, NULL, "cannot write: %s", strerror(errno));
		status = EXIT_DATA;
	}
	if (status == 0 && merge(&m, w) < 0)
		status = EXIT_DATA;
	for (int i = 0; i < m.n; i++) {
		rec_reader_free(m.in[i].r);
		free(m.in[i].last);
	}
	free(m.in);
	free(m.prev_key);
	return filter_finish(w, status);
}
