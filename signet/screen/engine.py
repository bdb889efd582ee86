"""Running many rows: the driver that feeds a scheduler and keeps every finished row.

:func:`evaluate` takes the rows not yet in the checkpoint
(:class:`~signet.screen.store.ScreenStore`), sends them in chunks to the scheduler
(:mod:`signet.screen.scheduler`) as ``rows`` tasks (:mod:`signet.screen.worker`), and
stores every finished row with its analysis.  A row whose analysis key is already
stored is done at once; rows waiting for the same key share one analysis.

* On the fast path (:attr:`Job.fast_path <signet.screen.job.Job.fast_path>`) the
  workers analyse as they percolate; each worker analyses a key at most once per run.
* On the general path the workers only percolate; the driver hands each new key out
  once, in small ``analyse`` batches, and never analyses a stored key again (in one
  run or across resumed runs).

Finished rows are committed in batches (at least every :data:`FLUSH_SECONDS`) and
when the run ends, also when it is interrupted: Ctrl-C (``SIGINT``) or ``SIGTERM``
stop the run, save what finished and terminate the workers.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Iterator, Sequence

from .job import Job
from .scheduler import Handle, Scheduler, WorkerDied
from .store import ScreenStore
from .worker import Row, RowsDone, WorkerState

__all__ = ["EvaluationStats", "evaluate", "FLUSH_SECONDS"]


#: finished rows are committed at least this often (seconds); one commit per chunk costs
#: more than the chunk's analysis on a busy disk
FLUSH_SECONDS = 1.0
#: rows per ``rows`` task on the fast path with a schedule (its rows cost ~10-100 ms)
FAST_SCHEDULE_CHUNK = 32
#: general path: analysis keys per ``analyse`` task
ANALYSE_BATCH = 4


@dataclass
class EvaluationStats:
    """What one evaluation did."""

    rows: int = 0
    already_done: int = 0
    percolated: int = 0
    analysed: int = 0
    reused: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def evaluate(
    job: Job,
    items: Iterable[tuple[str, str]],
    store: ScreenStore,
    scheduler: Scheduler,
    *,
    progress: bool = False,
    description: str = "screen",
) -> EvaluationStats:
    """Evaluate the ``(context, intervention key)`` items not yet in ``store``, storing each as it completes."""
    items = list(items)
    stats = EvaluationStats(rows=len(items))
    done = store.done_rows()
    todo = [it for it in items if it not in done]
    stats.already_done = len(items) - len(todo)
    if todo:
        _Run(job, store, scheduler, stats).go(todo, progress, description)
    return stats


class _Run:
    """One evaluation: the chunks to send, the rows waiting for analyses, what to store."""

    def __init__(self, job: Job, store: ScreenStore, scheduler: Scheduler, stats: EvaluationStats) -> None:
        self.job, self.store, self.scheduler, self.stats = job, store, scheduler, stats
        self.known = store.analysis_keys()  # analysed (stored, or about to be)
        self.waiting: dict[str, list[Row]] = {}  # analysis key -> rows waiting for it
        self.to_analyse: deque[tuple[str, str, dict[str, int]]] = deque()
        self.handed_out: set[str] = set()
        self.inflight: dict[Handle, str] = {}
        self.rows: list[Row] = []  # finished, not stored yet
        self.results: dict[str, str] = {}
        self.last_flush = time.monotonic()
        self.run_id = uuid.uuid4().hex
        self.bar: Any = None

    # -- the loop ------------------------------------------------------------------------------
    def go(self, todo: Sequence[tuple[str, str]], progress: bool, description: str) -> None:
        workers = max(1, self.scheduler.workers)
        # a chunk should take a second or two: the fast path analyses ~1,000s of rows/s, a
        # schedule's phases after the first (many starts each) ~10s-100s
        most = (FAST_SCHEDULE_CHUNK if self.job.schedule else 1024) if self.job.fast_path else 256
        size = max(1, min(most, len(todo) // (workers * 8) or 1))
        chunks = deque(todo[i : i + size] for i in range(0, len(todo), size))
        self.bar = _NoBar()
        cancel = True
        try:
            self.scheduler.start(self.job)  # before any thread of ours: workers may be forked
            self.bar = _progress_bar(len(todo), progress, description)
            with _sigterm_interrupts():
                while self._fill(chunks, workers):
                    try:
                        for handle in self.scheduler.wait(list(self.inflight)):
                            self._finished(handle)
                    except WorkerDied as exc:
                        raise WorkerDied(
                            f"{exc}; finished rows are saved in {self.store.path}: run the same command again to resume"
                        ) from None
                    if time.monotonic() - self.last_flush > FLUSH_SECONDS:
                        self._flush()
                self._flush()
                self._leftovers()
            cancel = False
        finally:
            try:
                self._flush()  # keep what finished, also when interrupted
            finally:
                self.bar.close()
                self.scheduler.close(cancel=cancel)
        self.stats.reused = self.stats.percolated - self.stats.analysed

    def _fill(self, chunks: deque[Sequence[tuple[str, str]]], workers: int) -> bool:
        """Keep about two tasks per worker in flight; whether any task is in flight."""
        while len(self.inflight) < 2 * workers:
            if self.to_analyse and self._analyse_first(chunks, workers):
                tasks = [self.to_analyse.popleft() for _ in range(min(ANALYSE_BATCH, len(self.to_analyse)))]
                self.inflight[self.scheduler.submit("analyse", tasks)] = "analyse"
            elif chunks:
                self.inflight[self.scheduler.submit("rows", (self.run_id, chunks.popleft()))] = "rows"
            else:
                break
        return bool(self.inflight)

    def _analyse_first(self, chunks: deque[Any], workers: int) -> bool:
        analysing = sum(1 for kind in self.inflight.values() if kind == "analyse")
        return len(self.to_analyse) >= ANALYSE_BATCH or not chunks or analysing < workers

    def _finished(self, handle: Handle) -> None:
        kind = self.inflight.pop(handle)
        value = handle.result()
        if kind == "rows":
            self._rows_done(value)
        else:
            self._analysed(value)

    def _rows_done(self, done: RowsDone) -> None:
        self.stats.percolated += len(done.rows)
        self._analysed(done.results)
        for akey, (context, perturbation) in done.unanalysed.items():
            if akey not in self.known and akey not in self.handed_out:
                self.handed_out.add(akey)
                self.to_analyse.append((akey, context, perturbation))
        for row in done.rows:
            if row[3] in self.known:
                self.rows.append(row)
            else:
                self.waiting.setdefault(row[3], []).append(row)

    def _analysed(self, results: dict[str, str]) -> None:
        for akey, text in results.items():
            if akey in self.known:
                continue  # another worker's copy
            self.known.add(akey)
            self.results[akey] = text
            self.stats.analysed += 1
            self.rows.extend(self.waiting.pop(akey, ()))

    def _leftovers(self) -> None:
        """Rows whose analysis never arrived (its worker restarted): analysed here."""
        from .interventions import parse_intervention_key
        from .worker import analyse_task

        if not self.waiting:
            return
        state = WorkerState(self.job)
        for akey, rows in list(self.waiting.items()):
            context, ikey = rows[0][0], rows[0][1]
            fixed = state.analysis_fixes(context, parse_intervention_key(ikey))
            if self.job.fast_path:
                result = {akey: state.encode(state.mp_analysis(context, fixed))}
            else:
                perturbation = state.perturbation(context, state.compiled.decode(*fixed))
                result = analyse_task(state, [(akey, context, perturbation)])
            self._analysed(result)
        self._flush()

    def _flush(self) -> None:
        if self.rows or self.results:
            self.store.add_rows(self.rows, self.results)  # interrupted: kept for the next flush
            self.bar.update(len(self.rows))
            self.rows, self.results = [], {}
        self.last_flush = time.monotonic()


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """``SIGTERM`` interrupts the run like Ctrl-C (rows are saved, workers stopped)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, enabled: bool, description: str) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="row", dynamic_ncols=True, smoothing=0.05)
