"""Running many perturbation analyses: percolation, de-duplication, workers, storage.

Each row of a screen is a (context, intervention).  Its evaluation has two steps:

1. **Percolation** (cheap, in the workers): the context, the intervention and the
   treatment inputs are fixed and constants are propagated (the closure of
   :meth:`BooleanNetwork.percolate`, computed on bit-mask prime implicants by
   :class:`~signet.dynamics.compiled.CompiledNetwork`); the result is the set ``F`` of
   every node value they force.  The rest of the network (its rules with ``F``
   substituted) is a function of ``F``, so ``(context, F)`` names the reduced network;
   its hash is the *analysis key*.
2. **Analysis** (costly): once per distinct key, the analysis function (by default
   :func:`dynamics_analysis`, i.e. :func:`signet.dynamics.response`) is run with ``F`` as
   the perturbation.  Rows sharing a key share the result.

The perturbation analysed is therefore the intervention *together with everything it
forces*: nodes pinned by percolation are pinned from the start of the treated
dynamics.  The main process pipelines the two steps, keeps every finished analysis and
row in a :class:`~signet.screen.store.ScreenStore` as soon as it arrives, and never
analyses a key twice (in one run or across resumed runs).

**Fast path.**  With the default analysis and most-permissive update (the default
screen), the workers do both steps at once with
:meth:`~signet.dynamics.compiled.CompiledNetwork.mp_reachable_spaces`, which answers
exactly what :func:`signet.dynamics.response` answers (tests compare them) by
decomposing each question into the smallest trap space containing the start, a small
core solved by clingo and cached per worker, and feed-forward tails; each worker
analyses a key at most once and the main process stores it once.

Backends: :class:`SerialBackend` (in-process), :class:`ProcessBackend`
(``concurrent.futures.ProcessPoolExecutor``) and :class:`DaskBackend`
(``dask.distributed``; ``pip install signet[dask]``).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..errors import EngineError
from .interventions import parse_intervention_key

__all__ = [
    "Job",
    "dynamics_analysis",
    "percolated_fixes",
    "analysis_key",
    "fast_path",
    "mp_fast_analysis",
    "SerialBackend",
    "ProcessBackend",
    "DaskBackend",
    "make_backend",
    "evaluate",
]

log = logging.getLogger(__name__)

#: an analysis: (network, *, context, perturbation, treatment, update, phenotypes) -> result dict
Analysis = Callable[..., dict]


def dynamics_analysis(network, *, context, perturbation, treatment, update, phenotypes) -> dict:
    """The default analysis: :func:`signet.dynamics.response`, as phenotype values per attractor.

    Returns ``{"values": [{phenotype: 1 | 0 | "*"}, ...], "exact": bool, "engine": str}``.
    """
    from ..dynamics import response

    result = response(network, treatment=treatment, context=context, perturbation=perturbation, update=update)
    return {
        "values": [dict(v) for v in result.phenotype_values(phenotypes)],
        "exact": bool(result.exact),
        "engine": str(result.engine),
    }


def schedule_analysis(network, *, context, perturbation, treatment, update, phenotypes) -> dict:
    """The analysis of a model whose treatment is a schedule of phases (``RT=1 ; RT=0``).

    The attractors reached at the end of ``network.annotations.schedule`` from the
    untreated cell, the perturbation held in every phase; ``treatment`` is empty (no
    input is pinned across the phases).  Same result form as :func:`dynamics_analysis`.
    """
    from ..dynamics.schedule import run_schedule

    final = run_schedule(network, network.annotations.schedule, update, context=context,
                         perturbation=perturbation).final
    return {
        "values": [dict(v) for v in final.phenotype_values(phenotypes)],
        "exact": bool(final.exact),
        "engine": "schedule",
    }


def treatment_and_analysis(network, treatment, analysis):
    """The inputs pinned by a screen and its analysis.

    Without an explicit ``treatment``, a model whose treatment is a schedule of several
    phases is screened under that schedule (no input pinned, :func:`schedule_analysis`
    unless another analysis is given); otherwise the treatment (default the model's)
    is pinned in the one phase.
    """
    if treatment is None and network.annotations.schedule and analysis is dynamics_analysis:
        return {}, schedule_analysis
    return network.resolve_assignment(network.annotations.treatment if treatment is None else treatment), analysis


@dataclass(eq=False)
class Job:
    """Everything a worker needs: the model, phenotypes, treatment, update scheme, analysis.

    Pickles as bnet + metadata text (networks themselves do not pickle), so that it
    can be shipped to process pools and Dask workers.
    """

    network: Any
    phenotypes: Mapping[str, str]
    treatment: Mapping[str, int]
    update: str = "mp"
    analysis: Analysis = dynamics_analysis
    token: str = ""
    _bases: dict = field(default_factory=dict, repr=False)
    _fast: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.phenotypes = dict(self.phenotypes)
        self.treatment = dict(self.treatment)
        if not self.token:
            self.token = model_fingerprint(self.network) + ":" + _hash(
                repr((sorted(self.treatment.items()), self.update, _callable_name(self.analysis)))
            )

    def __getstate__(self):
        from ..expr import to_bnet
        from ..io.metadata import generate_metadata

        rules = {n: to_bnet(r) for n, r in self.network.rules.items()}
        return {
            "network": (self.network.name, rules, generate_metadata(self.network.annotations)),
            "phenotypes": self.phenotypes,
            "treatment": self.treatment,
            "update": self.update,
            "analysis": self.analysis,
            "token": self.token,
        }

    def __setstate__(self, state) -> None:
        from ..io.metadata import parse_metadata
        from ..model import BooleanNetwork

        name, rules, meta = state.pop("network")
        self.network = BooleanNetwork(rules, name=name, annotations=parse_metadata(meta))
        self.__dict__.update(state)
        self._bases = {}
        self._fast = {}

    def context_fix(self, context: str) -> dict[str, int]:
        """The fixes of a context (``""`` is no context)."""
        got = self._fast.get(("context", context))
        if got is None:
            got = self._fast[("context", context)] = dict(self.network.context(context).fix) if context else {}
        return dict(got)

    def base(self, context: str):
        """Percolation of context + treatment: ``(reduced network, fixed values)``, cached."""
        if context not in self._bases:
            fixes = {**self.context_fix(context), **self.treatment}
            self._bases[context] = self.network.percolate(fixes)
        return self._bases[context]

    @property
    def compiled(self):
        """The :class:`~signet.dynamics.compiled.CompiledNetwork` of the model (built once)."""
        cn = self._fast.get("compiled")
        if cn is None:
            from ..dynamics.compiled import CompiledNetwork

            cn = self._fast["compiled"] = CompiledNetwork(self.network)
        return cn

    def context_closure(self, context: str) -> tuple[int, int, int]:
        """``(pin mask, fixed mask, fixed values)``: percolation of context + treatment, as bits."""
        key = ("closure", context)
        got = self._fast.get(key)
        if got is None:
            cn = self.compiled
            pins = cn.encode({**self.context_fix(context), **self.treatment})
            got = self._fast[key] = (pins[0], *cn.percolate(pins))
        return got

    def fixes_bits(self, context: str, intervention: Sequence[tuple[str, int]]) -> tuple[int, int]:
        """Every value forced by context + intervention + treatment, as ``(mask, values)``.

        The intervention beats the context and the treatment beats both.  Starts from the
        closure of the context with one of the intervention's single perturbations (or of
        the context alone) when the intervention does not contradict it: constant
        propagation is monotone and confluent, so the answer is that of propagating from
        scratch (which is done when every such closure is contradicted).
        """
        cn = self.compiled
        pins = self._pins(context, intervention)
        base = self.context_closure(context)
        if len(intervention) > 1:
            for single in intervention:
                candidate = self._single_closure(context, single)
                if _extends(candidate, pins):
                    base = candidate
                    break
        return cn.percolate(pins, base)

    def _pins(self, context: str, intervention: Sequence[tuple[str, int]]) -> tuple[int, int]:
        got = self._fast.get(("pins", context))
        if got is None:
            cn = self.compiled
            cmask, cvals = cn.encode(self.context_fix(context))
            tmask, tvals = cn.encode(self.treatment)
            got = self._fast[("pins", context)] = (cmask, cvals, tmask, tvals)
        cmask, cvals, tmask, tvals = got
        index = self.compiled.index
        imask = ivals = 0
        for node, value in intervention:
            try:
                bit = 1 << index[node]
            except KeyError:
                bit = 1 << index[self.network.resolve(node)]
            imask |= bit
            if value:
                ivals |= bit
        mask = cmask | imask | tmask
        values = (cvals & ~imask & ~tmask) | (ivals & ~tmask) | tvals
        return mask, values

    def _single_closure(self, context: str, single: tuple[str, int]) -> tuple[int, int, int]:
        key = ("single", context, single)
        got = self._fast.get(key)
        if got is None:
            pins = self._pins(context, (single,))
            got = self._fast[key] = (pins[0], *self.compiled.percolate(pins, self.context_closure(context)))
        return got


def _extends(base: tuple[int, int, int], pins: tuple[int, int]) -> bool:
    bpins, kmask, kvals = base
    pmask, pvals = pins
    return (pmask & bpins) == bpins and not ((kvals ^ pvals) & pmask & kmask)


def _callable_name(func: Callable) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def model_fingerprint(network) -> str:
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


def percolated_fixes(job: Job, context: str, intervention: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Every node value forced by context + intervention + treatment (the intervention beats the context).

    The values :meth:`BooleanNetwork.percolate` fixes with those pins, in network order.
    """
    return job.compiled.decode(*job.fixes_bits(context, intervention))


