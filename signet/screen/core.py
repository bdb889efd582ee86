"""Intervention screens: run, score and rank single and combined perturbations.

See :func:`screen`.  The scores are defined in :mod:`signet.screen.scoring`, the
interventions in :mod:`signet.screen.interventions`, the execution and storage in
:mod:`signet.screen.engine` and :mod:`signet.screen.store`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ModelError
from .engine import Job, dynamics_analysis, evaluate, make_backend, treatment_and_analysis
from .interventions import (
    Intervention,
    agents_of,
    candidate_targets,
    format_intervention,
    intervention_key,
    intervention_parts,
    trivial_nodes,
)
from .scoring import bliss_excess, hsa_excess, shares
from .store import ScreenStore

__all__ = ["screen", "ScreenResult", "resolve_contexts", "screen_fingerprint", "COLUMNS"]

#: the columns of a screen table, in order (phenotype share columns follow ``agents``)
COLUMNS = [
    "rank", "context", "intervention", "perturbation", "size", "agents", "score",
    "bliss", "hsa", "attractors", "exact",
]


@dataclass
class ScreenResult:
    """A finished screen: one row per (context, intervention), ranked.

    Attributes
    ----------
    rows
        Ranked rows (dicts with the keys of :data:`COLUMNS` plus ``share_<phenotype>``
        for each phenotype); the treatment-alone rows (``intervention == "none"``) are
        included with score 0.
    phenotypes
        Phenotype names, in the order of the share columns.
    score_phenotype
        The phenotype whose share change is the score (``Death``).
    parameters
        The screen's parameters; ``stats`` what the run computed.
    """

    rows: list[dict[str, Any]]
    phenotypes: list[str]
    score_phenotype: str
    parameters: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    excluded_trivial: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return COLUMNS + [f"share_{p}" for p in self.phenotypes]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: parameters, stats and rows."""
        return {
            "parameters": self.parameters,
            "score_phenotype": self.score_phenotype,
            "phenotypes": self.phenotypes,
            "excluded_trivial": self.excluded_trivial,
            "stats": self.stats,
            "rows": self.rows,
        }

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        """Write every row (all columns) as CSV."""
        import csv
        import io

        from ..io.files import atomic_write_text

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _csv_value(row.get(k)) for k in self.columns})
        atomic_write_text(path, buffer.getvalue())


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.6g}"
    return value


def resolve_contexts(network, contexts: str | Sequence[str] | None) -> list[str]:
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


def screen_fingerprint(job: Job) -> dict[str, Any]:
    """What decides a row's value: stored in (and checked against) the database."""
    return {
        "model": job.token.split(":")[0],
        "treatment": dict(sorted(job.treatment.items())),
        "update": job.update,
        "analysis": f"{job.analysis.__module__}.{job.analysis.__qualname__}",
        "phenotypes": dict(sorted(job.phenotypes.items())),
    }


def default_db_path(network, out: str | os.PathLike[str] | None) -> str:
    """``results.sqlite`` beside ``--out``, else ``<model>.screen.sqlite`` in the current folder."""
    if out is not None:
        return os.fspath(os.path.splitext(os.fspath(out))[0] + ".sqlite")
    return f"{network.name or 'model'}.screen.sqlite"


