/* atoms.h - a counted set of bit signatures: people.c keeps one entry (an atom) for each
 * distinct list of sets a person belongs to, with the number of people who have it and a
 * copy of the first such person's values (the payload, for people_phantom).
 *
 * Open addressing on the signature words; entries are appended, so an atom's index is
 * stable and atoms come out in order of first appearance (deterministic for a given
 * stream). Everything lives until exit, like the rest of tabulate (tabulate.h).
 */
#ifndef TABULATE_ATOMS_H
#define TABULATE_ATOMS_H

#include <stddef.h>
#include <stdint.h>

struct atomset {
	size_t words;               /* uint64_t words a signature */
	size_t payload;             /* bytes kept an atom */
	size_t n, cap;              /* atoms */
	uint64_t *sig;              /* n * words */
	long *count;
	unsigned char *data;        /* n * payload */
	size_t *hash, hashcap;      /* index + 1, 0 = empty */
};

void atomset_init(struct atomset *a, size_t words, size_t payload);
/* Add COUNT people with signature SIG. A new signature keeps a copy of PAYLOAD. Returns the
 * atom's index. */
size_t atomset_add(struct atomset *a, const uint64_t *sig, const void *payload, long count);

static inline int sig_has(const uint64_t *sig, size_t bit)
{
	return (int)(sig[bit / 64] >> (bit % 64) & 1);
}

static inline void sig_set(uint64_t *sig, size_t bit)
{
	sig[bit / 64] |= (uint64_t)1 << (bit % 64);
}

#endif
