"""MaBoSS model files (``.bnd`` network + ``.cfg`` configuration), written for simulation.

MaBoSS simulates continuous-time Boolean dynamics with transition rates.  Each
node becomes::

    Node TP53 {
      logic = ATM & !MDM2;
      rate_up = @logic ? $u_TP53 : 0;
      rate_down = @logic ? 0 : $d_TP53;
    }

and the ``.cfg`` sets every rate to 1 (``$u_X = 1; $d_X = 1;``), the initial state
(``X.istate``) and the simulation parameters.  Constant nodes (knockouts,
over-expressions, a context's fixes) start at their value and stay there; other
nodes start at 0 or 1 with probability 1/2 unless ``initial`` gives their value.
Node names with ``.`` or ``:`` (not valid in MaBoSS) are written with ``_``.

signet writes MaBoSS files but does not read them (MaBoSS rules can use rates,
thresholds and arithmetic that a Boolean network cannot hold).

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> net = parse_bnet("ATM, ATM\\nTP53, ATM & !MDM2\\nMDM2, TP53\\n").knockout("MDM2")
>>> print(generate_maboss(net).splitlines()[8])
Node TP53 {
>>> [line for line in generate_maboss_cfg(net).splitlines() if "istate" in line]
['[ATM].istate = 0.5 [0], 0.5 [1];', '[TP53].istate = 0.5 [0], 0.5 [1];', 'MDM2.istate = 0;']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

from ..errors import ModelError
from ..expr import Expr, Var, bnet_template, render
from ..model import BooleanNetwork
from . import register_format
from .files import atomic_write_text, require_network

__all__ = ["generate_maboss", "generate_maboss_cfg", "write_maboss", "maboss_names", "maboss_paths"]

register_format("maboss", "signet.io.maboss", (".bnd",), read=False, write=True)

#: simulation parameters written to the .cfg (MaBoSS's usual defaults for a first run)
SIMULATION_PARAMETERS: dict[str, object] = {
    "time_tick": 0.5,
    "max_time": 100,
    "sample_count": 10000,
    "discrete_time": 0,
    "use_physrandgen": 1,
    "seed_pseudorandom": 0,
    "thread_count": 1,
    "statdist_traj_count": 100,
    "statdist_cluster_threshold": 0.9,
}


def maboss_names(network: BooleanNetwork) -> dict[str, str]:
    """Node name -> MaBoSS identifier (``.`` and ``:`` become ``_``).

    Raises
    ------
    ModelError
        If two nodes would get the same identifier.
    """
    out = {n: re.sub(r"[^A-Za-z0-9_]", "_", n) for n in network.nodes}
    if len(set(out.values())) != len(out):
        clash = sorted(n for n in out if list(out.values()).count(out[n]) > 1)
        raise ModelError("nodes " + ", ".join(clash) + " have the same MaBoSS name; rename them first")
    return out


_TEMPLATE = bnet_template()


def _logic(expr: Expr, names: Mapping[str, str]) -> str:
    """MaBoSS logic: bnet syntax with MaBoSS identifiers (written iteratively, any depth)."""

    def leaf(e: Expr) -> str:
        if isinstance(e, Var):
            return names[e.name]
        return "1" if e.value else "0"  # type: ignore[attr-defined]  # a leaf that is not a Var is a Const

    return render(expr, leaf, _TEMPLATE)


def generate_maboss(network: BooleanNetwork) -> str:
    """The ``.bnd`` text: one ``Node`` block per node, rates ``$u_X``/``$d_X`` gated by ``@logic``."""
    require_network(network)
    names = maboss_names(network)
    lines = [f"// {network.name or 'model'}: written by signet; rates and initial states are in the .cfg", ""]
    for node, rule in network.rules.items():
        m = names[node]
        info = network.annotations.nodes.get(node)
        if node != m:
            lines.append(f"// {m} is signet node {node}")
        if info is not None and info.label:
            lines.append(f"// {info.label}")
        lines += [
            f"Node {m} {{",
            f"  logic = {_logic(rule, names)};",
            f"  rate_up = @logic ? $u_{m} : 0;",
            f"  rate_down = @logic ? 0 : $d_{m};",
            "}",
            "",
        ]
    return "\n".join(lines)


def generate_maboss_cfg(
    network: BooleanNetwork,
    initial: Mapping[str, int] | None = None,
    parameters: Mapping[str, object] | None = None,
) -> str:
    """The ``.cfg`` text: rates 1, initial states, simulation parameters.

    Parameters
    ----------
    network
        The (perturbed) network; its constant nodes start at their value.
    initial
        Initial values of other nodes (names or aliases); the rest start at random.
    parameters
        Simulation parameters overriding :data:`SIMULATION_PARAMETERS`.
    """
    require_network(network)
    names = maboss_names(network)
    start = dict(network.resolve_assignment(initial or {}))
    start.update(network.constants)
    lines = ["// rates: every transition at rate 1"]
    for node in network.nodes:
        lines.append(f"$u_{names[node]} = 1;")
        lines.append(f"$d_{names[node]} = 1;")
    lines += ["", "// initial state: constants at their value, the rest random unless given"]
    for node in network.nodes:
        if node in start:
            lines.append(f"{names[node]}.istate = {start[node]};")
        else:
            lines.append(f"[{names[node]}].istate = 0.5 [0], 0.5 [1];")
    lines += ["", "// simulation"]
    params = dict(SIMULATION_PARAMETERS)
    params.update(parameters or {})
    lines += [f"{k} = {v};" for k, v in params.items()]
    return "\n".join(lines) + "\n"


def maboss_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The ``(.bnd, .cfg)`` files written for ``path``: each file gets its own name.

    ``X.cfg`` names the configuration (the network goes to ``X.bnd``); any other name is
    the network file, and the configuration goes beside it with the suffix ``.cfg``.

    Examples
    --------
    >>> [p.name for p in maboss_paths("rr.bnd")], [p.name for p in maboss_paths("rr.cfg")]
    (['rr.bnd', 'rr.cfg'], ['rr.bnd', 'rr.cfg'])
    """
    path = Path(path)
    if path.suffix.lower() == ".cfg":
        return path.with_suffix(".bnd"), path
    return path, path.with_suffix(".cfg")


def write_maboss(
    network: BooleanNetwork,
    path: str | os.PathLike[str],
    *,
    initial: Mapping[str, int] | None = None,
) -> None:
    """Write the ``.bnd`` and the ``.cfg`` named by :func:`maboss_paths`, each atomically.

    Both texts are built before anything is written, so a model MaBoSS cannot take
    leaves no file behind.
    """
    bnd_path, cfg_path = maboss_paths(path)
    bnd = generate_maboss(network)
    cfg = generate_maboss_cfg(network, initial)
    atomic_write_text(cfg_path, cfg)
    atomic_write_text(bnd_path, bnd)
