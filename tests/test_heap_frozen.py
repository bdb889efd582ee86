"""The engines' calls keep the objects that existed before them out of the collector's walks
(:func:`signet.dynamics.engines.heap_frozen`), and leave the collector as they found it."""

from __future__ import annotations

import gc

from signet.dynamics import attractors, fixed_points, minimal_trap_spaces
from signet.dynamics.engines import heap_frozen
from signet.model import BooleanNetwork

NET = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A", "D": "!D & C"})


def test_objects_are_frozen_during_the_call_and_put_back_after():
    seen = []

    @heap_frozen
    def probe():
        seen.append(gc.get_freeze_count())
        return minimal_trap_spaces(NET)  # nested: the outer freeze stays

    assert gc.get_freeze_count() == 0
    assert probe() == minimal_trap_spaces(NET)
    assert seen[0] > 0 and gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_callers_own_freeze_and_a_disabled_collector_are_left_alone():
    seen = []

    @heap_frozen
    def probe():
        seen.append((gc.get_freeze_count(), gc.isenabled()))

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        probe()
        # not frozen again (no object added) and not unfrozen by the call; frozen objects can still be
        # freed meanwhile (the count fell by 2 between two lines in a CI run), so no equality
        count, enabled = seen[-1]
        assert enabled and 0 < count <= frozen and 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        probe()
        assert seen[-1] == (0, False) and not gc.isenabled()
    finally:
        gc.enable()


def test_answers_and_errors_pass_through():
    assert fixed_points(NET) == fixed_points.__wrapped__(NET) == []  # D = !D & C: no fixed point
    assert [a.space for a in attractors(NET, "async").attractors] == [
        a.space for a in attractors.__wrapped__(NET, "async").attractors]

    @heap_frozen
    def fails():
        raise ValueError("x")

    try:
        fails()
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0
