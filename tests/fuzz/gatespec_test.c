/* gatespec_test.c - fuzz harness of gate-check's spec parser (filters/gate-check/spec.c,
 * included: the Makefile links tests with the library only).
 *
 * Input: a gates.spec. Invariants: a refused spec gives one diagnostic "FILE:LINE:
 * problem" (one line, no control characters); an accepted one loads again to the same
 * gates, limits and lists; every share it holds is a number (no NaN). Corpus:
 * tests/fuzz/corpus/gatespec.
 */
#define FUZZ_NAME "gatespec"
#include "fuzz.h"

#include "../../filters/gate-check/spec.c"

#include <math.h>

static void same_spec(const struct gate_spec *a, const struct gate_spec *b)
{
	fuzz_check(!memcmp(a->on, b->on, sizeof a->on), "the gates that are on differ");
	fuzz_check(a->nrows == b->nrows && a->nheadline == b->nheadline && a->nregistry == b->nregistry &&
		   a->noptional == b->noptional, "the lists differ in length");
	for (size_t i = 0; i < a->nrows; i++)
		fuzz_check(!a->rows[i].kind == !b->rows[i].kind &&
			   (!a->rows[i].kind || !strcmp(a->rows[i].kind, b->rows[i].kind)) &&
			   !memcmp(&a->rows[i].shrink, &b->rows[i].shrink, sizeof(double)) &&
			   !memcmp(&a->rows[i].grow, &b->rows[i].grow, sizeof(double)), "rows limit %zu differs", i);
	for (size_t i = 0; i < a->nheadline; i++)
		fuzz_check(!strcmp(a->headline[i], b->headline[i]), "headline %zu differs", i);
	for (size_t i = 0; i < a->nregistry; i++)
		fuzz_check(!strcmp(a->registry[i], b->registry[i]), "registry %zu differs", i);
	for (size_t i = 0; i < a->noptional; i++)
		fuzz_check(!strcmp(a->optional[i], b->optional[i]), "optional %zu differs", i);
	fuzz_check(!isnan(a->reject_rate) && !isnan(a->headline_drop), "a share that is NaN");
	for (size_t i = 0; i < a->nrows; i++)
		fuzz_check(!isnan(a->rows[i].shrink) && !isnan(a->rows[i].grow), "a rows limit that is NaN");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("gates.spec", data, size);
	struct gate_spec a, b;
	char err[1024] = "";

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (gate_spec_load(&a, path, err, sizeof err) != 0) {
		fuzz_check(fuzz_message_ok(err, path), "a refused spec with the message '%s'", err);
		gate_spec_release(&a);
		return 0;
	}
	fuzz_check(gate_spec_load(&b, path, err, sizeof err) == 0, "loaded once, refused again: %s", err);
	same_spec(&a, &b);
	gate_spec_release(&a);
	gate_spec_release(&b);
	return 0;
}
