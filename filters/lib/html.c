/* html.c - see html.h */
#include "html.h"

#include <string.h>

void html_esc(FILE *fp, const char *s)
{
	static const char *const entity[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	static const char special[] = "&<>\"'";

	while (*s) {
		size_t plain = strcspn(s, special);

		fwrite(s, 1, plain, fp);
		s += plain;
		if (*s)
			fputs(entity[strchr(special, *s++) - special], fp);
	}
}

const char html_base_css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:54rem;margin:0 auto;"
	"padding:1rem;color:#1a1a1a;line-height:1.4;background:#fff}\n"
	"h1{font-size:1.5rem;margin:.5rem 0}\n"
	"h2{font-size:1.15rem;margin:2.2rem 0 .4rem;padding-top:1rem;border-top:1px solid #ccc}\n"
	"h3{font-size:.95rem;margin:1.1rem 0 .2rem}\n"
	".id{font-weight:normal;color:#777;font-size:.8rem;font-family:monospace}\n"
	".pop{color:#555;font-size:.85rem;margin:0 0 .4rem}\n";
