"""The documentation site builds without a single warning, and its references are complete."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"sphinx-build failed:\n{proc.stderr}\n{proc.stdout}"
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr

    # the CLI reference lists every command, including the subcommands of groups
    from click import Group

    from signet.cli import COMMANDS, main

    cli = (out / "cli.html").read_text(encoding="utf-8")
    documented = set(re.findall(r'id="signet-([a-z0-9-]+)"', cli))
    expected = set()
    for name in COMMANDS:
        expected.add(name)
        command = main.get_command(None, name)
        if isinstance(command, Group):
            expected.update(f"{name}-{sub}" for sub in command.list_commands(None))
    assert expected <= documented, sorted(expected - documented)

    # the API reference documents every public module, with its functions
    api = "".join(p.read_text(encoding="utf-8") for p in (out / "api").glob("*.html"))
    for module in ["signet.model", "signet.expr", "signet.graph", "signet.annotations", "signet.phenotypes",
                   "signet.io", "signet.io.bnet", "signet.io.sbml", "signet.io.expectations", "signet.dynamics",
                   "signet.screen", "signet.validate",
                   "signet.plot", "signet.errors"]:
        assert f'id="module-{module}"' in api, module
    for function in ["signet.dynamics.attractors", "signet.screen.screen", "signet.io.read_model",
                     "signet.model.BooleanNetwork.perturb"]:
        assert f'id="{function}"' in api, function

    # every tutorial is in the site
    for tutorial in (ROOT / "docs" / "tutorials").glob("*.md"):
        assert (out / "tutorials" / f"{tutorial.stem}.html").is_file(), tutorial.name
