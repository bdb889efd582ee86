"""Screens against an independent brute-force oracle: scores, synergy, cache, store, backends."""

from __future__ import annotations

from itertools import combinations

import pytest

from signet.errors import ModelError, SignetError
from signet.model import BooleanNetwork
from signet.screen import ScreenStoreMismatch, intervention_key, screen, trivial_nodes
from signet.screen.interventions import candidate_targets, interventions, parse_intervention_key

from test_screen_support import async_oracle, small_model
from conftest import NETWORKS


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    return small_model(tmp_path_factory.mktemp("model"))


def _share(values, phenotype="Death"):
    return sum(v[phenotype] == 1 for v in values) / len(values)


def test_trivial_nodes_are_markers_and_direct_readouts(net):
    # markers: nodes in phenotype expressions; CASP3's only target is Apoptosis (a marker)
    assert trivial_nodes(net) == {"Apoptosis", "Proliferation", "Death", "CASP3"}
    # BCL2 regulates only CASP3, which is a readout but not a marker: not trivial
    assert "BCL2" not in trivial_nodes(net)


def test_targets_skip_inputs_and_trivial_unless_asked(net):
    pool = candidate_targets(net)
    assert "RT" not in pool and "Hypoxia" not in pool and "CASP3" not in pool and "Death" not in pool
    assert set(pool) == {"ATM", "TP53", "MDM2", "AKT", "PTEN", "NFKB", "BCL2"}
    assert "CASP3" in candidate_targets(net, allow_trivial=True)
    assert candidate_targets(net, targets=["Hypoxia", "mdm2"]) == ("Hypoxia", "MDM2")
    with pytest.raises(ModelError, match="treatment"):
        candidate_targets(net, targets=["RT"])


def test_intervention_counts(net):
    pool = candidate_targets(net)
    singles = 2 * len(pool)
    pairs = 4 * len(pool) * (len(pool) - 1) // 2
    triples = 8 * len(list(combinations(pool, 3)))
    assert len(interventions(net, max_size=1)) == singles
    assert len(interventions(net, max_size=2)) == singles + pairs
    assert len(interventions(net, max_size=3)) == singles + pairs + triples
    assert all(len({n for n, _ in i}) == len(i) for i in interventions(net, max_size=3))


def _direct_table(net, contexts, ints):
    """What a screen must report, computed by a plain loop over the oracle."""
    phen = dict(net.annotations.phenotypes)
    out = {}
    for c in contexts:
        for i in [()] + ints:
            # the response to the intervention itself: nodes it forces start untreated
            out[(c, i)] = async_oracle(net, context=c, perturbation=dict(i), treatment={"RT": 1},
                                       update="async", phenotypes=phen)["values"]
    return out


def test_screen_matches_direct_loop_with_scores_and_synergy(net):
    contexts = ["wildtype", "TP53_mutant"]
    targets = ["MDM2", "AKT", "NFKB", "BCL2", "PTEN"]
    result = screen(net, contexts=contexts, max_size=2, targets=targets, analysis=async_oracle, workers=1)
    ints = interventions(net, max_size=2, targets=targets)
    direct = _direct_table(net, contexts, ints)
    assert len(result.rows) == len(contexts) * (len(ints) + 1)
    by = {(r["context"], r["perturbation"]): r for r in result.rows}
    for c in contexts:
        p0 = _share(direct[(c, ())])
        for i in [()] + ints:
            row = by[(c, intervention_key(i))]
            p = _share(direct[(c, i)])
            assert row["share_Death"] == pytest.approx(p)
            assert row["score"] == pytest.approx(p - p0)
            assert row["attractors"] == len(direct[(c, i)])
            if len(i) == 2:
                pa, pb = (_share(direct[(c, (s,))]) for s in i)
                if p0 < 1:
                    expected = 1 - (1 - p0) * ((1 - pa) / (1 - p0)) * ((1 - pb) / (1 - p0))
                    expected = min(1.0, max(0.0, expected))
                else:
                    expected = 1.0
                assert row["bliss"] == pytest.approx(p - expected)
                assert row["hsa"] == pytest.approx(p - max(pa, pb))
            else:
                assert row["bliss"] is None and row["hsa"] is None
    # ranked by score, descending
    scores = [r["score"] for r in result.rows]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in result.rows] == list(range(1, len(result.rows) + 1))
    # the screen finds real radiosensitizers here (MDM2 loss restores p53 under RT)
    assert by[("wildtype", "MDM2=0")]["score"] > 0


