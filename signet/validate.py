"""Check a model against literature expectations (``signet validate``).

Each claim (:class:`~signet.expectations.Expectation`) compares the share of a
phenotype in a *case* with the share in a *reference* case, or with 0 or 1.  The share
of a phenotype in a case is the fraction of the attractors that the treated,
perturbed cell reaches from its untreated states (:func:`signet.dynamics.response`:
the baseline attractors of the context, then the case's inputs and perturbations
switched on) in which the phenotype is 1 throughout the attractor; an attractor in
which it oscillates does not count.  Every distinct case is computed once, however
many claims use it.

With ``metric="probability"`` a case's value is instead the *fate probability* of the
phenotype: the probability that the continuous-time asynchronous chain (the model's
rates), started from the untreated cell, ends the treatment in an attractor where the
phenotype holds (:func:`signet.screen.metrics.probability_analysis`: exact on small
chains, else simulated with a 95% Wilson interval).  A comparison then holds only when
the two intervals are apart, so a difference within simulation noise does not count.

Examples
--------
>>> from signet.annotations import Annotations
>>> from signet.model import BooleanNetwork
>>> from signet.io.expectations import parse_expectations
>>> net = BooleanNetwork(
...     {"RT": "RT", "Damage": "RT", "ATM": "Damage", "Repair": "ATM", "Death": "Damage & !Repair"},
...     annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0}),
... )
>>> claims = parse_expectations('''
... - {id: rt_alone, phenotype: Death, case: {inputs: {RT: 1}}, expect: zero}
... - {id: atm_ko, phenotype: Death, case: {inputs: {RT: 1}, ko: [ATM]}, reference: rt_alone, expect: increase}
... ''')
>>> result = validate(net, claims)
>>> [(r.expectation.id, r.passed, r.case.share, r.reference and r.reference.share) for r in result.results]
[('rt_alone', True, 0.0, None), ('atm_ko', True, 1.0, 0.0)]
>>> result.summary()
'2/2 claims pass'
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from .dynamics import UPDATES
from .errors import ModelError
from .expectations import Case, Expectation

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from .model import BooleanNetwork

__all__ = ["METRICS", "CaseResult", "ClaimResult", "ValidationResult", "evaluate_case", "holds",
           "holds_interval", "probability_case", "course_case", "readout", "reachable_case", "reachable_literal",
           "scheduled_case", "validate"]

#: Update schemes ``validate`` accepts (synchronous analysis of a large model rarely fits in memory,
#: but small models may use it).
VALIDATE_UPDATES = UPDATES
#: What a case's value is: the share of the attractors reached, or the fate probability.
METRICS = ("share", "probability")

#: the trajectories of a second look, as a multiple of the first look's (``runs``): a claim whose
#: simulated 95% intervals overlap is decided again on this many times the trajectories (intervals
#: half as wide), see :func:`validate`
SECOND_LOOK = 4


@dataclass(frozen=True)
class CaseResult:
    """The fates of one case.

    Attributes
    ----------
    case
        The case (names resolved).
    attractors
        Number of attractors reached from the untreated cell.
    counts
        Per phenotype: in how many of them it is 1 throughout.
    oscillating
        Per phenotype: in how many it oscillates (neither 0 nor 1 throughout).
    phenotypes
        Per attractor, the phenotypes that are 1 in it.
    seconds
        Time the computation took.
    values
        Per attractor, every phenotype's value: ``1``, ``0`` or ``"*"``.
    probabilities
        Under the probability metric: per phenotype, the probability of ending in an
        attractor where it holds throughout; ``None`` under the share metric.
    successes, runs
        When the probabilities were simulated: per phenotype the trajectories that ended
        with it, of ``runs``; ``None`` when they are exact.
    at
        A time course's case (:func:`course_case`): the time the probabilities are read at
        (then ``probabilities`` are those of the state at that time, not of fates).
    """

    case: Case
    attractors: int
    counts: Mapping[str, int]
    oscillating: Mapping[str, int]
    phenotypes: tuple[tuple[str, ...], ...]
    seconds: float = 0.0
    values: tuple[Mapping[str, int | str], ...] = ()
    probabilities: Mapping[str, float] | None = None
    successes: Mapping[str, int] | None = None
    runs: int | None = None
    at: float | None = None

    def fraction(self, phenotype: str) -> Fraction:
        """The exact share of ``phenotype`` (0 when no attractor is reached)."""
        if self.attractors == 0:
            return Fraction(0)
        return Fraction(self.counts[phenotype], self.attractors)

    def share_of(self, phenotype: str) -> float:
        """The share of ``phenotype`` as a float."""
        return float(self.fraction(phenotype))

    def value_of(self, phenotype: str) -> float:
        """What a claim reads: the fate probability of ``phenotype`` under the probability
        metric, else its share."""
        if self.probabilities is None:
            return self.share_of(phenotype)
        return float(self.probabilities[phenotype])

    def interval_of(self, phenotype: str) -> tuple[float, float]:
        """The 95% interval of :meth:`value_of`: a point when exact (shares, exact
        probabilities), the Wilson interval of the trajectories when simulated."""
        from .screen.metrics import Estimate

        if self.successes is None or self.runs is None:
            return Estimate(self.value_of(phenotype)).interval()
        return Estimate(self.value_of(phenotype), self.successes[phenotype], self.runs).interval()

    def to_json(self, phenotype: str | None = None) -> dict:
        """The case, its attractor count, and the shares of every phenotype."""
        data = self.case.to_json()
        if self.at is not None:  # a state at a time: no attractors, no shares
            data["at"] = self.at
            data["probabilities"] = dict(self.probabilities or {})
            if phenotype is not None:
                data["probability"] = self.value_of(phenotype)
                data["interval"] = list(self.interval_of(phenotype))
                data["runs"] = self.runs
            return data
        if phenotype is not None:
            data["share"] = self.share_of(phenotype)
            data["with_phenotype"] = self.counts[phenotype]
            if self.probabilities is not None:
                data["probability"] = self.value_of(phenotype)
                data["interval"] = list(self.interval_of(phenotype))
                data["runs"] = self.runs
        data["attractors"] = self.attractors
        data["shares"] = {p: self.share_of(p) for p in self.counts}
        data["oscillating"] = dict(self.oscillating)
        # one shape for phenotypes everywhere: per attractor {name: 1 | 0 | "*"}
        data["attractor_phenotypes"] = [dict(v) for v in self.values] if self.values else [
            {p: int(p in on) for p in self.counts} for on in self.phenotypes]
        return data  # no timing: the same question gives the same bytes


@dataclass(frozen=True)
class ClaimResult:
    """One claim checked: whether it holds, and the numbers.

    Attributes
    ----------
    expectation
        The claim.
    passed
        Whether the model reproduces it.
    case, reference
        The fates of the case and of the reference (``None`` for claims without one).
    second_look
        Whether the claim was decided on a second look (:func:`validate`): its simulated
        intervals overlapped at the first look's trajectories.
    """

    expectation: Expectation
    passed: bool
    case: "ClaimCase"
    reference: "ClaimCase | None"
    second_look: bool = False

    def to_json(self) -> dict:
        """The claim, ``passed`` and both cases with their shares (``second_look``: decided on
        the second look's trajectories, whose count each case's ``runs`` gives)."""
        e = self.expectation
        return {
            "id": e.id, "passed": self.passed, "claim": e.claim, "refs": list(e.refs), "phenotype": e.phenotype,
            "expect": e.expect, "read": e.read, **({"at": e.at} if e.at is not None else {}), "line": e.line,
            "second_look": self.second_look,
            "case": self.case.result.to_json(e.phenotype),
            "reference": self.reference.result.to_json(e.phenotype) if self.reference else None,
        }


@dataclass(frozen=True)
class ClaimCase:
    """The share of a claim's phenotype in one of its cases.

    Attributes
    ----------
    result
        All fates of the case.
    share, fraction
        The phenotype's share as a float and as an exact fraction.
    count, attractors
        Attractors that carry the phenotype, of all attractors reached.
    value, interval
        What the claim reads (the share, or the fate probability) and its 95% interval
        (a point when exact).
    """

    result: CaseResult
    share: float
    fraction: Fraction
    count: int
    attractors: int
    value: float = 0.0
    interval: tuple[float, float] = (0.0, 0.0)

    @classmethod
    def of(cls, result: CaseResult, phenotype: str) -> "ClaimCase":
        """The share (or fate probability) of ``phenotype`` in ``result``."""
        return cls(result, result.share_of(phenotype), result.fraction(phenotype), result.counts[phenotype],
                   result.attractors, result.value_of(phenotype), result.interval_of(phenotype))


@dataclass(frozen=True)
class ValidationResult:
    """All claims checked.

    Attributes
    ----------
    update
        The update scheme used.
    results
        One :class:`ClaimResult` per claim, in file order.
    cases
        The distinct cases computed (keyed by :meth:`Case.key`).
    seconds
        Wall-clock time of the whole validation.
    metric
        ``"share"`` or ``"probability"`` (see :data:`METRICS`).
    """

    update: str
    results: tuple[ClaimResult, ...]
    cases: Mapping[tuple, CaseResult]
    seconds: float
    metric: str = "share"

    @property
    def passed(self) -> list[ClaimResult]:
        """The claims that hold."""
        return [r for r in self.results if r.passed]

    @property
    def failed(self) -> list[ClaimResult]:
        """The claims that do not hold."""
        return [r for r in self.results if not r.passed]

    @property
    def all_passed(self) -> bool:
        """``True`` when every claim holds."""
        return not self.failed

    @property
    def second_looks(self) -> list[ClaimResult]:
        """The claims decided on a second look (their first look's intervals overlapped)."""
        return [r for r in self.results if r.second_look]

    @property
    def second_look_runs(self) -> int | None:
        """The trajectories of the second look (``None`` when no claim needed one)."""
        runs = [c.result.runs for r in self.second_looks for c in (r.case, r.reference)
                if c is not None and c.result.runs is not None]
        return max(runs) if runs else None

    def summary(self) -> str:
        """``"41/41 claims pass"``, naming the failures if any."""
        text = f"{len(self.passed)}/{len(self.results)} claims pass"
        if self.failed:
            text += "; failed: " + ", ".join(r.expectation.id for r in self.failed)
        return text

    def records(self) -> list[dict]:
        """One flat row per claim: ``id``, ``passed``, ``phenotype``, ``expect``, the case's and
        the reference's share and attractor count, ``claim``, ``refs``."""
        out = []
        for r in self.results:
            e = r.expectation
            out.append({
                "id": e.id, "passed": r.passed, "phenotype": e.phenotype, "expect": e.expect,
                "share": r.case.share, "attractors": r.case.attractors,
                "reference_share": r.reference.share if r.reference else None,
                **({"probability": r.case.value,
                    "reference_probability": r.reference.value if r.reference else None}
                   if self.metric == "probability" else {}),
                "reference_attractors": r.reference.attractors if r.reference else None,
                "claim": e.claim, "refs": list(e.refs),
            })
        return out

    def to_pandas(self) -> "pandas.DataFrame":
        """:meth:`records` as a ``pandas.DataFrame``."""
        from .tables import to_dataframe

        return to_dataframe(self.records())

    def _repr_html_(self) -> str:
        from .tables import records_html

        return records_html(self.records(), caption=f"{self.summary()} ({self.update})",
                            columns=["id", "passed", "phenotype", "expect",
                                     *(["probability", "reference_probability"] if self.metric == "probability"
                                       else ["share", "reference_share"]), "claim"])

    def to_json(self) -> dict:
        """Everything: update, counts and every claim with its numbers (no timing, so that the
        same validation gives the same JSON; :attr:`seconds` has it)."""
        return {
            "update": self.update,
            "metric": self.metric,
            "all_passed": self.all_passed,
            "total": len(self.results),
            "passed": len(self.passed),
            "failed": [r.expectation.id for r in self.failed],
            "distinct_cases": len(self.cases),
            "claims": [r.to_json() for r in self.results],
        }


def holds(expect: str, share: Fraction | float, reference: Fraction | float | None = None) -> bool:
    """Whether a share meets an expectation.

    ``increase``/``decrease``: strictly above/below ``reference``; ``zero``: 0;
    ``positive``: above 0; ``all``: 1.

    Examples
    --------
    >>> holds("increase", Fraction(5, 9), Fraction(1, 2)), holds("decrease", 0.5, 0.5), holds("all", 1)
    (True, False, True)
    """
    if expect == "zero":
        return share == 0
    if expect == "positive":
        return share > 0
    if expect == "all":
        return share == 1
    if expect in ("increase", "decrease"):
        if reference is None:
            raise ModelError(f"expect {expect} needs a reference share")
        return share > reference if expect == "increase" else share < reference
    raise ModelError(f"unknown expectation {expect!r}")


def holds_interval(expect: str, value: float, interval: tuple[float, float],
                   reference: tuple[float, float] | None = None) -> bool:
    """Whether an estimate with its interval meets an expectation.

    ``increase``/``decrease``: the interval lies wholly above/below the reference's
    interval (for exact values, points, this is a strict comparison); ``zero``: the value
    is 0 (simulated: no trajectory had the phenotype); ``positive``: above 0; ``all``: 1.

    Examples
    --------
    >>> holds_interval("decrease", 0.01, (0.005, 0.02), (0.09, 0.12))
    True
    >>> holds_interval("decrease", 0.09, (0.08, 0.10), (0.09, 0.12))  # within noise
    False
    >>> holds_interval("zero", 0.0, (0.0, 0.0015))
    True
    """
    if expect in ("increase", "decrease"):
        if reference is None:
            raise ModelError(f"expect {expect} needs a reference")
        return interval[0] > reference[1] if expect == "increase" else interval[1] < reference[0]
    return holds(expect, value)


def probability_case(network: "BooleanNetwork", case: Case, *, runs: int | None = None, seed: int = 0,
                     max_states: int | None = None) -> CaseResult:
    """The fate probabilities of a case: where the asynchronous chain ends the treatment.

    The cell starts in the untreated attractors of the case's context; the treatment (its
    inputs as one phase, or its schedule) runs with the perturbation fixed throughout
    (:func:`signet.screen.metrics.probability_analysis`, the screen's ``--metric
    probability``: exact when at most ``max_states`` states are reachable, else ``runs``
    trajectories seeded from ``seed``, the context and the perturbation).

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "RT & !A", "Death": "A"},
    ...                      annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0}))
    >>> r = probability_case(net, Case(inputs={"RT": 1}))
    >>> r.value_of("Death"), r.interval_of("Death"), r.attractors
    (0.5, (0.5, 0.5), 2)
    """
    from .screen.metrics import DEFAULT_RUNS, SCREEN_MAX_STATES, probability_analysis

    started = time.perf_counter()
    runs = DEFAULT_RUNS if runs is None else runs
    found = probability_analysis(
        network, context=case.context, perturbation=case.perturbation(), treatment=dict(case.inputs),
        update="async", phenotypes=dict(network.annotations.phenotypes), schedule=case.schedule or None,
        runs=runs, seed=seed, max_states=SCREEN_MAX_STATES if max_states is None else max_states,
    )
    names = list(network.annotations.phenotypes)
    values = tuple(found["values"])
    counts = {p: sum(1 for v in values if v.get(p) == 1) for p in names}
    oscillating = {p: sum(1 for v in values if v.get(p) == "*") for p in names}
    carried = tuple(tuple(p for p in names if v.get(p) == 1) for v in values)
    return CaseResult(case, len(values), counts, oscillating, carried, time.perf_counter() - started, values,
                      dict(found["probabilities"]), found["counts"], found["runs"])


#: How long each phase of a ``read: course`` case's treatment lasts before the last one, unless
#: the schedule bounds it (``@``): the time course's default phase time.
COURSE_PHASE_TIME = 20.0


def course_case(network: "BooleanNetwork", case: Case, at: float, *, runs: int | None = None, seed: int = 0,
                phase_time: float = COURSE_PHASE_TIME) -> CaseResult:
    """The state of a case at a time: the probability of each phenotype ``at`` time units after the
    last phase of its treatment starts (a claim's ``read: course``).

    The cell starts in the untreated attractors of the case's context (as for
    :func:`probability_case`); every phase before the last lasts its ``@`` or
    ``phase_time``; the asynchronous chain with the model's rates runs with the perturbation
    fixed (:func:`signet.dynamics.timecourse.timecourse`: exact when the reachable states
    fit, else ``runs`` trajectories with 95% Wilson intervals).  The result's ``attractors``
    is 0: it reads a state, not fates.

    Examples
    --------
    ``B`` follows ``S`` at rate 1: one time unit after ``S`` is switched on, ``B`` is on with
    probability ``1 - e^-1``:

    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"S": "S", "B": "S"}, annotations=Annotations(phenotypes={"B": "B"}, baseline={"S": 0}))
    >>> r = course_case(net, Case(schedule="S=0 ; S=1"), 1.0)
    >>> round(r.value_of("B"), 3), r.runs, r.at          # exact: no trajectories
    (0.632, None, 1.0)
    """
    from .dynamics.schedule import Phase, Schedule, parse_schedule
    from .dynamics.timecourse import timecourse
    from .screen.metrics import DEFAULT_RUNS

    if not at > 0:
        raise ModelError(f"read: course reads at a time above 0, not {at}")
    started = time.perf_counter()
    plan = parse_schedule(case.schedule).resolve(network) if case.schedule else Schedule.of(case.inputs)
    phases = list(plan.phases())
    timed = [Phase(p.values, p.duration if p.duration is not None else phase_time) for p in phases[:-1]]
    timed.append(Phase(phases[-1].values, at))
    total = sum(float(p.duration or 0.0) for p in timed)
    runs = DEFAULT_RUNS if runs is None else runs
    course = timecourse(network, schedule=Schedule(tuple(timed)), context=case.context,
                        perturbation=case.perturbation(), step=total, nodes=[], runs=runs, seed=seed)
    names = list(network.annotations.phenotypes)
    probabilities = {p: float(course.phenotypes[p][-1]) for p in names}
    simulated = course.method == "simulation"
    successes = {p: round(probabilities[p] * runs) for p in names} if simulated else None
    zeros = {p: 0 for p in names}
    return CaseResult(case, 0, zeros, dict(zeros), (), time.perf_counter() - started, (), probabilities, successes,
                      runs if simulated else None, at)


def readout(network: "BooleanNetwork", context: str | None = None,
            perturbation: Mapping[str, int] | None = None, *, treated: bool = True, runs: int | None = None,
            seed: int = 0) -> CaseResult:
    """The fate probabilities of one case under the model's own treatment, as ``signet validate`` reads it.

    ``treated``: the model's treatment (metadata ``treatment``, run as its ``schedule`` when it is
    one, e.g. the pulse ``RT=1 ; RT=0``); else the untreated cell (the treatment's inputs at their
    ``baseline`` values, e.g. ``RT=0``). The perturbation (node -> 0/1) is fixed throughout. This
    is :func:`probability_case` of the :func:`scheduled_case` a claim with these settings evaluates.

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "Damage": "RT", "Death": "Damage & !B", "B": "B"},
    ...                      annotations=Annotations(phenotypes={"Death": "Death"}, baseline={"RT": 0},
    ...                                              treatment={"RT": 1}))
    >>> readout(net, perturbation={"B": 0}).value_of("Death")
    1.0
    >>> readout(net, perturbation={"B": 1}).value_of("Death"), readout(net, treated=False).value_of("Death")
    (0.0, 0.0)
    """
    ann = network.annotations
    inputs = dict(ann.treatment) if treated else {node: ann.baseline.get(node, 0) for node in ann.treatment}
    case = Case(context=context, inputs=inputs, fix=dict(perturbation or {}))
    if treated and ann.schedule:
        case = scheduled_case(case, ann.schedule, network)
    return probability_case(network, case, runs=runs, seed=seed)


def evaluate_case(network: "BooleanNetwork", case: Case, update: str = "mp") -> CaseResult:
    """The attractors a case reaches and how many carry each phenotype of ``network``.

    Parameters
    ----------
    network
        The model, with phenotypes (and contexts) in its annotations.
    case
        Context, treatment inputs (or a treatment schedule: the fates are those at the
        end of the schedule) and perturbations.
    update
        ``"mp"``, ``"async"`` or ``"sync"``.

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT", "B": "A & !C", "C": "C"},
    ...                      annotations=Annotations(phenotypes={"B": "B"}, baseline={"RT": 0}))
    >>> r = evaluate_case(net, Case(inputs={"RT": 1}))
    >>> r.attractors, dict(r.counts), r.phenotypes
    (2, {'B': 1}, ((), ('B',)))
    """
    from .dynamics import response
    from .phenotypes import parse_phenotypes, phenotype_value

    started = time.perf_counter()
    phenotypes = parse_phenotypes(network.annotations.phenotypes)
    if case.schedule:
        from .dynamics.schedule import run_schedule

        fates = run_schedule(network, case.schedule, update, context=case.context,
                             perturbation=case.perturbation()).final
    else:
        fates = response(network, treatment=dict(case.inputs), context=case.context,
                         perturbation=case.perturbation(), update=update)
    counts = {p: 0 for p in phenotypes}
    oscillating = {p: 0 for p in phenotypes}
    carried = []
    values = []
    for attractor in fates.attractors:
        on = []
        values.append({name: phenotype_value(expr, attractor.space) for name, expr in phenotypes.items()})
        for name in phenotypes:
            value = values[-1][name]
            if value == 1:
                counts[name] += 1
                on.append(name)
            elif value == "*":
                oscillating[name] += 1
        carried.append(tuple(on))
    return CaseResult(case, len(fates.attractors), counts, oscillating, tuple(carried),
                      time.perf_counter() - started, tuple(values))


def reachable_literal(network: "BooleanNetwork", phenotype: str) -> tuple[str, int]:
    """The node and value a ``read: reachable`` claim asks about.

    ``phenotype`` is a phenotype of the model whose expression is one literal (``A`` or
    ``!A``), a node, or ``!`` and a node.

    Raises
    ------
    ModelError
        For a phenotype that is not one literal, or a name that is neither.

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"A": "A", "B": "A"}, annotations=Annotations(phenotypes={"Off": "!B", "Both": "A & B"}))
    >>> reachable_literal(net, "Off"), reachable_literal(net, "A"), reachable_literal(net, "!A")
    (('B', 0), ('A', 1), ('A', 0))
    >>> reachable_literal(net, "Both")
    Traceback (most recent call last):
    ...
    signet.errors.ModelError: read: reachable needs a node, !node or a one-literal phenotype; Both is A & B
    """
    from .expr import Not, Var
    from .phenotypes import parse_phenotypes

    phenotypes = network.annotations.phenotypes
    if phenotype in phenotypes:
        expr = parse_phenotypes({phenotype: phenotypes[phenotype]})[phenotype]
        if isinstance(expr, Var):
            return expr.name, 1
        if isinstance(expr, Not) and isinstance(expr.arg, Var):
            return expr.arg.name, 0
        raise ModelError(f"read: reachable needs a node, !node or a one-literal phenotype; {phenotype} is "
                         f"{phenotypes[phenotype]}")
    negated = phenotype.startswith("!")
    node = phenotype[1:].strip() if negated else phenotype
    if node in network.nodes:
        return node, 0 if negated else 1
    raise ModelError(f"read: reachable needs a node, !node or a one-literal phenotype; {phenotype!r} is none")


def _phase_values(network: "BooleanNetwork", case: Case) -> list[dict[str, int]]:
    """The values each phase of ``case`` fixes: its schedule's phases, or its inputs as one phase."""
    if not case.schedule:
        return [dict(case.inputs)]
    from .dynamics.schedule import parse_schedule

    return [dict(phase.assignment()) for phase in parse_schedule(case.schedule).resolve(network).phases()]


def _reached_literals(network: "BooleanNetwork", phases: list[dict[str, int]], fixes: Mapping[str, int],
                      start: Mapping[str, int]) -> tuple[set[str], set[str]]:
    """The nodes that can be 1 and those that can be 0 in some phase, from the start subspace ``start``."""
    from .dynamics import attractors
    from .dynamics.compiled import compiled
    from .dynamics.schedule import phase_starts

    ones: set[str] = set()
    zeros: set[str] = set()
    starts: list[dict[str, int]] = [dict(start)]
    for k, values in enumerate(phases):
        pinned = {**fixes, **values}
        phase_net = network.fix(pinned)
        cn = compiled(phase_net)
        for state in starts:
            mask, bits = cn.encode({**state, **pinned})
            fixed = cn.trap_closure(mask, bits)
            ones.update(n for j, n in enumerate(cn.nodes) if not (fixed >> j) & 1 or (bits >> j) & 1)
            zeros.update(n for j, n in enumerate(cn.nodes) if not (fixed >> j) & 1 or not (bits >> j) & 1)
        if k + 1 < len(phases):
            starts = phase_starts(attractors(phase_net, "mp", start=[{**s, **pinned} for s in starts]))
    return ones, zeros


def reachable_case(network: "BooleanNetwork", case: Case, phenotype: str) -> CaseResult:
    """From how many untreated start states ``phenotype`` can be on during ``case``'s treatment.

    The cell starts in each attractor of the untreated context (:func:`signet.dynamics.baseline_starts`,
    minimal trap spaces); the treatment (the case's inputs, or every phase of its schedule,
    each phase starting from the attractors the previous one reached) runs with the context
    and the perturbation fixed.  Under most-permissive update a node can take a value from a
    subspace exactly when it has that value, or is free, in the smallest trap space containing
    the subspace (checked against mpbn's reachability in the tests).  The result's
    ``attractors`` counts the start states and ``counts[phenotype]`` those from which the
    phenotype's literal (:func:`reachable_literal`) is reachable in some phase.

    Examples
    --------
    A pulse of ``S`` switches ``E`` on only while it lasts:

    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"S": "S", "E": "S"}, annotations=Annotations(baseline={"S": 0}))
    >>> r = reachable_case(net, Case(schedule="S=1 ; S=0"), "E")
    >>> r.attractors, dict(r.counts)
    (1, {'E': 1})
    >>> dict(reachable_case(net, Case(inputs={"S": 0}), "E").counts)
    {'E': 0}
    """
    from .dynamics import baseline_starts

    started = time.perf_counter()
    node, value = reachable_literal(network, phenotype)
    fixes = {**(dict(network.context(case.context).fix) if case.context is not None else {}),
             **case.perturbation()}
    phases = _phase_values(network, case)
    carried = []
    for start in baseline_starts(network, "mp", context=case.context):
        ones, zeros = _reached_literals(network, phases, fixes, start)
        carried.append(node in (ones if value else zeros))
    count = sum(carried)
    return CaseResult(case, len(carried), {phenotype: count}, {phenotype: 0},
                      tuple((phenotype,) if c else () for c in carried), time.perf_counter() - started,
                      tuple({phenotype: int(c)} for c in carried))


def scheduled_case(case: Case, schedule: str, network: "BooleanNetwork") -> Case:
    """``case`` run under ``schedule`` if it is treated (see :func:`validate`), else ``case``.

    Examples
    --------
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "O2": "O2", "A": "RT & O2"})
    >>> scheduled_case(Case("wt", {"RT": 1, "O2": 0}), "RT=1 ; RT=0", net)
    Case(context='wt', inputs={}, ko=(), oe=(), fix={'O2': 0}, schedule='RT=1 ; RT=0')
    >>> scheduled_case(Case("wt", {"RT": 0}), "RT=1 ; RT=0", net).schedule
    ''
    """
    from .dynamics.schedule import parse_schedule

    if case.schedule:
        return case
    plan = parse_schedule(schedule).resolve(network)
    first = plan.first_values()
    if not any(first.get(node) == value for node, value in case.inputs.items()):
        return case
    named = set(plan.nodes())
    held = {node: value for node, value in case.inputs.items() if node not in named}
    return Case(case.context, {}, case.ko, case.oe, {**held, **case.fix}, str(plan))


def _scheduled(claim: Expectation, schedule: str, network: "BooleanNetwork") -> Expectation:
    from dataclasses import replace

    reference = claim.reference
    if reference is not None:
        reference = scheduled_case(reference, schedule, network)
    return replace(claim, case=scheduled_case(claim.case, schedule, network), reference=reference)


def _case_key(claim: Expectation, case: Case) -> tuple:
    """The key of a claim's case: the case, for ``read: reachable`` also the phenotype read, for
    ``read: course`` the time."""
    if claim.read == "reachable":
        return ("reachable", claim.phenotype) + case.key()
    if claim.read == "course":
        return ("course", claim.at) + case.key()
    return case.key()


def _evaluate_cases(network: "BooleanNetwork", claims: list[Expectation], update: str,
                    progress: Callable[[int, int], None] | None,
                    compute: Callable[[Case], CaseResult] | None = None, runs: int | None = None,
                    seed: int = 0) -> dict[tuple, CaseResult]:
    """Every distinct case of ``claims`` computed once (a ``read: reachable`` case per phenotype,
    a ``read: course`` case per time), by ``compute`` (default :func:`evaluate_case` under ``update``)."""
    order: dict[tuple, tuple[Case, Expectation]] = {}
    for claim in claims:
        for case in (claim.case, claim.reference):
            if case is not None:
                order.setdefault(_case_key(claim, case), (case, claim))
    # response() computes each context's baseline attractors once and reuses them
    cases: dict[tuple, CaseResult] = {}
    if progress is not None:
        progress(0, len(order))
    for done, (key, (case, claim)) in enumerate(order.items(), start=1):
        if claim.read == "reachable":
            cases[key] = reachable_case(network, case, claim.phenotype)
        elif claim.read == "course":
            cases[key] = course_case(network, case, float(claim.at or 0.0), runs=runs, seed=seed)
        else:
            cases[key] = compute(case) if compute is not None else evaluate_case(network, case, update)
        if progress is not None:
            progress(done, len(order))
    return cases


def validate(
    network: "BooleanNetwork",
    expectations: Iterable[Expectation],
    *,
    update: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    schedule: str | None = None,
    metric: str | None = None,
    runs: int | None = None,
    seed: int = 0,
    second_look: int | None = None,
) -> ValidationResult:
    """Check every claim on ``network``.

    Parameters
    ----------
    network
        The model with its metadata (phenotypes, contexts, baseline inputs).
    expectations
        Claims, e.g. from :func:`signet.io.expectations.read_expectations` (pass the
        network there so that aliases are resolved and names checked).
    update
        Update scheme of the dynamics: ``"mp"`` (default), ``"async"`` or ``"sync"``; the
        probability metric is that of the asynchronous chain (``None`` or ``"async"``).
    progress
        Called as ``progress(done, total)`` before the first and after each distinct case
        is computed.
    schedule
        A treatment schedule (text) for the treated cases; default the model's own
        (``annotations.schedule``), if it has one.  A case is *treated* when its
        ``inputs`` give some node the value the schedule's first phase gives it (e.g.
        ``RT: 1`` for ``RT=1 ; RT=0``); it then runs under the schedule, its other inputs
        fixed in every phase.  Cases with their own ``schedule`` keep it; untreated cases
        are unchanged.
    metric
        ``None`` (default): the model's metric (metadata ``screen_metric``, the readout its
        screen ranks by, when it is one of these two; see :func:`default_metric`).
        ``"share"``: a case's value is the share of the attractors reached that
        carry the phenotype, and comparisons are exact.  ``"probability"``: the fate
        probability (:func:`probability_case`), and an increase or decrease must clear
        both 95% intervals (:func:`holds_interval`).  ``read: reachable`` claims (a
        transient during the treatment, not a fate) are decided by most-permissive
        reachability under either metric, ``read: course`` claims (the state at a time)
        by :func:`course_case` with ``runs`` and ``seed``.
    runs, seed
        Trajectories per simulated case, fate probabilities and ``read: course`` alike
        (default that of the screen: intervals of at most +-0.02), and the seed.
    second_look
        Trajectories of a second look (default :data:`SECOND_LOOK` times ``runs``; at most
        ``runs`` for none).  An increase or decrease whose simulated 95% intervals overlap
        is undecided at the first look, and a small true difference (0.04 at 2,401
        trajectories) lands on either side of the line by chance: such a claim's two
        cases are simulated again with this many trajectories (same seed) and the claim
        is decided on them (:attr:`ClaimResult.second_look`; its cases' ``runs`` say how
        many).  Claims decided at the first look keep that verdict, so the verdicts do
        not depend on which other claims share a case.  Under ``metric="share"`` only the
        ``read: course`` claims are simulated, so only they can need a second look.

    Returns
    -------
    ValidationResult
        Per claim: passed or not, with the shares (or probabilities) of both cases.
    """
    metric = default_metric(network, update) if metric is None else metric
    update = _update_of(metric, update)
    started = time.perf_counter()
    claims = list(expectations)
    schedule = schedule or network.annotations.schedule or None
    if schedule is not None:
        claims = [_scheduled(claim, schedule, network) for claim in claims]
    reachable = [claim.id for claim in claims if claim.read == "reachable"]
    if update != "mp" and metric == "share" and reachable:
        more = f" and {len(reachable) - 3} more" if len(reachable) > 3 else ""
        raise ModelError(f"read: reachable claims are decided under most-permissive update only (--update mp): "
                         f"{', '.join(reachable[:3])}{more}; choose other claims with --claim")
    compute = None
    if metric == "probability":
        def compute(case: Case) -> CaseResult:
            return probability_case(network, case, runs=runs, seed=seed)

    cases = _evaluate_cases(network, claims, update, progress, compute, runs, seed)
    results = tuple(_judge(claim, cases) for claim in claims)
    from .screen.metrics import DEFAULT_RUNS

    first = DEFAULT_RUNS if runs is None else runs
    again = SECOND_LOOK * first if second_look is None else second_look
    if again > first:  # simulated claims only: fate probabilities, and time courses under either metric
        results = _second_look(network, claims, results, again, seed, progress)
    return ValidationResult(update, results, cases, time.perf_counter() - started, metric)


def undecided(result: ClaimResult) -> bool:
    """Whether a claim's simulated increase or decrease is undecided: its case's and its
    reference's 95% intervals overlap and at least one of them was simulated (exact
    values are points, always decided).

    Examples
    --------
    >>> from signet.expectations import Case, Expectation
    >>> def case(p, runs):
    ...     result = CaseResult(Case(), 1, {"D": round(p * runs)}, {"D": 0}, (), probabilities={"D": p},
    ...                         successes={"D": round(p * runs)}, runs=runs)
    ...     return ClaimCase.of(result, "D")
    >>> claim = Expectation("c", "claim", (), "D", Case(), Case(), "increase")
    >>> undecided(ClaimResult(claim, False, case(0.46, 2401), case(0.43, 2401)))
    True
    >>> undecided(ClaimResult(claim, True, case(0.50, 9604), case(0.44, 9604)))
    False
    """
    if result.expectation.expect not in ("increase", "decrease") or result.reference is None:
        return False
    if result.case.result.runs is None and result.reference.result.runs is None:
        return False
    return overlap(result.case.interval, result.reference.interval)


def overlap(interval: tuple[float, float], other: tuple[float, float]) -> bool:
    """Whether two intervals share a point: neither lies wholly above the other, so the
    difference between the two estimates is not told apart from noise.

    Examples
    --------
    >>> overlap((0.45, 0.49), (0.41, 0.45)), overlap((0.49, 0.51), (0.43, 0.45))
    (True, False)
    """
    return not (interval[0] > other[1] or interval[1] < other[0])


def _second_look(network: "BooleanNetwork", claims: list[Expectation], results: tuple[ClaimResult, ...], runs: int,
                 seed: int, progress: Callable[[int, int], None] | None) -> tuple[ClaimResult, ...]:
    """``results`` with every undecided claim (:func:`undecided`) decided again on its two cases simulated with
    ``runs`` trajectories (each distinct case once)."""
    todo = [i for i, r in enumerate(results) if undecided(r)]
    if not todo:
        return results

    def compute(case: Case) -> CaseResult:
        return probability_case(network, case, runs=runs, seed=seed)

    again = _evaluate_cases(network, [claims[i] for i in todo], "async", progress, compute, runs, seed)
    out = list(results)
    for i in todo:
        judged = _judge(claims[i], again)
        out[i] = ClaimResult(judged.expectation, judged.passed, judged.case, judged.reference, second_look=True)
    return tuple(out)


def default_metric(network: "BooleanNetwork", update: str | None = None) -> str:
    """The metric a model's claims are judged by when none is asked for: the model's own.

    A model declares its readout once (metadata ``model.screen_metric``): its screen ranks
    by it, and its claims are judged by it, so a claim and a ranking cannot be read on two
    different outcomes.  A screen-only metric (``inevitable``, ``possible``), none, or an
    update scheme asked for (``update="mp"`` or ``"async"``: shares under that update; the
    probability metric has no choice of update) gives ``"share"``.

    Examples
    --------
    >>> from signet import BooleanNetwork
    >>> from signet.annotations import Annotations, ScreenDefaults
    >>> net = BooleanNetwork({"a": "!b", "b": "a"})
    >>> default_metric(net)
    'share'
    >>> net = BooleanNetwork({"a": "!b", "b": "a"},
    ...                      annotations=Annotations(screen=ScreenDefaults(metric="probability")))
    >>> default_metric(net), default_metric(net, "async")
    ('probability', 'share')
    """
    metric = network.annotations.screen_metric
    if metric in METRICS and (metric == "share" or update is None):
        return metric
    return "share"


def _update_of(metric: str, update: str | None) -> str:
    """The update scheme of a validation: the probability metric is the asynchronous chain's."""
    if metric not in METRICS:
        raise ModelError(f"unknown metric {metric!r}: choose one of {', '.join(METRICS)}")
    if metric == "probability":
        if update not in (None, "async"):
            raise ModelError(f"fate probabilities are those of the asynchronous chain, not of update {update!r}")
        return "async"
    update = update or "mp"
    if update not in VALIDATE_UPDATES:
        raise ModelError(f"unknown update scheme {update!r}: choose one of {', '.join(VALIDATE_UPDATES)}")
    return update


def _judge(claim: Expectation, cases: Mapping[tuple, CaseResult]) -> ClaimResult:
    """One claim against its computed cases: shares exactly, probabilities by their intervals."""
    outcome = cases[_case_key(claim, claim.case)]
    mine = ClaimCase.of(outcome, claim.phenotype)
    reference = None
    if claim.reference is not None:
        reference = ClaimCase.of(cases[_case_key(claim, claim.reference)], claim.phenotype)
    if outcome.probabilities is None:
        passed = holds(claim.expect, mine.fraction, reference.fraction if reference else None)
    else:
        passed = holds_interval(claim.expect, mine.value, mine.interval, reference.interval if reference else None)
    return ClaimResult(claim, passed, mine, reference)
