"""``signet basins``: basins of attraction of a small model (sync or async)."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument
from .attractors import perturbation_options, perturbed_network


@click.command()
@model_argument
@click.option("--update", "-u", type=click.Choice(["async", "sync"]), default="async", show_default=True,
              help="Update scheme.")
@perturbation_options
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def basins(model, update, context, fixes, ko, oe, treat, format_, as_json):
    """Basin of every attractor of MODEL over all its states (small models).

    The states are every assignment of the nodes whose rule is not constant
    (perturbations and fixed inputs take their value at time 0). sync: the states
    whose trajectory ends in each attractor (BoolNet's basin size). async: the weak
    basin (states from which the attractor is reachable), the strong basin (states
    from which it is the only reachable one) and the probability of ending in it
    from a uniformly random state (the asynchronous chain with the model's rates).
    Up to 22 (sync) or 20 (async) non-constant nodes.

    \b
    Examples:
      signet basins networks/atm_p53_core.bnet --update sync
      signet basins model.bnet --ko MDM2 --json
    """
    from ..dynamics.basins import basins as compute

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat)
    result = compute(perturbed, update)
    data = result.to_json(phenotypes)
    if as_json:
        echo_json(data)
        return
    n = len(result.attractors)
    click.echo(f"{n} attractor{'s' if n != 1 else ''} ({update}) over {result.total} states")
    nodes = list(network.nodes)
    atts = data["attractors"]
    varying = [v for v in nodes if len({str(a["space"][v]) for a in atts}) > 1] if n > 1 else nodes
    varying = [v for v in varying if v not in phenotypes]
    if update == "sync":
        header = ["#", "kind", "states", "basin", "share"]
    else:
        header = ["#", "kind", "states", "strong basin", "weak basin", "probability"]
    header += ["phenotypes"] + varying
    rows = []
    for i, a in enumerate(atts, start=1):
        ph = ",".join(a["phenotypes"] + [p + "*" for p in a["phenotypes_oscillating"]]) or "-"
        if update == "sync":
            numbers = [str(a["basin"]), f"{a['probability']:.4f}"]
        else:
            numbers = [str(a["strong_basin"]), str(a["weak_basin"]), f"{a['probability']:.4f}"]
        rows.append([str(i), a["kind"], str(a["states"])] + numbers + [ph] + [str(a["space"][v]) for v in varying])
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(header)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
