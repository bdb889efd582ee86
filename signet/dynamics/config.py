"""Which exact engine answers a question: the cost rule and its thresholds, in one place.

Every engine of :mod:`signet.dynamics` is exact; they differ in cost.  The rule that
picks one is :func:`choose_engine`, and every number it (and the engines, the fate
probability engines included: exact chain, stochastic simulation and its attractor
catalogue) use is a field of :class:`EngineConfig` (biobalm keeps its thresholds the same way, in
``SuccessionDiagramConfiguration``).  Pass a configuration to override them, e.g. in
a test that must run the sparse-graph engine on a small network::

    attractors(network, "async", config=EngineConfig(async_bitset_nodes=0))

The cost rule, for ``engine="auto"`` (``n`` is the number of nodes left free after
percolation, see :mod:`signet.percolation`):

=========  ===========================================================================
update     engine
=========  ===========================================================================
``mp``     ``asp``: minimal trap spaces by clingo; with start states, the smallest trap
           space containing each start, its feed-forward tails and a small core solved
           by clingo (:class:`~signet.dynamics.compiled.CompiledNetwork`)
``sync``   ``explicit`` when ``n <= sync_explicit_nodes``: the successor function on all
           ``2**n`` states (numpy); ``asp`` above: the successor function unrolled in
           clingo (:mod:`~signet.dynamics.sync_sat`), and ``explicit`` after all when that
           meets more than ``sync_max_attractors`` attractors on at most ``max_states`` states
``async``  ``explicit`` (terminal components of the transition graph: on integer bit
           sets up to ``async_bitset_nodes`` nodes, on a sparse graph above) when its
           estimated cost is below that of the decomposition
           (:func:`signet.dynamics.cost.prefer_explicit`: always up to
           ``explicit_min_nodes`` (8) free nodes, never above ``async_bitset_nodes``, in
           between by ``n`` and the size of the rules), or up to
           ``async_explicit_nodes`` nodes when that is set; above, ``succession`` (the
           decomposition of :mod:`signet.dynamics.succession`), or ``aeon`` (symbolic,
           biodivine-aeon) with start states
sync,      ``n == 0``: ``percolation`` (the one state percolation fixes), whatever the
async      engine asked for
=========  ===========================================================================

Examples
--------
>>> choose_engine("async", 12), choose_engine("async", 17), choose_engine("mp", 40), choose_engine("sync", 40)
('explicit', 'succession', 'asp', 'asp')
>>> choose_engine("async", 40, starts=True), choose_engine("async", 12, EngineConfig(async_explicit_nodes=8))
('aeon', 'succession')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ModelError

__all__ = ["UPDATES", "ENGINES", "EngineConfig", "DEFAULT_CONFIG", "choose_engine", "check_engine"]

#: The update schemes.
UPDATES = ("sync", "async", "mp")
#: Engine names accepted by :func:`signet.dynamics.attractors` (``"auto"`` applies the cost rule).
ENGINES = ("auto", "explicit", "aeon", "asp", "succession")
#: The update schemes each engine answers.
_ANSWERS = {"explicit": ("sync", "async"), "aeon": ("async",), "asp": ("mp", "sync"), "succession": ("async",)}


@dataclass(frozen=True)
class EngineConfig:
    """The thresholds of the cost rule (see the module docstring).

    Attributes
    ----------
    async_explicit_nodes
        ``None`` (default): asynchronous attractors are found explicitly when the cost
        estimate says so (:func:`signet.dynamics.cost.prefer_explicit`); a number: up to
        this many free nodes, by decomposition (or biodivine-aeon, with start states) above.
    async_bitset_nodes
        The explicit asynchronous engine holds sets of states as integer bit sets up to
        this many nodes and builds a sparse transition graph above (bit sets of
        ``2**n`` bits cost less than a graph on small networks).
    trap_explicit_nodes
        The aeon engine looks for attractors inside each minimal trap space; one whose
        free part has at most this many nodes is searched explicitly.
    fvs_fixed_point_nodes
        Fixed points are found bit-parallel over all values of a feedback vertex set of
        at most this many nodes, with clingo above.
    max_states
        The largest state space the explicit engine builds (default ``2**22``).
    max_member_states
        The most states of one attractor listed one by one (to start from them).
    generated_primes
        A compiled network checks a node with at most this many prime implicants by
        generated straight-line code, and by a loop above.
    sync_explicit_nodes
        Synchronous attractors are found explicitly up to this many free nodes, with the
        clingo engine (:mod:`~signet.dynamics.sync_sat`) above.
    sync_walked_states
        The synchronous clingo engine follows the successor function from every state of a
        free part (or a start set) of at most this many states instead of searching paths.
    sync_max_horizon
        Longest path (synchronous steps) its completeness proof may use; beyond it the
        result is ``exact=False`` with the guarantee below.
    sync_cycle_bound
        When the proof is out of reach, cycles of up to this many states are still all found.
    sync_max_attractors
        It refuses (:class:`~signet.errors.StateSpaceTooLarge`) to list more attractors.
    sync_split_inputs
        It solves each valuation of the free inputs apart.
    exact_max_states
        Fate probabilities (:mod:`~signet.dynamics.markov`): the most reachable states of
        the exact chain (about 1 GB of sparse matrix at the default ``2**22``).
    exact_direct_component_states
        Transient strong components up to this many states are solved directly (sparse
        LU), larger ones iteratively (BiCGSTAB, relative residual 1e-12): LU fill inside a
        component of ~900 states made the direct solve 12x slower than BiCGSTAB
        (pyboolnet/dahlhaus_neuroplastoma).
    exact_auto_iterative_states
        ``method="auto"`` solves transient components up to this many states iteratively
        and simulates above (a component of 440 000 states took 34 s on one core).
    exact_auto_max_states
        ``method="auto"`` simulates when more states than this are reachable (``2**18``:
        the radioresistance model's chain from its untreated cells has more than ``2**22``,
        and enumerating those before giving up took 57 s; ``2**18`` take about 3 s).
    exact_bitmap_nodes
        Up to this many unsettled nodes, the exact engine's reachability keeps a visited
        bitmap of all ``2**n`` states (a sorted array above).
    simulation_chunk
        Trajectories per chunk of the stochastic simulation (:mod:`~signet.dynamics.simulate`):
        the unit of seeding and of parallel work (a result depends on ``seed``, ``runs``
        and this, not on the number of workers).
    simulation_check_steps
        Gillespie steps between two looks for trajectories that have entered a known
        attractor (they stop there).  64 since the compiled kernel: on 8 targets of the
        radioresistance model's wildtype screen, 16 started 507 enumerations of reached
        states (8.8 CPU s), 64 started 193 (5.5 s), 256 left trajectories in large cycles
        running (57 s).
    simulation_max_fate_checks
        Final states checked one by one when an attractor is too large to list its states.
    simulation_compiled
        Simulate fates with the compiled kernel (:mod:`~signet.dynamics.kernel`: one
        trajectory at a time, one random stream per trajectory; numba), else with numpy
        arrays of trajectories (one generator per chunk).  Time courses always use numpy.
    settle_max_free
        Most free nodes of a state's smallest trap space for the simulation's attractor
        catalogue (:mod:`~signet.dynamics.settling`) to enumerate what it reaches.
    settle_max_states
        Most states the catalogue enumerates from one state (``2**16``: a 121-node model's
        row whose cells end in a cyclic attractor of thousands of states took 140 s CPU with
        ``2**12``, where its trajectories ran to ``max_time`` and their end states were placed
        symbolically, and 9 s with ``2**16``).
    settle_eager_states
        Attractors up to this many states get their stationary distribution at once and
        are remembered across rows; larger ones are solved when a next phase first needs
        one (the last phase never does) and are not remembered.
    settle_tries_per_check
        New states the catalogue tries to place per look (the most frequent first).
    settle_remembered
        Most enumerations the catalogue remembers across rows and phases (a cache bound).

    The decomposition (:mod:`~signet.dynamics.succession`, :mod:`~signet.dynamics.streaming`):

    explicit_max_nodes
        Never analyse more free nodes than this explicitly (memory of ``2**n``-bit sets).
    explicit_min_nodes
        Always analyse at most this many free nodes explicitly (cheaper than any solver call).
    candidate_limit
        Most attractor candidates enumerated in one trap space before the symbolic
        fallback (biodivine-aeon on the whole subspace) is used instead.
    walk_steps_per_node
        Length of the random walks that prune candidates, per free node.
    guided_walks
        For a candidate that the uniform walk did not take out of its subspace: the
        greediness of further walks (each step, with this probability, one of the moves
        that brings the nearest trap space to avoid closer), tried in turn.  A walk proves
        only what it reaches, so guidance changes the cost, never the answer.
    guided_walk_length
        Length of a guided walk, in uniform walk lengths.
    count_max_terms
        Most terms of the inclusion-exclusion that counts the attractors of overlapping trap
        spaces without listing them; beyond it (many overlapping trap spaces, whose terms grow
        exponentially) the attractors are listed, each once, and counted.
    memo_pieces
        Most attractors kept in the cache of sub-network answers (beyond it, sub-networks
        are solved again when met again: memory stays bounded by the answer).
    first_fixed_point_seconds
        Time given to the answer-set solver, when attractors are streamed, to find one fixed
        point of the whole network before the decomposition starts: it is listed first (a
        fixed point is an attractor), so the first answer of a large model comes at once.
        ``0`` turns this off.
    first_fixed_point_size
        Largest network (rule sizes summed: regulators, or BDD nodes of a rule over many
        regulators) for which that fixed point is looked for: the program is written in
        Python before the solver's time starts (about 40 microseconds per BDD node; bbm/248,
        11,187, would spend 1.2 s where its first attractor otherwise takes 0.4 s).
    first_trap_space_nodes
        When no fixed point is found that way, the solver is given the same time to find a
        minimal trap space with at most this many free nodes: its attractors (at least one,
        found explicitly) are listed first.  A model without fixed points may have its
        first attractor in a minimal trap space of astronomically many states, whose exact
        size takes symbolic reachability long (bbm/204: 20 s) while a small one waits
        behind it.  ``0`` turns this off.
    mp_split_inputs
        Minimal trap spaces of a percolated network that splits (free inputs or independent
        parts) are found by the decomposition only when more inputs than this stay free,
        and by one answer-set program otherwise.  Measured on the corpus
        (``benchmarks/results/attractors-2026-11-29-s7-mts-route.txt``): up to 10 free inputs
        the one program was 1.6x faster (geometric mean, 170 models up to 100 nodes; up to
        10x on bbm/103), and never more than 1.1x slower over 100 nodes; from 12 inputs the
        decomposition was faster (bbm/039, bbm/009) or the only one to finish within 3 s
        (bbm/016, bbm/173: 14 inputs).
    rewrite_max_size
        Largest rules (expression-tree nodes, summed over the network) that
        :func:`~signet.dynamics.fixed_points` and :func:`~signet.dynamics.minimal_trap_spaces`
        rewrite with the percolated constants; larger ones are read as truth tables and
        BDDs by the decomposition instead (:func:`~signet.dynamics.cost.large_rules`).
    """

    async_explicit_nodes: int | None = None
    async_bitset_nodes: int = 16
    trap_explicit_nodes: int = 16
    fvs_fixed_point_nodes: int = 18
    max_states: int = 1 << 22
    max_member_states: int = 1 << 16
    generated_primes: int = 64
    sync_explicit_nodes: int = 16
    sync_walked_states: int = 1 << 10
    sync_max_horizon: int = 512
    sync_cycle_bound: int = 32
    sync_max_attractors: int = 10_000
    sync_split_inputs: bool = True
    exact_max_states: int = 1 << 22
    exact_direct_component_states: int = 200
    exact_auto_iterative_states: int = 50_000
    exact_auto_max_states: int = 1 << 18
    exact_bitmap_nodes: int = 26
    simulation_chunk: int = 4096
    simulation_check_steps: int = 64
    simulation_max_fate_checks: int = 2000
    simulation_compiled: bool = True
    settle_max_free: int = 24
    settle_max_states: int = 1 << 16
    settle_eager_states: int = 4096
    settle_tries_per_check: int = 3
    settle_remembered: int = 50_000
    explicit_max_nodes: int = 20
    explicit_min_nodes: int = 8
    candidate_limit: int = 5_000
    walk_steps_per_node: int = 20
    guided_walks: tuple[float, ...] = (0.5, 0.9)
    guided_walk_length: int = 5
    count_max_terms: int = 4096
    memo_pieces: int = 1_000_000
    first_fixed_point_seconds: float = 0.5
    first_fixed_point_size: int = 10_000
    first_trap_space_nodes: int = 12
    mp_split_inputs: int = 10
    rewrite_max_size: int = 20_000


#: The configuration used when none is given.
DEFAULT_CONFIG = EngineConfig()


def choose_engine(
    update: str, free_nodes: int, config: EngineConfig = DEFAULT_CONFIG, *, literals: int = 0, starts: bool = False
) -> str:
    """The engine the cost rule picks for ``update`` with ``free_nodes`` nodes left free,
    whose rules have ``literals`` literals in all, with or without start states."""
    if update == "mp":
        return "asp"
    if free_nodes == 0:
        return "percolation"
    if update == "sync" and free_nodes > config.sync_explicit_nodes:
        return "asp"
    if update == "async":
        if config.async_explicit_nodes is None:
            from .cost import prefer_explicit

            # above async_bitset_nodes the explicit engine builds a sparse graph: on 17-18 free
            # nodes of 20 corpus models it took 0.35-1.4 s where the decomposition took 0.01-0.3 s
            explicit = free_nodes <= config.async_bitset_nodes and prefer_explicit(free_nodes, literals, config)
        else:
            explicit = free_nodes <= config.async_explicit_nodes
        if not explicit:
            return "aeon" if starts else "succession"
    return "explicit"


def check_engine(engine: str, update: str) -> None:
    """Raise :class:`~signet.errors.ModelError` unless ``engine`` answers ``update`` questions.

    Examples
    --------
    >>> check_engine("aeon", "sync")
    Traceback (most recent call last):
    ...
    signet.errors.ModelError: the aeon engine computes asynchronous attractors only (choose async, or engine explicit)
    """
    if update not in UPDATES:
        raise ModelError(f"unknown update scheme {update!r}: choose one of {', '.join(UPDATES)}")
    if engine not in ENGINES:
        raise ModelError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "auto" or update in _ANSWERS[engine]:
        return
    if engine == "asp":
        raise ModelError("the asp engine answers most-permissive and synchronous questions (use --update mp or sync)")
    if engine in ("aeon", "succession"):
        raise ModelError(f"the {engine} engine computes asynchronous attractors only "
                         "(choose async, or engine explicit)")
    raise ModelError(f"engine {engine!r} does not compute most-permissive attractors (use asp)")
