/* modelspec_test.c - fuzz harness of fit-models' model spec parser
 * (filters/fit-models/spec.c, included: the Makefile links tests with the library only).
 *
 * Input: a spec file. Invariants:
 *   - a refused spec gives one diagnostic "FILE:LINE: problem" (one line, no control
 *     characters) - fit-models prints it and exits 2;
 *   - an accepted spec parses again to the same models (names, hashes, terms, contrasts):
 *     the parser keeps no state between files;
 *   - every contrast term of an accepted model can name a coefficient (issue 17: an
 *     unknown term is a spec error now), and no model has more than FM_MAX_INTERACT parts.
 * Nesting in `population` deeper than COND_MAX_DEPTH is refused, never recursed into.
 * Corpus: tests/fuzz/corpus/modelspec.
 */
#define FUZZ_NAME "modelspec"
#include "fuzz.h"

#include "../../filters/fit-models/spec.c"

static void free_models(struct spec_model *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free((char *)m[i].file);   /* the parser's copy (const for its users) */
		free(m[i].outcome);
		free(m[i].population);
		cond_free(m[i].cond);
		free(m[i].weight_column);
		free(m[i].strata_column);
		for (size_t t = 0; t < m[i].n_terms; t++) {
			free(m[i].terms[t].column);
			free(m[i].terms[t].ref);
			free(m[i].terms[t].text);
		}
		free(m[i].terms);
		for (size_t k = 0; k < m[i].n_contrasts; k++)
			contrast_fail(&m[i].contrasts[k], 0);
		free(m[i].contrasts);
	}
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("models.spec", data, size);
	struct spec_model *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	char err[1024] = "", err2[1024] = "";
	int rc = spec_parse(path, NULL, &a, &na, err, sizeof err);

	if (rc != 0) {
		fuzz_check(fuzz_message_ok(err, path), "a refused spec with the message '%s'", err);
		free_models(a, na);
		return 0;
	}
	fuzz_check(spec_parse(path, NULL, &b, &nb, err2, sizeof err2) == 0, "parsed once, refused again: %s", err2);
	fuzz_check(na == nb, "%zu models, then %zu", na, nb);
	for (size_t i = 0; i < na; i++) {
		fuzz_check(!strcmp(a[i].name, b[i].name) && a[i].hash == b[i].hash && a[i].n_terms == b[i].n_terms &&
			   a[i].n_contrasts == b[i].n_contrasts, "model %s parsed differently", a[i].name);
		for (size_t t = 0; t < a[i].n_terms; t++)
			fuzz_check(a[i].terms[t].n_parts <= FM_MAX_INTERACT, "term %s: %d parts", a[i].terms[t].text,
				   a[i].terms[t].n_parts);
		for (size_t k = 0; k < a[i].n_contrasts; k++)
			for (size_t q = 0; q < a[i].contrasts[k].n; q++)
				fuzz_check(may_name_coefficient(&a[i], a[i].contrasts[k].term[q]),
					   "contrast %s: term %s accepted", a[i].contrasts[k].name, a[i].contrasts[k].term[q]);
	}
	free_models(a, na);
	free_models(b, nb);
	return 0;
}
