"""Model metadata (YAML beside a model file): provenance, aliases, phenotypes, contexts, drugs.

``networks/NAME.bnet`` is read with ``networks/NAME.yaml`` when that file exists.
The schema is ``signet/io/schemas/metadata.schema.json`` (a JSON Schema), shown in
``docs/formats.md``; every violation is reported with its line and column.

Examples
--------
>>> ann = parse_metadata('''
... model: {title: Demo, treatment: {RT: 1}, baseline: {RT: 0}}
... references: {"132": {doi: 10.1/x, citation: Someone 2020}}
... nodes:
...   TP53: {name: tumour protein p53, hgnc: TP53, aliases: [p53], refs: [132], note: activated by ATM}
... phenotypes: {Arrest: TP53}
... contexts: {TP53_mutant: {description: loss of p53, refs: [132], fix: {TP53: 0}}}
... ''')
>>> ann.nodes["TP53"].aliases, dict(ann.contexts["TP53_mutant"].fix)
(('p53',), {'TP53': 0})
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..annotations import Annotations, Context, Drug, NodeInfo, Reference, ScreenDefaults
from ..errors import ParseError
from ..expr import parse_expression, variables
from .files import read_input_text, require_path, require_text
from .schema import Located, load_yaml, validate, yaml_error

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork
    from ..rates import Rate

__all__ = [
    "parse_metadata",
    "load_metadata",
    "read_metadata",
    "generate_metadata",
    "check_metadata",
    "metadata_path",
    "annotations_from_data",
    "with_overrides",
    "yaml_error",
]


def metadata_path(model_path: str | os.PathLike[str]) -> Path:
    """The metadata file that belongs to ``model_path`` (same stem, ``.yaml``)."""
    p = Path(model_path)
    return p.with_suffix(".yaml")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _refs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    return tuple(str(v) for v in value)


def _reference(number: str, entry: Mapping[str, Any] | None) -> Reference:
    entry = entry or {}
    doi = entry.get("doi")
    return Reference(number, None if doi is None else str(doi), _text(entry.get("citation")))


def _drug(entry: Mapping[str, Any]) -> Drug:
    return Drug(_text(entry["name"]), entry.get("action") or "inhibit", _refs(entry.get("refs")))


def _node(entry: Mapping[str, Any] | None) -> NodeInfo:
    entry = entry or {}
    optional = {k: None if entry.get(k) is None else str(entry[k]) for k in ("hgnc", "uniprot")}
    return NodeInfo(
        label=_text(entry.get("name")),
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        module=_text(entry.get("module")),
        refs=_refs(entry.get("refs")),
        note=_text(entry.get("note")),
        drugs=tuple(_drug(d) for d in entry.get("drugs") or ()),
        **optional,
    )


def _context(name: str, entry: Mapping[str, Any] | None) -> Context:
    entry = entry or {}
    return Context(name, dict(entry.get("fix") or {}), _text(entry.get("description")), _refs(entry.get("refs")))


def _treatment(value: Any, located: Located | None) -> tuple[dict[str, int], str]:
    """``model.treatment``: a mapping ``{RT: 1}`` or a schedule ``"RT=1 ; RT=0"``.

    Returns the treatment mapping (a schedule's first phase) and the schedule text
    (``""`` unless a schedule of more than one phase, or with a bound, was given).
    """
    if not isinstance(value, str):
        return dict(value or {}), ""
    from ..dynamics.schedule import parse_schedule

    try:
        schedule = parse_schedule(value)
    except ParseError as exc:
        if located is None:
            raise ParseError(f"treatment schedule: {exc.message}", line=exc.line, column=exc.column) from None
        raise located.inner_error(("model", "treatment"), exc, "treatment schedule") from None
    return schedule.first_values(), ("" if schedule.is_single() else str(schedule))


def annotations_from_data(data: Mapping[str, Any] | None, located: Located | None = None) -> Annotations:
    """:class:`~signet.annotations.Annotations` from metadata that passed the schema.

    ``located`` (the data with positions) places errors of a treatment schedule in the file.

    Examples
    --------
    >>> annotations_from_data({"model": {"treatment": {"RT": 1}}}).treatment
    mappingproxy({'RT': 1})
    >>> annotations_from_data({"model": {"treatment": "RT=1 ; RT=0"}}).schedule
    'RT=1 ; RT=0'
    """
    data = data or {}
    model = data.get("model") or {}
    treatment, schedule = _treatment(model.get("treatment"), located)
    return Annotations(
        title=_text(model.get("title") or model.get("name")),
        description=_text(model.get("description")),
        source={str(k): _text(v) for k, v in (model.get("source") or {}).items()},
        treatment=treatment,
        schedule=schedule,
        baseline=dict(model.get("baseline") or {}),
        baseline_fractions={str(k): float(v) for k, v in (model.get("baseline_fractions") or {}).items()},
        references={str(k): _reference(str(k), v) for k, v in (data.get("references") or {}).items()},
        nodes={str(k): _node(v) for k, v in (data.get("nodes") or {}).items()},
        phenotypes={str(k): v for k, v in (data.get("phenotypes") or {}).items()},
        contexts={str(k): _context(str(k), v) for k, v in (data.get("contexts") or {}).items()},
        rates={str(k): _rate(str(k), v, located) for k, v in (data.get("rates") or {}).items()},
        screen=ScreenDefaults.from_data(model),
    )


def _rate(node: str, entry: Any, located: Located | None = None) -> tuple[Rate, Rate]:
    """A node's ``rates`` entry (its shape checked by the schema): ``(up, down)``, each a number
    or a state-dependent rate (``"FBXW7 ? 1 : 0.1"``, :func:`signet.rates.parse_rate`)."""
    from ..rates import parse_rate

    def one(value: Any, *path: str) -> Rate:
        try:
            return parse_rate(value)
        except ParseError as exc:
            if located is None:
                raise
            where: tuple[str, ...] = ("rates", node, *path)
            while len(where) > 2 and where not in located.values and where not in located.starts:
                where = where[:-1]  # SBML places the whole <signet:rate> element
            direction = f"{path[0]}-rate" if path else "rate"
            raise located.inner_error(where, exc, f"{direction} of {node}") from None

    if isinstance(entry, Mapping):
        return one(entry.get("up", 1), "up"), one(entry.get("down", 1), "down")
    both = one(entry)
    return both, both


def _check_phenotype_syntax(located: Located) -> None:
    for name, rule in (located.get(("phenotypes",)) or {}).items():
        try:
            parse_expression(rule)
        except ParseError as exc:
            raise located.error(("phenotypes", name), f"phenotype {name}: {exc.message}") from None


def load_metadata(text: str, *, source: str | None = None) -> tuple[Annotations, Located]:
    """Parse and validate metadata YAML: the annotations, and the located data for later messages."""
    located = load_yaml(require_text(text), source=source)
    validate(located, "metadata")
    _check_phenotype_syntax(located)
    return annotations_from_data(located.data, located), located


def parse_metadata(text: str, *, source: str | None = None) -> Annotations:
    """Parse metadata YAML text into :class:`~signet.annotations.Annotations`.

    The text is checked against the schema ``signet/io/schemas/metadata.schema.json``
    (see ``docs/formats.md``) before anything is built.

    Raises
    ------
    ParseError
        Invalid or hostile YAML, or the first schema violation, with the line and
        column from the YAML parser.

    Examples
    --------
    >>> parse_metadata("model:\\n  treatment: {RT: 0.5}\\n", source="m.yaml")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.yaml:2:19: model.treatment.RT: expected 0 or 1, found 0.5
    """
    return load_metadata(text, source=source)[0]


def read_metadata(path: str | os.PathLike[str]) -> Annotations:
    """Read a metadata YAML file (a regular file within the size limits)."""
    path = Path(require_path(path))
    return parse_metadata(read_input_text(path), source=str(path))


def check_metadata(annotations: Annotations, nodes: Mapping[str, Any] | tuple[str, ...], *,
                   text: str = "", source: str | None = None, located: Located | None = None) -> None:
    """Check that metadata names only nodes the model has, and that aliases are unambiguous.

    Parameters
    ----------
    annotations
        The metadata.
    nodes
        The model's node names.
    text, source
        The metadata text and file name, so that errors name the line and column.
    located
        The located data the annotations were built from (instead of ``text``).

    Raises
    ------
    ParseError
        Naming the metadata file and, when ``text`` or ``located`` is given, the line and column.
    """
    if located is None:
        located = load_yaml(text, source=source) if text else Located(None, source)
    names = set(nodes)
    for node in annotations.nodes:
        if node not in names:
            raise located.error(("nodes", node), f"metadata describes node {node!r}, which the model does not have",
                                key=True)
    _check_aliases(annotations, names, located)
    for pname, expr in annotations.phenotypes.items():
        missing = variables(parse_expression(expr)) - names
        if missing:
            raise located.error(("phenotypes", pname),
                                f"phenotype {pname} uses unknown nodes: {', '.join(sorted(missing))}")
    for kind, mapping in (("treatment", annotations.treatment), ("baseline", annotations.baseline),
                          ("baseline_fractions", annotations.baseline_fractions)):
        for node in mapping:
            if node not in names:
                raise located.error(("model", kind, node), f"{kind} names unknown node {node!r}", key=True)
    _check_aliased_names(annotations, names, located)
    _check_score(annotations, names, located)


def _check_score(annotations: Annotations, names: set[str], located: Located) -> None:
    """``model.score`` names a phenotype, a node or an alias; ``model.reference_context`` a context."""
    defaults = annotations.screen
    name = defaults.score.partition("=")[0].strip()
    if name and name not in annotations.phenotypes and name not in names and name not in annotations.alias_table():
        raise located.error(("model", "score"), f"score names no phenotype or node {name!r}")
    if defaults.reference and defaults.reference not in annotations.contexts:
        known = ", ".join(annotations.contexts) or "none"
        raise located.error(("model", ScreenDefaults.KEYS["reference"]),
                            f"reference_context names no context {defaults.reference!r} (contexts: {known})")


def _check_aliased_names(annotations: Annotations, names: set[str], located: Located) -> None:
    """The schedule, rates and contexts name nodes or their aliases."""
    alias_table = annotations.alias_table()
    if annotations.schedule:
        from ..dynamics.schedule import parse_schedule

        for node in parse_schedule(annotations.schedule).nodes():
            if node not in names and node not in alias_table:
                raise located.error(("model", "treatment"), f"treatment schedule names unknown node {node!r}")
    from ..rates import rate_nodes

    for node, pair in annotations.rates.items():
        if node not in names and node not in alias_table:
            raise located.error(("rates", node), f"rates name unknown node {node!r}", key=True)
        for direction, rate in zip(("up", "down"), pair):
            for read in sorted(rate_nodes(rate)):
                if read not in names and read not in alias_table:
                    path = ("rates", node, direction) if isinstance(located.get(("rates", node)), Mapping) \
                        else ("rates", node)
                    raise located.error(path, f"the {direction}-rate of {node} reads unknown node {read!r}")
    for cname, ctx in annotations.contexts.items():
        for node in ctx.fix:
            if node not in names and node not in alias_table:
                raise located.error(("contexts", cname, "fix", node), f"context {cname} fixes unknown node {node!r}",
                                    key=True)


def _check_aliases(annotations: Annotations, names: set[str], located: Located) -> None:
    seen: dict[str, str] = {}
    for node, info in annotations.nodes.items():
        for i, alias in enumerate(info.aliases):
            where = ("nodes", node, "aliases", i)
            if alias in names and alias != node:
                raise located.error(where, f"alias {alias!r} of {node} is the name of another node")
            if alias in seen and seen[alias] != node:
                raise located.error(where, f"alias {alias!r} is given to both {seen[alias]} and {node}")
            seen[alias] = node


def generate_metadata(annotations: Annotations) -> str:
    """YAML text for ``annotations`` (the inverse of :func:`parse_metadata`)."""
    import yaml

    data: dict[str, Any] = {
        "model": {
            "title": annotations.title,
            "description": annotations.description,
            "source": dict(annotations.source),
            "treatment": annotations.schedule or dict(annotations.treatment),
            "baseline": dict(annotations.baseline),
            **({"baseline_fractions": dict(annotations.baseline_fractions)} if annotations.baseline_fractions else {}),
            **annotations.screen.to_data(),
        },
        "references": {
            k: {"doi": r.doi, "citation": r.citation} for k, r in annotations.references.items()
        },
        "nodes": {
            n: {
                "name": i.label,
                "hgnc": i.hgnc,
                **({"uniprot": i.uniprot} if i.uniprot else {}),
                "aliases": list(i.aliases),
                "module": i.module,
                "refs": [int(r) if r.isdigit() else r for r in i.refs],
                "note": i.note,
                "drugs": [
                    {"name": d.name, "action": d.action, "refs": [int(r) if r.isdigit() else r for r in d.refs]}
                    for d in i.drugs
                ],
            }
            for n, i in annotations.nodes.items()
        },
        "phenotypes": dict(annotations.phenotypes),
        "contexts": {
            c: {"description": x.description, "refs": [int(r) if r.isdigit() else r for r in x.refs],
                "fix": dict(x.fix)}
            for c, x in annotations.contexts.items()
        },
    }
    if annotations.rates:
        from ..rates import rates_record

        data["rates"] = rates_record(annotations.rates)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def with_overrides(network: "BooleanNetwork", *, phenotype: Mapping[str, str] | None = None,
                   treatment: Mapping[str, int] | None = None,
                   baseline: Mapping[str, int] | None = None) -> "BooleanNetwork":
    """``network`` with phenotypes added or replaced and its treatment or baseline replaced.

    This is what ``--phenotype NAME=EXPR``, ``--treatment`` and ``--baseline`` do on the
    command line, for a model whose own file carries no (or other) metadata.  An empty
    ``treatment`` or ``baseline`` (``{}``) means none; ``None`` keeps the model's.  A
    treatment given here replaces a treatment schedule of the metadata.

    Raises
    ------
    ModelError
        A phenotype that does not parse or names an unknown node; an unknown node in the
        treatment or baseline.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> net = with_overrides(parse_bnet("RT, RT\\nDNA_damage, RT\\nApoptosis, DNA_damage"),
    ...                      phenotype={"Death": "Apoptosis"}, treatment={"RT": 1}, baseline={"RT": 0})
    >>> dict(net.annotations.phenotypes), dict(net.annotations.treatment)
    ({'Death': 'Apoptosis'}, {'RT': 1})
    >>> with_overrides(net, phenotype={"Growth": "Myc"})
    Traceback (most recent call last):
    ...
    signet.errors.ModelError: --phenotype Growth: unknown node Myc
    """
    import dataclasses

    from ..errors import ModelError

    annotations = network.annotations
    changes: dict[str, Any] = {}
    if phenotype:
        phenotypes = dict(annotations.phenotypes)
        for name, text in phenotype.items():
            try:
                expr = parse_expression(text)
            except ParseError as exc:
                raise ModelError(f"--phenotype {name}: {exc.message}") from None
            missing = sorted(variables(expr) - set(network.nodes))
            if missing:
                raise ModelError(f"--phenotype {name}: unknown node{'s' if len(missing) > 1 else ''} "
                                 f"{', '.join(missing)}")
            phenotypes[name] = text
        changes["phenotypes"] = phenotypes
    for kind, values in (("treatment", treatment), ("baseline", baseline)):
        if values is None:
            continue
        try:
            changes[kind] = network.resolve_assignment(values)
        except ModelError as exc:
            raise ModelError(f"--{kind}: {exc}") from None
        if kind == "treatment":
            changes["schedule"] = ""
    if not changes:
        return network
    return network._evolve(network.rules, annotations=dataclasses.replace(annotations, **changes))
