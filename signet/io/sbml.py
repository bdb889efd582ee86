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

import logging
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from ..annotations import Annotations, Context, Drug, NodeInfo, Reference
from ..errors import ModelError, ParseError
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
    is_valid_name,
    render,
    substitute,
    to_bnet,
    variables,
)
from ..model import BooleanNetwork
from . import register_format
from .files import atomic_write_text, read_input_text

if TYPE_CHECKING:  # pragma: no cover
    import libsbml

__all__ = ["SIGNET_NS", "parse_sbml", "read_sbml", "read_sbml_bits", "generate_sbml", "write_sbml"]

logger = logging.getLogger(__name__)

#: XML namespace of signet's own annotation blocks (stable; versioned by the trailing number).
SIGNET_NS = "https://signet.example/ns/sbml-annotations/1"

QUAL_NS = "http://www.sbml.org/sbml/level3/version1/qual/version1"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_HGNC_RE = re.compile(r"identifiers\.org/hgnc\.symbol[/:](.+)$")
_UNIPROT_RE = re.compile(r"(?:identifiers\.org/uniprot[/:]|purl\.uniprot\.org/uniprot/)([A-Z0-9]+(?:-\d+)?)$")
_DOI_RE = re.compile(r"(?:identifiers\.org/doi[/:]|doi\.org/|^doi:)(10\..+)$")
_UNIPROT_RE = re.compile(r"identifiers\.org/uniprot[/:](.+)$")

register_format("sbml", "signet.io.sbml", (".sbml", ".xml"), read=True, write=True)
# the same reader with multi-valued species converted to level bits (``--from sbml_bits``)
register_format("sbml_bits", "signet.io.sbml", (), read=True, write=False)


