"""Flip rates that depend on the state (MaBoSS's ``rate_up = A ? 1 : 0.1``).

A node's rate of flipping up (0 -> 1) or down (1 -> 0) in the asynchronous chain is a
positive number, or a :class:`StateRate`: the value of the first *case* whose condition
holds in the current state, else a default.  It is written as MaBoSS writes it, one
ternary per case, nested to the right::

    FBXW7 ? 1 : 0.1                 # 1 where FBXW7 is on, 0.1 elsewhere
    ATM & MRN ? 2 : ATM ? 1 : 0.2   # the first condition that holds decides

Conditions are Boolean expressions over the model's nodes (bnet syntax).  A state-dependent
rate says "faster with", which a Boolean gate cannot: with ``XRCC4_LIG4`` up at
``FBXW7 ? 1 : 0.1``, end joining still happens without FBXW7, ten times more slowly.  It
changes no transition of the state transition graph (a rule decides whether a node may
flip; its rate only how soon), so attractors, trap spaces and reachability are those of
the rules; fate probabilities, time courses and stationary distributions change.

Examples
--------
>>> r = parse_rate("FBXW7 ? 1 : 0.1")
>>> r, r.value({"FBXW7": 1}), r.value({"FBXW7": 0}), sorted(r.nodes)
(StateRate('FBXW7 ? 1 : 0.1'), 1.0, 0.1, ['FBXW7'])
>>> parse_rate("A & B ? 2 : (A ? 1 : 0.5)").value({"A": 1, "B": 0})
1.0
>>> parse_rate(0.3)
0.3
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Union

from .errors import ParseError

if TYPE_CHECKING:  # pragma: no cover
    from .expr import Expr

__all__ = ["StateRate", "Rate", "parse_rate", "format_rate", "rate_nodes", "rename_rate"]

#: Most nodes one condition of a state-dependent rate may read (the compiled simulation
#: evaluates a condition through its truth table over them).
MAX_CONDITION_NODES = 16


@dataclass(frozen=True)
class StateRate:
    """A flip rate that depends on the state.

    Attributes
    ----------
    cases
        ``(condition, rate)`` pairs: the rate of the first case whose condition holds.
    default
        The rate where no condition holds.
    """

    cases: tuple[tuple["Expr", float], ...]
    default: float

    @property
    def nodes(self) -> frozenset[str]:
        """The nodes the conditions read."""
        from .expr import variables

        out: frozenset[str] = frozenset()
        for condition, _ in self.cases:
            out |= variables(condition)
        return out

    def value(self, state: Mapping[str, Any]) -> float:
        """The rate in ``state`` (node -> 0/1; every node a condition reads)."""
        from .expr import evaluate

        for condition, rate in self.cases:
            if evaluate(condition, state):
                return rate
        return self.default

    def values(self, lookup: Callable[[Any], Any]) -> Any:
        """The rate in many states at once: ``lookup(condition)`` gives a condition's truth
        values (a boolean array, or a bool); returns the rates as an array of that shape."""
        import numpy as np

        out: Any = self.default
        for condition, rate in reversed(self.cases):
            out = np.where(lookup(condition), rate, out)
        return np.asarray(out, dtype=float)

    def rename(self, mapping: Mapping[str, str]) -> "StateRate":
        """The same rate with the nodes of its conditions renamed (``mapping``: old -> new)."""
        from .expr import Var, substitute

        swap = {old: Var(new) for old, new in mapping.items() if old != new}
        if not swap:
            return self
        return StateRate(tuple((substitute(c, swap), r) for c, r in self.cases), self.default)

    def __str__(self) -> str:
        from .expr import to_bnet

        parts = []
        for condition, rate in self.cases:
            text = to_bnet(condition)
            parts.append(f"{text} ? {_number(rate)} : ")
        return "".join(parts) + _number(self.default)

    def __repr__(self) -> str:
        return f"StateRate({str(self)!r})"


#: a flip rate: a positive number, or one that depends on the state
Rate = Union[float, StateRate]


def _number(x: float) -> str:
    """A rate as the shortest text that reads back exactly (``1``, ``0.1``)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def parse_rate(value: Any, *, source: str | None = None, line: int = 1, column: int = 1) -> Rate:
    """A rate from metadata: a positive number, or text (a number, or ``COND ? RATE : REST``).

    Raises
    ------
    ParseError
        Malformed text, a rate that is not a positive finite number, or a condition that
        reads more than :data:`MAX_CONDITION_NODES` nodes (located when ``source``,
        ``line``, ``column`` say where the text starts).

    Examples
    --------
    >>> parse_rate("0.5"), parse_rate(2)
    (0.5, 2.0)
    >>> parse_rate("A ? 1 :", source="m.yaml", line=3, column=9)
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.yaml:3:16: a rate is missing after ':'
    >>> parse_rate("A ? 0 : 1")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: <text>:1:5: rate 0 is not a positive number
    """
    if isinstance(value, bool):
        raise ParseError(f"rate {value!r} is not a positive number", source=source, line=line, column=column)
    if isinstance(value, (int, float)):
        return _positive(float(value), str(value), source, line, column)
    if not isinstance(value, str):
        raise ParseError(f"rate {value!r} is not a number nor a 'CONDITION ? RATE : RATE' text", source=source,
                         line=line, column=column)
    cases: list[tuple[Expr, float]] = []
    text, offset = value, 0
    while True:
        text, offset = _unwrap(text, offset)
        mark = text.find("?")
        if mark < 0:
            default = _number_at(text, offset, source, line, column, "after ':'" if cases else "")
            break
        condition_text = text[:mark]
        if not condition_text.strip():
            raise ParseError("a condition is missing before '?'", source=source, line=line,
                             column=column + offset + mark)
        condition = _condition(condition_text, source, line, column + offset)
        colon = text.find(":", mark + 1)
        if colon < 0:
            raise ParseError("':' is missing after the rate of a condition", source=source, line=line,
                             column=column + offset + len(text))
        rate = _number_at(text[mark + 1:colon], offset + mark + 1, source, line, column, "after '?'")
        cases.append((condition, rate))
        text, offset = text[colon + 1:], offset + colon + 1
    if not cases:
        return default
    return StateRate(tuple(cases), default)