def test_rows_share_an_analysis_only_when_the_answer_is_the_same(net):
    # the built-in analysis (async: the general path) drops perturbations that never change a node
    result = screen(net, contexts="all", max_size=2, update="async", workers=1)
    assert result.stats["analysed"] < len(result.rows)  # knocking out a node that is off and stays off, ...
    phen = dict(net.annotations.phenotypes)
    for row in result.rows:  # every row, shared or not, equals the brute-force response to its intervention
        intervention = dict(parse_intervention_key(row["perturbation"]))
        values = async_oracle(net, context=row["context"], perturbation=intervention, treatment={"RT": 1},
                              update="async", phenotypes=phen)["values"]
        assert row["share_Death"] == pytest.approx(_share(values)), row
        assert row["attractors"] == len(values), row


def test_an_analysis_of_the_callers_gets_every_intervention_as_it_is(net):
    calls = []

    def counting(network, **kw):
        calls.append((kw["context"], intervention_key(kw["perturbation"])))
        return async_oracle(network, **kw)

    result = screen(net, contexts="all", max_size=2, analysis=counting, workers=1)
    expected = set()
    for r in result.rows:  # only a pin the context already sets (TP53 ko in TP53_mutant) goes
        fix = dict(net.context(r["context"]).fix)
        kept = {n: v for n, v in parse_intervention_key(r["perturbation"]) if fix.get(n) != v}
        expected.add((r["context"], intervention_key(kept)))
    assert len(calls) == len(set(calls)) == result.stats["analysed"]
    assert set(calls) == expected


def test_resume_after_interrupt_gives_same_table_and_recomputes_nothing(net, tmp_path):
    db = tmp_path / "screen.sqlite"

    def make(limit, log):
        def analysis(network, **kw):
            if len(log) == limit:
                raise KeyboardInterrupt
            log.append(kw["perturbation"])
            return async_oracle(network, **kw)

        return analysis

    calls: list = []
    with pytest.raises(KeyboardInterrupt):
        screen(net, contexts="all", max_size=2, analysis=make(20, calls), workers=1, db=db)
    import sqlite3

    done_rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    done_keys = {k for (k,) in sqlite3.connect(db).execute("SELECT key FROM analyses")}
    # a batch in flight when interrupted is lost (at most a few analyses), everything else is kept
    assert 0 < done_rows and 0 < len(done_keys) <= 20

    again: list = []
    resumed = screen(net, contexts="all", max_size=2, analysis=make(-1, again), workers=1, db=db)
    fresh = screen(net, contexts="all", max_size=2, analysis=async_oracle, workers=1)
    assert resumed.rows == fresh.rows
    assert resumed.stats["already_done"] == done_rows
    assert resumed.stats["percolated"] == len(fresh.rows) - done_rows
    # nothing stored is analysed again: stored analyses + resumed ones = all distinct keys, once each
    assert len(again) + len(done_keys) == fresh.stats["analysed"]


def test_mismatching_database_is_refused_or_replaced(net, tmp_path):
    db = tmp_path / "s.sqlite"
    screen(net, contexts="wildtype", targets=["MDM2"], analysis=async_oracle, workers=1, db=db)
    with pytest.raises(ScreenStoreMismatch, match="treatment"):
        screen(net, contexts="wildtype", targets=["MDM2"], treatment={"RT": 1, "Hypoxia": 1},
               analysis=async_oracle, workers=1, db=db)
    other = screen(net, contexts="wildtype", targets=["MDM2"], treatment={"RT": 1, "Hypoxia": 1},
                   analysis=async_oracle, workers=1, db=db, fresh=True)
    assert other.stats["already_done"] == 0
    # a different row set with the same fingerprint reuses finished rows
    bigger = screen(net, contexts="wildtype", targets=["MDM2", "AKT"], treatment={"RT": 1, "Hypoxia": 1},
                    analysis=async_oracle, workers=1, db=db)
    assert bigger.stats["already_done"] == 3


