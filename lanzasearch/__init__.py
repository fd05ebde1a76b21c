"""Lanzasearch: a semantic archive of the Lanzarote Committee's factsheets.

    from lanzasearch import Archive
    archive = Archive.open("index")
    hits = archive.search("sexual extortion", k=10)

Everything named here is the public API: the CLI and the web package use
nothing else.
"""

from importlib import import_module

__version__ = "0.1.0"

# Names resolve on first use, so `import lanzasearch.parsing` does not load FAISS and torch.
_EXPORTS = {
    "Archive": "archive", "IntegrityReport": "integrity", "Check": "integrity",
    # The errors a user can fix, all under LanzasearchError.
    "LanzasearchError": "errors", "AccessDenied": "errors", "ArchiveError": "errors", "ArchiveNotFound": "errors",
    "ConfigError": "errors", "EmptyQuery": "errors", "IdentityError": "errors", "ModelError": "errors", "ModelMismatch": "errors",
    "QueryFileError": "errors", "RebuildRefused": "errors", "SourceError": "parsing.source", "StoreError": "errors",
    "UnknownFilterError": "errors",
    # The model's types and vocabularies.
    "Block": "model", "BlockKind": "model", "Chunk": "model", "DocType": "model", "Document": "model",
    "DocumentInfo": "model", "DocumentReport": "model", "FileResult": "model", "FollowUp": "model", "Hit": "model", "IngestReport": "model",
    "KINDS": "model", "KindInfo": "model", "Recommendation": "model", "Replacement": "model", "SECTIONS": "model", "STRENGTHS": "model",
    "SearchResults": "model", "EmptyBox": "model", "document_reference": "model",
    # What a question is understood to name; what a weak match is.
    "Understanding": "understanding", "Part": "understanding", "WEAK_BELOW": "weakmatch",
    # The tracker's views: a Party's profile, the recommendation × Party matrix, what an update changed.
    "PartyProfile": "profiles", "PROFILE_STATUSES": "profiles", "Matrix": "matrix", "MatrixCell": "matrix",
    "MatrixRow": "matrix", "STATUSES": "recommendations", "VersionChanges": "versions", "BlockChange": "versions",
    # What the archive accepts and offers: file types (the reader registry), search modes, recommendation filters.
    "SUPPORTED_SUFFIXES": "parsing", "READERS": "parsing.readers", "Reader": "parsing.readers",
    "reader_for": "parsing.readers", "formats_label": "parsing.readers",
    # A Party and round typed by staff, checked (IdentityError) and canonicalised.
    "identity_override": "parsing.identity",
    "MODES": "search", "FOLLOW_UP_CHOICES": "recommendations",
    # The search side's words, for marking a query's words in a passage.
    "STOPWORDS": "vocabulary", "THESAURUS": "vocabulary", "matches_stem": "vocabulary", "query_stems": "vocabulary",
    # Settings read from the environment, with a clear error.
    "env_number": "settings",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'lanzasearch' has no attribute {name!r}")
