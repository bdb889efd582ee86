"""Shared names for the shapes that signet's functions take and return.

States, subspaces and perturbations are plain dictionaries keyed by node name (the
convention of biobalm, mpbn and pyboolnet), so that results print with names:

``Assignment``
    some nodes -> ``0 | 1``: a perturbation, a partial state, or the subspace of all
    states that agree with it (free nodes are left out).
``State``
    every node -> ``0 | 1``.
``Space``
    every node -> ``0``, ``1`` or ``"*"`` (free): a subspace written out in full, such
    as a minimal trap space or the smallest subspace containing an attractor.
``Intervention``
    a perturbation in canonical form: sorted ``(node, value)`` pairs.
``Bits``
    a set of node values as two integers ``(mask, values)``: node ``j`` is fixed when
    bit ``j`` of ``mask`` is set, to bit ``j`` of ``values`` (the compiled engines' form).

Examples
--------
>>> from signet.types import Assignment, Space
>>> start: Assignment = {"RT": 0}
>>> space: Space = {"RT": 0, "ATM": "*"}
"""

from __future__ import annotations

from typing import Mapping, Union

__all__ = ["Assignment", "State", "Space", "SpaceValue", "Intervention", "Bits"]

#: some nodes -> 0 | 1 (a partial state, a perturbation, or the subspace it stands for)
Assignment = Mapping[str, int]
#: every node -> 0 | 1
State = dict[str, int]
#: the value of a node in a space: 0, 1 or "*"
SpaceValue = Union[int, str]
#: every node -> 0, 1 or "*"
Space = Mapping[str, SpaceValue]
#: sorted (node, value) pairs
Intervention = tuple[tuple[str, int], ...]
#: (mask, values) over node indices
Bits = tuple[int, int]
