"""Perturbation screens, synergy scores and minimal intervention sets.

* :func:`screen` — single and combined knockouts / over-expressions under treatment,
  ranked by radiosensitization (change in ``Death`` share), with Bliss and HSA synergy.
* :func:`minimal_interventions` — inclusion-minimal perturbation sets that force a goal
  phenotype in every (or some) reachable attractor.

Rows are stored in SQLite as they finish (:class:`ScreenStore`), and work is spread
over local processes or a Dask cluster (:mod:`signet.screen.engine`).
"""

from .control import minimal_interventions
from .core import COLUMNS, ScreenResult, resolve_contexts, screen
from .engine import DaskBackend, Job, ProcessBackend, SerialBackend, dynamics_analysis, make_backend
from .interventions import (
    candidate_targets,
    format_intervention,
    intervention_key,
    interventions,
    trivial_nodes,
)
from .scoring import bliss_excess, bliss_expected, hsa_excess, shares
from .store import ScreenStore, ScreenStoreMismatch

__all__ = [
    "screen",
    "ScreenResult",
    "COLUMNS",
    "resolve_contexts",
    "minimal_interventions",
    "Job",
    "dynamics_analysis",
    "SerialBackend",
    "ProcessBackend",
    "DaskBackend",
    "make_backend",
    "candidate_targets",
    "trivial_nodes",
    "interventions",
    "intervention_key",
    "format_intervention",
    "shares",
    "bliss_expected",
    "bliss_excess",
    "hsa_excess",
    "ScreenStore",
    "ScreenStoreMismatch",
]
