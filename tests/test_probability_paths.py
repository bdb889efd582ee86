"""The faster paths of the probability screen against the general ones they replace
(Hypothesis on small random networks): settled nodes from the model's compiled network,
rules compiled once per rule object, the context-wide attractor catalogue."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import networks

from signet.dynamics.markov import Distribution, _settled, explore, settled_in_fixed
from signet.expr import evaluate

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_settled_from_the_compiled_model_equals_substituting_into_the_rules(net, data):
    nodes = list(net.nodes)
    pins = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=3))
    starts = data.draw(st.lists(st.fixed_dictionaries({n: st.integers(0, 1) for n in nodes}), min_size=1,
                                max_size=3))
    fixed = net.fix(pins) if pins else net
    start = Distribution.uniform(nodes, [(1.0, s) for s in starts])
    assert settled_in_fixed(net, fixed, start) == _settled(fixed, start)


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_the_chain_is_the_same_with_rules_compiled_once(net, data):
    # the image function evaluates the model's rules with settled values as constants: the chain
    # (states, transitions) must be the one of the rules with those values substituted
    nodes = list(net.nodes)
    pins = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2))
    fixed = net.fix(pins) if pins else net
    start = Distribution.uniform(nodes, [(1.0, data.draw(st.fixed_dictionaries({n: st.integers(0, 1)
                                                                                for n in nodes})))])
    chain = explore(fixed, start)
    # brute force: the states reachable by single flips of nodes whose rule disagrees (constant
    # rules, pins included, hold from time 0)
    first = dict(start.states()[0], **fixed.constants)
    seen = {tuple(first[n] for n in nodes)}
    stack, edges = [first], set()
    while stack:
        s = stack.pop()
        for n in nodes:
            target = int(bool(evaluate(fixed.rules[n], s)))
            if target != s[n]:
                t = dict(s, **{n: target})
                key = tuple(t[m] for m in nodes)
                edges.add((tuple(s[m] for m in nodes), key))
                if key not in seen:
                    seen.add(key)
                    stack.append(t)
    decoded = []
    for code in chain.codes.tolist():
        full = dict(chain.fixed, **{n: (code >> j) & 1 for j, n in enumerate(chain.free)})
        decoded.append(tuple(full[n] for n in nodes))
    assert set(decoded) == seen
    assert len(chain.src) == len(edges)


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_a_fixed_network_inherits_its_constants(net, data):
    pins = data.draw(st.dictionaries(st.sampled_from(list(net.nodes)), st.integers(0, 1), max_size=3))
    net.constants  # noqa: B018 - computed, so that fix() hands it on
    fixed = net.fix(pins)
    fresh = type(net)(dict(fixed.rules))
    assert fixed.constants == fresh.constants
    assert list(fixed.constants) == list(fresh.constants)
