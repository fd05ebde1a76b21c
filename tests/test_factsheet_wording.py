"""Other Parties' factsheets word things their own way; the parser reads them all.

Each test builds the paragraphs and footnotes a reader would hand over (a
``SourceText``) for one section of a fictional Party's factsheet.
"""

from __future__ import annotations

import pytest

from lanzasearch.model import BlockKind, Document, Footnote
from lanzasearch.parsing.factsheet import parse_factsheet
from lanzasearch.parsing.source import Paragraph, SourceText

RECOMMENDATION_KINDS = {BlockKind.RECOMMENDATION, BlockKind.GENERIC_RECOMMENDATION}


def heading(text: str, level: int = 2) -> Paragraph:
    return Paragraph(text, heading_level=level)


def bullet(text: str) -> Paragraph:
    return Paragraph(text, list_level=1)


def section(*paragraphs: Paragraph | str, footnotes: dict[int, str] | None = None) -> Document:
    """Section II of Miniland's factsheet holding ``paragraphs``, with footnotes by number."""
    body = [Paragraph(p) if isinstance(p, str) else p for p in paragraphs]
    src = SourceText(
        path="miniland.md",
        format="markdown",
        sha256="sha",
        paragraphs=[
            heading("FACTSHEET – MINILAND", 1),
            heading("I. Introduction"),
            Paragraph("The Committee monitors the implementation of the Convention in rounds."),
            heading("II. Legal frameworks"),
            heading("Observations of the Committee specific to Miniland", 3),
            *body,
        ],
        footnotes={n: Footnote(number=n, text=text) for n, text in (footnotes or {}).items()},
    )
    return parse_factsheet(src)


def only_recommendation(doc: Document):
    (rec,) = [b for b in doc.blocks if b.kind in RECOMMENDATION_KINDS]
    return rec


# --- strength lead-ins --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, strength",
    [
        ("The Committee therefore requests Miniland to criminalise grooming.", "request"),
        ("The Committee further invites Miniland to train judges.", "invite"),
        ("The Committee also strongly invites Miniland to fund research.", "invite"),
        ("In view of the above, the Committee consequently requires Miniland to amend its Criminal Code.", "require"),
        ("The Committee, therefore, requests Miniland to collect data.", "request"),
        ("The Lanzarote Committee once again requests Miniland to collect data.", "request"),
        ("The Committee urges Miniland to set up a helpline.", "request"),
        ("The Committee strongly encourages Miniland to raise awareness.", "invite"),
        ("The Committee encourages Miniland to raise awareness.", "invite"),
    ],
)
def test_the_lead_in_verb_grades_the_recommendation_whatever_adverbs_come_with_it(sentence, strength):
    doc = section(sentence[:-1] + ".[^1]", footnotes={1: "Recommendation II-3."})
    rec = only_recommendation(doc)
    assert (rec.kind, rec.strength, rec.rec_ids) == (BlockKind.RECOMMENDATION, strength, ["II-3"])


def test_a_lead_in_with_adverbs_gives_its_strength_to_each_bullet():
    doc = section(
        "The Committee therefore strongly invites Miniland:",
        bullet("to train judges;[^1]"),
        bullet("to fund research.[^2]"),
        footnotes={1: "Recommendation II-4.", 2: "Recommendation II-5."},
    )
    recs = [b for b in doc.blocks if b.kind in RECOMMENDATION_KINDS]
    assert [(r.rec_ids, r.strength) for r in recs] == [(["II-4"], "invite"), (["II-5"], "invite")]
    assert recs[1].text == "The Committee therefore strongly invites Miniland:\n- to fund research."


def test_a_party_recalling_what_the_committee_asked_stays_in_its_box():
    doc = section(
        "The Committee therefore requests Miniland to collect data.[^1]",
        heading("Follow-up actions taken by Miniland:", 4),
        "As the Committee therefore requested, the statistics office now collects data.",
        footnotes={1: "Recommendation II-3."},
    )
    (box,) = [b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP]
    assert box.text.startswith("As the Committee therefore requested") and box.rec_ids == ["II-3"]


