"""A network compiled once, and its sub-networks given by fixed values.

The succession engine visits thousands of sub-networks of one model: the model with
some nodes fixed (an input valuation, a trap space) and their consequences
percolated.  Building each as a new :class:`~signet.model.BooleanNetwork` (substituting
constants, re-validating names, recomputing prime implicants of the new rule objects)
costs more than analysing it.  Here the model is compiled once
(:class:`RootNetwork`): node ``j`` is bit ``j``; every rule keeps its regulators and its
truth table as an integer bit set (:mod:`signet.primes`), or its BDD for a
rule over many regulators (:mod:`signet.circuits`).  A sub-network is then
three integers (:class:`Subnetwork`): the nodes in *scope*, and the *mask* and *bits*
of the fixed nodes.

* **Percolation** (:meth:`RootNetwork.percolate`): a node is fixed when its rule is
  constant on the fixed values of its regulators (its table restricted to a region
  of them, or its BDD read on them) -- the closure of
  :meth:`BooleanNetwork.percolate <signet.model.BooleanNetwork.percolate>`
  (tested against it).
* **Restricted rules**: a free node's rule with the fixed values put in, tabulated
  over its free regulators by bit-parallel evaluation of the original rule; their
  prime implicants are cached by table, so sub-networks share them.
* **Keys**: two sub-networks are the same network when they have the same scope and
  the same values on the fixed nodes that regulate it (:meth:`Subnetwork.key`), so
  different input valuations that percolate alike share their answer.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> root = RootNetwork(BooleanNetwork({"I": "I", "A": "I & B", "B": "A | !I", "C": "C"}))
>>> mask, bits = root.percolate(*root.encode({"I": 0}))
>>> root.decode(mask, bits)
{'I': 0, 'A': 0, 'B': 1}
>>> sub = root.subnetwork(root.all_mask & ~mask, mask, bits)
>>> [root.nodes[j] for j in sub.free], sub.sources()
(['C'], [3])
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Mapping

from ..expr import Expr
from ..model import BooleanNetwork

if TYPE_CHECKING:  # pragma: no cover
    from ..circuits import Circuit
    from .candidates import _Symbolic, _Walker

__all__ = ["RootNetwork", "Subnetwork", "root_network"]


_UP, _DOWN, _BOTH = frozenset((0,)), frozenset((1,)), frozenset((0, 1))


def _bits_of(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


#: the last :class:`RootNetwork` built by :func:`root_network` (a weak reference to its network)
_LAST: list[tuple[weakref.ref[BooleanNetwork], RootNetwork]] = []


def root_network(network: BooleanNetwork) -> RootNetwork:
    """``network`` compiled, the last one compiled reused when it is the same object.

    The streamed listing first asks for the free inputs, then for the attractors: both
    compile the same network (bbm/079: 0.15 s; bbm/122: its four BDD rules restricted again
    to percolate).  Networks are immutable; only a weak reference to the last one is kept.

    Examples
    --------
    >>> net = BooleanNetwork({"A": "A", "B": "!A"})
    >>> root_network(net) is root_network(net), root_network(net) is root_network(BooleanNetwork({"A": "A"}))
    (True, False)
    """
    if _LAST and _LAST[0][0]() is network:
        return _LAST[0][1]
    root = RootNetwork(network)
    _LAST[:] = [(weakref.ref(network), root)]
    return root


#: :meth:`RootNetwork.percolate` reads at most this many sub-expressions of a rule over more than
#: ``TABLE_VARIABLES`` regulators to tell that it is not constant (bbm/248: one of 103,048 literals)
_SPELLING_LIMIT = 20_000


class RootNetwork:
    """``network`` compiled once for many sub-network questions (see the module docstring)."""

    def __init__(self, network: BooleanNetwork) -> None:
        from ._adapter import TABLE_VARIABLES, ordered_variables

        self.network = network
        self.nodes: tuple[str, ...] = network.nodes
        self.n = len(self.nodes)
        self.index = {node: j for j, node in enumerate(self.nodes)}
        self.all_mask = (1 << self.n) - 1
        self.rules: list[Expr] = [network.rules[node] for node in self.nodes]
        self.regs: list[tuple[int, ...]] = []
        self.regmask: list[int] = []
        targets: list[list[int]] = [[] for _ in self.nodes]
        for j, rule in enumerate(self.rules):
            regs = tuple(sorted(self.index[v] for v in ordered_variables(rule)))
            self.regs.append(regs)
            m = 0
            for r in regs:
                m |= 1 << r
                targets[r].append(j)
            self.regmask.append(m)
        self.targets = [tuple(t) for t in targets]
        self.big = [len(regs) > TABLE_VARIABLES for regs in self.regs]
        self._tables: dict[int, int] = {}
        self._circuits: dict[int, Circuit] = {}
        self._restricted: dict[tuple[int, int, int], tuple] = {}
        self._parities: dict[tuple[int, int, int], dict[int, frozenset[int]]] = {}
        self._functions: list | None = None
        self._top: tuple[int, int] | None = None
        self._unsure: list[bool] | None = None

    # -- conversions ----------------------------------------------------------------------
    def encode(self, values: Mapping[str, int]) -> tuple[int, int]:
        mask = bits = 0
        for node, value in values.items():
            bit = 1 << self.index[node]
            mask |= bit
            if value:
                bits |= bit
        return mask, bits

    def decode(self, mask: int, bits: int) -> dict[str, int]:
        return {self.nodes[j]: (bits >> j) & 1 for j in _bits_of(mask)}

    # -- rules --------------------------------------------------------------------------
    def table(self, j: int) -> int:
        """Truth table of rule ``j`` over its regulators (``regs[j]``, bit ``p`` = ``regs[j][p]``)."""
        hit = self._tables.get(j)
        if hit is None:
            from ._adapter import cached_rule_table

            hit = self._tables[j] = cached_rule_table(self.rules[j], [self.nodes[r] for r in self.regs[j]])
        return hit

    def circuit(self, j: int) -> Circuit:
        hit = self._circuits.get(j)
        if hit is None:
            from ._adapter import rule_circuit

            hit = self._circuits[j] = rule_circuit(self.rules[j], [self.nodes[r] for r in self.regs[j]])
        return hit

    def functions(self) -> list:
        """Rule ``j`` compiled as a function of the values of ``regs[j]``."""
        if self._functions is None:
            from ..expr import compile_expression

            self._functions = [
                compile_expression(rule, [self.nodes[r] for r in regs]) for rule, regs in zip(self.rules, self.regs)
            ]
        return self._functions

    def constant(self, j: int, mask: int, bits: int) -> int | None:
        """``0``/``1`` if rule ``j`` is that constant given the fixed values, else ``None``."""
        regs = self.regs[j]
        if self.big[j]:
            known = {self.nodes[r]: (bits >> r) & 1 for r in regs if (mask >> r) & 1}
            return self.circuit(j).constant_on(known)
        from ._adapter import variable_tables

        k = len(regs)
        full = (1 << (1 << k)) - 1
        region = full
        if mask & self.regmask[j]:
            patterns = variable_tables(k)
            for p, r in enumerate(regs):
                if (mask >> r) & 1:
                    region &= patterns[p] if (bits >> r) & 1 else full ^ patterns[p]
        on = self.table(j) & region
        if on == 0:
            return 0
        if on == region:
            return 1
        return None

    def percolate(self, mask: int, bits: int) -> tuple[int, int]:
        """Close the fixed values ``(mask, bits)`` under constant propagation: every node is
        checked that reads a fixed node or whose rule may be constant on its own (a rule
        with a constant or a name under both signs, :func:`~signet.primes.may_be_constant`;
        any other is not constant until a regulator is fixed): few truth tables are built.

        Examples
        --------
        >>> root = RootNetwork(BooleanNetwork({"A": "0", "B": "B | A", "C": "!A & B", "D": "A | !A"}))
        >>> root.decode(*root.percolate(0, 0))
        {'A': 0, 'D': 1}
        """
        if self._unsure is None:  # rules that could be constant with nothing fixed
            from ..primes import may_be_constant

            # a very large rule over many regulators is checked on its BDD (the engines need it anyway)
            self._unsure = [may_be_constant(rule, _SPELLING_LIMIT if big else None)
                            for big, rule in zip(self.big, self.rules)]
        unsure, regmask = self._unsure, self.regmask
        return self._propagate(mask, bits, self.all_mask, [j for j in range(self.n) if unsure[j] or mask & regmask[j]])

    def percolated(self) -> tuple[int, int]:
        """:meth:`percolate` from nothing fixed, computed once."""
        if self._top is None:
            self._top = self.percolate(0, 0)
        return self._top

    def fix(self, scope: int, mask: int, bits: int, values: Mapping[int, int]) -> tuple[int, int]:
        """Fix node ``j`` to ``values[j]`` and percolate the consequences inside ``scope``."""
        queue: list[int] = []
        for j, v in values.items():
            mask |= 1 << j
            bits = (bits | (1 << j)) if v else (bits & ~(1 << j))
            queue.extend(self.targets[j])
        return self._propagate(mask, bits, scope, queue)

    def _propagate(self, mask: int, bits: int, scope: int, queue: list[int]) -> tuple[int, int]:
        while queue:
            t = queue.pop()
            if (mask >> t) & 1 or not (scope >> t) & 1:
                continue
            value = self.constant(t, mask, bits)
            if value is None:
                continue
            mask |= 1 << t
            if value:
                bits |= 1 << t
            queue.extend(self.targets[t])
        return mask, bits

    def restricted(self, j: int, mask: int, bits: int) -> tuple:
        """Rule ``j`` with the fixed values put in.

        ``("table", free regulators, table over them)`` or, for a rule over many
        regulators, ``("circuit", root, nodes)`` with the BDD's fixed variables skipped
        (node entries ``(regulator, low, high)``; ``0``/``1`` are the terminals).
        """
        relevant = mask & self.regmask[j]
        key = (j, relevant, bits & relevant)
        hit = self._restricted.get(key)
        if hit is not None:
            return hit
        if self.big[j]:
            hit = ("circuit", *_restrict_circuit(self.circuit(j), self.regs[j], relevant, bits))
        elif not relevant:
            hit = ("table", self.regs[j], self.table(j))
        else:
            regs = self.regs[j]
            free = tuple(r for r in regs if not (relevant >> r) & 1)
            fixed_mask = fixed_bits = 0
            for p, r in enumerate(regs):
                if (relevant >> r) & 1:
                    fixed_mask |= 1 << p
                    if (bits >> r) & 1:
                        fixed_bits |= 1 << p
            hit = ("table", free, cofactor(self.table(j), len(regs), fixed_mask, fixed_bits))
        if len(self._restricted) > 200_000:
            self._restricted.clear()
        self._restricted[key] = hit
        return hit

    def rule_size(self, j: int, mask: int, bits: int) -> int:
        """``len`` of :meth:`restricted`'s regulators (a table) or nodes (a BDD), without
        decoding a BDD's nodes.

        Examples
        --------
        >>> root = RootNetwork(BooleanNetwork({"A": "B & C", "B": "A", "C": "C"}))
        >>> root.rule_size(0, 0, 0), root.rule_size(0, 0b100, 0b100)
        (2, 1)
        """
        relevant = mask & self.regmask[j]
        hit = self._restricted.get((j, relevant, bits & relevant))
        if hit is not None:
            return len(hit[1]) if hit[0] == "table" else len(hit[2])
        if not self.big[j]:
            return len(self.regs[j]) - bin(relevant).count("1")
        from ..circuits import _size_of

        circuit = self.circuit(j)
        if not relevant:
            return circuit.size()
        known = {self.nodes[r]: (bits >> r) & 1 for r in self.regs[j] if (relevant >> r) & 1}
        return _size_of(circuit.restrict(known))

    def parities(self, j: int, mask: int, bits: int) -> dict[int, frozenset[int]]:
        """The signs of the edges into node ``j`` once the fixed values are put in its rule:
        regulator (root index) -> parities (0 positive, 1 negative; both if not monotone; a
        regulator the restricted rule does not depend on is left out).  A BDD rule counts every
        variable it still tests as both."""
        relevant = mask & self.regmask[j]
        key = (j, relevant, bits & relevant)
        hit = self._parities.get(key)
        if hit is not None:
            return hit
        from ._adapter import variable_tables

        out: dict[int, frozenset[int]] = {}
        if self.big[j] and key not in self._restricted and self.circuit(j).bdd is not None:
            # the restricted BDD's support, its nodes not decoded (bbm/122: 0.5 s)
            regs = self.regs[j]
            known = {self.nodes[r]: (bits >> r) & 1 for r in regs if (relevant >> r) & 1}
            out = {regs[p]: _BOTH for p in self.circuit(j).support(known)}
            self._parities[key] = out
            return out
        rule = self.restricted(j, mask, bits)
        if rule[0] == "circuit":
            for r, _low, _high in rule[2][2:]:
                out[r] = _BOTH
        else:
            _kind, regs, table = rule
            k = len(regs)
            full = (1 << (1 << k)) - 1
            patterns = variable_tables(k)
            for q, r in enumerate(regs):
                pattern = patterns[q]
                where = full ^ pattern
                low = table & where
                high = (table & pattern) >> (1 << q)
                up = bool(high & ~low & where)
                down = bool(low & ~high & where)
                if up or down:
                    out[r] = _BOTH if up and down else _UP if up else _DOWN
        if len(self._parities) > 200_000:
            self._parities.clear()
        self._parities[key] = out
        return out

    def subnetwork(self, scope: int, mask: int, bits: int) -> "Subnetwork":
        return Subnetwork(self, scope, mask, bits)


def cofactor(table: int, k: int, mask: int, bits: int) -> int:
    """The truth table over ``k`` variables with variable ``p`` fixed to bit ``p`` of ``bits``
    for every ``p`` in ``mask``: a table over the other variables, in their order.

    Big tables are cut one variable at a time with whole-table integer operations (no
    numpy: the first attractor of a large model must not wait for its import).

    Examples
    --------
    >>> bin(cofactor(0b1000, 2, 0b01, 0b01))   # A & B with A = 1: B
    '0b10'
    >>> cofactor(0b1000, 2, 0b10, 0b00)   # A & B with B = 0
    0
    >>> cofactor(1 << 255, 8, 0b1000_0001, 0b1000_0001) == 1 << 63   # AND of 8 with two set
    True
    """
    if k <= 6:
        out = 0
        position = 0
        for index in range(1 << k):
            if index & mask == bits & mask:
                out |= ((table >> index) & 1) << position
                position += 1
        return out
    for p in reversed(range(k)):  # highest first: the lower variables keep their positions
        if (mask >> p) & 1:
            table = _drop_variable(table, k, p, (bits >> p) & 1)
            k -= 1
    return table


def _drop_variable(table: int, k: int, p: int, value: int) -> int:
    """The table over ``k - 1`` variables of ``table`` (over ``k``) with variable ``p`` set to
    ``value``: keep the ``2**p``-bit runs where ``p`` has that value, then close the gaps,
    merging neighbouring runs pairwise (``k - p - 1`` shift-and-mask steps)."""
    from ._adapter import variable_tables

    patterns = variable_tables(k)
    full = (1 << (1 << k)) - 1
    run = 1 << p
    out = (table >> (run * value)) & (full ^ patterns[p])
    for q in range(p + 1, k):  # runs of ``run`` bits, ``run`` bits apart, become runs of 2 * run
        out = (out | (out >> run)) & (full ^ patterns[q])
        run <<= 1
    return out


def _restrict_circuit(circuit: Circuit, regs: tuple[int, ...], mask: int,
                      bits: int) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The BDD with the fixed regulators decided: ``(root, nodes)`` over regulator indices.

    With AEON's BDD at hand (not after pickling) it restricts it in compiled code and reads
    the reduced result (bbm/122's four 10^5-node rules: 1.7 s -> ms); else a walk over
    the nodes."""
    if circuit.bdd is not None:
        return _restrict_bdd(circuit, regs, mask, bits)
    redirect: dict[int, int] = {0: 0, 1: 1}
    nodes: list[tuple[int, int, int]] = [(0, 0, 0), (0, 1, 1)]
    for u in range(2, len(circuit.nodes)):
        j, low, high = circuit.nodes[u]
        r = regs[j]
        if (mask >> r) & 1:
            redirect[u] = redirect[high] if (bits >> r) & 1 else redirect[low]
            continue
        low, high = redirect[low], redirect[high]
        if low == high:
            redirect[u] = low
            continue
        redirect[u] = len(nodes)
        nodes.append((r, low, high))
    root = redirect[circuit.root]
    if root < 2:
        return root, tuple(nodes[:2])
    return root, tuple(nodes[: root + 1])


