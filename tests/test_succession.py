"""The decomposition engine (succession, candidates, sub-networks, streaming) against brute force.

Every network here is analysed with the decomposition forced (``explicit_max_nodes=0``,
so no part is handed to the explicit engine), and with the candidate search cut off
(``candidate_limit=0``, so the symbolic fallback answers), and compared with the
plain-loop oracle of ``test_dynamics``.
"""

from __future__ import annotations

import itertools

import networkx as nx
from hypothesis import given, settings, strategies as st

from signet.dynamics import (attractor_groups, attractors, count_attractors, count_fixed_points, fixed_points,
                             free_inputs, iter_attractors)
from signet.dynamics.candidates import bdd_order, negative_feedback_vertex_set, symbolic
from signet.dynamics.config import EngineConfig
from signet.dynamics.subnetworks import RootNetwork, _restrict_circuit, cofactor
from signet.dynamics.succession import Solver, _only_fixed_points
from signet.io.bnet import parse_bnet
from signet.model import BooleanNetwork

from test_dynamics import SETTINGS, Oracle, oracles, summary

FORCED = EngineConfig(explicit_max_nodes=0, explicit_min_nodes=0)
SYMBOLIC = EngineConfig(explicit_max_nodes=0, explicit_min_nodes=0, candidate_limit=0)
# walks of one move per node, then walks that always take a move towards the nearest trap space to avoid; and
# counts by listing (no inclusion-exclusion term allowed)
GUIDED = EngineConfig(explicit_max_nodes=0, explicit_min_nodes=0, walk_steps_per_node=1, guided_walks=(1.0,),
                      guided_walk_length=20, count_max_terms=0)

# three small networks with a motif-avoidant attractor (an attractor in no minimal trap space),
# found by searching random networks with the oracle
MOTIF_AVOIDANT = [
    "x0, (!x0 & !x1 & !x2) | (x0 & !x1 & x2) | (!x0 & x1 & x2)\n"
    "x1, (!x0 & x1 & !x2) | (!x0 & !x1 & x2) | (x0 & x1 & x2)\n"
    "x2, (x0 & !x1 & !x2) | (!x0 & !x1 & x2) | (!x0 & x1 & x2) | (x0 & x1 & x2)\n",
    "x0, (x0 & x1 & !x2) | (!x0 & !x1 & x2) | (x0 & !x1 & x2) | (!x0 & x1 & x2) | (x0 & x1 & x2)\n"
    "x1, (!x0 & !x1 & !x2) | (!x0 & x1 & !x2) | (x0 & x1 & !x2) | (x0 & !x1 & x2) | (!x0 & x1 & x2)\n"
    "x2, (!x0 & !x1 & !x2) | (x0 & !x1 & !x2) | (!x0 & x1 & !x2) | (!x0 & !x1 & x2) | (!x0 & x1 & x2)"
    " | (x0 & x1 & x2)\n",
    "x0, (!x0 & !x1 & !x2) | (x0 & x1 & !x2) | (x0 & x1 & x2)\n"
    "x1, (x0 & x1 & !x2) | (!x0 & !x1 & x2) | (x0 & !x1 & x2)\n"
    "x2, (!x0 & !x2) | (x0 & x2)\n",
]


def _pieces_summary(pieces, names):
    return sorted(((tuple((n, p.space[n]) for n in names), p.size) for p in pieces), key=repr)


def _check_async(net: BooleanNetwork, names, expected) -> None:
    for config in (FORCED, SYMBOLIC, GUIDED):
        assert _pieces_summary(Solver("async", config).pieces(net), names) == expected
        assert Solver("async", config).count(net) == len(expected)


@SETTINGS
@given(oracles(max_nodes=7))
def test_async_decomposition_equals_enumeration(oracle):
    net = parse_bnet(oracle.bnet())
    _check_async(net, oracle.names, summary(oracle.async_attractors(), oracle.names))


def _oracle_from_bnet(text: str) -> Oracle:
    """An oracle (truth tables by evaluation) for a bnet text over x0..x{n-1} using ! & | only."""
    lines = [line for line in text.splitlines() if line]
    n = len(lines)
    tables = []
    for line in lines:
        rule = line.split(",", 1)[1].replace("!", " not ").replace("&", " and ").replace("|", " or ")
        table = []
        for row in range(1 << n):  # the oracle's row: bit j is x_j
            values = {f"x{j}": bool((row >> j) & 1) for j in range(n)}
            table.append(int(eval(rule, {}, values)))  # noqa: S307 - test data written above
        tables.append(table)
    return Oracle(n, [list(range(n))] * n, tables)


