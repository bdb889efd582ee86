"""SBML-qual (SBML Level 3 Qualitative Models), read and written with python-libsbml.

SBML-qual is the exchange format of GINsim, CellCollective, BoolNet, AEON,
pyboolnet and most other logical-modelling tools.  A Boolean network becomes:

* one ``qualitativeSpecies`` per node (``maxLevel="1"``); free inputs are
  ``constant="true"`` species without a transition;
* one ``transition`` per other node, with its regulators as inputs (``sign``
  positive/negative/dual/unknown from the rule), one output
  (``assignmentLevel``), ``defaultTerm resultLevel="0"`` and one ``functionTerm
  resultLevel="1"`` whose MathML is the rule (each variable written
  ``X == 1``, as GINsim does); constant nodes have only a default term;
* node names: species IDs are the names with characters SBML forbids replaced
  by ``_``; the species ``name`` is the node's label (or its name);
* annotations: HGNC symbols (``bqbiol:is`` ``identifiers.org/hgnc.symbol``), UniProt
  accessions where the metadata has them (``bqbiol:is`` ``identifiers.org/uniprot``) and
  the DOIs of a node's references (``bqbiol:isDescribedBy``) as MIRIAM
  annotations; the node's note as the species' XHTML notes; everything else
  signet knows (exact node names, aliases, modules, drugs, references,
  phenotypes, contexts, treatment and baseline) in an annotation block of the
  namespace :data:`SIGNET_NS`, so that signet -> SBML -> signet loses nothing.

Reading accepts what other tools write: ``functionTerm`` math built from
``and or not xor implies``, the comparisons ``eq neq geq gt lt leq`` between a
species and a level, ``true``/``false`` and bare species names.  Function terms
are tried in order; the first that holds gives the level, else the default
term's.  Species with ``maxLevel`` above 1 are an error unless
``multivalued="bits"`` asks for the Boolean conversion with level bits
``X_b1 .. X_bm`` (``X_bk`` = "X is at least k"; see :func:`parse_sbml`).

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("A, A\\nB, A & !C\\nC, B | C\\n")
>>> text = generate_sbml(net)
>>> back = parse_sbml(text)
>>> back.is_equivalent(net), back.inputs
(True, ('A',))
"""

from __future__ import annotations

import math
import os
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from ..annotations import Annotations, NodeInfo, Reference, ScreenDefaults
from ..errors import InputError, ModelError, ParseError, SignetWarning
from ..expr import (
    FALSE,
    MAX_TRUTH_TABLE_VARIABLES,
    TRUE,
    And,
    Const,
    Expr,
    Not,
    Or,
    Var,
    edge_sign,
    fold_constants,
    fold_tree,
    is_valid_name,
    render,
    substitute,
    to_bnet,
    variables,
)
from ..model import BooleanNetwork
from . import register_format
from .files import (
    atomic_write_text,
    read_input_text,
    require_network,
    require_path,
    require_text,
)
from .schema import Located, dotted, validate

__all__ = ["SIGNET_NS", "parse_sbml", "read_sbml", "read_sbml_bits", "generate_sbml", "write_sbml"]

#: XML namespace of signet's own annotation blocks (stable; versioned by the trailing number).
SIGNET_NS = "https://signet.example/ns/sbml-annotations/1"

QUAL_NS = "http://www.sbml.org/sbml/level3/version1/qual/version1"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_HGNC_RE = re.compile(r"identifiers\.org/hgnc\.symbol[/:](.+)$")
_UNIPROT_RE = re.compile(r"(?:identifiers\.org/uniprot[/:]|purl\.uniprot\.org/uniprot/)([A-Z0-9]+(?:-\d+)?)$")
_DOI_RE = re.compile(r"(?:identifiers\.org/doi[/:]|doi\.org/|^doi:)(10\..+)$")

register_format("sbml", "signet.io.sbml", (".sbml", ".xml"), read=True, write=True)
# the same reader with multi-valued species converted to level bits (``--from sbml_bits``)
register_format("sbml_bits", "signet.io.sbml", (), read=True, write=False)


def _libsbml() -> Any:
    import libsbml

    return libsbml


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _ast_names() -> dict[int, str]:
    libsbml = _libsbml()
    out: dict[int, str] = {}
    for attr in dir(libsbml):
        if attr.startswith("AST_"):
            value = getattr(libsbml, attr)
            if isinstance(value, int):
                name = attr[4:].lower()
                for prefix in ("logical_", "relational_", "function_", "constant_"):
                    if name.startswith(prefix):
                        name = name[len(prefix):]
                out.setdefault(value, name)
    return out


