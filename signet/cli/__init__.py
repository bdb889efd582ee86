"""The ``signet`` command line.

Commands live in their own modules and are imported only when run, so that
``signet --help`` answers without loading numpy, sympy or networkx.  Each command
reads its input, calls one library function and formats the output; ``--json`` gives
machine-readable output.  Any :class:`~signet.errors.SignetError` becomes a one-line
message and exit status 1.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from .. import __version__

if TYPE_CHECKING:  # pragma: no cover
    from types import FrameType

    from ..model import BooleanNetwork

#: a command function, as the option decorators take and return it
F = TypeVar("F", bound=Callable[..., Any])

#: command name -> ("module", "function", "one-line help shown by signet --help")
COMMANDS: dict[str, tuple[str, str, str]] = {
    "info": ("signet.cli.info", "info", "Summarise a model: nodes, inputs, constants, outputs, signed edges."),
    "convert": ("signet.cli.convert", "convert", "Convert a model between file formats."),
    "export": (
        "signet.cli.export", "export",
        "Write a model, with a context or perturbations applied, for another tool.",
    ),
    "attractors": (
        "signet.cli.attractors", "attractors",
        "Exact attractors (cell fates) under sync, async or most-permissive update.",
    ),
    "simulate": (
        "signet.cli.simulate", "simulate",
        "Fate probabilities by stochastic simulation (Gillespie, with confidence intervals).",
    ),
    "basins": (
        "signet.cli.basins", "basins",
        "Basins of attraction over all states: sync basins, async strong/weak basins.",
    ),
    "probabilities": (
        "signet.cli.simulate", "probabilities",
        "Exact fate probabilities of the asynchronous Markov chain (with rates).",
    ),
    "screen": (
        "signet.cli.screen", "screen",
        "Screen knockouts, over-expressions and combinations as radiosensitizers.",
    ),
    "control": ("signet.cli.control", "control", "Minimal perturbation sets that force a phenotype (e.g. Death)."),
    "plot": (
        "signet.cli.plot", "plot",
        "Figures: screen ranking and synergy, attractors, interaction graph, time courses.",
    ),
    "timecourse": (
        "signet.cli.timecourse", "timecourse",
        "Probability of each phenotype and node over time under a schedule (table, CSV, JSON).",
    ),
    "query": (
        "signet.cli.query", "query",
        "CTL temporal-logic queries (AF Death, EF ..., A[p U q]) on the asynchronous dynamics.",
    ),
    "validate": (
        "signet.cli.validate", "validate",
        "Check a model against its literature expectations (pass/fail per claim).",
    ),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _help = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command line; every error is one ``Error: ...`` line and exit status 1.

        Click reports a usage error (a bad option value, an unknown option) with a usage
        hint and exit status 2; signet reports it like any other bad input: one line
        naming the option, exit status 1.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message = " ".join(exc.format_message().split())
            click.echo(f"Error: {message}", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import SignetError

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    with _time_limit(ctx.params.get("timeout")):
                        return super().invoke(ctx)
                finally:
                    _show_warnings(caught)
        except SignetError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


#: seconds after ``--timeout`` at which a command stuck in native code is ended outright
BACKSTOP_SECONDS = 10.0

#: the message of the ``--timeout`` that expired in this process, if one did (see :func:`expired_limit`)
_EXPIRED: list[str] = []


def expired_limit() -> str | None:
    """The message of the ``--timeout`` that has expired, or ``None``.

    A native library that checks for signals (biodivine-aeon cancels its operation) turns
    the limit's exception into a ``KeyboardInterrupt``; a command that catches one asks
    this to tell a time limit from Ctrl-C.
    """
    return _EXPIRED[-1] if _EXPIRED else None


#: seconds after which a time limit that fell inside an import is tried again
_IMPORT_GRACE = 0.02


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs inside an import (Python's import machinery is on its stack).

    A time limit raised there would abort the module's initialisation; for an extension
    module that has already set process-wide state (CPython's ``_decimal``) the next import
    then runs the initialisation again and prints an interpreter warning.
    """
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the command with :class:`~signet.errors.TimeLimitExceeded` after ``seconds``
    of wall-clock time (``signet --timeout``).  A screen stopped this way keeps its
    finished rows, as when interrupted; worker processes do not inherit the timer."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    from ..errors import TimeLimitExceeded

    message = f"stopped after {seconds:g} s (--timeout {seconds:g}): the answer was not complete"

    def expire(signum: int, frame: FrameType | None) -> None:
        if _importing(frame):  # never break an import: a module left half-initialised breaks the next import
            signal.setitimer(signal.ITIMER_REAL, _IMPORT_GRACE)
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        _EXPIRED.append(message)
        raise TimeLimitExceeded(message)

    def backstop() -> None:  # a native call (a solver) that does not return to Python in time
        sys.stderr.write(f"Error: stopped after {seconds:g} s (--timeout {seconds:g}): the answer was not complete\n")
        sys.stderr.flush()
        os._exit(1)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    watchdog = threading.Timer(seconds + BACKSTOP_SECONDS, backstop)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    except KeyboardInterrupt:
        if expired_limit() is None:
            raise
        raise TimeLimitExceeded(message) from None  # the limit, cancelled inside a native call
    finally:
        watchdog.cancel()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    from ..errors import SignetWarning

    seen = set()
    for w in caught:
        if issubclass(w.category, SignetWarning):
            text = str(w.message)
            if text not in seen:
                seen.add(text)
                click.echo(f"warning: {text}", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="signet")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, envvar="SIGNET_TIMEOUT",
              metavar="SECONDS", help="Stop any command after SECONDS of wall-clock time with a one-line error and "
              "exit status 1 (a screen keeps its finished rows: run it again to resume). Also SIGNET_TIMEOUT.")