def _restrict_bdd(circuit: Circuit, regs: tuple[int, ...], mask: int,
                  bits: int) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """:func:`_restrict_circuit` by AEON's ``r_restrict`` on the circuit's BDD, its text read
    straight into nodes over root indices (a rule may have 10^5 nodes)."""
    terminals = ((0, 0, 0), (0, 1, 1))
    fixed = {f"x{p}": bool((bits >> r) & 1) for p, r in enumerate(regs) if (mask >> r) & 1}
    if not fixed:  # the circuit's own nodes, renumbered
        if circuit.root < 2:
            return circuit.root, terminals
        return circuit.root, terminals + tuple((regs[j], low, high) for j, low, high in circuit.nodes[2:])
    flat = list(map(int, circuit.bdd.r_restrict(fixed).data_string().strip("|").replace("|", ",").split(",")))
    if len(flat) == 3:  # the constant false
        return 0, terminals
    nodes = terminals + tuple(zip(map(regs.__getitem__, flat[6::3]), flat[7::3], flat[8::3]))
    return len(nodes) - 1, nodes


class Subnetwork:
    """The sub-network of a :class:`RootNetwork` on the nodes of ``scope`` (not fixed), with the
    fixed values ``(mask, bits)``.  Node ``free[p]`` is bit ``p`` of a state code."""

    def __init__(self, root: RootNetwork, scope: int, mask: int, bits: int) -> None:
        self.root = root
        self.scope = scope & ~mask
        self.mask = mask
        self.bits = bits & mask
        self.free: list[int] = _bits_of(self.scope)
        self.n = len(self.free)
        self.pos = {j: p for p, j in enumerate(self.free)}
        self._rules: list[tuple] | None = None
        self._nodes: list[str] | None = None
        self._edges: list[dict[int, frozenset[int]]] | None = None
        self._primes: list | None = None
        self._network: BooleanNetwork | None = None
        self._walker: _Walker | None = None
        self._symbolic: _Symbolic | None = None

    @property
    def nodes(self) -> list[str]:
        if self._nodes is None:
            self._nodes = [self.root.nodes[j] for j in self.free]
        return self._nodes

    def key(self) -> tuple[int, int, int]:
        """The same for two sub-networks with the same nodes and rules."""
        relevant = 0
        regmask = self.root.regmask
        for j in self.free:
            relevant |= regmask[j]
        relevant &= self.mask
        return self.scope, relevant, self.bits & relevant

    @property
    def rules(self) -> list[tuple]:
        """Per free node: its restricted rule (:meth:`RootNetwork.restricted`)."""
        if self._rules is None:
            root = self.root
            self._rules = [root.restricted(j, self.mask, self.bits) for j in self.free]
        return self._rules

    @property
    def edges(self) -> list[dict[int, frozenset[int]]]:
        """Per free node (by position): regulator position -> parities (0 positive, 1 negative)."""
        if self._edges is None:
            self._edges = [self._parities(p) for p in range(self.n)]
        return self._edges

    def _parities(self, p: int) -> dict[int, frozenset[int]]:
        pos = self.pos
        by_root = self.root.parities(self.free[p], self.mask, self.bits)
        return {pos[r]: parities for r, parities in by_root.items() if r in pos}

    @property
    def primes(self) -> list:
        """The per-node encoding of the answer-set programs over positions: prime implicants of
        the restricted rule (``(off, on)`` lists of ``[(position, value), ...]``) or its BDD
        ``(root, nodes)`` with node entries ``(position, low, high)``."""
        if self._primes is None:
            from ._adapter import primes_of_table

            pos = self.pos
            out: list = []
            for rule in self.rules:
                if rule[0] == "circuit":
                    root, nodes = rule[1], rule[2]
                    out.append((root, nodes[:2] + tuple((pos[r], low, high) for r, low, high in nodes[2:])))
                    continue
                _kind, regs, table = rule
                k = len(regs)
                full = (1 << (1 << k)) - 1
                terms = []
                for t in (full ^ table, table):
                    terms.append([[(pos[regs[q]], (values >> q) & 1) for q in range(k) if (m >> q) & 1]
                                  for m, values in primes_of_table(t, k)])
                out.append(tuple(terms))
            self._primes = out
        return self._primes

    def sources(self) -> list[int]:
        """Root indices of the free nodes whose restricted rule is the node itself."""
        from ._adapter import variable_tables

        out = []
        root = self.root
        for j in self.free:
            if not (root.regmask[j] >> j) & 1:
                continue  # a rule that does not read its own node (no rule restricted: BDDs cost)
            rule = self._rules[self.pos[j]] if self._rules is not None else root.restricted(j, self.mask, self.bits)
            if rule[0] == "table":
                regs, table = rule[1], rule[2]
                if j in regs and table == variable_tables(len(regs))[regs.index(j)]:
                    out.append(j)
            elif rule[1] >= 2 and len(rule[2]) == 3 and rule[2][2] == (j, 0, 1):
                out.append(j)
        return out

    def components(self) -> list[int]:
        """Scopes (masks) of the weakly connected components of the free nodes."""
        root, scope, mask, bits = self.root, self.scope, self.mask, self.bits
        parent = {j: j for j in self.free}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for j in self.free:
            for r in root.parities(j, mask, bits):
                if (scope >> r) & 1:
                    a, b = find(j), find(r)
                    if a != b:
                        parent[a] = b
        groups: dict[int, int] = {}
        for j in self.free:
            r = find(j)
            groups[r] = groups.get(r, 0) | (1 << j)
        return sorted(groups.values(), key=lambda m: (m & -m))

    def literals(self) -> int:
        """Size of the rules (regulators summed; BDD nodes of a large rule), for cost estimates.

        Before :attr:`rules` is read, a large rule's size is its restricted BDD's node count:
        its nodes are not decoded for the estimate (bbm/122: four rules of 10^5 nodes)."""
        if self._rules is not None:
            return sum(len(rule[1]) if rule[0] == "table" else len(rule[2]) for rule in self._rules)
        root = self.root
        return sum(root.rule_size(j, self.mask, self.bits) for j in self.free)

    def encode(self, values: Mapping[str, int]) -> tuple[int, int]:
        """``{node: 0|1}`` (free nodes) -> ``(mask, bits)`` over positions."""
        mask = bits = 0
        for node, value in values.items():
            p = self.pos[self.root.index[node]]
            mask |= 1 << p
            if value:
                bits |= 1 << p
        return mask, bits

    def decode(self, code: int) -> dict[str, int]:
        """A state code -> ``{node: 0|1}`` over the free nodes."""
        bits = format(code, "b").zfill(self.n)[::-1] if self.n else ""
        return dict(zip(self.nodes, map(int, bits)))

    def decode_space(self, mask: int, bits: int, star: bool = False) -> dict[str, int | str]:
        """``(mask, bits)`` over positions -> ``{node: 0|1}`` (with ``star``: every free node,
        ``"*"`` where not fixed)."""
        nodes = self.root.nodes
        out: dict[str, int | str] = {}
        for p, j in enumerate(self.free):
            if (mask >> p) & 1:
                out[nodes[j]] = (bits >> p) & 1
            elif star:
                out[nodes[j]] = "*"
        return out

    def full_tables(self) -> list[int]:
        """Truth tables of the restricted rules over all ``n`` free nodes (bit ``p`` = ``free[p]``),
        for the explicit engine."""
        from ._adapter import evaluate_bits, variable_tables

        n = self.n
        full = (1 << (1 << n)) - 1
        patterns = variable_tables(n)
        root = self.root
        values: dict[str, int] = {}
        for j in _bits_of(self.mask):
            values[root.nodes[j]] = full if (self.bits >> j) & 1 else 0
        for p, j in enumerate(self.free):
            values[root.nodes[j]] = patterns[p]
        out = []
        for j in self.free:
            rule = root.rules[j]
            known = {root.nodes[r]: values.get(root.nodes[r], 0) for r in root.regs[j]}
            out.append(evaluate_bits(rule, known, full))
        return out

    def network(self) -> BooleanNetwork:
        """The sub-network as a :class:`~signet.model.BooleanNetwork` (rules with the fixed values
        substituted), for engines that need one.  A regulator outside the scope can only be one
        the restricted rule does not depend on: it is set to 0."""
        if self._network is None:
            from ..expr import fold_constants, substitute

            root = self.root
            rules: dict[str, Expr] = {}
            for j in self.free:
                rule = root.rules[j]
                known = {root.nodes[r]: (self.bits >> r) & 1 for r in root.regs[j] if not (self.scope >> r) & 1}
                rules[root.nodes[j]] = fold_constants(substitute(rule, known)) if known else rule
            self._network = BooleanNetwork(rules)
        return self._network