def analysis_key(context: str, fixed: tuple[int, int]) -> str:
    """The cache key of an analysis: hash of the context and the forced values ``(mask, values)``
    (bit ``j`` is node ``j`` of the model, whose rules are part of the store's fingerprint)."""
    return _hash(f"{context}|{fixed[0]:x}|{fixed[1]:x}")


def _perturbation_for(job: Job, context: str, fixes: Mapping[str, int]) -> dict[str, int]:
    ctx = job.context_fix(context)
    return {n: v for n, v in fixes.items() if n not in job.treatment and ctx.get(n) != v}


# -- worker functions ------------------------------------------------------------------
def percolate_chunk(job: Job, items: Sequence[tuple[str, str]]):
    """Percolate ``(context, intervention key)`` items: rows with their analysis keys, and each key's fixes."""
    rows = []
    keys: dict[str, tuple[str, dict[str, int]]] = {}
    cn = job.compiled
    for context, ikey in items:
        intervention = parse_intervention_key(ikey)
        fixed = job.fixes_bits(context, intervention)
        akey = analysis_key(context, fixed)
        rows.append((context, ikey, len(intervention), akey))
        if akey not in keys:
            keys[akey] = (context, cn.decode(*fixed))
    return rows, keys


def analyse_chunk(job: Job, tasks: Sequence[tuple[str, str, dict[str, int]]]):
    """Run the analysis for ``(key, context, fixes)`` tasks."""
    out = []
    for akey, context, fixes in tasks:
        result = job.analysis(
            job.network,
            context=context or None,
            perturbation=_perturbation_for(job, context, fixes),
            treatment=job.treatment,
            update=job.update,
            phenotypes=job.phenotypes,
        )
        out.append((akey, result))
    return out


