"""Intervention screens: run, score and rank single and combined perturbations.

See :func:`screen`.  The scores are defined in :mod:`signet.screen.scoring`, the
interventions in :mod:`signet.screen.interventions`, the execution in
:mod:`signet.screen.engine` (with :mod:`~signet.screen.scheduler` and
:mod:`~signet.screen.worker`) and the checkpoint in :mod:`signet.screen.store`.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..errors import ModelError, SignetError
from ..model import BooleanNetwork
from ..types import Intervention
from .engine import evaluate
from .interventions import (
    InterventionOptions,
    agents_of,
    format_intervention,
    intervention_size,
    intervention_key,
    intervention_parts,
    parse_intervention_key,
)
from .job import Analysis, Job
from .scheduler import Scheduler, make_scheduler
from .scoring import bliss_excess, hsa_excess
from .store import ScreenStore

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .metrics import Estimate

__all__ = [
    "screen", "ScreenResult", "resolve_contexts", "screen_fingerprint", "default_db_path", "COLUMNS",
    "INTERVAL_COLUMNS", "GAIN_COLUMNS", "GAIN_INTERVAL_COLUMNS", "RANK_KEYS", "score_rows",
]

#: the columns of a screen table, in order (phenotype share columns follow ``agents``)
COLUMNS = [
    "rank", "context", "intervention", "perturbation", "size", "agents", "score",
    "bliss", "hsa", "attractors", "exact",
]
#: the columns a screen by any metric but ``share`` adds after :data:`COLUMNS`: the score
#: phenotype's value and its interval, and the intervals of the score, Bliss and HSA excess
INTERVAL_COLUMNS = ["value", "lo", "hi", "score_lo", "score_hi", "bliss_lo", "bliss_hi", "hsa_lo", "hsa_hi"]
#: the columns a screen with a reference context adds after ``score`` (see :func:`screen`)
GAIN_COLUMNS = ["reference_score", "gain"]
#: and after :data:`INTERVAL_COLUMNS`, with any metric but ``share``
GAIN_INTERVAL_COLUMNS = ["gain_lo", "gain_hi"]


@dataclass
class ScreenResult:
    """A finished screen: one row per (context, intervention), ranked.

    Attributes
    ----------
    rows
        Ranked rows (dicts with the keys of :data:`COLUMNS`, with any metric but
        ``share`` those of :data:`INTERVAL_COLUMNS`, and ``<metric>_<phenotype>`` for each
        phenotype, with a ``reference`` those of :data:`GAIN_COLUMNS`, and with ``alone``
        those of :data:`~signet.screen.alone.ALONE_COLUMNS`); the treatment-alone rows
        (``intervention == "none"``) are included with score 0.
    phenotypes
        Phenotype names, in the order of the value columns.
    score_phenotype
        The phenotype whose change is the score (``Death``).
    parameters
        The screen's parameters; ``stats`` what the run computed.
    metric
        What a row's value is (:mod:`signet.screen.metrics`).
    reference
        The context every intervention was also scored in for the therapeutic gain
        (``""``: none).
    alone
        Whether every intervention was also evaluated without the treatment (rows carry
        :data:`~signet.screen.alone.ALONE_COLUMNS`; see :func:`screen`).
    """

    rows: list[dict[str, Any]]
    phenotypes: list[str]
    score_phenotype: str
    parameters: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    excluded_trivial: list[str] = field(default_factory=list)
    #: ``"max"`` (the score is the gain in the phenotype's share) or ``"min"`` (its loss)
    direction: str = "max"
    metric: str = "share"
    reference: str = ""
    alone: bool = False

    @property
    def columns(self) -> list[str]:
        """The columns of every row, in order."""
        from .alone import ALONE_COLUMNS, ALONE_INTERVAL_COLUMNS

        after_score = (GAIN_COLUMNS if self.reference else []) + (ALONE_COLUMNS if self.alone else [])
        columns = list(COLUMNS)
        columns[columns.index("score") + 1:columns.index("score") + 1] = after_score
        if self.metric != "share":
            columns += (INTERVAL_COLUMNS + (GAIN_INTERVAL_COLUMNS if self.reference else [])
                        + (ALONE_INTERVAL_COLUMNS if self.alone else []))
        return columns + [f"{self.metric}_{p}" for p in self.phenotypes]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: parameters, stats and rows; a row's ``perturbation`` is an object
        ``{node: 0|1}`` as in ``control``'s solutions (``{}`` for the treatment alone);
        ``reference`` names the reference context when there is one; ``alone`` is the
        untreated assignment (e.g. ``{"RT": 0}``) when rows were also evaluated without the
        treatment."""
        return {
            "parameters": self.parameters,
            "metric": self.metric,
            "score_phenotype": self.score_phenotype,
            "direction": self.direction,
            **({"reference": self.reference} if self.reference else {}),
            **({"alone": self.parameters.get("alone")} if self.alone else {}),
            "phenotypes": self.phenotypes,
            "excluded_trivial": self.excluded_trivial,
            "stats": self.stats,
            "rows": [{**row, "perturbation": dict(parse_intervention_key(row["perturbation"]))} for row in self.rows],
        }

    def to_pandas(self) -> "pandas.DataFrame":
        """Every row as a ``pandas.DataFrame`` (the columns of :attr:`columns`, ranked)."""
        from ..tables import to_dataframe

        return to_dataframe(self.rows, self.columns)

    def _repr_html_(self) -> str:
        from ..tables import records_html

        share = f"share_{self.score_phenotype}"
        better = "loss" if self.direction == "min" else "gain"
        caption = (f"screen: score = {better} of the {self.score_phenotype} share against the treatment alone "
                   f"({len(self.rows)} rows)")
        columns = ["rank", "context", "intervention", "score", *(["gain"] if self.reference else []),
                   *(["normalised_score", "cytotoxic_alone"] if self.alone else []), share,
                   *(["alone_value", "normalised"] if self.alone else []), "bliss", "hsa", "attractors", "agents"]
        return records_html(self.rows, caption=caption, columns=columns)

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        """Write every row (all columns) as CSV, atomically.

        Text cells that a spreadsheet would run as a formula (starting with ``=``,
        ``+``, ``-``, ``@``, a tab or a carriage return: a drug or context name from
        the metadata) are written with a leading ``'``; numbers are written as numbers.

        Raises
        ------
        SignetError
            The file cannot be written (a missing folder, a full disk); nothing is left
            half-written.
        """
        import csv
        import io

        from ..io.files import atomic_write_text

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _csv_value(row.get(k)) for k in self.columns})
        try:
            atomic_write_text(path, buffer.getvalue())
        except OSError as exc:
            raise SignetError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    """A CSV cell: lists joined, floats short, text that looks like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def resolve_contexts(network: BooleanNetwork, contexts: str | Sequence[str] | None) -> list[str]:
    """Context names to screen: ``None`` is no context (``""``), ``"all"`` every context of the model."""
    if contexts is None:
        return [""]
    if isinstance(contexts, str):
        contexts = [c for c in contexts.split(",") if c.strip()]
    out: list[str] = []
    for name in contexts:
        name = name.strip()
        if name == "all":
            if not network.annotations.contexts:
                raise ModelError("--context all: this model defines no contexts")
            out.extend(c for c in network.annotations.contexts if c not in out)
        elif name in ("", "none"):
            if "" not in out:
                out.append("")
        else:
            network.context(name)  # raises with suggestions
            if name not in out:
                out.append(name)
    return out or [""]


def screen_fingerprint(job: Job, reference: str = "") -> dict[str, Any]:
    """What decides a row's value: stored in (and checked against) the checkpoint.

    The metric, the schedule, the reference context and a probability screen's runs and
    seed are recorded when they are not the defaults (so checkpoints of earlier share
    screens still resume): a resumed run never mixes rows of another metric or schedule,
    and a checkpoint made against one reference context is not resumed against another.
    """
    from .job import PROBABILITY_ANALYSIS

    found: dict[str, Any] = {
        "model": job.token.split(":")[0],
        "treatment": dict(sorted(job.treatment.items())),
        "update": job.update,
        "analysis": job.analysis_name,
        "phenotypes": dict(sorted(job.phenotypes.items())),
    }
    if job.metric != "share":
        found["metric"] = job.metric
    if job.schedule:
        found["schedule"] = job.schedule
    if reference:
        found["reference"] = reference
    if job.analysis_name == PROBABILITY_ANALYSIS:
        found["runs"], found["seed"] = job.runs, job.seed
        if job.max_states is not None:
            found["max_states"] = job.max_states
    return found


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def default_db_path(network: BooleanNetwork, out: str | os.PathLike[str] | None) -> str:
    """``<out>.sqlite`` beside ``--out``, else ``<model name>.screen.sqlite`` in the current folder.

    The model's name comes from the file (an SBML ``<model name>`` can be anything):
    it is reduced to letters, digits, ``_``, ``-`` and inner dots, so the checkpoint
    never lands outside the current folder.

    Examples
    --------
    >>> default_db_path(BooleanNetwork({"A": "A"}, name="../../etc/x y"), None)
    'etc_x_y.screen.sqlite'
    >>> default_db_path(BooleanNetwork({"A": "A"}, name="core"), "out/pairs.csv")
    'out/pairs.sqlite'
    """
    if out is not None:
        return os.fspath(os.path.splitext(os.fspath(out))[0] + ".sqlite")
    name = _UNSAFE.sub("_", network.name).strip("._-")
    return f"{name or 'model'}.screen.sqlite"


def screen(
    network: BooleanNetwork,
    *,
    contexts: str | Sequence[str] | None = None,
    max_size: int = 1,
    options: InterventionOptions | None = None,
    # the fields of InterventionOptions as keywords, kept for callers of the keyword API; the same
    # six lines stand in screen(), minimal_interventions() and interventions() (justified repeat)
    kinds: Sequence[str] | None = None,
    targets: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    druggable: bool | None = None,
    allow_trivial: bool | None = None,
    treatment: Mapping[str, int] | None = None,
    update: str | None = None,
    score: str = "Death",
    direction: str = "max",
    metric: str | None = None,
    schedule: str | Mapping[str, int] | None = None,
    rank: str | Sequence[str] | None = None,
    reference: str | None = None,
    alone: bool = False,
    split_inputs: bool | None = None,
    runs: int | None = None,
    seed: int = 0,
    max_states: int | None = None,
    db: str | os.PathLike[str] = ":memory:",
    fresh: bool = False,
    workers: int | None = None,
    scheduler: Any = None,
    backend: Scheduler | None = None,
    analysis: Analysis | None = None,
    fast_path: bool | None = None,
    progress: bool = False,
) -> ScreenResult:
    """Screen single and combined perturbations under the treatment, and rank them.

    Each intervention is applied in each context together with the treatment inputs
    (default the model's, e.g. ``RT=1``); its reachable attractors from the untreated
    cell are found by ``analysis`` (default :func:`signet.dynamics.response`), and the
    phenotype shares, the radiosensitization score (change in the ``score`` phenotype's
    share against the treatment alone in the same context) and, for combinations, the
    Bliss and highest-single-agent excess are reported.  Rows are stored in ``db`` as
    they complete; a second call with the same ``db`` resumes.

    Parameters
    ----------
    network
        The model, with phenotypes in its metadata.
    contexts
        Context name(s), ``"all"``, or ``None`` for the model as it is.
    max_size
        Largest number of perturbed nodes in one intervention (1, 2 or 3).
    options
        Which perturbations to try (:class:`~signet.screen.interventions.InterventionOptions`),
        or its fields as keyword arguments (``kinds``, ``targets``, ``exclude``,
        ``druggable``, ``allow_trivial``, ``treatment``; not both).
    update
        Update scheme passed to the analysis: default ``"mp"`` (most permissive), and
        ``"async"`` (the only one allowed) for ``metric="probability"``.
    score
        Phenotype whose change is the score, or a node (scored as the phenotype
        ``NODE: NODE``), or ``"NAME=0"`` / ``"NAME=1"`` (as control's goal) for the
        direction.
    direction
        ``"max"``: the score is the value's gain over the treatment alone (radiosensitizers
        raise ``Death``); ``"min"``: its loss (a screen that stops ``Proliferation``), so
        the best hits rank first either way.  Values, intervals, Bliss and HSA excess are
        then computed on the complement (``1 - value``: for shares and probabilities, the
        share or probability that the phenotype is *not* 1).  ``"NAME=0"`` in ``score``
        means ``"min"``.
    metric
        What a row's value is: ``"share"`` (fraction of reachable attractors),
        ``"probability"`` (fate probability of the asynchronous chain, exact or a
        simulated estimate with its interval), ``"inevitable"``, ``"possible"`` (the
        phenotype holds in all / some reachable attractors); see
        :mod:`signet.screen.metrics`.  ``None``: the model's ``screen_metric``
        (metadata) with the built-in analysis, else ``"share"``.
    schedule
        A treatment schedule (``"RT=1 ; RT=0"``, ``"(RT=1 ; RT=0) x 5"``) instead of the
        one phase ``treatment`` (not both).
    rank
        Rank keys in order (:data:`RANK_KEYS`, e.g. ``"score,hsa"``); default
        :func:`default_rank`.
    reference
        A context (e.g. ``"normal_tissue"``) in which every intervention is also scored,
        with the same treatment, metric and score, for the **therapeutic gain**: each row
        of another context gets ``reference_score`` (the intervention's score in the
        reference context) and ``gain = score - reference_score`` (with intervals
        ``gain_lo``/``gain_hi`` for any metric but share).  Scores are oriented so that
        larger is better (for a minimised phenotype, both are losses), so a positive gain
        means more effect on the tumour than on the reference tissue.  Rows of the
        reference context itself have no gain.  ``None``: the model's
        ``reference_context`` (metadata); ``""`` or ``"none"``: no reference.
    alone
        Also evaluate every intervention (and the treatment alone) **without the
        treatment**: the treatment's nodes (every node a phase of the schedule sets) at
        their baseline values, as one phase (``RT=0``), with the same metric, update, runs,
        seed, contexts and compartments, as a clonogenic assay measures the drug-alone
        plating efficiency.  Rows gain ``alone_value`` (the score phenotype's untreated
        value), ``alone_score`` (the intervention's effect without the treatment, oriented
        like ``score``), ``cytotoxic_alone`` (the untreated cell is not spared: survival 0
        for a minimised phenotype, ``Death`` 1 for a maximised one), ``normalised`` (the
        treated value divided by the untreated one, the plating-efficiency corrected
        survival; for a maximised phenotype ``1 - (1 - t) / (1 - a)``, see
        :mod:`signet.screen.alone`) and ``normalised_score`` (the control's normalised value
        minus the row's, oriented like ``score``: the radiosensitisation that the drug's own
        toxicity does not explain), both ``None`` for a row cytotoxic alone; with any metric
        but ``share`` also their intervals (:data:`~signet.screen.alone.ALONE_INTERVAL_COLUMNS`).
        The default rank then starts with ``normalised`` (see :func:`default_rank`).  The
        untreated rows are checkpointed in their own file beside ``db``
        (:func:`~signet.screen.alone.alone_db_path`: ``x.sqlite`` -> ``x.alone.sqlite``),
        resumed and refreshed (``fresh``) like the treated ones; the reference context is
        evaluated untreated only when it is one of the screened contexts.
    split_inputs
        Score each compartment of the inputs a context leaves free apart
        (``wildtype[Hypoxia=0]``, ``wildtype[Hypoxia=1]``) instead of pooling their
        attractors; default: split for every metric but ``share``.
    runs, seed
        Trajectories per simulated probability row (default
        :data:`~signet.screen.metrics.DEFAULT_RUNS`: the 95% interval is at most +-0.02)
        and the seed (each row's own seed is derived from it, so the table does not
        depend on the number of workers).
    max_states
        The exact engine's limit per probability row (reachable states, default
        :data:`~signet.screen.metrics.SCREEN_MAX_STATES`): a row beyond it is simulated.
    db, fresh
        SQLite checkpoint of finished rows (``":memory:"`` keeps nothing), and whether to
        discard a checkpoint made for another model/parameters instead of failing.
    workers, scheduler, backend
        Local processes (default all cores), a Dask scheduler address, or a ready
        :class:`~signet.screen.scheduler.Scheduler`.
    analysis
        ``None`` for the built-in analysis, or
        ``analysis(network, *, context, perturbation, treatment, update, phenotypes)``
        returning ``{"values": [{phenotype: 1|0|"*"} per attractor], "exact": bool}``.
    fast_path
        See :attr:`Job.fast_path <signet.screen.job.Job.fast_path>` (default: the
        built-in analysis under mp takes it).
    progress
        Show a progress bar on stderr.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> from signet.annotations import Annotations
    >>> net = parse_bnet('''
    ... RT, RT
    ... ATM, RT
    ... MDM2, !ATM | AKT
    ... TP53, ATM & !MDM2
    ... AKT, AKT
    ... Death, TP53
    ... ''', annotations=Annotations(phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0}))
    >>> result = screen(net, workers=1, targets=["MDM2", "AKT"])
    >>> [(r["intervention"], r["score"]) for r in result.rows]
    [('AKT ko', 0.5), ('MDM2 ko', 0.5), ('none', 0.0), ('AKT oe', -0.5), ('MDM2 oe', -0.5)]

    Without the treatment (``RT=0``) nothing dies, so no row is cytotoxic alone:

    >>> result = screen(net, workers=1, targets=["MDM2", "AKT"], alone=True)
    >>> [(r["intervention"], r["alone_value"], r["cytotoxic_alone"], r["normalised"]) for r in result.rows][:2]
    [('AKT ko', 0.0, False, 1.0), ('MDM2 ko', 0.0, False, 1.0)]
    """
    from .metrics import compartments

    score, direction = _score_goal(score, direction)
    phenotypes = _score_phenotypes(network, score)
    if max_size not in (1, 2, 3):
        raise ModelError("max_size must be 1, 2 or 3")
    metric = _metric_of(network, metric, analysis)
    update = _update_for(metric, update)
    runs = _runs_of(runs)
    options = InterventionOptions.build(
        options, kinds=kinds, targets=targets, exclude=exclude, druggable=druggable,
        allow_trivial=allow_trivial, treatment=treatment,
    )
    if schedule is None and options.treatment is None and network.annotations.schedule:
        schedule = network.annotations.schedule  # the model's own treatment is a schedule (e.g. a pulse)
    schedule_text, scheduled = _schedule_of(network, schedule, options, update, metric)
    if scheduled is not None:  # the schedule's nodes are never targets
        options = replace(options, treatment=scheduled)
    resolved_treatment = (options.treatment_of(network) if schedule_text is None
                          else _common_values(network, schedule_text))
    context_names = resolve_contexts(network, contexts)
    split = metric != "share" if split_inputs is None else split_inputs
    reference_name = _reference_context(network, reference, split, list(options.treatment_of(network)))
    keys = rank_keys(rank, metric, reference=bool(reference_name), alone=alone)
    parts = intervention_parts(network, options, max_size=max_size)
    all_interventions: list[Intervention] = [(), *parts]
    screened = network
    if split:
        screened, context_names, _ = compartments(network, context_names, list(options.treatment_of(network)))
    job = Job(screened, phenotypes, resolved_treatment, update, analysis, fast_path, metric, schedule_text, runs, seed,
              max_states)
    parameters = {
        "model": network.name,
        "contexts": context_names,
        "max_size": max_size,
        **options.to_json(),
        "treatment": dict(resolved_treatment),
        "schedule": schedule_text,
        "update": update,
        "score": score,
        "direction": direction,
        "metric": metric,
        "rank": list(keys),
        "reference": reference_name or None,
        "split_inputs": split,
    }
    if metric == "probability":
        parameters.update(runs=runs, seed=seed)
    # the reference rows are rows of their context: computed once per intervention, shared with a
    # screen of that context, and resumed from the checkpoint like any other row
    evaluated = context_names + ([reference_name] if reference_name and reference_name not in context_names else [])
    items = [(c, intervention_key(i)) for c in evaluated for i in all_interventions]
    untreated = None
    if alone:
        from .alone import untreated_assignment

        untreated = untreated_assignment(network, options.treatment_of(network))
        parameters["alone"] = untreated
    backend = backend or make_scheduler(workers, scheduler)
    with ScreenStore(db, screen_fingerprint(job, reference_name), fresh=fresh) as store:
        store.set_parameters(parameters)
        stats = evaluate(job, items, store, backend, progress=progress)
        results = store.row_results()
    counts: dict[str, int] = {}
    alone_results = None
    if untreated is not None:  # the same rows without the treatment (not the reference's: no gain needs them)
        alone_job = replace(job, treatment=untreated, schedule=None, fast_path=fast_path, token="")
        alone_results, counts = _evaluate_alone(alone_job, context_names, all_interventions, db, fresh, parameters,
                                                backend, progress)
    rows = score_rows(screened, context_names, all_interventions, results, list(phenotypes), score, parts,
                      metric=metric, rank=keys, minimise=direction == "min", reference=reference_name,
                      alone=alone_results)
    # stats count every row evaluated; reference_rows are those of the reference context alone (not in the table)
    counts = {**stats.as_dict(), "reference_rows": len(items) - len(rows), **counts}
    return ScreenResult(rows, list(phenotypes), score, parameters, counts, options.excluded_trivial(network),
                        direction=direction, metric=metric, reference=reference_name, alone=alone)


def _runs_of(runs: int | None) -> int:
    """Trajectories per simulated probability row: ``runs``, default :data:`~signet.screen.metrics.DEFAULT_RUNS`."""
    from .metrics import DEFAULT_RUNS

    runs = DEFAULT_RUNS if runs is None else runs
    if runs < 1:
        raise ModelError("runs must be at least 1")
    return runs


def _evaluate_alone(job: Job, contexts: Sequence[str], all_interventions: Sequence[Intervention],
                    db: str | os.PathLike[str], fresh: bool, parameters: Mapping[str, Any], backend: Scheduler,
                    progress: bool) -> tuple[dict[tuple[str, str], dict], dict[str, int]]:
    """The untreated rows of a screen run ``alone`` (every intervention in every screened
    context, ``job`` being the untreated job): evaluated, checkpointed and resumed in their
    own file (:func:`~signet.screen.alone.alone_db_path`); their results and the
    evaluation's counts (``alone_rows``, ``alone_already_done``, ...)."""
    from .alone import alone_db_path

    items = [(c, intervention_key(i)) for c in contexts for i in all_interventions]

    with ScreenStore(alone_db_path(db), screen_fingerprint(job), fresh=fresh) as store:
        store.set_parameters({**parameters, "treatment": dict(job.treatment), "schedule": None})
        stats = evaluate(job, items, store, backend, progress=progress, description="untreated")
        results = store.row_results()
    return results, {f"alone_{k}": v for k, v in stats.as_dict().items()}


