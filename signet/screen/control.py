"""Minimal intervention sets: the smallest perturbations that force a phenotype.

:func:`minimal_interventions` returns every **inclusion-minimal** perturbation set
(knockouts / over-expressions of distinct nodes, at most ``max_size``) after which,
under the treatment and from the untreated cell's attractors,

* ``mode="all"``: every reachable attractor has the goal value (a *robust* control), or
* ``mode="some"``: at least one reachable attractor has it (the goal becomes *possible*).

Sets are searched by increasing size; a set is kept when it reaches the goal and none of
its subsets did, so the answer is exactly the inclusion-minimal solutions up to
``max_size`` (a superset of a solution is never reported, even when it also works).
Each candidate is evaluated like a screen row (percolated, de-duplicated, cached), so
the same analysis semantics apply (see ``docs/control.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ModelError
from .engine import Job, dynamics_analysis, evaluate, make_backend, treatment_and_analysis
from .interventions import (
    Intervention,
    agents_of,
    candidate_targets,
    druggable_units,
    format_intervention,
    intervention_key,
    single_interventions,
)
from .store import ScreenStore

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

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": {self.goal[0]: self.goal[1]},
            "mode": self.mode,
            "context": self.context or None,
            "max_size": self.max_size,
            "candidates": self.candidates,
            "solutions": [
                {"intervention": format_intervention(s), "perturbation": dict(s), "size": len(s), "agents": a}
                for s, a in zip(self.solutions, self.agents)
            ],
            "stats": self.stats,
        }


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


def _reached(values: Sequence[Mapping[str, Any]], goal: tuple[str, int], mode: str) -> bool:
    hits = [v.get(goal[0]) == goal[1] for v in values]
    if not hits:
        return False
    return all(hits) if mode == "all" else any(hits)


def minimal_interventions(
    network,
    goal: str | tuple[str, int] = "Death",
    *,
    context: str | None = None,
    max_size: int = 2,
    mode: str = "all",
    kinds: Sequence[str] = ("ko", "oe"),
    targets: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    druggable: bool = False,
    allow_trivial: bool = False,
    treatment: Mapping[str, int] | None = None,
    update: str = "mp",
    workers: int | None = 1,
    scheduler=None,
    backend=None,
    analysis=dynamics_analysis,
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
        ``"all"``: every reachable attractor has the goal; ``"some"``: at least one.
    Other parameters
        As for :func:`signet.screen.screen`.

    Examples
    --------
    >>> from signet.io.bnet import parse_bnet
    >>> from signet.annotations import Annotations
    >>> net = parse_bnet("RT, RT\\nA, RT & !B\\nB, C & D\\nC, C\\nD, C\\nDeath, A",
    ...     annotations=Annotations(phenotypes={"Death": "Death"}, treatment={"RT": 1}))
    >>> def percolation(network, *, context, perturbation, treatment, update, phenotypes):
    ...     _, values = network.perturb(fix={**perturbation, **treatment}).percolate()
    ...     return {"values": [{"Death": values.get("Death", "*")}], "exact": True}
    >>> res = minimal_interventions(net, "Death", analysis=percolation, allow_trivial=False)
    >>> [format_intervention(s) for s in res.solutions]
    ['B ko', 'D ko']
    """
    if mode not in ("all", "some"):
        raise ModelError(f"mode must be 'all' or 'some', not {mode!r}")
    if max_size < 1:
        raise ModelError("max_size must be at least 1")
    goal = parse_goal(goal) if isinstance(goal, str) else (goal[0], int(goal[1]))
    phenotypes = dict(network.annotations.phenotypes)
    if goal[0] not in phenotypes:
        if goal[0] in network:
            phenotypes[goal[0]] = goal[0]
        else:
            known = ", ".join(phenotypes) or "none"
            raise ModelError(f"unknown goal phenotype {goal[0]!r} (phenotypes: {known})")
    treatment, analysis = treatment_and_analysis(network, treatment, analysis)
    ctx = ""
    if context not in (None, "", "none"):
        network.context(context)
        ctx = str(context)
    pool = candidate_targets(network, targets=targets, exclude=exclude, allow_trivial=allow_trivial, treatment=treatment)
    units = (
        druggable_units(network, pool) if druggable else [((n, v),) for n, v in single_interventions(pool, kinds)]
    )
    job = Job(network, phenotypes, treatment, update, analysis)
    fingerprint = {"model": job.token, "phenotypes": sorted(phenotypes.items())}
    if backend is None:
        backend = make_backend(workers, scheduler)
    solutions: list[Intervention] = []
    total = evaluated = 0
    stats: dict[str, int] = {"percolated": 0, "analysed": 0}
    with ScreenStore(db, fingerprint) as store:
        seen: list[set[Intervention]] = []  # interventions already tried at a smaller size
        for size in range(0, max_size + 1):
            if size == 0:
                level: list[Intervention] = [()]
            else:
                found: dict[Intervention, None] = {}
                for combo in combinations(units, size):
                    fixes = [f for unit in combo for f in unit]
                    if len({n for n, _ in fixes}) < len(fixes):
                        continue
                    combo_set = set(fixes)
                    if any(set(s) <= combo_set for s in solutions):
                        continue
                    found.setdefault(tuple(sorted(fixes)))
                level = [i for i in found if all(i not in lv for lv in seen)]
                seen.append(set(level))
            if not level:
                continue
            total += len(level)
            items = [(ctx, intervention_key(i)) for i in level]
            run = evaluate(job, items, store, backend, progress=progress, description=f"size {size}")
            stats["percolated"] += run.percolated
            stats["analysed"] += run.analysed
            results = store.row_results()
            for i, item in zip(level, items):
                evaluated += 1
                if _reached(results[item]["values"], goal, mode):
                    solutions.append(i)
            if solutions and solutions[0] == ():
                break  # the treatment alone reaches the goal: the empty set is the only minimal one
    # a multi-target agent is one unit but several fixes: keep only inclusion-minimal fix sets
    solutions = [s for s in solutions if not any(set(t) < set(s) for t in solutions)]
    solutions.sort(key=lambda s: (len(s), intervention_key(s)))
    stats["candidates"] = total
    return ControlResult(goal, mode, ctx, max_size, solutions, [agents_of(network, s) for s in solutions], total, stats)
