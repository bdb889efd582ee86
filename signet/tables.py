"""Results as tables: ``pandas.DataFrame`` export and HTML display in Jupyter.

Every result object of signet has ``to_pandas()`` (pandas is imported only then; it
is in the ``notebook`` extra, ``pip install "signet[notebook]"``) and attractor,
screen, validation and control results have ``_repr_html_()``, so that a notebook shows
them as tables.  The tables are built from the same records as the JSON output, so the
three views never disagree.

An attractor's row holds its ``kind``, its number of ``states``, one
``phenotype_NAME`` column per phenotype (``1``, ``0`` or ``"*"``) and one column per
node (``0``, ``1`` or ``"*"``).

Examples
--------
>>> print(html_table(["node", "value"], [["TP53", 1], ["<b>", "*"]], caption="demo"))
<table class="signet">
<caption>demo</caption>
<thead><tr><th>node</th><th>value</th></tr></thead>
<tbody>
<tr><td>TP53</td><td>1</td></tr>
<tr><td>&lt;b&gt;</td><td>*</td></tr>
</tbody>
</table>
>>> attractor_records([{"kind": "fixed", "space": {"A": 1}, "states": 1, "phenotypes": {"Up": 1}}])
[{'kind': 'fixed', 'states': 1, 'phenotype_Up': 1, 'A': 1}]
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .errors import SignetError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["to_dataframe", "html_table", "attractor_records", "HTML_ROWS"]

#: Rows shown by ``_repr_html_`` before "... N more rows" (``to_pandas()`` has them all).
HTML_ROWS = 50


def to_dataframe(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> "pandas.DataFrame":
    """A ``pandas.DataFrame`` of ``records`` (one dict per row), columns in ``columns`` order.

    Raises
    ------
    SignetError
        pandas is not installed (it is in the ``notebook`` and ``test`` extras).
    """
    try:
        import pandas
    except ModuleNotFoundError:
        raise SignetError('to_pandas() needs pandas: pip install "signet[notebook]" (or pandas)') from None
    return pandas.DataFrame.from_records(list(records), columns=list(columns) if columns is not None else None)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e-3 and value != 0 else f"{value:.3f}".rstrip("0").rstrip(".") or "0"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str = "",
               limit: int | None = None) -> str:
    """An HTML table (every cell escaped); at most ``limit`` rows, then a "more rows" line."""
    rows = list(rows)
    shown = rows if limit is None else rows[:limit]
    lines = ['<table class="signet">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead>")
    lines.append("<tbody>")
    for row in shown:
        lines.append("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>")
    if len(rows) > len(shown):
        more = len(rows) - len(shown)
        lines.append(f'<tr><td colspan="{len(header)}">... {more} more row{"s" if more != 1 else ""} '
                     f"(to_pandas() has them all)</td></tr>")
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def attractor_records(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows from the JSON items of attractors (``kind``, ``states``, other numbers such
    as ``probability``, ``phenotype_NAME`` per phenotype, then one column per node)."""
    records = []
    for item in items:
        row: dict[str, Any] = {"kind": item["kind"], "states": item["states"]}
        for key, value in item.items():
            if key not in ("kind", "states", "space", "phenotypes"):
                row[key] = value
        for name, value in (item.get("phenotypes") or {}).items():
            row[f"phenotype_{name}"] = value
        row.update(item["space"])
        records.append(row)
    return records


def records_html(records: Sequence[Mapping[str, Any]], *, caption: str = "", limit: int | None = HTML_ROWS,
                 columns: Sequence[str] | None = None) -> str:
    """:func:`html_table` of records (the union of their keys, in first-seen order)."""
    if columns is None:
        seen: dict[str, None] = {}
        for record in records:
            seen.update(dict.fromkeys(record))
        columns = list(seen)
    return html_table(columns, ([r.get(c) for c in columns] for r in records), caption=caption, limit=limit)