def test_motif_avoidant_attractors_are_found():
    for text in MOTIF_AVOIDANT:
        oracle = _oracle_from_bnet(text)
        expected_sets = oracle.async_attractors()
        minimal = oracle.minimal_trap_spaces()
        inside = [a for a in expected_sets
                  if any(all(all(v == "*" or v == s[i] for i, v in enumerate(sp)) for s in a) for sp in minimal)]
        assert len(inside) < len(expected_sets)  # the fixture does have a motif-avoidant attractor
        net = parse_bnet(text)
        _check_async(net, oracle.names, summary(expected_sets, oracle.names))


@SETTINGS
@given(st.sampled_from(MOTIF_AVOIDANT), st.integers(0, 3), st.data())
def test_motif_avoidant_part_under_inputs(text, inputs, data):
    # the motif-avoidant network switched on by inputs, beside an independent bistable switch
    gate = " & ".join(f"I{k}" for k in range(inputs)) or "1"
    lines = [f"I{k}, I{k}" for k in range(inputs)]
    for line in text.splitlines():
        target, rule = line.split(",", 1)
        lines.append(f"{target}, ({rule}) & ({gate}) | {target} & !({gate})")
    lines += ["S, S | T", "T, S & T"]
    net = parse_bnet("\n".join(lines) + "\n")
    expected = sorted(((tuple((n, a.space[n]) for n in net.nodes), a.states)
                       for a in attractors(net, "async", engine="explicit").attractors), key=repr)
    _check_async(net, net.nodes, expected)


@SETTINGS
@given(oracles(max_nodes=6))
def test_trap_spaces_and_fixed_points_by_decomposition(oracle):
    net = parse_bnet(oracle.bnet())
    minimal = sorted(oracle.minimal_trap_spaces(), key=repr)
    got = sorted((tuple(p.space[n] for n in oracle.names) for p in Solver("mp").pieces(net)), key=repr)
    assert got == minimal
    assert Solver("mp").count(net) == len(minimal)
    fixed = oracle.fixed_points()
    got = [tuple(p.space[n] for n in oracle.names) for p in Solver("fixed").pieces(net)]
    assert sorted(got) == sorted(fixed) and Solver("fixed").count(net) == len(fixed)


@SETTINGS
@given(oracles(max_nodes=7), st.sampled_from(["async", "mp", "sync"]))
def test_streaming_and_counting_agree_with_the_listing(oracle, update):
    net = parse_bnet(oracle.bnet())
    listing = attractors(net, update).attractors
    streamed = list(iter_attractors(net, update))
    assert sorted(streamed, key=repr) == sorted(listing, key=repr)
    assert count_attractors(net, update) == len(listing)
    grouped = [a for _inputs, group in attractor_groups(net, update) for a in group]
    assert sorted(grouped, key=repr) == sorted(listing, key=repr)


@SETTINGS
@given(oracles(max_nodes=7),
       st.sampled_from([FORCED, SYMBOLIC, EngineConfig(), EngineConfig(first_fixed_point_seconds=0)]))
def test_early_fixed_point_comes_first_and_groups_stay_whole(oracle, config):
    # the stream starts with a fixed point from the solver (when there is one), never lists it
    # twice, and still brings each input valuation's attractors in one run
    net = parse_bnet(oracle.bnet())
    streamed = list(iter_attractors(net, "async", config=config))
    listing = attractors(net, "async", engine="explicit").attractors
    assert sorted(streamed, key=repr) == sorted(listing, key=repr)
    if config.first_fixed_point_seconds and any(a.kind == "fixed" for a in listing):
        assert streamed[0].kind == "fixed"
    inputs = free_inputs(net)
    runs = [key for key, _ in itertools.groupby(tuple(a.space[n] for n in inputs) for a in streamed)]
    assert len(runs) == len(set(runs))


