"""Multi-valued models: level bits, level perturbations (``X%k``) and attractors over admissible states.

The oracle is independent of the Boolean encoding: a multi-valued network is drawn as
target-level tables, its stepwise dynamics (a node moves one level towards its target,
as GINsim and bioLQM define them) are explored level vector by level vector, and the
attractors (terminal strongly connected components) are mapped to level bits only at the
end.  signet gets the Boolean encoding the readers write (``X_bk = (target >= k &
X_b(k-1)) | (X_bk & X_b(k+1))``) and must give the same attractors, also with a node
fixed at a level.
"""

from __future__ import annotations

import itertools
import json
import shutil
import warnings
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signet.cli import main
from signet.dynamics import attractors, count_attractors, iter_attractors, response
from signet.errors import ModelError, SignetWarning
from signet.expr import And, Const, Expr, Not, Or, Var
from signet.graph import unused_regulators
from signet.io.ginml import read_ginml
from signet.levels import (
    check_whole_levels,
    is_admissible,
    level_groups,
    level_values,
    max_levels,
    parse_level_perturbation,
    space_meets_admissible,
    space_within_admissible,
)
from signet.model import BooleanNetwork, parse_assignment
from signet.screen.interventions import InterventionOptions, format_intervention

MODELS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "models"
LAMBDA = MODELS / "ginsim/1995-lambda-lysis-lysogeny/phageLambda4.zginml"
BLADDER = MODELS / "ginsim/2015-mammal-bladder-tumorigenesis/Bladder_Model.zginml"


# ---------------------------------------------------------------------------
# Random multi-valued networks and their stepwise dynamics (the oracle)
# ---------------------------------------------------------------------------


class MultiValued:
    """Nodes with maximum levels, each with regulators and a table regulator levels -> target level."""

    def __init__(self, tops: dict[str, int], regulators: dict[str, tuple[str, ...]],
                 tables: dict[str, dict[tuple[int, ...], int]]) -> None:
        self.tops, self.regulators, self.tables = tops, regulators, tables
        self.names = list(tops)

    def target(self, state: tuple[int, ...], node: str, fixed: dict[str, int]) -> int:
        if node in fixed:
            return fixed[node]
        index = {n: i for i, n in enumerate(self.names)}
        return self.tables[node][tuple(state[index[r]] for r in self.regulators[node])]

    def successors(self, state: tuple[int, ...], update: str, fixed: dict[str, int]) -> set[tuple[int, ...]]:
        steps = []
        for i, node in enumerate(self.names):
            t = self.target(state, node, fixed)
            steps.append(state[i] + (t > state[i]) - (t < state[i]))
        if update == "sync":
            return {tuple(steps)}
        out = set()
        for i in range(len(state)):
            if steps[i] != state[i]:
                out.add(state[:i] + (steps[i],) + state[i + 1:])
        return out or {state}

    def attractors(self, update: str, fixed: dict[str, int]) -> set[frozenset[tuple[int, ...]]]:
        """Terminal SCCs of the stepwise dynamics, over level vectors (fixed nodes at their level)."""
        ranges = [range(self.tops[n] + 1) if n not in fixed else [fixed[n]] for n in self.names]
        graph = nx.DiGraph()
        for state in itertools.product(*ranges):
            graph.add_node(state)
            for s in self.successors(state, update, fixed):
                graph.add_edge(state, s)
        condensed = nx.condensation(graph)
        return {frozenset(condensed.nodes[c]["members"]) for c in condensed if condensed.out_degree(c) == 0}

    def bits(self, levels: tuple[int, ...]) -> dict[str, int]:
        out = {}
        for node, level in zip(self.names, levels, strict=True):
            if self.tops[node] == 1:
                out[node] = level
            else:
                out.update({f"{node}_b{k}": int(level >= k) for k in range(1, self.tops[node] + 1)})
        return out

    def boolean(self) -> BooleanNetwork:
        """The Van Ham encoding with the stepwise rules of the GINsim and SBML-qual readers."""

        def equals(node: str, level: int) -> Expr:
            if self.tops[node] == 1:
                return Var(node) if level else Not(Var(node))
            parts: list[Expr] = [Var(f"{node}_b{level}")] if level else []
            if level < self.tops[node]:
                parts.append(Not(Var(f"{node}_b{level + 1}")))
            return parts[0] if len(parts) == 1 else And(tuple(parts))

        def at_least(node: str, k: int) -> Expr:
            rows = [row for row, v in self.tables[node].items() if v >= k]
            terms: list[Expr] = []
            for row in rows:
                lits = [equals(r, v) for r, v in zip(self.regulators[node], row, strict=True)]
                terms.append(Const(True) if not lits else lits[0] if len(lits) == 1 else And(tuple(lits)))
            return Const(False) if not terms else terms[0] if len(terms) == 1 else Or(tuple(terms))

        rules: dict[str, Expr] = {}
        for node in self.names:
            top = self.tops[node]
            if top == 1:
                rules[node] = at_least(node, 1)
                continue
            for k in range(1, top + 1):
                below: Expr = Const(True) if k == 1 else Var(f"{node}_b{k - 1}")
                above: Expr = Const(False) if k == top else Var(f"{node}_b{k + 1}")
                rules[f"{node}_b{k}"] = Or((And((at_least(node, k), below)), And((Var(f"{node}_b{k}"), above))))
        return BooleanNetwork(rules)


