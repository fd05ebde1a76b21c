"""The columns of a comparison: one per Party and language of its current factsheets.

A Party's English documents make its column ("Norway"); its documents in
another language make one beside it, labelled with the language's code
("Norway (fr)"), so the French answer to a recommendation stands next to the
English one instead of being cut off after it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import DocumentInfo


def column_label(country: str, language: str) -> str:
    """ "Norway" for English documents, "Norway (fr)" for French ones."""
    return country if language in ("", "en") else f"{country} ({language})"


def columns(documents: Iterable[DocumentInfo], countries: Iterable[str] = ()) -> list[tuple[str, str, list[str]]]:
    """(label, Party, current doc ids) per Party and language, Parties in order, English first."""
    wanted = set(countries)
    found: dict[tuple[str, str], list[str]] = {}
    for doc in documents:
        if doc.current and doc.country and (not wanted or doc.country in wanted):
            found.setdefault((doc.country, doc.language or "en"), []).append(doc.doc_id)
    order = sorted(found, key=lambda key: (key[0], key[1] != "en", key[1]))
    return [(column_label(country, language), country, found[country, language]) for country, language in order]
