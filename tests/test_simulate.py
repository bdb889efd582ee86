"""Fate probabilities: the exact engine against a dense brute-force oracle, the simulation against both.

The oracle below builds the generator of the asynchronous chain over all ``2**n``
states as a dense numpy matrix, finds the attractors by plain reachability, and gets
absorption probabilities with a dense solve and distributions at time ``t`` with
``scipy.linalg.expm``: none of signet's dynamics code.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings, strategies as st

from signet.annotations import Annotations, Context
from signet.cli import main
from signet.dynamics.markov import Distribution, Rates, explore
from signet.dynamics.probabilities import fate_probabilities, wilson_interval
from signet.dynamics.simulate import simulate
from signet.errors import ModelError, ParseError, StateSpaceTooLarge
from signet.expr import Const, evaluate
from signet.io.bnet import parse_bnet
from signet.model import BooleanNetwork

from strategies import networks

TEXT = """
A, A | B & !C
B, !A & B | C & !A
C, !C & !A | B & C
D, D | A & B
"""


class Dense:
    """The asynchronous chain of a small network over all its states, densely."""

    def __init__(self, network: BooleanNetwork, rates: dict | None = None):
        self.nodes = list(network.nodes)
        self.n = len(self.nodes)
        self.states = list(itertools.product((0, 1), repeat=self.n))
        self.index = {s: k for k, s in enumerate(self.states)}
        rates = rates or {}
        size = len(self.states)
        self.Q = np.zeros((size, size))
        for k, s in enumerate(self.states):
            values = dict(zip(self.nodes, map(bool, s)))
            for i, name in enumerate(self.nodes):
                target = int(bool(evaluate(network.rules[name], values)))
                if target != s[i]:
                    t = list(s)
                    t[i] = target
                    up, down = rates.get(name, (1.0, 1.0))
                    self.Q[k, self.index[tuple(t)]] += up if target == 1 else down
            self.Q[k, k] = -self.Q[k].sum()

    def reach(self, k):
        seen, stack = {k}, [k]
        while stack:
            a = stack.pop()
            for b in np.flatnonzero(self.Q[a] > 0):
                if b != a and b not in seen:
                    seen.add(int(b))
                    stack.append(int(b))
        return seen

    def attractors(self):
        out = set()
        for k in range(len(self.states)):
            forward = self.reach(k)
            if all(k in self.reach(t) for t in forward):
                out.add(frozenset(forward))
        return sorted(out, key=min)

    def absorption(self, mu):
        """Probability of each attractor (as frozensets of state indices) from ``mu``."""
        atts = self.attractors()
        inside = set().union(*atts)
        transient = [k for k in range(len(self.states)) if k not in inside]
        out = {}
        for att in atts:
            h = np.zeros(len(self.states))
            h[list(att)] = 1.0
            if transient:
                Qtt = self.Q[np.ix_(transient, transient)]
                b = self.Q[np.ix_(transient, list(att))].sum(axis=1)
                h[transient] = np.linalg.solve(-Qtt, b)
            out[att] = float(mu @ h)
        return out

    def stationary(self, att):
        members = sorted(att)
        Q = self.Q[np.ix_(members, members)]
        A = np.vstack([Q.T, np.ones(len(members))])
        b = np.zeros(len(members) + 1)
        b[-1] = 1
        pi = np.linalg.lstsq(A, b, rcond=None)[0]
        out = np.zeros(len(self.states))
        out[members] = pi
        return out

    def settle(self, mu):
        """The long-phase limit distribution ``sum_A p_A pi_A``."""
        return sum(p * self.stationary(a) for a, p in self.absorption(mu).items())

    def at(self, mu, t):
        from scipy.linalg import expm

        return mu @ expm(self.Q * t)

    def uniform(self, partial, constants=None):
        mu = np.zeros(len(self.states))
        for k, s in enumerate(self.states):
            if all(s[self.nodes.index(n)] == v for n, v in partial.items()):
                if constants:
                    s = tuple(constants.get(n, s[i]) for i, n in enumerate(self.nodes))
                mu[self.index[s]] += 1
        return mu / mu.sum()


def _space_key(nodes, states):
    """(space, size) of a set of state tuples: how both sides name an attractor."""
    space = tuple(states[0][i] if len({s[i] for s in states}) == 1 else "*" for i in range(len(nodes)))
    return space, len(states)


def _dense_probabilities(dense, absorbed):
    out: dict = {}
    for att, p in absorbed.items():
        if p > 1e-12:
            key = _space_key(dense.nodes, [dense.states[k] for k in att])
            out[key] = out.get(key, 0.0) + p
    return out


def _signet_probabilities(network, phase):
    out: dict = {}
    for a, p in zip(phase.attractors, phase.probabilities):
        key = (tuple(a.space[n] for n in network.nodes), a.states)
        out[key] = out.get(key, 0.0) + p
    return out


rates_strategy = st.dictionaries(st.sampled_from(["n0", "n1", "n2", "n3", "n4"]),
                                 st.tuples(st.sampled_from([0.5, 1.0, 2.0, 3.0]), st.sampled_from([0.25, 1.0, 4.0])),
                                 max_size=3)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(min_nodes=1, max_nodes=5), rates_strategy, st.data())
def test_exact_absorption_equals_dense_oracle(net, rates, data):
    rates = {k: v for k, v in rates.items() if k in net.nodes}
    partial = data.draw(st.dictionaries(st.sampled_from(list(net.nodes)), st.integers(0, 1)))
    dense = Dense(net, rates)
    mu = dense.uniform(partial, constants=net.constants)
    expected = _dense_probabilities(dense, dense.absorption(mu))
    result = fate_probabilities(net, start=partial, rates=rates, method="exact")
    got = _signet_probabilities(net, result.final)
    assert set(got) == set(expected)
    for key, p in expected.items():
        assert got[key] == pytest.approx(p, abs=1e-9)
    assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-9)


def _draw_schedule(net, data):
    """A random schedule of 1-3 phases (until settled, or for a time t) as ``(phases, Schedule)``."""
    from signet.dynamics.schedule import Phase, Schedule

    nodes = list(net.nodes)
    phases = []
    for _ in range(data.draw(st.integers(1, 3))):
        named = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2))
        duration = data.draw(st.one_of(st.none(), st.sampled_from([0.3, 1.0, 2.5])))
        phases.append((named, duration))
    return phases, Schedule(tuple(Phase(tuple(v.items()), d) for v, d in phases))


def _dense_schedule(net, rates, phases):
    """The dense oracle's attractor probabilities at the end of ``phases`` (from the uniform start)."""
    nodes = list(net.nodes)
    mu = None
    for values, duration in phases:
        phase_net = net.fix(values) if values else net
        dense = Dense(phase_net, rates)
        if mu is None:
            mu = dense.uniform({}, constants=phase_net.constants)
        else:  # constant-rule nodes take their value at the phase start
            moved = np.zeros_like(mu)
            consts = phase_net.constants
            for k, s in enumerate(dense.states):
                t = tuple(consts.get(n, s[i]) for i, n in enumerate(nodes))
                moved[dense.index[t]] += mu[k]
            mu = moved
        if duration is None:  # until settled: absorption; the next phase starts from sum_A p_A pi_A
            expected = _dense_probabilities(dense, dense.absorption(mu))
            mu = dense.settle(mu)
        else:  # for a time t: where the cell is at t
            mu = dense.at(mu, duration)
            expected = _dense_probabilities(dense, {a: float(mu[list(a)].sum()) for a in dense.attractors()})
    return {k: v for k, v in expected.items() if v > 1e-10}


