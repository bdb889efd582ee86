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

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from signet.dynamics import attractors, response
from signet.dynamics.compiled import CompiledNetwork
from signet.io import read_model
from signet.io.bnet import parse_bnet
from signet.screen import screen
from signet.screen.engine import Job, dynamics_analysis, mp_fast_analysis, percolated_fixes, screen_chunk
from signet.screen.interventions import intervention_key, interventions

from conftest import NETWORKS

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- small random networks as truth tables ---------------------------------------------------
class Tables:
    """Node ``i`` reads ``regs[i]``; its value on row ``sum(x[r] << j)`` is ``tables[i][row]``."""

    def __init__(self, regs, tables):
        self.n = len(regs)
        self.names = [f"x{i}" for i in range(self.n)]
        self.regs, self.tables = regs, tables

    def bnet(self) -> str:
        lines = []
        for i, (regs, table) in enumerate(zip(self.regs, self.tables)):
            terms = []
            for row, value in enumerate(table):
                if value:
                    lits = [self.names[r] if (row >> j) & 1 else "!" + self.names[r] for j, r in enumerate(regs)]
                    terms.append("(" + " & ".join(lits) + ")" if lits else "1")
            lines.append(f"{self.names[i]}, " + (" | ".join(terms) if terms else "0"))
        return "\n".join(lines) + "\n"

    def f(self, i, state, pins):
        if i in pins:
            return pins[i]
        return self.tables[i][sum(state[r] << j for j, r in enumerate(self.regs[i]))]

    def members(self, space):
        choices = [(0, 1) if v == "*" else (v,) for v in space]
        return itertools.product(*choices)

    def is_trap(self, space, pins):
        return all(
            self.f(i, s, pins) == space[i] for s in self.members(space) for i in range(self.n) if space[i] != "*"
        )

    def minimal_trap_spaces(self, pins):
        traps = [sp for sp in itertools.product((0, 1, "*"), repeat=self.n) if self.is_trap(sp, pins)]

        def inside(a, b):
            return all(y == "*" or x == y for x, y in zip(a, b))

        return {sp for sp in traps if not any(o != sp and inside(o, sp) for o in traps)}

    def percolate(self, pins):
        """Constant propagation by enumeration: a node is fixed when its value is the same on
        every state that agrees with the values fixed so far."""
        fixed = dict(pins)
        changed = True
        while changed:
            changed = False
            space = tuple(fixed.get(i, "*") for i in range(self.n))
            for i in range(self.n):
                if i in fixed:
                    continue
                values = {self.f(i, s, pins) for s in self.members(space)}
                if len(values) == 1:
                    fixed[i] = values.pop()
                    changed = True
                    break
        return fixed


@st.composite
def cases(draw, max_nodes=6):
    n = draw(st.integers(1, max_nodes))
    regs, tables = [], []
    for _ in range(n):
        k = draw(st.integers(0, min(3, n)))
        regs.append(sorted(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True))))
        tables.append(draw(st.lists(st.integers(0, 1), min_size=1 << k, max_size=1 << k)))
    t = Tables(regs, tables)
    pinned = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=min(2, n)))
    pins = {i: draw(st.integers(0, 1)) for i in pinned}
    starts = []
    for _ in range(draw(st.integers(1, 2))):
        known = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        starts.append({i: draw(st.integers(0, 1)) for i in known})
    return t, pins, starts


def _named(t, assignment):
    return {t.names[i]: v for i, v in assignment.items()}


def _tuples(t, spaces):
    return sorted((tuple(s[n] for n in t.names) for s in spaces), key=repr)


@SETTINGS
@given(cases())
def test_percolation_equals_percolate_and_enumeration(case):
    t, pins, _ = case
    net = parse_bnet(t.bnet())
    cn = CompiledNetwork(net)
    got = cn.percolate_values(_named(t, pins))
    assert got == net.percolate(_named(t, pins))[1]
    assert got == _named(t, t.percolate(pins))


