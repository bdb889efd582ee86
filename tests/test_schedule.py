"""Treatment schedules: the parser, hand-computed schedules, and a brute-force oracle.

The oracle runs a schedule phase by phase over all ``2**n`` states of small random
networks with plain loops (no signet dynamics): each phase fixes its nodes, starts
from every state handed on by the previous phase, and hands on every state of every
attractor it reaches (or, for a bounded phase, the states reached after its steps).
"""

from __future__ import annotations

import itertools
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from signet.annotations import Annotations
from signet.dynamics import attractors, response
from signet.dynamics.schedule import (
    Phase,
    Repeat,
    Schedule,
    bounded_states,
    parse_schedule,
    run_schedule,
)
from signet.errors import ModelError, ParseError
from signet.expr import Const, evaluate
from signet.model import BooleanNetwork

from strategies import networks


# ---------------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, phases", [
    ("RT=1", ["RT=1"]),
    ("RT=1 ; RT=0", ["RT=1", "RT=0"]),
    ("(RT=1 ; RT=0) x 3", ["RT=1", "RT=0"] * 3),
    ("(RT=1;RT=0)x2", ["RT=1", "RT=0"] * 2),
    ("(RT=1 ; RT=0) × 2", ["RT=1", "RT=0"] * 2),
    ("RT=1 x 2 ; RT=0", ["RT=1", "RT=1", "RT=0"]),
    ("RT=1, TNF=1 ; RT=0", ["RT=1, TNF=1", "RT=0"]),
    ("((A=1 ; A=0) x 2 ; B=1) x 2", ["A=1", "A=0", "A=1", "A=0", "B=1"] * 2),
    ("(A=1 ; B=0) ; C=1", ["A=1", "B=0", "C=1"]),
    ("A=1 @ 3 ; A=0 @ 0.5", ["A=1 @ 3", "A=0 @ 0.5"]),
    ("x.1=1 ; y:2=0", ["x.1=1", "y:2=0"]),
    ("x=1 x 2", ["x=1", "x=1"]),
])
def test_parse_unrolls_phases(text, phases):
    schedule = parse_schedule(text)
    assert [str(p) for p in schedule.phases()] == phases
    assert parse_schedule(str(schedule)) == schedule


@pytest.mark.parametrize("text, where, message", [
    ("RT=1 ; RT", (1, 10), "expected '=' after 'RT', found the end"),
    ("RT=2", (1, 4), "expected 0 or 1 after 'RT=', found '2'"),
    ("RT=1 ;; RT=0", (1, 7), "expected NODE=0 or NODE=1, found ';'"),
    ("(RT=1 ; RT=0", (1, 1), "'(' is never closed"),
    ("(RT=1 ; RT=0) x 0", (1, 17), "repeat count is a whole number of at least 1"),
    ("(RT=1 ; RT=0) x", (1, 16), "expected a repeat count after 'x', found the end"),
    ("(RT=1 ; RT=0) x0", (1, 16), "repeat count is a whole number of at least 1, not '0'"),
    ("RT=1 RT=0", (1, 6), "expected ';' or the end, found 'RT'"),
    ("RT=1, RT=0", (1, 7), "RT is set twice in one phase"),
    ("RT=1 @ x", (1, 8), "expected a number of steps (or a time) after '@'"),
    ("RT=1 @ 0", (1, 6), "length after '@' must be above 0"),
    ("RT=1 ;\n  RT=%", (2, 6), "unexpected character '%'"),
    ("", (1, 1), "empty schedule"),
    ("(RT=1 ; RT=0) ) ", (1, 15), "expected ';' or the end, found ')'"),
])
def test_parse_errors_name_line_and_column(text, where, message):
    with pytest.raises(ParseError) as info:
        parse_schedule(text)
    err = info.value
    assert (err.line, err.column) == where, str(err)
    assert message in err.message
    assert str(err).startswith(f"schedule:{where[0]}:{where[1]}: ")


