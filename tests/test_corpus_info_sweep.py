"""``signet info`` on every file of the public corpus: a summary or one clear error, never a
traceback or a hang (each file gets a time bound in a child process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

pytestmark = pytest.mark.crosstool

#: seconds a file may take before it counts as a hang
TIMEOUT = 300

_SWEEP = r"""
import signal, sys, traceback, warnings
from click.testing import CliRunner
from signet.cli import main
warnings.simplefilter("ignore")
runner = CliRunner()
timeout = int(sys.argv[1])

class Hang(BaseException):
    pass

def alarm(*_):
    raise Hang()

signal.signal(signal.SIGALRM, alarm)
for path in sys.stdin.read().splitlines():
    signal.alarm(timeout)
    try:
        result = runner.invoke(main, ["info", path])
    except Hang:
        print("hang", path, flush=True)
        continue
    finally:
        signal.alarm(0)
    error = result.exception
    lines = [l for l in result.stderr.splitlines() if l.strip() and not l.startswith("warning:")]
    status = "ok" if result.exit_code == 0 else "error" if result.exit_code == 1 and len(lines) == 1 else "bad"
    if error is not None and not isinstance(error, SystemExit):
        status = "crash " + "".join(traceback.format_exception_only(type(error), error)).strip()[:300]
    print(status, path, (lines[0] if lines else "")[:300], flush=True)
"""


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def test_info_on_every_corpus_file_ends_cleanly() -> None:
    files = corpus_files()
    assert len(files) > 500
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", _SWEEP, str(TIMEOUT)], input="\n".join(map(str, files)),
                         capture_output=True, text=True, env=env).stdout
    lines = out.splitlines()
    assert len(lines) == len(files), out[-2000:]
    bad = [line for line in lines if not line.startswith(("ok ", "error "))]
    assert not bad, "\n".join(bad)
    readable = [line for line in lines if line.startswith("ok ")]
    assert sum(1 for line in readable if line.split(" ", 2)[1].endswith(".bnet")) == 544
    sbml = [line for line in lines if line.split(" ", 2)[1].endswith(".sbml")]
    assert all(line.startswith("ok ") or "is multi-valued" in line for line in sbml), sbml
    assert sum(1 for line in sbml if line.startswith("ok ")) >= 25
