"""Percolation of constants before analysis, aware of start states.

Without a start, every node that percolation fixes has its fixed value in every
attractor, so the attractors of the network are those of the reduced network with
the fixed values added back.  With start states this is not enough: a node that
percolation would fix but that *starts* at the other value can influence others
before it settles.  So with starts, a node is removed only if its rule is a constant
(a perturbation or fixed input, which acts from time 0: the start takes its value) or
its rule becomes constant given the removed nodes *and* every start already has that
value.  Every other node stays in the reduced network (perhaps with a constant rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from ..expr import Const, constant_value, substitute, variables
from ..model import BooleanNetwork

__all__ = ["Reduced", "reduce_network"]


@dataclass(frozen=True)
class Reduced:
    """A network reduced for analysis.

    Attributes
    ----------
    network
        The free part: rules over free nodes only.
    fixed
        Values of the removed nodes (they hold in every state the analysis cares about).
    starts
        The start subspaces restricted to the free nodes (``None`` when there is no start).
    """

    network: BooleanNetwork
    fixed: dict[str, int]
    starts: tuple[dict[str, int], ...] | None

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.network.nodes


def reduce_network(network: BooleanNetwork, starts: Sequence[Mapping[str, int]] | None = None) -> Reduced:
    """Remove the nodes whose value is settled (see the module docstring).

    Examples
    --------
    >>> net = BooleanNetwork({"A": "0", "B": "B | A", "C": "A"})
    >>> r = reduce_network(net)
    >>> r.fixed, r.nodes
    ({'A': 0, 'C': 0}, ('B',))
    >>> r = reduce_network(net, [{"A": 1, "B": 0, "C": 1}])
    >>> r.fixed, r.nodes, r.starts
    ({'A': 0}, ('B', 'C'), ({'B': 0, 'C': 1},))
    """
    if starts is None:
        reduced, values = network.percolate()
        return Reduced(reduced, values, None)
    starts = [network.resolve_assignment(s) for s in starts]
    rules = dict(network.rules)
    constants = network.constants
    targets: dict[str, list[str]] = {n: [] for n in rules}
    for t, r in rules.items():
        for v in variables(r):
            targets[v].append(t)
    accepted: dict[str, int] = {}
    pending = list(reversed(network.nodes))
    queued = set(pending)
    while pending:
        node = pending.pop()
        queued.discard(node)
        if node in accepted:
            continue
        rule = rules[node]
        known = {v: accepted[v] for v in variables(rule) if v in accepted}
        if known:
            rule = substitute(rule, known)
            rules[node] = rule
        value = rule.value if isinstance(rule, Const) else constant_value(rule)
        if value is None:
            continue
        value = int(value)
        if node in constants or all(s.get(node) == value for s in starts):
            accepted[node] = value
            for t in targets[node]:
                if t not in accepted and t not in queued:
                    pending.append(t)
                    queued.add(t)
    free = {}
    for n in network.nodes:
        if n in accepted:
            continue
        rule = rules[n]
        known = {v: accepted[v] for v in variables(rule) if v in accepted}
        free[n] = substitute(rule, known) if known else rule
    reduced = BooleanNetwork(free, name=network.name, annotations=network.annotations)
    fixed = {n: accepted[n] for n in network.nodes if n in accepted}
    projected = tuple({n: v for n, v in s.items() if n not in accepted} for s in starts)
    return Reduced(reduced, fixed, projected)
