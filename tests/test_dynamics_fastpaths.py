"""The fast paths of the dynamics engines against brute force and against the general paths.

* ``signet.dynamics._reduce.percolate`` (bit-set percolation) against
  ``BooleanNetwork.percolate`` and against fixing values by hand;
* fixed points on the whole state space as bit sets against the answer-set program
  and against enumeration of all states;
* prime implicants from integer truth tables against brute force over all cubes.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings, strategies as st

from signet.dynamics import trapspaces
from signet.dynamics._reduce import percolate
from signet.dynamics.primes import prime_implicants
from signet.expr import equivalent, evaluate
from signet.io.bnet import parse_bnet

from test_dynamics import SETTINGS, oracles


def _constant_bnet(oracle, data):
    """The oracle's network with some nodes' rules replaced by constants."""
    lines = oracle.bnet().splitlines()
    for i in range(oracle.n):
        if data.draw(st.booleans()):
            lines[i] = f"x{i}, {data.draw(st.sampled_from(['0', '1']))}"
    return "\n".join(lines) + "\n"


@SETTINGS
@given(oracles(max_nodes=8), st.data())
def test_bitset_percolation_equals_model_percolate(oracle, data):
    net = parse_bnet(_constant_bnet(oracle, data))
    got, values = percolate(net)
    want, want_values = net.percolate()
    assert values == want_values
    assert got.nodes == want.nodes
    for node in got.nodes:
        assert equivalent(got.rules[node], want.rules[node])


@SETTINGS
@given(oracles(max_nodes=8), st.data())
def test_fixed_points_bitset_equal_asp_and_enumeration(oracle, data):
    net = parse_bnet(_constant_bnet(oracle, data))
    names = list(net.nodes)
    brute = []
    for values in itertools.product((0, 1), repeat=len(names)):
        state = dict(zip(names, values))
        if all(int(bool(evaluate(net.rules[n], state))) == state[n] for n in names):
            brute.append(state)
    bitset = trapspaces._fixed_points_bitset(net)
    old = trapspaces.BITSET_FIXED_POINT_NODES
    trapspaces.BITSET_FIXED_POINT_NODES = 0
    try:
        asp = trapspaces.fixed_points(net)
    finally:
        trapspaces.BITSET_FIXED_POINT_NODES = old
    assert bitset == asp
    key = lambda s: [s[n] for n in names]  # noqa: E731
    assert sorted(bitset, key=key) == sorted(brute, key=key)


def _implicant(rule, term, names):
    free = [n for n in names if n not in term]
    return all(
        evaluate(rule, {**term, **dict(zip(free, values))})
        for values in itertools.product((False, True), repeat=len(free))
    )


@settings(max_examples=40, deadline=None)
@given(oracles(max_nodes=4, min_nodes=4))
def test_prime_implicants_equal_all_prime_cubes(oracle):
    net = parse_bnet(oracle.bnet())
    names = list(net.nodes)
    for node in names:
        rule = net.rules[node]
        on, off = prime_implicants(rule, names)
        for terms, target in ((on, rule), (off, ~rule)):
            cubes = []
            for assignment in itertools.product((None, 0, 1), repeat=len(names)):
                term = {n: v for n, v in zip(names, assignment) if v is not None}
                if _implicant(target, term, names) and not any(
                    _implicant(target, {k: v for k, v in term.items() if k != d}, names) for d in term
                ):
                    cubes.append(sorted(term.items()))
            assert sorted(sorted(t.items()) for t in terms) == sorted(cubes)
