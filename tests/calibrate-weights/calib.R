# calib.R - R helpers of calibrate-weights' agreement test and synth measurement (source it).
#
# Written from the documentation, not from the C code: the cells and columns as
# filters/calibrate-weights/cells.h and calibrate-weights --help describe them, the
# calibration by survey::calibrate itself, and the survey cells of tables.spec as its own
# header (and tabulate --help) define them. make-expected.R checks the table cells against
# tabulate's output, so the two readings of tables.spec cannot drift apart unnoticed.
suppressPackageStartupMessages({ library(survey); library(MASS) })
options(survey.lonely.psu = "certainty")   # tabulate's rule for a stratum of one

# ---- streams and schemas -----------------------------------------------------------------

# The fields of a schema (name, type), extends resolved.
schema_fields <- function(root, id) {
  f <- file.path(root, "schemas", paste0(sub("/", "-", id), ".schema"))
  out <- data.frame(name = character(0), type = character(0))
  for (l in readLines(f)) {
    w <- strsplit(trimws(l), "[ \t]+")[[1]]
    if (!length(w) || startsWith(w[1], "#") || w[1] == "schema") next
    if (w[1] == "extends") { out <- rbind(out, schema_fields(root, w[2])); next }
    out <- rbind(out, data.frame(name = w[1], type = w[2]))
  }
  out
}

# One person section of a stream (gzip or plain) as a data frame of strings ("" = missing);
# only the columns in `keep` (all when NULL).
read_people <- function(path, keep = NULL) {
  hdr <- strsplit(system(paste("gzip -dcf", shQuote(path), "| sed -n 2p"), intern = TRUE), ",")[[1]]
  cls <- rep("character", length(hdr))
  if (!is.null(keep)) cls[!(hdr %in% keep)] <- "NULL"
  read.csv(pipe(paste("gzip -dcf", shQuote(path), "| tail -n +2")), colClasses = cls,
           na.strings = character(0), check.names = FALSE)
}

# ---- the calibration spec and the cells (cells.h) ---------------------------------------

read_cal_spec <- function(path) {
  s <- list(margins = list(), sets = list(), method = NA, bounds = c(-Inf, Inf), weight = NA)
  for (l in readLines(path)) {
    l <- sub("(^|[ \t])#.*$", "", l)
    w <- strsplit(trimws(l), "[ \t]+")[[1]]
    if (!length(w) || w[1] == "") next
    if (w[1] == "method") s$method <- w[2]
    if (w[1] == "bounds") s$bounds <- as.numeric(w[2:3])
    if (w[1] == "weight") s$weight <- w[2]
    if (w[1] == "margin") s$margins[[length(s$margins) + 1]] <- w[-1]
    if (w[1] == "set") s$sets[[w[2]]] <- setdiff(strsplit(paste(w[-(1:2)], collapse = ""), "&")[[1]], "")
  }
  s
}

# Rank of each value in its column's canonical order: enum as the schema declares it,
# bool and int by value, text by bytes, missing last.
value_rank <- function(v, type) {
  r <- if (startsWith(type, "enum(")) {
    match(v, strsplit(sub("^enum\\((.*)\\)$", "\\1", type), ",")[[1]])
  } else if (type == "bool" || startsWith(type, "int")) {
    suppressWarnings(as.numeric(v))
  } else {
    match(v, sort(unique(v[v != ""]), method = "radix"))
  }
  r[v == ""] <- Inf
  r
}

# Every margin's cells over the population `pop`, in cells.h's order, and the columns:
# list(X = persons x cells indicators, kept = column indexes, label = per cell).
margin_cells <- function(pop, spec, fields) {
  X <- NULL; label <- character(0)
  for (vars in spec$margins) {
    ranks <- lapply(vars, function(v) value_rank(pop[[v]], fields$type[fields$name == v]))
    key <- do.call(paste, c(ranks, sep = "\r"))
    first <- !duplicated(key)
    o <- do.call(order, lapply(ranks, function(r) r[first]))
    cells <- key[first][o]
    desc <- vapply(which(first)[o], function(i) paste(vapply(vars, function(v)
      if (pop[[v]][i] == "") paste(v, "missing") else paste0(v, "=", pop[[v]][i]), ""), collapse = ", "), "")
    X <- cbind(X, outer(key, cells, "==") * 1)
    label <- c(label, paste(paste(vars, collapse = "*"), desc, sep = ": "))
  }
  q <- qr(X, tol = 1e-7)          # R's dqrdc2: a dependent column moves to the end
  kept <- q$pivot[seq_len(q$rank)]
  stopifnot(!is.unsorted(kept))   # the others keep their order
  colnames(X) <- sprintf("c%03d", seq_len(ncol(X)))
  list(X = X, kept = kept, label = label, totals = colSums(X[, kept, drop = FALSE]))
}

# The people of a set: every atom (a bool column) = 1.
in_set <- function(d, atoms) Reduce(`&`, lapply(atoms, function(a) d[[a]] == "1"))

