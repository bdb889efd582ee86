"""File helpers shared by the readers and writers: decoding and atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import ParseError

__all__ = ["decode_text", "atomic_write_text", "atomic_write_bytes"]


def decode_text(data: bytes, *, source: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM); anything else is a :class:`ParseError` with its position.

    Examples
    --------
    >>> decode_text("A, B\\n".encode())
    'A, B\\n'
    >>> decode_text(b"A, B\\n# caf\\xe9\\n", source="m.bnet")
    Traceback (most recent call last):
    ...
    signet.errors.ParseError: m.bnet:2:6: not UTF-8 text (byte 0xe9); re-save the file as UTF-8
    """
    if data.startswith(b"PK\x03\x04"):
        raise ParseError("a zip archive, not a text model file (a GINsim .zginml? read it with --format ginml)",
                         source=source)
    if b"\x00" in data[:8192]:
        pos = data.index(b"\x00")
        line = data.count(b"\n", 0, pos) + 1
        col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        raise ParseError("binary data (NUL byte): not a text model file", source=source, line=line, column=col)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = data.count(b"\n", 0, pos) + 1
        col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        raise ParseError(
            f"not UTF-8 text (byte 0x{data[pos]:02x}); re-save the file as UTF-8",
            source=source, line=line, column=col,
        ) from None


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place."""
    from ..errors import SignetError

    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise SignetError(f"cannot write {path}: directory {directory} does not exist")
    if path.is_dir():
        raise SignetError(f"cannot write {path}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise SignetError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
