/* atoms.c - the counted signature store of atoms.h. */
#include "atoms.h"

#include "diag.h"

#include <stdlib.h>
#include <string.h>

void atomset_init(struct atomset *a, size_t words, size_t payload)
{
	memset(a, 0, sizeof *a);
	a->words = words ? words : 1;
	a->payload = payload;
	a->hashcap = 1024;
	a->hash = xcalloc(a->hashcap, sizeof *a->hash);
}

static size_t sig_hash(const uint64_t *sig, size_t words)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < words; i++)
		h = (h ^ sig[i]) * 1099511628211ULL ^ (h >> 29);
	return (size_t)h;
}

static void rehash(struct atomset *a)
{
	free(a->hash);
	a->hashcap *= 2;
	a->hash = xcalloc(a->hashcap, sizeof *a->hash);
	for (size_t i = 0; i < a->n; i++) {
		size_t k = sig_hash(a->sig + i * a->words, a->words) & (a->hashcap - 1);

		while (a->hash[k])
			k = (k + 1) & (a->hashcap - 1);
		a->hash[k] = i + 1;
	}
}

size_t atomset_add(struct atomset *a, const uint64_t *sig, const void *payload, long count)
{
	size_t mask = a->hashcap - 1, k = sig_hash(sig, a->words) & mask, i;

	for (; a->hash[k]; k = (k + 1) & mask) {
		i = a->hash[k] - 1;
		if (memcmp(a->sig + i * a->words, sig, a->words * sizeof *sig) == 0) {
			a->count[i] += count;
			return i;
		}
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->sig = xrealloc(a->sig, a->cap * a->words * sizeof *a->sig);
		a->count = xrealloc(a->count, a->cap * sizeof *a->count);
		a->data = xrealloc(a->data, a->cap * (a->payload ? a->payload : 1));
	}
	i = a->n++;
	memcpy(a->sig + i * a->words, sig, a->words * sizeof *sig);
	a->count[i] = count;
	if (a->payload)
		memcpy(a->data + i * a->payload, payload, a->payload);
	a->hash[k] = i + 1;
	if (2 * a->n > a->hashcap)
		rehash(a);
	return i;
}
