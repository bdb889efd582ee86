"""Prime implicants of Boolean rules, computed exactly from truth tables.

The trap-space and most-permissive encodings need, for every node, the complete
set of prime implicants of its rule ``f`` and of ``!f`` (the Blake canonical
form): a subspace makes ``f`` constant 1 exactly when it contains the literals of
some prime implicant of ``f``.  This module is the one implementation used by the
dynamics engines, percolation (:mod:`signet.percolation`) and the pyboolnet primes
writer (:mod:`signet.io.primes`).

A rule over ``k`` variables is tabulated as a Python integer bit set (bit ``i`` is
the value where variable ``j`` is bit ``j`` of ``i``), evaluated with integer
``&``, ``|`` and ``^`` on the whole table at once.  Primes follow by Shannon
expansion on the table, with memoisation:

``P(f) = P(f0 & f1) + {!x.p : p in P(f0) - P(f0 & f1)} + {x.p : p in P(f1) - P(f0 & f1)}``

Rules over more than :data:`TABLE_VARIABLES` variables are first split by the same
expansion on expressions.

Examples
--------
>>> from signet.expr import parse_expression
>>> on, off = prime_implicants(parse_expression("A & !B | A & C"), ["A", "B", "C"])
>>> sorted(sorted(t.items()) for t in on)
[[('A', 1), ('B', 0)], [('A', 1), ('C', 1)]]
>>> sorted(sorted(t.items()) for t in off)
[[('A', 0)], [('B', 1), ('C', 0)]]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

from .expr import And, Const, Expr, IdentityCache, Not, Or, Var, parsed_order

__all__ = [
    "prime_implicants",
    "primes_of_table",
    "rule_table",
    "cached_rule_table",
    "variable_tables",
    "evaluate_bits",
    "scan_literals",
    "may_be_constant",
    "ordered_variables",
    "TABLE_VARIABLES",
]

Term = tuple[int, int]  # (mask of variables that occur, their values), bit j = variable j

#: Rules over at most this many variables are tabulated; larger ones are first split
#: by Shannon expansion on expressions.
TABLE_VARIABLES = 20

#: entries of each per-rule cache (tables, names, prime implicants)
_CACHE_SIZE = 50_000


@lru_cache(maxsize=200_000)
def _primes(table: int, k: int) -> tuple[Term, ...]:
    if table == 0:
        return ()
    if table == (1 << (1 << k)) - 1:
        return ((0, 0),)
    half = 1 << (k - 1)
    low = table & ((1 << half) - 1)
    high = table >> half
    both = _primes(low & high, k - 1)
    if low == high:
        return both
    seen = set(both)
    bit = 1 << (k - 1)
    out = list(both)
    out.extend((m | bit, v) for m, v in _primes(low, k - 1) if (m, v) not in seen)
    out.extend((m | bit, v | bit) for m, v in _primes(high, k - 1) if (m, v) not in seen)
    return tuple(out)


def primes_of_table(table: int, k: int) -> list[Term]:
    """Prime implicants of the function whose truth table over ``k`` variables is the bit set ``table``.

    Bit ``i`` of ``table`` is the value where variable ``j`` is bit ``j`` of ``i``.
    A term is ``(mask, values)``: variable ``j`` occurs if bit ``j`` of ``mask`` is set,
    with the value of bit ``j`` of ``values``.

    Examples
    --------
    >>> primes_of_table(0b1000, 2)   # A & B
    [(3, 3)]
    >>> primes_of_table(0b1110, 2)   # A | B
    [(1, 1), (2, 2)]
    """
    return list(_primes(table, k))


@lru_cache(maxsize=64)
def variable_tables(k: int) -> tuple[int, ...]:
    """Truth tables (integer bit sets) of the variables ``0 .. k-1`` over ``k`` variables.

    Examples
    --------
    >>> [bin(t) for t in variable_tables(2)]
    ['0b1010', '0b1100']
    """
    size = 1 << k
    out = []
    for j in range(k):
        value = ((1 << (1 << j)) - 1) << (1 << j)  # 2**j zeros then 2**j ones
        width = 1 << (j + 1)
        while width < size:  # repeat by doubling (a big-integer division would be quadratic)
            value |= value << width
            width <<= 1
        out.append(value)
    return tuple(out)


def rule_table(expr: Expr, names: Sequence[str]) -> int:
    """The truth table of ``expr`` over ``names`` as an integer bit set.

    Bit ``i`` is the value of ``expr`` where ``names[j]`` is bit ``j`` of ``i``.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> bin(rule_table(parse_expression("A & !B"), ["A", "B"]))
    '0b10'
    >>> rule_table(parse_expression("A | !A"), ["A"]) == 0b11
    True
    """
    k = len(names)
    patterns = variable_tables(k)
    full = (1 << (1 << k)) - 1
    values = {n: patterns[j] for j, n in enumerate(names)}
    if k >= CUBE_VARIABLES:  # large tables: products of literals built by doubling (bbm/254: 0.26 -> 0.12 s)
        try:
            return _cube_bits(expr, values, full, {n: j for j, n in enumerate(names)}, k)
        except RecursionError:
            pass
    return evaluate_bits(expr, values, full)


#: rule tables over at least this many variables build the products of a sum by doubling
CUBE_VARIABLES = 12


def _cube_bits(e: Expr, values: Mapping[str, int], full: int, index: Mapping[str, int], k: int) -> int:
    """:func:`evaluate_bits` over the variable tables ``values``, each product of literals
    built by :func:`_cube` (recursive; deep rules raise ``RecursionError``)."""
    kind = type(e)
    if kind is Or:
        out = 0
        for a in e.args:  # type: ignore[attr-defined]  # type(e) is Or
            out |= _cube_bits(a, values, full, index, k)
        return out
    if kind is And:
        cube = _cube(e, index, k)
        if cube is not None:
            return cube
        out = full
        for a in e.args:  # type: ignore[attr-defined]  # type(e) is And
            out &= _cube_bits(a, values, full, index, k)
        return out
    if kind is Not:
        return full ^ _cube_bits(e.arg, values, full, index, k)  # type: ignore[attr-defined]  # type(e) is Not
    return _bits(e, values, full)


def _cube(term: Expr, index: Mapping[str, int], k: int) -> int | None:
    """The truth table of ``term`` over ``k`` variables (positions ``index``) if it is a
    product of literals, else ``None``.

    Built by doubling, from the table over no variable to the table over ``k``: a
    variable that does not occur copies the table into both halves, a positive literal
    into the upper half only, a negative one into the lower half.  That is about two
    whole-table operations, where evaluating the product costs one per literal.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> bin(_cube(parse_expression("A & !C"), {"A": 0, "B": 1, "C": 2}, 3))
    '0b1010'
    >>> _cube(parse_expression("A & (B | C)"), {"A": 0, "B": 1, "C": 2}, 3) is None
    True
    """
    args = term.args if isinstance(term, And) else (term,)
    signs: dict[int, bool] = {}
    for arg in args:
        kind = type(arg)
        if kind is Var:
            j, sign = index[arg.name], True  # type: ignore[attr-defined]  # type(arg) is Var
        elif kind is Not and type(arg.arg) is Var:  # type: ignore[attr-defined]  # type(arg) is Not
            j, sign = index[arg.arg.name], False  # type: ignore[attr-defined]  # type(arg) is Not
        else:
            return None
        if signs.setdefault(j, sign) != sign:
            return 0
    table = 1
    for j in range(k):
        value = signs.get(j)
        if value is None:
            table |= table << (1 << j)
        elif value:
            table <<= 1 << j
    return table


def evaluate_bits(expr: Expr, values: Mapping[str, int], full: int) -> int:
    """``expr`` evaluated bit-parallel: every variable is an integer bit set, ``full`` all ones.

    Bit ``t`` of the result is the value of ``expr`` where each variable takes bit ``t``
    of its set.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> bin(evaluate_bits(parse_expression("A & !B"), {"A": 0b1100, "B": 0b1010}, 0b1111))
    '0b100'
    """
    try:
        return _bits(expr, values, full)
    except RecursionError:  # a very deep rule: the iterative walk below
        return _bits_iterative(expr, values, full)


def _bits(e: Expr, values: Mapping[str, int], full: int) -> int:
    kind = type(e)
    if kind is Var:
        return values[e.name]  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
    if kind is And:
        out = full
        for a in e.args:  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
            out &= _bits(a, values, full)
        return out
    if kind is Or:
        out = 0
        for a in e.args:  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
            out |= _bits(a, values, full)
        return out
    if kind is Not:
        return full ^ _bits(e.arg, values, full)  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
    if kind is Const:
        return full if e.value else 0  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
    return _bits_iterative(e, values, full)


def _bits_iterative(expr: Expr, values: Mapping[str, int], full: int) -> int:
    memo: dict[int, int] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:  # post-order, iterative (deep rules do not hit the recursion limit)
        e, ready = stack.pop()
        key = id(e)
        if key in memo:
            continue
        if isinstance(e, Var):
            memo[key] = values[e.name]
        elif isinstance(e, Const):
            memo[key] = full if e.value else 0
        elif isinstance(e, Not):
            if ready:
                memo[key] = full ^ memo[id(e.arg)]
            else:
                stack.append((e, True))
                stack.append((e.arg, False))
        elif isinstance(e, (And, Or)):
            if ready:
                if isinstance(e, And):
                    value = full
                    for a in e.args:
                        value &= memo[id(a)]
                else:
                    value = 0
                    for a in e.args:
                        value |= memo[id(a)]
                memo[key] = value
            else:
                stack.append((e, True))
                stack.extend((a, False) for a in e.args)
        else:
            raise TypeError(f"not an expression: {e!r}")
    return memo[id(expr)]


_TABLES: IdentityCache[int] = IdentityCache(_CACHE_SIZE)


def cached_rule_table(expr: Expr, names: Sequence[str]) -> int:
    """:func:`rule_table`, remembered per rule object and variable order (rules are immutable)."""
    order = tuple(names)
    hit = _TABLES.get(expr, order)
    return hit if hit is not None else _TABLES.put(expr, rule_table(expr, names), order)


def scan_literals(expr: Expr) -> tuple[dict[str, int], bool, bool]:
    """One walk over ``expr`` (iterative): how often each name occurs (in order of first
    occurrence), whether a constant occurs, and whether some name occurs both negated
    and not.

    A rule without constants whose every name has one polarity cannot be constant
    (with every literal true it is 1, with every literal false 0), which is what
    percolation needs to know before tabulating it.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> scan_literals(parse_expression("B & (A | !B) & B"))
    ({'B': 3, 'A': 1}, False, True)
    """
    counts: dict[str, int] = {}
    polarity: dict[str, bool] = {}
    const = mixed = False
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        e, negated = stack.pop()
        kind = type(e)
        if kind is Var:
            name = e.name  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
            counts[name] = counts.get(name, 0) + 1
            before = polarity.setdefault(name, negated)
            mixed = mixed or before != negated
        elif kind is Not:
            stack.append((e.arg, not negated))  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
        elif kind is And or kind is Or:
            stack.extend((a, negated) for a in reversed(e.args))  # type: ignore[attr-defined]  # dispatch on type(e) is X (fast) does not narrow for mypy
        else:
            const = True
    return counts, const, mixed


def may_be_constant(expr: Expr, limit: int | None = None) -> bool:
    """Whether ``expr`` may be a constant function as far as its spelling tells: it has a
    constant, a name both negated and not, or no name (:func:`scan_literals`' test, with
    the walk stopped at the first such literal: a large rule of both signs is decided
    early).  ``False`` is certain: with every literal true the rule is 1, with every
    literal false 0.  With ``limit``, a rule of more sub-expressions is not read to the
    end: ``True`` (undecided).

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> may_be_constant(parse_expression("A & !(B | C)")), may_be_constant(parse_expression("A | !A & B"))
    (False, True)
    >>> may_be_constant(parse_expression("A & !(B | C)"), limit=3)
    True
    """
    polarity: dict[str, bool] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    budget = -1 if limit is None else limit
    while stack:
        if budget == 0:
            return True
        budget -= 1
        e, negated = stack.pop()
        kind = type(e)
        if kind is Var:
            if polarity.setdefault(e.name, negated) != negated:  # type: ignore[attr-defined]  # type(e) is Var
                return True
        elif kind is Not:
            stack.append((e.arg, not negated))  # type: ignore[attr-defined]  # type(e) is Not
        elif kind is And or kind is Or:
            stack.extend((a, negated) for a in e.args)  # type: ignore[attr-defined]  # type(e) is And or Or
        else:
            return True
    return not polarity


def ordered_variables(expr: Expr) -> list[str]:
    """The names occurring in ``expr``, in order of first occurrence (no hashing of subtrees).

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> ordered_variables(parse_expression("B & (A | !B)"))
    ['B', 'A']
    """
    names = _ORDER_CACHE.get(expr)
    if names is None:
        names = _ORDER_CACHE.put(expr, parsed_order(expr) or tuple(scan_literals(expr)[0]))
    return list(names)


#: each rule's names in order of first occurrence: the engines ask them several times per question
#: (percolation, the decomposition's split test, the trap-space program), and walking a
#: rule over many regulators costs more than the lookup.
_ORDER_CACHE: IdentityCache[tuple[str, ...]] = IdentityCache(_CACHE_SIZE)


def _decode(terms: Sequence[Term], names: Sequence[str]) -> list[dict[str, int]]:
    out = []
    for mask, values in terms:
        out.append({names[j]: (values >> j) & 1 for j in range(len(names)) if (mask >> j) & 1})
    return out


_PRIMES: IdentityCache[tuple[list, list]] = IdentityCache(_CACHE_SIZE)


def prime_implicants(expr: Expr,
                     names: Sequence[str] | None = None) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """All prime implicants of ``expr`` and of its negation, as ``{name: 0|1}`` terms.

    Parameters
    ----------
    expr
        The rule.
    names
        The variables to tabulate over, a superset of those occurring in ``expr``
        (default: those occurring in ``expr``); they fix the order of the terms.

    Returns
    -------
    (on, off)
        Prime implicants of ``expr`` and of ``!expr``.  A tautology has ``on == [{}]``
        and ``off == []``.  The lists are shared with a cache: do not modify them.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> big = parse_expression(" | ".join(f"x{i}" for i in range(30)))
    >>> on, off = prime_implicants(big)
    >>> len(on), off == [{f"x{i}": 0 for i in range(30)}]
    (30, True)
    """
    present = ordered_variables(expr)
    if names is None:
        names = sorted(present)
    else:
        used = set(present)
        names = [n for n in names if n in used]
    order = tuple(names)
    hit = _PRIMES.get(expr, order)
    return hit if hit is not None else _PRIMES.put(expr, _both(expr, order), order)


def _both(expr: Expr, names: tuple[str, ...]) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    k = len(names)
    if k <= TABLE_VARIABLES:
        table = cached_rule_table(expr, names)
        full = (1 << (1 << k)) - 1
        return _decode(_primes(table, k), names), _decode(_primes(full ^ table, k), names)
    return _primes_expr(expr, names), _primes_expr(Not(expr), names)


def _primes_expr(expr: Expr, names: tuple[str, ...]) -> list[dict[str, int]]:
    """Primes of a rule over many variables: Shannon expansion on expressions down to tables."""
    from .expr import fold_constants, substitute

    expr = fold_constants(expr)
    if isinstance(expr, Const):
        return [{}] if expr.value else []
    present = set(ordered_variables(expr))
    names = tuple(n for n in names if n in present)
    if len(names) <= TABLE_VARIABLES:
        table = rule_table(expr, names)
        return _decode(_primes(table, len(names)), names)
    # Shannon expansion on the variable that occurs most often
    counts = scan_literals(expr)[0]
    x = max(names, key=lambda n: counts.get(n, 0))
    low = substitute(expr, {x: 0})
    high = substitute(expr, {x: 1})
    rest = tuple(n for n in names if n != x)
    both = _primes_expr(And((low, high)), rest)
    seen = {frozenset(t.items()) for t in both}
    out = list(both)
    out.extend({**t, x: 0} for t in _primes_expr(low, rest) if frozenset(t.items()) not in seen)
    out.extend({**t, x: 1} for t in _primes_expr(high, rest) if frozenset(t.items()) not in seen)
    return out
