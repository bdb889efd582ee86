"""Benchmark: a full knockout/over-expression screen of the radioresistance network.

Runs ``signet.screen.screen`` over every single and pair perturbation (ko, oe) in every
context (``--repeat`` times; the median is reported), then answers the same question on
a random sample of (context, intervention) rows the way a user would without signet,
one Python call per perturbation on one core:

* **mpbn loop**: ``MPBooleanNetwork(...).attractors(reachable_from=start)`` for each of
  the untreated cell's attractors (exact most-permissive reachability, like signet);
* **pyboolnet loop**: pyboolnet's ``percolate`` then, for each start, the minimal trap
  spaces inside the smallest trap space containing it (``compute_smallest_trapspace`` +
  ``compute_trapspaces_within_subspace``).  pyboolnet decides mp reachability only
  through NuSMV, which does not run here, so this loop answers the trap-space
  over-approximation of the question; the agreement line says how often it matters.

Each loop analyses exactly what a screen row analyses: the intervention, the context
and the treatment with everything they force by percolation pinned from the start.
The sample is also run through signet one perturbation at a time (a fresh process
state, one core) for a like-for-like per-perturbation time.  Answers (Death share and
number of reachable attractors) are compared row by row.

    python benchmarks/screen.py                       # full pair screen, all contexts
    python benchmarks/screen.py --repeat 3            # median of three full screens
    python benchmarks/screen.py --max-size 1 --sample 20
    python benchmarks/screen.py --v2-pulse --workers 1,2 --cap 150
    python benchmarks/screen.py --v2-pulse --cases 0 --pulse-peers 30   # only signet vs mpbn per row

``--v2-pulse``: the model's own treatment, the pulse ``RT=1 ; RT=0`` (metadata
``treatment:``), screened under mp through the general path (``run_schedule`` per row,
what every scheduled screen did before the scheduled fast path) and through the fast
path (the compiled mp response chained phase by phase): singles of one context, singles
of all contexts and pairs of one context, with each ``--workers`` count.  A run longer
than ``--cap`` seconds is stopped (as ``signet --timeout`` does) and its rate is that of
the rows it finished.  Rows finished by both paths are compared (values, exact).  No
peer tool runs schedules; ``--pulse-peers N`` answers N random rows of size
``--max-size`` one at a time with signet's ``response()`` and with a loop over mpbn
that runs the schedule phase by phase (each phase from every space the last one
reached), and compares times and answers.

Not a test: it prints numbers.  Use --profile to see what dominates.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signet.io import read_model  # noqa: E402
from signet.screen import screen  # noqa: E402
from signet.screen.job import Job  # noqa: E402
from signet.screen.worker import WorkerState  # noqa: E402
from signet.screen.interventions import intervention_key, interventions  # noqa: E402


class PhenotypeValue:
    """A phenotype's value on a trap space, by enumerating the ``*`` among its variables."""

    def __init__(self, text: str) -> None:
        from signet.expr import compile_expression, parse_expression, variables

        expr = parse_expression(text)
        self.names = sorted(variables(expr))
        self.func = compile_expression(expr, self.names)

    def __call__(self, space) -> int | str:
        free = [n for n in self.names if space[n] == "*"]
        seen = set()
        for bits in itertools.product((0, 1), repeat=len(free)):
            values = {**{n: space[n] for n in self.names if n not in free}, **dict(zip(free, bits))}
            seen.add(bool(self.func(*(bool(values[n]) for n in self.names))))
        return int(seen.pop()) if len(seen) == 1 else "*"


def _answer(spaces, death: PhenotypeValue) -> tuple[float, int]:
    values = [death(s) for s in spaces]
    return (sum(v == 1 for v in values) / len(values) if values else 0.0), len(values)


