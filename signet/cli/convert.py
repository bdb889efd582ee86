"""``signet convert``: rewrite a model in another format."""

from __future__ import annotations

import click

from . import check_outputs, echo_json, json_option, load_model


def _metadata(model: str) -> str:
    from ..io.metadata import metadata_path

    return str(metadata_path(model))


@click.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--from", "from_format", default=None, help="Input format if the extension does not tell.")
@click.option("--to", "to_format", default=None, help="Output format if the extension does not tell.")
@json_option
def convert(source: str, target: str, from_format: str | None, to_format: str | None, as_json: bool) -> None:
    """Convert SOURCE to TARGET; formats follow the file extensions.

    The output is written atomically: an existing TARGET is replaced only when
    the new file is complete.

    \b
    Example:
      signet convert model.bnet normalised.bnet
    """
    from ..io import write_model

    check_outputs([source, _metadata(source)], [target])
    network = load_model(source, from_format)
    fmt = write_model(network, target, to_format)
    if as_json:
        echo_json({"source": source, "target": target, "format": fmt, "nodes": len(network)})
        return
    click.echo(f"wrote {target} ({fmt}, {len(network)} nodes)")