@SETTINGS
@given(networks(min_nodes=2, max_nodes=4), rates_strategy, st.data())
def test_exact_schedule_equals_dense_oracle(net, rates, data):
    """Phase by phase: until settled (absorption, then stationary within each attractor) or for a time t."""
    rates = {k: v for k, v in rates.items() if k in net.nodes}
    phases, schedule = _draw_schedule(net, data)
    expected = _dense_schedule(net, rates, phases)
    result = fate_probabilities(net, schedule=schedule, start={}, rates=rates, method="exact")
    got = _signet_probabilities(net, result.final)
    got = {k: v for k, v in got.items() if v > 1e-10}
    assert set(got) == set(expected)
    assert result.final.transient == pytest.approx(1 - sum(expected.values()), abs=1e-7)
    for key, p in expected.items():
        assert got[key] == pytest.approx(p, abs=1e-7)
    assert len(result.phases) == len(phases)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(min_nodes=2, max_nodes=4), rates_strategy, st.data())
def test_simulated_schedule_agrees_with_dense_oracle(net, rates, data):
    """The simulation (trajectories stopped in enumerated attractors, resumed from their stationary
    distribution) against the dense oracle, phase schedules included."""
    rates = {k: v for k, v in rates.items() if k in net.nodes}
    phases, schedule = _draw_schedule(net, data)
    expected = _dense_schedule(net, rates, phases)
    runs = 3000
    result = fate_probabilities(net, schedule=schedule, start={}, rates=rates, method="simulation", runs=runs, seed=5)
    got = _signet_probabilities(net, result.final)
    assert set(got) <= set(expected)
    for key, p in expected.items():
        # 5 sigma (seeded, not flaky), plus a little for the stationary-mixing of bounded phases
        assert abs(got.get(key, 0.0) - p) < 5 * np.sqrt(max(p * (1 - p), 1e-3) / runs), (key, got.get(key), p)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(min_nodes=2, max_nodes=6), rates_strategy)
