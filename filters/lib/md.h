/* md.h - writing text into a Markdown page.
 *
 * md_esc writes S with a backslash before each character that a Markdown table cell or
 * inline text would misread (| \ * ` [ ] < >); '_' inside words is literal in CommonMark
 * and is left alone, so ids like on_benefit_6m stay readable. Nothing else is changed.
 */
#ifndef KETEN_MD_H
#define KETEN_MD_H

#include <stdio.h>

void md_esc(FILE *fp, const char *s);

#endif
