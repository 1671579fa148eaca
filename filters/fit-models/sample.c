/* sample.c - a design-variance model's sample (contract: sample.h). */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void fm_sample_init(struct fm_sample *s, const char *weight, const char *strata,
		    const struct calspec *cal, int set)
{
	memset(s, 0, sizeof *s);
	s->weight = weight;
	s->strata = strata;
	s->cal = cal;
	s->set = cal ? set : -1;
	s->strata_var = -1;
	s->f_weight = s->f_strata = s->f_design = -1;
	if (s->set < 0) {
		s->svy = svy_design_new(0, 0, NULL, NULL);
		return;
	}
	{
		const size_t **mv = xcalloc(cal->nmargins ? cal->nmargins : 1, sizeof *mv);
		size_t *mn = xcalloc(cal->nmargins ? cal->nmargins : 1, sizeof *mn);

		for (size_t m = 0; m < cal->nmargins; m++) {
			mv[m] = cal->margins[m].vars;
			mn[m] = cal->margins[m].nvars;
		}
		s->svy = svy_design_new(cal->nvars, cal->nmargins, (const size_t *const *)mv, mn);
		free(mv);
		free(mn);
	}
	s->f_vars = xcalloc(cal->nvars ? cal->nvars : 1, sizeof *s->f_vars);
	s->vals = xcalloc(cal->nvars ? cal->nvars : 1, sizeof *s->vals);
}

void fm_sample_release(struct fm_sample *s)
{
	svy_design_free(s->svy);
	free(s->f_vars);
	free(s->vals);
	free(s->slot);
}

int fm_sample_section(struct fm_sample *s, const struct rec_reader *r, const char **absent)
{
	s->live = 1;
	s->f_weight = s->weight ? rec_reader_index(r, s->weight) : -1;
	s->f_strata = s->strata ? rec_reader_index(r, s->strata) : -1;
	if (s->weight && s->f_weight < 0)
		return *absent = s->weight, -1;
	if (s->strata && s->f_strata < 0)
		return *absent = s->strata, -1;
	if (s->set < 0)
		return 0;
	if ((s->f_design = rec_reader_index(r, s->cal->weight)) < 0)
		return *absent = s->cal->weight, -1;
	for (size_t k = 0; k < s->cal->nvars; k++)
		if ((s->f_vars[k] = rec_reader_index(r, s->cal->vars[k].name)) < 0)
			return *absent = s->cal->vars[k].name, -1;
	return 0;
}

int fm_sample_has(const struct fm_sample *s, const struct rec_reader *r, const char **stratum_text)
{
	*stratum_text = "";
	if (s->f_weight >= 0 && rec_reader_field_len(r, (size_t)s->f_weight) == 0)
		return 0;
	if (s->f_strata >= 0 && rec_reader_field_len(r, (size_t)(s->f_strata)) == 0)
		return 0;
	if (s->f_strata >= 0)
		*stratum_text = rec_reader_field(r, (size_t)s->f_strata);
	return 1;
}

int fm_sample_add(struct fm_sample *s, struct rec_reader *r, size_t stratum)
{
	double d = NAN, w = NAN;
	long pattern = -1;

	if (s->set >= 0) {
		w = rec_get_num(r, s->f_weight);
		d = rec_get_num(r, s->f_design);
		for (size_t k = 0; k < s->cal->nvars; k++)
			s->vals[k] = rec_get_text(r, s->f_vars[k]);
		if (rec_reader_bad(r))
			return -1;
		if (!(w > 0) || !isfinite(w))
			return rec_reader_fail(r, s->f_weight, "not a positive weight: %s",
					       rec_reader_field(r, (size_t)s->f_weight));
		if (!(d > 0) || !isfinite(d))
			return rec_reader_fail(r, s->f_design, "%s for a person of set %s: %s",
					       isnan(d) ? "missing" : "not a positive weight",
					       s->cal->sets[s->set].column, rec_reader_field(r, (size_t)s->f_design));
		pattern = svy_design_pattern(s->svy, s->vals);
	}
	s->current = svy_design_add(s->svy, stratum, pattern, d, w);
	return 0;
}

void fm_sample_keep(struct fm_sample *s, size_t row)
{
	if (row >= s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;

		while (cap <= row)
			cap *= 2;
		s->slot = xrealloc(s->slot, cap * sizeof *s->slot);
		s->cap = cap;
	}
	while (s->n_slots < row)
		s->slot[s->n_slots++] = -1;
	s->slot[row] = s->current;
	s->n_slots = row + 1;
}

int fm_sample_finish(struct fm_sample *s, char *err, size_t errsz)
{
	return svy_design_finish(s->svy, err, errsz);
}
