"""Summarise rows of ``benchmarks/attractors.py`` output files, pooled: the issue's figures
over runs made in parts (time boxes, several sessions).

Each file's rows (``model n question tool=seconds ... ratio=...``) are read; when a model and
question appear in several files, the row of the file given last wins (a re-run replaces an
older measurement).  The summary uses the benchmark's own formulas: per question and model
size (up to 100 nodes, over 100), the geometric mean and median of signet's time over the
fastest peer that finished (a time below 0.1 ms counts as 0.1 ms, the ratio as printed), the
timeouts of every tool, the rows marked ``DISAGREE``, and the models a peer answered within
the cap while signet did not.  A peer's answer counts whether it listed or only counted: where
AEON only counted the fixed points (``(count)`` in a ``fixed`` row), signet answered the model
if it listed them or answered its ``count`` row (the number of fixed points, not listed).
``first`` rows are summarised by wall and CPU seconds.

Fixed points on equal terms: where a peer only counted (``(count)``), signet's count is the
answer compared with it, taken from the row's own ``signet-count`` cell (written by
``benchmarks/attractors.py`` since session 8) or else from the model's ``count`` row; signet's
listing is compared only with the peers that list.  A ``signet-count`` cell without a ``count``
row for its model also stands as that model's ``count`` row.  The timeout tally counts, per
tool, the rows where it gave no answer to its question (signet: the listing, or where a peer
only counted, the listing or the count), and, per peer, signet's timeouts against the peer's on
the same question and the same rows (head to head).

Usage::

    python benchmarks/summarize_attractors.py FILE [FILE ...] [--expect N]
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
from pathlib import Path

_ROW = re.compile(r"^(?P<label>(?:pbn|bbm|balm)/\S+)\s+(?P<n>\d+)\s+"
                  r"(?P<q>mts|async|fixed|count|first-in|first)\s+(?P<rest>.*)$")
_CELL = re.compile(r"(?<![a-z-])(?P<tool>[a-z][a-z-]*)=(?P<value>T/O|ERR|[0-9.]+)(?P<count>\(count\))?")


def read_rows(paths: list[str]) -> dict[tuple[str, str], dict]:
    """``(model, question) -> row`` over ``paths``, later files replacing earlier ones."""
    rows: dict[tuple[str, str], dict] = {}
    for path in paths:
        parse_rows(Path(path).read_text().splitlines(), path, rows)
    return rows


def parse_rows(lines: list[str], path: str, rows: dict[tuple[str, str], dict]) -> None:
    """Enter the rows among ``lines`` (read from ``path``) into ``rows``, replacing earlier ones."""
    for line in lines:
        m = _ROW.match(line)
        if not m:
            continue
        cells = {c["tool"]: (c["value"], bool(c["count"])) for c in _CELL.finditer(m["rest"])}
        ratio = cells.pop("ratio", None)
        count_ratio = cells.pop("count-ratio", None)
        signet_count = cells.pop("signet-count", None)
        for extra in ("answers", "ref"):
            cells.pop(extra, None)
        value = None if ratio is None or ratio[0] in ("T/O", "ERR") else float(ratio[0])
        if value == 0.0:  # printed as 0.00: recomputed from the times (each at least 0.1 ms, as printed)
            value = _ratio_of_cells(cells)
        rows[(m["label"], m["q"])] = {
            "label": m["label"], "n": int(m["n"]), "q": m["q"], "cells": cells,
            "ratio": value,
            "disagree": "DISAGREE" in m["rest"], "file": path,
        }
        if signet_count is not None:
            _count_row_of(rows, rows[(m["label"], m["q"])], signet_count, count_ratio)


def _count_row_of(rows: dict[tuple[str, str], dict], fixed: dict, signet_count: tuple[str, bool],
                  count_ratio: tuple[str, bool] | None) -> None:
    """Enter a ``fixed`` row's ``signet-count`` cell, beside the counting peer's time in that
    row, as its model's ``count`` row, unless the model has one already (kept: a count row
    measures the question on its own)."""
    key = (fixed["label"], "count")
    if key in rows:
        return
    cells = {"signet": (signet_count[0], False)}
    cells.update({t: (v, False) for t, (v, counted) in fixed["cells"].items() if counted})
    ratio = None if count_ratio is None or count_ratio[0] in ("T/O", "ERR") else float(count_ratio[0])
    rows[key] = {"label": fixed["label"], "n": fixed["n"], "q": "count", "cells": cells, "ratio": ratio,
                 "disagree": fixed["disagree"], "file": fixed["file"]}


def _ratio_of_cells(cells: dict[str, tuple[str, bool]]) -> float:
    """signet's time over the fastest peer's that listed (times under 0.1 ms count as 0.1 ms)."""
    def seconds(value: str) -> float:
        return max(float(value), 1e-4)

    peers = [seconds(v) for t, (v, counted) in cells.items()
             if t not in ("signet", "cpu") and v not in ("T/O", "ERR") and not counted]
    return seconds(cells["signet"][0]) / min(peers)


def _answered(row: dict | None, tool: str) -> bool:
    return row is not None and row["cells"].get(tool, ("T/O",))[0] not in ("T/O", "ERR")


def _missed(row: dict, rows: dict[tuple[str, str], dict]) -> bool:
    """Whether a peer answered ``row``'s model within the cap and signet did not: a peer that
    listed, against signet's listing; a peer that only counted (``(count)``), against signet's
    listing or its answer in the model's ``count`` row."""
    if _answered(row, "signet"):
        return False
    peers = [(t, v) for t, v in row["cells"].items() if t not in ("signet", "cpu") and v[0] not in ("T/O", "ERR")]
    if any(not counted for _t, (_v, counted) in peers):
        return True
    return bool(peers) and not _answered(rows.get((row["label"], "count")), "signet")


