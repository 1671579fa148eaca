/* calspec_test.c - fuzz harness of calibrate-weights' spec parser
 * (filters/calibrate-weights/spec.c, included: the Makefile links tests with the library
 * only), against the built-in person_support/1 and the weight columns of
 * person_calibrated/1, as the stage calls it.
 *
 * Input: a calibration spec. Invariants: a refused spec gives one diagnostic "FILE:LINE:
 * problem" (one line, no control characters); an accepted one loads again to the same
 * sets, margins and bounds, with lower <= upper, and its margins' text (model_fit's tag)
 * is the same both times. Corpus: tests/fuzz/corpus/calspec.
 */
#define FUZZ_NAME "calspec"
#include "fuzz.h"

#include "../../filters/calibrate-weights/spec.c"
#include "../../filters/calibrate-weights/calibrate.c"   /* cal_method_name */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *cols[16];
	static size_t ncols;
	static const struct schema *in;
	const char *path = fuzz_file("calibration.spec", data, size);
	char err[1024] = "";
	struct cw_spec *a, *b;
	char *ta, *tb;

	if (!in) {
		const struct schema *out = schema_find("person_calibrated/1", NULL);

		in = schema_find("person_support/1", NULL);
		fuzz_check(in && out && out->n_fields > in->n_fields + 1, "the schemas are not there");
		for (size_t i = in->n_fields + 1; i < out->n_fields && ncols < 16; i++)
			cols[ncols++] = out->fields[i].name;
	}
	if (!(a = spec_load(path, in, cols, ncols, err, sizeof err))) {
		fuzz_check(fuzz_message_ok(err, path), "a refused spec with the message '%s'", err);
		return 0;
	}
	b = spec_load(path, in, cols, ncols, err, sizeof err);
	fuzz_check(b != NULL, "loaded once, refused again: %s", err);
	fuzz_check(a->nsets == b->nsets && a->nmargins == b->nmargins && a->nvars == b->nvars,
		   "sets, margins or variables differ");
	fuzz_check(!(a->lower > a->upper), "bounds %g > %g", a->lower, a->upper);
	ta = spec_margins_text(a);
	tb = spec_margins_text(b);
	fuzz_check(!strcmp(ta, tb), "margins '%s', then '%s'", ta, tb);
	free(ta);
	free(tb);
	spec_free(a);
	spec_free(b);
	return 0;
}
