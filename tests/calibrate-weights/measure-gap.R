# measure-gap.R SPEC WORLD... - how far the survey figures are from synth's population truth,
# with the design weights and with calibrate-weights' weights (run by measure-gap.sh).
#
# Each WORLD is a folder with synth's truth.csv and cal.csv.gz, calibrate-weights' output
# under SPEC. For every cell of tables.spec's survey tables: the estimate with design_weight
# (as tabulate makes it today: svymean on a domain of the whole sample) and with the cell's
# calibrated weight (sum w y / sum w over the cell, straight from the stage's column), the
# population truth, and each estimate's 95% interval: the design one from the domain of the
# sample; the calibrated one from survey::calibrate's design (the same weights, checked
# here, with the calibration residuals in the variance). Prints per table and overall the
# mean absolute gap to the truth and how often the interval covers it, and writes every
# cell to gap-cells.csv.
a <- commandArgs(TRUE)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "calib.R"))
root <- normalizePath(file.path(here, "../.."))
spec <- read_cal_spec(a[1])
fields <- schema_fields(root, "person_support/1")
cells <- survey_cells(file.path(root, "pipelines/eerste-jaar/tables.spec"))
z <- qnorm(0.975)
all <- list()
for (wd in a[-1]) {
  truth <- read.csv(file.path(wd, "truth.csv"), colClasses = "character")
  truth <- truth[truth$scope == "population", ]
  d <- read_people(file.path(wd, "cal.csv.gz"))
  samp <- d$in_sample == "1"
  full <- svydesign(ids = ~1, strata = ~stratum, weights = ~w,
                    data = transform(d[samp, ], w = as.numeric(design_weight)))
  est_none <- estimate_cells(cells, d[samp, ], full)
  mc <- margin_cells(d, spec, fields)
  sets <- vapply(cells$respondents, panel_set, "", spec = spec)
  est_cal <- est_none
  for (s in unique(sets)) {
    m <- in_set(d, spec$sets[[s]])
    cs <- calibrate_set(d[m, ], mc$X[m, , drop = FALSE], mc, spec$method, spec$bounds)
    stage_w <- as.numeric(d[[s]][m])
    stopifnot(max(abs(cs$w - stage_w) / stage_w) < 1e-9)       # R's weights are the stage's
    e <- estimate_cells(cells[sets == s, ], d[m, ], cs$design)
    for (i in which(sets == s)) {   # the point estimate straight from the stage's weights
      cy <- cell_y(d[m, ], cells[i, ])
      e$estimate[which(which(sets == s) == i)] <- sum(stage_w[cy$domain] * cy$y[cy$domain]) / sum(stage_w[cy$domain])
    }
    est_cal[sets == s, ] <- e
  }
  key <- function(x) paste(x$table, x$benefit, x$period, x$population, x$row)
  tv <- as.numeric(truth$estimate[match(key(est_none), key(truth))])
  all[[wd]] <- data.frame(world = basename(wd), est_none[, 1:6], truth = tv,
    design = est_none$estimate, design_se = est_none$se, calibrated = est_cal$estimate, calibrated_se = est_cal$se)
}
r <- do.call(rbind, all)
r <- r[!is.na(r$truth) & !is.na(r$design) & !is.na(r$calibrated), ]
write.csv(r, "gap-cells.csv", row.names = FALSE)
summ <- function(x, label) {
  cat(sprintf("%-22s %5d %10.4f %10.4f %9.1f%% %9.1f%%\n", label, nrow(x),
    mean(abs(x$design - x$truth)), mean(abs(x$calibrated - x$truth)),
    100 * mean(abs(x$design - x$truth) <= z * x$design_se),
    100 * mean(abs(x$calibrated - x$truth) <= z * x$calibrated_se)))
}
cat(sprintf("spec %s; worlds: %s\n", a[1], paste(basename(a[-1]), collapse = " ")))
cat(sprintf("%-22s %5s %10s %10s %10s %10s\n", "cells", "n", "gap design", "gap calib", "cover des", "cover cal"))
main <- c("coverage", "fig1", "fig4", "fig3", "fig6", "hours")
for (t in unique(r$table)) summ(r[r$table == t, ], t)
summ(r[r$table %in% main & r$measure == "share", ], "main shares")
summ(r[r$measure == "share", ], "all shares")
summ(r[r$measure == "mean", ], "all means (hours)")
