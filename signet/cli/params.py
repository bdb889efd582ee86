"""Click parameter types: option values are checked where they are read.

A bad value is a usage error naming the option (``Error: Invalid value for
'--workers': ...``), never a traceback from deep inside a computation.  Nothing here
imports more than click and the standard library, so ``signet --help`` stays fast.

Examples
--------
>>> import click
>>> WORKERS.convert("2", None, None)
2
>>> SCHEDULER.convert("tcp://127.0.0.1:8786", None, None)
'tcp://127.0.0.1:8786'
>>> ASSIGNMENT.convert("ATM=1, TP53=0", None, None)
{'ATM': 1, 'TP53': 0}
>>> try:
...     SCHEDULER.convert("http://example.org", None, None)
... except click.BadParameter as err:
...     print(err.format_message())
Invalid value: 'http://example.org' is not a Dask scheduler address: expected tcp://HOST:PORT
"""

from __future__ import annotations

import os
from typing import Any

import click

__all__ = ["WORKERS", "SCHEDULER", "SEED", "ASSIGNMENT", "Workers", "SchedulerAddress", "Assignment",
           "max_workers"]

#: Most worker processes per core that ``--workers`` accepts.
WORKERS_PER_CORE = 4


def max_workers() -> int:
    """The largest ``--workers`` accepted: :data:`WORKERS_PER_CORE` per core."""
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


class Workers(click.ParamType):
    """A number of local worker processes: at least 1, at most :func:`max_workers`."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a whole number of worker processes", param, ctx)
        top = max_workers()
        if not 1 <= number <= top:
            self.fail(f"{number} worker processes: choose 1 to {top} ({WORKERS_PER_CORE} per core on this machine)",
                      param, ctx)
        return number


class SchedulerAddress(click.ParamType):
    """The address of a Dask scheduler, ``tcp://HOST:PORT``."""

    name = "tcp://HOST:PORT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from urllib.parse import urlsplit

        text = str(value).strip()
        problem = "expected tcp://HOST:PORT"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            parts, port = None, None
            problem = "the port must be a number from 1 to 65535"
        if parts is not None and parts.scheme == "tcp" and parts.hostname and port and 0 < port < 65536 \
                and parts.path in ("", "/") and not parts.query and not parts.fragment:
            return text
        self.fail(f"{text!r} is not a Dask scheduler address: {problem}", param, ctx)


class Assignment(click.ParamType):
    """``NAME=0|1`` items separated by commas, ``;`` or spaces, as a dict."""

    name = "NAME=0|1,..."

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, int]:
        if isinstance(value, dict):
            return value
        from ..errors import ModelError
        from ..model import parse_assignment

        try:
            return parse_assignment(str(value))
        except ModelError as exc:
            self.fail(str(exc), param, ctx)


WORKERS = Workers()
SCHEDULER = SchedulerAddress()
ASSIGNMENT = Assignment()
#: A random seed (numpy and networkx take seeds below 2**32).
SEED = click.IntRange(0, 2**32 - 1)
