"""A SQLite checkpoint that keeps every finished row of a screen, so nothing is lost.

Rows are committed as they complete (WAL journal), so a screen killed part-way (Ctrl-C,
a killed worker, ``kill -9``, a full disk) loses at most the rows in flight.  Running
the same screen again against the file skips finished rows and finished analyses.

The file records a *fingerprint* of everything that decides a row's value: the model
(its rules, phenotypes, contexts, treatment and baseline, hashed), the treatment used,
the update scheme and the analysis.  Opening a file with another fingerprint raises
:class:`ScreenStoreMismatch` (or, with ``fresh=True``, empties it).  Which rows are
asked for (targets, kinds, sizes, contexts) may change between runs: rows are keyed by
context and intervention, so a larger screen reuses the rows of a smaller one.

A file is checked before anything is written to it: a file that is not a signet
checkpoint (another program's SQLite database, any other file) is refused and left
untouched, whatever ``fresh`` says; a damaged checkpoint is refused untouched unless
``fresh`` asks to start it over.

Examples
--------
>>> store = ScreenStore(":memory:", {"model": "abc", "update": "mp"})
>>> store.add_rows([("wt", "A=0", 1, "k1")], {"k1": {"values": [{"Death": 1}], "exact": True}})
>>> store.done_rows(["wt"])
{('wt', 'A=0')}
>>> store.row_results()[("wt", "A=0")]["values"]
[{'Death': 1}]
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import SignetError

__all__ = ["ScreenStore", "ScreenStoreError", "ScreenStoreMismatch", "read_checkpoint"]

SCHEMA_VERSION = "1"
_SQLITE_HEADER = b"SQLite format 3\x00"
_TABLES = {
    "meta": ["key", "value"],
    "analyses": ["key", "result"],
    "rows": ["context", "intervention", "size", "analysis"],
}


class ScreenStoreError(SignetError):
    """A checkpoint that cannot be used or written."""


class ScreenStoreMismatch(ScreenStoreError):
    """The checkpoint was made for another model or other screen parameters."""


class ScreenStore:
    """Finished rows and analyses of a screen in a SQLite file.

    Parameters
    ----------
    path
        The database file (created if missing) or ``":memory:"``.
    fingerprint
        JSON-ready mapping of what decides a row's value; must match the file's.
    fresh
        Empty a checkpoint whose fingerprint differs, or start a damaged one over,
        instead of raising.  Never applies to a file that is not a signet checkpoint.

    Raises
    ------
    ScreenStoreError
        The file is not a signet checkpoint, or is damaged (without ``fresh``).
    ScreenStoreMismatch
        The checkpoint belongs to another screen (without ``fresh``).
    """

    def __init__(self, path: str | os.PathLike[str], fingerprint: Mapping[str, Any], *, fresh: bool = False) -> None:
        self.path = os.fspath(path)
        self.fingerprint = json.dumps(dict(fingerprint), sort_keys=True)
        if self.path != ":memory:":
            _check_existing(Path(self.path), fresh)
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._create()
            stored = self._meta("fingerprint")
            if stored != self.fingerprint:
                if stored is not None and not fresh:
                    raise ScreenStoreMismatch(
                        f"{self.path} holds a screen of another model or with other parameters "
                        f"({_difference(stored, self.fingerprint)}); use another --db, or --fresh to discard it"
                    )
                with self.db:
                    self.db.executescript("DELETE FROM rows; DELETE FROM analyses; DELETE FROM meta;")
                    self._set_meta("fingerprint", self.fingerprint)
                    self._set_meta("schema", SCHEMA_VERSION)
        except sqlite3.Error as exc:
            raise ScreenStoreError(f"{self.path}: cannot use the checkpoint ({exc})") from None

    def _create(self) -> None:
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, result TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS rows (
                context TEXT NOT NULL, intervention TEXT NOT NULL, size INTEGER NOT NULL,
                analysis TEXT NOT NULL, PRIMARY KEY (context, intervention));
            """
        )

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def set_parameters(self, parameters: Mapping[str, Any]) -> None:
        """Record the parameters of the latest run (informative only)."""
        with self._writing():
            self._set_meta("parameters", json.dumps(dict(parameters), sort_keys=True))

    def done_rows(self, contexts: Iterable[str] | None = None) -> set[tuple[str, str]]:
        """``(context, intervention)`` of every finished row (optionally only these contexts)."""
        rows = self.db.execute("SELECT context, intervention FROM rows").fetchall()
        if contexts is None:
            return {(c, i) for c, i in rows}
        wanted = set(contexts)
        return {(c, i) for c, i in rows if c in wanted}

    def analysis_keys(self) -> set[str]:
        """The keys of every stored analysis."""
        return {k for (k,) in self.db.execute("SELECT key FROM analyses")}

    def add_rows(self, rows: Iterable[tuple[str, str, int, str]], results: Mapping[str, Any]) -> None:
        """Store analyses (results as dicts, or as JSON text with sorted keys) and the rows
        ``(context, intervention, size, analysis key)``, in one transaction."""
        encoded = [(k, v if isinstance(v, str) else json.dumps(v, sort_keys=True)) for k, v in results.items()]
        with self._writing():
            self.db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)", encoded)
            self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)", list(rows))

    def _writing(self) -> Any:
        return _Transaction(self)

    def row_results(self) -> dict[tuple[str, str], dict]:
        """``(context, intervention) -> analysis result`` for every finished row."""
        cur = self.db.execute(
            "SELECT rows.context, rows.intervention, analyses.result FROM rows "
            "JOIN analyses ON rows.analysis = analyses.key"
        )
        parsed: dict[str, dict] = {}
        out = {}
        for c, i, r in cur:
            value = parsed.get(r)
            if value is None:
                try:
                    value = parsed[r] = json.loads(r)
                except ValueError:
                    raise _damaged(self.path, "an analysis is not valid JSON") from None
            out[(c, i)] = value
        return out

    def count(self) -> int:
        """Number of finished rows."""
        return self.db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]

    def close(self) -> None:
        """Close the file."""
        try:
            self.db.close()
        except sqlite3.Error:  # pragma: no cover - closing a file on a full disk
            pass

    def __enter__(self) -> "ScreenStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """``with store._writing():`` one transaction; a failed write (e.g. a full disk) rolls back
    and becomes a one-line :class:`ScreenStoreError` (the rows stored before are kept)."""

    def __init__(self, store: ScreenStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store.db.execute("BEGIN")

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> None:
        db = self.store.db
        try:
            if kind is None:
                db.commit()
                return
        except sqlite3.Error as error:
            exc, kind = error, type(error)
        try:
            db.rollback()
        except sqlite3.Error:
            pass
        if isinstance(exc, sqlite3.Error):
            raise ScreenStoreError(
                f"{self.store.path}: cannot save finished rows ({exc}); the rows saved before are kept: "
                "free some space and run the same command again to resume"
            ) from None


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Everything a checkpoint holds, read-only: ``fingerprint`` and ``parameters`` (the JSON text of
    the meta table), ``rows`` (``[context, intervention, size, analysis key]``, sorted) and
    ``analyses`` (key -> result JSON text, those the rows use).  :meth:`ScreenStore.add_rows`
    and :meth:`ScreenStore.set_parameters` write them back into a checkpoint of the same
    fingerprint.

    Raises
    ------
    ScreenStoreError
        The file is missing, not a signet checkpoint, or damaged.
    """
    file = Path(path)
    if not file.is_file():
        raise ScreenStoreError(f"{file}: no such checkpoint")
    _check_existing(file, fresh=False)
    db = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        rows = sorted(db.execute("SELECT context, intervention, size, analysis FROM rows"))
        analyses = dict(db.execute("SELECT key, result FROM analyses"))
    finally:
        db.close()
    used = sorted({row[3] for row in rows})
    return {"fingerprint": meta["fingerprint"], "parameters": meta.get("parameters", "{}"),
            "rows": [list(row) for row in rows], "analyses": {k: analyses[k] for k in used}}


