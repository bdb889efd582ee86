"""Benchmark: a screen by fate probability (``--metric probability``) of the radioresistance network.

Runs ``signet.screen.screen(..., metric="probability")`` over every single ko/oe in the
chosen contexts (default all; inputs a context leaves free are split into compartments),
with ``--workers`` processes, and reports (side by side with the same screen by
attractor share, ``metric="share"``, the most-permissive fast path, unless ``--no-share``):

* wall time, rows, analyses (rows that share an analysis exactly are run once: see
  :meth:`signet.screen.worker.WorkerState.essential`), seconds per row and per analysis,
  CPU seconds of this process and its workers, and the ratio probability / share;
* how many rows were exact (sparse linear algebra) and how many simulated, and the
  widest 95% interval half-width of a simulated row's Death probability (the issue's
  target is <= 0.02: ``--runs`` 2401, the default, guarantees it);
* ``--full``: how many analyses the full single screen (all contexts) needs, counted
  without running them, and its time extrapolated from the measured seconds per analysis;
* how many simulated rows have a Death (ClonogenicSurvival) probability below 0.07 or
  above 0.93: the rows that sequential stopping (fewer trajectories where the interval
  is already narrow) could shorten.

The compiled kernel's start-up is printed first: the seconds of the first simulation in a
fresh process with an empty numba cache (JIT compilation) and again with that cache filled
(what every later process pays; the screen's workers are forked after it is loaded).

MaBoSS (cmaboss) is not run: it holds at most 64 nodes and this model has 121; see
``benchmarks/probabilities.py`` for signet's simulation against cmaboss per trajectory on
models both hold.  The machine is shared: the load average is printed with the numbers.

    python benchmarks/probability_screen.py                          # the full single screen
    python benchmarks/probability_screen.py --contexts TP53_mutant --workers 1 --no-share --full

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


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(network, metric: str, args: argparse.Namespace, contexts: str | None = None) -> tuple[float, float, object]:
    started, cpu = time.perf_counter(), cpu_seconds()
    result = screen(network, contexts=contexts or args.contexts, max_size=1, metric=metric, split_inputs=True,
                    runs=args.runs, seed=args.seed, workers=args.workers, targets=args.targets,
                    progress=args.progress)
    return time.perf_counter() - started, cpu_seconds() - cpu, result


def jit_cost() -> tuple[float, float]:
    """Seconds of a first small simulation in a fresh process: with an empty numba cache (the JIT
    compiles the kernel) and again with the cache it left (loaded from disk)."""
    import subprocess
    import tempfile

    code = ("import time; from signet.model import BooleanNetwork; "
            "from signet.dynamics.probabilities import fate_probabilities; "
            "net = BooleanNetwork({'A': 'A | B', 'B': '!A & B'}); t = time.perf_counter(); "
            "fate_probabilities(net, start={'B': 1}, method='simulation', runs=10); "
            "print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        seconds = [float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                        check=True).stdout) for _ in range(2)]
    return seconds[0], seconds[1]


def count_analyses(network, args: argparse.Namespace) -> tuple[int, int]:
    """(rows, analyses) of the probability screen over all contexts, with every analysis skipped."""
    import signet.screen.job as job

    original = job.Job.analyse

    def skip(self, context, perturbation):  # what a row's result looks like, without computing it
        return {"values": [], "probabilities": {n: 0.5 for n in self.phenotypes}, "counts": None, "runs": None,
                "exact": True, "engine": "markov", "note": ""}

    job.Job.analyse = skip
    try:
        result = screen(network, contexts="all", max_size=1, metric="probability", split_inputs=True, workers=1,
                        targets=args.targets)
    finally:
        job.Job.analyse = original
    return len(result.rows), result.stats["analysed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "networks" / "radioresistance.bnet"))
    parser.add_argument("--contexts", default="all")
    parser.add_argument("--targets", default=None, help="comma-separated targets (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=None, help="trajectories per simulated row (default 2401)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--no-share", action="store_true", help="do not run the share screen beside it")
    parser.add_argument("--jit", action="store_true", help="time the kernel's compilation and cache load first")
    parser.add_argument("--full", action="store_true",
                        help="count the analyses of the full single screen and extrapolate its time")
    args = parser.parse_args()
    if args.targets:
        args.targets = args.targets.split(",")
    network = read_model(args.model)
    print(f"$ python benchmarks/probability_screen.py {' '.join(sys.argv[1:])}")
    print(f"model {network.name}: {len(network)} nodes; contexts {args.contexts}; workers {args.workers}; "
          f"load average before {os.getloadavg()[0]:.1f}")
    if args.jit:
        compile_s, cached_s = jit_cost()
        print(f"kernel start-up: {compile_s:.1f} s compiling (empty numba cache), {cached_s:.2f} s from the cache "
              f"(load average {os.getloadavg()[0]:.1f})")
    measured = []
    if not args.no_share:
        measured.append(("share", *run(network, "share", args)))
    prob_s, prob_cpu, prob = run(network, "probability", args)
    measured.append(("probability", prob_s, prob_cpu, prob))
    import resource

    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"load average after {os.getloadavg()[0]:.1f}; peak resident memory of a process {peak // 1024} MB")
    print(f"{'metric':<12} {'rows':>6} {'analyses':>9} {'seconds':>9} {'cpu s':>8} {'s/row':>7} {'s/analysis':>11}")
    for name, seconds, cpu, result in measured:
        rows, analysed = len(result.rows), max(1, result.stats["analysed"])
        print(f"{name:<12} {rows:>6} {analysed:>9} {seconds:>9.1f} {cpu:>8.1f} {seconds / rows:>7.2f} "
              f"{seconds / analysed:>11.2f}")
    if not args.no_share:
        print(f"probability / share time: {prob_s / measured[0][1]:.1f}")
    simulated = [r for r in prob.rows if not r["exact"]]
    print(f"probability rows: {len(prob.rows) - len(simulated)} exact, {len(simulated)} simulated "
          f"({prob.parameters['runs']} trajectories each); {prob.stats['reused']} rows shared an analysis")
    if simulated:
        widest = max((r["hi"] - r["lo"]) / 2 for r in simulated)
        print(f"widest 95% interval half-width of a simulated Death probability: {widest:.4f}")
    per_analysis = prob_s * args.workers / max(1, prob.stats["analysed"])
    print(f"per analysis: {per_analysis:.2f} s of a worker (wall x workers), "
          f"{prob_cpu / max(1, prob.stats['analysed']):.2f} CPU s")
    if args.full:
        rows, analyses = count_analyses(network, args)
        print(f"full single screen (all contexts): {rows} rows, {analyses} analyses; at the measured "
              f"{per_analysis:.2f} s per analysis and worker: {analyses * per_analysis / args.workers / 60:.1f} min "
              f"with {args.workers} worker(s), {analyses * per_analysis / 2 / 60:.1f} min on 2")
    # how much sequential stopping could save: a row may stop early only when its estimate is far
    # from 1/2 (Wilson half-width <= 0.02 with fewer runs), e.g. at 600 runs when p < 0.07 or p > 0.93
    for name in ("Death", "ClonogenicSurvival"):
        column = f"probability_{name}"
        if simulated and column in simulated[0]:
            extreme = sum(1 for r in simulated if min(r[column], 1 - r[column]) < 0.07)
            print(f"simulated rows with {name} probability < 0.07 or > 0.93: {extreme} of {len(simulated)}")


if __name__ == "__main__":
    main()
