# make-expected.R - R's values for calibrate-weights' agreement tests (and phase 2 of issue 20).
#
#   make && cd tests/calibrate-weights && Rscript make-expected.R
#
# Needs R with the survey and MASS packages (Debian: r-cran-survey, r-cran-mass) and
# python3; it runs bin/ (synth, the chain, classify-support, tabulate) to make its inputs.
# The same seeds give the same files.
#
# CI has no R: everything this writes is committed, and the tests compare with it.
#   data/core-cases.txt        matrices with design weights, totals and survey::calibrate's
#                              g-weights (linear, bounded linear, raking, bounded raking,
#                              logit; one case where grake rescales the weights), for
#                              core_test (the calibration core on its own)
#   data/hand-people.txt.gz    a made-up population of 1200 (mkstatus.py's format) that the
#                              tests turn into person_support/1 with mkstatus.py and
#                              classify-support; data/hand.spec its margins and sets
#   data/r-hand-weights.csv.gz calibrated weights of every respondent, per method (linear,
#                              also with bounds 0.3 and 8; raking, also with bounds 0.6 and
#                              5; logit with bounds 0.2 and 10), one column per set
#   data/r-hand-failures.txt   calibrations that survey::calibrate refuses on the hand-made
#                              population (method, bounds, set, R's message): the stage
#                              must refuse them too
#   data/r-demo-*              the demo world (synth --seed 2006, default size) through the
#                              chain up to classify-support; data/demo.spec (a copy of the
#                              pipeline's calibration.spec when this ran):
#     r-demo-input.txt         the fingerprint of the columns calibration reads (the test
#                              stops with "rerun make-expected.R" when the world changed)
#     r-demo-weights-M.csv.gz  the weights of every respondent (person_key's first 12 hex
#                              digits, one column per set) for method M (linear,
#                              raking, logit with bounds 0.2 and 12)
#   For phase 2 (tabulate and fit-models with calibrated weights), both worlds:
#     r-*-estimates.csv        svymean and svytotal, estimate and standard error, of every
#                              cell of tables.spec's survey tables: on the design-weighted
#                              sample (design = none: svydesign(ids=~1, strata=~stratum,
#                              weights=~design_weight) over everyone sampled, the cell a
#                              subset() of it, as tabulate does today) and on each
#                              calibrated design (the cell's respondent set calibrated,
#                              the cell a subset() of it)
#                              columns: design (none or the method), table, benefit, period,
#                              population, row, measure (tables.spec's ids), n (people in
#                              the cell), estimate, se (svymean), total, total_se (svytotal
#                              of y: the people with the share's value, or the sum of the
#                              mean's column). The hand-made world has raking and logit
#                              (bounds 0.2 and 10), the demo world all three of its methods.
#     r-*-glm.csv              svyglm coefficients and standard errors of table1's models:
#                              on a domain (subset) of the full design-weighted sample, and
#                              on a domain of the calibrated design (raking: H1 models on
#                              wave 2's set, H2 models on wave 3's); columns: design (none
#                              or raking), model, term, n (complete cases), estimate, se.
#                              Logit as quasibinomial, negbin with theta from MASS::glm.nb
#                              on the same rows and weights, as tests/fit-models does.
# The demo estimates without calibration must equal tabulate's (checked here, 1e-9), so the
# R reading of tables.spec is the pipeline's.
source("calib.R")
options(digits = 17)
root <- normalizePath("../..")
bin <- file.path(root, "bin")
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
wcsv <- function(d, f) {
  d[] <- lapply(d, function(v) if (is.numeric(v)) fmt(v) else v)
  con <- if (grepl("\\.gz$", f)) gzfile(f, "w") else file(f, "w")
  write.csv(d, con, row.names = FALSE, quote = FALSE)
  close(con)
}

# ---- 1. the core on matrices ------------------------------------------------------------

core_case <- function(name, X, d, total, method, bounds) {
  dd <- data.frame(X, d = d)
  des <- svydesign(ids = ~1, weights = ~d, data = dd)
  fo <- as.formula(paste("~0 +", paste(colnames(X), collapse = " + ")))
  cal <- suppressWarnings(calibrate(des, fo, population = setNames(total, colnames(X)),
                                    calfun = method, bounds = bounds))
  g <- weights(cal) / d
  c(sprintf("case %s %s %s %s %d %d", name, method, fmt(bounds[1]), fmt(bounds[2]), nrow(X), ncol(X)),
    paste("total", paste(fmt(total), collapse = " ")),
    sprintf("row %s %s %s", fmt(d), apply(X, 1, function(r) paste(fmt(r), collapse = " ")), fmt(g)),
    "end")
}