@SETTINGS
@given(cases())
def test_minimal_trap_spaces_equal_enumeration(case):
    t, pins, _ = case
    cn = CompiledNetwork(parse_bnet(t.bnet()))
    # from the whole state space every minimal trap space is reachable
    got = cn.mp_response(_named(t, pins), [{}])
    assert _tuples(t, got) == sorted(t.minimal_trap_spaces(pins), key=repr)


@SETTINGS
@given(cases())
def test_reachable_attractors_equal_general_path(case):
    t, pins, starts = case
    net = parse_bnet(t.bnet())
    cn = CompiledNetwork(net)
    named_starts = [_named(t, s) for s in starts]
    got = cn.mp_response(_named(t, pins), named_starts)
    expected = attractors(net.fix(_named(t, pins)), "mp", start=named_starts)
    assert got == [dict(a.space) for a in expected.attractors]  # same spaces, same order


@SETTINGS
@given(cases(max_nodes=5))
def test_reachable_attractors_equal_mpbn(case):
    import mpbn  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    from signet.expr import to_bnet

    t, pins, starts = case
    net = parse_bnet(t.bnet())
    fixed = net.fix(_named(t, pins))
    mbn = mpbn.MPBooleanNetwork({n: to_bnet(r) for n, r in fixed.rules.items()})
    expected = set()
    for s in starts:
        # pinned nodes and constant rules act from time 0: they start at their value
        start = {**_named(t, s), **fixed.constants}
        expected |= {tuple(a[n] for n in t.names) for a in mbn.attractors(reachable_from=start)}
    got = CompiledNetwork(net).mp_response(_named(t, pins), [_named(t, s) for s in starts])
    assert _tuples(t, got) == sorted(expected, key=repr)


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
    ctx_fix = {c: dict(rr.context(c).fix) for c in rr.annotations.contexts}
    for context, intervention in _sample(rr, 45, seed=11):
        fixes = percolated_fixes(job, context, intervention)
        # the general path: the perturbation is the intervention with everything it forces
        perturbation = {n: v for n, v in fixes.items() if n not in job.treatment and ctx_fix[context].get(n) != v}
        general = dynamics_analysis(rr, context=context, perturbation=perturbation, treatment=job.treatment,
                                    update="mp", phenotypes=job.phenotypes)
        fast = mp_fast_analysis(job, context, job.fixes_bits(context, intervention))
        assert fast["values"] == general["values"], (context, intervention)
        assert fast["exact"] and general["exact"]
        # and the attractors themselves, space by space
        spaces = job.compiled.mp_response(fixes, _starts(rr, context))
        resp = response(rr, context=context, perturbation=perturbation, update="mp")
        assert spaces == [dict(a.space) for a in resp.attractors]


def _starts(net, context):
    from signet.dynamics import baseline_starts

    return baseline_starts(net, "mp", context=context)


def test_worker_chunk_rows_and_results(rr):
    import json

    job = Job(rr, dict(rr.annotations.phenotypes), dict(rr.annotations.treatment))
    items = [(c, intervention_key(i)) for c, i in _sample(rr, 20, seed=3)]
    rows, results = screen_chunk(job, ("run-1", items + items))
    assert [r[:2] for r in rows] == items + items
    # each key is returned once per run, and again in a new run
    assert set(results) == {r[3] for r in rows}
    _, again = screen_chunk(job, ("run-1", items))
    assert again == {}
    _, fresh = screen_chunk(job, ("run-2", items[:3]))
    assert set(fresh) == {r[3] for r in rows[:3]}
    for value in results.values():
        assert json.loads(value)["exact"] is True


def _general(network, **kw):
    """dynamics_analysis under another name: the screen then takes the general path."""
    return dynamics_analysis(network, **kw)


