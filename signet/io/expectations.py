"""Literature expectations (``MODEL.expectations.yaml``): claims that ``signet validate`` checks.

The file is a YAML list; each entry is one claim::

    - id: atm_ko_sensitizes                 # unique name
      claim: "ATM knockout + RT increases Death"
      refs: [132, 133]                      # reference numbers of the model's metadata
      phenotype: Death                      # a phenotype of the model's metadata
      case: {context: wildtype, inputs: {RT: 1}, ko: [ATM]}
      reference: {context: wildtype, inputs: {RT: 1}}
      expect: increase                      # increase | decrease | zero | positive | all

A case has an optional ``context`` (a context of the model), ``inputs`` (input node ->
0/1, the treatment), ``ko`` and ``oe`` (lists of nodes knocked out / over-expressed)
and ``fix`` (node -> 0/1).  Instead of ``inputs`` a case may give a ``schedule`` of
treatment phases, e.g. ``schedule: "(RT=1 ; RT=0) x 5"`` (see
:mod:`signet.dynamics.schedule`).  Node names may be aliases.  ``reference`` is a case in the
same form, or the ``id`` of another claim whose ``case`` is the comparison.
``increase`` and ``decrease`` need a reference; ``zero``, ``positive`` and ``all`` take
none.

Examples
--------
>>> claims = parse_expectations('''
... - id: rt_kills
...   claim: RT kills some cells
...   phenotype: Death
...   case: {context: wildtype, inputs: {RT: 1}}
...   expect: positive
... - id: atm_ko
...   claim: ATM loss radiosensitises
...   refs: [132]
...   phenotype: Death
...   case: {context: wildtype, inputs: {RT: 1}, ko: [ATM]}
...   reference: rt_kills
...   expect: increase
... ''', source="demo.yaml")
>>> [(c.id, c.expect, c.line) for c in claims]
[('rt_kills', 'positive', 2), ('atm_ko', 'increase', 7)]
>>> claims[1].reference == claims[0].case, claims[1].case.ko
(True, ('ATM',))
>>> parse_expectations("- id: x\\n  phenotype: Death\\n  case: {}\\n  expect: up\\n", source="bad.yaml")
Traceback (most recent call last):
...
signet.errors.ParseError: bad.yaml:4:11: claim x: expect must be one of increase, decrease, zero, positive, all, not 'up'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ModelError, ParseError
from ._files import atomic_write_text, decode_text
from .metadata import yaml_error

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork

__all__ = [
    "EXPECTS",
    "Case",
    "Expectation",
    "parse_expectations",
    "read_expectations",
    "generate_expectations",
    "write_expectations",
    "check_expectations",
    "expectations_path",
]

#: The directions a claim can expect.  ``increase``/``decrease``: the case's share is
#: larger/smaller than the reference's; ``zero``: the share is 0; ``positive``: it is
#: above 0; ``all``: it is 1.
EXPECTS = ("increase", "decrease", "zero", "positive", "all")
#: The directions that compare with a reference case.
COMPARATIVE = ("increase", "decrease")

_CASE_KEYS = ("context", "inputs", "ko", "oe", "fix", "schedule")
_CLAIM_KEYS = ("id", "claim", "refs", "phenotype", "case", "reference", "expect")


@dataclass(frozen=True)
class Case:
    """One condition of a cell: context, treatment inputs and perturbations.

    Attributes
    ----------
    context
        A context of the model, or ``None`` for the model as it is.
    inputs
        Treatment: input node -> 0/1 (inputs not named keep their baseline values).
    ko, oe
        Nodes knocked out (fixed to 0) and over-expressed (fixed to 1).
    fix
        Other nodes fixed to 0/1.
    schedule
        A treatment schedule (text, e.g. ``"RT=1 ; RT=0"``) instead of ``inputs``;
        ``""`` for none.
    """

    context: str | None = None
    inputs: Mapping[str, int] = field(default_factory=dict)
    ko: tuple[str, ...] = ()
    oe: tuple[str, ...] = ()
    fix: Mapping[str, int] = field(default_factory=dict)
    schedule: str = ""

    def perturbation(self) -> dict[str, int]:
        """The fixes applied on top of the context: ``fix``, then ``ko``, then ``oe``.

        Examples
        --------
        >>> Case(ko=("A",), oe=("B",), fix={"C": 1}).perturbation()
        {'C': 1, 'A': 0, 'B': 1}
        """
        values = dict(self.fix)
        values.update({n: 0 for n in self.ko})
        values.update({n: 1 for n in self.oe})
        return values

    def key(self) -> tuple:
        """A hashable key: equal keys mean the same computation.

        Examples
        --------
        >>> Case("wt", {"RT": 1}, ko=("B", "A")).key() == Case("wt", {"RT": 1}, ko=("A", "B")).key()
        True
        """
        key = (self.context, tuple(sorted(self.inputs.items())), tuple(sorted(self.perturbation().items())))
        return key + (self.schedule,) if self.schedule else key

    def to_json(self) -> dict:
        """``{"context", "inputs", "ko", "oe", "fix"}``."""
        data = {"context": self.context, "inputs": dict(self.inputs), "ko": list(self.ko),
                "oe": list(self.oe), "fix": dict(self.fix)}
        if self.schedule:
            data["schedule"] = self.schedule
        return data

    def describe(self) -> str:
        """A short text such as ``wildtype RT=1 ko ATM``.

        Examples
        --------
        >>> Case("wildtype", {"RT": 1}, ko=("ATM",)).describe()
        'wildtype RT=1 ko ATM'
        """
        parts = [self.context or "model"]
        parts += [f"{k}={v}" for k, v in self.inputs.items()]
        if self.schedule:
            parts.append(f"[{self.schedule}]")
        if self.fix:
            parts.append("fix " + ",".join(f"{k}={v}" for k, v in self.fix.items()))
        if self.ko:
            parts.append("ko " + ",".join(self.ko))
        if self.oe:
            parts.append("oe " + ",".join(self.oe))
        return " ".join(parts)


@dataclass(frozen=True)
class Expectation:
    """One literature claim, as a check.

    Attributes
    ----------
    id
        Unique name of the claim.
    claim
        The claim in words.
    refs
        Reference numbers (as strings) of the model's metadata.
    phenotype
        The phenotype whose share is compared.
    case
        The condition the claim is about.
    reference
        The comparison condition (``None`` for ``zero``, ``positive`` and ``all``).
    expect
        One of :data:`EXPECTS`.
    line
        1-based line of the entry in its file (``None`` if unknown).
    reference_id
        The ``id`` of the claim the reference was taken from, if it was given by name.
    """

    id: str
    claim: str
    refs: tuple[str, ...]
    phenotype: str
    case: Case
    reference: Case | None
    expect: str
    line: int | None = None
    reference_id: str | None = None

    def to_json(self) -> dict:
        """The claim as JSON-ready data (what the file says, names resolved if checked)."""
        return {
            "id": self.id, "claim": self.claim, "refs": list(self.refs), "phenotype": self.phenotype,
            "case": self.case.to_json(), "reference": self.reference.to_json() if self.reference else None,
            "expect": self.expect, "line": self.line,
        }


def expectations_path(model_path: str | os.PathLike[str]) -> Path:
    """The expectations file that belongs to a model file: its stem + ``.expectations.yaml``.

    Examples
    --------
    >>> expectations_path("networks/radioresistance.bnet").as_posix()
    'networks/radioresistance.expectations.yaml'
    """
    p = Path(model_path)
    return p.with_name(p.stem + ".expectations.yaml")


# -- parsing -----------------------------------------------------------------------------
class _Reader:
    """Walks a composed YAML tree, keeping each value's position for error messages."""

    def __init__(self, text: str, source: str | None) -> None:
        import yaml

        self.source = source
        self.loader = yaml.SafeLoader(text)
        try:
            self.root = self.loader.get_single_node()
        except yaml.YAMLError as exc:
            raise yaml_error(exc, source) from None

    def error(self, node, message: str) -> ParseError:
        mark = node.start_mark if node is not None else None
        return ParseError(message, source=self.source, line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None)

    def value(self, node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node, what: str) -> dict[str, tuple[Any, Any]]:
        """``{key: (key_node, value_node)}`` of a mapping node."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping")
        out: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if str(key) in out:
                raise self.error(key_node, f"{what}: duplicate key {key!r}")
            out[str(key)] = (key_node, value_node)
        return out

    def sequence(self, node, what: str) -> list:
        import yaml

        if isinstance(node, yaml.ScalarNode) and self.value(node) is not None:
            return [node]  # a single name instead of a one-item list
        if isinstance(node, yaml.ScalarNode):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{what} must be a list")
        return list(node.value)

    def text(self, node, what: str) -> str:
        import yaml

        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if value is None or isinstance(value, (bool, list, dict)):
            raise self.error(node, f"{what} must be a name")
        return str(value)


def _assignment(reader: _Reader, node, what: str) -> dict[str, int]:
    import yaml

    if isinstance(node, yaml.ScalarNode) and reader.value(node) is None:
        return {}
    out = {}
    for name, (key_node, value_node) in reader.mapping(node, what).items():
        value = reader.value(value_node)
        if isinstance(value, bool) or value not in (0, 1):
            raise reader.error(value_node, f"{what}: {name} must be 0 or 1, not {value!r}")
        out[name] = int(value)
    return out


def _case(reader: _Reader, node, what: str) -> Case:
    entries = reader.mapping(node, what)
    for key, (key_node, _value) in entries.items():
        if key not in _CASE_KEYS:
            raise reader.error(key_node, f"{what}: unknown key {key!r} (expected {', '.join(_CASE_KEYS)})")
    context = None
    if "context" in entries and reader.value(entries["context"][1]) is not None:
        context = reader.text(entries["context"][1], f"{what}: context")
    inputs = _assignment(reader, entries["inputs"][1], f"{what}: inputs") if "inputs" in entries else {}
    fix = _assignment(reader, entries["fix"][1], f"{what}: fix") if "fix" in entries else {}
    lists = {}
    for key in ("ko", "oe"):
        items = reader.sequence(entries[key][1], f"{what}: {key}") if key in entries else []
        lists[key] = tuple(reader.text(item, f"{what}: {key}") for item in items)
    schedule = _schedule(reader, entries["schedule"][1], what) if "schedule" in entries else ""
    if schedule and inputs:
        raise reader.error(entries["schedule"][0], f"{what}: give inputs or a schedule, not both")
    return Case(context, inputs, lists["ko"], lists["oe"], fix, schedule)


def _schedule(reader: _Reader, node, what: str) -> str:
    """A case's ``schedule``: parsed, errors placed inside the YAML scalar."""
    from ..dynamics.schedule import parse_schedule

    text = reader.text(node, f"{what}: schedule")
    try:
        return str(parse_schedule(text))
    except ParseError as exc:
        mark = node.start_mark
        quoted = 1 if getattr(node, "style", None) in ('"', "'") else 0
        line = mark.line + (exc.line or 1)
        column = mark.column + 1 + quoted + (exc.column or 1) - 1 if (exc.line or 1) == 1 else exc.column
        raise ParseError(f"{what}: schedule: {exc.message}", source=reader.source, line=line, column=column,
                         token=exc.token) from None