@st.composite
def schedules(draw, depth=2):
    items = []
    for _ in range(draw(st.integers(1, 3))):
        if depth > 0 and draw(st.booleans()):
            items.append(Repeat(draw(schedules(depth=depth - 1)), draw(st.integers(1, 4))))
        else:
            names = draw(st.lists(st.sampled_from(["A", "B", "RT", "x", "x.1"]), min_size=1, max_size=3, unique=True))
            duration = draw(st.one_of(st.none(), st.integers(1, 9), st.floats(0.01, 100, allow_nan=False)))
            items.append(Phase(tuple((n, draw(st.integers(0, 1))) for n in names), duration))
    return Schedule(tuple(items))


@given(schedules())
def test_str_round_trips(schedule):
    text = str(schedule)
    parsed = parse_schedule(text)
    assert parsed.phases() == schedule.phases()
    assert str(parsed) == text or parse_schedule(str(parsed)) == parsed


def test_unknown_node_points_at_it():
    net = BooleanNetwork({"RT": "RT", "A": "RT"})
    with pytest.raises(ParseError) as info:
        run_schedule(net, "RT=1 ; RX=0", "async", start={})
    assert str(info.value).startswith("schedule:1:8: unknown node 'RX'")


# ---------------------------------------------------------------------------------
# hand-computed schedules
# ---------------------------------------------------------------------------------
def _spaces(net, result):
    return [net.format_space(a.space) for a in result.attractors]


@pytest.mark.parametrize("update", ["sync", "async", "mp"])
def test_pulse_leaves_memory_on_and_transient_decays(update):
    # M latches once S has been on; E follows S and decays when the pulse ends
    net = BooleanNetwork({"S": "S", "M": "M | S", "E": "S"}, annotations=Annotations(baseline={"S": 0}))
    result = run_schedule(net, "S=1 ; S=0", update)
    assert result.starts == 2  # baseline: M=0 or M=1 (S=0, E=0)
    assert _spaces(net, result.phases[0].attractors) == ["S=1 M=1 E=1"]
    assert _spaces(net, result) == ["S=0 M=1 E=0"]
    # without the pulse the memory stays as it was
    assert _spaces(net, run_schedule(net, "S=0", update)) == ["S=0 M=0 E=0", "S=0 M=1 E=0"]


def _ratchet(count: int) -> BooleanNetwork:
    """A counter: L_k is set during the k-th pulse of S, R_k after it ends; Death needs ``count`` pulses."""
    rules = {"S": "S", "L1": "L1 | S", "R1": "R1 | L1 & !S"}
    for k in range(2, count + 1):
        rules[f"L{k}"] = f"L{k} | R{k - 1} & S"
        rules[f"R{k}"] = f"R{k} | L{k} & !S"
    rules["Death"] = f"R{count}"
    return BooleanNetwork(rules, annotations=Annotations(baseline={"S": 0}, phenotypes={"Death": "Death"}))


@pytest.mark.parametrize("update", ["sync", "async", "mp"])
def test_five_fractions_differ_from_one(update):
    net = _ratchet(5)
    start = {n: 0 for n in net.nodes}
    one = run_schedule(net, "S=1 ; S=0", update, start=start)
    five = run_schedule(net, "(S=1 ; S=0) x 5", update, start=start)
    assert one.final.shares({"Death": "Death"}) == {"Death": 0.0}
    assert five.final.shares({"Death": "Death"}) == {"Death": 1.0}
    assert len(five.phases) == 10
    # after the k-th fraction exactly R1..Rk are on
    for k in range(1, 6):
        (att,) = five.phases[2 * k - 1].attractors.attractors
        assert [att.space[f"R{j}"] for j in range(1, 6)] == [1] * k + [0] * (5 - k)
    # staying irradiated is not the same as five fractions: the counter stops at L1
    always = run_schedule(net, "S=1", update, start=start)
    assert always.final.shares({"Death": "Death"}) == {"Death": 0.0}


def test_bounded_sync_phase_counts_steps():
    # a chain: the signal needs 3 synchronous steps to reach C
    net = BooleanNetwork({"S": "S", "A": "S | A & B", "B": "A", "C": "B & !S"})
    start = {"S": 0, "A": 0, "B": 0, "C": 0}
    short = run_schedule(net, "S=1 @ 1 ; S=0", "sync", start=start)
    assert short.phases[0].handed_on == 1
    assert _spaces(net, short) == ["S=0 A=0 B=0 C=0"]  # A was on for one step only: it fades
    long = run_schedule(net, "S=1 @ 2 ; S=0", "sync", start=start)
    assert _spaces(net, long) == ["S=0 A=1 B=1 C=1"]  # A and B hold each other on
    settled = run_schedule(net, "S=1 ; S=0", "sync", start=start)
    assert _spaces(net, settled) == ["S=0 A=1 B=1 C=1"]