def test_early_fixed_point_reorders_the_input_groups():
    # I=0: A and B oscillate; I=1: one fixed point.  The decomposition branches I=0 first; the
    # solver's fixed point (I=1) comes first and takes its group along
    net = BooleanNetwork({"I": "I", "A": "!I & !B", "B": "A", "C": "C | A"})
    late = list(iter_attractors(net, "async", config=EngineConfig(first_fixed_point_seconds=0)))
    early = list(iter_attractors(net, "async"))
    assert [a.kind for a in late][0] == "cyclic" and late[-1].kind == "fixed"
    assert early[0].kind == "fixed" and early[0].space["I"] == 1
    assert sorted(early, key=repr) == sorted(late, key=repr)
    assert [key["I"] for key, _group in attractor_groups(net, "async")] == [1, 0]


@SETTINGS
@given(oracles(max_nodes=8, min_nodes=3), st.sampled_from([1, 2]), st.booleans())
def test_small_trap_space_comes_first_and_nothing_twice(oracle, most, forced):
    # the stream starts with the attractors of a minimal trap space of at most `most` free nodes
    # (when the percolated network is larger and has one): a fixed point (no free node) where there
    # is one, else the attractors of a small cyclic trap space; it lists every attractor once, and
    # still brings each input valuation's attractors in one run.  (Session 23: networks with a fixed
    # point were filtered out with assume(), and most random networks have one: Hypothesis's
    # filter_too_much health check failed CI intermittently.  The fixed-point case is the same
    # property, the trap space with no free node.)
    from signet.dynamics import minimal_trap_spaces

    net = parse_bnet(oracle.bnet())
    listing = attractors(net, "async", engine="explicit").attractors
    config = EngineConfig(first_trap_space_nodes=most, **({"explicit_max_nodes": 0, "explicit_min_nodes": 0}
                                                           if forced else {}))
    streamed = list(iter_attractors(net, "async", config=config))
    assert sorted(streamed, key=repr) == sorted(listing, key=repr)
    small = [s for s in minimal_trap_spaces(net) if list(s.values()).count("*") <= most]
    if small and Solver("async")._compile(net)[1].n > most:
        assert any(all(v == "*" or streamed[0].space[n] == v for n, v in s.items()) for s in small)
    inputs = free_inputs(net)
    runs = [key for key, _ in itertools.groupby(tuple(a.space[n] for n in inputs) for a in streamed)]
    assert len(runs) == len(set(runs))


def test_pivots_take_a_candidate_reached_from_all_others_only_if_it_is_in_the_attractor():
    # P=1, Q=P: (0,0) -> (1,0) -> (1,1), the only attractor; (0,1) -> (0,0).  The candidates
    # (0,0) and (0,1) are transient and (0,1) reaches (0,0), but (1,1) does not: (0,0) is no
    # seed.  Candidates that all reach the first one make it the seed of the only attractor
    from signet.dynamics.candidates import _pivots

    root = RootNetwork(BooleanNetwork({"P": "1", "Q": "P"}))
    net = root.subnetwork(root.all_mask, 0, 0)

    def code(p, q):
        return net.encode({"P": p, "Q": q})[1]

    graph = symbolic(net)
    assert _pivots(graph, [code(0, 0), code(0, 1), code(1, 1)]) == [("seed", code(1, 1))]
    assert _pivots(graph, [code(1, 1), code(0, 0), code(0, 1)]) == [("seed", code(1, 1))]


def test_an_inadmissible_sub_network_does_not_hide_an_admissible_one_with_the_same_key():
    # with every node fixed, two sub-networks share their key (no free node reads a fixed one);
    # X at the bit pattern (b1, b2) = (0, 1) is no level, (1, 1) is level 2.  The empty answer of
    # the first must not be remembered for the second
    from signet.levels import level_groups

    net = BooleanNetwork({"X_b1": "X_b1", "X_b2": "X_b2"})
    solver = Solver("async", levels=level_groups(net.nodes), level_check=lambda base: True)
    root, top = solver._compile(net)
    everything = root.all_mask
    bad = root.subnetwork(top.scope, everything, root.encode({"X_b1": 0, "X_b2": 1})[1])
    good = root.subnetwork(top.scope, everything, root.encode({"X_b1": 1, "X_b2": 1})[1])
    assert bad.key() == good.key()
    assert list(solver._pieces(bad)) == []
    assert [p.size for p in solver._pieces(good)] == [1]


