"""``signet attractors``: the cell fates of a model, under a chosen update scheme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import click

from . import F, echo_json, json_option, load_model, model_argument
from .params import ASSIGNMENT

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.results import AttractorResult
    from ..dynamics.schedule import ScheduleResult
    from ..model import BooleanNetwork

UPDATE_CHOICE = click.Choice(["mp", "async", "sync"])


def perturbation_options(func: F) -> F:
    """``--context``, ``--fix``, ``--ko``, ``--oe``, ``--treat`` (shared by attractors and simulate)."""
    func = click.option("--treat", is_flag=True,
                        help="Fix the model's treatment inputs (metadata 'treatment', e.g. RT=1).")(func)
    func = click.option("--oe", multiple=True, metavar="NODE",
                        help="Over-express NODE (fix it to 1). Repeatable.")(func)
    func = click.option("--ko", multiple=True, metavar="NODE", help="Knock NODE out (fix it to 0). Repeatable.")(func)
    func = click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", type=ASSIGNMENT,
                        help="Fix NODE to a value; 'A=1,B=0' fixes several. Repeatable.")(func)
    func = click.option("--context", "-c", default=None, metavar="NAME",
                        help="Apply a context stored with the model.")(func)
    return func


def from_option(func: F) -> F:
    return click.option(
        "--from", "start", default=None, metavar="baseline|STATE",
        help="Only the attractors reachable from a start: 'baseline' (the attractors of the same context with "
             "the model's baseline inputs fixed) or a partial state 'A=1,B=0' (unlisted nodes take all values).",
    )(func)


def schedule_option(func: F) -> F:
    """``--schedule``: a treatment schedule of input phases."""
    return click.option(
        "--schedule", "-s", "schedule", default=None, metavar="PHASES",
        help="A treatment schedule, e.g. 'RT=1 ; RT=0' (a pulse) or '(RT=1 ; RT=0) x 5' (five fractions): "
             "each phase fixes the nodes it names and runs until its attractors are reached ('PHASE @ N': "
             "N steps); the next phase starts from every state reached. Starts from the baseline unless "
             "--from is given. With --treat, the model's own schedule.",
    )(func)


def chosen_schedule(network: BooleanNetwork, schedule: str | None, treat: bool) -> str | None:
    """The schedule text to run: ``--schedule``, or the model's schedule for ``--treat``; else ``None``."""
    from ..errors import ModelError

    if schedule is not None and treat:
        raise ModelError("--schedule and --treat both give the treatment: use one of them")
    if schedule is None and treat and network.annotations.schedule:
        return network.annotations.schedule
    return schedule


def perturbation_values(network: BooleanNetwork, fixes: Sequence[Mapping[str, int]], ko: Sequence[str],
                        oe: Sequence[str]) -> dict[str, int]:
    """``--fix``, ``--ko``, ``--oe`` as one assignment (later wins)."""
    values: dict[str, int] = {}
    for mapping in fixes:
        values.update(_option(network.resolve_assignment, "--fix", mapping))
    values.update({_option(network.resolve, "--ko", n): 0 for n in ko})
    values.update({_option(network.resolve, "--oe", n): 1 for n in oe})
    return values


def render_schedule(network: BooleanNetwork, result: ScheduleResult, phenotypes: Mapping[str, str]) -> str:
    """One line per phase: the phase, how many attractors it reached, the phenotype shares."""
    lines = []
    width = max(len(str(p.phase)) for p in result.phases)
    for k, outcome in enumerate(result.phases, start=1):
        n = len(outcome.attractors.attractors)
        shares = outcome.attractors.shares(phenotypes) if phenotypes else {}
        text = f"phase {k:<3} {str(outcome.phase):<{width}}  {n} attractor{'s' if n != 1 else ' '}"
        if shares:
            text += "  " + ", ".join(f"{p} {v:.2f}" for p, v in shares.items())
        lines.append(text.rstrip())
    return "\n".join(lines)


def perturbed_network(network: BooleanNetwork, context: str | None, fixes: Sequence[Mapping[str, int]],
                      ko: Sequence[str], oe: Sequence[str], treat: bool) -> BooleanNetwork:
    """Apply ``--context``, ``--treat``, ``--fix``, ``--ko``, ``--oe`` (in that order; later wins)."""
    from ..errors import ModelError

    values: dict[str, int] = {}
    if treat:
        if not network.annotations.treatment:
            raise ModelError("--treat: the model's metadata declares no treatment inputs")
        values.update(network.resolve_assignment(network.annotations.treatment))
    for mapping in fixes:
        values.update(_option(network.resolve_assignment, "--fix", mapping))
    return network.perturb(
        context=context,
        fix=values,
        ko=[_option(network.resolve, "--ko", n) for n in ko],
        oe=[_option(network.resolve, "--oe", n) for n in oe],
    )


def _option(resolve: Callable[[Any], Any], option: str, value: Any) -> Any:
    """``resolve(value)``; a model error names the option and the value."""
    from ..errors import ModelError

    try:
        return resolve(value)
    except ModelError as exc:
        shown = ",".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        raise ModelError(f"{option} {shown}: {exc}") from None