@st.composite
def multivalued(draw) -> MultiValued:
    n = draw(st.integers(1, 3))
    names = ["A", "B", "C"][:n]
    tops = {name: draw(st.integers(1, 3)) for name in names}
    if all(t == 1 for t in tops.values()):
        tops[names[0]] = 2
    regulators, tables = {}, {}
    for name in names:
        regs = tuple(r for r in names if draw(st.booleans()))
        regulators[name] = regs
        rows = itertools.product(*(range(tops[r] + 1) for r in regs))
        tables[name] = {row: draw(st.integers(0, tops[name])) for row in rows}
    return MultiValued(tops, regulators, tables)


def signet_attractors(net: BooleanNetwork, update: str) -> set[frozenset[tuple[tuple[str, int], ...]]]:
    result = attractors(net, update)
    out = set()
    for i in range(len(result.attractors)):
        members = result.member_states(i)
        assert members is not None
        out.add(frozenset(tuple(sorted(s.items())) for s in members))
    return out


def oracle_attractors(model: MultiValued, update: str, fixed: dict[str, int]) -> set:
    return {frozenset(tuple(sorted(model.bits(s).items())) for s in a) for a in model.attractors(update, fixed)}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multivalued(), st.sampled_from(["sync", "async"]))
def test_attractors_equal_the_stepwise_multivalued_dynamics(model, update):
    net = model.boolean()
    assert signet_attractors(net, update) == oracle_attractors(model, update, {})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multivalued(), st.sampled_from(["sync", "async"]), st.data())
