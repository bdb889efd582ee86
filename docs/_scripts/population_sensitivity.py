"""The radioresistance model's readout under other shares of stem-like cells in the untreated tumour.

The model's metadata says how the untreated population divides among the untreated
attractors (``model.baseline_fractions``; docs/model.md, "Revisions, session 20"): the
attractors with ``CSC=1`` start 5% of the cells, because the review calls tumour stem cells
"a very minor proportion of tumor tissues" without giving a number.  This script sets that
share to each value (0.5 = every untreated attractor equally likely, the model before
session 20) and reports, for each, the claims that pass under the readout (``signet
validate``, fate probabilities, 2,401 trajectories per case, second looks as validate takes
them) and the clonogenic survival after the pulse in a few contexts.

Usage::

    python docs/_scripts/population_sensitivity.py [--values 0.01,0.05,0.1,0.2,0.5]

Not a test (about a minute per value on two cores): it prints the markdown table
docs/model.md quotes, with the date and the machine's load.
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
CONTEXTS = ("wildtype", "normal_tissue", "TP53_mutant", "KEAP1_loss", "BRCA_mutant", "hypoxic")


def with_csc_share(net, value: float):
    """``net`` with the untreated share of stem-like cells set to ``value``."""
    from signet.model import BooleanNetwork

    fractions = {**net.annotations.baseline_fractions, "CSC": value}
    return BooleanNetwork(dict(net.rules), name=net.name,
                          annotations=replace(net.annotations, baseline_fractions=fractions))


def survival(net, context: str) -> float:
    """Clonogenic survival after the pulse in ``context``, as validate computes a case."""
    from signet.validate import readout

    return readout(net, context).value_of("ClonogenicSurvival")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="0.01,0.05,0.1,0.2,0.5", help="CSC shares, comma-separated")
    args = parser.parse_args(argv)
    from signet.io import read_model
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    base = read_model(MODEL)
    claims = read_expectations(expectations_path(MODEL), base)
    print(f"measured {datetime.date.today()}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| stem-like share of the untreated cells | claims passing | failing | survival "
          + " | survival ".join(f"`{c}`" for c in CONTEXTS) + " | seconds |")
    print("|---|---|---|" + "---|" * len(CONTEXTS) + "---|")
    for value in (float(v) for v in args.values.split(",")):
        net = with_csc_share(base, value)
        started = time.perf_counter()
        result = validate(net, claims, metric="probability")
        cells = [f"{survival(net, c):.3f}" for c in CONTEXTS]
        failed = ", ".join(f"`{r.expectation.id}`" for r in result.failed) or "none"
        print(f"| {value:g} | {len(result.passed)}/{len(claims)} | {failed} | " + " | ".join(cells)
              + f" | {time.perf_counter() - started:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
