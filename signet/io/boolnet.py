"""BoolNet's text format (R package BoolNet: ``loadNetwork`` / ``saveNetwork``).

A ``targets, factors`` header line, then one ``target, rule`` per line with the
operators ``&``, ``|``, ``!`` and parentheses, and the constants ``0``/``1``;
``#`` starts a comment.  BoolNet also knows extensions that a Boolean network
cannot express: temporal predicates (``A[-2]``, ``timeis``, ``timegt``,
``timelt``), threshold and aggregate functions (``sumis``, ``sumgt``, ``sumlt``,
``maj``, ``all``, ``any``) and probabilistic networks (a third ``probabilities``
column, several lines per target).  signet rejects each with a
:class:`~signet.errors.ParseError` that names it, instead of reading a different
model.

Examples
--------
>>> net = parse_boolnet("targets, factors\\nCycD, CycD\\nRb, !CycD & !CycE\\nCycE, !Rb\\n")
>>> print(generate_boolnet(net), end="")
targets, factors
CycD, CycD
Rb, !CycD & !CycE
CycE, !Rb
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ModelError, ParseError
from ..expr import to_bnet
from ..model import BooleanNetwork
from . import register_format
from .bnet import parse_bnet, text_lines
from .files import (
    atomic_write_text,
    read_input_text,
    require_network,
    require_path,
    require_text,
)

__all__ = ["parse_boolnet", "read_boolnet", "generate_boolnet", "write_boolnet"]

register_format("boolnet", "signet.io.boolnet", (), read=True, write=True)

_TEMPORAL_FUNCTIONS = ("timeis", "timegt", "timelt")
_THRESHOLD_FUNCTIONS = ("sumis", "sumgt", "sumlt", "maj", "all", "any")
_FUNCTION_RE = re.compile(r"\b(" + "|".join(_TEMPORAL_FUNCTIONS + _THRESHOLD_FUNCTIONS) + r")\s*\(", re.IGNORECASE)
_DELAY_RE = re.compile(r"\[\s*[-+]?\s*\d*\s*\]")
_BOOLNET_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")


def parse_boolnet(text: str, *, source: str | None = None, name: str = "") -> BooleanNetwork:
    """Parse BoolNet text into a :class:`~signet.model.BooleanNetwork`.

    Raises
    ------
    ParseError
        For a missing header, BoolNet extensions signet cannot represent (temporal,
        threshold, probabilistic), and any syntax error, with line and column.

    Examples
    --------
    >>> parse_boolnet("targets, factors\\nA, sumgt(A, B, 1)\\nB, A\\n", source="n.txt")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: n.txt:2:4: BoolNet threshold function 'sumgt(...)' has no
    Boolean-network equivalent in signet; rewrite it with & | !
    """
    lines = text_lines(require_text(text))
    header_at = None
    for lineno, raw in enumerate(lines, start=1):
        content = raw.split("#", 1)[0].strip()
        if not content:
            continue
        fields = [f.strip().lower() for f in content.split(",")]
        if fields[:2] != ["targets", "factors"]:
            raise ParseError(
                "missing header: a BoolNet file starts with 'targets, factors'", source=source, line=lineno, column=1,
            )
        if len(fields) > 2:
            col = raw.lower().index(fields[2]) + 1 if fields[2] and fields[2] in raw.lower() else 1
            raise ParseError(
                f"BoolNet probabilistic networks (header column {fields[2]!r}) cannot be read: signet models "
                "have one rule per node", source=source, line=lineno, column=col,
            )
        header_at = lineno
        break
    if header_at is None:
        raise ParseError("empty file: a BoolNet file starts with 'targets, factors'", source=source, line=1, column=1)
    for lineno, raw in enumerate(lines, start=1):
        if lineno <= header_at:
            continue
        content = raw.split("#", 1)[0]
        m = _FUNCTION_RE.search(content)
        if m:
            kind = "temporal predicate" if m.group(1).lower() in _TEMPORAL_FUNCTIONS else "threshold function"
            raise ParseError(
                f"BoolNet {kind} '{m.group(1)}(...)' has no Boolean-network equivalent in signet; "
                "rewrite it with & | !", source=source, line=lineno, column=m.start(1) + 1, token=m.group(1),
            )
        m = _DELAY_RE.search(content)
        if m:
            raise ParseError(
                f"BoolNet temporal delay '{m.group().replace(' ', '')}' (a value from an earlier time step) is not "
                "supported: signet networks have no memory", source=source, line=lineno, column=m.start() + 1,
                token=m.group(),
            )
    # Everything left is the bnet subset; blank out the header so line numbers stay right.
    body = "\n".join("" if i < header_at else raw for i, raw in enumerate(lines, start=1))
    if not name and source:
        name = Path(source).stem
    return parse_bnet(body, source=source, name=name)


def read_boolnet(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a BoolNet file (UTF-8)."""
    path = Path(require_path(path))
    text = read_input_text(path)
    return parse_boolnet(text, source=str(path), name=path.stem)


def generate_boolnet(network: BooleanNetwork) -> str:
    """BoolNet text for ``network`` (``targets, factors`` header; inputs as ``X, X``).

    Raises
    ------
    ModelError
        If a node name has a character BoolNet does not accept (``:``); rename it first.
    """
    require_network(network)
    bad = [n for n in network.nodes if not _BOOLNET_NAME_RE.match(n)]
    if bad:
        raise ModelError(
            "BoolNet names use letters, digits, '_' and '.': rename " + ", ".join(repr(b) for b in bad[:5])
            + (" ..." if len(bad) > 5 else "") + " first (network.rename)"
        )
    lines = ["targets, factors"]
    for node, rule in network.rules.items():
        lines.append(f"{node}, {to_bnet(rule)}")
    return "\n".join(lines) + "\n"


def write_boolnet(network: BooleanNetwork, path: str | os.PathLike[str]) -> None:
    """Write ``network`` in BoolNet format (atomically)."""
    atomic_write_text(path, generate_boolnet(network))
