# make-expected.R - what R's survival::survfit says about the Kaplan-Meier test cases, for
# km_test.c to compare filters/cohort-tables/km.c with (to 1e-10). CI has no R: the files
# this writes are committed.
#
#   cd tests/cohort-tables && Rscript make-expected.R
#       writes data/km-cases.csv (the hand-made and random cases: case,time,ended) and
#       data/km-expected.csv (survfit on them), and data/km-synth-expected.csv (survfit on
#       data/km-synth.csv, which km_data.py made from a synth world:
#         synth --span 2006-07:2007-06 --persons 2500 --seed 17 --peildatum 01-03-2008 --out w
#         python3 km_data.py w 2006-07 2006-11 2007-03 2007-06 > data/km-synth.csv)
#   Rscript make-expected.R --synth DATA OUT
#       survfit on any km_data.py file (r-live.t: a fresh synth world)
#
# Every number is R's: survfit(Surv(time, ended) ~ 1, conf.type, conf.int) for the steps
# (time, n.risk, n.event, n.censor, surv, std.err, lower, upper), summary(fit, times) for the
# curve read at given times (extend = FALSE: no reading after the last time), and
# quantile(fit, probs) for the quartiles and the median with their intervals. For synth
# data the times are computed here from the dates: calendar month time (doc/cohorts.md,
# written again in R below) and days.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") >= "3.0")

# ---------- the cases ----------
hand_cases <- function() {
  cs <- list(
    # ties of events; a censoring on an event's day (2); S reaches 0 at the end
    ties = list(t = c(1, 2, 2, 2, 3, 3, 4, 5, 5, 6), e = c(1, 1, 0, 1, 0, 1, 1, 1, 1, 1)),
    # censorings on the same days as events, several of each
    same_day = list(t = c(1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4), e = c(1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1)),
    all_censored = list(t = c(1, 2, 3, 3, 7), e = c(0, 0, 0, 0, 0)),
    none_censored = list(t = c(2, 4, 4, 6, 8, 8, 8, 10), e = rep(1, 8)),
    # S sits at exactly one half from time 2 to 4: the median is the midpoint, 3
    plateau_half = list(t = c(1, 2, 2, 4), e = c(1, 1, 0, 1)),
    # S is one half after the last event and the last time is censored: median (1 + 2) / 2
    last_half = list(t = c(1, 2), e = c(1, 0)),
    one_event = list(t = c(5), e = c(1)),
    one_censored = list(t = c(5), e = c(0)),
    # events and censorings at time 0
    time_zero = list(t = c(0, 0, 1, 1, 2), e = c(1, 0, 0, 1, 0)),
    # censored before the first event, then a long tail
    late_events = list(t = c(0.5, 1, 1.5, 9, 9, 10, 12, 12, 12.5), e = c(0, 0, 0, 1, 1, 0, 1, 0, 1)),
    # the log interval's upper curve rises again after crossing one half (S falls, its
    # standard error grows faster): quantile.survfit takes the smallest value past 1/2,
    # not the first (found by a random search)
    upper_not_monotone = list(t = c(2.75, 7.25, 7.75, 3.25, 2.5, 2.75, 5.75, 3.75, 10, 3.25, 2.5, 3.5, 7.5, 6.75,
                                    9.5, 9.75, 0.25, 3.75, 4.25, 8.25, 2.75, 1, 0, 2.75, 7.5, 0.5, 3.5, 4.5),
                              e = c(1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)),
    # 200 observations with heavy ties
    many_ties = list(t = (seq_len(200) * 7) %% 13, e = as.integer(seq_len(200) %% 3 != 0))
  )
  set.seed(20080216)
  for (i in 1:25) {       # random small cases; times are multiples of 1/4: exact in decimal
    n <- sample(1:40, 1)
    t <- sample(0:48, n, TRUE) / 4
    cs[[sprintf("random_%02d", i)]] <- list(t = t, e = rbinom(n, 1, runif(1, 0.1, 1)),
                                           at = c(0:ceiling(max(t) + 1), 2.25, 5.5))
  }
  cs
}

