"""Rules as binary decision diagrams, for exact trap-space conditions on rules with many regulators.

The trap-space program (:mod:`signet.dynamics.trapspaces`) needs, for every node ``i``
and value ``b``, the condition "``f_i`` is constant ``b`` on the subspace ``S``".  With
the prime implicants of ``f_i == b`` it reads "some prime implicant has all its literals
fixed in ``S``", but a rule over 40 regulators can have prime implicants that take
minutes to compute (bbm/251: a pooled cell-cycle node of 42 regulators written as a
73,000-character DNF).  A reduced ordered BDD of the rule states the same condition in
size linear in the BDD: for a BDD node ``u`` deciding variable ``v`` with children
``low`` and ``high``,

``f_u == b on S``  iff  (``v = 0`` in ``S`` and ``f_low == b on S``) or
(``v = 1`` in ``S`` and ``f_high == b on S``) or (``f_low == b`` and ``f_high == b on S``),

because ``low`` and ``high`` do not depend on ``v``; a terminal is constant.  The same
circuit, read on a full state, evaluates the rule (fixed points).  BDDs are built with
biodivine-aeon's BDD library from the expression tree (an iterative walk).

Examples
--------
>>> from signet.expr import parse_expression
>>> circuit = rule_circuit(parse_expression("A & !B | C"), ["A", "B", "C"])
>>> circuit.names, circuit.root, len(circuit.nodes)
(('A', 'B', 'C'), 4, 5)
>>> circuit.constant_on({"C": 1}), circuit.constant_on({"A": 0, "C": 0}), circuit.constant_on({"A": 1})
(1, 0, None)
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .expr import And, Const, Expr, IdentityCache, Not, Or, Var

__all__ = ["Circuit", "rule_circuit"]


class Circuit:
    """A reduced ordered BDD of one rule.

    Attributes
    ----------
    names
        The rule's variables; ``nodes[u][0] == j`` means node ``u`` decides ``names[j]``.
    nodes
        ``(variable, low, high)`` per BDD node; nodes ``0`` and ``1`` are the terminals
        false and true (their entries are placeholders).  Children come before parents.
        Read from :attr:`bdd` when first asked for: percolation and the size of a rule
        need only the BDD (bbm/122's four rules of 10^5 nodes: 0.3 s not spent before the
        first attractor).
    root
        The index of the root node (``0`` or ``1`` for a constant rule).
    bdd
        The same BDD in biodivine-aeon (variable ``j`` named ``x{j}``), when built there:
        :meth:`constant_on` then restricts it in compiled code (a BDD of 500,000 nodes,
        bbm/122, answers in milliseconds instead of a quarter of a second).  Not compared,
        not pickled.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> circuit = rule_circuit(parse_expression("A | B"), ["A", "B"])
    >>> circuit.size(), circuit.root, circuit.nodes[circuit.root]
    (4, 3, (0, 2, 1))
    """

    __slots__ = ("names", "root", "bdd", "_nodes", "_rename", "_context", "_ids")

    def __init__(self, names: Sequence[str], nodes: tuple[tuple[int, int, int], ...] | None, root: int,
                 bdd: Any = None, context: Any = None) -> None:
        if nodes is None and bdd is None:
            raise ValueError("a circuit needs its nodes or its BDD")
        self.names: tuple[str, ...] = tuple(names)
        self.root = root
        self.bdd = bdd
        self._nodes = nodes
        self._rename: dict[str, str] | None = None
        self._context = context  # AEON's variable set of ``bdd`` (for :meth:`support`)
        self._ids: dict[Any, int] | None = None

    @property
    def nodes(self) -> tuple[tuple[int, int, int], ...]:
        if self._nodes is None:
            self._nodes = _nodes_of(self.bdd.data_string())
        return self._nodes

    def size(self) -> int:
        """The number of entries of :attr:`nodes` (terminals included), without reading them."""
        if self._nodes is not None:
            return len(self._nodes)
        return _size_of(self.bdd)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Circuit):
            return NotImplemented
        return (self.names, self.root, self.nodes) == (other.names, other.root, other.nodes)

    def __hash__(self) -> int:
        return hash((self.names, self.root, self.nodes))

    def __repr__(self) -> str:
        return f"Circuit(names={self.names!r}, root={self.root}, size={self.size()})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Circuit, (self.names, self.nodes, self.root))

    def _variables(self) -> dict[str, str]:
        if self._rename is None:
            self._rename = {name: f"x{j}" for j, name in enumerate(self.names)}
        return self._rename

    def restrict(self, space: Mapping[str, int]) -> Any:
        """AEON's BDD with the variables of ``space`` fixed (needs :attr:`bdd`)."""
        rename = self._variables()
        return self.bdd.r_restrict({rename[n]: bool(v) for n, v in space.items() if n in rename})

    def support(self, space: Mapping[str, int]) -> list[int]:
        """The variables (indices into :attr:`names`) the rule still depends on once the values
        of ``space`` are put in, sorted; read from AEON's restricted BDD without decoding it.
        A circuit without its BDD (after a pickle) answers the variables still tested on the
        paths left, a superset.

        Examples
        --------
        >>> from signet.expr import parse_expression
        >>> circuit = rule_circuit(parse_expression("A & B | C"), ["A", "B", "C"])
        >>> circuit.support({}), circuit.support({"A": 0}), circuit.support({"C": 1})
        ([0, 1, 2], [2], [])
        """
        if self.bdd is None or self._context is None:
            return sorted({j for j, _low, _high in _reachable(self, space)})
        if self._ids is None:
            self._ids = {v: j for j, v in enumerate(self._context.variable_ids())}
        ids = self._ids
        return sorted(ids[v] for v in self.restrict(space).support_set())

    def constant_on(self, space: Mapping[str, int]) -> int | None:
        """``0`` or ``1`` if the rule is that constant on the subspace ``space``, else ``None``."""
        if self.bdd is not None:
            restricted = self.restrict(space)
            return 1 if restricted.is_true() else 0 if restricted.is_false() else None
        return self._constant_on_nodes(space)

    def _constant_on_nodes(self, space: Mapping[str, int]) -> int | None:
        """:meth:`constant_on` read from :attr:`nodes` (no AEON BDD at hand)."""
        ones: dict[int, bool] = {1: True, 0: False}
        zeros: dict[int, bool] = {0: True, 1: False}
        for u in range(2, len(self.nodes)):
            j, low, high = self.nodes[u]
            value = space.get(self.names[j])
            if value is None:
                ones[u] = ones[low] and ones[high]
                zeros[u] = zeros[low] and zeros[high]
            else:
                ones[u] = ones[high] if value else ones[low]
                zeros[u] = zeros[high] if value else zeros[low]
        if ones[self.root]:
            return 1
        if zeros[self.root]:
            return 0
        return None


