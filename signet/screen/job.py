"""What a screen asks of every row: the :class:`Job`, its analysis, and the keys that name results.

A row is a (context, intervention).  Its value depends on the model, the phenotypes,
the treatment, the update scheme and the analysis: together they are the job, which
workers receive once.  Rows whose context and essential pins agree (see
:mod:`signet.screen.worker`) share one analysis, named by :func:`analysis_key`.

The analysis is either the built-in one (``analysis=None``:
:func:`signet.dynamics.response`, as phenotype values per attractor) or a function the
caller gives.  With the built-in analysis and most-permissive update the job takes the
*fast path* (:attr:`Job.fast_path`): workers percolate and analyse in one step on the
model's compiled network (:mod:`signet.screen.worker`), a schedule's phases one after
the other.  The choice is made here, by that rule, and can be stated explicitly
(``fast_path=False`` runs the same built-in analysis through
:func:`signet.dynamics.response`, or :func:`~signet.dynamics.schedule.run_schedule`,
row by row, e.g. to compare).

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"RT": "RT", "A": "RT"})
>>> Job(net, {"A": "A"}, {"RT": 1}).fast_path, Job(net, {"A": "A"}, {"RT": 1}, update="async").fast_path
(True, False)
>>> Job(net, {"A": "A"}, {}, schedule="RT=1 ; RT=0").fast_path
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from ..errors import ModelError
from ..model import BooleanNetwork
from ..types import Bits

__all__ = [
    "Analysis", "Job", "dynamics_analysis", "analysis_key", "model_fingerprint", "BUILTIN_ANALYSIS",
    "PROBABILITY_ANALYSIS",
]

#: an analysis: ``(network, *, context, perturbation, treatment, update, phenotypes) -> result``,
#: the result ``{"values": [{phenotype: 1 | 0 | "*"} per attractor], "exact": bool, ...}``
Analysis = Callable[..., dict]

#: the name of the built-in analysis in checkpoints (kept stable: old checkpoints resume)
BUILTIN_ANALYSIS = "signet.screen.engine.dynamics_analysis"
#: the name of the built-in analysis of ``metric="probability"`` in checkpoints
PROBABILITY_ANALYSIS = "signet.screen.metrics.probability_analysis"


def dynamics_analysis(
    network: BooleanNetwork,
    *,
    context: str | None,
    perturbation: Mapping[str, int],
    treatment: Mapping[str, int],
    update: str,
    phenotypes: Mapping[str, str],
    schedule: str | None = None,
) -> dict[str, Any]:
    """The built-in analysis: :func:`signet.dynamics.response` (or, with a ``schedule``, the end of
    :func:`signet.dynamics.schedule.run_schedule`), as phenotype values per attractor.

    Returns ``{"values": [{phenotype: 1 | 0 | "*"}, ...], "exact": bool, "engine": str}``.
    """
    from ..dynamics import response

    if schedule:
        from ..dynamics.schedule import run_schedule

        result = run_schedule(network, schedule, update, context=context, perturbation=perturbation).final
    else:
        result = response(network, treatment=treatment, context=context, perturbation=perturbation, update=update)
    return {
        "values": [dict(v) for v in result.phenotype_values(phenotypes)],
        "exact": bool(result.exact),
        "engine": str(result.engine),
    }


@dataclass(frozen=True, eq=False)
class Job:
    """Everything a worker needs to evaluate rows (picklable: it travels to processes and Dask).

    Attributes
    ----------
    network
        The model.
    phenotypes
        Phenotype name -> expression.
    treatment
        Input values during treatment.
    update
        Update scheme of the analysis.
    analysis
        ``None`` for the built-in analysis (:func:`dynamics_analysis`), else a function
        with its signature (module-level, so that it pickles).
    fast_path
        Whether workers percolate and analyse in one step on the compiled network: by
        default exactly when the analysis is the built-in one, the update is ``mp``, the
        metric is not ``probability`` and a schedule, if any, has only phases that last until
        settled (on a model without multi-valued nodes); ``False`` forces the general path.
    metric
        What rows are scored by (:data:`~signet.screen.metrics.METRICS`): ``"probability"``
        makes the built-in analysis :func:`~signet.screen.metrics.probability_analysis`;
        the others score the reachable attractors.
    schedule
        A treatment schedule's text (``"RT=1 ; RT=0"``) run by the built-in analyses instead
        of the one phase ``treatment``; ``treatment`` then holds what every phase fixes
        alike (what percolation may use).
    runs, seed
        Trajectories and seed of a simulated ``probability`` row.
    max_states
        The exact engine's limit for a ``probability`` row (reachable states; default
        :data:`~signet.screen.metrics.SCREEN_MAX_STATES`); a row beyond it is simulated.
    token
        What identifies the job (model, treatment, update, analysis): workers keep
        their state per token.
    """

    network: BooleanNetwork
    phenotypes: Mapping[str, str]
    treatment: Mapping[str, int]
    update: str = "mp"
    analysis: Optional[Analysis] = None
    fast_path: Optional[bool] = None
    metric: str = "share"
    schedule: Optional[str] = None
    runs: int = 2401
    seed: int = 0
    max_states: Optional[int] = None
    token: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        from .metrics import METRICS

        object.__setattr__(self, "phenotypes", dict(self.phenotypes))
        object.__setattr__(self, "treatment", dict(self.treatment))
        if self.metric not in METRICS:
            raise ModelError(f"unknown metric {self.metric!r}: choose one of {', '.join(METRICS)}")
        possible = self.analysis is None and self.update == "mp" and self.metric != "probability"
        if possible and self.schedule:
            possible = _compiled_schedule(self.network, self.schedule)
        if self.fast_path is None:
            object.__setattr__(self, "fast_path", possible)
        elif self.fast_path and not possible:
            raise ModelError("the fast path answers the built-in analysis under mp update only (with a schedule: "
                             "phases that last until settled, on a Boolean model without multi-valued nodes)")
        if not self.token:
            items: tuple[Any, ...] = (sorted(self.treatment.items()), self.update, self.analysis_name)
            if self.schedule:
                items += (self.schedule,)
            if self.analysis_name == PROBABILITY_ANALYSIS:
                items += (self.runs, self.seed, self.max_states)
            object.__setattr__(self, "token", model_fingerprint(self.network) + ":" + _hash(repr(items)))

    @property
    def analysis_name(self) -> str:
        """The analysis as stored in checkpoints: ``module.function``."""
        if self.analysis is None:
            return PROBABILITY_ANALYSIS if self.metric == "probability" else BUILTIN_ANALYSIS
        func = self.analysis
        return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"

    def analyse(self, context: str, perturbation: Mapping[str, int]) -> dict[str, Any]:
        """Run the analysis of one row (``context`` ``""`` is none)."""
        if self.analysis is None and self.metric == "probability":
            from .metrics import probability_analysis

            return probability_analysis(
                self.network, context=context or None, perturbation=dict(perturbation), treatment=self.treatment,
                update=self.update, phenotypes=self.phenotypes, schedule=self.schedule, runs=self.runs,
                seed=self.seed, **({} if self.max_states is None else {"max_states": self.max_states}),
            )
        if self.analysis is None and self.schedule:
            return dynamics_analysis(
                self.network, context=context or None, perturbation=dict(perturbation), treatment=self.treatment,
                update=self.update, phenotypes=self.phenotypes, schedule=self.schedule,
            )
        func = self.analysis or dynamics_analysis
        return func(
            self.network,
            context=context or None,
            perturbation=dict(perturbation),
            treatment=self.treatment,
            update=self.update,
            phenotypes=self.phenotypes,
        )


def _compiled_schedule(network: BooleanNetwork, schedule: str) -> bool:
    """Whether the fast path runs ``schedule`` exactly: every phase lasts until settled (mp has no
    steps) and the model has no multi-valued nodes (whose mp phases :func:`signet.dynamics.attractors`
    restricts to admissible levels, :mod:`signet.levels`)."""
    from ..dynamics.schedule import as_schedule
    from ..levels import network_level_groups

    return not as_schedule(schedule, network).is_bounded() and not network_level_groups(network)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def model_fingerprint(network: BooleanNetwork) -> str:
    """A hash of the rules and of the metadata that changes results (phenotypes, contexts, inputs,
    and the flip rates and untreated population that fate probabilities depend on).

    Examples
    --------
    >>> from dataclasses import replace
    >>> net = BooleanNetwork({"A": "A", "B": "A"})
    >>> other = BooleanNetwork(net.rules, annotations=replace(net.annotations, rates={"B": (2.0, 1.0)}))
    >>> model_fingerprint(net) == model_fingerprint(other)
    False
    """
    from ..expr import to_bnet
    from ..rates import format_rate

    ann = network.annotations
    parts: tuple[Any, ...] = (
        [(n, to_bnet(r)) for n, r in network.rules.items()],
        sorted(ann.phenotypes.items()),
        sorted((c, sorted(x.fix.items())) for c, x in ann.contexts.items()),
        sorted(ann.treatment.items()),
        sorted(ann.baseline.items()),
    )
    # only when set, so that the checkpoints of models without them keep their fingerprint
    if ann.rates:
        parts += (sorted((n, format_rate(u), format_rate(d)) for n, (u, d) in ann.rates.items()),)
    if ann.baseline_fractions:
        parts += (sorted(ann.baseline_fractions.items()),)
    return _hash(repr(parts))


def analysis_key(context: str, fixed: Bits) -> str:
    """The cache key of an analysis: hash of the context and the forced values ``(mask, values)``
    (bit ``j`` is node ``j`` of the model, whose rules are part of the store's fingerprint)."""
    return _hash(f"{context}|{fixed[0]:x}|{fixed[1]:x}")
