"""``signet simulate`` and ``signet probabilities``: fate probabilities of the asynchronous chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import click

from . import F, echo_json, json_option, load_model, model_argument, phenotype_label
from .attractors import chosen_schedule, from_option, perturbation_options, perturbation_values, schedule_option
from .params import SEED, WORKERS

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.probabilities import FateProbabilities, ScheduleLike
    from ..model import BooleanNetwork
    from ..rates import Rate


def rates_option(func: F) -> F:
    """``--rate NODE=UP[,DOWN]``: flip rates on top of the model's ``rates``."""
    return click.option(
        "--rate", "rate_texts", multiple=True, metavar="NODE=UP[:DOWN]",
        help="Flip rate of NODE (0->1, and 1->0 after ':'; one number: both), over the model's 'rates'. "
             "Repeatable. Default rate 1.",
    )(func)


def parse_rates(network: BooleanNetwork, texts: tuple[str, ...]) -> dict[str, tuple["Rate", "Rate"]]:
    """The model's rates (numbers, or rates that depend on the state) updated with ``--rate`` options (numbers)."""
    import math

    from ..errors import ModelError

    rates = dict(network.annotations.rates)
    for text in texts:
        name, eq, value = text.partition("=")
        parts = value.split(":")
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if not eq or not name.strip() or len(numbers) not in (1, 2) or \
                not all(math.isfinite(x) and x > 0 for x in numbers):
            raise ModelError(f"--rate {text!r}: expected NODE=UP or NODE=UP:DOWN with positive numbers")
        up = numbers[0]
        down = numbers[1] if len(numbers) == 2 else numbers[0]
        rates[network.resolve(name.strip())] = (up, down)
    return rates


def simulation_options(func: F) -> F:
    func = click.option("--workers", "-w", default=1, show_default=True, type=WORKERS,
                        help="Worker processes for the simulation (results do not depend on it).")(func)
    func = click.option("--max-time", default=1000.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
                        help="Simulation: the longest a trajectory runs in a phase that lasts until settled.")(func)
    func = click.option("--seed", default=0, show_default=True, type=SEED,
                        help="Random seed (results are reproducible).")(func)
    func = click.option("--runs", default=10_000, show_default=True, type=click.IntRange(1),
                        help="Simulated trajectories.")(func)
    return func


def treatment_phases(network: BooleanNetwork, schedule: str | None, treat: bool) -> ScheduleLike | None:
    """``--schedule``; with ``--treat``, the model's schedule or else its treatment inputs as one phase."""
    phases: ScheduleLike | None = chosen_schedule(network, schedule, treat)
    if treat and phases is None:
        phases = dict(network.annotations.treatment)
        if not phases:
            from ..errors import ModelError

            raise ModelError("--treat: the model's metadata declares no treatment inputs")
    return phases


def resolve_start(network: BooleanNetwork, start: str | None, schedule: ScheduleLike | None,
                  context: str | None) -> list[dict[str, int]] | None:
    """``--from``: the baseline (default with a schedule or --treat), a partial state, or a random state."""
    from ..model import parse_assignment

    if start is None:
        return None if schedule is not None else [{}]
    if start.strip().lower() == "baseline":
        from ..errors import ModelError

        if not network.annotations.baseline and context is None:
            raise ModelError("--from baseline: the model's metadata declares no baseline inputs")
        return None
    return [network.resolve_assignment(parse_assignment(start))]


def run_probabilities(model: str, context: str | None, fixes: tuple[dict[str, int], ...], ko: tuple[str, ...],
                      oe: tuple[str, ...], treat: bool, start: str | None, schedule: str | None,
                      rate_texts: tuple[str, ...], method: str, runs: int, seed: int, max_time: float, workers: int,
                      quiet: bool, format_: str | None, as_json: bool) -> None:
    from ..dynamics.probabilities import fate_probabilities

    from .output import progress_bar

    network = load_model(model, format_)
    phenotypes = dict(network.annotations.phenotypes)
    phases = treatment_phases(network, schedule, treat)
    starts = resolve_start(network, start, phases, context)
    rates = parse_rates(network, rate_texts)
    with progress_bar(not quiet and not as_json and method != "exact", "simulate", "traj") as progress:
        result = fate_probabilities(network, schedule=phases, context=context,
                                    perturbation=perturbation_values(network, fixes, ko, oe), start=starts,
                                    rates=rates, method=method, runs=runs, seed=seed, workers=workers,
                                    max_time=max_time, progress=progress)
    data = result.to_json(phenotypes)
    population = weighted_population(network, starts)
    if population:
        data["baseline_fractions"] = population
    if as_json:
        echo_json(data)
        return
    click.echo(render(network, result, data, phenotypes))


def _interval(item: tuple[float, float]) -> str:
    lo, hi = item
    return f"[{lo:.3f}, {hi:.3f}]"


def weighted_population(network: BooleanNetwork, starts: Any) -> dict[str, float]:
    """How the start is weighted: the metadata's ``baseline_fractions`` when the run starts from
    the untreated attractors (``starts`` None), else nothing (a start of the user's own)."""
    return dict(network.annotations.baseline_fractions) if starts is None else {}


