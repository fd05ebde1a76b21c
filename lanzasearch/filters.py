"""Filters: the values a search is restricted to, checked against what the archive holds.

``Filters`` is plain data; the store turns it into SQL (snapshot.py) and a
lexical or vector engine may read it as it likes. A value the archive does
not know is an error listing the valid ones, never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Iterable

from .errors import UnknownFilterError
from .model import STRENGTHS, BlockKind

if TYPE_CHECKING:
    from .snapshot import Snapshot


@dataclass
class Filters:
    """What a search may return; an empty list means "any"."""

    countries: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    rec_ids: list[str] = field(default_factory=list)
    article_numbers: list[str] = field(default_factory=list)  # Convention articles, by number ("25")
    cited_articles: list[str] = field(default_factory=list)  # passages citing these Convention articles
    history: bool = False  # also the earlier versions of updated documents

    @property
    def active(self) -> bool:
        """Whether any value is filtered (earlier versions are left out by the snapshot, see ``Snapshot.restricts``)."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "history")


def as_list(value: Iterable[str] | str | None) -> list[str]:
    """A filter argument as a list of stripped, non-empty strings (one string is one value)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def _match(name: str, given: list[str], allowed: list[str], canon=lambda s: s.casefold()) -> list[str]:
    by_key = {canon(a): a for a in allowed}
    out = []
    for value in given:
        key = canon(value)
        if key not in by_key:
            shown = ", ".join(allowed) if allowed else "none in this archive"
            raise UnknownFilterError(f"unknown {name} {value!r}: choose from {shown}")
        out.append(by_key[key])
    return sorted(set(out))


def kinds_of(given: Iterable[str] | str | None) -> list[str]:
    """Kind values for what a user wrote: a value, a label or an alias ("follow-up actions")."""
    out = []
    for value in as_list(given):
        kind = BlockKind.parse(value)
        if kind is None:
            raise UnknownFilterError(f"unknown kind {value!r}: choose from {', '.join(k.value for k in BlockKind)}")
        out.append(kind.value)
    return sorted(set(out))


def normalise_filters(snapshot: "Snapshot", *, countries=None, sections=None, kinds=None, strengths=None,
                      history: bool = False) -> Filters:
    """Check filter values against what the archive holds; unknown values raise, listing the valid ones."""
    return Filters(
        history=bool(history),
        # The archive's values are read only for a filter that is set (a search without one reads nothing).
        countries=_match("country", as_list(countries), snapshot.values("country") if as_list(countries) else []),
        sections=_match("section", [s.upper().rstrip(".") for s in as_list(sections)],
                        snapshot.values("section") if as_list(sections) else []),
        kinds=kinds_of(kinds),
        strengths=_match("strength", as_list(strengths), list(STRENGTHS)),
    )
