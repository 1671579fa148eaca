/* specfile.c - logical lines of a spec file (see specfile.h). */
#include "specfile.h"
#include "diag.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct specfile {
	FILE *fp;
	char *buf, *line;
	size_t cap, line_cap;
	int lineno;
};

struct specfile *specfile_open(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct specfile *sf;

	if (fp == NULL)
		return NULL;
	sf = xcalloc(1, sizeof *sf);
	sf->fp = fp;
	return sf;
}

void specfile_close(struct specfile *sf)
{
	if (sf == NULL)
		return;
	fclose(sf->fp);
	free(sf->buf);
	free(sf->line);
	free(sf);
}

/* Cut the comment (a '#' at the start or after white space, outside quotes) and the
 * trailing white space, in place. */
static void strip_comment(char *s)
{
	int quoted = 0;
	size_t n;

	for (char *c = s; *c; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (*c == '#' && !quoted && (c == s || isspace((unsigned char)c[-1]))) {
			*c = '\0';
			break;
		}
	}
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Runs of white space to one space; none at either end. */
static void collapse(char *s)
{
	char *o = s;
	int space = 1;

	for (char *c = s; *c; c++) {
		if (isspace((unsigned char)*c)) {
			if (!space)
				*o++ = ' ';
			space = 1;
		} else {
			*o++ = *c;
			space = 0;
		}
	}
	if (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

int specfile_next(struct specfile *sf, char **line, int *lineno, char *err, size_t errsz)
{
	size_t len = 0;
	ssize_t n;

	while ((n = getline(&sf->buf, &sf->cap, sf->fp)) >= 0) {
		size_t bl;
		int cont;

		sf->lineno++;
		if (memchr(sf->buf, '\0', (size_t)n)) {
			*lineno = sf->lineno;
			return snprintf(err, errsz, "a NUL byte in a spec file"), -1;
		}
		strip_comment(sf->buf);
		bl = strlen(sf->buf);
		cont = bl > 0 && sf->buf[bl - 1] == '\\';
		if (cont)
			sf->buf[--bl] = '\0';
		if (len == 0)
			*lineno = sf->lineno;
		if (len + bl + 2 > sf->line_cap) {
			sf->line_cap = (len + bl + 2) * 2;
			sf->line = xrealloc(sf->line, sf->line_cap);
		}
		memcpy(sf->line + len, sf->buf, bl);
		len += bl;
		sf->line[len++] = ' ';
		sf->line[len] = '\0';
		if (cont)
			continue;
		len = 0;
		collapse(sf->line);
		if (*sf->line) {
			*line = sf->line;
			return 1;
		}
	}
	/* getline also fails (without setting the error flag) when it cannot grow its
	 * buffer: that is not the end of the file (tests/fault/faults.t) */
	if (ferror(sf->fp) || !feof(sf->fp)) {
		*lineno = sf->lineno + 1;   /* the line it was reading */
		return snprintf(err, errsz, "read error: %s", strerror(errno ? errno : EIO)), -2;
	}
	if (len > 0)
		return snprintf(err, errsz, "the last line ends in '\\' but nothing follows"), -1;
	return 0;
}

char *specfile_word(char **s)
{
	char *w;

	while (**s == ' ')
		(*s)++;
	if (!**s)
		return NULL;
	w = *s;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

int specfile_is_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}
