"""``signet export`` and ``signet convert`` with the exchange formats, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signet.cli import main
from signet.io import read_model
from signet.io.boolnet import read_boolnet
from signet.io.sbml import read_sbml

from _exchange import MODELS, NETWORKS

RR = NETWORKS / "radioresistance.bnet"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_sbml_with_context_and_perturbations(tmp_path):
    net = read_model(RR)
    context = "TP53_mutant"
    fixed = dict(net.context(context).fix)
    out = tmp_path / "rr.sbml"
    result = run("export", RR, "--to", "sbml", "-o", out, "--context", context, "--ko", "PARP1", "--oe", "ATM", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "sbml" and data["files"] == [str(out)]
    back = read_sbml(out)
    expected = net.perturb(context=context, ko=["PARP1"], oe=["ATM"])
    assert back.is_equivalent(expected)
    for node, value in {**{net.resolve(k): v for k, v in fixed.items()}, "PARP1": 0, "ATM": 1}.items():
        assert back.constants[node] == value
    assert back.annotations == net.annotations


@pytest.mark.parametrize(("to", "name", "reader"), [
    ("bnet", "rr.bnet", lambda p: read_model(p, metadata=False)),
    ("boolnet", "rr.txt", read_boolnet),
])
def test_export_text_formats(tmp_path, to, name, reader):
    out = tmp_path / name
    result = run("export", RR, "--to", to, "-o", out, "--ko", "PARP1,PRKDC")
    assert result.exit_code == 0, result.output
    assert "fixed PARP1=0, PRKDC=0" in result.output
    assert reader(out).is_equivalent(read_model(RR).knockout("PARP1", "PRKDC"))


def test_export_maboss_writes_cfg_beside_bnd(tmp_path):
    out = tmp_path / "rr.bnd"
    result = run("export", RR, "--to", "maboss", "-o", out, "--ko", "PARP1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rr.bnd", "rr.cfg", "rr.yaml"]
    assert "PARP1.istate = 0;" in (tmp_path / "rr.cfg").read_text()


def test_export_primes(tmp_path):
    out = tmp_path / "rr.json"
    result = run("export", RR, "--to", "primes", "-o", out, "--oe", "RT")
    assert result.exit_code == 0, result.output
    primes = json.loads(out.read_text())
    assert primes["RT"] == [[], [{}]]
    assert set(primes) == set(read_model(RR).nodes)


@pytest.mark.parametrize("args", [
    ["--context", "no_such_context"],
    ["--ko", "NO_SUCH_NODE"],
])
def test_bad_requests_exit_1_with_one_line_and_no_file(tmp_path, args):
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("export", RR, "--to", "sbml", "-o", tmp_path / "x.sbml", *args)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_export_bad_model_file(tmp_path):
    bad = tmp_path / "bad.sbml"
    bad.write_text("<sbml><model></sbml>")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("export", bad, "--to", "bnet", "-o", tmp_path / "x.bnet")
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{bad}:1:" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(("name", "fmt"), [
    ("m.sbml", "sbml"), ("m.xml", "sbml"), ("m.bnd", "maboss"), ("m.json", "primes"), ("m.bnet", "bnet"),
])
def test_convert_infers_formats_from_extensions(tmp_path, name, fmt):
    src = MODELS / "pyboolnet/faure_cellcycle/faure_cellcycle.bnet"
    result = run("convert", src, tmp_path / name)
    assert result.exit_code == 0, result.output
    assert f"({fmt}," in result.output
    if fmt == "maboss":
        assert (tmp_path / "m.cfg").exists()
    if fmt in ("sbml", "bnet"):
        assert read_model(tmp_path / name).is_equivalent(read_model(src))


def test_convert_multivalued_sbml_needs_bits(tmp_path):
    src = MODELS / "ginsim/2018-bird-sex-determination/reduced_network.sbml"
    result = run("convert", src, tmp_path / "bird.bnet")
    assert result.exit_code == 1 and "multi-valued" in result.output
    assert list(tmp_path.iterdir()) == []
    result = run("convert", src, tmp_path / "bird.bnet", "--from", "sbml_bits")
    assert result.exit_code == 0, result.output
    assert read_model(tmp_path / "bird.bnet").is_equivalent(read_sbml(src, multivalued="bits"))
