"""Prime implicants of Boolean rules, computed exactly from truth tables.

The trap-space and most-permissive encodings need, for every node, the complete
set of prime implicants of its rule ``f`` and of ``!f`` (the Blake canonical
form): a subspace makes ``f`` constant 1 exactly when it contains the literals of
some prime implicant of ``f``.  Primes are computed by Shannon expansion on the
truth table (kept as a Python integer bit set), with memoisation:

``P(f) = P(f0 & f1) + {!x.p : p in P(f0) - P(f0 & f1)} + {x.p : p in P(f1) - P(f0 & f1)}``

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
from typing import Sequence

from ..expr import Expr, variables

__all__ = ["prime_implicants", "primes_of_table"]

Term = tuple[int, int]  # (mask of variables that occur, their values), bit j = variable j


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


#: Rules over at most this many variables are tabulated; larger ones are first split
#: by Shannon expansion on expressions.
TABLE_VARIABLES = 20
_CHUNK = 1 << 16


def _table_int(expr: Expr, names: Sequence[str]) -> int:
    """The truth table of ``expr`` over ``names`` as an integer bit set (chunked numpy evaluation)."""
    import numpy as np

    from ..expr import compile_expression

    k = len(names)
    func = compile_expression(expr, names)
    size = 1 << k
    chunks = []
    for begin in range(0, size, _CHUNK):
        idx = np.arange(begin, min(size, begin + _CHUNK), dtype=np.int64)
        value = func(*(((idx >> j) & 1).astype(bool) for j in range(k)))
        if not isinstance(value, np.ndarray):
            value = np.full(len(idx), bool(value))
        chunks.append(value)
    table = np.concatenate(chunks)
    packed = np.packbits(table.astype(np.uint8), bitorder="little")
    return int.from_bytes(packed.tobytes(), "little")


def prime_implicants(expr: Expr, names: Sequence[str] | None = None) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """All prime implicants of ``expr`` and of its negation, as ``{name: 0|1}`` terms.

    Parameters
    ----------
    expr
        The rule.
    names
        The variables to tabulate over (default: those occurring in ``expr``).

    Returns
    -------
    (on, off)
        Prime implicants of ``expr`` and of ``!expr``.  A tautology has ``on == [{}]``
        and ``off == []``.

    Examples
    --------
    >>> from signet.expr import parse_expression
    >>> big = parse_expression(" | ".join(f"x{i}" for i in range(30)))
    >>> on, off = prime_implicants(big)
    >>> len(on), off == [{f"x{i}": 0 for i in range(30)}]
    (30, True)
    """
    from ..expr import Not

    names = sorted(variables(expr)) if names is None else list(names)
    return _primes_expr(expr, tuple(names)), _primes_expr(Not(expr), tuple(names))


def _primes_expr(expr: Expr, names: tuple[str, ...]) -> list[dict[str, int]]:
    return [dict(t) for t in _primes_expr_cached(expr, names)]


@lru_cache(maxsize=100_000)
def _primes_expr_cached(expr: Expr, names: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], ...]:
    return tuple(tuple(sorted(t.items())) for t in _primes_expr_uncached(expr, names))


def _primes_expr_uncached(expr: Expr, names: tuple[str, ...]) -> list[dict[str, int]]:
    from ..expr import And, Const, fold_constants, substitute

    expr = fold_constants(expr)
    if isinstance(expr, Const):
        return [{}] if expr.value else []
    present = variables(expr)
    names = tuple(n for n in names if n in present)
    if len(names) <= TABLE_VARIABLES:
        return _decode(_primes(_table_int(expr, names), len(names)), names)
    # Shannon expansion on the variable that occurs most often
    counts: dict[str, int] = {}
    _count(expr, counts)
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


def _count(expr: Expr, counts: dict[str, int]) -> None:
    from ..expr import Not, Var

    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Var):
            counts[e.name] = counts.get(e.name, 0) + 1
        elif isinstance(e, Not):
            stack.append(e.arg)
        elif hasattr(e, "args"):
            stack.extend(e.args)  # type: ignore[attr-defined]


def _decode(terms, names: Sequence[str]) -> list[dict[str, int]]:
    out = []
    for mask, values in terms:
        out.append({names[j]: (values >> j) & 1 for j in range(len(names)) if (mask >> j) & 1})
    return out