def test_druggable_uses_drug_actions_and_names_agents(net):
    result = screen(net, contexts="wildtype", druggable=True, analysis=async_oracle, workers=1)
    singles = {r["perturbation"]: r["agents"] for r in result.rows if r["size"] == 1}
    assert set(singles) == {"ATM=0", "MDM2=0", "BCL2=0", "PTEN=1", "AKT=0", "NFKB=0"}
    assert singles["PTEN=1"] == ["PTEN-activator (PTEN activate)"]
    assert singles["MDM2=0"] == ["idasanutlin (MDM2 inhibit)"]


def test_process_pool_gives_the_serial_table(net):
    serial = screen(net, contexts="all", max_size=2, targets=["MDM2", "AKT", "PTEN"], analysis=async_oracle, workers=1)
    pooled = screen(net, contexts="all", max_size=2, targets=["MDM2", "AKT", "PTEN"], analysis=async_oracle, workers=2)
    assert pooled.rows == serial.rows


def test_bad_requests_are_clear_errors(net):
    with pytest.raises(SignetError, match="unknown context 'wildtyp'; did you mean wildtype"):
        screen(net, contexts="wildtyp", analysis=async_oracle, workers=1)
    with pytest.raises(SignetError, match="unknown phenotype or node 'Dead'"):
        screen(net, score="Dead", analysis=async_oracle, workers=1)
    with pytest.raises(SignetError, match="unknown node 'MDM3'"):
        screen(net, targets=["MDM3"], analysis=async_oracle, workers=1)
    with pytest.raises(SignetError, match="max_size"):
        screen(net, max_size=4, analysis=async_oracle, workers=1)


def test_csv_and_json_carry_every_row(net, tmp_path):
    import csv
    import json

    result = screen(net, contexts="wildtype", max_size=2, targets=["MDM2", "AKT"], analysis=async_oracle, workers=1)
    out = tmp_path / "r.csv"
    result.write_csv(out)
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == len(result.rows) and rows[0].keys() == set(result.columns)
    # in JSON a perturbation is an object {node: value}, as in control's solutions
    from signet.screen.interventions import intervention_key

    rows_json = json.loads(json.dumps(result.to_json()))["rows"]
    assert [{**r, "perturbation": intervention_key(r["perturbation"])} for r in rows_json] == result.rows
    assert {"AKT": 0, "MDM2": 1} in [r["perturbation"] for r in rows_json]


def test_checkpoint_regulators_of_a_phenotype_are_not_trivial():
    # PD-L1 and CD47 act on ImmuneClearance together with immune cells: blocking them is
    # a therapy (review refs [39-41]), not fixing the phenotype by construction.
    from signet.io import read_model

    rr = read_model(NETWORKS / "radioresistance.bnet")
    trivial = trivial_nodes(rr)
    assert {"CD274", "CD47", "CD8_T"}.isdisjoint(trivial)
    # executioner caspase and lipid ROS are what Apoptosis and Ferroptosis are read from
    assert {"CASP3", "LipidROS", "Apoptosis", "Death"} <= trivial


