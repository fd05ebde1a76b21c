"""A Lanzarote Committee country factsheet: ``parse_factsheet(src) -> Document``.

The parser knows the factsheet's vocabulary, not its file format:

- the title page ("FACTSHEET – NORWAY", the round's theme, prepared/updated
  dates; read by identity.py) and the table of contents are metadata, not blocks;
- sections "I. Introduction" … "XI. Research", numbered in sequence;
- in each section, the Committee's observations, its recommendations
  (graded by the lead-in verb), generic recommendations to "all Parties",
  and the Party's boxes: "Follow-up actions" (orange) and "Promising
  practices" (blue).

A box is what the reader saw coloured (PDF): the paragraphs of one colour
family, orange for follow-up actions and blue for promising practices,
whatever their title says or whether they have one; a box title inside the
colour starts the next box. A title the reader saw no colour around
(Markdown) opens a box that runs until the Committee speaks again: a
paragraph in the Committee's voice, a paragraph citing a recommendation, a
Committee heading, a coloured box, the next box or the next section.

A heading that grades a recommendation ("The Committee requests Norway:" set
in bold) is read as the recommendation it is.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from ..lang import LanguageProfile, detect_language
from ..model import Block, BlockKind, Document, EmptyBox
from . import references
from .blocks import Packer, footnote_numbers, make_block, render
from .identity import Identity, identity_warnings, names_a_factsheet, read_front_matter
from .repair import TRAILING, ends_open, repair_paragraphs
from .report import factsheet_report
from .source import Paragraph, SourceText

# "II. Legal frameworks"; a table-of-contents entry has dot leaders or a page number.
SECTION_HEADING = re.compile(r"^(?P<numeral>[IVXL]+)\.\s+(?P<title>\S.*)$")
TOC_ENTRY = re.compile(r"\.{3,}|…|\s\d+$")
SECTION_HEADING_MAX = 250
# Paragraphs at the start searched for the title when a text has no section headings.
TITLE_WINDOW = 20
VOICE_WINDOW = 250  # characters in which the Committee's voice must appear: the lead clause
# A plain line that a converter did not mark as a heading: short, no sentence
# inside, no final stop (checked in code), starting like a title.
PLAIN_HEADING_MAX = 300
PLAIN_HEADING_START = re.compile(r"^[A-ZÀ-Þ(§“\"]")
SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")
SENTENCE_END = (".", "!", "?")


class _Kind(enum.Enum):
    SECTION = "section"
    BOX = "box"
    HEADING = "heading"
    TEXT = "text"


@dataclass
class _Element:
    """A paragraph with the role the factsheet gives it."""

    kind: _Kind
    paragraph: Paragraph
    numeral: str | None = None  # SECTION: "IV"
    title: str | None = None  # SECTION: "Jurisdiction rules"
    box: BlockKind | None = None  # BOX: FOLLOW_UP or PROMISING_PRACTICE

    @property
    def text(self) -> str:
        return self.paragraph.text


# --- metadata ----------------------------------------------------------------------


def is_factsheet(src: SourceText, profile: LanguageProfile) -> bool:
    """True when a title line near the start ("FACTSHEET – <COUNTRY>") or a running header names a
    Lanzarote Committee factsheet (see ``identity.names_a_factsheet``)."""
    return names_a_factsheet(src.paragraphs[:TITLE_WINDOW], src.running_headers, profile)


# --- classifying paragraphs ----------------------------------------------------------


def _section_candidate(paragraph: Paragraph) -> re.Match | None:
    """A "IV. Jurisdiction rules" heading that is not a table-of-contents line."""
    if paragraph.list_level or len(paragraph.text) > SECTION_HEADING_MAX:
        return None
    match = SECTION_HEADING.match(paragraph.text)
    if not match or TOC_ENTRY.search(match["title"]) or not references.roman_to_int(match["numeral"]):
        return None
    if paragraph.heading_level == 0 and not ends_open(paragraph.text):
        return None  # a plain line ending with a stop is a sentence, not a title
    return match


def looks_like_heading(paragraph: Paragraph) -> bool:
    """A heading the reader could not mark: a short plain line that stops without punctuation.

    "Observations of the Committee on research specific to Norway" is one;
    "(Education Act (2023))" is one inside a box. Sentences cut by a page break
    were rejoined by the repair step before this is asked.
    """
    text = paragraph.text
    return (
        paragraph.heading_level == 0
        and paragraph.list_level == 0
        and len(text) <= PLAIN_HEADING_MAX
        and not footnote_numbers(text)
        and bool(PLAIN_HEADING_START.match(text))
        and not SENTENCE_INSIDE.search(text)
        and ends_open(text)
    )


def _is_heading(paragraph: Paragraph, profile: LanguageProfile) -> bool:
    """A heading the reader marked, unless it grades a recommendation, or one it could not mark."""
    if paragraph.heading_level:
        return not profile.strength_verb.search(paragraph.text[:VOICE_WINDOW])
    return looks_like_heading(paragraph)


def _box_kind(text: str, profile: LanguageProfile) -> BlockKind | None:
    if profile.follow_up_title.match(text):
        return BlockKind.FOLLOW_UP
    if profile.practice_title.match(text):
        return BlockKind.PROMISING_PRACTICE
    return None


def _body_start(paragraphs: list[Paragraph]) -> int:
    """Index of the first section heading followed by content (not by more entries of a contents list).

    Without any section heading the whole text is body: better blocks without
    a section than no blocks at all.
    """
    for index, paragraph in enumerate(paragraphs):
        if _section_candidate(paragraph):
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following is not None and not _section_candidate(following):
                return index
    return 0


def classify(paragraphs: list[Paragraph], profile: LanguageProfile) -> list[_Element]:
    """Give each body paragraph its role.

    Section numerals must increase (I, II, IV…: a Party's factsheet may skip a
    section), so a numbered list item such as "I. …" inside a section is not
    taken for the next section.
    """
    elements: list[_Element] = []
    last = 0  # value of the last section numeral
    for paragraph in paragraphs:
        section = _section_candidate(paragraph)
        if section and references.roman_to_int(section["numeral"]) > last:
            last = references.roman_to_int(section["numeral"])
            elements.append(_Element(_Kind.SECTION, paragraph, section["numeral"], section["title"].strip()))
        elif box := _box_kind(paragraph.text, profile):
            elements.append(_Element(_Kind.BOX, paragraph, box=box))
        elif _is_heading(paragraph, profile):
            elements.append(_Element(_Kind.HEADING, paragraph))
        else:
            elements.append(_Element(_Kind.TEXT, paragraph))
    return elements


# --- building blocks ---------------------------------------------------------------

# The colour family of a box the reader saw names its kind.
BOX_COLOURS = {"orange": BlockKind.FOLLOW_UP, "blue": BlockKind.PROMISING_PRACTICE}


def _box_colour(paragraph: Paragraph) -> str | None:
    """The colour of the box the reader saw around a paragraph, when it is one that names a kind."""
    return paragraph.box if paragraph.box in BOX_COLOURS else None


@dataclass
class _Box:
    """A box being collected: its kind, the recommendations it answers, its content."""

    kind: BlockKind
    rec_ids: list[str]
    colour: str | None = None  # the reader's colour; None for a box opened by an uncoloured title
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class _Recommendation:
    """A recommendation being collected: the lead-in it hangs from and its items."""

    lead_in: Paragraph | None
    items: list[Paragraph] = field(default_factory=list)

    @property
    def lead_text(self) -> str:
        return (self.lead_in or self.items[0]).text


class _FactsheetBuilder:
    """Walks classified paragraphs in order and emits blocks."""

    def __init__(self, src: SourceText, elements: list[_Element], profile: LanguageProfile) -> None:
        self.footnotes = src.footnotes
        self.profile = profile
        # footnotes that name recommendations: a paragraph calling one is a recommendation
        self.recommendation_notes = {n for n, note in src.footnotes.items() if references.rec_ids(note.text, profile)}
        self.elements = elements
        self.blocks: list[Block] = []
        self.empty_boxes: list[EmptyBox] = []  # left out of the passages, but counted by the report and the tracker
        self.section: str | None = None
        self.section_title: str | None = None
        self.heading: str | None = None
        self.in_intro = False  # before the section's first subsection heading
        self.generic = False  # under a "Generic recommendations" heading
        self.lead_in: Paragraph | None = None  # "…the Committee requests Norway:" awaiting bullets
        self.lead_in_used = False  # some bullet has been read with it
        self.last_recommendation: Block | None = None
        self.prose = Packer()
        self.prose_kind = BlockKind.OBSERVATION
        self.recommendation: _Recommendation | None = None
        self.box: _Box | None = None

    # -- helpers

    def cites_recommendation(self, paragraph: Paragraph) -> bool:
        return not self.recommendation_notes.isdisjoint(footnote_numbers(paragraph.text))

    def committee_speaks(self, paragraph: Paragraph) -> bool:
        """The Committee's voice or one of its recommendations: what ends a Party's box in Markdown."""
        voice = self.profile.committee_voice.search(paragraph.text[:VOICE_WINDOW])
        return bool(voice) or self.cites_recommendation(paragraph)

    def grades(self, text: str) -> re.Match | None:
        """The Committee's strength verb in the lead clause of ``text``: "… the Committee requests"."""
        return self.profile.strength_verb.search(text[:VOICE_WINDOW])

    def _fields(self, **extra) -> dict:
        return {"section": self.section, "section_title": self.section_title, "heading": self.heading,
                "profile": self.profile, **extra}

    # -- flushing

    def flush_prose(self) -> None:
        for group in self.prose.take():
            self.blocks.append(make_block(self.prose_kind, render(group), group, self.footnotes, **self._fields()))

    def flush_recommendation(self) -> None:
        rec, self.recommendation = self.recommendation, None
        if rec is None:
            return
        if rec.lead_in is not None:
            shown = [rec.lead_in, *rec.items]
            text = rec.lead_in.text + "\n" + render(rec.items)
        else:  # the first item carries its own lead-in: it reads as a sentence, its sub-items as bullets
            shown = rec.items
            text = "\n".join(filter(None, [rec.items[0].text, render(rec.items[1:])]))
        verb = self.profile.strength_verb.search(rec.lead_text)
        generic = self.generic or bool(self.profile.to_all_parties.search(rec.lead_text))
        kind = BlockKind.GENERIC_RECOMMENDATION if generic else BlockKind.RECOMMENDATION
        strength = self.profile.strengths[" ".join(verb["verb"].lower().split())] if verb else None
        block = make_block(kind, text, shown, self.footnotes, **self._fields(strength=strength))
        self.blocks.append(block)
        self.last_recommendation = block

    def close_box(self) -> None:
        box, self.box = self.box, None
        if box is None:
            return
        if not box.paragraphs:  # an empty template box is no passage, but the report and the tracker count it
            self.empty_boxes.append(EmptyBox(box.kind.value, self.section, list(box.rec_ids)))
            return
        text = render(box.paragraphs)
        self.blocks.append(
            make_block(box.kind, text, box.paragraphs, self.footnotes, **self._fields(rec_ids=box.rec_ids))
        )

    def flush(self) -> None:
        self.flush_prose()
        self.flush_recommendation()
        self.close_box()

    def release_lead_in(self) -> None:
        """Forget the lead-in; one that no bullet followed becomes a block of its own, so no text is lost."""
        lead_in, self.lead_in = self.lead_in, None
        if lead_in is not None and not self.lead_in_used:
            self.recommendation = _Recommendation(lead_in=None, items=[lead_in])
            self.flush_recommendation()

    # -- boxes

    def next_text(self, index: int) -> Paragraph | None:
        """The next body paragraph after ``index``, skipping headings."""
        for element in self.elements[index + 1 :]:
            if element.kind is _Kind.TEXT:
                return element.paragraph
            if element.kind is not _Kind.HEADING:
                return None
        return None

    def committee_resumes(self, index: int) -> bool:
        """Whether element ``index`` is the Committee speaking again, which no Party's box holds.

        A Committee heading, a heading introducing the Committee's text, or a
        paragraph in its voice; a layout may draw such a heading inside the
        box above it.
        """
        element = self.elements[index]
        if element.kind is _Kind.HEADING:
            if self.profile.committee_heading.match(element.text):
                return True
            following = self.next_text(index)
            return following is not None and self.committee_speaks(following)
        return self.committee_speaks(element.paragraph)

    def box_continues(self, index: int) -> bool:
        """Whether element ``index`` is still inside the open box.

        A box the reader saw goes on while its colour does, a box opened by an
        uncoloured title until a coloured one begins; either ends where the
        Committee speaks again.
        """
        element = self.elements[index]
        if element.kind in (_Kind.SECTION, _Kind.BOX):
            return False
        if _box_colour(element.paragraph) != self.box.colour:
            return False
        return not self.committee_resumes(index)

    def opens_box(self, index: int) -> bool:
        """A box title, or a coloured paragraph that is not the Committee speaking: a box without title."""
        element = self.elements[index]
        if element.kind is _Kind.BOX:
            return True
        return _box_colour(element.paragraph) is not None and not self.committee_resumes(index)

    # -- elements

    def on_section(self, element: _Element) -> None:
        self.flush()
        self.release_lead_in()
        self.section, self.section_title = element.numeral, element.title
        self.heading, self.in_intro, self.generic = None, True, False
        self.last_recommendation = None

    def on_box(self, element: _Element) -> None:
        """A box's title or, for a box without one, its first paragraph.

        The colour the reader saw names the kind, else the title does. A
        follow-up answers the recommendation just before it.
        """
        self.flush()
        colour = _box_colour(element.paragraph)
        kind = BOX_COLOURS[colour] if colour else element.box
        answered = self.last_recommendation if kind is BlockKind.FOLLOW_UP else None
        self.box = _Box(kind=kind, rec_ids=list(answered.rec_ids) if answered else [], colour=colour)
        if element.kind is not _Kind.BOX:
            self.box.paragraphs.append(element.paragraph)

    def on_heading(self, element: _Element) -> None:
        self.flush()
        self.release_lead_in()
        self.heading, self.in_intro = element.text, False
        if self.profile.generic_heading.match(element.text):
            self.generic = True
        elif self.profile.committee_heading.match(element.text):
            self.generic = False

    def is_lead_in(self, paragraph: Paragraph) -> bool:
        """A "…the Committee requests Norway:" line (or bullet) that the following bullets complete."""
        return bool(self.grades(paragraph.text)) and paragraph.text.endswith(":")

    def recommendation_ends_after(self, index: int) -> bool:
        """Whether the recommendation being collected is complete once element ``index`` is added.

        A recommendation ends at the footnote that names it; without one, at a
        bullet that ends a sentence (not one ending with ";", "," or ":", which
        the next sub-item continues), or where the list ends.
        """
        paragraph = self.elements[index].paragraph
        if self.cites_recommendation(paragraph) or paragraph.list_level == 0:
            return True
        following = self.elements[index + 1] if index + 1 < len(self.elements) else None
        if following is None or following.kind is not _Kind.TEXT or following.paragraph.list_level == 0:
            return True
        deeper = following.paragraph.list_level > self.recommendation.items[0].list_level
        return not deeper and TRAILING.sub("", paragraph.text).endswith(SENTENCE_END)

    def starts_recommendation(self, paragraph: Paragraph) -> bool:
        return (
            self.cites_recommendation(paragraph)
            or bool(self.grades(paragraph.text))
            or (paragraph.list_level > 0 and self.lead_in is not None)
        )

    def on_text(self, index: int) -> None:
        paragraph = self.elements[index].paragraph
        if self.section == "I" or (self.in_intro and not self.committee_speaks(paragraph)):
            self.add_prose(BlockKind.INTRODUCTION, paragraph)
            return
        self.in_intro = False
        if self.recommendation is None and self.is_lead_in(paragraph):
            self.flush()
            self.release_lead_in()
            self.lead_in, self.lead_in_used = paragraph, False
            return
        if self.recommendation is None and self.starts_recommendation(paragraph):
            self.flush_prose()
            own_voice = bool(self.grades(paragraph.text))
            self.recommendation = _Recommendation(lead_in=None if own_voice else self.lead_in)
            self.lead_in_used |= self.recommendation.lead_in is not None
        if self.recommendation is not None:
            self.recommendation.items.append(paragraph)
            if self.recommendation_ends_after(index):
                self.flush_recommendation()
            return
        if paragraph.list_level == 0:
            self.release_lead_in()
        self.last_recommendation = None
        self.add_prose(BlockKind.OBSERVATION, paragraph)

    def add_prose(self, kind: BlockKind, paragraph: Paragraph) -> None:
        if kind is not self.prose_kind:
            self.flush_prose()
            self.prose_kind = kind
        self.prose.add(paragraph)

    def run(self) -> list[Block]:
        for index, element in enumerate(self.elements):
            if self.box is not None:
                if self.box_continues(index):
                    self.box.paragraphs.append(element.paragraph)
                    continue
                self.close_box()
            if element.kind is _Kind.SECTION:
                self.on_section(element)
            elif self.opens_box(index):
                self.on_box(element)
            elif element.kind is _Kind.HEADING:
                self.on_heading(element)
            else:
                self.on_text(index)
        self.flush()
        self.release_lead_in()
        return self.blocks


