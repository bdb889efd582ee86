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
and ``fix`` (node -> 0/1; a multi-valued node takes a level ``0..m``, and ``ko``/``oe``
fix it at its lowest/highest level, :mod:`signet.levels`).  Instead of ``inputs`` a case may give a ``schedule`` of
treatment phases, e.g. ``schedule: "(RT=1 ; RT=0) x 5"`` (see
:mod:`signet.dynamics.schedule`).  Node names may be aliases.  ``reference`` is a case in the
same form, or the ``id`` of another claim whose ``case`` is the comparison.
``increase`` and ``decrease`` need a reference; ``zero``, ``positive`` and ``all`` take
none.  ``read: reachable`` (default ``read: fates``) reads a transient response instead of
the fates: the share of the untreated start states from which the phenotype — a node,
``!node``, or a phenotype that is one literal — can hold at some time
during the treatment (every phase of a schedule; most-permissive update), e.g. "RT
activates CHK2" although CHK2 is off again once the breaks are repaired.  ``read: course``
with ``at: T`` reads the state at a time instead: the probability that the phenotype holds
``T`` time units after the last phase of the treatment starts (e.g. breaks still present
when the reference has repaired its own: "long durations of foci"), compared by 95% intervals
(:func:`signet.validate.course_case`).

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
signet.errors.ParseError: bad.yaml:4:11: claim x: expect: expected one of increase, decrease, zero, positive,
all, found 'up'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ModelError, ParseError
from ..expectations import COMPARATIVE, EXPECTS, Case, Expectation  # noqa: F401 - EXPECTS re-exported
from .files import atomic_write_text, read_input_text, require_path, require_text
from .schema import Located, dotted, load_yaml, validate

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork

# Case, Expectation, EXPECTS and COMPARATIVE are importable from here too (their home is
# signet.expectations); they are not listed, so the documentation shows them once.
__all__ = [
    "load_expectations",
    "parse_expectations",
    "read_expectations",
    "generate_expectations",
    "write_expectations",
    "check_expectations",
    "expectations_path",
]


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
def _labeller(data: Any) -> Any:
    """Paths in words: ``(1, "case", "inputs", "RT")`` -> ``claim atm_ko: case.inputs.RT``."""

    def label(path: tuple[Any, ...]) -> str:
        if not path:
            return "the expectations file"
        head = "claim"
        entry = data[path[0]] if isinstance(data, list) and isinstance(path[0], int) and path[0] < len(data) else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), (str, int)):
            head = f"claim {entry['id']}"
        return head + (f": {dotted(path[1:])}" if len(path) > 1 else "")

    return label


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _case(data: Mapping[str, Any], located: Located, path: tuple[Any, ...]) -> Case:
    schedule = data.get("schedule") or ""
    if schedule:
        from ..dynamics.schedule import parse_schedule

        if data.get("inputs"):
            raise located.error(path + ("schedule",), f"{located.where(path)}: give inputs or a schedule, not both",
                                key=True)
        try:
            schedule = str(parse_schedule(schedule))
        except ParseError as exc:
            raise located.inner_error(path + ("schedule",), exc, f"{located.where(path)}: schedule") from None
    return Case(data.get("context"), dict(data.get("inputs") or {}), _names(data.get("ko")),
                _names(data.get("oe")), dict(data.get("fix") or {}), schedule)


def _read(entry: Mapping[str, Any], located: Located, i: int) -> tuple[str, float | None]:
    """A claim's ``read`` and, for ``read: course``, its time ``at`` (required there, refused elsewhere)."""
    read = entry.get("read") or "fates"
    at = entry.get("at")
    if read == "course" and at is None:
        raise located.error((i, "read"), f"{located.where((i,))}: read: course needs 'at', the time to read the "
                                         f"phenotype at")
    if read != "course" and at is not None:
        raise located.error((i, "at"), f"{located.where((i,))}: 'at' is the time of a read: course claim (this one "
                                       f"reads {read})", key=True)
    return read, None if at is None else float(at)


