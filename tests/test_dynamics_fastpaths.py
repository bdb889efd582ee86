"""Building blocks of the fast engines against brute force (the engines themselves: tests/test_engines.py).

* the feedback vertex set and its causal order, and fixed points with many solutions;
* prime implicants from integer truth tables against brute force over all cubes;
* bit-parallel evaluation of a rule deeper than the recursion limit.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings, strategies as st

from signet.dynamics import trapspaces
from signet.dynamics import fixed_points as dynamics_fixed_points
from signet.percolation import percolated_values
from signet.primes import prime_implicants
from signet.expr import equivalent, evaluate
from signet.io.bnet import parse_bnet

from oracle import SETTINGS, oracles


def _constant_bnet(oracle, data):
    """The oracle's network with some nodes' rules replaced by constants."""
    lines = oracle.bnet().splitlines()
    for i in range(oracle.n):
        if data.draw(st.booleans()):
            lines[i] = f"x{i}, {data.draw(st.sampled_from(['0', '1']))}"
    return "\n".join(lines) + "\n"


def _brute_fixed_points(net):
    names = list(net.nodes)
    brute = []
    for values in itertools.product((0, 1), repeat=len(names)):
        state = dict(zip(names, values))
        if all(int(bool(evaluate(net.rules[n], state))) == state[n] for n in names):
            brute.append(state)
    return brute


def _is_feedback_vertex_set(net, fvs, order):
    from signet.expr import variables

    inside = set(fvs)
    assert inside.isdisjoint(order) and inside | set(order) == set(net.nodes)
    seen = set()
    for node in order:  # causal: every regulator outside the set comes earlier (so no cycle avoids it)
        assert all(r in inside or r in seen for r in variables(net.rules[node])), node
        seen.add(node)


@SETTINGS
@given(oracles(max_nodes=8), st.data())
def test_fixed_points_fvs_equal_asp_and_enumeration(oracle, data):
    net = parse_bnet(_constant_bnet(oracle, data))
    names = list(net.nodes)
    fvs, order = trapspaces.feedback_vertex_set(net)
    _is_feedback_vertex_set(net, fvs, order)
    got = trapspaces._fixed_points_fvs(net, fvs, order)
    assert got == trapspaces._fixed_points_asp(net) == trapspaces.fixed_points(net)
    # with the percolated constants left out of the graph (the public path)
    known = percolated_values(net)
    fvs2, order2 = trapspaces.feedback_vertex_set(net, known=known)
    assert set(fvs2) | set(order2) | set(known) == set(names)
    assert trapspaces.fixed_points(net, known) == got == dynamics_fixed_points(net)
    key = lambda s: [s[n] for n in names]  # noqa: E731
    assert sorted(got, key=key) == sorted(_brute_fixed_points(net), key=key)


def test_fixed_points_fvs_many_points_and_limit():
    # 7 self-loops: 128 fixed points (the numpy decoding branch), plus a causal tail and a cycle
    lines = [f"s{i}, s{i}" for i in range(7)] + ["t, s0 & !s1", "u, t | s6", "a, b | u", "b, a"]
    net = parse_bnet("\n".join(lines) + "\n")
    fvs, order = trapspaces.feedback_vertex_set(net)
    assert set(fvs) >= {f"s{i}" for i in range(7)} and len(fvs) == 8
    _is_feedback_vertex_set(net, fvs, order)
    got = trapspaces.fixed_points(net)
    names = list(net.nodes)
    key = lambda s: [s[n] for n in names]  # noqa: E731
    assert len(got) > 64
    assert sorted(got, key=key) == sorted(_brute_fixed_points(net), key=key)
    assert got == trapspaces._fixed_points_asp(net)
    assert trapspaces.feedback_vertex_set(net, limit=7) is None


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


def test_bit_parallel_evaluation_of_a_very_deep_rule():
    # deeper than the recursion limit: the iterative walk takes over, same answer
    from signet.primes import evaluate_bits
    from signet.expr import And, Not, Var

    rule = Var("x")
    for i in range(5000):
        rule = And((Not(rule), Var("y"))) if i % 2 else Not(rule)
    full = 0b1111
    values = {"x": 0b1010, "y": 0b1100}
    want = values["x"]
    for i in range(5000):  # the same rule, evaluated from the inside out
        want = (full ^ want) & values["y"] if i % 2 else full ^ want
    assert evaluate_bits(rule, values, full) == want


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rule_tables_of_large_sums_of_products_equal_pointwise_evaluation(data):
    # over CUBE_VARIABLES or more names a sum's products are built by doubling: every
    # entry must be the rule's value there (checked on sampled assignments and corners)
    import random

    from signet.expr import And, Not, Or, Var, evaluate
    from signet.primes import CUBE_VARIABLES, rule_table

    k = data.draw(st.integers(CUBE_VARIABLES, CUBE_VARIABLES + 2))
    names = [f"v{j}" for j in range(k)]
    literal = st.builds(lambda j, neg: Not(Var(names[j])) if neg else Var(names[j]),
                        st.integers(0, k - 1), st.booleans())
    term = st.one_of(literal, st.lists(literal, min_size=2, max_size=6).map(lambda xs: And(tuple(xs))),
                     st.lists(literal, min_size=2, max_size=3).map(lambda xs: Not(Or(tuple(xs)))))
    sums = st.lists(term, min_size=2, max_size=8).map(lambda xs: Or(tuple(xs)))
    nested = st.builds(lambda lit, inner: And((lit, inner)), literal, sums)  # a product that is no cube
    rule = Or(tuple(data.draw(st.lists(st.one_of(term, sums, nested), min_size=2, max_size=12))))
    order = data.draw(st.permutations(names))
    table = rule_table(rule, order)
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    for index in [0, (1 << k) - 1] + [rng.randrange(1 << k) for _ in range(200)]:
        values = {n: bool((index >> j) & 1) for j, n in enumerate(order)}
        assert (table >> index) & 1 == int(evaluate(rule, values))