class _Reader:
    """State of one SBML-qual import (species, levels, error positions)."""

    def __init__(self, source: str | None, multivalued: str, shift: int = 0) -> None:
        self.source = source
        self.multivalued = multivalued
        self.shift = shift  # characters added before the first line (see _read_document)
        self.transition: Any = None  # the transition being read
        self.max_level: dict[str, int] = {}  # species id -> maxLevel
        self.node_of: dict[str, str] = {}  # species id -> node name (Boolean species)
        self.ast_names = _ast_names()

    def error(self, message: str, element: Any = None) -> ParseError:
        line = column = None
        if element is not None:
            line = element.getLine() or None
            column = element.getColumn() or None
            if line == 1 and column:
                column = max(1, column - self.shift)
        return ParseError(message, source=self.source, line=line, column=column)

    def describe(self, element: Any) -> str:
        """'transition tr_X' (the transition being read, if any), then the element."""
        text = _describe(element)
        if self.transition is not None and element is not self.transition:
            text = f"{_describe(self.transition)}, {text}"
        return text

    # -- levels -------------------------------------------------------------
    def at_least(self, species: str, level: int, where: Any) -> Expr:
        """The Boolean expression for "species >= level"."""
        if species not in self.max_level:
            raise self.error(f"{self.describe(where)}: <ci>{species}</ci> is not a qualitative species", where)
        top = self.max_level[species]
        if level <= 0:
            return TRUE
        if level > top:
            return FALSE
        if top == 1:
            return Var(self.node_of[species])
        # "X >= k" is X_b1 & ... & X_bk (as in the Biodivine Boolean Models), so that the
        # rules agree with that corpus also on states with X_b(k+1) = 1 but X_bk = 0
        bits = tuple(Var(f"{self.node_of[species]}_b{j}") for j in range(1, level + 1))
        return bits[0] if len(bits) == 1 else And(bits)

    def equals(self, species: str, level: int, where: Any) -> Expr:
        if self.max_level.get(species) == 1 and level in (0, 1):  # the common case, kept small
            var = Var(self.node_of[species])
            return var if level == 1 else Not(var)
        above = Not(self.at_least(species, level + 1, where))
        return fold_constants(And((self.at_least(species, level, where), above)))

    # -- MathML -------------------------------------------------------------
    def condition(self, root: Any, where: Any) -> Expr:
        """Translate a Boolean-valued MathML AST into an expression (iteratively: any depth)."""
        connectives = _connectives()
        out: list[Expr] = []
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kind = connectives.get(node.getType())
            if kind is None:
                out.append(self.atom(node, where))
                continue
            n = node.getNumChildren()
            if not ready:
                self.check_arity(kind, n, where)
                stack.append((node, True))
                stack.extend((node.getChild(i), False) for i in range(n - 1, -1, -1))
                continue
            args = out[len(out) - n:]
            del out[len(out) - n:]
            out.append(_connect(kind, args))
        return out[0]

    def check_arity(self, kind: str, n: int, where: Any) -> None:
        from .. import limits

        if kind == "not" and n != 1:
            raise self.error(f"{self.describe(where)}: <not> takes one argument, not {n}", where)
        if kind == "implies" and n != 2:
            raise self.error(f"{self.describe(where)}: <implies> takes two arguments, not {n}", where)
        if kind == "xor" and n > limits.LIMITS.sbml_arity:
            raise self.error(f"{self.describe(where)}: <xor> of {n} arguments; the limit is "
                             f"{limits.LIMITS.sbml_arity} (its Boolean form grows with the square of the arity)", where)

    def atom(self, node: Any, where: Any) -> Expr:
        """A constant, a bare species name or a comparison."""
        libsbml = _libsbml()
        t = node.getType()
        if t == libsbml.AST_CONSTANT_TRUE:
            return TRUE
        if t == libsbml.AST_CONSTANT_FALSE:
            return FALSE
        if t == libsbml.AST_NAME:
            return self.at_least(node.getName(), 1, where)
        op = _relations().get(t)
        if op is not None:
            return self.comparison(op, [node.getChild(i) for i in range(node.getNumChildren())], where)
        raise self.error(f"{self.describe(where)}: unsupported MathML element <{self.ast_names.get(t, t)}> "
                         "(SBML-qual rules use and, or, not, xor, implies, eq, neq, geq, gt, lt, leq, true, false)",
                         where)

    def level(self, node: Any, where: Any) -> int:
        libsbml = _libsbml()
        sign = 1
        while node.getType() == libsbml.AST_MINUS and node.getNumChildren() == 1:  # -(-(k))
            sign, node = -sign, node.getChild(0)
        t = node.getType()
        if t == libsbml.AST_INTEGER:
            return sign * int(node.getValue())
        if t in (libsbml.AST_REAL, libsbml.AST_REAL_E, libsbml.AST_RATIONAL):
            value = node.getValue()
            if math.isfinite(value) and float(value).is_integer():
                return sign * int(value)
            raise self.error(f"{self.describe(where)}: level {value} is not an integer", where)
        found = self.ast_names.get(t, t)
        raise self.error(f"{self.describe(where)}: expected an integer level (<cn>), found <{found}>", where)

    def comparison(self, op: str, kids: list[Any], where: Any) -> Expr:
        libsbml = _libsbml()
        if len(kids) != 2:
            raise self.error(f"{self.describe(where)}: <{op}> must compare a species with a level", where)
        left, right = kids
        if left.getType() != libsbml.AST_NAME and right.getType() == libsbml.AST_NAME:
            left, right = right, left
            op = {"eq": "eq", "neq": "neq", "geq": "leq", "gt": "lt", "lt": "gt", "leq": "geq"}[op]
        if left.getType() != libsbml.AST_NAME:
            raise self.error(f"{self.describe(where)}: <{op}> must compare a species (<ci>) with a level (<cn>)", where)
        species = left.getName()
        k = self.level(right, where)
        if op == "eq":
            return self.equals(species, k, where)
        if op == "neq":
            return Not(self.equals(species, k, where))
        if op in ("geq", "gt"):
            return self.at_least(species, k + (op == "gt"), where)
        return Not(self.at_least(species, k + (op == "leq"), where))  # lt, leq


@lru_cache(maxsize=1)
def _connectives() -> dict[int, str]:
    libsbml = _libsbml()
    out = {libsbml.AST_LOGICAL_NOT: "not", libsbml.AST_LOGICAL_AND: "and", libsbml.AST_LOGICAL_OR: "or",
           libsbml.AST_LOGICAL_XOR: "xor"}
    if hasattr(libsbml, "AST_LOGICAL_IMPLIES"):
        out[libsbml.AST_LOGICAL_IMPLIES] = "implies"
    return out


@lru_cache(maxsize=1)
def _relations() -> dict[int, str]:
    libsbml = _libsbml()
    return {
        libsbml.AST_RELATIONAL_EQ: "eq", libsbml.AST_RELATIONAL_NEQ: "neq", libsbml.AST_RELATIONAL_GEQ: "geq",
        libsbml.AST_RELATIONAL_GT: "gt", libsbml.AST_RELATIONAL_LT: "lt", libsbml.AST_RELATIONAL_LEQ: "leq",
    }


def _xor(args: list[Expr]) -> Expr:
    """Exclusive or of ``args`` as a balanced tree (size grows with the square of the arity,
    not exponentially as a left-to-right chain of ``(a & !b) | (!a & b)`` does)."""
    if not args:
        return FALSE
    level = list(args)
    while len(level) > 1:
        paired: list[Expr] = [Or((And((a, Not(b))), And((Not(a), b)))) for a, b in zip(level[::2], level[1::2])]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _connect(kind: str, args: list[Expr]) -> Expr:
    if kind == "not":
        return Not(args[0])
    if kind == "implies":
        return Or((Not(args[0]), args[1]))
    if kind == "xor":
        return _xor(args)
    if not args:
        return TRUE if kind == "and" else FALSE
    if len(args) == 1:
        return args[0]
    return And(tuple(args)) if kind == "and" else Or(tuple(args))


def _describe(element: Any) -> str:
    """'transition tr_X' / 'qualitativeSpecies X' for messages."""
    name = element.getElementName() if element is not None else "element"
    ident = element.getId() if element is not None and element.isSetId() else ""
    return f"{name} {ident}".strip()


def _check_read_errors(doc: Any, source: str | None, shift: int = 0) -> None:
    libsbml = _libsbml()
    # Malformed XML and fatal errors stop the import.  Schema errors of SBML itself
    # (e.g. the missing compartment of species written by some tools) do not: signet
    # checks what it uses (ids, levels, transitions, math) itself.
    ignored = (libsbml.MissingXMLDecl, libsbml.MissingXMLEncoding)
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        severity = err.getSeverity()
        if severity < libsbml.LIBSBML_SEV_FATAL and (severity < libsbml.LIBSBML_SEV_ERROR
                                                     or err.getErrorId() >= 10000 or err.getErrorId() in ignored):
            continue
        message = " ".join(err.getMessage().split())
        line, column = err.getLine() or None, err.getColumn() or None
        if line == 1 and column:
            column = max(1, column - shift)
        raise ParseError(f"invalid SBML ({err.getShortMessage() or 'error'}): {message}", source=source,
                         line=line, column=column)


