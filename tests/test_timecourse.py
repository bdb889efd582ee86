"""Time courses: exact against a dense oracle (expm over all states), simulation against exact, CLI and plot."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from signet.annotations import Annotations
from signet.cli import main
from signet.dynamics.schedule import Phase, Schedule
from signet.dynamics.timecourse import timecourse
from signet.errors import ModelError
from signet.model import BooleanNetwork

from strategies import networks
from test_simulate import Dense


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(min_nodes=2, max_nodes=4), st.data())
def test_exact_timecourse_equals_dense_oracle(net, data):
    nodes = list(net.nodes)
    phases = []
    for _ in range(data.draw(st.integers(1, 3))):
        named = data.draw(st.dictionaries(st.sampled_from(nodes), st.integers(0, 1), max_size=2))
        phases.append((named, data.draw(st.sampled_from([0.5, 1.0, 1.5]))))
    schedule = Schedule(tuple(Phase(tuple(v.items()), d) for v, d in phases))
    got = timecourse(net, schedule=schedule, start={}, step=0.5, method="exact")
    # oracle: phase by phase, the dense chain's distribution at each grid time
    expected = {n: [] for n in nodes}
    mu, t0 = None, 0.0
    times = list(got.times)
    for k, (values, duration) in enumerate(phases):
        phase_net = net.fix(values) if values else net
        dense = Dense(phase_net)
        consts = phase_net.constants
        if mu is None:
            mu = dense.uniform({}, constants=consts)
        else:
            moved = np.zeros_like(mu)
            for i, s in enumerate(dense.states):
                moved[dense.index[tuple(consts.get(n, s[j]) for j, n in enumerate(nodes))]] += mu[i]
            mu = moved
        last = k == len(phases) - 1
        for t in times:
            if t0 - 1e-9 <= t < t0 + duration - 1e-9 or (last and abs(t - t0 - duration) < 1e-9):
                at = dense.at(mu, t - t0)
                for j, n in enumerate(nodes):
                    expected[n].append(sum(p for p, s in zip(at, dense.states) if s[j]))
        mu = dense.at(mu, duration)
        t0 += duration
    for n in nodes:
        assert got.nodes[n] == pytest.approx(expected[n], abs=1e-7)


def test_simulated_timecourse_within_intervals_of_exact():
    net = BooleanNetwork({"S": "S", "A": "S | A & B", "B": "A & !S"},
                         annotations=Annotations(phenotypes={"Both": "A & B"}, baseline={"S": 0}))
    schedule = "(S=1 @ 1 ; S=0 @ 2) x 2"
    exact = timecourse(net, schedule=schedule, step=0.5, method="exact")
    sim = timecourse(net, schedule=schedule, step=0.5, method="simulation", runs=20000, seed=2)
    assert exact.times == sim.times and len(exact.times) == 13
    for name, values in {**exact.nodes, **exact.phenotypes}.items():
        got = {**sim.nodes, **sim.phenotypes}[name]
        for p, q in zip(values, got):
            assert abs(p - q) < 4 * np.sqrt(max(p * (1 - p), 1e-4) / 20000), (name, p, q)
    missed = sum(not (lo - 1e-12 <= p <= hi + 1e-12)
                 for name, values in exact.nodes.items() for p, (lo, hi) in zip(values, sim.intervals[name]))
    assert missed <= 0.1 * len(exact.times) * len(exact.nodes)  # 95% intervals: a few misses at most


def test_grid_and_phase_lengths():
    net = BooleanNetwork({"S": "S", "A": "S"})
    tc = timecourse(net, schedule="S=1 ; S=0 @ 1", start={"S": 0, "A": 0}, step=1.0, phase_time=3, method="exact")
    assert tc.times == (0.0, 1.0, 2.0, 3.0, 4.0)
    assert [(p, a, b) for p, a, b in tc.phases] == [("S=1", 0.0, 3.0), ("S=0 @ 1", 3.0, 4.0)]
    assert [r[1] for r in tc.rows()] == [1, 1, 1, 2, 2]
    with pytest.raises(ModelError, match="time step"):
        timecourse(net, start={}, step=0)
    with pytest.raises(ModelError, match="raise the step"):
        timecourse(net, start={}, step=1e-6, phase_time=1000)


def test_cli_timecourse_and_plot(tmp_path):
    path = tmp_path / "m.bnet"
    path.write_text("RT, RT\nDDR, RT\nP53, DDR & !MDM2\nMDM2, P53\n")
    (tmp_path / "m.yaml").write_text("model: {baseline: {RT: 0}}\nphenotypes: {Arrest: P53}\n")
    runner = CliRunner()
    csv_path = tmp_path / "tc.csv"
    out = runner.invoke(main, ["timecourse", str(path), "--schedule", "RT=1 @ 2 ; RT=0 @ 2", "--step", "1",
                               "-o", str(csv_path)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[1].split() == ["time", "phase", "Arrest"] and len(lines) == 2 + 5 + 1
    header = csv_path.read_text().splitlines()[0]
    assert header == "time,phase,Arrest,RT,DDR,P53,MDM2"
    data = json.loads(runner.invoke(main, ["timecourse", str(path), "--schedule", "RT=1 @ 2", "--json",
                                           "--method", "simulation", "--runs", "500"]).output)
    assert data["method"] == "simulation" and len(data["intervals"]["Arrest"]) == len(data["times"])
    figure = tmp_path / "tc.png"
    plot = runner.invoke(main, ["plot", "timecourse", str(csv_path), "-o", str(figure), "--columns", "Arrest,P53"])
    assert plot.exit_code == 0, plot.output
    assert figure.read_bytes()[:4] == b"\x89PNG"
    bad = runner.invoke(main, ["plot", "timecourse", str(csv_path), "-o", str(figure), "--columns", "Nope"])
    assert bad.exit_code == 1 and "no column 'Nope'" in bad.output
    not_a_table = tmp_path / "x.csv"
    not_a_table.write_text("a,b\n1,2\n")
    bad = runner.invoke(main, ["plot", "timecourse", str(not_a_table), "-o", str(figure)])
    assert bad.exit_code == 1 and "not a signet time course table" in bad.output
