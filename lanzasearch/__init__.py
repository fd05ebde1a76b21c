"""Lanzasearch: a semantic archive of the Lanzarote Committee's factsheets.

    from lanzasearch import Archive
    archive = Archive.open("index")
    hits = archive.search("sexual extortion", k=10)
"""

from importlib import import_module

__version__ = "0.1.0"

# Names resolve on first use, so `import lanzasearch.parsing` does not load FAISS and torch.
_EXPORTS = {
    "Archive": "archive",
    # The errors a user can fix, all under LanzasearchError.
    "LanzasearchError": "errors", "AccessDenied": "errors", "ArchiveError": "errors", "ArchiveNotFound": "errors",
    "ConfigError": "errors", "EmptyQuery": "errors", "ModelError": "errors", "ModelMismatch": "errors",
    "QueryFileError": "errors", "RebuildRefused": "errors", "SourceError": "parsing.source", "StoreError": "errors",
    "UnknownFilterError": "errors",
    "Block": "model", "BlockKind": "model", "Chunk": "model", "Document": "model", "DocumentInfo": "model",
    "Hit": "model", "IngestReport": "model", "Recommendation": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'lanzasearch' has no attribute {name!r}")