def fast_path(job: Job) -> bool:
    """Whether the fused most-permissive path answers this job (default analysis, ``mp``)."""
    return job.analysis is dynamics_analysis and job.update == "mp"


def mp_fast_analysis(job: Job, context: str, fixed: tuple[int, int]) -> dict:
    """What :func:`dynamics_analysis` returns for the forced values ``fixed`` (as bits), computed
    with :meth:`~signet.dynamics.compiled.CompiledNetwork.mp_reachable_spaces`."""
    cn = job.compiled
    starts = job._fast.get(("starts", context))
    if starts is None:
        from ..dynamics import baseline_starts

        starts = [cn.encode(s) for s in baseline_starts(job.network, "mp", context=context or None)]
        job._fast[("starts", context)] = starts
    spaces: dict[tuple[int, int], None] = {}
    for start in starts:
        for item in cn.mp_reachable_spaces(fixed, start):
            spaces.setdefault(item, None)
    found = list(spaces)
    if len(found) > 1:
        from functools import cmp_to_key

        found.sort(key=cmp_to_key(_space_cmp))
    phen = job._fast.get("phenotypes")
    if phen is None:
        from ..phenotypes import parse_phenotypes

        phen = job._fast["phenotypes"] = list(parse_phenotypes(job.phenotypes).items())
    read = job._fast.get("phenotype mask")
    if read is None:
        from ..expr import variables

        read = 0
        for _, expr in phen:
            for name in variables(expr):
                read |= 1 << cn.index[name]
        job._fast["phenotype mask"] = read
    memo = job._fast.setdefault("phenotype values", {})
    values = []
    for mask, vals in found:
        key = (mask & read, vals & mask & read)
        got = memo.get(key)
        if got is None:
            got = memo[key] = {name: cn.expression_value(expr, mask, vals) for name, expr in phen}
        values.append(dict(got))
    return {"values": values, "exact": True, "engine": "compiled-mp"}


