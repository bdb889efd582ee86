"""Minimal intervention sets: against brute force, and against BoNesis's reprogramming."""

from __future__ import annotations

import copy
from itertools import combinations

import pytest

from signet.io import read_model
from signet.screen import candidate_targets, format_intervention, minimal_interventions
from signet.screen.interventions import intervention_key, single_interventions

from test_screen_support import async_oracle as _async_oracle
from test_screen_support import small_model

#: the brute-force oracle's answers, by the network it was given and the case: the brute-force
#: enumeration and the search under test ask it for the same cases again and again (both
#: contexts, every metric), and it builds the whole asynchronous state graph each time
_ORACLE: dict[tuple, dict] = {}


def async_oracle(network, *, context, perturbation, treatment, update, phenotypes):
    key = (tuple((n, str(r)) for n, r in network.rules.items()), context, repr(network.annotations.contexts),
           repr(dict(network.annotations.baseline)), tuple(sorted(perturbation.items())),
           tuple(sorted(treatment.items())), update, tuple(sorted(phenotypes.items())))
    if key not in _ORACLE:
        _ORACLE[key] = _async_oracle(network, context=context, perturbation=perturbation, treatment=treatment,
                                     update=update, phenotypes=phenotypes)
    return copy.deepcopy(_ORACLE[key])


def _brute_force_minimal(net, context, goal, mode, max_size, threshold=None):
    pool = candidate_targets(net)
    singles = single_interventions(pool)
    phen = dict(net.annotations.phenotypes)

    def works(i):
        values = async_oracle(net, context=context, perturbation=dict(i), treatment={"RT": 1},
                              update="async", phenotypes=phen)["values"]
        hits = [v[goal] == 1 for v in values]
        if mode == "share":
            return bool(hits) and sum(hits) / len(hits) >= threshold
        return bool(hits) and (all(hits) if mode == "all" else any(hits))

    good = [()] if works(()) else []
    if not good:
        for size in range(1, max_size + 1):
            for combo in combinations(singles, size):
                if len({n for n, _ in combo}) == size and works(tuple(sorted(combo))):
                    good.append(tuple(sorted(combo)))
    # keep the inclusion-minimal ones
    return sorted((g for g in good if not any(set(h) < set(g) for h in good)), key=lambda s: (len(s), s))


@pytest.mark.parametrize("mode", ["all", "some"])
def test_minimal_sets_match_brute_force(tmp_path, mode):
    net = small_model(tmp_path)
    for context in ("wildtype", "TP53_mutant"):
        ours = minimal_interventions(net, "Death", context=context, max_size=2, mode=mode,
                                     analysis=async_oracle, workers=1)
        expected = _brute_force_minimal(net, context, "Death", mode, 2)
        assert ours.solutions == expected
        assert expected, "the test model should have solutions"


@pytest.mark.parametrize("metric, mode, threshold", [
    ("inevitable", "all", None), ("possible", "some", None), ("share", "share", 0.5), ("share", "share", 0.3),
    ("share", "all", 1.0),
])
def test_metric_matches_brute_force(tmp_path, metric, mode, threshold):
    net = small_model(tmp_path)
    for context in ("wildtype", "TP53_mutant"):
        ours = minimal_interventions(net, "Death", context=context, max_size=2, metric=metric, threshold=threshold,
                                     analysis=async_oracle, workers=1)
        assert ours.solutions == _brute_force_minimal(net, context, "Death", mode, 2, threshold)
        assert ours.metric == metric and all(v[0] >= (threshold or 1.0) for v in ours.values)


def test_mode_is_an_alias_of_a_metric(tmp_path):
    net = small_model(tmp_path)
    for mode, metric in (("all", "inevitable"), ("some", "possible")):
        by_mode = minimal_interventions(net, "Death", context="wildtype", mode=mode, analysis=async_oracle, workers=1)
        by_metric = minimal_interventions(net, "Death", context="wildtype", metric=metric, analysis=async_oracle,
                                          workers=1)
        assert by_mode.solutions == by_metric.solutions and by_metric.mode == mode
    with pytest.raises(Exception, match="mode 'all' is the metric 'inevitable', not 'possible'"):
        minimal_interventions(net, "Death", mode="all", metric="possible", analysis=async_oracle)
    with pytest.raises(Exception, match="threshold is for the graded metrics"):
        minimal_interventions(net, "Death", metric="inevitable", threshold=0.5, analysis=async_oracle)


def test_probability_goal_agrees_with_the_probability_screen():
    from signet.screen import screen

    net = read_model("networks/radioresistance.bnet")
    targets = ["BIRC2_3", "XIAP", "BCL2", "PRKDC", "ATM"]
    common = dict(context="IAP_high", targets=targets, kinds=["ko"], workers=1)
    # threshold 0.8: DNA-PKcs inhibition (about 0.84 of IAP_high cells do not regrow) passes it, ATM inhibition
    # (about 0.64 since session 12: end joining slowed, not blocked, without ATM-FBXW7) does not
    ours = minimal_interventions(net, "ClonogenicSurvival=0", max_size=1, metric="probability", threshold=0.8,
                                 **common)
    rows = screen(net, contexts="IAP_high", targets=targets, kinds=["ko"], workers=1, metric="probability",
                  score="ClonogenicSurvival=0", reference="").rows
    value = {r["perturbation"]: r["value"] for r in rows}  # minimised: the probability of not surviving
    assert [intervention_key(s) for s in ours.solutions] == sorted(k for k, v in value.items() if k and v >= 0.8)
    assert ours.solutions and all(v[0] == pytest.approx(value[intervention_key(s)])
                                  for s, v in zip(ours.solutions, ours.values))


