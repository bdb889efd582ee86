"""Plating-efficiency normalisation (``screen(..., alone=True)``, ``signet screen --alone``).

Every intervention is also evaluated without the treatment; rows get the untreated value,
its change, a cytotoxic-alone flag, the normalised value and the normalised score.
"""

from __future__ import annotations

import json
import sqlite3
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
from signet.screen.alone import ALONE_COLUMNS, ALONE_INTERVAL_COLUMNS, alone_db_path
from signet.screen.core import COLUMNS
from signet.screen.store import ScreenStoreMismatch
from strategies import expressions
from test_screen_support import async_oracle

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "networks" / "radioresistance.bnet"

#: a hand-written network: two kinds of cell (``Het``), radiation that kills the cells
#: that cannot repair, and three agents (see :func:`test_columns_derived_by_hand`)
HAND = {
    "RT": "RT",
    "Het": "Het",
    "Tox": "0",
    "Sens": "0",
    "Tox2": "0",
    "Repair": "Het & !Sens",
    "Dmg": "RT & !Repair | Tox | Tox2 & !Het",
    "Surv": "!Dmg",
}


def hand_network() -> BooleanNetwork:
    return BooleanNetwork(HAND, annotations=Annotations(
        phenotypes={"Survival": "Surv", "Death": "Dmg"}, treatment={"RT": 1}, baseline={"RT": 0}))


HAND_OPTIONS = dict(targets=["Tox", "Sens", "Tox2"], kinds=["oe"], allow_trivial=True, workers=1, split_inputs=False)


def _rows(result) -> dict[str, dict]:
    return {r["intervention"]: r for r in result.rows}


def test_columns_derived_by_hand():
    """The untreated cell (RT=0) is two attractors, Het=0 and Het=1, both surviving (Dmg=0).

    Under RT=1 (mp, reachable from both): Het=0 cannot repair (Repair = Het) and dies,
    Het=1 repairs and survives.  Survival shares, treated t / untreated a:

    * none:     t = 1/2, a = 1 (nothing kills the unirradiated cell); normalised n0 = 1/2.
    * Sens oe:  Repair = 0 in both, so every irradiated cell dies: t = 0; untreated nothing
      kills: a = 1.  score = 1/2 - 0 = 1/2; alone_score = 1 - 1 = 0; normalised = 0/1 = 0;
      normalised_score = n0 - 0 = 1/2: a radiosensitiser.
    * Tox oe:   Dmg = 1 whatever RT: t = 0, a = 0.  score = 1/2 (tied with Sens oe), but
      alone_score = 1 and the row is cytotoxic alone: normalised and normalised_score None.
    * Tox2 oe:  kills the Het=0 cells on its own (a = 1/2), the cells the dose kills anyway:
      t = 1/2 (Het=1 survives both).  score = 0; alone_score = 1/2; normalised = (1/2)/(1/2) = 1;
      normalised_score = 1/2 - 1 = -1/2: its toxicity adds nothing to the dose.

    The default rank with ``alone`` is normalised, score, bliss, size: Sens oe, none, Tox2 oe,
    and the cytotoxic Tox oe last although it ties Sens oe on the score.
    """
    result = screen(hand_network(), score="Survival=0", alone=True, **HAND_OPTIONS)
    rows = _rows(result)
    expected = {  # intervention: (score, alone_value, alone_score, cytotoxic_alone, normalised, normalised_score)
        "none": (0.0, 1.0, 0.0, False, 0.5, 0.0),
        "Sens oe": (0.5, 1.0, 0.0, False, 0.0, 0.5),
        "Tox oe": (0.5, 0.0, 1.0, True, None, None),
        "Tox2 oe": (0.0, 0.5, 0.5, False, 1.0, -0.5),
    }
    for name, values in expected.items():
        row = rows[name]
        assert (row["score"], *(row[c] for c in ALONE_COLUMNS)) == pytest.approx(values), name
    assert [r["intervention"] for r in result.rows] == ["Sens oe", "none", "Tox2 oe", "Tox oe"]
    assert result.parameters["rank"] == ["normalised", "score", "bliss", "size"]
    assert result.parameters["alone"] == {"RT": 0}
    assert result.columns[result.columns.index("score"):][:6] == ["score", *ALONE_COLUMNS]
    assert list(result.to_pandas().columns) == result.columns
    assert result.to_json()["alone"] == {"RT": 0} and result.to_json()["rows"][-1]["cytotoxic_alone"] is True
    assert "normalised_score" in result._repr_html_()
    # ranked by score alone, the cytotoxic agent ties the radiosensitiser
    by_score = screen(hand_network(), score="Survival=0", alone=True, rank="score", **HAND_OPTIONS)
    assert [r["intervention"] for r in by_score.rows][:2] == ["Sens oe", "Tox oe"]


