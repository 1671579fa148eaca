/* calspec_test.c - fuzz harness of the calibration spec parser (filters/lib/calspec.c,
 * which calibrate-weights, fit-models and tabulate share), against person_support/1 and
 * the weight columns of person_calibrated/1 as calspec_schemas gives them.
 *
 * Input: a calibration spec. Invariants: a refused spec gives one diagnostic "FILE:LINE:
 * problem" (one line, no control characters); an accepted one loads again to the same
 * sets, margins and bounds, with lower <= upper, and its margins' text (model_fit's tag)
 * is the same both times. Corpus: tests/fuzz/corpus/calspec.
 */
#define FUZZ_NAME "calspec"
#include "fuzz.h"

#include "../../filters/lib/calspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char **cols;
	static size_t ncols;
	static const struct schema *in, *out;
	const char *path = fuzz_file("calibration.spec", data, size);
	char err[1024] = "";
	struct calspec *a, *b;
	char *ta, *tb;

	if (!in)
		fuzz_check(calspec_schemas(&in, &out, &cols, &ncols, err, sizeof err) == 0,
			   "the schemas are not there: %s", err);
	if (!(a = calspec_load(path, in, cols, ncols, err, sizeof err))) {
		fuzz_check(fuzz_message_ok(err, path), "a refused spec with the message '%s'", err);
		return 0;
	}
	b = calspec_load(path, in, cols, ncols, err, sizeof err);
	fuzz_check(b != NULL, "loaded once, refused again: %s", err);
	fuzz_check(a->nsets == b->nsets && a->nmargins == b->nmargins && a->nvars == b->nvars,
		   "sets, margins or variables differ");
	fuzz_check(!(a->lower > a->upper), "bounds %g > %g", a->lower, a->upper);
	ta = calspec_margins_text(a);
	tb = calspec_margins_text(b);
	fuzz_check(!strcmp(ta, tb), "margins '%s', then '%s'", ta, tb);
	free(ta);
	free(tb);
	calspec_free(a);
	calspec_free(b);
	return 0;
}
