"""The fast most-permissive screen path against the general path, brute force and mpbn.

:class:`signet.dynamics.compiled.CompiledNetwork` answers percolation and the
most-permissive response by bit operations and a decomposition (smallest trap space
containing the start, feed-forward tails, a small cached core).  Here it is checked

* on small random networks given by truth tables (Hypothesis): percolation against
  :meth:`BooleanNetwork.percolate`, minimal trap spaces against an enumeration of all
  ``3**n`` subspaces, reachable attractors against :func:`signet.dynamics.attractors`
  (the general clingo path) and mpbn;
* on the radioresistance network: single and pair perturbations sampled across its
  contexts, the fast path's rows against :func:`signet.dynamics.response`, and a whole
  (restricted) screen against the same screen through the general path.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given

from signet.dynamics import EngineConfig, response
from signet.dynamics.compiled import CompiledNetwork
from signet.io import read_model
from signet.io.bnet import parse_bnet
from signet.screen import screen
from signet.screen.job import Job, dynamics_analysis
from signet.screen.worker import WorkerState, rows_task
from signet.screen.interventions import intervention_key, interventions

from conftest import NETWORKS
from oracle import SETTINGS, questions

# -- the radioresistance network ---------------------------------------------------------------
@pytest.fixture(scope="module")
def rr():
    return read_model(NETWORKS / "radioresistance.bnet")


def _sample(net, k, seed):
    rng = random.Random(seed)
    pool = [()] + interventions(net, max_size=2)
    contexts = sorted(net.annotations.contexts)
    singles = [i for i in pool if len(i) == 1]
    pairs = [i for i in pool if len(i) == 2]
    return [(rng.choice(contexts), rng.choice(singles if j % 3 == 0 else pairs)) for j in range(k)] + [
        (c, ()) for c in contexts
    ]


def test_fast_path_equals_response_on_sampled_radioresistance_perturbations(rr):
    job = Job(rr, dict(rr.annotations.phenotypes), dict(rr.annotations.treatment))
    state = WorkerState(job)
    ctx_fix = {c: dict(rr.context(c).fix) for c in rr.annotations.contexts}
    for context, intervention in _sample(rr, 45, seed=11):
        # the general path: the response to the intervention itself
        perturbation = dict(intervention)
        general = dynamics_analysis(rr, context=context, perturbation=perturbation, treatment=job.treatment,
                                    update="mp", phenotypes=job.phenotypes)
        fast = state.mp_analysis(context, state.analysis_fixes(context, intervention))
        assert fast["values"] == general["values"], (context, intervention)
        assert fast["exact"] and general["exact"]
        # and the attractors themselves, space by space
        pins = {**ctx_fix[context], **perturbation, **job.treatment}
        spaces = state.compiled.mp_response(pins, _starts(rr, context))
        resp = response(rr, treatment={"RT": 1}, context=context, perturbation=perturbation, update="mp")
        assert spaces == [dict(a.space) for a in resp.attractors]


def _starts(net, context):
    from signet.dynamics import baseline_starts

    return baseline_starts(net, "mp", context=context)


def test_worker_chunk_rows_and_results(rr):
    import json

    state = WorkerState(Job(rr, dict(rr.annotations.phenotypes), dict(rr.annotations.treatment)))
    items = [(c, intervention_key(i)) for c, i in _sample(rr, 20, seed=3)]
    done = rows_task(state, ("run-1", items + items))
    rows, results = done.rows, done.results
    assert [r[:2] for r in rows] == items + items and not done.unanalysed
    # each key is returned once per run, and again in a new run
    assert set(results) == {r[3] for r in rows}
    assert rows_task(state, ("run-1", items)).results == {}
    fresh = rows_task(state, ("run-2", items[:3])).results
    assert set(fresh) == {r[3] for r in rows[:3]}
    for value in results.values():
        assert json.loads(value)["exact"] is True


def test_fast_screen_table_equals_general_screen_table(rr):
    kwargs = dict(contexts=["wildtype", "TP53_mutant", "BCL2_high"], max_size=2, treatment={"RT": 1},
                  targets=["ATM", "MDM2", "PRKDC", "XIAP", "BCL2", "M2_macrophage"], metric="share")
    fast = screen(rr, workers=1, **kwargs)  # the fast path is the share metric's
    general = screen(rr, workers=1, fast_path=False, **kwargs)  # the built-in analysis, row by row
    by_function = screen(rr, workers=1, analysis=dynamics_analysis, **kwargs)  # a caller's function
    assert fast.rows == general.rows == by_function.rows
    # the model's reference context (normal_tissue) is evaluated too, for the gain, outside the table
    assert fast.stats["rows"] == general.stats["rows"] == len(fast.rows) + fast.stats["reference_rows"]
    assert fast.stats["reference_rows"] == len(fast.rows) // 3


def test_fast_screen_with_two_workers_equals_serial(rr):
    kwargs = dict(contexts=["wildtype", "hypoxic"], max_size=2, treatment={"RT": 1},
                  targets=["ATM", "CHEK2", "AKT", "CSC", "TP53"], metric="share")
    assert screen(rr, workers=2, **kwargs).rows == screen(rr, workers=1, **kwargs).rows


@pytest.mark.crosstool
def test_fast_path_equals_mpbn_on_sampled_radioresistance_perturbations(rr):
    import mpbn  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    from signet.expr import to_bnet

    state = WorkerState(Job(rr, dict(rr.annotations.phenotypes), dict(rr.annotations.treatment)))
    rules = {n: to_bnet(r) for n, r in rr.rules.items()}
    for context, intervention in _sample(rr, 12, seed=7):
        fixes = {**dict(rr.context(context).fix), **dict(intervention), **state.job.treatment}
        mbn = mpbn.MPBooleanNetwork({**rules, **{n: str(v) for n, v in fixes.items()}})
        expected = set()
        for start in _starts(rr, context):
            start = {**start, **fixes}
            expected |= {tuple(a[n] for n in rr.nodes) for a in mbn.attractors(reachable_from=start)}
        got = state.compiled.mp_response(fixes, _starts(rr, context))
        assert sorted(tuple(s[n] for n in rr.nodes) for s in got) == sorted(expected), (context, intervention)


def test_interrupted_fast_screen_keeps_finished_rows_and_resumes(rr, tmp_path):
    import sqlite3

    from signet.screen.scheduler import LocalScheduler

    class Interrupting(LocalScheduler):
        def __init__(self, after):
            super().__init__(workers=1)
            self.after, self.calls = after, 0

        def submit(self, name, payload):
            self.calls += 1
            if self.calls > self.after:
                raise KeyboardInterrupt
            return super().submit(name, payload)

    kwargs = dict(contexts=["wildtype", "KEAP1_loss"], max_size=2, treatment={"RT": 1},
                  targets=["ATM", "MDM2", "AKT", "GPX4", "CD274"])
    db = tmp_path / "fast.sqlite"
    with pytest.raises(KeyboardInterrupt):
        screen(rr, db=db, backend=Interrupting(5), **kwargs)
    with sqlite3.connect(db) as con:
        done = con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        orphans = con.execute("SELECT COUNT(*) FROM rows WHERE analysis NOT IN (SELECT key FROM analyses)").fetchone()[0]
    assert done > 0 and orphans == 0
    resumed = screen(rr, db=db, workers=1, **kwargs)
    assert resumed.stats["already_done"] == done < len(resumed.rows)
    assert resumed.rows == screen(rr, workers=1, **kwargs).rows


@SETTINGS
@given(questions())
def test_loop_checks_equal_generated_checks(case):
    # nodes with many prime implicants are checked by loops instead of generated code
    oracle, pins, starts = case
    net = parse_bnet(oracle.bnet())
    generated = CompiledNetwork(net)
    looped = CompiledNetwork(net, EngineConfig(generated_primes=-1))
    named_pins, named_starts = oracle.named(pins), [oracle.named(s) for s in starts]
    assert looped.percolate_values(named_pins) == generated.percolate_values(named_pins)
    assert looped.mp_response(named_pins, named_starts) == generated.mp_response(named_pins, named_starts)


def test_fast_screen_on_a_dask_cluster_equals_serial(rr, tmp_path):
    import distributed  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    kwargs = dict(contexts=["wildtype", "IAP_high"], max_size=2, treatment={"RT": 1},
                  targets=["ATM", "XIAP", "BIRC2_3", "CASP9"])
    serial = screen(rr, workers=1, **kwargs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = screen(rr, scheduler=cluster.scheduler_address, db=tmp_path / "d.sqlite", **kwargs)
        # a second screen on the same workers (their job is cached) stores every analysis again
        again = screen(rr, scheduler=cluster.scheduler_address, db=tmp_path / "e.sqlite", **kwargs)
    assert on_dask.rows == serial.rows == again.rows