def test_a_maximised_phenotype_is_normalised_on_the_cells_it_spares():
    """Death = Dmg = 1 - Survival here, so the cells Death spares are the survivors:
    normalised Death = 1 - (1 - t) / (1 - a) = 1 - (normalised survival), and the normalised
    score (oriented like the score: a gain of Death) is the same as for survival."""
    survival = _rows(screen(hand_network(), score="Survival=0", alone=True, **HAND_OPTIONS))
    death = screen(hand_network(), score="Death", alone=True, **HAND_OPTIONS)
    assert death.direction == "max"
    for name, row in _rows(death).items():
        mirror = survival[name]
        assert row["alone_value"] == 1 - mirror["alone_value"]
        assert row["alone_score"] == mirror["alone_score"]
        assert row["cytotoxic_alone"] == mirror["cytotoxic_alone"]
        if mirror["normalised"] is None:
            assert row["normalised"] is None and row["normalised_score"] is None
        else:
            assert row["normalised"] == pytest.approx(1 - mirror["normalised"])
            assert row["normalised_score"] == pytest.approx(mirror["normalised_score"])


def test_probability_rows_exact_and_simulated():
    """The asynchronous chain reaches the same fates here (no race decides them), so exact
    probabilities equal the shares and their intervals are points; simulated rows (every
    row beyond ``max_states=1``) carry intervals around their point values."""
    shares = _rows(screen(hand_network(), score="Survival=0", alone=True, **HAND_OPTIONS))
    exact = screen(hand_network(), score="Survival=0", alone=True, metric="probability", **HAND_OPTIONS)
    assert exact.columns[-len(ALONE_INTERVAL_COLUMNS) - 2:-2] == ALONE_INTERVAL_COLUMNS
    for name, row in _rows(exact).items():
        assert row["exact"]
        for column in ALONE_COLUMNS:
            assert row[column] == pytest.approx(shares[name][column]), (name, column)
        assert row["alone_lo"] == row["alone_value"] == row["alone_hi"]
        if row["normalised"] is not None:
            assert row["normalised_lo"] == pytest.approx(row["normalised"]) == row["normalised_hi"]
            assert row["normalised_score_lo"] == pytest.approx(row["normalised_score"]) == row["normalised_score_hi"]
    simulated = screen(hand_network(), score="Survival=0", alone=True, metric="probability", max_states=1, runs=400,
                       **HAND_OPTIONS)
    rows = _rows(simulated)
    assert not any(r["exact"] for r in simulated.rows)
    assert rows["Tox oe"]["cytotoxic_alone"] and rows["Tox oe"]["normalised_score_lo"] is None
    sens = rows["Sens oe"]
    assert sens["alone_value"] == 1.0 and sens["alone_lo"] < 1.0  # 400 of 400: the Wilson interval is not a point
    assert sens["normalised_lo"] <= sens["normalised"] <= sens["normalised_hi"]
    assert sens["normalised_score_lo"] <= sens["normalised_score"] <= sens["normalised_score_hi"]
    assert sens["normalised_score"] == pytest.approx(rows["none"]["normalised"], abs=0.1)


