"""Benchmark: fate probabilities — signet's exact engine vs MaBoSS (cmaboss) vs signet's simulation.

Same question for all three on each model: the probability of ending in each
asynchronous attractor (rates 1), from a uniformly random state, observed at
``--max-time`` (the simulations) or in the limit (the exact engine).  MaBoSS's state
probabilities at the last time window are assigned to signet's exact attractors.

Reported side by side per model: time of the exact engine; time of ``--runs``
trajectories with cmaboss (one thread) and with signet (one worker), and their ratio
(signet / cmaboss, per trajectory: below 1 means signet is faster); accuracy as the
largest absolute difference of an attractor's probability from the exact one (or
between the two simulations where the exact engine does not fit).  Each tool reads
the model untimed (cmaboss: its .bnd/.cfg files written by signet; signet: its
network object); everything after is timed.  The machine is shared: read ratios.

Usage::

    python benchmarks/probabilities.py [--runs 10000] [--max-time 100] [--models pyboolnet/faure_cellcycle,...]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmark this checkout, whatever is installed
MODELS = ROOT.parent / "shared" / "benchmarks" / "models"

DEFAULT_MODELS = [
    "pyboolnet/randomnet_n7k3", "pyboolnet/davidich_yeast", "pyboolnet/faure_cellcycle",
    "pyboolnet/krumsiek_myeloid", "pyboolnet/tournier_apoptosis", "pyboolnet/randomnet_n15k3",
    "pyboolnet/dahlhaus_neuroplastoma", "pyboolnet/calzone_cellfate",
]


def read(case: str):
    from signet.errors import SignetWarning
    from signet.io import read_model

    folder, name = case.split("/")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        return read_model(MODELS / folder / name / f"{name}.bnet")


def attractor_index(network):
    from signet.dynamics import attractors

    result = attractors(network, "async")
    index = {}
    for i in range(len(result.attractors)):
        members = result.member_states(i)
        if members is None:
            return None, result
        for m in members:
            index[tuple(m[n] for n in network.nodes)] = tuple(result.attractors[i].space.items())
    return index, result


def run_maboss(network, runs: int, max_time: float, folder: Path):
    import cmaboss

    from signet.io.maboss import maboss_names, write_maboss

    write_maboss(network, folder / "m.bnd")
    sim = cmaboss.MaBoSSSim(network=str(folder / "m.bnd"), config=str(folder / "m.cfg"))
    sim.update_parameters(sample_count=runs, max_time=max_time, time_tick=1.0, thread_count=1)
    started = time.perf_counter()
    probabilities, _times, states, _errors = sim.run().get_last_probtraj()
    seconds = time.perf_counter() - started
    back = {m: n for n, m in maboss_names(network).items()}
    out = {}
    for p, text in zip(probabilities[0], states):
        active = set() if text == "<nil>" else {back[s.strip()] for s in text.split("--")}
        out[tuple(int(n in active) for n in network.nodes)] = float(p)
    return out, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--max-time", type=float, default=100.0)
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS))
    args = parser.parse_args()

    from signet.dynamics.probabilities import fate_probabilities
    from signet.errors import StateSpaceTooLarge

    warm = read("pyboolnet/randomnet_n7k3")  # initialise libraries untimed
    fate_probabilities(warm, start={}, method="simulation", runs=100, max_time=5)
    fate_probabilities(warm, start={}, method="exact")

    print(f"runs {args.runs}, max_time {args.max_time:g}, rates 1, start uniform; times in seconds")
    header = ["model", "nodes", "exact s", "cmaboss s", "signet sim s", "sim/cmaboss", "err cmaboss", "err signet"]
    print("  ".join(f"{h:>12}" if i else f"{h:<34}" for i, h in enumerate(header)))
    ratios = []
    for case in args.models.split(","):
        network = read(case)
        if len(network) > 64:
            print(f"{case:<34}  {len(network):>12}  (over cmaboss's 64 nodes)")
            continue
        index, _ = attractor_index(network)
        exact, exact_s = None, math.nan
        try:
            started = time.perf_counter()
            result = fate_probabilities(network, start={}, method="exact")
            exact_s = time.perf_counter() - started
            exact = {tuple(a.space.items()): p for a, p in zip(result.attractors, result.probabilities)}
        except StateSpaceTooLarge:
            pass
        with tempfile.TemporaryDirectory() as folder:
            states, maboss_s = run_maboss(network, args.runs, args.max_time, Path(folder))
        started = time.perf_counter()
        sim = fate_probabilities(network, start={}, method="simulation", runs=args.runs, max_time=args.max_time,
                                 seed=1)
        sim_s = time.perf_counter() - started
        ours = {tuple(a.space.items()): p for a, p in zip(sim.attractors, sim.probabilities)}
        theirs: dict = {}
        if index is not None:
            for state, p in states.items():
                key = index.get(state, "unsettled")
                theirs[key] = theirs.get(key, 0.0) + p
        reference = exact if exact is not None else ours
        keys = set(reference) | set(theirs) | set(ours)
        err_m = max(abs(theirs.get(k, 0.0) - reference.get(k, 0.0)) for k in keys) if index is not None else math.nan
        err_s = max(abs(ours.get(k, 0.0) - reference.get(k, 0.0)) for k in keys) if exact is not None else math.nan
        ratio = sim_s / maboss_s
        ratios.append(ratio)
        cells = [case, str(len(network)), f"{exact_s:.3f}", f"{maboss_s:.3f}", f"{sim_s:.3f}", f"{ratio:.2f}",
                 f"{err_m:.4f}", f"{err_s:.4f}"]
        print("  ".join(f"{c:>12}" if i else f"{c:<34}" for i, c in enumerate(cells)), flush=True)
    if ratios:
        geomean = math.exp(statistics.mean(math.log(r) for r in ratios))
        print(f"signet simulation / cmaboss time per trajectory: geometric mean {geomean:.2f}, "
              f"median {statistics.median(ratios):.2f} over {len(ratios)} models")
    print("err: largest |p - p_exact| over attractors (err cmaboss without exact: vs signet's simulation)")


if __name__ == "__main__":
    main()
