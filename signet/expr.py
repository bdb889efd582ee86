"""Boolean expressions: parse, print, evaluate, simplify and compare.

Expressions are small immutable trees (:class:`Const`, :class:`Var`, :class:`Not`,
:class:`And`, :class:`Or`).  They are parsed from bnet syntax (``&``, ``|``, ``!`` or
``~``, parentheses, constants ``0 1 true false``), evaluated on many states at once
with numpy boolean arrays, and converted to and from sympy for simplification and
normal forms.  Semantic questions (equivalence, constancy, monotonicity) are answered
exactly on truth tables.

Examples
--------
>>> f = parse_expression("ATM & !MDM2 | (CHK2 & ATM)")
>>> to_bnet(f)
'ATM & !MDM2 | CHK2 & ATM'
>>> sorted(variables(f))
['ATM', 'CHK2', 'MDM2']
>>> evaluate(f, {"ATM": True, "MDM2": True, "CHK2": False})
False
>>> equivalent(f, parse_expression("ATM & (CHK2 | !MDM2)"))
True
>>> edge_sign(f, "MDM2")
'-'
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Generic, Hashable, Iterable, Mapping, Sequence, TypeAlias, TypeVar

from .errors import ArgumentTypeError, ParseError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

T = TypeVar("T")

__all__ = [
    "Expr",
    "Const",
    "Var",
    "Not",
    "And",
    "Or",
    "TRUE",
    "FALSE",
    "parse_expression",
    "is_valid_name",
    "to_bnet",
    "children",
    "fold_tree",
    "render",
    "bnet_template",
    "variables",
    "evaluate",
    "compile_expression",
    "compile_expressions",
    "truth_table",
    "substitute",
    "fold_constants",
    "equivalent",
    "constant_value",
    "essential_variables",
    "edge_sign",
    "to_sympy",
    "from_sympy",
    "simplify",
    "to_dnf",
    "to_cnf",
    "MAX_TRUTH_TABLE_VARIABLES",
]

#: Truth tables (and thus exact semantic checks by enumeration) are used up to this
#: many variables; above it, binary decision diagrams (biodivine-aeon's BDDs) decide.
MAX_TRUTH_TABLE_VARIABLES = 16


class Expr:
    """Base class of Boolean expression nodes (immutable, hashable)."""

    __slots__ = ()

    def __and__(self, other: "Expr") -> "Expr":
        return And((self, other))

    def __or__(self, other: "Expr") -> "Expr":
        return Or((self, other))

    def __invert__(self) -> "Expr":
        return Not(self)

    def __str__(self) -> str:
        return to_bnet(self)


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """The constant ``value`` (``True`` or ``False``)."""

    value: bool

    def __repr__(self) -> str:
        return f"Const({self.value})"


@dataclass(frozen=True, slots=True)
class Var(Expr):
    """The value of node ``name``."""

    name: str

    def __repr__(self) -> str:
        return f"Var({self.name!r})"


class _Operator(Expr):
    """Not, And and Or: equality and hashing without recursion (any depth), hash cached."""

    __slots__ = ()
    #: the cached hash, a slot of each subclass, set by the first ``hash()``
    _hash: int

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            pass
        stack: list[tuple[_Operator, bool]] = [(self, False)]
        while stack:
            node, ready = stack.pop()
            if hasattr(node, "_hash"):
                continue
            kids = children(node)
            if ready:
                value = hash((type(node).__name__, tuple(
                    k._hash if isinstance(k, _Operator) else hash(k) for k in kids)))
                object.__setattr__(node, "_hash", value)
            else:
                stack.append((node, True))
                stack.extend((k, False) for k in kids if isinstance(k, _Operator) and not hasattr(k, "_hash"))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return False
        stack: list[tuple[Expr, Expr]] = [(self, other)]
        while stack:
            left, right = stack.pop()
            if left is right:
                continue
            if type(left) is not type(right):
                return False
            if not isinstance(left, _Operator):
                if left != right:
                    return False
                continue
            if hasattr(left, "_hash") and hasattr(right, "_hash") and left._hash != right._hash:
                return False
            lk, rk = children(left), children(right)
            if len(lk) != len(rk):
                return False
            stack.extend(zip(lk, rk))
        return True

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __repr__(self) -> str:
        return render(self, repr, _repr_template)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a flat postfix sequence: pickle itself recurses (deep rules would not
        # pickle) and the cached hash is per process (string hashing is salted)
        return (_from_postfix, (_postfix(self),))


@dataclass(frozen=True, eq=False, repr=False)
class Not(_Operator):
    """Negation of ``arg``."""

    __slots__ = ("arg", "_hash")
    arg: Expr



@dataclass(frozen=True, eq=False, repr=False)
class And(_Operator):
    """Conjunction of two or more ``args``."""

    __slots__ = ("args", "_hash")
    args: tuple[Expr, ...]



@dataclass(frozen=True, eq=False, repr=False)
class Or(_Operator):
    """Disjunction of two or more ``args``."""

    __slots__ = ("args", "_hash")
    args: tuple[Expr, ...]



def _postfix(expr: Expr) -> tuple[Any, ...]:
    """``expr`` as postfix tokens: a name, a bool, ``None`` (not), ``("&" | "|", arity)``."""
    out: list[Any] = []
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, Var):
            out.append(node.name)
        elif isinstance(node, Const):
            out.append(bool(node.value))
        elif expanded:
            out.append(None if isinstance(node, Not) else ("&" if isinstance(node, And) else "|", len(children(node))))
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(children(node)))
    return tuple(out)


def _from_postfix(tokens: tuple[Any, ...]) -> Expr:
    """The inverse of :func:`_postfix`."""
    out: list[Expr] = []
    for token in tokens:
        if isinstance(token, str):
            out.append(Var(token))
        elif isinstance(token, bool):
            out.append(Const(token))
        elif token is None:
            out.append(Not(out.pop()))
        else:
            op, n = token
            args = tuple(out[len(out) - n:])
            del out[len(out) - n:]
            out.append(And(args) if op == "&" else Or(args))
    return out[0]


def _repr_template(expr: Expr, _parent: int) -> tuple[str, str, str, int]:
    if isinstance(expr, Not):
        return "Not(", "", ")", 0
    name = type(expr).__name__
    return f"{name}((", ", ", ",))" if len(expr.args) == 1 else "))", 0  # type: ignore[attr-defined]  # not a leaf nor a Not: an And or Or


TRUE = Const(True)
FALSE = Const(False)

# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_NAME_RE = re.compile(r"[A-Za-z0-9_.:]+")
_VALID_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.:]*\Z")
_CONSTANTS = {"0": False, "1": True, "true": True, "false": False}


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a valid node name (letters, digits, ``_ . :``, not starting with a digit).

    Examples
    --------
    >>> is_valid_name("DNA_PKcs"), is_valid_name("v_X.1"), is_valid_name("A-B"), is_valid_name("1A")
    (True, True, False, False)
    """
    return bool(_VALID_NAME_RE.match(name)) and name.lower() not in _CONSTANTS


