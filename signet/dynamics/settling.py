"""Recognise simulated trajectories that have entered an attractor, so that they can stop.

A trajectory of the asynchronous chain that is in an attractor (a terminal strong
component of the state transition graph) never leaves it: in a phase run until
settled, its fate is decided.  An :class:`AttractorCatalogue` of one phase learns the
attractors the simulation meets:

1. from a state ``s`` it takes the smallest trap space containing ``s``
   (:meth:`~signet.dynamics.compiled.CompiledNetwork.trap_closure`): everything
   reachable from ``s`` lies in it;
2. when that space has at most ``settle_max_free`` free nodes, it enumerates the states
   reachable from ``s`` (:func:`signet.dynamics.markov.explore`, at most
   ``settle_max_states``): the terminal strong components are attractors of the phase's
   network, kept with their states (packed as the simulation packs them) and their
   stationary distributions.

A trajectory is *settled* when its state is one of those states.  Nothing is guessed:
a state counts as in an attractor only when it was enumerated as a member of a
terminal component; a state the catalogue cannot place leaves its trajectory running,
as before.  The limits are fields of :class:`~signet.dynamics.config.EngineConfig`.

Examples
--------
>>> import numpy as np
>>> from signet.model import BooleanNetwork
>>> net = BooleanNetwork({"A": "!B", "B": "A", "C": "C | A"})
>>> catalogue = AttractorCatalogue(net, net, {})
>>> state = np.array([[False], [False], [True]])             # A=0 B=0 C=1, in the cycle
>>> catalogue.learn(np.packbits(state, axis=0), state)
>>> len(catalogue.attractors), len(catalogue.attractors[0].packed)
(1, 4)
>>> catalogue.lookup(np.packbits(state, axis=0)).tolist()
[0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .config import DEFAULT_CONFIG, EngineConfig

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork
    from .markov import Rates

__all__ = ["AttractorCatalogue", "KnownAttractor"]


@dataclass(frozen=True)
class KnownAttractor:
    """An attractor met by the simulation.

    Attributes
    ----------
    packed
        Its states, one per row, packed as the simulation packs a state
        (``numpy.packbits`` over the nodes in network order).
    distribution
        The chain's stationary distribution on those states (rates of the phase), or a
        function that computes it (solved only when a trajectory is handed on from the
        attractor to a next phase), or ``None`` in the last phase's catalogue (never needed).
    """

    packed: Any
    distribution: Any

    @property
    def stationary(self) -> Any:
        """The stationary distribution (computed once, on first use)."""
        if callable(self.distribution):
            object.__setattr__(self, "distribution", self.distribution())
        return self.distribution


class AttractorCatalogue:
    """The attractors of one phase's network met so far (see the module docstring).

    Parameters
    ----------
    network
        The model whose :func:`~signet.dynamics.compiled.compiled` network gives the trap
        spaces (the phase's network is it with some nodes fixed).
    phase_network
        The phase's network (``network`` with the ``constants`` fixed).
    constants
        Indices (in network order) of the nodes the phase fixes, with their values.
    rates
        Flip rates (for the stationary distributions).
    config
        Its limits (``settle_*`` fields) and the simulation's look-up interval.
    hands_on
        Whether trajectories go on from its attractors into a next phase (from their
        stationary distributions); the last phase's catalogue never solves one.
    """

    def __init__(self, network: "BooleanNetwork", phase_network: "BooleanNetwork", constants: Mapping[int, int],
                 rates: "Rates | None" = None, config: EngineConfig = DEFAULT_CONFIG, hands_on: bool = True) -> None:
        from .compiled import compiled

        self.config = config
        self.hands_on = hands_on
        self.compiled = compiled(network)
        self.phase_network = phase_network
        self.rates = rates
        self.rates_key = tuple(sorted(rates.values.items())) if rates is not None else ()
        self.nodes = list(network.nodes)
        self.pinned = sum(1 << j for j in constants) | self.compiled.constant_mask
        self.members: dict[bytes, int] = {}
        self.attractors: list[KnownAttractor] = []
        self.tried: set[bytes] = set()
        #: what this catalogue's explorations enumerated: (fixed mask, fixed values, free node
        #: indices, sorted codes over them) each; see learn
        self.explored: list[tuple[int, int, list[int], Any]] = []

    def lookup(self, packed: Any) -> Any:
        """The index of the known attractor holding each packed state (columns), ``-1`` for none."""
        import numpy as np

        count = packed.shape[1]
        if not self.members or not count:
            return np.full(count, -1, dtype=np.int64)
        keys = np.ascontiguousarray(packed.T).view(f"V{packed.shape[0]}").ravel().tolist()
        get = self.members.get
        return np.array([get(k, -1) for k in keys], dtype=np.int64)

    def learn_some(self, packed: Any, states: Any) -> None:
        """Try to place up to ``config.settle_tries_per_check`` states never tried before, the most
        frequent among the columns first."""
        import numpy as np

        keys = np.ascontiguousarray(packed.T).view(f"V{packed.shape[0]}").ravel()
        unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
        tries = 0
        for u in np.argsort(-counts, kind="stable"):
            key = unique[u].tobytes()
            if key in self.tried or key in self.members:
                continue
            self.learn(packed[:, first[u]:first[u] + 1], states[:, first[u]:first[u] + 1])
            tries += 1
            if tries >= self.config.settle_tries_per_check:
                break

    def learn(self, packed: Any, state: Any) -> None:
        """Enumerate what the one state ``state`` (a column; ``packed`` the same, packed) reaches,
        when its smallest trap space is small, and keep the attractors found.

        A state that an earlier exploration of this catalogue reached (:meth:`_covered`) is
        skipped: what it reaches, that one reached too, and its attractors are known already
        (the catalogue ends the same, without exploring again).
        """
        self.tried.add(packed.tobytes())
        column = state[:, 0]
        value = sum(1 << j for j in range(len(self.nodes)) if column[j])
        if self._covered(value):
            return
        full = self.compiled.all_mask
        fixed = self.compiled.trap_closure(full, value, pinned=self.pinned)
        if bin(full & ~fixed).count("1") > self.config.settle_max_free:
            return
        # inside the trap space the free nodes follow the model's rules whatever the phase
        # pins (pins stay fixed): what the state reaches is the same in every phase and row
        key = (id(self.compiled), self.rates_key, self.config.settle_max_states, self.hands_on, fixed, value & fixed,
               value)
        found = _REACHED.get(key)
        if found is None or found[0] is not self.compiled:
            if len(_REACHED) > self.config.settle_remembered:
                _REACHED.clear()
            found = (self.compiled, self._reached(column, fixed))
            if all(not callable(distribution) for _, distribution in found[1]):
                _REACHED[key] = found  # large attractors (solved lazily) are not remembered across rows
        for packed_states, stationary in found[1]:
            self._keep(packed_states, stationary)

    def _reached(self, column: Any, fixed: int) -> list[tuple[Any, Any]]:
        """The attractors reachable from the state ``column`` inside the trap space whose
        fixed nodes are ``fixed`` (a mask): packed states and stationary distribution each;
        none when more than ``config.settle_max_states`` states are reachable."""
        import numpy as np

        from ..errors import StateSpaceTooLarge
        from .markov import Distribution, explore

        # the trap space's fixed nodes (pins included) never change: the chain runs on the others
        settled = {n: int(column[j]) for j, n in enumerate(self.nodes) if (fixed >> j) & 1}
        start = {n: int(column[j]) for j, n in enumerate(self.nodes)}
        try:
            chain = explore(self.phase_network, Distribution.uniform(self.nodes, [(1.0, start)]), self.rates,
                            max_states=self.config.settle_max_states, settled=settled, config=self.config)
        except StateSpaceTooLarge:
            return []
        index = {n: j for j, n in enumerate(self.nodes)}
        self.explored.append((fixed, sum(v << index[n] for n, v in chain.fixed.items()),
                              [index[n] for n in chain.free], chain.codes))
        out = []
        for members in chain.classes()[1]:
            codes = chain.codes[members]
            rows = np.zeros((len(codes), len(self.nodes)), dtype=bool)
            free = {n: k for k, n in enumerate(chain.free)}
            for j, n in enumerate(self.nodes):
                rows[:, j] = (codes >> free[n]) & 1 if n in free else bool(chain.fixed[n])
            stationary = _stationary_of(chain, members, self.config.settle_eager_states) if self.hands_on else None
            out.append((np.packbits(rows, axis=1), stationary))
        return out

    def _covered(self, value: int) -> bool:
        """Whether the state ``value`` (bit ``j``: node ``j``) is one an exploration of this catalogue reached."""
        import numpy as np

        for mask, fixed_values, free, codes in self.explored:
            if value & mask != fixed_values:
                continue
            code = sum(((value >> j) & 1) << k for k, j in enumerate(free))
            at = int(np.searchsorted(codes, code))
            if at < len(codes) and codes[at] == code:
                return True
        return False

    def _keep(self, packed: Any, stationary: Any) -> None:
        if packed[0].tobytes() in self.members:
            return
        index = len(self.attractors)
        self.attractors.append(KnownAttractor(packed, stationary))
        for row in packed:
            self.members[row.tobytes()] = index


def _stationary_of(chain: Any, members: Any, eager: int) -> Any:
    """The stationary distribution of the chain on ``members``: at once for an attractor of at
    most ``eager`` states, else a function computing it when first asked (a large one's sparse
    solve costs seconds, and the last phase never asks)."""
    import numpy as np

    if len(members) == 1:
        return np.ones(1)
    if len(members) <= eager:
        return np.asarray(chain.stationary(members), dtype=float)
    return lambda: np.asarray(chain.stationary(members), dtype=float)


#: what states reach, by (compiled network, rates, state limit, trap space, state); see AttractorCatalogue.learn
_REACHED: dict[tuple[Any, ...], tuple[Any, list[tuple[Any, Any]]]] = {}