def test_level_perturbation_equals_the_node_fixed_at_that_level(model, update, data):
    node = data.draw(st.sampled_from(model.names))
    level = data.draw(st.integers(0, model.tops[node]))
    net = model.boolean()
    perturbed = net.perturb(fix=parse_assignment(f"{node}%{level}"))
    assert signet_attractors(perturbed, update) == oracle_attractors(model, update, {node: level})
    # ko and oe of a multi-valued node are its lowest and highest levels
    if level == 0:
        assert perturbed.rules == net.perturb(ko=[node]).rules
    if level == model.tops[node]:
        assert perturbed.rules == net.perturb(oe=[node]).rules


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multivalued(), st.sampled_from(["sync", "async"]), st.data())
def test_reachable_attractors_from_a_partial_start_over_levels(model, update, data):
    net = model.boolean()
    start = {n: data.draw(st.integers(0, 1)) for n in net.nodes if data.draw(st.booleans())}
    # the oracle: level vectors whose bits agree with the start, and what they reach
    ranges = [range(model.tops[n] + 1) for n in model.names]
    graph = nx.DiGraph()
    for state in itertools.product(*ranges):
        for s in model.successors(state, update, {}):
            graph.add_edge(state, s)
    # signet's convention: a node whose rule is constant starts at its value (it acts from time 0)
    from signet.expr import equivalent

    constants = {n: v for n, r in net.rules.items() for v in (0, 1) if equivalent(r, Const(bool(v)))}
    start_at = {**start, **constants}
    sources = [s for s in itertools.product(*ranges) if all(model.bits(s)[n] == v for n, v in start_at.items())]
    reached = set(sources).union(*(nx.descendants(graph, s) for s in sources)) if sources else set()
    expected = {frozenset(tuple(sorted(model.bits(s).items())) for s in a)
                for a in model.attractors(update, {}) if a & reached}
    result = attractors(net, update, start=start)
    got = {frozenset(tuple(sorted(s.items())) for s in result.member_states(i)) for i in range(len(result.attractors))}
    assert result.exact and got == expected


@settings(max_examples=60, deadline=None)
@given(multivalued())
def test_mp_trap_spaces_hold_admissible_states(model):
    net = model.boolean()
    groups = level_groups(net.nodes)
    result = attractors(net, "mp")
    assert result.attractors
    for a in result.attractors:
        assert space_meets_admissible(a.space, groups)
    # every async attractor of the multi-valued model lies in one of them
    # the level-bit encoding's trap spaces are not the multi-valued model's trap sets: said so
    assert not result.exact and "level-bit encoding" in result.note
    # every steady state of the multi-valued model is one of them
    spaces = [a.space for a in result.attractors]
    for states in oracle_attractors(model, "async", {}):
        if len(states) == 1:
            state = dict(next(iter(states)))
            assert state in spaces


def test_input_level_bits_give_no_inadmissible_attractors():
    # each level bit of an input is its own input: (X_b1, X_b2) = (0, 1) is a fixed point of
    # the Boolean network, but no level of X
    net = BooleanNetwork({"X_b1": "X_b1", "X_b2": "X_b2", "Y": "X_b2"})
    for update in ("sync", "async", "mp"):
        spaces = [a.space for a in attractors(net, update).attractors]
        assert spaces == [{"X_b1": 0, "X_b2": 0, "Y": 0}, {"X_b1": 1, "X_b2": 0, "Y": 0},
                          {"X_b1": 1, "X_b2": 1, "Y": 1}], update


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multivalued(), st.sampled_from(["async", "mp"]))
def test_streamed_and_counted_attractors_are_the_listed_ones(model, update):
    # an input with levels 0..2 as two raw input bits: the Boolean network has a fourth,
    # inadmissible valuation (I_b1, I_b2) = (0, 1), whose attractors none of the three lists
    net = model.boolean()
    net = BooleanNetwork({**net.rules, "I_b1": Var("I_b1"), "I_b2": Var("I_b2")})

    def key(a):
        return json.dumps([a.kind, a.space, a.states], sort_keys=True)

    listed = sorted(key(a) for a in attractors(net, update).attractors)
    assert sorted(key(a) for a in iter_attractors(net, update)) == listed
    assert count_attractors(net, update) == len(listed)
    if update == "async":  # the independent oracle: the model's attractors at each level of I
        assert len(listed) == 3 * len(oracle_attractors(model, update, {}))


