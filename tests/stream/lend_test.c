/* lend_test - the writer's lending (REC_VMSPLICE=1: plain stdout to a pipe handed over by
 * vmsplice, rec_write.c's struct lend), built here with a ring of two buffers: 512 KiB,
 * less than the 1 MiB pipe, so the second time round the ring the pipe may still hold the
 * buffer and the writer must stop lending and write a buffer of its own (the path a pipe
 * made larger than the ring by its reader takes; here without the privilege that needs).
 * A slow reader, another process, compares every byte with the text worked out here with
 * snprintf. Without REC_VMSPLICE, or to a file, nothing is lent.
 * The report's own builds lend from 8 buffers; tests/stream/lend.t runs them. */
#define LEND_SLOTS 2
#include "../../filters/lib/rec_write.c"

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "../lib/tap.h"

#define RECORDS 300000L

static int failures;

static void check(int ok, const char *what)
{
	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

/* The stream's text, worked out without the writer. */
static char *expected(size_t *len)
{
	size_t cap = 64 + (size_t)RECORDS * 48, n = 0;
	char *t = malloc(cap);

	n += (size_t)snprintf(t + n, cap - n, "#schema lent/1\nn,v\n");
	for (long i = 0; i < RECORDS; i++)
		n += (size_t)snprintf(t + n, cap - n, "%ld,value %ld%s\n", i, i * 7, i % 3 ? " and words" : "");
	*len = n;
	return t;
}

/* The writer, in a process of its own with OUT as stdout. Exit status: 0, plus 2 when it
 * did not lend, 4 when it lent to the end (never had to stop), 1 on a write error. */
static void writer(int out)
{
	struct rec_writer *w;
	char v[64];
	int status = 0;

	if (dup2(out, STDOUT_FILENO) < 0)
		_exit(1);
	close(out);
	rec_init(v, sizeof v);
	w = rec_writer_open(NULL, 0, 0600);
	if (w == NULL || rec_writer_section(w, "lent/1") < 0)
		_exit(1);
	for (long i = 0; i < RECORDS; i++) {
		snprintf(v, sizeof v, "value %ld%s", i * 7, i % 3 ? " and words" : "");
		rec_put_int(w, i);
		rec_put(w, v);
		rec_writer_end(w);
	}
	if (w->lend == NULL)
		status |= 2;
	else if (!w->lend->stopped)
		status |= 4;
	if (rec_writer_close(w) < 0)
		_exit(1);
	_exit(status);
}

/* The reader: waits, so that the pipe fills, then reads in small pieces with pauses.
 * Exit 0 when every byte is the expected one. */
static void reader(int in, const char *want, size_t want_len)
{
	static char buf[65536];
	size_t at = 0;
	ssize_t n;
	struct timespec pause = { 0, 1000000 }, first = { 0, 100000000 };
	long reads = 0;
	int same = 1;

	nanosleep(&first, NULL);
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if (at + (size_t)n > want_len || memcmp(buf, want + at, (size_t)n) != 0)
			same = 0;
		at += (size_t)n;
		if (++reads % 8 == 0)
			nanosleep(&pause, NULL);
	}
	_exit(n == 0 && same && at == want_len ? 0 : 1);
}

/* Write the stream with REC_VMSPLICE as given to a pipe read by a slow reader. Returns the
 * writer's exit status; *SAME: the reader saw the expected bytes. */
static int through_pipe(const char *vmsplice, const char *want, size_t want_len, int *same)
{
	int fd[2], st_w = -1, st_r = -1;
	pid_t pw, pr;

	if (vmsplice)
		setenv("REC_VMSPLICE", vmsplice, 1);
	else
		unsetenv("REC_VMSPLICE");
	if (pipe(fd) < 0)
		return -1;
	fflush(stdout);
	if ((pr = fork()) == 0) {
		close(fd[1]);
		reader(fd[0], want, want_len);
	}
	if ((pw = fork()) == 0) {
		close(fd[0]);
		writer(fd[1]);
	}
	close(fd[0]);
	close(fd[1]);
	waitpid(pw, &st_w, 0);
	waitpid(pr, &st_r, 0);
	*same = WIFEXITED(st_r) && WEXITSTATUS(st_r) == 0;
	return WIFEXITED(st_w) ? WEXITSTATUS(st_w) : -1;
}

int main(void)
{
	char dir[] = "/tmp/lend_test.XXXXXX", path[128];
	size_t want_len;
	char *want = expected(&want_len);
	int same, st;
	FILE *fp;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/lent-1.schema", dir);
	fp = fopen(path, "w");
	fprintf(fp, "schema lent/1\nn int req a number\nv text opt a value\n");
	fclose(fp);
	setenv("REC_SCHEMA_PATH", dir, 1);

	st = through_pipe("1", want, want_len, &same);
	check(st >= 0 && !(st & 1), "REC_VMSPLICE=1, two buffers: the writer ends without an error");
	check(st >= 0 && !(st & 2), "REC_VMSPLICE=1 on a pipe: the writer lends");
	check(st >= 0 && !(st & 4), "two buffers of 256 KiB against a 1 MiB pipe: it stops lending");
	check(same, "REC_VMSPLICE=1, two buffers: the slow reader reads every byte as written here (11 MB)");

	st = through_pipe(NULL, want, want_len, &same);
	check(st == 2, "without REC_VMSPLICE: nothing is lent, no error");
	check(same, "without REC_VMSPLICE: the reader reads every byte");

	st = through_pipe("yes", want, want_len, &same);
	check(st == 2, "REC_VMSPLICE=yes (only 1 turns it on): nothing is lent");

	/* to a file: stdout is no pipe, nothing to lend */
	{
		char out[160];
		int fd;
		pid_t pw;
		FILE *in;
		char *got = malloc(want_len + 1);
		size_t n;

		snprintf(out, sizeof out, "%s/out.csv", dir);
		setenv("REC_VMSPLICE", "1", 1);
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		fflush(stdout);
		if ((pw = fork()) == 0)
			writer(fd);
		close(fd);
		waitpid(pw, &st, 0);
		check(WIFEXITED(st) && WEXITSTATUS(st) == 2, "REC_VMSPLICE=1, stdout a file: nothing is lent, no error");
		in = fopen(out, "rb");
		n = in ? fread(got, 1, want_len + 1, in) : 0;
		check(n == want_len && memcmp(got, want, want_len) == 0, "REC_VMSPLICE=1, stdout a file: every byte");
		if (in)
			fclose(in);
		unlink(out);
		free(got);
	}
	unlink(path);
	rmdir(dir);
	free(want);
	tap_plan();
	return failures != 0;
}