def test_bounded_async_phase_is_at_most_n_transitions():
    net = BooleanNetwork({"S": "S", "A": "S", "B": "A"})
    got = bounded_states(net.fix({"S": 1}), "async", [{"S": 0, "A": 0, "B": 0}], 1)
    assert got == [{"S": 1, "A": 0, "B": 0}, {"S": 1, "A": 1, "B": 0}]  # S starts at its fixed value
    got = bounded_states(net.fix({"S": 1}), "async", [{"S": 0, "A": 0, "B": 0}], 5)
    assert len(got) == 3


def test_bounded_phase_needs_steps():
    net = BooleanNetwork({"S": "S", "A": "S"})
    with pytest.raises(ModelError, match="most-permissive dynamics have no steps"):
        run_schedule(net, "S=1 @ 2", "mp", start={})
    with pytest.raises(ModelError, match="whole number of steps"):
        run_schedule(net, "S=1 @ 0.5", "async", start={})


@pytest.mark.parametrize("update", ["sync", "async", "mp"])
def test_response_is_the_one_phase_schedule(update):
    net = BooleanNetwork({"RT": "RT", "D": "RT | D & P", "P": "!D | P", "X": "D & !P"},
                         annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1}))
    for perturbation in ({}, {"P": 0}, {"D": 1}):
        one = response(net, perturbation=perturbation, update=update)
        ran = run_schedule(net, {"RT": 1}, update, perturbation=perturbation)
        assert ran.final.attractors == one.attractors


def test_repeats_are_memoised_but_listed():
    net = BooleanNetwork({"S": "S", "M": "M | S"}, annotations=Annotations(baseline={"S": 0}))
    result = run_schedule(net, "(S=1 ; S=0) x 50", "async")
    assert len(result.phases) == 100
    assert result.phases[-1].attractors is result.phases[3].attractors  # the same start set: not recomputed


# ---------------------------------------------------------------------------------
# brute force
# ---------------------------------------------------------------------------------
class Brute:
    """All states of a network as tuples; phases by plain loops."""

    def __init__(self, network: BooleanNetwork):
        self.nodes = list(network.nodes)
        self.n = len(self.nodes)
        self.all = list(itertools.product((0, 1), repeat=self.n))

    def step(self, rules, s):
        values = dict(zip(self.nodes, map(bool, s)))
        return tuple(int(bool(evaluate(rules[n], values))) for n in self.nodes)

    def constants(self, rules):
        out = {}
        for j, n in enumerate(self.nodes):
            seen = {self.step(rules, s)[j] for s in self.all}
            if len(seen) == 1:
                out[j] = seen.pop()
        return out

    def expand(self, rules, partials):
        const = self.constants(rules)
        out = set()
        for p in partials:
            for s in self.all:
                if all(s[self.nodes.index(k)] == v for k, v in p.items()):
                    out.add(tuple(const.get(j, s[j]) for j in range(self.n)))
        return out

    def async_succ(self, rules, s):
        image = self.step(rules, s)
        return [tuple(image[j] if j == i else s[j] for j in range(self.n)) for i in range(self.n) if image[i] != s[i]]

    def reach(self, rules, starts):
        seen, queue = set(starts), deque(starts)
        while queue:
            for t in self.async_succ(rules, queue.popleft()):
                if t not in seen:
                    seen.add(t)
                    queue.append(t)
        return seen

    def settle(self, rules, starts, update):
        """The attractors reached from ``starts`` (a set of frozensets of states)."""
        out = set()
        if update == "sync":
            for s in starts:
                path = []
                while s not in path:
                    path.append(s)
                    s = self.step(rules, s)
                out.add(frozenset(path[path.index(s):]))
            return out
        for s in self.reach(rules, starts):
            forward = self.reach(rules, [s])
            if all(s in self.reach(rules, [t]) for t in forward):
                out.add(frozenset(forward))
        return out

    def bounded(self, rules, starts, update, steps):
        states = set(starts)
        if update == "sync":
            for _ in range(steps):
                states = {self.step(rules, s) for s in states}
            return states
        frontier = set(states)
        for _ in range(steps):
            frontier = {t for s in frontier for t in self.async_succ(rules, s)} - states
            states |= frontier
        return states

    def run(self, network, phases, update, starts):
        """Per phase, the attractors reached; ``starts`` are partial states."""
        per_phase = []
        for values, duration in phases:
            rules = dict(network.rules)
            rules.update({k: Const(bool(v)) for k, v in values.items()})
            states = self.expand(rules, starts)
            if duration is not None:
                states = self.bounded(rules, states, update, duration)
                reached = self.settle(rules, states, update)
                handed = states
            else:
                reached = self.settle(rules, states, update)
                handed = set().union(*reached)
            per_phase.append(reached)
            starts = [dict(zip(self.nodes, s)) for s in handed]
        return per_phase


