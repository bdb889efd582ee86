"""Readable rules for imported models: the same function, written as a short disjunction.

Readers that build rules mechanically (GINsim's parameter tables, MaBoSS's rate
expressions) can produce long formulas.  :func:`compact` rewrites a rule over few
variables as an irredundant disjunction of its prime implicants when that is shorter;
the function never changes (it is computed from the rule's truth table).

Examples
--------
>>> from signet.expr import parse_expression
>>> rule = parse_expression("A & B & C | A & B & !C | A & !B & C | !A & B & C")
>>> print(compact(rule, min_size=1))
A & B | A & C | B & C
"""

from __future__ import annotations

from typing import Sequence

from ..expr import FALSE, TRUE, And, Expr, Not, Or, Var, fold_constants
from ..primes import ordered_variables

__all__ = ["compact", "expression_of_table", "size"]

#: Rules over more variables are left as they are (truth tables of 2**14 entries at most).
MAX_VARIABLES = 16


def size(rule: Expr, limit: int | None = None) -> int:
    """Number of nodes of ``rule`` (counting stops a little after ``limit``)."""
    stack, seen = [rule], 0
    while stack:
        seen += 1
        if limit is not None and seen > limit:
            return seen
        e = stack.pop()
        if isinstance(e, Not):
            stack.append(e.arg)
        elif isinstance(e, (And, Or)):
            stack.extend(e.args)
    return seen


def expression_of_table(table: int, names: Sequence[str]) -> Expr:
    """An irredundant disjunction of prime implicants with the truth table ``table`` over ``names``.

    Bit ``i`` of ``table`` is the value where ``names[j]`` is bit ``j`` of ``i``.

    Examples
    --------
    >>> print(expression_of_table(0b0110, ["A", "B"]))
    A & !B | !A & B
    """
    from ..primes import primes_of_table, variable_tables

    k = len(names)
    full = (1 << (1 << k)) - 1
    if table == 0:
        return FALSE
    if table == full:
        return TRUE
    patterns = variable_tables(k)

    def cover(term: tuple[int, int]) -> int:
        mask, values = term
        out = full
        for j in range(k):
            if mask >> j & 1:
                out &= patterns[j] if values >> j & 1 else full ^ patterns[j]
        return out

    primes = sorted(primes_of_table(table, k), key=lambda t: (bin(t[0]).count("1"), t))
    covers = [cover(t) for t in primes]
    chosen: list[int] = []
    covered = 0
    for i, c in enumerate(covers):
        if c & ~covered:
            chosen.append(i)
            covered |= c
    for i in list(chosen):  # drop primes the others cover
        rest = 0
        for j in chosen:
            if j != i:
                rest |= covers[j]
        if covers[i] & ~rest == 0:
            chosen.remove(i)
    terms: list[Expr] = []
    for i in chosen:
        mask, values = primes[i]
        literals: list[Expr] = [Var(names[j]) if values >> j & 1 else Not(Var(names[j]))
                                for j in range(k) if mask >> j & 1]
        terms.append(literals[0] if len(literals) == 1 else And(tuple(literals)))
    return terms[0] if len(terms) == 1 else Or(tuple(terms))


def compact(rule: Expr, names: Sequence[str] | None = None, *, min_size: int = 24) -> Expr:
    """``rule`` folded, or the same function as a short disjunction of prime implicants.

    Parameters
    ----------
    rule
        The rule.
    names
        A superset of the rule's variables, in the order to write them (default: order of
        first occurrence).
    min_size
        Rules with fewer nodes are only folded.
    """
    if size(rule, min_size) < min_size:
        return fold_constants(rule)
    present = ordered_variables(rule)
    if names is None:
        names = present
    else:
        used = set(present)
        names = [n for n in names if n in used]
    if len(names) > MAX_VARIABLES:
        return fold_constants(rule) if size(rule, 4000) < 4000 else rule
    from ..primes import rule_table

    short = expression_of_table(rule_table(rule, names), names)
    if size(short) < size(rule):
        return short
    return fold_constants(rule)