def _tokenize(text: str, source: str | None, line: int, column: int) -> list[tuple[str, str, int]]:
    """Split ``text`` into (kind, text, column) tokens; kinds: name, const, op, end."""
    tokens: list[tuple[str, str, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch in "&|!~()":
            tokens.append(("op", ch, column + i))
            i += 1
            continue
        m = _NAME_RE.match(text, i)
        if m:
            word = m.group()
            if word.lower() in _CONSTANTS:
                tokens.append(("const", word, column + i))
            elif word[0].isdigit():
                raise ParseError(
                    f"bad name {word!r}: a node name must start with a letter or '_'",
                    source=source, line=line, column=column + i, token=word,
                )
            else:
                tokens.append(("name", word, column + i))
            i = m.end()
            continue
        # an unexpected character; show it unambiguously
        raise ParseError(
            f"unexpected character {ch!r}"
            + (" (bnet operators are & | ! and parentheses)" if ch in "^=+-*/<>,;" else ""),
            source=source, line=line, column=column + i, token=ch,
        )
    tokens.append(("end", "", column + n))
    return tokens


_PRECEDENCE = {"|": 1, "&": 2, "!": 3}


class _Flat:
    """An And/Or node still being built by the parser (its arguments in a deque)."""

    __slots__ = ("op", "args")

    def __init__(self, op: str, args: "deque[Expr]") -> None:
        self.op = op
        self.args = args


def _finish(item: "Expr | _Flat") -> Expr:
    if isinstance(item, _Flat):
        return (And if item.op == "&" else Or)(tuple(item.args))
    return item


class _Parser:
    """Operator-precedence (shunting-yard) parser: no recursion, so deeply nested rules parse."""

    def __init__(self, text: str, source: str | None, line: int, column: int) -> None:
        self.source = source
        self.line = line
        self.tokens = _tokenize(text, source, line, column)

    def error(self, message: str, token: tuple[str, str, int]) -> ParseError:
        return ParseError(message, source=self.source, line=self.line, column=token[2], token=token[1] or None)

    @staticmethod
    def _combine(op: str, left: "Expr | _Flat", right: "Expr | _Flat") -> "_Flat":
        """``left op right`` as a flat n-ary node under construction (linear overall:
        the smaller side is moved into the larger)."""
        lflat = isinstance(left, _Flat) and left.op == op
        rflat = isinstance(right, _Flat) and right.op == op
        if lflat and rflat:
            if len(left.args) >= len(right.args):  # type: ignore[union-attr]  # lflat/rflat: that side is a _Flat
                left.args.extend(right.args)  # type: ignore[union-attr]  # lflat/rflat: that side is a _Flat
                return left  # type: ignore[return-value]  # lflat/rflat: that side is a _Flat
            right.args.extendleft(reversed(left.args))  # type: ignore[union-attr]  # lflat/rflat: that side is a _Flat
            return right  # type: ignore[return-value]  # lflat/rflat: that side is a _Flat
        if lflat:
            left.args.append(_finish(right))  # type: ignore[union-attr]  # lflat/rflat: that side is a _Flat
            return left  # type: ignore[return-value]  # lflat/rflat: that side is a _Flat
        if rflat:
            right.args.appendleft(_finish(left))  # type: ignore[union-attr]  # lflat/rflat: that side is a _Flat
            return right  # type: ignore[return-value]  # lflat/rflat: that side is a _Flat
        return _Flat(op, deque((_finish(left), _finish(right))))

    def _reduce(self, operands: list["Expr | _Flat"], ops: list[tuple[str, int]]) -> None:
        op, _col = ops.pop()
        if op == "!":
            operands.append(Not(_finish(operands.pop())))
        else:
            right = operands.pop()
            left = operands.pop()
            operands.append(self._combine(op, left, right))

    def parse(self) -> Expr:
        tokens = self.tokens
        if tokens[0][0] == "end":
            raise self.error("empty rule", tokens[0])
        self.operands: list[Expr | _Flat] = []
        self.ops: list[tuple[str, int]] = []  # operator or "(" with its column
        expect_operand = True
        previous = tokens[0]
        for tok in tokens:
            expect_operand = self._operand(tok, previous) if expect_operand else self._operator(tok)
            previous = tok
        return _finish(self.operands[0])

    def _operand(self, tok: tuple[str, str, int], previous: tuple[str, str, int]) -> bool:
        """Read a token where an operand is due; whether an operand is still due after it."""
        kind, word, col = tok
        if kind == "name":
            self.operands.append(Var(word))
            return False
        if kind == "const":
            self.operands.append(Const(_CONSTANTS[word.lower()]))
            return False
        if word in ("!", "~", "("):
            self.ops.append(("!" if word != "(" else "(", col))
            return True
        if kind == "end":
            raise self.error(f"rule ends after operator {previous[1]!r}: an operand is missing", previous)
        if word == ")":
            raise self.error("unexpected ')': an operand is missing", tok)
        raise self.error(f"unexpected {word!r}: an operand is missing", tok)

    def _operator(self, tok: tuple[str, str, int]) -> bool:
        """Read a token where an operator (or the end) is due; whether an operand is due after it."""
        kind, word, col = tok
        ops = self.ops
        if word in ("&", "|"):
            prec = _PRECEDENCE[word]
            while ops and ops[-1][0] != "(" and _PRECEDENCE[ops[-1][0]] >= prec:
                self._reduce(self.operands, ops)
            ops.append((word, col))
            return True
        if word == ")":
            while ops and ops[-1][0] != "(":
                self._reduce(self.operands, ops)
            if not ops:
                raise self.error("unbalanced parenthesis: ')' has no matching '('", tok)
            ops.pop()
            return False
        if kind == "end":
            while ops:
                if ops[-1][0] == "(":
                    raise ParseError("unbalanced parenthesis: '(' is never closed", source=self.source,
                                     line=self.line, column=ops[-1][1], token="(")
                self._reduce(self.operands, ops)
            return False
        raise self.error(f"unexpected {word!r}: expected an operator (& or |)", tok)


def parse_expression(
    text: str, *, source: str | None = None, line: int = 1, column: int = 1
) -> Expr:
    """Parse a Boolean rule in bnet syntax.

    Parameters
    ----------
    text
        The rule, e.g. ``"A & !(B | C)"``. ``&`` binds tighter than ``|``.
    source, line, column
        Where ``text`` starts, for error messages (1-based).

    Raises
    ------
    ParseError
        With the line and column of the offending token.

    Examples
    --------
    >>> parse_expression("!A | B & 1")
    Or((Not(Var('A')), And((Var('B'), Const(True)))))
    >>> parse_expression("A & (B | C", source="m.bnet", line=4, column=5)
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.bnet:4:9: unbalanced parenthesis: '(' is never closed
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a str, not {type(text).__name__}")
    fast = _parse_fast(text)
    if fast is not None:
        return fast
    return _Parser(text, source, line, column).parse()


_TOKEN_RE = re.compile(r"[A-Za-z0-9_.:]+|[&|!~()]")
_Item: TypeAlias = "Expr | _Flat"
_Frame: TypeAlias = "tuple[_Item | None, _Item | None, int]"


def _parse_fast(text: str) -> Expr | None:
    """``text`` read by a precedence parser over regular-expression tokens, or ``None`` when
    the bnet parser must decide (any error: it gives the located message).

    The same tree as the bnet parser (:class:`_Parser`; chains of one operator flattened,
    through parentheses too; tested), twice as fast.  It replaces CPython's own parser
    (``ast``), which was slower on every rule of the BBM corpus (0.26 vs 0.88 s over 17,733
    rules) and refused rules nested over 200 deep (bbm/079: nine rules of 30-400 kB nested
    260-2,800 deep, 0.45 s in the bnet parser, 0.2 s here).

    Examples
    --------
    >>> _parse_fast("!(A & (B & C)) | (D | 1)")
    Or((Not(And((Var('A'), Var('B'), Var('C')))), Var('D'), Const(True)))
    >>> _parse_fast("A & | B") is None
    True
    """
    if _TEXT_RE.fullmatch(text) is None:
        return None  # a character no token takes: the bnet parser says which
    atoms: dict[Any, Any] = {}  # one object per name (expressions are immutable)
    tokens, count = _tokens(text, atoms)
    if tokens is None:
        return None
    expr = _precedence(tokens, atoms)
    if expr is not None and count > _REMEMBER_FROM:  # no walk over a large rule later
        _remember_names(expr, tuple(w for w, atom in atoms.items() if type(atom) is Var))
    return expr


_TEXT_RE = re.compile(r"[A-Za-z0-9_.:&|!~() \t]*")
_LITERAL = r"[!~]*[A-Za-z0-9_.:]+"  # no spaces: a match never starts inside ``!!!...`` (linear)
#: a conjunction of literals nested to the right, ``a & (!b & (c & d))``, and the closing
#: parentheses after it (as BBM's bnet files write every term: bbm/079, 248, 256, 261)
_RUN_RE = re.compile(rf"(?<![A-Za-z0-9_.:!~])({_LITERAL}(?:[ \t]*&[ \t]*(?:\([ \t]*)*{_LITERAL})+)"
                     r"((?:[ \t]*\))*)")
_SPACED = str.maketrans({c: f" {c} " for c in "&|!~()"})


def _tokens(text: str, atoms: dict[Any, Any]) -> tuple[list[Any] | None, int]:
    """The tokens of ``text`` for :func:`_precedence` and about how many the plain tokenizer
    would give, or ``(None, 0)`` for a bad name; every name enters ``atoms`` in order of first
    occurrence.

    A conjunction of literals whose parentheses all close right after it (``a & (!b & c))``)
    is one token, the flat ``&`` node the loop would have built from it (a :class:`_Flat`,
    merged into the conjunction around it as the loop merges chains), followed by the
    parentheses that close groups opened before it: the same tree (tested), read twice as
    fast where rules are long disjunctions of such terms (bbm/079: 517,000 plain tokens, 0.64
    -> 0.29 s).
    """
    parts = _RUN_RE.split(text)  # plain text, conjunction, its closing parentheses, plain, ...
    tokens: list[Any] = []
    count = 0
    literals: dict[str, Any] = {}  # ``!a`` -> its expression
    for i in range(0, len(parts), 3):
        if not _plain(parts[i], atoms, tokens):
            return None, 0
        if i + 1 == len(parts):
            break
        body, closes = parts[i + 1], parts[i + 2]
        opens, shut = body.count("("), closes.count(")")
        if shut < opens:  # a group opened in the conjunction closes after something else
            if not _plain(body + closes, atoms, tokens):
                return None, 0
            continue
        pieces = body.replace("(", "").replace(" ", "").replace("\t", "").split("&")
        try:
            args = deque(map(literals.__getitem__, pieces))
        except KeyError:  # a literal not seen before in this rule
            if not _literals(pieces, atoms, literals):
                return None, 0
            args = deque(map(literals.__getitem__, pieces))
        run = _Flat("&", args)
        atoms[run] = run  # an operand the loop looks up like a name
        tokens.append(run)
        tokens.extend(")" * (shut - opens))
        count += 3 * len(args) + opens + shut
    return tokens, count + len(tokens)


def _plain(text: str, atoms: dict[Any, Any], tokens: list[Any]) -> bool:
    """Append the tokens of ``text`` (no conjunction run in it) to ``tokens``, their names to
    ``atoms``; ``False`` for a bad name."""
    if not text:
        return True
    plain = text.translate(_SPACED).split()
    for word in plain:
        if word not in atoms and word not in _OPERATORS:
            if (atom := _atom(word)) is None:
                return False
            atoms[word] = atom
    tokens.extend(plain)
    return True


def _literals(pieces: list[str], atoms: dict[Any, Any], literals: dict[str, Any]) -> bool:
    """Enter the literals ``pieces`` (``!!a``) in ``literals``, their names in ``atoms``;
    ``False`` for a bad name."""
    for piece in pieces:
        if piece not in literals:
            word = piece.lstrip("!~")
            atom = atoms.get(word, _UNSEEN)
            if atom is _UNSEEN:
                atom = atoms[word] = _atom(word)
            if atom is None:
                return False
            nots = len(piece) - len(word)
            literals[piece] = _negated(atom, nots) if nots else atom
    return True


_OPERATORS = frozenset("&|!~()")


def _precedence(tokens: list[Any], atoms: dict[Any, Any]) -> Expr | None:
    """The loop of :func:`_parse_fast`: per parenthesis level, the disjunction so far
    (``ors``), the conjunction being read (``ands``) and the negations before the next
    operand (``nots``); ``None`` on any error.  Chains are built as the bnet parser builds
    them (:meth:`_Parser._combine`: the smaller side moved into the larger, linear overall,
    also for 10,000 disjuncts each in its own parentheses, bbm/248).  A token is a string or a
    conjunction read whole by :func:`_tokens` (a :class:`_Flat`, entered in ``atoms`` as itself)."""
    combine = _Parser._combine
    stack: list[_Frame] = []
    ors: _Item | None = None
    ands: _Item | None = None
    nots = 0
    expect = True  # an operand is due
    for tok in tokens:
        if expect:
            if tok in _PREFIX:
                if tok == "(":
                    stack.append((ors, ands, nots))
                    ors, ands, nots = None, None, 0
                else:
                    nots += 1
                continue
            atom = atoms.get(tok, _UNSEEN)
            if atom is _UNSEEN:
                atom = atoms[tok] = _atom(tok)
            if atom is None:
                return None
            operand: _Item = _prefixed(atom, nots) if nots else atom
            ands = operand if ands is None else combine("&", ands, operand)
            nots, expect = 0, False
        elif tok == "&":
            expect = True
        elif tok == "|":
            ors = ands if ors is None else combine("|", ors, ands)  # type: ignore[arg-type]
            ands, expect = None, True
        elif tok == ")" and stack:
            # after an operand (``expect`` false) ``ands`` is set
            group: _Item = ands if ors is None else combine("|", ors, ands)  # type: ignore[assignment,arg-type]
            ors, ands, nots = stack.pop()
            operand = _negated(_finish(group), nots) if nots else group
            ands = operand if ands is None else combine("&", ands, operand)
            nots = 0
        else:
            return None
    if expect or stack:
        return None
    return _finish(ands if ors is None else combine("|", ors, ands))  # type: ignore[arg-type]


_PREFIX = frozenset(("!", "~", "("))
_UNSEEN: Any = object()  # ``atoms.get`` found nothing


def _atom(word: str) -> Expr | None:
    """A name or constant token as an expression; ``None`` for an operator or a bad name."""
    lowered = word.lower()
    if lowered in _CONSTANTS:
        return Const(_CONSTANTS[lowered])
    if word[0].isdigit() or word in "&|!~()":
        return None
    return Var(word)


def _prefixed(operand: "Expr | _Flat", nots: int) -> "Expr | _Flat":
    """``operand`` after ``nots`` negations: on a conjunction read as one token (``! a & b``,
    the run starting after the spaced ``!``) only its first literal is negated."""
    if type(operand) is _Flat:
        operand.args[0] = _negated(operand.args[0], nots)
        return operand
    return _negated(operand, nots)  # type: ignore[arg-type]  # a name, a constant or a group


def _negated(expr: Expr, nots: int) -> Expr:
    for _ in range(nots):
        expr = Not(expr)
    return expr


# ---------------------------------------------------------------------------
# Printing and structure
# ---------------------------------------------------------------------------


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr`` (none for a constant or a variable)."""
    if isinstance(expr, Not):
        return (expr.arg,)
    if isinstance(expr, (And, Or)):
        return expr.args
    if isinstance(expr, (Var, Const)):
        return ()
    raise TypeError(f"not an expression: {expr!r}")


def fold_tree(expr: Expr, combine: Callable[[Expr, list[T]], T]) -> T:
    """Bottom-up fold of ``expr`` without recursion: ``combine(node, results of its children)``.

    The walk keeps an explicit stack, so its depth is bounded by memory, not by
    Python's recursion limit, and its time is linear in the number of distinct
    sub-expression objects (a sub-expression shared by several parents is folded once).
    Every transformation of expressions in signet (printing, folding, substitution,
    export to other tools) goes through this walk or :func:`render`.

    Examples
    --------
    >>> size = fold_tree(parse_expression("A & !(B | C)"), lambda e, kids: 1 + sum(kids))
    >>> size
    6
    """
    memo: dict[int, T] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in memo:
            continue
        kids = children(node)
        if expanded or not kids:
            memo[key] = combine(node, [memo[id(k)] for k in kids])
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in memo)
    return memo[id(expr)]


