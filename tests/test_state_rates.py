"""Flip rates that depend on the state (signet/rates.py): the exact chain against a brute-force
generator, both simulations (compiled kernel and numpy) against the exact chain, the metadata,
MaBoSS and SBML forms, and MaBoSS itself on the exported model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signet.annotations import Annotations
from signet.dynamics.config import EngineConfig
from signet.dynamics.markov import Distribution, Rates, explore
from signet.dynamics.probabilities import fate_probabilities
from signet.dynamics.timecourse import timecourse
from signet.errors import ParseError
from signet.expr import evaluate
from signet.model import BooleanNetwork
from signet.rates import StateRate, parse_rate

from strategies import expressions, networks


def _state_rates(draw, names):
    """Random rates for some nodes: numbers or state-dependent (one or two cases)."""
    out = {}
    for name in names:
        pair = []
        for _ in range(2):
            kind = draw(st.sampled_from(["one", "number", "state"]))
            if kind == "one":
                pair.append(1.0)
            elif kind == "number":
                pair.append(draw(st.sampled_from([0.1, 0.5, 3.0])))
            else:
                cases = tuple((draw(expressions(names, max_leaves=3)), draw(st.sampled_from([0.2, 2.0, 7.0])))
                              for _ in range(draw(st.integers(1, 2))))
                pair.append(StateRate(cases, draw(st.sampled_from([0.05, 1.0]))))
        out[name] = tuple(pair)
    return out


def _brute_generator(net: BooleanNetwork, rates: dict) -> dict[tuple[int, int], float]:
    """Every transition of the asynchronous chain with its rate, from the rules and ``StateRate.value``."""
    nodes = list(net.nodes)
    out = {}
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        state = dict(zip(nodes, bits))
        code = sum(b << j for j, b in enumerate(bits))
        for j, n in enumerate(nodes):
            if int(bool(evaluate(net.rules[n], state))) == bits[j]:
                continue
            rate = rates.get(n, (1.0, 1.0))[0 if bits[j] == 0 else 1]
            out[(code, code ^ (1 << j))] = rate.value(state) if isinstance(rate, StateRate) else float(rate)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks(min_nodes=2, max_nodes=5), data=st.data())
def test_the_exact_chain_has_the_brute_force_rates(net, data):
    rates = _state_rates(data.draw, list(net.nodes))
    nodes = list(net.nodes)
    start = Distribution.uniform(nodes, [(1.0, {})])
    chain = explore(net, start, Rates(rates), settled={})
    assert chain.free == tuple(nodes)
    got = {(int(chain.codes[s]), int(chain.codes[d])): r for s, d, r in zip(chain.src, chain.dst, chain.rate)}
    assert got.keys() == _brute_generator(net, rates).keys()
    for key, rate in _brute_generator(net, rates).items():
        assert got[key] == pytest.approx(rate)


#: a race: X and Y both switch on from 00; whichever is first blocks the other. X's up-rate is
#: 9 while Z is on, else 1 (Z is fixed by the start state): P(X wins) = 9/10 with Z, 1/2 without.
RACE = BooleanNetwork({"X": "!Y | X", "Y": "!X | Y", "Z": "Z"},
                      annotations=Annotations(rates={"X": (parse_rate("Z ? 9 : 1"), 1.0)}))


@pytest.mark.parametrize("z, expected", [(1, 0.9), (0, 0.5)])
def test_a_race_is_won_at_the_state_dependent_rate(z, expected):
    start = {"X": 0, "Y": 0, "Z": z}
    exact = fate_probabilities(RACE, start=start, method="exact")
    won = {a.space["X"]: p for a, p in zip(exact.final.attractors, exact.final.probabilities)}
    assert won[1] == pytest.approx(expected)
    for compiled in (True, False):
        sim = fate_probabilities(RACE, start=start, method="simulation", runs=4000, seed=3,
                                 config=EngineConfig(simulation_compiled=compiled))
        p = {a.space["X"]: p for a, p in zip(sim.final.attractors, sim.final.probabilities)}
        low, high = {a.space["X"]: i for a, i in zip(sim.final.attractors, sim.final.intervals)}[1]
        assert low - 0.01 <= expected <= high + 0.01, (compiled, p)


def _key(attractor) -> tuple:
    return tuple(sorted(attractor.space.items()))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks(min_nodes=2, max_nodes=4), data=st.data())
def test_simulated_fates_agree_with_the_exact_chain(net, data):
    rates = _state_rates(data.draw, list(net.nodes))
    model = BooleanNetwork(dict(net.rules), annotations=Annotations(rates=rates))
    start = {n: data.draw(st.integers(0, 1)) for n in model.nodes}
    exact = fate_probabilities(model, start=start, method="exact")
    expected = {_key(a): p for a, p in zip(exact.final.attractors, exact.final.probabilities)}
    for compiled in (True, False):
        sim = fate_probabilities(model, start=start, method="simulation", runs=3000, seed=1,
                                 config=EngineConfig(simulation_compiled=compiled))
        for a, (low, high) in zip(sim.final.attractors, sim.final.intervals):
            key = _key(a)
            # 95% intervals; widened by 0.02 so that 12 examples x 2 engines rarely miss by chance
            assert low - 0.02 <= expected.get(key, 0.0) <= high + 0.02, (compiled, key, expected)


def test_a_time_course_follows_the_state_dependent_rate():
    # A switches on at rate 4 while B is on, else 0.25: P(A = 1 at t) = 1 - exp(-rate t)
    net = BooleanNetwork({"A": "C | A", "B": "B", "C": "C"},
                         annotations=Annotations(rates={"A": (parse_rate("B ? 4 : 0.25"), 1.0)}))
    for b, rate in ((1, 4.0), (0, 0.25)):
        exact = timecourse(net, start={"A": 0, "B": b, "C": 1}, step=0.25, phase_time=1.0, method="exact")
        assert exact.nodes["A"][-1] == pytest.approx(1 - np.exp(-rate))
        sim = timecourse(net, start={"A": 0, "B": b, "C": 1}, step=0.25, phase_time=1.0, method="simulation", runs=4000,
                         seed=2)
        assert abs(sim.nodes["A"][-1] - (1 - np.exp(-rate))) < 0.03


@pytest.mark.parametrize("text, message", [
    ("A ? 1 :", "a rate is missing after ':'"),
    ("A ? 1", "':' is missing"),
    ("? 1 : 2", "a condition is missing"),
    ("A & ? 1 : 2", "operand is missing"),
    ("A ? x : 2", "'x' is not a rate"),
    ("A ? 1 : 0", "rate 0 is not a positive number"),
])
def test_malformed_rates_are_located(text, message):
    with pytest.raises(ParseError, match=message):
        parse_rate(text, source="m.yaml", line=4, column=11)


def test_rates_read_from_metadata_with_errors_at_their_place(tmp_path):
    from click.testing import CliRunner

    from signet.cli import main

    (tmp_path / "m.bnet").write_text("A, !A\nB, B\n")
    good = 'rates:\n  A: {up: "B ? 2 : 0.5", down: 3}\n'
    (tmp_path / "m.yaml").write_text(good)
    from signet.io import read_model

    net = read_model(tmp_path / "m.bnet")
    up, down = net.annotations.rates["A"]
    assert (str(up), down) == ("B ? 2 : 0.5", 3.0)
    for text, where in (('rates:\n  A: {up: "B ? 2 : -1"}\n', "m.yaml:2:20"),
                        ('rates:\n  A:\n    up: "Q ? 2 : 1"\n', "m.yaml:3:9"),
                        ('rates:\n  A: "B | ? 1 : 2"\n', "m.yaml:2:")):
        (tmp_path / "m.yaml").write_text(text)
        result = CliRunner().invoke(main, ["attractors", str(tmp_path / "m.bnet")])
        assert result.exit_code == 1 and where in result.output and "Traceback" not in result.output, result.output


def test_state_dependent_rates_survive_sbml_metadata_and_maboss(tmp_path):
    from signet.io import read_model, write_model
    from signet.io.maboss import generate_maboss, generate_maboss_cfg, read_maboss, write_maboss

    rate = parse_rate("B & !C ? 2 : C ? 0.3 : 0.5")
    net = BooleanNetwork({"A": "!A | B", "B": "B", "C": "C & !A"}, annotations=Annotations(rates={"A": (rate, 4.0)}))
    for suffix in (".sbml", ".bnet"):
        write_model(net, tmp_path / f"m{suffix}")
        back = read_model(tmp_path / f"m{suffix}")
        assert str(back.annotations.rates["A"][0]) == str(rate) and back.annotations.rates["A"][1] == 4.0
    write_maboss(net, tmp_path / "m.bnd")
    assert "rate_up = @logic ? ((B & !C) ? $u_A_1 : ((C) ? $u_A_2 : $u_A)) : 0;" in generate_maboss(net)
    assert "$u_A_2 = 0.3;" in generate_maboss_cfg(net)
    back = read_maboss(tmp_path / "m.bnd")
    up = back.annotations.rates["A"][0]
    # MaBoSS form read back: the same rate in every state where A may switch on
    for bits in itertools.product((0, 1), repeat=3):
        state = dict(zip("ABC", bits))
        if state["A"] == 0 and evaluate(net.rules["A"], state):
            assert up.value(state) == rate.value(state)


@pytest.mark.crosstool
def test_maboss_simulates_the_exported_state_dependent_rates_as_signet_computes_them(tmp_path):
    import cmaboss

    from signet.io.maboss import maboss_names, write_maboss

    start = {"X": 0, "Y": 0, "Z": 1}
    exact = fate_probabilities(RACE, start=start, method="exact")
    expected = {a.space["X"]: p for a, p in zip(exact.final.attractors, exact.final.probabilities)}[1]
    write_maboss(RACE, tmp_path / "m.bnd", initial=start)
    sim = cmaboss.MaBoSSSim(network=str(tmp_path / "m.bnd"), config=str(tmp_path / "m.cfg"))
    sim.update_parameters(sample_count=20000, max_time=50, time_tick=1.0, thread_count=1)
    probabilities, _times, states, _errors = sim.run().get_last_probtraj()
    name = maboss_names(RACE)["X"]
    won = sum(float(p) for p, text in zip(probabilities[0], states)
              if text != "<nil>" and name in {s.strip() for s in text.split("--")})
    assert abs(won - expected) < 0.015, (won, expected)