def test_multi_target_agent_is_one_druggable_intervention_and_named_once():
    from signet.annotations import Annotations, Drug, NodeInfo
    from signet.screen.interventions import agents_of, druggable_units

    dual = Drug("dualib", "inhibit")
    net = BooleanNetwork(
        {"RT": "RT", "S": "S", "A": "S", "B": "S", "C": "S", "Death": "RT & !A & !B"},
        annotations=Annotations(
            nodes={"A": NodeInfo(drugs=(dual,)), "B": NodeInfo(drugs=(dual, Drug("bib", "inhibit"))),
                   "C": NodeInfo(drugs=(Drug("cact", "activate"),))},
            phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
        ),
    )
    units = druggable_units(net)
    assert units == [(("A", 0),), (("B", 0),), (("C", 1),), (("A", 0), ("B", 0))]
    # not a unit when one of its nodes is not a target
    assert druggable_units(net, ["A", "C"]) == [(("A", 0),), (("C", 1),)]
    assert agents_of(net, (("A", 0), ("B", 0))) == ["dualib (A inhibit, B inhibit)", "bib (B inhibit)"]
    # max_size counts agents: the dual agent plus C is a size-2 combination; no duplicates
    combos = interventions(net, druggable=True, max_size=2, allow_trivial=True)
    assert len(combos) == len(set(combos))
    assert (("A", 0), ("B", 0), ("C", 1)) in combos
    assert (("A", 0), ("B", 0)) in combos
    # the screen ranks the dual agent alone above its halves, with its Bliss excess
    res = screen(net, druggable=True, max_size=1, workers=1, db=":memory:")
    rows = {r["intervention"]: r for r in res.rows}
    # S=0 cells die under RT anyway (control 0.5); either half alone changes nothing
    assert rows["none"]["share_Death"] == 0.5 and rows["A ko"]["share_Death"] == 0.5
    assert rows["A ko + B ko"]["share_Death"] == 1.0
    assert rows["A ko + B ko"]["bliss"] == 0.5 and rows["A ko + B ko"]["hsa"] == 0.5
    # a combination is scored against the agents it combines, not their target nodes:
    # the dual agent already kills every cell, so adding the inert C activator has no excess
    res2 = screen(net, druggable=True, max_size=2, workers=1, db=":memory:")
    rows2 = {r["intervention"]: r for r in res2.rows}
    assert rows2["A ko + B ko + C oe"]["share_Death"] == 1.0
    assert rows2["A ko + B ko + C oe"]["bliss"] == 0.0 and rows2["A ko + B ko + C oe"]["hsa"] == 0.0
    assert rows2["A ko + B ko"]["bliss"] == 0.5  # alone, against its two halves


def test_an_agent_on_a_context_switch_is_one_unit_that_acts_where_the_context_sets_it():
    """An inhibitor of a kinase acts on its activity and on the high level a context sets (a node
    whose own rule is 0): the druggable screen lists the agent once, as the whole unit, and that
    unit removes the high level's effect in the context that sets it. Session 24: the radioresistance
    model's ATM inhibitors listed "ATM ko" and "ATM ko + ATM_expression ko" side by side, the same
    experiment wherever ATM_expression is at its rule's 0."""
    from signet.annotations import Annotations, Context, Drug, NodeInfo
    from signet.screen.interventions import druggable_units, format_intervention

    atmi = Drug("ATM inhibitors", "inhibit")
    net = BooleanNetwork(
        {"RT": "RT", "ATM": "RT", "Level": "0", "Death": "RT & !ATM & !Level"},
        annotations=Annotations(
            nodes={"ATM": NodeInfo(drugs=(atmi,)), "Level": NodeInfo(drugs=(atmi,))},
            phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
            contexts={"high": Context("high", {"Level": 1})},
        ),
    )
    assert [format_intervention(u) for u in druggable_units(net)] == ["ATM ko + Level ko"]
    res = screen(net, druggable=True, contexts=["high"], max_size=1, workers=1, db=":memory:")
    rows = {r["intervention"]: r for r in res.rows}
    assert set(rows) == {"none", "ATM ko + Level ko"}
    assert rows["none"]["share_Death"] == 0.0 and rows["ATM ko + Level ko"]["share_Death"] == 1.0
    # an agent acting on the node alone keeps its own unit
    from dataclasses import replace

    net2 = BooleanNetwork(net.rules, annotations=replace(net.annotations, nodes={
        "ATM": NodeInfo(drugs=(atmi, Drug("KU-55933", "inhibit"))), "Level": NodeInfo(drugs=(atmi,))}))
    assert [format_intervention(u) for u in druggable_units(net2)] == ["ATM ko", "ATM ko + Level ko"]
    # and an agent acting on the switch alone keeps its unit (it acts where a context sets the switch)
    net3 = BooleanNetwork(net.rules, annotations=replace(net.annotations, nodes={
        "ATM": NodeInfo(drugs=(atmi,)), "Level": NodeInfo(drugs=(atmi, Drug("level-only", "inhibit")))}))
    assert [format_intervention(u) for u in druggable_units(net3)] == ["Level ko", "ATM ko + Level ko"]


