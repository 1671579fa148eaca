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
#include "filter.h"
#include "rec.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

struct shard {
	long shards;                 /* -n */
	const char *prefix;          /* -o */
	struct respmap map;          /* respondent -> shard, from the sample (pass 1) */
	int key_i, resp_i;           /* the current section's person_key, respondent_id */
	struct rec_writer **w;       /* one per shard (pass 2) */
	long *rows;
};

/* Pass 1: each respondent's shard, from the sample. */
static int sample_section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct shard *s = vc;
	int is_sample = strcmp(rec_reader_schema(r)->id, "sample/1") == 0;

	(void)out;
	if (!is_sample)
		return FILTER_SKIP;
	s->key_i = rec_reader_require(r, "person_key");
	s->resp_i = rec_reader_require(r, "respondent_id");
	return s->key_i < 0 || s->resp_i < 0 ? -1 : 0;
}

static int sample_record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct shard *s = vc;

	(void)out;
	respmap_put(&s->map, rec_reader_field(r, (size_t)s->resp_i),
		    shard_of_key(rec_reader_field(r, (size_t)s->key_i), (unsigned)s->shards));
	return 0;
}

/* Pass 2: every section to every shard, every row to its person's. */
static int route_section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct shard *s = vc;
	const char *id = rec_reader_schema(r)->id;

	(void)out;
	s->key_i = rec_reader_index(r, "person_key");
	s->resp_i = rec_reader_index(r, "respondent_id");
	if (s->key_i < 0 && s->resp_i < 0)
		return rec_reader_fail(r, -1, "section %s has neither person_key nor respondent_id: not an ingest stream", id);
	for (long i = 0; i < s->shards; i++)
		if (rec_writer_section(s->w[i], id) < 0) {
			diag_warn(NULL, 0, NULL, "%s", rec_writer_error(s->w[i]));
			return -1;
		}
	return 0;
}

static int route_record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct shard *s = vc;
	long k;

	(void)out;
	if (s->key_i >= 0) {
		k = shard_of_key(rec_reader_field(r, (size_t)s->key_i), (unsigned)s->shards);
	} else {
		k = respmap_get(&s->map, rec_reader_field(r, (size_t)s->resp_i));
		if (k < 0)
			k = 0;
	}
	rec_put_fields(s->w[k], r);
	rec_writer_end(s->w[k]);
	s->rows[k]++;
	return 0;
}

/* Pass 2 with the shard files open; closes them (0), or discards them (-1): when one
 * cannot be finished, the ones already closed are removed too - a failed run leaves no
 * shard under its name. */
static int route(struct shard *s, const char *path)
{
	static const struct filter pass2 = { .name = "shard", .flags = FILTER_SPLIT_LAZILY, .section = route_section,
					       .record = route_record };
	int rc = 0;
	long closed = 0;
	char name[4096];

	s->w = xcalloc((size_t)s->shards, sizeof *s->w);
	s->rows = xcalloc((size_t)s->shards, sizeof *s->rows);
	for (long i = 0; i < s->shards && rc == 0; i++) {
		snprintf(name, sizeof name, "%s.%ld.gz", s->prefix, i);
		if ((s->w[i] = rec_writer_open(name, -1, 0644)) == NULL) {
			diag_warn(name, 0, NULL, "cannot create: %s", strerror(errno));
			rc = -1;
		} else {
			rec_writer_read_back(s->w[i]);   /* each shard's chain reads it next */
		}
	}
	if (rc == 0)
		rc = filter_read(&pass2, s, path, NULL);
	for (long i = 0; i < s->shards; i++) {
		if (rc < 0) {
			rec_writer_discard(s->w[i]);
			continue;
		}
		if (rec_writer_close(s->w[i]) < 0)
			rc = -1;
		else
			closed = i + 1;
		fprintf(stderr, "shard: %s.%ld.gz: %ld rows\n", s->prefix, i, s->rows[i]);
	}
	for (long i = 0; rc < 0 && i < closed; i++) {
		snprintf(name, sizeof name, "%s.%ld.gz", s->prefix, i);
		unlink(name);
	}
	free(s->w);
	free(s->rows);
	return rc;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct shard *s = vc;
	char *end;

	if (o == 'o') {
		s->prefix = arg;
		return 0;
	}
	s->shards = strtol(arg, &end, 10);
	if (*end || s->shards < 1 || s->shards > 1000) {
		snprintf(err, errsz, "-n: not a number of shards 1..1000: '%s'", arg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shards", required_argument, NULL, 'n' },
		{ "prefix", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter pass1 = {
		.name = "shard", .usage = usage, .short_opts = "n:o:", .long_opts = longopts,
		.flags = FILTER_SPLIT_LAZILY, .option = option, .section = sample_section, .record = sample_record,
	};
	struct shard s = { .key_i = -1, .resp_i = -1 };
	int status;

	if (filter_args(&pass1, &s, argc, argv, &status))
		return status;
	if (s.shards == 0 || s.prefix == NULL)
		return filter_usage_error("-n N and -o PREFIX are required");
	if (optind != argc - 1 || strcmp(argv[optind], "-") == 0)
		return filter_usage_error("expected one input FILE (a file: it is read twice)");
	status = filter_read(&pass1, &s, argv[optind], NULL) < 0 || route(&s, argv[optind]) < 0;
	for (size_t i = 0; i < s.map.cap; i++)
		free(s.map.keys[i]);
	free(s.map.keys);
	free(s.map.shard);
	return filter_finish(NULL, status ? EXIT_DATA : 0);
}