def _reachable(circuit: Circuit, space: Mapping[str, int]) -> list[tuple[int, int, int]]:
    """The nodes of ``circuit`` met from its root once the values of ``space`` decide their
    variables (a walk over :attr:`Circuit.nodes`; no AEON BDD needed)."""
    nodes, names = circuit.nodes, circuit.names
    seen: set[int] = set()
    stack = [circuit.root]
    out = []
    while stack:
        u = stack.pop()
        if u < 2 or u in seen:
            continue
        seen.add(u)
        j, low, high = nodes[u]
        value = space.get(names[j])
        if value is None:
            out.append(nodes[u])
            stack.extend((low, high))
        else:
            stack.append(high if value else low)
    return out


def _size_of(bdd: Any) -> int:
    """Entries of an AEON BDD's decoded nodes: its node count, the constant false padded with
    the true terminal as :func:`_decode` pads it."""
    return 2 if bdd.is_false() else int(bdd.node_count())


_CACHE: IdentityCache[Circuit] = IdentityCache(10_000)


def rule_circuit(expr: Expr, names: Sequence[str]) -> Circuit:
    """The reduced ordered BDD of ``expr`` with variables ordered as ``names``.

    ``names`` must contain every variable of ``expr``.  Remembered per rule object and order.

    Examples
    --------
    >>> rule_circuit(Const(True), []).root
    1
    """
    order = tuple(names)
    hit = _CACHE.get(expr, order)
    return hit if hit is not None else _CACHE.put(expr, _build(expr, order), order)


def _build(expr: Expr, names: tuple[str, ...]) -> Circuit:
    import biodivine_aeon as ba

    context = ba.BddVariableSet([f"x{j}" for j in range(len(names))] or ["x0"])
    bdd = _expression_bdd(context, expr, {n: f"x{j}" for j, n in enumerate(names)})
    return Circuit(names, None, _root_of(bdd), bdd, context)