set.seed(20)
n <- 40
X1 <- cbind(one = 1, age = round(runif(n, 18, 64)), ww = rbinom(n, 1, 0.5))
d1 <- round(runif(n, 1, 5), 2)
t1 <- colSums(X1 * d1) * c(1.08, 1.12, 0.93)
# two margins of 2 and 3 cells (full dummies: one column dropped, as cells.h does)
a <- sample(1:2, 30, TRUE); b <- sample(1:3, 30, TRUE)
X2 <- cbind(a1 = (a == 1) * 1, a2 = (a == 2) * 1, b1 = (b == 1) * 1, b2 = (b == 2) * 1)
d2 <- round(runif(30, 2, 6), 1)
t2 <- c(70, 50, 45, 35)
# unit weights and totals 30 times the sample's: grake rescales
X3 <- cbind(one = 1, x = (1:25 %% 3 == 0) * 1)
d3 <- rep(1, 25)
t3 <- c(800, 230)
core <- c(
  core_case("numeric", X1, d1, t1, "linear", c(-Inf, Inf)),
  core_case("numeric", X1, d1, t1, "linear", c(0.7, 1.5)),
  core_case("numeric", X1, d1, t1, "raking", c(-Inf, Inf)),
  core_case("numeric", X1, d1, t1, "raking", c(0.7, 1.5)),
  core_case("numeric", X1, d1, t1, "logit", c(0.7, 1.5)),
  core_case("margins", X2, d2, t2, "linear", c(-Inf, Inf)),
  core_case("margins", X2, d2, t2, "raking", c(-Inf, Inf)),
  core_case("margins", X2, d2, t2, "logit", c(0.5, 2)),
  core_case("rescaled", X3, d3, t3, "raking", c(-Inf, Inf)),
  core_case("rescaled", X3, d3, t3, "logit", c(0.6, 1.6)))
writeLines(c("# written by make-expected.R: survey::calibrate's g-weights (see core_test.c)", core),
           "data/core-cases.txt")

# ---- 2. the hand-made population ---------------------------------------------------------

set.seed(2020)
n <- 1200
p <- data.frame(key = sprintf("h%04d", 1:n))
p$benefit <- sample(c("ww", "wwb"), n, TRUE, c(0.6, 0.4))
p$age_class <- sample(c("under_25", "25_34", "35_44", "45_54", "55_plus"), n, TRUE)
p$phase <- sample(1:4, n, TRUE, c(0.35, 0.25, 0.25, 0.15))
p$sex <- sample(c("male", "female"), n, TRUE)
p$origin <- sample(c("native", "western", "non_western"), n, TRUE, c(0.7, 0.1, 0.2))
# on benefit after 3, 6, 12 months: nested; unknown (censored) for some, from a month on
dur <- rexp(n, 1 / 9)
cens <- sample(c(99, 5, 10), n, TRUE, c(0.85, 0.05, 0.1))
ob <- function(k) ifelse(cens < k, "", ifelse(dur > k, "1", "0"))
p$on_benefit_3m <- ob(3); p$on_benefit_6m <- ob(6); p$on_benefit_12m <- ob(12)
p$stratum <- paste(p$benefit, ifelse(p$phase <= 2, "f12", "f34"))
pi <- c("ww f12" = 0.3, "ww f34" = 0.5, "wwb f12" = 0.45, "wwb f34" = 0.6)[p$stratum]
p$in_sample <- rbinom(n, 1, pi)
p$inclusion_prob <- ifelse(p$in_sample == 1, pi, NA)
p$design_weight <- 1 / p$inclusion_prob
lo <- function(x) 1 / (1 + exp(-x))
young <- p$age_class %in% c("under_25", "25_34")
r1 <- p$in_sample == 1 & runif(n) < lo(1.1 - 0.6 * young - 0.5 * (p$origin != "native"))
r2 <- r1 & runif(n) < lo(1.6 - 0.8 * (p$on_benefit_3m == "0"))
r3 <- r2 & runif(n) < lo(1.3 - 0.9 * (p$on_benefit_6m == "0") - 0.4 * young)
# WW handover: CWI date for most, UWV row for many
hw <- p$benefit == "ww"
cwi <- hw & runif(n) < 0.8; uwv <- hw & runif(n) < 0.65
yn <- function(q, k) ifelse(runif(k) < q, "yes", "no")
lines <- c("# written by make-expected.R: a made-up population for calibrate-weights' tests",
           "# (tests/classify-support/mkstatus.py's format; classify-support adds the support)")