def test_the_stream_solves_no_subnetwork_over_inadmissible_input_levels(monkeypatch):
    # bbm/260 (55 inputs, level bits among them): its first asynchronous attractor took over
    # 60 s when every input valuation was solved and the attractors over inadmissible states
    # dropped afterwards; a branch whose fixed bits are inadmissible is no longer solved
    from signet.dynamics import succession
    from signet.levels import space_meets_admissible

    rules = {f"{g}_b{k}": f"{g}_b{k}" for g in "IJK" for k in (1, 2)}
    rules.update({"Y": "!Z | I_b2 & J_b1", "Z": "Y & !K_b2 | I_b1 & W", "W": "!Y | W & K_b1"})
    net = BooleanNetwork(rules)
    solved = []
    connected = succession.Solver._connected

    def spy(self, sub):
        solved.append(sub.root.decode(sub.mask, sub.bits))
        return connected(self, sub)

    monkeypatch.setattr(succession.Solver, "_connected", spy)
    streamed = list(iter_attractors(net, "async"))
    groups = level_groups(net.nodes)
    assert solved and all(space_meets_admissible(space, groups) for space in solved)
    monkeypatch.setattr(succession.Solver, "_connected", connected)

    def key(a):
        return json.dumps([a.kind, a.space, a.states], sort_keys=True)

    assert sorted(map(key, streamed)) == sorted(map(key, attractors(net, "async").attractors))
    assert len(streamed) == 38


@given(st.lists(st.sampled_from([0, 1, "*"]), min_size=2, max_size=4), st.lists(st.sampled_from([0, 1, "*"]),
                                                                                   min_size=2, max_size=3))
def test_space_within_and_meets_admissible_against_its_states(x, y):
    groups = {"X": tuple(f"X_b{k + 1}" for k in range(len(x))), "Y": tuple(f"Y_b{k + 1}" for k in range(len(y)))}
    space = {**{b: v for b, v in zip(groups["X"], x)}, **{b: v for b, v in zip(groups["Y"], y)}}
    stars = [b for b, v in space.items() if v == "*"]
    states = [{**space, **dict(zip(stars, values))} for values in itertools.product((0, 1), repeat=len(stars))]
    admissible = [is_admissible(s, groups) for s in states]
    assert space_within_admissible(space, groups) == all(admissible)
    assert space_meets_admissible(space, groups) == any(admissible)


def test_cli_streams_and_counts_the_listed_multivalued_attractors(tmp_path):
    path = tmp_path / "levels.bnet"
    path.write_text("X_b1, X_b1\nX_b2, X_b2\nY, X_b2\n")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, ["attractors", str(path), *args])
        assert result.exit_code == 0, result.output
        return result.output

    for update in ("async", "mp"):
        listed = json.loads(run("-u", update, "--json"))
        assert len(listed["attractors"]) == 3
        counted = json.loads(run("-u", update, "--count", "--json"))
        *streamed, last = [json.loads(line) for line in run("-u", update, "--json-lines").splitlines()]
        assert counted["count"] == last["count"] == len(streamed) == 3
        assert sorted(a["space"]["X_b1"] * 2 + a["space"]["X_b2"] for a in streamed) == [0, 2, 3]
        # the label follows the listing's: mp trap spaces of the encoding are not exact
        assert counted["exact"] is last["exact"] is listed["exact"] is (update == "async")
        if update == "mp":
            assert counted["note"] == last["note"] == listed["note"]
            assert "APPROXIMATE" in run("-u", update, "--count")


# ---------------------------------------------------------------------------
# Level perturbations: never one level bit
# ---------------------------------------------------------------------------


def small() -> BooleanNetwork:
    return BooleanNetwork({"A": "A", "X_b1": "A | X_b2", "X_b2": "A & X_b1", "Y": "X_b2"})