NAMES = ["RT", "n0", "n1", "n2", "n3"]


@st.composite
def small_networks(draw: st.DrawFn) -> BooleanNetwork:
    """A random network with a treatment input RT (baseline 0), a phenotype on n0 and a context."""
    rules = {"RT": "RT", **{n: draw(expressions(NAMES, max_leaves=6)) for n in NAMES[1:]}}
    fix = draw(st.dictionaries(st.sampled_from(NAMES[2:]), st.integers(0, 1), max_size=2))
    return BooleanNetwork(rules, annotations=Annotations(
        phenotypes={"P": "n0"}, treatment={"RT": 1}, baseline={"RT": 0}, contexts={"c": Context("c", fix)}))


@settings(max_examples=25, deadline=None)
@given(small_networks(), st.sampled_from(["share", "inevitable", "probability"]), st.sampled_from(["P=0", "P"]))
def test_alone_columns_equal_two_separate_screens_checked_by_brute_force(net, metric, score):
    """The untreated rows are those of a separate screen with the treatment's nodes at their
    baseline values (the manual recipe), and both screens agree with the brute-force oracle."""
    common = dict(workers=1, metric=metric, score=score, split_inputs=False, allow_trivial=True, targets=NAMES[1:],
                  contexts="c")
    result = screen(net, alone=True, **common)
    untreated = _rows(screen(net, treatment={"RT": 0}, **common))
    treated = _rows(screen(net, **common))
    minimise = score.endswith("=0")
    column = f"{metric}_P"
    if metric != "probability":  # the brute-force oracle is the asynchronous reachability of the attractor metrics
        oracle = _rows(screen(net, treatment={"RT": 0}, analysis=async_oracle, update="async", **common))
        assert {k: r[column] for k, r in oracle.items()} == {k: r[column] for k, r in _rows(
            screen(net, treatment={"RT": 0}, update="async", fast_path=False, **common)).items()}
    control_t, control_a = treated["none"][column], untreated["none"][column]
    for name, row in _rows(result).items():
        t, a = treated[name][column], untreated[name][column]
        assert row["alone_value"] == a
        assert row["alone_score"] == pytest.approx((control_a - a) if minimise else (a - control_a))
        spared = (lambda v: v) if minimise else (lambda v: 1 - v)
        assert row["cytotoxic_alone"] == (spared(a) <= 1e-9)
        if row["cytotoxic_alone"]:
            assert row["normalised"] is None and row["normalised_score"] is None
            continue
        ratio = spared(t) / spared(a)
        assert row["normalised"] == pytest.approx(ratio if minimise else 1 - ratio)
        if spared(control_a) > 1e-9:
            assert row["normalised_score"] == pytest.approx(spared(control_t) / spared(control_a) - ratio)
        else:
            assert row["normalised_score"] is None


def test_without_alone_rows_columns_and_checkpoint_are_unchanged(tmp_path):
    """No untreated columns, no second file, the fingerprint of before; and a checkpoint made
    without ``alone`` is resumed whole by a run with it (its treated rows are the same)."""
    db = tmp_path / "s.sqlite"
    plain = screen(hand_network(), score="Survival=0", db=db, **HAND_OPTIONS)
    assert plain.columns == COLUMNS + [f"share_{p}" for p in ("Survival", "Death")]
    assert all(set(r) == set(plain.columns) for r in plain.rows)
    assert "alone" not in plain.parameters and "alone" not in plain.to_json()
    assert not Path(alone_db_path(db)).exists()
    with sqlite3.connect(db) as con:
        fingerprint = json.loads(con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0])
    assert set(fingerprint) == {"model", "treatment", "update", "analysis", "phenotypes"}
    assert fingerprint["treatment"] == {"RT": 1}
    with_alone = screen(hand_network(), score="Survival=0", db=db, alone=True, **HAND_OPTIONS)
    assert with_alone.stats["already_done"] == with_alone.stats["rows"] == 4
    assert with_alone.stats["alone_already_done"] == 0 and with_alone.stats["alone_rows"] == 4
    again = screen(hand_network(), score="Survival=0", db=db, alone=True, **HAND_OPTIONS)
    assert again.stats["alone_already_done"] == 4 and again.rows == with_alone.rows
    # the untreated checkpoint is the manual recipe's: a screen with RT=0 resumes it whole
    recipe = screen(hand_network(), score="Survival=0", db=alone_db_path(db), treatment={"RT": 0}, **HAND_OPTIONS)
    assert recipe.stats["already_done"] == 4


