# survey.R - the expected values of tests/tabulate/survey.t, computed with R's survey package
# (independently of tabulate). Regenerate after changing data/survey.csv or tables.spec:
#
#     cd tests/tabulate/r && Rscript survey.R > expected-survey.csv
#
# The design is the whole sample (in_sample = 1): strata = stratum, each person its own PSU,
# weights = design_weight, no fpc. Every weighted figure is a domain estimate: svymean on
# subset() of that design (subset keeps the full design's strata for the variance), with
# na.rm = TRUE dropping people whose value is missing; the interval is confint() of
# svymean (estimate +- qnorm(0.975) se). Unweighted shares: the Wilson interval
# (prop.test without continuity correction); unweighted means: mean +- qnorm(0.975) sd/sqrt(n).
# Registry tables (handover, handover_distance, counts) are over every person.
# The cells follow pipelines/eerste-jaar/tables.spec (ids = table/1 keys).
suppressWarnings(suppressMessages(library(survey)))
options(digits = 17, survey.lonely.psu = "certainty")   # a one-person stratum adds nothing

d <- read.csv("../data/survey.csv", stringsAsFactors = FALSE, na.strings = "",
              encoding = "UTF-8", fileEncoding = "UTF-8")
samp <- d[d$in_sample == 1, ]
des <- svydesign(ids = ~1, strata = ~stratum, weights = ~design_weight, data = samp)

out <- data.frame()
emit <- function(table, benefit, period, population, row, measure, weighted, est, lo, hi, n) {
	out <<- rbind(out, data.frame(table = table, benefit = benefit, period = period,
		population = population, row = row, measure = measure, weighted = weighted,
		estimate = est, ci_low = lo, ci_high = hi, n = n, stringsAsFactors = FALSE))
}

# y: a function of a data frame giving the value (NA = missing); dom: the domain condition
cell <- function(table, benefit, period, population, row, measure, dom, y, weighted = TRUE) {
	ds <- samp
	ds$.y <- y(ds)
	ds$.dom <- dom(ds) & !is.na(ds$.y)
	ds$.dom[is.na(ds$.dom)] <- FALSE
	n <- sum(ds$.dom)
	if (weighted) {
		dd <- update(des, .y = ds$.y, .dom = ds$.dom)
		s <- subset(dd, .dom)
		m <- svymean(~.y, s, na.rm = TRUE)
		ci <- confint(m)
		emit(table, benefit, period, population, row, measure, 1, coef(m)[[1]], ci[1, 1], ci[1, 2], n)
	}
	unweighted(table, benefit, period, population, row, measure, ds$.y[ds$.dom], n)
}

unweighted <- function(table, benefit, period, population, row, measure, v, n) {
	if (measure == "share") {
		k <- sum(v)
		ci <- suppressWarnings(prop.test(k, n, correct = FALSE))$conf.int
		emit(table, benefit, period, population, row, measure, 0, k / n, ci[1], ci[2], n)
	} else {
		z <- qnorm(0.975)
		se <- sd(v) / sqrt(n)
		emit(table, benefit, period, population, row, measure, 0, mean(v), mean(v) - z * se, mean(v) + z * se, n)
	}
}

is1 <- function(x) !is.na(x) & x == 1
pop <- function(ds, benefit, population)
	ds$benefit == benefit & (if (population == "all") TRUE else is1(ds[[population]]))
col <- function(name) function(ds) ds[[name]]

# coverage, fig3, fig6: first year, on benefit after 6 months, respondents of waves 2 and 3
yr <- function(b) function(ds) pop(ds, b, "on_benefit_6m") & is1(ds$responded_w2) & is1(ds$responded_w3)
for (b in c("ww", "wwb"))
	cell("coverage", b, "year", "on_benefit_6m", "any_support", "share", yr(b), col("year_any_support"))
h1 <- function(b, p) function(ds) pop(ds, b, p) & is1(ds$responded_w2)
h2 <- function(b, p) function(ds) pop(ds, b, p) & is1(ds$responded_w3)
for (fig in list(c("fig1", "ww"), c("fig4", "wwb"))) {
	b <- fig[2]
	cell(fig[1], b, "h1", "on_benefit_3m", "any_support", "share", h1(b, "on_benefit_3m"), col("h1_any_support"))
	cell(fig[1], b, "h2", "on_benefit_6m", "any_support", "share", h2(b, "on_benefit_6m"), col("h2_any_support"))
	cell(fig[1], b, "h2", "on_benefit_12m", "any_support", "share", h2(b, "on_benefit_12m"), col("h2_any_support"))
}
forms <- c(advice = "year_advice", help_applying = "year_help_applying", own_business = "year_own_business",
	   programme = "year_programme", programme_h2 = "year_h2_programme", training = "year_training",
	   problem_help = "year_problem_help", contacts = "year_contacts", any_support = "year_any_support")
