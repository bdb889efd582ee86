"""The bnet format (PyBoolNet, BoolNet's ``targets, factors``, BBM, biobalm, mpbn).

One ``target, rule`` per line; ``#`` starts a comment; blank lines are ignored; an
optional ``targets, factors`` header is skipped; CRLF line ends are accepted.  Names
used in rules but never defined become inputs (with one warning).

Examples
--------
>>> net = parse_bnet("targets, factors\\nA, !B\\nB, A  # B follows A\\n")
>>> print(generate_bnet(net), end="")
targets, factors
A, !B
B, A
"""

from __future__ import annotations

import os
from pathlib import Path

from ..annotations import Annotations
from ..errors import ParseError
from ..expr import Expr, fold_constants, is_valid_name, parse_expression, to_bnet
from ..model import BooleanNetwork
from .files import (
    atomic_write_text,
    read_input_text,
    require_network,
    require_path,
    require_text,
)

__all__ = ["parse_bnet", "read_bnet", "generate_bnet", "write_bnet", "text_lines"]


def text_lines(text: str) -> list[str]:
    """The lines of ``text``, split at ``\\n`` (and ``\\r\\n``) only.

    :meth:`str.splitlines` also splits at form feeds, ``\\x1c``-``\\x1e``, NEL and
    U+2028/U+2029, which would cut a rule in two silently and shift every later line
    number; here such characters stay in the line, where the parser reports them.

    Examples
    --------
    >>> text_lines("A, B\\x0c& C\\r\\nB, A\\n")
    ['A, B\\x0c& C', 'B, A']
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def parse_bnet(
    text: str,
    *,
    source: str | None = None,
    name: str = "",
    annotations: Annotations | None = None,
) -> BooleanNetwork:
    """Parse bnet text into a :class:`~signet.model.BooleanNetwork`.

    Parameters
    ----------
    text
        The file's content.
    source
        File name for error messages.
    name
        Network name (defaults to the file stem).
    annotations
        Metadata to attach.

    Raises
    ------
    ParseError
        Naming the line and column of the first problem (a duplicate target names both lines).

    Examples
    --------
    >>> parse_bnet("A, B &\\n", source="x.bnet")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: x.bnet:1:6: rule ends after operator '&': an operand is missing
    """
    from .. import limits

    require_text(text)
    bounds = limits.LIMITS
    rules: dict[str, Expr] = {}
    defined_at: dict[str, int] = {}
    for lineno, raw in enumerate(text_lines(text), start=1):
        line = raw.split("#", 1)[0]
        if not line.strip(" \t"):
            continue
        if len(line) > bounds.line_chars:
            raise ParseError(f"line of {len(line):,} characters; the limit is {bounds.line_chars:,}",
                             source=source, line=lineno, column=1)
        if len(rules) >= bounds.nodes:
            raise ParseError(f"more than {bounds.nodes:,} rules; the limit is {bounds.nodes:,} nodes",
                             source=source, line=lineno, column=1)
        if "\x00" in line:
            raise ParseError("binary data (NUL byte): not a bnet text file", source=source, line=lineno,
                             column=line.index("\x00") + 1)
        target_part, comma, rule_part = line.partition(",")
        target = target_part.strip(" \t")
        tcol = len(target_part) - len(target_part.lstrip(" \t")) + 1
        if not comma:
            raise ParseError(
                "missing comma: expected 'target, rule'", source=source, line=lineno, column=tcol,
                token=target or None,
            )
        if target.lower() == "targets" and rule_part.strip(" \t").lower() == "factors":
            continue
        if not target:
            raise ParseError("missing target name before ','", source=source, line=lineno, column=tcol)
        if not is_valid_name(target):
            raise ParseError(
                f"bad target name {target!r}: use letters, digits, '_', '.', ':' (not starting with a digit)",
                source=source, line=lineno, column=tcol, token=target,
            )
        if target in rules:
            raise ParseError(
                f"duplicate target {target!r}: already defined on line {defined_at[target]}",
                source=source, line=lineno, column=tcol, token=target,
            )
        rcol = len(target_part) + 2
        rules[target] = parse_expression(rule_part, source=source, line=lineno, column=rcol)
        defined_at[target] = lineno
    if not rules:
        raise ParseError("no rules found: a bnet file has lines 'target, rule'", source=source, line=1, column=1)
    if not name and source:
        name = Path(source).stem
    return BooleanNetwork(rules, name=name, annotations=annotations, add_implicit_inputs=True)


def read_bnet(path: str | os.PathLike[str], *, annotations: Annotations | None = None) -> BooleanNetwork:
    """Read a bnet file (UTF-8; any other encoding is a clear :class:`ParseError`)."""
    path = Path(require_path(path))
    text = read_input_text(path)
    return parse_bnet(text, source=str(path), name=path.stem, annotations=annotations)


def generate_bnet(network: BooleanNetwork, *, header: bool = True) -> str:
    """bnet text for ``network``: one line per node, inputs as ``X, X``.

    Rules are printed with constants folded and double negations removed, so the
    output is a normalised form of the same functions.
    """
    require_network(network)
    lines = ["targets, factors"] if header else []
    for node, rule in network.rules.items():
        lines.append(f"{node}, {to_bnet(fold_constants(rule))}")
    return "\n".join(lines) + "\n"


def write_bnet(network: BooleanNetwork, path: str | os.PathLike[str], *, header: bool = True) -> None:
    """Write ``network`` as bnet (atomically: a half-written file never appears)."""
    atomic_write_text(path, generate_bnet(network, header=header))
