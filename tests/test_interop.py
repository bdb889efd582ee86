"""Conversions to and from networkx, mpbn, biodivine-aeon and pyboolnet (issue 14, item 5),
checked against the real packages: the rules keep their functions (brute force over every
state) and each tool's own analysis of the converted network agrees with signet's."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from signet import attractors
from signet.errors import ModelError
from signet.expr import evaluate
from signet.io import read_model
from signet.model import BooleanNetwork

from strategies import networks

REPO = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same_functions(a: BooleanNetwork, b: BooleanNetwork) -> bool:
    """Brute force: the same nodes and the same value of every rule in every state."""
    if a.nodes != b.nodes and set(a.nodes) != set(b.nodes):
        return False
    names = list(a.nodes)
    for values in product((0, 1), repeat=len(names)):
        state = dict(zip(names, values))
        if any(bool(evaluate(a.rules[n], state)) != bool(evaluate(b.rules[n], state)) for n in names):
            return False
    return True


@SETTINGS
@given(networks(max_nodes=5))
def test_round_trips_keep_every_function(net):
    for there, back in [("to_networkx", BooleanNetwork.from_networkx), ("to_mpbn", BooleanNetwork.from_mpbn),
                        ("to_aeon", BooleanNetwork.from_aeon),
                        ("to_pyboolnet_primes", BooleanNetwork.from_pyboolnet_primes)]:
        assert same_functions(net, back(getattr(net, there)())), there


@SETTINGS
@given(networks(max_nodes=5))
@example(BooleanNetwork({"n0": "!n0 & !n0", "n1": "n0 & !n0"}))  # n1 is constant 0: mpbn read it as free
def test_mpbn_attractors_of_the_converted_network_are_signets(net):
    # values as text: a space may hold 0 where another holds "*" (ints and strings do not compare)
    ours = sorted(sorted((n, str(v)) for n, v in a.space.items()) for a in attractors(net, "mp").attractors)
    theirs = sorted(sorted((n, str(v)) for n, v in a.items()) for a in net.to_mpbn().attractors())
    assert ours == theirs


@SETTINGS
@given(networks(max_nodes=5))
def test_aeon_and_pyboolnet_see_the_same_fixed_points(net):
    import biodivine_aeon as ba
    from pyboolnet.trap_spaces import compute_steady_states

    fixed = sorted(sorted(a.space.items()) for a in attractors(net, "async").attractors if a.kind == "fixed")
    graph = ba.AsynchronousGraph(net.to_aeon())
    aeon_fixed = []
    for vertex in ba.FixedPoints.symbolic_vertices(graph).items():
        values = vertex.to_named_dict() if hasattr(vertex, "to_named_dict") else dict(vertex.items())
        aeon_fixed.append(sorted((str(k if isinstance(k, str) else graph.get_variable_name(k)), int(v))
                                 for k, v in values.items()))
    assert sorted(aeon_fixed) == fixed
    steady = compute_steady_states(net.to_pyboolnet_primes())
    assert sorted(sorted(s.items()) for s in steady) == fixed


def test_networkx_graph_carries_signs_rules_and_metadata():
    net = read_model(REPO / "networks" / "atm_p53_core.bnet")
    graph = net.to_networkx()
    assert set(graph.nodes) == set(net.nodes)
    assert graph.edges["MDM2", "TP53"]["sign"] == "-" and graph.edges["ATM", "TP53"]["sign"] == "+"
    assert graph.nodes["RT"]["kind"] == "input"
    assert BooleanNetwork.from_networkx(graph).is_equivalent(net)


def test_bad_foreign_objects_are_clear_errors():
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_node("A")
    with pytest.raises(ModelError, match="node 'A' has no 'rule' attribute"):
        BooleanNetwork.from_networkx(graph)
    with pytest.raises(ModelError, match="not \\[\\[0-primes\\], \\[1-primes\\]\\]"):
        BooleanNetwork.from_pyboolnet_primes({"A": "nonsense"})