#: set by the interruption test: the untreated call on which :func:`interrupting_oracle` stops
STOP = {"at": 0, "calls": 0}


def interrupting_oracle(network, **kwargs):
    """The brute-force oracle, interrupted (as by Ctrl-C) on the ``STOP["at"]``-th untreated call."""
    if kwargs["treatment"].get("RT") == 0:
        STOP["calls"] += 1
        if STOP["calls"] == STOP["at"]:
            raise KeyboardInterrupt
    return async_oracle(network, **kwargs)


def test_interrupted_untreated_rows_resume(tmp_path, monkeypatch):
    """Ctrl-C during the untreated phase keeps its finished rows; the same call resumes them and
    gives the table of an uninterrupted run; ``fresh`` starts a mismatched untreated file over."""
    import signet.screen.engine as engine

    monkeypatch.setattr(engine, "FLUSH_SECONDS", 0.0)  # commit every finished row
    net = hand_network()
    options = dict(HAND_OPTIONS, kinds=["ko", "oe"], targets=["Tox", "Sens", "Tox2", "Repair"])
    common = dict(score="Survival=0", alone=True, analysis=interrupting_oracle, update="async", **options)
    db = tmp_path / "s.sqlite"
    STOP.update(at=4, calls=0)
    with pytest.raises(KeyboardInterrupt):
        screen(net, db=db, **common)
    with sqlite3.connect(alone_db_path(db)) as con:
        kept = con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    total = 1 + 2 * 4
    assert 0 < kept < total
    STOP.update(at=0, calls=0)
    resumed = screen(net, db=db, **common)
    assert resumed.stats["already_done"] == total  # the treated rows were all done before
    assert resumed.stats["alone_already_done"] == kept and STOP["calls"] == resumed.stats["alone_analysed"]
    assert 0 < STOP["calls"] < total
    uninterrupted = screen(net, db=tmp_path / "other.sqlite", **common)
    assert resumed.rows == uninterrupted.rows
    # an untreated checkpoint of other parameters is refused, or started over with fresh
    other = tmp_path / "x.sqlite"
    screen(net, db=alone_db_path(other), treatment={"RT": 0}, score="Survival=0", metric="inevitable", **options)
    with pytest.raises(ScreenStoreMismatch, match=r"x\.alone\.sqlite"):
        screen(net, db=other, **common)
    assert screen(net, db=other, fresh=True, **common).rows == uninterrupted.rows


def test_errors_name_what_is_missing():
    with pytest.raises(ModelError, match="no treatment"):
        screen(hand_network(), treatment={}, alone=True, **HAND_OPTIONS)
    net = BooleanNetwork(HAND, annotations=Annotations(phenotypes={"Survival": "Surv"}, treatment={"RT": 1}))
    with pytest.raises(ModelError, match="untreated value of RT"):
        screen(net, alone=True, score="Survival", **HAND_OPTIONS)
    with pytest.raises(ModelError, match="rank key 'normalised' needs the untreated rows"):
        screen(hand_network(), rank="normalised", **HAND_OPTIONS)


