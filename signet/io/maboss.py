"""MaBoSS model files (``.bnd`` network + ``.cfg`` configuration): written for simulation, and read.

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

Reading (:func:`read_maboss`, :func:`parse_maboss`) gives the Boolean network whose
asynchronous transitions are the transitions of positive rate, with the parameters of the
``.cfg`` substituted (see :mod:`signet.io._maboss_reader`); rates, initial states and
output nodes go to the annotations.

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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from ..errors import ModelError
from ..expr import Expr, Var, bnet_template, render
from ..model import BooleanNetwork
from . import register_format
from .files import atomic_write_text, require_network

if TYPE_CHECKING:  # pragma: no cover
    from ..rates import Rate

__all__ = ["generate_maboss", "generate_maboss_cfg", "write_maboss", "maboss_names", "maboss_paths", "parse_maboss",
           "read_maboss"]

register_format("maboss", "signet.io.maboss", (".bnd",), read=True, write=True)

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
    rates = network.annotations.rates
    lines = [f"// {network.name or 'model'}: written by signet; rates and initial states are in the .cfg", ""]
    for node, rule in network.rules.items():
        m = names[node]
        info = network.annotations.nodes.get(node)
        if node != m:
            lines.append(f"// {m} is signet node {node}")
        if info is not None and info.label:
            lines.append(f"// {info.label}")
        up, down = rates.get(node, (1.0, 1.0))
        lines += [
            f"Node {m} {{",
            f"  logic = {_logic(rule, names)};",
            f"  rate_up = @logic ? {_rate_text(up, f'$u_{m}', names)} : 0;",
            f"  rate_down = @logic ? 0 : {_rate_text(down, f'$d_{m}', names)};",
            "}",
            "",
        ]
    return "\n".join(lines)


def _rate_text(rate: "Rate", parameter: str, names: Mapping[str, str]) -> str:
    """A rate in the ``.bnd``: its parameter, or for a rate that depends on the state one
    ternary per case, ``(COND) ? $u_X_1 : $u_X`` (the parameters' values are in the ``.cfg``)."""
    from ..rates import StateRate

    if not isinstance(rate, StateRate):
        return parameter
    text = parameter
    for k in range(len(rate.cases), 0, -1):
        text = f"(({_logic(rate.cases[k - 1][0], names)}) ? {parameter}_{k} : {text})"
    return text


def _rate_parameters(rate: "Rate", parameter: str) -> list[str]:
    """The ``.cfg`` lines of a rate's parameters (its default, and each case's rate)."""
    from ..rates import StateRate

    if not isinstance(rate, StateRate):
        return [f"{parameter} = {_number(rate)};"]
    return [f"{parameter} = {_number(rate.default)};"] + [
        f"{parameter}_{k} = {_number(value)};" for k, (_, value) in enumerate(rate.cases, 1)]


def generate_maboss_cfg(
    network: BooleanNetwork,
    initial: Mapping[str, int] | None = None,
    parameters: Mapping[str, object] | None = None,
) -> str:
    """The ``.cfg`` text: the model's flip rates (``annotations.rates``; 1 where none is
    given), initial states, simulation parameters.

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
    rates = network.annotations.rates
    lines = ["// rates: the model's (metadata 'rates'), 1 for every other transition"]
    for node in network.nodes:
        up, down = rates.get(node, (1.0, 1.0))
        lines += _rate_parameters(up, f"$u_{names[node]}")
        lines += _rate_parameters(down, f"$d_{names[node]}")
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


def _number(value: float) -> str:
    """A rate as MaBoSS reads it back exactly: ``1``, ``0.1``, ``0.3333333333333333``."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


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


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def parse_maboss(
    bnd: str,
    cfg: str | None = None,
    *,
    source: str | None = None,
    cfg_source: str | None = None,
    name: str = "",
) -> BooleanNetwork:
    """Parse MaBoSS ``.bnd`` text (and its ``.cfg`` text) into a Boolean network.

    Node ``X`` gets the rule ``(!X & rate_up > 0) | (X & !(rate_down > 0))``: the
    asynchronous transitions of the network are those MaBoSS can take.  For the usual
    ``rate_up = @logic ? $u_X : 0; rate_down = @logic ? 0 : $d_X;`` with positive rates
    this is ``logic``; a node whose rates are both 0 keeps its value (an input).

    The annotations get the rates (``annotations.rates``: ``(up, down)`` where each rate
    is one positive number; nodes with state-dependent rates are left out), the initial states (``annotations.initial``,
    from ``X.istate`` and ``[X, Y].istate``), each node's ``description`` as its note, and,
    when the ``.cfg`` marks some nodes internal (``X.is_internal = 1``), the others
    (MaBoSS's output nodes) as phenotypes ``X: X``.

    Raises
    ------
    ParseError
        Syntax errors, nodes used but not declared or declared twice, parameters the
        ``.cfg`` does not define, unknown attributes or functions: with file, line and column.

    Examples
    --------
    >>> bnd = '''
    ... node A { rate_up = 0; rate_down = 0; }
    ... node B { logic = A & !C; rate_up = @logic ? $u_B : 0; rate_down = @logic ? 0 : $d_B; }
    ... node C { logic = B; rate_up = @logic ? 1 : 0; rate_down = 0; }
    ... '''
    >>> net = parse_maboss(bnd, "$u_B = 2; $d_B = 0.5; A.istate = 1; A.is_internal = 1;")
    >>> for node, rule in net.rules.items():
    ...     print(node, "=", rule)
    A = A
    B = A & !C
    C = B | C
    >>> net.annotations.rates["B"], dict(net.annotations.phenotypes)
    ((2.0, 0.5), {'B': 'B', 'C': 'C'})
    >>> parse_maboss("node A { logic = A & X; }", source="m.bnd")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.bnd:1:22: node X used but not defined
    """
    from ._maboss_reader import maboss_network, parse_bnd, parse_cfg

    model = parse_bnd(bnd, source=source)
    if cfg is not None:
        parse_cfg(cfg, model, source=cfg_source)
    rules, annotations = maboss_network(model)
    if not name and source:
        name = Path(source).stem
    return BooleanNetwork(rules, name=name, annotations=annotations)


def read_maboss(path: str | os.PathLike[str], cfg: str | os.PathLike[str] | None = None) -> BooleanNetwork:
    """Read a MaBoSS model: the ``.bnd`` and its configuration.

    Parameters
    ----------
    path
        The ``.bnd`` file, or a ``.cfg`` file: then the ``.bnd`` beside it with the same
        name, or the one whose name starts the configuration's (``p53.bnd`` for
        ``p53_runcfg.cfg``), is the network.  Giving the ``.cfg`` picks one of several
        configurations of one network (on the command line: ``MODEL.cfg --format maboss``).
    cfg
        The configuration; default: ``NAME.cfg`` beside ``NAME.bnd``, else the only
        ``NAME*.cfg`` there, else none (then the ``.bnd`` cannot use ``$parameters``).

    Files are read as UTF-8, else as Latin-1 (MaBoSS reads bytes; non-ASCII text can
    only be in comments and strings).
    """
    from ._maboss_reader import read_text

    path = Path(path)
    if path.suffix.lower() == ".cfg" and cfg is None:
        cfg, path = path, _bnd_for(path)
    elif cfg is None:
        cfg = _cfg_for(path)
    bnd_text = read_text(path.read_bytes(), source=str(path))
    cfg_text = None
    if cfg is not None:
        cfg = Path(cfg)
        if not cfg.is_file():
            raise ModelError(f"{cfg}: no such configuration file")
        cfg_text = read_text(cfg.read_bytes(), source=str(cfg))
    net = parse_maboss(bnd_text, cfg_text, source=str(path), cfg_source=str(cfg) if cfg else None, name=path.stem)
    if cfg is not None:
        source = dict(net.annotations.source)
        source["maboss cfg"] = str(cfg)
        net = net._evolve(net.rules, annotations=replace(net.annotations, source=source))
    return net


def _cfg_for(bnd: Path) -> Path | None:
    same = bnd.with_suffix(".cfg")
    if same.is_file():
        return same
    candidates = sorted(p for p in bnd.parent.glob("*.cfg") if p.stem.startswith(bnd.stem))
    if len(candidates) > 1:
        raise ModelError(f"{bnd}: several configurations could belong to it ({', '.join(p.name for p in candidates)}); "
                         f"give the one to use as the model, e.g. {candidates[0]} --format maboss")
    return candidates[0] if candidates else None


def _bnd_for(cfg: Path) -> Path:
    same = cfg.with_suffix(".bnd")
    if same.is_file():
        return same
    candidates = sorted((p for p in cfg.parent.glob("*.bnd") if cfg.stem.startswith(p.stem)),
                        key=lambda p: -len(p.stem))
    if not candidates:
        raise ModelError(f"{cfg}: no .bnd network beside this configuration (expected {same.name})")
    return candidates[0]
