"""Results as DataFrames and HTML tables (issue 14, item 5): ``to_pandas()`` on every
result carries the same numbers as the JSON; ``_repr_html_`` on attractor, screen,
validation and control results is a table with every cell escaped."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from signet import attractors
from signet.annotations import Annotations
from signet.io import read_model
from signet.io.bnet import parse_bnet
from signet.screen import minimal_interventions, screen

REPO = Path(__file__).resolve().parents[1]

SMALL = parse_bnet("""RT, RT
PTEN, PTEN
DNA, RT
AKT, !PTEN
MYC, AKT & !Apoptosis
Apoptosis, DNA & !AKT
""", annotations=Annotations(phenotypes={"Death": "Apoptosis", "Growth": "MYC"}, treatment={"RT": 1},
                             baseline={"RT": 0}))


def test_attractor_table_matches_the_json():
    result = attractors(SMALL.fix({"RT": 1}), "async")
    phenotypes = dict(SMALL.annotations.phenotypes)
    frame = result.to_pandas(phenotypes)
    data = result.to_json(phenotypes)["attractors"]
    assert len(frame) == len(data) == 2
    assert list(frame.columns[:4]) == ["kind", "states", "phenotype_Death", "phenotype_Growth"]
    for (_, row), item in zip(frame.iterrows(), data):
        assert row["kind"] == item["kind"] and row["states"] == item["states"]
        assert {n: row[n] for n in SMALL.nodes} == item["space"]
        assert row["phenotype_Death"] == item["phenotypes"]["Death"]
    page = result._repr_html_()
    assert page.startswith('<table class="signet">') and "2 attractors (async" in page
    assert page.count("<tr>") == 1 + 2 and "<th>PTEN</th>" in page


def test_screen_and_control_tables():
    result = screen(SMALL, workers=1, allow_trivial=True)
    frame = result.to_pandas()
    assert list(frame.columns) == result.columns and len(frame) == len(result.rows)
    assert frame["score"].tolist() == [r["score"] for r in result.rows]
    page = result._repr_html_()
    assert "score = gain of the Death share" in page and page.count("<tr>") == 1 + len(result.rows)
    control = minimal_interventions(SMALL, "Death", workers=1)
    frame = control.to_pandas()
    assert frame["perturbation"].tolist() == [dict(s) for s in control.solutions]
    assert "goal Death=1 in all reachable attractors" in control._repr_html_()


def test_html_escapes_metadata_text_and_stops_at_the_row_limit():
    from signet.tables import HTML_ROWS, records_html

    page = records_html([{"agent": "<script>alert(1)</script>"}])
    assert "<script>" not in page and html.escape("<script>") in page
    page = records_html([{"i": i} for i in range(HTML_ROWS + 7)])
    assert page.count("<tr>") == 1 + HTML_ROWS + 1 and "7 more rows" in page


def test_validation_table():
    from signet.io.expectations import read_expectations
    from signet.validate import validate

    net = read_model(REPO / "networks" / "radioresistance.bnet")
    claims = read_expectations(REPO / "networks" / "radioresistance.expectations.yaml", net)[:3]
    result = validate(net, claims)
    frame = result.to_pandas()
    assert frame["id"].tolist() == [c.id for c in claims]
    assert frame["passed"].tolist() == [r.passed for r in result.results]
    assert frame["share"].tolist() == [r.case.share for r in result.results]
    page = result._repr_html_()
    assert result.summary() in page and page.count("<tr>") == 1 + 3


def test_every_other_result_has_to_pandas():
    from signet.dynamics.basins import basins
    from signet.dynamics.probabilities import fate_probabilities
    from signet.dynamics.query import query
    from signet.dynamics.schedule import run_schedule
    from signet.dynamics.timecourse import timecourse

    treated = SMALL.fix({"RT": 1})
    b = basins(treated, "async")
    assert b.to_pandas()["probability"].tolist() == [a["probability"] for a in b.to_json()["attractors"]]
    p = fate_probabilities(treated)
    assert p.to_pandas()["probability"].sum() == pytest.approx(1.0)
    t = timecourse(SMALL, schedule="RT=1", step=0.5, phase_time=2)
    frame = t.to_pandas()
    assert list(frame.columns) == t.columns() and frame.values.tolist() == t.rows()
    q = query(treated, "AF Apoptosis", examples=2)
    frame = q.to_pandas()
    assert set(frame["holds"]) <= {True, False} and len(frame) == len(q.satisfying) + len(q.failing)
    s = run_schedule(SMALL, "RT=1 ; RT=0", "async")
    frame = s.to_pandas()
    assert sorted(set(frame["phase"])) == [1, 2]
    assert len(frame) == sum(len(o.attractors.attractors) for o in s.phases)


def test_without_pandas_the_error_says_what_to_install(monkeypatch):
    import sys

    from signet.errors import SignetError

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(SignetError, match=r'pip install "signet\[notebook\]"'):
        attractors(SMALL, "mp").to_pandas()