def main(timeout: float | None) -> None:
    """signet: Boolean network models of cancer radioresistance.

    Find the cell fates (attractors) of a model, screen knockouts and
    over-expressions for radiosensitizers, and exchange models with other tools.

    \b
    Examples:
      signet info networks/atm_p53_core.bnet
      signet info networks/atm_p53_core.bnet --json
      signet convert model.bnet model_normalised.bnet
      signet --timeout 60 attractors big_model.bnet --update async

    Run 'signet COMMAND --help' for a command's options.
    """


# options shared by many commands ------------------------------------------------------
def json_option(func: F) -> F:
    """``--json``: print machine-readable JSON instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of text.")(func)


#: key of the model options (``--meta``, ``--phenotype``, ``--treatment``, ``--baseline``) in ``ctx.meta``
_MODEL_OPTIONS = "signet.model_options"


def _store_model_option(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value != ():
        ctx.meta.setdefault(_MODEL_OPTIONS, {})[param.name] = value
    return value


def _phenotype_items(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str] | None:
    items: dict[str, str] = {}
    for text in values:
        name, eq, expr = text.partition("=")
        if not eq or not name.strip() or not expr.strip():
            raise click.BadParameter(f"{text!r}: expected NAME=EXPRESSION, e.g. 'Death=Apoptosis | Necrosis'",
                                     ctx, param)
        items[name.strip()] = expr.strip()
    return _store_model_option(ctx, param, items or None)


def model_options(func: F, *, treatment: bool = True) -> F:
    """``--meta``, ``--phenotype``, ``--baseline`` (and ``--treatment``): metadata given on the command line.

    They are stored in the click context and applied by :func:`load_model`, so a command
    needs no parameter for them.  ``treatment=False`` leaves ``--treatment`` to a command
    that defines its own (``screen``, ``control``).
    """
    from .params import ASSIGNMENT

    options = [
        click.option("--meta", "meta", type=click.Path(dir_okay=False), default=None, expose_value=False,
                     callback=_store_model_option, is_eager=True, metavar="FILE",
                     help="Metadata YAML to use instead of the one beside the model (MODEL.yaml)."),
        click.option("--phenotype", "phenotype", multiple=True, expose_value=False, callback=_phenotype_items,
                     metavar="NAME=EXPR",
                     help="Add or replace a phenotype, e.g. 'Death=Apoptosis | Necrosis'. Repeatable."),
        click.option("--baseline", "baseline", type=ASSIGNMENT, default=None, expose_value=False,
                     callback=_store_model_option, metavar="NAME=0|1,...",
                     help="The untreated cell's inputs, e.g. 'RT=0' (replaces the metadata's; '' for none)."),
    ]
    if treatment:
        options.append(click.option(
            "--treatment", "treatment", type=ASSIGNMENT, default=None, expose_value=False,
            callback=_store_model_option, metavar="NAME=0|1,...",
            help="The treatment inputs, e.g. 'RT=1' (replaces the metadata's; '' for none)."))
    for option in reversed(options):
        func = option(func)
    return func


def model_argument(func: F) -> F:
    """The MODEL argument (a model file; its .yaml metadata beside it is read too), with
    the metadata options of :func:`model_options`.

    A command that defines its own ``--treatment`` (``screen``, ``control``) gets
    ``--meta``, ``--phenotype`` and ``--baseline`` only.
    """
    own = {p.name for p in getattr(func, "__click_params__", ())}
    func = model_options(func, treatment="treatment" not in own)
    return click.argument("model", type=click.Path(dir_okay=False))(func)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON."""
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def model_option_values() -> dict[str, Any]:
    """The values of ``--meta``, ``--phenotype``, ``--treatment``, ``--baseline`` given to this command."""
    ctx = click.get_current_context(silent=True)
    return dict(ctx.meta.get(_MODEL_OPTIONS, {})) if ctx is not None else {}


