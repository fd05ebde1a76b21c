"""Plain data passed between the stages: parsing → chunking → archive → search.

Every stage takes and returns these dataclasses; none of them knows about
SQLite, FAISS or Gradio.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

# What an ingest reports lives in reports.py; these are the model's types too.
from .reports import DocumentReport, FileResult, IngestReport, Replacement  # noqa: F401
from .tracker import FollowUp, Recommendation  # noqa: F401


class DocType(str, enum.Enum):
    """What a document is: the parsers decide, the archive stores the value."""

    FACTSHEET = "factsheet"  # a Party's factsheet for one monitoring round
    CONVENTION = "convention"  # the Lanzarote Convention itself
    DOCUMENT = "document"  # any other text: another body's report, a note

    def __str__(self) -> str:
        return self.value


class BlockKind(str, enum.Enum):
    """What a block of a document is, as a reader of the factsheet sees it.

    Everything the interface and the filters know about a kind (its label,
    colour, aliases, where it is offered) is in ``KINDS`` below.
    """

    INTRODUCTION = "introduction"
    OBSERVATION = "observation"
    RECOMMENDATION = "recommendation"
    GENERIC_RECOMMENDATION = "generic_recommendation"
    FOLLOW_UP = "follow_up"
    PROMISING_PRACTICE = "promising_practice"
    ARTICLE = "article"
    PREAMBLE = "preamble"
    TEXT = "text"  # a document that is neither a factsheet nor the Convention

    def __str__(self) -> str:  # so f-strings and CSV cells show "follow_up"
        return self.value

    @property
    def info(self) -> "KindInfo":
        return KINDS[self]

    @property
    def label(self) -> str:
        return KINDS[self].label

    @classmethod
    def parse(cls, text: str) -> "BlockKind | None":
        """The kind a user means by a value, a label or an alias, in the plural too ("Follow-up actions")."""
        key = _kind_key(text)
        return _KIND_NAMES.get(key) or _KIND_NAMES.get(key.removesuffix("s"))


@dataclass(frozen=True)
class KindInfo:
    """How a kind of block is named, coloured and offered: the one place to change when adding a kind."""

    label: str  # "Follow-up action"
    doc_type: DocType  # the documents it appears in
    # Colour family of its cards, badges and boxes (the factsheets' own for the boxes); the
    # stylesheet has one rule per family: grey, navy, orange, blue, green.
    colour: str
    aliases: tuple[str, ...] = ()  # other names a filter accepts, besides the value and the label (and plurals)
    filter: bool = True  # offered as a choice in the interface's kind filters
    answer: bool = False  # what a Party did about a recommendation: compared side by side by default
    outlined: bool = False  # drawn as an outline rather than filled (addressed to all Parties)

    @property
    def tone(self) -> str:
        """The colour family, and "outline" when the badge is drawn as one: a ``data-tone`` value."""
        return f"{self.colour} outline" if self.outlined else self.colour


# In reading order: the interface lists kinds in this order.
KINDS: dict[BlockKind, KindInfo] = {
    BlockKind.INTRODUCTION: KindInfo("Introduction", DocType.FACTSHEET, "grey", filter=False),
    BlockKind.OBSERVATION: KindInfo("Observation", DocType.FACTSHEET, "grey"),
    BlockKind.RECOMMENDATION: KindInfo("Recommendation", DocType.FACTSHEET, "navy"),
    BlockKind.GENERIC_RECOMMENDATION: KindInfo("Generic recommendation", DocType.FACTSHEET, "navy", outlined=True),
    BlockKind.FOLLOW_UP: KindInfo("Follow-up action", DocType.FACTSHEET, "orange", ("followup",), answer=True),
    BlockKind.PROMISING_PRACTICE: KindInfo("Promising practice", DocType.FACTSHEET, "blue", answer=True),
    BlockKind.ARTICLE: KindInfo("Convention article", DocType.CONVENTION, "green"),
    BlockKind.PREAMBLE: KindInfo("Convention preamble", DocType.CONVENTION, "green", filter=False),
    BlockKind.TEXT: KindInfo("Text", DocType.DOCUMENT, "grey", filter=False),
}


def _kind_key(text: str) -> str:
    return str(text).strip().casefold().replace("-", "_").replace(" ", "_")


_KIND_NAMES = {
    _kind_key(name): kind
    for kind, info in KINDS.items()
    for name in (kind.value, info.label, *info.aliases)
}

STRENGTHS = ("require", "request", "invite")

# The eleven sections of a second-round factsheet, keyed by Roman numeral.
SECTIONS = {
    "I": "Introduction",
    "II": "Legal frameworks",
    "III": "Investigations and prosecution",
    "IV": "Jurisdiction rules",
    "V": "International cooperation",
    "VI": "Assistance to victims",
    "VII": "Civil society involvement and cooperation",
    "VIII": "Promoting awareness",
    "IX": "Education for children",
    "X": "Higher education curriculum and continuous training",
    "XI": "Research",
}


@dataclass
class Footnote:
    """A footnote body, resolved: which recommendations and paragraphs it cites."""

    number: int
    text: str
    page: int | None = None


@dataclass
class Block:
    """One structural unit of a document: an observation, a recommendation, a box, an article…

    ``text`` is clean reading text: no footnote calls, no page furniture, sentences
    rejoined across page and footnote breaks. List items stay on their own lines
    prefixed with "- ".
    """

    kind: BlockKind
    text: str
    section: str | None = None  # Roman numeral "II" for factsheets; chapter "IV" for the Convention
    section_title: str | None = None
    heading: str | None = None  # nearest subsection heading; for articles "Article 25 – Jurisdiction"
    strength: str | None = None  # require | request | invite (recommendations only)
    rec_ids: list[str] = field(default_factory=list)  # ["II-6"]; a follow-up gets the ids of its recommendation
    para_refs: list[str] = field(default_factory=list)  # implementation-report paragraphs ["43", "78"]
    articles: list[str] = field(default_factory=list)  # Convention articles cited ["25", "20"]
    notes: list[str] = field(default_factory=list)  # other footnote text: URLs, remarks
    pages: list[int] = field(default_factory=list)  # 1-based PDF pages; empty for text sources
    article: str | None = None  # Convention article number for kind ARTICLE ("25")


@dataclass
class EmptyBox:
    """A box left for a Party's answer that holds nothing: a fact about the factsheet, never a passage."""

    kind: str  # a BlockKind value: follow_up | promising_practice
    section: str | None = None
    rec_ids: list[str] = field(default_factory=list)  # the recommendation a follow-up box answers


