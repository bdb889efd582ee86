"""The one import point of the scale engines (succession, candidates, streaming) into the
older engine modules: a rename there costs one line here.

Nothing is defined here; everything is re-exported from where it lives.
"""

from __future__ import annotations

from ..circuits import rule_circuit
from ..primes import (
    TABLE_VARIABLES,
    cached_rule_table,
    evaluate_bits,
    ordered_variables,
    primes_of_table,
    variable_tables,
)
from .explicit import _async_terminal_bits
from .symbolic import aeon_network
from .trapspaces import (_circuit_atoms, _count_answers, _enumerate, _first_answer, _fixed_point_program,
                         _small_trap_program, _symbol, _trap_program)

__all__ = [
    "TABLE_VARIABLES",
    "_async_terminal_bits",
    "_circuit_atoms",
    "_count_answers",
    "_enumerate",
    "_first_answer",
    "_fixed_point_program",
    "_small_trap_program",
    "_symbol",
    "_trap_program",
    "aeon_network",
    "cached_rule_table",
    "evaluate_bits",
    "ordered_variables",
    "primes_of_table",
    "rule_circuit",
    "variable_tables",
]