# BiCGSTAB reported convergence here with a true residual of 1e-3 (probability 1.0013): the solver
# now checks the true residual and solves directly when it is not small.
@example(BooleanNetwork({"n0": "n0 & n1 | n0 & n2", "n1": "!n0", "n2": "!n0"}), {})
def test_direct_and_iterative_absorption_agree(net, rates):
    """The two private solvers of the absorption system give the same answer on the same chains."""
    rates = Rates({k: v for k, v in rates.items() if k in net.nodes})
    answers = []
    for limit in (10**9, 0):  # every transient component direct (sparse LU) / iterative (BiCGSTAB)
        chain = explore(net, Distribution.uniform(net.nodes, [(1, {})]), rates)
        chain.direct_limit = limit
        answers.append(chain.absorption())
    (p_direct, t_direct), (p_iterative, t_iterative) = answers
    assert chain.residual <= 1e-9
    assert p_iterative == pytest.approx(p_direct, abs=1e-9)
    assert t_iterative == pytest.approx(t_direct, rel=1e-8, abs=1e-9)


def test_stationary_distribution_of_a_cycle_with_rates():
    # A and B chase each other round a 4-cycle; the time spent in each state is 1/(its exit rate)
    net = BooleanNetwork({"A": "!B", "B": "A"})
    rates = Rates({"A": (1.0, 2.0), "B": (4.0, 1.0)})
    chain = explore(net, Distribution.uniform(net.nodes, [(1, {})]), rates)
    (members,) = chain.classes()[1]
    pi = dict(zip(chain.codes[members].tolist(), chain.stationary(members)))
    # 00 -A up(1)-> 01 -B up(4)-> 11 -A down(2)-> 10 -B down(1)-> 00 ; codes: bit0 = A, bit1 = B
    mean = {0: 1 / 1, 1: 1 / 4, 3: 1 / 2, 2: 1 / 1}
    total = sum(mean.values())
    assert pi == pytest.approx({k: v / total for k, v in mean.items()})


def test_simulation_agrees_with_exact():
    net = parse_bnet(TEXT)
    for start in ({"A": 0, "B": 1, "C": 0, "D": 0}, {"D": 0}, {}):
        exact = fate_probabilities(net, start=start, method="exact")
        sim = simulate(net, start=start, runs=6000, seed=7)
        assert sim.unsettled == 0.0
        got = {tuple(a.space.items()): (p, ci) for a, p, ci in zip(sim.attractors, sim.probabilities,
                                                                      sim.final.intervals)}
        for att, p in zip(exact.attractors, exact.probabilities):
            q, (lo, hi) = got.get(tuple(att.space.items()), (0.0, (0.0, 0.0)))
            # 95% intervals miss 1 time in 20: widen to ~4 sigma so that the seeded test is not flaky
            sigma = np.sqrt(max(p * (1 - p), 1e-4) / 6000)
            assert abs(q - p) < 4 * sigma, (att.space, q, p)
        assert set(tuple(a.space.items()) for a in sim.attractors) <= set(tuple(a.space.items()) for a in exact.attractors)