def _expression_bdd(context: Any, expr: Expr, rename: Mapping[str, str]) -> Any:
    """The BDD of ``expr`` in ``context``, by an iterative post-order walk.

    The operands of a long ``|`` or ``&`` are combined as a balanced tree (pairs, then
    pairs of pairs): AEON's own expression parser folds them one by one, which costs
    9.6 s instead of 0.2 s on a 10,000-term DNF (bbm/248).  A conjunction or disjunction
    of literals is one clause.

    Examples
    --------
    >>> import biodivine_aeon as ba
    >>> from signet.expr import parse_expression
    >>> context = ba.BddVariableSet(["x0", "x1"])
    >>> bdd = _expression_bdd(context, parse_expression("A & !B | !A & B"), {"A": "x0", "B": "x1"})
    >>> bdd == context.eval_expression("x0 ^ x1")
    True
    """
    done: dict[int, Any] = {}  # id(sub-expression) -> its BDD, while its parent is being built
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if id(e) in done:
            continue
        if isinstance(e, Var):
            done[id(e)] = context.mk_literal(rename[e.name], True)
        elif isinstance(e, Const):
            done[id(e)] = context.mk_const(bool(e.value))
        elif isinstance(e, (And, Or)) and _literals(e.args, rename) is not None:
            clause = _literals(e.args, rename)
            done[id(e)] = (context.mk_conjunctive_clause(clause) if isinstance(e, And)
                           else context.mk_disjunctive_clause(clause))
        elif not ready:
            stack.append((e, True))
            children = [e.arg] if isinstance(e, Not) else list(e.args) if isinstance(e, (And, Or)) else []
            if not children:
                raise TypeError(f"not an expression: {e!r}")
            stack.extend((c, False) for c in children)
        elif isinstance(e, Not):
            done[id(e)] = done[id(e.arg)].l_not()
        else:
            done[id(e)] = _balanced([done[id(c)] for c in e.args], isinstance(e, And))  # type: ignore[attr-defined]
    return done[id(expr)]


def _literals(args: Sequence[Expr], rename: Mapping[str, str]) -> dict[str, bool] | None:
    """``{variable: polarity}`` if every operand is a literal over a distinct variable, else ``None``."""
    out: dict[str, bool] = {}
    for a in args:
        if isinstance(a, Var):
            name, value = rename[a.name], True
        elif isinstance(a, Not) and isinstance(a.arg, Var):
            name, value = rename[a.arg.name], False
        else:
            return None
        if name in out:
            return None
        out[name] = value
    return out


def _balanced(bdds: list[Any], conjunction: bool) -> Any:
    """``&`` (or ``|``) of ``bdds``, combined pairwise level by level."""
    while len(bdds) > 1:
        paired = [(a.l_and(b) if conjunction else a.l_or(b)) for a, b in zip(bdds[0::2], bdds[1::2])]
        if len(bdds) % 2:
            paired.append(bdds[-1])
        bdds = paired
    return bdds[0]


def _decode(data: str, names: tuple[str, ...], bdd: Any = None) -> Circuit:
    """AEON's BDD text ``|var,low,high|...`` (terminals first, the root last) as a :class:`Circuit`.

    Examples
    --------
    >>> _decode("|2,0,0|2,1,1|1,1,0|0,0,2|", ("A", "B")).nodes
    ((0, 0, 0), (0, 1, 1), (1, 1, 0), (0, 0, 2))
    """
    nodes = _nodes_of(data)
    return Circuit(names, nodes, 0 if data.count("|") == 2 else len(nodes) - 1, bdd)


def _root_of(bdd: Any) -> int:
    """The root index of an AEON BDD's decoded nodes (``0``/``1`` for a constant)."""
    if bdd.is_false():
        return 0
    return int(bdd.node_count()) - 1


def _nodes_of(data: str) -> tuple[tuple[int, int, int], ...]:
    """AEON's BDD text as ``(variable, low, high)`` entries, the two terminals first.

    The numbers are read by ``map(int, ...)``: as fast as numpy's array conversion on a
    million-node text (0.42 vs 0.41 s), without numpy's import (0.2-0.3 s) before the
    first answer.

    Examples
    --------
    >>> _nodes_of("|2,0,0|")   # the constant false: the true terminal added
    ((0, 0, 0), (0, 1, 1))
    """
    flat = list(map(int, data.strip("|").replace("|", ",").split(",")))
    return ((0, 0, 0), (0, 1, 1)) + tuple(zip(flat[6::3], flat[7::3], flat[8::3]))
