"""Flip rates as arrays, for the simulations (numpy and the compiled kernel).

A node's rate of flipping is ``up[j]`` (when it is 0) or ``down[j]`` (when it is 1), unless
it depends on the state (:class:`~signet.rates.StateRate`): then the cases of *slot*
``2 j + value`` (its current value) are tried in order, and the first whose condition holds
in the current state gives the rate.  A condition is its truth table over the nodes it
reads (at most :data:`~signet.rates.MAX_CONDITION_NODES`), indexed by those nodes' values
(node ``var_node[var_start[c] + i]`` is bit ``i``).

Examples
--------
>>> import numpy as np
>>> from signet.model import BooleanNetwork
>>> from signet.dynamics.markov import Rates
>>> from signet.rates import parse_rate
>>> net = BooleanNetwork({"A": "!A", "B": "B"})
>>> table = rate_table(net, Rates({"A": (parse_rate("B ? 2 : 0.5"), 1.0)}))
>>> table.up.tolist(), table.state_dependent
([0.5, 1.0], True)
>>> states = np.array([[0, 0], [0, 1]], dtype=bool)     # columns: A=0 B=0, A=0 B=1
>>> table.rates(states, np.array([0, 0]), np.array([0, 1])).tolist()
[0.5, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork
    from .markov import Rates

__all__ = ["RateTable", "rate_table"]


@dataclass(frozen=True)
class RateTable:
    """The flip rates of a network's nodes as flat arrays (see the module docstring).

    Attributes
    ----------
    up, down
        Each node's rate where no case applies (float, ``n``).
    case_start
        ``case_start[2 j + v]:case_start[2 j + v + 1]``: the cases of node ``j`` at value ``v`` (int64, ``2 n + 1``).
    case_value
        A case's rate (float).
    var_start, var_node
        ``var_node[var_start[c]:var_start[c + 1]]``: the nodes case ``c``'s condition reads (int64).
    table_start, table
        ``table[table_start[c]:]``: case ``c``'s truth table (uint8; ``2 ** k`` entries over its ``k`` nodes).
    """

    up: Any
    down: Any
    case_start: Any
    case_value: Any
    var_start: Any
    var_node: Any
    table_start: Any
    table: Any

    @property
    def state_dependent(self) -> bool:
        """Whether some rate depends on the state."""
        return bool(len(self.case_value))

    def rates(self, states: Any, nodes: Any, columns: Any) -> Any:
        """The rates of flipping ``nodes[i]`` in the state ``states[:, columns[i]]`` (bool, nodes x states)."""
        import numpy as np

        values = states[nodes, columns]
        rate = np.where(values, self.down[nodes], self.up[nodes])
        if not self.state_dependent:
            return rate
        slots = 2 * np.asarray(nodes, dtype=np.int64) + values
        has = self.case_start[slots + 1] > self.case_start[slots]
        for i in np.flatnonzero(has):
            rate[i] = self.rate_at(int(slots[i]), states[:, columns[i]])
        return rate

    def rate_at(self, slot: int, state: Any) -> float:
        """The rate of slot ``slot`` (``2 j + value``) in the state ``state`` (node values)."""
        for c in range(int(self.case_start[slot]), int(self.case_start[slot + 1])):
            index = 0
            for i, node in enumerate(self.var_node[self.var_start[c]:self.var_start[c + 1]]):
                index |= int(bool(state[node])) << i
            if self.table[self.table_start[c] + index]:
                return float(self.case_value[c])
        return float(self.down[slot // 2] if slot % 2 else self.up[slot // 2])


def rate_table(network: "BooleanNetwork", rates: "Rates") -> RateTable:
    """The :class:`RateTable` of ``rates`` (resolved against ``network``) over ``network``'s nodes."""
    import numpy as np

    from ..expr import truth_table, variables
    from ..rates import StateRate

    nodes = list(network.nodes)
    index = {n: j for j, n in enumerate(nodes)}
    up = np.ones(len(nodes))
    down = np.ones(len(nodes))
    case_start: list[int] = [0]
    case_value: list[float] = []
    var_start: list[int] = [0]
    var_node: list[int] = []
    table_start: list[int] = [0]
    table: list[int] = []
    for j, n in enumerate(nodes):
        for value, defaults in ((0, up), (1, down)):
            rate = rates.rate(n, 1 - value)
            if isinstance(rate, StateRate):
                defaults[j] = rate.default
                for condition, case_rate in rate.cases:
                    names = sorted(variables(condition), key=index.__getitem__)
                    var_node.extend(index[v] for v in names)
                    var_start.append(len(var_node))
                    table.extend(truth_table(condition, names).astype(np.uint8).tolist())
                    table_start.append(len(table))
                    case_value.append(case_rate)
            else:
                defaults[j] = float(rate)
            case_start.append(len(case_value))
    return RateTable(up, down, np.array(case_start, dtype=np.int64), np.array(case_value, dtype=float),
                     np.array(var_start, dtype=np.int64), np.array(var_node, dtype=np.int64),
                     np.array(table_start, dtype=np.int64), np.array(table, dtype=np.uint8))
