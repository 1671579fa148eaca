/* params.c - every number of synth's world, in one readable table.
 *
 * Why a table of named scalars: an analyst changes one line (or passes --param NAME=VALUE,
 * or --params FILE with NAME=VALUE lines) to generate another world, e.g. one where the
 * handover never fails (tests/synth/data/perfect-handover.params). Names say where a
 * number acts: BENEFIT.HALF.MODEL.TERM for model coefficients, with TERM spelled exactly as
 * fit-models names it, so truth.csv's model_truth rows are this table.
 *
 * Values marked [cal] were found by `synth --calibrate` (synth.c, table `levers`): it
 * generates the population (no files) at --persons, moves each marked lever toward its
 * population figure in DOMAIN.md (logit steps for shares, plain steps for hours, all levers
 * together, the same seed every step so the figures move smoothly) and prints the levers as
 * NAME=VALUE with the figures they reach. The values here come from
 *     synth --calibrate --persons 2000000 --iterations 30      (seed 1)
 * started from the previous values; to redo it after changing any other number, run that and
 * paste the printed values into this table (tests/synth/calibration.t then checks a fresh
 * world of 200000 persons against the targets with tolerances derived from the standard
 * errors). Two figures have a lever at a bound (the lever keeps the report's sign or stays
 * plausible): fig4 h2 12 m (WWB still on benefit working part-time, capped at 35 %) ends
 * about half a point above 55 %.
 * A coefficient of exactly 0 means the report names no effect of that term.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "synth.h"

static struct param table[] = {
	/* --- the frame: who is in CWI's file, benefit, fase, region (stratum) --- */
	{ "frame.nonpop", 0.04, "share of persons in CWI's file with no index application (only refused, pending or outside the window)" },
	{ "frame.wwb", 0.35, "share of the population applying for WWB" },
	{ "ww.fase1", 0.45, "WW: P(fase 1)" },
	{ "ww.fase2", 0.30, "WW: P(fase 2)" },
	{ "ww.fase3", 0.17, "WW: P(fase 3); fase 4 the rest" },
	{ "wwb.fase1", 0.15, "WWB: P(fase 1)" },
	{ "wwb.fase2", 0.25, "WWB: P(fase 2)" },
	{ "wwb.fase3", 0.33, "WWB: P(fase 3); fase 4 the rest" },
	{ "region.fryslan", 0.07, "P(region Fryslân)" },
	{ "region.noordoost", 0.23, "P(region Noord-Oost)" },
	{ "region.randstad", 0.45, "P(region Randstad); Zuid the rest" },
	/* --- the sample: relative sampling rates per stratum (inclusion prob = n_h / N_h) --- */
	{ "sample.ww_small", 1.0, "relative sampling rate, WW fase 1-2" },
	{ "sample.ww_large", 2.5, "relative sampling rate, WW fase 3-4" },
	{ "sample.wwb_small", 1.8, "relative sampling rate, WWB fase 1-2" },
	{ "sample.wwb_large", 3.5, "relative sampling rate, WWB fase 3-4" },
	{ "sample.fryslan", 2.0, "extra factor on the rate in Fryslân (regional oversample)" },
	/* --- background --- */
	{ "ww.age.under_25", 0.10, "WW: P(age class under 25); ages uniform within the class, 18-64" },
	{ "ww.age.25_34", 0.24, "WW: P(25-34)" },
	{ "ww.age.35_44", 0.27, "WW: P(35-44)" },
	{ "ww.age.45_54", 0.24, "WW: P(45-54); 55-64 the rest" },
	{ "wwb.age.under_25", 0.25, "WWB: P(age class under 25)" },
	{ "wwb.age.25_34", 0.27, "WWB: P(25-34)" },
	{ "wwb.age.35_44", 0.23, "WWB: P(35-44)" },
	{ "wwb.age.45_54", 0.16, "WWB: P(45-54); 55-64 the rest" },
	{ "ww.male", 0.55, "WW: P(male)" },
	{ "wwb.male", 0.45, "WWB: P(male)" },
	{ "ww.origin.western", 0.08, "WW: P(western migrant)" },
	{ "ww.origin.non_western", 0.09, "WW: P(non-western migrant), fase 1-2" },
	{ "wwb.origin.western", 0.10, "WWB: P(western migrant)" },
	{ "wwb.origin.non_western", 0.30, "WWB: P(non-western migrant), fase 1-2" },
	{ "origin.non_western_large", 0.10, "added to P(non-western) at fase 3-4" },
	{ "ww.educ.1", 0.10, "WW: P(primary education)" },
	{ "ww.educ.2", 0.30, "WW: P(lower secondary)" },
	{ "ww.educ.3", 0.35, "WW: P(upper secondary); higher the rest" },
	{ "wwb.educ.1", 0.30, "WWB: P(primary)" },
	{ "wwb.educ.2", 0.40, "WWB: P(lower secondary)" },
	{ "wwb.educ.3", 0.22, "WWB: P(upper secondary); higher the rest" },
	{ "educ.unknown", 0.03, "P(opleiding written as 9, unknown)" },
	/* --- other applications of the same person (R1) --- */
	{ "app.refused_before", 0.06, "P(an earlier refused application, 10-120 days before the index one)" },
	{ "app.pending", 0.03, "P(a pending application for the other benefit after the index one)" },
	{ "app.outside", 0.05, "P(an application in 2005 or Jan-Feb 2006: granted with an earlier spell, or refused)" },
	{ "app.second", 0.06, "P(a second granted application after the index spell ended, with its own spell)" },
	{ "app.sameday", 0.01, "P(a duplicate granted application on the same day, written after the index row)" },
	{ "spell.overlap", 0.003, "P(an extra overlapping spell of the same benefit inside the index spell)" },
	{ "bsn.drop_zero.r2", 0.5, "P(a BSN with a leading 0 is written with 8 digits in R2)" },
	{ "bsn.drop_zero.r3", 0.5, "P(a BSN with a leading 0 is written with 8 digits in R3)" },
	/* --- benefit spell: Weibull duration in months, scale multiplied per characteristic --- */
	{ "ww.dur.scale", 12.0, "WW: Weibull scale of the spell, months" },
	{ "ww.dur.shape", 1.05, "WW: Weibull shape" },
	{ "wwb.dur.scale", 20.0, "WWB: Weibull scale, months" },
	{ "wwb.dur.shape", 0.90, "WWB: Weibull shape" },
	{ "ww.dur.large", 1.6, "WW: scale multiplier at fase 3-4" },
	{ "wwb.dur.large", 2.5, "WWB: scale multiplier at fase 3-4" },
	{ "dur.age55", 1.5, "scale multiplier at age 55+" },
	{ "dur.poor_health", 1.3, "scale multiplier with poor health in H1" },
	{ "ww.dur.short", 0.12, "WW: P(entitlement of 3 months only; ends with reason 2)" },
	{ "ww.end.work", 0.75, "WW: P(end reason 1 work) for a spell not ended by entitlement; else 3" },
	{ "wwb.end.work", 0.50, "WWB: P(end reason 1 work)" },
	{ "wwb.end.entitlement", 0.20, "WWB: P(end reason 2); 3 other the rest" },
	{ "ww.spell.delay", 10, "WW: the spell starts 0..this many days after the application" },
	{ "wwb.spell.delay", 20, "WWB: the spell starts 0..this many days after the application" },
	/* --- work at the H1 (wave 2) and H2 (wave 3) fill dates --- */
	{ "work.after_work.fully", 0.78, "ended for work: P(fully resumed), else partly" },
	{ "work.after_other.fully", 0.20, "ended otherwise: P(fully)" },
	{ "work.after_other.partly", 0.12, "ended otherwise: P(partly); none the rest" },
	{ "ww.work.running.partly", 0.12, "WW, still on benefit: P(partly resumed)" },
	{ "wwb.work.running.partly", 0.35, "WWB, still on benefit: P(partly resumed) [cal: fig4 h2 12 m 55 %]" },
	/* --- health, non-work problems, asking for help, obligation --- */
	{ "ww.poor_health.b0", -2.2, "WW: logit of poor health in H1" },
	{ "wwb.poor_health.b0", -1.2, "WWB: logit of poor health in H1" },
	{ "poor_health.age45", 0.3, "logit shift 45-54" },
	{ "poor_health.age55", 0.6, "logit shift 55+" },
	{ "poor_health.large", 0.5, "logit shift fase 3-4" },
	{ "poor_health.h2_if_h1", 0.75, "P(poor health in H2 | in H1)" },
	{ "poor_health.h2_if_not", 0.05, "P(poor health in H2 | not in H1)" },
	{ "poor_health.w1_reports", 0.7, "P(wave 1 answers 4-5 | poor health in H1); the half-year's last wave (2) always does, so a wave-1 respondent who skips wave 2 is read as poor less often" },
	{ "ww.problem.b0", -2.0, "WW: logit of a non-work problem in H1" },
	{ "wwb.problem.b0", -0.4, "WWB: logit of a non-work problem in H1" },
	{ "problem.poor_health", 1.2, "logit shift with poor health" },
	{ "problem.large", 0.4, "logit shift fase 3-4" },
	{ "problem.h2_if_h1", 0.70, "P(problem in H2 | in H1)" },
	{ "problem.h2_if_not", 0.08, "P(problem in H2 | not in H1)" },
	{ "problem.item.health", 0.35, "P(prob_gezondheid = 1 | a problem); 0.7 with poor health" },
	{ "problem.item.addiction", 0.07, "P(prob_verslaving = 1 | a problem)" },
	{ "problem.item.debt", 0.30, "P(prob_schulden = 1 | a problem)" },
	{ "problem.item.care", 0.30, "P(prob_zorg = 1 | a problem)" },
	{ "problem.item.housing", 0.20, "P(prob_huisvesting = 1 | a problem)" },
	{ "ww.asked_help", 0.55, "WW: P(asked for help in H1)" },
	{ "wwb.asked_help", 0.50, "WWB: P(asked for help in H1)" },
	{ "asked_help.h2_if_h1", 0.60, "P(asked in H2 | asked in H1)" },
	{ "asked_help.h2_if_not", 0.30, "P(asked in H2 | not in H1)" },
	{ "ww.obligation.no.b0", -2.6, "WW: logit of 'no obligation' vs yes" },
	{ "wwb.obligation.no.b0", 0.0892, "WWB: logit of 'no obligation' [cal: obligation 2/3]" },
	{ "obligation.no.large", 0.9, "logit shift of 'no' at fase 3-4 (those without: larger distance)" },
	{ "obligation.no.poor_health", 0.8, "logit shift of 'no' with poor health" },
	{ "obligation.no.age55", 0.6, "logit shift of 'no' at 55+" },
	{ "obligation.dont_know", 0.05, "P(answers 8, don't know)" },
	{ "obligation.h2_same", 0.90, "P(the H2 obligation equals H1's), else drawn again" },
	/* --- support in H1 and H2: logit, terms as fit-models names them (ref 35_44, female, none, no) --- */
	{ "ww.h1.support.(Intercept)", 2.9601, "WW H1 support logit [cal: fig1 h1 95 %]" },
	{ "ww.h1.support.age_class:under_25", 0.2, "" },
	{ "ww.h1.support.age_class:25_34", 0.1, "" },
	{ "ww.h1.support.age_class:45_54", -0.25, "older: less" },
	{ "ww.h1.support.age_class:55_plus", -0.7, "older: less" },
	{ "ww.h1.support.large_distance", -0.6, "large distance: less" },
	{ "ww.h1.support.migrant", -0.4, "migrant: less" },
	{ "ww.h1.support.sex:male", 0, "" },
	{ "ww.h1.support.h1_work_resumed:partly", -0.5, "work resumed: less" },
	{ "ww.h1.support.h1_work_resumed:fully", -1.2, "work resumed: less" },
	{ "ww.h1.support.h1_asked_help", 0.8, "asked help: more" },
	{ "ww.h1.support.h1_obligation:yes", 0.6, "obligation: more" },
	{ "ww.h1.support.h1_obligation:dont_know", 0, "" },
	{ "ww.h1.support.h1_poor_health", -0.5, "good health: more" },
	{ "ww.h1.support.h1_nonwork_problem", 0, "" },
	{ "ww.h2.support.(Intercept)", -0.6223, "WW H2 support logit [cal: fig1 h2 6 m 67 %]" },
	{ "ww.h2.support.age_class:under_25", -0.4, "35-54 most" },
	{ "ww.h2.support.age_class:25_34", -0.2, "35-54 most" },
	{ "ww.h2.support.age_class:45_54", 0, "35-54 most" },
	{ "ww.h2.support.age_class:55_plus", -0.6, "35-54 most" },
	{ "ww.h2.support.large_distance", -0.5, "" },
	{ "ww.h2.support.migrant", -0.3, "" },
	{ "ww.h2.support.sex:male", 0, "" },
	{ "ww.h2.support.h2_work_resumed:partly", -0.4, "" },
	{ "ww.h2.support.h2_work_resumed:fully", -1.7485, "[cal: fig1 h2 12 m 74 %]" },
	{ "ww.h2.support.h2_asked_help", 0.7, "" },
	{ "ww.h2.support.h2_obligation:yes", 0.5, "" },
	{ "ww.h2.support.h2_obligation:dont_know", 0, "" },
	{ "ww.h2.support.h2_poor_health", -0.4, "" },
	{ "ww.h2.support.h2_nonwork_problem", 0, "" },
	{ "ww.h2.support.h1_any_support", 1.6699, "support in H1: more [cal: coverage 97 %]" },
	{ "wwb.h1.support.(Intercept)", 1.6285, "WWB H1 support logit [cal: fig4 h1 83 %]" },
	{ "wwb.h1.support.age_class:under_25", -0.3, "25-34 most, then less with age" },
	{ "wwb.h1.support.age_class:25_34", 0.3, "" },
	{ "wwb.h1.support.age_class:45_54", -0.3, "" },
	{ "wwb.h1.support.age_class:55_plus", -0.8, "" },
	{ "wwb.h1.support.large_distance", -0.7, "" },
	{ "wwb.h1.support.migrant", 0, "" },
	{ "wwb.h1.support.sex:male", 0.4, "men: more" },
	{ "wwb.h1.support.h1_work_resumed:partly", -0.6, "" },
	{ "wwb.h1.support.h1_work_resumed:fully", -1.0, "" },
	{ "wwb.h1.support.h1_asked_help", 0.8, "" },
	{ "wwb.h1.support.h1_obligation:yes", 0.3, "" },
	{ "wwb.h1.support.h1_obligation:dont_know", 0, "" },
	{ "wwb.h1.support.h1_poor_health", 0, "" },
	{ "wwb.h1.support.h1_nonwork_problem", 0.5, "non-work problems: more" },
	{ "wwb.h2.support.(Intercept)", -0.8129, "WWB H2 support logit [cal: fig4 h2 6 m 56 %]" },
	{ "wwb.h2.support.age_class:under_25", -0.2, "" },
	{ "wwb.h2.support.age_class:25_34", 0.1, "" },
	{ "wwb.h2.support.age_class:45_54", -0.2, "" },
	{ "wwb.h2.support.age_class:55_plus", -0.6, "" },
	{ "wwb.h2.support.large_distance", -0.6, "" },
	{ "wwb.h2.support.migrant", 0, "" },
	{ "wwb.h2.support.sex:male", 0.3, "" },
	{ "wwb.h2.support.h2_work_resumed:partly", -0.5, "" },
	{ "wwb.h2.support.h2_work_resumed:fully", -0.3, "" },
	{ "wwb.h2.support.h2_asked_help", 0.7, "" },
	{ "wwb.h2.support.h2_obligation:yes", 0.3, "" },
	{ "wwb.h2.support.h2_obligation:dont_know", 0, "" },
	{ "wwb.h2.support.h2_poor_health", 0, "" },
	{ "wwb.h2.support.h2_nonwork_problem", 0.4, "" },
	{ "wwb.h2.support.h1_any_support", 1.2585, "[cal: coverage 88 %]" },
	/* --- forms given support: each drawn with this probability; none drawn -> contacts --- */
	{ "ww.h1.q.advice", 0.70, "" }, { "ww.h1.q.help_applying", 0.35, "" },
	{ "ww.h1.q.own_business", 0.08, "" }, { "ww.h1.q.programme", 0.3808, "[cal: fig3 programme just under half]" },
	{ "ww.h1.q.training", 0.1119, "[cal: fig3 training one in seven]" }, { "ww.h1.q.problem_help", 0.40, "only with a non-work problem" },
	{ "ww.h1.q.contacts", 0.85, "" },
	{ "ww.h2.q.advice", 0.55, "" }, { "ww.h2.q.help_applying", 0.25, "" },
	{ "ww.h2.q.own_business", 0.05, "" }, { "ww.h2.q.programme", 0.25, "without a programme in H1" },
	{ "ww.h2.q.training", 0.06, "" }, { "ww.h2.q.problem_help", 0.30, "" },
	{ "ww.h2.q.contacts", 0.70, "" },
	{ "wwb.h1.q.advice", 0.60, "" }, { "wwb.h1.q.help_applying", 0.30, "" },
	{ "wwb.h1.q.own_business", 0.05, "" }, { "wwb.h1.q.programme", 0.20, "" },
	{ "wwb.h1.q.training", 0.08, "" }, { "wwb.h1.q.problem_help", 0.50, "" },
	{ "wwb.h1.q.contacts", 0.85, "" },
	{ "wwb.h2.q.advice", 0.45, "" }, { "wwb.h2.q.help_applying", 0.20, "" },
	{ "wwb.h2.q.own_business", 0.03, "" }, { "wwb.h2.q.programme", 0.15, "" },
	{ "wwb.h2.q.training", 0.05, "" }, { "wwb.h2.q.problem_help", 0.45, "" },
	{ "wwb.h2.q.contacts", 0.70, "" },
	{ "h2.q.programme_if_h1", 0.60, "P(programme in H2 | supported in H2 and a programme in H1)" },
	/* --- search behaviour on the six support indicators (table1) --- */
	/* looking: logit; hours: E[hours | x] linear (0 when not looking); apps: E[apps | x] = exp(...) */
	{ "ww.h1.looking.(Intercept)", 0.3, "" }, { "ww.h1.looking.h1_advice", 0.5, "++" },
	{ "ww.h1.looking.h1_help_applying", 0, "" }, { "ww.h1.looking.h1_own_business", 0, "" },
	{ "ww.h1.looking.h1_programme", 0.4, "++" }, { "ww.h1.looking.h1_training", 0, "" },
	{ "ww.h1.looking.h1_contacts", 0.6, "++" },
	{ "ww.h1.hours.(Intercept)", 5.9391, "[cal: hours WW H1 7.7]" }, { "ww.h1.hours.h1_advice", 0.6, "" },
	{ "ww.h1.hours.h1_help_applying", 0, "" }, { "ww.h1.hours.h1_own_business", 0.3, "+ (hours)" },
	{ "ww.h1.hours.h1_programme", 0.3, "" }, { "ww.h1.hours.h1_training", 0, "" },
	{ "ww.h1.hours.h1_contacts", 1.5, "all vs contacts only = 0.6+0+0.3+0.3+0 = +1.2 h" },
	{ "ww.h1.apps.(Intercept)", 1.8, "" }, { "ww.h1.apps.h1_advice", 0.2, "" },
	{ "ww.h1.apps.h1_help_applying", 0.25, "+ (applications)" }, { "ww.h1.apps.h1_own_business", 0, "" },
	{ "ww.h1.apps.h1_programme", 0.2, "" }, { "ww.h1.apps.h1_training", 0, "" },
	{ "ww.h1.apps.h1_contacts", 0.3, "" },
	{ "ww.h2.looking.(Intercept)", 0.0, "" }, { "ww.h2.looking.h2_advice", 0.4, "" },
	{ "ww.h2.looking.h2_help_applying", 0, "" }, { "ww.h2.looking.h2_own_business", 0, "" },
	{ "ww.h2.looking.h2_programme", 0.4, "" }, { "ww.h2.looking.h2_training", 0, "" },
	{ "ww.h2.looking.h2_contacts", 0.6, "" },
	{ "ww.h2.hours.(Intercept)", 4.5757, "[cal: hours WW H2 6.3]" }, { "ww.h2.hours.h2_advice", 0.8, "" },
	{ "ww.h2.hours.h2_help_applying", 0, "" }, { "ww.h2.hours.h2_own_business", 0.4, "" },
	{ "ww.h2.hours.h2_programme", 0.8, "" }, { "ww.h2.hours.h2_training", 0, "" },
	{ "ww.h2.hours.h2_contacts", 2.4, "all vs advice only = 0+0.4+0.8+0+2.4 = +3.6 h" },
	{ "ww.h2.apps.(Intercept)", 1.5, "" }, { "ww.h2.apps.h2_advice", 0.2, "" },
	{ "ww.h2.apps.h2_help_applying", 0.25, "" }, { "ww.h2.apps.h2_own_business", 0, "" },
	{ "ww.h2.apps.h2_programme", 0.2, "" }, { "ww.h2.apps.h2_training", 0, "" },
	{ "ww.h2.apps.h2_contacts", 0.3, "" },
	{ "wwb.h1.looking.(Intercept)", -0.6, "" }, { "wwb.h1.looking.h1_advice", 0.5, "++" },
	{ "wwb.h1.looking.h1_help_applying", 0, "" }, { "wwb.h1.looking.h1_own_business", -0.5, "- (looking)" },
	{ "wwb.h1.looking.h1_programme", 0, "" }, { "wwb.h1.looking.h1_training", 0, "" },
	{ "wwb.h1.looking.h1_contacts", 0.7, "++" },
	{ "wwb.h1.hours.(Intercept)", 0.8456, "[cal: hours WWB H1 3.2]" }, { "wwb.h1.hours.h1_advice", 0.5, "" },
	{ "wwb.h1.hours.h1_help_applying", 0, "" }, { "wwb.h1.hours.h1_own_business", 0, "" },
	{ "wwb.h1.hours.h1_programme", 0, "" }, { "wwb.h1.hours.h1_training", 0, "" },
	{ "wwb.h1.hours.h1_contacts", 2.9, "all vs advice only = 0+0+0+0+2.9 = +2.9 h" },
	{ "wwb.h1.apps.(Intercept)", 1.2, "" }, { "wwb.h1.apps.h1_advice", 0.25, "" },
	{ "wwb.h1.apps.h1_help_applying", 0.3, "+ (applications)" }, { "wwb.h1.apps.h1_own_business", 0, "" },
	{ "wwb.h1.apps.h1_programme", 0, "" }, { "wwb.h1.apps.h1_training", 0, "" },
	{ "wwb.h1.apps.h1_contacts", 0.35, "" },
	{ "wwb.h2.looking.(Intercept)", -0.8, "" }, { "wwb.h2.looking.h2_advice", 0.5, "" },
	{ "wwb.h2.looking.h2_help_applying", 0, "" }, { "wwb.h2.looking.h2_own_business", -0.5, "" },
	{ "wwb.h2.looking.h2_programme", 0, "" }, { "wwb.h2.looking.h2_training", 0, "" },
	{ "wwb.h2.looking.h2_contacts", 0.7, "" },
	{ "wwb.h2.hours.(Intercept)", 0.9366, "[cal: hours WWB H2 1.9]" }, { "wwb.h2.hours.h2_advice", 0.4, "" },
	{ "wwb.h2.hours.h2_help_applying", 0, "" }, { "wwb.h2.hours.h2_own_business", 0, "" },
	{ "wwb.h2.hours.h2_programme", 0, "" }, { "wwb.h2.hours.h2_training", 0, "" },
	{ "wwb.h2.hours.h2_contacts", 2.0, "" },
	{ "wwb.h2.apps.(Intercept)", 1.0, "" }, { "wwb.h2.apps.h2_advice", 0.25, "" },
	{ "wwb.h2.apps.h2_help_applying", 0.3, "" }, { "wwb.h2.apps.h2_own_business", 0, "" },
	{ "wwb.h2.apps.h2_programme", 0, "" }, { "wwb.h2.apps.h2_training", 0, "" },
	{ "wwb.h2.apps.h2_contacts", 0.35, "" },
	{ "search.hours.size", 2.5, "negative binomial size of (hours - 1) among those looking" },
	{ "search.apps.size", 1.5, "negative binomial size of applications among those looking" },
	{ "ww.w1.looking", 0.70, "WW: P(looking) in wave 1 (no model)" },
	{ "wwb.w1.looking", 0.40, "WWB: P(looking) in wave 1" },
	{ "contacts.mean", 3.0, "contacts about work in the H1 wave 2 when there are any: 1 + Poisson(this)" },
	/* --- handover (WW): who is unknown at UWV / CWI --- */
	{ "ho.uwv_missing.b0", -0.4292, "logit P(no R2 row) [cal: none + cwi_only = 32 %]" },
	{ "ho.uwv_missing.phase", 0.35, "per fase step above 1 (far from the labour market: more often missing)" },
	{ "ho.uwv_missing.h2_support", -1.0793, "with support in H2 [cal: support in H2 without UWV information 50 %]" },
	{ "ho.cwi_missing.b0", -1.7154, "logit P(no overdracht_datum) [cal: none + uwv_only = 19 %]" },
	{ "ho.cwi_missing.phase", 0.3, "per fase step above 1" },
	{ "ho.cwi_missing.uwv_missing", -0.1415, "when also unknown at UWV [cal: none = 6 %]" },
	{ "ho.days.shape", 1.3, "days to the CWI handover: 2 + 2*fase + Gamma(shape, scale)" },
	{ "ho.days.scale", 9.0, "" },
	{ "ho.uwv_only.days", 14.0, "mean days to UWV's receipt without a CWI date (exponential, + 3)" },
	{ "ho.uwv_duplicate", 0.04, "P(UWV received the handover twice: a second R2 row)" },
	{ "ho.fase_uwv.differs", 0.10, "P(fase_uwv one step off CWI's fase)" },
	{ "ho.fase_uwv.missing", 0.05, "P(fase_uwv empty)" },
	{ "wwb.cwi_handover", 0.92, "WWB: P(overdracht_datum to the municipality recorded)" },
	/* --- survey response (attrition by who people are) --- */
	{ "resp.w1.b0", 0.6, "logit P(answers wave 1)" },
	{ "resp.w2.after_w1", 1.6, "logit P(answers wave 2 | answered wave 1)" },
	{ "resp.w2.no_w1", -1.8, "logit P(answers wave 2 | not wave 1)" },
	{ "resp.w3.b0", 1.5, "logit P(answers wave 3 | answered wave 2); wave 3 goes to wave-2 respondents only" },
	{ "resp.age10", 0.15, "logit shift per 10 years of age above 40" },
	{ "resp.migrant", -0.6, "logit shift for migrants" },
	{ "resp.poor_health", -0.3, "logit shift with poor health in H1" },
	{ "item.dont_know", 0.02, "P(8 / 98 don't know) on an item where it cannot hide a true answer" },
	{ "item.no_answer", 0.015, "P(9 / 99 / 999 no answer) likewise" },
	/* --- change over time: only with --span (a world over many cohorts); t = years from
	 * --drift-ref (default 01-03-2006, the study window's start), so the study's cohorts keep
	 * the calibrated values above --- */
	{ "drift.inflow.per_year", -0.10, "--span: relative change in the number of applications per year (-0.10: 10 % fewer each year)" },
	{ "drift.inflow.season", 0.15, "--span: seasonal amplitude of applications: 1 + this x cos(day of year), most in January, fewest in July" },
	{ "drift.ho.uwv_missing.per_year", -0.25, "--span: added to ho.uwv_missing.b0 per year of t (UWV records more handovers: a few points a year)" },
	{ "drift.ho.cwi_missing.per_year", -0.15, "--span: added to ho.cwi_missing.b0 per year of t" },
	{ "drift.dur.scale.per_year", 0.90, "--span: factor on the Weibull duration scale per year of t (shorter spells as the economy improved)" },
	{ NULL, 0, NULL }
};

