/* tap.h - TAP for the C unit tests (tests/run reads it).
 *
 * tap_line prints one check line ("ok - ..." or "not ok - ...") and counts it; tap_plan
 * prints the closing plan "1..N" with that count. Only a test that reached the end of its
 * main prints the plan, so the runner fails a test that stopped early, even with exit 0.
 */
#ifndef KETEN_TEST_TAP_H
#define KETEN_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_checks;

static __attribute__((format(printf, 1, 2), unused)) void tap_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	tap_checks++;
}

static __attribute__((unused)) void tap_plan(void)
{
	printf("1..%d\n", tap_checks);
}

#endif
