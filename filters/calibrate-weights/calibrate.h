/* calibrate.h - calibrated weights, as R survey's calibrate() computes them.
 *
 * The problem: n respondents with design weights d_i > 0 and calibration variables x_i (a
 * row of p numbers; calibrate-weights passes indicators of margin cells), and the population
 * totals t (p numbers). Find g-weights g_i such that the calibrated weights w_i = d_i g_i
 * reproduce the totals,
 *
 *     sum_i d_i g_i x_i = t,        g_i = 1 + F(x_i' eta),
 *
 * where F is the calibration function of the method (survey's calfun):
 *   CAL_LINEAR   F(u) = u: GREG; with bounds clamp(1 + u, L, U) - 1
 *   CAL_RAKING   F(u) = exp(u) - 1; with bounds clamp(exp(u), L, U) - 1 (survey's Newton
 *                step then treats g as held at a bound once u leaves (L - 1, U - 1),
 *                comparing u and not exp(u): kept, so that the path is R's; it can stall
 *                where bounded weights exist, and R stalls there too)
 *   CAL_LOGIT    Deville and Särndal's logit function, g strictly inside the finite
 *                bounds L < 1 < U (survey's cal.logit, written as it writes it)
 *
 * Agreement with R (survey 4.x, read from its grake and regcalibrate): linear without
 * bounds is regcalibrate's single step g = 1 + X (X'DX)^-1 (t - X'd). Everything else is
 * grake's Newton iteration step for step: eta = 0; T = X' diag(d F'(X eta)) X; the step is
 * ginv(T) times the misfit t - X'(d g) (the pseudo-inverse drops singular values below 256
 * DBL_EPSILON times the largest, as MASS::ginv); the step is halved while g or F' is not
 * finite; stop when max_j |misfit_j| / (1 + |t_j|) < epsilon (survey's rule; or, with
 * CAL_CONVERGE_WEIGHTS, when no g moved by epsilon or more); give up after maxit
 * iterations, counted as grake counts them. When every ratio t_j / (X'd)_j exceeds 20 the
 * design weights are first multiplied by the mean of those ratios and the bounds apply to
 * the rescaled weights (grake's rule; cal_scale gives the factor). So with the same
 * epsilon the weights agree with R's to rounding, not merely to the tolerance.
 *
 * Refused before any iteration, each with the column at fault in result.column: a column
 * with no respondents (CAL_EMPTY), a non-negative column whose total cannot be reached with
 * every g inside the bounds (CAL_INFEASIBLE: t_j outside [L, U] times the column's sample
 * total), and columns that are collinear among the respondents (CAL_SINGULAR: X'DX has a
 * singular value below CAL_SINGULAR_TOL of its largest; column and other_column are the
 * two largest parts of that direction). CAL_NOT_CONVERGED names the column of the largest
 * remaining misfit.
 *
 * Ownership: the caller owns every array passed in and the output g (n doubles); cal_solve
 * allocates only work space, which it frees before returning. Nothing here prints or
 * exits, except when memory runs out (it stops the program as xmalloc does); GSL's error
 * handler must be off (gsl_set_error_handler_off) and every GSL status is checked
 * (CAL_GSL_ERROR).
 */
#ifndef CW_CALIBRATE_H
#define CW_CALIBRATE_H

#include <stddef.h>

#include "calspec.h"

enum cal_converge { CAL_CONVERGE_TOTALS, CAL_CONVERGE_WEIGHTS };

/* survey's defaults */
#define CAL_EPSILON_DEFAULT 1e-7
#define CAL_MAXIT_DEFAULT 50
/* X'DX is taken as singular below this ratio of its smallest to largest singular value */
#define CAL_SINGULAR_TOL 1e-12

struct cal_options {
	enum cal_method method;
	double lower, upper;         /* bounds on g; -INFINITY and INFINITY when unbounded */
	double epsilon;              /* convergence tolerance */
	int maxit;                   /* iteration limit (>= 1) */
	enum cal_converge converge;
};

struct cal_problem {
	size_t n, p;
	const double *x;             /* n x p, row-major: respondent i's variables at x[i*p] */
	const double *d;             /* n design weights, > 0 */
	const double *total;         /* p population totals */
};

enum cal_status {
	CAL_OK = 0,
	CAL_BAD_OPTIONS,             /* bounds not L < 1 < U, logit without finite bounds, ... */
	CAL_EMPTY,                   /* a column with sample total 0 and a non-zero total */
	CAL_INFEASIBLE,              /* a total out of reach within the bounds */
	CAL_SINGULAR,                /* columns collinear among the respondents */
	CAL_NOT_CONVERGED,           /* maxit reached, or g not finite after step halving */
	CAL_GSL_ERROR
};

struct cal_result {
	enum cal_status status;
	int iterations;              /* grake's count; 1 for linear without bounds */
	double misfit;               /* max_j |t_j - (X'w)_j| / (1 + |t_j|) at the end */
	size_t column;               /* the column at fault (see above), else the worst misfit */
	size_t other_column;         /* CAL_SINGULAR: the second column of the direction */
	double scale;                /* grake's rescaling of the design weights; 1 when none */
	char message[200];           /* for CAL_BAD_OPTIONS and CAL_GSL_ERROR */
};

/* Check the options on their own (bounds, epsilon, maxit). Returns 0, or -1 with a message
 * in msg ("logit calibration needs finite bounds", ...). */
int cal_check_options(const struct cal_options *o, char *msg, size_t msgsz);

/* grake's rescaling factor of the design weights: the mean of t_j / (X'd)_j when every
 * ratio exceeds 20, else 1 (1 also when a sample total is 0, and for linear calibration
 * without bounds, which regcalibrate does not rescale). */
double cal_scale(const struct cal_problem *pb, const struct cal_options *o);

/* Can a category with weighted sample total sample_total (design weights, already
 * multiplied by scale) reach total with every g inside the bounds? Returns CAL_OK,
 * CAL_EMPTY or CAL_INFEASIBLE. For any non-negative column, not only indicators. */
enum cal_status cal_check_total(const struct cal_options *o, double sample_total, double total);

/* Compute g (n doubles). Returns res->status; g is filled only when it is CAL_OK. */
enum cal_status cal_solve(const struct cal_problem *pb, const struct cal_options *o,
                          double *g, struct cal_result *res);

const char *cal_status_name(enum cal_status s);

#endif
