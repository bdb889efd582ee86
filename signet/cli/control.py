"""``signet control``: inclusion-minimal perturbation sets that force a phenotype."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from . import echo_json, json_option, load_model, model_argument, show_progress
from .screen import intervention_options, target_options

if TYPE_CHECKING:  # pragma: no cover
    from ..screen import ControlResult


@click.command()
@model_argument
@click.option("--context", "-c", default=None, help="Context to work in (default: the model as it is).")
@click.option("--goal", default="Death", show_default=True,
              help="Phenotype to force: NAME (=1) or NAME=0|1.")
@click.option("--max-size", type=click.IntRange(1, 4), default=2, show_default=True,
              help="Largest perturbation set.")
@click.option("--mode", type=click.Choice(["all", "some"]), default=None,
              help="all: every reachable attractor has the goal (default; = --metric inevitable); "
                   "some: at least one does (= --metric possible).")
@click.option("--metric", type=click.Choice(["share", "probability", "inevitable", "possible"]), default=None,
              help="How the goal is judged, as in screen: share of reachable attractors with the goal, "
                   "fate probability of the asynchronous chain, inevitable (all), possible (some); a set "
                   "reaches the goal when this value is at least --threshold.")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Smallest value of the goal that counts (share, probability; default 1).")
@target_options
@json_option
def control(model: str, context: str | None, goal: str, max_size: int, mode: str | None, metric: str | None,
            threshold: float | None, kinds: str,
            targets: str | None, druggable: bool, exclude: str | None, allow_trivial: bool,
            treatment: dict[str, int] | None, update: str, schedule: str | None, workers: int | None,
            scheduler: str | None, quiet: bool, as_json: bool) -> None:
    """Find all inclusion-minimal perturbation sets that force GOAL under treatment.

    A set is reported when, after it and the treatment, every (--mode all, --metric
    inevitable) or at least one (--mode some, --metric possible) attractor reachable from
    the untreated cell has the goal, and no smaller subset of it does.  With --metric
    share or probability, a set reaches the goal when the share of reachable attractors
    with it, or the probability that the asynchronous chain ends in it, is at least
    --threshold; each set is shown with its value.

    \b
    Examples:
      signet control networks/radioresistance.bnet --context TP53_mutant --goal Death --max-size 2
      signet control networks/radioresistance.bnet -c wildtype --goal Proliferation=0 --mode some --json
      signet control networks/radioresistance.bnet -c TP53_mutant --goal ClonogenicSurvival=0 \
          --metric share --threshold 0.9 --druggable
    """
    from ..screen import minimal_interventions

    network = load_model(model)
    options = intervention_options(kinds, targets, exclude, druggable, allow_trivial, treatment)
    if schedule is not None and treatment:
        from ..errors import ModelError

        raise ModelError("--treatment and --schedule both give the treatment: use one of them")
    result = minimal_interventions(
        network, goal, context=context, max_size=max_size, mode=mode, metric=metric, threshold=threshold,
        options=options, update=update,
        schedule=schedule, workers=workers, scheduler=scheduler, progress=show_progress(quiet),
    )
    if as_json:
        echo_json(result.to_json())
        return
    _echo_solutions(result)


def _echo_solutions(result: ControlResult) -> None:
    """The text output of ``control``: what was asked, then each minimal set (with its value when graded)."""
    from ..screen import format_intervention

    name, value = result.goal
    where = f" in {result.context}" if result.context else ""
    judged = (f"in {result.mode} reachable attractors" if result.mode
              else f"with {result.metric} >= {result.threshold:g}")
    click.echo(f"goal {name}={value} {judged}{where}, sets up to size {result.max_size} "
               f"({result.candidates} candidate{'' if result.candidates == 1 else 's'} tried)")
    if not result.solutions:
        click.echo("no intervention set reaches the goal")
    elif result.solutions == [()]:
        click.echo("the treatment alone already reaches the goal")
    graded = not result.mode
    for s, agents, found in zip(result.solutions, result.agents, result.values):
        shown = ""
        if graded:
            shown = f"  {result.metric} {found[0]:.2f}" + (f" [{found[1]:.2f}, {found[2]:.2f}]" if not found[3] else "")
        click.echo(f"  {format_intervention(s)}{shown}" + (f"   [{'; '.join(agents)}]" if agents else ""))