def _title_page(paragraphs: list[Paragraph], body_start: int, profile: LanguageProfile) -> list[Paragraph]:
    """The paragraphs before the first section; without sections, those before the Committee first speaks."""
    if body_start:
        return paragraphs[:body_start]
    page = []
    for paragraph in paragraphs[:TITLE_WINDOW]:
        if profile.committee_voice.search(paragraph.text[:VOICE_WINDOW]) or footnote_numbers(paragraph.text):
            break
        page.append(paragraph)
    return page


def _introduction(elements: list[_Element]) -> list[Paragraph]:
    """The paragraphs of section I, where the round is named when the title page does not name it."""
    sections = [index for index, element in enumerate(elements) if element.kind is _Kind.SECTION]
    if not sections or elements[sections[0]].numeral != "I":
        return []
    end = sections[1] if len(sections) > 1 else len(elements)
    return [element.paragraph for element in elements[sections[0] + 1 : end]]


def parse_factsheet(
    src: SourceText, identity: Identity = Identity(), profile: LanguageProfile | None = None
) -> Document:
    """Structure a factsheet's paragraphs into a ``Document`` of typed blocks (see the module docstring).

    ``identity`` holds a country and round set by staff (see ``identity.identity_override``):
    they replace what the title page says. ``profile`` is the document's language, told
    from its opening pages when not given.
    """
    profile = profile or detect_language(src.opening())
    paragraphs = repair_paragraphs(src.paragraphs, profile)
    start = _body_start(paragraphs)
    elements = classify(paragraphs[start:], profile)
    meta = read_front_matter(_title_page(paragraphs, start, profile), src.running_headers, _introduction(elements),
                             profile)
    if identity:
        meta.country = identity.country or meta.country
        meta.round = identity.round or meta.round
        meta.warnings = identity_warnings(meta.country, meta.round)
    builder = _FactsheetBuilder(src, elements, profile)
    blocks = builder.run()
    sections = [element.numeral for element in elements if element.kind is _Kind.SECTION]
    return Document(
        doc_type="factsheet",
        title=meta.title,
        source=src.path,
        sha256=src.sha256,
        country=meta.country,
        round=meta.round,
        prepared=meta.prepared,
        updated=meta.updated,
        page_count=src.page_count,
        blocks=blocks,
        warnings=meta.warnings,
        language=profile.code,
        report=factsheet_report(src, paragraphs, sections, blocks, builder.empty_boxes, meta.warnings),
        empty_boxes=builder.empty_boxes,
    )