def test_small_trap_space_reorders_the_input_groups():
    # no fixed point.  I=0: A, B, C oscillate (3 free nodes); I=1: X and Y do (2 free).  The
    # decomposition branches I=0 first; with first_trap_space_nodes=2 the solver's minimal trap
    # space of 2 free nodes (I=1) comes first and takes its group along, nothing listed twice
    net = BooleanNetwork({"I": "I", "X": "I & !Y", "Y": "X", "A": "!I & !C", "B": "A", "C": "B"})
    late = list(iter_attractors(net, "async", config=EngineConfig(first_trap_space_nodes=0)))
    early = list(iter_attractors(net, "async", config=EngineConfig(first_trap_space_nodes=2)))
    assert [a.space["I"] for a in late] == [0, 1]
    assert [a.space["I"] for a in early] == [1, 0]
    assert early[0].states == 4 and early[1].states == 6  # the 3-cycle: 6 of its 8 states
    assert sorted(early, key=repr) == sorted(late, key=repr)
    groups = attractor_groups(net, "async", config=EngineConfig(first_trap_space_nodes=2))
    assert [key["I"] for key, _group in groups] == [1, 0]


def test_large_rules_are_read_as_tables_not_rewritten():
    # T's rule has 3,360 terms (30,000 tree nodes, over EngineConfig.rewrite_max_size): fixed
    # points and minimal trap spaces come from the decomposition, equal to the rewriting engines'
    from signet.dynamics import fixed_points, minimal_trap_spaces
    from signet.dynamics.cost import large_rules
    from signet.dynamics.engines import _full
    from signet.dynamics.trapspaces import fixed_points as rewritten_fixed_points
    from signet.dynamics.trapspaces import minimal_trap_spaces as rewritten_trap_spaces
    from signet.percolation import percolated_values, reduce_network

    names = [f"a{i}" for i in range(10)]
    terms = [" & ".join(("" if (signs >> k) & 1 else "!") + names[i] for k, i in enumerate(combo))
             for combo in itertools.combinations(range(10), 4) for signs in range(16)]
    rules = {"T": " | ".join(terms), "X": "!T | X & a0"}
    rules.update({n: f"T & !{names[(i + 1) % 10]} | {n} & X" for i, n in enumerate(names)})
    net = BooleanNetwork(rules)
    assert large_rules(net)
    expected = rewritten_fixed_points(net, percolated_values(net))
    assert fixed_points(net) == expected and len(expected) > 10
    reduced = reduce_network(net)
    spaces = [_full(s, reduced.fixed, net.nodes) for s in rewritten_trap_spaces(reduced.network)]
    assert minimal_trap_spaces(net) == sorted(spaces, key=lambda s: [str(s[n]) for n in net.nodes])


def test_groups_come_once_per_input_valuation():
    rules = {f"I{i}": f"I{i}" for i in range(4)}
    rules.update({"A": "I0 & !B | I2", "B": "A | I1", "C": "C & I3 | !C & I0", "D": "D"})
    net = BooleanNetwork(rules)
    groups = list(attractor_groups(net, "async"))
    keys = [tuple(sorted(inputs.items())) for inputs, _ in groups]
    assert len(keys) == len(set(keys)) == 2 ** 5  # the inputs I0..I3 and D
    for inputs, group in groups:
        assert all(a.space[n] == v for a in group for n, v in inputs.items())
    total = sum(len(group) for _, group in groups)
    assert total == count_attractors(net, "async") == len(attractors(net, "async", engine="explicit").attractors)


def _trace_of_power(matrix, k):
    result = [[1, 0], [0, 1]]
    for _ in range(k):
        result = [[sum(result[i][m] * matrix[m][j] for m in range(2)) for j in range(2)] for i in range(2)]
    return result[0][0] + result[1][1]