def _unwrap(text: str, offset: int) -> tuple[str, int]:
    """``text`` without surrounding blanks and one pair of parentheses that wraps all of it."""
    stripped = text.lstrip()
    offset += len(text) - len(stripped)
    stripped = stripped.rstrip()
    if stripped.startswith("(") and stripped.endswith(")"):
        depth = 0
        for k, ch in enumerate(stripped):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and k < len(stripped) - 1:
                return stripped, offset
        return _unwrap(stripped[1:-1], offset + 1)
    return stripped, offset


def _number_at(text: str, offset: int, source: str | None, line: int, column: int, where: str) -> float:
    stripped = text.strip()
    at = column + offset + (len(text) - len(text.lstrip()))
    if not stripped:
        raise ParseError(f"a rate is missing {where}".strip(), source=source, line=line, column=at)
    try:
        number = float(stripped)
    except ValueError:
        raise ParseError(f"{stripped!r} is not a rate (a positive number)", source=source, line=line,
                         column=at) from None
    return _positive(number, stripped, source, line, at)


def _positive(number: float, text: str, source: str | None, line: int, column: int) -> float:
    if not math.isfinite(number) or number <= 0:
        raise ParseError(f"rate {text} is not a positive number", source=source, line=line, column=column)
    return number


def _condition(text: str, source: str | None, line: int, column: int) -> "Expr":
    from .expr import parse_expression, variables

    condition = parse_expression(text, source=source, line=line, column=column)
    if len(variables(condition)) > MAX_CONDITION_NODES:
        raise ParseError(f"a rate's condition reads {len(variables(condition))} nodes (at most "
                         f"{MAX_CONDITION_NODES})", source=source, line=line, column=column)
    return condition


def format_rate(rate: Rate) -> "float | str":
    """A rate as metadata writes it: the number, or the ``COND ? RATE : RATE`` text."""
    return str(rate) if isinstance(rate, StateRate) else float(rate)


def rates_record(rates: Mapping[str, tuple[Rate, Rate]]) -> dict[str, dict[str, "float | str"]]:
    """Per-node rates as metadata and ``--json`` write them: ``{node: {"up": ..., "down": ...}}``.

    Examples
    --------
    >>> rates_record({"A": (0.5, 1.0)})
    {'A': {'up': 0.5, 'down': 1.0}}
    """
    return {node: {"up": format_rate(up), "down": format_rate(down)} for node, (up, down) in rates.items()}


def rate_nodes(rate: Rate) -> frozenset[str]:
    """The nodes a rate reads (none for a number)."""
    return rate.nodes if isinstance(rate, StateRate) else frozenset()


def rename_rate(rate: Rate, mapping: Mapping[str, str]) -> Rate:
    """``rate`` with the nodes of its conditions renamed."""
    return rate.rename(mapping) if isinstance(rate, StateRate) else rate