def _locations(reader: _Reader, entry) -> dict[str, Any]:
    """Where to point for each part of an entry: {"id": node, "case.ko.0": node, ...}."""
    import yaml

    where: dict[str, Any] = {}

    def walk(node, path: str) -> None:
        where[path] = node
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, f"{path}.{reader.value(k)}" if path else str(reader.value(k)))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, f"{path}.{i}")

    walk(entry, "")
    return where


def parse_expectations(text: str, *, source: str | None = None,
                       network: "BooleanNetwork | None" = None) -> list[Expectation]:
    """Parse expectations YAML text.

    Parameters
    ----------
    text
        The YAML text (a list of claims, see the module documentation).
    source
        File name for error messages.
    network
        If given, the claims are checked against it (:func:`check_expectations`) and
        node names (aliases) are replaced by the nodes they denote.

    Returns
    -------
    list of Expectation
        In file order.

    Raises
    ------
    ParseError
        Invalid YAML, a missing or unknown key, a bad ``expect`` value, a duplicate
        ``id``, or (with ``network``) an unknown node, context, phenotype or input,
        with the file, line and column.
    """
    import yaml

    reader = _Reader(text, source)
    root = reader.root
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise reader.error(root, "an expectations file is a YAML list of claims")
    claims: list[Expectation] = []
    raw_references: list[tuple[Any, Any]] = []
    seen: dict[str, int | None] = {}
    for entry in root.value:
        fields = reader.mapping(entry, "claim")
        label = "claim"
        if "id" in fields:
            label = f"claim {reader.text(fields['id'][1], 'id')}"
        for key, (key_node, _value) in fields.items():
            if key not in _CLAIM_KEYS:
                raise reader.error(key_node, f"{label}: unknown key {key!r} (expected {', '.join(_CLAIM_KEYS)})")
        for key in ("id", "phenotype", "case", "expect"):
            if key not in fields:
                raise reader.error(entry, f"{label}: missing {key!r}")
        ident = reader.text(fields["id"][1], "id")
        if ident in seen:
            raise reader.error(fields["id"][1], f"duplicate claim id {ident!r} (first on line {seen[ident]})")
        seen[ident] = entry.start_mark.line + 1
        expect_node = fields["expect"][1]
        expect = reader.value(expect_node)
        if expect not in EXPECTS:
            raise reader.error(expect_node, f"{label}: expect must be one of {', '.join(EXPECTS)}, not {expect!r}")
        refs = ()
        if "refs" in fields:
            refs = tuple(str(reader.value(r)) for r in reader.sequence(fields["refs"][1], f"{label}: refs"))
        claim_text = ""
        if "claim" in fields:
            value = reader.value(fields["claim"][1])
            claim_text = "" if value is None else str(value)
        case = _case(reader, fields["case"][1], f"{label}: case")
        reference_node = fields["reference"][1] if "reference" in fields else None
        if reference_node is not None and reader.value(reference_node) is None:
            reference_node = None
        if expect in COMPARATIVE and reference_node is None:
            raise reader.error(expect_node, f"{label}: expect {expect} needs a reference case to compare with")
        if expect not in COMPARATIVE and reference_node is not None:
            raise reader.error(reference_node, f"{label}: expect {expect} takes no reference (it is about the case alone)")
        raw_references.append((reference_node, label))
        claims.append(Expectation(
            ident, claim_text, refs, reader.text(fields["phenotype"][1], f"{label}: phenotype"), case, None,
            str(expect), entry.start_mark.line + 1,
        ))
    by_id = {c.id: c for c in claims}
    out = []
    for claim, (node, label) in zip(claims, raw_references):
        reference, reference_id = None, None
        if isinstance(node, yaml.ScalarNode):
            reference_id = reader.text(node, f"{label}: reference")
            if reference_id not in by_id:
                raise reader.error(node, f"{label}: reference names no claim {reference_id!r}")
            reference = by_id[reference_id].case
        elif node is not None:
            reference = _case(reader, node, f"{label}: reference")
        out.append(Expectation(claim.id, claim.claim, claim.refs, claim.phenotype, claim.case, reference,
                               claim.expect, claim.line, reference_id))
    if network is not None:
        out = check_expectations(out, network, text=text, source=source, _reader=reader)
    return out


