"""GINsim models: ``.zginml`` (a zip archive) and ``.ginml`` (its XML), read only.

GINsim stores a logical regulatory graph in GINML (``GINsim-data/regulatoryGraph.ginml``
inside the ``.zginml`` archive).  Each ``node`` has levels ``0..maxvalue``; each
``edge`` (an *interaction*) from ``S`` to ``X`` has a threshold ``minvalue``, and the
interactions from one source to one target, sorted by threshold ``t1 < t2 < ...``, are
active on the intervals ``[t1, t2 - 1]``, ``[t2, t3 - 1]``, ..., ``[tr, max S]``.  The
target level of ``X`` is given, as in GINsim itself, by

* *logical parameters* ``<parameter idActiveInteractions="S:X T:X" val="2"/>``: the
  target level when exactly these interactions are active (every other interaction of
  ``X`` inactive); ``basevalue`` is the parameter of "no interaction active";
* *logical functions* ``<value val="k"><exp str="S & !T:2"/></value>``: the target level
  is ``k`` where one of the expressions of ``k`` holds.  An operand ``S`` means "some
  interaction from ``S`` is active" (``S >= t1``), ``S:k`` the interaction of
  threshold ``k`` and ``S#n`` the ``n``-th interaction from ``S``;
* level 0 where nothing applies.  A combination of interactions that the functions
  give two different levels gets none (GINsim flags it as an error and drops it; signet
  warns); an explicit parameter wins over the functions for its combination; a formula
  GINsim cannot read (unknown operand, no such threshold) is dropped with a warning, as
  GINsim drops it; an ``input="true"`` node keeps its level.

Boolean nodes (``maxvalue="1"``) become nodes of the same name.  A node with levels
``0..m`` becomes level bits ``X_b1 .. X_bm`` (``X_bk``: "X >= k"), exactly as
:func:`signet.io.sbml.parse_sbml` with ``multivalued="bits"`` converts SBML-qual: a test
checks that both readers give the same network for the models GINsim ships in both
formats.

Node ids that are not valid signet names (GINsim allows ``AP-1``) are written with
``_`` (``AP_1``) and keep the GINsim id as an alias; a node's ``name`` becomes its label,
its comment its note, UniProt links its accession, DOI and PubMed links its references
(other links are listed in the note).  GINsim's stored perturbations (``mutant``: a
list of fixed levels) become contexts.

Examples
--------
>>> text = '''<gxl><graph id="demo" class="regulatory" nodeorder="A B">
... <node id="A" maxvalue="1" input="true"/>
... <node id="B" maxvalue="2"><value val="2"><exp str="A"/></value></node>
... <edge id="A:B" from="A" to="B" minvalue="1" sign="positive"/>
... </graph></gxl>'''
>>> net = parse_ginml(text)
>>> for node, rule in net.rules.items():
...     print(node, "=", rule)
A = A
B_b1 = A | B_b1 & B_b2
B_b2 = A & B_b1
"""

from __future__ import annotations

import logging
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from ..annotations import Annotations, Context, NodeInfo, Reference
from ..errors import ModelError, ParseError, SignetWarning
from ..expr import FALSE, TRUE, And, Expr, Not, Or, Var, constant_value, fold_constants, is_valid_name
from ..model import BooleanNetwork
from . import register_format
from ._compact import compact
from .files import decode_text

__all__ = ["parse_ginml", "read_ginml", "MEMBER"]

logger = logging.getLogger(__name__)

register_format("ginml", "signet.io.ginml", (".zginml", ".ginml"), read=True, write=False)

#: The regulatory graph inside a ``.zginml`` archive.
MEMBER = "GINsim-data/regulatoryGraph.ginml"
#: GINsim's stored perturbations inside the archive.
MUTANTS = "GINsim-data/mutant"
#: Largest uncompressed member read from an archive (a guard against zip bombs).
MAX_MEMBER_BYTES = 256 << 20

_ZIP_MAGIC = b"PK\x03\x04"