for (i in 1:n) {
  f <- c(sprintf("benefit=%s age_class=%s phase=%d large_distance=%d sex=%s origin=%s migrant=%d",
                 p$benefit[i], p$age_class[i], p$phase[i], as.integer(p$phase[i] >= 3), p$sex[i],
                 p$origin[i], as.integer(p$origin[i] != "native")),
         sprintf("on_benefit_3m=%s on_benefit_6m=%s on_benefit_12m=%s in_sample=%d",
                 p$on_benefit_3m[i], p$on_benefit_6m[i], p$on_benefit_12m[i], p$in_sample[i]))
  if (p$in_sample[i] == 1)
    f <- c(f, sprintf("respondent_id=r%04d stratum=%s inclusion_prob=%s design_weight=%s", i,
                      sub(" ", "_", p$stratum[i]), fmt(p$inclusion_prob[i]), fmt(p$design_weight[i])))
  if (cwi[i]) f <- c(f, "cwi_handover_date=2006-03-20")
  if (uwv[i]) f <- c(f, "uwv_rows=1 uwv_received_date=2006-03-25 uwv_phase=1")
  waves <- c(if (r1[i]) "1", if (r2[i]) "2", if (r3[i]) "3")
  if (length(waves)) {
    f <- c(f, paste0("answered=", paste(waves, collapse = ",")))
    for (w in waves)
      f <- c(f, sprintf("w%s_advice_vacancies=%s w%s_programme=%s w%s_training=%s w%s_help_applying=%s w%s_help_own_business=%s %s",
                        w, yn(0.5, 1), w, yn(0.3, 1), w, yn(0.15, 1), w, yn(0.2, 1), w, yn(0.06, 1),
                        if (w == "3") paste0("w3_guidance_work=", yn(0.4, 1)) else sprintf("w%s_contacts_work=%d", w, rpois(1, 0.8))))
    if (r1[i]) f <- c(f, sprintf("w1_obligation=%s h1_poor_health=%d", sample(c("yes", "no", "dont_know"), 1),
                                 rbinom(1, 1, 0.2)))
    if (runif(1) < 0.2) f <- c(f, sprintf("w%s_prob_debt=1 h%d_nonwork_problem=1 w%s_help_problems=%s",
                                          waves[1], if (waves[1] == "3") 2 else 1, waves[1], yn(0.4, 1)))
    if (r2[i]) f <- c(f, sprintf("h1_looking=%d h1_search_hours=%d h1_applications=%d", rbinom(1, 1, 0.7),
                                 rpois(1, 6), rnbinom(1, size = 1.5, mu = 3)))
    if (r3[i]) f <- c(f, sprintf("h2_looking=%d h2_search_hours=%d h2_applications=%d", rbinom(1, 1, 0.6),
                                 rpois(1, 4), rnbinom(1, size = 1.5, mu = 2)))
  }
  lines <- c(lines, paste(p$key[i], f[1]), paste("   ", f[-1]))
}
con <- gzfile("data/hand-people.txt.gz", "w"); writeLines(lines, con); close(con)

# the stream exactly as the tests make it
tmp <- tempfile("cw-"); dir.create(tmp)
st <- system(sprintf(paste("gzip -dc data/hand-people.txt.gz > %1$s/people.txt &&",
  "python3 ../classify-support/mkstatus.py %1$s/people.txt | REC_LEVEL=0 %2$s/classify-support > %1$s/hand.csv"),
  tmp, bin))
stopifnot(st == 0)

# Weights of every set and method; estimates and models for phase 2.
methods <- list(linear = list("linear", c(-Inf, Inf)), linear_bounded = list("linear", c(0.3, 8)),
                raking = list("raking", c(-Inf, Inf)), raking_bounded = list("raking", c(0.6, 5)),
                logit = list("logit", c(0.2, 10)))