# ---------- calendar month time (doc/cohorts.md), from the dates ----------
add_months <- function(d, k) {
  y <- as.integer(format(d, "%Y")); m <- as.integer(format(d, "%m")) - 1 + k
  y <- y + m %/% 12; m <- m %% 12 + 1
  first <- as.Date(sprintf("%04d-%02d-01", y, m))
  ny <- ifelse(m == 12, y + 1, y); nm <- ifelse(m == 12, 1, m + 1)
  days_in <- as.integer(as.Date(sprintf("%04d-%02d-01", ny, nm)) - first)
  first + pmin(as.integer(format(d, "%d")), days_in) - 1
}
month_time <- function(from, to) {
  m <- (as.integer(format(to, "%Y")) - as.integer(format(from, "%Y"))) * 12 +
    as.integer(format(to, "%m")) - as.integer(format(from, "%m"))
  m <- ifelse(add_months(from, m) > to, m - 1, m)
  a <- add_months(from, m); b <- add_months(from, m + 1)
  m + as.numeric(to - a) / as.numeric(b - a)
}

synth_cases <- function(path) {
  d <- read.csv(path, colClasses = "character")
  app <- as.Date(d$application_date)
  ended <- d$end_date != ""
  stop_day <- as.Date(ifelse(ended, d$end_date, d$extract_date))
  cs <- list()
  for (g in unique(d$group)) {
    w <- d$group == g
    cs[[paste0(g, "/months")]] <- list(t = month_time(app[w], stop_day[w]), e = as.integer(ended[w]),
                                       at = c(0:18, 2.5, 11.75))
    cs[[paste0(g, "/days")]] <- list(t = as.numeric(stop_day[w] - app[w]), e = as.integer(ended[w]),
                                     at = c(0, 30, 91, 182, 365, 548))
  }
  cs
}

# ---------- survfit's numbers ----------
num <- function(x) sprintf("%.17g", x)   # "NA", "NaN", "Inf" as R names them
rows <- function(case, conf, level, kind, x, n_risk, n_event, n_censor, est, se, lower, upper) {
  data.frame(case = case, conf = conf, level = level, kind = kind, x = num(x), n_risk = n_risk,
             n_event = n_event, n_censor = n_censor, est = num(est), se = num(se),
             lower = num(lower), upper = num(upper))
}
expect <- function(cs, levels = c(0.95, 0.9)) {
  out <- list()
  for (name in names(cs)) {
    c <- cs[[name]]
    at <- if (is.null(c$at)) seq(0, max(c$t) + 1, by = 0.5) else c$at
    for (conf in c("log", "log-log", "plain")) for (level in levels) {
      if (level == 0.9 && conf != "log") next
      f <- survfit(Surv(c$t, c$e) ~ 1, conf.type = conf, conf.int = level)
      s <- summary(f, times = at, extend = FALSE)
      q <- quantile(f, probs = c(0.25, 0.5, 0.75))
      na <- rep(NA, length(s$time))
      beyond <- at[!(at %in% s$time)]    # after the last observed time: summary leaves them out
      out[[length(out) + 1]] <- rbind(
        rows(name, conf, level, "step", f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$std.err, f$lower, f$upper),
        rows(name, conf, level, "at", s$time, s$n.risk, na, na, s$surv, s$std.err, s$lower, s$upper),
        if (length(beyond)) rows(name, conf, level, "beyond", beyond, NA, NA, NA, NA, NA, NA, NA),
        rows(name, conf, level, "quantile", c(0.25, 0.5, 0.75), NA, NA, NA, q$quantile, NA, q$lower, q$upper))
    }
  }
  do.call(rbind, out)
}
write_csv <- function(d, path) write.csv(d, path, row.names = FALSE, quote = FALSE, na = "")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 3 && args[1] == "--synth") {
  write_csv(expect(synth_cases(args[2]), 0.95), args[3])
} else if (length(args) == 0) {
  cs <- hand_cases()
  cases <- do.call(rbind, lapply(names(cs), function(n)
    data.frame(case = n, time = num(cs[[n]]$t), ended = cs[[n]]$e)))
  write_csv(cases, "data/km-cases.csv")
  write_csv(expect(cs), "data/km-expected.csv")
  write_csv(expect(synth_cases("data/km-synth.csv"), 0.95), "data/km-synth-expected.csv")
} else {
  stop("usage: Rscript make-expected.R [--synth DATA OUT]")
}