def _libsbml():
    import libsbml

    return libsbml


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _ast_names() -> dict[int, str]:
    libsbml = _libsbml()
    out = {}
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

    def __init__(self, source: str | None, multivalued: str) -> None:
        self.source = source
        self.multivalued = multivalued
        self.shift = 0  # characters added before the first line (see parse_sbml)
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
        return fold_constants(And((self.at_least(species, level, where), Not(self.at_least(species, level + 1, where)))))

    # -- MathML -------------------------------------------------------------
    def condition(self, node: Any, where: Any) -> Expr:
        """Translate a Boolean-valued MathML AST into an expression."""
        libsbml = _libsbml()
        t = node.getType()
        n = node.getNumChildren()
        kids = [node.getChild(i) for i in range(n)]
        if t == libsbml.AST_CONSTANT_TRUE:
            return TRUE
        if t == libsbml.AST_CONSTANT_FALSE:
            return FALSE
        if t == libsbml.AST_NAME:
            return self.at_least(node.getName(), 1, where)
        if t == libsbml.AST_LOGICAL_NOT:
            if n != 1:
                raise self.error(f"{self.describe(where)}: <not> takes one argument, not {n}", where)
            return Not(self.condition(kids[0], where))
        if t in (libsbml.AST_LOGICAL_AND, libsbml.AST_LOGICAL_OR):
            args = tuple(self.condition(k, where) for k in kids)
            if not args:
                return TRUE if t == libsbml.AST_LOGICAL_AND else FALSE
            if len(args) == 1:
                return args[0]
            return And(args) if t == libsbml.AST_LOGICAL_AND else Or(args)
        if t == libsbml.AST_LOGICAL_XOR:
            result: Expr = FALSE
            for k in kids:
                arg = self.condition(k, where)
                result = Or((And((result, Not(arg))), And((Not(result), arg))))
            return result
        if t == getattr(libsbml, "AST_LOGICAL_IMPLIES", -1):
            if n != 2:
                raise self.error(f"{self.describe(where)}: <implies> takes two arguments, not {n}", where)
            return Or((Not(self.condition(kids[0], where)), self.condition(kids[1], where)))
        relational = {
            libsbml.AST_RELATIONAL_EQ: "eq", libsbml.AST_RELATIONAL_NEQ: "neq", libsbml.AST_RELATIONAL_GEQ: "geq",
            libsbml.AST_RELATIONAL_GT: "gt", libsbml.AST_RELATIONAL_LT: "lt", libsbml.AST_RELATIONAL_LEQ: "leq",
        }
        if t in relational:
            return self.comparison(relational[t], kids, where)
        raise self.error(f"{self.describe(where)}: unsupported MathML element <{self.ast_names.get(t, t)}> "
                         "(SBML-qual rules use and, or, not, xor, implies, eq, neq, geq, gt, lt, leq, true, false)",
                         where)

    def level(self, node: Any, where: Any) -> int:
        libsbml = _libsbml()
        t = node.getType()
        if t == libsbml.AST_INTEGER:
            return int(node.getValue())
        if t in (libsbml.AST_REAL, libsbml.AST_REAL_E, libsbml.AST_RATIONAL):
            value = node.getValue()
            if float(value).is_integer():
                return int(value)
            raise self.error(f"{self.describe(where)}: level {value} is not an integer", where)
        if t == libsbml.AST_MINUS and node.getNumChildren() == 1:
            return -self.level(node.getChild(0), where)
        raise self.error(f"{self.describe(where)}: expected an integer level (<cn>), found <{self.ast_names.get(t, t)}>",
                         where)

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
        if op == "geq":
            return self.at_least(species, k, where)
        if op == "gt":
            return self.at_least(species, k + 1, where)
        if op == "lt":
            return Not(self.at_least(species, k, where))
        return Not(self.at_least(species, k + 1, where))  # leq


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
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        if err.getSeverity() >= libsbml.LIBSBML_SEV_FATAL or (
            err.getSeverity() >= libsbml.LIBSBML_SEV_ERROR and err.getErrorId() < 10000
            and err.getErrorId() not in (libsbml.MissingXMLDecl, libsbml.MissingXMLEncoding)
        ):
            message = " ".join(err.getMessage().split())
            line, column = err.getLine() or None, err.getColumn() or None
            if line == 1 and column:
                column = max(1, column - shift)
            raise ParseError(f"invalid SBML ({err.getShortMessage() or 'error'}): {message}", source=source,
                             line=line, column=column)


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


def _signet_block(element: Any, tag: str) -> ET.Element | None:
    if not element.isSetAnnotation():
        return None
    try:
        root = ET.fromstring(element.getAnnotationString())
    except ET.ParseError:
        return None
    return root.find(f"{{{SIGNET_NS}}}{tag}")


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