def _check_xml_shape(text: str, source: str | None) -> tuple[int, int] | None:
    """Refuse XML nested deeper than the limit before libsbml (recursive C++) reads it;
    return the position of the root element.

    Malformed XML is left to libsbml, whose messages are the ones users know.
    """
    from xml.parsers import expat

    from .. import limits

    bound = limits.LIMITS.xml_depth
    parser = expat.ParserCreate()
    depth = [0]
    root: list[tuple[int, int]] = []

    def start(_name: str, _attrs: Any) -> None:
        if not root:
            root.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        depth[0] += 1
        if depth[0] > bound:
            raise ParseError(f"XML nested more than {bound} elements deep", source=source,
                             line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1)

    def end(_name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError:
        pass
    return root[0] if root else None


def _text_of_notes(element: Any) -> str:
    if not element.isSetNotes():
        return ""
    try:
        root = ET.fromstring(element.getNotesString())
    except ET.ParseError:
        return ""
    paragraphs = []
    for p in root.iter():
        if p.tag in (f"{{{_XHTML_NS}}}p", "p"):
            paragraphs.append("".join(p.itertext()).strip())
    if not paragraphs:
        paragraphs = [" ".join("".join(root.itertext()).split())]
    return "\n".join(x for x in paragraphs if x)


def _miriam(element: Any) -> dict[str, list[str]]:
    """URIs of the element's MIRIAM annotations, by qualifier (``is``, ``isDescribedBy``, ...)."""
    libsbml = _libsbml()
    out: dict[str, list[str]] = {}
    terms = element.getCVTerms() if element.isSetAnnotation() else None
    if not terms:
        return out
    for term in terms:
        if term.getQualifierType() == libsbml.BIOLOGICAL_QUALIFIER:
            qual = libsbml.BiolQualifierType_toString(term.getBiologicalQualifierType())
        else:
            qual = libsbml.ModelQualifierType_toString(term.getModelQualifierType())
        resources = term.getResources()
        out.setdefault(qual, []).extend(resources.getValue(i) for i in range(resources.getLength()))
    return out


def parse_sbml(
    text: str,
    *,
    source: str | None = None,
    name: str = "",
    multivalued: str = "error",
) -> BooleanNetwork:
    """Parse SBML-qual text into a :class:`~signet.model.BooleanNetwork`.

    Parameters
    ----------
    text
        The SBML document.
    source
        File name for error messages.
    name
        Network name (defaults to the model's name or id, else the file stem).
    multivalued
        ``"error"`` (default): a species with ``maxLevel`` > 1 is a :class:`ParseError`.
        ``"bits"``: convert it to Boolean level bits ``X_b1 .. X_bm`` where ``X_bk``
        means "X >= k" (the convention of the Biodivine Boolean Models and bioLQM).
        Comparisons become bits (``X >= 2`` -> ``X_b1 & X_b2``, ``X == 1`` -> ``X_b1 & !X_b2``) and
        the bits move one level at a time: ``X_bk' = (F >= k & X_b(k-1)) | (X_bk & X_b(k+1))``
        (with ``X_b0 = 1``, ``X_b(m+1) = 0``), so that on admissible states
        (``X_b1 >= X_b2 >= ...``) the asynchronous dynamics is GINsim's unitary-step dynamics.

    Raises
    ------
    ParseError
        Malformed XML, SBML without the qual package, duplicate IDs, a transition
        without output, unknown MathML operators, multi-valued species (unless
        ``multivalued="bits"``), a ``maxLevel`` below 0 or above the limit, XML nested
        deeper than the limit, a malformed signet annotation block: each names the
        element and the line.

    Notes
    -----
    A node is named by the exact name signet stored in its annotation, else by the
    species ``name`` when every species has a distinct name that is a valid node name,
    else by the species ``id``; a species name that differs becomes the node's label.

    Examples
    --------
    >>> parse_sbml("<sbml><model></sbml>", source="m.sbml")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.sbml:1:...: invalid SBML (XML tag mismatch): ...
    """
    require_text(text)
    if multivalued not in ("error", "bits"):
        raise InputError(f"multivalued must be 'error' or 'bits', not {multivalued!r}")
    doc, shift = _read_document(text, source)
    model, plugin = _qual_model(doc, source)
    reader = _Reader(source, multivalued, shift)
    species_list, transitions = _elements(reader, model, plugin)
    _name_species(reader, species_list)
    targets = _read_transitions(reader, transitions)
    rules: dict[str, Expr] = {}
    for sp in species_list:
        rules.update(_species_rules(reader, sp, targets))
    if len(rules) != sum(reader.max_level.values()):
        raise ParseError("level-bit names collide with other species names", source=source)
    annotations = _read_annotations(model, species_list, reader, source)
    if not name:
        name = model.getName() if model.isSetName() else model.getId() if model.isSetId() else ""
        if not name and source:
            name = Path(source).stem
    return BooleanNetwork(rules, name=name, annotations=annotations)


def _read_document(text: str, source: str | None) -> tuple[Any, int]:
    """The libsbml document, and the characters added before line 1 (for column numbers)."""
    libsbml = _libsbml()
    root = _check_xml_shape(text, source)
    # libsbml adds an XML declaration line to text without one, which would shift every
    # reported line; add one on the first line ourselves (and correct columns there).
    shift = 0
    if not text.lstrip("\ufeff").startswith("<?xml"):
        declaration = '<?xml version="1.0" encoding="UTF-8"?>'
        text, shift = declaration + text, len(declaration)
    doc = libsbml.readSBMLFromString(text)
    _check_read_errors(doc, source, shift)
    _check_namespace(doc, source, root)
    return doc, shift


def _check_namespace(doc: Any, source: str | None, root: tuple[int, int] | None) -> None:
    """The ``<sbml>`` element must be in the SBML namespace of its level and version."""
    libsbml = _libsbml()
    expected = libsbml.SBMLNamespaces.getSBMLNamespaceURI(doc.getLevel(), doc.getVersion())
    ns = doc.getNamespaces()
    found = [ns.getURI(i) for i in range(ns.getLength() if ns is not None else 0) if not ns.getPrefix(i)]
    if expected not in found:
        shown = repr(found[0]) if found else "none"
        raise ParseError(f"the <sbml> element's namespace is {shown}, not SBML Level {doc.getLevel()} Version "
                         f"{doc.getVersion()}'s {expected!r}", source=source, line=root[0] if root else None,
                         column=root[1] if root else None)


def _qual_model(doc: Any, source: str | None) -> tuple[Any, Any]:
    model = doc.getModel()
    if model is None:
        ns = doc.getNamespaces()
        uri = ns.getURI(0) if ns is not None and ns.getLength() else ""
        hint = f" (the document's namespace {uri!r} is not SBML's)" if uri and "sbml.org" not in uri else ""
        raise ParseError(f"no <model> element: not an SBML model{hint}", source=source, line=1, column=1)
    plugin = model.getPlugin("qual")
    if plugin is None or not doc.isPackageEnabled("qual"):
        raise ParseError(
            "SBML without the qual package (qualitative models): signet reads logical models only; "
            f"this looks like a quantitative (reaction) model, or the qual namespace is not {QUAL_NS!r}",
            source=source, line=model.getLine() or None, column=model.getColumn() or None,
        )
    return model, plugin


def _elements(reader: _Reader, model: Any, plugin: Any) -> tuple[list[Any], list[Any]]:
    """The species and transitions, with every id checked to be unique."""
    from .. import limits

    species_list = [plugin.getQualitativeSpecies(i) for i in range(plugin.getNumQualitativeSpecies())]
    if not species_list:
        raise reader.error("the model has no qualitative species", model)
    if len(species_list) > limits.LIMITS.nodes:
        raise reader.error(f"the model has {len(species_list):,} species; the limit is {limits.LIMITS.nodes:,}",
                           model)
    transitions = [plugin.getTransition(i) for i in range(plugin.getNumTransitions())]
    ids_seen: dict[str, Any] = {}
    for sp in species_list:
        if not sp.isSetId():
            raise reader.error("qualitativeSpecies without an id", sp)
    elements = list(species_list)
    for tr in transitions:
        elements.append(tr)
        elements.extend(tr.getListOfInputs())
        elements.extend(tr.getListOfOutputs())
    for element in elements:
        if not element.isSetId():
            continue
        ident = element.getId()
        other = ids_seen.setdefault(ident, element)
        if other is not element:
            raise reader.error(
                f"duplicate id {ident!r} ({element.getElementName()}; already used by the "
                f"{other.getElementName()} on line {other.getLine()})", element)
    return species_list, transitions


def _name_species(reader: _Reader, species_list: list[Any]) -> None:
    """Node name and maxLevel of every species (see the Notes of :func:`parse_sbml`)."""
    names_attr = {sp.getId(): (sp.getName() if sp.isSetName() else "") for sp in species_list}
    stored = {}
    for sp in species_list:
        block = _signet_block(sp, "node", reader.source)
        if block is not None and block.attrs.get("name") and is_valid_name(block.attrs["name"]):
            stored[sp.getId()] = block.attrs["name"]
    use_names = all(is_valid_name(v) for v in names_attr.values()) and \
        len(set(names_attr.values())) == len(names_attr)
    for sp in species_list:
        sid = sp.getId()
        reader.node_of[sid] = stored.get(sid) or (names_attr[sid] if use_names else sid)
        reader.max_level[sid] = _max_level(reader, sp)
    if len(set(reader.node_of.values())) != len(reader.node_of):
        reader.node_of = {sid: sid for sid in reader.node_of}


def _max_level(reader: _Reader, sp: Any) -> int:
    from .. import limits

    sid = sp.getId()
    top = sp.getMaxLevel() if sp.isSetMaxLevel() else 1
    if top < 0:
        raise reader.error(f"qualitativeSpecies {sid}: maxLevel {top} is negative", sp)
    if top > limits.LIMITS.sbml_max_level:
        raise reader.error(f"qualitativeSpecies {sid}: maxLevel {top} is above the limit "
                           f"{limits.LIMITS.sbml_max_level}", sp)
    top = max(top, 1)
    if top > 1 and reader.multivalued == "error":
        raise reader.error(
            f"qualitativeSpecies {sid} is multi-valued (maxLevel {top}); signet models are Boolean. "
            "Read it with multivalued='bits' (command line: --from sbml_bits) to convert it to "
            f"level bits {sid}_b1..{sid}_b{top}", sp)
    return top


#: species id -> (transition, [(condition, level)], default level or None)
_Targets = dict[str, tuple[Any, list[tuple[Expr, int]], "int | None"]]


def _read_transitions(reader: _Reader, transitions: list[Any]) -> _Targets:
    targets: _Targets = {}
    for tr in transitions:
        reader.transition = tr
        outputs = [tr.getOutput(i) for i in range(tr.getNumOutputs())]
        if not outputs:
            raise reader.error(f"{_describe(tr)} has no output: it does not say which species it updates", tr)
        for inp in (tr.getInput(i) for i in range(tr.getNumInputs())):
            if inp.getQualitativeSpecies() not in reader.max_level:
                raise reader.error(f"{_describe(tr)}: input {inp.getQualitativeSpecies()!r} is not a "
                                   "qualitative species", inp)
        terms, default = _transition_terms(reader, tr)
        for out in outputs:
            sid = out.getQualitativeSpecies()
            if sid not in reader.max_level:
                raise reader.error(f"{_describe(tr)}: output {sid!r} is not a qualitative species", out)
            if sid in targets:
                raise reader.error(
                    f"{_describe(tr)}: species {sid} is already the output of transition "
                    f"{targets[sid][0].getId()} (line {targets[sid][0].getLine()})", tr)
            targets[sid] = (tr, terms, default)
    reader.transition = None
    return targets


def _transition_terms(reader: _Reader, tr: Any) -> tuple[list[tuple[Expr, int]], int | None]:
    terms: list[tuple[Expr, int]] = []
    default = tr.getDefaultTerm().getResultLevel() if tr.isSetDefaultTerm() else None
    for ft in (tr.getFunctionTerm(i) for i in range(tr.getNumFunctionTerms())):
        if not ft.isSetMath():
            raise reader.error(f"{_describe(tr)}: functionTerm without math", ft)
        if not ft.isSetResultLevel():
            raise reader.error(f"{_describe(tr)}: functionTerm without resultLevel", ft)
        terms.append((reader.condition(ft.getMath(), ft if ft.getLine() else tr), ft.getResultLevel()))
    if terms and default is None:
        raise reader.error(f"{_describe(tr)}: functionTerms without a defaultTerm", tr)
    return terms, default


def _species_rules(reader: _Reader, sp: Any, targets: _Targets) -> dict[str, Expr]:
    """The rule of a Boolean species, or of each level bit of a multi-valued one."""
    sid = sp.getId()
    node = reader.node_of[sid]
    top = reader.max_level[sid]
    at_least = _level_conditions(reader, sp, targets)
    if at_least is None:  # no transition (or one without function): a free input
        if top == 1:
            return {node: Var(node)}
        return {f"{node}_b{k}": Var(f"{node}_b{k}") for k in range(1, top + 1)}
    if top == 1:
        return {node: fold_constants(at_least[1]) if _has_constant(at_least[1]) else at_least[1]}
    rules: dict[str, Expr] = {}
    for k in range(1, top + 1):
        below = TRUE if k == 1 else Var(f"{node}_b{k - 1}")
        above = FALSE if k == top else Var(f"{node}_b{k + 1}")
        rules[f"{node}_b{k}"] = fold_constants(Or((And((at_least[k], below)), And((Var(f"{node}_b{k}"), above)))))
    return rules


def _level_conditions(reader: _Reader, sp: Any, targets: _Targets) -> dict[int, Expr] | None:
    """``{k: "the species' next level is >= k"}``, or None for a free input."""
    sid = sp.getId()
    top = reader.max_level[sid]
    if sid in targets and (targets[sid][1] or targets[sid][2] is not None):
        tr, terms, default = targets[sid]
        for value in [default] + [lv for _c, lv in terms]:
            if value is not None and not 0 <= value <= top:
                raise reader.error(f"{_describe(tr)}: result level {value} outside 0..{top} of {sid}", tr)
        return {k: _at_least_result(terms, default or 0, k) for k in range(1, top + 1)}
    if sp.isSetConstant() and sp.getConstant() and sp.isSetInitialLevel() and sid not in targets:
        init = sp.getInitialLevel()
        if not 0 <= init <= top:
            raise reader.error(f"initialLevel {init} of {sid} is outside 0..{top}", sp)
        return {k: TRUE if k <= init else FALSE for k in range(1, top + 1)}
    return None


def _has_constant(expr: Expr) -> bool:
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Const):
            return True
        if isinstance(e, Not):
            stack.append(e.arg)
        elif isinstance(e, (And, Or)):
            stack.extend(e.args)
    return False


