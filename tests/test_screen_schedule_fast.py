"""The most-permissive fast path with a schedule against the general path.

With a schedule whose phases last until settled, the fast path chains the compiled mp
response phase by phase (:meth:`CompiledNetwork.mp_schedule_spaces
<signet.dynamics.compiled.CompiledNetwork.mp_schedule_spaces>`); the general path runs
:func:`signet.dynamics.schedule.run_schedule` row by row.  Both must give the same values,
in the same order, with the same ``exact``, and the same values as a third computation
that builds each phase's network (``network.fix``) and asks ``attractors(..., "mp",
start=...)`` phase after phase:

* on random small networks with random schedules (1-4 phases, repeats, drugs given in
  one phase) and random contexts, row by row for every single and pair perturbation;
* through ``screen``, ``minimal_interventions`` and a checkpoint written by one path and
  resumed by the other;
* on the radioresistance model's single screen of a sixth of its nodes in one context (crosstool: slow).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import expressions
from test_screen_support import small_model

from conftest import NETWORKS
from oracle import SETTINGS
from signet.annotations import Annotations, Context
from signet.dynamics import attractors, baseline_starts
from signet.dynamics.schedule import as_schedule, phase_starts
from signet.errors import ModelError
from signet.io import read_model
from signet.levels import network_level_groups
from signet.model import BooleanNetwork
from signet.screen import minimal_interventions, screen
from signet.screen.core import _common_values
from signet.screen.interventions import interventions
from signet.screen.job import Job
from signet.screen.worker import WorkerState

PULSE = "RT=1 ; RT=0"


@st.composite
def scheduled_networks(draw: st.DrawFn) -> tuple[BooleanNetwork, str]:
    """Inputs RT and TNF, 2-5 random nodes, phenotypes on them, up to two contexts, and a
    schedule of 1-4 phase texts (some repeated) over the inputs and one random node."""
    n = draw(st.integers(2, 5))
    names = [f"n{i}" for i in range(n)]
    rules: dict[str, object] = {"RT": "RT", "TNF": "TNF"}
    for name in names:
        rules[name] = draw(expressions([*names, "RT", "TNF"], max_leaves=5))
    contexts = {}
    for k in range(draw(st.integers(0, 2))):
        fixed = draw(st.dictionaries(st.sampled_from([*names, "TNF"]), st.integers(0, 1), min_size=1, max_size=2))
        contexts[f"c{k}"] = Context(f"c{k}", fixed)
    phenotypes = {"Death": draw(st.sampled_from(names)), "P": f"{names[0]} & !{names[-1]}"}
    annotations = Annotations(phenotypes=phenotypes, treatment={"RT": 1}, baseline={"RT": 0, "TNF": 0},
                              contexts=contexts)
    net = BooleanNetwork(rules, annotations=annotations)
    phase_nodes = st.sampled_from(["RT", "TNF", names[-1]])
    phases = []
    for _ in range(draw(st.integers(1, 4))):
        values = draw(st.dictionaries(phase_nodes, st.integers(0, 1), min_size=1, max_size=2))
        phases.append(", ".join(f"{k}={v}" for k, v in values.items()))
    lo = draw(st.integers(0, len(phases) - 1))
    hi = draw(st.integers(lo + 1, len(phases)))
    times = draw(st.integers(1, 3))
    middle = [f"({' ; '.join(phases[lo:hi])}) x {times}"] if times > 1 else phases[lo:hi]
    return net, " ; ".join([*phases[:lo], *middle, *phases[hi:]])


def _jobs(net: BooleanNetwork, schedule: str) -> tuple[Job, Job]:
    treatment = _common_values(net, schedule)
    fast = Job(net, dict(net.annotations.phenotypes), treatment, schedule=schedule)
    general = Job(net, dict(net.annotations.phenotypes), treatment, schedule=schedule, fast_path=False)
    return fast, general


def _phase_by_phase(net: BooleanNetwork, schedule: str, context: str, perturbation: dict[str, int]) -> list[dict]:
    """The phenotype values at the end of ``schedule`` from each phase's own network
    (``attractors(network.fix(...), "mp", start=...)``: each phase compiled apart, no pins)."""
    fixes = {**(dict(net.context(context).fix) if context else {}), **perturbation}
    starts = baseline_starts(net, "mp", context=context or None)
    for phase in as_schedule(schedule, net).phases():
        result = attractors(net.fix({**fixes, **phase.assignment()}), "mp", start=starts)
        starts = phase_starts(result)
    return [dict(v) for v in result.phenotype_values(net.annotations.phenotypes)]


def _same_rows(net: BooleanNetwork, fast: Job, general: Job, items) -> int:
    """Every row's analysis on both paths (as the screen's workers run them) and phase by phase;
    the number compared."""
    assert fast.fast_path and not general.fast_path and fast.token == general.token
    state = WorkerState(fast)
    for context, intervention in items:
        fixed = state.analysis_fixes(context, intervention)
        got = state.mp_analysis(context, fixed)
        perturbation = state.perturbation(context, state.compiled.decode(*fixed))
        want = general.analyse(context, perturbation)
        assert (got["values"], got["exact"]) == (want["values"], want["exact"]), (context, intervention)
        if len(intervention) < 2:  # the phase networks compiled apart: slow, so the singles only
            assert got["exact"] and got["values"] == _phase_by_phase(net, str(fast.schedule), context, perturbation)
    return len(items)


@settings(SETTINGS, max_examples=40)
@given(scheduled_networks())
def test_fast_schedule_rows_equal_general_rows(case):
    net, schedule = case
    fast, general = _jobs(net, schedule)
    contexts = ["", *net.annotations.contexts]
    targets = [n for n in net.nodes if n != "RT"]  # a node some phase fixes may be a target here
    pool = [(), *interventions(net, max_size=2, targets=targets, allow_trivial=True, treatment={"RT": 1})]
    assert _same_rows(net, fast, general, [(c, i) for c in contexts for i in pool]) == len(contexts) * len(pool)


def test_a_treatment_node_that_a_phase_leaves_alone_is_not_pinned_by_the_fast_path():
    # Job's treatment fixes TNF, which the second phase does not name: the general path pins
    # TNF there only where the context does (else TNF follows RT and A decays), the fast path too
    net = BooleanNetwork({"RT": "RT", "TNF": "RT", "B": "B", "A": "TNF & A | RT & B", "D": "A"},
                         annotations=Annotations(phenotypes={"D": "D"}, baseline={"RT": 0},
                                                 contexts={"tnf": Context("tnf", {"TNF": 1})}))
    schedule = "RT=1, TNF=1 ; RT=0"
    fast = Job(net, {"D": "D"}, {"RT": 1, "TNF": 1}, schedule=schedule)
    general = Job(net, {"D": "D"}, {"RT": 1, "TNF": 1}, schedule=schedule, fast_path=False)
    _same_rows(net, fast, general, [(c, i) for c in ("", "tnf") for i in [(), (("B", 1),), (("A", 0),)]])
    state = WorkerState(fast)
    ends = {c: state.mp_analysis(c, state.analysis_fixes(c, ()))["values"] for c in ("", "tnf")}
    # "": TNF follows RT down, A decays whatever B; "tnf": A remembers (B=0 A=0, B=0 A=1, B=1 A=1)
    assert ends == {"": [{"D": 0}, {"D": 0}], "tnf": [{"D": 0}, {"D": 1}, {"D": 1}]}


def test_fast_path_is_refused_where_it_would_not_be_exact():
    net = BooleanNetwork({"RT": "RT", "A": "RT"})
    assert not Job(net, {"A": "A"}, {}, schedule=PULSE, update="async").fast_path
    assert not Job(net, {"A": "A"}, {}, schedule="RT=1 @ 2 ; RT=0").fast_path  # mp has no steps
    with pytest.raises(ModelError, match="phases that last until settled"):
        Job(net, {"A": "A"}, {}, schedule="RT=1 @ 2 ; RT=0", fast_path=True)
    levels = BooleanNetwork({"RT": "RT", "X_b1": "RT | X_b2", "X_b2": "X_b1 & RT"})
    assert network_level_groups(levels)  # a multi-valued node: mp phases keep admissible levels only
    assert not Job(levels, {"A": "X_b1"}, {}, schedule=PULSE).fast_path
    assert Job(levels, {"A": "X_b1"}, {"RT": 1}).fast_path  # without a schedule: response()'s answer


# -- screen, control and checkpoints ----------------------------------------------------------
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_model(tmp_path_factory.mktemp("model"))


def test_scheduled_screen_and_control_take_the_fast_path_with_the_general_answers(small, tmp_path):
    kw = {"schedule": "(RT=1 ; RT=0) x 2", "workers": 1, "max_size": 2, "split_inputs": False}
    fast = screen(small, **kw)
    general = screen(small, fast_path=False, **kw)
    assert fast.rows == general.rows and fast.stats["analysed"] == general.stats["analysed"]
    goal = {"goal": "Death", "context": "TP53_mutant", "max_size": 2, "schedule": PULSE}
    assert minimal_interventions(small, **goal, fast_path=True).solutions == \
        minimal_interventions(small, **goal, fast_path=False).solutions
    # a checkpoint of one path resumes on the other: same keys, nothing recomputed
    db = tmp_path / "pulse.sqlite"
    first = screen(small, fast_path=False, db=db, **kw)
    again = screen(small, db=db, **kw)
    assert again.stats["already_done"] == again.stats["rows"] and again.rows == first.rows == fast.rows


# -- the radioresistance model --------------------------------------------------------------------
@pytest.mark.crosstool
def test_radioresistance_pulse_single_screen_fast_equals_general():
    net = read_model(NETWORKS / "radioresistance.bnet")
    assert net.annotations.schedule == PULSE
    # every sixth node (the general path takes seconds a row): all modules, both kinds
    targets = [n for n in net.nodes if n not in net.inputs][::6]
    kw = {"contexts": "TP53_mutant", "max_size": 1, "workers": 1, "targets": targets}
    fast = screen(net, **kw)
    general = screen(net, fast_path=False, **kw)
    assert fast.parameters["schedule"] == PULSE and len(fast.rows) > 35
    assert fast.rows == general.rows