def _space_cmp(a: tuple[int, int], b: tuple[int, int]) -> int:
    # the order of signet.dynamics.attractors: node values as text in network order, "*" < "0" < "1"
    (ma, va), (mb, vb) = a, b
    diff = (ma ^ mb) | ((va ^ vb) & ma & mb)
    if not diff:
        return 0
    bit = diff & -diff
    code_a = ((va & bit) and 2 or 1) if ma & bit else 0
    code_b = ((vb & bit) and 2 or 1) if mb & bit else 0
    return -1 if code_a < code_b else 1


def screen_chunk(job: Job, payload: tuple[str, Sequence[tuple[str, str]]]):
    """The fast path: percolate and analyse ``(context, intervention key)`` items in one step.

    ``payload`` is ``(run id, items)``.  Returns the rows and, for each analysis key this
    worker has not returned before in this run, its result as JSON text.
    """
    import json

    run, items = payload
    if job._fast.get("run") != run:
        job._fast["run"] = run
        job._fast["sent"] = set()
    sent = job._fast["sent"]
    encoded = job._fast.setdefault("encoded", {})
    rows = []
    results: dict[str, str] = {}
    for context, ikey in items:
        intervention = parse_intervention_key(ikey)
        fixed = job.fixes_bits(context, intervention)
        akey = analysis_key(context, fixed)
        rows.append((context, ikey, len(intervention), akey))
        if akey in sent:
            continue
        sent.add(akey)
        result = mp_fast_analysis(job, context, fixed)
        text_key = repr(result["values"])
        text = encoded.get(text_key)
        if text is None:
            if len(encoded) > 100_000:
                encoded.clear()
            text = encoded[text_key] = json.dumps(result, sort_keys=True)
        results[akey] = text
    return rows, results


#: the fast path commits finished rows at least this often (seconds)
FLUSH_SECONDS = 1.0

_FUNCTIONS = {"percolate": percolate_chunk, "analyse": analyse_chunk, "screen": screen_chunk}
_WORKER: dict[str, Job] = {}


def _init_worker(job: Job) -> None:
    _WORKER["job"] = job


def _call_in_process(name: str, payload):
    return _FUNCTIONS[name](_WORKER["job"], payload)


def _call_with_job(name: str, job: Job, payload):
    cached = _WORKER.get(job.token)
    if cached is None:
        _WORKER[job.token] = cached = job
    return _FUNCTIONS[name](cached, payload)


