"""``signet attractors``: the cell fates of a model, under a chosen update scheme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import click

from . import F, busy, echo_json, json_option, load_model, model_argument, quiet_option, show_progress
from .params import ASSIGNMENT

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.results import AttractorResult
    from ..dynamics.schedule import ScheduleResult
    from ..model import BooleanNetwork

UPDATE_CHOICE = click.Choice(["mp", "async", "sync"])
#: Text output shows at most this many attractors unless --limit says otherwise.
DISPLAY_ROWS = 100


def perturbation_options(func: F) -> F:
    """``--context``, ``--fix``, ``--ko``, ``--oe``, ``--treat`` (shared by attractors and simulate)."""
    func = click.option("--treat", is_flag=True,
                        help="Fix the model's treatment inputs (metadata 'treatment', e.g. RT=1).")(func)
    func = click.option("--oe", multiple=True, metavar="NODE",
                        help="Over-express NODE (fix it to 1; a multi-valued node to its highest level). "
                             "Repeatable.")(func)
    func = click.option("--ko", multiple=True, metavar="NODE",
                        help="Knock NODE out (fix it to 0; a multi-valued node to level 0). Repeatable.")(func)
    func = click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", type=ASSIGNMENT,
                        help="Fix NODE to a value; 'A=1,B=0' fixes several; a multi-valued node at a level: "
                             "'X%2'. Repeatable.")(func)
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
    from ..levels import check_whole_levels, level_values, top_level

    values: dict[str, int] = {}
    for mapping in fixes:
        values.update(_option(network.resolve_assignment, "--fix", mapping))
    for n in ko:  # a multi-valued node: its level 0 (signet.levels)
        values.update(_option(lambda name: level_values(network, name, 0), "--ko", n))
    for n in oe:  # a multi-valued node: its highest level
        values.update(_option(lambda name: level_values(network, name, top_level(network, name)), "--oe", n))
    _option(check_whole_levels, "--fix/--ko/--oe", network, values)
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
    """Apply ``--context``, ``--treat``, ``--fix``, ``--ko``, ``--oe`` (in that order; later wins).

    A multi-valued node is knocked out at level 0, over-expressed at its highest level and
    fixed at any level with ``--fix X%k``; one level bit alone is refused (:mod:`signet.levels`).
    """
    from functools import partial

    from ..errors import ModelError
    from ..levels import resolve_name

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
        ko=[_option(partial(resolve_name, network), "--ko", n) for n in ko],
        oe=[_option(partial(resolve_name, network), "--oe", n) for n in oe],
    )


def _option(resolve: Callable[..., Any], option: str, value: Any, *more: Any) -> Any:
    """``resolve(value, *more)``; a model error names the option (and the value, unless more)."""
    from ..errors import ModelError

    try:
        return resolve(value, *more)
    except ModelError as exc:
        if more:
            raise ModelError(f"{option}: {exc}") from None
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


def render_table(network: BooleanNetwork, result: AttractorResult, phenotypes: Mapping[str, str],
                 shares: Mapping[str, float] | None = None) -> str:
    """A text table: one row per attractor; the nodes that differ between attractors, and phenotypes
    (``shares``: the phenotype shares to print, default those of the rows)."""
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
        shares = result.shares(phenotypes) if shares is None else shares
        lines.append("phenotype shares: " + ", ".join(f"{p} {v:.2f}" for p, v in shares.items()))
        lines.append("(1: in the whole attractor; 0: never; *: only in part of it)")
    return "\n".join(lines)


#: free inputs from which listing every attractor gets a warning before the work starts
MANY_INPUTS = 20


def _warn_many_inputs(network: Any) -> None:
    """Say before the work when the answer may be too large to list: ``k`` free inputs
    give at least ``2**k`` attractors (each input valuation has one or more)."""
    from ..dynamics import free_inputs

    inputs = free_inputs(network)
    if len(inputs) >= MANY_INPUTS:
        click.echo(f"warning: {len(inputs)} free inputs: at least 2**{len(inputs)} attractors to list; use --count "
                   "(exact, without listing), --limit N, --json-lines (streamed) or --fix inputs, and "
                   "'signet --timeout SECONDS' to bound the run", err=True)


@click.command()
@model_argument
@click.option("--update", "-u", type=UPDATE_CHOICE, default="mp", show_default=True,
              help="Update scheme: mp (most permissive: minimal trap spaces), async (fully asynchronous), sync.")
@perturbation_options
@from_option
@schedule_option
@click.option("--engine", type=click.Choice(["auto", "explicit", "aeon", "asp", "succession"]), default="auto",
              show_default=True, help="Analysis engine (auto picks an exact, fast one by estimated cost).")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@click.option("--count", "count_only", is_flag=True,
              help="Print only the exact number of attractors (counted by decomposition, without listing them).")
@click.option("--fixed-points", "fixed_only", is_flag=True,
              help="Only the fixed points (steady states: the same under every update scheme, so --update does "
                   "not apply). With --count, their exact number, counted symbolically without listing them.")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Stop after N attractors (0: no limit). Without it, text output shows at most "
                   f"{DISPLAY_ROWS} rows and says how many there are.")
@click.option("--json-lines", "json_lines", is_flag=True,
              help="Stream one JSON object per attractor as it is found (with its input values), then a "
                   "summary line; the first attractors appear before the others are computed.")
@click.option("--by-inputs", "by_inputs", is_flag=True,
              help="Group the attractors by the values of the free inputs (text: a table per input valuation).")
@quiet_option
@json_option
def attractors(model: str, update: str, context: str | None, fixes: tuple[dict[str, int], ...],
               ko: tuple[str, ...], oe: tuple[str, ...], treat: bool, start: str | None, schedule: str | None,
               engine: str, format_: str | None, count_only: bool, fixed_only: bool, limit: int | None,
               json_lines: bool, by_inputs: bool, quiet: bool, as_json: bool) -> None:
    """List the attractors (cell fates) of MODEL, exactly.

    Perturbations (--context, --treat, --fix, --ko, --oe) are applied first and
    constants percolated, so a perturbed network is analysed at its reduced size.
    Each attractor is labelled with the model's phenotypes: 1 if the phenotype
    holds in the whole attractor, * if it holds in part of it only.

    A model with k free inputs has at least 2**k attractors (an input never
    changes): --count counts them without listing, --by-inputs groups them by
    input valuation, --json-lines streams them as found, --limit stops early.
    --fixed-points asks for the fixed points only (with --count: how many).
    Long runs show progress on stderr.

    \b
    Examples:
      signet attractors networks/atm_p53_core.bnet --update async
      signet attractors networks/atm_p53_core.bnet --treat --ko MDM2 --from baseline --json
      signet attractors model.bnet --from "ATM=1,TP53=0" --update sync
      signet attractors networks/atm_p53_core.bnet --schedule "(RT=1 ; RT=0) x 5" --update async
      signet attractors big.bnet --update async --count
      signet attractors big.bnet --update async --json-lines --limit 10
      signet attractors big.bnet --fixed-points --count
    """
    from ..dynamics import attractors as compute
    from ..phenotypes import parse_phenotypes

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    parse_phenotypes(phenotypes, network.nodes)
    schedule = chosen_schedule(network, schedule, treat)
    if fixed_only:
        _fixed_points_only(network, context, fixes, ko, oe, treat, start, schedule, engine, phenotypes,
                           count_only=count_only, limit=limit, json_lines=json_lines, by_inputs=by_inputs,
                           as_json=as_json)
        return
    streamed = count_only or json_lines or by_inputs or limit is not None
    if schedule is not None and streamed:
        raise click.ClickException("--count, --limit, --json-lines and --by-inputs list the attractors of one "
                                   "analysis; a schedule (--schedule, or --treat with the model's schedule) runs "
                                   "several (use --json for its phases)")
    starts = start_states(network, start, update, context)
    if schedule is not None:
        from ..dynamics.schedule import run_schedule

        with busy(f"attractors ({update}, schedule)", show_progress(quiet)):
            run = run_schedule(network, schedule, update, context=context,
                               perturbation=perturbation_values(network, fixes, ko, oe), start=starts,
                               engine=engine)
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
    if streamed:
        from .attractors_stream import stream_output

        stream_output(network, perturbed, update, starts, engine, phenotypes,
                      count_only=count_only, limit=limit, json_lines=json_lines, by_inputs=by_inputs,
                      as_json=as_json)
        return
    if starts is None:
        _warn_many_inputs(perturbed)
    with busy(f"attractors ({update})", show_progress(quiet)):
        result = compute(perturbed, update, start=starts, engine=engine)
    if as_json:
        echo_json(result.to_json(phenotypes))
        return
    n = len(result.attractors)
    note = "" if result.exact else f"  APPROXIMATE: {result.note}"
    click.echo(f"{n} attractor{'s' if n != 1 else ''} ({update}, engine {result.engine}){note}")
    if n > DISPLAY_ROWS:
        from dataclasses import replace

        shares = result.shares(phenotypes)
        result = replace(result, attractors=result.attractors[:DISPLAY_ROWS])
        click.echo(render_table(network, result, phenotypes, shares))
        click.echo(f"... {n - DISPLAY_ROWS} more not shown: --limit 0 shows all, --json lists all, "
                   "--by-inputs groups them by input valuation")
        return
    click.echo(render_table(network, result, phenotypes))


def _fixed_points_only(network: BooleanNetwork, context: str | None, fixes: Sequence[Mapping[str, int]],
                       ko: Sequence[str], oe: Sequence[str], treat: bool, start: str | None, schedule: str | None,
                       engine: str, phenotypes: Mapping[str, str], *, count_only: bool, limit: int | None,
                       json_lines: bool, by_inputs: bool, as_json: bool) -> None:
    """``--fixed-points``: the fixed points of the perturbed network, found (or counted) by
    decomposition; text output shows the first ``DISPLAY_ROWS`` unless ``--limit`` says otherwise."""
    from .attractors_stream import stream_output

    if start is not None or schedule is not None:
        raise click.ClickException("--fixed-points gives the fixed points of the whole state space: "
                                   "not with --from, --schedule or a model schedule (--treat)")
    if engine != "auto":
        raise click.ClickException("--fixed-points: fixed points are found by decomposition and answer-set "
                                   "programs (counted with BDDs); --engine does not apply")
    perturbed = perturbed_network(network, context, fixes, ko, oe, treat)
    if limit is None and not (count_only or as_json or json_lines):
        limit = DISPLAY_ROWS
    stream_output(network, perturbed, "fixed", None, engine, phenotypes, count_only=count_only, limit=limit,
                  json_lines=json_lines, by_inputs=by_inputs, as_json=as_json)