def _split_refs(text: str | None) -> tuple[str, ...]:
    return tuple(text.split()) if text else ()


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
        ``multivalued="bits"``): each names the element and the line.

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
    libsbml = _libsbml()
    if multivalued not in ("error", "bits"):
        raise ValueError("multivalued must be 'error' or 'bits'")
    # libsbml adds an XML declaration line to text without one, which would shift every
    # reported line; add one on the first line ourselves (and correct columns there).
    shift = 0
    if not text.lstrip("\ufeff").startswith("<?xml"):
        declaration = '<?xml version="1.0" encoding="UTF-8"?>'
        text, shift = declaration + text, len(declaration)
    doc = libsbml.readSBMLFromString(text)
    _check_read_errors(doc, source, shift)
    model = doc.getModel()
    if model is None:
        raise ParseError("no <model> element: not an SBML model", source=source, line=1, column=1)
    plugin = model.getPlugin("qual")
    if plugin is None or not doc.isPackageEnabled("qual"):
        raise ParseError(
            "SBML without the qual package (qualitative models): signet reads logical models only; "
            "this looks like a quantitative (reaction) model", source=source,
            line=model.getLine() or None, column=model.getColumn() or None,
        )
    reader = _Reader(source, multivalued)
    reader.shift = shift

    # -- species ----------------------------------------------------------------
    ids_seen: dict[str, Any] = {}

    def claim_id(element: Any) -> None:
        if not element.isSetId():
            return
        ident = element.getId()
        if ident in ids_seen:
            other = ids_seen[ident]
            raise reader.error(
                f"duplicate id {ident!r} ({element.getElementName()}; already used by the "
                f"{other.getElementName()} on line {other.getLine()})", element)
        ids_seen[ident] = element

    species_list = [plugin.getQualitativeSpecies(i) for i in range(plugin.getNumQualitativeSpecies())]
    if not species_list:
        raise ParseError("the model has no qualitative species", source=source,
                         line=model.getLine() or None, column=model.getColumn() or None)
    for sp in species_list:
        if not sp.isSetId():
            raise reader.error("qualitativeSpecies without an id", sp)
        claim_id(sp)
    transitions = [plugin.getTransition(i) for i in range(plugin.getNumTransitions())]
    for tr in transitions:
        claim_id(tr)
        for lst in (tr.getListOfInputs(), tr.getListOfOutputs()):
            for item in lst:
                claim_id(item)

    names_attr = {sp.getId(): (sp.getName() if sp.isSetName() else "") for sp in species_list}
    stored = {}
    for sp in species_list:
        block = _signet_block(sp, "node")
        if block is not None and block.get("name") and is_valid_name(block.get("name")):
            stored[sp.getId()] = block.get("name")
    use_names = all(is_valid_name(v) for v in names_attr.values()) and \
        len(set(names_attr.values())) == len(names_attr)
    for sp in species_list:
        sid = sp.getId()
        node = stored.get(sid) or (names_attr[sid] if use_names else sid)
        reader.node_of[sid] = node
        top = sp.getMaxLevel() if sp.isSetMaxLevel() else 1
        if top < 1:
            top = 1
        if top > 1 and multivalued == "error":
            raise reader.error(
                f"qualitativeSpecies {sid} is multi-valued (maxLevel {top}); signet models are Boolean. "
                "Read it with multivalued='bits' (command line: --from sbml_bits) to convert it to "
                f"level bits {sid}_b1..{sid}_b{top}", sp)
        reader.max_level[sid] = top
    if len(set(reader.node_of.values())) != len(reader.node_of):
        reader.node_of = {sid: sid for sid in reader.node_of}

    # -- transitions --------------------------------------------------------------
    targets: dict[str, tuple[Any, list[tuple[Expr, int]], int | None]] = {}
    for tr in transitions:
        reader.transition = tr
        outputs = [tr.getOutput(i) for i in range(tr.getNumOutputs())]
        if not outputs:
            raise reader.error(f"{_describe(tr)} has no output: it does not say which species it updates", tr)
        for inp in (tr.getInput(i) for i in range(tr.getNumInputs())):
            if inp.getQualitativeSpecies() not in reader.max_level:
                raise reader.error(f"{_describe(tr)}: input {inp.getQualitativeSpecies()!r} is not a "
                                   "qualitative species", inp)
        terms: list[tuple[Expr, int]] = []
        default: int | None = None
        if tr.isSetDefaultTerm():
            default = tr.getDefaultTerm().getResultLevel()
        for ft in (tr.getFunctionTerm(i) for i in range(tr.getNumFunctionTerms())):
            if not ft.isSetMath():
                raise reader.error(f"{_describe(tr)}: functionTerm without math", ft)
            if not ft.isSetResultLevel():
                raise reader.error(f"{_describe(tr)}: functionTerm without resultLevel", ft)
            terms.append((reader.condition(ft.getMath(), ft if ft.getLine() else tr), ft.getResultLevel()))
        if terms and default is None:
            raise reader.error(f"{_describe(tr)}: functionTerms without a defaultTerm", tr)
        for out in outputs:
            sid = out.getQualitativeSpecies()
            if sid not in reader.max_level:
                raise reader.error(f"{_describe(tr)}: output {sid!r} is not a qualitative species", out)
            if sid in targets:
                raise reader.error(
                    f"{_describe(tr)}: species {sid} is already the output of transition "
                    f"{targets[sid][0].getId()} (line {targets[sid][0].getLine()})", tr)
            targets[sid] = (tr, terms, default)

    # -- rules ----------------------------------------------------------------------
    rules: dict[str, Expr] = {}
    for sp in species_list:
        sid = sp.getId()
        node = reader.node_of[sid]
        top = reader.max_level[sid]
        if sid in targets and (targets[sid][1] or targets[sid][2] is not None):
            _tr, terms, default = targets[sid]
            for value in [default] + [lv for _c, lv in terms]:
                if value is not None and not 0 <= value <= top:
                    raise reader.error(f"{_describe(_tr)}: result level {value} outside 0..{top} of {sid}", _tr)
            at_least = {k: _at_least_result(terms, default or 0, k) for k in range(1, top + 1)}
        elif sp.isSetConstant() and sp.getConstant() and sp.isSetInitialLevel() and sid not in targets:
            init = sp.getInitialLevel()
            if not 0 <= init <= top:
                raise reader.error(f"initialLevel {init} of {sid} is outside 0..{top}", sp)
            at_least = {k: TRUE if k <= init else FALSE for k in range(1, top + 1)}
        else:
            # no transition (or one without function): a free input
            if top == 1:
                rules[node] = Var(node)
            else:
                for k in range(1, top + 1):
                    rules[f"{node}_b{k}"] = Var(f"{node}_b{k}")
            continue
        if top == 1:
            rules[node] = fold_constants(at_least[1]) if _has_constant(at_least[1]) else at_least[1]
        else:
            for k in range(1, top + 1):
                below = TRUE if k == 1 else Var(f"{node}_b{k - 1}")
                above = FALSE if k == top else Var(f"{node}_b{k + 1}")
                rules[f"{node}_b{k}"] = fold_constants(
                    Or((And((at_least[k], below)), And((Var(f"{node}_b{k}"), above)))))
    if len(rules) != sum(reader.max_level.values()):
        raise ParseError("level-bit names collide with other species names", source=source)

    annotations = _read_annotations(model, species_list, reader, source)
    if not name:
        name = model.getName() if model.isSetName() else model.getId() if model.isSetId() else ""
        if not name and source:
            name = Path(source).stem
    return BooleanNetwork(rules, name=name, annotations=annotations)


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


