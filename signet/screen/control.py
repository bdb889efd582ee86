"""Minimal intervention sets: the smallest perturbations that force a phenotype.

:func:`minimal_interventions` returns every **inclusion-minimal** perturbation set
(knockouts / over-expressions of distinct nodes, at most ``max_size``) after which,
under the treatment and from the untreated cell's attractors,

* ``mode="all"``: every reachable attractor has the goal value (a *robust* control), or
* ``mode="some"``: at least one reachable attractor has it (the goal becomes *possible*).

or, with a ``metric`` (as ``signet screen --metric``), when the goal's value under it is at
least ``threshold``: ``inevitable`` is ``mode="all"``, ``possible`` is ``mode="some"``,
``share`` is the fraction of reachable attractors with the goal value, ``probability`` the
fate probability of the asynchronous chain (exact, or a simulated estimate, which the
solution says).

Sets are searched by increasing size; a set is kept when it reaches the goal and none of
its subsets did, so the answer is exactly the inclusion-minimal solutions up to
``max_size`` (a superset of a solution is never reported, even when it also works).
Each candidate is evaluated like a screen row (de-duplicated exactly, cached), so
the same analysis semantics apply (see ``docs/control.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ..errors import ModelError
from ..model import BooleanNetwork
from ..types import Intervention
from .engine import evaluate
from .interventions import (
    InterventionOptions,
    agents_of,
    combinations_of,
    format_intervention,
    intervention_size,
    intervention_key,
)
from .job import Analysis, Job
from .scheduler import Scheduler, make_scheduler
from .store import ScreenStore

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["minimal_interventions", "ControlResult", "parse_goal"]


@dataclass
class ControlResult:
    """Inclusion-minimal intervention sets for a goal.

    ``solutions`` are sorted by size then name; ``()`` alone means the treatment already
    reaches the goal without any intervention.
    """

    goal: tuple[str, int]
    mode: str
    context: str
    max_size: int
    solutions: list[Intervention]
    agents: list[list[str]] = field(default_factory=list)
    candidates: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    #: what a solution reaches: the goal's value under ``metric`` is at least ``threshold``
    metric: str = "inevitable"
    threshold: float = 1.0
    #: per solution, the goal's value ``(value, lo, hi, exact)`` under ``metric``
    values: list[tuple[float, float, float, bool]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: the goal, how it is judged, and each solution with its value."""
        values = self.values or [(1.0, 1.0, 1.0, True)] * len(self.solutions)
        return {
            "goal": {self.goal[0]: self.goal[1]},
            "mode": self.mode,
            "metric": self.metric,
            "threshold": self.threshold,
            "context": self.context or None,
            "max_size": self.max_size,
            "candidates": self.candidates,
            "solutions": [
                {"intervention": format_intervention(s), "perturbation": dict(s), "size": intervention_size(s),
                 "agents": a, "value": v[0], "lo": v[1], "hi": v[2], "exact": v[3]}
                for s, a, v in zip(self.solutions, self.agents, values)
            ],
            "stats": self.stats,
        }


    def to_pandas(self) -> "pandas.DataFrame":
        """One row per solution: ``intervention``, ``perturbation`` (``{node: value}``), ``size``, ``agents``."""
        from ..tables import to_dataframe

        return to_dataframe(self.to_json()["solutions"], ["intervention", "perturbation", "size", "agents"])

    def _repr_html_(self) -> str:
        from ..tables import records_html

        name, value = self.goal
        where = f" in {self.context}" if self.context else ""
        caption = (f"goal {name}={value} in {self.mode} reachable attractors{where}: {len(self.solutions)} minimal "
                   f"set{'s' if len(self.solutions) != 1 else ''} up to size {self.max_size} "
                   f"({self.candidates} tried)")
        return records_html(self.to_json()["solutions"], caption=caption,
                            columns=["intervention", "size", "agents"])


def parse_goal(text: str) -> tuple[str, int]:
    """``"Death"`` -> ``("Death", 1)``; ``"Proliferation=0"`` -> ``("Proliferation", 0)``.

    Examples
    --------
    >>> parse_goal("Proliferation=0")
    ('Proliferation', 0)
    """
    name, eq, value = text.partition("=")
    if eq and value.strip() not in ("0", "1"):
        raise ModelError(f"bad goal {text!r}: expected PHENOTYPE or PHENOTYPE=0|1")
    return name.strip(), int(value) if eq else 1


#: ``mode`` -> the metric it is, and back
MODES = {"all": "inevitable", "some": "possible"}


