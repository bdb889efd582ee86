"""Probability rows that share the analysis of a smaller intervention (a perturbation that
provably changes no trajectory), checked against rows computed separately with the exact
engine (Hypothesis), and in screens."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import TREATED, treated_networks

from signet.annotations import Annotations
from signet.dynamics.probabilities import fate_probabilities, start_spaces
from signet.model import BooleanNetwork
from signet.screen import intervention_key, screen
from signet.screen.job import Job
from signet.screen.worker import WorkerState

ANNOTATIONS = TREATED  # the annotations of treated_networks
PULSE = "RT=1 ; RT=0"




def _phases(network: BooleanNetwork, schedule: str | None, perturbation: dict[str, int]) -> list:
    result = fate_probabilities(network, schedule=schedule or {"RT": 1}, perturbation=perturbation, method="exact")
    return [sorted((sorted((n, str(v)) for n, v in a.space.items()), round(p, 9))
                   for a, p in zip(ph.attractors, ph.probabilities)) for ph in result.phases]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=treated_networks(), schedule=st.sampled_from([None, PULSE]))
# n1 starts 0 (RT=0 in the baseline) and RT=1 keeps it 0: its knockout changes nothing
@example(network=BooleanNetwork({"RT": "RT", "n0": "RT & !n1", "n1": "n1 & RT", "Death": "n0"},
                                annotations=ANNOTATIONS), schedule=PULSE)
def test_dropped_perturbations_leave_every_phase_exactly_unchanged(network, schedule):
    state = WorkerState(Job(network, {"Death": "Death"}, {} if schedule else {"RT": 1}, update="async",
                            metric="probability", schedule=schedule))
    baseline = _phases(network, schedule, {})
    for node in network.nodes:
        if node == "RT":
            continue
        for value in (0, 1):
            if state.essential("", ((node, value),)) == ():
                assert _phases(network, schedule, {node: value}) == baseline, (node, value)


def test_a_perturbation_that_changes_a_start_state_is_kept():
    # B is 0 in the baseline and stays 0 under RT; B=1 changes every start, B=0 none
    net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "B & RT", "Death": "A"}, annotations=ANNOTATIONS)
    state = WorkerState(Job(net, {"Death": "Death"}, {}, update="async", metric="probability", schedule=PULSE))
    assert state.essential("", (("B", 0),)) == ()
    assert state.essential("", (("B", 1),)) == (("B", 1),)
    assert state.essential("", (("A", 0),)) == (("A", 0),)   # A rises under RT
    assert start_spaces(net) == [{"RT": 0, "A": 0, "B": 0, "Death": 0}]


def test_a_perturbation_kept_by_another_is_judged_with_it():
    # C=0 holds throughout unless A is forced on (C follows A): with A=1, C=0 is kept
    net = BooleanNetwork({"RT": "RT", "A": "A", "C": "A", "Death": "C | RT"}, annotations=ANNOTATIONS)
    state = WorkerState(Job(net, {"Death": "Death"}, {"RT": 1}, update="async", metric="probability"))
    assert state.essential("", (("C", 0),)) == (("C", 0),)                # A=1 starts exist
    net0 = BooleanNetwork(dict(net.rules), annotations=Annotations(
        phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0, "A": 0}))
    state0 = WorkerState(Job(net0, {"Death": "Death"}, {"RT": 1}, update="async", metric="probability"))
    assert state0.essential("", (("C", 0),)) == ()
    assert state0.essential("", (("A", 1), ("C", 0))) == (("A", 1), ("C", 0))


def test_a_screen_shares_the_row_and_reports_the_same_values():
    net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "B & RT", "C": "RT & !A | C", "Death": "A & !C"},
                         annotations=ANNOTATIONS)
    kwargs = dict(metric="probability", targets=["B", "C"], allow_trivial=True, split_inputs=False, workers=1,
                  runs=500, max_states=1)  # max_states=1: every row simulated
    result = screen(net, **kwargs)
    rows = {r["perturbation"]: r for r in result.rows}
    shared = rows[intervention_key((("B", 0),))]
    base = rows[intervention_key(())]
    assert not base["exact"]
    assert shared["probability_Death"] == base["probability_Death"]
    assert shared["score"] == shared["score_lo"] == shared["score_hi"] == 0
    assert result.stats["reused"] >= 1
    # computed apart (its own seed), the row agrees within the intervals
    alone = fate_probabilities(net, schedule={"RT": 1}, perturbation={"B": 0}, method="exact").final
    p = sum(q for a, q in zip(alone.attractors, alone.probabilities) if a.space["Death"] == 1)
    assert shared["lo"] <= p <= shared["hi"]
    assert p == pytest.approx(0.25)   # C=1 in half the starts; else A beats C half the time
