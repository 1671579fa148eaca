# make-expected.R - the data, spec and expected values of fit-models' agreement test with R.
#
#   cd tests/fit-models && Rscript make-expected.R
#
# Needs R with the MASS, sandwich and survey packages (Debian: r-cran-mass, r-cran-sandwich,
# r-cran-survey).
#
# Writes data/r-stream.csv (a fmtest/1 section, see schemas/), data/r.spec (the models, in
# fit-models' spec format), data/r-expected-coef.csv and data/r-expected-fit.csv. CI has
# no R: these files are committed, and r-agreement.t compares fit-models with them.
#
# Every number comes from R's own functions (glm with glm.control(epsilon = 1e-14),
# MASS::glm.nb, sandwich::vcovHC, survey::svyglm on subset() of the whole sample's design:
# the model's rows as a domain), except what R does not compute: the
# pseudo-log-likelihood of weighted fits, the condition number and the average marginal
# effects with their delta-method standard errors, done here by hand from model.matrix.
suppressPackageStartupMessages({ library(MASS); library(sandwich); library(survey) })
options(digits = 17)
ctl <- glm.control(epsilon = 1e-14, maxit = 50)

set.seed(20240607)
n <- 600
d <- data.frame(id = 1:n)
d$grp <- sample(c("p", "q"), n, TRUE, c(0.6, 0.4))
d$x1 <- round(rnorm(n, 40, 10), 2)
d$x2 <- round(runif(n, -1, 1), 3)
d$f <- sample(c("a", "b", "c", "d"), n, TRUE, c(0.3, 0.3, 0.25, 0.15))
d$b <- rbinom(n, 1, 0.4)
d$t <- sample(c("k10", "k2", "k3"), n, TRUE)
d$stratum <- sample(paste0("s", 1:5), n, TRUE)
d$w <- round(c(s1 = 1, s2 = 2.5, s3 = 4, s4 = 1.5, s5 = 3)[d$stratum] * runif(n, 0.8, 1.2), 3)
fe <- c(a = 0, b = 0.4, c = -0.5, d = 0.8)[d$f]
eta <- -2 + 0.04 * d$x1 + 0.7 * d$x2 + fe + 0.5 * d$b
d$yb <- rbinom(n, 1, plogis(eta))
d$yl <- round(3 + 0.1 * d$x1 - 1.5 * d$b + 2 * fe + rnorm(n, 0, 2), 3)
mu <- exp(-0.5 + 0.03 * d$x1 + fe - 0.3 * d$b)
d$yc <- rnbinom(n, size = 1.7, mu = mu)
# some missing values, to exercise complete cases
d$x2[sample(n, 15)] <- NA
d$yb[sample(n, 12)] <- NA
d$f[sample(n, 6)] <- NA
d$w[sample(n, 4)] <- NA

cols <- c("id", "grp", "yb", "yc", "yl", "x1", "x2", "f", "b", "t", "w", "stratum")
out <- d[, cols]
fmt <- function(v) ifelse(is.na(v), "", as.character(v))
lines <- c("#schema fmtest/1", paste(cols, collapse = ","),
           do.call(paste, c(lapply(out, fmt), sep = ",")))
writeLines(lines, "data/r-stream.csv")
# fit on the values exactly as fit-models reads them
d <- read.csv("data/r-stream.csv", skip = 1, stringsAsFactors = FALSE, na.strings = "")

