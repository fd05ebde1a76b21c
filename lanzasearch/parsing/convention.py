"""The Lanzarote Convention: ``parse_convention(src) -> Document``.

A preamble, then chapters ("CHAPTER VI" with its title on the next heading)
holding articles ("Article 25" with its title on the next heading) made of
numbered paragraphs ("1. Each Party shall …") and lettered items ("a) …").
Each article is one block; a long one is cut into one block per numbered
paragraph, every piece still headed "Article 25 – Jurisdiction".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang import LanguageProfile, detect_language
from ..model import Block, BlockKind, DocType, Document
from .blocks import make_block, render
from .repair import repair_paragraphs
from .report import document_report
from .source import Paragraph, SourceText

TITLE = "Lanzarote Convention"
# How the Convention names itself on its first lines.
CONVENTION_NAME = re.compile(
    r"Convention on the Protection of Children against Sexual Exploitation and Sexual Abuse|Lanzarote Convention",
    re.IGNORECASE,
)
MIN_ARTICLES = 3  # a document with fewer "Article N" headings is about the Convention, not the Convention
PREAMBLE_HEADING = re.compile(r"^preamble$", re.IGNORECASE)
# "CHAPTER VI", "Chapter VI – Substantive criminal law"
CHAPTER_HEADING = re.compile(r"^chapter\s+(?P<numeral>[IVXL]+)\b\.?(?:\s*[–—:-]\s*(?P<title>.+))?$", re.IGNORECASE)
# "Article 25", "Article 25 – Jurisdiction"
ARTICLE_HEADING = re.compile(r"^article\s+(?P<number>\d+)\b\.?(?:\s*[–—:-]\s*(?P<title>.+))?$", re.IGNORECASE)
# "1. Each Party shall…": a numbered paragraph of an article.
NUMBERED_PARAGRAPH = re.compile(r"^\d{1,2}\.\s")
# The signature clause after the last article: not part of it.
TESTIMONIUM = re.compile(r"^in witness whereof\b", re.IGNORECASE)
# An article longer than this is cut at its numbered paragraphs.
MAX_ARTICLE_CHARS = 1200


@dataclass
class _Article:
    number: str
    title: str | None
    chapter: str | None
    chapter_title: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Article {self.number} – {self.title}" if self.title else f"Article {self.number}"


def sentence_case(title: str) -> str:
    """"SUBSTANTIVE CRIMINAL LAW" → "Substantive criminal law"; mixed-case titles are left alone."""
    if title.isupper():
        return title[:1] + title[1:].lower()
    return title


def is_convention(src: SourceText) -> bool:
    """The Convention names itself near the start and is made of "Article N" headings."""
    named = any(CONVENTION_NAME.search(p.text) for p in src.paragraphs[:10])
    articles = sum(1 for p in src.paragraphs if p.heading_level and ARTICLE_HEADING.match(p.text))
    return named and articles >= MIN_ARTICLES


def split_paragraphs(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Groups starting at each numbered paragraph ("1.", "2." …); lettered items stay with theirs."""
    groups: list[list[Paragraph]] = []
    for paragraph in paragraphs:
        if not groups or NUMBERED_PARAGRAPH.match(paragraph.text):
            groups.append([])
        groups[-1].append(paragraph)
    return groups


def article_blocks(article: _Article, src: SourceText, profile: LanguageProfile) -> list[Block]:
    """One block per article, or per numbered paragraph when the article is long."""
    whole = render(article.paragraphs)
    groups = split_paragraphs(article.paragraphs) if len(whole) > MAX_ARTICLE_CHARS else [article.paragraphs]
    return [
        make_block(
            BlockKind.ARTICLE,
            render(group),
            group,
            src.footnotes,
            section=article.chapter,
            section_title=article.chapter_title,
            heading=article.heading,
            article=article.number,
            articles=[article.number],
            profile=profile,
        )
        for group in groups
    ]


class _ConventionBuilder:
    """Walks the paragraphs: preamble, chapters, articles, closing formula."""

    def __init__(self, src: SourceText, profile: LanguageProfile) -> None:
        self.src = src
        self.profile = profile
        self.blocks: list[Block] = []
        self.preamble: list[Paragraph] = []
        self.closing: list[Paragraph] = []
        self.article: _Article | None = None
        self.chapter: str | None = None
        self.chapter_title: str | None = None
        self.awaiting: str | None = None  # "chapter" / "article" while its title heading may follow
        self.seen_preamble_heading = False

    def finish_article(self) -> None:
        if self.article is not None and self.article.paragraphs:
            self.blocks.extend(article_blocks(self.article, self.src, self.profile))
        self.article = None

    def on_heading(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        chapter = CHAPTER_HEADING.match(text)
        article = ARTICLE_HEADING.match(text)
        if chapter:
            self.finish_article()
            self.chapter, self.chapter_title = chapter["numeral"].upper(), chapter["title"]
            self.awaiting = None if chapter["title"] else "chapter"
        elif article:
            self.finish_article()
            self.article = _Article(article["number"], article["title"], self.chapter, self.chapter_title)
            self.awaiting = None if article["title"] else "article"
        elif self.awaiting == "chapter":
            self.chapter_title = sentence_case(text)
            self.awaiting = None
        elif self.awaiting == "article" and self.article is not None:
            self.article.title = text
            self.awaiting = None
        elif PREAMBLE_HEADING.match(text):
            self.seen_preamble_heading = True
            self.preamble.clear()  # what came before the "Preamble" heading was the title page

    def on_text(self, paragraph: Paragraph) -> None:
        self.awaiting = None
        if TESTIMONIUM.match(paragraph.text) or self.closing:
            self.finish_article()
            self.closing.append(paragraph)
        elif self.article is not None:
            self.article.paragraphs.append(paragraph)
        elif self.chapter is None:
            self.preamble.append(paragraph)

    def run(self, paragraphs: list[Paragraph]) -> list[Block]:
        for paragraph in paragraphs:
            if paragraph.heading_level:
                self.on_heading(paragraph)
            else:
                self.on_text(paragraph)
        self.finish_article()
        blocks = []
        if self.preamble:
            blocks.append(
                make_block(BlockKind.PREAMBLE, render(self.preamble), self.preamble, self.src.footnotes,
                           heading="Preamble", articles=[], profile=self.profile)
            )
        blocks.extend(self.blocks)
        if self.closing:
            blocks.append(
                make_block(BlockKind.TEXT, render(self.closing), self.closing, self.src.footnotes,
                           heading="Final formula", articles=[], profile=self.profile)
            )
        return blocks


def parse_convention(src: SourceText, profile: LanguageProfile | None = None) -> Document:
    """Structure the Convention's text into a preamble block and article blocks.

    ``profile`` is the text's language (for repair and footnotes), told from its
    opening when not given; the headings this parser reads are the English text's.
    """
    profile = profile or detect_language(src.opening())
    paragraphs = repair_paragraphs(src.paragraphs, profile)
    blocks = _ConventionBuilder(src, profile).run(paragraphs)
    return Document(
        doc_type="convention",
        title=TITLE,
        source=src.path,
        sha256=src.sha256,
        page_count=src.page_count,
        blocks=blocks,
        language=profile.code,
        report=document_report(src, paragraphs, DocType.CONVENTION),
    )
