"""The signed interaction graph of a Boolean network.

Edge signs are decided from the Boolean functions (monotonicity), not from how a rule
is spelled: ``A & !(!B)`` gives ``B -> A`` the sign ``+``; ``A ^ B`` written out gives
``?`` for both.  A regulator that occurs in a rule but cannot change it is *unused*:
that usually hides a modelling error, and is reported.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("A, A\\nB, A & !C | A & C\\nC, !B")
>>> g = interaction_graph(net)
>>> sorted((u, v, d["sign"]) for u, v, d in g.edges(data=True))
[('A', 'B', '+'), ('B', 'C', '-')]
>>> unused_regulators(net)
[('C', 'B')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .model import BooleanNetwork

__all__ = ["interaction_graph", "unused_regulators", "signed_edges"]


def signed_edges(network: "BooleanNetwork") -> list[tuple[str, str, str]]:
    """``(regulator, target, sign)`` for every regulation that matters; sign in ``+ - ?``.

    An input's self-loop (``X, X``) is not a regulation and is left out.
    """
    return [(u, v, s) for u, v, s in network.edges() if s != "0"]


def unused_regulators(network: "BooleanNetwork") -> list[tuple[str, str]]:
    """``(regulator, target)`` pairs where the regulator occurs in the rule but has no effect.

    In a multi-valued network (level bits ``X_b1 .. X_bm``, :mod:`signet.levels`) a pair is
    one of nodes, not of bits: a level bit that a rule reads without effect while another
    bit of the same node acts is the encoding at work (``X >= 2`` reads ``X_b1`` and
    ``X_b2``), and a node's own bits read each other by construction; neither is reported.
    """
    from .levels import level_bit, network_level_groups

    edges = network.edges()
    if not network_level_groups(network):
        return [(u, v) for u, v, s in edges if s == "0"]

    def node(name: str) -> str:
        return level_bit(network, name) or name

    used = {(node(u), node(v)) for u, v, s in edges if s != "0"}
    out: list[tuple[str, str]] = []
    for u, v, s in edges:
        pair = (node(u), node(v))
        if s == "0" and pair[0] != pair[1] and pair not in used and pair not in out:
            out.append(pair)
    return out


def interaction_graph(network: "BooleanNetwork") -> "nx.DiGraph":
    """A networkx ``DiGraph`` of the regulations that matter, with edge attribute ``sign``.

    Node attributes: ``kind`` (``input``, ``constant``, ``output`` or ``internal``) and,
    when the model has metadata, ``module`` and ``label``.
    """
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph(name=network.name)
    constants = network.constants
    inputs = set(network.inputs)
    outputs = set(network.outputs)
    for node in network.nodes:
        kind = ("input" if node in inputs else "constant" if node in constants
                else "output" if node in outputs else "internal")
        info = network.annotations.nodes.get(node)
        graph.add_node(node, kind=kind, module=info.module if info else "", label=info.label if info else "")
    for u, v, s in signed_edges(network):
        graph.add_edge(u, v, sign=s)
    return graph
