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
import sys
from _sensitivity import print_table, survival, with_metadata

CONTEXTS = ("wildtype", "normal_tissue", "TP53_mutant", "KEAP1_loss", "BRCA_mutant", "hypoxic")


def with_csc_share(net, value: float):
    """``net`` with the untreated share of stem-like cells set to ``value``."""
    return with_metadata(net, baseline_fractions={**net.annotations.baseline_fractions, "CSC": value})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="0.01,0.05,0.1,0.2,0.5", help="CSC shares, comma-separated")
    args = parser.parse_args(argv)
    print_table("stem-like share of the untreated cells", (float(v) for v in args.values.split(",")),
                with_csc_share, CONTEXTS, lambda net, context: f"{survival(net, context)[0]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
