"""Reading and writing models.

Each format has a module with four functions (``parse_X(text)``, ``read_X(path)``,
``generate_X(network)``, ``write_X(network, path)``).  :func:`read_model` and
:func:`write_model` pick the format from the file extension (or ``format=``), and
read a model's metadata YAML beside it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import ArgumentTypeError, InputError, ModelError, SignetError
from .files import require_network, require_path

if TYPE_CHECKING:  # pragma: no cover
    from ..model import BooleanNetwork

__all__ = ["FORMATS", "HOLDS_METADATA", "detect_format", "read_model", "write_model", "generate_model",
           "metadata_sidecar"]

#: format name -> (module, file extensions, can read, can write)
FORMATS: dict[str, dict[str, Any]] = {
    "bnet": {"module": "signet.io.bnet", "extensions": (".bnet",), "read": True, "write": True},
}


def register_format(name: str, module: str, extensions: tuple[str, ...], *, read: bool, write: bool) -> None:
    """Register a format module (used by the format modules of this package)."""
    FORMATS[name] = {"module": module, "extensions": extensions, "read": read, "write": write}


def detect_format(path: str | os.PathLike[str], given: str | None = None, *, for_writing: bool = False) -> str:
    """The format of ``path``: ``given`` if set, else from the extension.

    Raises
    ------
    ModelError
        If the extension is unknown or the format cannot be read/written.
    """
    if given is not None and not isinstance(given, str):
        raise ArgumentTypeError(f"format must be a str such as 'bnet', not {type(given).__name__}")
    suffix = Path(path).suffix.lower()
    if not (given in FORMATS or not given and any(suffix in info["extensions"] for info in FORMATS.values())):
        _load_optional_formats()  # not a format already known (.bnet is): SBML's import is slow
    if given:
        if given not in FORMATS:
            raise ModelError(f"unknown format {given!r} (known: {', '.join(FORMATS)})")
        fmt = given
    else:
        matches = [name for name, info in FORMATS.items() if suffix in info["extensions"]
                   and info["write" if for_writing else "read"]]
        if not matches:
            raise ModelError(
                f"{path}: cannot tell the format from the extension {suffix or '(none)'}; "
                f"give it explicitly (known: {', '.join(FORMATS)})"
            )
        fmt = matches[0]
    if not FORMATS[fmt]["write" if for_writing else "read"]:
        raise ModelError(f"format {fmt!r} can only be {'read' if for_writing else 'written'}")
    return fmt


def _load_optional_formats() -> None:
    for module in ("signet.io.sbml", "signet.io.boolnet", "signet.io.maboss", "signet.io.primes", "signet.io.ginml"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # the module exists but a dependency is missing
                continue
        except SignetError:
            continue


def _function(fmt: str, verb: str) -> Callable[..., Any]:
    module = importlib.import_module(FORMATS[fmt]["module"])
    return getattr(module, f"{verb}_{fmt}")


def read_model(path: str | os.PathLike[str], format: str | None = None, *,
               metadata: bool | str | os.PathLike[str] = True) -> "BooleanNetwork":
    """Read a model file; a ``.yaml`` metadata file with the same stem is read with it.

    ``metadata`` is ``True`` (read ``NAME.yaml`` beside the model when it exists),
    ``False`` (read none) or the path of a metadata file to read instead (it must
    exist; it replaces any metadata the model file itself carries).

    Raises
    ------
    ParseError
        For malformed model or metadata text (file, line, column).
    ModelError
        For a missing file or an unknown format.
    """
    from .files import read_input_text
    from .metadata import check_metadata, load_metadata, metadata_path

    path = Path(require_path(path))
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a model file")
    fmt = detect_format(path, format)
    network = _function(fmt, "read")(path)
    if isinstance(metadata, bool):
        meta = metadata_path(path)
        use = metadata and meta.exists() and meta != path
    else:
        meta = Path(require_path(metadata, "metadata"))
        if not meta.exists():
            raise InputError(f"{meta}: no such metadata file")
        if meta.is_dir():
            raise InputError(f"{meta}: is a folder, not a metadata file")
        use = True
    if use:
        annotations, located = load_metadata(read_input_text(meta), source=str(meta))
        check_metadata(annotations, network.nodes, located=located)
        network = network._evolve(network.rules, annotations=annotations)
    return network


def generate_model(network: "BooleanNetwork", format: str) -> str:
    """The text of ``network`` in ``format``."""
    require_network(network)
    detect_format("", format, for_writing=True)
    return _function(format, "generate")(network)


#: formats whose files carry the whole metadata (phenotypes, contexts, treatment, ...)
HOLDS_METADATA = frozenset({"sbml"})


def metadata_sidecar(network: "BooleanNetwork", path: str | os.PathLike[str], format: str) -> Path | None:
    """The metadata file :func:`write_model` writes beside ``path``, or ``None``.

    ``None`` when the format holds the metadata itself (SBML) or the network has none.
    """
    from ..annotations import EMPTY_ANNOTATIONS
    from .metadata import metadata_path

    if format in HOLDS_METADATA or network.annotations == EMPTY_ANNOTATIONS:
        return None
    return metadata_path(path)


def write_model(network: "BooleanNetwork", path: str | os.PathLike[str], format: str | None = None, *,
                metadata: bool = True) -> str:
    """Write ``network`` to ``path`` (atomically); returns the format used.

    A format that cannot hold the metadata (every one but SBML) loses the phenotypes,
    contexts, treatment and node annotations; so, when the network has metadata, it is
    written beside the model as ``NAME.yaml`` (see :func:`metadata_sidecar`), from which
    :func:`read_model` reads it back.  ``metadata=False`` writes the model file only.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from signet.annotations import Annotations
    >>> from signet.io.bnet import parse_bnet
    >>> net = parse_bnet("A, !B\\nB, A", annotations=Annotations(phenotypes={"Up": "A"}))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_model(net, folder / "m.bnet")
    'bnet'
    >>> sorted(p.name for p in folder.iterdir())
    ['m.bnet', 'm.yaml']
    >>> dict(read_model(folder / "m.bnet").annotations.phenotypes)
    {'Up': 'A'}
    >>> import shutil; shutil.rmtree(folder)
    """
    require_network(network)
    fmt = detect_format(require_path(path), format, for_writing=True)
    sidecar = metadata_sidecar(network, path, fmt)
    if sidecar is not None and Path(sidecar) == Path(path):
        raise ModelError(f"{path}: the model file would be its own metadata file ({sidecar}); choose another name")
    _function(fmt, "write")(network, path)
    if sidecar is not None and metadata:
        from .files import atomic_write_text
        from .metadata import generate_metadata

        atomic_write_text(sidecar, generate_metadata(network.annotations))
    return fmt