def test_simulation_under_schedule_agrees_with_exact():
    net = BooleanNetwork({"S": "S", "M": "M | S & X", "X": "!X | S", "E": "S & !M"},
                         annotations=Annotations(baseline={"S": 0}))
    schedule = "(S=1 @ 0.7 ; S=0) x 2"
    exact = fate_probabilities(net, schedule=schedule, method="exact")
    sim = fate_probabilities(net, schedule=schedule, method="simulation", runs=8000, seed=3)
    assert len(exact.phases) == len(sim.phases) == 4
    for e_phase, s_phase in zip(exact.phases, sim.phases):
        got = {tuple(a.space.items()): p for a, p in zip(s_phase.attractors, s_phase.probabilities)}
        for att, p in zip(e_phase.attractors, e_phase.probabilities):
            q = got.get(tuple(att.space.items()), 0.0)
            assert abs(q - p) < 4 * np.sqrt(max(p * (1 - p), 1e-4) / 8000), (e_phase.phase, att.space, q, p)


def test_a_settled_cycle_passes_its_stationary_distribution_to_the_next_phase():
    # while S=1, A and B chase each other round a 4-cycle; S=0 freezes them where they are:
    # the fates of the second phase are the cycle's stationary distribution (time in a state
    # = 1 / its exit rate), whichever state a trajectory entered the cycle by
    net = BooleanNetwork({"S": "S", "A": "S & !B | !S & A", "B": "S & A | !S & B"})
    rates = {"A": (1.0, 2.0), "B": (4.0, 1.0)}
    mean = {(0, 0): 1 / 1, (1, 0): 1 / 4, (1, 1): 1 / 2, (0, 1): 1 / 1}
    expected = {k: v / sum(mean.values()) for k, v in mean.items()}
    for method in ("exact", "simulation"):
        r = fate_probabilities(net, schedule="S=1 ; S=0", start={"S": 0}, rates=rates, method=method, runs=6000,
                               seed=2)
        got = {(a.space["A"], a.space["B"]): p for a, p in zip(r.attractors, r.probabilities)}
        assert set(got) == set(expected)
        for key, p in expected.items():
            assert abs(got[key] - p) < 4 * np.sqrt(p * (1 - p) / 6000), (method, key, got[key], p)


def test_trajectories_stop_in_enumerated_attractors():
    # a long cycle that never reaches a fixed point: without the catalogue every trajectory would
    # run to max_time; by max_time 5 about 1 in 1000 is still transient (measured on 10 000 runs
    # with either kernel: 0.1% compiled, 0.02% numpy), so at most 2 of these 500
    rules = {f"x{i}": f"!x{(i + 1) % 5}" for i in range(5)}
    net = BooleanNetwork(rules)
    r = fate_probabilities(net, start={}, method="simulation", runs=500, max_time=5.0)
    exact = fate_probabilities(net, start={}, method="exact")
    assert r.unsettled <= 2 / 500
    assert [a.space for a in r.attractors] == [a.space for a in exact.attractors]


def test_catalogue_enumerates_only_small_trap_spaces():
    from signet.dynamics import settling

    net = BooleanNetwork({"A": "!B", "B": "A", **{f"x{i}": f"!x{(i + 1) % 30}" for i in range(30)}})
    catalogue = settling.AttractorCatalogue(net, net, {})
    state = np.zeros((len(net), 1), dtype=bool)
    catalogue.learn(np.packbits(state, axis=0), state)  # A, B and 30 xs free: too many to enumerate
    assert catalogue.attractors == []
    fixed = net.fix({f"x{i}": 0 for i in range(30)})
    catalogue = settling.AttractorCatalogue(net, fixed, {2 + i: 0 for i in range(30)})
    catalogue.learn(np.packbits(state, axis=0), state)
    (found,) = catalogue.attractors
    assert len(found.packed) == 4 and found.stationary == pytest.approx([0.25] * 4)
    assert catalogue.lookup(np.packbits(state, axis=0)).tolist() == [0]


