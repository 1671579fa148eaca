/* outfile.h - open an output file so that naming it can never replace or redirect
 * something else, and a reader never sees half of it.
 *
 *     struct outfile of;
 *     if (outfile_open(&of, path, 0644) < 0)
 *             die(EXIT_DATA, path, 0, NULL, "cannot write: %s", of.err);
 *     ... write(of.fd, ...) ...
 *     if (failed) outfile_abort(&of);
 *     else if (outfile_commit(&of) < 0) die(EXIT_DATA, path, 0, NULL, "%s", of.err);
 *
 * What PATH may name, and what happens:
 *   - nothing yet, or a regular file: PATH.partial is created in PATH's own folder with
 *     O_CREAT|O_EXCL|O_NOFOLLOW and MODE (less the umask), and outfile_commit renames it
 *     over PATH after fsync; outfile_abort removes it. A PATH.partial left by a run that
 *     died is removed first when it is a regular file or a symbolic link (the name only:
 *     unlink never follows a link); anything else there (a directory, a FIFO, a device) is
 *     refused. O_EXCL means the bytes never go into a file someone else prepared (a link,
 *     a hard link to another file), only into the one this call created.
 *   - a character device or a FIFO (/dev/null, /dev/full, a named pipe), also through a
 *     symbolic link (/dev/stdout, /dev/stderr): written directly, opened without O_CREAT
 *     and O_TRUNC, never renamed, so it stays the device or FIFO it was. The type is
 *     checked again on the opened descriptor (fstat), so a swap between the check and the
 *     open cannot turn this into a write into a regular file.
 *   - a symbolic link to anything else (a regular file, a missing file), a directory, a
 *     block device or a socket: refused (ELOOP, EISDIR, EINVAL). A link planted where an
 *     output goes neither redirects the write nor gets replaced.
 *
 * Functions return 0, or -1 with errno set and a message ("is a symbolic link: ...") in
 * of->err; the library never exits and prints nothing. outfile_commit and outfile_abort
 * close the descriptor; call exactly one of them after a successful outfile_open.
 */
#ifndef KETEN_OUTFILE_H
#define KETEN_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

struct outfile {
	int fd;             /* write here */
	int direct;         /* 1: a device or FIFO written in place (nothing to rename) */
	char *path;         /* the name given */
	char *tmp;          /* PATH.partial while writing (NULL when direct) */
	unsigned long long written, behind;   /* bytes written; sent to disk ahead of fsync */
	int read_back;      /* set by the caller: the file is read straight back, so its pages
			     * stay in the page cache (no writing behind) */
	char err[256];
};

int outfile_open(struct outfile *of, const char *path, mode_t mode);
/* N more bytes were written to OF's descriptor. A regular file is written behind: each
 * full 8 MiB goes to disk as soon as it is written and leaves the page cache once it is
 * there, so a large file reuses a few pages instead of taking ever new ones. On the
 * virtual machines this runs on, a page the guest had not used for a while is dear: a
 * 600 MB file cost 1.4-8 s of system time written plainly, 0.12 s written behind
 * (bench/README.md). Nothing is lost or slower to commit: the bytes are on disk before
 * their pages go, and outfile_commit's fsync finds little left to do. */
void outfile_wrote(struct outfile *of, size_t n);
/* fsync (a regular file), close, rename PATH.partial over PATH. On failure the partial
 * file is removed. Frees what outfile_open allocated either way. */
int outfile_commit(struct outfile *of);
/* Close and remove PATH.partial (a direct write just closes). Never fails. */
void outfile_abort(struct outfile *of);

/* A whole file written with stdio the same way: WRITE(fp, ARG) writes it into PATH.partial,
 * which is committed when every write and the close succeeded, else removed. Returns 0, or
 * -1 with "cannot write: ..." or "write error: ..." in ERR (the caller names PATH). */
int outfile_stdio(const char *path, mode_t mode, void (*write)(FILE *fp, const void *arg), const void *arg,
		  char *err, size_t errsz);

#endif