def test_many_inputs_are_counted_without_listing():
    # a ring of 30 inputs; X_i = I_i & !X_i | I_{i+1} & X_i has, for (I_i, I_{i+1}):
    # (0,0) X=0; (0,1) X=0 or X=1; (1,0) X oscillates; (1,1) X=1 -- so the number of
    # attractors is the trace of [[1, 2], [1, 1]]**30 (transfer matrix around the ring)
    k = 30
    rules = {f"I{i}": f"I{i}" for i in range(k)}
    rules.update({f"X{i}": f"I{i} & !X{i} | I{(i + 1) % k} & X{i}" for i in range(k)})
    net = BooleanNetwork(rules)
    expected = _trace_of_power([[1, 2], [1, 1]], k)
    assert expected > 2 ** k
    assert count_attractors(net, "async") == expected
    assert count_attractors(net, "mp") == expected
    assert Solver("fixed").count(net) == _trace_of_power([[1, 2], [0, 1]], k)
    first = next(iter_attractors(net, "async"))  # streaming: the first answer without the others
    assert set(first.space) == set(net.nodes) and all(first.space[f"I{i}"] in (0, 1) for i in range(k))


@SETTINGS
@given(oracles(max_nodes=7))
def test_fixed_points_are_counted_as_many_as_listed(oracle):
    # the symbolic count (components multiply, each counted as a BDD) against brute force
    net = parse_bnet(oracle.bnet())
    expected = len(oracle.fixed_points())
    assert count_fixed_points(net) == expected == len(fixed_points(net))
    assert count_fixed_points(net, config=FORCED) == expected


@SETTINGS
@given(oracles(max_nodes=7), st.sampled_from([0, 10]))
def test_minimal_trap_spaces_by_either_route(oracle, split):
    # mp_split_inputs=0: the decomposition whenever the network splits; 10: one program below 11 inputs
    from signet.dynamics import minimal_trap_spaces

    net = parse_bnet(oracle.bnet())
    got = minimal_trap_spaces(net, config=EngineConfig(mp_split_inputs=split))
    assert sorted((tuple(s[n] for n in oracle.names) for s in got), key=repr) == \
        sorted(oracle.minimal_trap_spaces(), key=repr)
    result = attractors(net, "mp", config=EngineConfig(mp_split_inputs=split))
    assert [a.space for a in result.attractors] == got


@st.composite
def without_negative_cycles(draw, max_nodes=7):
    """Random networks whose cycles are all positive: every node is in one of two classes, and
    each rule is a disjunction of conjunctions of its regulators, a regulator read positively
    from the same class and negated from the other (so a cycle crosses between classes an
    even number of times)."""
    n = draw(st.integers(1, max_nodes))
    side = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    regs, tables = [], []
    for t in range(n):
        k = draw(st.integers(0, min(3, n)))
        rs = sorted(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True)))
        terms = draw(st.lists(st.integers(0, (1 << k) - 1), max_size=4))  # a term: a subset of the regulators
        constant = draw(st.integers(0, 1))
        table = []
        for row in range(1 << k):
            # the literal of regulator j is true when its value agrees with the edge's sign
            true = 0
            for j, r in enumerate(rs):
                if ((row >> j) & 1) == (side[r] == side[t]):
                    true |= 1 << j
            table.append(int(any(term & true == term for term in terms)) if k else constant)
        regs.append(rs)
        tables.append(table)
    return Oracle(n, regs, tables)


@SETTINGS
@given(without_negative_cycles())
def test_without_negative_cycles_every_attractor_is_a_counted_fixed_point(oracle):
    # Richard (2010): no negative cycle, no cyclic asynchronous attractor; the count is then
    # the symbolic fixed-point count, checked against brute force
    net = parse_bnet(oracle.bnet())
    expected = oracle.async_attractors()
    assert all(len(a) == 1 for a in expected)
    root = RootNetwork(net)
    assert _only_fixed_points(root.subnetwork(root.all_mask, 0, 0))
    assert count_attractors(net, "async") == len(expected) == count_fixed_points(net)
    assert Solver("async", FORCED).count(net) == len(expected)
    # a minimal trap space holds an attractor, here a fixed point, itself a trap space: the
    # minimal trap spaces are the fixed points, counted the same way (and listed by clingo)
    assert count_attractors(net, "mp") == len(expected) == len(attractors(net, "mp").attractors)