# The models: name, family, outcome, terms (spec lines and R formula), population,
# weights, variance, contrasts.
M <- list(
 list(name = "lg_model", family = "logit", y = "yb", terms = c("x1", "x2", "f ref b", "b"),
      rhs = "x1 + x2 + f + b", fref = "b", pop = "all", w = FALSE, var = "model"),
 list(name = "lg_hc0", family = "logit", y = "yb", terms = c("x1", "x2", "f ref b", "b"),
      rhs = "x1 + x2 + f + b", fref = "b", pop = "grp == p", w = FALSE, var = "hc0"),
 list(name = "lg_hc1_w", family = "logit", y = "yb", terms = c("x1", "x2", "f", "b"),
      rhs = "x1 + x2 + f + b", fref = "a", pop = "grp == q or x1 > 45", w = TRUE, var = "hc1"),
 list(name = "lg_design_w", family = "logit", y = "yb", terms = c("x1", "x2", "f ref b", "b"),
      rhs = "x1 + x2 + f + b", fref = "b", pop = "all", w = TRUE, var = "design"),
 list(name = "lg_design_u", family = "logit", y = "yb", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "grp == p", w = FALSE, var = "design"),
 list(name = "lg_w_model", family = "logit", y = "yb", terms = c("x1", "x2", "f ref b", "b"),
      rhs = "x1 + x2 + f + b", fref = "b", pop = "all", w = TRUE, var = "model"),
 list(name = "lg_int", family = "logit", y = "yb", terms = c("x1", "b", "x1:b", "t"),
      rhs = "x1 + b + x1:b + t", fref = NA, pop = "all", w = FALSE, var = "model"),
 list(name = "lin_model", family = "linear", y = "yl", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "all", w = FALSE, var = "model",
      contrasts = list(c1 = c(b = 1, "f:c" = 1), c2 = c(x1 = 10, "f:d" = -1))),
 list(name = "lin_hc1", family = "linear", y = "yl", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "grp == q", w = FALSE, var = "hc1"),
 list(name = "lin_hc0_w", family = "linear", y = "yl", terms = c("x1", "f", "b", "f:b"),
      rhs = "x1 + f + b + f:b", fref = "a", pop = "all", w = TRUE, var = "hc0"),
 list(name = "lin_design", family = "linear", y = "yl", terms = c("x1", "f ref c", "b"),
      rhs = "x1 + f + b", fref = "c", pop = "all", w = TRUE, var = "design",
      contrasts = list(c1 = c(b = 1, "f:a" = -1))),
 list(name = "lin_design_nostrata", family = "linear", y = "yl", terms = c("x1", "b"),
      rhs = "x1 + b", fref = NA, pop = "grp == p", w = TRUE, var = "design", strata = FALSE),
 list(name = "po_model", family = "poisson", y = "yc", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "all", w = FALSE, var = "model"),
 list(name = "po_hc0_w", family = "poisson", y = "yc", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "all", w = TRUE, var = "hc0"),
 list(name = "nb_model", family = "negbin", y = "yc", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "all", w = FALSE, var = "model"),
 list(name = "nb_hc1_w", family = "negbin", y = "yc", terms = c("x1", "f ref d", "b"),
      rhs = "x1 + f + b", fref = "d", pop = "grp == p", w = TRUE, var = "hc1"),
 list(name = "nb_design_w", family = "negbin", y = "yc", terms = c("x1", "f", "b"),
      rhs = "x1 + f + b", fref = "a", pop = "all", w = TRUE, var = "design")
)

# the spec file
spec <- c("# generated by make-expected.R: the models of the agreement test with R", "")
for (m in M) {
  spec <- c(spec, paste("model", m$name), paste("  family", m$family),
            paste("  outcome", m$y), paste("  population", m$pop),
            paste("  weights", if (m$w) "design w" else "none"),
            paste("  variance", m$var,
                  if (m$var == "design") (if (isFALSE(m$strata)) "strata none" else "strata stratum") else ""),
            paste("  term", m$terms))
  if (!is.null(m$contrasts))
    for (cn in names(m$contrasts)) {
      cf <- m$contrasts[[cn]]
      spec <- c(spec, paste0("  contrast ", cn, " = ",
                             paste(paste0(cf, "*", names(cf)), collapse = " + ")))
    }
  spec <- c(spec, "")
}
writeLines(sub(" +$", "", spec), "data/r.spec")

popmask <- function(m, d) {
  e <- gsub("==", "==", m$pop)
  e <- gsub("\\bp\\b", "'p'", gsub("\\bq\\b", "'q'", e))
  e <- gsub(" or ", " | ", e)
  if (e == "all") rep(TRUE, nrow(d)) else with(d, eval(parse(text = e)))
}

# R's coefficient names -> fit-models' (f levels: COLUMN:LEVEL)
tname <- function(s) {
  s <- gsub("^f([a-d])", "f:\\1", s)
  s <- gsub(":f([a-d])", ":f:\\1", s)
  s <- gsub("^t(k[0-9]+)", "t:\\1", s)
  s <- gsub(":t(k[0-9]+)", ":t:\\1", s)
  s
}

