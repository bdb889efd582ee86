"""``signet screen``: rank knockouts, over-expressions and combinations as radiosensitizers."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import click

from . import F, echo_json, json_option, load_model, model_argument, show_progress
from .params import ASSIGNMENT, SCHEDULER, SEED, WORKERS

if TYPE_CHECKING:  # pragma: no cover
    from ..screen import InterventionOptions, ScreenResult


def split_names(text: str | None) -> list[str] | None:
    """``"A,B C"`` -> ``["A", "B", "C"]``; ``None`` stays ``None``."""
    if text is None:
        return None
    return [t for t in text.replace(",", " ").split() if t]


def target_options(func: F) -> F:
    """Options shared by ``screen`` and ``control``: which perturbations to try."""
    options = [
        click.option("--kinds", default="ko,oe", show_default=True,
                     help="Perturbation kinds: ko (fix to 0), oe (fix to 1). A multi-valued node is "
                          "fixed at levels: ko X%0, oe its highest, both every level."),
        click.option("--targets", default=None, help="Nodes to perturb, comma-separated (default: all but inputs)."),
        click.option("--druggable", is_flag=True,
                     help="Only nodes with an agent in the metadata, perturbed as the agent acts."),
        click.option("--exclude", default=None, help="Nodes never to perturb, comma-separated."),
        click.option("--allow-trivial", is_flag=True,
                     help="Also perturb phenotype nodes and their direct readouts (see docs/screening.md)."),
        click.option("--treatment", default=None, type=ASSIGNMENT,
                     help="Treatment inputs, e.g. 'RT=1,HighDose=1' (default: the model's treatment; '' for none)."),
        click.option("--update", type=click.Choice(["mp", "async", "sync"]), default=None,
                     help="Update scheme of the dynamics (default: mp; async for --metric probability)."),
        click.option("--schedule", "-s", "schedule", default=None, metavar="PHASES",
                     help="A treatment schedule instead of --treatment, e.g. 'RT=1 ; RT=0' (a pulse) or "
                          "'(RT=1 ; RT=0) x 5' (five fractions): each phase starts from the states the "
                          "previous one reached (see docs/attractors.md)."),
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
        treatment=None if treatment is None else dict(treatment),
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


def _value(row: Mapping[str, Any], column: str, minimised: bool = False) -> str:
    """A row's value, with its interval when estimated: ``0.45 [0.43, 0.47]``.

    ``lo``/``hi`` belong to the scored value, the complement ``1 - value`` when the screen
    minimises (``minimised``): the phenotype's own interval is then ``[1 - hi, 1 - lo]``
    (the Wilson interval of the failures is the mirror of that of the successes).
    """
    text = f"{row[column]:.2f}"
    if "lo" in row and row["lo"] != row["hi"]:
        lo, hi = (1 - row["hi"], 1 - row["lo"]) if minimised else (row["lo"], row["hi"])
        text += f" [{lo:.2f}, {hi:.2f}]"
    return text


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if isinstance(value, float) else str(value)


def _echo_ranking(result: ScreenResult, metric: str, top: int, out: str | None) -> None:
    """The text output of ``screen``: the control values, then the ranking (``top`` rows)."""
    score_phenotype = result.score_phenotype
    rows = [r for r in result.rows if r["size"] > 0]
    column = f"{metric}_{score_phenotype}"
    alone = {r["context"]: r for r in result.rows if r["size"] == 0}
    control = {c or "none": alone[c or "none"] for c in result.parameters["contexts"]}
    _echo_controls(result, metric, column, control)
    shown = rows if top == 0 else rows[:top]
    width = max([14, *(len(c) + 1 for c in control)]) if len(control) > 1 else 0
    for line in _ranking_lines(shown, score_phenotype, column, width, ranged=metric == "probability",
                               gain=bool(result.reference), alone=result.alone):
        click.echo(line)
    if len(rows) > len(shown):
        more = len(rows) - len(shown)
        click.echo(f"... {more} more intervention{'s' if more != 1 else ''}"
                   + (f" in {out}" if out else " (--out FILE for all)"))


def _echo_controls(result: ScreenResult, metric: str, column: str, control: Mapping[str, Mapping[str, Any]]) -> None:
    """The lines above the ranking: the value under treatment alone per context, how probability
    rows were computed, the interventions excluded as trivial."""
    score_phenotype = result.score_phenotype
    under = f"under {result.parameters['schedule']}" if result.parameters.get("schedule") else "under treatment alone"
    lower = " (lower is better)" if result.direction == "min" else ""
    click.echo(f"{score_phenotype} {metric} {under}{lower}: "
               + ", ".join(f"{c} {_value(r, column, result.direction == 'min')}" for c, r in control.items()))
    if metric == "probability":
        simulated = sum(1 for r in result.rows if not r["exact"])
        click.echo(f"{len(result.rows) - simulated} rows exact, {simulated} estimated from "
                   f"{result.parameters['runs']} trajectories (seed {result.parameters['seed']}); "
                   "[lo, hi]: 95% interval of the score")
    if result.reference:
        click.echo(f"gain: score minus the same intervention's score in {result.reference} "
                   "(positive: more effect here than there)")
    if result.alone:
        _echo_alone_legend(result, metric, control)
    if result.excluded_trivial:
        click.echo("excluded as trivial (use --allow-trivial): " + ", ".join(result.excluded_trivial))


def _echo_alone_legend(result: ScreenResult, metric: str, control: Mapping[str, Mapping[str, Any]]) -> None:
    """The lines that explain the untreated columns of a screen run with ``--alone``."""
    untreated = ",".join(f"{n}={v}" for n, v in (result.parameters.get("alone") or {}).items())
    name = result.score_phenotype
    click.echo(f"{name} {metric} untreated ({untreated}): "
               + ", ".join(f"{c} {r['alone_value']:.2f}" for c, r in control.items()))
    if result.direction == "min":
        ratio, killed = "treated / untreated (plating-efficiency corrected); n.score: its loss", f"no {name}"
    else:
        ratio, killed = "1 - (1 - treated) / (1 - untreated); n.score: its gain", f"{name} 1"
    click.echo(f"alone: untreated value; normalised: {ratio} against none; cytotoxic: {killed} untreated, "
               "ranked last")


def _ranking_lines(shown: Sequence[Mapping[str, Any]], score_phenotype: str, column: str, width: int,
                   ranged: bool, gain: bool = False, alone: bool = False) -> list[str]:
    """The ranking table: a context column ``width`` wide (none when 0), score (and gain) intervals
    when ``ranged``, the therapeutic gain when ``gain``, the untreated value, normalised value and
    normalised score when ``alone``."""
    multi = width > 0
    header = (f"{'rank':>4}  " + (f"{'context':<{width}}" if multi else "") + f"{'intervention':<32} {'score':>7} "
              + (f"{'[lo, hi]':>15} " if ranged else "") + (f"{'gain':>7} " if gain else "")
              + (f"{'[lo, hi]':>15} " if ranged and gain else "")
              + f"{score_phenotype:>6} " + (_alone_cells(None, ranged) if alone else "")
              + f"{'bliss':>7} {'hsa':>7}  agents")
    lines = [header]
    for i, r in enumerate(shown, start=1):
        lines.append(
            f"{i:>4}  " + (f"{r['context']:<{width}}" if multi else "")
            + f"{r['intervention']:<32} {_fmt(r['score'], 2):>7} " + (f"{_interval(r, 'score'):>15} " if ranged else "")
            + (f"{_fmt(r.get('gain'), 2):>7} " if gain else "")
            + (f"{_interval(r, 'gain'):>15} " if ranged and gain else "")
            + f"{r[column]:>6.2f} " + (_alone_cells(r, ranged) if alone else "")
            + f"{_fmt(r['bliss'], 2):>7} {_fmt(r['hsa'], 2):>7}  {'; '.join(r['agents'])}"
        )
    return lines


def _alone_cells(row: Mapping[str, Any] | None, ranged: bool) -> str:
    """The untreated columns of a ranking line (the header's when ``row`` is ``None``):
    the untreated value, the normalised value (``cytotoxic`` when there is none) and the
    normalised score, with its interval when ``ranged``."""
    if row is None:
        return f"{'alone':>6} {'normalised':>10} {'n.score':>7} " + (f"{'[lo, hi]':>15} " if ranged else "")
    normalised = "cytotoxic" if row["cytotoxic_alone"] else _fmt(row["normalised"], 2).lstrip("+")
    return (f"{row['alone_value']:>6.2f} {normalised:>10} {_fmt(row['normalised_score'], 2):>7} "
            + (f"{_interval(row, 'normalised_score'):>15} " if ranged else ""))


def _interval(row: Mapping[str, Any], name: str) -> str:
    """``[lo, hi]`` of a row's ``name`` (score, gain), or ``-`` when the row has none."""
    lo, hi = row.get(f"{name}_lo"), row.get(f"{name}_hi")
    return "-" if lo is None or hi is None else f"[{lo:+.2f}, {hi:+.2f}]"


@click.command()
@model_argument
@click.option("--context", "-c", "contexts", default=None,
              help="Context(s) to screen in, comma-separated, or 'all' (default: the model as it is).")
@click.option("--max-size", type=click.IntRange(1, 3), default=1, show_default=True,
              help="Largest combination: 1 singles, 2 pairs, 3 triples.")
@target_options
@click.option("--score", "score_phenotype", default=None, metavar="NAME[=0|1]",
              help="Phenotype or node whose change is the score; NAME=0 (or --minimise) ranks by its loss "
                   "(default: the model's metadata 'score', e.g. ClonogenicSurvival=0, else Death).")
@click.option("--minimise/--maximise", "--minimize/--maximize", "minimise", default=False,
              help="Rank by the loss of the score's value (e.g. stop Proliferation) instead of its gain.")
@click.option("--metric", type=click.Choice(["share", "probability", "inevitable", "possible"]), default=None,
              help="A row's value: share of reachable attractors with the phenotype; probability of the "
                   "asynchronous chain (exact, or simulated with a 95% interval); inevitable / possible: "
                   "the phenotype holds in every / some reachable attractor (1 or 0).  Default: the "
                   "model's screen_metric (metadata), else share.")
@click.option("--rank", default=None, metavar="KEYS",
              help="Rank order, comma-separated, from score, score_lo, gain, normalised, bliss, hsa, size, share, "
                   "inevitable, possible (default: score,bliss,size, with gain after score when there is a "
                   "reference; share after score for inevitable/possible; normalised first with --alone).")
@click.option("--reference", default=None, metavar="CONTEXT",
              help="Also score every intervention in CONTEXT (e.g. normal_tissue) and report the therapeutic "
                   "gain = score - score in CONTEXT (default: the model's reference_context).")
@click.option("--no-reference", is_flag=True, help="No reference context, no gain column.")
@click.option("--alone", is_flag=True,
              help="Also evaluate every intervention without the treatment (its nodes at their baseline values, "
                   "e.g. RT=0), as a clonogenic assay measures the drug-alone plating efficiency. Adds alone_value "
                   "(the score phenotype untreated), alone_score (the effect untreated), cytotoxic_alone (nothing "
                   "survives untreated), normalised (treated / untreated survival) and normalised_score (its loss "
                   "against the treatment alone: radiosensitisation not explained by toxicity); ranks by it first "
                   "(cytotoxic rows last). Untreated rows are saved in DB.alone.sqlite.")
@click.option("--split-inputs/--pool-inputs", "split_inputs", default=None,
              help="Score each value of an input the context leaves free (wildtype[Hypoxia=0], "
                   "wildtype[Hypoxia=1]) apart, or pool their attractors (default: split, except for share).")
@click.option("--runs", type=click.IntRange(min=1), default=None,
              help="Trajectories per simulated probability row (default 2401: 95% interval at most +-0.02).")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of simulated probability rows.")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None, help="Write every row as CSV.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="SQLite file of finished rows (default: beside --out, or MODEL.screen.sqlite here).")