def _metric_of(network: BooleanNetwork, metric: str | None, analysis: Analysis | None) -> str:
    """The metric: ``metric``, else the model's (for the built-in analyses only: a caller's
    analysis returns attractor values), else share."""
    from .metrics import METRICS

    metric = metric or (network.annotations.screen.metric if analysis is None else "") or "share"
    if metric not in METRICS:
        raise ModelError(f"unknown metric {metric!r}: choose one of {', '.join(METRICS)}")
    return metric


def _reference_context(network: BooleanNetwork, reference: str | None, split: bool, fixed: Sequence[str]) -> str:
    """The reference context's name (``""`` for none): ``reference``, else the model's.

    Raises
    ------
    ModelError
        No such context, or (when compartments are split) one that leaves inputs free:
        a reference must be one population of cells.
    """
    from .metrics import free_inputs

    name = network.annotations.screen.reference if reference is None else str(reference).strip()
    if name in ("", "none"):
        return ""
    if name not in network.annotations.contexts:
        known = ", ".join(network.annotations.contexts) or "none"
        raise ModelError(f"unknown reference context {name!r} (contexts: {known})")
    free = free_inputs(network, name, fixed) if split else []
    if free:
        raise ModelError(f"reference context {name!r} leaves {', '.join(free)} free: the reference must be one "
                         "compartment (fix them in the context, or pool compartments with --pool-inputs)")
    return name


