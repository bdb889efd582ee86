"""The worker side of a screen: percolation and analysis of chunks of rows.

Each row is a (context, intervention); its answer is that of
:func:`signet.dynamics.response` for the intervention.  Its evaluation has two steps:

1. **Naming** (cheap): the row's pins (context, intervention, treatment) without the
   perturbations that provably change no trajectory (:meth:`WorkerState.essential`: the
   node already has the value in every start state and in every trap space the
   dynamics can reach, found by percolation on the model's
   :class:`~signet.dynamics.compiled.CompiledNetwork`).  The context and those pins name
   the analysis: their hash is the analysis key (:func:`~signet.screen.job.analysis_key`).
2. **Analysis** (costly): once per distinct key, with the pins as the perturbation.
   Rows sharing a key share the result.

Values that percolation forces are *not* pinned from the start: such a node starts at
its untreated value and can act before it settles.

Two tasks run wherever the scheduler puts them (this process, a local worker process,
a Dask worker), against the :class:`WorkerState` of the job:

* ``rows``: name a chunk of rows; on the fast path (:attr:`Job.fast_path
  <signet.screen.job.Job.fast_path>`) also analyse, with
  :meth:`~signet.dynamics.compiled.CompiledNetwork.mp_reachable_spaces`, every key this
  worker has not returned before in the run (the answer of
  :func:`signet.dynamics.response`: smallest trap space containing the start, a small
  core solved by clingo and cached per worker, feed-forward tails);
* ``analyse``: run the job's analysis for keys the main process hands out (general path).

Results travel as JSON text (``sort_keys``), the form the checkpoint stores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..types import Bits, Intervention
from .interventions import parse_intervention_key
from .job import Job, analysis_key

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.compiled import CompiledNetwork
    from ..expr import Expr

__all__ = ["Row", "RowsDone", "WorkerState", "run_task"]

#: a finished row: (context, intervention key, size, analysis key)
Row = tuple[str, str, int, str]


@dataclass
class RowsDone:
    """What a ``rows`` task returns.

    Attributes
    ----------
    rows
        The rows of the chunk, each with its analysis key.
    results
        Analysis key -> result (JSON text) for keys analysed here (fast path).
    unanalysed
        Analysis key -> ``(context, perturbation)`` for keys the main process must have
        analysed (general path).
    """

    rows: list[Row]
    results: dict[str, str] = field(default_factory=dict)
    unanalysed: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)


@dataclass
class _Context:
    """What a worker keeps per context: its fixes as bits and its starts."""

    fix: dict[str, int]
    pins: tuple[int, int, int, int]  # context mask, values; treatment mask, values
    starts: list[Bits] | None = None  # baseline starts as bits (fast path)
    start_spaces: list[Bits] | None = None  # spaces holding the analysis's starts (essential)


class WorkerState:
    """A worker's state for one job: the compiled network and everything cached per context.

    Examples
    --------
    >>> from signet.annotations import Annotations
    >>> from signet.model import BooleanNetwork
    >>> net = BooleanNetwork({"RT": "RT", "A": "RT & !B", "B": "B & RT"}, annotations=Annotations(baseline={"RT": 0}))
    >>> state = WorkerState(Job(net, {"A": "A"}, {"RT": 1}))
    >>> state.compiled.decode(*state.analysis_fixes("", (("B", 0),)))   # B starts 0 and stays: dropped
    {'RT': 1}
    >>> state.compiled.decode(*state.analysis_fixes("", (("A", 0),)))
    {'RT': 1, 'A': 0}
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._compiled: CompiledNetwork | None = None
        self._contexts: dict[str, _Context] = {}
        self._phenotypes: list[tuple[str, Expr]] | None = None
        self._phenotype_mask = 0
        self._phenotype_values: dict[Bits, dict[str, int | str]] = {}
        self._phases: list[Bits] | None = None  # the schedule's phases as pins (fast path)
        self._encoded: dict[str, str] = {}  # result values (repr) -> JSON text
        self.run = ""
        self.sent: set[str] = set()  # keys returned in this run

    @property
    def compiled(self) -> CompiledNetwork:
        """The model's :class:`~signet.dynamics.compiled.CompiledNetwork` (built once)."""
        if self._compiled is None:
            from ..dynamics.compiled import CompiledNetwork

            self._compiled = CompiledNetwork(self.job.network)
        return self._compiled

    def context(self, name: str) -> _Context:
        got = self._contexts.get(name)
        if got is None:
            network, cn = self.job.network, self.compiled
            fix = dict(network.context(name).fix) if name else {}
            cmask, cvals = cn.encode(fix)
            tmask, tvals = cn.encode(self.job.treatment)
            got = self._contexts[name] = _Context(fix, (cmask, cvals, tmask, tvals))
        return got

    # -- naming rows ---------------------------------------------------------------------
    def _pins(self, context: _Context, intervention: Intervention) -> Bits:
        """Context, intervention and treatment as bits: the intervention beats the context
        and the treatment beats both."""
        cmask, cvals, tmask, tvals = context.pins
        index = self.compiled.index
        imask = ivals = 0
        for node, value in intervention:
            bit = 1 << (index[node] if node in index else index[self.job.network.resolve(node)])
            imask |= bit
            if value:
                ivals |= bit
        mask = cmask | imask | tmask
        values = (cvals & ~imask & ~tmask) | (ivals & ~tmask) | tvals
        return mask, values

    def analysis_fixes(self, context: str, intervention: Intervention) -> Bits:
        """What names a row's analysis: the pins (context, intervention, treatment) of its
        :meth:`essential` part.

        Not the values percolation forces: a forced node still starts at its untreated
        value and can act before it settles (:func:`signet.dynamics.response`), so pinning
        it from the start could lose reachable fates."""
        return self._pins(self.context(context), self.essential(context, intervention))

    def essential(self, context: str, intervention: Intervention) -> Intervention:
        """The intervention without the perturbations that provably change no trajectory.

        A perturbation ``X=v`` is dropped when, with the rest of the intervention, ``X`` is
        ``v`` in every state the chain can visit: in every start state and in the smallest
        trap space of each phase containing where the previous phase can be
        (:meth:`_holds_throughout`).  Then ``X`` never flips, so fixing it removes no
        transition and the chain (its law, from the same starts, in every phase) is
        unchanged: the row shares the analysis of the smaller intervention, exactly.  The
        argument holds for every update scheme (a trajectory never leaves a trap space;
        under ``mp`` what is reachable lies in the smallest trap space containing the
        start), with the start spaces of the job's scheme (:meth:`_start_spaces`).  With an
        analysis function of the caller's the dynamics are unknown, so nothing is dropped.

        Examples
        --------
        >>> from signet.model import BooleanNetwork
        >>> from signet.annotations import Annotations
        >>> rules = {"RT": "RT", "A": "RT & !B", "B": "B & RT", "C": "A"}
        >>> net = BooleanNetwork(rules, annotations=Annotations(baseline={"RT": 0}))
        >>> state = WorkerState(Job(net, {"C": "C"}, {"RT": 1}, update="async", metric="probability"))
        >>> state.essential("", (("B", 0), ("A", 1)))    # B starts 0 and stays; A starts 0
        (('A', 1),)
        """
        if not intervention or self.job.analysis is not None:  # a caller's analysis: its dynamics are unknown
            return intervention
        kept = tuple(intervention)
        for single in intervention:
            rest = tuple(p for p in kept if p != single)
            if self._holds_throughout(context, rest, single):
                kept = rest
        return kept

    def _holds_throughout(self, context: str, intervention: Intervention, single: tuple[str, int]) -> bool:
        """Whether ``single`` (node, value) holds in every state the chain of ``context`` with
        ``intervention`` can visit: each start space (:func:`~signet.dynamics.probabilities.start_spaces`)
        is pinned and closed to the smallest trap space of each phase in turn (what is
        reachable in a phase lies in it; the next phase starts there)."""
        cn = self.compiled
        name, value = single
        bit = 1 << cn.index[self.job.network.resolve(name)]
        pins = self._pins(self.context(context), intervention)
        phases = self.phase_pins(context, pins) if self.job.schedule else [pins]
        constants, constant_values = cn.constant_mask, cn.constant_values
        for smask, svals in self._start_spaces(context):
            for pmask, pvals in phases:
                free_constants = constants & ~pmask
                pmask |= free_constants
                pvals = (pvals & ~free_constants) | (constant_values & free_constants)
                svals = (svals & ~pmask) | (pvals & pmask)
                smask = cn.trap_closure(smask | pmask, svals, pmask)
                svals &= smask
                if not smask & bit or bool(svals & bit) != bool(value):
                    return False
        return True

    def _start_spaces(self, context: str) -> list[Bits]:
        """Subspaces holding every start state of the job's analysis: the probability
        starts (:func:`~signet.dynamics.probabilities.start_spaces`), or one per attractor
        of the untreated cell under the job's update (:func:`~signet.dynamics.baseline_spaces`)."""
        ctx = self.context(context)
        if ctx.start_spaces is None:
            network = self.job.network
            if self.job.metric == "probability":
                from ..dynamics.probabilities import start_spaces

                spaces = start_spaces(network, context or None)
            else:
                from ..dynamics import baseline_spaces

                spaces = baseline_spaces(network, self.job.update, context=context or None)
            ctx.start_spaces = [self.compiled.encode(s) for s in spaces]
        return ctx.start_spaces

    def perturbation(self, context: str, fixes: Mapping[str, int]) -> dict[str, int]:
        """The forced values a row's analysis gets as its perturbation: all but the
        treatment and the context's own fixes."""
        ctx = self.context(context).fix
        return {n: v for n, v in fixes.items() if n not in self.job.treatment and ctx.get(n) != v}

    # -- the fast path -------------------------------------------------------------------
    def mp_analysis(self, context: str, fixed: Bits) -> dict[str, Any]:
        """What the built-in analysis returns for the forced values ``fixed`` (as bits), computed
        with :meth:`~signet.dynamics.compiled.CompiledNetwork.mp_reachable_from` (with a
        schedule: :meth:`~signet.dynamics.compiled.CompiledNetwork.mp_schedule_spaces`, the
        pins of each phase from :meth:`phase_pins`)."""
        cn = self.compiled
        if self.job.schedule:
            found = cn.mp_schedule_spaces(self.phase_pins(context, fixed), self._starts(context))
        else:
            found = cn.mp_reachable_from(fixed, self._starts(context))
        if len(found) > 1:
            from functools import cmp_to_key

            found.sort(key=cmp_to_key(_space_cmp))
        values = [dict(self._phenotype_values_of(m, v)) for m, v in found]
        return {"values": values, "exact": True, "engine": "compiled-mp"}

    def phase_pins(self, context: str, fixed: Bits) -> list[Bits]:
        """The pins of each phase of the job's schedule for a row with forced values ``fixed``.

        They are those of :func:`~signet.dynamics.schedule.run_schedule` as the general
        path calls it: the context, the perturbation (the forced values but the
        treatment's nodes, which keep the context's value if it has one) and the phase's
        own values, which win.

        Examples
        --------
        >>> from signet.model import BooleanNetwork
        >>> net = BooleanNetwork({"RT": "RT", "A": "RT | A", "B": "B"})
        >>> state = WorkerState(Job(net, {"A": "A"}, {}, schedule="RT=1 ; RT=0"))
        >>> [state.compiled.decode(*p) for p in state.phase_pins("", state.analysis_fixes("", (("B", 1),)))]
        [{'RT': 1, 'B': 1}, {'RT': 0, 'B': 1}]
        """
        if self._phases is None:
            from ..dynamics.schedule import as_schedule

            plan = as_schedule(str(self.job.schedule), self.job.network)
            self._phases = [self.compiled.encode(phase.assignment()) for phase in plan.phases()]
        cmask, cvals, tmask, _ = self.context(context).pins
        fmask, fvals = fixed
        base_mask = (fmask & ~tmask) | (cmask & tmask)
        base_vals = (fvals & fmask & ~tmask) | (cvals & cmask & tmask)
        return [(base_mask | pmask, (base_vals & ~pmask) | pvals) for pmask, pvals in self._phases]

    def _starts(self, context: str) -> list[Bits]:
        ctx = self.context(context)
        if ctx.starts is None:
            from ..dynamics import baseline_starts

            starts = baseline_starts(self.job.network, "mp", context=context or None)
            ctx.starts = [self.compiled.encode(s) for s in starts]
        return ctx.starts

    def _phenotype_values_of(self, mask: int, values: int) -> dict[str, int | str]:
        if self._phenotypes is None:
            from ..expr import variables
            from ..phenotypes import parse_phenotypes

            self._phenotypes = list(parse_phenotypes(self.job.phenotypes).items())
            for _, expr in self._phenotypes:
                for name in variables(expr):
                    self._phenotype_mask |= 1 << self.compiled.index[name]
        read = self._phenotype_mask
        key = (mask & read, values & mask & read)
        got = self._phenotype_values.get(key)
        if got is None:
            cn = self.compiled
            got = self._phenotype_values[key] = {n: cn.expression_value(e, mask, values) for n, e in self._phenotypes}
        return got

    def encode(self, result: dict[str, Any]) -> str:
        """``result`` as JSON text (sorted keys), remembered by value: rows share few results."""
        key = repr(result)
        text = self._encoded.get(key)
        if text is None:
            if len(self._encoded) > 100_000:
                self._encoded.clear()
            text = self._encoded[key] = json.dumps(result, sort_keys=True)
        return text