@click.option("--fresh", is_flag=True, help="Discard a --db made for another model or other parameters.")
@click.option("--top", type=int, default=25, show_default=True, help="Rows shown in the text ranking (0: all).")
@json_option
def screen(model: str, contexts: str | None, max_size: int, kinds: str, targets: str | None, druggable: bool,
           exclude: str | None, allow_trivial: bool, treatment: dict[str, int] | None, update: str | None,
           schedule: str | None, workers: int | None, scheduler: str | None, quiet: bool, score_phenotype: str | None,
           minimise: bool, metric: str | None, rank: str | None, reference: str | None, no_reference: bool,
           alone: bool, split_inputs: bool | None, runs: int | None, seed: int,
           out: str | None, db: str | None, fresh: bool, top: int, as_json: bool) -> None:
    """Screen perturbations of MODEL under treatment and rank radiosensitizers.

    Every single perturbation (and, with --max-size 2/3, every combination on distinct
    nodes) is applied with the treatment inputs (default the model's, e.g. RT=1, or a
    --schedule); the fates reached from the untreated cell give each phenotype a value
    (--metric: share of reachable attractors, fate probability, inevitable, possible).
    The score is the change in the value of the model's score phenotype (metadata
    'score'; the radioresistance model's is ClonogenicSurvival=0, its loss) or else of
    Death, against the treatment alone in the same context (--score: another phenotype
    or any node; --minimise: its loss, best first);
    combinations also get Bliss and highest-single-agent (HSA) excess.  With
    any metric but share, rows carry intervals (lo, hi, score_lo, score_hi, ...; a
    point when exact) and each value of an input the context leaves free is its own
    row group (wildtype[Hypoxia=0]).

    With a reference context (--reference, or the model's reference_context, e.g.
    normal_tissue) every intervention is also scored there, and each row gets the
    therapeutic gain: its score minus the same intervention's score in the reference
    (positive: more effect on the tumour than on normal tissue; --no-reference: none).

    With --alone every intervention is also evaluated untreated (the treatment's nodes at
    their baseline values, e.g. RT=0) and each row gets its survival normalised by the
    untreated one (the plating efficiency of a clonogenic assay): an agent that kills the
    unirradiated cell is flagged cytotoxic and ranked after the radiosensitisers.

    Rows are saved to a SQLite file as they finish: run the same command again after an
    interruption and it resumes.

    \b
    Examples:
      signet screen networks/radioresistance.bnet --context wildtype
      signet screen networks/radioresistance.bnet --context all --max-size 2 --out pairs.csv
      signet screen networks/radioresistance.bnet -c TP53_mutant --druggable --max-size 2 --json
      signet screen model.bnet --phenotype 'Growth=CyclinD1 & !p21' --score Growth --minimise
      signet screen networks/radioresistance.bnet -c normoxic --metric probability --targets PRKDC,PARP1
      signet screen networks/radioresistance.bnet -c wildtype --metric inevitable --schedule 'RT=1 ; RT=0'
      signet screen networks/radioresistance.bnet -c TP53_mutant --druggable --reference normal_tissue --rank gain
      signet screen networks/radioresistance.bnet -c TP53_mutant --alone
    """
    from ..screen import screen as run_screen
    from ..screen.core import default_db_path

    network = load_model(model)
    if score_phenotype is None:
        score_phenotype = network.annotations.score or "Death"
        if minimise and score_phenotype.endswith("=1"):
            score_phenotype = score_phenotype[:-2]  # --minimise turns the model's NAME=1 round
    options = intervention_options(kinds, targets, exclude, druggable, allow_trivial, treatment)
    db_path = db or default_db_path(network, out)
    from ..screen.alone import alone_db_path

    untreated_db = {"db (untreated rows)": alone_db_path(db_path)} if alone else {}
    check_screen_outputs(model, out=out, db=db_path, **untreated_db)
    if schedule is not None and treatment:
        from ..errors import ModelError

        raise ModelError("--treatment and --schedule both give the treatment: use one of them")
    if no_reference and reference is not None:
        from ..errors import ModelError

        raise ModelError("--reference and --no-reference: use one of them")
    from ..errors import TimeLimitExceeded

    try:
        result = run_screen(
            network, contexts=contexts, max_size=max_size, options=options, update=update, score=score_phenotype,
            direction="min" if minimise else "max", metric=metric, schedule=schedule, rank=rank,
            reference="" if no_reference else reference, alone=alone, split_inputs=split_inputs, runs=runs, seed=seed,
            db=db_path, fresh=fresh, workers=workers, scheduler=scheduler, progress=show_progress(quiet),
        )
    except (TimeLimitExceeded, KeyboardInterrupt) as exc:
        raise _stopped(exc, db_path) from None
    if out:
        result.write_csv(out)
    if as_json:
        data = result.to_json()
        data["db"] = os.fspath(db_path)
        echo_json(data)
        return
    _echo_ranking(result, result.metric, top, out)
    st = result.stats
    extra = st.get("reference_rows", 0)  # the rows of the reference context scored for the gain only
    where = f" ({extra} in the reference {result.reference})" if extra else ""
    click.echo(f"{st['rows']} rows{where}: {st['already_done']} from {db_path}, {st['analysed']} analyses run",
               err=True)
    if result.alone:
        click.echo(f"{st['alone_rows']} rows untreated: {st['alone_already_done']} from {alone_db_path(db_path)}, "
                   f"{st['alone_analysed']} analyses run", err=True)


def _stopped(exc: BaseException, db_path: "str | os.PathLike[str]") -> BaseException:
    """What a screen stopped by ``exc`` raises: a time limit (also one a native call turned into
    ``KeyboardInterrupt``) names the checkpoint; Ctrl-C or SIGTERM stays an interruption (the rows
    are saved; the CLI says "interrupted")."""
    from ..errors import TimeLimitExceeded
    from . import expired_limit

    limit = expired_limit()
    if isinstance(exc, KeyboardInterrupt) and limit is None:
        return exc
    return TimeLimitExceeded(f"{limit or exc}; finished rows are saved in {db_path}: run the same command again "
                             "to resume")