def test_minimal_control_sets_stay_inclusion_minimal_with_multi_target_agents():
    from signet.annotations import Annotations, Drug, NodeInfo
    from signet.screen import minimal_interventions

    dual = Drug("dualib", "inhibit")
    net = BooleanNetwork(
        {"RT": "RT", "S": "S", "A": "S", "B": "S", "Death": "RT & !A"},
        annotations=Annotations(
            nodes={"A": NodeInfo(drugs=(dual,)), "B": NodeInfo(drugs=(dual,))},
            phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
        ),
    )
    res = minimal_interventions(net, "Death", druggable=True, max_size=2, workers=1, db=":memory:")
    # the dual agent also reaches the goal, but {A ko} inside it is the minimal set
    assert [dict(s) for s in res.solutions] == [{"A": 0}]


def test_bliss_and_hsa_have_no_float_residue():
    from signet.screen.scoring import bliss_excess, hsa_excess

    assert bliss_excess(0.2, [0.2, 0.2], 0.2) == 0.0
    assert hsa_excess(0.7, [0.1, 0.7]) == 0.0
    assert bliss_excess(1 / 3, [1 / 3, 1 / 3], 1 / 3) == 0.0


@pytest.mark.parametrize("update", ["mp", "async", "sync"])
def test_a_node_the_intervention_forces_still_acts_before_it_settles(update):
    # X oe forces A on, but A starts off (untreated): B can latch on before A rises.
    # Pinning A from the start (what percolation forces) would lose that fate.
    from signet.annotations import Annotations
    from signet.dynamics import response

    rules = {"RT": "RT", "X": "0", "A": "X", "B": "B & RT | !A & RT", "Death": "B"}
    net = BooleanNetwork(rules, annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1},
                                                        phenotypes={"Death": "Death"}))
    expected = response(net, perturbation={"X": 1}, update=update)
    deaths = sorted(a.space["Death"] for a in expected.attractors)
    if update == "sync":  # A and B switch together: B sees A still off, then keeps itself on
        assert deaths == [1]
    else:
        assert deaths == [0, 1]
    for fast_path in ([True, False] if update == "mp" else [False]):
        rows = screen(net, targets=["X"], kinds=["oe"], update=update, workers=1, fast_path=fast_path).rows
        row = next(r for r in rows if r["perturbation"] == "X=1")
        assert row["attractors"] == len(deaths)
        assert row["share_Death"] == pytest.approx(sum(deaths) / len(deaths))


def test_a_druggable_screen_keeps_a_constant_node_an_agent_acts_on():
    """A gene the model holds constant (set by contexts, e.g. BCL-XL) is still a drug target: the
    druggable screen perturbs it as the agent acts, while the default screen leaves constants out."""
    from signet.annotations import Annotations, Drug, NodeInfo

    net = BooleanNetwork(
        {"RT": "RT", "G": "1", "K": "1", "Death": "RT & !G"},
        annotations=Annotations(
            nodes={"G": NodeInfo(drugs=(Drug("gib", "inhibit"),))},
            phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0},
        ),
    )
    assert interventions(net, druggable=True, allow_trivial=True) == [(("G", 0),)]
    assert "G" not in candidate_targets(net, allow_trivial=True)  # no agent asked: constants stay out
    res = screen(net, druggable=True, workers=1, db=":memory:")
    rows = {r["intervention"]: r for r in res.rows}
    assert rows["none"]["share_Death"] == 0 and rows["G ko"]["share_Death"] == 1
    assert rows["G ko"]["agents"] == ["gib (G inhibit)"]
