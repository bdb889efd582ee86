"""Independent oracle for the screen tests: brute-force asynchronous reachability.

``async_oracle`` has the signature of a screen analysis.  It enumerates the whole state
space: the untreated cell's attractors are the terminal SCCs of the asynchronous state
graph of network + context + baseline inputs; the treated attractors are the terminal
SCCs reachable from them in network + context + perturbation + treatment, the nodes
fixed there (perturbation, treatment) taking their fixed values from time 0.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from signet.expr import parse_expression, truth_table
from signet.io import read_model

SMALL_BNET = """\
RT, RT
Hypoxia, Hypoxia
ATM, RT & !Hypoxia
TP53, ATM & !MDM2
MDM2, AKT | TP53 & !ATM
AKT, !PTEN & (AKT | !TP53)
PTEN, TP53
NFKB, ATM & AKT | NFKB & !TP53
BCL2, NFKB | AKT & !TP53
CASP3, TP53 & !BCL2 | !NFKB & !BCL2 & ATM
Apoptosis, CASP3
Proliferation, AKT & !CASP3
Death, Apoptosis
"""

SMALL_YAML = """\
model: {title: small test model, treatment: {RT: 1}, baseline: {RT: 0}}
nodes:
  ATM: {drugs: [{name: AZD0156, action: inhibit}]}
  MDM2: {drugs: [{name: idasanutlin, action: inhibit}]}
  BCL2: {drugs: [{name: venetoclax, action: inhibit}]}
  PTEN: {drugs: [{name: PTEN-activator, action: activate}]}
  AKT: {drugs: [{name: capivasertib, action: inhibit}]}
  NFKB: {drugs: [{name: bortezomib, action: inhibit}]}
phenotypes:
  Apoptosis: Apoptosis
  Proliferation: Proliferation
  Death: Death
contexts:
  wildtype: {fix: {}}
  TP53_mutant: {fix: {TP53: 0}}
  hypoxic: {fix: {Hypoxia: 1}}
"""


def write_small_model(folder: Path) -> Path:
    path = Path(folder) / "small.bnet"
    path.write_text(SMALL_BNET)
    path.with_suffix(".yaml").write_text(SMALL_YAML)
    return path


def small_model(folder: Path):
    return read_model(write_small_model(folder))


def _state_graph(network):
    """Asynchronous state graph over all 2^n states (state bit i = node i)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    nodes = list(network.nodes)
    n = len(nodes)
    idx = np.arange(1 << n, dtype=np.int64)
    src, dst = [], []
    for i, node in enumerate(nodes):
        nxt = truth_table(network.rule(node), nodes)
        cur = ((idx >> i) & 1).astype(bool)
        move = idx[nxt != cur]
        src.append(move)
        dst.append(move ^ (1 << i))
    src, dst = np.concatenate(src), np.concatenate(dst)
    graph = csr_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(1 << n, 1 << n))
    return nodes, graph


def _terminal_sccs(graph, within=None):
    """Terminal strongly connected components (as arrays of states), optionally inside a closed set."""
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    _, labels = connected_components(graph, directed=True, connection="strong")
    coo = graph.tocoo()
    leaving = set(labels[coo.row[labels[coo.row] != labels[coo.col]]].tolist())
    states = np.arange(graph.shape[0]) if within is None else np.array(sorted(within))
    out = []
    for label in sorted(set(labels[states].tolist()) - leaving):
        out.append(np.flatnonzero(labels == label))
    return out


def _reachable(graph, start):
    seen = set(int(s) for s in start)
    frontier = list(seen)
    indptr, indices = graph.indptr, graph.indices
    while frontier:
        s = frontier.pop()
        for t in indices[indptr[s]:indptr[s + 1]].tolist():
            if t not in seen:
                seen.add(t)
                frontier.append(t)
    return seen


def _constant_bits(network, nodes):
    """``(mask, values)``: the nodes whose rule is a constant function (by truth table) and their values.

    signet's semantics (docs/attractors.md, "Perturbations act from time 0"): such a node
    (knocked out, over-expressed, a fixed treatment input) starts at its fixed value,
    whatever the baseline state says; every other node keeps its baseline value.
    """
    mask = values = 0
    for i, node in enumerate(nodes):
        table = truth_table(network.rule(node), nodes)
        if table.all() or not table.any():
            mask |= 1 << i
            values |= int(bool(table.all())) << i
    return mask, values


def async_oracle(network, *, context, perturbation, treatment, update, phenotypes):
    import numpy as np

    baseline_net = network.perturb(context=context, fix=dict(network.annotations.baseline))
    nodes, g0 = _state_graph(baseline_net)
    start = np.concatenate(_terminal_sccs(g0))
    treated = network.perturb(context=context, fix={**perturbation, **treatment})
    _, g1 = _state_graph(treated)
    mask, value = _constant_bits(treated, nodes)
    start = (start & ~mask) | value  # perturbation and treatment act from time 0
    reach = _reachable(g1, start)
    tables = {p: truth_table(parse_expression(e), nodes) for p, e in phenotypes.items()}
    values = []
    for scc in _terminal_sccs(g1, reach):
        row = {}
        for p, table in tables.items():
            seen = set(table[scc].astype(int).tolist())
            row[p] = seen.pop() if len(seen) == 1 else "*"
        values.append(row)
    values.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return {"values": values, "exact": True, "engine": "bruteforce-async"}


def slow_oracle(network, **kwargs):
    """The oracle, slowed down and logging each call to $SIGNET_TEST_LOG (for the kill/resume test)."""
    time.sleep(float(os.environ.get("SIGNET_TEST_DELAY", "0.05")))
    result = async_oracle(network, **kwargs)
    log = os.environ.get("SIGNET_TEST_LOG")
    if log:
        key = json.dumps([kwargs["context"], sorted(kwargs["perturbation"].items())])
        with open(log, "a") as fh:
            fh.write(key + "\n")
    return result


def test_oracle_on_a_known_case(tmp_path):
    net = small_model(tmp_path)
    # RT alone, wild type: ATM on, p53 pulses against WIP1/MDM2 -> async attractors exist and are finite
    res = async_oracle(net, context="wildtype", perturbation={}, treatment={"RT": 1}, update="async",
                       phenotypes=dict(net.annotations.phenotypes))
    assert res["values"]
    # Without p53 there is no apoptosis at all, in every attractor
    res = async_oracle(net, context="TP53_mutant", perturbation={}, treatment={"RT": 1}, update="async",
                       phenotypes=dict(net.annotations.phenotypes))
    assert all(v["Apoptosis"] == 0 and v["Death"] == 0 for v in res["values"])