def _read_annotations(model: Any, species_list: list[Any], reader: _Reader, source: str | None) -> Annotations:
    from .metadata import check_metadata

    references: dict[str, Reference] = {}
    block = _signet_block(model, "model")
    title = model.getName() if model.isSetName() else ""
    description = ""
    treatment: dict[str, int] = {}
    baseline: dict[str, int] = {}
    phenotypes: dict[str, str] = {}
    contexts: dict[str, Context] = {}
    source_info: dict[str, str] = {}
    if block is not None:
        title = block.get("title", title)
        element = block.find(f"{{{SIGNET_NS}}}description")
        description = element.text or "" if element is not None else ""
        for el in block.findall(f"{{{SIGNET_NS}}}source"):
            source_info[el.get("key", "")] = el.get("value", "")
        for el in block.findall(f"{{{SIGNET_NS}}}reference"):
            number = el.get("number", "")
            references[number] = Reference(number, el.get("doi"), el.get("citation", ""))
        for tag, target in (("treatment", treatment), ("baseline", baseline)):
            for el in block.findall(f"{{{SIGNET_NS}}}{tag}"):
                target[el.get("node", "")] = int(el.get("value", "0"))
        for el in block.findall(f"{{{SIGNET_NS}}}phenotype"):
            phenotypes[el.get("name", "")] = el.get("rule", "")
        for el in block.findall(f"{{{SIGNET_NS}}}context"):
            fix = {f.get("node", ""): int(f.get("value", "0")) for f in el.findall(f"{{{SIGNET_NS}}}fix")}
            cname = el.get("name", "")
            contexts[cname] = Context(cname, fix, el.get("description", ""), _split_refs(el.get("refs")))
    elif model.isSetNotes():
        description = _text_of_notes(model)
    by_doi = {r.doi: number for number, r in references.items() if r.doi}

    nodes: dict[str, NodeInfo] = {}
    for sp in species_list:
        sid = sp.getId()
        node = reader.node_of[sid]
        if reader.max_level[sid] > 1:
            continue  # its bits are new nodes; keep the rest of the model's metadata
        label = sp.getName() if sp.isSetName() and sp.getName() != node else ""
        miriam = _miriam(sp)
        hgnc = uniprot = None
        dois: list[str] = []
        for uri in miriam.get("is", []) + miriam.get("hasVersion", []) + miriam.get("isEncodedBy", []):
            m = _HGNC_RE.search(uri)
            if m and hgnc is None:
                hgnc = m.group(1)
            m = _UNIPROT_RE.search(uri)
            if m and uniprot is None:
                uniprot = m.group(1)
        for uri in miriam.get("isDescribedBy", []):
            m = _DOI_RE.search(uri)
            if m:
                dois.append(m.group(1))
        note = _text_of_notes(sp)
        nblock = _signet_block(sp, "node")
        if nblock is not None:
            refs = _split_refs(nblock.get("refs"))
            aliases = tuple(a.get("name", "") for a in nblock.findall(f"{{{SIGNET_NS}}}alias"))
            module = nblock.get("module", "")
            drugs = tuple(
                Drug(d.get("name", ""), d.get("action", "inhibit"), _split_refs(d.get("refs")))
                for d in nblock.findall(f"{{{SIGNET_NS}}}drug")
            )
            if nblock.get("label") is not None:
                label = nblock.get("label", "")
        else:
            refs_list = []
            for doi in dois:
                number = by_doi.get(doi)
                if number is None:
                    number = doi
                    references.setdefault(doi, Reference(doi, doi, ""))
                refs_list.append(number)
            refs, aliases, module, drugs = tuple(refs_list), (), "", ()
        info = NodeInfo(label=label, hgnc=hgnc, uniprot=uniprot, aliases=aliases, module=module, refs=refs, note=note, drugs=drugs)
        if info != NodeInfo():
            nodes[node] = info
    annotations = Annotations(
        title=title, description=description, source=source_info, treatment=treatment, baseline=baseline,
        references=references, nodes=nodes, phenotypes=phenotypes, contexts=contexts,
    )
    node_names = [reader.node_of[s.getId()] for s in species_list if reader.max_level[s.getId()] == 1]
    node_names += [f"{reader.node_of[s.getId()]}_b{k}" for s in species_list if reader.max_level[s.getId()] > 1
                   for k in range(1, reader.max_level[s.getId()] + 1)]
    try:
        check_metadata(annotations, tuple(node_names), source=source)
    except ParseError as exc:
        raise ParseError(f"signet annotation block: {exc.message}", source=source) from None
    return annotations