def mpbn_loop(network, sample, starts_of, forced):
    """mpbn per perturbation, from every attractor of the untreated cell."""
    import mpbn

    from signet.expr import to_bnet

    rules = {n: to_bnet(r) for n, r in network.rules.items()}
    death = PhenotypeValue(network.annotations.phenotypes["Death"])
    answers, times = {}, []
    for (context, intervention), fixes in zip(sample, forced):
        t0 = time.perf_counter()
        bn = mpbn.MPBooleanNetwork({**rules, **{n: str(v) for n, v in fixes.items()}})
        seen = {}
        for start in starts_of[context]:
            for att in bn.attractors(reachable_from={**start, **fixes}):
                seen[tuple(sorted(att.items()))] = att
        times.append(time.perf_counter() - t0)
        answers[(context, intervention_key(intervention))] = _answer(list(seen.values()), death)
    return answers, times


def pyboolnet_loop(network, sample, starts_of):
    """pyboolnet per perturbation: percolation, then minimal trap spaces inside the smallest
    trap space containing each start (the trap-space over-approximation of mp reachability)."""
    import logging

    logging.getLogger("pyboolnet").setLevel(logging.ERROR)
    from pyboolnet import file_exchange, prime_implicants, trap_spaces

    from signet.expr import to_bnet

    primes = file_exchange.bnet2primes("\n".join(f"{n}, {to_bnet(r)}" for n, r in network.rules.items()))
    death = PhenotypeValue(network.annotations.phenotypes["Death"])
    treatment = dict(network.annotations.treatment)
    answers, times = {}, []
    for context, intervention in sample:
        t0 = time.perf_counter()
        pins = {**dict(network.context(context).fix), **dict(intervention), **treatment}
        p = prime_implicants.create_constants(primes, pins, copy=True)
        prime_implicants.percolate(p, remove_constants=False)
        seen = {}
        for start in starts_of[context]:
            smallest = trap_spaces.compute_smallest_trapspace(p, {**start, **pins})
            smallest = smallest[0] if isinstance(smallest, list) else smallest
            for space in trap_spaces.compute_trapspaces_within_subspace(p, smallest, "min"):
                full = {n: space.get(n, "*") for n in network.nodes}
                seen[tuple(sorted(full.items()))] = full
        times.append(time.perf_counter() - t0)
        answers[(context, intervention_key(intervention))] = _answer(list(seen.values()), death)
    return answers, times


def signet_one_by_one(network, sample):
    """signet's fast path, one perturbation at a time, on a fresh Job (one core, cold caches)."""
    state = WorkerState(Job(network, dict(network.annotations.phenotypes), dict(network.annotations.treatment)))
    for context in {c for c, _ in sample}:  # per-context set-up, as a screen worker does once
        state.mp_analysis(context, state.analysis_fixes(context, ()))
    answers, times = {}, []
    for context, intervention in sample:
        t0 = time.perf_counter()
        result = state.mp_analysis(context, state.analysis_fixes(context, intervention))
        times.append(time.perf_counter() - t0)
        values = result["values"]
        share = sum(v["Death"] == 1 for v in values) / len(values) if values else 0.0
        answers[(context, intervention_key(intervention))] = (share, len(values))
    return answers, times


_CAPPED = """
import json, sys
from signet.cli import _time_limit
from signet.errors import TimeLimitExceeded
from signet.io import read_model
from signet.screen import screen
model, cap, db, kwargs = json.loads(sys.argv[1])
try:
    with _time_limit(cap):
        screen(read_model(model), db=db, **kwargs)
except TimeLimitExceeded:
    sys.exit(3)
"""


def _capped_screen(model: str, cap: float, db: Path, **kwargs):
    """``screen(**kwargs)`` into ``db`` in a fresh process, stopped after ``cap`` seconds (as
    ``signet --timeout``): (wall s, CPU s of the process and its workers, rows done, stopped)."""
    import json
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CAPPED, json.dumps([model, cap, str(db), kwargs])],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, _stored_results(db), done.returncode != 0


