/* md.c - see md.h */
#include "md.h"

#include <string.h>

void md_esc(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\*`[]<>", *s))     /* '_' inside words is literal in CommonMark */
			fputc('\\', fp);
		fputc(*s, fp);
	}
}