def test_level_helpers():
    net = small()
    assert level_groups(net.nodes) == {"X": ("X_b1", "X_b2")}
    assert max_levels(net) == {"X": 2}
    assert level_values(net, "x", 1) == {"X_b1": 1, "X_b2": 0}
    assert level_values(net, "A", 1) == {"A": 1}
    assert parse_level_perturbation(" X % 2 ") == ("X", 2)
    assert is_admissible({"X_b1": 1, "X_b2": 0}, {"X": ("X_b1", "X_b2")})
    assert not is_admissible({"X_b1": 0, "X_b2": 1}, {"X": ("X_b1", "X_b2")})
    # names alone do not make levels: a missing bit, or a node named X itself
    assert level_groups(["X_b1", "X_b3"]) == {} and level_groups(["X", "X_b1", "X_b2"]) == {}
    with pytest.raises(ModelError, match="X has levels 0..2, not 3"):
        level_values(net, "X", 3)
    with pytest.raises(ModelError, match="bad level perturbation"):
        parse_level_perturbation("X%high")


@pytest.mark.parametrize("kwargs", [{"ko": ["X_b2"]}, {"oe": ["X_b1"]}, {"fix": {"X_b1": 0, "X_b2": 1}},
                                    {"fix": {"X_b2": 1}}])
def test_one_level_bit_is_never_perturbed(kwargs):
    with pytest.raises(ModelError, match="fix X at a level, e.g. X%0 or X%2"):
        small().perturb(**kwargs)


def test_whole_levels_pass_the_check():
    net = small()
    check_whole_levels(net, {"X_b1": 1, "X_b2": 0, "A": 1})
    assert net.perturb(fix={"X_b1": 1, "X_b2": 1}).rules == net.perturb(oe=["X"]).rules


def test_screen_units_are_whole_levels():
    net = small()
    units = InterventionOptions().units(net)
    labels = [format_intervention(u) for u in units]
    assert labels == ["X%0", "X%1", "X%2", "Y ko", "Y oe"]
    for unit in units:  # every unit fixes X's bits together, at an admissible level
        bits = dict(unit)
        if "X_b1" in bits or "X_b2" in bits:
            assert set(bits) == {"X_b1", "X_b2"} and bits["X_b1"] >= bits["X_b2"]
    assert [format_intervention(u) for u in InterventionOptions(kinds=("ko",)).units(net)] == ["X%0", "Y ko"]
    assert [format_intervention(u) for u in InterventionOptions(kinds=("oe",), targets=("x",)).units(net)] == ["X%2"]
    # a trivial level bit (a phenotype marker) takes its whole node out of the screen
    from signet.annotations import Annotations

    marked = BooleanNetwork(net.rules, annotations=Annotations(phenotypes={"High": "X_b2"}))
    assert [format_intervention(u) for u in InterventionOptions().units(marked)] == ["Y ko", "Y oe"]


def test_level_bits_read_by_the_encoding_are_not_unused_regulators():
    # T >= 2 written as S_b1 & S_b2: S_b1 has no effect, S acts through S_b2: no artefact
    net = BooleanNetwork({"S_b1": "S_b1 | S_b2", "S_b2": "S_b2 & S_b1", "T": "S_b1 & S_b2 | S_b2", "U": "U & (T | !T)"})
    assert unused_regulators(net) == [("T", "U")]
    assert ("S_b1", "T") in [(u, v) for u, v, s in net.edges() if s == "0"]


# ---------------------------------------------------------------------------
# Corpus GINsim multi-valued models
# ---------------------------------------------------------------------------


def read(path: Path) -> BooleanNetwork:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        return read_ginml(path)


