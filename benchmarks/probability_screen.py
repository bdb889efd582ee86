"""Benchmark: a screen by fate probability (``--metric probability``) of the radioresistance network.

Runs ``signet.screen.screen(..., metric="probability")`` over every single ko/oe in the
chosen contexts (default all; inputs a context leaves free are split into compartments),
with ``--workers`` processes, and reports side by side with the same screen by attractor
share (``metric="share"``, the most-permissive fast path):

* wall time, rows, analyses, rows per second and the ratio probability / share;
* how many rows were exact (sparse linear algebra) and how many simulated, and the
  widest 95% interval half-width of a simulated row's Death probability (the issue's
  target is <= 0.02: ``--runs`` 2401, the default, guarantees it);
* how many simulated rows have a Death (ClonogenicSurvival) probability below 0.07 or
  above 0.93: the rows that sequential stopping (fewer trajectories where the interval
  is already narrow) could shorten.

MaBoSS (cmaboss) is not run: it holds at most 64 nodes and this model has 116; see
``benchmarks/probabilities.py`` for signet's simulation against cmaboss per trajectory on
models both hold.  The machine is shared: the load average is printed with the numbers.

    python benchmarks/probability_screen.py                          # the full single screen
    python benchmarks/probability_screen.py --contexts normoxic      # one context

Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmark this checkout, whatever is installed

from signet.io import read_model
from signet.screen import screen


def run(network, metric: str, args: argparse.Namespace) -> tuple[float, object]:
    started = time.perf_counter()
    result = screen(network, contexts=args.contexts, max_size=1, metric=metric, split_inputs=True,
                    runs=args.runs, seed=args.seed, workers=args.workers, targets=args.targets,
                    progress=args.progress)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "networks" / "radioresistance.bnet"))
    parser.add_argument("--contexts", default="all")
    parser.add_argument("--targets", default=None, help="comma-separated targets (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=None, help="trajectories per simulated row (default 2401)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()
    if args.targets:
        args.targets = args.targets.split(",")
    network = read_model(args.model)
    print(f"$ python benchmarks/probability_screen.py {' '.join(sys.argv[1:])}")
    print(f"model {network.name}: {len(network)} nodes; contexts {args.contexts}; workers {args.workers}; "
          f"load average before {os.getloadavg()[0]:.1f}")
    share_s, share = run(network, "share", args)
    prob_s, prob = run(network, "probability", args)
    print(f"load average after {os.getloadavg()[0]:.1f}")
    header = f"{'metric':<12} {'rows':>6} {'analyses':>9} {'seconds':>9} {'rows/s':>8}"
    print(header)
    for name, seconds, result in (("share", share_s, share), ("probability", prob_s, prob)):
        rows = len(result.rows)
        print(f"{name:<12} {rows:>6} {result.stats['analysed']:>9} {seconds:>9.1f} {rows / seconds:>8.1f}")
    print(f"probability / share time: {prob_s / share_s:.1f}")
    simulated = [r for r in prob.rows if not r["exact"]]
    print(f"probability rows: {len(prob.rows) - len(simulated)} exact, {len(simulated)} simulated "
          f"({prob.parameters['runs']} trajectories each)")
    if simulated:
        widest = max((r["hi"] - r["lo"]) / 2 for r in simulated)
        print(f"widest 95% interval half-width of a simulated Death probability: {widest:.4f}")
    print(f"per analysis: {prob_s * args.workers / max(1, prob.stats['analysed']):.2f} s of a worker")
    # how much sequential stopping could save: a row may stop early only when its estimate is far
    # from 1/2 (Wilson half-width <= 0.02 with fewer runs), e.g. at 600 runs when p < 0.07 or p > 0.93
    for name in ("Death", "ClonogenicSurvival"):
        column = f"probability_{name}"
        if simulated and column in simulated[0]:
            extreme = sum(1 for r in simulated if min(r[column], 1 - r[column]) < 0.07)
            print(f"simulated rows with {name} probability < 0.07 or > 0.93: {extreme} of {len(simulated)}")


if __name__ == "__main__":
    main()
