"""``signet attractors`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signet.cli import main

BNET = """RT, RT
DDR, RT
P53, DDR & !MDM2
MDM2, P53
Apoptosis, P53 & !AKT
AKT, AKT
"""
YAML = """model: {title: Demo, treatment: {RT: 1}, baseline: {RT: 0}}
nodes:
  P53: {aliases: [TP53]}
phenotypes:
  Death: Apoptosis
  Survival: AKT
contexts: {AKT_high: {fix: {AKT: 1}}}
"""


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "demo.bnet"
    path.write_text(BNET)
    (tmp_path / "demo.yaml").write_text(YAML)
    return str(path)


def run(*args):
    result = CliRunner().invoke(main, ["attractors", *args])
    return result


def run_json(*args):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_shape(model):
    data = run_json(model, "--update", "async")
    assert data["update"] == "async"
    assert data["exact"] is True
    assert set(data) >= {"update", "attractors", "phenotypes", "exact", "engine"}
    # by hand: RT=0 gives two fixed points (AKT 0/1); RT=1 two cycles of P53/MDM2
    kinds = sorted((a["kind"], a["states"]) for a in data["attractors"])
    assert kinds == [("cyclic", 4), ("cyclic", 8), ("fixed", 1), ("fixed", 1)]
    for a in data["attractors"]:
        assert set(a) >= {"kind", "space", "states", "phenotypes"}
        assert set(a["space"]) == {"RT", "DDR", "P53", "MDM2", "Apoptosis", "AKT"}
        assert all(v in (0, 1, "*") for v in a["space"].values())
    # Survival (AKT=1) in 2 of 4 attractors; Death only oscillates (never in a whole attractor)
    assert data["phenotypes"] == {"Death": 0.0, "Survival": 0.5}
    oscillating = [a for a in data["attractors"] if "Death" in a.get("phenotypes_oscillating", [])]
    assert len(oscillating) == 1 and oscillating[0]["space"]["AKT"] == 0


def test_ko_oe_fix_context(model):
    for update in ("mp", "async", "sync"):
        data = run_json(model, "-u", update, "--ko", "AKT")
        assert all(a["space"]["AKT"] == 0 for a in data["attractors"])
        data = run_json(model, "-u", update, "--oe", "tp53")  # alias, case-insensitive
        assert all(a["space"]["P53"] == 1 and a["space"]["MDM2"] == 1 for a in data["attractors"])
        data = run_json(model, "-u", update, "--fix", "RT=1,AKT=0")
        assert len(data["attractors"]) == 1
        assert data["attractors"][0]["space"]["RT"] == 1
        data = run_json(model, "-u", update, "--context", "AKT_high")
        assert all(a["space"]["AKT"] == 1 for a in data["attractors"])
        assert data["phenotypes"]["Survival"] == 1.0


def test_from_baseline_and_state(model):
    # baseline: RT=0 attractors (AKT 0 or 1); treated with RT=1 and AKT knocked out
    data = run_json(model, "-u", "async", "--treat", "--from", "baseline", "--ko", "AKT")
    assert [a["space"]["RT"] for a in data["attractors"]] == [1]
    data = run_json(model, "-u", "async", "--treat", "--from", "baseline")
    assert sorted(a["space"]["AKT"] for a in data["attractors"]) == [0, 1]
    # a partial start: AKT=1 and RT=1 -> only the AKT-high cycle
    data = run_json(model, "-u", "async", "--from", "RT=1,AKT=1")
    assert len(data["attractors"]) == 1
    assert data["attractors"][0]["space"]["AKT"] == 1
    assert data["attractors"][0]["space"]["RT"] == 1


def test_unknown_node_and_bad_values(model):
    result = run(model, "--ko", "AKTT")
    assert result.exit_code == 1
    assert "did you mean" in result.output and "'AKT'" in result.output
    assert "Traceback" not in result.output
    result = run(model, "--from", "P53=2")
    assert result.exit_code == 1 and "NAME=0 or NAME=1" in result.output
    result = run(model, "--context", "nope")
    assert result.exit_code == 1 and "unknown context" in result.output
    result = run(model, "--update", "chaos")
    assert result.exit_code == 1 and "Usage:" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: Invalid value for '--update'")


def test_human_table(model):
    result = run(model, "-u", "async")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("4 attractors (async")
    header = lines[1].split()
    assert header[:5] == ["#", "kind", "states", "Death", "Survival"]
    assert "AKT" in header and "P53" in header
    assert "phenotype shares: Death 0.00, Survival 0.50" in result.output


def test_sync_too_large_is_a_clean_error(tmp_path):
    path = tmp_path / "big.bnet"
    path.write_text("".join(f"x{i}, x{(i + 1) % 26} | !x{(i + 3) % 26}\n" for i in range(26)))
    result = run(str(path), "-u", "sync")
    assert result.exit_code == 1
    assert "states exceed" in result.output and "Traceback" not in result.output


def test_shipped_model_knockout():
    from pathlib import Path

    from signet.io import read_model

    path = Path(__file__).resolve().parents[1] / "networks" / "atm_p53_core.bnet"
    net = read_model(path)
    for update in ("mp", "async", "sync"):
        data = run_json(str(path), "-u", update, "--treat", "--from", "baseline", "--ko", "MDM2")
        assert data["attractors"]
        for a in data["attractors"]:
            assert set(a["space"]) == set(net.nodes)
            assert a["space"]["MDM2"] == 0
            assert a["space"]["RT"] == 1
        assert set(data["phenotypes"]) == set(net.annotations.phenotypes)


def test_phenotype_named_like_a_node_is_one_column_and_context_has_a_short_flag():
    from conftest import NETWORKS

    out = CliRunner().invoke(
        main, ["attractors", str(NETWORKS / "radioresistance.bnet"), "-c", "TP53_mutant", "--fix", "RT=1", "--from", "baseline"]
    )
    assert out.exit_code == 0, out.output
    header = out.output.splitlines()[1].split()
    assert header.count("Death") == 1 and header.count("Apoptosis") == 1
