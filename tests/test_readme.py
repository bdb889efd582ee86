"""The README's example and commands are real: run them and compare with what it shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _fences(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def test_example_prints_what_the_readme_shows():
    (code,) = _fences("python")
    shown = _fences("text")[0]
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == shown.split()


def test_first_screen_commands_and_links():
    commands = [line.split("#")[0].strip() for line in _fences("bash")[0].splitlines()]
    assert commands[0] == 'pip install -e ".[test]"'
    assert commands[2] == "pytest"
    # the main job runs on a bundled model and ranks something
    main = commands[1].split()
    assert main[0] == "signet" and (REPO / main[2]).is_file()
    run = subprocess.run(
        main + ["--quiet", "--db", ":memory:", "--json"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    assert '"score"' in run.stdout
    # every relative link in the README points at a file in the repository
    for target in re.findall(r"\]\(((?:docs|networks)/[^)#]+)\)", README):
        assert (REPO / target).exists(), target