def _space_cmp(a: Bits, b: Bits) -> int:
    # the order of signet.dynamics.attractors: node values as text in network order, "*" < "0" < "1"
    (ma, va), (mb, vb) = a, b
    diff = (ma ^ mb) | ((va ^ vb) & ma & mb)
    if not diff:
        return 0
    bit = diff & -diff
    code_a = ((va & bit) and 2 or 1) if ma & bit else 0
    code_b = ((vb & bit) and 2 or 1) if mb & bit else 0
    return -1 if code_a < code_b else 1


# -- the tasks ---------------------------------------------------------------------------------
def rows_task(state: WorkerState, payload: tuple[str, Sequence[tuple[str, str]]]) -> RowsDone:
    """Percolate ``(context, intervention key)`` items (and analyse them on the fast path).

    ``payload`` is ``(run id, items)``: on the fast path a key is analysed and returned
    once per run by each worker.
    """
    run, items = payload
    if state.run != run:
        state.run, state.sent = run, set()
    done = RowsDone([])
    fast = state.job.fast_path
    for context, ikey in items:
        intervention = parse_intervention_key(ikey)
        fixed = state.analysis_fixes(context, intervention)
        akey = analysis_key(context, fixed)
        done.rows.append((context, ikey, len(intervention), akey))
        if akey in state.sent:
            continue
        state.sent.add(akey)
        if fast:
            done.results[akey] = state.encode(state.mp_analysis(context, fixed))
        else:
            done.unanalysed[akey] = (context, state.perturbation(context, state.compiled.decode(*fixed)))
    return done


def analyse_task(state: WorkerState, tasks: Sequence[tuple[str, str, dict[str, int]]]) -> dict[str, str]:
    """Run the job's analysis for ``(key, context, perturbation)`` tasks: key -> result JSON."""
    return {akey: state.encode(state.job.analyse(context, perturbation)) for akey, context, perturbation in tasks}


_TASKS: dict[str, Callable[[WorkerState, Any], Any]] = {"rows": rows_task, "analyse": analyse_task}


def run_task(state: WorkerState, name: str, payload: Any) -> Any:
    """Run task ``name`` (``"rows"`` or ``"analyse"``) with ``payload``."""
    return _TASKS[name](state, payload)


#: worker states by job token, in processes that serve several jobs (Dask workers)
_STATES: dict[str, WorkerState] = {}


def state_for(job: Job) -> WorkerState:
    """This process's :class:`WorkerState` for ``job`` (kept per job token)."""
    got = _STATES.get(job.token)
    if got is None:
        if len(_STATES) > 8:
            _STATES.clear()
        got = _STATES[job.token] = WorkerState(job)
    return got
