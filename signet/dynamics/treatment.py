"""The untreated cell and its response to a treatment: :func:`baseline_starts`,
:func:`baseline_spaces` and :func:`response`.

The *baseline* network is the model with a context's fixes and the baseline inputs
(``annotations.baseline``, e.g. ``RT=0``) fixed; the states of its attractors are the
untreated cell.  The *treated* network adds a perturbation and the treatment inputs
(``annotations.treatment``, e.g. ``RT=1``); its attractors reachable from the
untreated cell are the response.

Examples
--------
>>> from signet.annotations import Annotations
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("RT, RT\\nDDR, RT\\nP53, DDR & !MDM2\\nMDM2, P53\\nDeath, P53 & !AKT\\nAKT, AKT",
...                  annotations=Annotations(baseline={"RT": 0}, treatment={"RT": 1}))
>>> baseline_starts(net, "mp")
[{'RT': 0, 'DDR': 0, 'P53': 0, 'MDM2': 0, 'Death': 0, 'AKT': 0},
 {'RT': 0, 'DDR': 0, 'P53': 0, 'MDM2': 0, 'Death': 0, 'AKT': 1}]
>>> [net.format_space(a.space) for a in response(net, perturbation={"AKT": 0}).attractors]
['RT=1 DDR=1 P53=* MDM2=* Death=* AKT=0']
"""

from __future__ import annotations

from ..errors import ModelError
from ..model import BooleanNetwork
from ..types import Assignment
from .config import DEFAULT_CONFIG, EngineConfig, check_engine
from .engines import _attractors_mp_reachable, attractors
from .results import AttractorResult

__all__ = ["baseline_spaces", "baseline_starts", "response"]

_BASELINE_CACHE: dict[
    tuple[int, str | None, str], tuple[BooleanNetwork, AttractorResult, list[dict[str, int]] | None]
] = {}


def baseline_starts(
    network: BooleanNetwork, update: str, *, context: str | None = None, config: EngineConfig | None = None
) -> list[dict[str, int]]:
    """The states of the untreated cell: every state of every attractor of ``network`` with the
    ``context`` fixes and the baseline inputs (``annotations.baseline``) fixed.

    For ``mp`` an attractor is its whole minimal trap space, returned as one partial state.
    Cached per network object, context and update.

    Raises
    ------
    ModelError
        If a baseline attractor is too large to list its states (more than
        ``config.max_member_states``).

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "A": "A | RT"})
    >>> baseline_starts(net, "async")
    [{'RT': 0, 'A': 0}, {'RT': 0, 'A': 1}, {'RT': 1, 'A': 1}]
    """
    config = config or DEFAULT_CONFIG
    base, starts = _baseline(network, update, context, config)
    if starts is None:
        starts = []
        for i, att in enumerate(base.attractors):
            if update == "mp":
                starts.append({n: int(v) for n, v in att.space.items() if v != "*"})
                continue
            members = base.member_states(i)
            if members is None:
                raise ModelError(
                    f"a baseline attractor has {att.states} states: too many to start from one by one "
                    f"(limit {config.max_member_states})"
                )
            starts.extend(members)
        _BASELINE_CACHE[(id(network), context, update)] = (network, base, starts)
    return starts


def baseline_spaces(
    network: BooleanNetwork, update: str, *, context: str | None = None, config: EngineConfig | None = None
) -> list[dict[str, int]]:
    """One subspace per attractor of the untreated cell (as for :func:`baseline_starts`):
    the nodes constant in that attractor, with their values.

    Every state :func:`baseline_starts` returns lies in one of them (for ``mp`` they are
    the starts themselves); unlike the starts, they are cheap for large cyclic attractors.

    Examples
    --------
    >>> net = BooleanNetwork({"RT": "RT", "A": "!B", "B": "A", "C": "C | RT"})
    >>> baseline_spaces(net, "async")    # the A-B cycle, with C off or on, RT free
    [{'RT': 0, 'C': 0}, {'RT': 0, 'C': 1}, {'RT': 1, 'C': 1}]
    """
    base, _ = _baseline(network, update, context, config or DEFAULT_CONFIG)
    return [{n: int(v) for n, v in att.space.items() if v != "*"} for att in base.attractors]


def _baseline(
    network: BooleanNetwork, update: str, context: str | None, config: EngineConfig
) -> tuple[AttractorResult, list[dict[str, int]] | None]:
    """The untreated cell's attractors (cached per network object, context and update) and its
    start states if :func:`baseline_starts` listed them already."""
    check_engine("auto", update)
    key = (id(network), context, update)
    cached = _BASELINE_CACHE.get(key)
    if cached is not None and cached[0] is network:
        return cached[1], cached[2]
    context_fix = dict(network.context(context).fix) if context is not None else {}
    values = {**context_fix, **dict(network.annotations.baseline)}
    base = attractors(network.fix(values) if values else network, update, config=config)
    if len(_BASELINE_CACHE) > 64:
        _BASELINE_CACHE.clear()
    _BASELINE_CACHE[key] = (network, base, None)
    return base, None


def response(
    network: BooleanNetwork,
    *,
    treatment: Assignment | None = None,
    context: str | None = None,
    perturbation: Assignment | None = None,
    update: str = "mp",
    config: EngineConfig | None = None,
) -> AttractorResult:
    """The fates a perturbed, treated cell reaches from its untreated states.

    The baseline network is ``network`` with the ``context`` fixes and the baseline
    inputs (``network.annotations.baseline``, e.g. ``RT=0``) fixed; its attractors are
    the untreated cell's states.  The treated network is ``network`` + ``context`` +
    ``perturbation`` (node -> 0|1) + ``treatment`` (default
    ``network.annotations.treatment``, e.g. ``RT=1``).  The result is the set of
    attractors of the treated network reachable from any state of any baseline
    attractor.  Baseline attractors are cached per network, context and update.

    This is the one-phase case of a schedule (:func:`signet.dynamics.schedule.run_schedule`).
    When ``treatment`` is not given and the model's treatment is a schedule of several
    phases (``annotations.schedule``, e.g. ``RT=1 ; RT=0``), the result is the
    attractors reached at the end of that schedule.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> net = parse_bnet("RT, RT\\nDDR, RT\\nP53, DDR & !MDM2\\nMDM2, P53\\nDeath, P53 & !AKT\\nAKT, AKT")
    >>> r = response(net, treatment={"RT": 1}, perturbation={"AKT": 0}, update="async")
    >>> [net.format_space(a.space) for a in r.attractors]
    ['RT=1 DDR=1 P53=* MDM2=* Death=* AKT=0']
    """
    check_engine("auto", update)
    config = config or DEFAULT_CONFIG
    if treatment is None:
        if network.annotations.schedule:  # the model's treatment is a schedule of phases
            from .schedule import run_schedule

            return run_schedule(network, network.annotations.schedule, update, context=context,
                                perturbation=perturbation).final
        treatment = dict(network.annotations.treatment)
    context_fix = dict(network.context(context).fix) if context is not None else {}
    starts = baseline_starts(network, update, context=context, config=config)
    pins = network.resolve_assignment({**context_fix, **dict(perturbation or {}), **dict(treatment)})
    if update == "mp":  # on the model's compiled network, built once per model
        return _attractors_mp_reachable(network, starts, config, pins)
    return attractors(network.fix(pins), update, start=starts, config=config)