def test_fast_screen_table_equals_general_screen_table(rr):
    kwargs = dict(contexts=["wildtype", "TP53_mutant", "BCL2_high"], max_size=2,
                  targets=["ATM", "MDM2", "PRKDC", "XIAP", "BCL2", "M2_macrophage"])
    fast = screen(rr, workers=1, **kwargs)
    general = screen(rr, workers=1, analysis=_general, **kwargs)
    assert fast.rows == general.rows
    assert fast.stats["rows"] == general.stats["rows"] == len(fast.rows)


def test_fast_screen_with_two_workers_equals_serial(rr):
    kwargs = dict(contexts=["normoxic", "hypoxic"], max_size=2, targets=["ATM", "CHEK2", "AKT", "CSC", "TP53"])
    assert screen(rr, workers=2, **kwargs).rows == screen(rr, workers=1, **kwargs).rows


@pytest.mark.crosstool
def test_fast_path_equals_mpbn_on_sampled_radioresistance_perturbations(rr):
    import mpbn  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    from signet.expr import to_bnet

    job = Job(rr, dict(rr.annotations.phenotypes), dict(rr.annotations.treatment))
    rules = {n: to_bnet(r) for n, r in rr.rules.items()}
    for context, intervention in _sample(rr, 12, seed=7):
        fixes = percolated_fixes(job, context, intervention)
        mbn = mpbn.MPBooleanNetwork({**rules, **{n: str(v) for n, v in fixes.items()}})
        expected = set()
        for start in _starts(rr, context):
            start = {**start, **fixes}
            expected |= {tuple(a[n] for n in rr.nodes) for a in mbn.attractors(reachable_from=start)}
        got = job.compiled.mp_response(fixes, _starts(rr, context))
        assert sorted(tuple(s[n] for n in rr.nodes) for s in got) == sorted(expected), (context, intervention)


def test_interrupted_fast_screen_keeps_finished_rows_and_resumes(rr, tmp_path):
    import sqlite3

    from signet.screen import SerialBackend

    class Interrupting(SerialBackend):
        def __init__(self, after):
            self.after, self.calls = after, 0

        def submit(self, name, payload):
            self.calls += 1
            if self.calls > self.after:
                raise KeyboardInterrupt
            return super().submit(name, payload)

    kwargs = dict(contexts=["wildtype", "KEAP1_loss"], max_size=2, targets=["ATM", "MDM2", "AKT", "GPX4", "CD274"])
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
@given(cases())
def test_loop_checks_equal_generated_checks(case):
    # nodes with many prime implicants are checked by loops instead of generated code
    import signet.dynamics.compiled as compiled

    t, pins, starts = case
    net = parse_bnet(t.bnet())
    generated = CompiledNetwork(net)
    saved = compiled.MAX_GENERATED_PRIMES
    compiled.MAX_GENERATED_PRIMES = -1
    try:
        looped = CompiledNetwork(net)
    finally:
        compiled.MAX_GENERATED_PRIMES = saved
    named_pins, named_starts = _named(t, pins), [_named(t, s) for s in starts]
    assert looped.percolate_values(named_pins) == generated.percolate_values(named_pins)
    assert looped.mp_response(named_pins, named_starts) == generated.mp_response(named_pins, named_starts)


def test_fast_screen_on_a_dask_cluster_equals_serial(rr, tmp_path):
    import distributed  # a test dependency (setup.cfg [test]): missing means failing, not skipped
    kwargs = dict(contexts=["wildtype", "IAP_high"], max_size=2, targets=["ATM", "XIAP", "BIRC2_3", "CASP9"])
    serial = screen(rr, workers=1, **kwargs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = screen(rr, scheduler=cluster.scheduler_address, db=tmp_path / "d.sqlite", **kwargs)
        # a second screen on the same workers (their job is cached) stores every analysis again
        again = screen(rr, scheduler=cluster.scheduler_address, db=tmp_path / "e.sqlite", **kwargs)
    assert on_dask.rows == serial.rows == again.rows