def screen(
    network,
    *,
    contexts: str | Sequence[str] | None = None,
    max_size: int = 1,
    kinds: Sequence[str] = ("ko", "oe"),
    targets: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    druggable: bool = False,
    allow_trivial: bool = False,
    treatment: Mapping[str, int] | None = None,
    update: str = "mp",
    score: str = "Death",
    db: str | os.PathLike[str] = ":memory:",
    fresh: bool = False,
    workers: int | None = None,
    scheduler=None,
    backend=None,
    analysis=dynamics_analysis,
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
    kinds
        ``"ko"`` (fix to 0) and/or ``"oe"`` (fix to 1).
    targets, exclude, allow_trivial
        Which nodes to perturb (see :func:`~signet.screen.interventions.candidate_targets`).
    druggable
        Only nodes with an agent in the metadata, perturbed as the agent acts
        (inhibit: ko, activate: oe); ``kinds`` is then ignored.
    treatment
        Input values during treatment (default the model's ``treatment``; a model whose
        treatment is a schedule of phases, such as ``RT=1 ; RT=0``, is screened under
        that schedule, see :func:`signet.screen.engine.schedule_analysis`).
    update
        Update scheme passed to the analysis (``"mp"`` most permissive).
    score
        Phenotype whose share change is the score.
    db, fresh
        SQLite file of finished rows (``":memory:"`` keeps nothing), and whether to
        discard a file made for another model/parameters instead of failing.
    workers, scheduler, backend
        Local processes (default all cores), a Dask scheduler address, or a ready backend.
    analysis
        ``analysis(network, *, context, perturbation, treatment, update, phenotypes)``
        returning ``{"values": [{phenotype: 1|0|"*"} per attractor], "exact": bool}``.
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
    >>> def fixed_point(network, *, context, perturbation, treatment, update, phenotypes):
    ...     # stand-in analysis for this example: percolation decides everything here
    ...     _, values = network.perturb(fix={**perturbation, **treatment}).percolate()
    ...     return {"values": [{"Death": values.get("Death", "*")}], "exact": True}
    >>> result = screen(net, analysis=fixed_point, workers=1, targets=["MDM2", "AKT"])
    >>> [(r["intervention"], r["score"]) for r in result.rows]
    [('AKT ko', 1.0), ('MDM2 ko', 1.0), ('none', 0.0), ('AKT oe', 0.0), ('MDM2 oe', 0.0)]
    """
    phenotypes = dict(network.annotations.phenotypes)
    if not phenotypes:
        raise ModelError("the model defines no phenotypes (add 'phenotypes:' to its metadata)")
    if score not in phenotypes:
        raise ModelError(f"unknown phenotype {score!r} to score (known: {', '.join(phenotypes)})")
    if max_size not in (1, 2, 3):
        raise ModelError("max_size must be 1, 2 or 3")
    treatment, analysis = treatment_and_analysis(network, treatment, analysis)
    context_names = resolve_contexts(network, contexts)
    target_list = None if targets is None else list(targets)
    exclude = list(exclude)
    parts = intervention_parts(
        network, max_size=max_size, kinds=kinds, targets=target_list, exclude=exclude,
        druggable=druggable, allow_trivial=allow_trivial, treatment=treatment,
    )
    singles_and_combos = list(parts)
    pool = candidate_targets(network, targets=target_list, exclude=exclude, allow_trivial=True, treatment=treatment)
    trivial_set = trivial_nodes(network)
    trivial = [] if allow_trivial else [n for n in pool if n in trivial_set]
    all_interventions: list[Intervention] = [()] + singles_and_combos
    job = Job(network, phenotypes, treatment, update, analysis)
    parameters = {
        "model": network.name,
        "contexts": context_names,
        "max_size": max_size,
        "kinds": list(kinds),
        "targets": target_list,
        "exclude": exclude,
        "druggable": druggable,
        "allow_trivial": allow_trivial,
        "treatment": dict(treatment),
        "update": update,
        "score": score,
    }
    items = [(c, intervention_key(i)) for c in context_names for i in all_interventions]
    if backend is None:
        backend = make_backend(workers, scheduler)
    with ScreenStore(db, screen_fingerprint(job), fresh=fresh) as store:
        store.set_parameters(parameters)
        stats = evaluate(job, items, store, backend, progress=progress, description="screen")
        results = store.row_results()
    rows = score_rows(network, context_names, all_interventions, results, list(phenotypes), score, parts)
    return ScreenResult(rows, list(phenotypes), score, parameters, stats.as_dict(), trivial)


def score_rows(
    network,
    contexts: Sequence[str],
    all_interventions: Sequence[Intervention],
    results: Mapping[tuple[str, str], dict],
    phenotypes: list[str],
    score: str,
    parts: Mapping[Intervention, tuple[Intervention, ...]] | None = None,
) -> list[dict[str, Any]]:
    """Score and rank stored results (deterministic: the same results give the same table).

    ``parts`` gives the units (agents) each combination is made of (see
    :func:`~signet.screen.interventions.intervention_parts`); without it every node is a unit.
    """
    parts = parts or {}
    rows = []
    share_cache: dict[int, dict[str, float]] = {}  # by result object: results share parsed objects
    described = [(i, intervention_key(i), format_intervention(i), agents_of(network, i)) for i in all_interventions]
    share_columns = [(ph, f"share_{ph}") for ph in phenotypes]
    for context in contexts:
        share_of: dict[Intervention, dict[str, float]] = {}
        results_of: dict[Intervention, dict] = {}
        for i, key, _, _ in described:
            res = results_of[i] = results[(context, key)]
            cached = share_cache.get(id(res))
            if cached is None:
                values = res["values"]
                found = shares(values) if values else {}
                cached = share_cache[id(res)] = {p: found.get(p, 0.0) for p in phenotypes}
            share_of[i] = cached
        control = share_of[()][score]
        label = context or "none"
        for i, key, text, agents in described:
            res = results_of[i]
            sh = share_of[i]
            p = sh[score]
            bliss = hsa = None
            # a combination is compared with the agents it combines; a multi-target agent
            # alone with its target nodes (when those were screened)
            units = parts.get(i, ())
            components = list(units) if len(units) >= 2 else [(single,) for single in i]
            if len(components) >= 2:
                singles = [share_of[c][score] for c in components if c in share_of]
                if len(singles) == len(components):
                    bliss = bliss_excess(p, singles, control)
                    hsa = hsa_excess(p, singles)
            row: dict[str, Any] = {
                "rank": 0,
                "context": label,
                "intervention": text,
                "perturbation": key,
                "size": len(i),
                "agents": list(agents),
                "score": p - control,
                "bliss": bliss,
                "hsa": hsa,
                "attractors": len(res["values"]),
                "exact": bool(res.get("exact", True)),
            }
            for ph, column in share_columns:
                row[column] = sh[ph]
            rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -(r["bliss"] or 0.0), r["size"], r["context"], r["perturbation"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows
