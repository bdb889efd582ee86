"""``signet plot``: figures of screens, attractors and networks (PNG, SVG or PDF)."""

from __future__ import annotations

import click

from . import check_outputs, echo_json, json_option, load_model, model_argument
from .params import ASSIGNMENT, SEED

output_option = click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
                             help="Figure file: .png, .svg or .pdf.")


@click.group()
def plot() -> None:
    """Draw figures: a screen's ranking and synergy, attractors, the interaction graph, time courses.

    \b
    Examples:
      signet plot screen pairs.csv -o screen.png
      signet plot attractors networks/radioresistance.bnet --context wildtype --response -o att.png
      signet plot network networks/radioresistance.bnet -o network.svg
      signet plot timecourse course.csv --columns Death,Apoptosis -o course.png
    """


@plot.command("screen")
@click.argument("table", type=click.Path(dir_okay=False))
@output_option
@click.option("--top", type=int, default=25, show_default=True, help="Single interventions in the bar chart.")
@click.option("--context", "-c", default=None, help="Context of the synergy heatmap (default: the first).")
@click.option("--synergy", type=click.Choice(["bliss", "hsa"]), default="bliss", show_default=True)
@click.option("--score-label", default="score", show_default=True,
              help="What the screen's score measures, for the axis labels, e.g. 'loss of ClonogenicSurvival share' "
                   "(the CSV does not record which phenotype was scored).")
@json_option
def plot_screen(table: str, output: str, top: int, context: str | None, synergy: str, score_label: str,
                as_json: bool) -> None:
    """Ranked bar chart of single interventions and pair-synergy heatmap from a screen CSV (signet screen --out)."""
    from ..plot import read_screen_csv, save_figure, screen_figure

    check_outputs([table], [output])
    rows = read_screen_csv(table)
    save_figure(screen_figure(rows, top=top, context=context, synergy=synergy, score_label=score_label), output)
    _done(output, as_json)


@plot.command("attractors")
@model_argument
@output_option
@click.option("--context", "-c", default=None, help="Context fixes to apply.")
@click.option("--fix", "fixes", default=None, type=ASSIGNMENT, help="Extra fixes, e.g. 'TP53=0,RT=1'.")
@click.option("--response", "as_response", is_flag=True,
              help="Attractors reached under the treatment from the untreated cell (as screens use).")
@click.option("--update", type=click.Choice(["mp", "async", "sync"]), default="mp", show_default=True)
@json_option
def plot_attractors(model: str, output: str, context: str | None, fixes: dict[str, int] | None,
                    as_response: bool, update: str, as_json: bool) -> None:
    """Heatmap of MODEL's attractor states, with phenotype columns first."""
    from ..dynamics import attractors, response
    from ..plot import attractor_figure, save_figure
    from .attractors import _option

    check_outputs([model], [output])
    network = load_model(model)
    extra = _option(network.resolve_assignment, "--fix", fixes) if fixes else {}
    if as_response:
        result = response(network, context=context, perturbation=extra, update=update)
        what = "treated, from the untreated cell"
    else:
        result = attractors(network.perturb(context=context, fix=extra), update)
        what = "all attractors"
    shown = ",".join(f"{k}={v}" for k, v in (fixes or {}).items())
    label = f"{network.name}: {what}" + (f", {context}" if context else "") + (f", {shown}" if shown else "")
    save_figure(attractor_figure(network, result, title=f"{label} ({update})"), output)
    _done(output, as_json)


@plot.command("timecourse")
@click.argument("table", type=click.Path(dir_okay=False))
@output_option
@click.option("--columns", default=None, metavar="A,B",
              help="Series to draw (default: the first 8 columns; phenotypes come first).")
@click.option("--title", default="", help="Figure title.")
@json_option
def plot_timecourse(table: str, output: str, columns: str | None, title: str, as_json: bool) -> None:
    """Probability over time from a time course CSV (signet timecourse --out), with 95% bands."""
    from ..plot import read_timecourse_csv, save_figure, timecourse_figure

    names, rows = read_timecourse_csv(table)
    chosen = [c.strip() for c in columns.split(",") if c.strip()] if columns else names[:8]
    save_figure(timecourse_figure(chosen, rows, title=title), output)
    _done(output, as_json)


@plot.command("network")
@model_argument
@output_option
@click.option("--seed", type=SEED, default=1, show_default=True, help="Layout seed (0 to 2**32-1).")
@json_option
def plot_network(model: str, output: str, seed: int, as_json: bool) -> None:
    """The signed interaction graph of MODEL, coloured by module."""
    from ..plot import network_figure, save_figure

    check_outputs([model], [output])
    network = load_model(model)
    save_figure(network_figure(network, seed=seed), output)
    _done(output, as_json)


def _done(output: str, as_json: bool) -> None:
    """Say which figure file was written (``{"wrote": ..., "format": ...}`` with --json)."""
    import os

    if as_json:
        echo_json({"wrote": output, "format": os.path.splitext(output)[1].lstrip(".").lower()})
    else:
        click.echo(f"wrote {output}")