def start_line(fractions: Mapping[str, float]) -> str:
    """The line that says how the untreated attractors are weighted (metadata ``baseline_fractions``).

    Examples
    --------
    >>> start_line({"CSC": 0.05})
    'start: the untreated attractors, CSC=1 in 5% of the cells (metadata baseline_fractions)'
    """
    return ("start: the untreated attractors, " + ", ".join(f"{node}=1 in {fraction:.0%} of the cells"
                                                           for node, fraction in fractions.items())
            + " (metadata baseline_fractions)")


def render(network: BooleanNetwork, result: FateProbabilities, data: Mapping[str, Any],
           phenotypes: Mapping[str, str]) -> str:
    """A table of attractors with probabilities (and 95% intervals), then the phenotypes."""
    lines = []
    if result.method == "exact":
        head = "exact absorption probabilities of the asynchronous chain"
        if result.mean_time is not None:
            head += f" (mean time to settle {result.mean_time:.3g})"
    else:
        head = f"{result.runs} simulated trajectories (seed {result.seed}; 95% Wilson intervals)"
    if result.schedule:
        head += f"; schedule {result.schedule}"
    lines.append(head)
    if data.get("baseline_fractions"):
        lines.append(start_line(data["baseline_fractions"]))
    if result.note:
        lines.append(f"note: {result.note}")
    from .output import text_table, varying_nodes

    atts = data["attractors"]
    varying = varying_nodes(list(network.nodes), [a["space"] for a in atts], phenotypes)
    header = ["#", "probability"] + (["95% interval"] if result.method == "simulation" else []) + \
        ["kind", "states", "phenotypes"] + varying
    rows = []
    for i, a in enumerate(atts, start=1):
        ph = phenotype_label(a["phenotypes"])
        row = [str(i), f"{a['probability']:.4f}"]
        if result.method == "simulation":
            row.append(_interval(a["interval"]))
        rows.append(row + [a["kind"], str(a["states"]), ph] + [str(a["space"][n]) for n in varying])
    lines.extend(text_table(header, rows))
    if result.method == "simulation":
        lines.append(f"unsettled  {result.unsettled:.4f}")
    if phenotypes:
        parts = []
        for p, v in data["phenotypes"].items():
            text = f"{p} {v['probability']:.4f}"
            if result.method == "simulation":
                text += " " + _interval(v["interval"])
            parts.append(text)
        lines.append("phenotype probabilities: " + ", ".join(parts))
        lines.append("(an attractor where the phenotype holds throughout; * marks one where it oscillates)")
    return "\n".join(lines)


def _command(name: str, method_default: str, doc: str) -> click.Command:
    @click.command(name=name, help=doc)
    @model_argument
    @perturbation_options
    @from_option
    @schedule_option
    @rates_option
    @click.option("--method", type=click.Choice(["auto", "exact", "simulation"]), default=method_default,
                  show_default=True,
                  help="exact: sparse linear algebra on the reachable states; simulation: Gillespie trajectories; "
                       "auto: exact when the reachable states fit, else simulation.")
    @simulation_options
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    @click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
    @json_option
    def command(model: str, context: str | None, fixes: tuple[dict[str, int], ...], ko: tuple[str, ...],
                oe: tuple[str, ...], treat: bool, start: str | None, schedule: str | None,
                rate_texts: tuple[str, ...], method: str, runs: int, seed: int, max_time: float, workers: int,
                quiet: bool, format_: str | None, as_json: bool) -> None:
        run_probabilities(model, context, fixes, ko, oe, treat, start, schedule, rate_texts, method, runs, seed,
                          max_time, workers, quiet, format_, as_json)

    return command


simulate = _command("simulate", "simulation", """Estimate fate probabilities of MODEL by stochastic simulation.

    MaBoSS-style continuous-time simulation of the asynchronous dynamics: each node
    whose rule disagrees with its value flips at its rate (--rate, the model's
    'rates'; default 1), one flip at a time (Gillespie). Trajectories start from
    --from (a partial state: unlisted nodes drawn at random; 'baseline': the untreated
    cell's attractors, each equally likely or as the metadata's baseline_fractions
    weigh them; default: a random state, or the baseline
    with --schedule/--treat) and run until a fixed point or --max-time. Each is then
    assigned to the exact attractor it is in. Probabilities carry 95% Wilson intervals.
    Seeded: the same --seed and --runs give the same numbers for any --workers.

    \b
    Examples:
      signet simulate networks/atm_p53_core.bnet --treat --runs 20000 --seed 1
      signet simulate model.bnet --from "ATM=1" --ko MDM2 --json
      signet simulate networks/atm_p53_core.bnet --schedule "(RT=1 @ 2 ; RT=0 @ 20) x 5" --workers 2
    """)

probabilities = _command("probabilities", "auto", """Fate probabilities of MODEL's asynchronous dynamics, exactly.

    The probability that the cell ends in each attractor, for the continuous-time
    asynchronous chain with per-node rates (--rate, the model's 'rates'; default 1):
    computed exactly (sparse linear algebra on the states reachable from the start)
    when they fit, else estimated by simulation (--method auto; the output says
    which). Under a --schedule each phase that lasts until settled hands the next the
    cell distributed over its attractors by their absorption probabilities (within a
    cyclic attractor: its stationary distribution); 'PHASE @ t' lasts t time units.

    \b
    Examples:
      signet probabilities networks/atm_p53_core.bnet --treat
      signet probabilities model.bnet --from baseline --schedule "RT=1 ; RT=0" --json
      signet probabilities model.bnet --from "ATM=1" --rate ATM=2:0.5 --method exact
    """)
