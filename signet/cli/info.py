"""``signet info``: what a model contains."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

import click

from . import echo_json, json_option, load_model, model_argument

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork


def _dynamics_lines(data: dict[str, Any]) -> list[str]:
    """The text lines for what the metadata say about the dynamics: the treatment, the untreated
    population and the flip rates that are not 1 (each line only when set)."""
    lines = []
    treatment = data["treatment"]
    if treatment:  # what --treat applies: a schedule's text or the inputs it fixes
        text = treatment if isinstance(treatment, str) else ",".join(f"{n}={v}" for n, v in treatment.items())
        lines.append(f"treatment  {text}")
    if data["baseline_fractions"]:  # how the untreated population divides (fate probabilities start from it)
        lines.append("population " + ", ".join(f"{node}=1 in {fraction:.0%} of untreated cells"
                                                for node, fraction in data["baseline_fractions"].items()))
    rates = [f"{node} {way} {rate:g}" if isinstance(rate, float) else f"{node} {way} {rate}"
             for node, ways in data["rates"].items() for way, rate in ways.items() if rate != 1.0]
    if rates:  # the stochastic dynamics' flip rates (simulate, probabilities, timecourse); others are 1
        lines.append(f"rates      {len(rates)}: {', '.join(rates)}")
    return lines


def model_summary(network: BooleanNetwork) -> dict[str, Any]:
    """A JSON-ready summary of ``network`` (nodes, kinds, signed edges, unused regulators)."""
    from ..graph import signed_edges, unused_regulators
    from ..levels import max_levels
    from ..rates import rates_record

    edges = signed_edges(network)
    return {
        "name": network.name,
        "title": network.annotations.title,
        "nodes": list(network.nodes),
        "counts": {
            "nodes": len(network),
            "inputs": len(network.inputs),
            "constants": len(network.constants),
            "outputs": len(network.outputs),
            "edges": len(edges),
            "regulations": len(network.edges()),
        },
        "inputs": list(network.inputs),
        "implicit_inputs": list(network.implicit_inputs),
        "constants": network.constants,
        "outputs": list(network.outputs),
        "edges": [{"source": u, "target": v, "sign": s} for u, v, s in edges],
        "unused_regulators": [{"regulator": u, "target": v} for u, v in unused_regulators(network)],
        "multivalued": max_levels(network),
        "phenotypes": dict(network.annotations.phenotypes),
        "contexts": {c: dict(x.fix) for c, x in network.annotations.contexts.items()},
        "treatment": network.annotations.schedule or dict(network.annotations.treatment),
        "baseline": dict(network.annotations.baseline),
        "baseline_fractions": dict(network.annotations.baseline_fractions),
        "rates": rates_record(network.annotations.rates),
    }


@click.command()
@model_argument
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell (e.g. boolnet).")
@click.option("--edges/--no-edges", default=False, help="List every signed edge in the text output.")
@json_option
def info(model: str, format_: str | None, edges: bool, as_json: bool) -> None:
    """Summarise MODEL: nodes, inputs, constants, outputs and signed edges.

    Edge signs (+ activation, - inhibition, ? both) are decided from the Boolean
    functions, not from how rules are written. Unused regulators (a node that
    appears in a rule but cannot change it) are listed: they usually hide a
    modelling error. From the metadata: the treatment (what --treat applies), the
    untreated population and the flip rates that are not 1 (they change what
    simulate, probabilities and timecourse compute).

    \b
    Example:
      signet info networks/atm_p53_core.bnet
    """
    network = load_model(model, format_)
    data = model_summary(network)
    if as_json:
        echo_json(data)
        return
    c = data["counts"]
    title = f" ({data['title']})" if data["title"] else ""
    click.echo(f"model      {data['name']}{title}")
    click.echo(f"nodes      {c['nodes']}")
    signs = {s: sum(1 for e in data["edges"] if e["sign"] == s) for s in "+-?"}
    click.echo(f"edges      {c['edges']}  (+ {signs['+']}, - {signs['-']}, ? {signs['?']})")

    def listing(label: str, items: Iterable[str]) -> None:
        items = list(items)
        click.echo(f"{label:<10} {len(items)}" + (f": {', '.join(items)}" if items else ""))

    listing("inputs", data["inputs"])
    if data["implicit_inputs"]:
        listing("implicit", data["implicit_inputs"])
    listing("constants", [f"{k}={v}" for k, v in data["constants"].items()])
    listing("outputs", data["outputs"])
    listing("phenotypes", data["phenotypes"])
    listing("contexts", data["contexts"])
    for line in _dynamics_lines(data):
        click.echo(line)
    if data["multivalued"]:  # level bits X_b1..X_bm (signet.levels)
        listing("levels", [f"{n} 0..{m}" for n, m in data["multivalued"].items()])
    unused = data["unused_regulators"]
    listing("unused", [f"{u['regulator']} in {u['target']}" for u in unused])
    if edges:
        click.echo("")
        for e in data["edges"]:
            click.echo(f"  {e['source']} -{e['sign']}-> {e['target']}")