# estimates: the full design (none) and each calibrated design
world_estimates <- function(res, tables) {
  d <- res$d
  samp <- d$in_sample == "1"
  full <- svydesign(ids = ~1, strata = ~stratum, weights = ~w,
                    data = transform(d[samp, ], w = as.numeric(design_weight)))
  cells <- survey_cells(tables)
  out <- list(cbind(design = "none", estimate_cells(cells, d[samp, ], full)))
  for (mn in names(res$cal)) {
    for (s in unique(vapply(cells$respondents, panel_set, "", spec = res$spec))) {
      cs <- res$cal[[mn]][[s]]
      sel <- vapply(cells$respondents, panel_set, "", spec = res$spec) == s
      out[[length(out) + 1]] <- cbind(design = mn, estimate_cells(cells[sel, ], d[cs$rows, ], cs$design))
    }
  }
  do.call(rbind, out)
}
world_glm <- function(res, method) {
  d <- res$d
  samp <- d$in_sample == "1"
  full <- svydesign(ids = ~1, strata = ~stratum, weights = ~w,
                    data = transform(d[samp, ], w = as.numeric(design_weight)))
  out <- list()
  for (m in table1_models()) {
    out[[length(out) + 1]] <- cbind(design = "none", fit_model(m, d[samp, ], full, as.numeric(d$design_weight[samp])))
    s <- if (m$half == "h1") "calibrated_weight_w2" else "calibrated_weight_w3"
    cs <- res$cal[[method]][[s]]
    out[[length(out) + 1]] <- cbind(design = method, fit_model(m, d[cs$rows, ], cs$design, cs$w))
  }
  do.call(rbind, out)
}
tables <- file.path(root, "pipelines/eerste-jaar/tables.spec")
hand <- world(file.path(tmp, "hand.csv"), "data/hand.spec", methods, c("raking", "logit"))
# Where survey's Newton iteration fails, the stage must fail too: raking with bounds it
# cannot meet (grake's "Failed to converge: eps=..." names the misfit the stage reports),
# and logit bounds from which the iteration diverges (g not finite: R stops on NA).
fails <- "# written by make-expected.R: method lower upper set | survey::calibrate's message"
for (cfg in list(list("raking", c(0.6, 4.5)), list("logit", c(0.3, 8)))) {
  for (s in names(hand$spec$sets)) {
    m <- in_set(hand$d, hand$spec$sets[[s]])
    msg <- tryCatch({ calibrate_set(hand$d[m, ], hand$cells$X[m, , drop = FALSE], hand$cells, cfg[[1]], cfg[[2]]); "" },
                    warning = function(w) conditionMessage(w), error = function(e) conditionMessage(e))
    if (msg != "") { fails <- c(fails, sprintf("%s %g %g %s | %s", cfg[[1]], cfg[[2]][1], cfg[[2]][2], s, msg)); break }
  }
}
stopifnot(length(fails) == 3)
writeLines(fails, "data/r-hand-failures.txt")
wcsv(wide_weights(hand, names(methods)), "data/r-hand-weights.csv.gz")
wcsv(world_estimates(hand, tables), "data/r-hand-estimates.csv")
wcsv(world_glm(hand, "raking"), "data/r-hand-glm.csv")

# ---- 3. the demo world -------------------------------------------------------------------

wd <- file.path(tmp, "world")
st <- system(sprintf(paste("%1$s/synth --seed 2006 --out %2$s > /dev/null &&",
  "%1$s/ingest --key-file %2$s/pseudonym.key %2$s/cwi_aanvragen.csv %2$s/uwv_overdracht.csv",
  "%2$s/uitkeringen.csv %2$s/steekproef.csv %2$s/golf1.csv %2$s/golf2.csv %2$s/golf3.csv 2>/dev/null |",
  "%1$s/link-waves 2>/dev/null | %1$s/derive-status | REC_LEVEL=0 %1$s/classify-support > %3$s"),
  bin, wd, file.path(tmp, "demo.csv")))
stopifnot(st == 0)
invisible(file.copy(file.path(root, "pipelines/eerste-jaar/calibration.spec"), "data/demo.spec", overwrite = TRUE))
fp <- system(sprintf("python3 fingerprint.py data/demo.spec %s", file.path(tmp, "demo.csv")), intern = TRUE)
demo_methods <- list(linear = list("linear", c(-Inf, Inf)), raking = list("raking", c(-Inf, Inf)),
                     logit = list("logit", c(0.2, 12)))
demo <- world(file.path(tmp, "demo.csv"), "data/demo.spec", demo_methods, names(demo_methods))
writeLines(c("# written by make-expected.R: fingerprint.py of the demo world's calibration input",
             fp), "data/r-demo-input.txt")
for (mn in names(demo_methods))
  wcsv(wide_weights(demo, mn), sprintf("data/r-demo-weights-%s.csv.gz", mn))
est <- world_estimates(demo, tables)
wcsv(est, "data/r-demo-estimates.csv")
wcsv(world_glm(demo, "raking"), "data/r-demo-glm.csv")

# The R reading of tables.spec is tabulate's: the design-weighted cells agree.
tab <- read.csv(pipe(sprintf("REC_LEVEL=0 %s/tabulate --min-n 0 --tables %s %s %s | tail -n +2", bin,
  paste(unique(survey_cells(tables)$table), collapse = ","), tables, file.path(tmp, "demo.csv"))),
  colClasses = "character")
none <- est[est$design == "none", ]
key <- function(x) paste(x$table, x$benefit, x$period, x$population, x$row)
m <- match(key(none), key(tab))
stopifnot(!anyNA(m))
stopifnot(max(abs(as.numeric(tab$estimate[m]) - none$estimate) / pmax(1e-12, abs(none$estimate))) < 1e-9)
se_tab <- (as.numeric(tab$ci_high[m]) - as.numeric(tab$estimate[m])) / qnorm(0.975)
stopifnot(max(abs(se_tab - none$se) / pmax(1e-12, none$se)) < 1e-9)
stopifnot(all(as.numeric(tab$n[m]) == none$n))
unlink(tmp, recursive = TRUE)
cat("wrote data/core-cases.txt, data/hand-people.txt.gz, data/r-hand-*, data/demo.spec, data/r-demo-*\n")