# ---------------------------------------------------------------------------
# A small XML tree that remembers where each element starts
# ---------------------------------------------------------------------------


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list["_Element"] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self, tag: str) -> Iterator["_Element"]:
        return (c for c in self.children if c.tag == tag)

    def first(self, tag: str) -> "_Element | None":
        return next(self.iter(tag), None)

    def all_text(self) -> str:
        return "".join(self.text)


def _xml_tree(text: str, source: str | None) -> _Element:
    """Parse ``text`` with expat into :class:`_Element` (iteratively; no entity expansion)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    root = _Element("", {}, 1, 1)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def data(chunk: str) -> None:
        stack[-1].text.append(chunk)

    def entity(name: str, *_args: object) -> None:
        raise ParseError(f"entity declaration {name!r}: GINML has none (refused)", source=source,
                         line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.EntityDeclHandler = entity
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        raise ParseError(f"malformed XML: {message}", source=source, line=exc.lineno, column=exc.offset + 1) from None
    if not root.children:
        raise ParseError("no XML element: not a GINML file", source=source, line=1, column=1)
    return root.children[0]


# ---------------------------------------------------------------------------
# GINsim's logical functions
# ---------------------------------------------------------------------------


class _FormulaError(Exception):
    pass


def _formula_tokens(text: str) -> list[str]:
    """Split a GINsim formula at ``! & | ( )`` and blanks; everything else is an operand."""
    return [t for t in re.split(r"([!&|()])|\s+", text) if t]


def _parse_formula(text: str, operand: Callable[[str], Expr]) -> Expr:
    """GINsim's formula syntax: ``!`` > ``&`` > ``|``, parentheses; ``operand(token)`` builds leaves.

    A shunting-yard parser (iterative, as GINsim's own).
    """
    parser = _Shunting(operand)
    for token in _formula_tokens(text):
        parser.feed(token)
    return parser.result()


class _Shunting:
    """The state of :func:`_parse_formula`: operands and pending operators."""

    PRIORITY = {"|": 0, "&": 1, "!": 2}

    def __init__(self, operand: Callable[[str], Expr]) -> None:
        self.operand = operand
        self.output: list[Expr] = []
        self.ops: list[str] = []
        self.expect_operand = True

    def reduce(self, op: str) -> None:
        output = self.output
        if op == "!":
            if not output:
                raise _FormulaError("'!' without an operand")
            output.append(Not(output.pop()))
            return
        if len(output) < 2:
            raise _FormulaError(f"{op!r} without two operands")
        right, left = output.pop(), output.pop()
        output.append(And((left, right)) if op == "&" else Or((left, right)))

    def feed(self, token: str) -> None:
        if token in ("(", "!"):
            if not self.expect_operand:
                raise _FormulaError(f"{token!r} after an operand")
            self.ops.append(token)
        elif token == ")":
            self.close()
        elif token in ("&", "|"):
            self.binary(token)
        else:
            if not self.expect_operand:
                raise _FormulaError(f"operand {token!r} after an operand")
            self.output.append(self.operand(token))
            self.expect_operand = False

    def close(self) -> None:
        if self.expect_operand:
            raise _FormulaError("')' where an operand is expected")
        ops = self.ops
        while ops and ops[-1] != "(":
            self.reduce(ops.pop())
        if not ops:
            raise _FormulaError("unbalanced ')'")
        ops.pop()
        self.expect_operand = False

    def binary(self, token: str) -> None:
        if self.expect_operand:
            raise _FormulaError(f"{token!r} where an operand is expected")
        ops, priority = self.ops, self.PRIORITY
        while ops and ops[-1] != "(" and priority[ops[-1]] >= priority[token]:
            self.reduce(ops.pop())
        ops.append(token)
        self.expect_operand = True

    def result(self) -> Expr:
        if self.expect_operand:
            raise _FormulaError("the formula ends where an operand is expected")
        while self.ops:
            op = self.ops.pop()
            if op == "(":
                raise _FormulaError("unbalanced '('")
            self.reduce(op)
        if len(self.output) != 1:
            raise _FormulaError("not one expression")
        return self.output[0]


# ---------------------------------------------------------------------------
# The regulatory graph
# ---------------------------------------------------------------------------


@dataclass
class _Node:
    ident: str
    element: _Element
    max_level: int
    name: str = ""  # the signet node name (a valid name)
    is_input: bool = False
    regulators: dict[str, list[int]] = field(default_factory=dict)  # source id -> sorted thresholds


class _Graph:
    """One GINML regulatory graph being converted."""

    def __init__(self, graph: _Element, source: str | None) -> None:
        self.graph = graph
        self.source = source
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[str, tuple[str, str, int]] = {}  # edge id -> (source, target, threshold)
        self.intervals: dict[tuple[str, int, int], Expr] = {}

    def error(self, message: str, element: _Element | None) -> ParseError:
        line = element.line if element is not None else None
        column = element.column if element is not None else None
        return ParseError(message, source=self.source, line=line, column=column)

    def warn(self, message: str, element: _Element) -> None:
        warnings.warn(SignetWarning(f"{self.source or '<text>'}:{element.line}:{element.column}: {message}"),
                      stacklevel=4)

    def integer(self, element: _Element, attr: str, default: int | None = None, low: int = 0) -> int:
        text = element.attrs.get(attr)
        if text is None:
            if default is None:
                raise self.error(f"<{element.tag}> without the {attr} attribute", element)
            return default
        try:
            value = int(text.strip())
        except ValueError:
            raise self.error(f"<{element.tag}> {attr}={text!r} is not an integer", element) from None
        if value < low:
            raise self.error(f"<{element.tag}> {attr}={value} is below {low}", element)
        return value

    # -- nodes and interactions -------------------------------------------------
    def read_structure(self) -> None:
        for element in self.graph.iter("node"):
            ident = element.attrs.get("id")
            if not ident:
                raise self.error("<node> without an id", element)
            if ident in self.nodes:
                other = self.nodes[ident].element
                raise self.error(f"duplicate node id {ident!r} (first on line {other.line})", element)
            top = self.integer(element, "maxvalue", low=1)
            if top > 9:
                raise self.error(f"node {ident}: maxvalue {top} is above 9, which no GINsim model uses", element)
            is_input = element.attrs.get("input", "").strip().lower() in ("true", "1")
            self.nodes[ident] = _Node(ident, element, top, is_input=is_input)
        if not self.nodes:
            raise self.error("the regulatory graph has no node", self.graph)
        for element in self.graph.iter("edge"):
            self.read_edge(element)
        for node in self.nodes.values():
            for src in node.regulators:
                node.regulators[src] = sorted(set(node.regulators[src]))
        self.name_nodes()

    def read_edge(self, element: _Element) -> None:
        ident = element.attrs.get("id", "")
        src, dst = element.attrs.get("from"), element.attrs.get("to")
        for end, value in (("from", src), ("to", dst)):
            if not value:
                raise self.error(f"<edge {ident}> without the {end} attribute", element)
            if value not in self.nodes:
                raise self.error(f"<edge {ident}>: {end}={value!r} is not a node of the graph", element)
        assert src is not None and dst is not None
        if "effects" in element.attrs:
            thresholds = []
            for part in element.attrs["effects"].split():
                level, _colon, _sign = part.partition(":")
                try:
                    thresholds.append(int(level))
                except ValueError:
                    raise self.error(f"<edge {ident}>: effects item {part!r} is not 'threshold:sign'",
                                     element) from None
            keys = [(f"{ident}:{t}", t) for t in thresholds]
        else:
            t = self.integer(element, "minvalue", default=1)
            keys = [(ident, t)]
        top = self.nodes[src].max_level
        for key, t in keys:
            if not 1 <= t <= top:
                raise self.error(f"<edge {ident}>: threshold {t} outside 1..{top} (the levels of {src})", element)
            self.nodes[dst].regulators.setdefault(src, []).append(t)
            self.edges[key] = (src, dst, t)  # as GINsim: a later edge with the same id replaces it

    def name_nodes(self) -> None:
        taken: set[str] = set()
        bits = {f"{n.ident}_b{k}" for n in self.nodes.values() if n.max_level > 1 for k in range(1, n.max_level + 1)}
        for node in self.nodes.values():
            name = node.ident if is_valid_name(node.ident) else re.sub(r"[^A-Za-z0-9_.:]", "_", node.ident)
            if not re.match(r"[A-Za-z_]", name):
                name = "_" + name
            base, i = name, 2
            while (name in taken or (name != node.ident and name in self.nodes)
                   or (name in bits and node.max_level == 1)):
                name, i = f"{base}_{i}", i + 1
            taken.add(name)
            node.name = name

    # -- levels as Boolean expressions ------------------------------------------------
    def at_least(self, ident: str, level: int) -> Expr:
        node = self.nodes[ident]
        if level <= 0:
            return TRUE
        if level > node.max_level:
            return FALSE
        if node.max_level == 1:
            return Var(node.name)
        parts = tuple(Var(f"{node.name}_b{j}") for j in range(1, level + 1))
        return parts[0] if len(parts) == 1 else And(parts)

    def interval(self, ident: str, low: int, high: int) -> Expr:
        """``low <= level(ident) <= high``."""
        key = (ident, low, high)
        hit = self.intervals.get(key)
        if hit is None:
            hit = self.intervals[key] = fold_constants(And((self.at_least(ident, low),
                                                            Not(self.at_least(ident, high + 1)))))
        return hit

    def edge_active(self, target: _Node, src: str, index: int) -> Expr:
        ts = target.regulators[src]
        high = ts[index + 1] - 1 if index + 1 < len(ts) else self.nodes[src].max_level
        return self.interval(src, ts[index], high)

    def none_active(self, target: _Node, src: str) -> Expr:
        return self.interval(src, 0, target.regulators[src][0] - 1)

    # -- logical parameters -----------------------------------------------------------
    def parameter_condition(self, target: _Node, element: _Element) -> tuple[frozenset, Expr] | None:
        """The combination an explicit ``<parameter>`` names, and its condition."""
        chosen: dict[str, set[int]] = {}
        for token in element.attrs.get("idActiveInteractions", "").split():
            edge = self.edges.get(token)
            if edge is None and token.rfind(":") > 0:
                edge = self.edges.get(token[:token.rfind(":")])
            if edge is None and token.rfind("#") > 0:
                edge = self.edges.get(token[:token.rfind("#")])
            if edge is None or edge[1] != target.ident:
                # GINsim logs the unknown interaction and keeps the parameter without it
                self.warn(f"node {target.ident}: parameter names {token!r}, which is not an interaction of "
                          f"{target.ident}; ignored as GINsim does", element)
                continue
            src, _dst, t = edge
            chosen.setdefault(src, set()).add(target.regulators[src].index(t))
        key = frozenset((src, i) for src, idx in chosen.items() for i in idx)
        parts: list[Expr] = []
        for src in target.regulators:
            picked = chosen.get(src, set())
            if len(picked) > 1:
                return key, FALSE  # two intervals of one source at once: never
            parts.append(self.edge_active(target, src, next(iter(picked))) if picked else self.none_active(target, src))
        return key, _and(parts)

    # -- logical functions --------------------------------------------------------------
    def formula(self, target: _Node, text: str) -> Expr:
        def operand(token: str) -> Expr:
            ident, threshold, number = token, None, None
            if ":" in token:
                ident, _, rest = token.rpartition(":")
                if ":" in ident or not rest.isdigit():
                    raise _FormulaError(f"invalid operand {token!r}")
                threshold = int(rest)
            elif "#" in token:
                ident, _, rest = token.rpartition("#")
                if "#" in ident or not rest.isdigit():
                    raise _FormulaError(f"invalid operand {token!r}")
                number = int(rest)
            if ident not in self.nodes:
                raise _FormulaError(f"{ident!r} is not a node of the graph")
            ts = target.regulators.get(ident)
            if not ts:
                raise _FormulaError(f"{ident!r} does not regulate {target.ident} (no edge)")
            if threshold is not None:
                if threshold not in ts:
                    raise _FormulaError(f"no interaction {ident} -> {target.ident} with threshold {threshold}")
                return self.edge_active(target, ident, ts.index(threshold))
            if number is not None:
                if not 1 <= number <= len(ts):
                    raise _FormulaError(f"no interaction number {number} from {ident} to {target.ident}")
                return self.edge_active(target, ident, number - 1)
            return self.at_least(ident, ts[0])

        return _parse_formula(text, operand)

    def target_levels(self, target: _Node) -> dict[int, Expr]:
        """``k -> "the target level of X is >= k"`` for k in 1..max."""
        top = target.max_level
        manual = self.manual_levels(target)
        by_value = self.function_levels(target) if target.regulators else {}
        covered = compact(_or([c for c, _v in manual.values()]),
                          [bit for src in target.regulators for bit in self.node_names(src)])
        exclusive = self.exclusive(target, by_value, covered)
        out = {}
        for k in range(1, top + 1):
            parts = [c for c, v in manual.values() if v >= k]
            from_functions = [exclusive[v] for v in exclusive if v >= k]
            if from_functions:
                parts.append(_and([Not(covered), _or(from_functions)]) if covered != FALSE else _or(from_functions))
            out[k] = _or(parts)
        return out

    def manual_levels(self, target: _Node) -> dict[frozenset, tuple[Expr, int]]:
        """The explicit parameters of ``target`` (and its basevalue): active interactions ->
        ``(condition, value)``; the first parameter for a set of interactions wins."""
        element = target.element
        top = target.max_level
        manual: dict[frozenset, tuple[Expr, int]] = {}
        base = element.attrs.get("basevalue")
        if base is not None:
            value = self.integer(element, "basevalue")
            if value > top:
                raise self.error(f"node {target.ident}: basevalue {value} above maxvalue {top}", element)
            if value:
                manual[frozenset()] = (_and([self.none_active(target, s) for s in target.regulators]), value)
        for param in element.iter("parameter"):
            value = self.integer(param, "val")
            if value > top:
                raise self.error(f"node {target.ident}: parameter value {value} above maxvalue {top}", param)
            got = self.parameter_condition(target, param)
            if got is not None and got[0] not in manual:
                manual[got[0]] = (got[1], value)
        return manual

    def function_levels(self, target: _Node) -> dict[int, Expr]:
        """The logical functions of ``target``: value -> the disjunction of its formulas (a formula
        GINsim cannot read is ignored with a warning, as GINsim ignores it)."""
        element = target.element
        top = target.max_level
        functions: dict[int, list[Expr]] = {}
        for value_el in element.iter("value"):
            value = self.integer(value_el, "val")
            if value > top:
                raise self.error(f"node {target.ident}: function value {value} above maxvalue {top}", value_el)
            for exp in value_el.iter("exp"):
                text = exp.attrs.get("str")
                if text is None:
                    raise self.error(f"node {target.ident}: <exp> without the str attribute", exp)
                try:
                    functions.setdefault(value, []).append(self.formula(target, text))
                except _FormulaError as exc:
                    self.warn(f"node {target.ident}: formula {text!r} ignored, as GINsim ignores it: {exc}", exp)
        return {v: (exps[0] if len(exps) == 1 else Or(tuple(exps))) for v, exps in functions.items()}

    def exclusive(self, target: _Node, by_value: Mapping[int, Expr], covered: Expr) -> dict[int, Expr]:
        """The condition of each function value, without the combinations another value also claims
        (combinations an explicit parameter covers do not count: the parameter decides them)."""
        out = {}
        clashing: set[int] = set()
        for v, expr in by_value.items():
            others = [w for w in by_value if w != v]
            clashes = [w for w in others if constant_value(And((expr, by_value[w], Not(covered)))) is not False]
            if clashes:
                clashing.update([v, *clashes])
                expr = And((expr, *(Not(by_value[w]) for w in clashes)))
            out[v] = expr
        if clashing:
            self.warn(f"node {target.ident}: some regulator levels satisfy the functions of values "
                      f"{' and '.join(map(str, sorted(clashing)))}; GINsim gives them no value from the functions "
                      "(0 unless a parameter says otherwise), and so does signet", target.element)
        return out

    # -- the Boolean network ------------------------------------------------------------------
    def rules(self) -> dict[str, Expr]:
        rules: dict[str, Expr] = {}
        for node in self.ordered():
            if node.is_input:  # keeps its level: every bit is its own input, as in signet.io.sbml
                rules.update((bit, Var(bit)) for bit in self.node_names(node.ident))
                continue
            levels = self.target_levels(node)
            names = [bit for src in node.regulators for bit in self.node_names(src)]
            if node.max_level == 1:
                rules[node.name] = compact(levels[1], names, min_size=6)
                continue
            names += [bit for bit in self.node_names(node.ident) if bit not in names]
            for k in range(1, node.max_level + 1):
                below = TRUE if k == 1 else Var(f"{node.name}_b{k - 1}")
                above = FALSE if k == node.max_level else Var(f"{node.name}_b{k + 1}")
                rule = _or([_and([compact(levels[k], names), below]), _and([Var(f"{node.name}_b{k}"), above])])
                rules[f"{node.name}_b{k}"] = compact(rule, names, min_size=6)
        return rules

    def ordered(self) -> list[_Node]:
        order = self.graph.attrs.get("nodeorder", "").split()
        if sorted(order) == sorted(self.nodes):
            return [self.nodes[i] for i in order]
        return list(self.nodes.values())

    def node_names(self, ident: str) -> list[str]:
        node = self.nodes[ident]
        if node.max_level == 1:
            return [node.name]
        return [f"{node.name}_b{k}" for k in range(1, node.max_level + 1)]


def _and(parts: Sequence[Expr]) -> Expr:
    """Conjunction of already folded ``parts`` (constants and nested ``And`` flattened, no deep walk)."""
    out: list[Expr] = []
    for p in parts:
        if p == FALSE:
            return FALSE
        if p == TRUE:
            continue
        out.extend(p.args if isinstance(p, And) else (p,))
    return TRUE if not out else out[0] if len(out) == 1 else And(tuple(out))


def _or(parts: Sequence[Expr]) -> Expr:
    """Disjunction of already folded ``parts`` (see :func:`_and`)."""
    out: list[Expr] = []
    for p in parts:
        if p == TRUE:
            return TRUE
        if p == FALSE:
            continue
        out.extend(p.args if isinstance(p, Or) else (p,))
    return FALSE if not out else out[0] if len(out) == 1 else Or(tuple(out))


# ---------------------------------------------------------------------------
# Annotations
# ---------------------------------------------------------------------------

_PUBMED_RE = re.compile(r"(?:pubmed[/:]|pmid[:\s]\s*)(\d+)", re.IGNORECASE)
_DOI_RE = re.compile(r"(?:doi(?:\.org/|:\s*|\s+))(10\.\S+)", re.IGNORECASE)
_UNIPROT_RE = re.compile(r"(?:uniprot(?:kb)?[/:]|uniprotkb\s*-\s*)\s*([A-Z0-9]{6,10}(?:-\d+)?)\b", re.IGNORECASE)


def _classify_links(links: Sequence[str], references: dict[str, Reference]) -> tuple[str | None, list[str], list[str]]:
    """UniProt accession, reference keys and other links of a list of GINsim links."""
    uniprot = None
    refs: list[str] = []
    other: list[str] = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        m = _DOI_RE.search(link)
        if m:
            doi = m.group(1).rstrip(".")
            references.setdefault(doi, Reference(doi, doi, ""))
            refs.append(doi)
            continue
        m = _PUBMED_RE.search(link)
        if m:
            key = f"PMID:{m.group(1)}"
            references.setdefault(key, Reference(key, None, f"PubMed {m.group(1)}"))
            refs.append(key)
            continue
        m = _UNIPROT_RE.search(link)
        if m and uniprot is None:
            uniprot = m.group(1).upper()
            continue
        other.append(link)
    return uniprot, list(dict.fromkeys(refs)), other


def _annotation(element: _Element) -> tuple[str, list[str]]:
    """Comment text and links of an ``<annotation>`` child."""
    ann = element.first("annotation")
    if ann is None:
        return "", []
    comment = ann.first("comment")
    text = comment.all_text().strip() if comment is not None else ""
    links = []
    for linklist in ann.iter("linklist"):
        links += [link.attrs.get("xlink:href", "") for link in linklist.iter("link")]
    return text, links


def _with_links(text: str, links: Sequence[str]) -> str:
    if not links:
        return text
    listed = "\n".join(f"- {link}" for link in links)
    return f"{text}\nLinks:\n{listed}" if text else f"Links:\n{listed}"


def _annotations(graph: _Graph, mutants: str | None, mutants_source: str | None) -> Annotations:
    references: dict[str, Reference] = {}
    description, links = _annotation(graph.graph)
    _uniprot, _refs, other = _classify_links(links, references)
    description = _with_links(description, other + ([f"UniProt {_uniprot}"] if _uniprot else []))
    nodes: dict[str, NodeInfo] = {}
    for node in graph.nodes.values():
        comment, links = _annotation(node.element)
        uniprot, refs, other = _classify_links(links, references)
        label = node.element.attrs.get("name", "").strip()
        if label == node.name:
            label = ""
        aliases = (node.ident,) if node.ident != node.name else ()
        note = _with_links(comment, other)
        if node.max_level == 1:
            info = NodeInfo(label=label, uniprot=uniprot, aliases=aliases, refs=tuple(refs), note=note)
            if info != NodeInfo():
                nodes[node.name] = info
            continue
        for k in range(1, node.max_level + 1):
            level_label = f"{label or node.ident} >= {k}"
            if k == 1:
                nodes[f"{node.name}_b1"] = NodeInfo(label=level_label, uniprot=uniprot, refs=tuple(refs), note=note)
            else:
                nodes[f"{node.name}_b{k}"] = NodeInfo(label=level_label)
    contexts = _contexts(graph, mutants, mutants_source) if mutants else {}
    return Annotations(title=graph.graph.attrs.get("id", ""), description=description,
                       source={"format": "GINsim"}, references=references, nodes=nodes, contexts=contexts)


def _contexts(graph: _Graph, text: str, source: str | None) -> dict[str, Context]:
    """GINsim's stored perturbations that fix levels, as contexts (others are skipped with a note)."""
    try:
        root = _xml_tree(text, source)
    except ParseError as exc:
        logger.info("%s: perturbations not read: %s", source, exc)
        return {}
    mutants = list(root.iter("mutant"))
    if not mutants:
        listing = root.first("listOfPerturbations")
        mutants = list(listing.iter("perturbation")) if listing is not None else []
    contexts: dict[str, Context] = {}
    for mutant in mutants:
        name = mutant.attrs.get("name", "").strip()
        fix: dict[str, int] = {}
        ok = bool(name) and name not in contexts
        for change in mutant.children:
            if change.tag != "change" or "condition" in change.attrs:
                ok = ok and change.tag in ("annotation",)
                continue
            target = change.attrs.get("target", "")
            low, high = change.attrs.get("min"), change.attrs.get("max")
            if target not in graph.nodes or low is None or low != high or not low.strip().isdigit():
                ok = False
                continue
            level = int(low)
            if level > graph.nodes[target].max_level:
                ok = False
                continue
            for k, bit in enumerate(graph.node_names(target), start=1):
                fix[bit] = 1 if level >= k else 0
        if ok and fix:
            comment, _links = _annotation(mutant)
            contexts[name] = Context(name, fix, comment or "GINsim perturbation")
        else:
            logger.info("%s: perturbation %r skipped (not a list of fixed levels)", source, name)
    return contexts


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def parse_ginml(
    text: str,
    *,
    source: str | None = None,
    name: str = "",
    mutants: str | None = None,
    mutants_source: str | None = None,
) -> BooleanNetwork:
    """Parse GINML text (a GINsim regulatory graph) into a Boolean network.

    Parameters
    ----------
    text
        The XML of the regulatory graph.
    source
        Name for error messages (for an archive: ``archive.zginml/GINsim-data/regulatoryGraph.ginml``).
    name
        Network name (default: the graph id).
    mutants, mutants_source
        The text of GINsim's ``mutant`` file, read as contexts.

    Raises
    ------
    ParseError
        Malformed XML, a graph that is not regulatory, nodes without ``maxvalue``, edges
        to unknown nodes, levels out of range: each with the line and column of the element.

    Warns
    -----
    SignetWarning
        For what GINsim itself drops (a formula it cannot read, an unknown interaction
        in a parameter, levels claimed by the functions of two values).

    Examples
    --------
    >>> parse_ginml('<gxl><graph class="regulatory"><node id="A"/></graph></gxl>', source="m.ginml")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.ginml:1:32: <node> without the maxvalue attribute
    """
    root = _xml_tree(text, source)
    if root.tag != "gxl":
        raise ParseError(f"root element <{root.tag}>, expected <gxl>: not a GINML file", source=source,
                         line=root.line, column=root.column)
    graph_el = root.first("graph")
    if graph_el is None:
        raise ParseError("<gxl> without a <graph>", source=source, line=root.line, column=root.column)
    kind = graph_el.attrs.get("class", "")
    if kind != "regulatory":
        raise ParseError(f"graph class {kind!r}: signet reads GINsim regulatory graphs only "
                         "(this is another GINsim graph, e.g. a state transition graph)", source=source,
                         line=graph_el.line, column=graph_el.column)
    graph = _Graph(graph_el, source)
    graph.read_structure()
    rules = graph.rules()
    annotations = _annotations(graph, mutants, mutants_source)
    if not name:
        name = graph_el.attrs.get("id", "") or (Path(source).stem if source else "")
    try:
        return BooleanNetwork(rules, name=name, annotations=annotations)
    except ModelError as exc:  # pragma: no cover - names are checked above
        raise ParseError(str(exc), source=source) from None


def _archive_member(data: bytes, path: Path) -> tuple[str, str | None]:
    """The regulatory graph (and the perturbations, if any) of a ``.zginml`` archive."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ParseError(f"damaged zip archive ({exc}); a .zginml is GINsim's zipped model", source=str(path)) from None
    with archive:
        names = archive.namelist()
        member = MEMBER if MEMBER in names else None
        if member is None:
            candidates = [n for n in names if n.endswith(".ginml")]
            member = candidates[0] if len(candidates) == 1 else None
        if member is None:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "") if names else "nothing"
            raise ParseError(f"a zip archive without {MEMBER}: not a GINsim model (it holds {shown})",
                             source=str(path))

        def read(name: str) -> str:
            info = archive.getinfo(name)
            if info.file_size > MAX_MEMBER_BYTES:
                raise ParseError(f"{name} would unpack to {info.file_size} bytes (limit {MAX_MEMBER_BYTES})",
                                 source=str(path))
            try:
                raw = archive.read(name)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
                raise ParseError(f"cannot unpack {name}: {exc}", source=str(path)) from None
            return decode_text(raw, source=f"{path}/{name}")

        text = read(member)
        mutants = read(MUTANTS) if MUTANTS in names else None
    return text, mutants


def read_ginml(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a GINsim model: a ``.zginml`` archive or a plain ``.ginml`` file (told apart by content).

    Raises
    ------
    ParseError
        A zip archive without a GINsim regulatory graph, a damaged archive, malformed
        GINML (with the member's name, line and column).

    Examples
    --------
    >>> import os, tempfile, zipfile
    >>> folder = tempfile.mkdtemp()
    >>> with zipfile.ZipFile(os.path.join(folder, "notes.zginml"), "w") as z:
    ...     z.writestr("readme.txt", "hello")
    >>> read_ginml(os.path.join(folder, "notes.zginml"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: .../notes.zginml: a zip archive without ...: not a GINsim model (it holds readme.txt)
    """
    path = Path(path)
    data = path.read_bytes()
    mutants = None
    if data.startswith(_ZIP_MAGIC):
        text, mutants = _archive_member(data, path)
        source = f"{path}/{MEMBER}"
    else:
        if path.suffix.lower() == ".zginml":
            raise ParseError("not a zip archive: a .zginml file is GINsim's zipped model", source=str(path))
        text = decode_text(data, source=str(path))
        source = str(path)
    return parse_ginml(text, source=source, name="", mutants=mutants, mutants_source=f"{path}/{MUTANTS}")
