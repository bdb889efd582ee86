"""Metadata that travels (issue 14, item 3): the sidecar YAML written by ``convert``,
``export`` and ``write_model``; ``--meta``, ``--phenotype``, ``--treatment``,
``--baseline`` on the commands that read a model; ``screen --score NODE --minimise``;
an explicitly empty treatment."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from signet.cli import COMMANDS, main
from signet.io import read_model, write_model
from signet.io.bnet import parse_bnet
from signet.annotations import Annotations
from signet.screen import screen

REPO = Path(__file__).resolve().parents[1]
RR = REPO / "networks" / "radioresistance.bnet"

# RT -> DNA damage -> apoptosis unless AKT (on unless PTEN); MYC needs AKT and no apoptosis
SMALL = """RT, RT
PTEN, PTEN
DNA, RT
AKT, !PTEN
MYC, AKT & !Apoptosis
Apoptosis, DNA & !AKT
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def small(tmp_path, yaml_text=None):
    model = tmp_path / "small.bnet"
    model.write_text(SMALL)
    if yaml_text is not None:
        (tmp_path / "small.yaml").write_text(yaml_text)
    return model


# -- the sidecar --------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "fmt"), [("rr2.bnet", "bnet"), ("rr2.txt", "boolnet"), ("rr2.bnd", "maboss"),
                                            ("rr2.json", "primes")])
def test_convert_writes_metadata_beside_formats_that_cannot_hold_it(tmp_path, name, fmt):
    target = tmp_path / name
    res = run("convert", RR, target, "--to", fmt, "--json")
    assert res.exit_code == 0, res.output
    sidecar = tmp_path / "rr2.yaml"
    assert str(sidecar) in json.loads(res.output)["files"]
    original = read_model(RR).annotations
    from signet.io.metadata import read_metadata

    back = read_metadata(sidecar)
    assert back.phenotypes == original.phenotypes and back.contexts == original.contexts
    assert back.treatment == original.treatment and back.baseline == original.baseline
    if fmt in ("bnet", "boolnet"):
        assert read_model(target, fmt).annotations == original


def test_convert_to_sbml_writes_no_sidecar_and_no_meta_silences(tmp_path):
    assert run("convert", RR, tmp_path / "a.sbml").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sbml"]
    res = run("convert", RR, tmp_path / "b.bnet", "--no-meta")
    assert res.exit_code == 0 and "warning" not in res.output
    assert not (tmp_path / "b.yaml").exists()
    assert read_model(tmp_path / "b.bnet").annotations == Annotations()


def test_export_writes_sidecar_and_keeps_the_contexts(tmp_path):
    res = run("export", RR, "--to", "bnet", "-o", tmp_path / "ko.bnet", "--ko", "PARP1")
    assert res.exit_code == 0, res.output
    assert "ko.yaml" in res.output
    back = read_model(tmp_path / "ko.bnet")
    assert back.constants["PARP1"] == 0
    assert back.annotations.contexts == read_model(RR).annotations.contexts
    res = run("export", RR, "--to", "bnet", "-o", tmp_path / "plain.bnet", "--no-meta")
    assert res.exit_code == 0 and not (tmp_path / "plain.yaml").exists()


def test_write_model_sidecar(tmp_path):
    net = parse_bnet(SMALL, annotations=Annotations(phenotypes={"Death": "Apoptosis"}, treatment={"RT": 1}))
    write_model(net, tmp_path / "m.txt", "boolnet")
    assert read_model(tmp_path / "m.txt", "boolnet").annotations == net.annotations
    write_model(net, tmp_path / "n.bnet", metadata=False)
    assert not (tmp_path / "n.yaml").exists()
    write_model(parse_bnet(SMALL), tmp_path / "bare.bnet")  # no metadata: no sidecar
    assert not (tmp_path / "bare.yaml").exists()