def admissible_brute_force(net: BooleanNetwork, update: str) -> set:
    """Attractors of the Boolean network over its admissible states only (networkx); a fixed
    node (constant rule) starts at its value, as perturbations act from time 0."""
    from signet.dynamics.sync_sat import successor_function

    groups = level_groups(net.nodes)
    nodes = net.nodes
    constants = {n: int(r.value) for n, r in net.rules.items() if isinstance(r, Const)}
    succ = successor_function(net)
    graph = nx.DiGraph()
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        state = dict(zip(nodes, bits, strict=True))
        if not is_admissible(state, groups) or any(state[n] != v for n, v in constants.items()):
            continue
        s = sum(b << j for j, b in enumerate(bits))
        nxt = succ(s)
        graph.add_node(s)
        if update == "sync":
            graph.add_edge(s, nxt)
        else:
            moved = False
            for j in range(len(nodes)):
                if (s ^ nxt) >> j & 1:
                    graph.add_edge(s, s ^ (1 << j))
                    moved = True
            if not moved:
                graph.add_edge(s, s)
    condensed = nx.condensation(graph)
    out = set()
    for c in condensed:
        if condensed.out_degree(c) == 0:
            out.add(frozenset(tuple(sorted((n, s >> j & 1) for j, n in enumerate(nodes)))
                              for s in condensed.nodes[c]["members"]))
    return out


@pytest.mark.parametrize("path", [LAMBDA, MODELS / "ginsim/2001-drosophila-gap/gapA.zginml",
                                  MODELS / "ginsim/2005-ecoli-trp-biosynthesis/Trp_reg.zginml"],
                         ids=lambda p: p.stem)
