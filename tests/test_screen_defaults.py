"""The model's screen defaults (score, metric, reference context): one record, read and written in one place."""

from __future__ import annotations

import pytest

from signet.annotations import ScreenDefaults
from signet.errors import ParseError
from signet.io.bnet import parse_bnet
from signet.io.metadata import generate_metadata, parse_metadata
from signet.io.sbml import generate_sbml, parse_sbml

RULES = "RT, RT\nA, RT & !B\nB, B\nDeath, A\n"
METADATA = """\
model:
  treatment: {RT: 1}
  baseline: {RT: 0}
  score: Death=0
  screen_metric: possible
  reference_context: normal
phenotypes: {Death: Death}
contexts:
  normal: {fix: {B: 0}}
  tumour: {fix: {B: 1}}
"""


def test_yaml_record_yaml_sbml_record_round_trip():
    annotations = parse_metadata(METADATA, source="m.yaml")
    expected = ScreenDefaults(score="Death=0", metric="possible", reference="normal")
    assert annotations.screen == expected
    assert (annotations.score, annotations.screen_metric) == ("Death=0", "possible")
    again = parse_metadata(generate_metadata(annotations))
    assert again.screen == expected
    net = parse_bnet(RULES, annotations=annotations)
    sbml = generate_sbml(net)
    assert sbml.count("<signet:screen ") == 1  # one element carries the whole record
    assert parse_sbml(sbml).annotations.screen == expected


@pytest.mark.parametrize("field", ["score", "metric", "reference"])
def test_each_field_round_trips_alone(field):
    values = {"score": "Death=0", "metric": "share", "reference": "tumour"}
    defaults = ScreenDefaults(**{field: values[field]})
    text = METADATA.split("  score:")[0] + "".join(f"  {k}: {v}\n" for k, v in defaults.to_data().items())
    text += METADATA.split("reference_context: normal\n")[1]
    annotations = parse_metadata(text)
    assert annotations.screen == defaults
    net = parse_bnet(RULES, annotations=annotations)
    assert parse_sbml(generate_sbml(net)).annotations.screen == defaults


def test_old_sbml_score_element_is_still_read():
    net = parse_bnet(RULES, annotations=parse_metadata(METADATA))
    sbml = generate_sbml(net).replace('<signet:screen score="Death=0" ', '<signet:score value="Death=0"/><signet:screen ')
    assert '<signet:score value="Death=0"/>' in sbml
    assert parse_sbml(sbml).annotations.screen.score == "Death=0"


def test_reference_context_must_name_a_context(tmp_path):
    from signet.io import read_model

    (tmp_path / "m.bnet").write_text(RULES)
    (tmp_path / "m.yaml").write_text(METADATA.replace("reference_context: normal", "reference_context: healthy"))
    with pytest.raises(ParseError, match=r"m.yaml:6:22: .*reference_context names no context 'healthy'"):
        read_model(tmp_path / "m.bnet")


def test_renaming_a_node_renames_the_score_not_a_phenotype():
    defaults = ScreenDefaults(score="B=0", reference="normal")
    assert defaults.renamed(lambda n: n.lower(), {}).score == "b=0"
    assert defaults.renamed(lambda n: n.lower(), {"B": "A"}).score == "B=0"


def test_renaming_nodes_keeps_every_field_that_names_none():
    """``Annotations.renamed`` changes node names only: every other field of the record comes back
    unchanged (a field added later cannot be dropped by a rename that forgot it)."""
    from dataclasses import fields

    from signet.annotations import Annotations

    metadata = METADATA.replace("model:\n", "model:\n  title: T\n  description: D\n  source: {doi: 10.1/x}\n")
    annotations = parse_metadata(metadata, source="m.yaml")
    renamed = annotations.renamed({"B": "Bee"})
    assert renamed.contexts["normal"].fix == {"Bee": 0}
    name_free = {"title", "description", "source", "references"}
    assert name_free < {f.name for f in fields(Annotations)}
    for name in name_free:
        assert getattr(renamed, name) == getattr(annotations, name), name
    assert (renamed.title, renamed.description, dict(renamed.source)) == ("T", "D", {"doi": "10.1/x"})
    assert annotations.renamed({}) == annotations
