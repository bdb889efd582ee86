"""Files: reading input safely, writing output atomically with the user's umask.

Every reader and writer of signet goes through these functions, so that every file
gets the same treatment:

* :func:`read_input_bytes` reads only regular files (a FIFO, a device such as
  ``/dev/zero`` or a socket is refused before anything is read) of a bounded size;
* :func:`decode_text` decodes UTF-8, and reports anything else with its position;
* :func:`atomic_write_bytes` / :func:`atomic_write_text` write a temporary file beside
  the target and move it into place, so a half-written file never appears; the file
  gets the permissions of a file created by ``open()`` (``0666`` less the umask);
* :func:`check_outputs` refuses an output that is one of the inputs (the same path, a
  symbolic link or a hard link to it), or two outputs that are the same file.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "m.bnet")
>>> atomic_write_text(path, "A, A\\n")
>>> read_input_bytes(path)
b'A, A\\n'
>>> check_outputs([path], [path])
Traceback (most recent call last):
...
signet.errors.InputError: ...m.bnet: the output is the input file; choose another output name
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import ArgumentTypeError, InputError, ParseError, SignetError

__all__ = [
    "read_input_bytes",
    "read_input_text",
    "decode_text",
    "atomic_write_text",
    "atomic_write_bytes",
    "check_outputs",
    "same_file",
    "require_text",
    "require_path",
    "require_network",
]


def _position(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    return line, pos - (data.rfind(b"\n", 0, pos) + 1) + 1


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


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
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise ParseError(f"{encoding} text (byte order mark); re-save the file as UTF-8", source=source,
                             line=1, column=1)
    if b"\x00" in data[:8192]:
        line, col = _position(data, data.index(b"\x00"))
        raise ParseError("binary data (NUL byte): not a text model file", source=source, line=line, column=col)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise ParseError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8",
            source=source, line=line, column=col,
        ) from None


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_input_bytes(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Parameters
    ----------
    path
        The file.
    limit
        Largest size accepted (default :attr:`signet.limits.Limits.file_bytes`).

    Raises
    ------
    InputError
        A missing file, a folder, a FIFO, device or socket (refused without reading or
        blocking), a file over the limit, or a file that cannot be read.
    """
    from .. import limits

    bound = limits.LIMITS.file_bytes if limit is None else limit
    name = require_path(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: is {_kind(info.st_mode)}; signet reads regular files only")
    if info.st_size > bound:
        raise InputError(f"{name}: the file has {info.st_size:,} bytes; the limit is {bound:,}")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, open() does not hang
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{name}: is not a regular file; signet reads regular files only")
        data = handle.read(bound + 1)
    if len(data) > bound:
        raise InputError(f"{name}: the file has more than {bound:,} bytes (the limit)")
    return data


def read_input_text(path: str | os.PathLike[str], *, limit: int | None = None) -> str:
    """:func:`read_input_bytes` decoded by :func:`decode_text` (errors name the file)."""
    return decode_text(read_input_bytes(path, limit=limit), source=os.fspath(path))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place.

    The file gets mode ``0666`` less the process umask (as ``open()`` would give), not
    the ``0600`` of a temporary file.

    Raises
    ------
    SignetError
        The folder does not exist, ``path`` is a folder, or the file cannot be written.
    """
    path = Path(require_path(path))
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
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SignetError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file (same path once resolved, or the same inode).

    Examples
    --------
    >>> same_file("a/../m.bnet", "m.bnet")
    True
    """
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def check_outputs(inputs: Iterable[str | os.PathLike[str]], outputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse outputs that would overwrite an input, or two outputs that are one file.

    Raises
    ------
    InputError
        Naming the output and the input it would destroy.
    """
    ins = [p for p in inputs if p is not None]
    outs = [p for p in outputs if p is not None]
    for out in outs:
        for inp in ins:
            if same_file(out, inp):
                what = "the input file" if os.fspath(out) == os.fspath(inp) else f"the input file {os.fspath(inp)}"
                raise InputError(f"{os.fspath(out)}: the output is {what}; choose another output name")
    for i, out in enumerate(outs):
        for other in outs[i + 1:]:
            if same_file(out, other):
                raise InputError(f"{os.fspath(out)}: two outputs would be written to the same file")


# -- argument checks at the door of the library functions -----------------------------------
def require_text(value: object, name: str = "text") -> str:
    """``value`` if it is a ``str``, else an :class:`ArgumentTypeError` naming the argument.

    Examples
    --------
    >>> require_text(b"A, B", "text")
    Traceback (most recent call last):
    ...
    signet.errors.ArgumentTypeError: text must be a str, not bytes (decode it first, or use the read_ function)
    """
    if not isinstance(value, str):
        hint = " (decode it first, or use the read_ function)" if isinstance(value, (bytes, bytearray)) else ""
        raise ArgumentTypeError(f"{name} must be a str, not {type(value).__name__}{hint}")
    return value


def require_path(value: object, name: str = "path") -> str:
    """``value`` as a path string if it is a ``str`` or ``os.PathLike``, else an :class:`ArgumentTypeError`."""
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if isinstance(text, str) and text and "\x00" not in text:
            return text
        raise ArgumentTypeError(f"{name} must be a file name, not {value!r}")
    raise ArgumentTypeError(f"{name} must be a file name (str or path), not {type(value).__name__}")


def require_network(value: object, name: str = "network") -> None:
    """An :class:`ArgumentTypeError` unless ``value`` is a :class:`~signet.model.BooleanNetwork`."""
    from ..model import BooleanNetwork

    if not isinstance(value, BooleanNetwork):
        raise ArgumentTypeError(f"{name} must be a BooleanNetwork, not {type(value).__name__}")