def _damaged(path: str, what: str) -> ScreenStoreError:
    return ScreenStoreError(f"{path}: the checkpoint is damaged ({what}); run again with --fresh to start it over")


def _check_existing(path: Path, fresh: bool) -> None:
    """Refuse, before writing anything, a file that is not a usable signet checkpoint."""
    if not path.exists():
        return
    if not path.is_file():
        raise ScreenStoreError(f"{path}: not a regular file; choose another --db")
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if not header:
        return  # an empty file: nothing to lose
    if header != _SQLITE_HEADER:
        raise ScreenStoreError(f"{path} is not a signet checkpoint (not an SQLite file); choose another --db")
    problem = _inspect(path)
    if problem is None:
        return
    foreign, what = problem
    if foreign:
        raise ScreenStoreError(f"{path} is an SQLite database but not a signet checkpoint ({what}); "
                               "choose another --db")
    if not fresh:
        raise _damaged(str(path), what)
    for suffix in ("", "-wal", "-shm"):  # --fresh: start the damaged checkpoint over
        Path(str(path) + suffix).unlink(missing_ok=True)


def _inspect(path: Path) -> tuple[bool, str] | None:
    """``None`` for a sound signet checkpoint, else ``(foreign, what)``: whether the file is
    another program's database, and what is wrong.  Read-only."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return False, str(exc)
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in _TABLES.items():
            if table not in tables:
                return True, f"tables {', '.join(sorted(tables)) or 'none'}"
            found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                return True, f"table {table} has columns {', '.join(found)}"
        if db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone() is None:
            return True, "no signet fingerprint"
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return False, check
        if sqlite3.sqlite_version_info >= (3, 38, 0):
            bad = db.execute("SELECT key FROM analyses WHERE json_valid(result) = 0 LIMIT 1").fetchone()
            if bad is not None:
                return False, "an analysis is not valid JSON"
        return None
    except sqlite3.DatabaseError as exc:
        return False, str(exc)
    finally:
        db.close()


def _difference(stored: str, current: str) -> str:
    a, b = json.loads(stored), json.loads(current)
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return "differs in " + ", ".join(keys) if keys else "different"
