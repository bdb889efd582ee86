"""Deprecated private name of :mod:`signet.io.files` (kept so older imports work)."""

from .files import atomic_write_bytes, atomic_write_text, decode_text  # noqa: F401
