/* gates.h - the quality gates of a run against the last published one (spec.h says what
 * each gate checks and with which limits).
 *
 * gates_check_all() runs every gate the spec names and writes one row per subject to the
 * report (plain CSV, header first):
 *
 *   gate,subject,previous,current,limit,verdict,detail
 *
 * verdict is pass, fail, accepted (it failed, and --accept named the gate: the run goes
 * on, the report says so) or skipped (off in the spec, no previous run, or nothing to
 * compare; detail says which). Each failure also goes to stderr as one line
 * "gate-check: GATE: SUBJECT: DETAIL"; an accepted one as "... accepted (--accept GATE):
 * ...".
 *
 * Ownership: the gate_run points at what the caller loaded and owns; gates_check_all only
 * fills the counters and `first`.
 */
#ifndef GATE_GATES_H
#define GATE_GATES_H

#include <stdio.h>

#include "runs.h"
#include "spec.h"

struct gate_run {
	const struct gate_spec *spec;
	const struct inputs *now;
	const struct inputs *prev;          /* NULL: no previous run, or it has no inputs.csv */
	const struct cells *tnow;
	const struct cells *tprev;          /* NULL: no previous run */
	const struct snapshot *before, *after;   /* NULL: not given (extracts is skipped) */
	unsigned accepted;                  /* bit g: --accept gate_names[g] */
	int registry_only;                  /* --registry-only: cells looks at the registry cells */
	char *const *absent;                /* kinds absent by the run's switch (--absent) */
	size_t nabsent;
	FILE *report;                       /* the report, or NULL */
	int nfailed;                        /* failures not accepted */
	int naccepted;                      /* failures let through by --accept */
	/* per gate: subjects that passed, failed, were accepted, were skipped */
	int tally[N_GATES][4];
	char first[1024];                   /* the first failure: "GATE: SUBJECT: DETAIL" */
};

void gates_check_all(struct gate_run *g);

/* One line per gate for a person: "rows         passed (7 checks)", "cells        FAILED
 * (3 of 338 checks)", "... ACCEPTED (--accept cells)", "... skipped: why". */
void gates_print_summary(const struct gate_run *g, FILE *fp);

#endif