def read_sbml(path: str | os.PathLike[str], *, multivalued: str = "error") -> BooleanNetwork:
    """Read an SBML-qual file (see :func:`parse_sbml`)."""
    path = Path(path)
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


def _mathml(expr: Expr, ids: Mapping[str, str]) -> str:
    """MathML of ``expr`` (each variable as ``X == 1``), written iteratively."""

    def leaf(e: Expr) -> str:
        if isinstance(e, Var):
            return f'<apply><eq/><ci> {ids[e.name]} </ci><cn type="integer"> 1 </cn></apply>'
        return "<true/>" if e.value else "<false/>"  # type: ignore[attr-defined]

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
        return "true" if e.value else "false"  # type: ignore[attr-defined]

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
    libsbml = _libsbml()
    ns = libsbml.SBMLNamespaces(3, 1, "qual", 1)
    doc = libsbml.SBMLDocument(ns)
    doc.setPackageRequired("qual", True)
    model = doc.createModel()
    model_id = re.sub(r"[^A-Za-z0-9_]", "_", network.name or "model")
    if not re.match(r"[A-Za-z_]", model_id):
        model_id = "m_" + model_id
    _ok(model.setId(model_id), "model id")
    if network.name:
        model.setName(network.name)
    comp = model.createCompartment()
    comp.setId("cell" if "cell" not in _sbml_ids(network.nodes).values() else "cell_compartment")
    comp.setConstant(True)
    comp.setSpatialDimensions(3)  # size and units keep libsbml's unit checks free of warnings
    comp.setSize(1)
    comp.setUnits("litre")
    plugin = model.getPlugin("qual")
    ids = _sbml_ids(network.nodes)
    annotations = network.annotations
    inputs = set(network.inputs)
    taken = set(ids.values()) | {comp.getId(), model_id}

    def fresh(base: str) -> str:
        candidate, i = base, 2
        while candidate in taken:
            candidate, i = f"{base}_{i}", i + 1
        taken.add(candidate)
        return candidate

    for node in network.nodes:
        sid = ids[node]
        info = annotations.nodes.get(node, NodeInfo())
        sp = plugin.createQualitativeSpecies()
        _ok(sp.setId(sid), f"species id {sid}")
        sp.setCompartment(comp.getId())
        sp.setMaxLevel(1)
        sp.setConstant(node in inputs)
        sp.setName(info.label or node)
        sp.setMetaId(fresh(f"meta_{sid}"))
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
    for node in network.nodes:
        if node in inputs:
            continue
        rule = network.rules[node]
        sid = ids[node]
        tr = plugin.createTransition()
        tr.setId(fresh(f"tr_{sid}"))
        used = variables(rule)
        regulators = [n for n in network.nodes if n in used]
        signs = _signs(rule, regulators)
        dead = [r for r in regulators if signs[r] == "0"]
        if dead:
            # a name the function does not depend on: drop it (same function), since tools such
            # as AEON read every input as an observable regulation and reject the model otherwise
            rule = substitute(rule, {r: False for r in dead})
            regulators = [r for r in regulators if r not in dead]
        for reg in regulators:
            inp = tr.createInput()
            inp.setId(fresh(f"tr_{sid}_in_{ids[reg]}"))
            inp.setQualitativeSpecies(ids[reg])
            inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
            sign = signs[reg]
            inp.setSign({"+": libsbml.INPUT_SIGN_POSITIVE, "-": libsbml.INPUT_SIGN_NEGATIVE,
                         "?": libsbml.INPUT_SIGN_DUAL}.get(sign, libsbml.INPUT_SIGN_UNKNOWN))
        out = tr.createOutput()
        out.setId(fresh(f"tr_{sid}_out"))
        out.setQualitativeSpecies(sid)
        out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        default = tr.createDefaultTerm()
        value = rule.value if isinstance(rule, Const) else None
        default.setResultLevel(int(value) if value is not None else 0)
        if value is None:
            term = tr.createFunctionTerm()
            term.setResultLevel(1)
            math = _math_ast(rule, ids)
            _ok(term.setMath(math), f"math of {node}")
    _model_block(model, network, ids)
    return libsbml.writeSBMLToString(doc)


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
    parts += [f"<signet:treatment{_attrs(node=k, value=v)}/>" for k, v in ann.treatment.items()]
    parts += [f"<signet:baseline{_attrs(node=k, value=v)}/>" for k, v in ann.baseline.items()]
    parts += [f"<signet:phenotype{_attrs(name=k, rule=v)}/>" for k, v in ann.phenotypes.items()]
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
