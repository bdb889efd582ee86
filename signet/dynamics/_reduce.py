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

__all__ = ["Reduced", "reduce_network", "percolate", "percolated_values"]


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
        reduced, values = percolate(network)
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


def _scan(expr) -> tuple[list[str], bool, bool]:
    """Variables of ``expr`` in order of first occurrence, whether a constant occurs, and
    whether some variable occurs both negated and not (only then can a rule without
    constants be constant: with every literal true it is 1, with every literal false 0)."""
    from ..expr import And, Const, Not, Or, Var

    seen: dict[str, bool] = {}
    const = mixed = False
    stack = [(expr, False)]
    while stack:
        e, negated = stack.pop()
        if isinstance(e, Var):
            before = seen.get(e.name)
            if before is None:
                seen[e.name] = negated
            elif before != negated:
                mixed = True
        elif isinstance(e, Not):
            stack.append((e.arg, not negated))
        elif isinstance(e, (And, Or)):
            stack.extend((a, negated) for a in e.args)
        elif isinstance(e, Const):
            const = True
    return list(seen), const, mixed


def percolated_values(network: BooleanNetwork) -> dict[str, int]:
    """The values :func:`percolate` fixes, in network order, without building the reduced network.

    Examples
    --------
    >>> percolated_values(BooleanNetwork({"A": "0", "B": "B | A", "C": "!A & B", "D": "A | !A"}))
    {'A': 0, 'D': 1}
    """
    values = _percolation(network)[0]
    return {n: values[n] for n in network.nodes if n in values}


def _percolation(network: BooleanNetwork) -> tuple[dict[str, int], dict[str, list[str]], dict[str, bool]]:
    """Percolated values, each rule's variables (network order) and whether it holds a constant."""
    from .circuits import rule_circuit
    from .primes import TABLE_VARIABLES, _patterns, cached_rule_table

    rules = network.rules
    nodes = network.nodes
    order = {n: i for i, n in enumerate(nodes)}
    names: dict[str, list[str]] = {}
    tables: dict[str, tuple[int, int, tuple[int, ...]] | None] = {}  # node -> (table, full, patterns)
    region: dict[str, int] = {}
    has_const: dict[str, bool] = {}
    targets: dict[str, list[str]] = {n: [] for n in nodes}
    values: dict[str, int] = {}
    pending: list[str] = []
    for node in nodes:
        rule = rules[node]
        used, const, mixed = _scan(rule)
        used.sort(key=order.__getitem__)  # network order, as the trap-space encodings tabulate
        names[node] = used
        has_const[node] = const
        for v in used:
            targets[v].append(node)
        if isinstance(rule, Const):
            values[node] = int(rule.value)
            pending.append(node)
            continue
        k = len(used)
        if not (const or mixed):
            tables[node] = _LATER
        elif k <= TABLE_VARIABLES:
            full = (1 << (1 << k)) - 1
            table = cached_rule_table(rule, used)
            tables[node] = (table, full, _patterns(k))
            region[node] = full
            if table == 0 or table == full:
                values[node] = int(table != 0)
                pending.append(node)
        else:  # many regulators: decided on the rule's BDD (shared with the trap-space program)
            tables[node] = None
            value = rule_circuit(rule, used).constant_on({})
            if value is not None:
                values[node] = int(value)
                pending.append(node)
    while pending:
        fixed_node = pending.pop()
        value = values[fixed_node]
        for t in targets[fixed_node]:
            if t in values:
                continue
            entry = tables[t]
            if entry is _LATER:
                k = len(names[t])
                if k <= TABLE_VARIABLES:
                    full = (1 << (1 << k)) - 1
                    entry = tables[t] = (cached_rule_table(rules[t], names[t]), full, _patterns(k))
                    region[t] = full
                else:
                    entry = tables[t] = None
            if entry is None:
                known = {v: values[v] for v in names[t] if v in values}
                result = rule_circuit(rules[t], names[t]).constant_on(known)
                if result is None:
                    continue
            else:
                table, full, patterns = entry
                pattern = patterns[names[t].index(fixed_node)]
                r = region[t] & (pattern if value else full ^ pattern)
                region[t] = r
                on = table & r
                if on == 0:
                    result = 0
                elif on == r:
                    result = 1
                else:
                    continue
            values[t] = result
            pending.append(t)
    return values, names, has_const


_LATER = ()  # a rule tabulated when first needed


def percolate(network: BooleanNetwork) -> tuple[BooleanNetwork, dict[str, int]]:
    """The same reduction as :meth:`BooleanNetwork.percolate() <signet.model.BooleanNetwork.percolate>`, faster.

    Each rule is tabulated once as an integer bit set (:func:`signet.dynamics.primes.rule_table`);
    fixing a regulator restricts the table to a region mask, and a rule is constant when
    it is 0 or 1 on the whole region.  A rule that cannot be constant by itself (no
    constant in it, every variable of one polarity) is tabulated only when one of its
    regulators gets fixed.  Rules over more regulators than
    :data:`~signet.dynamics.primes.TABLE_VARIABLES` are decided by substitution.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "0", "B": "B | A", "C": "!A & B", "D": "A | !A"})
    >>> reduced, values = percolate(net)
    >>> values, {n: str(r) for n, r in reduced.rules.items()}
    ({'A': 0, 'D': 1}, {'B': 'B', 'C': 'B'})
    """
    from ..expr import fold_constants

    rules = network.rules
    nodes = network.nodes
    values, names, has_const = _percolation(network)
    free = {}
    for n in nodes:
        if n in values:
            continue
        rule = rules[n]
        known = {v: values[v] for v in names[n] if v in values}
        if known:
            free[n] = substitute(rule, known)
        elif has_const[n]:
            free[n] = fold_constants(rule)
        else:
            free[n] = rule
    ordered = {n: values[n] for n in nodes if n in values}
    if not ordered:
        return network, ordered
    return network._evolve(free), ordered