#: How :func:`render` writes one operator node: ``(prefix, separator, suffix, context)``,
#: given the node and the context its parent passed down; ``context`` is passed to the children.
Template = Callable[[Expr, int], tuple[str, str, str, int]]


def render(expr: Expr, leaf: Callable[[Expr], str], template: Template, context: int = 0) -> str:
    """Text of ``expr`` written iteratively (any depth, time linear in the output).

    Parameters
    ----------
    expr
        The expression.
    leaf
        Text of a :class:`Var` or :class:`Const`.
    template
        For :class:`Not`, :class:`And` and :class:`Or` nodes: ``(prefix, separator,
        suffix, child_context)`` from the node and its parent's context (e.g. the
        parent's precedence, to decide on parentheses).
    context
        The context of the root.

    Examples
    --------
    >>> def lisp(e, _parent):
    ...     return ("(not ", "", ")", 0) if isinstance(e, Not) else (f"({type(e).__name__.lower()} ", " ", ")", 0)
    >>> render(parse_expression("A & !B | C"), lambda e: to_bnet(e), lisp)
    '(or (and A (not B)) C)'
    """
    out: list[str] = []
    stack: list[tuple[Expr, int] | str] = [(expr, context)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, ctx = item
        kids = children(node)
        if not kids:
            out.append(leaf(node))
            continue
        prefix, separator, suffix, inner = template(node, ctx)
        out.append(prefix)
        if suffix:
            stack.append(suffix)
        for i in range(len(kids) - 1, -1, -1):
            stack.append((kids[i], inner))
            if i and separator:
                stack.append(separator)
    return "".join(out)


def _bnet_leaf(expr: Expr) -> str:
    if isinstance(expr, Var):
        return expr.name
    return "1" if expr.value else "0"  # type: ignore[attr-defined]  # a leaf that is not a Var is a Const


def bnet_template(and_: str = " & ", or_: str = " | ", not_: str = "!") -> Template:
    """The :data:`Template` of bnet-like syntax with the fewest parentheses
    (precedence: ``|`` 1, ``&`` 2, ``!`` 3), with the given operator spellings."""

    def template(expr: Expr, parent: int) -> tuple[str, str, str, int]:
        if isinstance(expr, Not):
            return not_, "", "", 3
        if isinstance(expr, And):
            return ("(", and_, ")", 2) if parent > 2 else ("", and_, "", 2)
        return ("(", or_, ")", 1) if parent > 1 else ("", or_, "", 1)

    return template


_BNET_TEMPLATE = bnet_template()


def to_bnet(expr: Expr) -> str:
    """Print ``expr`` in bnet syntax with the fewest parentheses.

    Examples
    --------
    >>> to_bnet(parse_expression("(A | B) & !(C & D) | 0"))
    '(A | B) & !(C & D) | 0'
    """
    if isinstance(expr, (Var, Const)):
        return _bnet_leaf(expr)
    return render(expr, _bnet_leaf, _BNET_TEMPLATE)


V = TypeVar("V")


class IdentityCache(Generic[V]):
    """Values remembered per expression *object*, optionally per an extra key (a variable
    order): rules are immutable and shared, and hashing a deep tree costs as much as walking
    it, so the key is the object's identity.  An entry keeps its object alive, so the id is
    not reused while remembered; all entries are forgotten once ``size`` are held.

    Examples
    --------
    >>> cache = IdentityCache(2)
    >>> rule = parse_expression("A & B")
    >>> cache.put(rule, 3, ("A", "B"))
    3
    >>> cache.get(rule, ("A", "B")), cache.get(rule), cache.get(parse_expression("A & B"), ("A", "B"))
    (3, None, None)
    >>> other = parse_expression("!C")
    >>> cache.put(other, 4), cache.put(parse_expression("C | D"), 5)  # the third: the first two are forgotten
    (4, 5)
    >>> cache.get(rule, ("A", "B")), cache.get(other)
    (None, None)
    """

    __slots__ = ("size", "_entries")

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[Hashable, tuple[Expr, V]] = {}  # by id(expr), or (id(expr), key)

    def get(self, expr: Expr, key: Hashable = None) -> V | None:
        """The value remembered for this object (and ``key``), else ``None``."""
        hit = self._entries.get(id(expr) if key is None else (id(expr), key))
        return hit[1] if hit is not None and hit[0] is expr else None

    def put(self, expr: Expr, value: V, key: Hashable = None) -> V:
        """Remember ``value`` for this object (and ``key``); returns it."""
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[id(expr) if key is None else (id(expr), key)] = (expr, value)
        return value


def variables(expr: Expr) -> frozenset[str]:
    """The names that occur in ``expr`` (syntactically); remembered per expression object
    (expressions are immutable), as a model asks it of each rule many times."""
    if isinstance(expr, Var):
        return frozenset((expr.name,))
    hit = _VARIABLES.get(expr)
    return hit if hit is not None else _VARIABLES.put(expr, _walk_variables(expr))


_VARIABLES: IdentityCache[frozenset[str]] = IdentityCache(50_000)
#: a rule's names in order of first occurrence, from the parser
_ORDERED: IdentityCache[tuple[str, ...]] = IdentityCache(50_000)
#: rules of more tokens than this have their names remembered by the parser
_REMEMBER_FROM = 64


def _remember_names(expr: Expr, ordered: tuple[str, ...]) -> None:
    """Remember the names of ``expr`` (found by the parser) for :func:`variables` and
    :func:`parsed_order`: the model and the engines then need not walk a large rule."""
    _VARIABLES.put(expr, frozenset(ordered))
    _ORDERED.put(expr, ordered)


def parsed_order(expr: Expr) -> tuple[str, ...] | None:
    """The names of ``expr`` in order of first occurrence if the parser remembered them (a
    large rule read from text), else ``None``.

    Examples
    --------
    >>> rule = parse_expression(" | ".join(f"B{k} & !A{k}" for k in range(40)))
    >>> parsed_order(rule)[:3], parsed_order(parse_expression("A & B"))
    (('B0', 'A0', 'B1'), None)
    """
    return _ORDERED.get(expr)


def _walk_variables(expr: Expr) -> frozenset[str]:
    names: set[str] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Var):
            names.add(e.name)
        elif isinstance(e, Not):
            stack.append(e.arg)
        elif isinstance(e, (And, Or)):
            stack.extend(e.args)
    return frozenset(names)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def _python_template(expr: Expr, _parent: int) -> tuple[str, str, str, int]:
    if isinstance(expr, Not):
        return "(True ^ ", "", ")", 0
    return "(", " & " if isinstance(expr, And) else " | ", ")", 0