def goal_value(result: Mapping[str, Any], goal: tuple[str, int], metric: str) -> tuple[float, float, float, bool]:
    """The goal's value in an analysis result under ``metric``: ``(value, lo, hi, exact)``.

    ``share``/``inevitable``/``possible`` count the reachable attractors in which the goal
    phenotype has the goal value (an oscillating ``*`` has neither value); ``probability``
    is the probability that the chain ends where the phenotype is 1 (goal value 1) or is
    not 1 (goal value 0), with its 95% interval when simulated.

    Examples
    --------
    >>> goal_value({"values": [{"Death": 1}, {"Death": "*"}]}, ("Death", 1), "share")
    (0.5, 0.5, 0.5, True)
    >>> goal_value({"values": [{"Death": 1}, {"Death": "*"}]}, ("Death", 0), "possible")
    (0.0, 0.0, 0.0, True)
    """
    if metric == "probability":
        from .metrics import complement, estimate

        found = estimate(result, goal[0], metric)
        found = found if goal[1] == 1 else complement(found)
        return (found.value, *found.interval(), found.exact)
    hits = [v.get(goal[0]) == goal[1] for v in result.get("values") or []]
    if metric == "share":
        value = sum(hits) / len(hits) if hits else 0.0
    elif metric == "inevitable":
        value = 1.0 if hits and all(hits) else 0.0
    else:
        value = 1.0 if any(hits) else 0.0
    return (value, value, value, True)


def _control_metric(mode: str | None, metric: str | None, threshold: float | None) -> tuple[str, str, float]:
    """``(mode, metric, threshold)`` from what was given: ``mode`` is an alias of a metric."""
    from .metrics import METRICS

    if mode is not None and mode not in MODES:
        raise ModelError(f"mode must be 'all' or 'some', not {mode!r}")
    if metric is not None and metric not in METRICS:
        raise ModelError(f"unknown metric {metric!r}: choose one of {', '.join(METRICS)}")
    if mode is not None and metric is not None and MODES[mode] != metric:
        raise ModelError(f"mode {mode!r} is the metric {MODES[mode]!r}, not {metric!r}: give one of them")
    metric = metric or MODES[mode or "all"]
    if threshold is None:
        threshold = 1.0
    elif metric in MODES.values():
        raise ModelError(f"a threshold is for the graded metrics (share, probability), not {metric!r}")
    if not 0.0 < threshold <= 1.0:
        raise ModelError(f"threshold must be in (0, 1], not {threshold}")
    back = {m: k for k, m in MODES.items()}
    return back.get(metric, ""), metric, threshold


def _goal_phenotypes(network: BooleanNetwork, goal: str | tuple[str, int]) -> tuple[tuple[str, int], dict[str, str]]:
    """The goal as ``(name, value)`` and the phenotypes to evaluate (a node may be a goal)."""
    parsed = parse_goal(goal) if isinstance(goal, str) else (goal[0], int(goal[1]))
    phenotypes = dict(network.annotations.phenotypes)
    if parsed[0] not in phenotypes:
        if parsed[0] not in network:
            known = ", ".join(phenotypes) or "none"
            raise ModelError(f"unknown goal phenotype {parsed[0]!r} (phenotypes: {known})")
        phenotypes[parsed[0]] = parsed[0]
    return parsed, phenotypes


def _candidates(units: Sequence[Intervention], size: int, solutions: Sequence[Intervention],
                tried: set[Intervention]) -> list[Intervention]:
    """The interventions of ``size`` units not tried yet and containing no solution."""
    if size == 0:
        return [()]
    found: dict[Intervention, None] = {}
    for intervention, _ in combinations_of(units, size):
        if intervention in tried or any(set(s) <= set(intervention) for s in solutions):
            continue
        found.setdefault(intervention)
    return list(found)


class _Search:
    """The search by increasing size: evaluates candidates like screen rows, keeps the values."""

    def __init__(self, job: Job, context: str, store: ScreenStore, runner: Scheduler, progress: bool) -> None:
        self.job, self.context, self.store, self.runner, self.progress = job, context, store, runner, progress
        self.found: dict[Intervention, tuple[float, float, float, bool]] = {}
        self.tried: set[Intervention] = set()
        self.stats: dict[str, int] = {"percolated": 0, "analysed": 0}

    def run(self, units: Sequence[Intervention], max_size: int,
            value_of: Callable[[Mapping[str, Any]], tuple[float, float, float, bool]],
            threshold: float) -> list[Intervention]:
        """The candidates (up to ``max_size`` units) whose value reaches ``threshold`` and contain
        no smaller such candidate."""
        solutions: list[Intervention] = []
        for size in range(0, max_size + 1):
            level = _candidates(units, size, solutions, self.tried)
            self.tried.update(level)
            if not level:
                continue
            items = [(self.context, intervention_key(i)) for i in level]
            run = evaluate(self.job, items, self.store, self.runner, progress=self.progress,
                           description=f"size {size}")
            self.stats["percolated"] += run.percolated
            self.stats["analysed"] += run.analysed
            results = self.store.row_results()
            for i, item in zip(level, items):
                self.found[i] = value_of(results[item])
            solutions.extend(i for i in level if self.found[i][0] >= threshold)
            if solutions == [()]:
                break  # the treatment alone reaches the goal: the empty set is the only minimal one
        return solutions


