"""The radioresistance model's readout under other values of its declared rates.

The model declares flip rates (metadata ``rates:``; docs/model.md, "The model's
readout"): CDK2 and CDK1 up (cell-cycle progression), PPM1D up (Wip1, checkpoint
recovery), BCL2L11 up (BIM induction) and Senescence up, all 0.1, and (session 21) the down-rates of the
immune cells RT recruits (Treg, MDSC, M2_macrophage), 0.1; the review states the order of
events, not the values.  This script sets one group of rates to each value together
(``--group up``: the up-rates of CDK2, CDK1, PPM1D, BCL2L11 and Senescence, 1 = uniform;
``--group immune``: the three down-rates, 1 = the model before session 21; ``--group glutathione``
(session 22): the down-rate of GSH, how fast glutathione runs out once p53 has repressed SLC7A11,
1 = the model, which declares none) and reports, for
each value, the claims that pass under the readout (``signet validate``, fate
probabilities, 2,401 trajectories per case) and the clonogenic survival probability after
the pulse of wildtype, TP53_mutant and normal_tissue (glutathione: wildtype, KEAP1_loss and
TP53_mutant).

Usage::

    python docs/_scripts/rate_sensitivity.py [--group up|immune|glutathione] [--values 1,0.3,0.1,0.03]

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


#: each group: the table's label, its nodes, which rate ("up" or "down") and the contexts whose survival it shows
GROUPS = {
    "up": ("up-rates of CDK2, CDK1, PPM1D, BCL2L11, Senescence", ORDER, "up", CONTEXTS),
    "immune": ("down-rates of Treg, MDSC, M2_macrophage", RECRUITED, "down", CONTEXTS),
    # session 22: how fast glutathione runs out after p53 represses SLC7A11 [254] decides how many cells
    # ferroptosis takes before their breaks are repaired
    "glutathione": ("down-rate of GSH", ("GSH",), "down", ("wildtype", "KEAP1_loss", "TP53_mutant")),
}


def with_rates(net, value: float, group: str = "up"):
    """``net`` with the rates of ``group`` (:data:`GROUPS`) set to ``value``, every other rate kept, so
    the model's own value gives the model itself."""
    _, nodes, way, _ = GROUPS[group]
    return with_rate(net, nodes, way, value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", choices=tuple(GROUPS), default="up",
                        help="up: the order-of-events up-rates; immune: the recruited immune cells' down-rates; "
                             "glutathione: GSH's down-rate")
    parser.add_argument("--values", default="1,0.3,0.1,0.03", help="rate values, comma-separated")
    args = parser.parse_args(argv)

    def cell(net, context: str) -> str:
        value, (lo, hi) = survival(net, context)
        return f"{value:.3f} [{lo:.3f}, {hi:.3f}]"

    label, _, _, contexts = GROUPS[args.group]
    print_table(label, (float(v) for v in args.values.split(",")), lambda net, v: with_rates(net, v, args.group),
                contexts, cell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
