"""``signet timecourse``: the probability of each phenotype and node over time."""

from __future__ import annotations

import click

from . import echo_json, json_option, load_model, model_argument
from .attractors import from_option, perturbation_options, perturbation_values, schedule_option
from .params import SEED, WORKERS
from .simulate import parse_rates, rates_option, resolve_start, treatment_phases


@click.command()
@model_argument
@perturbation_options
@from_option
@schedule_option
@rates_option
@click.option("--step", default=1.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Time between two rows.")
@click.option("--phase-time", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Length of a phase without '@ t' (and of the whole run without --schedule).")
@click.option("--nodes", default=None, metavar="A,B",
              help="Nodes to report besides the phenotypes (default: all nodes in --out/--json, none in the table).")
@click.option("--method", type=click.Choice(["auto", "exact", "simulation"]), default="auto", show_default=True,
              help="exact: the distribution at each time (expm on the reachable states); simulation: Gillespie "
                   "trajectories sampled on the grid; auto: exact when it fits.")
@click.option("--runs", default=10_000, show_default=True, type=click.IntRange(1), help="Simulated trajectories.")
@click.option("--seed", default=0, show_default=True, type=SEED, help="Random seed.")
@click.option("--workers", "-w", default=1, show_default=True, type=WORKERS, help="Worker processes.")
@click.option("--out", "-o", "out", default=None, type=click.Path(dir_okay=False),
              help="Write the whole table as CSV (for signet plot timecourse).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def timecourse(model: str, context: str | None, fixes: tuple[dict[str, int], ...], ko: tuple[str, ...],
               oe: tuple[str, ...], treat: bool, start: str | None, schedule: str | None,
               rate_texts: tuple[str, ...], step: float, phase_time: float, nodes: str | None, method: str,
               runs: int, seed: int, workers: int, out: str | None, quiet: bool, format_: str | None,
               as_json: bool) -> None:
    """Probability of each phenotype and node of MODEL over time (MaBoSS-style trajectories).

    At each time of a grid (--step), the probability that each node is 1 and that
    each phenotype's expression holds in the current state, for the asynchronous
    chain with rates (--rate, the model's 'rates'). Each phase of --schedule lasts
    its '@ t' or --phase-time. Exact (expm on the reachable states) when it fits,
    else simulated with 95% Wilson intervals (--method). Starts from the baseline
    with --schedule/--treat, else from --from or a random state.

    \b
    Examples:
      signet timecourse networks/atm_p53_core.bnet --schedule "(RT=1 @ 2 ; RT=0 @ 10) x 3" --step 0.5
      signet timecourse model.bnet --schedule "RT=1 @ 5 ; RT=0 @ 45" -o course.csv
      signet plot timecourse course.csv -o course.png
    """
    from ..dynamics.timecourse import timecourse as compute
    from ..io._files import atomic_write_text

    from .output import progress_bar, text_table

    network = load_model(model, format_)
    phases = treatment_phases(network, schedule, treat)
    starts = resolve_start(network, start, phases, context)
    wanted = None
    if nodes:
        wanted = [network.resolve(n.strip()) for n in nodes.split(",") if n.strip()]
    with progress_bar(not quiet and not as_json and method != "exact", "timecourse", "traj") as progress:
        result = compute(network, schedule=phases, context=context,
                         perturbation=perturbation_values(network, fixes, ko, oe), start=starts,
                         rates=parse_rates(network, rate_texts), step=step, phase_time=phase_time, nodes=wanted,
                         method=method, runs=runs, seed=seed, workers=workers, progress=progress)
    if out:
        atomic_write_text(out, result.to_csv())
    from .simulate import start_line, weighted_population

    population = weighted_population(network, starts)
    if as_json:
        echo_json({**result.to_json(), **({"baseline_fractions": population} if population else {})})
        return
    head = "exact" if result.method == "exact" else f"{result.runs} simulated trajectories (seed {result.seed})"
    click.echo(f"time course, {head}; phases: " + "; ".join(f"{p or 'model'} [{a:g}, {b:g}]"
                                                           for p, a, b in result.phases))
    if population:
        click.echo(start_line(population))
    if result.note:
        click.echo(f"note: {result.note}")
    shown = list(result.phenotypes) + (wanted or ([] if result.phenotypes else list(result.nodes)[:8]))
    series = {**result.phenotypes, **result.nodes}
    header = ["time", "phase"] + shown
    rows = [[f"{row[0]:g}", str(row[1])] + [f"{series[n][k]:.3f}" for n in shown]
            for k, row in enumerate(result.rows())]
    click.echo("\n".join(text_table(header, rows, right=True)))
    if out:
        click.echo(f"wrote {out}")
