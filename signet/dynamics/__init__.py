"""Dynamics: update schemes, exact attractors, reachability and the response to treatment.

Three update schemes act on the same :class:`~signet.model.BooleanNetwork`:

``"sync"``
    all nodes update at once; attractors are the cycles of the successor function.
``"async"``
    fully asynchronous: one node changes at a time (non-deterministic); attractors
    are the terminal strongly connected components of the state transition graph.
``"mp"``
    most permissive (Paulevé et al. 2020): attractors are exactly the minimal trap
    spaces, reachability is decided by answer-set programs.

One public function per question: :func:`attractors`, :func:`fixed_points`,
:func:`minimal_trap_spaces`, :func:`baseline_starts` and :func:`response`.  Constants
are percolated first (:mod:`signet.percolation`); the free part is analysed by the
engine the cost rule of :mod:`signet.dynamics.config` picks:

* ``explicit``: all ``2**n`` states with numpy/scipy (sync and async, small free part);
* ``succession``: decomposition by independent parts, inputs and trap spaces
  (:mod:`signet.dynamics.succession`; async, large free part, chosen by estimated cost);
* ``aeon``: biodivine-aeon's symbolic (BDD) attractor search (async with start states);
* ``asp``: clingo on prime implicants (mp: minimal trap spaces, reachability; fixed points;
  sync, large free part: the successor function unrolled, :mod:`signet.dynamics.sync_sat`).

Results map back to all nodes.  Every engine here is exact; a result that is not
says so (``exact=False`` and a ``note``).

The modules: :mod:`~signet.dynamics.engines` (the questions and their engines),
:mod:`~signet.dynamics.treatment` (baseline and response),
:mod:`~signet.dynamics.results` (what they return), :mod:`~signet.dynamics.config`
(the cost rule and its thresholds), :mod:`~signet.dynamics.streaming` (attractors one
by one, counted, grouped by input valuation), and the engines
:mod:`~signet.dynamics.succession`, :mod:`~signet.dynamics.explicit`,
:mod:`~signet.dynamics.symbolic`, :mod:`~signet.dynamics.trapspaces`,
:mod:`~signet.dynamics.sync_sat` and :mod:`~signet.dynamics.compiled`.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"RT": "RT", "ATM": "RT & !WIP1", "TP53": "ATM & !MDM2", "MDM2": "TP53", "WIP1": "TP53"})
>>> result = attractors(net, "async")
>>> [(a.kind, a.states, net.format_space(a.space)) for a in result.attractors]
[('fixed', 1, 'RT=0 ATM=0 TP53=0 MDM2=0 WIP1=0'), ('cyclic', 14, 'RT=1 ATM=* TP53=* MDM2=* WIP1=*')]
>>> [a.states for a in attractors(net, "sync").attractors]
[1, 5]
>>> [net.format_space(a.space) for a in attractors(net, "mp", start={"RT": 0}).attractors]
['RT=0 ATM=0 TP53=0 MDM2=0 WIP1=0']
"""

from .config import ENGINES, UPDATES, EngineConfig
from .engines import attractors, fixed_points, minimal_trap_spaces
from .results import Attractor, AttractorResult
from .streaming import (attractor_groups, count_attractors, count_fixed_points, free_inputs, iter_attractors,
                        iter_fixed_points)
from .treatment import baseline_spaces, baseline_starts, response

__all__ = [
    "UPDATES",
    "ENGINES",
    "EngineConfig",
    "Attractor",
    "AttractorResult",
    "attractors",
    "fixed_points",
    "minimal_trap_spaces",
    "response",
    "baseline_spaces",
    "baseline_starts",
    "iter_attractors",
    "iter_fixed_points",
    "count_attractors",
    "count_fixed_points",
    "attractor_groups",
    "free_inputs",
]