def test_convert_beside_its_own_metadata_keeps_the_file(tmp_path):
    """bnet -> boolnet in the same folder: the sidecar is the source's own YAML, left as it is."""
    model = small(tmp_path, "# hand-written, with a comment\nphenotypes: {Death: Apoptosis}\n")
    before = (tmp_path / "small.yaml").read_text()
    res = run("convert", model, tmp_path / "small.txt", "--to", "boolnet")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "small.yaml").read_text() == before
    res = run("convert", model, tmp_path / "small.txt", "--to", "boolnet", "--phenotype", "Growth=MYC")
    assert res.exit_code == 1 and "--no-meta" in res.output
    assert (tmp_path / "small.yaml").read_text() == before


# -- metadata on the command line ---------------------------------------------------------
def test_every_model_command_takes_the_metadata_options():
    for name in COMMANDS:
        command = main.get_command(None, name)
        subcommands = getattr(command, "commands", None)
        for cmd in (subcommands.values() if subcommands else [command]):
            options = {o for p in cmd.params for o in p.opts}
            if any(p.name in ("model", "source") for p in cmd.params):
                assert {"--meta", "--phenotype", "--baseline", "--treatment"} <= options, (name, cmd.name)


def test_meta_file_replaces_the_one_beside(tmp_path):
    model = small(tmp_path, "phenotypes: {Death: Apoptosis}\n")
    other = tmp_path / "elsewhere.yaml"
    other.write_text("phenotypes: {Growth: MYC}\nmodel: {treatment: {RT: 1}}\n")
    data = json.loads(run("info", model, "--json").output)
    assert data["phenotypes"] == {"Death": "Apoptosis"}
    data = json.loads(run("info", model, "--meta", other, "--json").output)
    assert data["phenotypes"] == {"Growth": "MYC"}
    res = run("info", model, "--meta", tmp_path / "missing.yaml")
    assert res.exit_code == 1 and "missing.yaml: no such metadata file" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("phenotypes: {Growth: MYC &}\n")
    res = run("info", model, "--meta", bad)
    assert res.exit_code == 1 and f"{bad}:1:" in res.output and "Traceback" not in res.output


