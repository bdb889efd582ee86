"""Synchronous attractors at scale (signet.dynamics.sync_sat): against brute force, the explicit engine,
BoolNet's published cell cycle, PyBoolNet's recorded attractors and reports, and on the AGS model."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import warnings

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signet.cli import main
from signet.dynamics import EngineConfig, attractors, explicit
from signet.dynamics.sync_sat import successor_function, sync_attractors
from signet.errors import SignetWarning, StateSpaceTooLarge
from signet.expr import compile_expression
from signet.io import read_model
from signet.io.boolnet import read_boolnet
from signet.io.bnet import read_bnet
from signet.model import BooleanNetwork

from _exchange import MODELS
from strategies import networks

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(net: BooleanNetwork, starts=None) -> list[frozenset[int]]:
    """Synchronous attractors by following every (start) state: plain Python, no signet dynamics."""
    nodes = net.nodes
    functions = [compile_expression(net.rules[n], nodes) for n in nodes]

    def succ(s: int) -> int:
        values = [bool(s >> j & 1) for j in range(len(nodes))]
        return sum(int(bool(f(*values))) << j for j, f in enumerate(functions))

    if starts is None:
        states = range(1 << len(nodes))
    else:
        states = {s for s in range(1 << len(nodes)) for space in starts
                  if all(s >> nodes.index(k) & 1 == v for k, v in space.items())}
    out = set()
    for s in states:
        seen = []
        while s not in seen:
            seen.append(s)
            s = succ(s)
        out.add(frozenset(seen[seen.index(s):]))
    return sorted(out, key=sorted)


def cycles(result) -> list[frozenset[int]]:
    return sorted((frozenset(c) for c in result.cycles), key=sorted)


@st.composite
def partial_starts(draw, net: BooleanNetwork):
    return [{n: draw(st.integers(0, 1)) for n in net.nodes if draw(st.booleans())}
            for _ in range(draw(st.integers(1, 3)))]


# ---------------------------------------------------------------------------
# Against brute force and the explicit engine
# ---------------------------------------------------------------------------


@SETTINGS
@given(networks(max_nodes=7))
def test_successor_function_is_the_synchronous_update(net):
    succ = successor_function(net)
    table = explicit.image(net)
    for s in range(1 << len(net)):
        assert succ(s) == sum(int(table[j][s]) << j for j in range(len(net)))


VARIANTS = {
    "walked": EngineConfig(),
    "path-search": EngineConfig(sync_walked_states=0, sync_split_inputs=False),
    "inputs-apart": EngineConfig(sync_walked_states=0),
}


@pytest.mark.parametrize("variant", VARIANTS)
@SETTINGS
@given(net=networks(max_nodes=7))
def test_all_attractors_equal_brute_force(variant, net):
    result = sync_attractors(net, config=VARIANTS[variant])
    assert result.exact and result.note == ""
    assert cycles(result) == brute_force(net)
    for cycle in result.cycles:  # in the order F visits them, from the smallest
        succ = successor_function(net)
        assert cycle[0] == min(cycle)
        assert [succ(s) for s in cycle] == list(cycle[1:]) + [cycle[0]]


@SETTINGS
@given(st.data())
def test_reachable_attractors_equal_brute_force_walked_and_solved(data):
    net = data.draw(networks(max_nodes=7))
    starts = data.draw(partial_starts(net))
    expected = brute_force(net, starts)
    walked = sync_attractors(net, starts)
    # the path search with the starts as a constraint, without the input split
    solved = sync_attractors(net, starts, config=EngineConfig(sync_walked_states=0, sync_split_inputs=False))
    assert walked.exact and solved.exact
    assert cycles(walked) == cycles(solved) == expected


@SETTINGS
@given(networks(max_nodes=7))
def test_short_cycle_enumeration_is_complete_up_to_its_bound(net):
    # no completeness proof allowed (horizon 0): then every cycle up to the bound is enumerated
    config = EngineConfig(sync_max_horizon=0, sync_cycle_bound=3, sync_walked_states=0, sync_split_inputs=False)
    result = sync_attractors(net, config=config)
    expected = brute_force(net)
    assert [c for c in expected if len(c) <= 3] == [c for c in cycles(result) if len(c) <= 3]
    assert set(cycles(result)) <= set(expected)
    if not result.exact:
        assert "every attractor of at most 3 states is listed" in result.note


@SETTINGS
@given(st.data())
def test_attractors_engine_asp_equals_explicit(data):
    net = data.draw(networks(max_nodes=6))
    starts = data.draw(st.one_of(st.none(), partial_starts(net)))
    asp = attractors(net, "sync", start=starts, engine="asp", config=EngineConfig(sync_walked_states=0))
    ref = attractors(net, "sync", start=starts, engine="explicit")
    assert asp.engine in ("asp", "percolation") and asp.exact
    assert asp.attractors == ref.attractors

    def members(result):  # each attractor as its set of states (two attractors can share a space)
        return sorted((sorted(tuple(sorted(s.items())) for s in result.member_states(i))
                       for i in range(len(result.attractors))))

    assert members(asp) == members(ref)


def test_a_long_transient_beyond_the_horizon_is_stated():
    # a shift register of 40 nodes whose last node latches the first: a 1 anywhere travels to x40,
    # sets x0 for ever and fills the register; orbits settle after up to 80 steps on all-0 or all-1
    rules = {"x0": "x0 | x40", **{f"x{i}": f"x{i - 1}" for i in range(1, 41)}}
    net = BooleanNetwork(rules)
    full = sync_attractors(net)
    assert full.exact and sorted(len(c) for c in full.cycles) == [1, 1] and full.horizon >= 40
    cut = sync_attractors(net, config=EngineConfig(sync_max_horizon=8, sync_cycle_bound=4))
    assert not cut.exact and cycles(cut) == cycles(full)
    assert cut.note == ("the completeness proof needs more than 8 synchronous steps; every attractor of at most "
                        "4 states is listed, longer cycles may be missing")


def test_too_many_attractors_is_a_clear_error():
    ring = BooleanNetwork({f"x{i}": f"x{(i + 1) % 30} | !x{(i + 2) % 30}" for i in range(30)})
    with pytest.raises(StateSpaceTooLarge, match="more than 50 synchronous attractors: too many to list"):
        sync_attractors(ring, config=EngineConfig(sync_max_attractors=50))
    inputs = BooleanNetwork({**{f"i{k}": f"i{k}" for k in range(7)}, "x": "i0 & !x"})
    with pytest.raises(StateSpaceTooLarge, match="7 free inputs: at least 2\\*\\*7 synchronous attractors"):
        sync_attractors(inputs, config=EngineConfig(sync_max_attractors=100))
    assert len(sync_attractors(inputs, config=EngineConfig(sync_max_attractors=200)).cycles) == 128
    with pytest.raises(StateSpaceTooLarge, match="2\\*\\*30 states exceed the explicit engine's limit"):
        attractors(ring, "sync", engine="explicit")


def test_auto_engine_choice():
    small = BooleanNetwork({f"x{i}": f"x{(i + 1) % 10}" for i in range(10)})
    assert attractors(small, "sync").engine == "explicit"
    n = EngineConfig().sync_explicit_nodes + 4
    chain = BooleanNetwork({"x0": "!x0", **{f"x{i}": f"x{i - 1} & x0" for i in range(1, n)}})
    result = attractors(chain, "sync")
    assert result.engine == "asp" and result.exact
    assert result.attractors == attractors(chain, "sync", engine="explicit").attractors


# ---------------------------------------------------------------------------
# Published and recorded answers
# ---------------------------------------------------------------------------


def test_boolnet_cell_cycle_has_boolnets_published_attractors():
    # BoolNet's vignette (getAttractors(cellcycle)): a steady state and a cycle of 7 states
    net = read_boolnet(MODELS / "boolnet" / "cellcycle.txt")
    result = attractors(net, "sync", engine="asp")
    assert sorted(a.states for a in result.attractors) == [1, 7]
    assert result.attractors == attractors(net, "sync", engine="explicit").attractors


RECORDED_SYNC = sorted((MODELS / "pyboolnet").glob("*/*_attrs_sync.json"))


@pytest.mark.parametrize("path", RECORDED_SYNC, ids=lambda p: p.parent.name)
def test_pyboolnets_recorded_sync_attractors_are_found(path):
    # PyBoolNet recorded some synchronous attractors ("is_complete": "no"): each must be in one of ours
    net = read_bnet(path.parent / f"{path.parent.name}.bnet")
    result = sync_attractors(net)
    assert result.exact
    index = {n: j for j, n in enumerate(net.nodes)}
    ours = [set(c) for c in result.cycles]
    record = json.loads(path.read_text())
    hits = []
    for att in record["attractors"]:
        state = sum(v << index[k] for k, v in att["state"]["dict"].items())
        found = [i for i, c in enumerate(ours) if state in c]
        assert len(found) == 1
        assert (len(ours[found[0]]) == 1) == att["is_steady"]
        hits.append(found[0])
    assert len(set(hits)) == len(hits)
    assert len(ours) >= len(record["attractors"])


REPORTS = sorted((MODELS / "pyboolnet").glob("*/*_attractors.md"))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.parent.name)
def test_pyboolnets_attractor_reports(path):
    # each report lists the steady states and, for the synchronous STG, one minimal trap space per
    # cyclic attractor; "completeness: True" means PyBoolNet proved that list complete
    text = path.read_text()
    steady = re.findall(r"^\| ([01]+)\s+\|", text.split("### Steady States")[1].split("###")[0], re.M)
    section = text.split("### Synchronous STG")[1].split("###")[0]
    complete = re.search(r"completeness: (\w+)", section).group(1) == "True"
    spaces = re.findall(r"^\| ([-01]+)\s+\| (\w+)\s+\|", section, re.M)
    net = read_bnet(next(path.parent.glob("*.bnet")))
    result = sync_attractors(net)
    assert result.exact
    order = sorted(net.nodes)  # PyBoolNet writes states in sorted node order
    points = {"".join(str(c[0] >> net.nodes.index(n) & 1) for n in order) for c in result.cycles if len(c) == 1}
    assert points == set(steady)
    cyclic = [c for c in result.cycles if len(c) > 1]
    for space, _univocal in spaces:  # each recorded trap space holds one of our cyclic attractors
        assert any(all(ch == "-" or all(s >> net.nodes.index(n) & 1 == int(ch) for s in c)
                       for n, ch in zip(order, space, strict=True)) for c in cyclic)
    if complete:
        assert len(cyclic) == len(spaces)
    else:
        assert len(cyclic) >= len(spaces)


# ---------------------------------------------------------------------------
# The models the explicit engine refused
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("model, free, count", [
    ("flobak2015/Flobak_FullModel_S2_Dataset.zginml", 83, 1),  # AGS (Flobak 2015)
    ("bbm/148_AGS-CELL-FATE-DECISION/model.bnet", 83, 1),
    ("ginsim/2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml", 35, 62),
    ("pyboolnet/calzone_cellfate/calzone_cellfate.bnet", 28, 97),
])
def test_large_models(model, free, count):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        net = read_model(MODELS / model)
    result = attractors(net, "sync")
    assert result.engine == "asp" and result.exact
    assert len(result.attractors) == count
    assert len(net) == free


def test_cli_attractors_and_screen_on_the_ags_model(tmp_path):
    model = tmp_path / "ags.zginml"
    shutil.copy(MODELS / "flobak2015/Flobak_FullModel_S2_Dataset.zginml", model)
    runner = CliRunner()
    result = runner.invoke(main, ["attractors", str(model), "--update", "sync", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["engine"] == "asp" and data["exact"] and len(data["attractors"]) == 1
    (tmp_path / "ags.yaml").write_text(
        "phenotypes:\n  Death: Antisurvival_b1 & !Prosurvival_b1\n  Proliferation: Prosurvival_b1\n")
    result = runner.invoke(main, ["screen", str(model), "--update", "sync", "--workers", "1", "--quiet",
                                  "--targets", "TCF,betacatenin,AKT,MEK,PI3K", "--db", str(tmp_path / "s.sqlite"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["intervention"]: r for r in json.loads(result.output)["rows"]}
    assert {f"{n} {k}" for n in ("TCF", "betacatenin", "AKT", "MEK", "PI3K") for k in ("ko", "oe")} <= set(rows)
    assert rows["TCF ko"]["score"] == rows["betacatenin ko"]["score"] == 1.0
    # with TCF or beta-catenin knocked out, every synchronous attractor is Death (checked explicitly below)
    knocked = read_model(model).knockout("TCF")
    assert all(a.space["Antisurvival_b1"] == 1 and a.space["Prosurvival_b1"] == 0
               for a in attractors(knocked, "sync").attractors)


def test_deterministic():
    net = read_model(MODELS / "ginsim/2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml")
    first = attractors(net, "sync").to_json()
    assert attractors(net, "sync").to_json() == first


def test_brute_force_helper_is_itself_right():
    # the oracle above on a case worked by hand: A' = !B, B' = A is a 4-cycle from every state
    net = BooleanNetwork({"A": "!B", "B": "A"})
    assert brute_force(net) == [frozenset({0, 1, 3, 2})]
    assert brute_force(net, [{"A": 1, "B": 1}]) == [frozenset({0, 1, 2, 3})]
    assert list(itertools.islice(iter(brute_force(BooleanNetwork({"A": "A"}))), 2)) == [frozenset({0}), frozenset({1})]


def _mid_sized_corpus_models() -> list:
    """Corpus models whose free part (after percolation) has 17 to 21 nodes: the clingo engine's
    range, still small enough for the explicit engine to check it."""
    from signet.percolation import reduce_network

    out = []
    for path in sorted((MODELS / "bbm").glob("*/model.bnet")) + sorted((MODELS / "pyboolnet").glob("*/*.bnet")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SignetWarning)
            net = read_bnet(path)
        if 17 <= len(reduce_network(net).network) <= 21:
            out.append(path)
    return out


#: ``_mid_sized_corpus_models()``, written out: choosing them reads and percolates 300 models
#: (half a minute), which every collection of the tests would pay; the test below keeps it current
MID_SIZED = (
    "bbm/003_MAMMALIAN-CELL-CYCLE/model.bnet",
    "bbm/021_BODY-SEGMENTATION-IN-DROSOPHILA-2013/model.bnet",
    "bbm/024_BUDDING-YEAST-CELL-CYCLE/model.bnet",
    "bbm/026_BUDDING-YEAST-CELL-CYCLE-2009/model.bnet",
    "bbm/028_VEGF-PATHWAY-OF-DROSOPHILA/model.bnet",
    "bbm/049_OXIDATIVE-STRESS-PATHWAY/model.bnet",
    "bbm/055_HUMAN-GONADAL-SEX-DETERMINATION/model.bnet",
    "bbm/062_CD4-T-CELL-DIFFERENTIATION-AND-PLASTICITY/model.bnet",
    "bbm/074_T-LGL-SURVIVAL-NETWORK-2011-REDUCED/model.bnet",
    "bbm/086_TUMOUR-CELL-INVASION-AND-MIGRATION-REDUCED/model.bnet",
    "bbm/089_MAPK-REDUCED-1/model.bnet",
    "bbm/090_MAPK-REDUCED-2/model.bnet",
    "bbm/096_ERBB-REGULATED-G1-S-TRANSITION/model.bnet",
    "bbm/099_YEAST-HYPHAL-TRANSITION/model.bnet",
    "bbm/100_ACUTE-MYELOID-LEUKEMIA/model.bnet",
    "bbm/119_JNK-PATHWAY/model.bnet",
    "bbm/131_TGFB-PATHWAY/model.bnet",
    "bbm/139_ACUTE-RESPONSES-DURING-HYPERINSULINEMIA/model.bnet",
    "bbm/153_CONTROL-OF-PROLIFERATION/model.bnet",
    "bbm/154_CONTROL-OF-TH1-TH2-DIFFERENTIATION/model.bnet",
    "bbm/162_DROSOPHILA-DPP-PATHWAY/model.bnet",
    "bbm/166_DROSOPHILA-JAK-STAT-PATHWAY/model.bnet",
    "bbm/174_HEPATOCELLULAR-CARCINOMA-REDUCED/model.bnet",
    "bbm/187_MAMMAL-SEX-DETERMINATION-1-CELL/model.bnet",
    "bbm/191_SEGMENT-POLARITY-1-CELL/model.bnet",
    "bbm/237_COLORECTAL-TUMORIGENESIS-REVERSION-SWITCH/model.bnet",
    "bbm/245_CARDIOMYOCYTE-DIFFERENTIATION/model.bnet",
    "bbm/264_PREIMPLANTATION-EMBRYO-TROPHECTODERM-1/model.bnet",
    "bbm/265_PREIMPLANTATION-EMBRYO-TROPHECTODERM-1-MATURE/model.bnet",
    "bbm/272_FLT3-ITD-AML-SIGNALING/model.bnet",
    "bbm/274_MERGE-HEMATOPOIESIS-177-271/model.bnet",
    "bbm/278_STOCHASTICITY-IN-HEMATOPOIESIS/model.bnet",
    "pyboolnet/irons_yeast/irons_yeast.bnet",
)


@pytest.mark.crosstool
def test_mid_sized_list_is_the_corpus_selection():
    assert [str(p.relative_to(MODELS)) for p in _mid_sized_corpus_models()] == list(MID_SIZED)


@pytest.mark.crosstool
@pytest.mark.parametrize("path", [MODELS / m for m in MID_SIZED], ids=lambda p: p.parent.name)
def test_corpus_models_asp_equals_explicit(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        net = read_bnet(path)
    ref = attractors(net, "sync", engine="explicit")
    for config in (EngineConfig(), EngineConfig(sync_walked_states=0, sync_split_inputs=False)):
        try:
            got = attractors(net, "sync", engine="asp", config=config)
        except StateSpaceTooLarge:  # more attractors than the engine lists one by one
            assert len(ref.attractors) > config.sync_max_attractors
            continue
        assert got.exact and got.attractors == ref.attractors
