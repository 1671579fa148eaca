/* bsnmask_test.c - bsn_mask (filters/ingest/bsnmask.c), table-driven: text in, text out.
 *
 * The BSNs below were checked by hand and by a few lines of python3 written from
 * DOMAIN.md's 11-check (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11, 8 digits = a lost
 * leading 0), not with bsn_check: 874942081, 305720028, 123456782 and 74391501 pass;
 * 874942082 and 12345678 fail. The date 07-01-1970 (007011970) passes the 11-check too,
 * which is why dates need their own rule.
 *
 * The Makefile links tests with the library only, so the module is included here.
 */
#include "../lib/tap.h"
#include "../../filters/ingest/bsnmask.c"
#include "../../filters/ingest/pseudonym.c"

#include <stdio.h>

static int failed;

static void check(const char *in, const char *want, const char *desc, int every_long_run)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s", in);
	bsn_mask(buf, strlen(buf), every_long_run);
	if (strcmp(buf, want) == 0) {
		tap_line("ok - %s\n", desc);
	} else {
		failed = 1;
		tap_line("not ok - %s\n#   in:     '%s'\n#   wanted: '%s'\n#   got:    '%s'\n", desc, in, want, buf);
	}
}

int main(void)
{
	/* every_long_run = 1 (a file with a BSN column) */
	static const struct { const char *in, *want, *desc; } cases[] = {
		{ "874.942.081", "***********", "dots (3-3-3)" },
		{ "305 720 028", "***********", "spaces" },
		{ "305-720-028", "***********", "dashes" },
		{ "1234.56.782", "***********", "the 4-2-3 grouping" },
		{ "74.391.501", "**********", "8 digits grouped (a BSN that lost its leading 0)" },
		{ "bsn 874.942.081 (oud)", "bsn *********** (oud)", "inside a text field" },
		{ "WW 305 720 028 Fryslân", "WW *********** Fryslân", "between words" },
		{ "874.942.081.", "***********.", "a full stop after it stays" },
		{ "874.942.081 305.720.028", "*********** ***********", "two, each with its own separator" },
		{ "874 942 081 305 720 028", "*********** ***********", "two in one run of groups" },
		{ "874942081", "*********", "a plain run of 9 digits" },
		{ "12345678", "********", "a plain run of 8 digits, 11-check or not" },
		{ "x1234567890123y", "x*************y", "a longer run of digits" },
		{ "874.942.082", "874.942.082", "grouped, failing the 11-check: not a BSN" },
		{ "874.942-081", "874.942-081", "mixed separators: not taken as one number" },
		{ "07-01-1970", "07-01-1970", "a date that passes the 11-check stays (dd-mm-yyyy)" },
		{ "7-1-1970", "7-1-1970", "a date d-m-yyyy stays" },
		{ "07.01.1970", "07.01.1970", "a date with dots stays" },
		{ "1.234.567", "1.234.567", "7 digits grouped stay" },
		{ "0,0125", "0,0125", "a decimal comma stays" },
		{ "06-1234", "06-1234", "a short grouped number stays" },
		{ "291417772;15-06-1970;M", "*********;15-06-1970;M", "a row: BSN masked, date kept" },
		{ "", "", "empty text" },
	};

	/* every_long_run = 0 (a wave file): only what passes the 11-check */
	static const struct { const char *in, *want, *desc; } wave[] = {
		{ "874942081;12-05-2006", "*********;12-05-2006", "wave file: a plain 9-digit BSN" },
		{ "74391501", "********", "wave file: a plain 8-digit BSN (lost 0)" },
		{ "990000000;12-05-2006", "990000000;12-05-2006", "wave file: a 9-digit respondent number failing the check stays" },
		{ "12345678901", "12345678901", "wave file: a longer run that is no BSN stays" },
		{ "305 720 028", "***********", "wave file: a grouped BSN" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(cases[i].in, cases[i].want, cases[i].desc, 1);
	for (size_t i = 0; i < sizeof wave / sizeof wave[0]; i++)
		check(wave[i].in, wave[i].want, wave[i].desc, 0);
	tap_plan();
	return failed;
}