def _as_sets(network, result):
    out = set()
    for i in range(len(result.attractors)):
        members = result.member_states(i)
        out.add(frozenset(tuple(m[n] for n in network.nodes) for m in members))
    return out


@st.composite
def scheduled_networks(draw, bounded: bool):
    net = draw(networks(min_nodes=2, max_nodes=5))
    nodes = list(net.nodes)
    phases = []
    for _ in range(draw(st.integers(1, 4))):
        named = draw(st.lists(st.sampled_from(nodes), min_size=0, max_size=2, unique=True))
        duration = draw(st.one_of(st.none(), st.integers(1, 3))) if bounded else None
        phases.append(({n: draw(st.integers(0, 1)) for n in named}, duration))
    start = {n: draw(st.integers(0, 1)) for n in draw(st.lists(st.sampled_from(nodes), max_size=len(nodes), unique=True))}
    return net, phases, start


def _schedule(phases):
    return Schedule(tuple(Phase(tuple(values.items()), duration) for values, duration in phases))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scheduled_networks(bounded=True), st.sampled_from(["sync", "async"]))
def test_run_schedule_equals_brute_force(case, update):
    net, phases, start = case
    brute = Brute(net)
    expected = brute.run(net, phases, update, [start])
    got = run_schedule(net, _schedule(phases), update, start=start)
    assert [_as_sets(net, p.attractors) for p in got.phases] == expected


@SETTINGS
@given(scheduled_networks(bounded=False))
def test_run_schedule_from_baseline_equals_brute_force(case):
    net, phases, _start = case
    base_node = net.nodes[0]
    net = BooleanNetwork(dict(net.rules), annotations=Annotations(baseline={base_node: 0}))
    brute = Brute(net)
    for update in ("sync", "async"):
        rules = dict(net.rules)
        rules[base_node] = Const(False)
        base = brute.settle(rules, brute.expand(rules, [{}]), update)
        starts = [dict(zip(brute.nodes, s)) for s in set().union(*base)]
        expected = brute.run(net, phases, update, starts)
        got = run_schedule(net, _schedule(phases), update)
        assert [_as_sets(net, p.attractors) for p in got.phases] == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheduled_networks(bounded=False))
def test_mp_schedule_equals_mpbn_phase_by_phase(case):
    """mp: mpbn's reachable attractors from every state handed on (every state of each trap space)."""
    import mpbn  # test dependency: missing means failing

    from signet.expr import to_bnet

    net, phases, start = case
    brute = Brute(net)
    starts = [start]
    expected = []
    for values, _ in phases:
        phase_net = net.fix(values)
        rules = dict(phase_net.rules)
        mbn = mpbn.MPBooleanNetwork({n: to_bnet(r) for n, r in rules.items()})
        spaces = set()
        for s in brute.expand(rules, starts):
            for att in mbn.attractors(reachable_from=dict(zip(brute.nodes, s))):
                spaces.add(tuple(att[n] for n in brute.nodes))
        expected.append(spaces)
        starts = [{n: v for n, v in zip(brute.nodes, sp) if v != "*"} for sp in spaces]
    got = run_schedule(net, _schedule(phases), "mp", start=start)
    assert [{tuple(a.space[n] for n in net.nodes) for a in p.attractors.attractors} for p in got.phases] == expected


