"""Basins of attraction against brute force over all states (Hypothesis random networks)."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from signet.cli import main
from signet.dynamics.basins import basins
from signet.errors import StateSpaceTooLarge
from signet.expr import evaluate
from signet.model import BooleanNetwork

from strategies import networks
from test_simulate import Dense

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _states(net):
    variable = [n for n in net.nodes if n not in net.constants]
    out = []
    for bits in itertools.product((0, 1), repeat=len(variable)):
        s = dict(net.constants)
        s.update(zip(variable, bits))
        out.append(tuple(s[n] for n in net.nodes))
    return out


def _step(net, s):
    values = dict(zip(net.nodes, map(bool, s)))
    return tuple(int(bool(evaluate(net.rules[n], values))) for n in net.nodes)


def _key(net, a):
    return tuple(a.space[n] for n in net.nodes), a.states


def _space(states):
    states = list(states)
    return tuple(states[0][i] if len({s[i] for s in states}) == 1 else "*" for i in range(len(states[0]))), len(states)


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6))
def test_sync_basins_equal_brute_force(net):
    expected: dict = {}
    for s in _states(net):
        path = []
        while s not in path:
            path.append(s)
            s = _step(net, s)
        cycle = path[path.index(s):]
        key = _space(cycle)
        expected[key] = expected.get(key, 0) + 1
    got = basins(net, "sync")
    sizes: dict = {}
    for a, b in zip(got.attractors, got.basin):  # two cycles may share a space and a size: add them up
        sizes[_key(net, a)] = sizes.get(_key(net, a), 0) + b
    assert sizes == expected
    assert got.total == sum(expected.values())


@SETTINGS
@given(networks(min_nodes=1, max_nodes=5))
def test_async_basins_equal_brute_force(net):
    states = _states(net)

    def successors(s):
        image = _step(net, s)
        return [tuple(image[j] if j == i else s[j] for j in range(len(s))) for i in range(len(s)) if image[i] != s[i]]

    def reach(s):
        seen, stack = {s}, [s]
        while stack:
            for t in successors(stack.pop()):
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return seen

    reached = {s: reach(s) for s in states}
    attractors = {frozenset(reached[s]) for s in states if all(s in reached[t] for t in reached[s])}
    got = basins(net, "async")
    weak = {_key(net, a): w for a, w in zip(got.attractors, got.weak)}
    strong = {_key(net, a): w for a, w in zip(got.attractors, got.strong)}
    assert set(weak) == {_space(a) for a in attractors}
    for att in attractors:
        can = [s for s in states if reached[s] & att]
        only = [s for s in can if not any(reached[s] & other for other in attractors if other != att)]
        assert weak[_space(att)] == len(can)
        assert strong[_space(att)] == len(only)
    # absorption from a uniform random state, against the dense chain
    dense = Dense(net)
    mu = dense.uniform({}, constants=net.constants)
    expected = {}
    for att, p in dense.absorption(mu).items():
        key = _space([dense.states[k] for k in att])
        expected[key] = expected.get(key, 0.0) + p
    probs = {_key(net, a): p for a, p in zip(got.attractors, got.probabilities)}
    for key, p in expected.items():
        assert probs.get(key, 0.0) == pytest.approx(p, abs=1e-9)


def test_faure_cell_cycle_basins():
    from signet.io.boolnet import read_boolnet

    from conftest import CORPUS

    net = read_boolnet(CORPUS / "boolnet" / "cellcycle.txt")
    sync = basins(net, "sync")
    assert sorted(zip((a.states for a in sync.attractors), sync.basin)) == [(1, 512), (7, 512)]  # BoolNet's numbers
    asynchronous = basins(net, "async")
    assert sorted(a.states for a in asynchronous.attractors) == [1, 112]
    assert sum(asynchronous.probabilities) == pytest.approx(1.0)


def test_too_large_and_cli(tmp_path):
    big = BooleanNetwork({f"x{i}": f"x{(i + 1) % 23}" for i in range(23)})
    with pytest.raises(StateSpaceTooLarge, match="up to 22 nodes"):
        basins(big, "sync")
    path = tmp_path / "m.bnet"
    path.write_text("A, A | B\nB, !A & B\nC, C | B\n")
    runner = CliRunner()
    out = runner.invoke(main, ["basins", str(path), "--update", "async", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["states"] == 8 and [a["weak_basin"] for a in data["attractors"]] == [1, 3, 1, 5]
    text = runner.invoke(main, ["basins", str(path), "--update", "sync", "--ko", "B"])
    assert text.exit_code == 0, text.output
    assert "basin" in text.output.splitlines()[1]
