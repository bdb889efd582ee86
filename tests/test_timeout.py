"""``signet --timeout``: a long analysis ends with one line and exit status 1, never runs
until killed; a screen stopped this way keeps its rows and resumes (issue 16, item 5)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RR = REPO / "networks" / "radioresistance.bnet"


def signet(*args, env_extra=None, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-c", "from signet.cli import main; main()", *map(str, args)],
        env=env, capture_output=True, text=True, timeout=timeout,
    )


def many_inputs(tmp_path: Path, n: int = 40) -> Path:
    """``n`` free inputs feeding one node: 2**n attractors, far too many to list."""
    path = tmp_path / "inputs.bnet"
    lines = ["targets, factors", *(f"I{i}, I{i}" for i in range(n)), "X, " + " | ".join(f"I{i}" for i in range(n))]
    path.write_text("\n".join(lines) + "\n")
    return path


def one_line(result, *fragments):
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("update", ["mp", "async"])
def test_attractors_of_2_to_the_40_stop_at_the_timeout(tmp_path, update):
    model = many_inputs(tmp_path)
    start = time.monotonic()
    result = signet("--timeout", "2", "attractors", model, "--update", update)
    elapsed = time.monotonic() - start
    one_line(result, "stopped after 2 s", "--timeout 2")
    assert elapsed < 2 + 10 + 5  # the timer, the native-code backstop, interpreter start-up


def test_timeout_from_the_environment(tmp_path):
    result = signet("attractors", many_inputs(tmp_path), env_extra={"SIGNET_TIMEOUT": "1.5"})
    one_line(result, "stopped after 1.5 s")


def test_a_command_that_finishes_in_time_is_unaffected(tmp_path):
    plain = signet("info", many_inputs(tmp_path, 5), "--json")
    timed = signet("--timeout", "60", "info", many_inputs(tmp_path, 5), "--json")
    assert plain.returncode == timed.returncode == 0 and plain.stdout == timed.stdout


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_a_bad_timeout_is_a_usage_error(tmp_path, value):
    one_line(signet("--timeout", value, "info", many_inputs(tmp_path, 3)), "--timeout")


def test_a_timed_out_screen_stops_with_its_checkpoint_intact(tmp_path):
    """The rows finished before the limit are flushed by the same path as Ctrl-C and SIGTERM
    (resuming from such a checkpoint is tested in test_screen_resume/test_screen_hardening);
    here: the message names the checkpoint, the checkpoint is sound, no half-written CSV."""
    db, out = tmp_path / "screen.sqlite", tmp_path / "screen.csv"
    stopped = signet("--timeout", "3", "screen", RR, "--context", "all", "--max-size", "2", "--workers", "1", "-q",
                     "--db", db, "--out", out)
    one_line(stopped, "stopped after 3 s", str(db), "run the same command again to resume")
    assert not out.exists()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_too_many_attractors_to_list_are_announced_before_the_work(tmp_path):
    model = many_inputs(tmp_path)
    result = signet("--timeout", "2", "attractors", model)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("warning: 40 free inputs: at least 2**40 attractors") and "--count" in lines[0]
    assert lines[-1].startswith("Error: stopped after 2 s") and result.returncode == 1
    counted = signet("attractors", model, "--count")
    assert counted.returncode == 0 and counted.stdout.startswith("1099511627776 attractors"), counted.stdout
    small = signet("attractors", many_inputs(tmp_path, 5))
    assert small.returncode == 0 and "warning" not in small.stderr


def test_a_time_limit_never_breaks_an_import(tmp_path, monkeypatch):
    """A limit that expires while a module is being imported waits for the import to finish:
    an import aborted half-way leaves an extension module initialised twice (CPython's
    ``_decimal`` then prints "mpd_setminalloc ... a second time" beside the one-line error)."""
    from signet.cli import _time_limit
    from signet.errors import TimeLimitExceeded

    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(0.4)\nDONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_to_import", raising=False)
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with _time_limit(0.1):
            import slow_to_import  # noqa: F401
            time.sleep(5)
    assert sys.modules["slow_to_import"].DONE  # the import finished; the limit struck after it
    assert 0.4 <= time.monotonic() - start < 2


@pytest.mark.parametrize("load", ["symbolic", "interop"])
def test_a_limit_that_strikes_inside_aeon_is_a_time_limit_not_an_aeon_failure(monkeypatch, load):
    """Session 22's CI failure: the limit struck while biodivine-aeon was loading the network (a screen picks the BDD
    engine), AEON's loader reported it as "biodivine-aeon could not load the network: stopped after 3 s", and the
    screen's handler, which names the checkpoint to resume from, never saw a time limit. Every loader of a foreign
    library now lets signet's own errors through (``signet.errors.foreign_errors``)."""
    import biodivine_aeon as ba

    from signet.dynamics.symbolic import aeon_network
    from signet.errors import EngineError, ModelError, TimeLimitExceeded
    from signet.interop import to_aeon
    from signet.io import read_model

    net = read_model(REPO / "networks" / "atm_p53_core.bnet")
    loader = aeon_network if load == "symbolic" else to_aeon

    def struck(*args, **kwargs):
        raise TimeLimitExceeded("stopped after 3 s (--timeout 3): the answer was not complete")

    monkeypatch.setattr(ba.BooleanNetwork, "from_bnet", struck)
    with pytest.raises(TimeLimitExceeded):
        loader(net)

    def broken(*args, **kwargs):
        raise RuntimeError("bad token")

    monkeypatch.setattr(ba.BooleanNetwork, "from_bnet", broken)  # AEON's own failure is still reported as AEON's
    with pytest.raises(EngineError if load == "symbolic" else ModelError, match="bad token"):
        loader(net)
