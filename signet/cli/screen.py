"""``signet screen``: rank knockouts, over-expressions and combinations as radiosensitizers."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from . import F, echo_json, json_option, load_model, model_argument
from .params import ASSIGNMENT, SCHEDULER, WORKERS

if TYPE_CHECKING:  # pragma: no cover
    from ..screen import InterventionOptions


def split_names(text: str | None) -> list[str] | None:
    """``"A,B C"`` -> ``["A", "B", "C"]``; ``None`` stays ``None``."""
    if text is None:
        return None
    return [t for t in text.replace(",", " ").split() if t]


def target_options(func: F) -> F:
    """Options shared by ``screen`` and ``control``: which perturbations to try."""
    options = [
        click.option("--kinds", default="ko,oe", show_default=True,
                     help="Perturbation kinds: ko (fix to 0), oe (fix to 1)."),
        click.option("--targets", default=None, help="Nodes to perturb, comma-separated (default: all but inputs)."),
        click.option("--druggable", is_flag=True,
                     help="Only nodes with an agent in the metadata, perturbed as the agent acts."),
        click.option("--exclude", default=None, help="Nodes never to perturb, comma-separated."),
        click.option("--allow-trivial", is_flag=True,
                     help="Also perturb phenotype nodes and their direct readouts (see docs/screening.md)."),
        click.option("--treatment", default=None, type=ASSIGNMENT,
                     help="Treatment inputs, e.g. 'RT=1,HighDose=1' (default: the model's treatment)."),
        click.option("--update", type=click.Choice(["mp", "async", "sync"]), default="mp", show_default=True,
                     help="Update scheme of the dynamics."),
        click.option("--workers", type=WORKERS, default=None,
                     help="Local worker processes, 1 to 4 per core (default: all cores)."),
        click.option("--scheduler", type=SCHEDULER, default=None, help="Run on a Dask cluster: tcp://HOST:PORT."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def intervention_options(kinds: str, targets: str | None, exclude: str | None, druggable: bool,
                         allow_trivial: bool, treatment: dict[str, int] | None) -> InterventionOptions:
    """The :class:`~signet.screen.InterventionOptions` of ``screen`` and ``control``."""
    from ..errors import ModelError
    from ..screen import InterventionOptions

    kind_list = split_names(kinds) or []
    for k in kind_list:
        if k not in ("ko", "oe"):
            raise ModelError(f"--kinds: unknown kind {k!r} (expected ko, oe)")
    targets_list = split_names(targets)
    return InterventionOptions(
        kinds=tuple(kind_list),
        targets=None if targets_list is None else tuple(targets_list),
        exclude=tuple(split_names(exclude) or ()),
        druggable=druggable,
        allow_trivial=allow_trivial,
        treatment=dict(treatment) if treatment else None,
    )


def check_screen_outputs(model: str, **outputs: str | None) -> None:
    """Before any work: refuse an output path (``--out``, ``--db``) that is the model, its
    metadata or another output, or whose folder does not exist."""
    from ..errors import SignetError
    from ..io.files import same_file
    from ..io.metadata import metadata_path

    inputs = {"the model": model, "the model's metadata": os.fspath(metadata_path(model))}
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None or path == ":memory:":
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise SignetError(f"--{option} {path}: folder {folder} does not exist, nothing was computed")
        for what, other in [*inputs.items(), *seen.items()]:
            if same_file(path, other):
                raise SignetError(f"--{option} {path} is {what}: choose another file, nothing was written")
        seen[f"--{option}"] = path


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if isinstance(value, float) else str(value)


@click.command()
@model_argument
@click.option("--context", "-c", "contexts", default=None,
              help="Context(s) to screen in, comma-separated, or 'all' (default: the model as it is).")
@click.option("--max-size", type=click.IntRange(1, 3), default=1, show_default=True,
              help="Largest combination: 1 singles, 2 pairs, 3 triples.")
@target_options
@click.option("--score", "score_phenotype", default="Death", show_default=True,
              help="Phenotype whose share change is the score.")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None, help="Write every row as CSV.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="SQLite file of finished rows (default: beside --out, or MODEL.screen.sqlite here).")
@click.option("--fresh", is_flag=True, help="Discard a --db made for another model or other parameters.")
@click.option("--top", type=int, default=25, show_default=True, help="Rows shown in the text ranking (0: all).")
@json_option
def screen(model: str, contexts: str | None, max_size: int, kinds: str, targets: str | None, druggable: bool,
           exclude: str | None, allow_trivial: bool, treatment: dict[str, int] | None, update: str,
           workers: int | None, scheduler: str | None, quiet: bool, score_phenotype: str, out: str | None,
           db: str | None, fresh: bool, top: int, as_json: bool) -> None:
    """Screen perturbations of MODEL under treatment and rank radiosensitizers.

    Every single perturbation (and, with --max-size 2/3, every combination on distinct
    nodes) is applied with the treatment inputs (default the model's, e.g. RT=1);
    the reachable attractors from the untreated cell give phenotype shares.  The score
    is the change in the Death share against the treatment alone in the same context;
    combinations also get Bliss and highest-single-agent (HSA) excess.

    Rows are saved to a SQLite file as they finish: run the same command again after an
    interruption and it resumes.

    \b
    Examples:
      signet screen networks/radioresistance.bnet --context wildtype
      signet screen networks/radioresistance.bnet --context all --max-size 2 --out pairs.csv
      signet screen networks/radioresistance.bnet -c TP53_mutant --druggable --max-size 2 --json
    """
    from ..screen import screen as run_screen
    from ..screen.core import default_db_path

    network = load_model(model)
    options = intervention_options(kinds, targets, exclude, druggable, allow_trivial, treatment)
    db_path = db or default_db_path(network, out)
    check_screen_outputs(model, out=out, db=db_path)
    result = run_screen(
        network, contexts=contexts, max_size=max_size, options=options, update=update, score=score_phenotype,
        db=db_path, fresh=fresh, workers=workers, scheduler=scheduler, progress=show_progress(quiet),
    )
    if out:
        result.write_csv(out)
    if as_json:
        data = result.to_json()
        data["db"] = os.fspath(db_path)
        echo_json(data)
        return
    rows = [r for r in result.rows if r["size"] > 0]
    alone = {r["context"]: r[f"share_{score_phenotype}"] for r in result.rows if r["size"] == 0}
    control = {c or "none": alone[c or "none"] for c in result.parameters["contexts"]}
    click.echo(f"{score_phenotype} share under treatment alone: "
               + ", ".join(f"{c} {v:.2f}" for c, v in control.items()))
    if result.excluded_trivial:
        click.echo("excluded as trivial (use --allow-trivial): " + ", ".join(result.excluded_trivial))
    shown = rows if top == 0 else rows[:top]
    multi = len(control) > 1
    header = (f"{'rank':>4}  " + (f"{'context':<14}" if multi else "")
              + f"{'intervention':<32} {'score':>7} {score_phenotype:>6} {'bliss':>7} {'hsa':>7}  agents")
    click.echo(header)
    for i, r in enumerate(shown, start=1):
        click.echo(
            f"{i:>4}  " + (f"{r['context']:<14}" if multi else "")
            + f"{r['intervention']:<32} {_fmt(r['score'], 2):>7} {r[f'share_{score_phenotype}']:>6.2f} "
            f"{_fmt(r['bliss'], 2):>7} {_fmt(r['hsa'], 2):>7}  {'; '.join(r['agents'])}"
        )
    if len(rows) > len(shown):
        more = len(rows) - len(shown)
        click.echo(f"... {more} more intervention{'s' if more != 1 else ''}"
                   + (f" in {out}" if out else " (--out FILE for all)"))
    st = result.stats
    click.echo(f"{st['rows']} rows: {st['already_done']} from {db_path}, {st['analysed']} analyses run", err=True)
