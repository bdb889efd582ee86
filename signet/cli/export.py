"""``signet export``: write a model, with a context or perturbations applied, for another tool."""

from __future__ import annotations

import click

from . import check_outputs, echo_json, json_option, load_model, model_argument

#: --to choices -> signet format names
TARGETS = {"sbml": "sbml", "bnet": "bnet", "boolnet": "boolnet", "maboss": "maboss", "primes": "primes"}


def _names(values: tuple[str, ...]) -> list[str]:
    """Node names from repeated and/or comma-separated options."""
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


@click.command()
@model_argument
@click.option("--to", "to_format", required=True, type=click.Choice(sorted(TARGETS)),
              help="Output format.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output file (for maboss: X.bnd or X.cfg; both X.bnd and X.cfg are written).")
@click.option("--context", "-c", default=None, help="Apply a context stored with the model (its fixes).")
@click.option("--ko", multiple=True, help="Knock out nodes (repeat or comma-separate).")
@click.option("--oe", multiple=True, help="Over-express nodes (repeat or comma-separate).")
@click.option("--format", "format_", default=None, help="Input format if the extension does not tell.")
@json_option
def export(model: str, to_format: str, output: str, context: str | None, ko: tuple[str, ...],
           oe: tuple[str, ...], format_: str | None, as_json: bool) -> None:
    """Write MODEL in another tool's format, with a context and perturbations applied.

    Fixed nodes (from --context, --ko, --oe) become constant rules; for MaBoSS they
    also start at their value (istate). The output is written atomically: on any
    error no file is left behind.

    \b
    Examples:
      signet export networks/radioresistance.bnet --to sbml -o rr.sbml
      signet export networks/radioresistance.bnet --to maboss -o rr.bnd --context p53_null --ko PARP1
      signet export model.bnet --to primes -o model.json
    """
    from ..io import write_model
    from ..io.metadata import metadata_path

    written = [output]
    if TARGETS[to_format] == "maboss":
        from ..io.maboss import maboss_paths

        written = [str(p) for p in maboss_paths(output)]
    check_outputs([model, metadata_path(model)], written)
    network = load_model(model, format_)
    perturbed = network.perturb(ko=_names(ko), oe=_names(oe), context=context)
    fmt = write_model(perturbed, output, TARGETS[to_format])
    fixed = {n: v for n, v in perturbed.constants.items() if network.constants.get(n) != v}
    if as_json:
        echo_json({"format": fmt, "files": written, "nodes": len(perturbed), "fixed": fixed})
        return
    extra = f"; fixed {', '.join(f'{n}={v}' for n, v in fixed.items())}" if fixed else ""
    click.echo(f"wrote {', '.join(written)} ({fmt}, {len(perturbed)} nodes{extra})")
