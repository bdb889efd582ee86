"""What a screen asks of every row: the :class:`Job`, its analysis, and the keys that name results.

A row is a (context, intervention).  Its value depends on the model, the phenotypes,
the treatment, the update scheme and the analysis: together they are the job, which
workers receive once.  Rows whose context and percolated values agree share one
analysis, named by :func:`analysis_key`.

The analysis is either the built-in one (``analysis=None``:
:func:`signet.dynamics.response`, as phenotype values per attractor) or a function the
caller gives.  With the built-in analysis and most-permissive update the job takes the
*fast path* (:attr:`Job.fast_path`): workers percolate and analyse in one step on the
model's compiled network (:mod:`signet.screen.worker`).  The choice is made here, by
that rule, and can be stated explicitly (``fast_path=False`` runs the same built-in
analysis through :func:`signet.dynamics.response` row by row, e.g. to compare).

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"RT": "RT", "A": "RT"})
>>> Job(net, {"A": "A"}, {"RT": 1}).fast_path, Job(net, {"A": "A"}, {"RT": 1}, update="async").fast_path
(True, False)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from ..errors import ModelError
from ..model import BooleanNetwork
from ..types import Bits

__all__ = ["Analysis", "Job", "dynamics_analysis", "analysis_key", "model_fingerprint", "BUILTIN_ANALYSIS"]

#: an analysis: ``(network, *, context, perturbation, treatment, update, phenotypes) -> result``,
#: the result ``{"values": [{phenotype: 1 | 0 | "*"} per attractor], "exact": bool, ...}``
Analysis = Callable[..., dict]

#: the name of the built-in analysis in checkpoints (kept stable: old checkpoints resume)
BUILTIN_ANALYSIS = "signet.screen.engine.dynamics_analysis"


def dynamics_analysis(
    network: BooleanNetwork,
    *,
    context: str | None,
    perturbation: Mapping[str, int],
    treatment: Mapping[str, int],
    update: str,
    phenotypes: Mapping[str, str],
) -> dict[str, Any]:
    """The built-in analysis: :func:`signet.dynamics.response`, as phenotype values per attractor.

    Returns ``{"values": [{phenotype: 1 | 0 | "*"}, ...], "exact": bool, "engine": str}``.
    """
    from ..dynamics import response

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
        default exactly when the analysis is the built-in one and the update is ``mp``;
        ``False`` forces the general path.
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
    token: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "phenotypes", dict(self.phenotypes))
        object.__setattr__(self, "treatment", dict(self.treatment))
        possible = self.analysis is None and self.update == "mp"
        if self.fast_path is None:
            object.__setattr__(self, "fast_path", possible)
        elif self.fast_path and not possible:
            raise ModelError("the fast path answers the built-in analysis under mp update only")
        if not self.token:
            detail = repr((sorted(self.treatment.items()), self.update, self.analysis_name))
            object.__setattr__(self, "token", model_fingerprint(self.network) + ":" + _hash(detail))

    @property
    def analysis_name(self) -> str:
        """The analysis as stored in checkpoints: ``module.function``."""
        if self.analysis is None:
            return BUILTIN_ANALYSIS
        func = self.analysis
        return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"

    def analyse(self, context: str, perturbation: Mapping[str, int]) -> dict[str, Any]:
        """Run the analysis of one row (``context`` ``""`` is none)."""
        func = self.analysis or dynamics_analysis
        return func(
            self.network,
            context=context or None,
            perturbation=dict(perturbation),
            treatment=self.treatment,
            update=self.update,
            phenotypes=self.phenotypes,
        )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def model_fingerprint(network: BooleanNetwork) -> str:
    """A hash of the rules and of the metadata that changes results (phenotypes, contexts, inputs)."""
    from ..expr import to_bnet

    ann = network.annotations
    text = repr(
        (
            [(n, to_bnet(r)) for n, r in network.rules.items()],
            sorted(ann.phenotypes.items()),
            sorted((c, sorted(x.fix.items())) for c, x in ann.contexts.items()),
            sorted(ann.treatment.items()),
            sorted(ann.baseline.items()),
        )
    )
    return _hash(text)


def analysis_key(context: str, fixed: Bits) -> str:
    """The cache key of an analysis: hash of the context and the forced values ``(mask, values)``
    (bit ``j`` is node ``j`` of the model, whose rules are part of the store's fingerprint)."""
    return _hash(f"{context}|{fixed[0]:x}|{fixed[1]:x}")
