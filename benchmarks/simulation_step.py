"""Benchmark: the cost of one Gillespie step per trajectory as the array of trajectories widens.

Asks whether simulating the rows of a screen together (one array, rows x trajectories as
columns) would pay: it would if a step's cost were per numpy call rather than per
trajectory.  The radioresistance model's rules are evaluated on ``--columns`` trajectories
(states relaxed for ``--relax`` steps from random states, all nodes moving), and the time
of one step (:func:`signet.dynamics.simulate._step`) and of the rule evaluation alone are
printed per trajectory-step, then the compiled kernel's (:mod:`signet.dynamics.kernel`) on
2 401 of the same states.  A screen row has 2 401 trajectories.

    python benchmarks/simulation_step.py
    python benchmarks/simulation_step.py --columns 2401,38416

Not a test: it prints numbers (with the load average: the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmark this checkout, whatever is installed

import numpy as np  # noqa: E402

from signet.dynamics.simulate import _moving_evaluator, _step  # noqa: E402
from signet.io import read_model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "networks" / "radioresistance.bnet"))
    parser.add_argument("--columns", default="256,600,1200,2401,9604,38416")
    parser.add_argument("--relax", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    network = read_model(args.model)
    n = len(network.nodes)
    moving = np.arange(n, dtype=np.int64)
    evaluate = _moving_evaluator(network, moving, 0, 0)
    rates = np.ones(n)
    rng = np.random.default_rng(args.seed)
    widest = max(int(c) for c in args.columns.split(","))
    states = rng.random((n, widest)) < 0.5
    times, fixed = np.zeros(widest), np.zeros(widest, dtype=bool)
    for _ in range(args.relax):
        _step(states, np.arange(widest), moving, evaluate, rates, rates, rng, times, 1e18, fixed, None)
    print(f"$ python benchmarks/simulation_step.py {' '.join(sys.argv[1:])}")
    print(f"model {network.name}: {n} nodes, all moving; load average before {os.getloadavg()[0]:.1f}")
    print(f"{'columns':>8} {'us/trajectory-step':>19} {'of which rules':>15}")
    for columns in (int(c) for c in args.columns.split(",")):
        state = states[:, :columns].copy()
        active = np.arange(columns)
        clock, stopped = np.zeros(columns), np.zeros(columns, dtype=bool)
        repeats = max(3, 100_000 // columns)
        started = time.process_time()
        for _ in range(repeats):
            _step(state, active, moving, evaluate, rates, rates, rng, clock, 1e18, stopped, None)
        step = (time.process_time() - started) / repeats
        out = np.empty_like(state)
        started = time.process_time()
        for _ in range(repeats):
            evaluate(state, out)
        rules = (time.process_time() - started) / repeats
        print(f"{columns:>8} {step / columns * 1e6:>19.3f} {rules / columns * 1e6:>15.3f}")
    # the compiled kernel (signet.dynamics.kernel): one trajectory at a time, only the readers of
    # the flipped node re-evaluated; the same relaxed states, 64-step rounds as in a screen
    from signet.dynamics.compiled import compiled
    from signet.dynamics.kernel import advance, flat_rules

    flat = flat_rules(compiled(network))
    columns = 2401
    rows = np.ascontiguousarray(states[:, :columns].T, dtype=np.uint8)
    steps, clock = np.zeros(columns, dtype=np.int64), np.zeros(columns)
    status = np.zeros(columns, dtype=np.int8)
    movable = np.ones(n, dtype=np.uint8)
    trajectories = np.arange(columns, dtype=np.int64)
    advance(rows, np.arange(1), trajectories, steps, clock, 1, 1, flat, movable, rates, rates, 1e18, 1, status)
    taken = steps.sum()
    started = time.process_time()
    for _ in range(20):
        advance(rows, np.arange(columns), trajectories, steps, clock, 1, 1, flat, movable, rates, rates, 1e18, 64,
                status)
    elapsed = time.process_time() - started
    print(f"compiled kernel, {columns} trajectories in rounds of 64 steps: "
          f"{elapsed / (steps.sum() - taken) * 1e6:.3f} us/trajectory-step")
    print(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
