"""A run of a sweep changes its own copy of the scenario data, never the shared base."""
import copy

from a6sim.experiments.checks import apply_value
from a6sim.experiments.paths import copy_for
from a6sim.experiments.sweeper import prepare
from a6sim.experiments import sweep_from_dict
from a6sim.experiments.runner import Payload, run_record
from a6sim.experiments.sweeper import file_data, full_data


def test_the_copy_is_fresh_along_the_paths_and_shared_elsewhere():
    base = {"activities": {"gha.cook": {"outcome": {2022: 10, 2023: 20}, "host": "GHA"},
                           "per-solar": {"outcome": 5}},
            "agreements": {"che-gha": {"price": 20}}, "events": [{"quantity": 3}]}
    before = copy.deepcopy(base)
    data = copy_for(base, ["activities.gha.cook.outcome", "events.0.quantity"])
    apply_value(data, "activities.gha.cook.outcome", 0.5, "float", scale=True)   # a dotted id, a map scaled
    apply_value(data, "events.0.quantity", 7, "float")
    assert base == before                                    # the base is untouched
    assert data["activities"]["gha.cook"]["outcome"] == {2022: 5.0, 2023: 10.0}
    assert data["events"][0]["quantity"] == 7.0
    assert data["agreements"] is base["agreements"]          # not on a path: shared, not copied
    assert data["activities"]["per-solar"] is base["activities"]["per-solar"]


def test_a_path_the_file_leaves_at_its_default_gets_a_deep_copy():
    base = {"agreements": {"che-gha": {"price": 20}}}
    data = copy_for(base, ["agreements.che-gha.sop.share"])   # sop is not in the file
    apply_value(data, "agreements.che-gha.sop.share", 0.1, "float")
    assert base == {"agreements": {"che-gha": {"price": 20}}}
    assert data["agreements"]["che-gha"]["sop"] == {"share": 0.1}


def test_runs_of_one_payload_do_not_leak_into_each_other():
    # the same record run before and after a run with other draws gives the same row,
    # and the shared base data is the same after the runs as before
    spec = sweep_from_dict({"a6sim-sweep": 1, "name": "t", "scenario": "two_party_basic", "runs": 2, "seed": 3,
                            "uncertain": {"activities.gha-cookstoves.outcome":
                                          {"dist": "uniform", "low": 0.2, "high": 0.4, "scale": True}}})
    plan = prepare(spec)
    sc = plan.spec.scenario
    payload = Payload(file_data(sc), full_data(sc), plan.kinds, [], ["parties.CHE.gap"], "t")
    before = copy.deepcopy(payload.data)
    first, second = plan.record(0), plan.record(1)
    row = run_record(payload, first)
    other = run_record(payload, second)
    assert row["error"] is None and other["error"] is None
    assert row["parties.CHE.gap"] != other["parties.CHE.gap"]     # the draws differ (0.2-0.4 of the outcome)
    assert run_record(payload, first) == row
    assert payload.data == before


def test_a_released_run_leaves_no_cyclic_garbage():
    # the actors and the simpy environment hold the world in reference cycles: without
    # release a finished run of swiss_programme leaves 568 objects (its registry, ledger,
    # actors) for the cyclic collector; a sweep worker running world after world grew by
    # 70 MiB a run of the 1x synthetic world. Released, reference counting frees it.
    import gc
    import a6sim
    from a6sim.resources import resolve_scenario
    sc = a6sim.load_scenario(resolve_scenario("swiss_programme"))
    gc.collect()
    results = a6sim.simulate(sc)
    results.summary
    del results
    kept = gc.collect()
    results = a6sim.simulate(sc)
    summary = results.summary
    results.world.release()
    del results
    assert kept > 300 and gc.collect() < 30
    assert summary["issued"] > 0