def test_one_phase_equals_attractors_from_start():
    net = BooleanNetwork({"A": "!B", "B": "!A", "C": "A & C | B"})
    for update in ("sync", "async", "mp"):
        got = run_schedule(net, {"C": 0}, update, start={"A": 1})
        assert got.final.attractors == attractors(net.fix({"C": 0}), update, start={"A": 1}).attractors


# ---------------------------------------------------------------------------------
# metadata, expectations, validate and the command line
# ---------------------------------------------------------------------------------
MEMORY_BNET = "RT, RT\nDamage, RT\nM, M | Damage\nDeath, M & !RT\n"
MEMORY_YAML = """model: {treatment: "RT=1 ; RT=0", baseline: {RT: 0}}
nodes: {M: {aliases: [memory]}}
phenotypes: {Death: Death, Hit: Damage}
"""


def _memory_model(tmp_path, yaml_text=MEMORY_YAML):
    (tmp_path / "m.bnet").write_text(MEMORY_BNET)
    (tmp_path / "m.yaml").write_text(yaml_text)
    return tmp_path / "m.bnet"


def test_metadata_treatment_may_be_a_schedule(tmp_path):
    from signet.io import read_model
    from signet.io.metadata import generate_metadata, parse_metadata

    net = read_model(_memory_model(tmp_path))
    assert net.annotations.schedule == "RT=1 ; RT=0"
    assert dict(net.annotations.treatment) == {"RT": 1}  # the first phase, for tools without schedules
    again = parse_metadata(generate_metadata(net.annotations))
    assert again.schedule == "RT=1 ; RT=0" and dict(again.treatment) == {"RT": 1}
    # a one-phase schedule is the same as the mapping
    single = parse_metadata('model: {treatment: "RT=1"}')
    assert single.schedule == "" and dict(single.treatment) == {"RT": 1}
    assert net.rename({"RT": "IR"}).annotations.schedule == "IR=1 ; IR=0"


def test_metadata_schedule_errors_point_into_the_file(tmp_path):
    from signet.io import read_model

    path = _memory_model(tmp_path, 'phenotypes: {Death: Death}\nmodel:\n  treatment: "RT=1 ; RT 0"\n')
    with pytest.raises(ParseError) as info:
        read_model(path)
    assert str(info.value) == f"{tmp_path / 'm.yaml'}:3:25: treatment schedule: expected '=' after 'RT', found '0'"
    path = _memory_model(tmp_path, 'model:\n  treatment: "RT=1 ; RX=0"\n')
    with pytest.raises(ParseError, match="treatment schedule names unknown node 'RX'"):
        read_model(path)


def test_response_follows_the_model_schedule(tmp_path):
    from signet.io import read_model

    net = read_model(_memory_model(tmp_path))
    for update in ("mp", "async", "sync"):
        after_pulse = response(net, update=update)
        assert [a.space["Death"] for a in after_pulse.attractors] == [1]
        assert [a.space["Death"] for a in response(net, treatment={"RT": 1}, update=update).attractors] == [0]


def test_expectation_case_with_schedule(tmp_path):
    from signet.io import read_model
    from signet.io.expectations import generate_expectations, parse_expectations
    from signet.validate import validate

    net = read_model(_memory_model(tmp_path, "model: {baseline: {RT: 0}, treatment: {RT: 1}}\n"
                                             "phenotypes: {Death: Death}\nnodes: {M: {aliases: [memory]}}\n"))
    text = """
- {id: during, phenotype: Death, case: {inputs: {RT: 1}}, expect: zero}
- {id: pulse, phenotype: Death, case: {schedule: "RT=1 ; RT=0"}, reference: during, expect: increase}
- {id: no_memory, phenotype: Death, case: {schedule: "RT=1 ; RT=0", ko: [memory]}, expect: zero}
"""
    claims = parse_expectations(text, network=net)
    assert claims[1].case.schedule == "RT=1 ; RT=0" and claims[2].case.ko == ("M",)
    assert parse_expectations(generate_expectations(claims))[1].case == claims[1].case
    result = validate(net, claims, update="async")
    assert result.all_passed, result.summary()
    assert [r.case.share for r in result.results] == [0.0, 1.0, 0.0]
    # the same claims under a schedule given for the whole run: 'during' is now treated by the pulse
    pulsed = validate(net, claims[:1], update="async", schedule="RT=1 ; RT=0")
    assert pulsed.results[0].case.share == 1.0 and not pulsed.all_passed


