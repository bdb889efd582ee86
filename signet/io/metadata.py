"""Model metadata (YAML beside a model file): provenance, aliases, phenotypes, contexts, drugs.

``networks/NAME.bnet`` is read with ``networks/NAME.yaml`` when that file exists.
The schema is documented in ``docs/formats.md``.

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
from typing import Any, Mapping

from ..annotations import Annotations, Context, Drug, NodeInfo, Reference
from ..errors import ParseError
from ..expr import parse_expression, variables
from ._files import decode_text

__all__ = ["parse_metadata", "read_metadata", "generate_metadata", "check_metadata", "metadata_path"]


def metadata_path(model_path: str | os.PathLike[str]) -> Path:
    """The metadata file that belongs to ``model_path`` (same stem, ``.yaml``)."""
    p = Path(model_path)
    return p.with_suffix(".yaml")


def _locate(text: str, token: str) -> tuple[int | None, int | None]:
    """First line/column where ``token`` appears as a key or value (best effort)."""
    for i, line in enumerate(text.splitlines(), start=1):
        col = line.find(str(token))
        if col >= 0:
            return i, col + 1
    return None, None


def _err(text: str, source: str | None, message: str, token: str | None = None) -> ParseError:
    line, col = _locate(text, token) if token else (None, None)
    return ParseError(message, source=source, line=line, column=col, token=token)


def _refs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    return tuple(str(v) for v in value)


def yaml_error(exc: Exception, source: str | None) -> ParseError:
    """A PyYAML error as a :class:`~signet.errors.ParseError` with its line and column."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return ParseError(f"invalid YAML: {exc}", source=source)
    return ParseError(
        f"invalid YAML: {getattr(exc, 'problem', exc)}", source=source, line=mark.line + 1, column=mark.column + 1
    )