def _python_source(expr: Expr, lookup: Callable[[str], str]) -> str:
    def leaf(e: Expr) -> str:
        if isinstance(e, Var):
            return lookup(e.name)
        return "True" if e.value else "False"  # type: ignore[attr-defined]  # a leaf that is not a Var is a Const

    return render(expr, leaf, _python_template)


def compile_expression(expr: Expr, names: Iterable[str]) -> Callable[..., Any]:
    """Compile ``expr`` into a fast function of positional arguments ``names``.

    The function works on Python bools and on numpy boolean arrays (element-wise),
    which is how signet evaluates a rule on many states at once.  A constant rule
    returns a Python bool; callers broadcast it.

    Examples
    --------
    >>> import numpy as np
    >>> f = compile_expression(parse_expression("A & !B"), ["A", "B"])
    >>> f(np.array([True, True, False]), np.array([False, True, False])).tolist()
    [True, False, False]
    """
    names = list(names)
    index = {n: i for i, n in enumerate(names)}
    missing = variables(expr) - set(index)
    if missing:
        raise ValueError(f"expression uses names not given: {sorted(missing)}")
    try:
        body = _python_source(expr, lambda n: f"_a{index[n]}")
        args = ", ".join(f"_a{i}" for i in range(len(names)))
        code = compile(f"lambda {args}: {body}", "<signet-rule>", "eval")
    except (RecursionError, SyntaxError, MemoryError):  # too deeply nested for Python's compiler
        return _iterative_evaluator(expr, index)
    return eval(code, {"__builtins__": {}})  # noqa: S307 - code built from a parsed tree only


