"""Distributions and hazards of sweeps: statistics of a few thousand draws against exact values.

Tolerances are 4 standard errors of the estimate (a correct sampler fails about once
in 15,000 runs of a test; the seeds are fixed, so the outcome is reproducible).
"""
import datetime
import math

import numpy as np
import pytest
from pydantic import TypeAdapter

from a6sim.experiments.distributions import Distribution, quantile
from a6sim.experiments.hazards import Hazard, draw_hazard, hazard_events
from a6sim.experiments.sampling import draw_streams, unit_design

N = 4000
DIST = TypeAdapter(Distribution)
HAZARD = TypeAdapter(Hazard)


def _random_u(n=N, seed=1):
    return np.random.default_rng(seed).random(n)


def _check_moments(x, mean, var):
    x = np.asarray(x, dtype=float)
    n = len(x)
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / n), (x.mean(), mean)
    # the sample variance's standard error: sqrt((mu4 - var^2) / n), mu4 estimated from the draws
    mu4 = ((x - x.mean()) ** 4).mean()
    assert abs(x.var(ddof=1) - var) < 4 * math.sqrt((mu4 - var ** 2) / n), (x.var(ddof=1), var)


def test_normal():
    d = DIST.validate_python({"dist": "normal", "mean": 10, "sd": 3})
    _check_moments(quantile(d, _random_u()), 10, 9)


def test_lognormal():
    # E = exp(mu + s^2/2) = exp(0.045) = 1.046028; Var = (exp(s^2) - 1) exp(2 mu + s^2) = 0.09417 * 1.09417 ...
    d = DIST.validate_python({"dist": "lognormal", "mu": 0.0, "sigma": 0.3})
    mean = math.exp(0.045)
    var = (math.exp(0.09) - 1) * math.exp(0.09)
    _check_moments(quantile(d, _random_u()), mean, var)


def test_uniform():
    # mean (a + b) / 2 = 205, var (b - a)^2 / 12 = 390^2 / 12 = 12,675
    d = DIST.validate_python({"dist": "uniform", "low": 10, "high": 400})
    x = quantile(d, _random_u())
    _check_moments(x, 205, 12675)
    assert x.min() >= 10 and x.max() <= 400


def test_triangular():
    # a=0, c=1, b=4: mean (a+b+c)/3 = 5/3; var (a^2+b^2+c^2-ab-ac-bc)/18 = (0+16+1-0-0-4)/18 = 13/18
    d = DIST.validate_python({"dist": "triangular", "low": 0, "mode": 1, "high": 4})
    _check_moments(quantile(d, _random_u()), 5 / 3, 13 / 18)


def test_choice_frequencies_follow_the_weights():
    d = DIST.validate_python({"dist": "choice", "values": ["on-receipt", "year-end", "never"], "weights": [1, 2, 1]})
    x = quantile(d, _random_u())
    for value, p in (("on-receipt", 0.25), ("year-end", 0.5), ("never", 0.25)):
        share = sum(v == value for v in x) / N
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / N), (value, share)


def test_clipping_with_min():
    # a normal(1, 0.3) clipped at 0.9: P(x = 0.9) = Phi(-1/3) = 0.3694
    d = DIST.validate_python({"dist": "normal", "mean": 1.0, "sd": 0.3, "min": 0.9})
    x = quantile(d, _random_u())
    assert x.min() == 0.9
    share = (x == 0.9).mean()
    assert abs(share - 0.369441) < 4 * math.sqrt(0.3694 * 0.6306 / N)


def test_latin_hypercube_puts_one_draw_in_every_stratum():
    u = unit_design("latin-hypercube", None, 1000, 3, seed=4)
    assert u.shape == (1000, 3)
    for j in range(3):
        assert sorted(np.floor(u[:, j] * 1000).astype(int)) == list(range(1000))
    # and it is a function of the seed only
    assert (unit_design("latin-hypercube", None, 1000, 3, seed=4) == u).all()


def test_streams_depend_on_the_seed_and_the_draw_only():
    a = np.random.default_rng(draw_streams(7, 12, 3)[2]).random(4)
    b = np.random.default_rng(draw_streams(7, 12, 3)[2]).random(4)
    c = np.random.default_rng(draw_streams(7, 13, 3)[2]).random(4)
    assert (a == b).all() and not (a == c).any()


def _hazard_draws(spec, period=(2021, 2030), n=N):
    h = HAZARD.validate_python(spec)
    return h, [draw_hazard(h, np.random.default_rng(draw_streams(3, r, 1)[0]), period) for r in range(n)]


