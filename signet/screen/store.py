"""A SQLite file that keeps every finished row of a screen, so nothing is lost.

Rows are committed as they complete (WAL journal), so a screen killed part-way (Ctrl-C,
a killed worker, ``kill -9``) loses at most the rows in flight.  Running the same screen
again against the file skips finished rows and finished analyses.

The file records a *fingerprint* of everything that decides a row's value: the model
(its rules, phenotypes, contexts, treatment and baseline, hashed), the treatment used,
the update scheme and the analysis.  Opening a file with another fingerprint raises a
:class:`~signet.errors.SignetError` (or, with ``fresh=True``, empties it).  Which rows
are asked for (targets, kinds, sizes, contexts) may change between runs: rows are keyed
by context and intervention, so a larger screen reuses the rows of a smaller one.

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
from typing import Any, Iterable, Mapping

from ..errors import SignetError

__all__ = ["ScreenStore", "ScreenStoreMismatch"]

SCHEMA_VERSION = "1"


class ScreenStoreMismatch(SignetError):
    """The database was made for another model or other screen parameters."""


class ScreenStore:
    """Finished rows and analyses of a screen in a SQLite file.

    Parameters
    ----------
    path
        The database file (created if missing) or ``":memory:"``.
    fingerprint
        JSON-ready mapping of what decides a row's value; must match the file's.
    fresh
        Empty a file whose fingerprint differs instead of raising.
    """

    def __init__(self, path: str | os.PathLike[str], fingerprint: Mapping[str, Any], *, fresh: bool = False) -> None:
        self.path = str(path)
        self.fingerprint = json.dumps(dict(fingerprint), sort_keys=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._create()
        except sqlite3.DatabaseError as exc:
            raise SignetError(f"{self.path}: not a usable screen database ({exc})") from None
        stored = self._meta("fingerprint")
        if stored is None:
            self._set_meta("fingerprint", self.fingerprint)
            self._set_meta("schema", SCHEMA_VERSION)
            self.db.commit()
        elif stored != self.fingerprint:
            if not fresh:
                raise ScreenStoreMismatch(
                    f"{self.path} holds a screen of another model or with other parameters "
                    f"({_difference(stored, self.fingerprint)}); use another --db, or --fresh to discard it"
                )
            self.db.executescript("DELETE FROM rows; DELETE FROM analyses; DELETE FROM meta;")
            self._set_meta("fingerprint", self.fingerprint)
            self._set_meta("schema", SCHEMA_VERSION)
            self.db.commit()

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
        self._set_meta("parameters", json.dumps(dict(parameters), sort_keys=True))
        self.db.commit()

    def done_rows(self, contexts: Iterable[str] | None = None) -> set[tuple[str, str]]:
        """``(context, intervention)`` of every finished row (optionally only these contexts)."""
        rows = self.db.execute("SELECT context, intervention FROM rows").fetchall()
        if contexts is None:
            return {tuple(r) for r in rows}
        wanted = set(contexts)
        return {tuple(r) for r in rows if r[0] in wanted}

    def known_analyses(self, keys: Iterable[str]) -> dict[str, dict]:
        """Stored results of those analysis keys that are done."""
        out = {}
        for key in keys:
            row = self.db.execute("SELECT result FROM analyses WHERE key = ?", (key,)).fetchone()
            if row:
                out[key] = json.loads(row[0])
        return out

    def add_rows(self, rows: Iterable[tuple[str, str, int, str]], results: Mapping[str, dict]) -> None:
        """Store analyses and the rows ``(context, intervention, size, analysis key)`` in one transaction."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?)",
                [(k, json.dumps(v, sort_keys=True)) for k, v in results.items()],
            )
            self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)", list(rows))

    def add_rows_encoded(self, rows: Iterable[tuple[str, str, int, str]], results: Mapping[str, str]) -> None:
        """:meth:`add_rows` with the results already encoded as JSON text (``sort_keys=True``)."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)", list(results.items()))
            self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)", list(rows))

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
                value = parsed[r] = json.loads(r)
            out[(c, i)] = value
        return out

    def count(self) -> int:
        """Number of finished rows."""
        return self.db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def __enter__(self) -> "ScreenStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _difference(stored: str, current: str) -> str:
    a, b = json.loads(stored), json.loads(current)
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return "differs in " + ", ".join(keys) if keys else "different"
