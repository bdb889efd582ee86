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
_CELL = re.compile(r"(?P<tool>[a-z]+)=(?P<value>T/O|ERR|[0-9.]+)(?P<count>\(count\))?")


def read_rows(paths: list[str]) -> dict[tuple[str, str], dict]:
    """``(model, question) -> row`` over ``paths``, later files replacing earlier ones."""
    rows: dict[tuple[str, str], dict] = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            m = _ROW.match(line)
            if not m:
                continue
            cells = {c["tool"]: (c["value"], bool(c["count"])) for c in _CELL.finditer(m["rest"])}
            ratio = cells.pop("ratio", None)
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
    return rows


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
            print(f"         a peer answered, signet did not: {len(missed)} {' '.join(missed)}; "
                  f"only signet answered: {len(only)} {' '.join(only[:12])}")
            if counted:
                print(f"         a peer only counted (another question, not compared): {' '.join(counted)}")
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