def test_reproducible_across_workers_with_cyclic_attractors():
    # more runs than one chunk: each chunk learns its attractors afresh, so workers do not change draws
    net = parse_bnet(TEXT)
    net = BooleanNetwork({**{n: str(r) for n, r in net.rules.items()}, "P": "!Q | A", "Q": "P"})
    a = simulate(net, start={"D": 0}, runs=5000, seed=3)
    b = simulate(net, start={"D": 0}, runs=5000, seed=3, workers=2)
    assert any(x.kind == "cyclic" for x in a.attractors)
    assert a.probabilities == b.probabilities


def test_seeded_reproducible_and_independent_of_workers():
    net = parse_bnet(TEXT)
    a = simulate(net, start={"D": 0}, runs=5000, seed=3)
    b = simulate(net, start={"D": 0}, runs=5000, seed=3, workers=2)
    c = simulate(net, start={"D": 0}, runs=5000, seed=4)
    assert a.probabilities == b.probabilities
    assert a.probabilities != c.probabilities


def test_baseline_start_weights_each_attractor_equally():
    # baseline RT=0: M=0 and M=1 are both fixed points; RT=1 then kills only the M=1 cells
    net = BooleanNetwork({"RT": "RT", "M": "M", "Death": "RT & M"},
                         annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1}))
    r = fate_probabilities(net, schedule={"RT": 1}, method="exact")
    assert [(a.space["Death"], p) for a, p in zip(r.attractors, r.probabilities)] == [(0, 0.5), (1, 0.5)]
    assert r.phenotypes({"Death": "Death"})["Death"]["probability"] == 0.5


def test_a_cyclic_baseline_attractor_of_a_model_with_more_than_62_unsettled_nodes():
    # the untreated cell cycles (A, B chase each other while S=0; S=1 freezes them) and carries
    # 64 memory nodes no constant settles: the start needs only the nodes that vary in the cycle
    # (before, the radioresistance model without a context failed here: "63 nodes are not settled")
    rules = {"S": "S", "A": "!S & !B | S & A", "B": "!S & A | S & B", "X0": "X0"}
    rules.update({f"X{i}": f"X{i - 1}" for i in range(1, 64)})
    ann = Annotations(baseline={"S": 0}, treatment={"S": 1})
    rates = {"A": (1.0, 2.0), "B": (4.0, 1.0)}
    big = BooleanNetwork(rules, annotations=ann)
    small = BooleanNetwork({n: rules[n] for n in ("S", "A", "B")}, annotations=ann)
    exact = fate_probabilities(small, schedule={"S": 1}, rates=rates, method="exact")
    want = {(a.space["A"], a.space["B"]): p for a, p in zip(exact.attractors, exact.probabilities)}
    assert len(want) == 4
    sim = fate_probabilities(big, schedule={"S": 1}, rates=rates, method="auto", runs=6000, seed=5)
    assert sim.method == "simulation"
    got: dict[tuple[int, int], float] = {}
    for a, p in zip(sim.attractors, sim.probabilities):
        key = (a.space["A"], a.space["B"])
        got[key] = got.get(key, 0.0) + p
    assert set(got) == set(want)
    for key, p in want.items():
        assert abs(got[key] - p) < 4 * np.sqrt(p * (1 - p) / 6000), (key, got[key], p)


