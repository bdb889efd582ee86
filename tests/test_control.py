"""Minimal intervention sets: against brute force, and against BoNesis's reprogramming."""

from __future__ import annotations

from itertools import combinations

import pytest

from signet.io import read_model
from signet.screen import candidate_targets, format_intervention, minimal_interventions
from signet.screen.interventions import single_interventions

from test_screen_support import async_oracle, small_model


def _brute_force_minimal(net, context, goal, mode, max_size):
    pool = candidate_targets(net)
    singles = single_interventions(pool)
    phen = dict(net.annotations.phenotypes)
    ctx = dict(net.context(context).fix)

    def works(i):
        fixes = net.percolate({**ctx, **dict(i), "RT": 1})[1]
        pert = {n: v for n, v in fixes.items() if n != "RT" and ctx.get(n) != v}
        values = async_oracle(net, context=context, perturbation=pert, treatment={"RT": 1},
                              update="async", phenotypes=phen)["values"]
        hits = [v[goal] == 1 for v in values]
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
