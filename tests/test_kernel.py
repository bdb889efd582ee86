"""The compiled Gillespie kernel (signet/dynamics/kernel.py): its random streams, its law
against the exact chain and the numpy path, and what it imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import networks

from signet.dynamics.config import EngineConfig
from signet.dynamics.probabilities import fate_probabilities
from signet.model import BooleanNetwork

REPO = Path(__file__).resolve().parents[1]
KERNELS = {"compiled": EngineConfig(), "numpy": EngineConfig(simulation_compiled=False)}


def test_philox_gives_random123s_known_answers():
    from signet.dynamics.kernel import philox

    # Random123 1.09, kat_vectors: counter (4 words), key (2 words) -> block
    assert philox(0, 0, 0, 0, 0, 0) == (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)
    assert philox(*[0xFFFFFFFF] * 6) == (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)
    assert philox(0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0) == (
        0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)


def test_uniforms_are_uniform_and_keyed_by_seed_trajectory_and_stream():
    from signet.dynamics.kernel import uniforms

    u = uniforms(3, np.arange(20_000), 1, 4)
    assert ((0 <= u) & (u < 1)).all()
    # mean and the 10 deciles of 80 000 draws: within 5 sigma of uniform
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / u.size)
    counts = np.bincount((u * 10).astype(int).ravel(), minlength=10)
    assert np.all(np.abs(counts - u.size / 10) < 5 * np.sqrt(u.size * 0.09))
    # lag-1 correlation along a stream and across neighbouring trajectories
    assert abs(np.corrcoef(u[:, 0], u[:, 1])[0, 1]) < 5 / np.sqrt(len(u))
    assert abs(np.corrcoef(u[:-1, 0], u[1:, 0])[0, 1]) < 5 / np.sqrt(len(u))
    assert not np.array_equal(uniforms(3, np.arange(5), 1, 4), uniforms(4, np.arange(5), 1, 4))
    assert not np.array_equal(uniforms(3, np.arange(5), 1, 4), uniforms(3, np.arange(5), 2, 4))
    assert np.array_equal(uniforms(3, np.array([7, 2]), 1, 4), u[[7, 2]])


def _random_rates(data, nodes):
    rates = data.draw(st.dictionaries(st.sampled_from(nodes), st.tuples(st.sampled_from([0.5, 1.0, 3.0]),
                                                                          st.sampled_from([0.5, 1.0, 3.0])),
                                      max_size=3))
    return rates or None


# derandomized: the same networks every run, and the simulation is seeded: a deterministic test
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(networks(min_nodes=1, max_nodes=6), st.data())
def test_both_kernels_estimate_the_exact_absorption_probabilities(net, data):
    nodes = list(net.nodes)
    start = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1)))
    rates = _random_rates(data, nodes)
    exact = fate_probabilities(net, start=start, rates=rates, method="exact")
    runs = 3000
    for name, config in KERNELS.items():
        sim = fate_probabilities(net, start=start, rates=rates, method="simulation", runs=runs, seed=11,
                                 max_time=1e4, config=config)
        got = {tuple(a.space.items()): p for a, p in zip(sim.attractors, sim.probabilities)}
        assert set(got) <= {tuple(a.space.items()) for a in exact.attractors}, name
        for att, p in zip(exact.attractors, exact.probabilities):
            q = got.get(tuple(att.space.items()), 0.0)
            # 5 sigma (with a floor for p near 0 or 1): 25 examples x a few attractors x 2 kernels
            assert abs(q - p) < 5 * np.sqrt(max(p * (1 - p), 2e-3) / runs), (name, att.space, q, p)


def test_a_result_depends_on_the_seed_only_not_on_chunks_or_workers():
    net = BooleanNetwork({"S": "S", "A": "S & !B | !S & A", "B": "S & A | !S & B", "C": "C | A & B"})
    kw = dict(schedule="S=1 ; S=0", start={"S": 0}, rates={"A": (1.0, 2.0)}, method="simulation", runs=3000)
    base = fate_probabilities(net, seed=5, **kw)
    for config, workers in ((EngineConfig(simulation_chunk=700), 1), (EngineConfig(simulation_chunk=512), 2),
                            (EngineConfig(simulation_check_steps=3), 1), (EngineConfig(simulation_check_steps=50), 1)):
        # chunk size and look-up interval change neither the draws nor the fates: the same result
        other = fate_probabilities(net, seed=5, workers=workers, config=config, **kw)
        assert other.probabilities == base.probabilities, config
        assert [a.space for a in other.attractors] == [a.space for a in base.attractors]
    assert fate_probabilities(net, seed=6, **kw).probabilities != base.probabilities


def test_a_trajectory_does_the_same_alone_or_in_a_batch():
    from signet.dynamics.compiled import compiled
    from signet.dynamics.kernel import RUNNING, advance, flat_rules
    from signet.dynamics.markov import Rates
    from signet.dynamics.ratetable import rate_table

    net = BooleanNetwork({f"x{i}": f"!x{(i + 1) % 7} | x{(i + 3) % 7} & !x{(i + 2) % 7}" for i in range(7)})
    flat = flat_rules(compiled(net))
    rng = np.random.default_rng(0)
    start = (rng.random((64, 7)) < 0.5).astype(np.uint8)
    table = rate_table(net, Rates({f"x{i}": (1.0, 2.0) for i in range(7)}))

    def run(rows, round_steps):
        states, steps, times = start.copy(), np.zeros(64, dtype=np.int64), np.zeros(64)
        status = np.zeros(64, dtype=np.int8)
        active = np.asarray(rows)
        while active.size:
            advance(states, active, np.arange(64, dtype=np.int64) + 100, steps, times, 9, 1, flat,
                    np.ones(7, dtype=np.uint8), table, 25.0, round_steps, status)
            active = active[status[active] == RUNNING]
        return states[rows], steps[rows], times[rows]

    together = run(np.arange(64), 0)
    for rows, round_steps in ((np.arange(64)[::-1], 0), (np.arange(64), 4), (np.array([5, 17, 40]), 1)):
        alone = run(rows, round_steps)
        for a, b in zip(alone, together):
            assert np.array_equal(a, b[rows])


def test_only_simulation_imports_numba():
    code = (
        "import sys\n"
        "from signet.model import BooleanNetwork\n"
        "from signet.dynamics import attractors\n"
        "from signet.dynamics.probabilities import fate_probabilities\n"
        "net = BooleanNetwork({'A': 'A | B', 'B': '!A & B'})\n"
        "attractors(net, 'async')\n"
        "fate_probabilities(net, start={'B': 1}, method='exact')\n"
        "print('numba' in sys.modules, end=' ')\n"
        "fate_probabilities(net, start={'B': 1}, method='simulation', runs=10)\n"
        "print('numba' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False True"


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_a_bounded_phase_stops_trajectories_at_its_end(name):
    # x rises at rate 1 while y=1: P(still 0 at t) = exp(-t)
    net = BooleanNetwork({"x": "x | y", "y": "y"})
    r = fate_probabilities(net, schedule="y=1 @ 0.7", start={"x": 0}, method="simulation", runs=8000, seed=2,
                           config=KERNELS[name])
    ones = sum(p for a, p in zip(r.attractors, r.probabilities) if a.space["x"] == 1)
    # the phase is the last: states still moving at its end are unsettled (x=0 is transient)
    assert abs(ones - (1 - np.exp(-0.7))) < 5 * np.sqrt(0.25 / 8000)
    assert abs(r.unsettled - np.exp(-0.7)) < 5 * np.sqrt(0.25 / 8000)


def test_a_row_alone_equals_the_row_inside_a_screen():
    # the attractors other rows found (the model-wide store, the enumeration cache) change when a
    # trajectory is recognised as settled, never what it does: a row gives the same counts alone
    from signet.annotations import Annotations
    from signet.dynamics import settling
    from signet.screen import screen
    from signet.screen.metrics import probability_analysis

    rules = {"RT": "RT", "A": "RT & !B | !RT & A & !C", "B": "RT & A | !RT & B", "C": "!C & A | C & !B",
             "D": "D | A & B", "Death": "D & !C"}
    net = BooleanNetwork(rules, annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0},
                                                        treatment={"RT": 1}))
    kw = dict(schedule="RT=1 ; RT=0", runs=600, max_states=2, seed=3)
    settling._SHARED.clear()
    settling._REACHED.clear()
    rows = screen(net, max_size=1, metric="probability", workers=1, **kw).rows
    assert len(rows) == 9 and not any(r["exact"] for r in rows)
    for row in reversed(rows):
        settling._SHARED.clear()
        settling._REACHED.clear()
        perturbation = dict(p.split("=") for p in row["perturbation"].split(",") if p)
        alone = probability_analysis(net, context=None, perturbation={k: int(v) for k, v in perturbation.items()},
                                     treatment={"RT": 1}, update="async", phenotypes={"Death": "Death"}, **kw)
        assert not alone["exact"]
        assert alone["probabilities"]["Death"] == row["probability_Death"], row["intervention"]
