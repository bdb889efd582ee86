"""Metadata YAML: parsing, checks against the model, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signet.errors import ParseError
from signet.io import read_model
from signet.io.metadata import generate_metadata, parse_metadata

from conftest import NETWORKS

META = """
model: {title: Core, treatment: {RT: 1}, baseline: {RT: 0}}
references: {"132": {doi: 10.1/x, citation: A 2020}}
nodes:
  TP53: {name: p53, hgnc: TP53, aliases: [p53], refs: [132], note: n, drugs: [{name: nutlin, action: activate, refs: [132]}]}
phenotypes: {Arrest: TP53 & !MDM2}
contexts: {TP53_mutant: {description: d, refs: [132], fix: {p53: 0}}}
"""


def write(tmp_path, bnet, meta):
    (tmp_path / "m.bnet").write_text(bnet)
    (tmp_path / "m.yaml").write_text(meta)
    return tmp_path / "m.bnet"


def test_read_model_attaches_metadata(tmp_path):
    net = read_model(write(tmp_path, "RT, RT\nTP53, RT & !MDM2\nMDM2, TP53\n", META))
    assert net.resolve("p53") == "TP53"
    assert net.annotations.drugs()["TP53"][0].name == "nutlin"
    assert dict(net.annotations.treatment) == {"RT": 1}
    assert str(net.perturb(context="TP53_mutant").rule("TP53")) == "0"


def test_generate_parse_round_trip():
    ann = parse_metadata(META)
    assert parse_metadata(generate_metadata(ann)) == ann


@pytest.mark.parametrize(
    "meta,fragment,line",
    [
        (META.replace("TP53: {name", "TP35: {name"), "node 'TP35', which the model does not have", 5),
        (META.replace("TP53 & !MDM2", "TP53 & !MDM3"), "phenotype Arrest uses unknown nodes: MDM3", 6),
        (META.replace("fix: {p53: 0}", "fix: {p35: 0}"), "context TP53_mutant fixes unknown node 'p35'", 7),
        (META.replace("aliases: [p53]", "aliases: [MDM2]"), "alias 'MDM2' of TP53 is the name of another node", 5),
        ("nodes: [unclosed\n", "invalid YAML", 2),
        ("colour: blue\n", "unknown top-level key 'colour'", 1),
    ],
)
def test_bad_metadata_names_file_and_line(tmp_path, meta, fragment, line):
    with pytest.raises(ParseError) as info:
        read_model(write(tmp_path, "RT, RT\nTP53, RT & !MDM2\nMDM2, TP53\n", meta))
    assert fragment in str(info.value)
    assert info.value.source.endswith("m.yaml")
    assert info.value.line == line


def test_radioresistance_uniprot_accessions_are_well_formed_and_distinct():
    import re

    from signet.io import read_model

    nodes = read_model(NETWORKS / "radioresistance.bnet").annotations.nodes
    accessions = {n: i.uniprot for n, i in nodes.items() if i.uniprot}
    # UniProt's accession grammar; a gene product only (a UniProt entry without HGNC is a slip)
    pattern = re.compile(r"^([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})$")
    assert accessions and all(pattern.match(a) for a in accessions.values())
    assert all(nodes[n].hgnc for n in accessions)
    assert len(set(accessions.values())) == len(accessions)
    assert accessions["TP53"] == "P04637" and accessions["AIFM2"] == "Q9BRQ8"


# -- the schema validator against an independent one (jsonschema) ------------------------

_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, 2.5]),
                  st.sampled_from(["", "A", "B", "RT", "TP53", "high", "1B", "inhibit", "cure", "x y"]))
_KEYS = st.sampled_from(["model", "nodes", "phenotypes", "contexts", "references", "treatment", "baseline",
                         "title", "source", "fix", "aliases", "drugs", "name", "action", "refs", "doi", "TP53",
                         "RT", "A", "1B", "colour"])
_DOCS = st.recursive(_LEAF, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                   st.dictionaries(_KEYS, kids, max_size=4)), max_leaves=12)
_SHAPED = st.fixed_dictionaries({}, optional={
    "model": st.one_of(st.none(), st.fixed_dictionaries({}, optional={
        "title": _LEAF, "treatment": st.dictionaries(st.sampled_from(["RT", "A"]), _LEAF, max_size=2),
        "source": st.dictionaries(st.sampled_from(["doi", "url"]), _LEAF, max_size=2)})),
    "nodes": st.dictionaries(st.sampled_from(["TP53", "A", "1B"]), st.one_of(st.none(), st.fixed_dictionaries(
        {}, optional={"aliases": st.one_of(_LEAF, st.lists(_LEAF, max_size=2)),
                      "drugs": st.lists(st.fixed_dictionaries({}, optional={"name": _LEAF, "action": _LEAF}),
                                        max_size=2),
                      "refs": st.one_of(_LEAF, st.lists(_LEAF, max_size=2))})), max_size=2),
    "contexts": st.dictionaries(st.sampled_from(["wt", "ko"]), st.one_of(_LEAF, st.fixed_dictionaries(
        {}, optional={"fix": st.dictionaries(st.sampled_from(["A", "B"]), _LEAF, max_size=2)})), max_size=2),
    "phenotypes": st.dictionaries(st.sampled_from(["Death", "P"]), _LEAF, max_size=2),
})


def _no_float_integers(data) -> bool:
    """JSON Schema counts 1.0 as an integer and signet does not: leave such values out."""
    if isinstance(data, float):
        return not data.is_integer()
    if isinstance(data, dict):
        return all(_no_float_integers(v) for v in data.values())
    if isinstance(data, list):
        return all(_no_float_integers(v) for v in data)
    return True


@settings(max_examples=400, deadline=None)
@given(st.one_of(_DOCS, _SHAPED))
def test_schema_validation_agrees_with_jsonschema(data):
    """Accept/refuse decisions equal those of the jsonschema package on the same schema."""
    import jsonschema
    import yaml

    from signet.io.schema import load_yaml, schema, validate

    if not _no_float_integers(data):
        return
    expected = jsonschema.Draft202012Validator(schema("metadata")).is_valid(data)
    located = load_yaml(yaml.safe_dump(data), source="h.yaml")
    try:
        validate(located, "metadata")
        accepted = True
    except ParseError as exc:
        accepted = False
        assert exc.line is not None and exc.column is not None, str(exc)
    assert accepted == expected, data


def test_positions_come_from_the_yaml_parser_not_a_text_search():
    """'TP53' appears first in a comment and a title; the error points at the node entry."""
    from signet.io.metadata import check_metadata, load_metadata

    text = "# TP53 is described below\nmodel: {title: TP53 study}\nnodes:\n  MDM2: {}\n  TP53: {}\n"
    annotations, located = load_metadata(text, source="m.yaml")
    with pytest.raises(ParseError) as info:
        check_metadata(annotations, ("MDM2",), located=located)
    assert (info.value.line, info.value.column) == (5, 3)


def test_alias_bomb_is_refused_before_expansion():
    from signet.io.metadata import parse_metadata

    levels = ["a: &a [" + ", ".join(["x"] * 10) + "]"]
    for i in range(1, 12):  # 10**12 values once expanded
        levels.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    with pytest.raises(ParseError, match="alias bomb"):  # expanded, this would not fit in memory
        parse_metadata("\n".join(levels) + "\n", source="bomb.yaml")


def test_aliases_within_the_limit_are_fine():
    from signet.io.metadata import parse_metadata

    ann = parse_metadata("model: {treatment: &t {RT: 1}, baseline: *t}\n")
    assert dict(ann.treatment) == dict(ann.baseline) == {"RT": 1}