def test_reversal_hazard_counts_sizes_dates_and_avoidable_share():
    # 10 years at rate 0.1: events per run ~ Binomial(10, 0.1): mean 1, var 0.9;
    # size uniform(0.1, 0.3): mean 0.2, var 0.2^2 / 12; avoidable with chance 0.25;
    # day of the year uniform on 0..364 (365 in leap years): mean ~182.1
    h, runs = _hazard_draws({"event": "reversal", "activity": "f", "rate": 0.1,
                             "size": {"dist": "uniform", "low": 0.1, "high": 0.3}, "avoidable": 0.25})
    _check_moments([len(r) for r in runs], 1.0, 0.9)
    events = [e for r in runs for e in r]
    _check_moments([e["share"] for e in events], 0.2, 0.04 / 12)
    p = sum(e["avoidable"] for e in events) / len(events)
    assert abs(p - 0.25) < 4 * math.sqrt(0.25 * 0.75 / len(events))
    doy = [e["date"].timetuple().tm_yday - 1 for e in events]
    leap_share = 2 / 10   # 2024 and 2028 of 2021-2030
    mean_doy = (1 - leap_share) * 182 + leap_share * 182.5
    _check_moments(doy, mean_doy, (365 ** 2 - 1) / 12)
    assert all(2021 <= e["date"].year <= 2030 for e in events)
    assert all(r == sorted(r, key=lambda e: e["date"]) for r in runs)


def test_revocation_hazard_chance_within_the_period():
    # P(at least one revocation in 5 years at 0.2 a year) = 1 - 0.8^5 = 0.67232
    h, runs = _hazard_draws({"event": "revocation", "agreement": "deal", "rate": 0.2, "years": [2024, 2028]})
    p = sum(bool(r) for r in runs) / N
    assert abs(p - 0.67232) < 4 * math.sqrt(0.67232 * 0.32768 / N)
    # the first revocation falls in 2024 with chance 0.2 / 0.67232 among revoked runs
    first = [r[0]["date"].year for r in runs if r]
    share = first.count(2024) / len(first)
    assert abs(share - 0.2 / 0.67232) < 4 * math.sqrt(0.2975 * 0.7025 / len(first))


def test_reversal_events_are_a_share_of_what_was_issued():
    import a6sim
    sc = a6sim.load_scenario("scenarios/forest_removal_reversal.yaml")
    h = HAZARD.validate_python({"event": "reversal", "activity": "slv-forest", "rate": 1,
                                "size": {"dist": "uniform", "low": 0.1, "high": 0.1}})
    # vintages of 500,000 t issued 180 days after each 31 December: by 2025-03-01 vintages
    # 2022 (issued 2023-06-29) and 2023 (2024-06-28) are out: 1,000,000 t; 10% = 100,000 t.
    # Nothing is issued before 2023-06-29, so a reversal on 2023-01-10 reverses nothing.
    draws = [{"date": datetime.date(2023, 1, 10), "share": 0.1, "avoidable": False},
             {"date": datetime.date(2025, 3, 1), "share": 0.1, "avoidable": True}]
    events, figures = hazard_events(h, draws, sc)
    assert figures == {"events": 1, "tonnes": 100_000}
    assert events == [{"date": datetime.date(2025, 3, 1), "type": "reversal", "activity": "slv-forest",
                       "quantity": 100_000, "avoidable": True, "replenish_within_days": 365}]


@pytest.mark.parametrize("spec,message", [
    ({"dist": "normal", "mean": 1, "sd": -1}, "must be >= 0"),
    ({"dist": "uniform", "low": 5, "high": 3}, "low 5 is above high 3"),
])
def test_impossible_parameters_are_caught(spec, message):
    from a6sim.experiments.distributions import distribution_issues
    from pydantic import ValidationError
    try:
        d = DIST.validate_python(spec)
    except ValidationError as exc:
        assert "greater_than_equal" in str(exc.errors()[0]["type"])
        return
    assert any(message in m for _, m in distribution_issues(d))


@pytest.mark.parametrize("runs, dims, seed", [(1, 1, 0), (7, 3, 11), (1000, 4, 1), (64, 9, 2**40)])
def test_the_latin_hypercube_is_scipys(runs, dims, seed):
    # a6sim builds the design itself (scipy.stats costs 1 s to import); it is the same
    # array as scipy's default LatinHypercube, number for number
    from scipy.stats import qmc
    from a6sim.experiments.sampling import latin_hypercube
    ours = latin_hypercube(runs, dims, seed)
    assert np.array_equal(ours, qmc.LatinHypercube(d=dims, seed=np.random.default_rng(seed)).random(runs))
    # one point in each of the runs strata of every dimension
    assert all(sorted(np.floor(ours[:, j] * runs).astype(int)) == list(range(runs)) for j in range(dims))


@pytest.mark.parametrize("c", [0.0, 0.3, 0.5, 1.0])
def test_normal_and_triangular_quantiles_are_scipys(c):
    from scipy import stats
    from a6sim.experiments.distributions import Normal, Triangular, quantile
    u = np.concatenate([np.random.default_rng(5).uniform(size=5000), [1e-12, 0.5, 1 - 1e-12]])
    assert np.array_equal(quantile(Normal(dist="normal", mean=2.0, sd=0.3), u), 2.0 + 0.3 * stats.norm.ppf(u))
    tri = Triangular(dist="triangular", low=1.0, mode=1.0 + 4.0 * c, high=5.0)
    shape = (tri.mode - tri.low) / (tri.high - tri.low)    # c as the code computes it (0.3 is 0.30000000000000004)
    assert np.array_equal(quantile(tri, u), stats.triang.ppf(u, shape, loc=1.0, scale=4.0))