# survey::calibrate on the set's respondents: the calibrated design (strata as tabulate
# uses them) and its weights.
calibrate_set <- function(resp, Xr, cells, method, bounds, epsilon = 1e-7, maxit = 50) {
  cols <- colnames(cells$X)[cells$kept]
  dd <- data.frame(resp, Xr[, cells$kept, drop = FALSE], check.names = FALSE)
  dd$w <- as.numeric(dd$design_weight)
  des <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = dd)
  fo <- as.formula(paste("~0 +", paste(cols, collapse = " + ")))
  tot <- setNames(cells$totals, cols)
  cal <- calibrate(des, fo, population = tot, calfun = method, bounds = bounds,
                   epsilon = epsilon, maxit = maxit)
  list(design = cal, w = weights(cal))
}

# A world: the stream at path calibrated under the spec by every method (name = list(calfun,
# bounds)); for the methods in estimates_for the calibrated designs are kept too.
world <- function(path, spec, methods, estimates_for, root = normalizePath("../..")) {
  fields <- schema_fields(root, "person_support/1")
  d <- read_people(path)
  spec <- read_cal_spec(spec)
  cells <- margin_cells(d, spec, fields)
  res <- list(weights = list(), cal = list(), d = d, spec = spec, cells = cells)
  for (mn in names(methods)) {
    w <- data.frame(person_key = d$person_key)
    for (s in names(spec$sets)) {
      m <- in_set(d, spec$sets[[s]])
      cs <- calibrate_set(d[m, ], cells$X[m, , drop = FALSE], cells, methods[[mn]][[1]], methods[[mn]][[2]])
      w[[s]] <- NA
      w[[s]][m] <- cs$w
      if (mn %in% estimates_for) res$cal[[mn]][[s]] <- list(design = cs$design, rows = which(m), w = cs$w)
    }
    res$weights[[mn]] <- w[rowSums(!is.na(w[, -1, drop = FALSE])) > 0, ]
  }
  res
}

# Weights of every respondent: one row per method and person (person_key's first 12 hex
# digits, unique in both worlds), one column per set, 15 significant digits (the tests
# compare to 1e-10); empty outside a set.
wide_weights <- function(res, methods) {
  out <- list()
  for (mn in methods) {
    w <- res$weights[[mn]]
    w$person_key <- substr(w$person_key, 1, 12)
    stopifnot(!anyDuplicated(w$person_key))
    w[-1] <- lapply(w[-1], function(v) ifelse(is.na(v), "", sprintf("%.15g", v)))
    out[[mn]] <- cbind(method = mn, w)
  }
  do.call(rbind, out)
}

# ---- tables.spec: the survey cells ------------------------------------------------------

# A condition "a & b=x|y & c!=z" as a list of atoms.
parse_cond <- function(text) {
  if (is.null(text) || trimws(text) == "") return(list())
  lapply(strsplit(text, "&")[[1]], function(a) {
    a <- trimws(a)
    if (grepl("!=", a, fixed = TRUE)) { p <- strsplit(a, "!=", fixed = TRUE)[[1]]; list(col = p[1], vals = strsplit(p[2], "\\|")[[1]], neg = TRUE) }
    else if (grepl("=", a, fixed = TRUE)) { p <- strsplit(a, "=", fixed = TRUE)[[1]]; list(col = p[1], vals = strsplit(p[2], "\\|")[[1]], neg = FALSE) }
    else list(col = a, vals = "1", neg = FALSE)
  })
}

# a missing value fails every atom
eval_cond <- function(d, atoms) {
  ok <- rep(TRUE, nrow(d))
  for (a in atoms) {
    v <- d[[a$col]]
    hit <- v %in% a$vals
    ok <- ok & v != "" & (if (a$neg) !hit else hit)
  }
  ok
}

# The cells of the people tables with `weights design`, one row each.
survey_cells <- function(path) {
  out <- list(); tab <- NULL
  for (l in readLines(path)) {
    l <- sub("^[ \t]*#.*$", "", l)
    w <- strsplit(trimws(l), "[ \t]+")[[1]]
    if (!length(w) || w[1] == "") next
    if (w[1] == "table") tab <- list(id = w[2], weighted = FALSE, benefits = character(0), kind = "people")
    else if (w[1] == "kind") tab$kind <- w[2]
    else if (w[1] == "benefit") tab$benefits <- w[-1]
    else if (w[1] == "weights") tab$weighted <- w[2] == "design"
    else if (w[1] == "panel") { tab$period <- w[2]; tab$pop <- w[3]; tab$resp <- paste(w[-(1:3)], collapse = " ") }
    else if (w[1] == "row" && tab$weighted && tab$kind == "people") {
      rest <- paste(w[-(1:3)], collapse = " ")
      where <- if (grepl(" where ", paste0(" ", rest, " "))) sub("^.*\\bwhere ", "", rest) else ""
      what <- trimws(sub("\\bwhere .*$", "", rest))
      for (b in tab$benefits)
        out[[length(out) + 1]] <- data.frame(table = tab$id, benefit = b, period = tab$period,
          population = tab$pop, row = w[2], measure = w[3], what = what, where = where,
          respondents = tab$resp)
    }
  }
  do.call(rbind, out)
}

