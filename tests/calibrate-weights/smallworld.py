"""smallworld.py - the textbook formulas the small-world tests check against (imported by
tests/fit-models/calibrated.t and tests/calibrate-weights/tabulate.t; lib.sh's small_world
makes the world). Written from survey's svyrecvar, not from the C code:
  variance(sample, u): V = sum_h n_h / (n_h - 1) sum_h (u - ubar_h)^2 over the sample's
    strata (sample[i]: person i's stratum, None outside the sample; u: index -> value, 0
    for the others of the sample); a stratum of one adds nothing;
  World(path): the people of a person_calibrated/1 stream, the domain (the men who answered
    wave 2), y (h1_search_hours), d (design weights), w (the wave-2 set post-stratified on
    benefit: d times N_benefit / sum of d over the set's benefit cell);
  World.residuals(u): after calibrate(), e_i = u_i - w_i B_c(i) over the set, B_c the
    d-weighted mean of u / w over benefit cell c."""
import csv


def sections(path):
    out, sec, hdr = {}, None, None
    for row in csv.reader(open(path)):
        if row[0].startswith("#schema"):
            sec, hdr = row[0].split()[1], None
            out[sec] = []
        elif hdr is None:
            hdr = row
        else:
            out[sec].append(dict(zip(hdr, row)))
    return out


def ok(c, what, detail=""):
    print(("ok - " if c else "not ok - ") + what)
    if not c and detail:
        print("#   " + detail)


def variance(sample, u):
    V, by = 0.0, {}
    for i, h in enumerate(sample):
        if h is not None:
            by.setdefault(h, []).append(u.get(i, 0.0))
    for vals in by.values():
        n = len(vals)
        if n < 2:
            continue
        m = sum(vals) / n
        V += n / (n - 1) * sum((v - m) ** 2 for v in vals)
    return V


class World:
    def __init__(self, path):
        people = self.people = sections(path)["person_calibrated/1"]
        self.dom = [p["sex"] == "male" and p["responded_w2"] == "1" for p in people]
        self.y = [float(p["h1_search_hours"] or "nan") for p in people]
        d = self.d = [float(p["design_weight"]) if p["design_weight"] else None for p in people]
        N = self.N = {b: sum(p["benefit"] == b for p in people) for b in ("ww", "wwb")}
        D = {b: sum(d[i] for i, p in enumerate(people) if p["responded_w2"] == "1" and p["benefit"] == b) for b in N}
        self.w = [d[i] * N[p["benefit"]] / D[p["benefit"]] if p["responded_w2"] == "1" else None
                  for i, p in enumerate(people)]
        self.design_sample = [p["stratum"] if d[i] else None for i, p in enumerate(people)]
        self.set_sample = [p["stratum"] if self.w[i] is not None else None for i, p in enumerate(people)]

    def residuals(self, u):
        people, d, w, B = self.people, self.d, self.w, {}
        for b in self.N:
            members = [i for i, p in enumerate(people) if w[i] is not None and p["benefit"] == b]
            B[b] = sum(d[i] * u.get(i, 0.0) / w[i] for i in members) / sum(d[i] for i in members)
        return {i: u.get(i, 0.0) - w[i] * B[p["benefit"]] for i, p in enumerate(people) if w[i] is not None}