def test_baseline_fractions_weigh_the_untreated_population():
    # baseline S=0/1 (a marker, e.g. stem-like) and X=0/1: four fixed points; S=1 cells make up 10%
    # of the untreated cells, and RT kills only cells without S
    rules = {"RT": "RT", "S": "S", "X": "X", "Death": "RT & !S"}
    net = BooleanNetwork(rules, annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1},
                                                        baseline_fractions={"S": 0.1}))
    exact = fate_probabilities(net, schedule={"RT": 1}, method="exact")
    weights = {(a.space["S"], a.space["X"]): p for a, p in zip(exact.attractors, exact.probabilities)}
    assert weights == pytest.approx({(0, 0): 0.45, (0, 1): 0.45, (1, 0): 0.05, (1, 1): 0.05})
    assert exact.phenotypes({"Death": "Death"})["Death"]["probability"] == pytest.approx(0.9)
    sim = fate_probabilities(net, schedule={"RT": 1}, method="simulation", runs=4000, seed=1)
    assert abs(sim.phenotypes({"Death": "Death"})["Death"]["probability"] - 0.9) < 4 * np.sqrt(0.09 / 4000)
    # without the fractions every attractor counts once
    plain = BooleanNetwork(rules, annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1}))
    assert fate_probabilities(plain, schedule={"RT": 1}, method="exact").phenotypes(
        {"Death": "Death"})["Death"]["probability"] == pytest.approx(0.5)
    # a context that fixes the marker leaves one group: its attractors stay equally likely
    ann = Annotations(baseline={"RT": 0}, treatment={"RT": 1}, baseline_fractions={"S": 0.1},
                      contexts={"stemless": Context("stemless", {"S": 0})})
    r = fate_probabilities(BooleanNetwork(rules, annotations=ann), schedule={"RT": 1}, context="stemless",
                           method="exact")
    assert sorted(r.probabilities) == pytest.approx([0.5, 0.5])


def test_a_baseline_fraction_marker_must_be_constant_in_each_attractor():
    net = BooleanNetwork({"RT": "RT", "A": "!B", "B": "A"},
                         annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1},
                                                 baseline_fractions={"A": 0.2}))
    with pytest.raises(ModelError, match="A is not constant in a baseline attractor"):
        fate_probabilities(net, schedule={"RT": 1}, method="exact")


def test_baseline_fractions_survive_metadata_and_sbml_round_trips(tmp_path):
    from signet.io.metadata import generate_metadata, parse_metadata
    from signet.io.sbml import read_sbml, write_sbml

    ann = parse_metadata("model:\n  baseline: {RT: 0}\n  baseline_fractions: {S: 0.05}\n")
    assert dict(ann.baseline_fractions) == {"S": 0.05}
    assert parse_metadata(generate_metadata(ann)).baseline_fractions == ann.baseline_fractions
    net = BooleanNetwork({"RT": "RT", "S": "S", "D": "RT & !S"}, annotations=ann)
    write_sbml(net, tmp_path / "m.sbml")
    back = read_sbml(tmp_path / "m.sbml")
    assert dict(back.annotations.baseline_fractions) == {"S": 0.05}
    assert dict(net.rename({"S": "Stem"}).annotations.baseline_fractions) == {"Stem": 0.05}


def test_cli_says_how_the_untreated_population_is_weighted(tmp_path):
    (tmp_path / "m.bnet").write_text("RT, RT\nS, S\nDeath, RT & !S\n")
    (tmp_path / "m.yaml").write_text("model: {treatment: {RT: 1}, baseline: {RT: 0}, baseline_fractions: {S: 0.1}}\n")
    model = str(tmp_path / "m.bnet")
    text = CliRunner().invoke(main, ["probabilities", model, "--treat", "--method", "exact"])
    assert text.exit_code == 0, text.output
    assert "start: the untreated attractors, S=1 in 10% of the cells (metadata baseline_fractions)" in text.output

    def death(*extra: str) -> tuple:
        data = json.loads(CliRunner().invoke(main, ["probabilities", model, "--treat", "--method", "exact",
                                                   "--json", *extra]).output)
        return data.get("baseline_fractions"), sum(a["probability"] for a in data["attractors"]
                                                   if a["space"]["Death"] == 1)

    assert death() == ({"S": 0.1}, pytest.approx(0.9))
    # a start of the user's own is not weighted, and says nothing about it
    own = CliRunner().invoke(main, ["probabilities", model, "--treat", "--method", "exact", "--from", "S=0"])
    assert own.exit_code == 0 and "start:" not in own.output
    assert death("--from", "S=0") == (None, pytest.approx(1.0))
    # the time course starts from the same weighted population, and says so
    course = CliRunner().invoke(main, ["timecourse", model, "--treat", "--method", "exact", "--step", "1"])
    assert course.exit_code == 0, course.output
    assert course.output.splitlines()[1] == "start: the untreated attractors, S=1 in 10% of the cells " \
                                            "(metadata baseline_fractions)"
    data = json.loads(CliRunner().invoke(main, ["timecourse", model, "--treat", "--method", "exact", "--step", "1",
                                               "--json"]).output)
    assert data["baseline_fractions"] == {"S": 0.1}