def compile_expressions(exprs: Sequence[Expr], names: Iterable[str],
                        constants: Mapping[str, int] | None = None) -> Callable[[Sequence[Any], Any], None]:
    """Compile several expressions into one function ``f(values, out)`` that sets
    ``out[i]`` to ``exprs[i]`` evaluated on ``values`` (``values[j]`` is ``names[j]``).

    One call evaluates every expression (one generated function body, reading each
    name once), where calling :func:`compile_expression`'s functions one by one pays a
    call with every name as argument per expression: this is what a simulation step
    evaluates many times.  Works on numpy boolean arrays (``out`` a 2-D array, one row
    per expression) and on Python bools (``out`` a list).  ``constants``: names that
    are not in ``values`` but have these values, written into the code as literals.

    Examples
    --------
    >>> import numpy as np
    >>> f = compile_expressions([parse_expression("A & !B"), parse_expression("1")], ["A", "B"])
    >>> out = np.empty((2, 3), dtype=bool)
    >>> f([np.array([True, True, False]), np.array([False, True, False])], out)
    >>> out.tolist()
    [[True, False, False], [True, True, True]]
    >>> g = compile_expressions([parse_expression("A & !B")], ["A"], constants={"B": 0})
    >>> g([np.array([True, False])], out[:1, :2]); out[0, :2].tolist()
    [True, False]
    """
    names = list(names)
    index = {n: i for i, n in enumerate(names)}
    fixed = dict(constants or {})
    used: set[str] = set()
    for expr in exprs:
        used |= variables(expr)
    missing = used - set(index) - set(fixed)
    if missing:
        raise ValueError(f"expression uses names not given: {sorted(missing)}")
    used -= set(fixed)

    def lookup(n: str) -> str:
        if n in fixed:
            return "True" if fixed[n] else "False"
        return f"_a{index[n]}"

    try:
        lines = ["def _evaluate(_values, _out):"]
        lines += [f"    _a{index[n]} = _values[{index[n]}]" for n in sorted(used, key=index.__getitem__)]
        lines += [f"    _out[{i}] = {_python_source(e, lookup)}" for i, e in enumerate(exprs)]
        lines.append("    return None")
        namespace: dict[str, Any] = {"__builtins__": {}}
        exec(compile("\n".join(lines), "<signet-rules>", "exec"), namespace)  # noqa: S102 - code built from parsed trees only
        evaluate: Callable[[Sequence[Any], Any], None] = namespace["_evaluate"]
        return evaluate
    except (RecursionError, SyntaxError, MemoryError):  # too deeply nested for Python's compiler
        functions = [compile_expression(e, [*names, *fixed]) for e in exprs]
        literals = [bool(v) for v in fixed.values()]

        def evaluate_each(values: Sequence[Any], out: Any) -> None:
            for i, f in enumerate(functions):
                out[i] = f(*values, *literals)

        return evaluate_each