def start_states(network: BooleanNetwork, start: str | None, update: str,
                 context: str | None) -> list[dict[str, int]] | None:
    """Resolve ``--from``: ``None``, the baseline states, or one partial state."""
    if start is None:
        return None
    if start.strip().lower() == "baseline":
        from ..dynamics import baseline_starts
        from ..errors import ModelError

        if not network.annotations.baseline:
            raise ModelError("--from baseline: the model's metadata declares no baseline inputs")
        return baseline_starts(network, update, context=context)
    from ..model import parse_assignment

    return [network.resolve_assignment(parse_assignment(start))]


def render_table(network: BooleanNetwork, result: AttractorResult, phenotypes: Mapping[str, str]) -> str:
    """A text table: one row per attractor; the nodes that differ between attractors, and phenotypes."""
    from .output import text_table, varying_nodes

    rows = result.attractors
    if not rows:
        return "no attractor"
    nodes = list(network.nodes)
    # a node named like a phenotype (``Death``) is already shown in the phenotype columns
    varying = varying_nodes(nodes, [a.space for a in rows], phenotypes)
    same = [n for n in nodes if len({str(a.space[n]) for a in rows}) == 1] if len(rows) > 1 else []
    values = result.phenotype_values(phenotypes) if phenotypes else [{} for _ in rows]
    header = ["#", "kind", "states"] + list(phenotypes) + varying
    table = [[str(i), a.kind, str(a.states)] + [str(pv[p]) for p in phenotypes] + [str(a.space[n]) for n in varying]
             for i, (a, pv) in enumerate(zip(rows, values), start=1)]
    lines = text_table(header, table)
    if same:
        lines.append("")
        lines.append("same in all: " + network.format_space({n: rows[0].space[n] for n in same}))
    if phenotypes:
        shares = result.shares(phenotypes)
        lines.append("phenotype shares: " + ", ".join(f"{p} {v:.2f}" for p, v in shares.items()))
        lines.append("(1: in the whole attractor; 0: never; *: only in part of it)")
    return "\n".join(lines)


@click.command()
@model_argument
@click.option("--update", "-u", type=UPDATE_CHOICE, default="mp", show_default=True,
              help="Update scheme: mp (most permissive: minimal trap spaces), async (fully asynchronous), sync.")
@perturbation_options
@from_option
@schedule_option
@click.option("--engine", type=click.Choice(["auto", "explicit", "aeon", "asp"]), default="auto", show_default=True,
              help="Analysis engine (auto picks an exact, fast one).")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def attractors(model: str, update: str, context: str | None, fixes: tuple[dict[str, int], ...],
               ko: tuple[str, ...], oe: tuple[str, ...], treat: bool, start: str | None, schedule: str | None,
               engine: str, format_: str | None, as_json: bool) -> None:
    """List the attractors (cell fates) of MODEL, exactly.

    Perturbations (--context, --treat, --fix, --ko, --oe) are applied first and
    constants percolated, so a perturbed network is analysed at its reduced size.
    Each attractor is labelled with the model's phenotypes: 1 if the phenotype
    holds in the whole attractor, * if it holds in part of it only.

    \b
    Examples:
      signet attractors networks/atm_p53_core.bnet --update async
      signet attractors networks/atm_p53_core.bnet --treat --ko MDM2 --from baseline --json
      signet attractors model.bnet --from "ATM=1,TP53=0" --update sync
      signet attractors networks/atm_p53_core.bnet --schedule "(RT=1 ; RT=0) x 5" --update async
    """
    from ..dynamics import attractors as compute
    from ..phenotypes import parse_phenotypes

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    parse_phenotypes(phenotypes, network.nodes)
    schedule = chosen_schedule(network, schedule, treat)
    starts = start_states(network, start, update, context)
    if schedule is not None:
        from ..dynamics.schedule import run_schedule

        run = run_schedule(network, schedule, update, context=context,
                           perturbation=perturbation_values(network, fixes, ko, oe), start=starts, engine=engine)
        if as_json:
            echo_json(run.to_json(phenotypes))
            return
        origin = "baseline" if starts is None or (start or "").strip().lower() == "baseline" else "--from"
        click.echo(f"schedule {run.schedule} ({update}; {len(run.phases)} phases from {run.starts} "
                   f"{origin} start{'s' if run.starts != 1 else ''})")
        click.echo(render_schedule(network, run, phenotypes))
        n = len(run.attractors)
        click.echo(f"\nat the end: {n} attractor{'s' if n != 1 else ''} (engine {run.final.engine})")
        click.echo(render_table(network, run.final, phenotypes))
        return
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat)
    result = compute(perturbed, update, start=starts, engine=engine)
    if as_json:
        echo_json(result.to_json(phenotypes))
        return
    n = len(result.attractors)
    note = "" if result.exact else f"  APPROXIMATE: {result.note}"
    click.echo(f"{n} attractor{'s' if n != 1 else ''} ({update}, engine {result.engine}){note}")
    click.echo(render_table(network, result, phenotypes))
