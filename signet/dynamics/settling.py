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

__all__ = ["AttractorCatalogue", "KnownAttractor", "SharedAttractors"]


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
    shared
        Whether it uses and feeds the model's :class:`SharedAttractors` (only where the time a
        trajectory stops does not change what it draws: the compiled kernel's streams).
    """

    def __init__(self, network: "BooleanNetwork", phase_network: "BooleanNetwork", constants: Mapping[int, int],
                 rates: "Rates | None" = None, config: EngineConfig = DEFAULT_CONFIG, hands_on: bool = True,
                 shared: bool = True) -> None:
        from .compiled import compiled

        self.config = config
        self.hands_on = hands_on
        self.compiled = compiled(network)
        self.phase_network = phase_network
        self.rates = rates
        self.rates_key = rates.key() if rates is not None else ()
        self.nodes = list(network.nodes)
        self.pinned = sum(1 << j for j in constants) | self.compiled.constant_mask
        pinned_values = sum(int(v) << j for j, v in constants.items())
        pinned_values |= self.compiled.constant_values & ~sum(1 << j for j in constants)
        #: the nodes this phase holds fixed (pins and constant rules) and their values
        self.pins = (self.pinned, pinned_values)
        #: attractors found by the catalogues of every phase and row of the model (see SharedAttractors)
        self.shared = _shared(self.compiled, self.rates_key, hands_on) if shared else SharedAttractors(self.compiled)
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
        if not count or not (self.members or self.shared.members):
            return np.full(count, -1, dtype=np.int64)
        keys = np.ascontiguousarray(packed.T).view(f"V{packed.shape[0]}").ravel().tolist()
        get = self.members.get
        found = [get(k, -1) for k in keys]
        shared = self.shared.members
        for u, key in enumerate(keys):
            if found[u] < 0 and key in shared:
                found[u] = self._adopt(key)
        return np.array(found, dtype=np.int64)

    def _adopt(self, key: bytes) -> int:
        """The index of the attractor of this phase holding the state ``key`` among the shared
        ones (kept in this catalogue), ``-1`` when none is one of this phase's attractors."""
        for record in self.shared.members[key]:
            if self.shared.is_attractor_under(record, self.pins):
                packed, stationary = self.shared.records[record][:2]
                self._keep(packed, stationary, publish=False)
                return self.members[key]
        return -1

    def learn_some(self, packed: Any, states: Any) -> None:
        """Try to place up to ``config.settle_tries_per_check`` states never tried before, the most
        frequent among the columns first."""
        import numpy as np

        # the columns grouped by a 64-bit hash of their bytes (a hashed unique of integers, not a sort
        # of byte strings); a collision only merges two states' counts, it changes which are tried first
        columns = np.ascontiguousarray(packed.T)
        weights = column_hash_weights(columns.shape[1])
        hashes = columns.astype(np.uint64) @ weights
        _, first, counts = np.unique(hashes, return_index=True, return_counts=True)
        tries = 0
        for u in np.argsort(-counts, kind="stable"):
            column = first[u]
            key = columns[column].tobytes()
            if key in self.tried or key in self.members:
                continue
            self.learn(packed[:, column:column + 1], states[:, column:column + 1])
            tries += 1
            if tries >= self.config.settle_tries_per_check:
                break

    def learn(self, packed: Any, state: Any, thorough: bool = False) -> None:
        """Enumerate what the one state ``state`` (a column; ``packed`` the same, packed) reaches,
        when its smallest trap space is small (any size when ``thorough``: then the state is
        placed whenever it lies in an attractor of at most ``settle_max_states`` states, the
        only states it reaches), and keep the attractors found.

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
        if bin(full & ~fixed).count("1") > self.config.settle_max_free and not thorough:
            return
        # inside the trap space the free nodes follow the model's rules whatever the phase
        # pins (pins stay fixed): what the state reaches is the same in every phase and row
        key = (id(self.compiled), self.rates_key, self.config.settle_max_states, self.hands_on, fixed, value & fixed,
               value)
        found = _REACHED.get(key)
        if found is None or found[0] is not self.compiled:
            space = (id(self.compiled), self.config.settle_max_states, fixed, value & fixed)
            if not thorough and _TOO_LARGE.get(space) is self.compiled:
                return
            if len(_REACHED) > self.config.settle_remembered:
                _REACHED.clear()
                _TOO_LARGE.clear()
            reached = self._reached(column, fixed)
            if reached is None:
                _TOO_LARGE[space] = self.compiled
                return
            found = (self.compiled, reached)
            if all(not callable(distribution) for _, distribution in found[1]):
                _REACHED[key] = found  # large attractors (solved lazily) are not remembered across rows
        for packed_states, stationary in found[1]:
            self._keep(packed_states, stationary)

    def _reached(self, column: Any, fixed: int) -> list[tuple[Any, Any]] | None:
        """The attractors reachable from the state ``column`` inside the trap space whose
        fixed nodes are ``fixed`` (a mask): packed states and stationary distribution each;
        ``None`` when more than ``config.settle_max_states`` states are reachable."""
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
            return None
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

    def _keep(self, packed: Any, stationary: Any, publish: bool = True) -> None:
        if packed[0].tobytes() in self.members:
            return
        index = len(self.attractors)
        self.attractors.append(KnownAttractor(packed, stationary))
        for row in packed:
            self.members[row.tobytes()] = index
        if publish:
            self.shared.add(packed, stationary, self.pins)


class SharedAttractors:
    """Attractors found by the catalogues of one model (every phase and row, same rates), each
    usable by any phase of which it is an attractor.

    A record is a set ``A`` of states found as a terminal strong component of the chain with
    some nodes held fixed (``origin``: a phase's pins and constant rules).  Let ``Q`` be the
    nodes another phase holds fixed (with values).  Then ``A`` is an attractor of that
    phase's chain exactly when

    1. every node of ``Q`` is constant on ``A``, at its value in ``Q``, and
    2. every other node constant on ``A`` is *quiet* on ``A``: its rule agrees with its value
       in every state of ``A``.

    Proof.  Only flips of nodes outside ``Q`` are transitions of the phase.  A node that
    varies on ``A`` is outside ``Q`` (1) and outside ``origin`` (it varies); its flips are
    the same transitions in both chains (same rule, same rate), and those from states of
    ``A`` stay in ``A`` since ``A`` is closed in the origin's chain.  A node constant on
    ``A`` and outside ``Q`` is never enabled on ``A`` (2), and a node in ``Q`` is constant
    on ``A`` (1), so neither has a transition from ``A`` in the phase's chain.  So the
    transitions from ``A`` are the same in both chains: ``A`` is closed and strongly
    connected in the phase's chain, a terminal strong component, with the same stationary
    distribution.  Conversely, when (1) fails a trajectory of the phase is never in ``A``,
    and when (2) fails some state of ``A`` has a transition out of ``A`` (the quiet node
    flips), so ``A`` is not closed.  In particular, an attractor of the context's phase
    in which all of a row's pins hold is an attractor of the row's pinned phase (the
    pins are quiet-or-pinned there).
    """

    def __init__(self, compiled_network: Any) -> None:
        self.compiled = compiled_network
        #: (packed states, stationary distribution, origin pins, constant mask, constant values, quiet mask or None)
        self.records: list[list[Any]] = []
        self.members: dict[bytes, list[int]] = {}

    def add(self, packed: Any, stationary: Any, origin: tuple[int, int]) -> None:
        """Record the attractor with the states ``packed`` (rows) found under the pins ``origin``."""
        import numpy as np

        if len(self.members) + len(packed) > _SHARED_MAX_STATES:
            self.records, self.members = [], {}  # a memory bound: the store only saves work
        first = packed[0].tobytes()
        for record in self.members.get(first, ()):
            if self.records[record][2] == origin or np.array_equal(self.records[record][0], packed):
                return
        rows = np.unpackbits(packed, axis=1, count=self.compiled.size).astype(bool)
        ones, zeros = rows.all(axis=0), ~rows.any(axis=0)
        mask = sum(1 << j for j in np.flatnonzero(ones | zeros).tolist())
        values = sum(1 << j for j in np.flatnonzero(ones).tolist())
        index = len(self.records)
        self.records.append([packed, stationary, origin, mask, values, None])
        for row in packed:
            self.members.setdefault(row.tobytes(), []).append(index)

    def is_attractor_under(self, record: int, pins: tuple[int, int]) -> bool:
        """Whether record ``record`` is an attractor of the phase holding ``pins`` (mask, values) fixed."""
        packed, _stationary, origin, mask, values, quiet = self.records[record]
        if origin == pins:
            return True
        pin_mask, pin_values = pins
        if pin_mask & ~mask or (values ^ pin_values) & pin_mask:
            return False
        if quiet is None:
            quiet = self.records[record][5] = self._quiet(packed, mask)
        return mask & ~pin_mask & ~quiet == 0

    def _quiet(self, packed: Any, mask: int) -> int:
        """The nodes of ``mask`` whose rule agrees with their value in every state ``packed``."""
        import numpy as np

        from .kernel import disagreeing, flat_rules

        rows = np.unpackbits(packed, axis=1, count=self.compiled.size)
        candidates = np.array([j for j in range(self.compiled.size) if (mask >> j) & 1], dtype=np.int64)
        loud = disagreeing(rows, candidates, flat_rules(self.compiled))
        return sum(1 << int(j) for j, flag in zip(candidates, loud) if not flag)


#: most states the shared attractors of one model hold (about 170 MB of keys) before they are forgotten
_SHARED_MAX_STATES = 1 << 20
#: the shared attractors, by (compiled network, rates, whether stationary distributions are kept)
_SHARED: dict[tuple[int, tuple[Any, ...], bool], SharedAttractors] = {}


def _shared(compiled_network: Any, rates_key: tuple[Any, ...], hands_on: bool) -> SharedAttractors:
    key = (id(compiled_network), rates_key, hands_on)
    got = _SHARED.get(key)
    if got is None or got.compiled is not compiled_network:
        if len(_SHARED) > 64:
            _SHARED.clear()
        got = _SHARED[key] = SharedAttractors(compiled_network)
    return got


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


def column_hash_weights(size: int) -> Any:
    """Odd 64-bit multipliers, one per byte of a packed state (fixed: the same hashes in every process)."""
    import numpy as np

    got = _WEIGHTS.get(size)
    if got is None:
        got = _WEIGHTS[size] = np.random.default_rng(size).integers(0, 1 << 63, size, dtype=np.uint64) * 2 + 1
    return got


_WEIGHTS: dict[int, Any] = {}

#: what states reach, by (compiled network, rates, state limit, trap space, state); see AttractorCatalogue.learn
_REACHED: dict[tuple[Any, ...], tuple[Any, list[tuple[Any, Any]]]] = {}
#: trap spaces (compiled network, state limit, fixed mask, fixed values) from a state of which the
#: enumeration once passed the state limit: other states of the space are not explored (a speed
#: heuristic: an unplaced state only keeps its trajectory running, it changes no fate)
_TOO_LARGE: dict[tuple[Any, ...], Any] = {}