def test_exact_engine_limit_and_auto_fallback():
    rules = {f"x{i}": f"!x{(i + 1) % 12} | x{(i + 5) % 12}" for i in range(12)}
    net = BooleanNetwork(rules)
    with pytest.raises(StateSpaceTooLarge):
        fate_probabilities(net, start={}, method="exact", max_states=100)
    auto = fate_probabilities(net, start={}, method="auto", max_states=100, runs=500)
    assert auto.method == "simulation" and "does not fit" in auto.note


def test_wilson_interval_covers():
    lo, hi = wilson_interval(30, 100)
    assert lo < 0.3 < hi and hi - lo < 0.2
    assert wilson_interval(100, 100)[1] == 1.0


def test_bad_rates():
    net = BooleanNetwork({"A": "!A"})
    with pytest.raises(ModelError, match="not a positive number"):
        fate_probabilities(net, start={}, rates={"A": (0.0, 1.0)})
    with pytest.raises(ModelError, match="unknown node"):
        fate_probabilities(net, start={}, rates={"Q": (1.0, 1.0)})


def test_metadata_rates():
    from signet.io.metadata import generate_metadata, parse_metadata

    ann = parse_metadata("rates: {ATM: {up: 2, down: 0.5}, TP53: 3}\n")
    assert dict(ann.rates) == {"ATM": (2.0, 0.5), "TP53": (3.0, 3.0)}
    assert parse_metadata(generate_metadata(ann)).rates == ann.rates
    with pytest.raises(ParseError, match=r"<text>:1:19: rates.ATM.up: expected a number above 0, found -1"):
        parse_metadata("rates: {ATM: {up: -1}}\n")
    with pytest.raises(ParseError, match=r"<text>:1:14: rates.ATM: expected a number above 0, found inf"):
        parse_metadata("rates: {ATM: .inf}\n")
    with pytest.raises(ParseError, match="unknown key 'fast'"):
        parse_metadata("rates:\n  ATM: {fast: 1}\n")


