"""Benchmark: synchronous attractors, signet against the one peer that answers them here.

Peers for synchronous attractors, and what runs on this machine:

* **PyBoolNet** ``primes2stg(primes, "synchronous")`` + ``compute_attractors_tarjan``: exact,
  on the explicit state transition graph (networkx), so only small networks finish.
  (PyBoolNet's symbolic route, ``compute_attractors(update="synchronous")``, needs the NuSMV
  binary it ships, which fails here: ``libreadline.so.6`` is missing.)
* **BoolNet** (R: ``getAttractors``, exhaustive or SAT-based) would be the reference, but R is
  not available here; its published answer for its cell-cycle model is a test instead
  (``tests/test_sync_sat.py``).

signet is timed three ways: ``auto`` (what ``signet attractors --update sync`` does: explicit up
to 16 free nodes, the clingo engine above), ``explicit`` (all ``2**n`` states, up to 22 free
nodes) and ``asp`` (the clingo engine, :mod:`signet.dynamics.sync_sat`, forced).  Answers (every
attractor as its set of states) are compared; a disagreement is printed.

The harness is ``benchmarks/attractors.py``'s: each call in a fresh process forked after the tools
are imported, warm-up on a tiny model first, files read untimed, median of up to ``--repeat``
cold runs for calls under a second, ``--timeout`` per call.

Usage::

    python benchmarks/sync_attractors.py [--max-nodes 100] [--timeout 30] [--models pbn/raf,bbm/148,...]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attractors as harness  # noqa: E402  (benchmarks/attractors.py: Worker, model list, bnet reader)

MODELS = harness.MODELS
#: PyBoolNet builds the whole synchronous state transition graph: larger networks are not tried
PYBOOLNET_MAX_NODES = 20
#: models of the "bring your own model" issue that the explicit engine refused
EXTRA = [
    ("ags", MODELS / "flobak2015" / "Flobak_FullModel_S2_Dataset.zginml"),
    ("bladder", MODELS / "ginsim" / "2015-mammal-bladder-tumorigenesis" / "Bladder_Model.zginml"),
    ("cellfate", MODELS / "maboss" / "cellfate.bnd"),
]


def _signet_network(path: str):
    from signet.io import read_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_model(path, metadata=False)


def _answer(network, result) -> list[tuple[str, ...]]:
    order = sorted(network.nodes)
    out = []
    for i in range(len(result.attractors)):
        states = result.member_states(i)
        out.append(tuple(sorted("".join(str(s[n]) for n in order) for s in states)))
    return sorted(out)


def signet_run(path: str, engine: str):
    import clingo  # noqa: F401  (untimed imports)

    from signet.dynamics import attractors, explicit, sync_sat, trapspaces  # noqa: F401

    net = _signet_network(path)
    t = time.perf_counter()
    result = attractors(net, "sync", engine=engine)
    elapsed = time.perf_counter() - t
    if not result.exact:
        raise RuntimeError(f"not exact: {result.note}")
    return elapsed, _answer(net, result)


def signet_auto(path: str, _question: str):
    return signet_run(path, "auto")


def signet_explicit(path: str, _question: str):
    return signet_run(path, "explicit")


def signet_asp(path: str, _question: str):
    return signet_run(path, "asp")


def pyboolnet_run(path: str, _question: str):
    from pyboolnet.attractors import compute_attractors_tarjan
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.state_transition_graphs import primes2stg

    from signet.expr import fold_constants, to_bnet

    net = _signet_network(path)
    if len(net) > PYBOOLNET_MAX_NODES:
        raise RuntimeError(f"a state transition graph of 2**{len(net)} states: not tried above "
                           f"{PYBOOLNET_MAX_NODES} nodes")
    # bnet2primes refuses the constants 0 and 1: the same functions, written X & !X and X | !X
    lines = []
    for node, rule in net.rules.items():
        text = to_bnet(fold_constants(rule))
        lines.append(f"{node}, " + {"0": f"{node} & !{node}", "1": f"{node} | !{node}"}.get(text, text))
    primes = bnet2primes("\n".join(lines) + "\n")
    t = time.perf_counter()
    stg = primes2stg(primes, "synchronous")
    steady, cyclic = compute_attractors_tarjan(stg)
    elapsed = time.perf_counter() - t
    answer = sorted([(s,) for s in steady] + [tuple(sorted(c)) for c in cyclic])
    return elapsed, answer


TOOLS = {"signet": signet_auto, "explicit": signet_explicit, "asp": signet_asp, "pyboolnet": pyboolnet_run}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-nodes", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N models")
    parser.add_argument("--models", default="", help="only these models, e.g. pbn/raf,bbm/148,ags")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    models = [(label, path, n) for label, path, n in harness.model_list(args.max_nodes)]
    models += [(label, str(path), len(_signet_network(str(path)))) for label, path in EXTRA]
    if args.models:
        wanted = set(args.models.split(","))
        models = [m for m in models if m[0] in wanted]
    if args.limit:
        models = models[: args.limit]
    harness.preload()
    from signet.dynamics import sync_sat  # noqa: F401  (imported before the forks)

    try:
        import pyboolnet.attractors  # noqa: F401
        import pyboolnet.state_transition_graphs  # noqa: F401
    except Exception:
        pass
    warm = Path(tempfile.mkdtemp()) / "warm_up.bnet"
    warm.write_text(harness.WARM_UP)
    workers = {tool: harness.Worker(str(warm)) for tool in TOOLS}
    print(f"{len(models)} models, synchronous attractors, timeout {args.timeout:g} s per call, "
          f"median of up to {args.repeat} cold runs for calls under {harness.REPEAT_BELOW:g} s")
    rows = []
    for label, path, n in models:
        results = {tool: workers[tool].run(func, (path, "sync"), args.timeout, args.repeat) for tool, func in TOOLS.items()}
        times = {t: r[0] for t, r in results.items() if isinstance(r, tuple)}
        answers = {t: r[1] for t, r in results.items() if isinstance(r, tuple)}
        reference = answers.get("signet")
        agree = all(a == reference for t, a in answers.items() if reference is not None)
        ratio = None
        if "signet" in times and "pyboolnet" in times:
            ratio = max(times["signet"], 1e-4) / max(times["pyboolnet"], 1e-4)
        count = len(reference) if reference is not None else "-"
        rows.append((label, n, results, times, ratio, agree))
        cells = []
        for tool in TOOLS:
            r = results[tool]
            cells.append(f"{tool}={r[0]:.3f}" if isinstance(r, tuple) else
                         f"{tool}={'T/O' if r == 'timeout' else 'ERR'}")
        rtext = f"ratio={ratio:.3f}" if ratio is not None else "ratio=-"
        print(f"{label:<24}{n:>4} attractors={count!s:<6} " + "  ".join(cells) + f"  {rtext}"
              + ("" if agree else "  DISAGREE"), flush=True)
        for tool, r in results.items():
            if isinstance(r, str) and r.startswith("error") and tool != "pyboolnet" and "explicit" not in tool:
                print(f"    {tool}: {r}")
    for w in workers.values():
        w.close()
    ratios = [r[4] for r in rows if r[4] is not None]
    print("\nsummary (ratio = signet auto / pyboolnet; < 1 means signet is faster)")
    print(f"  compared with pyboolnet: {len(ratios)} models, geometric mean ratio "
          f"{math.exp(statistics.fmean(math.log(x) for x in ratios)) if ratios else float('nan'):.3f}, "
          f"median {statistics.median(ratios) if ratios else float('nan'):.3f}")
    for tool in TOOLS:
        own = [r[3][tool] for r in rows if tool in r[3]]
        timeouts = sum(1 for r in rows if r[2][tool] == "timeout")
        errors = sum(1 for r in rows if isinstance(r[2][tool], str) and r[2][tool].startswith("error"))
        print(f"  {tool:<10} finished {len(own):4d}, timeouts {timeouts}, errors {errors}, "
              f"median {statistics.median(own) if own else float('nan'):.3f} s, total {sum(own):.1f} s")
    only = [r[0] for r in rows if "signet" in r[3] and "pyboolnet" not in r[3]]
    print(f"  answered by signet only: {len(only)}")
    disagree = [r[0] for r in rows if not r[5]]
    print(f"  disagreements: {len(disagree)} {disagree[:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
