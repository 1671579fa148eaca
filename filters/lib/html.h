/* html.h - writing text into an HTML (and XML) page.
 *
 * html_esc writes S with the five XML entities escaped (& < > " '), so the text is safe
 * in element content and in quoted attribute values, and the page stays well-formed XML
 * that a strict parser can check. Nothing else is changed: the page is UTF-8, as S is.
 *
 * html_base_css is the project's page style - the report's type, headings, id labels and
 * population lines (tabulate's report.html has the same rules) - for a page to put first in
 * its <style> and add its own rules after.
 */
#ifndef KETEN_HTML_H
#define KETEN_HTML_H

#include <stdio.h>

void html_esc(FILE *fp, const char *s);

extern const char html_base_css[];

#endif