coefrows <- list(); fitrows <- list()
for (m in M) {
  pm <- popmask(m, d) & !is.na(popmask(m, d))
  need <- unique(c(m$y, all.vars(as.formula(paste("~", m$rhs))), if (m$w) "w",
                   if (m$var == "design" && !isFALSE(m$strata)) "stratum"))
  dd <- d[pm, ]
  dd <- dd[complete.cases(dd[, need]), ]
  dd$f <- factor(dd$f, levels = c("a", "b", "c", "d"))
  if (!is.na(m$fref)) dd$f <- relevel(dd$f, ref = m$fref)
  dd$t <- factor(dd$t, levels = sort(unique(d$t), method = "radix"))
  dd$wn <- if (m$w) dd$w / mean(dd$w) else rep(1, nrow(dd))
  fo <- as.formula(paste(m$y, "~", m$rhs))
  fam <- switch(m$family, logit = binomial(), linear = gaussian(), poisson = poisson())
  if (m$family == "negbin") {
    fit <- glm.nb(fo, data = dd, weights = wn, control = ctl)
    theta <- fit$theta; theta_se <- fit$SE.theta
  } else {
    fit <- suppressWarnings(glm(fo, family = fam, data = dd, weights = wn, control = ctl))
    theta <- NA; theta_se <- NA
  }
  b <- coef(fit)
  X <- model.matrix(fit)
  dfres <- fit$df.residual
  if (m$var == "model") V <- vcov(fit)
  if (m$var == "hc0") V <- vcovHC(fit, type = "HC0")
  if (m$var == "hc1") V <- vcovHC(fit, type = "HC1")
  if (m$var == "design") {
    # the model's rows are a domain of the whole sample: every row with the weight (and the
    # stratum) present, as fit-models --help says; svyglm on subset() of that design
    full <- d[if (m$w) !is.na(d$w) else rep(TRUE, nrow(d)), ]
    full$dom_ <- rownames(full) %in% rownames(dd)
    full$f <- factor(full$f, levels = c("a", "b", "c", "d"))
    if (!is.na(m$fref)) full$f <- relevel(full$f, ref = m$fref)
    full$t <- factor(full$t, levels = levels(dd$t))
    des <- if (isFALSE(m$strata)) svydesign(ids = ~1, weights = ~w, data = full)
           else if (m$w) svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = full)
           else suppressWarnings(svydesign(ids = ~1, strata = ~stratum, data = full))
    des <- subset(des, dom_)
    sfam <- switch(m$family, logit = quasibinomial(), linear = gaussian(), poisson = quasipoisson(),
                   negbin = negative.binomial(theta))
    sfit <- svyglm(fo, design = des, family = sfam, start = b, control = ctl)
    stopifnot(max(abs(coef(sfit) - b) / pmax(1, abs(b))) < 1e-10)
    V <- vcov(sfit)
    dfres <- sfit$df.residual
  }
  se <- sqrt(diag(V))
  use_t <- m$family == "linear" || m$var == "design"
  st <- b / se
  p <- if (use_t) 2 * pt(-abs(st), dfres) else 2 * pnorm(-abs(st))
  q <- if (use_t) qt(0.975, dfres) else qnorm(0.975)
  lo <- b - q * se; hi <- b + q * se
  # AMEs by hand: discrete changes for b (bool) and f levels, derivative for x1, x2
  linv <- fit$family$linkinv; me <- fit$family$mu.eta
  me2 <- switch(m$family, logit = function(e) { u <- plogis(e); u * (1 - u) * (1 - 2 * u) },
                linear = function(e) 0 * e, function(e) exp(e))
  wn <- dd$wn
  ame <- rep(NA, length(b)); ame_se <- rep(NA, length(b)); names(ame) <- names(b); names(ame_se) <- names(b)
  mm <- function(nd) model.matrix(delete.response(terms(fit)), nd, xlev = fit$xlevels)
  for (v in c("x1", "x2", "b", "f", "t")) {
    if (!(v %in% all.vars(fo))) next
    if (v %in% c("x1", "x2")) {
      X0 <- mm(dd); nd <- dd; nd[[v]] <- nd[[v]] + 1; dX <- mm(nd) - X0
      e <- drop(X0 %*% b); de <- drop(dX %*% b)
      a <- sum(wn * me(e) * de) / sum(wn)
      g <- colSums(wn * (me2(e) * de * X0 + me(e) * dX)) / sum(wn)
      ame[v] <- a; ame_se[v] <- sqrt(drop(t(g) %*% V %*% g))
    } else {
      levs <- if (v == "b") 1 else levels(dd[[v]])[-1]
      for (L in levs) {
        n1 <- dd; n0 <- dd
        if (v == "b") { n1$b <- 1; n0$b <- 0 } else {
          n1[[v]] <- factor(L, levels = levels(dd[[v]])); n0[[v]] <- factor(levels(dd[[v]])[1], levels = levels(dd[[v]])) }
        X1 <- mm(n1); X0 <- mm(n0); e1 <- drop(X1 %*% b); e0 <- drop(X0 %*% b)
        a <- sum(wn * (linv(e1) - linv(e0))) / sum(wn)
        g <- colSums(wn * (me(e1) * X1 - me(e0) * X0)) / sum(wn)
        nm <- if (v == "b") "b" else paste0(v, L)
        ame[nm] <- a; ame_se[nm] <- sqrt(drop(t(g) %*% V %*% g))
      }
    }
  }
  isratio <- m$family != "linear"
  cr <- data.frame(model = m$name, term = tname(names(b)), estimate = b, se = se, statistic = st,
                   p = p, ci_low = lo, ci_high = hi,
                   ratio = if (isratio) exp(b) else NA, ratio_ci_low = if (isratio) exp(lo) else NA,
                   ratio_ci_high = if (isratio) exp(hi) else NA, ame = ame, ame_se = ame_se)
  if (!is.null(m$contrasts))
    for (cn in names(m$contrasts)) {
      cf <- m$contrasts[[cn]]
      L <- setNames(rep(0, length(b)), tname(names(b)))
      L[names(cf)] <- cf
      est <- sum(L * b); cse <- sqrt(drop(t(L) %*% V %*% L))
      cst <- est / cse
      cp <- if (use_t) 2 * pt(-abs(cst), dfres) else 2 * pnorm(-abs(cst))
      cr <- rbind(cr, data.frame(model = m$name, term = paste0("contrast:", cn), estimate = est,
                                 se = cse, statistic = cst, p = cp, ci_low = est - q * cse,
                                 ci_high = est + q * cse, ratio = NA, ratio_ci_low = NA,
                                 ratio_ci_high = NA, ame = est, ame_se = cse))
    }
  coefrows[[m$name]] <- cr
  mu <- fitted(fit); y <- dd[[m$y]]
  ll <- switch(m$family,
    logit = sum(wn * ifelse(y == 1, log(mu), log(1 - mu))),
    poisson = sum(wn * dpois(y, mu, log = TRUE)),
    negbin = fit$twologlik / 2,
    linear = -0.5 * sum(wn) * (log(2 * pi * deviance(fit) / sum(wn)) + 1))
  k <- fit$rank + (m$family %in% c("linear", "negbin"))
  Xw <- sqrt(fit$weights) * X
  Xw <- sweep(Xw, 2, sqrt(colSums(Xw^2)), "/")
  sv <- svd(Xw)$d
  fitrows[[m$name]] <- data.frame(model = m$name, n = nrow(dd), weighted_n = if (m$w) sum(dd$w) else nrow(dd),
    df_residual = dfres, deviance = deviance(fit), null_deviance = fit$null.deviance,
    loglik = ll, aic = -2 * ll + 2 * k, pseudo_r2 = 1 - deviance(fit) / fit$null.deviance,
    theta = theta, theta_se = theta_se, iterations = fit$iter, converged = as.integer(fit$converged),
    condition_number = max(sv) / min(sv))
}
wr <- function(x, f) write.csv(format(x, digits = 17), f, row.names = FALSE, quote = FALSE, na = "")
co <- do.call(rbind, coefrows); co[] <- lapply(co, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
co[co == "NA"] <- ""
write.csv(co, "data/r-expected-coef.csv", row.names = FALSE, quote = FALSE)
fi <- do.call(rbind, fitrows); fi[] <- lapply(fi, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
fi[fi == "NA"] <- ""
write.csv(fi, "data/r-expected-fit.csv", row.names = FALSE, quote = FALSE)
cat("wrote data/r-stream.csv, data/r.spec, data/r-expected-coef.csv, data/r-expected-fit.csv\n")