def _claims(located: Located) -> list[Expectation]:
    """Build the claims from validated data; check ids, ``expect`` and references."""
    claims: list[Expectation] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(located.data or []):
        label = located.where((i,))
        ident = str(entry["id"])
        line = located.values[(i,)][0]
        if ident in seen:
            raise located.error((i, "id"), f"duplicate claim id {ident!r} (first on line {seen[ident]})")
        seen[ident] = line
        expect = entry["expect"]
        reference = entry.get("reference")
        if expect in COMPARATIVE and reference is None:
            raise located.error((i, "expect"), f"{label}: expect {expect} needs a reference case to compare with")
        if expect not in COMPARATIVE and reference is not None:
            raise located.error((i, "reference"),
                                f"{label}: expect {expect} takes no reference (it is about the case alone)")
        refs = entry.get("refs")
        refs = () if refs is None else tuple(str(r) for r in (refs if isinstance(refs, list) else [refs]))
        text = entry.get("claim")
        read, at = _read(entry, located, i)
        claims.append(Expectation(ident, "" if text is None else str(text), refs, entry["phenotype"],
                                  _case(entry["case"], located, (i, "case")), None, expect, line, read=read, at=at))
    by_id = {c.id: c for c in claims}
    out = []
    for i, claim in enumerate(claims):
        reference, reference_id = located.data[i].get("reference"), None
        if isinstance(reference, (str, int)):
            reference_id = str(reference)
            if reference_id not in by_id:
                raise located.error((i, "reference"), f"{located.where((i,))}: reference names no claim "
                                                      f"{reference_id!r}")
            reference = by_id[reference_id].case
        elif reference is not None:
            reference = _case(reference, located, (i, "reference"))
        out.append(Expectation(claim.id, claim.claim, claim.refs, claim.phenotype, claim.case, reference,
                               claim.expect, claim.line, reference_id, claim.read, claim.at))
    return out


def load_expectations(text: str, *, source: str | None = None) -> tuple[list[Expectation], Located]:
    """Parse and validate expectations YAML: the claims and the located data (for later messages)."""
    located = load_yaml(require_text(text), source=source)
    located.label = _labeller(located.data)
    validate(located, "expectations")
    return _claims(located), located


def parse_expectations(text: str, *, source: str | None = None,
                       network: "BooleanNetwork | None" = None) -> list[Expectation]:
    """Parse expectations YAML text.

    Parameters
    ----------
    text
        The YAML text (a list of claims, see the module documentation and the schema
        ``signet/io/schemas/expectations.schema.json``).
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
        Invalid or hostile YAML, a schema violation (a missing or unknown key, a bad
        ``expect`` value, a value other than 0/1), a duplicate ``id``, or (with
        ``network``) an unknown node, context, phenotype or input, with the file, line
        and column.
    """
    claims, located = load_expectations(text, source=source)
    if network is not None:
        claims = check_expectations(claims, network, located=located)
    return claims


