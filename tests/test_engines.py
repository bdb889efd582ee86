"""Every engine of every question on the same cases, against the brute-force oracle.

One public function per question, the ways of computing it private and
interchangeable (networkx's ``pagerank`` pattern): each table below lists the private
engines of one question, and one parametrized test runs every engine on the same
Hypothesis cases (``derandomize``: the same examples for every engine) against
:mod:`oracle`, which is written without signet's dynamics.

* percolation: the general closure (:mod:`signet.percolation`), the model's method
  and the compiled accelerator (from scratch and from an earlier closure);
* asynchronous attractors: bit sets, the sparse graph, and the aeon engine with and
  without explicit search inside trap spaces;
* synchronous attractors, fixed points (feedback vertex set, clingo), minimal trap
  spaces and most-permissive reachability (against mpbn).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from signet.dynamics import EngineConfig, explicit, symbolic, trapspaces
from signet.dynamics.compiled import CompiledNetwork
from signet.io.bnet import parse_bnet
from signet.percolation import reduce_network

from oracle import SETTINGS, oracles, questions, space_tuples, summary

SAME_CASES = settings(SETTINGS, derandomize=True)


# -- percolation -----------------------------------------------------------------------------
def _compiled_from_base(net, pins):
    # the screen's incremental use: the closure of one pin first, then all pins from it
    cn = CompiledNetwork(net)
    if not pins:
        return cn.percolate_values(pins)
    first = dict([next(iter(pins.items()))])
    base_pins = cn.encode(first)
    base = (base_pins[0], *cn.percolate(base_pins))
    return cn.decode(*cn.percolate(cn.encode(pins), base))


PERCOLATION = {
    "general": lambda net, pins: reduce_network(net.fix(pins) if pins else net).fixed,
    "model": lambda net, pins: net.percolate(pins)[1],
    "compiled": lambda net, pins: CompiledNetwork(net).percolate_values(pins),
    "compiled-from-base": _compiled_from_base,
}


@pytest.mark.parametrize("engine", PERCOLATION)
@SAME_CASES
@given(questions())
def test_percolation_engines_equal_enumeration(engine, case):
    oracle, pins, _ = case
    net = parse_bnet(oracle.bnet())
    got = PERCOLATION[engine](net, oracle.named(pins))
    assert got == oracle.named(dict(sorted(oracle.pinned(pins).percolate().items())))


@SAME_CASES
@given(questions())
def test_percolation_with_starts_removes_only_settled_nodes(case):
    # a node leaves only if its rule is constant, or it becomes constant and every start agrees
    oracle, pins, starts = case
    net = parse_bnet(oracle.bnet()).fix(oracle.named(pins))
    named = [oracle.named(s) for s in starts]
    reduced = reduce_network(net, named)
    closure = reduce_network(net).fixed
    constant = oracle.named(oracle.pinned(pins).constant_nodes())
    for node, value in reduced.fixed.items():
        assert closure[node] == value
        assert node in constant or all(s.get(node) == value for s in named)
    assert set(reduced.network.nodes) | set(reduced.fixed) == set(net.nodes)
    assert reduced.starts == tuple({n: v for n, v in s.items() if n not in reduced.fixed} for s in named)


# -- asynchronous attractors -----------------------------------------------------------------
def _explicit_summary(net, sets):
    return sorted(((tuple(explicit.space_of_states(net.nodes, s).items()), len(s)) for s in sets), key=repr)


def _aeon(trap_explicit_nodes):
    config = EngineConfig(trap_explicit_nodes=trap_explicit_nodes)

    def run(net, starts):
        found = symbolic.async_attractors(net, starts, config=config)
        return sorted(((tuple(a.space.items()), a.size) for a in found), key=repr)

    return run


ASYNC = {
    "explicit-bitset": lambda net, starts: _explicit_summary(net, explicit._async_bitset(net, starts)),
    "explicit-sparse": lambda net, starts: _explicit_summary(net, explicit._async_sparse(net, starts)),
    "aeon": _aeon(16),
    "aeon-symbolic-inside-trap-spaces": _aeon(0),
}


@pytest.mark.parametrize("engine", ASYNC)
@SAME_CASES
@given(questions(max_nodes=7))
def test_async_engines_equal_enumeration(engine, case):
    oracle, _, starts = case
    net = parse_bnet(oracle.bnet())
    assert ASYNC[engine](net, None) == summary(oracle.async_attractors(), oracle.names)
    named = [oracle.named(s) for s in starts]
    # an engine sees the network after percolation: it starts from the states as given
    states = sorted({s for partial in starts for s in oracle.start_states(partial, time_zero=False)})
    assert ASYNC[engine](net, named) == summary(oracle.async_attractors(states), oracle.names)


# -- synchronous attractors ------------------------------------------------------------------
@SAME_CASES
@given(questions(max_nodes=8))
def test_sync_engine_equals_enumeration(case):
    oracle, _, starts = case
    net = parse_bnet(oracle.bnet())
    assert _explicit_summary(net, explicit._sync_cycles(net, None)) == summary(oracle.sync_attractors(), oracle.names)
    named = [oracle.named(s) for s in starts]
    states = sorted({s for partial in starts for s in oracle.start_states(partial, time_zero=False)})
    got = _explicit_summary(net, explicit._sync_cycles(net, named))
    assert got == summary(oracle.sync_attractors(states), oracle.names)


# -- fixed points ------------------------------------------------------------------------------
def _fvs(net):
    fvs, order = trapspaces.feedback_vertex_set(net)
    return trapspaces._fixed_points_fvs(net, fvs, order)


def _fvs_known(net):
    from signet.percolation import percolated_values

    known = percolated_values(net)
    fvs, order = trapspaces.feedback_vertex_set(net, known=known)
    return trapspaces._fixed_points_fvs(net, fvs, order, known)


FIXED_POINTS = {
    "fvs": _fvs,
    "fvs-percolated": _fvs_known,
    "asp": trapspaces._fixed_points_asp,
}


@pytest.mark.parametrize("engine", FIXED_POINTS)
@SAME_CASES
@given(oracles(max_nodes=8))
def test_fixed_point_engines_equal_enumeration(engine, oracle):
    net = parse_bnet(oracle.bnet())
    got = FIXED_POINTS[engine](net)
    assert got == sorted(got, key=lambda p: [p[n] for n in net.nodes])  # the documented order
    assert space_tuples(got, oracle.names) == sorted(oracle.fixed_points(), key=repr)


# -- minimal trap spaces and most-permissive reachability ----------------------------------------
MP = {
    "asp": lambda net, pins: trapspaces.minimal_trap_spaces(net.fix(pins) if pins else net),
    "compiled": lambda net, pins: CompiledNetwork(net).mp_response(pins, [{}]),
}


@pytest.mark.parametrize("engine", MP)
@SAME_CASES
@given(questions())
def test_minimal_trap_space_engines_equal_enumeration(engine, case):
    oracle, pins, _ = case
    net = parse_bnet(oracle.bnet())
    got = MP[engine](net, oracle.named(pins))
    assert space_tuples(got, oracle.names) == sorted(oracle.pinned(pins).minimal_trap_spaces(), key=repr)


@SAME_CASES
@given(questions(max_nodes=5))
def test_mp_reachability_equals_mpbn(case):
    import mpbn  # a test dependency (setup.cfg [test]): missing means failing, not skipped

    from signet.expr import to_bnet

    oracle, pins, starts = case
    net = parse_bnet(oracle.bnet())
    fixed = net.fix(oracle.named(pins))
    mbn = mpbn.MPBooleanNetwork({n: to_bnet(r) for n, r in fixed.rules.items()})
    expected = set()
    for s in starts:
        # pinned nodes and constant rules act from time 0: they start at their value
        start = {**oracle.named(s), **fixed.constants}
        expected |= {tuple(a[n] for n in oracle.names) for a in mbn.attractors(reachable_from=start)}
    got = CompiledNetwork(net).mp_response(oracle.named(pins), [oracle.named(s) for s in starts])
    assert space_tuples(got, oracle.names) == sorted(expected, key=repr)