def _score_phenotypes(network: BooleanNetwork, score: str) -> dict[str, str]:
    """The model's phenotypes, with ``score`` added as the phenotype ``NODE: NODE`` when it is a node only."""
    phenotypes = dict(network.annotations.phenotypes)
    if score not in phenotypes:
        if score not in network:
            if not phenotypes:
                raise ModelError(f"{score!r} to score is neither a node nor a phenotype: the model defines no "
                                 f"phenotypes (add 'phenotypes:' to its metadata or --phenotype NAME=EXPR)")
            raise ModelError(f"unknown phenotype or node {score!r} to score (phenotypes: {', '.join(phenotypes)})")
        phenotypes[score] = score
    return phenotypes


def _score_goal(score: str, direction: str) -> tuple[str, str]:
    """``("Proliferation=0", "max")`` -> ``("Proliferation", "min")``; checks the direction."""
    if direction not in ("max", "min"):
        raise ModelError(f"direction must be 'max' or 'min', not {direction!r}")
    name, eq, value = str(score).partition("=")
    if not eq:
        return name.strip(), direction
    if value.strip() not in ("0", "1"):
        raise ModelError(f"bad score {score!r}: expected NAME, NAME=1 (raise it) or NAME=0 (lower it)")
    wanted = "max" if value.strip() == "1" else "min"
    if direction != "max" and direction != wanted:
        raise ModelError(f"score {score!r} and direction {direction!r} disagree")
    return name.strip(), wanted


