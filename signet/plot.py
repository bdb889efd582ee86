"""Figures: screen rankings and synergy, attractor heatmaps, the signed interaction graph.

Every function returns a matplotlib ``Figure``; :func:`save_figure` writes it as PNG,
SVG or PDF from the file extension.  The figures are made without pyplot, so signet
never changes the matplotlib backend, needs no display, and leaves no figure open; in
Jupyter a returned figure is shown inline like any matplotlib figure.

Examples
--------
>>> from signet.io.bnet import parse_bnet
>>> fig = network_figure(parse_bnet("A, A\\nB, A & !C\\nC, B"))
>>> len(fig.axes)
1
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .errors import SignetError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure

    from .dynamics.results import AttractorResult
    from .model import BooleanNetwork

__all__ = ["screen_figure", "attractor_figure", "network_figure", "timecourse_figure", "save_figure",
           "read_screen_csv", "read_timecourse_csv"]

FORMATS = (".png", ".svg", ".pdf")


def _new_figure(**options: Any) -> Figure:
    """A ``Figure`` not managed by pyplot (the backend in use is never changed).

    Under IPython the backend's module is imported, so that an inline backend
    (Jupyter's) registers how figures are displayed.
    """
    import sys

    import matplotlib
    from matplotlib.figure import Figure

    if "IPython" in sys.modules:
        backend = matplotlib.get_backend()
        if backend.startswith("module://"):
            import importlib

            try:
                importlib.import_module(backend[len("module://"):])
            except ImportError:  # pragma: no cover - a broken backend setting: the figure still works
                pass
    return Figure(**options)


def _colormap(name: str) -> Colormap:
    import matplotlib

    return matplotlib.colormaps[name]


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> None:
    """Write ``figure`` to ``path`` (``.png``, ``.svg`` or ``.pdf``)."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        raise SignetError(f"{path}: cannot tell the figure format; use one of {', '.join(FORMATS)}")
    import io

    from .io.files import atomic_write_bytes

    buffer = io.BytesIO()
    figure.savefig(buffer, format=ext[1:], dpi=dpi, bbox_inches="tight")
    atomic_write_bytes(path, buffer.getvalue())  # nothing half-written; clear error for a bad folder


def read_screen_csv(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Rows of a ``signet screen --out`` CSV with numbers as numbers.

    Raises
    ------
    InputError
        A missing, non-regular or too large file.
    ParseError
        Text that is not UTF-8, a table without the screen's columns, a row with
        missing or extra fields, a field over the size limit, or a bad number; each
        with the file and line.
    """
    import csv
    import io

    from .errors import ParseError
    from .io.files import read_input_text

    text = read_input_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra")
    needed = {"context", "intervention", "perturbation", "size", "score", "bliss"}
    try:
        fields = reader.fieldnames
        if fields is None or not needed <= set(fields):
            raise ParseError(f"not a signet screen table (needs columns {', '.join(sorted(needed))})",
                             source=str(path), line=1)
        rows = [_screen_row(row, len(fields), str(path), reader.line_num) for row in reader]
    except csv.Error as exc:
        raise ParseError(f"malformed CSV: {exc}", source=str(path), line=reader.line_num or 1) from None
    return rows


def _screen_row(row: dict[str, Any], width: int, source: str, line: int) -> dict[str, Any]:
    from .errors import ParseError

    if "\x00extra" in row or any(value is None for value in row.values()):
        found = width + len(row.get("\x00extra", [])) - sum(1 for v in row.values() if v is None)
        raise ParseError(f"row has {found} fields; the header has {width}", source=source, line=line)
    try:
        row["size"] = int(row["size"])
        for key in row:
            if key in ("score", "bliss", "hsa", "reference_score", "gain") or key.startswith("share_"):
                row[key] = float(row[key]) if row[key] != "" else None
    except ValueError as exc:
        raise ParseError(f"bad number ({exc})", source=source, line=line) from None
    return row


def screen_figure(rows: Sequence[Mapping[str, Any]], *, top: int = 25, context: str | None = None,
                  synergy: str = "bliss", title: str = "", score_label: str = "score") -> Figure:
    """Ranked bar chart of single interventions and a heatmap of pair synergy.

    Parameters
    ----------
    rows
        Screen rows (from :class:`signet.screen.ScreenResult` or :func:`read_screen_csv`).
    top
        Singles shown in the bar chart (the best by score).
    context
        Context whose pairs form the heatmap (default: the first context of the rows).
    synergy
        ``"bliss"`` or ``"hsa"``.
    title
        Figure title (none by default).
    score_label
        What the rows' ``score`` measures (e.g. ``"loss of ClonogenicSurvival share"``), for the
        axis and heatmap labels; screen tables do not record the scored phenotype.
    """
    import numpy as np

    if not rows:
        raise SignetError("the screen table is empty")
    contexts = list(dict.fromkeys(r["context"] for r in rows))
    context = context or contexts[0]
    if context not in contexts:
        raise SignetError(f"no rows for context {context!r} (have {', '.join(contexts)})")
    singles = sorted((r for r in rows if r["size"] == 1), key=lambda r: -r["score"])
    pairs = [r for r in rows if r["size"] == 2 and r["context"] == context and r[synergy] is not None]
    ncols = 2 if pairs else 1
    fig = _new_figure(figsize=(7 * ncols, max(4, 0.28 * min(top, len(singles)) + 1.5)))
    axes = fig.subplots(1, ncols)
    axes = np.atleast_1d(axes)
    _singles_chart(axes[0], singles, contexts, top, score_label)
    if pairs:
        image = _synergy_heatmap(axes[1], pairs, synergy)
        axes[1].set_title(f"Pair synergy ({synergy} excess), {context}")
        fig.colorbar(image, ax=axes[1], shrink=0.8, label=f"{synergy} excess on the {score_label}")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _singles_chart(ax: Axes, singles: Sequence[Mapping[str, Any]], contexts: list[str], top: int,
                   score_label: str) -> None:
    """The ``top`` single interventions by score as horizontal bars, coloured by context."""
    shown = singles[:top][::-1]
    colours = _colormap("tab10")
    labels = [r["intervention"] + (f"  [{r['context']}]" if len(contexts) > 1 else "") for r in shown]
    bar_colours = [colours(contexts.index(r["context"]) % 10) for r in shown]
    ax.barh(range(len(shown)), [r["score"] for r in shown], color=bar_colours)
    gains = [(y, r["gain"]) for y, r in enumerate(shown) if r.get("gain") is not None]
    if gains:  # a screen with a reference context: the therapeutic gain of each bar as a marker
        ax.scatter([g for _, g in gains], [y for y, _ in gains], marker="D", s=14, color="black", zorder=3,
                   label="therapeutic gain (score - score in the reference)")
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"{score_label} vs treatment alone (larger: more radiosensitizing)")
    ax.set_title(f"Top single interventions ({len(singles)} screened)")
    handles = ax.get_legend_handles_labels()[0]
    if len(contexts) > 1:
        from matplotlib.patches import Patch

        handles += [Patch(color=colours(i % 10), label=c) for i, c in enumerate(contexts)]
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="lower right")


def _synergy_heatmap(ax: Axes, pairs: Sequence[Mapping[str, Any]], synergy: str) -> Any:
    """The ``synergy`` of pairs as a symmetric heatmap over their parts (the 30 most synergistic
    parts when there are more); returns the image for its colour bar."""
    import numpy as np

    parts = sorted({p for r in pairs for p in r["intervention"].split(" + ")})
    if len(parts) > 30:
        keep: list[str] = []
        for r in sorted(pairs, key=lambda r: -abs(r[synergy])):
            for p in r["intervention"].split(" + "):
                if p not in keep:
                    keep.append(p)
        parts = sorted(keep[:30])
    index = {p: i for i, p in enumerate(parts)}
    grid = np.full((len(parts), len(parts)), np.nan)
    for r in pairs:
        a, b = r["intervention"].split(" + ")
        if a in index and b in index:
            grid[index[a], index[b]] = grid[index[b], index[a]] = r[synergy]
    limit = (np.nanmax(np.abs(grid)) if np.isfinite(grid).any() else 1.0) or 1.0
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks(range(len(parts)), parts, rotation=90, fontsize=7)
    ax.set_yticks(range(len(parts)), parts, fontsize=7)
    return image


def attractor_figure(network: BooleanNetwork, result: AttractorResult, phenotypes: Mapping[str, str] | None = None,
                     *, title: str = "") -> Figure:
    """Heatmap of attractor states (rows) over nodes (columns), with phenotype columns first.

    ``result`` is an :class:`signet.dynamics.AttractorResult`; ``"*"`` (oscillating)
    is drawn grey.
    """
    import numpy as np
    from matplotlib.colors import ListedColormap

    phenotypes = dict(network.annotations.phenotypes if phenotypes is None else phenotypes)
    atts = list(result.attractors)
    if not atts:
        raise SignetError("no attractors to draw")
    values = result.phenotype_values(phenotypes) if phenotypes else [{} for _ in atts]
    info = network.annotations.nodes
    modules = {n: (info[n].module if info.get(n) else "") for n in network.nodes}
    order = sorted(network.nodes, key=lambda n: (modules[n] or "~", list(network.nodes).index(n)))
    columns = [f"[{p}]" for p in phenotypes] + order
    code = {0: 0.0, 1: 1.0, "*": 0.5}
    grid = np.array(
        [[code[v.get(p, "*")] for p in phenotypes] + [code[a.space[n]] for n in order] for a, v in zip(atts, values)]
    )
    width = max(6, 0.16 * len(columns) + 2)
    fig = _new_figure(figsize=(width, 1.2 + 0.35 * len(atts)))
    ax = fig.subplots()
    ax.imshow(grid, aspect="auto", cmap=ListedColormap(["#2c7bb6", "#bbbbbb", "#d7191c"]), vmin=0, vmax=1)
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=6 if len(columns) > 60 else 8)
    ax.set_yticks(range(len(atts)), [f"#{i + 1} {a.kind} ({a.states} states)" for i, a in enumerate(atts)], fontsize=8)
    if phenotypes:
        ax.axvline(len(phenotypes) - 0.5, color="black", linewidth=1.5)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#d7191c", label="1"), Patch(color="#2c7bb6", label="0"),
                       Patch(color="#bbbbbb", label="* oscillates")],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title or f"{len(atts)} attractor(s), {result.update} update")
    fig.tight_layout()
    return fig


def network_figure(network: BooleanNetwork, *, title: str = "", seed: int = 1) -> Figure:
    """The signed interaction graph, nodes coloured by module (green +, red -, grey ? edges)."""
    import networkx as nx

    from .graph import interaction_graph

    graph = interaction_graph(network)
    modules = sorted({d.get("module") or "(none)" for _, d in graph.nodes(data=True)})
    cmap = _colormap("tab20")
    colour = {m: cmap(i % 20) for i, m in enumerate(modules)}
    n = graph.number_of_nodes()
    size = 6 if n < 30 else 10 if n < 80 else 14
    fig = _new_figure(figsize=(size + 2.5, size))
    ax = fig.subplots()
    pos = nx.spring_layout(graph, seed=seed, k=1.8 / max(1, n) ** 0.5) if n else {}
    edge_colour = {"+": "#1a9641", "-": "#d7191c", "?": "#888888"}
    for sign in "+-?":
        edges = [(u, v) for u, v, d in graph.edges(data=True) if d["sign"] == sign]
        nx.draw_networkx_edges(graph, pos, edgelist=edges, edge_color=edge_colour[sign], ax=ax,
                               arrows=True, arrowstyle="-|>" if sign != "-" else "-[", arrowsize=8,
                               width=0.8, alpha=0.7, node_size=300)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=300 if n < 80 else 180,
                           node_color=[colour[d.get("module") or "(none)"] for _, d in graph.nodes(data=True)],
                           edgecolors=["black" if d["kind"] == "input" else "none" for _, d in graph.nodes(data=True)])
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7 if n < 80 else 5)
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [Patch(color=colour[m], label=m) for m in modules]
    handles += [Line2D([0], [0], color=edge_colour["+"], label="activation"),
                Line2D([0], [0], color=edge_colour["-"], label="inhibition"),
                Line2D([0], [0], color=edge_colour["?"], label="dual")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, title="module")
    ax.set_title(title or f"{network.name or 'network'}: {n} nodes, {graph.number_of_edges()} signed edges")
    ax.axis("off")
    fig.tight_layout()
    return fig


def read_timecourse_csv(path: str | os.PathLike[str]) -> tuple[list[str], list[dict[str, float]]]:
    """``(series names, rows)`` of a ``signet timecourse --out`` CSV, numbers as numbers."""
    import csv

    if not os.path.exists(path):
        raise SignetError(f"{path}: no such file")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        if fields[:2] != ["time", "phase"]:
            raise SignetError(f"{path}: not a signet time course table (needs columns time, phase, ...)")
        names = [f for f in fields[2:] if not f.endswith(("_low", "_high"))]
        rows = []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append({k: float(v) for k, v in row.items()})
            except (TypeError, ValueError) as exc:
                raise SignetError(f"{path}:{line}: bad number ({exc})") from None
    if not rows:
        raise SignetError(f"{path}: the time course table is empty")
    return names, rows


def timecourse_figure(names: Sequence[str], rows: Sequence[Mapping[str, float]], *, title: str = "") -> Figure:
    """Probability over time of each series in ``names`` (95% bands when the table has them),
    with the schedule's phases shaded alternately.

    Examples
    --------
    >>> rows = [{"time": t, "phase": 1 + (t >= 2), "Death": t / 4} for t in range(5)]
    >>> fig = timecourse_figure(["Death"], rows)
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['Death']
    """
    import numpy as np

    times = np.array([r["time"] for r in rows])
    phases = np.array([r["phase"] for r in rows])
    fig = _new_figure(figsize=(8, 4.5))
    ax = fig.subplots()
    changes = [0] + [k for k in range(1, len(rows)) if phases[k] != phases[k - 1]] + [len(rows) - 1]
    for i, (a, b) in enumerate(zip(changes[:-1], changes[1:])):
        if i % 2:
            ax.axvspan(times[a], times[b], color="#eeeeee", zorder=0)
    for name in names:
        if name not in rows[0]:
            raise SignetError(f"no column {name!r} in the time course (have {', '.join(r for r in rows[0])})")
        line, = ax.plot(times, [r[name] for r in rows], label=name)
        if f"{name}_low" in rows[0]:
            ax.fill_between(times, [r[f"{name}_low"] for r in rows], [r[f"{name}_high"] for r in rows],
                            color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time (1/rate units)")
    ax.set_ylabel("probability")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title or "time course (grey: every other phase)")
    fig.tight_layout()
    return fig