@dataclass
class Document:
    """A parsed source file: metadata plus its ordered blocks."""

    doc_type: str  # a DocType value: "factsheet" | "convention" | "document"
    title: str
    source: str  # file name as given to ingest
    sha256: str
    country: str | None = None  # "Norway"; None for the Convention
    round: str | None = None  # monitoring round, "2"
    prepared: str | None = None  # "March 2023"
    updated: str | None = None  # "March 2025"
    page_count: int | None = None
    blocks: list[Block] = field(default_factory=list)
    # What the parser could not settle and staff should check: "'Atlantis' is not a Party …"
    warnings: list[str] = field(default_factory=list)
    language: str = "en"  # the code of the language profile it was read with
    report: DocumentReport = field(default_factory=DocumentReport)  # what the parser understood of it
    # The identity staff set at ingest ({"country": "Norway", "round": "2"}), kept so a rebuild applies it again.
    overrides: dict[str, str] = field(default_factory=dict)
    empty_boxes: list[EmptyBox] = field(default_factory=list)  # boxes the Party left empty, in order

    @property
    def doc_id(self) -> str:
        """Stable identity of a document across versions: type, country, round."""
        return make_doc_id(self.doc_type, self.country, self.round, self.title, self.language)


def slug(value: str) -> str:
    """``value`` as lowercase ASCII words joined by hyphens: "Türkiye" → "turkiye", "Côte d'Ivoire" → "cote-d-ivoire".

    Accents are taken off the letters (NFKD, then ASCII), not turned into hyphens.
    A value with no Latin letter or digit at all (a title in another script) gets
    a short hash of itself, so two such documents never share an id.
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if plain or not value.strip():
        return plain
    return "x" + hashlib.sha256(value.strip().encode("utf-8")).hexdigest()[:8]


def make_doc_id(doc_type: str, country: str | None, round: str | None, title: str = "", language: str = "en") -> str:
    """ "factsheet-norway-r2": type, country (or title) and round; the Convention is just "convention".

    A document in another language than English ends with its language code
    ("factsheet-norway-r2-fr"): the French factsheet of a Party and round is
    kept beside the English one, not as a version of it.
    """
    if doc_type == DocType.CONVENTION:
        parts = [DocType.CONVENTION.value]
    else:
        parts = [doc_type, slug(country or title or "untitled")]
        if round:
            parts.append(f"r{slug(round)}")
    if language and language != "en":
        parts.append(slug(language))
    return "-".join(parts)


VERSION_MARK = "@v"  # "factsheet-norway-r2@v1": an earlier version of factsheet-norway-r2


def version_doc_id(series: str, version: int) -> str:
    """The id an earlier version is kept under once a newer one replaces it."""
    return f"{series}{VERSION_MARK}{int(version)}"


@dataclass
class Chunk:
    """The unit that is embedded and returned: a block, or a piece of a long one."""

    doc_id: str
    ordinal: int  # position in the document
    block: Block
    text: str  # shown to users: clean block text (or its piece)
    context: str  # one short line: "Norway · II. Legal frameworks · Follow-up action"
    sentences: list[str] = field(default_factory=list)  # text cut into sentences, for the sentence view
    block_ordinal: int = 0  # position of its block in the document: the pieces of one block share it

    @property
    def embed_text(self) -> str:
        return f"{self.context}\n{self.text}"

    @property
    def page(self) -> int | None:
        return self.block.pages[0] if self.block.pages else None


@dataclass
class Hit:
    """One search result with everything needed to cite it."""

    rank: int
    score: float
    chunk_id: int
    doc_id: str
    doc_type: str
    country: str | None
    section: str | None
    heading: str | None
    kind: str
    strength: str | None
    rec_ids: list[str]
    para_refs: list[str]
    articles: list[str]
    page: int | None
    text: str
    section_title: str | None = None
    pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str | None = None
    title: str | None = None
    round: str | None = None
    prepared: str | None = None
    updated: str | None = None
    version: int = 1
    replaced_at: str | None = None  # set when the passage belongs to an earlier version of its document
    language: str = "en"  # the language its document is written in
    # The same text in other Parties' factsheets, once their names are masked: (Party, chunk id).
    also_in: list[tuple[str, int]] = field(default_factory=list)
    match: str = "strong"  # "weak" when nothing in the archive answers the question closely

    @property
    def parties(self) -> list[str]:
        """Every Party this text is addressed to: the hit's own, then those of ``also_in``."""
        return [p for p in dict.fromkeys([self.country, *(party for party, _ in self.also_in)]) if p]

    @property
    def citation(self) -> str:
        """Human citation: "Norway, II. Legal frameworks, Rec. II-6, p. 4"."""
        convention = self.doc_type == DocType.CONVENTION
        parts = [self.country or ("Lanzarote Convention" if convention else self.title or self.doc_id)]
        if convention:
            if self.heading:
                parts.append(self.heading)
        elif self.section:
            parts.append(f"{self.section}. {self.section_title}" if self.section_title else f"Section {self.section}")
        if self.rec_ids:
            parts.append(("Rec. " if len(self.rec_ids) == 1 else "Recs. ") + ", ".join(self.rec_ids))
        if self.para_refs:
            parts.append(("para. " if len(self.para_refs) == 1 else "paras. ") + ", ".join(self.para_refs))
        if self.page:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)

    @property
    def full_citation(self) -> str:
        """The citation with its document named: title, round, dates, then where in it.

        "Lanzarote Committee, FACTSHEET – NORWAY, 2nd monitoring round, prepared March 2023, updated
        March 2025: Norway, II. Legal frameworks, Rec. II-6, p. 4".
        """
        return f"{document_reference(self)}: {self.citation}"

    def to_dict(self) -> dict:
        from dataclasses import asdict

        data = asdict(self)
        data["citation"] = self.citation
        data["full_citation"] = self.full_citation
        return data


