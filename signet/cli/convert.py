"""``signet convert``: rewrite a model in another format."""

from __future__ import annotations

import click

from . import (check_outputs, echo_json, json_option, load_model, metadata_input, model_options,
               no_meta_option, write_with_metadata)


@click.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--from", "from_format", default=None, help="Input format if the extension does not tell.")
@click.option("--to", "to_format", default=None, help="Output format if the extension does not tell.")
@model_options
@no_meta_option
@json_option
def convert(source: str, target: str, from_format: str | None, to_format: str | None, no_meta: bool,
            as_json: bool) -> None:
    """Convert SOURCE to TARGET; formats follow the file extensions.

    The output is written atomically: an existing TARGET is replaced only when
    the new file is complete.  Every format but SBML loses the model's metadata
    (phenotypes, contexts, treatment, node annotations), so it is written beside
    TARGET as TARGET.yaml, where signet reads it back (--no-meta: do not).

    \b
    Examples:
      signet convert model.bnet normalised.bnet
      signet convert rr.sbml rr.bnet                      # also writes rr.yaml
      signet convert model.bnet model.boolnet --phenotype 'Death=Apoptosis'
    """
    from ..io import detect_format

    check_outputs([source, metadata_input(source)], [target])
    network = load_model(source, from_format)
    fmt = detect_format(target, to_format, for_writing=True)
    files = write_with_metadata(network, source, target, fmt, no_meta)
    if as_json:
        echo_json({"source": source, "target": target, "format": fmt, "nodes": len(network), "files": files})
        return
    click.echo(f"wrote {', '.join(files)} ({fmt}, {len(network)} nodes)")