def _iterative_evaluator(expr: Expr, index: Mapping[str, int]) -> Callable[..., Any]:
    """Like :func:`compile_expression`, without recursion (for very deep expressions)."""

    def run(*args: Any) -> Any:
        stack: list[tuple[Expr, bool]] = [(expr, False)]
        out: list[Any] = []
        while stack:
            e, ready = stack.pop()
            if isinstance(e, Var):
                out.append(args[index[e.name]])
            elif isinstance(e, Const):
                out.append(e.value)
            elif not ready:
                stack.append((e, True))
                children = (e.arg,) if isinstance(e, Not) else e.args  # type: ignore[attr-defined]  # not a leaf nor a Not: an And or Or
                stack.extend((c, False) for c in reversed(children))
            elif isinstance(e, Not):
                out.append(True ^ out.pop())
            else:
                k = len(e.args)  # type: ignore[attr-defined]  # not a leaf nor a Not: an And or Or
                values = out[-k:]
                del out[-k:]
                acc = values[0]
                for v in values[1:]:
                    acc = (acc & v) if isinstance(e, And) else (acc | v)
                out.append(acc)
        return out[0]

    return run


def evaluate(expr: Expr, values: Mapping[str, Any]) -> Any:
    """Evaluate ``expr`` with ``values`` (bools, or numpy boolean arrays evaluated element-wise).

    Examples
    --------
    >>> evaluate(parse_expression("A | !B"), {"A": False, "B": False})
    True
    """
    names = sorted(variables(expr))
    return compile_expression(expr, names)(*(values[n] for n in names))


def truth_table(expr: Expr, names: list[str] | tuple[str, ...]) -> "np.ndarray":
    """The truth table of ``expr`` over ``names`` as a boolean array of length ``2**len(names)``.

    Entry ``i`` is the value where ``names[j]`` is bit ``j`` of ``i``.

    Examples
    --------
    >>> truth_table(parse_expression("A & !B"), ["A", "B"]).astype(int).tolist()
    [0, 1, 0, 0]
    """
    import numpy as np

    from .primes import rule_table

    k = len(names)
    if k > MAX_TRUTH_TABLE_VARIABLES + 4:
        raise ValueError(f"truth table over {k} variables is too large")
    # evaluated bit-parallel on integers (a walk of the tree, no code generated: 17x faster
    # on bbm/079's rules of 10,000 terms), then unpacked
    bits = rule_table(expr, names)  # not remembered: tables of 20 variables are 128 kB each
    size = 1 << k
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


