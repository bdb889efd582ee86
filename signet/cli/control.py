"""``signet control``: inclusion-minimal perturbation sets that force a phenotype."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument, show_progress
from .screen import intervention_options, target_options


@click.command()
@model_argument
@click.option("--context", "-c", default=None, help="Context to work in (default: the model as it is).")
@click.option("--goal", default="Death", show_default=True,
              help="Phenotype to force: NAME (=1) or NAME=0|1.")
@click.option("--max-size", type=click.IntRange(1, 4), default=2, show_default=True,
              help="Largest perturbation set.")
@click.option("--mode", type=click.Choice(["all", "some"]), default="all", show_default=True,
              help="all: every reachable attractor has the goal; some: at least one does.")
@target_options
@json_option
def control(model: str, context: str | None, goal: str, max_size: int, mode: str, kinds: str,
            targets: str | None, druggable: bool, exclude: str | None, allow_trivial: bool,
            treatment: dict[str, int] | None, update: str, schedule: str | None, workers: int | None,
            scheduler: str | None, quiet: bool, as_json: bool) -> None:
    """Find all inclusion-minimal perturbation sets that force GOAL under treatment.

    A set is reported when, after it and the treatment, every (--mode all) or at least
    one (--mode some) attractor reachable from the untreated cell has the goal, and no
    smaller subset of it does.

    \b
    Examples:
      signet control networks/radioresistance.bnet --context TP53_mutant --goal Death --max-size 2
      signet control networks/radioresistance.bnet -c wildtype --goal Proliferation=0 --mode some --json
    """
    from ..screen import format_intervention, minimal_interventions

    network = load_model(model)
    options = intervention_options(kinds, targets, exclude, druggable, allow_trivial, treatment)
    if schedule is not None and treatment:
        from ..errors import ModelError

        raise ModelError("--treatment and --schedule both give the treatment: use one of them")
    result = minimal_interventions(
        network, goal, context=context, max_size=max_size, mode=mode, options=options, update=update or "mp",
        schedule=schedule, workers=workers, scheduler=scheduler, progress=show_progress(quiet),
    )
    if as_json:
        echo_json(result.to_json())
        return
    name, value = result.goal
    where = f" in {result.context}" if result.context else ""
    click.echo(f"goal {name}={value} in {mode} reachable attractors{where}, sets up to size {max_size} "
               f"({result.candidates} candidate{'' if result.candidates == 1 else 's'} tried)")
    if not result.solutions:
        click.echo("no intervention set reaches the goal")
    elif result.solutions == [()]:
        click.echo("the treatment alone already reaches the goal")
    for s, agents in zip(result.solutions, result.agents):
        click.echo(f"  {format_intervention(s)}" + (f"   [{'; '.join(agents)}]" if agents else ""))
