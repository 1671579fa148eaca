/* test_rng.h - the C unit tests' random numbers: xorshift64 from a fixed seed, so a test
 * draws the same cases on every run and a failure can be reproduced. Include it once per
 * test program (its state is static). */
#ifndef KETEN_TEST_RNG_H
#define KETEN_TEST_RNG_H

static unsigned long long rng = 88172645463325252ULL;

/* A number in 0..n-1 (n > 0). */
static inline unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#endif
