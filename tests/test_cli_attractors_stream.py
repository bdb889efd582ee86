"""``signet attractors --count / --limit / --json-lines / --by-inputs`` against the full listing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signet.cli import main
from signet.cli.attractors import DISPLAY_ROWS

BNET = """RT, RT
AKT, AKT
GF, GF
DDR, RT
P53, DDR & !MDM2
MDM2, P53 | GF & AKT
Apoptosis, P53 & !AKT
Arrest, P53 & !GF | Arrest & RT
"""
YAML = """model: {title: Demo, treatment: {RT: 1}, baseline: {RT: 0}}
phenotypes:
  Death: Apoptosis
"""


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "demo.bnet"
    path.write_text(BNET)
    (tmp_path / "demo.yaml").write_text(YAML)
    return str(path)


def run(*args):
    result = CliRunner().invoke(main, ["attractors", *args])
    assert result.exit_code == 0, result.output
    return result.output


def listing(model, *args):
    return json.loads(run(model, *args, "--json"))["attractors"]


def key(attractor):
    return json.dumps([attractor["kind"], attractor["space"], attractor["states"]], sort_keys=True)


@pytest.mark.parametrize("update", ["async", "mp", "sync"])
@pytest.mark.parametrize("extra", [[], ["--from", "RT=0"], ["--ko", "AKT"]])
def test_count_and_stream_agree_with_listing(model, update, extra):
    full = listing(model, "-u", update, *extra)
    assert json.loads(run(model, "-u", update, *extra, "--count", "--json"))["count"] == len(full)
    assert run(model, "-u", update, *extra, "--count").startswith(f"{len(full)} attractor")
    lines = [json.loads(line) for line in run(model, "-u", update, *extra, "--json-lines").splitlines()]
    *found, summary = lines
    assert summary["count"] == len(found) == len(full) and summary["complete"] is True
    assert sorted(map(key, found)) == sorted(map(key, full))
    for a in found:
        assert a["inputs"] == {n: a["space"][n] for n in summary["inputs"]}
    grouped = json.loads(run(model, "-u", update, *extra, "--by-inputs", "--json"))["attractors"]
    assert sorted(map(key, grouped)) == sorted(map(key, full))


def test_groups_are_contiguous_and_named(model):
    data = json.loads(run(model, "-u", "async", "--by-inputs", "--json"))
    assert data["inputs"] == ["RT", "AKT", "GF"]
    valuations = [tuple(sorted(a["inputs"].items())) for a in data["attractors"]]
    seen = []
    for v in valuations:
        if not seen or seen[-1] != v:
            assert v not in seen  # each input valuation forms one run
            seen.append(v)
    assert len(seen) == 8
    text = run(model, "-u", "async", "--by-inputs")
    assert "RT=1 AKT=0 GF=0:" in text and text.count(" attractor") >= 9


def test_limit_stops_early_and_says_so(model):
    full = listing(model, "-u", "async")
    lines = run(model, "-u", "async", "--json-lines", "--limit", "2").splitlines()
    assert len(lines) == 3 and json.loads(lines[-1])["complete"] is False
    assert json.loads(run(model, "-u", "async", "--limit", str(len(full)), "--json"))["complete"] is True
    assert len(json.loads(run(model, "-u", "async", "--limit", "0", "--json"))["attractors"]) == len(full)
    assert "the first 2 attractors, more exist" in run(model, "-u", "async", "--limit", "2")
    bad = CliRunner().invoke(main, ["attractors", model, "--limit", "-1"])
    assert bad.exit_code == 1 and "-1" in bad.output  # usage errors exit 1 like every bad input


def test_default_text_output_fits_a_terminal(tmp_path):
    # 8 free inputs: 256 fixed points; the table shows DISPLAY_ROWS and says how many more
    path = tmp_path / "inputs.bnet"
    path.write_text("".join(f"I{i}, I{i}\n" for i in range(8)) + "Out, I0 & I1\n")
    text = run(str(path), "-u", "async")
    assert text.startswith("256 attractors")
    assert f"... {256 - DISPLAY_ROWS} more not shown" in text
    assert len(text.splitlines()) < DISPLAY_ROWS + 10
    assert run(str(path), "-u", "async", "--count").startswith("256 attractors (async); 8 free inputs")


def test_streaming_options_refuse_a_schedule(model):
    bad = CliRunner().invoke(main, ["attractors", model, "-u", "async", "--schedule", "RT=1 ; RT=0", "--count"])
    assert bad.exit_code == 1 and "--schedule" in bad.output and "Traceback" not in bad.output


# X reads 8 regulators: its rule restricted to fixed inputs is cut as a big table (the path
# that imported numpy); the first answer comes from the decomposition
WIDE = """A1, A1
A2, A2
A3, A3
X, (A1 | A2 | A3 | B1 | B2 | B3 | C) & !Y | X & B1 & B2
Y, X & !Z
Z, Y | B3
B1, X | B1
B2, B1 & !Y
B3, B2 | Z & !B1
C, !C & X | Y
"""


def test_first_attractor_imports_only_what_it_needs(tmp_path):
    # the first line of --json-lines waits for no import the answer does not use: numpy (table
    # cofactors), tqdm and multiprocessing (no progress bar off a terminal), the SBML reader
    # and the urllib/http stack xml.sax pulls in (a .bnet file), sympy, networkx, scipy, pandas
    import subprocess
    import sys

    path = tmp_path / "wide.bnet"
    path.write_text(WIDE)
    code = (
        "import sys\n"
        f"sys.argv = ['signet', 'attractors', {str(path)!r}, '--update', 'async', '--json-lines', '--limit', '1']\n"
        "from signet.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('numpy', 'tqdm', 'multiprocessing', 'signet.io.sbml', 'xml.sax.saxutils', 'urllib.request',\n"
        "         'sympy', 'networkx', 'scipy', 'pandas')\n"
        "print('LOADED', ','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert json.loads(lines[0])["kind"] in ("fixed", "cyclic")
    assert lines[-1] == "LOADED "


@pytest.mark.parametrize("extra", [[], ["--ko", "AKT"], ["--fix", "RT=1"]])
def test_fixed_points_listed_counted_and_streamed_alike(model, extra):
    # --fixed-points: the fixed attractors of the full async listing (a fixed point is a one-state
    # attractor under every scheme), counted symbolically, streamed, and as a table
    from signet.dynamics import fixed_points
    from signet.io import read_model

    full = [a for a in listing(model, "-u", "async", *extra) if a["kind"] == "fixed"]
    assert full  # the fixture has fixed points in every case
    spaces = sorted(json.dumps(a["space"], sort_keys=True) for a in full)
    got = json.loads(run(model, "--fixed-points", *extra, "--json"))
    assert sorted(json.dumps(a["space"], sort_keys=True) for a in got["attractors"]) == spaces
    assert all(a["kind"] == "fixed" and a["states"] == 1 for a in got["attractors"])
    assert json.loads(run(model, "--fixed-points", *extra, "--count", "--json"))["count"] == len(full)
    assert run(model, "--fixed-points", *extra, "--count").startswith(f"{len(full)} fixed point")
    *found, summary = [json.loads(line) for line in run(model, "--fixed-points", *extra, "--json-lines").splitlines()]
    assert summary["count"] == len(found) == len(full) and summary["update"] == "fixed"
    assert sorted(json.dumps(a["space"], sort_keys=True) for a in found) == spaces
    assert run(model, "--fixed-points", *extra).startswith(f"{len(full)} fixed point")
    assert len(fixed_points(read_model(model).perturb(fix={"RT": 1}) if extra == ["--fix", "RT=1"]
                            else read_model(model).perturb(ko=["AKT"]) if extra else read_model(model))) == len(full)


def test_fixed_points_count_many_inputs_without_listing(tmp_path):
    # 70 inputs (2**70 fixed points and more): counted at once; the table shows DISPLAY_ROWS
    path = tmp_path / "inputs.bnet"
    path.write_text("".join(f"I{i}, I{i}\n" for i in range(70)) + "Out, I0 & I1 | Out & I2\n")
    # over the 8 values of (I0, I1, I2), each with 2**67 values of the other inputs: Out=1 if
    # I0 & I1 (2 values, 1 fixed point each); else Out is bistable if I2 (3 values, 2 each), 0 if not (3, 1 each)
    expected = 2 ** 67 * (2 * 1 + 3 * 2 + 3 * 1)
    text = run(str(path), "--fixed-points", "--count")
    assert text.startswith(f"{expected} fixed points; 70 free inputs")
    shown = run(str(path), "--fixed-points")
    assert shown.startswith(f"the first {DISPLAY_ROWS} fixed points, more exist")
    assert len(shown.splitlines()) < DISPLAY_ROWS + 10


def test_fixed_points_refuse_a_start_and_an_engine(model):
    for extra in (["--from", "RT=0"], ["--schedule", "RT=1 ; RT=0"], ["--engine", "explicit"]):
        bad = CliRunner().invoke(main, ["attractors", model, "--fixed-points", *extra])
        assert bad.exit_code == 1 and "--fixed-points" in bad.output and "Traceback" not in bad.output
