/* outfile.c - safe creation of output files (see outfile.h for the contract).
 *
 * Why each flag: O_EXCL, so the partial file is always one this call created (not a hard
 * link or a file someone placed there); O_NOFOLLOW, so the name is not a link into somewhere
 * else; no O_TRUNC anywhere, so opening never destroys anything; a device or FIFO is
 * written in place because renaming a regular file over it replaces the device node
 * (`tabulate --csv /dev/full` as root once turned /dev/full into a regular file).
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WRITE_BEHIND (8u << 20)   /* outfile_wrote's window */

static int fail(struct outfile *of, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct outfile *of, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(of->err, sizeof of->err, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

static void release(struct outfile *of)
{
	int e = errno;

	free(of->path);
	free(of->tmp);
	of->path = of->tmp = NULL;
	of->fd = -1;
	errno = e;
}

/* A device or FIFO: open it as it is (through a link too) and make sure the descriptor
 * really is one. */
static int open_direct(struct outfile *of, const char *path, int follow)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));

	if (fd < 0)
		return fail(of, errno, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return fail(of, EINVAL, "changed while being opened: no longer a device or FIFO");
	}
	of->fd = fd;
	of->direct = 1;
	return 0;
}

/* PATH.partial, created here and now; a leftover of a run that died is removed first. */
static int open_partial(struct outfile *of, mode_t mode)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;

	of->fd = open(of->tmp, flags, mode);
	if (of->fd < 0 && errno == EEXIST && lstat(of->tmp, &st) == 0) {
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			return fail(of, EEXIST, "%s exists and is not a regular file: remove it", of->tmp);
		if (unlink(of->tmp) < 0)
			return fail(of, errno, "cannot remove the leftover %s: %s", of->tmp, strerror(errno));
		of->fd = open(of->tmp, flags, mode);
	}
	if (of->fd < 0)
		return fail(of, errno, "%s: %s", of->tmp, strerror(errno));
	return 0;
}

int outfile_open(struct outfile *of, const char *path, mode_t mode)
{
	struct stat st, target;
	size_t n = strlen(path) + sizeof ".partial";
	int rc;

	memset(of, 0, sizeof *of);
	of->fd = -1;
	if (lstat(path, &st) == 0) {
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
			return open_direct(of, path, 0);
		if (S_ISLNK(st.st_mode)) {
			if (stat(path, &target) == 0 && (S_ISCHR(target.st_mode) || S_ISFIFO(target.st_mode)))
				return open_direct(of, path, 1);
			return fail(of, ELOOP, "is a symbolic link: not written through and not replaced (name the file itself)");
		}
		if (S_ISDIR(st.st_mode))
			return fail(of, EISDIR, "is a folder");
		if (!S_ISREG(st.st_mode))
			return fail(of, EINVAL, "is not a regular file, a character device or a FIFO: refused");
	} else if (errno != ENOENT) {
		return fail(of, errno, "%s", strerror(errno));
	}
	of->path = strdup(path);
	of->tmp = malloc(n);
	if (of->path == NULL || of->tmp == NULL) {
		release(of);
		return fail(of, ENOMEM, "%s", strerror(ENOMEM));
	}
	snprintf(of->tmp, n, "%s.partial", path);
	if ((rc = open_partial(of, mode)) < 0)
		release(of);
	return rc;
}

void outfile_wrote(struct outfile *of, size_t n)
{
	of->written += n;
#ifdef SYNC_FILE_RANGE_WRITE
	/* Window k, once full, starts going to disk; window k - 1 is waited for and dropped.
	 * Failures are not reported here: a write error shows in outfile_commit's fsync. */
	while (!of->direct && !of->read_back && of->written - of->behind >= WRITE_BEHIND) {
		(void)sync_file_range(of->fd, (off_t)of->behind, WRITE_BEHIND, SYNC_FILE_RANGE_WRITE);
		if (of->behind >= WRITE_BEHIND) {
			off_t prev = (off_t)(of->behind - WRITE_BEHIND);

			(void)sync_file_range(of->fd, prev, WRITE_BEHIND, SYNC_FILE_RANGE_WAIT_BEFORE |
					      SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
			(void)posix_fadvise(of->fd, prev, WRITE_BEHIND, POSIX_FADV_DONTNEED);
		}
		of->behind += WRITE_BEHIND;
	}
#endif
}

int outfile_commit(struct outfile *of)
{
	struct stat st;
	int rc = 0;

	if (of->direct) {
		if (close(of->fd) < 0)
			rc = fail(of, errno, "%s", strerror(errno));
		release(of);
		return rc;
	}
	/* a file system that cannot sync (EINVAL) or a read-only one (EROFS) is no write error */
	if (fsync(of->fd) < 0 && errno != EINVAL && errno != EROFS)
		rc = fail(of, errno, "%s", strerror(errno));
	if (close(of->fd) < 0 && rc == 0)
		rc = fail(of, errno, "%s", strerror(errno));
	/* the name may have been taken by something else while we wrote: never replace that */
	if (rc == 0 && lstat(of->path, &st) == 0 && !S_ISREG(st.st_mode))
		rc = fail(of, EEXIST, "became something other than a regular file while it was written: not replaced");
	if (rc == 0 && rename(of->tmp, of->path) < 0)
		rc = fail(of, errno, "cannot rename %s: %s", of->tmp, strerror(errno));
	if (rc < 0)
		unlink(of->tmp);
	release(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (of->fd >= 0)
		close(of->fd);
	if (of->tmp)
		unlink(of->tmp);
	release(of);
}

int outfile_stdio(const char *path, mode_t mode, void (*write)(FILE *fp, const void *arg), const void *arg,
		  char *err, size_t errsz)
{
	struct outfile of;
	FILE *fp;
	int fd, bad, e;

	if (outfile_open(&of, path, mode) < 0) {
		snprintf(err, errsz, "cannot write: %s", of.err);
		return -1;
	}
	/* stdio gets its own descriptor: fclose closes that one, outfile_commit the other */
	if ((fd = dup(of.fd)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		outfile_abort(&of);
		snprintf(err, errsz, "cannot write: %s", strerror(e));
		return -1;
	}
	write(fp, arg);
	bad = fflush(fp) != 0 || ferror(fp);
	e = errno;
	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		outfile_abort(&of);
		snprintf(err, errsz, "write error: %s", strerror(e));
		return -1;
	}
	if (outfile_commit(&of) < 0) {
		snprintf(err, errsz, "%s", of.err);
		return -1;
	}
	return 0;
}
