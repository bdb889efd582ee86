"""Exact asynchronous attractors of large networks with biodivine-aeon (BDDs).

The free part of the network is handed to AEON as bnet text with nodes renamed
``v0 .. v{n-1}`` (AEON accepts a narrower set of names than signet).  The search is
guided by the minimal trap spaces (see :func:`async_attractors`); with start states,
an attractor is kept if its backward reachable set (AEON) meets the starts.  Sizes
are exact cardinalities of the BDD vertex sets.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..errors import EngineError
from ..expr import Var, substitute, to_bnet
from ..model import BooleanNetwork

__all__ = ["SymbolicAttractor", "aeon_network", "async_attractors"]


class SymbolicAttractor:
    """One attractor found by AEON: its size, smallest enclosing subspace, and states on demand.

    ``names`` are the nodes of the network AEON analysed (``v{i}`` is ``names[i]``);
    ``values`` are nodes fixed outside it; ``nodes`` the order of the result's space.
    ``colored`` is the attractor as a set of the full graph, or a set that meets the
    forward reachable set of a start iff the attractor is reachable.
    """

    def __init__(self, vertices, names: Sequence[str], colored=None, values=None, nodes=None) -> None:
        self._vertices = vertices
        self._colored = colored
        self._names = list(names)
        self._values = dict(values or {})
        self.size = int(vertices.cardinality())
        enclosing = vertices.enclosing_named_subspace() or {}
        space: dict[str, int | str] = dict(self._values)
        for i, node in enumerate(self._names):
            value = enclosing.get(f"v{i}")
            space[node] = "*" if value is None else int(bool(value))
        order = list(nodes) if nodes is not None else self._names
        self.space = {n: space[n] for n in order}

    def states(self, limit: int) -> list[dict[str, int]] | None:
        """The states as dicts, or ``None`` if there are more than ``limit``."""
        if self.size > limit:
            return None
        out = []
        for vertex in self._vertices.items():
            values = dict(self._values)
            values.update({self._names[int(k[1:])]: int(bool(v)) for k, v in vertex.to_named_dict().items()})
            out.append({n: values[n] for n in self.space})
        return out

    def aeon_set(self, graph, index):
        return self._colored


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


class _ExplicitAttractor:
    """An attractor found explicitly inside a minimal trap space.

    ``codes`` are its states as integers over ``free`` (node ``free[j]`` is bit ``j``),
    ``values`` the nodes fixed around it; states are decoded only when asked for.
    """

    def __init__(self, codes, free: Sequence[str], values: Mapping[str, int], names: Sequence[str]) -> None:
        from .explicit import space_of_states

        self._codes = codes
        self._free = list(free)
        self._values = dict(values)
        self._names = list(names)
        self.size = int(len(codes))
        inner = space_of_states(self._free, codes) if self._free else {}
        self.space: dict[str, int | str] = {n: inner[n] if n in inner else self._values[n] for n in names}

    def _decoded(self) -> list[dict[str, int]]:
        out = []
        for code in self._codes.tolist():
            state = dict(self._values)
            state.update({n: (code >> j) & 1 for j, n in enumerate(self._free)})
            out.append({n: state[n] for n in self._names})
        return out

    def states(self, limit: int) -> list[dict[str, int]] | None:
        return self._decoded() if self.size <= limit else None

    def aeon_set(self, graph, index):
        out = graph.mk_empty_colored_vertices()
        for st in self._decoded():
            out = out.union(graph.mk_subspace({f"v{index[n]}": bool(v) for n, v in st.items()}))
        return out


def async_attractors(
    network: BooleanNetwork,
    starts: Sequence[Mapping[str, int]] | None = None,
    *,
    explicit_nodes: int = 16,
) -> list:
    """Asynchronous attractors of ``network`` (all, or those reachable from ``starts``).

    Every minimal trap space holds at least one attractor; the attractors inside each
    one are found on the network with the trap space's values percolated (explicitly
    when at most ``explicit_nodes`` nodes stay free, else with AEON).  Attractors
    outside every minimal trap space (motif-avoidant ones) can only lie in the states
    that cannot reach any minimal trap space: that set is computed by symbolic backward
    reachability and, when not empty, searched with AEON.  The result is exact.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"})
    >>> [(a.size, a.space) for a in async_attractors(net)]
    [(4, {'A': '*', 'B': '*', 'C': 1})]
    """
    import biodivine_aeon as ba

    from . import explicit
    from ._reduce import percolate
    from .trapspaces import minimal_trap_spaces

    if len(network) == 0:
        raise EngineError("the symbolic engine needs at least one free node")
    nodes = network.nodes
    index = {n: i for i, n in enumerate(nodes)}
    graph = ba.AsynchronousGraph(aeon_network(network))

    def subspace(values: Mapping[str, int | str]):
        return graph.mk_subspace({f"v{index[n]}": bool(v) for n, v in values.items() if v != "*"})

    found: list = []
    traps = minimal_trap_spaces(network)
    covered = graph.mk_empty_colored_vertices()
    for trap in traps:
        fixed = {n: int(v) for n, v in trap.items() if v != "*"}
        covered = covered.union(subspace(fixed))
        sub, values = percolate(network.fix(fixed) if fixed else network)
        if len(sub) <= explicit_nodes:
            if len(sub) == 0:
                import numpy as np

                found.append(_ExplicitAttractor(np.zeros(1, dtype=np.int64), (), values, nodes))
                continue
            for codes in explicit.attractor_sets(sub, "async"):
                found.append(_ExplicitAttractor(codes, sub.nodes, values, nodes))
        else:
            # a separate, smaller graph for the trap space is much faster than a restricted search
            sub_graph = ba.AsynchronousGraph(aeon_network(sub))
            inside = ba.Attractors.xie_beerel(sub_graph)
            if len(inside) == 1 or starts is None:
                for att in inside:
                    # with one attractor in the trap space, reaching the trap space means reaching it
                    found.append(SymbolicAttractor(att.vertices(), sub.nodes, subspace(fixed), values, nodes))
            else:
                for att in ba.Attractors.attractors(graph, subspace(fixed)):
                    found.append(SymbolicAttractor(att.vertices(), nodes, att))
    # states that cannot reach a minimal trap space form a trap set; attractors there are motif-avoidant
    rest = graph.mk_unit_colored_vertices().minus(ba.Reachability.backward_superset(graph, covered))
    if not rest.is_empty():
        for att in ba.Attractors.attractors(graph, rest):
            found.append(SymbolicAttractor(att.vertices(), nodes, att))
    if starts is not None:
        initial = graph.mk_empty_colored_vertices()
        for start in starts:
            initial = initial.union(subspace(start))
        if len(found) > 1:
            # backward reachability from each attractor is far cheaper than forward from the starts
            found = [
                a for a in found
                if not ba.Reachability.backward_superset(graph, a.aeon_set(graph, index)).intersect(initial).is_empty()
            ]
    found.sort(key=lambda a: [str(a.space[n]) for n in nodes])
    return found
