"""``signet validate --metric probability``: claims read on fate probabilities.

The oracle is a race of exponential clocks worked out by hand.  In the network below,
irradiation (RT) starts three clocks of rate 1: ``A`` (death), ``B1`` and ``C``; survival
(``B2``) needs ``B1`` or ``C`` first and then must fire before ``A``.  With both routes,
the first of the three clocks is ``A`` with probability 1/3; otherwise ``B2`` and ``A``
race (1/2 each), so survival has probability 2/3 * 1/2 = 1/3 and death 2/3.  With ``C``
knocked out the first of two clocks (``A``, ``B1``) must be ``B1`` (1/2) and then ``B2``
must beat ``A`` (1/2): survival 1/4, death 3/4.  Both cases reach the same two
attractors (death, survival), so the *share* of death is 1/2 in both: only the
probability sees that losing a route to survival raises death.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signet.annotations import Annotations
from signet.cli import main
from signet.errors import ModelError
from signet.expectations import Case
from signet.io.expectations import parse_expectations
from signet.model import BooleanNetwork
from signet.validate import holds_interval, probability_case, validate

RULES = {"RT": "RT", "A": "RT & !B2", "B1": "RT", "C": "RT", "B2": "(B1 | C) & !A", "Death": "A"}
CLAIMS = """
- {id: route_lost, phenotype: Death, case: {inputs: {RT: 1}, ko: [C]}, reference: {inputs: {RT: 1}}, expect: increase}
- {id: dies_sometimes, phenotype: Death, case: {inputs: {RT: 1}}, expect: positive}
- {id: never_untreated, phenotype: Death, case: {inputs: {RT: 0}}, expect: zero}
"""


def race_network() -> BooleanNetwork:
    return BooleanNetwork(dict(RULES), name="race",
                          annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0}))


def test_probability_case_equals_the_race_worked_by_hand():
    net = race_network()
    both = probability_case(net, Case(inputs={"RT": 1}))
    lost = probability_case(net, Case(inputs={"RT": 1}, ko=("C",)))
    assert both.runs is None and lost.runs is None  # small chains: exact
    assert both.value_of("Death") == pytest.approx(2 / 3)
    assert lost.value_of("Death") == pytest.approx(3 / 4)
    assert both.attractors == lost.attractors == 2
    assert both.share_of("Death") == lost.share_of("Death") == 0.5


def test_simulated_case_interval_covers_the_exact_value():
    net = race_network()
    found = probability_case(net, Case(inputs={"RT": 1}, ko=("C",)), runs=4000, seed=3, max_states=1)
    assert found.runs == 4000 and found.successes is not None
    lo, hi = found.interval_of("Death")
    assert lo < 0.75 < hi and hi - lo < 0.03
    assert found.value_of("Death") == found.successes["Death"] / 4000


def test_probability_metric_sees_what_the_share_cannot():
    net = race_network()
    claims = parse_expectations(CLAIMS)
    shares = validate(net, claims)
    assert [r.passed for r in shares.results] == [False, True, True]  # 1/2 is not above 1/2
    probabilities = validate(net, claims, metric="probability")
    assert probabilities.metric == "probability" and probabilities.update == "async"
    assert [r.passed for r in probabilities.results] == [True, True, True]
    first = probabilities.results[0]
    assert (first.case.value, first.reference.value) == pytest.approx((3 / 4, 2 / 3))
    assert first.case.interval == pytest.approx((3 / 4, 3 / 4))  # exact: a point


def test_comparisons_must_clear_both_intervals():
    assert holds_interval("increase", 0.30, (0.28, 0.32), (0.20, 0.27))
    assert not holds_interval("increase", 0.30, (0.26, 0.32), (0.20, 0.27))  # overlapping: within noise
    assert holds_interval("decrease", 0.0, (0.0, 0.002), (0.09, 0.11))
    assert holds_interval("zero", 0.0, (0.0, 0.002)) and not holds_interval("zero", 0.001, (0.0, 0.004))
    assert holds_interval("all", 1.0, (0.998, 1.0)) and holds_interval("positive", 0.001, (0.0, 0.004))
    with pytest.raises(ModelError, match="reference"):
        holds_interval("increase", 0.3, (0.3, 0.3))


def test_probability_metric_is_the_asynchronous_chain():
    net = race_network()
    with pytest.raises(ModelError, match="asynchronous"):
        validate(net, parse_expectations(CLAIMS), metric="probability", update="mp")
    with pytest.raises(ModelError, match="metric"):
        validate(net, parse_expectations(CLAIMS), metric="odds")


def test_cli_metric_probability_json_and_table(tmp_path):
    from signet.io.bnet import write_bnet

    model = tmp_path / "race.bnet"
    write_bnet(race_network(), model)
    (tmp_path / "race.yaml").write_text("model:\n  baseline:\n    RT: 0\nphenotypes:\n  Death: Death\n")
    (tmp_path / "race.expectations.yaml").write_text(CLAIMS)
    shares = CliRunner().invoke(main, ["validate", str(model), "-q"])
    assert shares.exit_code == 1 and "route_lost" in shares.output
    result = CliRunner().invoke(main, ["validate", str(model), "--metric", "probability", "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["metric"] == "probability" and data["update"] == "async" and data["all_passed"]
    first = data["claims"][0]
    assert first["case"]["probability"] == pytest.approx(0.75)
    assert first["reference"]["probability"] == pytest.approx(2 / 3)
    table = CliRunner().invoke(main, ["validate", str(model), "--metric", "probability", "-q"])
    assert table.exit_code == 0
    assert "0.750 (exact)" in table.output and "fate probabilities" in table.output


# -- a second look at undecided claims ------------------------------------------------------------
#: the race's claim (3/4 against 2/3), and a null one: ``E`` is read by nothing, so knocking it out changes nothing
SECOND = """
- {id: route_lost, phenotype: Death, case: {inputs: {RT: 1}, ko: [C]}, reference: {inputs: {RT: 1}}, expect: increase}
- {id: null_effect, phenotype: Death, case: {inputs: {RT: 1}, ko: [E]}, reference: {inputs: {RT: 1}}, expect: increase}
- {id: dies_sometimes, phenotype: Death, case: {inputs: {RT: 1}}, expect: positive}
"""


@pytest.fixture
def simulated(monkeypatch):
    """The race network with a bystander node, its chains simulated (no exact solve)."""
    import signet.screen.metrics

    monkeypatch.setattr(signet.screen.metrics, "SCREEN_MAX_STATES", 1)
    return BooleanNetwork({**RULES, "E": "RT"}, name="race",
                          annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0}))


def test_an_undecided_claim_is_decided_on_a_second_look(simulated):
    from signet.validate import undecided

    claims = parse_expectations(SECOND)
    first = validate(simulated, claims, metric="probability", runs=300, second_look=0)
    # 300 trajectories cannot tell 3/4 from 2/3 (intervals of about +-0.05): both comparisons are undecided
    assert [undecided(r) for r in first.results] == [True, True, False]
    assert [r.passed for r in first.results] == [False, False, True] and not first.second_looks
    assert first.second_look_runs is None
    looked = validate(simulated, claims, metric="probability", runs=300)  # default: 4 x 300 trajectories
    route, null, sometimes = looked.results
    assert route.passed and route.second_look and not undecided(route)
    assert route.case.result.runs == route.reference.result.runs == 1200
    assert route.case.interval[0] > route.reference.interval[1]
    assert route.case.interval[0] < 0.75 < route.case.interval[1]
    assert route.reference.interval[0] < 2 / 3 < route.reference.interval[1]
    # a difference that is not there stays undecided and fails: the second look is no second chance to pass
    assert not null.passed and null.second_look
    # a claim decided at the first look keeps its verdict and its trajectories
    assert sometimes.passed and not sometimes.second_look and sometimes.case.result.runs == 300
    assert [r.expectation.id for r in looked.second_looks] == ["route_lost", "null_effect"]
    assert looked.second_look_runs == 1200
    assert json.loads(json.dumps(looked.to_json()))["claims"][0]["second_look"] is True


def test_exact_claims_need_no_second_look():
    found = validate(race_network(), parse_expectations(CLAIMS), metric="probability", runs=10)
    assert all(r.passed for r in found.results) and not found.second_looks


def test_cli_marks_claims_decided_on_a_second_look(simulated, tmp_path):
    from signet.io.bnet import write_bnet

    model = tmp_path / "race.bnet"
    write_bnet(simulated, model)
    (tmp_path / "race.yaml").write_text("model:\n  baseline:\n    RT: 0\nphenotypes:\n  Death: Death\n")
    (tmp_path / "race.expectations.yaml").write_text(SECOND)
    args = ["validate", str(model), "--metric", "probability", "--runs", "300", "-q", "--claim", "route_lost"]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines() if line.startswith("route_lost"))
    assert row.split()[1] == "PASS+"
    assert "+ decided on a second look (1200 trajectories" in table.output
    none = CliRunner().invoke(main, args + ["--second-look", "0"])
    assert none.exit_code == 1 and "FAIL " in none.output and "decided on a second look" not in none.output
    data = json.loads(CliRunner().invoke(main, args + ["--json"]).stdout)
    assert data["claims"][0]["second_look"] is True and data["claims"][0]["case"]["runs"] == 1200