def test_many_inputs_without_negative_cycles_are_counted_at_once():
    # 60 inputs feed one positive cascade (no negative cycle): 2**60 * 2 + ... attractors, all
    # fixed points, counted symbolically (branching on the inputs would take 2**60 steps)
    k = 60
    rules = {f"I{i}": f"I{i}" for i in range(k)}
    rules.update({"A": " | ".join(f"I{i}" for i in range(k)), "B": "B | A", "C": "!B & C | A & !B"})
    net = BooleanNetwork(rules)
    # A = any input; A=0: B free (bistable), C=0 or C bistable when B=0 -> 3 fixed points;
    # A=1: B=1, C=0 -> 1 fixed point for each of the other 2**60 - 1 valuations
    expected = 3 + (2 ** k - 1)
    assert count_fixed_points(net) == expected
    assert count_attractors(net, "async") == expected == count_attractors(net, "mp")


def test_fixed_points_of_corpus_models_are_counted_as_listed(corpus):
    # the PyBoolNet repository models up to 60 nodes (jaoude_thdiff, 103 nodes, has 5,875,504
    # fixed points: too many to list here): the count equals the listing
    paths = sorted(corpus.glob("pyboolnet/*/*.bnet"))
    assert len(paths) >= 25
    nets = {path.stem: _read_model(path) for path in paths}
    for name, net in nets.items():
        if len(net) <= 60:
            assert count_fixed_points(net) == len(fixed_points(net)), name
    # two of them have no negative cycle: their asynchronous attractors are counted as fixed points
    for name in ("n7s3", "xiao_wnt5a"):
        root = RootNetwork(nets[name])
        assert _only_fixed_points(root.subnetwork(root.all_mask, *root.percolated()))
        listed = attractors(nets[name], "async", engine="explicit").attractors
        assert count_attractors(nets[name], "async") == len(listed) == len(fixed_points(nets[name]))


def test_bdd_order_reads_rules_over_many_regulators():
    # a rule over more regulators than a truth table holds is encoded as a BDD (a "circuit"); the BDD variable
    # order read only prime implicants and failed on it (bbm/207 raised a TypeError in the symbolic search)
    from signet.dynamics.candidates import bdd_order, symbolic
    from signet.primes import TABLE_VARIABLES

    k = TABLE_VARIABLES + 2
    rules = {f"r{i}": f"r{i}" if i % 2 else f"!r{i} | T" for i in range(k)}
    rules["T"] = " & ".join(f"r{i}" for i in range(k)) + " | (T & !r0)"
    root = RootNetwork(BooleanNetwork(rules))
    net = root.subnetwork(root.all_mask, 0, 0)
    assert any(rule[0] == "circuit" for rule in net.rules)
    order = bdd_order(net)
    assert sorted(order) == list(range(net.n))
    graph = symbolic(net)  # builds the AEON graph in that order
    assert graph.reach_or_meet(0, None) is not None


def test_a_guided_walk_reaches_what_a_uniform_walk_of_the_same_length_misses():
    # twenty nodes that each flip whenever they can (x = !x): the space with all of them 1 is one corner of a
    # 20-cube, which a uniform walk meets after about 2**20 moves; a walk that always takes a move towards it
    # needs twenty
    import random

    from signet.dynamics.candidates import walker

    root = RootNetwork(BooleanNetwork({f"x{i}": f"!x{i}" for i in range(20)}))
    net = root.subnetwork(root.all_mask, 0, 0)
    corner = net.encode({f"x{i}": 1 for i in range(20)})
    walk = walker(net)
    assert not walk.escapes(0, [corner], set(), 2000, random.Random(0))
    assert walk.escapes(0, [corner], set(), 20, random.Random(0), greedy=1.0)
    assert not walk.escapes(0, [corner], set(), 19, random.Random(0), greedy=1.0)  # one move per node, no less


def test_motif_avoidance_ruled_out_by_guided_walks_on_a_corpus_model(corpus):
    # bbm/209 (87 nodes): its asynchronous attractors are its 8 fixed points, but proving that no attractor avoids
    # the trap spaces took the symbolic search minutes (uniform walks left candidates that reach a trap space only
    # along narrow paths); guided walks take them out, and the count no longer expands the inclusion-exclusion
    # of 537 overlapping trap spaces. The fixed points come from the answer-set solver, another engine.
    net = _read_model(corpus / "bbm" / "209_ABERRANT-CELL-CYCLE-PROGRESSION" / "model.bnet")
    listed = attractors(net, "async").attractors
    points = fixed_points(net)
    assert len(points) == 8
    assert {tuple(sorted(a.space.items())) for a in listed} == {tuple(sorted(p.items())) for p in points}
    assert count_attractors(net, "async") == 8