def test_goal_value_zero_and_errors(tmp_path):
    net = small_model(tmp_path)
    res = minimal_interventions(net, "Proliferation=0", context="TP53_mutant", max_size=1,
                                analysis=async_oracle, workers=1)
    assert res.goal == ("Proliferation", 0)
    assert all(len(s) == 1 for s in res.solutions) and res.solutions
    with pytest.raises(Exception, match="unknown goal phenotype"):
        minimal_interventions(net, "Nope", analysis=async_oracle)
    with pytest.raises(Exception, match="mode"):
        minimal_interventions(net, "Death", mode="most", analysis=async_oracle)


UNIQUE_BASELINE = """\
RT, RT
ATM, RT
CHK2, ATM
TP53, (ATM | CHK2) & !MDM2
MDM2, AKT | TP53 & !ATM
AKT, !PTEN & (AKT | !TP53)
PTEN, TP53
NFKB, ATM & AKT
BCL2, NFKB | AKT & !TP53
XIAP, NFKB
CASP9, TP53 & !BCL2
CASP3, CASP9 & !XIAP
Apoptosis, CASP3
Death, Apoptosis
"""


@pytest.mark.crosstool
def test_agrees_with_bonesis_source_marker_reprogramming(tmp_path):
    """Same minimal sets as BoNesis when the untreated cell is one fixed point (mp semantics)."""
    import bonesis  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    from bonesis.reprogramming import source_marker_reprogramming
    from colomoto import minibn

    from signet.dynamics import attractors
    from signet.expr import to_bnet

    path = tmp_path / "u.bnet"
    path.write_text(UNIQUE_BASELINE)
    path.with_suffix(".yaml").write_text(
        "model: {treatment: {RT: 1}, baseline: {RT: 0}}\nphenotypes: {Death: Death}\n"
    )
    net = read_model(path)
    base = attractors(net.fix({"RT": 0}), "mp").attractors
    assert len(base) == 1 and all(v != "*" for v in base[0].space.values())
    z = dict(base[0].space)
    for k in (1, 2):
        ours = minimal_interventions(net, "Death", max_size=k, mode="all", workers=1)
        treated = net.fix({"RT": 1})
        f = minibn.BooleanNetwork({n: to_bnet(r) for n, r in treated.rules.items()})
        pool = set(candidate_targets(net))
        exclude = [n for n in net.nodes if n not in pool]
        theirs = source_marker_reprogramming(f, z, {"Death": 1}, k, exclude=exclude)
        theirs = sorted((tuple(sorted(s.items())) for s in theirs), key=lambda s: (len(s), s))
        assert ours.solutions == theirs, (
            [format_intervention(s) for s in ours.solutions], [format_intervention(s) for s in theirs]
        )


def test_control_json_without_context_says_null():
    import json

    from click.testing import CliRunner

    from conftest import NETWORKS
    from signet.cli import main

    out = CliRunner().invoke(
        main, ["control", str(NETWORKS / "atm_p53_core.bnet"), "--goal", "p53_active", "--max-size", "1", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["context"] is None


def test_cli_control_metric_share_shows_values(tmp_path):
    from click.testing import CliRunner

    from signet.cli import main

    args = ["control", "networks/radioresistance.bnet", "-c", "TP53_mutant", "--goal", "ClonogenicSurvival=0",
            "--targets", "ATM,ATR,GPX4", "--max-size", "1", "-q", "--workers", "1"]
    run = CliRunner().invoke(main, [*args, "--metric", "share", "--threshold", "0.5", "--json"])
    assert run.exit_code == 0, run.output
    import json

    data = json.loads(run.output)
    assert data["metric"] == "share" and data["threshold"] == 0.5
    assert data["solutions"] and all(s["value"] >= 0.5 and s["exact"] for s in data["solutions"])
    text = CliRunner().invoke(main, [*args, "--metric", "share", "--threshold", "0.5"])
    assert text.output.startswith("goal ClonogenicSurvival=0 with share >= 0.5 in TP53_mutant")
    assert "share 1.00" in text.output or "share 0." in text.output
    bad = CliRunner().invoke(main, [*args, "--mode", "some", "--metric", "inevitable"])
    assert bad.exit_code == 1 and bad.output.strip() == (
        "Error: mode 'some' is the metric 'possible', not 'inevitable': give one of them")
    zero = CliRunner().invoke(main, [*args, "--metric", "share", "--threshold", "0"])
    assert zero.exit_code == 1 and "--threshold" in zero.output  # a usage error: the threshold is in (0, 1]