for (fig in list(c("fig3", "ww"), c("fig6", "wwb")))
	for (f in names(forms))
		cell(fig[1], fig[2], "year", "on_benefit_6m", f, "share", yr(fig[2]), col(forms[[f]]))

# handover_support: H2 support by handover category, WW respondents of wave 3
for (cat in list(c("none"), c("cwi_only"), c("uwv_only"), c("both"), c("uwv_unknown", "none", "cwi_only"))) {
	cats <- if (length(cat) == 1) cat else cat[-1]
	dom <- function(ds) h2("ww", "on_benefit_6m")(ds) & !is.na(ds$handover_category) & ds$handover_category %in% cats
	cell("handover_support", "ww", "h2", "on_benefit_6m", cat[1], "share", dom, col("h2_any_support"))
}

# hours: mean hours a week (0 for people not looking), H1 and H2
for (b in c("ww", "wwb")) {
	cell("hours", b, "h1", "on_benefit_3m", "all", "mean", h1(b, "on_benefit_3m"), col("h1_search_hours"))
	cell("hours", b, "h2", "on_benefit_6m", "all", "mean", h2(b, "on_benefit_6m"), col("h2_search_hours"))
}

# obligation: WWB, wave-1 respondents
w1 <- function(p) function(ds) pop(ds, "wwb", p) & is1(ds$responded_w1)
noob <- function(ds) ifelse(is.na(ds$w1_obligation), NA, as.numeric(ds$w1_obligation == "no"))
with_ob <- function(p, value) function(ds) w1(p)(ds) & !is.na(ds$w1_obligation) & ds$w1_obligation == value
for (p in c("all", "on_benefit_3m", "on_benefit_6m")) {
	cell("obligation", "wwb", "h1", p, "no_obligation", "share", w1(p), noob)
	cell("obligation", "wwb", "h1", p, "large_distance:no_obligation", "share", with_ob(p, "no"), col("large_distance"))
	cell("obligation", "wwb", "h1", p, "large_distance:obligation", "share", with_ob(p, "yes"), col("large_distance"))
	cell("obligation", "wwb", "h1", p, "poor_health:no_obligation", "share", with_ob(p, "no"), col("h1_poor_health"))
	cell("obligation", "wwb", "h1", p, "poor_health:obligation", "share", with_ob(p, "yes"), col("h1_poor_health"))
	cell("obligation", "wwb", "h1", p, "search_hours:no_obligation", "mean", with_ob(p, "no"), col("h1_search_hours"))
	cell("obligation", "wwb", "h1", p, "search_hours:obligation", "mean", with_ob(p, "yes"), col("h1_search_hours"))
}

# registry tables: every person, unweighted
reg <- function(ds) ds$benefit == "ww" & is1(ds$on_benefit_6m)
for (cat in c("none", "cwi_only", "uwv_only", "both")) {
	r <- d[reg(d) & !is.na(d$handover_category), ]
	unweighted("handover", "ww", "year", "on_benefit_6m", cat, "share", as.numeric(r$handover_category == cat), nrow(r))
}
for (ph in 1:4) {
	r <- d[reg(d) & d$phase == ph & !is.na(d$handover_category), ]
	unweighted("handover_distance", "ww", "year", "on_benefit_6m", paste0("phase_", ph), "share",
		   as.numeric(r$handover_category != "both"), nrow(r))
}
for (b in c("ww", "wwb"))
	for (p in c("all", "on_benefit_3m", "on_benefit_6m", "on_benefit_12m")) {
		db <- d[pop(d, b, p), ]
		for (row in c("persons", "sampled", "responded_w1", "responded_w2", "responded_w3")) {
			k <- if (row == "persons") nrow(db) else sum(is1(db[[if (row == "sampled") "in_sample" else row]]))
			emit("counts", b, "year", p, row, "count", 0, k, NA, NA, k)
		}
	}

write.csv(out, stdout(), row.names = FALSE, na = "")