def _update_for(metric: str, update: str | None) -> str:
    """The update scheme: ``mp`` by default, ``async`` (and only it) for probabilities."""
    if metric == "probability":
        if update not in (None, "async"):
            raise ModelError(f"--metric probability is the asynchronous chain's: it needs --update async, not {update}")
        return "async"
    return update or "mp"


def _schedule_of(network: BooleanNetwork, schedule: str | Mapping[str, int] | None, options: InterventionOptions,
                 update: str, metric: str) -> tuple[str | None, dict[str, int] | None]:
    """The schedule's text (``None`` for none, or for one phase run until settled, which is a
    treatment) and its nodes with their first values (never targets)."""
    if schedule is None:
        return None, None
    from ..dynamics.schedule import as_schedule

    if options.treatment is not None:
        raise ModelError("give a treatment or a schedule, not both")
    plan = as_schedule(schedule, network)
    phases = plan.phases()
    if not phases:
        raise ModelError("the schedule has no phase")
    nodes: dict[str, int] = {}
    for phase in phases:
        for name, value in phase.assignment().items():
            nodes.setdefault(name, value)
        if phase.duration is not None and metric != "probability":
            if update == "mp":
                raise ModelError(f"phase '{phase}': most-permissive dynamics have no steps; "
                                 "bounded phases (@) need --update sync or async, or --metric probability")
            if not isinstance(phase.duration, int):
                raise ModelError(f"phase '{phase}': sync and async phases last a whole number of steps")
    if plan.is_single():
        return None, nodes
    return str(plan), nodes