# -- backends ----------------------------------------------------------------------------
class SerialBackend:
    """Run everything in this process (``workers=1``)."""

    workers = 1

    def start(self, job: Job) -> None:
        self.job = job

    def submit(self, name: str, payload) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(_FUNCTIONS[name](self.job, payload))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future

    def wait(self, futures) -> set:
        return set(futures)

    def close(self, cancel: bool = False) -> None:
        pass


class ProcessBackend:
    """A local ``ProcessPoolExecutor`` with ``workers`` processes."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool: cf.ProcessPoolExecutor | None = None

    def start(self, job: Job) -> None:
        self.pool = cf.ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(job,))

    def submit(self, name: str, payload):
        assert self.pool is not None
        return self.pool.submit(_call_in_process, name, payload)

    def wait(self, futures) -> set:
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return done

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self.pool = None


class DaskBackend:
    """A ``dask.distributed`` cluster at ``address`` (``tcp://host:port``), or a ``Client``."""

    def __init__(self, address) -> None:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - depends on the environment
            raise EngineError("--scheduler needs dask.distributed: pip install 'signet[dask]'") from None
        self._own = not isinstance(address, Client)
        try:
            self.client = Client(address, timeout="20s") if self._own else address
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def start(self, job: Job) -> None:
        self.job_future = self.client.scatter(job, broadcast=True)

    def submit(self, name: str, payload):
        return self.client.submit(_call_with_job, name, self.job_future, payload, pure=False)

    def wait(self, futures) -> set:
        from distributed import wait

        done, _ = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done)

    def close(self, cancel: bool = False) -> None:
        if self._own:
            self.client.close()


def make_backend(workers: int | None = None, scheduler=None):
    """The backend for ``--workers`` / ``--scheduler``."""
    if scheduler is not None:
        return DaskBackend(scheduler)
    workers = workers or os.cpu_count() or 1
    return SerialBackend() if workers == 1 else ProcessBackend(workers)


