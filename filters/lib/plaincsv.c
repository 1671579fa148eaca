/* plaincsv.c - see plaincsv.h */
#include "plaincsv.h"

#include <string.h>

void csv_put_field(FILE *fp, const char *v, int end)
{
	if (strpbrk(v, ",\"\r\n") == NULL) {
		fputs(v, fp);
	} else {
		fputc('"', fp);
		for (; *v; v++) {
			if (*v == '"')
				fputc('"', fp);
			fputc(*v, fp);
		}
		fputc('"', fp);
	}
	fputc(end, fp);
}
