"""Text output shared by the commands: aligned tables, the columns worth showing, progress bars.

Kept apart from ``signet/cli/__init__.py`` so that ``signet --help`` does not load it;
it imports nothing heavy (tqdm only when a bar is shown).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping, Sequence

__all__ = ["text_table", "varying_nodes", "progress_bar"]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: bool = False) -> list[str]:
    """The lines of a table: columns two spaces apart, each as wide as its widest cell.

    Cells are left-aligned (``right=True``: right-aligned); trailing spaces are dropped.

    Examples
    --------
    >>> print("\\n".join(text_table(["#", "kind"], [["1", "fixed"], ["2", "cyclic"]])))
    #  kind
    1  fixed
    2  cyclic
    >>> text_table(["time", "Death"], [["0", "0.125"]], right=True)
    ['time  Death', '   0  0.125']
    """
    widths = [max([len(h), *(len(r[k]) for r in rows)]) for k, h in enumerate(header)]
    pad = str.rjust if right else str.ljust
    return ["  ".join(pad(c, w) for c, w in zip(line, widths)).rstrip() for line in [header, *rows]]


def varying_nodes(nodes: Sequence[str], spaces: Sequence[Mapping[str, Any]], shown: Mapping[str, Any]) -> list[str]:
    """The nodes whose value differs between ``spaces`` (all nodes when there is one space),
    leaving out names already ``shown`` as columns (a phenotype named like a node).

    Examples
    --------
    >>> varying_nodes(["A", "B", "Death"], [{"A": 0, "B": 1, "Death": 0}, {"A": 1, "B": 1, "Death": 1}], {"Death": ""})
    ['A']
    """
    if len(spaces) > 1:
        nodes = [n for n in nodes if len({str(s[n]) for s in spaces}) > 1]
    return [n for n in nodes if n not in shown]


@contextmanager
def progress_bar(enabled: bool, description: str, unit: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a tqdm bar on a terminal's stderr, closed on exit.

    Yields ``None`` (no bar) unless ``enabled`` and stderr is a terminal.
    """
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=1, desc=description, unit=unit, dynamic_ncols=True, leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()