@pytest.mark.parametrize("case, where, message", [
    ('{schedule: "RT=1 ; RT"}', (2, 74), "expected '=' after 'RT'"),
    ("{schedule: RT=1 ; RT=2}", (2, 74), "expected 0 or 1 after 'RT='"),
    ('{inputs: {RT: 1}, schedule: "RT=1"}', (2, 71), "give inputs or a schedule, not both"),
])
def test_expectation_schedule_errors(case, where, message):
    from signet.io.expectations import parse_expectations

    text = f"\n- {{id: x, phenotype: Death, expect: positive, case: {case}}}\n"
    with pytest.raises(ParseError) as info:
        parse_expectations(text, source="e.yaml")
    assert (info.value.line, info.value.column) == where, str(info.value)
    assert message in str(info.value)


def test_expectation_schedule_unknown_node():
    from signet.io.expectations import parse_expectations

    net = BooleanNetwork({"RT": "RT", "Death": "RT"}, annotations=Annotations(phenotypes={"Death": "Death"}))
    with pytest.raises(ParseError, match="case schedule: unknown node 'RX'"):
        parse_expectations('- {id: x, phenotype: Death, expect: positive, case: {schedule: "RX=1"}}',
                           network=net, source="e.yaml")


def test_cli_attractors_schedule(tmp_path):
    import json

    from click.testing import CliRunner

    from signet.cli import main

    path = _memory_model(tmp_path)
    runner = CliRunner()
    out = runner.invoke(main, ["attractors", str(path), "-u", "async", "--schedule", "(RT=1 ; RT=0) x 2", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["schedule"] == "(RT=1 ; RT=0) x 2" and len(data["phases"]) == 4
    assert [p["phase"] for p in data["phases"]] == ["RT=1", "RT=0"] * 2
    assert data["phenotypes"] == {"Death": 1.0, "Hit": 0.0}
    assert data["phases"][0]["phenotypes"] == {"Death": 0.0, "Hit": 1.0}
    text = runner.invoke(main, ["attractors", str(path), "--treat"])  # --treat: the model's own schedule
    assert text.exit_code == 0, text.output
    assert "schedule RT=1 ; RT=0 (mp; 2 phases from 2 baseline starts)" in text.output
    assert "phenotype shares: Death 1.00, Hit 0.00" in text.output
    ko = runner.invoke(main, ["attractors", str(path), "--schedule", "RT=1 ; RT=0", "--ko", "memory", "--json"])
    assert json.loads(ko.output)["phenotypes"]["Death"] == 0.0
    bad = runner.invoke(main, ["attractors", str(path), "--schedule", "RT=1 ; RT=0 x"])
    assert bad.exit_code == 1
    assert bad.output.strip() == "Error: schedule:1:14: expected a repeat count after 'x', found the end"
    both = runner.invoke(main, ["attractors", str(path), "--schedule", "RT=1", "--treat"])
    assert both.exit_code == 1 and "use one of them" in both.output


def test_cli_simulate_and_validate_schedule(tmp_path):
    import json

    from click.testing import CliRunner

    from signet.cli import main

    path = _memory_model(tmp_path)
    (tmp_path / "m.expectations.yaml").write_text(
        "- {id: pulse_kills, phenotype: Death, case: {inputs: {RT: 1}}, expect: all}\n")
    runner = CliRunner()
    out = runner.invoke(main, ["simulate", str(path), "--schedule", "RT=1 ; RT=0", "--runs", "200", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["phenotypes"]["Death"]["probability"] == 1.0 and data["unsettled"] == 0.0
    # the model's treatment is the pulse: validate runs the treated case under it
    ok = runner.invoke(main, ["validate", str(path), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["claims"][0]["case"]["schedule"] == "RT=1 ; RT=0"
    # held irradiation instead: nobody dies while RT stays on
    held = runner.invoke(main, ["validate", str(path), "--schedule", "RT=1"])
    assert held.exit_code == 1 and "pulse_kills" in held.output
