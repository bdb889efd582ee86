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


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_only_the_moving_nodes_ever_flip(net, data):
    # the simulation lists the enabled flips of the moving nodes only: every other node must be
    # stable in every state reachable from the columns (brute force over the async graph)
    import numpy as np

    from signet.dynamics.simulate import _compile, _moving_nodes

    nodes = list(net.nodes)
    pins = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2))
    phase = _compile(net, [("", net.fix(pins) if pins else net, None)])[0]
    columns = data.draw(st.lists(st.lists(st.booleans(), min_size=len(nodes), max_size=len(nodes)), min_size=1,
                                 max_size=4))
    state = np.array(columns, dtype=bool).T.copy()
    for j, v in phase.constants.items():
        state[j, :] = bool(v)
    moving, evaluate_moving = _moving_nodes(state, phase)
    assert moving.tolist() == sorted(moving.tolist())
    rules = phase.network.rules
    seen = {tuple(map(int, col)) for col in state.T}
    stack = list(seen)
    while stack:
        s = dict(zip(nodes, stack.pop()))
        for j, n in enumerate(nodes):
            target = int(bool(evaluate(rules[n], s)))
            if target != s[n]:
                assert j in moving.tolist(), (n, s)
                t = tuple(target if m == n else s[m] for m in nodes)
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
    # the compiled rules of the moving nodes are the phase's rules
    out = np.empty((len(moving), state.shape[1]), dtype=bool)
    evaluate_moving(state[moving], out)
    for k, j in enumerate(moving.tolist()):
        for c in range(state.shape[1]):
            s = dict(zip(nodes, map(int, state[:, c])))
            assert out[k, c] == bool(evaluate(rules[nodes[j]], s))


@SETTINGS
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_a_catalogue_skipping_states_it_has_reached_knows_the_same_attractors(net, data):
    import numpy as np

    from signet.dynamics.settling import AttractorCatalogue

    nodes = list(net.nodes)
    columns = data.draw(st.lists(st.lists(st.booleans(), min_size=len(nodes), max_size=len(nodes)), min_size=1,
                                 max_size=6))
    skipping, exploring = AttractorCatalogue(net, net, {}), AttractorCatalogue(net, net, {})
    for column in columns:
        state = np.array([column], dtype=bool).T
        packed = np.packbits(state, axis=0)
        skipping.learn(packed, state)
        exploring.explored.clear()  # nothing to skip: every state is explored
        exploring.learn(packed, state)
    assert [a.packed.tobytes() for a in skipping.attractors] == [a.packed.tobytes() for a in exploring.attractors]


def _async_attractors(net, pins):
    """Brute force: the attractors (sets of state tuples) of the asynchronous chain of ``net``
    with ``pins`` held fixed (and constant rules holding from time 0, as in the simulation)."""
    import itertools

    import networkx as nx

    nodes = list(net.nodes)
    fixed = net.fix(pins) if pins else net
    graph = nx.DiGraph()
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        s = dict(zip(nodes, bits))
        if any(s[n] != v for n, v in fixed.constants.items()):
            continue
        graph.add_node(bits)
        for j, n in enumerate(nodes):
            target = int(bool(evaluate(fixed.rules[n], s)))
            if target != bits[j]:
                graph.add_edge(bits, bits[:j] + (target,) + bits[j + 1:])
    condensed = nx.condensation(graph)
    return [frozenset(condensed.nodes[c]["members"]) for c in condensed if condensed.out_degree(c) == 0]


@SETTINGS
@given(networks(min_nodes=1, max_nodes=5), st.data())
def test_a_shared_attractor_is_used_exactly_where_it_is_an_attractor(net, data):
    # records found under some pins, asked about under other pins: is_attractor_under must say
    # exactly whether the record is an attractor of the chain with those pins (brute force)
    import numpy as np

    from signet.dynamics.compiled import compiled
    from signet.dynamics.settling import SharedAttractors

    nodes = list(net.nodes)
    cn = compiled(net)

    def pins_of(assignment):
        mask = sum(1 << nodes.index(n) for n in assignment) | cn.constant_mask
        values = sum(v << nodes.index(n) for n, v in assignment.items())
        values |= cn.constant_values & ~sum(1 << nodes.index(n) for n in assignment)
        return mask, values

    pin_sets = [data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2)) for _ in range(3)]
    shared = SharedAttractors(cn)
    records = []
    for origin in pin_sets:
        for states in _async_attractors(net, origin):
            rows = np.array(sorted(states), dtype=bool).reshape(len(states), len(nodes))
            before = len(shared.records)
            shared.add(np.packbits(rows, axis=1), None, pins_of(origin))
            if len(shared.records) > before:
                records.append(states)
    for other in pin_sets + [{}]:
        truth = set(_async_attractors(net, other))
        for index, states in enumerate(records):
            assert shared.is_attractor_under(index, pins_of(other)) == (states in truth), (other, sorted(states))


@SETTINGS
@given(networks(min_nodes=2, max_nodes=5), st.data())
def test_a_catalogue_placing_states_through_shared_records_places_them_as_its_own_would(net, data):
    # a row's catalogue, fed by other rows' attractors (the model-wide store), places every
    # state exactly where a catalogue of its own phase alone places it
    import numpy as np

    from signet.dynamics import settling

    nodes = list(net.nodes)
    index = {n: j for j, n in enumerate(nodes)}
    rows = [data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2)) for _ in range(3)]
    states = [data.draw(st.fixed_dictionaries({n: st.integers(0, 1) for n in nodes})) for _ in range(4)]
    settling._SHARED.clear()

    def catalogue(pins):
        fixed = net.fix(pins) if pins else net
        return settling.AttractorCatalogue(net, fixed, {index[n]: v for n, v in fixed.constants.items()},
                                           hands_on=False)

    def column(state, pins):
        s = {**state, **(net.fix(pins) if pins else net).constants}
        col = np.array([[bool(s[n])] for n in nodes])
        return np.packbits(col, axis=0), col

    for pins in rows:  # every row learns from every state: the store fills up
        c = catalogue(pins)
        for state in states:
            c.learn(*column(state, pins))
    for pins in rows:
        fresh = catalogue(pins)  # learns nothing itself: every answer comes from the store
        own = catalogue(pins)
        for state in states:
            packed, col = column(state, pins)
            own.learn(packed, col)
            mine, theirs = own.lookup(packed)[0], fresh.lookup(packed)[0]
            assert (mine >= 0) == (theirs >= 0)
            if mine >= 0:
                assert np.array_equal(own.attractors[mine].packed, fresh.attractors[theirs].packed)
                bits = tuple(int(v) for v in col[:, 0])
                holding = [att for att in _async_attractors(net, pins) if bits in att]
                assert len(holding) == 1  # the state is in an attractor of this row's chain: that one
                members = np.unpackbits(fresh.attractors[theirs].packed, axis=1, count=len(nodes))
                assert {tuple(int(v) for v in row) for row in members} == set(holding[0])
    settling._SHARED.clear()
