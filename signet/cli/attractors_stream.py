"""Output of ``signet attractors`` for answers that may be large: ``--count``, ``--limit``,
``--json-lines`` (streamed) and ``--by-inputs`` (grouped by input valuation).

Attractors come from :func:`signet.dynamics.attractor_groups` (found one by one, by
decomposition) when the question allows it (async or mp, all attractors); with
``--from`` or ``--update sync`` they are computed at once and then written the same way.
Progress goes to stderr (after a second, and only on a terminal).  ``update`` ``"fixed"``
stands for ``--fixed-points``: the fixed points, listed by decomposition or counted symbolically.
"""

from __future__ import annotations

import itertools
import json
import sys
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import click

from . import echo_json

if TYPE_CHECKING:  # pragma: no cover
    from ..dynamics.results import Attractor
    from ..model import BooleanNetwork
    from ..types import SpaceValue, State


class _Progress:
    """A progress display on stderr: sub-networks analysed and attractors found.  Off the
    terminal there is none, and tqdm is not even imported (the first answer waits for no
    import it does not need)."""

    def __init__(self) -> None:
        self.bar: Any = None
        if sys.stderr.isatty():  # what tqdm's ``disable=None`` tests
            from tqdm import tqdm

            self.bar = tqdm(total=None, desc="analysing", unit=" sub-networks", file=sys.stderr, delay=1.0,
                            disable=None, leave=False, dynamic_ncols=True)
        self.found = 0

    def tick(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def found_one(self) -> None:
        self.found += 1
        if self.bar is not None and self.found % 100 == 1:
            self.bar.set_postfix_str(f"{self.found} attractors found", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _streamable(update: str, starts: Sequence[State] | None, engine: str) -> bool:
    if update == "fixed":
        return True
    if starts is not None:
        return False
    return (update == "async" and engine in ("auto", "succession")) or (update == "mp" and engine in ("auto", "asp"))


def _engine_name(update: str) -> str:
    return "succession" if update == "async" else "asp"


def _noun(update: str, n: int) -> str:
    """``"3 attractors"``, ``"1 fixed point"``: what ``update`` lists (``"fixed"``: fixed points)."""
    word = "fixed point" if update == "fixed" else "attractor"
    return f"{n} {word}{'s' if n != 1 else ''}"


def _pairs(perturbed: BooleanNetwork, update: str, starts: Sequence[State] | None, engine: str,
           progress: _Progress, inputs: Sequence[str]) -> tuple[Iterator[tuple[dict[str, SpaceValue], Attractor]], str]:
    """``(input values, attractor)`` in group order, and the engine that answers (``inputs``: the
    free inputs of ``perturbed``)."""
    from ..dynamics import attractors, iter_attractors, iter_fixed_points
    from ..dynamics.results import Attractor

    if update == "fixed":
        states = iter_fixed_points(perturbed, on_progress=progress.tick)  # grouped by input valuation
        return (({n: s[n] for n in inputs}, Attractor("fixed", dict(s), 1)) for s in states), "asp"
    if _streamable(update, starts, engine):
        found = iter_attractors(perturbed, update, on_progress=progress.tick)  # grouped by input valuation
        return (({n: a.space[n] for n in inputs}, a) for a in found), _engine_name(update)
    result = attractors(perturbed, update, start=starts, engine=engine)
    keyed = [({n: a.space[n] for n in inputs}, a) for a in result.attractors]
    keyed.sort(key=lambda pair: [str(v) for v in pair[0].values()])  # stable: sorted within a group
    return iter(keyed), result.engine


def _label(perturbed: BooleanNetwork, update: str) -> tuple[bool, str]:
    """``(exact, note)`` of the answer, as :func:`~signet.dynamics.attractors` labels it: the
    most-permissive attractors of a multi-valued network are not exact (its ``LEVELS_MP_NOTE``)."""
    from ..dynamics.engines import LEVELS_MP_NOTE
    from ..levels import network_level_groups

    if update == "mp" and network_level_groups(perturbed):
        return False, LEVELS_MP_NOTE
    return True, ""


def stream_output(network: BooleanNetwork, perturbed: BooleanNetwork, update: str,
                  starts: Sequence[State] | None, engine: str, phenotypes: Mapping[str, str], *,
                  count_only: bool, limit: int | None, json_lines: bool, by_inputs: bool, as_json: bool) -> None:
    """Write the attractors of ``perturbed`` as the options ask (see ``signet attractors --help``)."""
    from ..dynamics import attractors, count_attractors, count_fixed_points, free_inputs

    progress = _Progress()
    exact, note = _label(perturbed, update)
    try:
        inputs = free_inputs(perturbed)
        if count_only:
            if update == "fixed":
                total = count_fixed_points(perturbed, on_progress=progress.tick)
            elif _streamable(update, starts, engine):
                total = count_attractors(perturbed, update, on_progress=progress.tick)
            else:
                total = len(attractors(perturbed, update, start=starts, engine=engine).attractors)
            progress.close()
            data = {"update": update, "exact": exact, "count": total, "inputs": inputs}
            if note:
                data["note"] = note
            if json_lines:
                click.echo(json.dumps(data))
                return
            if as_json:
                echo_json(data)
                return
            where = (f"; {len(inputs)} free input{'s' if len(inputs) != 1 else ''}: {', '.join(inputs)}"
                     if inputs else "")
            scheme = "" if update == "fixed" else f" ({update})"
            click.echo(f"{_noun(update, total)}{scheme}{where}" + (f"  APPROXIMATE: {note}" if note else ""))
            return
        found, engine_name = _pairs(perturbed, update, starts, engine, progress, inputs)
        pairs = itertools.islice(found, limit) if limit else found
        shown = 0
        if json_lines:
            for values, attractor in pairs:
                progress.found_one()
                click.echo(json.dumps({**attractor.to_json(phenotypes), "inputs": values}, ensure_ascii=False))
                sys.stdout.flush()
                shown += 1
            complete = _complete(limit, shown, found)
            progress.close()
            click.echo(json.dumps({"update": update, "exact": exact, "engine": engine_name, "note": note,
                                   "count": shown, "complete": complete, "inputs": inputs}))
            return
        listed = []
        for values, attractor in pairs:
            progress.found_one()
            listed.append((values, attractor))
        complete = _complete(limit, len(listed), found)
        progress.close()
        if as_json:
            data = {"update": update, "exact": exact, "engine": engine_name, "note": note,
                    "attractors": [{**a.to_json(phenotypes), "inputs": v} for v, a in listed],
                    "phenotypes": _shares([a for _v, a in listed], phenotypes), "complete": complete,
                    "inputs": inputs}
            echo_json(data)
            return
        _text(network, listed, update, engine_name, phenotypes, inputs, by_inputs, complete, note)
    finally:
        progress.close()


def _complete(limit: int | None, shown: int, found: Iterator[object]) -> bool:
    """Whether ``shown`` attractors are all of them (at the limit, the next one is looked for)."""
    if not limit or shown < limit:
        return True
    return next(found, None) is None


def _shares(listed: Sequence[Attractor], phenotypes: Mapping[str, str]) -> dict[str, float]:
    """Fraction of the attractors where each phenotype is 1 (as :meth:`AttractorResult.shares`)."""
    from ..phenotypes import phenotype_values

    ones = {p: 0 for p in phenotypes}
    for a in listed:
        for p, v in phenotype_values(a.space, phenotypes).items():
            ones[p] += v == 1
    return {p: (ones[p] / len(listed) if listed else 0.0) for p in phenotypes}


def _groups(listed: Sequence[tuple[dict[str, SpaceValue], Attractor]],
            by_inputs: bool) -> list[tuple[dict[str, SpaceValue], list[Attractor]]]:
    """The attractors in one group, or (``--by-inputs``) one group per input valuation, in order."""
    if not by_inputs:
        return [({}, [a for _v, a in listed])]
    groups: list[tuple[dict[str, SpaceValue], list[Attractor]]] = []
    for values, attractor in listed:
        if groups and groups[-1][0] == values:
            groups[-1][1].append(attractor)
        else:
            groups.append((values, [attractor]))
    return groups


def _group_table(network: BooleanNetwork, group: Sequence[Attractor], values: Mapping[str, SpaceValue],
                 phenotypes: Mapping[str, str], by_inputs: bool, first: int) -> list[str]:
    """The lines of one group's table, rows numbered from ``first``: the nodes that differ within
    the group (all of them for a lone attractor outside ``--by-inputs``), inputs of the group left out."""
    from ..phenotypes import phenotype_values
    from .output import text_table

    shown_nodes = [x for x in network.nodes if x not in values and x not in phenotypes]
    varying = [x for x in shown_nodes if len({str(a.space[x]) for a in group}) > 1]
    if len(group) == 1 and not by_inputs:
        varying = shown_nodes
    header = ["#", "kind", "states"] + list(phenotypes) + varying
    rows = []
    for number, a in enumerate(group, start=first):
        pv = phenotype_values(a.space, phenotypes) if phenotypes else {}
        rows.append([str(number), a.kind, str(a.states)] + [str(pv[p]) for p in phenotypes]
                    + [str(a.space[x]) for x in varying])
    return text_table(header, rows)


def _text(network: BooleanNetwork, listed: Sequence[tuple[dict[str, SpaceValue], Attractor]], update: str,
          engine_name: str, phenotypes: Mapping[str, str], inputs: Sequence[str], by_inputs: bool,
          complete: bool, note: str = "") -> None:
    n = len(listed)
    what = _noun(update, n) if complete else f"the first {_noun(update, n)}, more exist"
    scheme = "" if update == "fixed" else f"{update}, "
    click.echo(f"{what} ({scheme}engine {engine_name})" + (f"  APPROXIMATE: {note}" if note else ""))
    if not complete and update == "fixed":
        click.echo("(--count counts them all, --limit 0 lists them all)")
    if not listed:
        return
    number = 1
    for values, group in _groups(listed, by_inputs):
        if by_inputs:
            head = network.format_space(values) if values else "(no free inputs)"
            click.echo(f"\n{head}: {_noun(update, len(group))}")
        for line in _group_table(network, group, values, phenotypes, by_inputs, number):
            click.echo(line)
        number += len(group)
    if phenotypes:
        shares = _shares([a for _v, a in listed], phenotypes)
        scope = "" if complete else " (of the attractors shown)"
        click.echo("phenotype shares" + scope + ": " + ", ".join(f"{p} {v:.2f}" for p, v in shares.items()))