# ---------------------------------------------------------------------------
# Substitution and constant folding
# ---------------------------------------------------------------------------


def substitute(expr: Expr, values: Mapping[str, "Expr | bool | int"]) -> Expr:
    """Replace variables by expressions or constants, then fold constants.

    Examples
    --------
    >>> to_bnet(substitute(parse_expression("A & (B | C)"), {"B": 1}))
    'A'
    >>> to_bnet(substitute(parse_expression("A & (B | C)"), {"A": 0}))
    '0'
    """
    table = {k: (v if isinstance(v, Expr) else Const(bool(v))) for k, v in values.items()}

    def replace(e: Expr, kids: list[Expr]) -> Expr:
        if isinstance(e, Var):
            return table.get(e.name, e)
        if isinstance(e, Const):
            return e
        return _fold_node(e, kids)

    return fold_tree(expr, replace)


def _fold_node(expr: Expr, kids: list[Expr]) -> Expr:
    """``expr`` with its children replaced by ``kids`` (already folded), then folded itself."""
    if isinstance(expr, Not):
        arg = kids[0]
        if isinstance(arg, Const):
            return Const(not arg.value)
        if isinstance(arg, Not):
            return arg.arg
        return Not(arg)
    is_and = isinstance(expr, And)
    absorbing = not is_and  # False absorbs And, True absorbs Or
    out: list[Expr] = []
    for a in kids:
        if isinstance(a, Const):
            if a.value == absorbing:
                return Const(absorbing)
            continue
        if type(a) is type(expr):
            out.extend(a.args)  # type: ignore[attr-defined]  # not a leaf nor a Not: an And or Or
        else:
            out.append(a)
    unique = list(dict.fromkeys(out))  # drop exact duplicates, keep order
    if not unique:
        return Const(not absorbing)
    if len(unique) == 1:
        return unique[0]
    return type(expr)(tuple(unique))  # type: ignore[call-arg]  # type(expr) is And or Or, built from its args


def fold_constants(expr: Expr) -> Expr:
    """Remove constants from ``expr`` (``A & 1`` -> ``A``, ``A | 1`` -> ``1``, ``!!A`` -> ``A``).

    Purely syntactic and linear-time; a tautology such as ``A | !A`` is not detected
    here (see :func:`constant_value`).

    Examples
    --------
    >>> to_bnet(fold_constants(parse_expression("!!(A & 1) | B & 0")))
    'A'
    """
    if isinstance(expr, (Var, Const)):
        return expr
    return fold_tree(expr, lambda e, kids: e if isinstance(e, (Var, Const)) else _fold_node(e, kids))


# ---------------------------------------------------------------------------
# Semantics
# ---------------------------------------------------------------------------


def _bdd(expr: Expr, names: list[str]) -> Any:
    """A BDD of ``expr`` over ``names`` (exact; used for rules with many regulators), and its
    variable set; the last few are remembered per rule object (a large rule's constancy, signs
    and restrictions then share one BDD: bbm/248's 155,850-node rule takes 0.5 s to build)."""
    order = tuple(names)
    hit = _BDDS.get(expr, order)
    return hit if hit is not None else _BDDS.put(expr, _build_bdd(expr, names), order)


_BDDS: IdentityCache[tuple[Any, Any]] = IdentityCache(16)


def _build_bdd(expr: Expr, names: list[str]) -> Any:
    from biodivine_aeon import BddVariableSet

    ctx = BddVariableSet(names)
    literal = {n: ctx.mk_literal(n, True) for n in names}
    true, false = ctx.mk_const(True), ctx.mk_const(False)

    def build(e: Expr, parts: list[Any]) -> Any:
        if isinstance(e, Var):
            return literal[e.name]
        if isinstance(e, Const):
            return true if e.value else false
        if isinstance(e, Not):
            return parts[0].l_not()
        out = parts[0] if parts else (true if isinstance(e, And) else false)
        for p in parts[1:]:
            out = out.l_and(p) if isinstance(e, And) else out.l_or(p)
        return out

    return ctx, fold_tree(expr, build)


def equivalent(left: Expr, right: Expr) -> bool:
    """Whether two expressions are the same Boolean function.

    Decided on truth tables up to :data:`MAX_TRUTH_TABLE_VARIABLES` variables, and
    with binary decision diagrams above.

    Examples
    --------
    >>> equivalent(parse_expression("!(A & B)"), parse_expression("!A | !B"))
    True
    >>> equivalent(parse_expression("A | !A"), parse_expression("1"))
    True
    """
    if left == right:
        return True
    names = sorted(variables(left) | variables(right))
    if len(names) <= MAX_TRUTH_TABLE_VARIABLES:
        import numpy as np

        return bool(np.array_equal(truth_table(left, names), truth_table(right, names)))
    _ctx, bdd = _bdd(Or((And((left, Not(right))), And((Not(left), right)))), names)
    return bool(bdd.is_false())


def constant_value(expr: Expr) -> bool | None:
    """``True``/``False`` if ``expr`` is a tautology/contradiction, else ``None``.

    Examples
    --------
    >>> constant_value(parse_expression("v_X | !v_X")), constant_value(parse_expression("A"))
    (True, None)
    """
    folded = fold_constants(expr)
    if isinstance(folded, Const):
        return folded.value
    if isinstance(folded, Var) or (isinstance(folded, Not) and isinstance(folded.arg, Var)):
        return None  # a literal (the common rule of large chains): no table needed
    return _constant_value_cached(expr)  # the rule itself: the table or BDD its signs are read from


