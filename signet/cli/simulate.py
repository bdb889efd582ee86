"""``signet simulate``: fate probabilities from asynchronous random walks."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument
from .attractors import chosen_schedule, from_option, perturbation_options, perturbed_network, schedule_option, start_states


@click.command()
@model_argument
@perturbation_options
@from_option
@schedule_option
@click.option("--runs", default=1000, show_default=True, type=click.IntRange(1), help="Number of random walks.")
@click.option("--steps", default=1000, show_default=True, type=click.IntRange(0), help="Steps per walk.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (results are reproducible).")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def simulate(model, context, fixes, ko, oe, treat, start, schedule, runs, steps, seed, format_, as_json):
    """Estimate fate probabilities of MODEL by asynchronous random walks.

    Each walk takes one enabled asynchronous transition per step, chosen uniformly.
    Walks start from --from (a partial state: unlisted nodes are drawn at random;
    'baseline': a state of the untreated cell's attractors). After --steps steps,
    each walk is assigned to the exact attractor it is in (or counted unsettled).
    With --schedule the walks go through its phases, --steps steps per phase
    ('PHASE @ N': N steps), from the baseline unless --from is given.

    \b
    Examples:
      signet simulate networks/atm_p53_core.bnet --treat --from baseline --runs 5000 --seed 1
      signet simulate model.bnet --from "ATM=1" --ko MDM2 --json
      signet simulate networks/atm_p53_core.bnet --schedule "(RT=1 ; RT=0) x 5" --runs 2000
    """
    from ..dynamics.simulate import simulate as run

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    schedule = chosen_schedule(network, schedule, treat)
    if schedule is not None and start is None:
        start = "baseline"
    starts = start_states(network, start, "async", context)
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat and schedule is None)
    result = run(perturbed, start=starts, runs=runs, steps=steps, seed=seed, phenotypes=phenotypes,
                 schedule=schedule)
    data = result.to_json(phenotypes)
    if as_json:
        echo_json(data)
        return
    per = f"{steps} steps per phase of {schedule}" if schedule is not None else f"{steps} steps"
    click.echo(f"{runs} asynchronous runs of {per} (seed {seed})")
    nodes = list(network.nodes)
    atts = data["attractors"]
    varying = [n for n in nodes if len({str(a["space"][n]) for a in atts}) > 1] if len(atts) > 1 else nodes
    header = ["#", "probability", "kind", "states", "phenotypes"] + varying
    rows = []
    for i, a in enumerate(atts, start=1):
        ph = ",".join(a["phenotypes"] + [p + "*" for p in a["phenotypes_oscillating"]]) or "-"
        rows.append([str(i), f"{a['probability']:.3f}", a["kind"], str(a["states"]), ph] + [str(a["space"][n]) for n in varying])
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(header)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(f"unsettled  {data['unsettled']:.3f}")
    if phenotypes:
        click.echo("phenotype shares at the end: " + ", ".join(f"{p} {v:.3f}" for p, v in data["phenotypes"].items()))
