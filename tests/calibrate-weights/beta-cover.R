#!/usr/bin/env Rscript
# beta-cover.R [GAP-CELLS] - would a small-cell interval cover more? For every share of
# measure-gap.py's gap-cells.csv (default ./gap-cells.csv), the coverage of synth's truth by
# the published interval (estimate +- qnorm(0.975) se, tabulate's) beside an interval of the
# form of R's svyciprop(method = "beta") (Korn and Graubard): Clopper-Pearson on the
# effective sample size n_eff = p (1 - p) / se^2, se taken from the published interval.
# svyciprop also scales n_eff by (qt(0.025, n - 1) / qt(0.025, degf))^2; that needs the
# design's degrees of freedom, which table/1 does not carry, and is within a few tenths of a
# per cent of 1 at these sample sizes, so it is left out. Not a test: an estimate of what
# such an interval would change (README, "Why coverage stays under 90 %").
#   cd $MEASURE_DIR && Rscript tests/calibrate-weights/beta-cover.R
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "gap-cells.csv")
d <- d[d$measure == "share", ]
z <- qnorm(0.975)
for (w in c("design", "calibrated")) {
  p <- d[[w]]
  lo0 <- d[[paste0(w, "_lo")]]
  hi0 <- d[[paste0(w, "_hi")]]
  se <- (hi0 - lo0) / (2 * z)
  n <- d[[paste0(w, "_n")]]
  neff <- p * (1 - p) / se^2
  lo <- ifelse(p > 0, qbeta(0.025, neff * p, neff * (1 - p) + 1), 0)
  hi <- ifelse(p < 1, qbeta(0.975, neff * p + 1, neff * (1 - p)), 1)
  wald <- lo0 <= d$truth & d$truth <= hi0
  beta <- lo <= d$truth & d$truth <= hi
  ph <- grepl("^poor_health", d$row)
  groups <- list("n < 200" = n < 200 & !ph, "n >= 200" = n >= 200 & !ph,
                 "all but the poor-health rows" = !ph, "all shares" = rep(TRUE, nrow(d)))
  for (g in names(groups)) {
    s <- groups[[g]]
    cat(sprintf("%-10s %-30s cells %4d  published %5.1f%%  beta form %5.1f%%\n", w, g, sum(s),
                100 * mean(wald[s]), 100 * mean(beta[s])))
  }
}