# --- recommendations to all Parties -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The Committee invites the Parties to share their experience.",
        "The Committee requests the Parties to collect data.",
        "The Committee further invites all Parties, including Miniland, to share their experience.",
        "The Committee invites all States Parties to share their experience.",
        "The Committee requests those Parties that are not already doing so to collect data.",
    ],
)
def test_a_recommendation_to_the_parties_is_generic(sentence):
    doc = section(sentence[:-1] + ".[^1]", footnotes={1: "Recommendation II-7."})
    assert only_recommendation(doc).kind is BlockKind.GENERIC_RECOMMENDATION


def test_a_recommendation_to_the_party_itself_is_not_generic():
    doc = section("The Committee invites Miniland to share the Parties' experience.[^1]", footnotes={1: "Rec. II-8"})
    assert only_recommendation(doc).kind is BlockKind.RECOMMENDATION


def test_recommendations_under_a_general_recommendations_heading_are_generic():
    doc = section(
        heading("General recommendations of the Committee", 3),
        "The Committee invites Miniland to share its experience.[^1]",
        footnotes={1: "Recommendation II-9."},
    )
    assert only_recommendation(doc).kind is BlockKind.GENERIC_RECOMMENDATION


# --- box titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Follow-up actions:", BlockKind.FOLLOW_UP),
        ("FOLLOW-UP ACTIONS", BlockKind.FOLLOW_UP),
        ("Follow-up actions taken by Norway:", BlockKind.FOLLOW_UP),
        ("Follow-up action by the authorities", BlockKind.FOLLOW_UP),
        ("Follow up measures taken by the Government of Miniland:", BlockKind.FOLLOW_UP),
        ("Follow‑up action(s) reported by Miniland", BlockKind.FOLLOW_UP),
        ("Promising practice", BlockKind.PROMISING_PRACTICE),
        ("Promising practice(s) of Norway:", BlockKind.PROMISING_PRACTICE),
        ("National promising practices", BlockKind.PROMISING_PRACTICE),
        ("Promising practices in Miniland:", BlockKind.PROMISING_PRACTICE),
        ("FOLLOW-UP ACTIONS TAKEN BY THE AUTHORITIES:", BlockKind.FOLLOW_UP),
    ],
)
def test_box_titles_with_extra_words_open_their_box(title, kind):
    doc = section(
        "The Committee requests Miniland to collect data.[^1]",
        heading(title, 4),
        "The statistics office publishes yearly figures on reported offences.",
        footnotes={1: "Recommendation II-3."},
    )
    (box,) = [b for b in doc.blocks if b.kind in (BlockKind.FOLLOW_UP, BlockKind.PROMISING_PRACTICE)]
    assert box.kind is kind
    assert box.text == "The statistics office publishes yearly figures on reported offences."
    assert box.rec_ids == (["II-3"] if kind is BlockKind.FOLLOW_UP else [])


@pytest.mark.parametrize(
    "line",
    [
        "Follow-up action by the authorities was limited to a circular.",
        "Promising practices of other Parties. The Committee notes them.",
        "Promising practices in the field of education",
        "Promising practices of other Parties",
    ],
)
def test_a_sentence_or_heading_starting_like_a_box_title_is_not_one(line):
    doc = section(
        "The Committee requests Miniland to collect data.[^1]",
        line,
        "Schools in Miniland teach online safety from the age of ten.",
        footnotes={1: "Recommendation II-3."},
    )
    assert not [b for b in doc.blocks if b.kind in (BlockKind.FOLLOW_UP, BlockKind.PROMISING_PRACTICE)]


# --- ids from the footnote's list only ------------------------------------------------------------


def test_only_the_recommendation_list_of_a_footnote_gives_ids():
    doc = section(
        "The Committee requests Miniland to collect data.[^1]",
        footnotes={
            1: "Recommendations II-3 to II-5, agreed at the 41st meeting (13-15 February 2024); see form IV-2019 "
            "and Annex IV-3."
        },
    )
    assert only_recommendation(doc).rec_ids == ["II-3", "II-4", "II-5"]