def parse_metadata(text: str, *, source: str | None = None) -> Annotations:
    """Parse metadata YAML text into :class:`~signet.annotations.Annotations`."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(exc, source) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParseError("metadata must be a YAML mapping", source=source, line=1, column=1)
    known = {"model", "references", "nodes", "phenotypes", "contexts"}
    for key in data:
        if key not in known:
            raise _err(text, source, f"unknown top-level key {key!r} (expected {', '.join(sorted(known))})", str(key))
    model = data.get("model") or {}
    refs: dict[str, Reference] = {}
    for num, entry in (data.get("references") or {}).items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise _err(text, source, f"reference {num}: expected a mapping with doi and citation", str(num))
        refs[str(num)] = Reference(str(num), entry.get("doi"), str(entry.get("citation") or ""))
    nodes: dict[str, NodeInfo] = {}
    for name, entry in (data.get("nodes") or {}).items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise _err(text, source, f"node {name}: expected a mapping", str(name))
        drugs = []
        for d in entry.get("drugs") or []:
            if not isinstance(d, dict) or "name" not in d:
                raise _err(text, source, f"node {name}: each drug needs a name", str(name))
            action = d.get("action", "inhibit")
            if action not in ("inhibit", "activate"):
                raise _err(text, source, f"drug {d['name']}: action must be inhibit or activate", str(d["name"]))
            drugs.append(Drug(str(d["name"]), action, _refs(d.get("refs"))))
        nodes[str(name)] = NodeInfo(
            label=str(entry.get("name") or ""),
            hgnc=entry.get("hgnc"),
            uniprot=entry.get("uniprot"),
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            module=str(entry.get("module") or ""),
            refs=_refs(entry.get("refs")),
            note=str(entry.get("note") or ""),
            drugs=tuple(drugs),
        )
    phenotypes = {}
    for pname, expr in (data.get("phenotypes") or {}).items():
        try:
            parse_expression(str(expr))
        except ParseError as exc:
            raise _err(text, source, f"phenotype {pname}: {exc.message}", str(pname)) from None
        phenotypes[str(pname)] = str(expr)
    contexts = {}
    for cname, entry in (data.get("contexts") or {}).items():
        entry = entry or {}
        fix = entry.get("fix") or {}
        for node, value in fix.items():
            if value not in (0, 1):
                raise _err(text, source, f"context {cname}: {node} must be fixed to 0 or 1", str(cname))
        contexts[str(cname)] = Context(
            str(cname), {str(k): int(v) for k, v in fix.items()}, str(entry.get("description") or ""),
            _refs(entry.get("refs")),
        )
    treatment, schedule = _treatment(model.get("treatment"), text, source)
    return Annotations(
        title=str(model.get("title") or model.get("name") or ""),
        description=str(model.get("description") or ""),
        source={k: str(v) for k, v in (model.get("source") or {}).items()},
        treatment=treatment,
        baseline={str(k): int(v) for k, v in (model.get("baseline") or {}).items()},
        references=refs,
        nodes=nodes,
        phenotypes=phenotypes,
        contexts=contexts,
        schedule=schedule,
    )


def _treatment(value: Any, text: str, source: str | None) -> tuple[dict[str, int], str]:
    """``model.treatment``: a mapping ``{RT: 1}`` or a schedule ``"RT=1 ; RT=0"``.

    Returns the treatment mapping (a schedule's first phase) and the schedule text
    (``""`` unless a schedule of more than one phase, or with a bound, was given).
    """
    if value is None:
        return {}, ""
    if isinstance(value, str):
        from ..dynamics.schedule import parse_schedule

        line, column = _locate(text, value)
        try:
            schedule = parse_schedule(value, source=source)
        except ParseError as exc:  # point into the YAML file: the schedule's column within its line
            if line is None or exc.line is None:
                raise ParseError(f"treatment: {exc.message}", source=source, line=line) from None
            raise ParseError(f"treatment schedule: {exc.message}", source=source, line=line + exc.line - 1,
                             column=(column or 1) + (exc.column or 1) - 1 if exc.line == 1 else exc.column,
                             token=exc.token) from None
        return schedule.first_values(), ("" if schedule.is_single() else str(schedule))
    if not isinstance(value, dict):
        raise _err(text, source, "model treatment: expected a mapping {NODE: 0|1} or a schedule 'RT=1 ; RT=0'",
                   "treatment")
    return {str(k): int(v) for k, v in value.items()}, ""


def read_metadata(path: str | os.PathLike[str]) -> Annotations:
    """Read a metadata YAML file."""
    path = Path(path)
    return parse_metadata(decode_text(path.read_bytes(), source=str(path)), source=str(path))


def check_metadata(annotations: Annotations, nodes: Mapping[str, Any] | tuple[str, ...], *,
                   text: str = "", source: str | None = None) -> None:
    """Check that metadata names only nodes the model has, and that aliases are unambiguous.

    Raises
    ------
    ParseError
        Naming the metadata file and, where it can be found, the line.
    """
    names = set(nodes)
    for node in annotations.nodes:
        if node not in names:
            raise _err(text, source, f"metadata describes node {node!r}, which the model does not have", node)
    seen: dict[str, str] = {}
    for node, info in annotations.nodes.items():
        for alias in info.aliases:
            if alias in names and alias != node:
                raise _err(text, source, f"alias {alias!r} of {node} is the name of another node", alias)
            if alias in seen and seen[alias] != node:
                raise _err(text, source, f"alias {alias!r} is given to both {seen[alias]} and {node}", alias)
            seen[alias] = node
    for pname, expr in annotations.phenotypes.items():
        missing = variables(parse_expression(expr)) - names
        if missing:
            raise _err(text, source, f"phenotype {pname} uses unknown nodes: {', '.join(sorted(missing))}", pname)
    for kind, mapping in (("treatment", annotations.treatment), ("baseline", annotations.baseline)):
        for node in mapping:
            if node not in names:
                raise _err(text, source, f"{kind} names unknown node {node!r}", node)
    if annotations.schedule:
        from ..dynamics.schedule import parse_schedule

        for node in parse_schedule(annotations.schedule).nodes():
            if node not in names and node not in annotations.alias_table():
                raise _err(text, source, f"treatment schedule names unknown node {node!r}", node)
    alias_table = annotations.alias_table()
    for cname, ctx in annotations.contexts.items():
        for node in ctx.fix:
            if node not in names and node not in alias_table:
                raise _err(text, source, f"context {cname} fixes unknown node {node!r}", node)


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
            c: {"description": x.description, "refs": [int(r) if r.isdigit() else r for r in x.refs], "fix": dict(x.fix)}
            for c, x in annotations.contexts.items()
        },
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