def check_expectations(expectations: list[Expectation], network: "BooleanNetwork", *, text: str | None = None,
                       source: str | None = None, _reader: _Reader | None = None) -> list[Expectation]:
    """Check claims against a model; return them with node names resolved (aliases -> nodes).

    Parameters
    ----------
    expectations
        Parsed claims.
    network
        The model (with its metadata: phenotypes, contexts, aliases).
    text, source
        The file's text and name, so that errors can name the line.

    Raises
    ------
    ParseError
        An unknown phenotype, context, node, a treatment input that is not an input
        of the model, or a reference number the metadata does not list.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> net = parse_bnet("RT, RT\\nA, RT")
    >>> claims = parse_expectations("- {id: x, phenotype: A, case: {inputs: {RT: 1}}, expect: positive}")
    >>> check_expectations(claims, net, source="x.yaml")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: x.yaml:1: claim x: unknown phenotype 'A' (the model defines none)
    """
    reader = _reader
    if reader is None and text is not None:
        reader = _Reader(text, source)
    entries = list(reader.root.value) if reader is not None and reader.root is not None else []
    phenotypes = network.annotations.phenotypes
    contexts = network.annotations.contexts
    references = network.annotations.references
    out = []
    for index, claim in enumerate(expectations):
        where = _locations(reader, entries[index]) if reader is not None and index < len(entries) else {}
        label = f"claim {claim.id}"

        def error(path: str, message: str) -> ParseError:
            node = where.get(path)
            if node is not None and reader is not None:
                return reader.error(node, f"{label}: {message}")
            return ParseError(f"{label}: {message}", source=source, line=claim.line)

        if claim.phenotype not in phenotypes:
            known = f"known: {', '.join(phenotypes)}" if phenotypes else "the model defines none"
            raise error("phenotype", f"unknown phenotype {claim.phenotype!r} ({known})")
        if references:
            for i, ref in enumerate(claim.refs):
                if ref not in references:
                    raise error(f"refs.{i}", f"reference {ref} is not in the model's reference list")

        def resolve_case(case: Case, part: str) -> Case:
            if case.context is not None and case.context not in contexts:
                try:
                    network.context(case.context)
                except ModelError as exc:
                    raise error(f"{part}.context", str(exc)) from None
            names: dict[str, Any] = {}
            for key in ("inputs", "fix"):
                resolved = {}
                for name, value in getattr(case, key).items():
                    try:
                        node = network.resolve(name)
                    except ModelError as exc:
                        raise error(f"{part}.{key}.{name}", f"{part} {key}: {exc}") from None
                    if key == "inputs" and node not in network.inputs:
                        raise error(f"{part}.{key}.{name}",
                                    f"{part} inputs: {node} is not an input of the model "
                                    f"(inputs: {', '.join(network.inputs)}; use fix for other nodes)")
                    resolved[node] = value
                names[key] = resolved
            for key in ("ko", "oe"):
                resolved_list = []
                for i, name in enumerate(getattr(case, key)):
                    try:
                        resolved_list.append(network.resolve(name))
                    except ModelError as exc:
                        raise error(f"{part}.{key}.{i}", f"{part} {key}: {exc}") from None
                names[key] = tuple(resolved_list)
            schedule = case.schedule
            if schedule:
                from ..dynamics.schedule import parse_schedule

                try:
                    schedule = str(parse_schedule(schedule).resolve(network))
                except ParseError as exc:
                    raise error(f"{part}.schedule", f"{part} schedule: {exc.message}") from None
            return Case(case.context, names["inputs"], names["ko"], names["oe"], names["fix"], schedule)

        case = resolve_case(claim.case, "case")
        reference = claim.reference
        if reference is not None:
            reference = resolve_case(reference, "reference")
        out.append(Expectation(claim.id, claim.claim, claim.refs, claim.phenotype, case, reference,
                               claim.expect, claim.line, claim.reference_id))
    return out


