"""Benchmark: what the therapeutic-gain reference costs, and how many top ties it breaks.

Runs ``signet screen MODEL --context all --druggable`` through the command line twice,
once with the model's reference context (``normal_tissue`` for the radioresistance
model: every intervention is also scored there) and once with ``--no-reference``, each
into a fresh checkpoint, and prints the two times and their ratio.  Then, from the rows
of the run with the reference, it counts per context how many single interventions tie
at the top under each rank order (``score,bliss,size``, the default without a reference,
and ``score,gain,bliss,size``, the default with one): rows tie when every rank key has
the same value as the first row's.

    python benchmarks/gain.py                         # the radioresistance model, 1 worker
    python benchmarks/gain.py --workers 2 --max-size 2 --contexts all

Each ``--contexts`` value is timed apart: with ``all`` the reference context is one of
the screened contexts, so its rows are computed anyway; with tumour contexts only, the
reference adds one context's rows.

Not a test: it prints numbers (state the machine's load next to them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

REPO = Path(__file__).resolve().parents[1]
ORDERS = (("score", "bliss", "size"), ("score", "gain"), ("score", "gain", "bliss", "size"))


def run_screen(model: Path, contexts: str, extra: Sequence[str], workers: int, max_size: int,
               folder: str) -> tuple[dict, float]:
    """One CLI screen into a fresh checkpoint: its JSON and the wall time in seconds."""
    db = os.path.join(folder, f"screen{len(os.listdir(folder))}.sqlite")
    command = [sys.executable, "-c", "from signet.cli import main; main()", "screen", str(model),
               "--context", contexts, "--druggable", "--max-size", str(max_size), "--workers", str(workers),
               "-q", "--json", "--db", db, *extra]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout), time.perf_counter() - start


def _key(row: dict[str, Any], order: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row.get(k) if row.get(k) is not None else 0.0 for k in order)


def top_ties(rows: Sequence[dict[str, Any]], order: Sequence[str]) -> dict[str, int]:
    """Per context, the number of interventions whose rank keys all equal the best row's."""
    by_context: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["size"] > 0:
            by_context.setdefault(row["context"], []).append(row)
    out = {}
    for context, found in by_context.items():
        best = max(found, key=lambda r: tuple(-v if k == "size" else v for k, v in zip(order, _key(r, order))))
        out[context] = sum(1 for r in found if _key(r, order) == _key(best, order))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=REPO / "networks" / "radioresistance.bnet")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--max-size", type=int, default=1)
    parser.add_argument("--contexts", nargs="+", default=["all", "TP53_mutant"],
                        help="--context values to time (the tie counts come from the first)")
    args = parser.parse_args(argv)
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    gained: dict[str, Any] = {}
    for contexts in args.contexts:
        with tempfile.TemporaryDirectory() as folder:
            plain, t_plain = run_screen(args.model, contexts, ["--no-reference"], args.workers, args.max_size, folder)
            found, t_gain = run_screen(args.model, contexts, [], args.workers, args.max_size, folder)
        reference = found["reference"]
        print(f"screen --context {contexts} --druggable --max-size {args.max_size} --workers {args.workers}: "
              f"{len(plain['rows'])} rows")
        print(f"  --no-reference          {t_plain:7.2f} s   ({plain['stats']['rows']} rows screened)")
        print(f"  reference {reference:<13} {t_gain:7.2f} s   ({found['stats']['rows']} rows screened)   "
              f"ratio {t_gain / t_plain:.2f}")
        gained = gained or found
    ties = {order: top_ties(gained["rows"], order) for order in ORDERS}
    names = [c for c in ties[ORDERS[0]] if c != reference]
    print(f"\ninterventions tied at the top per context (singles, druggable; {reference} has no gain):")
    print(f"{'context':<16}" + "".join(f"{','.join(o):>24}" for o in ORDERS))
    for context in names:
        print(f"{context:<16}" + "".join(f"{ties[o][context]:>24}" for o in ORDERS))
    for order in ORDERS:
        counts = [ties[order][c] for c in names]
        print(f"{','.join(order):<24} total {sum(counts):3d}, max {max(counts)}, "
              f"contexts with more than 5: {sum(1 for n in counts if n > 5)}")


if __name__ == "__main__":
    main()
