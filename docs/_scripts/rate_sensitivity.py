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
import sys
from dataclasses import replace

from _sensitivity import print_table, survival

CONTEXTS = ("wildtype", "TP53_mutant", "normal_tissue")


def with_rates(net, value: float):
    """``net`` with every declared up-rate set to ``value`` (down-rates kept)."""
    from signet.model import BooleanNetwork

    rates = {node: (value, down) for node, (up, down) in net.annotations.rates.items()}
    return BooleanNetwork(dict(net.rules), name=net.name, annotations=replace(net.annotations, rates=rates))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="1,0.3,0.1,0.03", help="rate values, comma-separated")
    args = parser.parse_args(argv)

    def cell(net, context: str) -> str:
        value, (lo, hi) = survival(net, context)
        return f"{value:.3f} [{lo:.3f}, {hi:.3f}]"

    print_table("declared up-rates", (float(v) for v in args.values.split(",")), with_rates, CONTEXTS, cell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