def _common_values(network: BooleanNetwork, schedule: str) -> dict[str, int]:
    """The values every phase of ``schedule`` sets alike (what percolation may pin)."""
    from ..dynamics.schedule import as_schedule

    phases = as_schedule(schedule, network).phases()
    first = phases[0].assignment()
    return {n: v for n, v in first.items() if all(p.assignment().get(n) == v for p in phases)}


#: rank keys (see :func:`score_rows`) and what each sorts by
RANK_KEYS = ("score", "score_lo", "gain", "normalised", "bliss", "hsa", "size", "share", "inevitable", "possible")


def default_rank(metric: str, reference: bool = False, alone: bool = False) -> tuple[str, ...]:
    """The rank order of a metric: (with ``alone``) the normalised score, then the score, then
    (with a ``reference`` context) the therapeutic gain, then (for the all-or-nothing metrics)
    the share change, then Bliss excess, then size; remaining ties by context and intervention.

    A screen run ``alone`` asks which interventions *radiosensitise*, and radiobiology answers
    that on survival normalised to the drug-alone plating efficiency (a sensitiser enhancement
    ratio is read off normalised survival curves): a drug's own toxicity adds cell kill
    independently of the dose, which is additivity, not sensitisation.  So ``alone`` ranks by
    ``normalised`` first (rows cytotoxic alone last), and the score (the total effect of drug
    and dose) breaks its ties.

    Examples
    --------
    >>> default_rank("share", reference=True)
    ('score', 'gain', 'bliss', 'size')
    >>> default_rank("share", alone=True)
    ('normalised', 'score', 'bliss', 'size')
    """
    first = ("normalised",) if alone else ()
    gain = ("gain",) if reference else ()
    if metric in ("inevitable", "possible"):
        return (*first, "score", *gain, "share", "bliss", "size")
    return (*first, "score", *gain, "bliss", "size")