def minimal_interventions(
    network: BooleanNetwork,
    goal: str | tuple[str, int] = "Death",
    *,
    context: str | None = None,
    max_size: int = 2,
    mode: str | None = None,
    metric: str | None = None,
    threshold: float | None = None,
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
    schedule: str | Mapping[str, int] | None = None,
    workers: int | None = 1,
    scheduler: Any = None,
    backend: Scheduler | None = None,
    analysis: Analysis | None = None,
    fast_path: bool | None = None,
    db: str = ":memory:",
    progress: bool = False,
) -> ControlResult:
    """All inclusion-minimal perturbation sets up to ``max_size`` that reach ``goal``.

    Parameters
    ----------
    goal
        A phenotype of the model's metadata (or a node) and the wanted value:
        ``"Death"``, ``"Proliferation=0"`` or ``("Death", 1)``.
    mode
        ``"all"``: every reachable attractor has the goal; ``"some"``: at least one
        (the metrics ``inevitable`` and ``possible``; default ``"all"``).
    metric, threshold
        A set reaches the goal when the goal's value under ``metric`` (``share``,
        ``probability``, ``inevitable``, ``possible``: see :func:`goal_value`) is at
        least ``threshold`` (default 1; only for ``share`` and ``probability``).  A
        simulated probability is compared by its point estimate; the solution carries
        its interval and ``exact = False``.
    schedule
        A treatment schedule (``"RT=1 ; RT=0"``) instead of the one phase ``treatment``:
        the goal is judged on the attractors reached at its end.
    Other parameters
        As for :func:`signet.screen.screen`; the candidates are the combinations of
        :class:`~signet.screen.interventions.InterventionOptions` (shared with screens).

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> from signet.annotations import Annotations
    >>> net = parse_bnet("RT, RT\\nA, RT & !B\\nB, C & D\\nC, C\\nD, C\\nDeath, A",
    ...     annotations=Annotations(phenotypes={"Death": "Death"}, treatment={"RT": 1}, baseline={"RT": 0}))
    >>> res = minimal_interventions(net, "Death")
    >>> [format_intervention(s) for s in res.solutions]
    ['B ko', 'D ko']
    >>> res = minimal_interventions(net, "Death", metric="probability", threshold=0.75)
    >>> [(format_intervention(s), value) for s, (value, *_) in zip(res.solutions, res.values)]
    [('B ko', 1.0), ('D ko', 1.0)]
    """
    mode, metric, threshold = _control_metric(mode, metric, threshold)
    if max_size < 1:
        raise ModelError("max_size must be at least 1")
    goal, phenotypes = _goal_phenotypes(network, goal)
    options = InterventionOptions.build(
        options, kinds=kinds, targets=targets, exclude=exclude, druggable=druggable,
        allow_trivial=allow_trivial, treatment=treatment,
    )
    ctx = ""
    if context not in (None, "", "none"):
        network.context(str(context))
        ctx = str(context)
    from dataclasses import replace

    from .core import _common_values, _schedule_of

    if schedule is None and options.treatment is None and network.annotations.schedule:
        schedule = network.annotations.schedule  # the model's own treatment is a schedule (e.g. a pulse)
    from .core import _update_for

    update = _update_for(metric, update)  # mp, or async for probabilities
    schedule_text, scheduled = _schedule_of(network, schedule, options, update, metric)
    if scheduled is not None:  # the schedule's nodes are never targets
        options = replace(options, treatment=scheduled)
    treatment_values = (options.treatment_of(network) if schedule_text is None
                        else _common_values(network, schedule_text))
    units = options.units(network)
    job = Job(network, phenotypes, treatment_values, update, analysis, fast_path, metric, schedule=schedule_text)
    runner = backend or make_scheduler(workers, scheduler)
    key = {"model": job.token, "phenotypes": sorted(phenotypes.items()), "schedule": schedule_text,
           **({"metric": metric} if metric == "probability" else {})}
    with ScreenStore(db, key) as store:
        search = _Search(job, ctx, store, runner, progress)
        solutions = search.run(units, max_size, lambda result: goal_value(result, goal, metric), threshold)
    found, tried, stats = search.found, search.tried, search.stats
    # a multi-target agent is one unit but several fixes: keep only inclusion-minimal fix sets
    solutions = [s for s in solutions if not any(set(t) < set(s) for t in solutions)]
    solutions.sort(key=lambda s: (len(s), intervention_key(s)))
    stats["candidates"] = len(tried)
    agents = [agents_of(network, s) for s in solutions]
    return ControlResult(goal, mode, ctx, max_size, solutions, agents, len(tried), stats, metric, threshold,
                         [found[s] for s in solutions])