def test_schedule_is_replaced_by_its_nodes_at_baseline():
    """A pulse ``RT=1 ; RT=0`` and a fractionated schedule both have the untreated phase ``RT=0``."""
    pulse = screen(hand_network(), score="Survival=0", alone=True, schedule="RT=1 ; RT=0", **HAND_OPTIONS)
    assert pulse.parameters["alone"] == {"RT": 0} and pulse.parameters["schedule"] == "RT=1 ; RT=0"
    plain = _rows(screen(hand_network(), score="Survival=0", alone=True, **HAND_OPTIONS))
    for name, row in _rows(pulse).items():  # the untreated rows do not depend on the treatment
        assert row["alone_value"] == plain[name]["alone_value"]


def _write_hand_model(folder: Path) -> Path:
    bnet = folder / "hand.bnet"
    bnet.write_text("".join(f"{n}, {r}\n" for n, r in HAND.items()))
    bnet.with_suffix(".yaml").write_text(
        "model: {title: hand, treatment: {RT: 1}, baseline: {RT: 0}, score: Survival=0}\n"
        "phenotypes: {Survival: Surv, Death: Dmg}\n")
    return bnet


def test_cli_alone_json_table_and_errors(tmp_path):
    model = _write_hand_model(tmp_path)
    runner = CliRunner()
    args = ["screen", str(model), "--targets", "Tox,Sens,Tox2", "--kinds", "oe", "--allow-trivial", "--workers", "1",
            "-q", "--db", str(tmp_path / "s.sqlite")]
    done = runner.invoke(cli, [*args, "--alone", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["alone"] == {"RT": 0}
    rows = {r["intervention"]: r for r in data["rows"]}
    assert rows["Tox oe"]["cytotoxic_alone"] is True and rows["Tox oe"]["normalised"] is None
    assert rows["Sens oe"]["normalised_score"] == pytest.approx(0.5)
    assert [r["intervention"] for r in data["rows"]][-1] == "Tox oe"
    assert (tmp_path / "s.alone.sqlite").exists()
    text = runner.invoke(cli, [*args, "--alone", "--out", str(tmp_path / "t.csv")])
    assert text.exit_code == 0, text.output
    assert "Survival share untreated (RT=0): none 1.00" in text.output
    line = next(x for x in text.output.splitlines() if "Tox oe" in x)
    assert "cytotoxic" in line
    header = (tmp_path / "t.csv").read_text().splitlines()[0].split(",")
    assert header[header.index("score") + 1:][:5] == ALONE_COLUMNS
    bad = runner.invoke(cli, [*args, "--rank", "normalised"])
    assert bad.exit_code == 1 and "needs the untreated rows" in bad.output and "Traceback" not in bad.output


def test_radioresistance_alone_equals_the_untreated_screen_row_by_row():
    """TP53_mutant, every single perturbation: ``--alone``'s untreated value is the manual
    recipe's (a second screen with ``--schedule RT=0``), so the rows cytotoxic alone are
    exactly those whose untreated screen gives clonogenic survival 0 (under shares: exact)."""
    net = read_model(MODEL)
    score = net.annotations.screen.score
    result = screen(net, contexts="TP53_mutant", alone=True, score=score, reference="", workers=1, metric="share")
    recipe = {r["perturbation"]: r for r in screen(net, contexts="TP53_mutant", schedule="RT=0", score=score,
                                                   reference="", workers=1, metric="share").rows}
    assert len(result.rows) == len(recipe) > 150
    for row in result.rows:
        assert row["alone_value"] == recipe[row["perturbation"]]["share_ClonogenicSurvival"]
    cytotoxic = {r["intervention"] for r in result.rows if r["cytotoxic_alone"]}
    assert cytotoxic == {r["intervention"] for r in recipe.values() if r["share_ClonogenicSurvival"] == 0}
    assert {"BAX_BAK oe", "MOMP oe", "CASP8 oe"} <= cytotoxic
    assert not {"ATM ko", "PRKDC ko"} & cytotoxic