def rank_keys(rank: str | Sequence[str] | None, metric: str, reference: bool = False,
              alone: bool = False) -> tuple[str, ...]:
    """``rank`` as a tuple of known keys (``"score,bliss"`` or a sequence), checked;
    ``gain`` only with a ``reference`` context, ``normalised`` only with ``alone``.

    Examples
    --------
    >>> rank_keys("score, hsa", "share")
    ('score', 'hsa')
    >>> rank_keys(None, "share", reference=True)
    ('score', 'gain', 'bliss', 'size')
    """
    if rank is None:
        return default_rank(metric, reference, alone)
    items = [k.strip() for k in rank.split(",")] if isinstance(rank, str) else [str(k).strip() for k in rank]
    items = [k for k in items if k]
    if not items:
        raise ModelError("--rank needs at least one key")
    for key in items:
        _check_rank_key(key, metric, reference, alone)
    return tuple(items)


def _check_rank_key(key: str, metric: str, reference: bool, alone: bool) -> None:
    """Raise a :class:`ModelError` for a rank key that is unknown or that this screen cannot sort by."""
    if key not in RANK_KEYS:
        raise ModelError(f"unknown rank key {key!r}: choose from {', '.join(RANK_KEYS)}")
    if key == "gain" and not reference:
        raise ModelError("rank key 'gain' needs a reference context (--reference CONTEXT, or the model's "
                         "reference_context)")
    if key == "normalised" and not alone:
        raise ModelError("rank key 'normalised' needs the untreated rows: add --alone (alone=True)")
    if metric == "probability" and key in ("share", "inevitable", "possible"):
        raise ModelError(f"rank key {key!r} needs the reachable attractors; a probability screen has "
                         "the attractors reached by the chain only (rank by score, score_lo, bliss, hsa, size)")


def _sort_value(row: Mapping[str, Any], key: str, extra: Mapping[str, float]) -> float:
    if key == "size":
        return float(row["size"])
    if key in extra:
        return -extra[key]
    if key == "normalised":  # rows cytotoxic alone have no normalised score: after every other row
        return math.inf if row["cytotoxic_alone"] else -(row["normalised_score"] or 0.0)
    if key == "score_lo":
        value = row.get("score_lo", row["score"])
    else:
        value = row.get(key)
    return -(value or 0.0)


def _synergy(mine: Estimate, control: Estimate, singles: Sequence[Estimate], intervals: bool) -> tuple[
        float | None, float | None, tuple[float, float] | None, tuple[float, float] | None]:
    """Bliss and HSA excess of a combination scored ``mine`` over its ``singles`` (none: not a
    combination, or a part was not screened), with their intervals when ``intervals``."""
    from .metrics import effect_interval

    if not singles:
        return None, None, None, None
    values = [e.value for e in singles]
    bliss = bliss_excess(mine.value, values, control.value)
    hsa = hsa_excess(mine.value, values)
    if not intervals:
        return bliss, hsa, None, None
    bliss_interval = effect_interval(lambda c, p0, *s: bliss_excess(c, s, p0), [mine, control, *singles])
    hsa_interval = effect_interval(lambda c, *s: hsa_excess(c, s), [mine, *singles])
    return bliss, hsa, bliss_interval, hsa_interval


def _single_estimates(i: Intervention, units: tuple[Intervention, ...],
                      est_of: Mapping[Intervention, Mapping[str, Estimate]], score: str) -> list[Estimate]:
    """The estimates a combination ``i`` is compared with: the agents it combines (``units``), or
    a multi-target agent alone with its target nodes; none when ``i`` is no combination or one
    of them was not screened."""
    components = list(units) if len(units) >= 2 else [(single,) for single in i]
    if len(components) < 2 or any(c not in est_of for c in components):
        return []
    return [est_of[c][score] for c in components]


