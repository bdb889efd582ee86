"""``signet basins``: basins of attraction of a small model (sync or async)."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument, phenotype_label
from .attractors import perturbation_options, perturbed_network


@click.command()
@model_argument
@click.option("--update", "-u", type=click.Choice(["async", "sync"]), default="async", show_default=True,
              help="Update scheme.")
@perturbation_options
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def basins(model: str, update: str, context: str | None, fixes: tuple[dict[str, int], ...], ko: tuple[str, ...],
           oe: tuple[str, ...], treat: bool, format_: str | None, as_json: bool) -> None:
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
    from .output import text_table, varying_nodes

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
    atts = data["attractors"]
    varying = varying_nodes(list(network.nodes), [a["space"] for a in atts], phenotypes)
    if update == "sync":
        header = ["#", "kind", "states", "basin", "share"]
    else:
        header = ["#", "kind", "states", "strong basin", "weak basin", "probability"]
    header += ["phenotypes"] + varying
    rows = []
    for i, a in enumerate(atts, start=1):
        ph = phenotype_label(a["phenotypes"])
        if update == "sync":
            numbers = [str(a["basin"]), f"{a['probability']:.4f}"]
        else:
            numbers = [str(a["strong_basin"]), str(a["weak_basin"]), f"{a['probability']:.4f}"]
        rows.append([str(i), a["kind"], str(a["states"])] + numbers + [ph] + [str(a["space"][v]) for v in varying])
    click.echo("\n".join(text_table(header, rows)))
