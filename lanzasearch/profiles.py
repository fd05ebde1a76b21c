"""A Party's profile: its documents, its recommendations by section, strength and follow-up status, its practices.

Built from the same recommendation list as ``Archive.recommendations(country=…)``, so every count here
is a count of that list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from .model import STRENGTHS, DocumentInfo, Hit, Recommendation
from .parsing.references import roman_to_int
from .recommendations import STATUSES, follow_up_status

# A profile counts each recommendation addressed to the Party once, by what its factsheet shows.
PROFILE_STATUSES = ("follow_up", "empty_box", "no_box")
MOST_CITED = 10  # Convention articles listed in a profile


@dataclass
class PartyProfile:
    """One Party at a glance; ``statuses`` maps each recommendation id to a key of ``PROFILE_STATUSES``."""

    country: str
    documents: list[DocumentInfo]
    recommendations: list[Recommendation]
    statuses: dict[str, str]
    practices: list[Hit] = field(default_factory=list)
    articles: list[tuple[str, int]] = field(default_factory=list)  # (article, passages citing it), most cited first

    @property
    def rounds(self) -> list[str]:
        return sorted({d.round for d in self.documents if d.round})

    @property
    def sections(self) -> list[str]:
        """The sections the Party has recommendations in, in report order."""
        return sorted({r.section for r in self.recommendations if r.section}, key=roman_to_int)

    def by_section_and_strength(self) -> dict[str, dict[str, int]]:
        """Section → strength → number of recommendations."""
        return self._count(lambda rec: rec.strength or "unknown", STRENGTHS)

    def by_section_and_status(self) -> dict[str, dict[str, int]]:
        """Section → follow-up status → number of recommendations: what the chart shows."""
        return self._count(lambda rec: self.statuses[rec.rec_id], PROFILE_STATUSES)

    def status_counts(self) -> dict[str, int]:
        """How many recommendations have follow-up content, an empty box, or no box."""
        counts = Counter(self.statuses.values())
        return {status: counts[status] for status in PROFILE_STATUSES}

    def _count(self, key, order) -> dict[str, dict[str, int]]:
        table = {section: {value: 0 for value in order} for section in self.sections}
        for rec in self.recommendations:
            if rec.section:
                row = table[rec.section]
                row[key(rec)] = row.get(key(rec), 0) + 1
        return table

    def to_dict(self) -> dict:
        return {
            "country": self.country,
            "rounds": self.rounds,
            "documents": [asdict(d) for d in self.documents],
            "recommendations": [
                {"rec_id": r.rec_id, "section": r.section, "strength": r.strength, "kind": r.kind,
                 "status": self.statuses[r.rec_id], "status_label": STATUSES[self.statuses[r.rec_id]],
                 "follow_ups": [asdict(f) for f in r.follow_ups if f.country == self.country], "text": r.text}
                for r in self.recommendations
            ],
            "by_section_and_strength": self.by_section_and_strength(),
            "by_section_and_status": self.by_section_and_status(),
            "status_counts": self.status_counts(),
            "practices": [h.to_dict() for h in self.practices],
            "articles": [{"article": a, "passages": n} for a, n in self.articles],
        }


def build_profile(country: str, documents: list[DocumentInfo], recommendations: list[Recommendation],
                  empty_box_ids: set[str], passages: list[Hit]) -> PartyProfile:
    """The profile from the Party's current documents, its recommendation list, the ids of its empty
    follow-up boxes and its passages (for practices and the Convention articles cited)."""
    statuses = {}
    for rec in recommendations:
        status = follow_up_status(rec, country, empty_box_ids)
        # A profile counts boxes: a generic recommendation without one is one without a box.
        statuses[rec.rec_id] = "no_box" if status == "generic" else status
    cited = Counter(article for hit in passages for article in hit.articles)
    practices = [h for h in passages if h.kind == "promising_practice"]
    most = sorted(cited.items(), key=lambda pair: (-pair[1], int(pair[0]) if pair[0].isdigit() else 0))
    return PartyProfile(country, documents, recommendations, statuses, practices, most[:MOST_CITED])