def _timed_out(row: dict | None, tool: str) -> bool | None:
    """Whether ``tool`` timed out in ``row`` (``None``: not run there)."""
    if row is None or tool not in row["cells"]:
        return None
    return row["cells"][tool][0] == "T/O"


def _fixed_tally(part: list[dict], rows: dict[tuple[str, str], dict]) -> tuple[dict[str, int], list[str]]:
    """Timeouts of the ``fixed`` rows on equal terms: per tool, the rows where it gave no answer
    to its question (a peer: what it answered in the row, a listing or, marked ``(count)``, a
    count; signet: the listing, or where a peer only counted, the listing or the count); and per
    peer, signet's timeouts against the peer's on the same question over the same rows."""
    tools = sorted({t for r in part for t in r["cells"] if t != "cpu"}, key=lambda t: (t != "signet", t))
    tally = {t: 0 for t in tools}
    # per peer: rows, rows it only counted, signet's timeouts, the peer's, signet's count not run
    heads: dict[str, list[int]] = {t: [0, 0, 0, 0, 0] for t in tools if t != "signet"}
    for r in part:
        counted_here = any(v[1] for v in r["cells"].values())
        counting = _timed_out(rows.get((r["label"], "count")), "signet")
        listing = _timed_out(r, "signet")
        for t, (value, counted) in r["cells"].items():
            if t == "cpu":
                continue
            if t == "signet":
                tally[t] += bool(listing) and not (counted_here and counting is False)
                continue
            tally[t] += value == "T/O"
            head = heads[t]
            head[0] += 1
            head[1] += counted
            mine = counting if counted else listing
            head[2] += bool(mine)
            head[3] += value == "T/O"
            head[4] += mine is None
    lines = []
    for t, (n, counted, mine, theirs, unknown) in heads.items():
        how = "listing against listing"
        if counted:
            how = (f"on the {counted} where {t} only counted, signet's count against its count"
                   + (f" (signet's count not run on {unknown})" if unknown else "") + "; elsewhere " + how)
        lines.append(f"signet {mine} vs {t} {theirs} over {n} rows, {how}")
    return tally, lines


def geomean(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(x) for x in values)) if values else float("nan")


def summarise(rows: dict[tuple[str, str], dict]) -> None:
    questions = sorted({q for _m, q in rows}, key=["mts", "fixed", "count", "async", "first", "first-in"].index)
    for q in questions:
        sel = [r for r in rows.values() if r["q"] == q]
        if q.startswith("first"):
            wall = [float(r["cells"]["signet"][0]) for r in sel if r["cells"].get("signet", ("T/O",))[0] != "T/O"]
            cpu = [float(r["cells"]["cpu"][0]) for r in sel if "cpu" in r["cells"]]
            over = sorted((r["label"], float(r["cells"]["signet"][0])) for r in sel
                          if r["cells"].get("signet", ("T/O",))[0] != "T/O" and float(r["cells"]["signet"][0]) > 1)
            cpu_text = f"CPU median {statistics.median(cpu):.2f} s, max {max(cpu):.2f} s" if cpu else "CPU not recorded"
            print(f"  {q:<8} models {len(sel)}: answered {len(wall)}, wall median {statistics.median(wall):.2f} s, "
                  f"max {max(wall):.2f} s, over 1 s: {len(over)} {' '.join(f'{m}({t:.2f})' for m, t in over)}; "
                  + cpu_text)
            continue
        for size, pick in (("<=100", lambda n: n <= 100), (">100", lambda n: n > 100)):
            part = [r for r in sel if pick(r["n"])]
            if not part:
                continue
            tools = sorted({t for r in part for t in r["cells"]}, key=lambda t: (t != "signet", t))
            ratios = [r["ratio"] for r in part if r["ratio"] is not None]
            timeouts = {t: sum(1 for r in part if r["cells"].get(t, ("",))[0] == "T/O") for t in tools}
            missed = [r["label"] for r in part if _missed(r, rows)]
            counted = [f"{r['label']}({t})" for r in part for t, v in r["cells"].items() if v[1]]
            only = [r["label"] for r in part if r["cells"].get("signet", ("T/O",))[0] not in ("T/O", "ERR")
                    and all(v[0] in ("T/O", "ERR") for t, v in r["cells"].items() if t != "signet")]
            slower = sorted(((r["ratio"], r["label"]) for r in part if r["ratio"] is not None and r["ratio"] > 1),
                            reverse=True)
            print(f"  {q:<6} {size:>5} nodes: models {len(part)}, compared {len(ratios)}: geometric mean ratio "
                  f"{geomean(ratios):.2f}, median {statistics.median(ratios) if ratios else float('nan'):.2f}; "
                  f"timeouts {timeouts}; disagreements {sum(r['disagree'] for r in part)}")
            if q == "fixed":
                tally, heads = _fixed_tally(part, rows)
                print(f"         timeouts on equal terms (signet's count where a peer only counted): {tally}")
                for line in heads:
                    print(f"           head to head: {line}")
            print(f"         a peer answered, signet did not: {len(missed)} {' '.join(missed)}; "
                  f"only signet answered: {len(only)} {' '.join(only[:12])}")
            if counted:
                print("         a peer only counted (compared with signet's count, not in the ratio): "
                      + " ".join(counted))
            print(f"         signet slower than the fastest peer on {len(slower)}: "
                  + " ".join(f"{m}({x:.2f})" for x, m in slower[:15]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    rows = read_rows(args.files)
    models = {m for m, _q in rows}
    print(f"{len(rows)} rows, {len(models)} models, from {len(args.files)} files "
          "(a later file's row replaces an earlier one)")
    summarise(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