def read_expectations(path: str | os.PathLike[str], network: "BooleanNetwork | None" = None) -> list[Expectation]:
    """Read an expectations file (and check it against ``network`` if given).

    Raises
    ------
    ParseError
        See :func:`parse_expectations`; a missing file is reported the same way.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read expectations: {exc.strerror or exc}", source=str(path)) from None
    return parse_expectations(decode_text(data, source=str(path)), source=str(path), network=network)


def generate_expectations(expectations: list[Expectation]) -> str:
    """YAML text for ``expectations`` (the inverse of :func:`parse_expectations`).

    Examples
    --------
    >>> claim = Expectation("x", "A rises", ("1",), "A", Case("wt", {"RT": 1}, ko=("B",)), Case("wt", {"RT": 1}), "increase")
    >>> parse_expectations(generate_expectations([claim]))[0] == Expectation(
    ...     "x", "A rises", ("1",), "A", Case("wt", {"RT": 1}, ko=("B",)), Case("wt", {"RT": 1}), "increase", line=1)
    True
    """
    import yaml

    def case_data(case: Case) -> dict:
        data: dict[str, Any] = {}
        if case.context is not None:
            data["context"] = case.context
        data["inputs"] = dict(case.inputs)
        for key in ("ko", "oe"):
            if getattr(case, key):
                data[key] = list(getattr(case, key))
        if case.fix:
            data["fix"] = dict(case.fix)
        if case.schedule:
            data["schedule"] = case.schedule
            if not case.inputs:
                del data["inputs"]
        return data

    entries = []
    for c in expectations:
        entry: dict[str, Any] = {"id": c.id, "claim": c.claim, "refs": [int(r) if r.isdigit() else r for r in c.refs],
                                 "phenotype": c.phenotype, "case": case_data(c.case)}
        if c.reference is not None:
            entry["reference"] = c.reference_id if c.reference_id else case_data(c.reference)
        entry["expect"] = c.expect
        entries.append(entry)
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=120)


def write_expectations(expectations: list[Expectation], path: str | os.PathLike[str]) -> None:
    """Write ``expectations`` to ``path`` (atomically)."""
    atomic_write_text(Path(path), generate_expectations(expectations))