# The respondent set a panel's respondent condition names (calibration.spec's sets).
panel_set <- function(resp, spec) {
  atoms <- trimws(strsplit(resp, "&")[[1]])
  for (s in names(spec$sets)) if (setequal(spec$sets[[s]], atoms)) return(s)
  NA
}

# y and the domain of one cell over the data frame d.
cell_y <- function(d, cell) {
  dom <- d$benefit == cell$benefit & eval_cond(d, parse_cond(cell$respondents)) &
         eval_cond(d, parse_cond(cell$where))
  if (cell$population != "all") dom <- dom & d[[cell$population]] == "1"
  if (cell$measure == "share") {
    a <- parse_cond(cell$what)[[1]]
    v <- d[[a$col]]
    y <- ifelse(v == "", NA, as.numeric(if (a$neg) !(v %in% a$vals) else v %in% a$vals))
  } else {
    y <- suppressWarnings(as.numeric(d[[cell$what]]))
  }
  list(y = y, domain = dom & !is.na(y))
}

# svymean and svytotal of every cell on a design over d (rows of d = rows of the design).
estimate_cells <- function(cells, d, design) {
  rows <- list()
  for (i in seq_len(nrow(cells))) {
    cy <- cell_y(d, cells[i, ])
    if (!any(cy$domain)) {       # nobody in the cell: nothing to estimate
      rows[[i]] <- data.frame(cells[i, c("table", "benefit", "period", "population", "row", "measure")],
        n = 0, estimate = NA, se = NA, total = NA, total_se = NA)
      next
    }
    des <- update(design, y_ = ifelse(is.na(cy$y), 0, cy$y), dom_ = cy$domain)
    sub <- subset(des, dom_)
    m <- svymean(~y_, sub); t <- svytotal(~y_, sub)
    rows[[i]] <- data.frame(cells[i, c("table", "benefit", "period", "population", "row", "measure")],
      n = sum(cy$domain), estimate = coef(m)[[1]], se = SE(m)[[1]],
      total = coef(t)[[1]], total_se = SE(t)[[1]])
  }
  do.call(rbind, rows)
}

# ---- the design-weighted models of models.spec (table1) ---------------------------------

table1_models <- function() {
  m <- list()
  for (b in c("ww", "wwb")) for (h in c("h1", "h2")) for (o in c("looking", "hours", "applications")) {
    m[[length(m) + 1]] <- list(
      name = sprintf("table1_%s_%s_%s", o, h, b), benefit = b, half = h,
      family = c(looking = "logit", hours = "linear", applications = "negbin")[[o]],
      y = sprintf("%s_%s", h, c(looking = "looking", hours = "search_hours", applications = "applications")[[o]]),
      terms = paste0(h, "_", c("advice", "help_applying", "own_business", "programme", "training", "contacts")),
      pop = if (h == "h1") "on_benefit_3m" else "on_benefit_6m",
      resp = if (h == "h1") "responded_w2" else "responded_w3")
  }
  m
}

# svyglm of a model on subset(design, domain): the domain is the model's population; d are
# the design's rows. Negative binomial as fit-models' make-expected.R does it: theta from
# MASS::glm.nb with the weights scaled to mean 1, then svyglm with that family.
# (svyglm evaluates its control argument in the global environment)
glm_ctl <- glm.control(epsilon = 1e-14, maxit = 50)
fit_model <- function(m, d, design, w) {
  num <- function(v) suppressWarnings(as.numeric(v))
  dom <- d$benefit == m$benefit & d[[m$pop]] == "1" & d[[m$resp]] == "1"
  vals <- lapply(c(m$y, m$terms), function(v) num(d[[v]]))
  names(vals) <- c(m$y, m$terms)
  cc <- dom & Reduce(`&`, lapply(vals, function(v) !is.na(v)))
  vals <- lapply(vals, function(v) ifelse(is.na(v), 0, v))
  des <- do.call(update, c(list(design), vals, list(dom_ = cc)))
  fo <- as.formula(paste(m$y, "~", paste(m$terms, collapse = " + ")))
  dd <- as.data.frame(vals)[cc, ]
  wn <- w[cc] / mean(w[cc])
  if (m$family == "negbin") {
    nb <- glm.nb(fo, data = dd, weights = wn, control = glm_ctl)
    fam <- negative.binomial(nb$theta); start <- coef(nb)
  } else {
    fam <- if (m$family == "logit") quasibinomial() else gaussian()
    start <- coef(suppressWarnings(glm(fo, family = fam, data = dd, weights = wn, control = glm_ctl)))
  }
  # svyglm's summary.glm notes the zero weights outside the domain: expected, not a problem
  fit <- withCallingHandlers(
    svyglm(fo, design = subset(des, dom_), family = fam, start = start, control = glm_ctl),
    warning = function(w) if (grepl("zero weight", conditionMessage(w))) invokeRestart("muffleWarning"))
  data.frame(model = m$name, term = names(coef(fit)), n = sum(cc), estimate = unname(coef(fit)),
             se = unname(SE(fit)))
}