@pytest.mark.parametrize("update", ["sync", "async"])
def test_corpus_multivalued_models_against_admissible_brute_force(path, update):
    net = read(path)
    assert max_levels(net)
    assert signet_attractors(net, update) == admissible_brute_force(net, update)
    top = max_levels(net)
    node = next(iter(top))
    for level in range(top[node] + 1):
        perturbed = net.perturb(fix={node: level})
        assert signet_attractors(perturbed, update) == admissible_brute_force(perturbed, update)


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_cli_info_attractors_screen_on_a_ginsim_multivalued_model(tmp_path):
    model = tmp_path / "lambda.zginml"
    shutil.copy(LAMBDA, model)
    net = read(model)
    # info: the levels, and no artefact unused regulators
    result = run("info", str(model), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["multivalued"] == {"CI": 2, "Cro": 3} and data["unused_regulators"] == []
    text = run("info", str(model)).output
    assert "levels     2: CI 0..2, Cro 0..3" in text
    # attractors with a level perturbation in bioLQM's notation, equal to the brute force
    result = run("attractors", str(model), "--update", "async", "--fix", "Cro%2", "--json")
    assert result.exit_code == 0, result.output
    spaces = [a["space"] for a in json.loads(result.output)["attractors"]]
    expected = admissible_brute_force(net.perturb(fix={"Cro": 2}), "async")
    assert len(spaces) == len(expected)
    assert all(s["Cro_b1"] == s["Cro_b2"] == 1 and s["Cro_b3"] == 0 for s in spaces)
    # --ko/--oe of a multi-valued node fix its lowest/highest level; one bit is refused
    result = run("attractors", str(model), "--oe", "CI", "--json")
    assert result.exit_code == 0, result.output
    assert all(a["space"]["CI_b1"] == a["space"]["CI_b2"] == 1 for a in json.loads(result.output)["attractors"])
    result = run("attractors", str(model), "--ko", "Cro_b2")
    assert result.exit_code == 1 and "fix Cro at a level, e.g. Cro%0 or Cro%3" in result.output
    assert "Traceback" not in result.output
    result = run("attractors", str(model), "--fix", "Cro%4")
    assert result.exit_code == 1 and "Cro has levels 0..3, not 4" in result.output
    # a screen perturbs whole levels, shown as X%k
    (tmp_path / "lambda.yaml").write_text("phenotypes:\n  Lysogeny: CI_b2\n")
    result = run("screen", str(model), "--update", "async", "--workers", "1", "--quiet", "--json",
                 "--allow-trivial", "--score", "Lysogeny", "--db", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0, result.output
    rows = {r["intervention"]: r for r in json.loads(result.output)["rows"]}
    assert {"CI%0", "CI%1", "CI%2", "Cro%0", "Cro%1", "Cro%2", "Cro%3"} <= set(rows)
    assert not [name for name in rows if "_b" in name]
    assert rows["CI%2"]["size"] == 1 and rows["CI%2"]["perturbation"] == {"CI_b1": 1, "CI_b2": 1}
    # each row's share is that of the fates the perturbed cell reaches from the untreated states
    for level in range(3):
        result = response(net, perturbation={"CI": level}, update="async")
        share = result.shares({"Lysogeny": "CI_b2"})["Lysogeny"]
        assert rows[f"CI%{level}"]["share_Lysogeny"] == pytest.approx(share)
    assert [rows[f"CI%{k}"]["share_Lysogeny"] for k in range(3)] == [0.0, 0.0, 1.0]


def test_bladder_model_sync_attractors_are_admissible():
    net = read(BLADDER)
    groups = level_groups(net.nodes)
    result = attractors(net, "sync")
    assert result.exact and result.attractors
    for i in range(len(result.attractors)):
        assert all(is_admissible(s, groups) for s in result.member_states(i))


def test_validate_cases_fix_levels(tmp_path):
    model = tmp_path / "lambda.zginml"
    shutil.copy(LAMBDA, model)
    (tmp_path / "lambda.yaml").write_text("phenotypes:\n  Lysogeny: CI_b2\n")
    claims = tmp_path / "lambda.expectations.yaml"
    claims.write_text(
        "- {id: ci_high, claim: c, phenotype: Lysogeny, case: {fix: {CI: 2}}, expect: all}\n"
        "- {id: ci_mid, claim: c, phenotype: Lysogeny, case: {fix: {CI: 1}}, expect: zero}\n"
        "- {id: ci_ko, claim: c, phenotype: Lysogeny, case: {ko: [CI]}, expect: zero}\n"
        "- {id: cro_oe, claim: c, phenotype: Lysogeny, case: {oe: [cro]}, expect: zero}\n")
    result = run("validate", str(model), "--update", "async", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["all_passed"] and data["passed"] == 4
    cases = {c["id"]: c["case"] for c in data["claims"]}
    assert cases["ci_ko"]["fix"] == {"CI": 0} and cases["cro_oe"]["fix"] == {"Cro": 3}
    net = read(model)
    # the oracle: the phenotype's share in the attractors reached with the node at that level
    for level, expected in ((2, 1.0), (1, 0.0), (0, 0.0)):
        assert response(net, perturbation={"CI": level}, update="async").shares({"L": "CI_b2"})["L"] == expected
    claims.write_text("- id: ci_high\n  claim: c\n  phenotype: Lysogeny\n  case: {fix: {CI: 3}}\n  expect: all\n")
    result = run("validate", str(model), "--update", "async")
    assert result.exit_code == 1
    assert "lambda.expectations.yaml:4:16: claim ci_high: case fix: CI has levels 0..2, not 3" in result.output


def test_control_finds_levels_against_the_response_oracle(tmp_path):
    model = tmp_path / "lambda.zginml"
    shutil.copy(LAMBDA, model)
    (tmp_path / "lambda.yaml").write_text("phenotypes:\n  Lysogeny: CI_b2\n")
    result = run("control", str(model), "--goal", "Lysogeny", "--max-size", "1", "--update", "async",
                 "--allow-trivial", "--workers", "1", "-q", "--json")
    assert result.exit_code == 0, result.output
    found = {s["intervention"]: s for s in json.loads(result.output)["solutions"]}
    net = read(model)
    expected = set()
    for node, top in max_levels(net).items():
        for level in range(top + 1):
            shares = response(net, perturbation={node: level}, update="async").shares({"L": "CI_b2"})
            if shares["L"] == 1.0:
                expected.add(f"{node}%{level}")
    assert expected == {name for name in found if "%" in name} == {"CI%2", "Cro%0"}
    assert found["Cro%0"]["size"] == 1
    assert found["Cro%0"]["perturbation"] == {"Cro_b1": 0, "Cro_b2": 0, "Cro_b3": 0}
