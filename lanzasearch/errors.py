"""The errors a user can fix, under one root: ``LanzasearchError``.

Each message says what was wrong (which file, field or setting) and what to
do. The CLI prints such an error as one line and exits with status 1; the app
shows it in the page or returns it to the API caller. Any other exception is
a bug and keeps its traceback.
"""

from __future__ import annotations


class LanzasearchError(Exception):
    """Something the user can fix; the message says what and how."""


class ArchiveError(LanzasearchError):
    """An archive operation that cannot be done as asked (no such document, a rebuild that would drop one …)."""


class ArchiveNotFound(ArchiveError):
    """No archive in the folder named: the message says how to build one."""


class ModelMismatch(ArchiveError):
    """An archive opened with another embedding model than the one that built it."""


class RebuildRefused(ArchiveError):
    """A rebuild that would drop documents; ``failed`` holds one result per document that cannot be re-read."""

    def __init__(self, message: str, failed: list | None = None):
        super().__init__(message)
        self.failed = list(failed or [])


class EmptyQuery(ArchiveError, ValueError):
    """A query with nothing to search for."""


class UnknownFilterError(LanzasearchError, ValueError):
    """A filter value (or mode) the archive does not know; the message lists the valid ones."""


class ModelError(LanzasearchError):
    """The embedding model cannot be loaded. The message says which and what to do."""


class StoreError(LanzasearchError):
    """The archive's database cannot be used by this version (a newer schema, say)."""


class ConfigError(LanzasearchError, ValueError):
    """A setting (environment variable or option) with a value that cannot be used."""


class QueryFileError(LanzasearchError, ValueError):
    """An evaluation query file that cannot be read or has a malformed line."""


class IdentityError(LanzasearchError, ValueError):
    """A country or round typed by staff that cannot name a factsheet. The message says what to write."""


class AccessDenied(LanzasearchError):
    """A staff action without valid credentials, or with staff actions switched off."""