def _signs(rule: Expr, names: list[str]) -> dict[str, str]:
    """Sign of each regulator in ``rule``: ``+``, ``-``, ``?`` (both) or ``0`` (no effect), from one truth table."""
    import numpy as np

    from ..expr import truth_table

    if len(names) > MAX_TRUTH_TABLE_VARIABLES:
        return {n: edge_sign(rule, n) for n in names}
    table = truth_table(rule, names)
    out = {}
    for j, name in enumerate(names):
        shaped = table.reshape((-1, 2, 1 << j))
        low, high = shaped[:, 0, :], shaped[:, 1, :]
        up, down = bool(np.any(high & ~low)), bool(np.any(low & ~high))
        out[name] = "?" if up and down else "+" if up else "-" if down else "0"
    return out


def _at_least_result(terms: list[tuple[Expr, int]], default: int, k: int) -> Expr:
    """"The transition's result level is >= k", with first-matching-term semantics."""
    result: Expr = TRUE if default >= k else FALSE
    if len(terms) == 1 and default < k <= terms[0][1]:  # the common "1 when the math holds"
        return terms[0][0]
    if len(terms) == 1 and terms[0][1] < k <= default:  # "0 when the math holds"
        return Not(terms[0][0])
    for condition, level in reversed(terms):
        hit = TRUE if level >= k else FALSE
        result = Or((And((condition, hit)), And((Not(condition), result))))
    return fold_constants(result)