def test_phenotypes_treatment_and_baseline_on_the_command_line(tmp_path):
    model = small(tmp_path)
    res = run("attractors", model, "--phenotype", "Death=Apoptosis", "--phenotype", "Growth=MYC",
              "--treatment", "RT=1", "--treat", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert all(a["space"]["RT"] == 1 for a in data["attractors"])
    # PTEN free: apoptosis without AKT, MYC with it
    assert data["phenotypes"] == {"Death": 0.5, "Growth": 0.5}
    res = run("attractors", model, "--baseline", "RT=0", "--from", "baseline", "--json")
    assert res.exit_code == 0, res.output
    assert all(a["space"]["RT"] == 0 for a in json.loads(res.output)["attractors"])
    for args, message in [
        (["--phenotype", "Death"], "expected NAME=EXPRESSION"),
        (["--phenotype", "Death=Nope"], "--phenotype Death: unknown node Nope"),
        (["--phenotype", "Death=Apoptosis &"], "--phenotype Death:"),
        (["--treatment", "Nope=1"], "--treatment:"),
        (["--baseline", "RT=2"], "--baseline"),
    ]:
        res = run("attractors", model, *args)
        assert res.exit_code == 1, args
        assert message in res.output and "Traceback" not in res.output, res.output


def test_screen_on_a_foreign_model_with_cli_metadata(tmp_path):
    model = small(tmp_path)
    res = run("screen", model, "--phenotype", "Death=Apoptosis", "--treatment", "RT=1", "--baseline", "RT=0",
              "--workers", "1", "--db", ":memory:", "--json", "-q")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = {r["intervention"]: r for r in data["rows"]}
    assert rows["AKT ko"]["score"] > 0 and rows["AKT oe"]["score"] < 0
    assert rows["AKT ko"]["perturbation"] == {"AKT": 0} and rows["none"]["perturbation"] == {}


def test_screen_scores_any_node_and_minimises(tmp_path):
    model = small(tmp_path, "phenotypes: {Death: Apoptosis}\nmodel: {treatment: {RT: 1}, baseline: {RT: 0}}\n")
    common = ["--workers", "1", "--db", ":memory:", "--json", "-q", "--allow-trivial"]
    up = json.loads(run("screen", model, "--score", "MYC", *common).output)
    down = json.loads(run("screen", model, "--score", "MYC", "--minimise", *common).output)
    same = json.loads(run("screen", model, "--score", "MYC=0", *common).output)
    assert down["direction"] == "min" and up["direction"] == "max" and same["direction"] == "min"
    # the best hit first in both directions; scores are opposite
    assert up["rows"][0]["intervention"] in ("AKT oe", "MYC oe") and up["rows"][0]["score"] > 0
    assert down["rows"][0]["intervention"] in ("AKT ko", "MYC ko")
    score_up = {r["intervention"]: r["score"] for r in up["rows"]}
    score_down = {r["intervention"]: r["score"] for r in down["rows"]}
    assert score_up == {k: -v for k, v in score_down.items()} or all(
        abs(score_up[k] + score_down[k]) < 1e-12 for k in score_up)
    assert [r["intervention"] for r in down["rows"]] == [r["intervention"] for r in same["rows"]]
    res = run("screen", model, "--score", "Nope", *common)
    assert res.exit_code == 1 and "unknown phenotype or node 'Nope'" in res.output


def test_minimise_bliss_is_on_the_complement():
    """Brute-force check of the documented definition on a two-drug model."""
    net = parse_bnet("RT, RT\nA, A\nB, B\nGrow, A | B\n",
                     annotations=Annotations(phenotypes={"Grow": "Grow"}, treatment={"RT": 1}, baseline={"RT": 0}))
    result = screen(net, max_size=2, score="Grow", direction="min", workers=1, allow_trivial=True,
                    targets=["A", "B"], kinds=["ko"])
    rows = {r["intervention"]: r for r in result.rows}
    q = {k: 1 - r["share_Grow"] for k, r in rows.items()}
    p0, pa, pb, pab = q["none"], q["A ko"], q["B ko"], q["A ko + B ko"]
    expected = 1 - (1 - p0) * ((1 - pa) / (1 - p0)) * ((1 - pb) / (1 - p0))
    assert rows["A ko + B ko"]["bliss"] == pytest.approx(pab - expected)
    assert rows["A ko + B ko"]["score"] == pytest.approx(pab - p0)
    assert result.rows[0]["intervention"] == "A ko + B ko"


def test_explicitly_empty_treatment_means_none(tmp_path):
    model = small(tmp_path, "phenotypes: {Death: Apoptosis}\nmodel: {treatment: {RT: 1}, baseline: {RT: 0}}\n")
    common = ["--workers", "1", "--db", ":memory:", "--json", "-q", "--allow-trivial"]
    treated = json.loads(run("screen", model, *common).output)
    untreated = json.loads(run("screen", model, "--treatment", "", *common).output)
    assert treated["parameters"]["treatment"] == {"RT": 1}
    assert untreated["parameters"]["treatment"] == {}
    death = {r["intervention"]: r["share_Death"] for r in untreated["rows"]}
    assert death["none"] == 0.0 and death["AKT ko"] == 0.0  # no RT, no damage, no death
    solutions = {}
    for treatment in ("RT=1", ""):
        res = run("control", model, "--treatment", treatment, "--goal", "Death", "--json", "--workers", "1", "-q")
        assert res.exit_code == 0, res.output
        solutions[treatment] = [s["perturbation"] for s in json.loads(res.output)["solutions"]]
    assert {"AKT": 0} in solutions["RT=1"] and {"AKT": 0} not in solutions[""]


def test_the_documented_metadata_example_is_valid():
    """docs/formats.md's field-by-field example passes the schema and fits the model it names."""
    from signet.io.metadata import check_metadata, parse_metadata

    text = (REPO / "docs" / "formats.md").read_text()
    section = text.split("### A metadata file, field by field", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    annotations = parse_metadata(example, source="formats.md")
    net = read_model(REPO / "networks" / "atm_p53_core.bnet", metadata=False)
    check_metadata(annotations, net.nodes, text=example)
    assert annotations.nodes["TP53"].aliases == ("p53",) and annotations.rates["MDM2"] == (2.0, 0.5)
    assert dict(annotations.contexts["TP53_mutant"].fix) == {"TP53": 0}
