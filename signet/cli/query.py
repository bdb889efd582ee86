"""``signet query``: CTL temporal-logic queries on the asynchronous dynamics."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument
from .attractors import from_option, perturbation_options, perturbed_network, start_states


@click.command()
@model_argument
@click.argument("formula")
@perturbation_options
@from_option
@click.option("--examples", default=3, show_default=True, type=click.IntRange(0),
              help="Start states to show where the formula holds and where it fails.")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def query(model: str, formula: str, context: str | None, fixes: tuple[dict[str, int], ...], ko: tuple[str, ...],
          oe: tuple[str, ...], treat: bool, start: str | None, examples: int, format_: str | None,
          as_json: bool) -> None:
    """For which start states does a CTL FORMULA hold on MODEL's asynchronous dynamics?

    Atoms are node names (or aliases: the node is 1) and phenotype names (their
    expression). Operators: ! & | -> <->, true, false, EX AX EF AF EG AG, E[p U q],
    A[p U q], parentheses. Paths follow the asynchronous state transition graph, with
    a self-loop on fixed points (NuSMV's convention); biodivine-aeon's model checker
    evaluates the formula over all states symbolically. Perturbations (--context,
    --treat, --fix, --ko, --oe) are applied first; --from limits the start states
    ('baseline': the untreated cell's attractor states; nodes fixed by the
    perturbation take their value), default every state.

    \b
    Examples:
      signet query networks/atm_p53_core.bnet "AF TP53" --treat --from baseline
      signet query model.bnet "EF Death & EF Proliferation" --context wildtype --treat --from baseline
      signet query model.bnet "AG (DSB -> AF !DSB)" --ko ATM --json
    """
    from ..dynamics.query import parse_formula, query as run

    parsed = parse_formula(formula)
    network = load_model(model, format_)
    starts = start_states(network, start, "async", context)
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat)
    result = run(perturbed, parsed, start=starts, examples=examples)
    if as_json:
        echo_json(result.to_json())
        return
    where = "start states" if starts is not None else "states"
    verdict = "holds in all" if result.always else ("holds in none" if result.holds == 0 else "holds in")
    count = f"{result.total} {where}" if result.always or result.holds == 0 else \
        f"{result.holds} of {result.total} {where}"
    click.echo(f"{result.formula}: {verdict} {count} (async)")
    shown = list(network.nodes)
    both = list(result.satisfying) + list(result.failing)
    if len(both) > 1:
        shown = [n for n in shown if len({s[n] for s in both}) > 1] or shown
    for label, states in (("holds", result.satisfying), ("fails", result.failing)):
        for s in states:
            click.echo(f"  {label}: {network.format_space({n: s[n] for n in shown})}")
