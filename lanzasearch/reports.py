"""What an ingest tells staff: what happened to each file, and what the parser understood of each document.

``DocumentReport`` holds the parser's figures and warnings for one document
(it is stored with the document and shown by ``lanzasearch docs``);
``FileResult`` is one file's outcome, with its report and the stored
documents it replaced; ``IngestReport`` is the whole run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

FACTSHEET = "factsheet"  # model.DocType.FACTSHEET (model.py imports this module)


@dataclass
class DocumentReport:
    """What the parser understood of a document, for staff to check that a file was understood.

    The counts come from the parser; ``warnings`` says what looks wrong (an
    unknown Party or no round, no recommendation ids, footnote calls without a
    footnote, a gap in the section numbering, boxes left empty). The factsheet
    counts (sections to practices) are 0 for other documents.
    """

    doc_type: str = "document"  # a model.DocType value
    sections: int = 0
    recommendations: int = 0  # distinct recommendation ids on recommendation passages
    follow_ups: int = 0
    practices: int = 0
    footnotes_resolved: int = 0  # footnotes called in the text and found
    footnotes_unresolved: int = 0  # calls with no footnote to resolve them
    footnotes_uncalled: int = 0  # footnotes no call points to
    pages: int | None = None  # None: the format has no pages (.docx, Markdown, text)
    empty_boxes: int = 0  # boxes with a title and no content, left out
    missing_sections: list[str] = field(default_factory=list)  # gaps in the numbering: ["III"]
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line: "11 sections · 72 recommendations · 11 follow-ups · 8 practices · 109 footnotes resolved,
        0 unresolved · 22 pages"; a document other than a factsheet shows its footnotes and pages only."""
        parts = []
        if self.doc_type == FACTSHEET:
            parts += [_count(self.sections, "section"), _count(self.recommendations, "recommendation"),
                      _count(self.follow_ups, "follow-up"), _count(self.practices, "practice")]
        if self.footnotes_resolved or self.footnotes_unresolved:
            parts.append(f"{_count(self.footnotes_resolved, 'footnote')} resolved, {self.footnotes_unresolved} unresolved")
        else:
            parts.append("no footnotes")
        parts.append(_count(self.pages, "page") if self.pages else "no pages")
        return " · ".join(parts)

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentReport":
        """A report as stored (JSON); keys this version does not know are ignored."""
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class Replacement:
    """A stored document that an ingest replaced with a document read from another file, or re-identified.

    A replacement is never silent: the ingest report names both files.
    """

    doc_id: str  # the stored document replaced
    was: str  # the file it was read from
    now: str  # the file read now
    now_doc_id: str  # the document in its place: the same id, or another when staff set the Party or round

    @property
    def message(self) -> str:
        """ "replaced factsheet-norway-r2 (was factsheet-norway.pdf, now factsheet-norway-word.docx)" """
        by = f" with {self.now_doc_id}" if self.now_doc_id != self.doc_id else ""
        return f"replaced {self.doc_id}{by} (was {self.was}, now {self.now})"


@dataclass
class FileResult:
    """What ingest did with one file."""

    path: str
    status: str  # added | updated | unchanged | failed
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None
    report: DocumentReport | None = None  # what the parser understood of the file (not for failed ones)
    replaced: list[Replacement] = field(default_factory=list)  # stored documents this file took the place of

    def to_dict(self) -> dict:
        """The result as JSON-ready data, each replacement with its message."""
        data = asdict(self)
        for entry, replacement in zip(data["replaced"], self.replaced):
            entry["message"] = replacement.message
        return data


@dataclass
class IngestReport:
    """What one ingest did: a result per file, and how many passages it embedded."""

    files: list[FileResult] = field(default_factory=list)
    embedded: int = 0  # passages embedded in this run (0 when nothing changed)

    def _with(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def added(self) -> list[FileResult]:
        return self._with("added")

    @property
    def updated(self) -> list[FileResult]:
        return self._with("updated")

    @property
    def unchanged(self) -> list[FileResult]:
        return self._with("unchanged")

    @property
    def failed(self) -> list[FileResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed
