/* specfile.h - the line format every spec file shares (models.spec, populations.spec, and
 * tables.spec once tabulate reads through it): '#' starts a comment at the start of a line
 * or after white space (not inside "quotes"), a line ending in '\' continues on the next,
 * and runs of white space count as one space. A reader gives logical lines, cleaned so,
 * with the number of the physical line each starts on; blank lines are skipped.
 *
 * Ownership: the line returned is the reader's, valid until the next call (the caller may
 * change it in place, as word() does). specfile_close accepts NULL.
 */
#ifndef KETEN_SPECFILE_H
#define KETEN_SPECFILE_H

#include <stddef.h>

struct specfile;

/* Open PATH; NULL and errno when it cannot be read. */
struct specfile *specfile_open(const char *path);
void specfile_close(struct specfile *sf);

/* The next logical line in *line and its first line number in *lineno: 1; 0 at the end;
 * -1 with the problem in err (a NUL byte, a last line ending in '\'), *lineno then the line
 * at fault; -2 with it when the file could not be read (an I/O error, or no memory to grow
 * the line): the machine's failure, not the spec's, which a program may treat apart. */
int specfile_next(struct specfile *sf, char **line, int *lineno, char *err, size_t errsz);

/* Split the next space-separated word off *s (a cleaned line: single spaces), in place;
 * NULL when none is left. */
char *specfile_word(char **s);

/* A name in a spec: one or more letters, digits and '_'. */
int specfile_is_name(const char *s);

#endif
