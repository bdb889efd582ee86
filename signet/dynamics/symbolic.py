"""Exact asynchronous attractors of large networks with biodivine-aeon (BDDs).

The free part of the network is handed to AEON as bnet text with nodes renamed
``v0 .. v{n-1}`` (AEON accepts a narrower set of names than signet).  Attractors are
AEON's terminal SCCs (``Attractors.attractors``), restricted to the forward
reachable set of the start states when there are starts.  Sizes are exact
cardinalities of the BDD vertex sets.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..errors import EngineError
from ..expr import Var, substitute, to_bnet
from ..model import BooleanNetwork

__all__ = ["SymbolicAttractor", "aeon_network", "async_attractors"]


class SymbolicAttractor:
    """One attractor found by AEON: its size, smallest enclosing subspace, and states on demand."""

    def __init__(self, vertices, names: Sequence[str]) -> None:
        self._vertices = vertices
        self._names = list(names)
        self.size = int(vertices.cardinality())
        enclosing = vertices.enclosing_named_subspace() or {}
        self.space: dict[str, int | str] = {}
        for i, node in enumerate(self._names):
            value = enclosing.get(f"v{i}")
            self.space[node] = "*" if value is None else int(bool(value))

    def states(self, limit: int) -> list[dict[str, int]] | None:
        """The states as dicts, or ``None`` if there are more than ``limit``."""
        if self.size > limit:
            return None
        out = []
        for vertex in self._vertices.items():
            values = vertex.to_named_dict() if hasattr(vertex, "to_named_dict") else dict(vertex)
            out.append({self._names[int(k[1:])]: int(bool(v)) for k, v in values.items()})
        return out


def aeon_network(network: BooleanNetwork):
    """An AEON ``BooleanNetwork`` equal to ``network`` (nodes renamed ``v0 .. v{n-1}``)."""
    import biodivine_aeon as ba

    table = {n: Var(f"v{i}") for i, n in enumerate(network.nodes)}
    lines = ["targets, factors"]
    for i, node in enumerate(network.nodes):
        rule = substitute(network.rules[node], table)
        text = to_bnet(rule)
        if text == "1":
            text = "true"
        elif text == "0":
            text = "false"
        lines.append(f"v{i}, {text}")
    try:
        return ba.BooleanNetwork.from_bnet("\n".join(lines) + "\n", repair_graph=True)
    except Exception as exc:  # AEON raises plain exceptions
        raise EngineError(f"biodivine-aeon could not load the network: {exc}") from None


def async_attractors(
    network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None = None
) -> list[SymbolicAttractor]:
    """Asynchronous attractors of ``network`` (all, or those reachable from ``starts``).

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"})
    >>> [(a.size, a.space) for a in async_attractors(net)]
    [(4, {'A': '*', 'B': '*', 'C': 1})]
    """
    import biodivine_aeon as ba

    if len(network) == 0:
        raise EngineError("the symbolic engine needs at least one free node")
    graph = ba.AsynchronousGraph(aeon_network(network))
    index = {n: i for i, n in enumerate(network.nodes)}
    initial = None
    if starts is not None:
        initial = graph.mk_empty_colored_vertices()
        for start in starts:
            initial = initial.union(graph.mk_subspace({f"v{index[n]}": bool(v) for n, v in start.items()}))
        initial = ba.Reachability.forward_superset(graph, initial)
    found = ba.Attractors.attractors(graph, initial) if initial is not None else ba.Attractors.attractors(graph)
    out = [SymbolicAttractor(a.vertices(), network.nodes) for a in found]
    out.sort(key=lambda a: [str(a.space[n]) for n in network.nodes])
    return out
