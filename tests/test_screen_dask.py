"""The same screen on a Dask cluster (LocalCluster with 2 worker processes)."""

from __future__ import annotations

import os
from pathlib import Path


from signet.screen import screen

from test_screen_support import async_oracle, small_model

import distributed  # a test dependency (setup.cfg [test]): missing means failing, not skipped


def test_dask_cluster_gives_the_serial_table(tmp_path, monkeypatch):
    tests = str(Path(__file__).resolve().parent)
    monkeypatch.setenv("PYTHONPATH", tests + os.pathsep + os.environ.get("PYTHONPATH", ""))
    net = small_model(tmp_path)
    kwargs = dict(contexts="all", max_size=2, targets=["MDM2", "AKT", "PTEN", "BCL2"], analysis=async_oracle)
    serial = screen(net, workers=1, **kwargs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = screen(net, scheduler=cluster.scheduler_address, db=tmp_path / "d.sqlite", **kwargs)
    assert on_dask.rows == serial.rows
    assert on_dask.stats["analysed"] == serial.stats["analysed"]


def test_unretrieved_shutdown_timeout_is_not_reported_but_other_errors_are():
    """A Dask screen installs a filter on asyncio's logger: an unretrieved TimeoutError
    (distributed's client shutdown on a loaded machine) is dropped; anything else is still
    reported."""
    import asyncio
    import gc
    import logging

    from signet.screen.scheduler import _quiet_shutdown_timeouts

    _quiet_shutdown_timeouts()
    _quiet_shutdown_timeouts()  # installed once
    logger = logging.getLogger("asyncio")
    assert sum(type(f).__name__ == "_ShutdownTimeoutFilter" for f in logger.filters) == 1
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    handler = Keep()
    logger.addHandler(handler)
    try:
        loop = asyncio.new_event_loop()
        for exc in (TimeoutError("Timeout"), ValueError("real")):
            fut = loop.create_future()
            fut.set_exception(exc)
            del fut
            gc.collect()
        loop.close()
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 1 and "ValueError('real')" in seen[0] and "Timeout" not in seen[0]
    assert seen[0].startswith("Future exception was never retrieved")
