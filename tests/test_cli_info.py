"""signet info / convert / --version, and a start-up that imports nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from conftest import NETWORKS
from signet import __version__
from signet.cli import main
from signet.io.bnet import read_bnet


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_info_json_on_bundled_core_model():
    result = run("info", str(NETWORKS / "atm_p53_core.bnet"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    net = read_bnet(NETWORKS / "atm_p53_core.bnet")
    assert data["counts"]["nodes"] == len(net) == 6
    assert data["inputs"] == ["RT"]
    assert {(e["source"], e["target"], e["sign"]) for e in data["edges"]} >= {("TP53", "MDM2", "+"), ("MDM2", "TP53", "-")}
    assert data["unused_regulators"] == []
    assert data["treatment"] == {"RT": 1} and data["baseline_fractions"] == {}
    assert "population" not in run("info", str(NETWORKS / "atm_p53_core.bnet")).output


def test_info_shows_the_untreated_population_of_the_radioresistance_model():
    text = run("info", str(NETWORKS / "radioresistance.bnet")).output
    assert "population CSC=1 in 5% of untreated cells" in text.splitlines()
    data = json.loads(run("info", str(NETWORKS / "radioresistance.bnet"), "--json").output)
    assert data["baseline_fractions"] == {"CSC": 0.05} and data["treatment"] == "RT=1 ; RT=0"


def test_info_shows_the_treatment_and_the_rates_that_are_not_one(tmp_path):
    """The treatment --treat applies and the declared flip rates change what simulate, probabilities
    and timecourse compute, so info names them: numbers and state-dependent rates, rates of 1 left out."""
    (tmp_path / "m.bnet").write_text("RT, RT\nA, RT | B\nB, A\n")
    (tmp_path / "m.yaml").write_text("model:\n  treatment: {RT: 1}\nrates:\n  A: {up: 0.25}\n"
                                     "  B: {up: 1, down: \"A ? 2 : 0.5\"}\n")
    lines = run("info", str(tmp_path / "m.bnet")).output.splitlines()
    assert "treatment  RT=1" in lines
    assert "rates      2: A up 0.25, B down A ? 2 : 0.5" in lines
    data = json.loads(run("info", str(tmp_path / "m.bnet"), "--json").output)
    assert data["rates"] == {"A": {"up": 0.25, "down": 1.0}, "B": {"up": 1.0, "down": "A ? 2 : 0.5"}}
    (tmp_path / "m.yaml").unlink()
    plain = run("info", str(tmp_path / "m.bnet")).output
    assert "treatment" not in plain and "rates" not in plain


def test_info_text_lists_unused_regulators(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("A, A\nB, A & (C | !C)\nC, B\n")
    result = run("info", str(path), "--edges")
    assert result.exit_code == 0
    assert "unused     1: C in B" in result.output
    assert "A -+-> B" in result.output


def test_info_reports_implicit_inputs_as_one_warning(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("A, X & Y\n")
    result = run("info", str(path))
    assert result.exit_code == 0
    assert result.stderr.count("warning:") == 1
    assert "2 node(s) used but never defined were added as inputs: X, Y" in result.stderr


def test_missing_file_is_a_clear_error():
    result = run("info", "no/such/model.bnet")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no/such/model.bnet: no such file"


def test_convert_normalises_bnet(tmp_path):
    src = tmp_path / "in.bnet"
    src.write_text("# c\nB, !(!A)\nA, A\n")
    out = tmp_path / "out.bnet"
    result = run("convert", str(src), str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text() == "targets, factors\nB, A\nA, A\n"


def test_unknown_extension_is_a_clear_error(tmp_path):
    src = tmp_path / "in.bnet"
    src.write_text("A, A\n")
    result = run("convert", str(src), str(tmp_path / "out.xyz"))
    assert result.exit_code == 1 and "cannot tell the format" in result.output
    assert not (tmp_path / "out.xyz").exists()


def test_help_imports_no_heavy_module():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from signet.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('numpy', 'sympy', 'networkx', 'clingo', 'biodivine_aeon', 'libsbml', 'matplotlib', 'dask', 'yaml', 'numba', 'llvmlite') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_has_help():
    from signet.cli import COMMANDS

    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_every_command_offers_json():
    import click

    from signet.cli import COMMANDS, main

    ctx = click.Context(main)
    leaves = []
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            leaves += [(f"{name} {sub}", command.get_command(ctx, sub)) for sub in command.list_commands(ctx)]
        else:
            leaves.append((name, command))
    missing = [name for name, command in leaves if "--json" not in {o for p in command.params for o in p.opts}]
    assert not missing, f"commands without --json: {missing}"
