"""What the parser understood of a document, and what looks wrong: the figures of the ingest report.

Staff drop in files the archive has never seen. A factsheet that was not
understood still gives passages, so a search works, but its recommendations,
boxes or footnotes may be missing. The report counts what the parser found
(sections, recommendation ids, follow-ups, practices, footnotes, pages) and
says in plain words what looks wrong, so staff can tell at ingest:

- no recommendation ids: nothing can be followed across countries;
- footnote calls without a footnote, and footnotes never called;
- a gap in the section numbering (a Party's factsheet may skip a section,
  so this is a warning, not an error);
- boxes seen in the layout but left empty (an empty template box says
  nothing and is left out, but a box whose text was lost looks the same);
- an unknown Party or a missing round (the identity's own warnings).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Block, BlockKind, DocType, DocumentReport, EmptyBox, Footnote
from .blocks import footnote_numbers
from .references import int_to_roman, roman_to_int
from .source import Paragraph, SourceText

RECOMMENDATION_KINDS = (BlockKind.RECOMMENDATION, BlockKind.GENERIC_RECOMMENDATION)
LISTED = 8  # numbers named in one warning; the rest are counted


def _numbers(values: Iterable[object]) -> str:
    """ "12, 15, 18" or "12, 15, … (11 in all)": a list a warning can quote in one line."""
    values = [str(v) for v in values]
    shown = ", ".join(values[:LISTED])
    return shown if len(values) <= LISTED else f"{shown}, … ({len(values)} in all)"


def _where(boxes: list[EmptyBox]) -> str:
    """ "promising practices in III, IV; follow-up action in X": the boxes grouped by kind, in order."""
    sections: dict[BlockKind, list[str]] = {}
    for box in boxes:
        sections.setdefault(BlockKind(box.kind), []).append(box.section or "no section")
    return "; ".join(f"{kind.label.lower()}{'s' if len(where) > 1 else ''} in {', '.join(where)}"
                     for kind, where in sections.items())


def missing_sections(numerals: Iterable[str]) -> list[str]:
    """The section numerals from I to the last one found that are not among ``numerals``: I, II, IV → ["III"]."""
    found = {roman_to_int(numeral) for numeral in numerals} - {0}
    return [int_to_roman(value) for value in range(1, max(found, default=0) + 1) if value not in found]


def footnote_warnings(paragraphs: list[Paragraph], footnotes: dict[int, Footnote]) -> tuple[int, int, int, list[str]]:
    """Footnotes resolved (called, with a body), calls without a footnote, footnotes never called, and the warnings."""
    called = sorted({number for paragraph in paragraphs for number in footnote_numbers(paragraph.text)})
    unresolved = [number for number in called if number not in footnotes]
    uncalled = sorted(set(footnotes) - set(called))
    warnings = []
    if unresolved:
        warnings.append(f"footnote calls without a footnote: {_numbers(unresolved)}; what they cite is lost: "
                        "check the footnotes at the foot of those pages")
    if uncalled:
        warnings.append(f"footnotes never called: {_numbers(uncalled)}; their text is attached to no passage: "
                        "check the calls in the text")
    return len(called) - len(unresolved), len(unresolved), len(uncalled), warnings


def factsheet_report(
    src: SourceText,
    paragraphs: list[Paragraph],
    sections: list[str],
    blocks: list[Block],
    empty_boxes: list[EmptyBox],
    identity_warnings: list[str],
) -> DocumentReport:
    """The report of a factsheet: its structure counted, and what looks wrong.

    ``paragraphs`` are the repaired paragraphs (with their footnote calls),
    ``sections`` the numerals of the section headings found, ``empty_boxes``
    the kind and section of each box the parser left out for having no content.
    """
    resolved, unresolved, uncalled, warnings = footnote_warnings(paragraphs, src.footnotes)
    rec_ids = {rec_id for block in blocks if block.kind in RECOMMENDATION_KINDS for rec_id in block.rec_ids}
    missing = missing_sections(sections)
    structure = []
    if not sections:
        structure.append("no numbered section headings (I. Introduction, II. …): check that the file is a "
                         "factsheet and that its headings were read")
    elif missing:
        structure.append(f"no section {', '.join(missing)} between I and {sections[-1]}: a Party's factsheet may "
                         "skip a section; check that no heading was missed")
    if not rec_ids:
        structure.append("no recommendation ids: no footnote cites a recommendation (\"Recommendation II-6\"), so "
                         "follow-ups cannot be tracked; check that the footnotes were read")
    if empty_boxes:
        structure.append(f"{len(empty_boxes)} box{'es' if len(empty_boxes) != 1 else ''} with a title but no "
                         f"content ({_where(empty_boxes)}): left out; check that each is an empty template")
    return DocumentReport(
        doc_type=DocType.FACTSHEET.value,
        sections=len(sections),
        recommendations=len(rec_ids),
        follow_ups=sum(block.kind is BlockKind.FOLLOW_UP for block in blocks),
        practices=sum(block.kind is BlockKind.PROMISING_PRACTICE for block in blocks),
        footnotes_resolved=resolved,
        footnotes_unresolved=unresolved,
        footnotes_uncalled=uncalled,
        pages=src.page_count,
        empty_boxes=len(empty_boxes),
        missing_sections=missing,
        warnings=[*identity_warnings, *structure, *warnings],
    )


def document_report(
    src: SourceText, paragraphs: list[Paragraph], doc_type: str, identity_warnings: list[str] = ()
) -> DocumentReport:
    """The report of the Convention or of another document: footnotes and pages; it has no factsheet structure."""
    resolved, unresolved, uncalled, warnings = footnote_warnings(paragraphs, src.footnotes)
    return DocumentReport(
        doc_type=str(doc_type),
        footnotes_resolved=resolved,
        footnotes_unresolved=unresolved,
        footnotes_uncalled=uncalled,
        pages=src.page_count,
        warnings=[*identity_warnings, *warnings],
    )
