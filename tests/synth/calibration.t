#!/usr/bin/env bash
# synth's default world against the report (DOMAIN.md's targets): population figures within
# derived tolerances, the report's signs in the generating models and in descriptive figures,
# and the generating coefficients recovered by fitting the models on the respondents
# (calib_check.py says how the tolerances are derived). 200000 persons, 20000 sampled; the
# parameters were calibrated on 2000000 persons (see filters/synth/params.c).
. "$KETEN_ROOT/tests/lib/tap.sh"
expect_exit 0 "synth writes a world of 200000 persons" synth --persons 200000 --sample 20000 --seed 11 --out w
python3 "$KETEN_ROOT/tests/synth/calib_check.py" w 2000000 200000
done_testing
