"""Reading MaBoSS models: the ``.bnd`` language, the ``.cfg`` language, and their Boolean meaning.

MaBoSS (Stoll et al. 2012) simulates a continuous-time Markov chain over Boolean states:
node ``X`` switches on at rate ``rate_up`` and off at rate ``rate_down``, arithmetic
expressions over the current state and the parameters (``$name``) of the ``.cfg``.  A rate
that is absent defaults to ``@logic ? 1 : 0`` (``@logic ? 0 : 1`` for ``rate_down``) when
the node has a ``logic``, else 0.

The Boolean network signet builds is the one whose asynchronous transitions are exactly
the transitions of positive rate (MaBoSS's own ``get_logical_rules`` computes the same):

    X' = (!X & rate_up > 0) | (X & !(rate_down > 0))

with the parameters of the ``.cfg`` substituted.  So ``rate_up = @logic ? $u_X : 0;
rate_down = @logic ? 0 : $d_X;`` with positive rates gives ``X' = logic``; a node with
both rates 0 keeps its value (an input, ``X, X``); a rate that depends on other nodes
(``rate_up = DyingTumorCell ? $k : 0``) is read exactly, whatever the ``logic`` says.
The rates themselves go to ``annotations.rates`` as ``(up, down)``: one number where a
rate is the same wherever it is positive, else a :class:`~signet.rates.StateRate` (one
case per value it takes where it is positive), so the stochastic dynamics are MaBoSS's.
Only a rate whose conditions read more than :data:`~signet.rates.MAX_CONDITION_NODES`
nodes is left out (the simulation then flips that node at rate 1: an approximation of
MaBoSS's dynamics; its Boolean rule stays exact).  The initial states go to
``annotations.initial``.

Positivity is decided symbolically: a Boolean-valued expression becomes a Boolean
expression directly, and an arithmetic one is split into cases (condition, value) that
are evaluated numerically, so the result is exact for every expression MaBoSS accepts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ..annotations import Annotations, InitialDistribution, NodeInfo
from ..errors import ParseError
from ..expr import FALSE, TRUE, And, Const, Expr, Not, Or, Var, equivalent, fold_constants
from ._compact import compact

if TYPE_CHECKING:  # pragma: no cover
    from ..rates import Rate

__all__ = ["MaBoSSModel", "parse_bnd", "parse_cfg", "maboss_network"]

#: Deepest nesting of parentheses/operators read (a guard; real rates nest a few levels).
MAX_DEPTH = 200
#: Most (condition, value) cases kept while splitting one arithmetic expression.
MAX_CASES = 4096
#: Arithmetic over at most this many nodes is tabulated (numpy) instead of split into cases.
TABLE_NODES = 12


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "name", "var", "num", "str", "op", "end"
    text: str
    line: int
    column: int
    value: float = 0.0
    start: int = 0  # offsets of the token in the source text
    end: int = 0


_KEYWORDS = {"not": "!", "and": "&", "or": "|", "xor": "^"}
_TWO_CHAR = ("==", "!=", "<=", ">=", "&&", "||")
_NUMBER_RE = re.compile(r"(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _skip(text: str, i: int, line: int, start: int, cfg: bool, source: str | None) -> tuple[int, int, int] | None:
    """If a blank or a comment starts at ``i``: ``(position after it, line, start of that line)``."""
    c = text[i]
    if c == "\n":
        return i + 1, line + 1, i + 1
    if c in " \t\r\f\v":
        return i + 1, line, start
    # '//' comments, and in a .bnd a line starting with '#'
    if text.startswith("//", i) or (c == "#" and not cfg and i == start):
        end = text.find("\n", i)
        return (len(text) if end < 0 else end), line, start
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        if end < 0:
            raise ParseError("comment '/*' is never closed", source=source, line=line, column=i - start + 1)
        if "\n" in text[i:end]:
            start = text.rfind("\n", i, end) + 1
        return end + 2, line + text.count("\n", i, end), start
    return None


def _string(text: str, i: int, line: int, start: int, source: str | None,
            last_line: int) -> tuple[_Token, int, int]:
    """The string token opening at ``i`` (escapes resolved), with the line and line start after it."""
    n = len(text)
    col = i - start + 1
    j, chars = i + 1, []
    while j < n and text[j] != '"':
        if text[j] == "\\" and j + 1 < n:
            chars.append(text[j + 1])
            j += 2
            continue
        if text[j] == "\n":
            line, start = line + 1, j + 1
        chars.append(text[j])
        j += 1
    if j >= n:
        raise ParseError("string is never closed (missing '\"')", source=source, line=last_line, column=col)
    return _Token("str", "".join(chars), line, col, start=i, end=j + 1), line, start


def _tokens(text: str, source: str | None, *, cfg: bool) -> list[_Token]:
    """Split MaBoSS text into tokens with their 1-based line and column."""
    out: list[_Token] = []
    i, line, start = 0, 1, 0
    n = len(text)

    def error(message: str, at: int) -> ParseError:
        return ParseError(message, source=source, line=line, column=at - start + 1)

    while i < n:
        skipped = _skip(text, i, line, start, cfg, source)
        if skipped is not None:
            i, line, start = skipped
            continue
        c = text[i]
        col = i - start + 1
        if c == '"':
            token, line, start = _string(text, i, line, start, source, out[-1].line if out else 1)
            out.append(token)
            i = token.end
            continue
        m = _NUMBER_RE.match(text, i)
        if m and (c.isdigit() or c == "."):
            out.append(_Token("num", m.group(0), line, col, float(m.group(0)), i, m.end()))
            i = m.end()
            continue
        if c == "$":
            m = _NAME_RE.match(text, i + 1)
            if not m:
                raise error("'$' must start a parameter name such as $u_TP53", i)
            out.append(_Token("var", "$" + m.group(0), line, col, 0.0, i, m.end()))
            i = m.end()
            continue
        m = _NAME_RE.match(text, i)
        if m:
            word = m.group(0)
            low = word.lower()
            if cfg and low in ("true", "false"):
                out.append(_Token("num", word, line, col, 1.0 if low == "true" else 0.0, i, m.end()))
            elif not cfg and low in _KEYWORDS:
                out.append(_Token("op", _KEYWORDS[low], line, col, 0.0, i, m.end()))
            else:
                out.append(_Token("name", word, line, col, 0.0, i, m.end()))
            i = m.end()
            continue
        two = text[i:i + 2]
        if two in _TWO_CHAR:
            out.append(_Token("op", {"&&": "&", "||": "|"}.get(two, two), line, col, 0.0, i, i + 2))
            i += 2
            continue
        if c in "=<>&|!?:;,{}()+-*/@^.[]":
            out.append(_Token("op", c, line, col, 0.0, i, i + 1))
            i += 1
            continue
        raise error(f"unexpected character {c!r}", i)
    out.append(_Token("end", "", line, n - start + 1, 0.0, n, n))
    return out


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Num:
    value: float


@dataclass(frozen=True, slots=True)
class _Node:
    name: str
    token: _Token


# _Node, _Param and _Alias have the same two fields but are distinct kinds of leaf that the
# evaluator tells apart by type (the duplicates check names them: justified repeat)
@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    token: _Token


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str
    token: _Token


@dataclass(frozen=True, slots=True)
class _Unary:
    op: str  # "-", "!"
    arg: object


@dataclass(frozen=True, slots=True)
class _Binary:
    op: str
    left: object
    right: object


@dataclass(frozen=True, slots=True)
class _Cond:
    test: object
    then: object
    other: object


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    args: tuple
    token: _Token


_LOGICAL = ("&", "|", "^")
_COMPARE = ("==", "!=", "<", ">", "<=", ">=")


class _Parser:
    """Recursive descent over MaBoSS's grammar (BooleanGrammar.y / RunConfigGrammar.y), depth-guarded."""

    def __init__(self, tokens: list[_Token], source: str | None, *, cfg: bool) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source
        self.cfg = cfg
        self.depth = 0

    # -- helpers -----------------------------------------------------------------
    @property
    def tok(self) -> _Token:
        return self.tokens[self.pos]

    def error(self, message: str, tok: _Token | None = None) -> ParseError:
        tok = tok or self.tok
        return ParseError(message, source=self.source, line=tok.line, column=tok.column, token=tok.text or None)

    def describe(self, tok: _Token) -> str:
        return "the end of the file" if tok.kind == "end" else repr(tok.text)

    def at(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def take(self) -> _Token:
        tok = self.tok
        self.pos += 1
        return tok

    def expect(self, op: str, what: str = "") -> _Token:
        if not self.at(op):
            raise self.error(f"expected {op!r}{what}, found {self.describe(self.tok)}")
        return self.take()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested more than {MAX_DEPTH} levels deep")

    # -- grammar ----------------------------------------------------------------------
    def expression(self) -> object:
        self.enter()
        try:
            test = self.xor()
            if self.at("?"):
                self.take()
                then = self.expression()
                self.expect(":", " of a '?' condition")
                other = self.expression()
                return _Cond(test, then, other)
            return test
        finally:
            self.depth -= 1

    def xor(self) -> object:
        return self._left_associative(("^",), self.disjunction)

    def disjunction(self) -> object:
        return self._right_associative("|", self.conjunction, self.disjunction)

    def conjunction(self) -> object:
        return self._right_associative("&", self.equality, self.conjunction)

    def _right_associative(self, op: str, operand: Callable[[], object], rest: Callable[[], object]) -> object:
        """``operand (op rest)?``: one level of the grammar, its depth guarded."""
        left = operand()
        if self.at(op):
            self.take()
            self.enter()
            try:
                return _Binary(op, left, rest())
            finally:
                self.depth -= 1
        return left

    def equality(self) -> object:
        return self._left_associative(("==", "!="), self.relational)

    def relational(self) -> object:
        return self._left_associative(("<", ">", "<=", ">="), self.additive)

    def additive(self) -> object:
        return self._left_associative(("+", "-"), self.multiplicative)

    def multiplicative(self) -> object:
        return self._left_associative(("*", "/"), self.unary)

    def _left_associative(self, ops: tuple[str, ...], operand: Callable[[], object]) -> object:
        """``operand (op operand)*`` for the operators ``ops``, grouped to the left (a loop:
        long chains need no recursion)."""
        left = operand()
        while self.at(*ops):
            op = self.take().text
            left = _Binary(op, left, operand())
        return left

    def unary(self) -> object:
        if self.at("+", "-", "!"):
            op = self.take().text
            self.enter()
            try:
                arg = self.unary()
            finally:
                self.depth -= 1
            return arg if op == "+" else _Unary(op, arg)
        return self.primary()

    def primary(self) -> object:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return _Num(tok.value)
        if tok.kind == "var":
            self.take()
            return _Param(tok.text, tok)
        if tok.kind == "name":
            self.take()
            if self.at("("):
                self.take()
                args = []
                if not self.at(")"):
                    args.append(self.expression())
                    while self.at(","):
                        self.take()
                        args.append(self.expression())
                self.expect(")", f" closing the call of {tok.text}")
                return _Call(tok.text, tuple(args), tok)
            if self.cfg:
                raise self.error(f"{tok.text!r}: a configuration value cannot use node states", tok)
            return _Node(tok.text, tok)
        if self.at("@"):
            self.take()
            name = self.tok
            if name.kind != "name":
                raise self.error("'@' must be followed by an attribute name such as @logic, "
                                 f"found {self.describe(name)}")
            self.take()
            return _Alias(name.text, name)
        if self.at("("):
            self.take()
            inner = self.expression()
            self.expect(")", " closing '('")
            return inner
        raise self.error(f"expected a value, a node, a $parameter or '(', found {self.describe(tok)}")


# ---------------------------------------------------------------------------
# The .bnd file
# ---------------------------------------------------------------------------


@dataclass
class _NodeDecl:
    name: str
    token: _Token
    attributes: dict[str, object] = field(default_factory=dict)  # logic, rate_up, rate_down, custom
    strings: dict[str, str] = field(default_factory=dict)  # description, ...
    text: dict[str, str] = field(default_factory=dict)  # attribute -> its source text


@dataclass
class MaBoSSModel:
    """A parsed MaBoSS model: node declarations and (if given) its configuration."""

    nodes: dict[str, _NodeDecl]
    parameters: dict[str, float] = field(default_factory=dict)
    parameter_tokens: dict[str, _Token] = field(default_factory=dict)
    settings: dict[str, float] = field(default_factory=dict)
    initial: list[tuple[tuple[str, ...], tuple[tuple[float, tuple[int, ...]], ...]]] = field(default_factory=list)
    internal: dict[str, bool] = field(default_factory=dict)
    source: str | None = None
    cfg_source: str | None = None


def _slice(text: str, tokens: list[_Token], first: int, last: int) -> str:
    """The source text from token ``first`` to token ``last`` (inclusive), blanks collapsed."""
    return " ".join(text[tokens[first].start:tokens[last].end].split())


def parse_bnd(text: str, *, source: str | None = None) -> MaBoSSModel:
    """Parse the text of a ``.bnd`` file into node declarations (no meaning yet)."""
    tokens = _tokens(text, source, cfg=False)
    parser = _Parser(tokens, source, cfg=False)
    nodes: dict[str, _NodeDecl] = {}

    def declare(tok: _Token) -> _NodeDecl:
        if tok.text in nodes:
            first = nodes[tok.text].token
            raise parser.error(f"node {tok.text} already defined on line {first.line}", tok)
        decl = _NodeDecl(tok.text, tok)
        nodes[tok.text] = decl
        return decl

    while parser.tok.kind != "end":
        tok = parser.tok
        if tok.kind == "name" and tok.text.lower() == "node":
            parser.take()
            name = parser.tok
            if name.kind != "name":
                raise parser.error(f"expected a node name after 'node', found {parser.describe(name)}")
            parser.take()
            decl = declare(name)
            parser.expect("{", f" after 'node {name.text}'")
            while not parser.at("}"):
                attr = parser.tok
                if attr.kind != "name":
                    raise parser.error(f"expected an attribute (logic, rate_up, rate_down, ...) or '}}' in node "
                                       f"{name.text}, found {parser.describe(attr)}")
                parser.take()
                parser.expect("=", f" after {attr.text}")
                if attr.text in decl.attributes or attr.text in decl.strings:
                    raise parser.error(f"node {name.text}: {attr.text} is given twice", attr)
                if parser.tok.kind == "str":
                    decl.strings[attr.text] = parser.take().text
                else:
                    first = parser.pos
                    decl.attributes[attr.text] = parser.expression()
                    decl.text[attr.text] = _slice(text, tokens, first, parser.pos - 1)
                parser.expect(";", f" ending {attr.text} of node {name.text}")
            parser.take()
            continue
        if tok.kind == "name" and tok.text.lower() in ("division", "death"):
            raise parser.error(f"'{tok.text}' blocks belong to PopMaBoSS population models, which signet does not read")
        if (tok.kind == "name" and parser.tokens[parser.pos + 1].kind == "op"
                and parser.tokens[parser.pos + 1].text in (":", ",")):
            # the short forms 'X : logic;' and 'X, logic' (bnet-like; 'targets, factors' skipped)
            parser.take()
            parser.take()
            first = parser.pos
            expr = parser.expression()
            if parser.at(";"):
                parser.take()
            if tok.text == "targets" and isinstance(expr, _Node) and expr.name == "factors":
                continue
            decl = declare(tok)
            decl.attributes["logic"] = expr
            decl.text["logic"] = _slice(text, tokens, first, parser.pos - 1).rstrip(" ;")
            continue
        raise parser.error(f"expected 'node NAME {{ ... }}', found {parser.describe(tok)}")
    if not nodes:
        raise ParseError("no node declared: a .bnd file has blocks 'node NAME { logic = ...; }'", source=source,
                         line=1, column=1)
    return MaBoSSModel(nodes, source=source)


# ---------------------------------------------------------------------------
# The .cfg file
# ---------------------------------------------------------------------------


def _constant(expr: object, parameters: Mapping[str, float], parser: _Parser) -> float:
    """The value of a configuration expression (numbers and parameters only)."""
    return _numeric(expr, parameters, lambda tok: parser.error(f"parameter {tok.text} is not defined (yet)", tok))


def _numeric(expr: object, parameters: Mapping[str, float], undefined: Callable[[_Token], ParseError]) -> float:
    stack: list[tuple[object, bool]] = [(expr, False)]
    values: list[float] = []
    while stack:
        e, done = stack.pop()
        if isinstance(e, _Num):
            values.append(e.value)
        elif isinstance(e, _Param):
            if e.name not in parameters:
                raise undefined(e.token)
            values.append(parameters[e.name])
        elif isinstance(e, _Unary):
            if done:
                v = values.pop()
                values.append(-v if e.op == "-" else float(v == 0))
            else:
                stack += [(e, True), (e.arg, False)]
        elif isinstance(e, _Binary):
            if done:
                right, left = values.pop(), values.pop()
                values.append(_apply(e.op, left, right))
            else:
                stack += [(e, True), (e.right, False), (e.left, False)]
        elif isinstance(e, _Cond):
            if done:
                other, then, test = values.pop(), values.pop(), values.pop()
                values.append(then if test != 0 else other)
            else:
                stack += [(e, True), (e.other, False), (e.then, False), (e.test, False)]
        elif isinstance(e, _Call):
            if done:
                args = [values.pop() for _ in e.args][::-1]
                values.append(_call(e, args))
            else:
                stack.append((e, True))
                stack += [(a, False) for a in reversed(e.args)]
        else:  # pragma: no cover - nodes and aliases are refused by the cfg parser
            raise TypeError(e)
    return values[0]


def _apply(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:  # IEEE division, as MaBoSS's C doubles: x/(+-0) = +-inf (the zero's sign counts:
            # 0 * -1 is -0), 0/0 and nan/0 = nan
            if left == 0 or math.isnan(left):
                return math.nan
            return math.copysign(math.inf, left) * math.copysign(1.0, right)
        return left / right
    if op == "&":
        return float(left != 0 and right != 0)
    if op == "|":
        return float(left != 0 or right != 0)
    if op == "^":
        return float((left != 0) != (right != 0))
    return float({"==": left == right, "!=": left != right, "<": left < right, ">": left > right,
                  "<=": left <= right, ">=": left >= right}[op])


def _call(call: _Call, args: list[float]) -> float:
    name = call.name
    if name not in ("log", "exp") or not 1 <= len(args) <= 2:
        raise ParseError(f"unknown function {name}({', '.join('x' for _ in args)}): MaBoSS knows log(x[, base]) "
                         "and exp(x[, base])", line=call.token.line, column=call.token.column)
    try:
        if name == "log":
            return math.log(args[0]) / (math.log(args[1]) if len(args) == 2 else 1.0)
        return math.exp(args[0] * (math.log(args[1]) if len(args) == 2 else 1.0))
    except (ValueError, ZeroDivisionError, OverflowError):
        return math.nan


def parse_cfg(text: str, model: MaBoSSModel, *, source: str | None = None) -> MaBoSSModel:
    """Read a ``.cfg`` into ``model``: parameters, initial states, internal nodes, settings."""
    tokens = _tokens(text, source, cfg=True)
    parser = _Parser(tokens, source, cfg=True)
    model.cfg_source = source
    params = model.parameters

    def node(tok: _Token) -> str:
        if tok.text not in model.nodes:
            raise parser.error(f"{tok.text} is not a node of the .bnd", tok)
        return tok.text

    while parser.tok.kind != "end":
        tok = parser.tok
        if parser.at(";"):
            parser.take()
            continue
        if tok.kind == "var":
            parser.take()
            parser.expect("=", f" after {tok.text}")
            params[tok.text] = _constant(parser.expression(), params, parser)
            model.parameter_tokens[tok.text] = tok
            parser.expect(";", f" ending {tok.text}")
            continue
        if parser.at("["):
            _cfg_group(parser, model, node, tok)
            continue
        if tok.kind == "name":
            parser.take()
            if parser.at("."):
                _cfg_attribute(parser, model, node(tok), tok)
                continue
            parser.expect("=", f" after {tok.text}")
            model.settings[tok.text] = _constant(parser.expression(), params, parser)
            parser.expect(";", f" ending {tok.text}")
            continue
        raise parser.error(f"expected '$parameter = value;', 'NODE.istate = ...;' or 'setting = value;', "
                           f"found {parser.describe(tok)}")
    return model


def _cfg_group(parser: _Parser, model: MaBoSSModel, node: Callable[[_Token], str], tok: _Token) -> None:
    """``[A, B].istate = w1 [a1, b1], w2 [a2, b2];``: a joint initial distribution (at ``[``)."""
    parser.take()
    group = [node(parser.take())]
    while parser.at(","):
        parser.take()
        group.append(node(parser.take()))
    parser.expect("]", " closing the node list")
    parser.expect(".")
    attr = parser.take()
    if attr.text.lower() != "istate":
        raise parser.error(f"a node group takes only the attribute istate, not {attr.text!r}"
                           + (" (pop_istate is PopMaBoSS)" if attr.text.lower() == "pop_istate" else ""), attr)
    parser.expect("=")
    choices = []
    while True:
        weight_tok = parser.tok
        weight = _constant(parser.primary(), model.parameters, parser)
        parser.expect("[", " before the values of the group")
        values = [_constant(parser.primary(), model.parameters, parser)]
        while parser.at(","):
            parser.take()
            values.append(_constant(parser.primary(), model.parameters, parser))
        parser.expect("]", " closing the values")
        if len(values) != len(group) or any(v not in (0, 1) for v in values):
            raise parser.error(f"expected {len(group)} values 0 or 1 for [{', '.join(group)}]", weight_tok)
        if weight < 0 or math.isnan(weight):
            raise parser.error(f"a probability cannot be {weight}", weight_tok)
        choices.append((weight, tuple(int(v) for v in values)))
        if not parser.at(","):
            break
        parser.take()
    parser.expect(";", " ending the istate")
    total = sum(w for w, _ in choices)
    if total <= 0:
        raise parser.error("the probabilities of an istate group add up to 0", tok)
    _set_initial(model, tuple(group), tuple((w / total, v) for w, v in choices))


def _cfg_attribute(parser: _Parser, model: MaBoSSModel, name: str, tok: _Token) -> None:
    """``NODE.attribute = value;`` (at the ``.`` after node ``name``, read from ``tok``)."""
    parser.take()
    attr = parser.take()
    parser.expect("=", f" after {tok.text}.{attr.text}")
    if attr.text.lower() == "schedule":
        raise parser.error("scheduled flips (X.schedule) are not read by signet", attr)
    value = _constant(parser.expression(), model.parameters, parser)
    parser.expect(";")
    kind = attr.text.lower()
    if kind == "istate":
        if value < 0:
            _set_initial(model, (name,), ((0.5, (0,)), (0.5, (1,))))
        else:
            _set_initial(model, (name,), ((1.0, (int(value != 0),)),))
    elif kind == "is_internal":
        model.internal[name] = value != 0
    elif kind in ("refstate", "in_graph"):
        pass  # display options of MaBoSS's reports
    else:
        raise parser.error(f"invalid node attribute {attr.text!r}: valid ones are istate, is_internal, "
                           "refstate", attr)


def _set_initial(model: MaBoSSModel, nodes: tuple[str, ...], choices: tuple) -> None:
    # a later statement about a node replaces what an earlier one said about it
    kept = []
    for group, dist in model.initial:
        if set(group) & set(nodes):
            continue
        kept.append((group, dist))
    model.initial = kept + [(nodes, choices)]


# ---------------------------------------------------------------------------
# Meaning: from rates to Boolean rules
# ---------------------------------------------------------------------------


class _Meaning:
    """Boolean conditions and numeric cases of MaBoSS expressions of one node."""

    def __init__(self, model: MaBoSSModel, decl: _NodeDecl, table_nodes: int = TABLE_NODES) -> None:
        self.model = model
        self.decl = decl
        self.table_nodes = table_nodes
        self.aliases: list[str] = []  # the attributes being expanded (cycle guard)

    def error(self, message: str, tok: _Token) -> ParseError:
        return ParseError(message, source=self.model.source, line=tok.line, column=tok.column, token=tok.text)

    def parameter(self, e: _Param) -> float:
        value = self.model.parameters.get(e.name)
        if value is None:
            where = f"the .cfg ({self.model.cfg_source})" if self.model.cfg_source else "a .cfg (none was found)"
            raise self.error(f"parameter {e.name} is not defined in {where}", e.token)
        return value

    def alias(self, e: _Alias) -> object:
        if e.name not in self.decl.attributes:
            raise self.error(f"node {self.decl.name} has no attribute {e.name} (used as @{e.name})", e.token)
        if e.name in self.aliases:
            raise self.error(f"@{e.name} refers to itself (through {' -> '.join(self.aliases)})", e.token)
        return self.decl.attributes[e.name]

    def node(self, e: _Node) -> Expr:
        if e.name not in self.model.nodes:
            raise self.error(f"node {e.name} used but not defined", e.token)
        return Var(e.name)

    # -- "value != 0" as a Boolean expression ----------------------------------------
    def truth(self, e: object) -> Expr:
        if isinstance(e, _Node):
            return self.node(e)
        if isinstance(e, _Num):
            return Const(e.value != 0)
        if isinstance(e, _Param):
            return Const(self.parameter(e) != 0)
        if isinstance(e, _Alias):
            target = self.alias(e)
            self.aliases.append(e.name)
            try:
                return self.truth(target)
            finally:
                self.aliases.pop()
        if isinstance(e, _Unary) and e.op == "!":
            return Not(self.truth(e.arg))
        if isinstance(e, _Binary) and e.op in _LOGICAL:
            left, right = self.truth(e.left), self.truth(e.right)
            if e.op == "&":
                return And((left, right))
            if e.op == "|":
                return Or((left, right))
            return Or((And((left, Not(right))), And((Not(left), right))))
        if isinstance(e, _Cond):
            test = self.truth(e.test)
            return Or((And((test, self.truth(e.then))), And((Not(test), self.truth(e.other)))))
        return self.from_cases(e, lambda v: v != 0)

    # -- "value > 0" ---------------------------------------------------------------------
    def positive(self, e: object) -> Expr:
        if isinstance(e, (_Node,)) or (isinstance(e, _Unary) and e.op == "!") or (
                isinstance(e, _Binary) and e.op in _LOGICAL + _COMPARE):
            return self.truth(e)  # values 0 or 1
        if isinstance(e, _Num):
            return Const(e.value > 0)
        if isinstance(e, _Param):
            return Const(self.parameter(e) > 0)
        if isinstance(e, _Alias):
            target = self.alias(e)
            self.aliases.append(e.name)
            try:
                return self.positive(target)
            finally:
                self.aliases.pop()
        if isinstance(e, _Cond):
            test = self.truth(e.test)
            return Or((And((test, self.positive(e.then))), And((Not(test), self.positive(e.other)))))
        return self.from_cases(e, lambda v: v > 0)

    def from_cases(self, e: object, keep: Callable[[float], bool]) -> Expr:
        """Where ``keep(value of e)`` holds: from a table of values over e's nodes when they are few,
        else from the case split."""
        names = self.node_names(e)
        if len(names) <= self.table_nodes:
            return self.from_table(e, names, keep)
        kept = [cond for cond, value in self.cases(e) if keep(value)]
        return fold_constants(Or(tuple(kept))) if len(kept) > 1 else kept[0] if kept else FALSE

    def node_names(self, e: object) -> list[str]:
        """The nodes ``e`` reads, through its @aliases, in order of appearance."""
        seen: dict[str, None] = {}
        stack: list[tuple[object, tuple[str, ...]]] = [(e, tuple(self.aliases))]
        while stack:
            x, aliases = stack.pop()
            if isinstance(x, _Node):
                self.node(x)
                seen.setdefault(x.name)
            elif isinstance(x, _Alias):
                if x.name in aliases:
                    self.aliases = list(aliases)
                    self.alias(x)  # raises the cycle error
                target = self.alias(x)
                stack.append((target, aliases + (x.name,)))
            elif isinstance(x, _Unary):
                stack.append((x.arg, aliases))
            elif isinstance(x, _Binary):
                stack += [(x.right, aliases), (x.left, aliases)]
            elif isinstance(x, _Cond):
                stack += [(x.other, aliases), (x.then, aliases), (x.test, aliases)]
            elif isinstance(x, _Call):
                stack += [(a, aliases) for a in reversed(x.args)]
        return list(seen)

    def from_table(self, e: object, names: list[str], keep: Callable[[float], bool]) -> Expr:
        import numpy as np

        from ._compact import expression_of_table

        k = len(names)
        index = np.arange(1 << k)
        columns = {n: ((index >> j) & 1).astype(float) for j, n in enumerate(names)}
        with np.errstate(all="ignore"):
            values = self.array(e, columns, np.full(1 << k, 1.0))
            mask = np.array([keep(float(v)) for v in values], dtype=bool) if k <= 6 else _keep_array(keep, values)
        table = int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")
        return expression_of_table(table, names)

    def array(self, e: object, columns: Mapping[str, Any], ones: Any) -> Any:
        """The numeric value of ``e`` in every state of the table (numpy, MaBoSS's double semantics)."""
        import numpy as np

        if isinstance(e, _Num):
            return ones * e.value
        if isinstance(e, _Param):
            return ones * self.parameter(e)
        if isinstance(e, _Node):
            return columns[e.name]
        if isinstance(e, _Alias):
            target = self.alias(e)
            self.aliases.append(e.name)
            try:
                return self.array(target, columns, ones)
            finally:
                self.aliases.pop()
        if isinstance(e, _Unary):
            arg = self.array(e.arg, columns, ones)
            return -arg if e.op == "-" else (arg == 0).astype(float)
        if isinstance(e, _Binary):
            left, right = self.array(e.left, columns, ones), self.array(e.right, columns, ones)
            return _apply_array(e.op, left, right)
        if isinstance(e, _Cond):
            test = self.array(e.test, columns, ones)
            return np.where(test != 0, self.array(e.then, columns, ones), self.array(e.other, columns, ones))
        if isinstance(e, _Call):
            args = [self.array(a, columns, ones) for a in e.args]
            if e.name not in ("log", "exp") or not 1 <= len(args) <= 2:
                raise self.error(f"unknown function {e.name}(...): MaBoSS knows log(x[, base]) and exp(x[, base])",
                                 e.token)
            base = np.log(args[1]) if len(args) == 2 else 1.0
            return np.log(args[0]) / base if e.name == "log" else np.exp(args[0] * base)
        raise TypeError(e)  # pragma: no cover

    # -- numeric cases ---------------------------------------------------------------------
    def cases(self, e: object) -> list[tuple[Expr, float]]:
        """``[(condition, value)]``: disjoint conditions covering every state, ``value`` on each."""
        if isinstance(e, _Num):
            return [(TRUE, e.value)]
        if isinstance(e, _Param):
            return [(TRUE, self.parameter(e))]
        if isinstance(e, _Node):
            var = self.node(e)
            return [(var, 1.0), (Not(var), 0.0)]
        if isinstance(e, _Alias):
            target = self.alias(e)
            self.aliases.append(e.name)
            try:
                return self.cases(target)
            finally:
                self.aliases.pop()
        if isinstance(e, _Unary):
            return _merge((c, -v if e.op == "-" else float(v == 0)) for c, v in self.cases(e.arg))
        if isinstance(e, _Binary):
            left, right = self.cases(e.left), self.cases(e.right)
            self.check_size(len(left) * len(right), e)
            return _merge((_conj(cl, cr), _apply(e.op, vl, vr)) for cl, vl in left for cr, vr in right)
        if isinstance(e, _Cond):
            test = self.truth(e.test)
            then, other = self.cases(e.then), self.cases(e.other)
            return _merge([(_conj(test, c), v) for c, v in then] + [(_conj(Not(test), c), v) for c, v in other])
        if isinstance(e, _Call):
            combos: list[tuple[Expr, list[float]]] = [(TRUE, [])]
            for arg in e.args:
                arg_cases = self.cases(arg)
                self.check_size(len(combos) * len(arg_cases), e)
                combos = [(_conj(c, ca), vs + [va]) for c, vs in combos for ca, va in arg_cases]
            try:
                return _merge((c, _call(e, vs)) for c, vs in combos)
            except ParseError as exc:
                raise self.error(exc.message, e.token) from None
        raise TypeError(e)  # pragma: no cover

    def check_size(self, count: int, e: object) -> None:
        if count > MAX_CASES:
            tok = getattr(e, "token", None) or self.decl.token
            raise self.error(f"node {self.decl.name}: a rate expression with more than {MAX_CASES} cases", tok)


def _keep_array(keep: Callable[[float], bool], values: Any) -> Any:
    import numpy as np

    probe = {0.0: keep(0.0), 1.0: keep(1.0), -1.0: keep(-1.0)}
    if probe == {0.0: False, 1.0: True, -1.0: False}:  # "> 0"
        return values > 0
    if probe == {0.0: False, 1.0: True, -1.0: True}:  # "!= 0" (NaN counts as true, as in C)
        return values != 0
    return np.array([keep(float(v)) for v in values], dtype=bool)


def _apply_array(op: str, left: Any, right: Any) -> Any:
    import numpy as np

    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right
    if op == "&":
        return ((left != 0) & (right != 0)).astype(float)
    if op == "|":
        return ((left != 0) | (right != 0)).astype(float)
    if op == "^":
        return ((left != 0) ^ (right != 0)).astype(float)
    compare = {"==": np.equal, "!=": np.not_equal, "<": np.less, ">": np.greater, "<=": np.less_equal,
               ">=": np.greater_equal}[op]
    return compare(left, right).astype(float)


def _conj(left: Expr, right: Expr) -> Expr:
    if left == TRUE:
        return right
    if right == TRUE:
        return left
    return And((left, right))


def _merge(items: Iterable[tuple[Expr, float]]) -> list[tuple[Expr, float]]:
    """Group cases by value (NaN and -0 kept apart: a division by -0 gives -inf); drop conditions
    that are syntactically false."""
    groups: dict[float | str, list[Expr]] = {}
    values: dict[float | str, float] = {}
    for cond, value in items:
        key: float | str = "nan" if math.isnan(value) else "-0" if value == 0 and math.copysign(1.0, value) < 0 \
            else value
        cond = fold_constants(cond)
        if cond == FALSE:
            continue
        groups.setdefault(key, []).append(cond)
        values[key] = value
    out = []
    for key, conds in groups.items():
        out.append((conds[0] if len(conds) == 1 else fold_constants(Or(tuple(conds))), values[key]))
    return out


@dataclass(frozen=True)
class _NodeMeaning:
    rule: Expr
    #: ``(up, down)``: numbers or state-dependent rates; ``None`` when one cannot be held (see the module docstring)
    rates: "tuple[Rate, Rate] | None"


def _default_rate(decl: _NodeDecl, up: bool) -> object:
    if "logic" in decl.attributes:
        return _Cond(_Alias("logic", decl.token), _Num(1.0 if up else 0.0), _Num(0.0 if up else 1.0))
    return _Num(0.0)


def _rate(meaning: _Meaning, expr: object) -> "Rate | None":
    """The rate where it is positive: a number (1 where it never is: the flip never happens),
    or a :class:`~signet.rates.StateRate` with a case per value but the last, which is its
    default; ``None`` when a case's condition reads too many nodes."""
    from ..expr import variables
    from ..rates import MAX_CONDITION_NODES, StateRate

    from ..expr import truth_table

    positives = [(c, v) for c, v in meaning.cases(expr) if v > 0 and math.isfinite(v)]
    # conditions no state meets (e.g. ``!A & A``: not caught by the syntactic folding) are dropped
    positives = [(c, v) for c, v in positives
                 if len(variables(c)) > MAX_CONDITION_NODES or truth_table(c, sorted(variables(c))).any()]
    if len(positives) <= 1:
        return positives[0][1] if positives else 1.0
    gate = Or(tuple(c for c, _ in positives))  # where the rate is positive: only there does its value matter
    cases = tuple((_within(compact(c, min_size=12), gate), v) for c, v in positives[:-1])
    if any(len(variables(c)) > MAX_CONDITION_NODES for c, _ in cases):
        return None
    return StateRate(cases, positives[-1][1])


def _within(condition: Expr, gate: Expr) -> Expr:
    """``condition`` without the conjuncts that ``gate`` implies where it holds (the same function
    under ``gate``): ``logic & FBXW7`` within ``logic`` is ``FBXW7``, as the rate was written."""
    if not isinstance(condition, And):
        return condition
    kept = list(condition.args)
    target = And((condition, gate))
    for child in list(kept):
        rest = [k for k in kept if k is not child]
        if rest and equivalent(And((*rest, gate)), target):
            kept = rest
    return kept[0] if len(kept) == 1 else And(tuple(kept))


def node_meaning(model: MaBoSSModel, decl: _NodeDecl, table_nodes: int = TABLE_NODES) -> _NodeMeaning:
    """The Boolean rule and the rates of one node (arithmetic over at most ``table_nodes`` nodes
    tabulated, larger expressions split into cases: the two ways give the same function)."""
    meaning = _Meaning(model, decl, table_nodes)
    up_expr = decl.attributes.get("rate_up", _default_rate(decl, True))
    down_expr = decl.attributes.get("rate_down", _default_rate(decl, False))
    for attr in decl.attributes.values():  # every attribute must make sense (MaBoSS checks them too)
        meaning.truth(attr)
    up = fold_constants(meaning.positive(up_expr))
    down = fold_constants(meaning.positive(down_expr))
    me = Var(decl.name)
    up, down = compact(up, min_size=12), compact(down, min_size=12)
    if equivalent(up, Not(down)):
        rule = up
    elif down == FALSE:  # (!X & up) | X
        rule = fold_constants(Or((up, me)))
    elif up == FALSE:  # X & !down
        rule = fold_constants(And((me, Not(down))))
    else:
        rule = compact(Or((And((Not(me), up)), And((me, Not(down))))), min_size=12)
    up_rate, down_rate = _rate(meaning, up_expr), _rate(meaning, down_expr)
    rates = None
    if up_rate is not None and down_rate is not None:
        rates = (up_rate, down_rate)
    return _NodeMeaning(rule, rates)


def maboss_network(model: MaBoSSModel, table_nodes: int = TABLE_NODES) -> tuple[dict[str, Expr], Annotations]:
    """Rules and annotations of a parsed model (see :func:`node_meaning` for ``table_nodes``)."""
    rules: dict[str, Expr] = {}
    rates: dict[str, tuple[Rate, Rate]] = {}
    nodes: dict[str, NodeInfo] = {}
    for name, decl in model.nodes.items():
        m = node_meaning(model, decl, table_nodes)
        rules[name] = m.rule
        if m.rates is not None:
            rates[name] = m.rates
        note = decl.strings.get("description", "")
        if note:
            nodes[name] = NodeInfo(note=note)
    internal = {n for n, flag in model.internal.items() if flag}
    phenotypes = {n: n for n in model.nodes if n not in internal} if internal else {}
    initial = tuple(InitialDistribution(group, dist) for group, dist in model.initial)
    source = {"format": "MaBoSS"}
    settings = {k: model.settings[k] for k in ("max_time", "time_tick", "sample_count", "discrete_time")
                if k in model.settings}
    source.update({f"maboss {k}": f"{v:g}" for k, v in settings.items()})
    annotations = Annotations(source=source, nodes=nodes, phenotypes=phenotypes, rates=rates, initial=initial)
    return rules, annotations


def read_text(data: bytes, *, source: str | None = None) -> str:
    """MaBoSS reads bytes: UTF-8, else Latin-1 (non-ASCII can only be in comments and strings).

    Binary data (a NUL byte, a zip archive) is a :class:`ParseError` as for every text format.
    """
    from .files import decode_text

    try:
        return decode_text(data, source=source)
    except ParseError as exc:
        if "not UTF-8" not in exc.message:
            raise
        return data.decode("latin-1")