def _read_model(path):
    import warnings

    from signet.io import read_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_model(str(path), metadata=False)


@SETTINGS
@given(st.integers(1, 10).flatmap(lambda k: st.tuples(
    st.just(k), st.integers(0, (1 << (1 << k)) - 1), st.integers(0, (1 << k) - 1), st.integers(0, (1 << k) - 1))))
def test_cofactor_keeps_the_rows_that_agree_with_the_fixed_values(case):
    # the definition, row by row: the kept rows in order (big tables take the shift-and-mask path)
    k, table, mask, bits = case
    kept = [(table >> i) & 1 for i in range(1 << k) if i & mask == bits & mask]
    assert cofactor(table, k, mask, bits) == sum(b << n for n, b in enumerate(kept))


def _read(root, nodes, state):
    while root > 1:
        r, low, high = nodes[root]
        root = high if (state >> r) & 1 else low
    return root


@SETTINGS
@given(st.integers(1, 5).flatmap(lambda k: st.tuples(
    st.just(k), st.integers(0, (1 << (1 << k)) - 1), st.permutations(range(8)), st.integers(0, 255), st.integers(0, 255))))
def test_restricted_circuit_by_aeon_equals_the_walk_and_the_rule(case):
    # a rule as a BDD over regulators regs (root indices); some fixed: AEON's restriction (the
    # circuit keeps its BDD) and the walk over the nodes (no BDD, as after pickling) read alike
    from signet.circuits import Circuit, _size_of, rule_circuit
    from signet.expr import parse_expression

    k, table, order, mask, bits = case
    names = [f"v{p}" for p in range(k)]
    terms = [" & ".join(n if (row >> p) & 1 else f"!{n}" for p, n in enumerate(names))
             for row in range(1 << k) if (table >> row) & 1]
    circuit = rule_circuit(parse_expression(" | ".join(f"({t})" for t in terms) or "0"), names)
    regs = tuple(order[:k])
    by_aeon = _restrict_circuit(circuit, regs, mask, bits)
    plain = Circuit(circuit.names, circuit.nodes, circuit.root)  # no BDD, as after pickling
    by_walk = _restrict_circuit(plain, regs, mask, bits)
    for state in range(256):
        row = sum(((bits if (mask >> r) & 1 else state) >> r & 1) << p for p, r in enumerate(regs))
        assert _read(*by_aeon, state) == _read(*by_walk, state) == (table >> row) & 1
    tested = {r for r, _low, _high in by_aeon[1][2:]}
    assert not tested & {r for r in regs if (mask >> r) & 1}
    # the support and the size without decoding the restricted BDD: those of the decoded one
    known = {names[p]: (bits >> r) & 1 for p, r in enumerate(regs) if (mask >> r) & 1}
    assert {regs[p] for p in circuit.support(known)} == tested
    assert {regs[p] for p in plain.support(known)} >= tested  # the walk: a superset
    assert _size_of(circuit.restrict(known)) == len(by_aeon[1])
    assert circuit.size() == len(circuit.nodes) == plain.size()


@SETTINGS
@given(oracles(max_nodes=7), st.data())
def test_rule_sizes_and_signs_of_bdd_rules_need_no_decoding(oracle, data):
    # every rule read as a BDD (as rules over many regulators are): the size and the signed
    # edges taken from AEON's restricted BDD equal those of the decoded restricted rule
    net = parse_bnet(oracle.bnet())
    fixed = {n: data.draw(st.integers(0, 1)) for n in data.draw(st.lists(st.sampled_from(oracle.names), unique=True))}
    lazy, decoded = RootNetwork(net), RootNetwork(net)
    lazy.big = decoded.big = [True] * lazy.n
    mask, bits = lazy.encode(fixed)
    for j in range(lazy.n):
        rule = decoded.restricted(j, mask, bits)
        assert lazy.rule_size(j, mask, bits) == len(rule[2])
        assert lazy.parities(j, mask, bits) == decoded.parities(j, mask, bits)
        assert not lazy._restricted  # nothing decoded on the lazy side
    whole = decoded.subnetwork(decoded.all_mask, mask, bits)
    assert whole.rules is whole._rules  # read from the decoded rules from now on
    assert lazy.subnetwork(lazy.all_mask, mask, bits).literals() == whole.literals()


