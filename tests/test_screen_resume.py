"""A screen killed with SIGKILL part-way resumes to the table of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from signet.io import read_model
from signet.screen import screen

from test_screen_support import async_oracle, slow_oracle, write_small_model

TESTS = Path(__file__).resolve().parent

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from signet.io import read_model
    from signet.screen import screen
    from test_screen_support import slow_oracle
    screen(read_model({model!r}), contexts="all", max_size=2, analysis=slow_oracle, workers=2, db={db!r})
    """
)


def _rows(db):
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_then_resume(tmp_path, monkeypatch):
    model = write_small_model(tmp_path)
    db = tmp_path / "screen.sqlite"
    log = tmp_path / "calls.log"
    env = {**os.environ, "SIGNET_TEST_LOG": str(log), "SIGNET_TEST_DELAY": "0.05"}
    script = SCRIPT.format(tests=str(TESTS), model=str(model), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, start_new_session=True)
    deadline = time.time() + 120
    while _rows(db) < 60 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the screen and its worker processes
    proc.wait()
    done = _rows(db)
    with sqlite3.connect(db) as con:
        stored_keys = con.execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
    net = read_model(model)
    total = len(screen(net, contexts="all", max_size=2, analysis=async_oracle, workers=1).rows)
    assert 0 < done < total, "the kill should land part-way"

    first_run_calls = log.read_text().splitlines()
    monkeypatch.setenv("SIGNET_TEST_LOG", str(log))
    monkeypatch.setenv("SIGNET_TEST_DELAY", "0")
    resumed = screen(net, contexts="all", max_size=2, analysis=slow_oracle, workers=1, db=db)
    resumed_calls = log.read_text().splitlines()[len(first_run_calls):]
    uninterrupted = screen(net, contexts="all", max_size=2, analysis=slow_oracle, workers=1,
                           db=tmp_path / "other.sqlite")
    assert resumed.rows == uninterrupted.rows
    assert resumed.stats["already_done"] == done
    assert resumed.stats["percolated"] == total - done
    # every stored analysis was reused: the resumed run analysed only the keys not yet stored
    assert resumed.stats["analysed"] == len(resumed_calls) == uninterrupted.stats["analysed"] - stored_keys
