"""Where a screen's tasks run: one :class:`Scheduler` interface for this process, local
worker processes and a Dask cluster.

A scheduler is started with a :class:`~signet.screen.job.Job`, takes tasks
(:func:`~signet.screen.worker.run_task`: ``"rows"`` or ``"analyse"`` with a payload)
and returns handles whose ``result()`` gives the task's value or raises its error;
:meth:`Scheduler.wait` blocks until at least one handle is done.  The driver
(:func:`signet.screen.engine.evaluate`) is the same whichever scheduler runs it.

* :class:`LocalScheduler` with one worker runs each task in this process when it is
  submitted; with more, it keeps that many worker processes.  Worker processes

  - die with the screen: each holds the read end of a *lifeline* pipe whose only
    write end is in the screen's process, and exits as soon as it closes (a killed
    screen, even by ``kill -9``); on Linux the kernel also sends them ``SIGKILL`` when
    the screen's process dies (``PR_SET_PDEATHSIG``);
  - ignore ``SIGINT`` (Ctrl-C reaches the whole process group: the screen stops them);
  - are terminated, not waited for, when the screen is interrupted;
  - report their death: a task lost with its worker raises :class:`WorkerDied`.
* :class:`DaskScheduler` submits the same tasks to a ``dask.distributed`` cluster; the
  job is scattered once and each Dask worker keeps its state per job.

Examples
--------
>>> from signet.model import BooleanNetwork
>>> from signet.screen.job import Job
>>> scheduler = make_scheduler(workers=1)
>>> scheduler.start(Job(BooleanNetwork({"RT": "RT", "A": "RT"}), {"A": "A"}, {"RT": 1}))
>>> handle = scheduler.submit("rows", ("run", [("", "")]))
>>> [h.result().rows for h in scheduler.wait([handle])]
[[('', '', 0, '...')]]
>>> scheduler.close()
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import signal
import sys
import threading
from abc import ABC, abstractmethod
from typing import Any, Collection, Protocol

from ..errors import EngineError, ModelError
from .job import Job
from .worker import WorkerState, run_task, state_for

__all__ = ["Handle", "Scheduler", "LocalScheduler", "DaskScheduler", "WorkerDied", "make_scheduler"]


class WorkerDied(EngineError):
    """A worker process died while it held a task (killed, or out of memory)."""


class Handle(Protocol):
    """A submitted task: ``result()`` returns its value or raises its error."""

    def result(self) -> Any: ...


class Scheduler(ABC):
    """Runs the tasks of one job; see the module docstring.

    Attributes
    ----------
    workers
        How many tasks run at once (the driver keeps about twice as many in flight).
    """

    workers: int = 1

    @abstractmethod
    def start(self, job: Job) -> None:
        """Get ready to run tasks of ``job``."""

    @abstractmethod
    def submit(self, name: str, payload: Any) -> Handle:
        """Run task ``name`` on ``payload``."""

    @abstractmethod
    def wait(self, handles: Collection[Handle]) -> list[Handle]:
        """Block until at least one of ``handles`` is done; return the done ones."""

    @abstractmethod
    def close(self, cancel: bool = False) -> None:
        """Stop: after the tasks in flight, or at once (``cancel``) when interrupted."""


# -- this process -----------------------------------------------------------------------------
class _InlineScheduler(Scheduler):
    """Runs each task when it is submitted, in this process (``workers=1``)."""

    workers = 1

    def start(self, job: Job) -> None:
        self.state = WorkerState(job)

    def submit(self, name: str, payload: Any) -> Handle:
        future: cf.Future = cf.Future()
        try:
            future.set_result(run_task(self.state, name, payload))
        except Exception as exc:  # noqa: BLE001 - delivered through the handle, as from a worker
            future.set_exception(exc)
        return future

    def wait(self, handles: Collection[Handle]) -> list[Handle]:
        return list(handles)

    def close(self, cancel: bool = False) -> None:
        pass


# -- local worker processes ----------------------------------------------------------------------
class _Task:
    """A task sent to a worker process."""

    __slots__ = ("ident", "worker", "done", "ok", "value")

    def __init__(self, ident: int, worker: int) -> None:
        self.ident, self.worker = ident, worker
        self.done = self.ok = False
        self.value: Any = None

    def result(self) -> Any:
        if not self.done:
            raise RuntimeError("task not finished")
        if not self.ok:
            raise self.value
        return self.value


class _ProcessScheduler(Scheduler):
    """Runs tasks in ``workers`` worker processes (see the module docstring)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._processes: list[Any] = []
        self._tasks: list[Any] = []  # per worker: its task queue
        self._results: list[Any] = []  # per worker: the read end of its result pipe
        self._lifeline: Any = None
        self._pending: dict[int, _Task] = {}
        self._load: list[int] = []
        self._dead: set[int] = set()
        self._next = 0

    def start(self, job: Job) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context()
        self._pending, self._load, self._dead = {}, [], set()
        lifeline_read, lifeline_write = ctx.Pipe(duplex=False)
        self._lifeline = lifeline_write
        for _ in range(self.workers):
            tasks = ctx.Queue()  # a feeder thread sends: submitting never blocks
            read, write = ctx.Pipe(duplex=False)
            process = ctx.Process(
                target=_worker_main, args=(job, tasks, write, lifeline_read, lifeline_write), daemon=True
            )
            process.start()
            write.close()
            self._processes.append(process)
            self._tasks.append(tasks)
            self._results.append(read)
            self._load.append(0)
        lifeline_read.close()

    def submit(self, name: str, payload: Any) -> Handle:
        alive = [k for k in range(self.workers) if k not in self._dead]
        if not alive:
            raise WorkerDied("every worker process died")
        worker = min(alive, key=self._load.__getitem__)
        self._next += 1
        task = _Task(self._next, worker)
        self._pending[task.ident] = task
        self._load[worker] += 1
        self._tasks[worker].put((task.ident, name, payload))
        return task

    def wait(self, handles: Collection[Handle]) -> list[Handle]:
        from multiprocessing.connection import wait

        while True:
            done = [h for h in handles if getattr(h, "done", True)]
            if done:
                return done
            live = [k for k in range(self.workers) if k not in self._dead]
            ready = set(wait([self._results[k] for k in live] + [self._processes[k].sentinel for k in live]))
            for k in live:
                if self._results[k] in ready:
                    self._receive(k)
                elif self._processes[k].sentinel in ready:
                    self._died(k)

    def _receive(self, worker: int) -> None:
        try:
            ident, ok, value = self._results[worker].recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        task = self._pending.pop(ident)
        task.done, task.ok, task.value = True, ok, value
        self._load[worker] -= 1

    def _died(self, worker: int) -> None:
        """A worker's process ended: an error if it still held a task."""
        process = self._processes[worker]
        process.join(1)
        self._dead.add(worker)
        if any(t.worker == worker for t in self._pending.values()):
            code = process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            raise WorkerDied(f"a worker process died ({how})")

    def close(self, cancel: bool = False) -> None:
        if not cancel:
            for tasks in self._tasks:
                tasks.put(None)
            for process in self._processes:
                process.join(5)
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(1)
            if process.is_alive():
                process.kill()
                process.join(1)
        for tasks in self._tasks:
            tasks.cancel_join_thread()
            tasks.close()
        for conn in self._results:
            conn.close()
        if self._lifeline is not None:
            self._lifeline.close()
        self._processes, self._tasks, self._results, self._lifeline = [], [], [], None