def _stored_results(db: Path) -> dict:
    import json
    import sqlite3

    if not db.exists():  # stopped before the screen began
        return {}
    with sqlite3.connect(db) as con:
        if not con.execute("SELECT name FROM sqlite_master WHERE name = 'rows'").fetchone():
            return {}
        cur = con.execute("SELECT rows.context, rows.intervention, analyses.result FROM rows "
                          "JOIN analyses ON rows.analysis = analyses.key")
        return {(c, i): (json.loads(r)["values"], json.loads(r)["exact"]) for c, i, r in cur}


def v2_pulse(model: str, workers: list[int], cap: float, only: list[int] | None = None) -> None:
    """The ``--v2-pulse`` table (see the module docstring); ``only``: the numbers of the cases to run."""
    network = read_model(model)
    assert network.annotations.schedule, "the model's treatment is not a schedule"
    contexts = sorted(network.annotations.contexts)
    one = "wildtype" if "wildtype" in contexts else contexts[0]
    cases = [(f"singles, {one}", one, 1), (f"singles, all {len(contexts)} contexts", "all", 1),
             (f"pairs, {one}", one, 2)]
    cases = [case for k, case in enumerate(cases, start=1) if only is None or k in only]
    print(f"schedule {network.annotations.schedule!r}, update mp; runs capped at {cap:g} s")
    header = (f"{'case':28} {'workers':>7} {'path':>8} {'rows done':>13} {'wall s':>8} {'cpu s':>7} "
              f"{'rows/s':>8} {'fast/general':>13} {'same':>11}")
    print(header)
    print("-" * len(header))
    for name, context, size in cases:
        total = len(interventions(network, max_size=size, treatment=dict(network.annotations.treatment))) + 1
        total *= len(contexts) if context == "all" else 1
        for count in workers:
            rates, answers = {}, {}
            for path, fast in (("general", False), ("fast", None)):
                with tempfile.TemporaryDirectory() as tmp:
                    wall, cpu, done, stopped = _capped_screen(
                        model, cap, Path(tmp) / "pulse.sqlite", contexts=context, max_size=size, workers=count,
                        fast_path=fast, split_inputs=False)
                rates[path], answers[path] = len(done) / wall, done
                shared = set(answers["general"]) & set(done) if path == "fast" else set()
                same = sum(answers["general"][k] == done[k] for k in shared)
                ratio = f"{rates['fast'] / rates['general']:.1f}x" if path == "fast" else ""
                print(f"{name:28} {count:>7} {path:>8} {f'{len(done)}/{total}':>13} {wall:>8.1f} "
                      f"{cpu:>7.1f} {rates[path]:>8.2f} {ratio:>13} "
                      f"{f'{same}/{len(shared)}' if path == 'fast' else '':>11}"
                      f"{'  (stopped at the cap)' if stopped else ''}")
    print("-" * len(header))
    print(f"wall s: from process start (model read, start-up); cpu s: the process and its workers; load average {os.getloadavg()[0]:.2f} at the end. "
          "'same': rows finished by both paths with equal values and exact.")


def _pulse_answer(network, spaces) -> tuple[float, int]:
    """(ClonogenicSurvival share, number of attractors) of the final phase's spaces."""
    survival = PhenotypeValue(network.annotations.phenotypes["ClonogenicSurvival"])
    return _answer(list(spaces), survival)


