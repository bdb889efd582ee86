"""The loop the sensitivity scripts share: the radioresistance model's claims and survivals under
each value of one assumption (rate_sensitivity.py: the declared rates; population_sensitivity.py:
the untreated share of stem-like cells).  Prints the markdown table docs/model.md quotes."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "networks" / "radioresistance.bnet"


def print_table(label: str, values: Iterable[float], variant: Callable[[Any, float], Any],
                contexts: Iterable[str], cell: Callable[[Any, str], str]) -> None:
    """One row per value: the claims passing under the readout (``signet validate``, fate
    probabilities, second looks as validate takes them), the failing ones, ``cell(net, context)``
    for each context and the seconds it took.  ``variant(model, value)`` is the model with the
    assumption set to ``value``."""
    from signet.io import read_model
    from signet.io.expectations import expectations_path, read_expectations
    from signet.validate import validate

    contexts = list(contexts)
    base = read_model(MODEL)
    claims = read_expectations(expectations_path(MODEL), base)
    print(f"measured {datetime.date.today()}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"| {label} | claims passing | failing | survival " + " | survival ".join(f"`{c}`" for c in contexts)
          + " | seconds |")
    print("|---|---|---|" + "---|" * len(contexts) + "---|")
    for value in values:
        net = variant(base, value)
        started = time.perf_counter()
        result = validate(net, claims, metric="probability")
        cells = [cell(net, c) for c in contexts]
        failed = ", ".join(f"`{r.expectation.id}`" for r in result.failed) or "none"
        print(f"| {value:g} | {len(result.passed)}/{len(claims)} | {failed} | " + " | ".join(cells)
              + f" | {time.perf_counter() - started:.0f} |", flush=True)


def survival(net: Any, context: str) -> tuple[float, tuple[float, float]]:
    """Clonogenic survival after the pulse in ``context`` (value, 95% interval), as validate computes a case."""
    from signet.validate import readout

    result = readout(net, context)
    return result.value_of("ClonogenicSurvival"), result.interval_of("ClonogenicSurvival")


def with_metadata(net: Any, **changes: Any) -> Any:
    """``net`` with these annotation fields replaced (``rates=...``, ``baseline_fractions=...``)."""
    from dataclasses import replace

    from signet.model import BooleanNetwork

    return BooleanNetwork(dict(net.rules), name=net.name, annotations=replace(net.annotations, **changes))


def with_rate(net: Any, nodes: Iterable[str], way: str, value: float) -> Any:
    """``net`` with the ``way`` ("up" or "down") rate of each of ``nodes`` set to ``value``, every other
    rate kept."""
    rates = dict(net.annotations.rates)
    for node in nodes:
        up, down = rates.get(node, (1.0, 1.0))
        rates[node] = (value, down) if way == "up" else (up, value)
    return with_metadata(net, rates=rates)