class SearchResults(list):
    """The hits of a search, best first, and how the question was understood (``.understood``).

    A plain list of ``Hit`` for callers that only iterate.
    """

    def __init__(self, hits=(), understood=None, closeness: float | None = None):
        super().__init__(hits)
        self.understood = understood  # an understanding.Understanding, or None
        # How closely the best hit answers, what the weak-match rule reads (search.Ranked.closeness); None without hits.
        self.closeness = closeness

    @property
    def weak(self) -> bool:
        """Whether nothing answers closely: the best hit is a weak match."""
        return bool(self) and self[0].match == "weak"
def ordinal(number: str) -> str:
    """ "2nd" for "2", "11th" for "11"; other text as it is."""
    if not number.isdigit():
        return number
    value = int(number)
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def document_reference(doc) -> str:
    """A document named for a citation, from anything with title, doc_type, round, prepared, updated, version fields."""
    if doc.doc_type == DocType.CONVENTION:
        return "Council of Europe Convention on the Protection of Children against Sexual Exploitation and Sexual Abuse"
    parts = [f"Lanzarote Committee, {doc.title}" if doc.doc_type == DocType.FACTSHEET else (doc.title or "")]
    if doc.round:
        parts.append(f"{ordinal(doc.round)} monitoring round")
    if doc.prepared:
        parts.append(f"prepared {doc.prepared}")
    if doc.updated:
        parts.append(f"updated {doc.updated}")
    if getattr(doc, "replaced_at", None):
        parts.append(f"version {doc.version}, replaced {doc.replaced_at[:10]}")
    return ", ".join(p for p in parts if p)


@dataclass
class DocumentInfo:
    """A document as the archive holds it."""

    doc_id: str
    doc_type: str
    title: str
    country: str | None
    round: str | None
    source: str
    sha256: str
    page_count: int | None
    chunks: int
    ingested_at: str
    prepared: str | None = None
    updated: str | None = None
    language: str = "en"  # the language profile it was read with
    report: DocumentReport | None = None  # what the parser understood; None if stored before reports existed
    overrides: dict[str, str] = field(default_factory=dict)  # the identity staff set at ingest
    series: str | None = None  # the document this is a version of: its current version's id
    version: int = 1
    replaced_at: str | None = None  # None for the current version

    @property
    def current(self) -> bool:
        return self.replaced_at is None
