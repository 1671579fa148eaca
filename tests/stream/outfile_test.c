/* outfile_test - filters/lib/outfile.c: what naming a file as output does to what is there
 * (TAP). Each case builds what PATH names (nothing, a file, a link, a FIFO, a folder, a
 * leftover PATH.partial), writes through outfile, and checks the file system afterwards
 * with lstat and the bytes on disk - never with outfile's own answers alone.
 *
 * Why: an output name is often a path someone else can write into (a shared report
 * folder); a link or a device planted there must neither receive the bytes nor be
 * replaced, and a reader must never see half a file.
 */
#include "../lib/tap.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { \
	tap_checks++; \
	if (cond) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { failures++; printf("not ok - "); printf(__VA_ARGS__); printf("  (%s:%d)\n", __FILE__, __LINE__); } \
} while (0)

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

/* The whole file as a string ("" when it cannot be read). */
static const char *get(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp) {
		n = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static int kind(const char *path)      /* S_IFMT bits of lstat, 0 when absent */
{
	struct stat st;

	return lstat(path, &st) == 0 ? (int)(st.st_mode & S_IFMT) : 0;
}

static int write_text(struct outfile *of, const char *text)
{
	return write(of->fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
}

static void new_and_existing_files(void)
{
	struct outfile of;
	struct stat st;

	CHECK(outfile_open(&of, "new.txt", 0600) == 0, "a new name: opened");
	CHECK(kind("new.txt") == 0 && kind("new.txt.partial") == S_IFREG,
	      "a new name: written as new.txt.partial, new.txt not there yet");
	write_text(&of, "one\n");
	CHECK(outfile_commit(&of) == 0, "a new name: committed");
	CHECK(strcmp(get("new.txt"), "one\n") == 0 && kind("new.txt.partial") == 0,
	      "a new name: renamed into place, no partial left");
	CHECK(stat("new.txt", &st) == 0 && (st.st_mode & 0777) == 0600, "a new name: mode 0600 as asked");

	put("old.txt", "old\n");
	if (link("old.txt", "hard.txt") < 0)
		perror("link");
	CHECK(outfile_open(&of, "old.txt", 0644) == 0, "an existing file: opened");
	write_text(&of, "half");
	CHECK(strcmp(get("old.txt"), "old\n") == 0, "an existing file: unchanged while the new one is written");
	write_text(&of, " and the rest\n");
	CHECK(outfile_commit(&of) == 0 && strcmp(get("old.txt"), "half and the rest\n") == 0,
	      "an existing file: replaced whole at commit");
	CHECK(strcmp(get("hard.txt"), "old\n") == 0,
	      "an existing file: a hard link to the old one keeps the old bytes (renamed over, not written into)");

	CHECK(outfile_open(&of, "old.txt", 0644) == 0, "abort: opened");
	write_text(&of, "never\n");
	outfile_abort(&of);
	CHECK(strcmp(get("old.txt"), "half and the rest\n") == 0 && kind("old.txt.partial") == 0,
	      "abort: the file is as it was and no partial is left");
}

static void links(void)
{
	struct outfile of;
	int rc;

	put("target.txt", "precious\n");
	if (symlink("target.txt", "link.txt") < 0)
		perror("symlink");
	rc = outfile_open(&of, "link.txt", 0644);
	CHECK(rc < 0 && errno == ELOOP, "a link to a file: refused (ELOOP)");
	CHECK(strstr(of.err, "symbolic link") != NULL, "a link to a file: the message says why (%s)", of.err);
	CHECK(kind("link.txt") == S_IFLNK && strcmp(get("target.txt"), "precious\n") == 0,
	      "a link to a file: the link and its target are as they were");
	CHECK(kind("link.txt.partial") == 0, "a link to a file: no partial file made");

	if (symlink("nowhere.txt", "dangling.txt") < 0)
		perror("symlink");
	CHECK(outfile_open(&of, "dangling.txt", 0644) < 0 && errno == ELOOP, "a dangling link: refused");
	CHECK(kind("nowhere.txt") == 0 && kind("dangling.txt") == S_IFLNK,
	      "a dangling link: its target is not created, the link stays");
}

static void leftovers(void)
{
	struct outfile of;

	put("left.txt.partial", "stale\n");
	CHECK(outfile_open(&of, "left.txt", 0644) == 0, "a leftover partial file (a run that died): replaced");
	write_text(&of, "fresh\n");
	CHECK(outfile_commit(&of) == 0 && strcmp(get("left.txt"), "fresh\n") == 0, "a leftover partial file: the new bytes land");

	put("victim.txt", "victim\n");
	if (symlink("victim.txt", "trap.txt.partial") < 0)
		perror("symlink");
	CHECK(outfile_open(&of, "trap.txt", 0644) == 0, "a link planted at NAME.partial: opened anyway");
	write_text(&of, "mine\n");
	CHECK(outfile_commit(&of) == 0, "a link planted at NAME.partial: committed");
	CHECK(strcmp(get("victim.txt"), "victim\n") == 0 && strcmp(get("trap.txt"), "mine\n") == 0,
	      "a link planted at NAME.partial: never written through (its target keeps its bytes)");

	if (mkfifo("pipe.txt.partial", 0600) < 0)
		perror("mkfifo");
	CHECK(outfile_open(&of, "pipe.txt", 0644) < 0 && errno == EEXIST,
	      "a FIFO at NAME.partial: refused, not removed (%s)", of.err);
	CHECK(kind("pipe.txt.partial") == S_IFIFO, "a FIFO at NAME.partial: still there");
}

/* A child reads the FIFO; the parent writes through outfile. */
static void fifo_case(const char *name, const char *open_as)
{
	struct outfile of;
	int fds[2], status = 0;
	char got[64] = "";
	pid_t pid;

	if (pipe(fds) < 0)
		perror("pipe");
	fflush(stdout);             /* the child must not print the parent's lines again */
	pid = fork();
	if (pid == 0) {
		int fd = open(name, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, got, sizeof got - 1) : -1;

		if (n > 0 && write(fds[1], got, (size_t)n) != n)
			_exit(2);
		_exit(n > 0 ? 0 : 1);
	}
	close(fds[1]);
	CHECK(outfile_open(&of, open_as, 0644) == 0 && of.direct == 1, "%s: opened for a direct write", open_as);
	write_text(&of, "through\n");
	CHECK(outfile_commit(&of) == 0, "%s: committed", open_as);
	if (read(fds[0], got, sizeof got - 1) < 0)
		perror("read");
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(strcmp(got, "through\n") == 0, "%s: the reader got the bytes", open_as);
	CHECK(kind(name) == S_IFIFO && kind("fifo.partial") == 0, "%s: the FIFO is still a FIFO, nothing renamed", open_as);
}

static void devices_and_folders(void)
{
	struct outfile of;
	struct stat st;

	if (mkfifo("fifo", 0600) < 0)
		perror("mkfifo");
	fifo_case("fifo", "fifo");
	if (symlink("fifo", "fifo.link") < 0)
		perror("symlink");
	fifo_case("fifo", "fifo.link");      /* what /dev/stdout is when stdout is a pipe */
	CHECK(kind("fifo.link") == S_IFLNK, "fifo.link: the link stays a link");

	CHECK(outfile_open(&of, "/dev/null", 0644) == 0 && of.direct, "/dev/null: written in place");
	write_text(&of, "gone\n");
	CHECK(outfile_commit(&of) == 0 && stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
	      "/dev/null: still a character device");

	if (mkdir("folder", 0700) < 0)
		perror("mkdir");
	CHECK(outfile_open(&of, "folder", 0644) < 0 && errno == EISDIR, "a folder: refused (EISDIR)");

	/* /dev/full: every write fails; only root could have replaced the device node */
	if (geteuid() != 0) {
		printf("# /dev/full case left out: not root\n");
		return;
	}
	CHECK(outfile_open(&of, "/dev/full", 0644) == 0 && of.direct, "/dev/full: opened in place");
	CHECK(write_text(&of, "full\n") < 0 && errno == ENOSPC, "/dev/full: the write fails (ENOSPC)");
	outfile_abort(&of);
	CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode), "/dev/full: still a character device");
}