def _interval_columns(mine: Estimate, control: Estimate, same: bool, bliss_interval: tuple[float, float] | None,
                      hsa_interval: tuple[float, float] | None) -> dict[str, Any]:
    """A row's ``value``, its interval and the intervals of the score, Bliss and HSA excess."""
    from .metrics import effect_interval

    lo, hi = mine.interval()
    score_interval = (0.0, 0.0) if same else effect_interval(lambda a, b: a - b, [mine, control])
    return {
        "value": mine.value, "lo": lo, "hi": hi, "score_lo": score_interval[0], "score_hi": score_interval[1],
        "bliss_lo": bliss_interval[0] if bliss_interval else None,
        "bliss_hi": bliss_interval[1] if bliss_interval else None,
        "hsa_lo": hsa_interval[0] if hsa_interval else None,
        "hsa_hi": hsa_interval[1] if hsa_interval else None,
    }


def score_rows(
    network: BooleanNetwork,
    contexts: Sequence[str],
    all_interventions: Sequence[Intervention],
    results: Mapping[tuple[str, str], dict],
    phenotypes: list[str],
    score: str,
    parts: Mapping[Intervention, tuple[Intervention, ...]] | None = None,
    *,
    minimise: bool = False,
    metric: str = "share",
    rank: str | Sequence[str] | None = None,
    reference: str = "",
    alone: Mapping[tuple[str, str], dict] | None = None,
) -> list[dict[str, Any]]:
    """Score and rank stored results (deterministic: the same results give the same table).

    With ``minimise`` the score, its interval and Bliss/HSA excess are taken on the
    complement of the ``score`` phenotype's value (``1 - value``, e.g. the share of
    attractors where it is not 1); the per-phenotype value columns stay as they are.

    ``parts`` gives the units (agents) each combination is made of (see
    :func:`~signet.screen.interventions.intervention_parts`); without it every node is a unit.
    ``metric`` says what a row's value is (:mod:`signet.screen.metrics`); with any metric but
    ``share`` rows also carry ``value``, ``lo``, ``hi`` and the intervals of the score, Bliss
    and HSA excess.  Rows are sorted by the ``rank`` keys in order (:data:`RANK_KEYS`:
    larger first, ``size`` smaller first; ``share``/``inevitable``/``possible`` are the
    score under that metric), then by context and intervention.

    With a ``reference`` context (whose rows ``results`` holds), every row of another
    context also gets ``reference_score`` (the same intervention's score there) and
    ``gain = score - reference_score``, with ``gain_lo``/``gain_hi`` when intervals are.

    With ``alone`` (the results of the same rows without the treatment, keyed alike), every
    row also gets the columns of :data:`~signet.screen.alone.ALONE_COLUMNS`
    (:func:`~signet.screen.alone.alone_columns`).
    """
    keys = rank_keys(rank, metric, reference=bool(reference), alone=alone is not None)
    scorer = _Scorer(network, all_interventions, results, phenotypes, score, parts or {}, minimise, metric,
                     reference, alone, [k for k in keys if k in ("share", "inevitable", "possible")])
    rows: list[dict[str, Any]] = []
    extras: list[dict[str, float]] = []
    for context in contexts:
        scorer.context_rows(context, rows, extras)
    return _ranked(rows, extras, keys)


class _Scorer:
    """What :func:`score_rows` shares between contexts: the interventions described once,
    the estimates' cache, the reference's scores."""

    def __init__(self, network: BooleanNetwork, all_interventions: Sequence[Intervention],
                 results: Mapping[tuple[str, str], dict], phenotypes: list[str], score: str,
                 parts: Mapping[Intervention, tuple[Intervention, ...]], minimise: bool, metric: str,
                 reference: str, alone: Mapping[tuple[str, str], dict] | None, secondary: list[str]) -> None:
        self.results, self.phenotypes, self.score, self.parts = results, phenotypes, score, parts
        self.minimise, self.metric, self.reference, self.alone = minimise, metric, reference, alone
        self.secondary, self.intervals = secondary, metric != "share"
        self.cache: dict[int, dict[str, Estimate]] = {}
        self.described = [(i, intervention_key(i), format_intervention(i), agents_of(network, i))
                          for i in all_interventions]
        self.references = (_reference_scores(reference, all_interventions, results, self.cache, phenotypes, metric,
                                             score, self.scored) if reference else {})

    def scored(self, e: Estimate) -> Estimate:
        """The estimate the score is taken on: the complement when minimising."""
        from .metrics import complement

        return complement(e) if self.minimise else e

    def context_rows(self, context: str, rows: list[dict[str, Any]], extras: list[dict[str, float]]) -> None:
        """Append the rows of ``context`` (and their secondary rank values) to ``rows`` (``extras``)."""
        from .metrics import _attractor_value

        results_of = {i: self.results[(context, key)] for i, key, _, _ in self.described}
        est_of = _estimates(results_of, self.cache, self.phenotypes, self.metric)
        control_result = results_of[()]
        alone_of = self._alone_of(context)
        sign = -1.0 if self.minimise else 1.0
        for i, key, text, agents in self.described:
            res = results_of[i]
            row = self._row(context, i, key, text, agents, res, est_of, res is control_result)
            if alone_of is not None:
                row.update(self._alone_row(i, est_of, alone_of, res is control_result))
            rows.append(row)
            extras.append({
                k: sign * (_attractor_value(res["values"], self.score, k)
                           - _attractor_value(control_result["values"], self.score, k))
                for k in self.secondary
            })

    def _row(self, context: str, i: Intervention, key: str, text: str, agents: Sequence[str], res: dict,
             est_of: Mapping[Intervention, Mapping[str, Estimate]], same: bool) -> dict[str, Any]:
        """One row without the untreated columns (``same``: its analysis is the treatment alone's,
        so the effect is exactly 0)."""
        found = est_of[i]
        mine, control = self.scored(found[self.score]), self.scored(est_of[()][self.score])
        singles = [self.scored(e) for e in _single_estimates(i, self.parts.get(i, ()), est_of, self.score)]
        bliss, hsa, bliss_interval, hsa_interval = _synergy(mine, control, singles, self.intervals)
        row: dict[str, Any] = {
            "rank": 0,
            "context": context or "none",
            "intervention": text,
            "perturbation": key,
            "size": intervention_size(i),
            "agents": list(agents),
            "score": 0.0 if same else mine.value - control.value,
            "bliss": bliss,
            "hsa": hsa,
            "attractors": len(res["values"]),
            "exact": bool(res.get("exact", True)),
        }
        if self.intervals:
            row.update(_interval_columns(mine, control, same, bliss_interval, hsa_interval))
        if self.reference:  # the reference's own rows have no gain (None)
            row.update(_gain_columns(row["score"], None if same else (mine, control), self.references[i],
                                     self.intervals)
                       if context != self.reference else dict.fromkeys(_gain_keys(self.intervals)))
        for ph in self.phenotypes:
            row[f"{self.metric}_{ph}"] = found[ph].value
        return row

    def _alone_of(self, context: str) -> dict[Intervention, tuple[dict, Estimate]] | None:
        """Per intervention, its untreated result and the score phenotype's estimate there."""
        if self.alone is None:
            return None
        results_of = {i: self.alone[(context, key)] for i, key, _, _ in self.described}
        est_of = _estimates(results_of, self.cache, self.phenotypes, self.metric)
        return {i: (res, est_of[i][self.score]) for i, res in results_of.items()}

    def _alone_row(self, i: Intervention, est_of: Mapping[Intervention, Mapping[str, Estimate]],
                   alone_of: Mapping[Intervention, tuple[dict, Estimate]], same: bool) -> dict[str, Any]:
        """The untreated columns of a row (:func:`~signet.screen.alone.alone_columns`)."""
        from .alone import alone_columns

        res, alone = alone_of[i]
        control_res, alone_control = alone_of[()]
        return alone_columns(est_of[i][self.score], alone, est_of[()][self.score], alone_control,
                             minimise=self.minimise, intervals=self.intervals, same=same,
                             same_alone=res is control_res)