def _worker_main(job: Job, tasks: Any, results: Any, lifeline: Any, lifeline_write: Any) -> None:
    """A worker process: run tasks until told to stop or until the screen's process is gone."""
    lifeline_write.close()  # the screen's process holds the only write end
    _die_with_parent(lifeline)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    state = WorkerState(job)
    while True:
        item = tasks.get()
        if item is None:
            return
        ident, name, payload = item
        try:
            reply = (ident, True, run_task(state, name, payload))
        except BaseException as exc:  # noqa: BLE001 - sent to the screen, which raises it
            reply = (ident, False, _portable(exc))
        try:
            results.send(reply)
        except OSError:  # the screen is gone
            os._exit(1)


def _die_with_parent(lifeline: Any) -> None:
    """Exit as soon as the screen's process is gone: its end of ``lifeline`` closes."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - not glibc
            pass

    def watch() -> None:
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="signet-lifeline", daemon=True).start()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it pickles, else an :class:`~signet.errors.EngineError` that says what it was."""
    import pickle
    import traceback

    if not isinstance(exc, (EngineError, ModelError)) and hasattr(exc, "add_note"):
        exc.add_note("in a worker process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001 - anything that does not pickle
        return EngineError(f"{type(exc).__name__} in a worker process: {exc}")


class LocalScheduler(Scheduler):
    """This process (``workers=1``) or that many local worker processes.

    Parameters
    ----------
    workers
        Tasks at once; default all cores.
    """

    def __init__(self, workers: int | None = None) -> None:
        workers = workers or os.cpu_count() or 1
        if workers < 1:
            raise ModelError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self._impl: Scheduler = _InlineScheduler() if workers == 1 else _ProcessScheduler(workers)

    def start(self, job: Job) -> None:
        self._impl.start(job)

    def submit(self, name: str, payload: Any) -> Handle:
        return self._impl.submit(name, payload)

    def wait(self, handles: Collection[Handle]) -> list[Handle]:
        return self._impl.wait(handles)

    def close(self, cancel: bool = False) -> None:
        self._impl.close(cancel)


# -- a Dask cluster ----------------------------------------------------------------------------
class DaskScheduler(Scheduler):
    """A ``dask.distributed`` cluster at ``address`` (``tcp://host:port``), or a ``Client``."""

    def __init__(self, address: Any) -> None:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - depends on the environment
            raise EngineError("--scheduler needs dask.distributed: pip install 'signet[dask]'") from None
        self._own = not isinstance(address, Client)
        self._address = address
        _quiet_shutdown_timeouts()
        self.client: Any = address if not self._own else self._connect()
        self.workers = max(1, sum(self.client.nthreads().values()))

    def _connect(self) -> Any:
        from distributed import Client

        try:
            return Client(self._address, timeout="20s")
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {self._address}: {exc}") from None

    def start(self, job: Job) -> None:
        if self.client is None:  # closed by an earlier run
            self.client = self._connect()
        self._job = self.client.scatter(job, broadcast=True)

    def submit(self, name: str, payload: Any) -> Handle:
        return self.client.submit(_dask_task, name, self._job, payload, pure=False)

    def wait(self, handles: Collection[Handle]) -> list[Handle]:
        from distributed import wait

        done, _ = wait(list(handles), return_when="FIRST_COMPLETED")
        return list(done)

    def close(self, cancel: bool = False) -> None:
        if self._own and self.client is not None:
            self.client.close()
            self.client = None


class _ShutdownTimeoutFilter(logging.Filter):
    """Drops asyncio's "Future exception was never retrieved" for a ``TimeoutError``.

    Closing a ``distributed`` client on a loaded machine can leave one of tornado's
    connection timeouts unretrieved; asyncio reports it when the future is collected,
    after the screen finished and wrote every row.  Other unretrieved exceptions are
    still reported.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        message = str(record.msg)
        return not (message.startswith("Future exception was never retrieved") and isinstance(exc, TimeoutError))


def _quiet_shutdown_timeouts() -> None:
    logger = logging.getLogger("asyncio")
    if not any(isinstance(f, _ShutdownTimeoutFilter) for f in logger.filters):
        logger.addFilter(_ShutdownTimeoutFilter())


def _dask_task(name: str, job: Job, payload: Any) -> Any:
    return run_task(state_for(job), name, payload)


def make_scheduler(workers: int | None = None, address: Any = None) -> Scheduler:
    """The scheduler for ``--workers`` / ``--scheduler``: a Dask cluster when ``address`` is
    given, else local (default all cores)."""
    if address is not None:
        return DaskScheduler(address)
    return LocalScheduler(workers)