def metadata_input(path: str) -> str:
    """The metadata file a command reads for the model ``path``: ``--meta``, or the one beside it."""
    from ..io.metadata import metadata_path

    return model_option_values().get("meta") or str(metadata_path(path))


def load_model(path: str, format: str | None = None) -> BooleanNetwork:
    """Read a model (and its metadata) for a command.

    The metadata is ``--meta FILE`` when given, else ``MODEL.yaml`` beside the model;
    ``--phenotype``, ``--treatment`` and ``--baseline`` then replace parts of it.
    """
    from ..io import read_model
    from ..io.metadata import with_overrides

    given = model_option_values()
    network = read_model(path, format, metadata=given.get("meta") or True)
    overrides = {k: given[k] for k in ("phenotype", "treatment", "baseline") if k in given}
    return with_overrides(network, **overrides) if overrides else network


def show_progress(quiet: bool) -> bool:
    """Whether to draw a progress bar: not under ``--quiet``, and only on a terminal."""
    return not quiet and sys.stderr.isatty()


class busy:
    """A context manager that shows ``description`` and the elapsed time on stderr while a
    computation without measurable steps runs (an attractor search), from ``delay``
    seconds on; the line is erased at the end.  Disabled: does nothing.
    """

    def __init__(self, description: str, enabled: bool, *, delay: float = 1.0) -> None:
        import threading

        self.description, self.enabled, self.delay = description, enabled, delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "busy":
        if not self.enabled:
            return self
        import threading
        import time

        stop, start = self._stop, time.monotonic()

        def run() -> None:
            if stop.wait(self.delay):
                return
            from tqdm import tqdm

            with tqdm(total=None, desc=self.description, bar_format="{desc}: {elapsed}", leave=False,
                      file=sys.stderr, dynamic_ncols=True) as bar:
                while not stop.wait(0.5):
                    bar.set_description_str(f"{self.description} ({time.monotonic() - start:.0f} s)", refresh=True)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()


def quiet_option(func: F) -> F:
    """``--quiet``/``-q``: no progress line."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress line on stderr.")(func)


def phenotype_label(values: Mapping[str, object]) -> str:
    """An attractor's phenotypes in a table cell: those that are 1, those that are ``*``
    marked ``*``, or ``-``.

    >>> phenotype_label({"Arrest": 1, "Death": "*", "Growth": 0})
    'Arrest,Death*'
    """
    return ",".join([p for p, v in values.items() if v == 1] + [p + "*" for p, v in values.items() if v == "*"]) or "-"


def no_meta_option(func: F) -> F:
    """``--no-meta``: write no metadata file beside an output that cannot hold the metadata."""
    return click.option("--no-meta", "no_meta", is_flag=True,
                        help="Write no OUTPUT.yaml with the metadata (phenotypes, contexts, treatment) beside an "
                             "output whose format cannot hold it (all but sbml).")(func)


def metadata_output(network: BooleanNetwork, model: str, output: str, fmt: str, no_meta: bool) -> str | None:
    """The metadata file to write beside ``output`` (``None``: none to write).

    It is ``None`` under ``--no-meta``, for SBML, for a network without metadata, and
    when it is the very file the model's metadata was read from and no option changed
    that metadata (it already says the same).

    Raises
    ------
    SignetError
        The file is the model's metadata file and ``--phenotype``, ``--treatment`` or
        ``--baseline`` changed the metadata: writing it would replace the input.
    """
    from ..errors import SignetError
    from ..io import metadata_sidecar
    from ..io.files import same_file

    sidecar = None if no_meta else metadata_sidecar(network, output, fmt)
    if sidecar is None:
        return None
    source = metadata_input(model)
    if same_file(sidecar, source):
        if any(k in model_option_values() for k in ("phenotype", "treatment", "baseline")):
            raise SignetError(f"{output}: its metadata file {sidecar} is the model's own metadata, which "
                              f"--phenotype/--treatment/--baseline changed; choose another output name or --no-meta")
        return None
    return str(sidecar)


def write_with_metadata(network: BooleanNetwork, model: str, output: str, fmt: str, no_meta: bool,
                        also: tuple[str, ...] = ()) -> list[str]:
    """Write ``network`` to ``output`` (and its metadata beside it, see :func:`metadata_output`),
    after checking that no output is an input; returns the files written."""
    from ..io import write_model

    sidecar = metadata_output(network, model, output, fmt, no_meta)
    written = [output, *also] + ([sidecar] if sidecar else [])
    check_outputs([model, metadata_input(model)], written)
    write_model(network, output, fmt, metadata=sidecar is not None)
    return written


def check_outputs(inputs: Any, outputs: Any) -> None:
    """Refuse, before any work, an output file that is one of the inputs (see :func:`signet.io.files.check_outputs`)."""
    from ..io.files import check_outputs as check

    check(inputs, outputs)
