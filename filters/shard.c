/* shard - split an ingested stream into N streams by person, for a sharded run.
 *
 * Every row about one person must land in the same shard, so that link-waves,
 * derive-status and classify-support can run per shard and rec-merge can put the results
 * back together into exactly the single-machine stream. Rows with a person_key go by a hash
 * of it; survey rows carry only a respondent number, so a first pass reads the sample/1
 * section to learn each respondent's person (which is why the input must be a file, not a
 * pipe). A wave row whose respondent is not in the sample goes to shard 0, where link-waves
 * reports it as unlinked, once.
 *
 * Memory: one entry per sampled respondent (the panel), independent of the number of
 * applications.
 */
#include "diag.h"
#include "rec.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* respondent_id -> shard, open addressing. */
struct respmap {
	char **keys;
	uint16_t *shard;
	size_t cap, n;
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t respmap_slot(const struct respmap *m, const char *key)
{
	size_t i = fnv1a(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void respmap_put(struct respmap *m, const char *key, unsigned shard)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct respmap bigger = { NULL, NULL, m->cap ? 2 * m->cap : 1024, 0 };

		bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
		bigger.shard = xcalloc(bigger.cap, sizeof *bigger.shard);
		for (size_t j = 0; j < m->cap; j++)
			if (m->keys[j]) {
				size_t k = respmap_slot(&bigger, m->keys[j]);
				bigger.keys[k] = m->keys[j];
				bigger.shard[k] = m->shard[j];
				bigger.n++;
			}
		free(m->keys);
		free(m->shard);
		*m = bigger;
	}
	i = respmap_slot(m, key);
	if (m->keys[i] == NULL) {   /* the first row of a duplicate respondent wins, as in ingest */
		m->keys[i] = xstrdup(key);
		m->shard[i] = (uint16_t)shard;
		m->n++;
	}
}

static int respmap_get(const struct respmap *m, const char *key)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	i = respmap_slot(m, key);
	return m->keys[i] ? m->shard[i] : -1;
}

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: shard -n N -o PREFIX FILE\n"
	"\n"
	"Split ingest's output (FILE: a file, read twice) into N streams PREFIX.0.gz ..\n"
	"PREFIX.<N-1>.gz, every row of a person in the same one: rows with a person_key by a\n"
	"hash of it (FNV-1a 32 mod N), survey rows (wave1/1..wave3/1) by their respondent's\n"
	"person as sample/1 gives it (respondents not in the sample go to shard 0). Every shard\n"
	"gets every section, in the input's order, so each is a complete ingest stream.\n"
	"\n"
	"  -n, --shards N     number of shards, 1..1000\n"
	"  -o, --prefix P     output file prefix\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 bad input or I/O error, 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  ingest --key-file k raw/*.csv > in.gz && shard -n 3 -o work/shard in.gz\n");
}

static unsigned shard_of_key(const char *key, unsigned n)
{
	return fnv1a(key) % n;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shards", required_argument, NULL, 'n' },
		{ "prefix", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct respmap map = { NULL, NULL, 0, 0 };
	struct rec_reader *r;
	struct rec_writer **w;
	const char *prefix = NULL, *path;
	long shards = 0;
	int c, rc, key_i = -1, resp_i = -1;
	long *rows;
	char *end;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "n:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			shards = strtol(optarg, &end, 10);
			if (*end || shards < 1 || shards > 1000)
				diag_usage("-n: not a number of shards 1..1000: '%s'", optarg);
			break;
		case 'o': prefix = optarg; break;
		case 'h': usage(stdout); return diag_close_stdout(0);
		case 'V': puts("shard ketenmonitor 0.1"); return diag_close_stdout(0);
		default: diag_usage("unknown option");
		}
	}
	if (shards == 0 || prefix == NULL)
		diag_usage("-n N and -o PREFIX are required");
	if (optind != argc - 1 || strcmp(argv[optind], "-") == 0)
		diag_usage("expected one input FILE (a file: it is read twice)");
	path = argv[optind];

	/* Pass 1: each respondent's shard, from the sample. */
	if ((r = rec_reader_open(path)) == NULL)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			int is_sample = strcmp(rec_reader_schema(r)->id, "sample/1") == 0;
			key_i = is_sample ? rec_reader_index(r, "person_key") : -1;
			resp_i = is_sample ? rec_reader_index(r, "respondent_id") : -1;
		} else if (key_i >= 0) {
			respmap_put(&map, rec_reader_field(r, (size_t)resp_i),
			            shard_of_key(rec_reader_field(r, (size_t)key_i), (unsigned)shards));
		}
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
	rec_reader_free(r);

	/* Pass 2: route every row. */
	w = xcalloc((size_t)shards, sizeof *w);
	rows = xcalloc((size_t)shards, sizeof *rows);
	for (long i = 0; i < shards; i++) {
		char name[4096];

		snprintf(name, sizeof name, "%s.%ld.gz", prefix, i);
		if ((w[i] = rec_writer_open(name, -1, 0644)) == NULL)
			die(EXIT_DATA, name, 0, NULL, "cannot create: %s", strerror(errno));
	}
	if ((r = rec_reader_open(path)) == NULL)
		die(EXIT_DATA, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((rc = rec_reader_next(r)) > 0) {
		long s;

		if (rc == REC_SECTION) {
			const char *id = rec_reader_schema(r)->id;

			key_i = rec_reader_index(r, "person_key");
			resp_i = rec_reader_index(r, "respondent_id");
			if (key_i < 0 && resp_i < 0)
				die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), NULL,
				    "section %s has neither person_key nor respondent_id: not an ingest stream", id);
			for (long i = 0; i < shards; i++)
				if (rec_writer_section(w[i], id) < 0)
					die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w[i]));
			continue;
		}
		if (key_i >= 0) {
			s = shard_of_key(rec_reader_field(r, (size_t)key_i), (unsigned)shards);
		} else {
			s = respmap_get(&map, rec_reader_field(r, (size_t)resp_i));
			if (s < 0)
				s = 0;
		}
		rec_put_fields(w[s], r);
		rec_writer_end(w[s]);
		rows[s]++;
	}
	if (rc < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
	rec_reader_free(r);
	rc = 0;
	for (long i = 0; i < shards; i++) {
		if (rec_writer_close(w[i]) < 0)
			rc = EXIT_DATA;
		fprintf(stderr, "shard: %s.%ld.gz: %ld rows\n", prefix, i, rows[i]);
	}
	for (size_t i = 0; i < map.cap; i++)
		free(map.keys[i]);
	free(map.keys);
	free(map.shard);
	free(w);
	free(rows);
	return diag_close_stdout(rc);
}
