"""Shared helpers of the exchange-format tests: corpus paths and an AEON attractor oracle."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from signet.errors import SignetWarning

MODELS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "models"
NETWORKS = Path(__file__).resolve().parents[1] / "networks"


def corpus_bnets() -> list[Path]:
    """Every .bnet file of the corpus folders pyboolnet/, bbm/ and balm_analysis/."""
    out: list[Path] = []
    for folder in ("pyboolnet", "bbm", "balm_analysis"):
        out.extend(sorted((MODELS / folder).rglob("*.bnet")))
    return out


def bnet_node_count(text: str) -> int:
    """Targets and the names their rules read: the number of nodes of a .bnet file, counted
    without parsing it: the samples of corpus models are chosen at every collection, from
    hundreds of files, by size only (the tests then read each sampled file with signet)."""
    names: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "," not in line:
            continue
        target, rule = line.split(",", 1)
        if target.strip().lower() != "targets":
            names.add(target.strip())
            names.update(w for w in re.findall(r"[A-Za-z0-9_.:]+", rule) if w.lower() not in ("0", "1", "true", "false"))
    return len(names)


def quiet_read_bnet(path: Path):
    from signet.io.bnet import read_bnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignetWarning)
        return read_bnet(path)


def aeon_attractors(aeon_network, *, max_split_inputs: int = 6,
                    only: dict[str, bool] | None = None) -> set[frozenset[tuple[tuple[str, int], ...]]]:
    """Asynchronous attractors computed by AEON, as sets of states (sorted (name, value) tuples).

    A variable without an update function and without regulators (AEON's reading of
    an SBML ``constant`` species, or a bnet input) keeps its value: SBML-qual says a
    constant species never changes, so it is given the identity function here rather
    than AEON's free parameter.

    AEON is asked one valuation of the inputs (variables whose function is the identity)
    at a time, when there are at most ``max_split_inputs`` of them: an input keeps its
    value, so each valuation is a trap set, the valuations partition the state space and
    every attractor lies in exactly one of them; the union is the attractor set of the
    whole network, the same answer.  AEON finds it much faster this way on the 121-node
    radioresistance model with its three inputs (about 60 s instead of 470 s).
    ``only``: the attractors in the valuations of the inputs that give these inputs these
    values (e.g. ``{"RT": True}``).
    """
    import itertools

    import biodivine_aeon as ba

    net = aeon_network
    for var in net.variables():
        if net.get_update_function(var) is None and not net.predecessors(var):
            name = net.get_variable_name(var)
            net.ensure_regulation({"source": name, "target": name, "sign": "+", "essential": True})
            net.set_update_function(var, name)
    graph = ba.AsynchronousGraph(net)
    inputs = []
    for var in net.variables():
        function = net.get_update_function(var)
        if function is not None and function.is_var() and function.as_var() == var:
            inputs.append(net.get_variable_name(var))
    if not 1 <= len(inputs) <= max_split_inputs:
        parts = [graph.mk_unit_colored_vertices()]
    else:
        parts = [graph.mk_subspace(dict(zip(inputs, values)))
                 for values in itertools.product((False, True), repeat=len(inputs))
                 if all(dict(zip(inputs, values)).get(k, v) == v for k, v in (only or {}).items())]
    out = set()
    for part in parts:
        for attractor in ba.Attractors.attractors(graph, part):
            states = frozenset(
                tuple(sorted((k, int(v)) for k, v in model.to_named_dict().items()))
                for model in attractor.vertices().items()
            )
            out.add(states)
    return out


def renamed_states(attractors, mapping: dict[str, str]):
    """Rename the nodes inside attractor state sets."""
    return {
        frozenset(tuple(sorted((mapping.get(k, k), v) for k, v in state)) for state in att) for att in attractors
    }


#: corpus files larger than this (a few huge BBM models whose SBML runs to megabytes) go to the slow CI step
LARGE_BNET_BYTES = 15_000


def corpus_params():
    """``corpus_bnets()`` as pytest parameters; the few very large models are marked ``crosstool`` (slow step)."""
    import pytest

    return [
        pytest.param(p, marks=pytest.mark.crosstool) if p.stat().st_size > LARGE_BNET_BYTES else p
        for p in corpus_bnets()
    ]


def corpus_id(path: Path) -> str:
    """A short test id: folder/model."""
    rel = path.relative_to(MODELS)
    return "/".join(rel.parts[:1] + (rel.parts[-2] if rel.name == "model.bnet" else rel.stem,))
