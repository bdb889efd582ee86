"""``signet screen`` and ``signet control`` through the CLI (default mp analysis)."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from signet.cli import main

from test_screen_support import write_small_model


def test_screen_cli_json_csv_and_resume(tmp_path):
    model = write_small_model(tmp_path)
    out = tmp_path / "pairs.csv"
    runner = CliRunner()
    args = ["screen", str(model), "--context", "all", "--max-size", "2", "--workers", "1", "--out", str(out)]
    first = runner.invoke(main, args + ["--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout if hasattr(first, "stdout") else first.output)
    assert data["stats"]["already_done"] == 0
    assert (tmp_path / "pairs.sqlite").exists()
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == len(data["rows"])
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    assert "rank" in second.output and "Death share under treatment alone" in second.output
    assert f"{len(rows)} rows: {len(rows)} from" in second.output
    # a different treatment on the same database is refused with a clear message
    third = runner.invoke(main, args + ["--treatment", "RT=1,Hypoxia=1"])
    assert third.exit_code == 1 and "another model or with other parameters" in third.output
    bad = runner.invoke(main, ["screen", str(model), "--context", "wildtyp"])
    assert bad.exit_code == 1 and "did you mean wildtype" in bad.output


def test_control_cli(tmp_path):
    model = write_small_model(tmp_path)
    res = CliRunner().invoke(main, ["control", str(model), "-c", "TP53_mutant", "--goal", "Death",
                                    "--max-size", "2", "--workers", "1", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["goal"] == {"Death": 1} and data["solutions"]
    assert all(s["size"] <= 2 for s in data["solutions"])
