/* history-check - is the history whole? And, with --repair, drop a member an append left cut.
 *
 * REPORTS/history.gz only grows: each published run appends one gzip member. A power cut
 * (or a full disk) during an append leaves the last member cut short - and every reader
 * then fails on the whole file, and the next append would bury the cut member in the
 * middle, where it can no longer be told from damage. So the refresh checks the history
 * before it appends, and repairs a cut end by truncating the file to the end of its last
 * complete member: the one member that was being written is dropped, nothing else.
 *
 * How the boundary is found: by inflating the file member by member (gz.h says where each
 * member ends, after its CRC and length are checked) - no index file that could itself
 * be out of step. What may be dropped is decided narrowly: the bytes after the last
 * complete member must look like an append that stopped - the start of a gzip member (its
 * magic, or a prefix of it) or zero bytes (a file system that extended the file but never
 * wrote it) - and no complete member may follow them. Anything else (a damaged member in
 * the middle, a file that is not gzip) is reported and left as it is: that is not a cut
 * append, and repairing it would destroy runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "filter.h"
#include "gz.h"
#include "rec.h"

struct check {
	int repair;                  /* --repair */
	const char *path;
	unsigned char *buf;          /* the whole file */
	size_t size;
	size_t members;              /* complete members from the start */
	size_t good;                 /* the byte where the last complete member ends */
	const char *why;             /* why the member after `good` did not end */
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: history-check [--repair] HISTORY\n"
"\n"
"Checks that HISTORY (REPORTS/history.gz: one gzip member per published run, appended by\n"
"pipelines/refresh) is whole: every member complete, its CRC and length right.\n"
"  whole:               prints \"HISTORY: N members, B bytes, whole\", exit 0\n"
"  last member cut:     the bytes after the last complete member are an append that\n"
"                       stopped (the start of a gzip member, or zero bytes) and nothing\n"
"                       complete follows them: says so, exit 1; with --repair the file is\n"
"                       truncated to the end of its last complete member (that one\n"
"                       member is dropped, nothing else), says what was dropped, exit 0\n"
"  damaged otherwise:   a bad member with complete members after it, or bytes that are\n"
"                       not gzip: says where, exit 1, and --repair leaves it alone (rebuild\n"
"                       it: pipelines/refresh --rebuild-history)\n"
"An empty file is a whole history of no runs.\n"
"\n"
"Options:\n"
"  --repair   drop a cut last member (truncate, then fsync)\n"
"  --help, --version\n"
"\n"
"Exit status: 0 whole (or repaired), 1 cut or damaged (or I/O error), 2 bad usage.\n"
"\n"
"Example:\n"
"  history-check --repair REPORTS/history.gz && cat member.gz >> REPORTS/history.gz\n");
}

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	(void)arg;
	(void)err;
	(void)errsz;
	if (opt != 'r')
		return -1;
	((struct check *)vc)->repair = 1;
	return 0;
}

static int load(struct check *c)
{
	int fd = open(c->path, O_RDONLY);
	struct stat st;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		diag_warn(c->path, 0, NULL, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	c->size = (size_t)st.st_size;
	c->buf = xmalloc(c->size ? c->size : 1);
	while (got < c->size) {
		ssize_t n = read(fd, c->buf + got, c->size - got);

		if (n <= 0) {
			diag_warn(c->path, 0, NULL, "cannot read: %s", n < 0 ? strerror(errno) : "shorter than its size");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

/* Inflate one member starting at FROM: its end in *end and 1, or 0 (cut or bad: *why). */
static int member_at(const unsigned char *buf, size_t size, size_t from, size_t *end, const char **why)
{
	static unsigned char out[65536];
	struct gz_inflater *z = gz_inflater_new(rec_config()->force_zlib);
	size_t pos = from;
	int rc = GZ_OK;

	*why = "it ends inside a member";
	if (z == NULL) {
		*why = "zlib cannot start";
		return 0;
	}
	if (size - from < 2 || buf[from] != 0x1f || buf[from + 1] != 0x8b)
		*why = "not a gzip member", rc = GZ_ERROR;
	while (rc != GZ_ERROR && rc != GZ_MEMBER_END && pos < size) {
		size_t used = 0, made = 0;

		rc = gz_inflate(z, buf + pos, size - pos, &used, out, sizeof out, &made, why);
		pos += used;
		if (rc == GZ_NEED_INPUT)
			break;
	}
	gz_inflater_free(z);
	*end = pos;
	return rc == GZ_MEMBER_END;
}

/* Could the bytes from FROM be an append that stopped? */
static int looks_cut(const unsigned char *buf, size_t size, size_t from)
{
	static const unsigned char magic[3] = { 0x1f, 0x8b, 0x08 };
	size_t i;

	for (i = from; i < size && buf[i] == 0; i++)
		;
	if (i == size)
		return 1;      /* zeros only */
	return memcmp(buf + from, magic, size - from < 3 ? size - from : 3) == 0;
}

/* A complete member anywhere after FROM? (then the damage is in the middle) */
static int member_after(const unsigned char *buf, size_t size, size_t from)
{
	for (size_t i = from + 1; i + 1 < size; i++) {
		size_t end;
		const char *why;

		if (buf[i] == 0x1f && buf[i + 1] == 0x8b && member_at(buf, size, i, &end, &why))
			return 1;
	}
	return 0;
}

static int walk(struct check *c)
{
	size_t end;

	while (c->good < c->size && member_at(c->buf, c->size, c->good, &end, &c->why)) {
		c->members++;
		c->good = end;
	}
	if (c->good == c->size) {
		printf("%s: %zu %s, %zu bytes, whole\n", c->path, c->members, c->members == 1 ? "member" : "members", c->size);
		return 0;
	}
	if (!looks_cut(c->buf, c->size, c->good) || member_after(c->buf, c->size, c->good)) {
		diag_warn(c->path, 0, NULL, "damaged after %zu complete %s (at byte %zu: %s), and not by a cut append: "
			  "left as it is (pipelines/refresh --rebuild-history makes a new one)", c->members,
			  c->members == 1 ? "member" : "members", c->good, c->why);
		return 1;
	}
	if (!c->repair) {
		diag_warn(c->path, 0, NULL, "the last member is cut short: %zu bytes after %zu complete %s (at byte %zu: "
			  "an append that stopped, a power cut?); history-check --repair drops it", c->size - c->good,
			  c->members, c->members == 1 ? "member" : "members", c->good);
		return 1;
	}
	return 2;
}

static int repair(struct check *c)
{
	int fd = open(c->path, O_WRONLY);

	if (fd < 0 || ftruncate(fd, (off_t)c->good) < 0 || fsync(fd) < 0) {
		diag_warn(c->path, 0, NULL, "cannot drop the cut last member: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	printf("%s: dropped a cut last member (%zu bytes after byte %zu); %zu complete %s kept\n", c->path,
	       c->size - c->good, c->good, c->members, c->members == 1 ? "member" : "members");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repair", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter history_check = {
		.name = "history-check", .usage = usage, .long_opts = longopts, .option = option,
	};
	struct check c = { 0 };
	int status, rc;

	if (filter_args(&history_check, &c, argc, argv, &status))
		return status;
	if (argc - optind != 1)
		return filter_usage_error("expected one HISTORY file");
	c.path = argv[optind];
	rc = load(&c) < 0 ? 1 : walk(&c);
	if (rc == 2)
		rc = repair(&c) < 0 ? 1 : 0;
	free(c.buf);
	return diag_close_stdout(rc ? EXIT_DATA : 0);
}