static size_t n_params;

void params_init(void)
{
	for (n_params = 0; table[n_params].name; n_params++)
		;
}

double *P_ptr(const char *name)
{
	for (size_t i = 0; i < n_params; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i].value;
	return NULL;
}

double P(const char *name)
{
	double *v = P_ptr(name);

	if (!v)
		BUG("unknown parameter %s", name);
	return *v;
}

int params_set(const char *assign)
{
	const char *eq = strrchr(assign, '=');
	char name[128], *end;
	double *v;
	double x;

	if (!eq || (size_t)(eq - assign) >= sizeof name)
		return -1;
	memcpy(name, assign, (size_t)(eq - assign));
	name[eq - assign] = '\0';
	while (eq - assign > 0 && name[eq - assign - 1] == ' ')
		name[--eq - assign] = '\0';
	v = P_ptr(name);
	if (!v)
		return -1;
	errno = 0;
	x = strtod(eq + 1, &end);
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (errno || end == eq + 1 || *end || !isfinite(x))
		return -1;
	*v = x;
	return 0;
}

int params_load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512];
	long ln = 0;

	if (!fp) {
		diag_warn(path, 0, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, fp)) {
		char *s = line;

		ln++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		if (params_set(s) < 0) {
			s[strcspn(s, "\n")] = '\0';
			diag_warn(path, ln, NULL, "unknown parameter or bad value: %s", s);
			fclose(fp);
			return -1;
		}
	}
	fclose(fp);
	return 0;
}

void params_print(FILE *fp)
{
	for (size_t i = 0; i < n_params; i++) {
		fprintf(fp, "%s=%.10g", table[i].name, table[i].value);
		if (table[i].meaning[0])
			fprintf(fp, "    # %s", table[i].meaning);
		fputc('\n', fp);
	}
}
