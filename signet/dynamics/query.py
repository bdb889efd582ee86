"""Temporal-logic queries (CTL) on the asynchronous dynamics, answered by biodivine-aeon's model checker.

A formula is written with node names (or aliases) and phenotype names as atoms::

    AF Death                       on every path the cell eventually dies
    EF Death & EF Proliferation    both fates are still open
    AG (TP53 -> AF CDKN1A)         whenever p53 is on, p21 follows on every path
    E[!Death U Senescence]         senescence can be reached before any death
    A[DSB U Repair] | AG !DSB

Operators: ``!`` (or ``~``), ``&``, ``|``, ``->``, ``<->``, ``true``, ``false``,
``EX AX EF AF EG AG`` (unary, binding tighter than ``&``), ``E[p U q]`` and
``A[p U q]``, parentheses.  A name that is a node denotes the node being 1; otherwise a
phenotype of the model's metadata denotes its expression.

Semantics: the Kripke structure is the asynchronous state transition graph (one node
whose rule disagrees with its value flips at a time) with a self-loop on every fixed
point, so that every path is infinite; no fairness is assumed, so a path may postpone
an enabled flip for ever (``AF``/``A[p U q]`` can fail where the asynchronous chain
reaches ``q`` with probability 1: ask :mod:`~signet.dynamics.probabilities` for that) —
the convention of NuSMV/PyBoolNet and of biodivine-aeon's HCTL model checker, which
evaluates the formula symbolically (BDDs) over all states.  The answer is the set of
start states where the formula holds: all states (nodes with a constant rule at their value) or given start states.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"A": "A | B", "B": "!A & B", "C": "C | B"})
>>> r = query(net, "AF A", start=[{"A": 0, "B": 1, "C": 0}, {"A": 0, "B": 0, "C": 0}])
>>> r.holds, r.total
(1, 2)
>>> parse_formula("E[!A U B & C]")
Until(quantifier='E', left=Not(arg=Atom(name='A')), right=Binary(op='&', left=Atom(name='B'), right=Atom(name='C')))
>>> parse_formula("AF (A &")
Traceback (most recent call last):
...
signet.errors.ParseError: formula:1:8: expected a formula, found the end
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, Union

from ..errors import ModelError, ParseError

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from ..expr import Expr
    from ..model import BooleanNetwork

__all__ = ["Atom", "Bool", "Not", "Binary", "Temporal", "Until", "Formula", "QueryResult", "parse_formula", "query",
           "UNARY", "BINARY"]

UNARY = ("EX", "AX", "EF", "AF", "EG", "AG")
#: Boolean connectives, loosest first.
BINARY = ("<->", "->", "|", "&")


# the formula nodes below are alike in shape (a frozen dataclass and its __str__) by design
@dataclass(frozen=True)
class Atom:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Bool:
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class Not:
    arg: "Formula"

    def __str__(self) -> str:
        return f"!{_wrap(self.arg, 5)}"


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Formula"
    right: "Formula"

    def __str__(self) -> str:
        level = BINARY.index(self.op) + 1
        # -> and <-> group to the right (a -> b -> c is a -> (b -> c)), & and | to the left
        if self.op in ("->", "<->"):
            return f"{_wrap(self.left, level + 1)} {self.op} {_wrap(self.right, level)}"
        return f"{_wrap(self.left, level)} {self.op} {_wrap(self.right, level + 1)}"


# Not and Temporal share a shape (an operator over one formula) but print and check
# differently (the duplicates check names them: justified repeat)
@dataclass(frozen=True)
class Temporal:
    op: str
    arg: "Formula"

    def __str__(self) -> str:
        return f"{self.op} {_wrap(self.arg, 5)}"


@dataclass(frozen=True)
class Until:
    quantifier: str
    left: "Formula"
    right: "Formula"

    def __str__(self) -> str:
        return f"{self.quantifier}[{self.left} U {self.right}]"


Formula = Union[Atom, Bool, Not, Binary, Temporal, Until]


def _level(f: Formula) -> int:
    if isinstance(f, Binary):
        return BINARY.index(f.op) + 1
    return 6


def _wrap(f: Formula, needed: int) -> str:
    return f"({f})" if _level(f) < needed else str(f)


# ---------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------
_TOKEN = re.compile(r"(?P<space>\s+)|(?P<op><->|->|[!~&|()\[\]])|(?P<name>[A-Za-z_][A-Za-z0-9_.:]*)")


@dataclass
class _Tok:
    kind: str
    text: str
    column: int
    line: int

    def shown(self) -> str:
        return "the end" if self.kind == "end" else repr(self.text)


class _Parser:
    def __init__(self, text: str, source: str | None):
        self.source = source
        self.tokens: list[_Tok] = []
        i, line, start = 0, 1, 0
        while i < len(text):
            m = _TOKEN.match(text, i)
            if m is None:
                raise ParseError(f"unexpected character {text[i]!r}", source=source, line=line, column=i - start + 1,
                                 token=text[i])
            if m.lastgroup == "space":
                for k, ch in enumerate(m.group(), start=i):
                    if ch == "\n":
                        line, start = line + 1, k + 1
            else:
                self.tokens.append(_Tok(m.lastgroup or "", m.group(), i - start + 1, line))
            i = m.end()
        self.tokens.append(_Tok("end", "", len(text) - start + 1, line))
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def error(self, message: str, tok: _Tok | None = None) -> ParseError:
        tok = tok or self.tok
        return ParseError(message, source=self.source, line=tok.line, column=tok.column, token=tok.text or None)

    def expect(self, text: str) -> None:
        if self.tok.text != text:
            raise self.error(f"expected {text!r}, found {self.tok.shown()}")
        self.i += 1

    def parse(self) -> Formula:
        f = self.binary(0)
        if self.tok.kind != "end":
            raise self.error(f"expected an operator or the end, found {self.tok.shown()}")
        return f

    def binary(self, level: int) -> Formula:
        if level == len(BINARY):
            return self.unary()
        op = BINARY[level]
        left = self.binary(level + 1)
        if self.tok.text == op:
            self.i += 1
            right = self.binary(level if op in ("->", "<->") else level + 1)
            left = Binary(op, left, right)
            while op not in ("->", "<->") and self.tok.text == op:
                self.i += 1
                left = Binary(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Formula:
        tok = self.tok
        if tok.text in ("!", "~"):
            self.i += 1
            return Not(self.unary())
        if tok.kind == "name" and tok.text in UNARY:
            self.i += 1
            return Temporal(tok.text, self.unary())
        if tok.kind == "name" and tok.text in ("E", "A") and self.tokens[self.i + 1].text == "[":
            self.i += 2
            left = self.binary(0)
            if not (self.tok.kind == "name" and self.tok.text == "U"):
                raise self.error(f"expected 'U' in {tok.text}[... U ...], found {self.tok.shown()}")
            self.i += 1
            right = self.binary(0)
            self.expect("]")
            return Until(tok.text, left, right)
        if tok.text == "(":
            self.i += 1
            f = self.binary(0)
            if self.tok.text != ")":
                if self.tok.kind == "end":
                    raise self.error("'(' is never closed", tok)
                raise self.error(f"expected ')', found {self.tok.shown()}")
            self.i += 1
            return f
        if tok.kind == "name":
            self.i += 1
            if tok.text in ("true", "false"):
                return Bool(tok.text == "true")
            return Atom(tok.text)
        raise self.error(f"expected a formula, found {tok.shown()}")


def parse_formula(text: str, *, source: str | None = "formula") -> Formula:
    """Parse a CTL formula (see the module documentation).

    Raises
    ------
    ParseError
        With the line and column of the problem.
    """
    return _Parser(text, source).parse()


# ---------------------------------------------------------------------------
# answering
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryResult:
    """Where a formula holds.

    Attributes
    ----------
    formula
        The formula as parsed (``str()`` shows it).
    holds, total
        Start states where it holds, of all start states.
    satisfying, failing
        A few start states where it holds / does not (full states, names).
    """

    formula: Formula
    holds: int
    total: int
    satisfying: tuple[Mapping[str, int], ...] = field(default=())
    failing: tuple[Mapping[str, int], ...] = field(default=())

    @property
    def always(self) -> bool:
        """Whether it holds in every start state."""
        return self.holds == self.total

    def to_pandas(self) -> "pandas.DataFrame":
        """The example start states: one row each, ``holds`` (True/False) then one column per node."""
        from ..tables import to_dataframe

        rows = [{"holds": True, **s} for s in self.satisfying] + [{"holds": False, **s} for s in self.failing]
        return to_dataframe(rows)

    def to_json(self) -> dict:
        return {"formula": str(self.formula), "holds": self.holds, "total": self.total, "all": self.always,
                "satisfying": [dict(s) for s in self.satisfying], "failing": [dict(s) for s in self.failing]}


def _hctl(formula: Formula, atom: Callable[[str], str]) -> str:
    if isinstance(formula, Atom):
        return atom(formula.name)
    if isinstance(formula, Bool):
        return "true" if formula.value else "false"
    if isinstance(formula, Not):
        return f"(~{_hctl(formula.arg, atom)})"
    if isinstance(formula, Binary):
        op = {"->": "=>", "<->": "<=>"}.get(formula.op, formula.op)
        return f"({_hctl(formula.left, atom)} {op} {_hctl(formula.right, atom)})"
    if isinstance(formula, Temporal):
        return f"({formula.op} {_hctl(formula.arg, atom)})"
    return f"({_hctl(formula.left, atom)} {formula.quantifier}U {_hctl(formula.right, atom)})"


def _expr_hctl(expr: Expr, names: Mapping[str, str]) -> str:
    from ..expr import And, Const, Not as ENot, Or, Var

    if isinstance(expr, Var):
        return names[expr.name]
    if isinstance(expr, Const):
        return "true" if expr.value else "false"
    if isinstance(expr, ENot):
        return f"(~{_expr_hctl(expr.arg, names)})"
    op = " & " if isinstance(expr, And) else " | "
    assert isinstance(expr, (And, Or))
    return "(" + op.join(_expr_hctl(a, names) for a in expr.args) + ")"



def query(
    network: "BooleanNetwork",
    formula: "Formula | str",
    *,
    start: Mapping[str, int] | Sequence[Mapping[str, int]] | None = None,
    examples: int = 3,
) -> QueryResult:
    """For which start states ``formula`` holds on the asynchronous dynamics of ``network``.

    Parameters
    ----------
    network
        The network (apply perturbations first); phenotypes come from its metadata.
    formula
        A CTL formula or its text.
    start
        Start states (partial states: every state that agrees with one), or ``None``
        for every state.  Nodes with a constant rule take their value in every start.
    examples
        How many satisfying and failing start states to return.

    Raises
    ------
    ParseError
        A malformed formula, or a name that is neither a node nor a phenotype.
    """
    import biodivine_aeon as aeon

    from ..phenotypes import parse_phenotypes

    if isinstance(formula, str):
        formula = parse_formula(formula)
    nodes = list(network.nodes)
    names = {n: f"v_{i}" for i, n in enumerate(nodes)}
    phenotypes = parse_phenotypes(network.annotations.phenotypes, nodes) if network.annotations.phenotypes else {}

    def atom(name: str) -> str:
        if name in network.rules:
            return names[name]
        if name in phenotypes:
            return _expr_hctl(phenotypes[name], names)
        try:
            return names[network.resolve(name)]
        except ModelError:
            import difflib

            close = difflib.get_close_matches(name, nodes + list(phenotypes), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ParseError(f"{name!r} is neither a node nor a phenotype{hint}", source="formula",
                             token=name) from None

    hctl = _hctl(formula, atom)
    from ..errors import EngineError
    from .symbolic import load_aeon

    rules = [(names[n], _expr_hctl(network.rules[n], names).replace("~", "!")) for n in nodes]
    bn = load_aeon(rules, EngineError, "biodivine-aeon could not load the network")
    graph = aeon.AsynchronousGraph(bn)
    result = aeon.ModelChecking.verify(graph, hctl).vertices()
    constants = network.constants
    if start is None:
        starts = [dict(constants)]
    else:
        if isinstance(start, Mapping):
            start = [start]
        starts = [{**network.resolve_assignment(s), **constants} for s in start]
        if not starts:
            raise ModelError("an empty list of start states")
    space = graph.mk_empty_vertices()
    for s in starts:
        space = space.union(graph.mk_subspace_vertices({names[n]: bool(v) for n, v in s.items()}))
    good = result.intersect(space)
    bad = space.minus(result)

    def listed(vertices: Any) -> tuple[dict[str, int], ...]:
        out = []
        for model in vertices.items():
            values = {bn.get_variable_name(k): int(v) for k, v in model.items()}
            out.append({n: values[names[n]] for n in nodes})
            if len(out) >= examples:
                break
        return tuple(out)

    return QueryResult(formula, int(good.cardinality()), int(space.cardinality()), listed(good), listed(bad))
