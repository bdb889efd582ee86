"""The same screen on a Dask cluster (LocalCluster with 2 worker processes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
