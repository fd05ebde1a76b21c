"""The tracker's records: a recommendation id as it stands across the archive, and each Party's follow-up to it.

Plain data, built by ``recommendations.py`` from the stored passages; ``model`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FollowUp:
    """A Party's follow-up to one recommendation."""

    country: str | None
    doc_id: str
    text: str
    page: int | None
    chunk_id: int | None = None


@dataclass
class Recommendation:
    """A recommendation id as it stands across the archive."""

    rec_id: str  # "II-6"
    section: str | None
    section_title: str | None
    strength: str | None
    kind: str  # recommendation | generic_recommendation
    text: str
    countries: list[str] = field(default_factory=list)
    pages: dict[str, int | None] = field(default_factory=dict)  # country -> page
    articles: list[str] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    practices: list[FollowUp] = field(default_factory=list)  # promising practices in the same section

    @property
    def has_follow_up(self) -> bool:
        return bool(self.follow_ups)
