"""signet: Boolean signalling-network models of cancer radioresistance.

Read a model, find its cell fates exactly, screen perturbations for radiosensitizers,
and exchange models with other tools.  The names below are the everyday API; each
lives in a module named for what it does (the command line, ``signet --help``, is a
thin layer over them).

Models (:mod:`signet.model`, :mod:`signet.io`)
    :class:`BooleanNetwork`, :func:`read_model`, :func:`write_model`
Dynamics (:mod:`signet.dynamics`)
    :func:`attractors`, :func:`fixed_points`, :func:`minimal_trap_spaces`,
    :func:`response` (the fates a treated, perturbed cell reaches from its untreated
    states), :func:`baseline_starts`
Screens (:mod:`signet.screen`)
    ``signet.screen.screen`` (the package and its main function share the name),
    :func:`minimal_interventions`, :class:`InterventionOptions`
Checks (:mod:`signet.validate`)
    ``signet.validate.validate``: a model against its literature expectations
Errors (:mod:`signet.errors`)
    :class:`SignetError`, the base of every error signet raises on purpose

Everything is imported when first used, so ``import signet`` is instant.

Examples
--------
>>> import signet
>>> net = signet.BooleanNetwork({"RT": "RT", "ATM": "RT", "TP53": "ATM & !MDM2", "MDM2": "TP53"})
>>> [net.format_space(a.space) for a in signet.attractors(net, "mp", start={"RT": 1}).attractors]
['RT=1 ATM=1 TP53=* MDM2=*']
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> the module that defines it (imported on first use)
_API = {
    "BooleanNetwork": "signet.model",
    "read_model": "signet.io",
    "write_model": "signet.io",
    "attractors": "signet.dynamics",
    "fixed_points": "signet.dynamics",
    "minimal_trap_spaces": "signet.dynamics",
    "response": "signet.dynamics",
    "baseline_starts": "signet.dynamics",
    "minimal_interventions": "signet.screen",
    "InterventionOptions": "signet.screen",
    "SignetError": "signet.errors",
}
#: modules reachable as attributes (``signet.screen.screen``, ``signet.validate.validate``)
_MODULES = ("dynamics", "io", "model", "screen", "validate", "errors", "expr", "percolation", "primes", "types")

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f"signet.{name}")  # the import binds it here
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'signet' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_MODULES))