# -- the signet annotation blocks -----------------------------------------------------------
class _Block:
    """One element of a signet annotation block: tag, attributes, text, children, position."""

    __slots__ = ("tag", "attrs", "text", "children", "line", "column")

    def __init__(self, node: Any) -> None:
        self.tag = node.getName()
        self.attrs = {node.getAttrName(i): node.getAttrValue(i) for i in range(node.getAttributesLength())}
        self.line = node.getLine() or None
        self.column = node.getColumn() or None
        self.children: list[_Block] = []
        texts = []
        for i in range(node.getNumChildren()):
            child = node.getChild(i)
            if child.isText():
                texts.append(child.getCharacters())
            elif child.getURI() == SIGNET_NS:
                self.children.append(_Block(child))
        self.text = "".join(texts)

    def all(self, tag: str) -> list["_Block"]:
        return [c for c in self.children if c.tag == tag]

    @property
    def position(self) -> tuple[int, int | None]:
        return (self.line or 0, self.column)


def _signet_block(element: Any, tag: str, source: str | None) -> _Block | None:
    """The ``<signet:TAG>`` block of ``element``'s annotation (a warning for another version)."""
    if not element.isSetAnnotation():
        return None
    annotation = element.getAnnotation()
    for i in range(annotation.getNumChildren()):
        child = annotation.getChild(i)
        uri = child.getURI()
        if uri == SIGNET_NS and child.getName() == tag:
            return _Block(child)
        if uri.startswith(SIGNET_NS.rsplit("/", 1)[0] + "/") and uri != SIGNET_NS:
            warnings.warn(SignetWarning(
                f"{source or '<text>'}:{child.getLine()}: signet annotation block of namespace {uri!r} ignored "
                f"(this version of signet reads {SIGNET_NS!r})"), stacklevel=3)
    return None


_MODEL_BLOCK_TAGS = (
    "description", "source", "reference", "treatment", "baseline", "baselineFraction", "score", "phenotype",
    "context", "screen", "rate",
)


def _rate_text(text: str | None) -> Any:
    """A rate attribute: as a number when it reads as one, else as found (the schema then names it)."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return text


def _rate_attribute(rate: Any) -> str:
    """A rate as an attribute: the number (exactly), or the text of a rate that depends on the state."""
    from ..rates import StateRate

    return str(rate) if isinstance(rate, StateRate) else repr(float(rate))


def _level_text(text: str | None) -> Any:
    """An attribute value that should be a level: as an int when it is one, else as found."""
    if text is not None and text.isdigit() and len(text) <= 18:
        return int(text)
    return text


def _number_text(text: str | None) -> Any:
    """An attribute value that should be a number: as a float when it is one, else as found."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return text


