"""Benchmark: a full knockout/over-expression screen of the radioresistance network.

Runs ``signet.screen.screen`` over every single and pair perturbation (ko, oe) in every
context, prints rows and analyses per second and the wall time, then does the same
question the way a user would without signet -- a Python loop calling mpbn once per
perturbation (MP attractors reachable from the untreated cell's attractors) -- on a
random sample, with the per-perturbation time ratio and an agreement check of the
Death share.

    python benchmarks/screen.py                       # full pair screen, all contexts
    python benchmarks/screen.py --max-size 1          # singles only
    python benchmarks/screen.py --contexts wildtype --sample 40

Not a test: it prints numbers.  Use --profile to see what dominates.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signet.io import read_model  # noqa: E402
from signet.screen import screen  # noqa: E402
from signet.screen.engine import Job, percolated_fixes  # noqa: E402
from signet.screen.interventions import interventions, intervention_key  # noqa: E402


def mpbn_loop(network, context, sample, phenotype="Death"):
    """What a user writes today: mpbn per perturbation, from the baseline's attractors."""
    import mpbn

    from signet.expr import parse_expression, to_bnet, variables

    ann = network.annotations
    ctx = dict(network.context(context).fix) if context else {}
    rules = {n: to_bnet(r) for n, r in network.rules.items()}

    def fixed(values):
        out = dict(rules)
        out.update({n: str(v) for n, v in values.items()})
        return mpbn.MPBooleanNetwork(out)

    expr = parse_expression(ann.phenotypes[phenotype])
    names = sorted(variables(expr))
    from signet.expr import compile_expression

    func = compile_expression(expr, names)

    def value(att):
        # phenotype value on a trap space: 1 if true on all its states (checked on the fixed part)
        if any(att[n] == "*" for n in names):
            return "*"
        return int(bool(func(*(bool(att[n]) for n in names))))

    t0 = time.perf_counter()
    base = fixed({**ctx, **dict(ann.baseline)})
    starts = [{n: v for n, v in a.items() if v != "*"} for a in base.attractors()]
    shares = {}
    for i in sample:
        f = fixed({**ctx, **dict(i), **dict(ann.treatment)})
        seen = {}
        for s in starts:
            for a in f.attractors(reachable_from=s):
                seen[tuple(sorted(a.items()))] = a
        values = [value(a) for a in seen.values()]
        shares[intervention_key(i)] = sum(v == 1 for v in values) / len(values) if values else 0.0
    return shares, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "networks" / "radioresistance.bnet"))
    parser.add_argument("--max-size", type=int, default=2)
    parser.add_argument("--contexts", default="all")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--sample", type=int, default=30, help="perturbations in the mpbn comparison")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="profile a serial singles screen instead")
    args = parser.parse_args()

    network = read_model(args.model)
    print(f"model {network.name}: {len(network)} nodes, inputs {', '.join(network.inputs)}")
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

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = screen(network, contexts=contexts, max_size=args.max_size, workers=args.workers,
                        db=Path(tmp) / "bench.sqlite", progress=sys.stderr.isatty())
        wall = time.perf_counter() - t0
    st = result.stats
    n_ctx = len(result.parameters["contexts"])
    print(f"signet screen: {st['rows']} rows ({n_ctx} contexts, max size {args.max_size}), "
          f"{st['analysed']} distinct reduced networks analysed, {args.workers} workers")
    print(f"  wall time {wall:.1f} s = {st['rows'] / wall:.1f} perturbations/s "
          f"({wall / st['rows'] * 1000:.2f} ms each; {st['analysed'] / wall:.1f} analyses/s)")

    # the mpbn loop on a sample (one context), and agreement with signet's rows
    rng = random.Random(args.seed)
    context = result.parameters["contexts"][0]
    pool = interventions(network, max_size=args.max_size)
    sample = rng.sample(pool, min(args.sample, len(pool)))
    job = Job(network, dict(network.annotations.phenotypes), dict(network.annotations.treatment))
    # the same perturbation as signet analyses: the intervention plus what it forces
    forced = [tuple(sorted(percolated_fixes(job, context, i).items())) for i in sample]
    theirs, loop_time = mpbn_loop(network, context, forced)
    ours = {(r["context"], r["perturbation"]): r["share_Death"] for r in result.rows}
    ctx_label = context or "none"
    agree = sum(
        abs(ours[(ctx_label, intervention_key(i))] - theirs[intervention_key(f)]) < 1e-9
        for i, f in zip(sample, forced)
    )
    raw, raw_time = mpbn_loop(network, context, sample)
    agree_raw = sum(abs(ours[(ctx_label, intervention_key(i))] - raw[intervention_key(i)]) < 1e-9 for i in sample)
    per_theirs = raw_time / len(sample)
    per_ours = wall / st["rows"]
    print(f"mpbn loop ({len(sample)} sampled perturbations in {ctx_label}): {raw_time:.1f} s = "
          f"{per_theirs * 1000:.1f} ms each")
    print(f"  signet is {per_theirs / per_ours:.1f}x faster per perturbation")
    print(f"  agreement on the Death share: {agree_raw}/{len(sample)} with the raw perturbation, "
          f"{agree}/{len(sample)} with the perturbation plus its percolated consequences")
    print(f"  projected: the whole screen as an mpbn loop would take {per_theirs * st['rows'] / 60:.1f} min "
          f"on one core")


if __name__ == "__main__":
    main()
