"""Stochastic simulation against the exact distribution of the same Markov chain."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner

from signet.cli import main
from signet.dynamics.simulate import simulate
from signet.io.bnet import parse_bnet

TEXT = """
A, A | B & !C
B, !A & B | C & !A
C, !C & !A | B & C
D, D | A & B
"""


def exact_distribution(network, start, steps):
    """Distribution over full states after ``steps`` steps: uniform choice among enabled flips."""
    from signet.expr import evaluate

    nodes = list(network.nodes)
    states = [dict(zip(nodes, bits)) for bits in itertools.product((0, 1), repeat=len(nodes))]
    key = lambda s: tuple(s[n] for n in nodes)  # noqa: E731
    moves = {}
    for s in states:
        nxt = []
        for n in nodes:
            v = int(bool(evaluate(network.rules[n], {m: bool(s[m]) for m in nodes})))
            if v != s[n]:
                t = dict(s)
                t[n] = v
                nxt.append(key(t))
        moves[key(s)] = nxt
    members = [key(s) for s in states if all(s[n] == v for n, v in start.items())]
    dist = {k: 0.0 for k in moves}
    for m in members:
        dist[m] += 1 / len(members)
    for _ in range(steps):
        new = {k: 0.0 for k in moves}
        for k, p in dist.items():
            if p == 0:
                continue
            if not moves[k]:
                new[k] += p
            else:
                for t in moves[k]:
                    new[t] += p / len(moves[k])
        dist = new
    return dist, nodes


@pytest.mark.parametrize("start", [{"A": 0, "B": 1, "C": 0, "D": 0}, {"A": 0, "D": 0}, {}])
def test_probabilities_match_exact_chain(start):
    net = parse_bnet(TEXT)
    runs, steps = 4000, 12
    result = simulate(net, start=start, runs=runs, steps=steps, seed=7)
    dist, nodes = exact_distribution(net, start, steps)
    total = 0
    for att, count in zip(result.attractors, result.counts):
        expected = sum(p for k, p in dist.items()
                       if all(att.space[n] in ("*", k[i]) for i, n in enumerate(nodes)))
        # the premise of testing membership by space: each attractor fills its space
        assert att.states == 2 ** sum(1 for v in att.space.values() if v == "*")
        sigma = np.sqrt(max(expected * (1 - expected), 1e-4) / runs)
        assert abs(count / runs - expected) < 5 * sigma + 1e-9, (att.space, count / runs, expected)
        total += count
    assert total + result.unsettled == runs


def test_seeded_and_reproducible():
    net = parse_bnet(TEXT)
    a = simulate(net, start={"D": 0}, runs=500, steps=5, seed=3)
    b = simulate(net, start={"D": 0}, runs=500, steps=5, seed=3)
    c = simulate(net, start={"D": 0}, runs=500, steps=5, seed=4)
    assert a.counts == b.counts and a.unsettled == b.unsettled
    assert (a.counts, a.unsettled) != (c.counts, c.unsettled)


def test_knockout_and_phenotypes():
    net = parse_bnet(TEXT)
    r = simulate(net.perturb(ko=["A"]), runs=300, steps=200, seed=0, phenotypes={"Dup": "D", "Aon": "A"})
    assert r.phenotypes["Aon"] == 0.0
    assert all(a.space["A"] == 0 for a in r.attractors)
    assert r.unsettled == 0


def test_cli_simulate(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("RT, RT\nDDR, RT\nP53, DDR & !MDM2\nMDM2, P53\nApoptosis, P53 & !AKT\nAKT, AKT\n")
    (tmp_path / "m.yaml").write_text("model: {treatment: {RT: 1}, baseline: {RT: 0}}\nphenotypes: {Death: Apoptosis}\n")
    runner = CliRunner()
    args = ["simulate", str(path), "--treat", "--from", "baseline", "--runs", "400", "--seed", "5", "--json"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["runs"] == 400 and data["seed"] == 5
    # baseline RT=0 attractors: AKT=0 or AKT=1, each chosen with probability 1/2
    probs = {a["space"]["AKT"]: a["probability"] for a in data["attractors"]}
    assert set(probs) == {0, 1} and abs(probs[1] - 0.5) < 0.1
    assert data["unsettled"] == 0.0
    assert runner.invoke(main, args).output == first.output
    bad = runner.invoke(main, ["simulate", str(path), "--ko", "AKX"])
    assert bad.exit_code == 1 and "did you mean" in bad.output