def check_expectations(expectations: list[Expectation], network: "BooleanNetwork", *, text: str | None = None,
                       source: str | None = None, located: Located | None = None) -> list[Expectation]:
    """Check claims against a model; return them with node names resolved (aliases -> nodes).

    Parameters
    ----------
    expectations
        Parsed claims.
    network
        The model (with its metadata: phenotypes, contexts, aliases).
    text, source
        The file's text and name, so that errors can name the line and column.
    located
        The located data the claims were read from (instead of ``text``).

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
    if located is None and text is not None:
        located = load_expectations(text, source=source)[1]
    out = []
    for index, claim in enumerate(expectations):
        checker = _ClaimChecker(claim, index, network, located, source)
        out.append(checker.run())
    return out


class _ClaimChecker:
    """Checks one claim against a network, with positions when the file is known."""

    def __init__(self, claim: Expectation, index: int, network: "BooleanNetwork", located: Located | None,
                 source: str | None) -> None:
        self.claim = claim
        self.index = index
        self.network = network
        self.located = located if located is not None and isinstance(located.data, list) \
            and index < len(located.data) else None
        self.source = source if located is None else located.source
        self.label = f"claim {claim.id}"

    def error(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> ParseError:
        if self.located is not None:
            return self.located.error((self.index,) + path, f"{self.label}: {message}", key=key)
        return ParseError(f"{self.label}: {message}", source=self.source, line=self.claim.line)

    def run(self) -> Expectation:
        claim, annotations = self.claim, self.network.annotations
        phenotype = self.phenotype() if claim.read == "reachable" else claim.phenotype
        if claim.read != "reachable" and claim.phenotype not in annotations.phenotypes:
            known = f"known: {', '.join(annotations.phenotypes)}" if annotations.phenotypes \
                else "the model defines none"
            raise self.error(("phenotype",), f"unknown phenotype {claim.phenotype!r} ({known})")
        if annotations.references:
            for i, ref in enumerate(claim.refs):
                if ref not in annotations.references:
                    raise self.error(("refs", i), f"reference {ref} is not in the model's reference list")
        case = self.resolve(claim.case, "case")
        reference = claim.reference
        if reference is not None:
            reference = self.resolve(reference, "reference")
        return Expectation(claim.id, claim.claim, claim.refs, phenotype, case, reference, claim.expect,
                           claim.line, claim.reference_id, claim.read, claim.at)

    def phenotype(self) -> str:
        """A ``read: reachable`` claim's phenotype: a one-literal phenotype, a node or ``!node`` (alias resolved)."""
        from ..validate import reachable_literal

        name = self.claim.phenotype
        if name not in self.network.annotations.phenotypes:
            negated = name.startswith("!")
            name = ("!" if negated else "") + self.node(name[1:].strip() if negated else name, ("phenotype",),
                                                        "phenotype")
        try:
            reachable_literal(self.network, name)
        except ModelError as exc:
            raise self.error(("phenotype",), str(exc)) from None
        return name

    def resolve(self, case: Case, part: str) -> Case:
        network = self.network
        if case.context is not None and case.context not in network.annotations.contexts:
            try:
                network.context(case.context)
            except ModelError as exc:
                raise self.error((part, "context"), str(exc)) from None
        names: dict[str, Any] = {}
        for key in ("inputs", "fix"):
            resolved = {}
            for name, value in getattr(case, key).items():
                node = self.node(name, (part, key, name), f"{part} {key}", key=True)
                if key == "inputs" and node not in network.inputs:
                    raise self.error((part, key, name),
                                     f"{part} inputs: {node} is not an input of the model "
                                     f"(inputs: {', '.join(network.inputs)}; use fix for other nodes)", key=True)
                resolved[node] = value
            names[key] = resolved
        from ..levels import level_values, max_levels, top_level

        for name, value in names["fix"].items():  # a level of a multi-valued node, else 0/1
            try:
                level_values(network, name, value)
            except ModelError as exc:
                raise self.error((part, "fix", name), f"{part} fix: {exc}", key=True) from None
        multivalued = max_levels(network)
        for key in ("ko", "oe"):
            names[key] = ()
            for i, name in enumerate(getattr(case, key)):
                node = self.node(name, (part, key, i), f"{part} {key}")
                if node in multivalued:  # its lowest (ko) or highest (oe) level, as a fix
                    names["fix"][node] = 0 if key == "ko" else top_level(network, node)
                else:
                    names[key] += (node,)
        schedule = case.schedule
        if schedule:
            from ..dynamics.schedule import parse_schedule

            try:
                schedule = str(parse_schedule(schedule).resolve(network))
            except ParseError as exc:
                raise self.error((part, "schedule"), f"{part} schedule: {exc.message}") from None
        return Case(case.context, names["inputs"], names["ko"], names["oe"], names["fix"], schedule)

    def node(self, name: str, path: tuple[Any, ...], what: str, *, key: bool = False) -> str:
        from ..levels import resolve_name

        try:
            return resolve_name(self.network, name)
        except ModelError as exc:
            raise self.error(path, f"{what}: {exc}", key=key) from None


def read_expectations(path: str | os.PathLike[str], network: "BooleanNetwork | None" = None) -> list[Expectation]:
    """Read an expectations file (and check it against ``network`` if given).

    Raises
    ------
    ParseError
        See :func:`parse_expectations`.
    InputError
        A missing file, a folder, a FIFO or device, a file over the size limit.
    """
    path = Path(require_path(path))
    return parse_expectations(read_input_text(path), source=str(path), network=network)


def generate_expectations(expectations: list[Expectation]) -> str:
    """YAML text for ``expectations`` (the inverse of :func:`parse_expectations`).

    Examples
    --------
    >>> claim = Expectation("x", "A rises", ("1",), "A", Case("wt", {"RT": 1}, ko=("B",)),
    ...                     Case("wt", {"RT": 1}), "increase")
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
        if c.read != "fates":
            entry["read"] = c.read
        if c.at is not None:
            entry["at"] = int(c.at) if float(c.at).is_integer() else c.at
        entries.append(entry)
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=120)


def write_expectations(expectations: list[Expectation], path: str | os.PathLike[str]) -> None:
    """Write ``expectations`` to ``path`` (atomically)."""
    atomic_write_text(Path(path), generate_expectations(expectations))
