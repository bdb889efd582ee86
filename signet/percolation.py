"""Percolation: the values a network's constants force, and the network that stays free.

A node is *fixed* by percolation when its rule is a constant function (a fixed input,
a knockout, a tautology), or becomes one once the values of the fixed nodes are
substituted; the closure of that step is unique (fixing more never unfixes
anything).  Without start states every fixed node has its value in every attractor,
so the attractors of the network are those of the free part with the fixed values
added back.

With start states this is not enough: a node that percolation would fix but that
*starts* at the other value can act on others before it settles.  So with starts a
node is removed only if its rule is a constant function (a perturbation or fixed
input acts from time 0: the start takes its value) or it becomes constant given the
removed nodes *and* every start already has that value.  Every other node stays in
the reduced network (perhaps with a constant rule).

This module is the one percolation of signet: :meth:`BooleanNetwork.percolate
<signet.model.BooleanNetwork.percolate>` and the dynamics engines use it;
:class:`signet.dynamics.compiled.CompiledNetwork` is its accelerator for many
percolations of one model (bit masks; tests run both on the same cases).

How: each rule over at most :data:`~signet.primes.TABLE_VARIABLES` regulators is
tabulated once as an integer bit set (:func:`signet.primes.rule_table`); fixing a
regulator restricts the table to a region mask, and the rule is constant when it is
0 or 1 on the whole region.  A rule that cannot be constant by itself (no constant in
it, every variable of one polarity) is tabulated only when one of its regulators
gets fixed.  Rules over more regulators are decided on their BDDs
(:func:`signet.circuits.rule_circuit`, the same the trap-space program uses).

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"A": "0", "B": "B | A", "C": "A"})
>>> r = reduce_network(net)
>>> r.fixed, r.network.nodes
({'A': 0, 'C': 0}, ('B',))
>>> r = reduce_network(net, [{"A": 1, "B": 0, "C": 1}])
>>> r.fixed, r.network.nodes, r.starts
({'A': 0}, ('B', 'C'), ({'B': 0, 'C': 1},))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from .expr import Const, Expr, fold_constants, substitute
from .primes import TABLE_VARIABLES, cached_rule_table, scan_literals, variable_tables

if TYPE_CHECKING:  # pragma: no cover
    from .circuits import Circuit
    from .model import BooleanNetwork

__all__ = ["Reduced", "reduce_network", "percolated_values"]


@dataclass(frozen=True)
class Reduced:
    """A network reduced for analysis.

    Attributes
    ----------
    network
        The free part: rules over free nodes only.
    fixed
        Values of the removed nodes, in network order (they hold in every state the
        analysis cares about).
    starts
        The start subspaces restricted to the free nodes (``None`` when there is no start).
    """

    network: "BooleanNetwork"
    fixed: dict[str, int]
    starts: tuple[dict[str, int], ...] | None


def reduce_network(network: "BooleanNetwork", starts: Sequence[Mapping[str, int]] | None = None) -> Reduced:
    """Remove the nodes whose value is settled (see the module docstring).

    ``network`` itself is the free part when nothing is fixed.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> r = reduce_network(BooleanNetwork({"A": "0", "B": "B | A", "C": "!A & B", "D": "A | !A"}))
    >>> r.fixed, {n: str(rule) for n, rule in r.network.rules.items()}
    ({'A': 0, 'D': 1}, {'B': 'B', 'C': 'B'})
    """
    resolved = None if starts is None else [network.resolve_assignment(s) for s in starts]
    closure = _Closure(network, resolved)
    values = closure.run()
    fixed = {n: values[n] for n in network.nodes if n in values}
    projected = None if resolved is None else tuple({n: v for n, v in s.items() if n not in fixed} for s in resolved)
    if not fixed:
        return Reduced(network, fixed, projected)
    free: dict[str, Expr] = {}
    for node in network.nodes:
        if node not in fixed:
            free[node] = closure.free_rule(node, fixed)
    from .model import BooleanNetwork

    reduced = BooleanNetwork(
        free,
        name=network.name,
        annotations=network.annotations,
        implicit_inputs=tuple(n for n in network.implicit_inputs if n in free),
    )
    return Reduced(reduced, fixed, projected)


def percolated_values(network: "BooleanNetwork") -> dict[str, int]:
    """The values :func:`reduce_network` fixes, in network order, without building the free part.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> percolated_values(BooleanNetwork({"A": "0", "B": "B | A", "C": "!A & B", "D": "A | !A"}))
    {'A': 0, 'D': 1}
    """
    values = _Closure(network, None).run()
    return {n: values[n] for n in network.nodes if n in values}


# A rule's table entry: (table, all-ones, variable tables), ``None`` when the rule has too
# many regulators to tabulate, ``_LATER`` while it is not needed yet.
_Table = tuple[int, int, tuple[int, ...]]
_LATER: tuple = ()


class _Closure:
    """The worklist of percolation over one network (see the module docstring)."""

    def __init__(self, network: "BooleanNetwork", starts: Sequence[Mapping[str, int]] | None) -> None:
        self.rules = network.rules
        self.starts = starts
        order = {n: i for i, n in enumerate(network.nodes)}
        self.names: dict[str, list[str]] = {}  # each rule's variables, in network order
        self.has_const: dict[str, bool] = {}
        self.tables: dict[str, _Table | tuple | None] = {}
        self.region: dict[str, int] = {}  # the part of the table still possible
        self.targets: dict[str, list[str]] = {n: [] for n in network.nodes}
        self.values: dict[str, int] = {}
        self.blocked: set[str] = set()  # constant, but some start disagrees (starts only)
        self.pending: list[str] = []
        for node in network.nodes:
            self._add(node, order)

    def _add(self, node: str, order: Mapping[str, int]) -> None:
        rule = self.rules[node]
        counts, const, mixed = scan_literals(rule)
        used = sorted(counts, key=order.__getitem__)  # network order, as the trap-space encodings tabulate
        self.names[node] = used
        self.has_const[node] = const
        for v in used:
            self.targets[v].append(node)
        if isinstance(rule, Const):
            self._fix(node, int(rule.value), constant=True)
        elif not (const or mixed):
            self.tables[node] = _LATER  # cannot be constant until a regulator is fixed
        else:
            entry = self._tabulate(node)
            value = self._circuit(node).constant_on({}) if entry is None else _table_value(entry[0], entry[1])
            if value is not None:
                self._fix(node, int(value), constant=True)

    def _tabulate(self, node: str) -> _Table | None:
        k = len(self.names[node])
        entry: _Table | None = None
        if k <= TABLE_VARIABLES:
            full = (1 << (1 << k)) - 1
            entry = (cached_rule_table(self.rules[node], self.names[node]), full, variable_tables(k))
            self.region[node] = full
        self.tables[node] = entry
        return entry

    def _circuit(self, node: str) -> "Circuit":
        from .circuits import rule_circuit

        return rule_circuit(self.rules[node], self.names[node])

    def _fix(self, node: str, value: int, constant: bool = False) -> None:
        if not constant and self.starts is not None and any(s.get(node) != value for s in self.starts):
            self.blocked.add(node)  # it may act at its start value first: it stays free
            return
        self.values[node] = value
        self.pending.append(node)

    def run(self) -> dict[str, int]:
        values = self.values
        while self.pending:
            fixed_node = self.pending.pop()
            for target in self.targets[fixed_node]:
                if target in values or target in self.blocked:
                    continue
                result = self._value_after(target, fixed_node)
                if result is not None:
                    self._fix(target, result)
        return values

    def _value_after(self, node: str, fixed_node: str) -> int | None:
        """The value of ``node``'s rule once ``fixed_node`` is fixed too, if it is constant."""
        entry = self.tables[node]
        if entry is _LATER:
            entry = self._tabulate(node)
        if entry is None:  # many regulators: decided on the rule's BDD (shared with the trap-space program)
            known = {v: self.values[v] for v in self.names[node] if v in self.values}
            return self._circuit(node).constant_on(known)
        table, full, patterns = entry
        pattern = patterns[self.names[node].index(fixed_node)]
        region = self.region[node] & (pattern if self.values[fixed_node] else full ^ pattern)
        self.region[node] = region
        return _table_value(table & region, region)

    def free_rule(self, node: str, fixed: Mapping[str, int]) -> Expr:
        """``node``'s rule with the fixed values substituted (constants folded)."""
        rule = self.rules[node]
        known = {v: fixed[v] for v in self.names[node] if v in fixed}
        if known:
            return substitute(rule, known)
        return fold_constants(rule) if self.has_const[node] else rule


def _table_value(on: int, region: int) -> int | None:
    """0 or 1 when the table is constant on the region (``on`` = table & region), else ``None``."""
    if on == 0:
        return 0
    if on == region:
        return 1
    return None
