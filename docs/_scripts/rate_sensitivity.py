"""The radioresistance model's readout under other values of its declared rates.

The model declares flip rates (metadata ``rates:``; docs/model.md, "The model's
readout"): CDK2 and CDK1 up (cell-cycle progression), PPM1D up (Wip1, checkpoint
recovery), BCL2L11 up (BIM induction) and Senescence up, all 0.1, and (session 21) the down-rates of the
immune cells RT recruits (Treg, MDSC, M2_macrophage), 0.1; the review states the order of
events, not the values.  This script sets one group of rates to each value together
(``--group up``: the up-rates of CDK2, CDK1, PPM1D, BCL2L11 and Senescence, 1 = uniform;
``--group immune``: the three down-rates, 1 = the model before session 21) and reports, for
each value, the claims that pass under the readout (``signet validate``, fate
probabilities, 2,401 trajectories per case) and the clonogenic survival probability after
the pulse of wildtype, TP53_mutant and normal_tissue.

Usage::

    python docs/_scripts/rate_sensitivity.py [--group up|immune] [--values 1,0.3,0.1,0.03]

Not a test (a value of 0.03 makes trajectories about ten times longer): it prints the
markdown table docs/model.md quotes, with the date and the machine's load.
"""

from __future__ import annotations

import argparse
import sys
from _sensitivity import print_table, survival, with_rate

CONTEXTS = ("wildtype", "TP53_mutant", "normal_tissue")
#: the immune cells RT recruits, whose down-rate says how long they outlast their signal (session 21)
RECRUITED = ("Treg", "MDSC", "M2_macrophage")
#: the declared up-rates that encode the order of events (cycle progression, Wip1, BIM, senescence)
ORDER = ("CDK2", "CDK1", "PPM1D", "BCL2L11", "Senescence")


def with_rates(net, value: float):
    """``net`` with the up-rates of :data:`ORDER` set to ``value`` (every other rate kept, so the
    model's own value gives the model itself)."""
    return with_rate(net, ORDER, "up", value)


def with_immune_rates(net, value: float):
    """``net`` with the down-rates of the recruited immune cells set to ``value`` (other rates kept)."""
    return with_rate(net, RECRUITED, "down", value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", choices=("up", "immune"), default="up",
                        help="up: the order-of-events up-rates; immune: the recruited immune cells' down-rates")
    parser.add_argument("--values", default="1,0.3,0.1,0.03", help="rate values, comma-separated")
    args = parser.parse_args(argv)

    def cell(net, context: str) -> str:
        value, (lo, hi) = survival(net, context)
        return f"{value:.3f} [{lo:.3f}, {hi:.3f}]"

    label, variant = (("up-rates of CDK2, CDK1, PPM1D, BCL2L11, Senescence", with_rates) if args.group == "up"
                      else ("down-rates of Treg, MDSC, M2_macrophage", with_immune_rates))
    print_table(label, (float(v) for v in args.values.split(",")), variant, CONTEXTS, cell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