@SETTINGS
@given(oracles(max_nodes=8), st.data())
def test_compiled_percolation_equals_model_percolate(oracle, data):
    net = parse_bnet(oracle.bnet())
    fixed = {n: data.draw(st.integers(0, 1)) for n in data.draw(st.lists(st.sampled_from(oracle.names), unique=True))}
    root = RootNetwork(net)
    mask, bits = root.percolate(*root.encode(fixed))
    assert root.decode(mask, bits) == dict(sorted(net.percolate(fixed)[1].items(), key=lambda kv: net.nodes.index(kv[0])))


@SETTINGS
@given(oracles(max_nodes=7))
def test_negative_feedback_vertex_set_meets_every_negative_cycle(oracle):
    net = parse_bnet(oracle.bnet())
    root = RootNetwork(net)
    sub = root.subnetwork(root.all_mask, 0, 0)
    cut = {sub.free[p] for p in negative_feedback_vertex_set(sub)}
    # signs by brute force: edge r -> t is positive/negative if flipping r up raises/lowers f_t somewhere
    graph = nx.MultiDiGraph()
    for t in range(oracle.n):
        for r in range(oracle.n):
            signs = set()
            for state in oracle.states():
                low, high = list(state), list(state)
                low[r], high[r] = 0, 1
                a, b = oracle.f(t, tuple(low)), oracle.f(t, tuple(high))
                if a != b:
                    signs.add(0 if b > a else 1)
            for s in signs:
                graph.add_edge(r, t, sign=s)
    for cycle in nx.simple_cycles(nx.DiGraph(graph)):
        if set(cycle) & cut:
            continue
        # every choice of parallel-edge signs along the cycle must be positive
        edges = list(zip(cycle, cycle[1:] + cycle[:1]))
        choices = [{d["sign"] for d in graph.get_edge_data(u, v).values()} for u, v in edges]
        assert all(sum(c) % 2 == 0 for c in itertools.product(*choices)), (cycle, cut)


@SETTINGS
@given(oracles(max_nodes=7), st.data())
def test_symbolic_graph_in_bdd_order_reaches_what_the_rules_reach(oracle, data):
    # the BDD variables follow bdd_order (a permutation of the positions); the forward set of a
    # state, read back through the variable names, is the set found by brute force
    net = parse_bnet(oracle.bnet())
    root = RootNetwork(net)
    sub = root.subnetwork(root.all_mask, 0, 0)
    assert sorted(sub.nodes) == sorted(oracle.names)
    assert sorted(bdd_order(sub)) == list(range(sub.n))
    graph = symbolic(sub)
    assert sorted(graph.names) == [f"v{k:06d}" for k in range(sub.n)]
    start = data.draw(st.integers(0, 2**sub.n - 1))
    reach = graph.reach_or_meet(start, None)
    got = set()
    for vertex in reach.vertices().items():
        values = vertex.to_named_dict()
        got.add(tuple(int(bool(values[graph.names[p]])) for p in range(sub.n)))
    state = tuple((start >> p) & 1 for p in range(sub.n))
    seen, stack = {state}, [state]
    while stack:
        now = stack.pop()
        for p in range(sub.n):
            value = oracle.f(oracle.names.index(sub.nodes[p]), _full(oracle, sub, now))
            if value != now[p]:
                nxt = now[:p] + (value,) + now[p + 1:]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    assert got == seen


def _full(oracle: Oracle, sub, state: tuple) -> tuple:
    """The oracle's state (its node order) from ``sub``'s state (nothing is percolated: same nodes)."""
    values = dict(zip(sub.nodes, state))
    return tuple(values[n] for n in oracle.names)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, (1 << 14) - 1), max_size=300), st.integers(0, 16))
def test_state_codes_of_a_bit_set_by_bytes_and_by_numpy_equal_bit_by_bit(codes, high):
    from signet.dynamics.succession import _codes_bytes, _codes_numpy, _codes_of

    bits = 0
    for c in codes:
        bits |= 1 << c
    bits |= 1 << (5000 + high)  # over _NUMPY_BITS: the byte-wise paths
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    expected = [t for t in range(bits.bit_length()) if (bits >> t) & 1]
    assert _codes_bytes(raw) == _codes_numpy(raw) == _codes_of(bits) == expected