class _BlockReader:
    """Turns signet annotation blocks into metadata-shaped data with XML positions."""

    def __init__(self, source: str | None) -> None:
        self.located = Located({}, source, label=lambda path: "signet annotation block: " + dotted(path))

    def put(self, path: tuple[Any, ...], value: Any, block: _Block) -> None:
        target = self.located.data
        for step in path[:-1]:
            target = target.setdefault(step, {})
        if path[-1] in target:
            raise ParseError(f"signet annotation block: duplicate {dotted(path)}", source=self.located.source,
                             line=block.line, column=block.column)
        target[path[-1]] = value
        self.located.values[path] = block.position
        self.located.keys[path] = block.position

    def model(self, block: _Block) -> None:
        for child in block.children:
            if child.tag not in _MODEL_BLOCK_TAGS:
                raise ParseError(f"signet annotation block: unknown element <signet:{child.tag}> (expected "
                                 f"{', '.join(_MODEL_BLOCK_TAGS)})", source=self.located.source,
                                 line=child.line, column=child.column)
        self.located.values[()] = block.position
        if "title" in block.attrs:
            self.put(("model", "title"), block.attrs["title"], block)
        for child in block.all("description"):
            self.put(("model", "description"), child.text, child)
        for child in block.all("source"):
            self.put(("model", "source", child.attrs.get("key", "")), child.attrs.get("value"), child)
        for child in block.all("reference"):
            entry = {k: child.attrs[k] for k in ("doi", "citation") if k in child.attrs}
            self.put(("references", child.attrs.get("number", "")), entry, child)
        for kind in ("treatment", "baseline"):
            for child in block.all(kind):
                if kind == "treatment" and "schedule" in child.attrs:  # a treatment of several phases
                    self.put(("model", kind), child.attrs["schedule"], child)
                    continue
                self.put(("model", kind, child.attrs.get("node", "")), _level_text(child.attrs.get("value")), child)
        for child in block.all("baselineFraction"):  # metadata model.baseline_fractions
            self.put(("model", "baseline_fractions", child.attrs.get("node", "")),
                     _number_text(child.attrs.get("value")), child)
        for child in block.all("score"):  # written by signet before <signet:screen score=...>
            self.put(("model", "score"), child.attrs.get("value"), child)
        for child in block.all("screen"):  # the model's ScreenDefaults, one attribute per field
            for name, key in ScreenDefaults.KEYS.items():
                if name in child.attrs:
                    self.put(("model", key), child.attrs[name], child)
        self.dynamics(block)

    def dynamics(self, block: _Block) -> None:
        """The model block's phenotypes, flip rates (metadata ``rates``) and contexts."""
        for child in block.all("phenotype"):
            self.put(("phenotypes", child.attrs.get("name", "")), child.attrs.get("rule"), child)
        for child in block.all("rate"):
            rate = {k: _rate_text(child.attrs[k]) for k in ("up", "down") if k in child.attrs}
            self.put(("rates", child.attrs.get("node", "")), rate, child)
        for child in block.all("context"):
            self.context(child)

    def context(self, block: _Block) -> None:
        name = block.attrs.get("name", "")
        entry: dict[str, Any] = {k: block.attrs[k] for k in ("description",) if k in block.attrs}
        if "refs" in block.attrs:
            entry["refs"] = block.attrs["refs"].split()
        self.put(("contexts", name), entry, block)
        for fix in block.all("fix"):
            self.put(("contexts", name, "fix", fix.attrs.get("node", "")), _level_text(fix.attrs.get("value")), fix)

    def node(self, node: str, block: _Block) -> None:
        entry: dict[str, Any] = {}
        if "module" in block.attrs:
            entry["module"] = block.attrs["module"]
        if "refs" in block.attrs:
            entry["refs"] = block.attrs["refs"].split()
        if "label" in block.attrs:
            entry["name"] = block.attrs["label"]
        self.put(("nodes", node), entry, block)
        aliases = block.all("alias")
        if aliases:
            self.put(("nodes", node, "aliases"), [a.attrs.get("name") for a in aliases], block)
            for i, alias in enumerate(aliases):
                self.located.values[("nodes", node, "aliases", i)] = alias.position
        drugs = block.all("drug")
        if drugs:
            entries = [{k: (v.split() if k == "refs" else v) for k, v in d.attrs.items()} for d in drugs]
            self.put(("nodes", node, "drugs"), entries, block)
            for i, drug in enumerate(drugs):
                self.located.values[("nodes", node, "drugs", i)] = drug.position


def _read_annotations(model: Any, species_list: list[Any], reader: _Reader, source: str | None) -> Annotations:
    from .metadata import annotations_from_data, check_metadata

    blocks = _BlockReader(source)
    model_block = _signet_block(model, "model", source)
    if model_block is not None:
        blocks.model(model_block)
    boolean = [sp for sp in species_list if reader.max_level[sp.getId()] == 1]
    node_blocks = {}
    for sp in boolean:  # multi-valued species become bits: their node metadata is not kept
        block = _signet_block(sp, "node", source)
        if block is not None:
            node_blocks[sp.getId()] = block
            blocks.node(reader.node_of[sp.getId()], block)
    validate(blocks.located, "metadata")
    base = annotations_from_data(blocks.located.data, blocks.located)
    title, description = _title_and_description(model, model_block, base)
    references = dict(base.references)
    nodes = {}
    for sp in boolean:
        info = _species_info(sp, reader, base, sp.getId() in node_blocks, references)
        if info != NodeInfo():
            nodes[reader.node_of[sp.getId()]] = info
    # the signet block's metadata as read, with what the SBML itself says about the model and its species
    annotations = replace(base, title=title, description=description, references=references, nodes=nodes)
    node_names = [reader.node_of[s.getId()] for s in boolean]
    node_names += [f"{reader.node_of[s.getId()]}_b{k}" for s in species_list if reader.max_level[s.getId()] > 1
                   for k in range(1, reader.max_level[s.getId()] + 1)]
    try:
        check_metadata(annotations, tuple(node_names), located=blocks.located)
    except ParseError as exc:
        raise ParseError(f"signet annotation block: {exc.message}", source=source, line=exc.line,
                         column=exc.column) from None
    return annotations


def _title_and_description(model: Any, block: _Block | None, base: Annotations) -> tuple[str, str]:
    """From the signet block when it has them, else from the model's name and notes."""
    title = model.getName() if model.isSetName() else ""
    if block is not None and "title" in block.attrs:
        title = base.title
    if block is not None:
        return title, base.description
    return title, _text_of_notes(model)


def _species_info(sp: Any, reader: _Reader, base: Annotations, has_block: bool,
                  references: dict[str, Reference]) -> NodeInfo:
    """What the species' name, MIRIAM annotations, notes and signet block say about its node."""
    node = reader.node_of[sp.getId()]
    stored = base.nodes.get(node, NodeInfo())
    label = sp.getName() if sp.isSetName() and sp.getName() != node else ""
    if has_block and stored.label:
        label = stored.label
    miriam = _miriam(sp)
    hgnc = _first_match(_HGNC_RE, miriam.get("is", []) + miriam.get("hasVersion", []) + miriam.get("isEncodedBy", []))
    uniprot = _first_match(_UNIPROT_RE, miriam.get("is", []) + miriam.get("hasVersion", [])
                           + miriam.get("isEncodedBy", []))
    if has_block:
        refs = stored.refs
    else:
        by_doi = {r.doi: number for number, r in references.items() if r.doi}
        refs_list = []
        for uri in miriam.get("isDescribedBy", []):
            m = _DOI_RE.search(uri)
            if m:
                doi = m.group(1)
                number = by_doi.get(doi, doi)
                if number == doi:
                    references.setdefault(doi, Reference(doi, doi, ""))
                refs_list.append(number)
        refs = tuple(refs_list)
    return NodeInfo(label=label, hgnc=hgnc, uniprot=uniprot, aliases=stored.aliases, module=stored.module,
                    refs=refs, note=_text_of_notes(sp), drugs=stored.drugs)


