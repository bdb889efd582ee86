"""Perturbation screens, synergy scores and minimal intervention sets.

* :func:`screen` — single and combined knockouts / over-expressions under treatment,
  ranked by radiosensitization (change in ``Death`` share), with Bliss and HSA synergy.
* :func:`minimal_interventions` — inclusion-minimal perturbation sets that force a goal
  phenotype in every (or some) reachable attractor.
* :class:`InterventionOptions` — which perturbations both try (kinds, targets, drugs).

Rows are stored in a SQLite checkpoint as they finish (:mod:`signet.screen.store`), and
work is spread over local processes or a Dask cluster (:mod:`signet.screen.scheduler`).
The modules: :mod:`~signet.screen.core` (screens and scores),
:mod:`~signet.screen.control`, :mod:`~signet.screen.interventions`,
:mod:`~signet.screen.scoring`, and the machinery :mod:`~signet.screen.job`,
:mod:`~signet.screen.worker`, :mod:`~signet.screen.engine`,
:mod:`~signet.screen.scheduler` and :mod:`~signet.screen.store`.
"""

from .control import ControlResult, minimal_interventions
from .core import COLUMNS, ScreenResult, screen
from .interventions import (
    InterventionOptions,
    candidate_targets,
    format_intervention,
    intervention_key,
    interventions,
    trivial_nodes,
)
from .scoring import bliss_excess, bliss_expected, hsa_excess, shares
from .store import ScreenStoreError, ScreenStoreMismatch

__all__ = [
    "screen",
    "ScreenResult",
    "COLUMNS",
    "minimal_interventions",
    "ControlResult",
    "InterventionOptions",
    "interventions",
    "candidate_targets",
    "trivial_nodes",
    "intervention_key",
    "format_intervention",
    "shares",
    "bliss_expected",
    "bliss_excess",
    "hsa_excess",
    "ScreenStoreError",
    "ScreenStoreMismatch",
]
