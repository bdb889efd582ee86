"""One exception tree for signet.

Every error signet raises on purpose derives from :class:`SignetError`, and each
also subclasses the matching built-in so that ``except ValueError`` keeps working.
The command-line interface shows ``str(error)`` and exits with status 1.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

__all__ = [
    "SignetError",
    "ParseError",
    "ModelError",
    "InputError",
    "ArgumentTypeError",
    "UnknownNodeError",
    "StateSpaceTooLarge",
    "EngineError",
    "TimeLimitExceeded",
    "SignetWarning",
    "foreign_errors",
]


class SignetError(Exception):
    """Base class of every error signet raises on purpose."""


class ParseError(SignetError, ValueError):
    """Malformed input text.

    Parameters
    ----------
    message
        What is wrong, without the location.
    source
        File name (or ``None`` for text that came from no file).
    line, column
        1-based position of the offending token, when known.
    token
        The offending text, when there is one.

    Examples
    --------
    >>> err = ParseError("unexpected '&'", source="x.bnet", line=3, column=7, token="&")
    >>> str(err)
    "x.bnet:3:7: unexpected '&'"
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        token: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.token = token
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.source or "<text>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return ":".join(where) + ": " + self.message

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # keep pickling (multiprocessing) working
        return (
            _rebuild_parse_error,
            (self.message, self.source, self.line, self.column, self.token),
        )


def _rebuild_parse_error(message: str, source: str | None, line: int | None, column: int | None,
                        token: str | None) -> ParseError:  # pragma: no cover - pickling helper
    return ParseError(message, source=source, line=line, column=column, token=token)


class ModelError(SignetError, ValueError):
    """A model that is inconsistent, or a request that does not fit the model."""


class InputError(SignetError, ValueError):
    """A file or value that cannot be used as given: a missing or non-regular file, a file
    over a size limit, an output that would overwrite an input, a bad option value."""


class ArgumentTypeError(SignetError, TypeError):
    """A library function called with an argument of the wrong type (the message names it).

    Examples
    --------
    >>> str(ArgumentTypeError("network must be a BooleanNetwork, not str"))
    'network must be a BooleanNetwork, not str'
    """


class UnknownNodeError(ModelError, KeyError):
    """A node name (or alias) that the model does not have.

    ``str(error)`` names the closest existing names.
    """

    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        super().__init__(name)

    def __str__(self) -> str:
        text = f"unknown node {self.name!r}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return text

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (UnknownNodeError, (self.name, self.suggestions))


class StateSpaceTooLarge(SignetError):
    """An explicit computation would need more states than allowed."""


class EngineError(SignetError, RuntimeError):
    """An analysis engine failed or is not available."""


class TimeLimitExceeded(SignetError):
    """A command ran longer than the time the user allowed (``signet --timeout``)."""


class SignetWarning(UserWarning):
    """Something the user should know about the model, that is not an error."""


@contextlib.contextmanager
def foreign_errors(error: type[SignetError], what: str) -> Iterator[None]:
    """Turn the plain exceptions of another library's call into ``error("what: ...")``.

    signet's own errors pass through unchanged, so a time limit (:class:`TimeLimitExceeded`,
    raised by ``signet --timeout`` wherever the command happens to be) is never reported as
    a failure of the library that was running when it struck.

    Examples
    --------
    >>> with foreign_errors(EngineError, "the solver failed"):
    ...     raise RuntimeError("out of memory")
    Traceback (most recent call last):
    signet.errors.EngineError: the solver failed: out of memory
    >>> with foreign_errors(EngineError, "the solver failed"):
    ...     raise TimeLimitExceeded("stopped after 3 s")
    Traceback (most recent call last):
    signet.errors.TimeLimitExceeded: stopped after 3 s
    """
    try:
        yield
    except SignetError:
        raise
    except Exception as exc:  # noqa: BLE001 - the other library raises plain exceptions
        raise error(f"{what}: {exc}") from None