#: an intervention's score in one context: its value's and the treatment alone's estimates
#: (``None`` when both are the same analysis, so the score is exactly 0)
_Scored = tuple[float, "tuple[Estimate, Estimate] | None"]


def _reference_scores(reference: str, all_interventions: Sequence[Intervention],
                      results: Mapping[tuple[str, str], dict], cache: dict[int, dict[str, Estimate]],
                      phenotypes: Sequence[str], metric: str, score: str,
                      scored: Any) -> dict[Intervention, _Scored]:
    """Each intervention's score in the ``reference`` context (see :func:`score_rows`)."""
    results_of = {i: results[(reference, intervention_key(i))] for i in all_interventions}
    est_of = _estimates(results_of, cache, phenotypes, metric)
    control = scored(est_of[()][score])
    found: dict[Intervention, _Scored] = {}
    for i, res in results_of.items():
        if res is results_of[()]:
            found[i] = (0.0, None)
        else:
            mine = scored(est_of[i][score])
            found[i] = (mine.value - control.value, (mine, control))
    return found


def _gain_keys(intervals: bool) -> list[str]:
    """The columns a reference adds to a row."""
    return GAIN_COLUMNS + (GAIN_INTERVAL_COLUMNS if intervals else [])


def _gain_columns(score: float, tumour: tuple[Estimate, Estimate] | None, normal: _Scored,
                  intervals: bool) -> dict[str, Any]:
    """A row's ``reference_score``, ``gain`` and (with ``intervals``) ``gain_lo``/``gain_hi``.

    ``tumour`` and the reference's pair are the (value, treatment alone) estimates whose
    differences are the two scores, ``None`` where a score is exactly 0.
    """
    reference_score, pair = normal
    columns: dict[str, Any] = {"reference_score": reference_score, "gain": score - reference_score}
    if intervals:
        from .metrics import effect_interval

        inputs = [*(tumour or ()), *(pair or ())]

        def gain(*values: float) -> float:
            mine = values[0] - values[1] if tumour else 0.0
            rest = values[2:] if tumour else values
            return mine - (rest[0] - rest[1] if pair else 0.0)

        columns["gain_lo"], columns["gain_hi"] = effect_interval(gain, inputs)
    return columns


def _estimates(results_of: Mapping[Intervention, dict], cache: dict[int, dict[str, Estimate]],
               phenotypes: Sequence[str], metric: str) -> dict[Intervention, dict[str, Estimate]]:
    """Per intervention, the estimate of each phenotype's value; ``cache`` is by result object
    (results share parsed objects)."""
    from .metrics import estimate

    est_of: dict[Intervention, dict[str, Estimate]] = {}
    for i, res in results_of.items():
        cached = cache.get(id(res))
        if cached is None:
            cached = cache[id(res)] = {p: estimate(res, p, metric) for p in phenotypes}
        est_of[i] = cached
    return est_of


def _ranked(rows: list[dict[str, Any]], extras: list[dict[str, float]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """``rows`` sorted by the rank ``keys``, then context and intervention, numbered from 1."""
    order = sorted(
        range(len(rows)),
        key=lambda n: (*(_sort_value(rows[n], k, extras[n]) for k in keys), rows[n]["context"],
                       rows[n]["perturbation"]),
    )
    ranked = [rows[n] for n in order]
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return ranked
