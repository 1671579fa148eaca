#!/usr/bin/env bash
# fit-models against R: glm, MASS::glm.nb, sandwich::vcovHC, survey::svyglm and AMEs by hand
# (make-expected.R wrote data/r-*; CI needs no R). Coefficients, every kind of standard
# error, p, intervals, ratios, AMEs within 1e-9 relative; theta within 1e-8; iteration
# counts equal (the IRLS path is R's, step for step).
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/fit-models
export REC_SCHEMA_PATH=$d/schemas
REC_LEVEL=0 fit-models --epsilon 1e-14 -i "$d/data/r-stream.csv" "$d/data/r.spec" >out.csv 2>err
same_line "fit-models exits 0 on the R test models" 0 "$?"
same_line "no diagnostic on stderr for well-posed models" "" "$(cat err)"
python3 "$d/compare.py" out.csv "$d/data/r-expected-coef.csv" "$d/data/r-expected-fit.csv" 1e-9
# the input passes through unchanged, the model sections come last
head -n "$(($(wc -l <"$d/data/r-stream.csv")))" out.csv >passed.csv
same_text "the input section passes through unchanged" "$d/data/r-stream.csv" passed.csv
same_line "appended sections: model_fit/1 then model_coef/1" "#schema fmtest/1 #schema model_fit/1 #schema model_coef/1" \
	"$(grep '^#schema' out.csv | tr '\n' ' ' | sed 's/ $//')"
done_testing
