"""a6sim.model: a plain function of levers to outcomes, driven by hand and by EMA Workbench."""
import pickle

import pytest

import a6sim


def test_model_returns_the_outcomes_of_the_levers():
    # two_party_basic: Switzerland needs 6 Mt of ITMOs (450 Mt of emissions, budget 444 Mt).
    # At 0.5 Mt a vintage, ten vintages deliver 5 Mt: it misses by 1,000,000 t.
    out = a6sim.model("two_party_basic", **{"activities.gha-cookstoves.outcome": 0.5})
    assert out["parties.CHE.gap"] == 1_000_000.0
    assert out["parties.CHE.met"] is False
    assert out["double_claimed"] == 0.0
    # the base scenario: met exactly
    assert a6sim.model("two_party_basic")["parties.CHE.gap"] == 0.0


def test_model_is_picklable_and_takes_identifier_names():
    assert pickle.loads(pickle.dumps(a6sim.model)) is a6sim.model
    out = a6sim.model("two_party_basic", outcomes=["value_paid"], **{"agreements__che-gha__price": 1})
    # 6 Mt used is what matters for the budget, but every unit delivered is paid:
    # ten vintages of 1 Mt, the last (2030, issued mid-2031) delivered within the run: 10 Mt at 1 USD
    assert out == {"value_paid": 10_000_000.0}



def test_model_refuses_an_unknown_outcome_and_takes_one_name():
    # a typo'd party or outcome came back as {'parties.XXX.gap': None}, silently
    with pytest.raises(ValueError, match="outcome 'parties.XXX.gap': no party 'XXX' with an NDC"):
        a6sim.model("two_party_basic", outcomes=["parties.XXX.gap"])
    with pytest.raises(ValueError, match="outcome 'double_claim': unknown outcome"):
        a6sim.model("two_party_basic", outcomes=["double_claim"])
    # one name as text (was split into its letters, each an outcome)
    assert a6sim.model("two_party_basic", outcomes="parties.CHE.gap") == {"parties.CHE.gap": 0.0}


def test_the_target_year_double_claim_is_an_outcome():
    # averaging_pitfall: the buyer's average is -10 Mt / 10 = -1 Mt in 2030, the seller
    # added nothing in 2030: 1 Mt claimed twice in the target year (docs, integrity figures)
    # a sweep file refused it ("unknown outcome"), though summary.json has it
    out = a6sim.model("averaging_pitfall", outcomes=["target_year_double_claimed", "double_claimed"])
    assert out == {"target_year_double_claimed": 1_000_000.0, "double_claimed": 0.0}
    from a6sim.experiments import sweep_from_dict
    spec = sweep_from_dict({"a6sim-sweep": 1, "name": "t", "scenario": "averaging_pitfall", "runs": 1,
                            "outcomes": ["target_year_double_claimed"]})
    assert list(spec.model.outcomes) == ["target_year_double_claimed"]

def test_model_rounds_whole_number_fields():
    out = a6sim.model("two_party_basic", outcomes=["used"], **{"agreements.che-gha.transfer_lag_days": 30.4})
    assert out == {"used": 6_000_000.0}


def test_ema_workbench_drives_the_model():
    ema = pytest.importorskip("ema_workbench")
    from ema_workbench.em_framework.evaluators import SequentialEvaluator
    m = ema.Model("a6sim", function=a6sim.model)
    m.uncertainties = [ema.RealParameter("activities__gha-cookstoves__outcome", 0.3, 1.2)]
    m.constants = [ema.Constant("scenario", "two_party_basic")]
    m.outcomes = [ema.ScalarOutcome("parties.CHE.gap")]
    with SequentialEvaluator(m) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=8)
    # gap = max(0, 6 Mt - 10 x outcome Mt), worked out for each sampled outcome
    for s, gap in zip(experiments["activities__gha-cookstoves__outcome"], outcomes["parties.CHE.gap"]):
        delivered = 10 * round(s * 1_000_000)
        assert gap == max(0, 6_000_000 - delivered)