/* Byte I of the written-behind file: a pattern no two nearby windows share. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

/* outfile_wrote over several of its 8 MiB windows, in chunks that straddle them: every
 * byte arrives, and the early windows have left the page cache (they were sent to disk
 * and dropped), which is the point of writing behind - unless the file is to be read
 * back (READ_BACK), when they stay. */
static void written_behind(int read_back)
{
	static const size_t chunk[] = { 1, 7, 4096, 100003, 3u << 20, 65536, 8u << 20, 12345 };
	const size_t total = (8u << 20) * 3 + 54321;
	unsigned char *buf = malloc(total), *back = malloc(total);
	struct outfile of;
	struct statfs fs;
	size_t off = 0, k = 0, n;
	FILE *fp;

	if (buf == NULL || back == NULL) {
		perror("malloc");
		exit(1);
	}
	for (size_t i = 0; i < total; i++)
		buf[i] = pattern(i);
	const char *what = read_back ? "read back" : "written behind";

	CHECK(outfile_open(&of, "big.bin", 0600) == 0, "%s: opened", what);
	of.read_back = read_back;
	while (off < total) {
		n = chunk[k++ % (sizeof chunk / sizeof *chunk)];
		if (n > total - off)
			n = total - off;
		if (write(of.fd, buf + off, n) != (ssize_t)n)   /* a regular file: never short */
			break;
		outfile_wrote(&of, n);
		off += n;
	}
	CHECK(off == total, "%s: %zu bytes written in chunks across three windows", what, off);
	CHECK(outfile_commit(&of) == 0, "%s: committed", what);

	/* before the bytes are read back (which would bring them into the cache again) */
	if (statfs(".", &fs) == 0 && fs.f_type != 0x01021994 /* tmpfs: never dropped */) {
		int fd = open("big.bin", O_RDONLY);
		void *map = fd >= 0 ? mmap(NULL, 8u << 20, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
		unsigned char vec[(8u << 20) / 4096];
		size_t resident = 0;

		if (map != MAP_FAILED && mincore(map, 8u << 20, vec) == 0)
			for (size_t i = 0; i < sizeof vec; i++)
				resident += vec[i] & 1;
		else
			resident = SIZE_MAX;
		/* "most": the kernel keeps a page a CPU's LRU batch still holds (a few at most) */
		if (read_back)
			CHECK(resident != SIZE_MAX && resident >= sizeof vec - sizeof vec / 32,
			      "read back: the first window stayed in the page cache (%zu of %zu pages there)",
			      resident, sizeof vec);
		else
			CHECK(resident <= sizeof vec / 32,
			      "written behind: the first window left the page cache (%zu of %zu pages still there)",
			      resident, sizeof vec);
		if (map != MAP_FAILED)
			munmap(map, 8u << 20);
		if (fd >= 0)
			close(fd);
	} else {
		printf("# %s: on tmpfs, whose pages are never dropped: not checked\n", what);
	}

	fp = fopen("big.bin", "rb");
	n = fp ? fread(back, 1, total, fp) : 0;
	CHECK(n == total && (fp == NULL || fgetc(fp) == EOF) && memcmp(buf, back, total) == 0,
	      "%s: the file holds every byte, in order, and nothing more", what);
	if (fp)
		fclose(fp);
	unlink("big.bin");
	free(buf);
	free(back);
}

int main(void)
{
	/* tests/run starts each test in a fresh folder of its own: work in a subfolder of it */
	umask(022);
	if (mkdir("outfile", 0700) < 0 || chdir("outfile") < 0) {
		perror("outfile");
		return 1;
	}
	new_and_existing_files();
	links();
	leftovers();
	devices_and_folders();
	written_behind(0);
	written_behind(1);
	tap_plan();
	return failures ? 1 : 0;
}
