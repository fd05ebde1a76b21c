"""The recommendation tracker: passages grouped by recommendation id, with each Party's follow-ups.

A recommendation id ("II-6") is read with the parser's own grammar
(``parsing.references.REC_ID``), so what a user types and what the
factsheets cite are the same ids.
"""

from __future__ import annotations

from typing import Iterable

from .model import BlockKind, FollowUp, Hit, Recommendation
from .parsing.references import REC_ID, roman_to_int

FOLLOW_UP_CHOICES = ("any", "with", "without")
# What a Party did with a recommendation, as its factsheet shows it; each with its label.
STATUSES = {
    "follow_up": "follow-up reported",  # its follow-up box has content
    "empty_box": "box left empty",  # a follow-up box was left for it, and left empty
    "no_box": "no box",  # addressed to the Party, with no follow-up box
    "generic": "generic",  # addressed to all Parties, with no follow-up box of this Party
    "not_addressed": "not addressed to this Party",
}


def follow_up_status(rec: Recommendation, country: str, empty_box_ids: set[str]) -> str:
    """A key of STATUSES for one recommendation and one Party.

    ``empty_box_ids`` are the recommendation ids whose follow-up box the Party's factsheet left empty.
    """
    if any(box.country == country for box in rec.follow_ups):
        return "follow_up"
    if country not in rec.countries:
        return "not_addressed"
    if rec.rec_id in empty_box_ids:
        return "empty_box"
    return "generic" if rec.kind == BlockKind.GENERIC_RECOMMENDATION.value else "no_box"


def parse_rec_id(text: str | None) -> str | None:
    """ "II-6" for "II-6", "ii – 6" or " II-06 "; None when the text is not a recommendation id."""
    match = REC_ID.fullmatch((text or "").strip().upper())
    if not match or not roman_to_int(match["chapter"]):
        return None
    return f"{match['chapter']}-{int(match['number'])}"


def rec_id_key(rec_id: str) -> tuple[int, int]:
    """Report order: II-3 before II-10 before III-1; anything else first."""
    match = REC_ID.fullmatch(rec_id)
    return (roman_to_int(match["chapter"]), int(match["number"])) if match else (0, 0)


def build_recommendations(recommendations: list[Hit], boxes: list[Hit]) -> list[Recommendation]:
    """Group recommendation passages by id and attach each country's follow-ups and practices.

    ``recommendations`` are passages of the recommendation kinds, ``boxes``
    passages of the follow-up and promising-practice kinds.
    """
    recs: dict[str, Recommendation] = {}
    for hit in recommendations:
        for rec_id in hit.rec_ids:
            rec = recs.get(rec_id)
            if rec is None:
                rec = recs[rec_id] = Recommendation(
                    rec_id=rec_id, section=hit.section, section_title=hit.section_title,
                    strength=hit.strength, kind=hit.kind, text=hit.text,
                )
            country = hit.country or hit.doc_id
            if country not in rec.countries:
                rec.countries.append(country)
                rec.pages[country] = hit.page
            rec.articles = sorted(set(rec.articles) | set(hit.articles), key=lambda a: int(a) if a.isdigit() else 0)
    for hit in boxes:
        box = FollowUp(country=hit.country, doc_id=hit.doc_id, text=hit.text, page=hit.page, chunk_id=hit.chunk_id)
        if hit.kind == BlockKind.FOLLOW_UP.value:
            for rec_id in hit.rec_ids:
                if rec_id in recs:
                    recs[rec_id].follow_ups.append(box)
        else:
            # A practice answers the "invite" recommendations of its section in the same factsheet.
            linked = hit.rec_ids or [
                r.rec_id for r in recs.values()
                if r.section == hit.section and r.strength == "invite" and (hit.country in r.countries)
            ]
            for rec_id in linked:
                if rec_id in recs:
                    recs[rec_id].practices.append(box)
    return sorted(recs.values(), key=lambda r: rec_id_key(r.rec_id))


def filter_recommendations(
    recs: list[Recommendation],
    sections: Iterable[str] = (),
    strengths: Iterable[str] = (),
    addressed_to: Iterable[str] = (),
    follow_up: str = "any",
) -> list[Recommendation]:
    """Recommendations matching every given filter.

    ``addressed_to`` keeps a recommendation addressed to any of these
    countries (with all its countries and follow-ups); ``follow_up`` is
    "any", "with" (a follow-up was reported) or "without".
    """
    sections, strengths, countries = set(sections or ()), set(strengths or ()), set(addressed_to or ())
    out = []
    for rec in recs:
        if sections and rec.section not in sections:
            continue
        if strengths and rec.strength not in strengths:
            continue
        if countries and not countries & set(rec.countries):
            continue
        if follow_up == "with" and not rec.has_follow_up:
            continue
        if follow_up == "without" and rec.has_follow_up:
            continue
        out.append(rec)
    return out
