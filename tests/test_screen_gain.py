"""The therapeutic gain of a screen: score in a context minus the score of the same intervention in a reference."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from signet.annotations import Annotations, Context
from signet.cli import main as cli
from signet.errors import ModelError
from signet.io import read_model
from signet.model import BooleanNetwork
from signet.screen import screen
from signet.screen.store import ScreenStoreMismatch
from strategies import expressions

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "networks" / "radioresistance.bnet"
NAMES = ["RT", "n0", "n1", "n2", "n3"]


@st.composite
def two_context_networks(draw: st.DrawFn) -> BooleanNetwork:
    """A random network with a treatment input RT, a phenotype on n0 and two contexts fixing nodes."""
    rules = {"RT": "RT", **{n: draw(expressions(NAMES, max_leaves=6)) for n in NAMES[1:]}}
    fixes = [draw(st.dictionaries(st.sampled_from(NAMES[2:]), st.integers(0, 1), max_size=2)) for _ in range(2)]
    annotations = Annotations(
        phenotypes={"Death": "n0", "Other": "n1 & !n2"}, treatment={"RT": 1}, baseline={"RT": 0},
        contexts={"normal": Context("normal", fixes[0]), "tumour": Context("tumour", fixes[1])},
    )
    return BooleanNetwork(rules, annotations=annotations)


def _by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["context"], r["perturbation"]): r for r in rows}


@settings(max_examples=30, deadline=None)
@given(two_context_networks(), st.sampled_from(["share", "inevitable", "possible", "probability"]),
       st.sampled_from(["Death", "Death=0", "Other"]), st.integers(1, 2))
def test_gain_is_score_minus_the_score_of_a_separate_screen_in_the_reference(net, metric, score, max_size):
    common = dict(workers=1, metric=metric, score=score, max_size=max_size, split_inputs=False,
                  allow_trivial=True, targets=NAMES[1:])
    with_gain = screen(net, contexts="tumour", reference="normal", **common)
    alone = {r["perturbation"]: r for r in screen(net, contexts="normal", reference="", **common).rows}
    assert {r["context"] for r in with_gain.rows} == {"tumour"}
    assert len(with_gain.rows) == len(alone)
    for row in with_gain.rows:
        expected = alone[row["perturbation"]]["score"]
        assert row["reference_score"] == expected
        assert row["gain"] == row["score"] - expected
        if metric != "share":  # exact here: a point interval
            assert row["gain_lo"] == pytest.approx(row["gain"]) == row["gain_hi"]
        else:
            assert "gain_lo" not in row


def test_reference_rows_get_no_gain_and_the_columns_follow_the_score():
    net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "B", "Death": "A"}, annotations=Annotations(
        phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
        contexts={"normal": Context("normal", {"B": 0}), "tumour": Context("tumour", {"B": 1})}))
    result = screen(net, contexts="all", reference="normal", workers=1, allow_trivial=True)
    assert result.columns[result.columns.index("score"):][:3] == ["score", "reference_score", "gain"]
    rows = _by_key(result.rows)
    assert rows[("normal", "A=0")]["gain"] is None and rows[("normal", "A=0")]["reference_score"] is None
    # A ko lowers Death in normal tissue (1 -> 0) and changes nothing in the tumour (already 0)
    assert rows[("tumour", "A=0")]["gain"] == 1.0
    assert rows[("tumour", "")]["gain"] == 0.0  # the treatment alone
    assert screen(net, contexts="tumour", reference="", workers=1, allow_trivial=True).reference == ""
    assert "gain" not in screen(net, contexts="tumour", workers=1, allow_trivial=True).rows[0]  # no model default  # the model names no reference


def test_ranking_by_gain_and_by_score_then_gain():
    # four interventions on a tumour context: all that kill the tumour tie at score 1, gain tells them apart
    net = BooleanNetwork({"RT": "RT", "S": "S", "T": "T", "U": "U", "Death": "RT & (T | S & U)"},
                         annotations=Annotations(phenotypes={"Death": "Death"}, treatment={"RT": 1},
                                                 baseline={"RT": 0}, contexts={
                                                     "normal": Context("normal", {"U": 0}),
                                                     "tumour": Context("tumour", {"U": 1})}))
    by_gain = screen(net, contexts="tumour", reference="normal", rank="gain", workers=1, targets=["S", "T"])
    gains = [r["gain"] for r in by_gain.rows]
    assert gains == sorted(gains, reverse=True)
    default = screen(net, contexts="tumour", reference="normal", workers=1, targets=["S", "T"])
    assert default.parameters["rank"] == ["score", "gain", "bliss", "size"]
    top = [r for r in default.rows if r["score"] == default.rows[0]["score"]]
    assert [r["gain"] for r in top] == sorted((r["gain"] for r in top), reverse=True)
    # T oe kills both; S oe kills only the tumour: same score, S oe first by gain
    assert [r["intervention"] for r in top] == ["S oe", "T oe"]
    with pytest.raises(ModelError, match="rank key 'gain' needs a reference context"):
        screen(net, contexts="tumour", rank="score,gain", workers=1)


@pytest.mark.parametrize("targets", [["ATM", "PRKDC", "GPX4"], ["BCL2", "BIRC2_3"]])
def test_radioresistance_gain_against_normal_tissue(targets):
    net = read_model(MODEL)
    assert net.annotations.screen.reference == "normal_tissue"
    common = dict(targets=targets, workers=1, max_size=2, score=net.annotations.screen.score)
    result = screen(net, contexts="TP53_mutant,hypoxic", **common)
    normal = {r["perturbation"]: r["score"] for r in screen(net, contexts="normal_tissue", **common).rows}
    assert result.reference == "normal_tissue" and result.direction == "min"
    for row in result.rows:
        assert row["gain"] == row["score"] - normal[row["perturbation"]]
    # rows of the reference are analysed once, not once per tumour context
    assert result.stats["rows"] == 3 * len(normal) and result.stats["reference_rows"] == len(normal)


def test_resume_reads_reference_rows_back_and_the_reference_is_in_the_key(tmp_path):
    net = read_model(MODEL)
    db = tmp_path / "s.sqlite"
    first = screen(net, contexts="TP53_mutant", targets=["ATM", "GPX4"], workers=1, db=db)
    again = screen(net, contexts="TP53_mutant,IAP_high", targets=["ATM", "GPX4"], workers=1, db=db)
    assert first.stats["rows"] == 10 and again.stats["already_done"] == 10  # reference rows not recomputed
    assert [r["gain"] for r in again.rows if r["context"] == "TP53_mutant"] == [
        r["gain"] for r in first.rows]
    with pytest.raises(ScreenStoreMismatch):
        screen(net, contexts="TP53_mutant", targets=["ATM", "GPX4"], workers=1, db=db, reference="wildtype")


def test_cli_json_csv_text_and_errors(tmp_path):
    args = ["screen", str(MODEL), "-c", "TP53_mutant", "--targets", "ATM,GPX4", "--kinds", "ko", "--workers", "1",
            "-q", "--db", str(tmp_path / "s.sqlite"), "--metric", "share"]  # the table's columns without intervals
    run = CliRunner().invoke(cli, [*args, "--json", "--out", str(tmp_path / "s.csv")])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["reference"] == "normal_tissue"
    assert all(r["gain"] == r["score"] - r["reference_score"] for r in data["rows"])
    with open(tmp_path / "s.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert {"reference_score", "gain"} <= set(table[0])
    text = CliRunner().invoke(cli, [*args, "--rank", "gain"])
    assert text.exit_code == 0, text.output
    assert "gain: score minus the same intervention's score in normal_tissue (positive: " in text.output
    header = next(line for line in text.output.splitlines() if line.startswith("rank"))
    assert header.split()[:4] == ["rank", "intervention", "score", "gain"]
    off = CliRunner().invoke(cli, [*args, "--no-reference", "--db", str(tmp_path / "t.sqlite")])
    assert off.exit_code == 0 and " gain " not in off.output
    bad = CliRunner().invoke(cli, [*args, "--reference", "healthy"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert bad.output.strip().splitlines() == [
        "Error: unknown reference context 'healthy' (contexts: " + ", ".join(read_model(MODEL).annotations.contexts)
        + ")"]
    both = CliRunner().invoke(cli, [*args, "--reference", "wildtype", "--no-reference"])
    assert both.exit_code == 1 and "use one of them" in both.output
    gainless = CliRunner().invoke(cli, [*args, "--no-reference", "--rank", "score,gain"])
    assert gainless.exit_code == 1 and "needs a reference context" in gainless.output
