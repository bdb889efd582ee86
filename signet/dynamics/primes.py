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

from ..expr import Expr, MAX_TRUTH_TABLE_VARIABLES, truth_table, variables

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


def _table_int(expr: Expr, names: Sequence[str]) -> int:
    import numpy as np

    tt = truth_table(expr, list(names))
    packed = np.packbits(tt.astype(np.uint8), bitorder="little")
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
    """
    names = sorted(variables(expr)) if names is None else list(names)
    k = len(names)
    if k > MAX_TRUTH_TABLE_VARIABLES:
        from ..errors import EngineError

        raise EngineError(f"rule with {k} regulators is too large for exact prime implicants (max {MAX_TRUTH_TABLE_VARIABLES})")
    table = _table_int(expr, names) if k else (1 if _const_true(expr) else 0)
    full = (1 << (1 << k)) - 1
    return _decode(_primes(table, k), names), _decode(_primes(full ^ table, k), names)


def _const_true(expr: Expr) -> bool:
    from ..expr import constant_value

    return bool(constant_value(expr))


def _decode(terms, names: Sequence[str]) -> list[dict[str, int]]:
    out = []
    for mask, values in terms:
        out.append({names[j]: (values >> j) & 1 for j in range(len(names)) if (mask >> j) & 1})
    return out