def mpbn_pulse_loop(network, sample, starts_of):
    """mpbn per row, phase by phase of the model's schedule: each phase's rules with the
    context, the intervention and the phase's inputs fixed, its reachable attractors from
    every space the previous phase reached (the untreated cell's attractors first), the
    fixed nodes at their values from the phase's start (signet's convention: a phase's
    inputs switch at its start, and a node forced by them moves from its earlier value)."""
    import mpbn

    from signet.dynamics.schedule import parse_schedule
    from signet.expr import to_bnet

    phases = [phase.assignment() for phase in parse_schedule(network.annotations.schedule).phases()]
    rules = {n: to_bnet(r) for n, r in network.rules.items()}
    answers, times = {}, []
    for context, intervention in sample:
        t0 = time.perf_counter()
        pins = {**dict(network.context(context).fix), **dict(intervention)}
        starts = starts_of[context]
        for values in phases:
            fixed = {**pins, **values}  # signet's convention: a fixed node has its value from the phase's start
            bn = mpbn.MPBooleanNetwork({**rules, **{n: str(v) for n, v in fixed.items()}})
            seen = {}
            for start in starts:
                for att in bn.attractors(reachable_from={**start, **fixed}):
                    seen[tuple(sorted(att.items()))] = att
            starts = [{n: v for n, v in att.items() if v != "*"} for att in seen.values()]
        times.append(time.perf_counter() - t0)
        answers[(context, intervention_key(intervention))] = _pulse_answer(network, seen.values())
    return answers, times


def signet_pulse_one_by_one(network, sample):
    """signet's public :func:`signet.dynamics.response` per row (the model's schedule)."""
    from signet.dynamics import response

    for context in {c for c, _ in sample}:  # the untreated cell, cached per context as a screen does
        response(network, context=context)
    answers, times = {}, []
    for context, intervention in sample:
        t0 = time.perf_counter()
        result = response(network, context=context, perturbation=dict(intervention))
        times.append(time.perf_counter() - t0)
        answers[(context, intervention_key(intervention))] = _pulse_answer(network, [a.space for a in result.attractors])
    return answers, times