def _first_match(pattern: re.Pattern[str], uris: list[str]) -> str | None:
    for uri in uris:
        m = pattern.search(uri)
        if m:
            return m.group(1)
    return None


def read_sbml(path: str | os.PathLike[str], *, multivalued: str = "error") -> BooleanNetwork:
    """Read an SBML-qual file (see :func:`parse_sbml`)."""
    path = Path(require_path(path))
    text = read_input_text(path)
    return parse_sbml(text, source=str(path), name="", multivalued=multivalued)


def read_sbml_bits(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read an SBML-qual file, converting multi-valued species to level bits (format ``sbml_bits``)."""
    return read_sbml(path, multivalued="bits")


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _sbml_ids(names: Iterable[str]) -> dict[str, str]:
    """Map node names to unique valid SBML SIds (``.`` and ``:`` become ``_``)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not re.match(r"[A-Za-z_]", base):
            base = "_" + base
        candidate, i = base, 2
        while candidate in used:
            candidate, i = f"{base}_{i}", i + 1
        used.add(candidate)
        out[name] = candidate
    return out


def _mathml_template(expr: Expr, _parent: int) -> tuple[str, str, str, int]:
    if isinstance(expr, Not):
        return "<apply><not/>", "", "</apply>", 0
    return f"<apply><{'and' if isinstance(expr, And) else 'or'}/>", "", "</apply>", 0


# _mathml and _infix are alike in shape (a leaf function handed to the one iterative renderer):
# the two output syntaxes differ in every string (justified repeat)
def _mathml(expr: Expr, ids: Mapping[str, str]) -> str:
    """MathML of ``expr`` (each variable as ``X == 1``), written iteratively."""

    def leaf(e: Expr) -> str:
        if isinstance(e, Var):
            return f'<apply><eq/><ci> {ids[e.name]} </ci><cn type="integer"> 1 </cn></apply>'
        return "<true/>" if e.value else "<false/>"  # type: ignore[attr-defined]  # a leaf that is not a Var is a Const

    return render(expr, leaf, _mathml_template)


#: names libsbml's infix parser reads as constants or symbols (case-insensitively)
_L3_RESERVED = {"true", "false", "pi", "e", "exponentiale", "avogadro", "time", "inf", "infinity", "nan",
                "notanumber"}


def _infix_template(expr: Expr, _parent: int) -> tuple[str, str, str, int]:
    if isinstance(expr, Not):
        return "!", "", "", 0
    return "(", " && " if isinstance(expr, And) else " || ", ")", 0


def _infix(expr: Expr, ids: Mapping[str, str]) -> str:
    """libsbml's L3 infix syntax of ``expr`` (each variable as ``(X == 1)``), written iteratively."""

    def leaf(e: Expr) -> str:
        if isinstance(e, Var):
            return f"({ids[e.name]} == 1)"
        return "true" if e.value else "false"  # type: ignore[attr-defined]  # a leaf that is not a Var is a Const

    return render(expr, leaf, _infix_template)


def _math_ast(rule: Expr, ids: Mapping[str, str]) -> Any:
    """The libsbml AST of ``rule`` (each variable as ``X == 1``).

    libsbml's infix parser is several times faster than its MathML reader and gives the
    same tree, unless a name is one it reads as a constant (``pi``, ``e``, ...).
    """
    libsbml = _libsbml()
    if not any(ids[n].lower() in _L3_RESERVED for n in variables(rule)):
        math = libsbml.parseL3Formula(_infix(rule, ids))
    else:
        math = libsbml.readMathMLFromString(f'<math xmlns="{_MATHML_NS}">{_mathml(rule, ids)}</math>')
    if math is None:
        raise ModelError(f"libsbml cannot build the math of {to_bnet(rule)!r}")
    return math


def _doi_uri(doi: str) -> str:
    return f"https://identifiers.org/doi:{doi}"


def generate_sbml(network: BooleanNetwork) -> str:
    """SBML-qual text (Level 3 Version 1, qual Version 1) for ``network``.

    The document passes libsbml's consistency checks.  See the module
    documentation for what goes where.

    Raises
    ------
    ModelError
        If libsbml cannot build the document.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> text = generate_sbml(parse_bnet("A, A\\nB, !A\\n"))
    >>> 'qual:sign="negative"' in text
    True
    """
    require_network(network)
    writer = _Writer(network)
    for node in network.nodes:
        writer.species(node)
    for node in network.nodes:
        if node not in writer.inputs:
            writer.transition(node)
    _model_block(writer.model, network, writer.ids)
    return str(_libsbml().writeSBMLToString(writer.doc))


def _depth(rule: Expr) -> int:
    return fold_tree(rule, lambda _e, kids: 1 + max(kids, default=0))


class _Writer:
    """One SBML-qual document being built from a network."""

    def __init__(self, network: BooleanNetwork) -> None:
        libsbml = _libsbml()
        self.network = network
        self.doc = libsbml.SBMLDocument(libsbml.SBMLNamespaces(3, 1, "qual", 1))
        self.doc.setPackageRequired("qual", True)
        model = self.model = self.doc.createModel()
        model_id = re.sub(r"[^A-Za-z0-9_]", "_", network.name or "model")
        if not re.match(r"[A-Za-z_]", model_id):
            model_id = "m_" + model_id
        _ok(model.setId(model_id), "model id")
        if network.name:
            model.setName(network.name)
        self.ids = _sbml_ids(network.nodes)
        comp = self.compartment = model.createCompartment()
        comp.setId("cell" if "cell" not in self.ids.values() else "cell_compartment")
        comp.setConstant(True)
        comp.setSpatialDimensions(3)  # size and units keep libsbml's unit checks free of warnings
        comp.setSize(1)
        comp.setUnits("litre")
        self.plugin = model.getPlugin("qual")
        self.inputs = set(network.inputs)
        self.index = {n: i for i, n in enumerate(network.nodes)}
        self.taken = set(self.ids.values()) | {comp.getId(), model_id}

    def fresh(self, base: str) -> str:
        candidate, i = base, 2
        while candidate in self.taken:
            candidate, i = f"{base}_{i}", i + 1
        self.taken.add(candidate)
        return candidate

    def species(self, node: str) -> None:
        libsbml = _libsbml()
        annotations = self.network.annotations
        sid = self.ids[node]
        info = annotations.nodes.get(node, NodeInfo())
        sp = self.plugin.createQualitativeSpecies()
        _ok(sp.setId(sid), f"species id {sid}")
        sp.setCompartment(self.compartment.getId())
        sp.setMaxLevel(1)
        sp.setConstant(node in self.inputs)
        sp.setName(info.label or node)
        sp.setMetaId(self.fresh(f"meta_{sid}"))
        block = _node_block(node, sid, info)
        if block:
            _ok(sp.setAnnotation(f"<annotation>{block}</annotation>"), f"annotation of {node}")
        if info.hgnc:
            _cv(sp, libsbml.BQB_IS, f"https://identifiers.org/hgnc.symbol:{info.hgnc}")
        if info.uniprot:
            _cv(sp, libsbml.BQB_IS, f"https://identifiers.org/uniprot:{info.uniprot}")
        for ref in info.refs:
            reference = annotations.references.get(ref)
            if reference is not None and reference.doi:
                _cv(sp, libsbml.BQB_IS_DESCRIBED_BY, _doi_uri(reference.doi))
        if info.note:
            _ok(sp.setNotes(_xhtml(info.note)), f"notes of {node}")

    def transition(self, node: str) -> None:
        from .. import limits

        libsbml = _libsbml()
        rule = self.network.rules[node]
        deepest = limits.LIMITS.xml_depth - 10  # the elements around the math
        if _depth(rule) > deepest:
            raise ModelError(f"the rule of {node} is nested {_depth(rule)} levels deep: SBML (MathML) export "
                             f"supports up to {deepest}")
        sid = self.ids[node]
        tr = self.plugin.createTransition()
        tr.setId(self.fresh(f"tr_{sid}"))
        regulators = sorted(variables(rule), key=self.index.__getitem__)
        signs = _signs(rule, regulators)
        dead = [r for r in regulators if signs[r] == "0"]
        if dead:
            # a name the function does not depend on: drop it (same function), since tools such
            # as AEON read every input as an observable regulation and reject the model otherwise
            rule = substitute(rule, {r: False for r in dead})
            regulators = [r for r in regulators if r not in dead]
        sign_codes = {"+": libsbml.INPUT_SIGN_POSITIVE, "-": libsbml.INPUT_SIGN_NEGATIVE, "?": libsbml.INPUT_SIGN_DUAL}
        for reg in regulators:
            inp = tr.createInput()
            inp.setId(self.fresh(f"tr_{sid}_in_{self.ids[reg]}"))
            inp.setQualitativeSpecies(self.ids[reg])
            inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
            inp.setSign(sign_codes.get(signs[reg], libsbml.INPUT_SIGN_UNKNOWN))
        out = tr.createOutput()
        out.setId(self.fresh(f"tr_{sid}_out"))
        out.setQualitativeSpecies(sid)
        out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        default = tr.createDefaultTerm()
        value = rule.value if isinstance(rule, Const) else None
        default.setResultLevel(int(value) if value is not None else 0)
        if value is None:
            term = tr.createFunctionTerm()
            term.setResultLevel(1)
            _ok(term.setMath(_math_ast(rule, self.ids)), f"math of {node}")


def _ok(code: int, what: str) -> None:
    libsbml = _libsbml()
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise ModelError(f"libsbml could not set the {what}: {libsbml.OperationReturnValue_toString(code)}")


def _cv(element: Any, qualifier: int, uri: str) -> None:
    libsbml = _libsbml()
    term = libsbml.CVTerm(libsbml.BIOLOGICAL_QUALIFIER)
    term.setBiologicalQualifierType(qualifier)
    term.addResource(uri)
    _ok(element.addCVTerm(term), f"MIRIAM annotation {uri}")


def _xhtml(text: str) -> str:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
    return f'<notes><body xmlns="{_XHTML_NS}">{paragraphs}</body></notes>'


def _attrs(**values: Any) -> str:
    return "".join(f" {k}={quoteattr(str(v))}" for k, v in values.items() if v not in (None, ""))


def _node_block(node: str, sid: str, info: NodeInfo) -> str:
    inner = "".join(f"<signet:alias{_attrs(name=a)}/>" for a in info.aliases)
    inner += "".join(
        f"<signet:drug{_attrs(name=d.name, action=d.action, refs=' '.join(d.refs))}/>" for d in info.drugs
    )
    attrs = _attrs(name=node, module=info.module, refs=" ".join(info.refs))
    if info.label and info.label == node:
        attrs += _attrs(label=info.label)  # the species name alone would not tell a label from the name
    return f'<signet:node xmlns:signet="{SIGNET_NS}"{attrs}>{inner}</signet:node>'


def _model_block(model: Any, network: BooleanNetwork, ids: Mapping[str, str]) -> None:
    ann = network.annotations
    parts = []
    parts += [f"<signet:source{_attrs(key=k, value=v)}/>" for k, v in ann.source.items()]
    parts += [f"<signet:reference{_attrs(number=r.number, doi=r.doi, citation=r.citation)}/>"
              for r in ann.references.values()]
    if ann.schedule:  # a treatment of several phases, e.g. the pulse 'RT=1 ; RT=0'
        parts.append(f"<signet:treatment{_attrs(schedule=ann.schedule)}/>")
    else:
        parts += [f"<signet:treatment{_attrs(node=k, value=v)}/>" for k, v in ann.treatment.items()]
    parts += [f"<signet:baseline{_attrs(node=k, value=v)}/>" for k, v in ann.baseline.items()]
    parts += [f"<signet:baselineFraction{_attrs(node=k, value=repr(v))}/>" for k, v in ann.baseline_fractions.items()]
    if ann.screen != ScreenDefaults():  # signet screen's defaults: score, metric, reference context
        parts.append(f"<signet:screen{_attrs(**{name: getattr(ann.screen, name) for name in ScreenDefaults.KEYS})}/>")
    parts += [f"<signet:phenotype{_attrs(name=k, rule=v)}/>" for k, v in ann.phenotypes.items()]
    parts += [f"<signet:rate{_attrs(node=k, up=_rate_attribute(up), down=_rate_attribute(down))}/>"
              for k, (up, down) in ann.rates.items()]
    for cname, ctx in ann.contexts.items():
        fixes = "".join(f"<signet:fix{_attrs(node=k, value=v)}/>" for k, v in ctx.fix.items())
        parts.append(f"<signet:context{_attrs(name=cname, description=ctx.description, refs=' '.join(ctx.refs))}>"
                     f"{fixes}</signet:context>")
    if ann.description:  # element text keeps line breaks (attribute values lose them)
        parts.insert(0, f"<signet:description>{escape(ann.description)}</signet:description>")
    attrs = _attrs(title=ann.title)
    block = f'<signet:model xmlns:signet="{SIGNET_NS}"{attrs}>{"".join(parts)}</signet:model>'
    _ok(model.setAnnotation(f"<annotation>{block}</annotation>"), "model annotation")
    if ann.description:
        _ok(model.setNotes(_xhtml(ann.description)), "model notes")


def write_sbml(network: BooleanNetwork, path: str | os.PathLike[str]) -> None:
    """Write ``network`` as SBML-qual (atomically: a half-written file never appears)."""
    atomic_write_text(path, generate_sbml(network))