# ---------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------
def _model(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("RT, RT\nDDR, RT\nP53, DDR & !MDM2\nMDM2, P53\nApoptosis, P53 & !AKT\nAKT, AKT\n")
    (tmp_path / "m.yaml").write_text("model: {treatment: {RT: 1}, baseline: {RT: 0}}\n"
                                     "phenotypes: {Death: Apoptosis}\nrates: {MDM2: 2}\n")
    return path


def test_cli_simulate(tmp_path):
    path = _model(tmp_path)
    runner = CliRunner()
    args = ["simulate", str(path), "--treat", "--runs", "3000", "--seed", "5", "--json"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["method"] == "simulation" and data["runs"] == 3000 and data["seed"] == 5
    assert data["rates"] == {"MDM2": {"up": 2.0, "down": 2.0}}
    # baseline RT=0 attractors: AKT=0 or AKT=1, equally likely
    probs = {a["space"]["AKT"]: a["probability"] for a in data["attractors"]}
    assert set(probs) == {0, 1} and abs(probs[1] - 0.5) < 0.05
    lo, hi = data["phenotypes"]["Death"]["interval"]
    assert lo <= data["phenotypes"]["Death"]["probability"] <= hi
    assert runner.invoke(main, args).output == first.output
    text = runner.invoke(main, ["simulate", str(path), "--treat", "--runs", "500"])
    assert "95% interval" in text.output and "phenotype probabilities: Death" in text.output
    bad = runner.invoke(main, ["simulate", str(path), "--ko", "AKX"])
    assert bad.exit_code == 1 and "did you mean" in bad.output


def test_cli_probabilities(tmp_path):
    path = _model(tmp_path)
    runner = CliRunner()
    out = runner.invoke(main, ["probabilities", str(path), "--treat", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["method"] == "exact" and data["exact"] is True
    assert sorted(a["probability"] for a in data["attractors"]) == pytest.approx([0.5, 0.5])
    out = runner.invoke(main, ["probabilities", str(path), "--schedule", "RT=1 @ 0.5 ; RT=0", "--json"])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)["phases"]) == 2
    for bad_rate in ("MDM2=0", "MDM2=x", "MDM2", "MDM2=1:2:3"):
        bad = runner.invoke(main, ["probabilities", str(path), "--rate", bad_rate])
        assert bad.exit_code == 1 and "--rate" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(main, ["probabilities", str(path), "--schedule", "RT=1 @ ; RT=0"])
    assert bad.exit_code == 1
    assert bad.output.strip() == "Error: schedule:1:8: expected a number of steps (or a time) after '@', found ';'"


def test_thresholds_are_set_through_the_engine_configuration():
    from signet.dynamics import EngineConfig

    from signet.dynamics.settling import AttractorCatalogue

    net = BooleanNetwork({f"x{i}": f"!x{(i + 1) % 5}" for i in range(5)})   # one cyclic attractor, 10 states
    state = np.zeros((5, 1), dtype=bool)
    found = []
    for config in (EngineConfig(), EngineConfig(settle_max_free=4), EngineConfig(settle_max_states=8)):
        catalogue = AttractorCatalogue(net, net, {}, config=config)
        catalogue.learn(np.packbits(state, axis=0), state)
        found.append([len(a.packed) for a in catalogue.attractors])
    assert found == [[10], [], []]
    # the exact engine's limit
    loop = BooleanNetwork({f"x{i}": f"!x{(i + 1) % 12} | x{(i + 5) % 12}" for i in range(12)})
    with pytest.raises(StateSpaceTooLarge):
        fate_probabilities(loop, start={}, method="exact", config=EngineConfig(exact_max_states=100))
    # chunks are the unit of seeding: with small chunks the answer still does not depend on workers
    config = EngineConfig(simulation_chunk=700, simulation_check_steps=3)
    a = simulate(parse_bnet(TEXT), start={"D": 0}, runs=2000, seed=5, config=config)
    b = simulate(parse_bnet(TEXT), start={"D": 0}, runs=2000, seed=5, config=config, workers=2)
    assert a.probabilities == b.probabilities


def test_a_large_attractor_hands_on_its_stationary_distribution_solved_when_needed():
    # as test_a_settled_cycle_passes_its_stationary_distribution_to_the_next_phase, with the cycle
    # above settle_eager_states: its distribution is solved lazily, when the next phase needs it
    from signet.dynamics import EngineConfig

    net = BooleanNetwork({"S": "S", "A": "S & !B | !S & A", "B": "S & A | !S & B"})
    rates = {"A": (1.0, 2.0), "B": (4.0, 1.0)}
    mean = {(0, 0): 1 / 1, (1, 0): 1 / 4, (1, 1): 1 / 2, (0, 1): 1 / 1}
    expected = {k: v / sum(mean.values()) for k, v in mean.items()}
    r = fate_probabilities(net, schedule="S=1 ; S=0", start={"S": 0}, rates=rates, method="simulation", runs=6000,
                           seed=2, config=EngineConfig(settle_eager_states=1))
    got = {(a.space["A"], a.space["B"]): p for a, p in zip(r.attractors, r.probabilities)}
    for key, p in expected.items():
        assert abs(got[key] - p) < 4 * np.sqrt(p * (1 - p) / 6000), (key, got[key], p)
