#!/usr/bin/env Rscript
# svytotal.R - R's svytotal and svymean on a calibrated design, for svytotal_test.c
# (filters/lib/svyvar.c: a total's influence values are w y). Run from the checkout:
#     Rscript tests/calibrate-weights/svytotal.R
# writes tests/calibrate-weights/data/svytotal-people.csv (the sample: stratum, the two
# calibration variables, design weight, y, the domain flag, and the calibrated weights of
# each method) and data/svytotal-expected.csv (design, domain, total, total_se, mean,
# mean_se). A small world made here with a fixed seed: 3 strata (one of them a singleton),
# variables a (3 values) and b (2 values), margins ~a and ~b, population totals chosen
# off the design's so every method has work to do.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "certainty")   # svyvar.c's rule for a stratum of one
set.seed(2021)
n <- 61
p <- data.frame(stratum = c(rep(0, 30), rep(1, 30), 2),
                a = sample(c("x", "y", "z"), n, replace = TRUE),
                b = sample(c("p", "q"), n, replace = TRUE),
                d = round(runif(n, 2, 9), 2),
                y = round(rnorm(n, 10, 3), 1))
p$dom <- as.integer(runif(n) < 0.6)
des <- svydesign(ids = ~1, strata = ~stratum, weights = ~d, data = p)
tot_a <- sapply(c("x", "y", "z"), function(v) sum(p$d[p$a == v])) * c(1.10, 0.92, 1.05)
tot_b <- sapply(c("p", "q"), function(v) sum(p$d[p$b == v]))
tot_b <- tot_b * sum(tot_a) / sum(tot_b) * c(1.04, 0.96)
pop <- c(`(Intercept)` = sum(tot_a), ay = tot_a[["y"]], az = tot_a[["z"]], bq = tot_b[["q"]])
cal <- list(
  linear = calibrate(des, ~a + b, pop, calfun = "linear"),
  raking = calibrate(des, ~a + b, pop, calfun = "raking"),
  logit = calibrate(des, ~a + b, pop, calfun = "logit", bounds = c(0.5, 2)))
for (m in names(cal)) p[[paste0("w_", m)]] <- weights(cal[[m]])
f <- function(x) sprintf("%.17g", as.numeric(x))
out <- NULL
for (m in c("none", names(cal))) {
  d <- if (m == "none") des else cal[[m]]
  for (dom in c("all", "dom")) {
    s <- if (dom == "all") d else subset(d, dom == 1)
    t <- svytotal(~y, s); mu <- svymean(~y, s)
    out <- rbind(out, data.frame(design = m, domain = dom, total = f(coef(t)), total_se = f(SE(t)),
                                 mean = f(coef(mu)), mean_se = f(SE(mu))))
  }
}
pp <- p
for (c in c("d", "w_linear", "w_raking", "w_logit")) pp[[c]] <- f(p[[c]])
write.csv(pp, "tests/calibrate-weights/data/svytotal-people.csv", row.names = FALSE, quote = FALSE)
write.csv(out, "tests/calibrate-weights/data/svytotal-expected.csv", row.names = FALSE, quote = FALSE)
cat("wrote tests/calibrate-weights/data/svytotal-people.csv and svytotal-expected.csv\n")