def restricted_constant(expr: Expr, values: Mapping[str, bool], target: bool) -> bool:
    """Whether ``expr`` with ``values`` fixed is the constant ``target`` (whatever the other
    variables are).

    Examples
    --------
    >>> rule = parse_expression("A & B | C")
    >>> restricted_constant(rule, {"C": True}, True), restricted_constant(rule, {"A": False}, False)
    (True, False)
    """
    names = sorted(variables(expr))
    if len(names) > MAX_TRUTH_TABLE_VARIABLES:  # restrict the rule's BDD (built once per rule)
        ctx, bdd = _bdd(expr, names)
        present = set(names)
        fixed = {ctx.find_variable(n): bool(v) for n, v in values.items() if n in present}
        restricted = bdd.r_restrict(fixed) if fixed else bdd
        return bool(restricted.is_true() if target else restricted.is_false())
    folded = fold_constants(substitute(expr, {n: Const(bool(v)) for n, v in values.items()}))
    return equivalent(folded, Const(target))


@lru_cache(maxsize=65536)
def _constant_value_cached(expr: Expr) -> bool | None:
    names = sorted(variables(expr))
    if len(names) <= MAX_TRUTH_TABLE_VARIABLES:
        tt = truth_table(expr, names)
        if tt.all():
            return True
        if not tt.any():
            return False
        return None
    _ctx, bdd = _bdd(expr, names)
    if bdd.is_false():
        return False
    if bdd.is_true():
        return True
    return None


@lru_cache(maxsize=65536)
def _signs(expr: Expr) -> dict[str, str]:
    """Map each syntactic variable to '+', '-', '?' or '0' (does not matter)."""
    import numpy as np

    names = sorted(variables(expr))
    k = len(names)
    if k == 0:
        return {}
    if k > MAX_TRUTH_TABLE_VARIABLES:
        return _signs_bdd(expr, names)
    tt = truth_table(expr, names)
    out: dict[str, str] = {}
    for j, name in enumerate(names):
        shaped = tt.reshape((-1, 2, 1 << j))  # axis 1 is bit j
        low, high = shaped[:, 0, :], shaped[:, 1, :]
        up = bool(np.any(high & ~low))
        down = bool(np.any(low & ~high))
        out[name] = "?" if (up and down) else "+" if up else "-" if down else "0"
    return out


def _signs_bdd(expr: Expr, names: list[str]) -> dict[str, str]:
    ctx, bdd = _bdd(expr, names)
    out = {}
    for name in names:
        var = ctx.find_variable(name)
        lo = bdd.r_restrict({var: False})
        hi = bdd.r_restrict({var: True})
        up = not hi.l_and_not(lo).is_false()
        down = not lo.l_and_not(hi).is_false()
        out[name] = "?" if (up and down) else "+" if up else "-" if down else "0"
    return out


def essential_variables(expr: Expr) -> frozenset[str]:
    """The variables the function really depends on.

    Examples
    --------
    >>> sorted(essential_variables(parse_expression("A & (B | !B)")))
    ['A']
    """
    return frozenset(n for n, s in _signs(expr).items() if s != "0")


def _literal_sign(expr: Expr, name: str) -> str | None:
    """The sign of ``name`` in ``expr`` when ``expr`` is a literal (no table needed), else None."""
    if isinstance(expr, Var):
        return "+" if expr.name == name else "0"
    if isinstance(expr, Not) and isinstance(expr.arg, Var):
        return "-" if expr.arg.name == name else "0"
    return None


def edge_sign(expr: Expr, name: str) -> str:
    """Monotonicity of ``expr`` in ``name``: ``'+'``, ``'-'``, ``'?'`` (both), or ``'0'`` (no effect).

    Decided from the Boolean function, not its spelling.

    Examples
    --------
    >>> edge_sign(parse_expression("!(!A)"), "A"), edge_sign(parse_expression("A & !B | !A & B"), "A")
    ('+', '?')
    """
    literal = _literal_sign(expr, name)
    if literal is not None:
        return literal
    return _signs(expr).get(name, "0")


# ---------------------------------------------------------------------------
# sympy bridge
# ---------------------------------------------------------------------------


def to_sympy(expr: Expr) -> Any:
    """Convert to a sympy Boolean expression (symbols keep the node names)."""
    import sympy

    def conv(e: Expr, parts: list[Any]) -> Any:
        if isinstance(e, Var):
            return sympy.Symbol(e.name)
        if isinstance(e, Const):
            return sympy.true if e.value else sympy.false
        if isinstance(e, Not):
            return sympy.Not(parts[0])
        return (sympy.And if isinstance(e, And) else sympy.Or)(*parts)

    return fold_tree(expr, conv)


def from_sympy(value: Any) -> Expr:
    """Convert a sympy Boolean expression back (sorted arguments, for a stable print)."""
    import sympy
    from sympy.logic import boolalg

    if value is sympy.true or value is True:
        return TRUE
    if value is sympy.false or value is False:
        return FALSE
    if isinstance(value, sympy.Symbol):
        return Var(value.name)
    if isinstance(value, boolalg.Not):
        return Not(from_sympy(value.args[0]))
    if isinstance(value, (boolalg.And, boolalg.Or)):
        args = tuple(sorted((from_sympy(a) for a in value.args), key=to_bnet))
        return And(args) if isinstance(value, boolalg.And) else Or(args)
    # Xor, Implies, Equivalent, ITE...: rewrite in and/or/not first
    rewritten = boolalg.to_nnf(value, simplify=False)
    if rewritten == value:
        raise TypeError(f"cannot convert {value!r}")
    return from_sympy(rewritten)


def simplify(expr: Expr) -> Expr:
    """A minimal equivalent expression (sympy's ``simplify_logic``; exact, can be slow past ~12 variables).

    Examples
    --------
    >>> to_bnet(simplify(parse_expression("A & B | A & !B | C & !C")))
    'A'
    """
    from sympy.logic import simplify_logic

    folded = fold_constants(expr)
    if isinstance(folded, (Const, Var)):
        return folded
    return from_sympy(simplify_logic(to_sympy(folded), force=True))


def to_dnf(expr: Expr, *, simplified: bool = True) -> Expr:
    """An equivalent disjunctive normal form."""
    from sympy.logic import to_dnf as sympy_dnf

    return from_sympy(sympy_dnf(to_sympy(fold_constants(expr)), simplify=simplified, force=True))


def to_cnf(expr: Expr, *, simplified: bool = True) -> Expr:
    """An equivalent conjunctive normal form."""
    from sympy.logic import to_cnf as sympy_cnf

    return from_sympy(sympy_cnf(to_sympy(fold_constants(expr)), simplify=simplified, force=True))
