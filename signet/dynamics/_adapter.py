"""The one import point of the scale engines (succession, candidates, streaming) into the
older engine modules: a rename there costs one line here.

Nothing is defined here; everything is re-exported from where it lives.
"""

from __future__ import annotations

from ._reduce import percolate, reduce_network
from .circuits import rule_circuit
from .explicit import _async_terminal_bits, async_attractors_bits, space_of_states
from .primes import TABLE_VARIABLES, _patterns, cached_rule_table, evaluate_bits, ordered_variables, primes_of_table
from .symbolic import aeon_network
from .trapspaces import (
    _circuit_atoms,
    _enumerate,
    _fixed_point_program,
    _indexed_primes,
    _symbol,
    _trap_program,
    feedback_vertex_set,
    fixed_points,
    minimal_trap_spaces,
)

__all__ = [
    "TABLE_VARIABLES",
    "_circuit_atoms",
    "_async_terminal_bits",
    "_enumerate",
    "_fixed_point_program",
    "_indexed_primes",
    "_symbol",
    "_patterns",
    "_trap_program",
    "aeon_network",
    "async_attractors_bits",
    "cached_rule_table",
    "evaluate_bits",
    "feedback_vertex_set",
    "fixed_points",
    "minimal_trap_spaces",
    "ordered_variables",
    "percolate",
    "primes_of_table",
    "reduce_network",
    "rule_circuit",
    "space_of_states",
]