# -- the driver ------------------------------------------------------------------------------
@dataclass
class EvaluationStats:
    """What one evaluation did."""

    rows: int = 0
    already_done: int = 0
    percolated: int = 0
    analysed: int = 0
    reused: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def evaluate(
    job: Job,
    items: Iterable[tuple[str, str]],
    store,
    backend,
    *,
    progress: bool = False,
    description: str = "screen",
) -> EvaluationStats:
    """Evaluate ``(context, intervention key)`` items not yet in ``store``, storing each as it completes."""
    items = list(items)
    stats = EvaluationStats(rows=len(items))
    done = store.done_rows()
    todo = [it for it in items if it not in done]
    stats.already_done = len(items) - len(todo)
    if not todo:
        return stats
    analysed = {k for (k,) in store.db.execute("SELECT key FROM analyses")}
    workers = max(1, getattr(backend, "workers", 1))
    if fast_path(job):
        _evaluate_fast(job, todo, store, backend, stats, analysed, workers, progress, description)
        return stats
    chunk = max(1, min(256, len(todo) // (workers * 8) or 1))
    chunks = deque(todo[i : i + chunk] for i in range(0, len(todo), chunk))
    waiting: dict[str, list] = {}
    new_keys: deque = deque()
    inflight: dict[Any, str] = {}
    batch = 4
    bar = _progress_bar(len(todo), progress, description)
    backend.start(job)
    cancel = True
    try:
        while True:
            while len(inflight) < 2 * workers:
                analysing = sum(1 for kind in inflight.values() if kind == "analyse")
                if new_keys and (len(new_keys) >= batch or not chunks or analysing < workers):
                    tasks = [new_keys.popleft() for _ in range(min(batch, len(new_keys)))]
                    inflight[backend.submit("analyse", tasks)] = "analyse"
                elif chunks:
                    inflight[backend.submit("percolate", chunks.popleft())] = "percolate"
                else:
                    break
            if not inflight:
                break
            for future in backend.wait(list(inflight)):
                kind = inflight.pop(future)
                result = _finished(future, store)
                if kind == "percolate":
                    rows, keys = result
                    stats.percolated += len(rows)
                    ready = []
                    for row in rows:
                        akey = row[3]
                        if akey in analysed:
                            ready.append(row)
                            stats.reused += 1
                        else:
                            if akey not in waiting:
                                waiting[akey] = []
                                context, fixes = keys[akey]
                                new_keys.append((akey, context, fixes))
                            waiting[akey].append(row)
                    if ready:
                        store.add_rows(ready, {})
                        bar.update(len(ready))
                else:
                    rows = []
                    results = {}
                    for akey, value in result:
                        results[akey] = value
                        analysed.add(akey)
                        rows.extend(waiting.pop(akey))
                    stats.analysed += len(results)
                    store.add_rows(rows, results)
                    bar.update(len(rows))
        cancel = False
    finally:
        bar.close()
        backend.close(cancel=cancel)
    return stats


def _evaluate_fast(job, todo, store, backend, stats, analysed, workers, progress, description) -> None:
    """:func:`evaluate` on the fast path: workers percolate and analyse chunks in one step."""
    import uuid

    run = uuid.uuid4().hex
    chunk = max(1, min(1024, len(todo) // (workers * 8) or 1))
    # finished rows are committed in batches (at least every FLUSH_SECONDS): one commit per
    # chunk costs more than the chunk's analysis on a busy disk
    pending_rows: list = []
    pending_results: dict[str, str] = {}
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        if pending_rows or pending_results:
            store.add_rows_encoded(pending_rows, pending_results)
            bar.update(len(pending_rows))
            pending_rows.clear()
            pending_results.clear()
        last_flush = time.monotonic()

    chunks = deque(todo[i : i + chunk] for i in range(0, len(todo), chunk))
    waiting: dict[str, list] = {}
    inflight: set = set()
    bar = _progress_bar(len(todo), progress, description)
    backend.start(job)
    cancel = True
    try:
        while True:
            while len(inflight) < 2 * workers and chunks:
                inflight.add(backend.submit("screen", (run, chunks.popleft())))
            if not inflight:
                break
            for future in backend.wait(list(inflight)):
                inflight.discard(future)
                rows, results = _finished(future, store)
                stats.percolated += len(rows)
                new = {k: v for k, v in results.items() if k not in analysed}
                analysed.update(new)
                stats.analysed += len(new)
                ready = []
                for row in rows:
                    akey = row[3]
                    if akey in analysed:
                        ready.append(row)
                    else:  # analysed by this worker in a chunk not stored yet
                        waiting.setdefault(akey, []).append(row)
                for akey in new:
                    ready.extend(waiting.pop(akey, ()))
                pending_rows.extend(ready)
                pending_results.update(new)
                if time.monotonic() - last_flush > FLUSH_SECONDS:
                    flush()
        flush()
        if waiting:  # a result that never arrived (a worker restarted): compute it here
            import json

            for akey, rows in list(waiting.items()):
                context, ikey = rows[0][0], rows[0][1]
                fixed = job.fixes_bits(context, parse_intervention_key(ikey))
                result = json.dumps(mp_fast_analysis(job, context, fixed), sort_keys=True)
                stats.analysed += 1
                store.add_rows_encoded(rows, {akey: result})
                bar.update(len(rows))
                del waiting[akey]
        stats.reused = stats.percolated - stats.analysed
        cancel = False
    finally:
        try:
            flush()  # keep what finished, also when interrupted
        finally:
            bar.close()
            backend.close(cancel=cancel)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, enabled: bool, description: str):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="row", dynamic_ncols=True, smoothing=0.05)


def _finished(future, store):
    """A finished task's result; a dead worker becomes an error that says how to resume."""
    try:
        return future.result()
    except cf.BrokenExecutor:  # BrokenProcessPool (cf.process is not imported by cf itself)
        raise EngineError(
            f"a worker process died; finished rows are saved in {store.path}: "
            "run the same command again to resume"
        ) from None
