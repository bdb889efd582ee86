"""Metadata YAML: parsing, checks against the model, bad input."""

from __future__ import annotations

import pytest

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
