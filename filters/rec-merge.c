/* rec-merge - merge record streams that are each sorted by a key into one sorted section.
 *
 * The other half of a sharded run: each shard's per-person stages write their people in
 * person_key order, and rec-merge interleaves them into exactly the stream one machine would
 * have written. It checks what it relies on: every input has one section of one schema, the
 * same for all, sorted by the key (a key that goes down is an error, not a silently
 * unsorted result); equal keys in two inputs are kept in the order of the inputs.
 */
#include "diag.h"
#include "rec.h"

#include <errno.h>
#include <getopt.h>
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
	"into one section sorted by FIELD on stdout. Equal keys keep the order of the FILEs.\n"
	"A FILE that is not sorted, or whose schema differs from the first FILE's, is an error.\n"
	"\n"
	"  --key FIELD   the field the inputs are sorted by (e.g. person_key)\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 merged, 1 bad input or I/O error, 2 bad usage.\n"
	"\n"
	"Example (the sharded pipeline):\n"
	"  rec-merge --key person_key shard.0.support.gz shard.1.support.gz | fit-models models.spec\n");
}

/* Move IN to its next record; 0 at the end of its section. */
static int advance(struct input *in, const char *keyname, const struct schema **schema)
{
	int rc = rec_reader_next(in->r);

	if (rc == REC_SECTION) {
		if (*schema == NULL)
			*schema = rec_reader_schema(in->r);
		else if (rec_reader_schema(in->r) != *schema)
			die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), NULL,
			    "section %s: rec-merge merges one schema, and the first input has %s (or a second section)",
			    rec_reader_schema(in->r)->id, (*schema)->id);
		if ((in->key = rec_reader_index(in->r, keyname)) < 0)
			die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), keyname,
			    "not a field of %s", (*schema)->id);
		rc = rec_reader_next(in->r);
		if (rc == REC_SECTION)
			die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), NULL,
			    "a second section: rec-merge merges inputs of one section each");
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(in->r));
	if (rc == REC_SECTION)
		die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), NULL,
		    "a second section: rec-merge merges inputs of one section each");
	in->live = rc == REC_RECORD;
	if (in->live) {
		const char *k = rec_reader_field(in->r, (size_t)in->key);
		size_t n = rec_reader_field_len(in->r, (size_t)in->key);

		if (in->last && strcmp(k, in->last) < 0)
			die(EXIT_DATA, rec_reader_name(in->r), rec_reader_line(in->r), keyname,
			    "not sorted: %.40s comes after %.40s", k, in->last);
		if (n + 1 > in->last_cap)
			in->last = xrealloc(in->last, in->last_cap = 2 * n + 64);
		memcpy(in->last, k, n + 1);
	}
	return in->live;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *keyname = NULL;
	const struct schema *schema = NULL;
	struct input *in;
	struct rec_writer *w;
	int c, n;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': keyname = optarg; break;
		case 'h': usage(stdout); return diag_close_stdout(0);
		case 'V': puts("rec-merge ketenmonitor 0.1"); return diag_close_stdout(0);
		default: diag_usage("unknown option");
		}
	}
	if (keyname == NULL)
		diag_usage("--key FIELD is required");
	if (optind == argc)
		diag_usage("no input files");
	n = argc - optind;
	in = xcalloc((size_t)n, sizeof *in);
	for (int i = 0; i < n; i++) {
		const char *path = argv[optind + i];

		if ((in[i].r = rec_reader_open(path)) == NULL)
			die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
		advance(&in[i], keyname, &schema);
	}
	if (schema == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "no input has a section");
	if ((w = rec_writer_open(NULL, -1, 0644)) == NULL)
		die(EXIT_DATA, "stdout", 0, NULL, "cannot write: %s", strerror(errno));
	if (rec_writer_section(w, schema->id) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (;;) {
		int best = -1;

		for (int i = 0; i < n; i++)
			if (in[i].live && (best < 0 || strcmp(rec_reader_field(in[i].r, (size_t)in[i].key),
			                                       rec_reader_field(in[best].r, (size_t)in[best].key)) < 0))
				best = i;
		if (best < 0)
			break;
		rec_put_fields(w, in[best].r);
		rec_writer_end(w);
		advance(&in[best], keyname, &schema);
		if (rec_writer_failed(w))
			break;
	}
	for (int i = 0; i < n; i++) {
		rec_reader_free(in[i].r);
		free(in[i].last);
	}
	free(in);
	return diag_close_stdout(rec_writer_close(w) < 0 ? EXIT_DATA : 0);
}