def pulse_peers(model: str, size: int, count: int, seed: int) -> None:
    """signet against an mpbn loop on a sample of rows under the model's schedule: per-row
    median times (one core) and whether the answers agree."""
    from signet.dynamics import baseline_starts

    network = read_model(model)
    rng = random.Random(seed)
    pool = interventions(network, max_size=size, treatment=dict(network.annotations.treatment))
    pool = [i for i in pool if len(i) == size]
    contexts = sorted(network.annotations.contexts)
    sample = [(rng.choice(contexts), rng.choice(pool)) for _ in range(count)]
    starts_of = {c: baseline_starts(network, "mp", context=c) for c in {c for c, _ in sample}}
    ours, our_times = signet_pulse_one_by_one(network, sample)
    theirs, their_times = mpbn_pulse_loop(network, sample, starts_of)
    same = sum(ours[k] == theirs[k] for k in ours)
    a, b = statistics.median(our_times), statistics.median(their_times)
    print(f"\n{count} random rows of size {size} across contexts, the model's schedule, one core, one row at a time:")
    print(f"  signet response(): median {a * 1000:.1f} ms/row; mpbn loop (phase by phase): median {b * 1000:.1f} ms/row; "
          f"mpbn/signet {b / a:.1f}x; same answers (survival share, attractors) {same}/{count}; "
          f"load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "networks" / "radioresistance.bnet"))
    parser.add_argument("--max-size", type=int, default=2)
    parser.add_argument("--contexts", default="all")
    parser.add_argument("--workers", default=str(os.cpu_count()), help="worker processes (with --v2-pulse: a list, 1,2)")
    parser.add_argument("--v2-pulse", action="store_true", help="the model's pulse schedule: general vs fast path")
    parser.add_argument("--cases", default="", help="--v2-pulse: which cases, e.g. 2,3 (default all three)")
    parser.add_argument("--cap", type=float, default=150.0, help="--v2-pulse: seconds after which a run is stopped")
    parser.add_argument("--pulse-peers", type=int, default=0, metavar="N",
                        help="--v2-pulse: also N random rows (of --max-size) against an mpbn loop")
    parser.add_argument("--repeat", type=int, default=1, help="full screens to run (median reported)")
    parser.add_argument("--sample", type=int, default=30, help="rows answered by the mpbn and pyboolnet loops")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-pyboolnet", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile a serial singles screen instead")
    args = parser.parse_args()

    network = read_model(args.model)
    print(f"model {network.name}: {len(network)} nodes, inputs {', '.join(network.inputs)}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    if args.v2_pulse:
        only = [int(k) for k in args.cases.split(",")] if args.cases else None
        if only != [0]:
            v2_pulse(args.model, [int(w) for w in args.workers.split(",")], args.cap, only)
        if args.pulse_peers:
            pulse_peers(args.model, args.max_size, args.pulse_peers, args.seed)
        return
    args.workers = int(args.workers)
    contexts = args.contexts if network.annotations.contexts else None
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        screen(network, contexts=contexts, max_size=1, workers=1)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
        return

    walls = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            result = screen(network, contexts=contexts, max_size=args.max_size, workers=args.workers,
                            db=Path(tmp) / "bench.sqlite", progress=sys.stderr.isatty())
            walls.append(time.perf_counter() - t0)
        print(f"  full screen run {len(walls)}: {walls[-1]:.1f} s (load average {os.getloadavg()[0]:.2f})")
    wall = statistics.median(walls)
    st = result.stats
    n_rows = st["rows"]
    context_names = result.parameters["contexts"]
    print(f"signet screen: {n_rows} rows = {len(context_names)} contexts x "
          f"{n_rows // max(1, len(context_names))} interventions (none + max size {args.max_size}), "
          f"{st['analysed']} distinct analyses, {args.workers} workers")

    # the sample: random rows of the screen, across contexts
    rng = random.Random(args.seed)
    pool = [()] + interventions(network, max_size=args.max_size)
    sample = [(rng.choice(context_names), rng.choice(pool)) for _ in range(args.sample)]
    treatment = dict(network.annotations.treatment)
    forced = [{**dict(network.context(c).fix), **dict(i), **treatment} for c, i in sample]  # the pins
    from signet.dynamics import baseline_starts

    starts_of = {c: baseline_starts(network, "mp", context=c) for c in {c for c, _ in sample}}
    ours = {(r["context"], r["perturbation"]): (r["share_Death"], r["attractors"]) for r in result.rows}

    runs = [("signet, one by one (1 core)", *signet_one_by_one(network, sample))]
    runs.append(("mpbn loop (1 core)", *mpbn_loop(network, sample, starts_of, forced)))
    if not args.skip_pyboolnet:
        runs.append(("pyboolnet loop (1 core)", *pyboolnet_loop(network, sample, starts_of)))

    per_row = wall / n_rows
    header = f"{'':34} {'rows':>7} {'median ms/row':>14} {'rows/s':>9} {'signet screen faster':>21} {'same answers':>13}"
    print()
    print(header)
    print("-" * len(header))
    print(f"{'signet screen (' + str(args.workers) + ' workers, all rows)':34} {n_rows:>7} {per_row * 1000:>14.3f} "
          f"{n_rows / wall:>9.0f} {'1.0x':>21} {'':>13}")
    for name, answers, times in runs:
        med = statistics.median(times)
        same = sum(answers[(c, intervention_key(i))] == ours[(c, intervention_key(i))] for c, i in sample)
        print(f"{name:34} {len(sample):>7} {med * 1000:>14.3f} {1 / med:>9.1f} {med / per_row:>20.0f}x "
              f"{f'{same}/{len(sample)}':>13}")
    print("-" * len(header))
    print(f"full screen wall time: median {wall:.1f} s of {len(walls)} run(s) "
          f"({', '.join(f'{w:.1f}' for w in walls)}); load average {os.getloadavg()[0]:.2f} at the end")
    for name, _, times in runs[1:]:
        print(f"  the whole screen as a {name.split(' (')[0]} would take {statistics.median(times) * n_rows / 3600:.1f} h "
              f"on one core ({statistics.median(times) * n_rows / 3600 / args.workers:.1f} h on {args.workers})")
    print("'same answers': Death share and number of reachable attractors equal to the screen's row.")


if __name__ == "__main__":
    main()
