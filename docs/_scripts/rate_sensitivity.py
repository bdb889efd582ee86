"""The radioresistance model's readout under other values of its three declared rates.

The model declares flip rates (metadata ``rates:``; docs/model.md, "The model's
readout"): CDK2 and CDK1 up (cell-cycle progression), PPM1D up (Wip1, checkpoint
recovery) and BCL2L11 up (BIM induction), all 0.1; the review states the order of events,
not the values.  This script sets all declared up-rates to each value together (1 =
uniform rates, the model before session 9) and reports, for
each value, the claims that pass under the readout (``signet validate``, fate
probabilities, 2,401 trajectories per case) and the clonogenic survival probability after
the pulse of wildtype, TP53_mutant and normal_tissue.

Usage::

    python docs/_scripts/rate_sensitivity.py [--values 1,0.3,0.1,0.03]

Not a test (a value of 0.03 makes trajectories about ten times longer): it prints the
markdown table docs/model.md quotes, with the date and the machine's load.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "networks" / "radioresistance.bnet"
CONTEXTS = ("wildtype", "TP53_mutant", "normal_tissue")


def with_rates(net, value: float):
    """``net`` with every declared up-rate set to ``value`` (down-rates kept)."""
    from signet.model import BooleanNetwork

    rates = {node: (value, down) for node, (up, down) in net.annotations.rates.items()}
    return BooleanNetwork(dict(net.rules), name=net.name, annotations=replace(net.annotations, rates=rates))


def survival(net, context: str) -> tuple[float, tuple[float, float]]:
    """Clonogenic survival after the pulse in ``context`` (value, 95% interval), as validate computes a case."""
    from signet.validate import readout

    result = readout(net, context)
    return result.value_of("ClonogenicSurvival"), result.interval_of("ClonogenicSurvival")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="1,0.3,0.1,0.03", help="rate values, comma-separated")
    args = parser.parse_args(argv)
    from signet.io import read_model
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    base = read_model(MODEL)
    claims = read_expectations(expectations_path(MODEL), base)
    print(f"measured {datetime.date.today()}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| declared up-rates | claims passing | failing | survival " + " | survival ".join(CONTEXTS)
          + " | seconds |")
    print("|---|---|---|" + "---|" * len(CONTEXTS) + "---|")
    for value in (float(v) for v in args.values.split(",")):
        net = with_rates(base, value)
        started = time.perf_counter()
        result = validate(net, claims, metric="probability")
        cells = [f"{v:.3f} [{lo:.3f}, {hi:.3f}]" for v, (lo, hi) in (survival(net, c) for c in CONTEXTS)]
        failed = ", ".join(f"`{r.expectation.id}`" for r in result.failed) or "none"
        print(f"| {value:g} | {len(result.passed)}/{len(claims)} | {failed} | " + " | ".join(cells)
              + f" | {time.perf_counter() - started:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
