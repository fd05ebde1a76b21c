"""HTML and export formats for the research interface: pure functions over the model's dataclasses.

Document text is escaped with ``html.escape`` before any markup is added, so
a passage, a title or a file name can never inject HTML into the page. The
colours follow the factsheets: orange for follow-up actions, blue for
promising practices.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import asdict
from typing import Iterable, Mapping
from urllib.parse import quote

from .model import SECTIONS, BlockKind, DocType, DocumentInfo, FileResult, FollowUp, Hit, Recommendation
from .vocabulary import STOPWORDS, THESAURUS

_WORD = re.compile(r"\w+", re.UNICODE)
_URL = re.compile(r"https?://[^\s<>\"']+")
# Suffixes cut from a query word so "prosecuted" also marks "prosecution"; the
# stem must keep at least MIN_STEM letters to avoid marking half the page.
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "es", "ed", "s", "ly", "e")
MIN_STEM = 4
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HIT_COLUMNS = (
    "rank", "score", "country", "doc_id", "section", "section_title", "heading", "kind", "strength",
    "rec_ids", "para_refs", "articles", "page", "citation", "text", "notes", "source",
)


# -- words and highlighting ----------------------------------------------------


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def query_stems(query: str) -> set[str]:
    """The stems to mark for a query: its words minus stop words, plus their thesaurus synonyms."""
    stems: set[str] = set()
    for word in _WORD.findall(query.lower()):
        if word in STOPWORDS:
            continue
        for term in (word, *THESAURUS.get(word, ())):
            stems.add(_stem(term))
    return stems


def _marks(word: str, stems: set[str]) -> bool:
    word = word.lower()
    # Short stems ("age", "ict", "16") only mark the same word; longer ones also mark its inflections.
    return any(word == s or (len(s) >= MIN_STEM and word.startswith(s)) for s in stems)


def highlight(text: str, query: str) -> str:
    """``text`` as escaped HTML with the query's words (and their inflections) in ``<mark>``.

    Words are found in the raw text and every piece is escaped on its own, so a
    mark never lands inside an entity such as ``&amp;``.
    """
    stems = query_stems(query) if query else set()
    out: list[str] = []
    pos = 0
    for match in _WORD.finditer(text):
        if stems and _marks(match.group(0), stems):
            out.append(html.escape(text[pos : match.start()]))
            out.append(f"<mark>{html.escape(match.group(0))}</mark>")
            pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


NOTE_PREFIX = "Note: "  # how chunking appends a block's footnote remarks to its text


def paragraphs(text: str, query: str = "") -> str:
    """Block text as paragraphs and lists ("- " lines), its "Note: " lines as small footnotes."""
    out: list[str] = []
    items: list[str] = []
    notes: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            items.append(f"<li>{highlight(line[2:], query)}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.startswith(NOTE_PREFIX):
            notes.append(line[len(NOTE_PREFIX):])
        elif line:
            out.append(f"<p>{highlight(line, query)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out) + notes_html(notes)


# -- small pieces ----------------------------------------------------------------


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def kind_label(kind: str) -> str:
    known = BlockKind.parse(kind)
    return known.label if known else kind.replace("_", " ").capitalize()


def kind_tone(kind: str) -> str:
    """``data-tone="…"`` for a kind's colour family (see KINDS); the stylesheet colours each family."""
    known = BlockKind.parse(kind)
    return f'data-tone="{esc(known.info.tone if known else "grey")}"'


def kind_badge(kind: str) -> str:
    return f'<span {kind_tone(kind)} class="ls-badge kind-{esc(kind)}">{esc(kind_label(kind))}</span>'


def strength_badge(strength: str | None) -> str:
    if not strength:
        return ""
    return f'<span class="ls-strength strength-{esc(strength)}" title="lead-in verb: {esc(strength)}s">{esc(strength)}</span>'


def section_label(section: str | None, title: str | None = None) -> str:
    """ "II. Legal frameworks" from a numeral, with the factsheet's own title when known."""
    if not section:
        return ""
    return f"{section}. {title or SECTIONS.get(section, '')}".rstrip(". ")


def rec_link(rec_id: str) -> str:
    """A recommendation id that opens it in the Recommendations tab (the href works without script too)."""
    return (
        f'<a class="ls-rec" data-rec="{esc(rec_id)}" href="?rec={quote(rec_id)}" '
        f'title="open recommendation {esc(rec_id)}">{esc(rec_id)}</a>'
    )


def source_url(doc_id: str, page: int | None) -> str:
    """Relative link to the archived source file, at the page for PDFs (works behind a path prefix too)."""
    return f"source/{quote(doc_id, safe='')}" + (f"#page={int(page)}" if page else "")


def page_link(doc_id: str, page: int | None, has_source: bool) -> str:
    if not has_source:
        return f'<span class="ls-page">p. {int(page)}</span>' if page else ""
    label = f"p. {int(page)}" if page else "source"
    return (
        f'<a class="ls-page" href="{esc(source_url(doc_id, page))}" target="_blank" rel="noopener" '
        f'title="open the source document{" at this page" if page else ""}">{label} ↗</a>'
    )


def article_details(number: str, article: Hit | None) -> str:
    """A Convention article that unfolds to its text; just the number when the Convention is not ingested."""
    if article is None:
        return f'<span class="ls-art-missing" title="the Convention is not in the archive">Art. {esc(number)}</span>'
    title = article.heading or f"Article {number}"
    return (
        f'<details class="ls-article"><summary>{esc(title)}</summary>'
        f'<div class="ls-article-text">{paragraphs(article.text)}</div></details>'
    )


def linkify(text: str) -> str:
    """Escaped text with its http(s) addresses as links that open in a new tab (no other schemes)."""
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]")
        out.append(html.escape(text[pos : match.start()]))
        out.append(f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer nofollow">{html.escape(url)}</a>')
        pos = match.start() + len(url)
    out.append(html.escape(text[pos:]))
    return "".join(out)


def notes_html(notes: list[str]) -> str:
    """Footnote remarks (sources, URLs), small, with their addresses as links."""
    if not notes:
        return ""
    return '<ul class="ls-notes">' + "".join(f"<li>{linkify(n)}</li>" for n in notes) + "</ul>"


def message(title: str, body: str = "", tone: str = "info") -> str:
    """An empty or error state: a short title and what to do next (both escaped; `code` spans kept)."""
    body_html = re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(body))
    return f'<div class="ls-message tone-{esc(tone)}"><strong>{esc(title)}</strong><p>{body_html}</p></div>'


# -- search results ----------------------------------------------------------------


def hit_where(hit: Hit) -> tuple[str, str]:
    """Who and where: ("Norway", "II. Legal frameworks › heading"), or the Convention and its article."""
    if hit.doc_type == DocType.CONVENTION:
        return "Lanzarote Convention", hit.heading or ""
    who = hit.country or hit.title or hit.doc_id
    where = " › ".join(p for p in (section_label(hit.section, hit.section_title), hit.heading) if p)
    return who, where


def own_article(hit: Hit) -> str | None:
    """The number of the article a Convention passage belongs to: it needs no link to itself."""
    match = re.match(r"Article\s+(\d+)", hit.heading or "") if hit.doc_type == DocType.CONVENTION else None
    return match.group(1) if match else None


def hit_card(
    hit: Hit,
    query: str = "",
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
    compact: bool = False,
) -> str:
    """One result as a card: where it is, what kind, its references, the passage and its citation.

    ``articles`` maps article numbers to their text (from ``Archive.article``);
    ``sources`` are the doc ids whose source file the archive keeps, for page links.
    """
    who, where = hit_where(hit)
    refs = [kind_badge(hit.kind), strength_badge(hit.strength)]
    if hit.rec_ids:
        refs.append('<span class="ls-reflabel">Rec.</span>' + " ".join(rec_link(r) for r in hit.rec_ids))
    if hit.para_refs:
        label = "Para." if len(hit.para_refs) == 1 else "Paras."
        refs.append(f'<span class="ls-para" title="implementation-report paragraphs">{label} {esc(", ".join(hit.para_refs))}</span>')
    refs.append(page_link(hit.doc_id, hit.page, hit.doc_id in set(sources)))
    cited = [a for a in hit.articles if a != own_article(hit)]
    arts = ""
    if cited:
        arts = '<div class="ls-articles"><span class="ls-reflabel">Convention</span>' + "".join(
            article_details(a, (articles or {}).get(a)) for a in cited
        ) + "</div>"
    head_who = "" if compact else f'<span class="ls-country">{esc(who)}</span>'
    return (
        f'<article {kind_tone(hit.kind)} class="ls-card kind-{esc(hit.kind)}" data-chunk="{int(hit.chunk_id)}">'
        f'<header class="ls-card-head"><div class="ls-where">{head_who}'
        f'<span class="ls-section">{esc(where)}</span></div>'
        f'<span class="ls-score" title="rank and relevance score">#{int(hit.rank)} · {hit.score:.4g}</span></header>'
        f'<div class="ls-tags">{"".join(r for r in refs if r)}</div>'
        f'<div class="ls-text">{paragraphs(hit.text, query)}</div>{arts}'
        f'<footer class="ls-cite" title="citation">{esc(hit.citation)}</footer></article>'
    )


def results_html(
    hits: list[Hit],
    query: str,
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
    summary: str = "",
) -> str:
    """The result list, or a readable empty state when nothing matched."""
    if not hits:
        return message(
            "No passages match",
            "Try other words, a broader question, or fewer filters (country, section, kind, strength).",
        )
    sources = set(sources)
    cards = "".join(hit_card(h, query, articles, sources) for h in hits)
    count = f"{len(hits)} passage{'s' if len(hits) != 1 else ''}"
    return f'<div class="ls-results"><div class="ls-summary">{esc(count)}{esc(summary)}</div>{cards}</div>'


# -- compare ----------------------------------------------------------------------


def compare_html(
    columns: Mapping[str, list[Hit]],
    query: str,
    kinds: list[str],
    recommendation: Recommendation | None = None,
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
) -> str:
    """One column per country, side by side; a country with nothing relevant says so."""
    if not columns:
        return message("No countries to compare", "The archive holds no country factsheet yet: ingest one in the Documents tab.")
    sources = set(sources)
    kinds_text = ", ".join(kind_label(k).lower() + "s" for k in kinds) or "all kinds of passages"
    head = recommendation_summary(recommendation) if recommendation else ""
    cols = []
    for country, hits in columns.items():
        if hits:
            body = "".join(hit_card(h, query, articles, sources, compact=True) for h in hits)
        else:
            body = (f'<div class="ls-none">Nothing relevant in {esc(country)}\'s factsheet '
                    f"({esc(kinds_text)}).</div>")
        count = f"{len(hits)} passage{'s' if len(hits) != 1 else ''}"
        cols.append(
            f'<section class="ls-col"><h3 class="ls-col-head">{esc(country)}'
            f'<span class="ls-col-count">{count}</span></h3>{body}</section>'
        )
    return f'{head}<div class="ls-compare" style="--ls-cols:{len(cols)}">{"".join(cols)}</div>'


def recommendation_summary(rec: Recommendation) -> str:
    """The recommendation a comparison is about, above the country columns."""
    return (
        f'<div class="ls-rec-summary"><div class="ls-tags">{kind_badge(rec.kind)}{strength_badge(rec.strength)}'
        f'<span class="ls-section">{esc(section_label(rec.section, rec.section_title))}</span></div>'
        f'<div class="ls-text"><strong>{esc(rec.rec_id)}</strong> {paragraphs(rec.text)}</div></div>'
    )


# -- recommendations --------------------------------------------------------------


def filter_recommendations(
    recs: list[Recommendation],
    sections: Iterable[str] = (),
    strengths: Iterable[str] = (),
    countries: Iterable[str] = (),
    follow_up: str = "any",
) -> list[Recommendation]:
    """Recommendations matching every given filter; ``follow_up`` is "any", "with" or "without"."""
    sections, strengths, countries = set(sections or ()), set(strengths or ()), set(countries or ())
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


def short_time(iso: str) -> str:
    """ "2025-03-01 14:05" from an ISO timestamp; the full value stays in the tooltip."""
    return iso[:16].replace("T", " ")


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


# The lead-in ("The Committee invites all Parties, including Norway:") repeats what the
# strength badge and the kind already say; the list shows what follows it.
_LEAD_IN = re.compile(r"^[^:]{0,200}\b(?:invites?|requests?|requires?)\b[^:]{0,45}:\s*(?:-\s*)?", re.IGNORECASE)


def recommendation_gist(text: str, width: int = 200) -> str:
    """A recommendation's substance for a list row: lead-in removed, shortened."""
    flat = " ".join(text.split())
    return shorten(_LEAD_IN.sub("", flat, count=1) or flat, width)


def recommendations_table(recs: list[Recommendation]) -> str:
    """Every recommendation as a row: id (opens it) and strength, section and countries, follow-ups, gist."""
    if not recs:
        return message("No recommendations match", "Loosen the filters above (section, strength, country, follow-up).")
    rows = []
    for rec in recs:
        follow = (f'<span class="ls-count has" title="follow-up actions reported">{len(rec.follow_ups)}</span>'
                  if rec.follow_ups else '<span class="ls-count none">none</span>')
        scope = "all Parties · " if rec.kind == BlockKind.GENERIC_RECOMMENDATION.value else ""
        rows.append(
            f'<tr><td>{rec_link(rec.rec_id)}<div class="ls-sub">{strength_badge(rec.strength)}</div></td>'
            f'<td>{esc(section_label(rec.section))}<div class="ls-sub">{esc(scope)}{esc(", ".join(rec.countries))}</div></td>'
            f'<td>{follow}</td><td class="ls-rec-text" title="{esc(" ".join(rec.text.split()))}">'
            f"{esc(recommendation_gist(rec.text))}</td></tr>"
        )
    return (
        f'<div class="ls-summary">{len(recs)} recommendation{"s" if len(recs) != 1 else ""} · '
        "click an id to read it in full</div>"
        # A fixed layout keeps the text column wide; the list scrolls inside its own frame.
        '<div class="ls-table-wrap ls-scroll"><table class="ls-table ls-fixed"><colgroup><col style="width:84px">'
        '<col style="width:150px"><col style="width:92px"><col></colgroup><thead><tr><th>Id</th>'
        "<th>Section · countries</th><th>Follow-up</th><th>Recommendation</th></tr></thead>"
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def box(item: FollowUp, kind: str, sources: set[str]) -> str:
    """A follow-up action or promising practice, coloured like the factsheet's boxes."""
    return (
        f'<div {kind_tone(kind)} class="ls-box kind-{esc(kind)}"><div class="ls-box-head"><span class="ls-country">'
        f'{esc(item.country or item.doc_id)}</span>{page_link(item.doc_id, item.page, item.doc_id in sources)}</div>'
        f'<div class="ls-text">{paragraphs(item.text)}</div></div>'
    )


def recommendation_html(
    rec: Recommendation | None,
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
    country_docs: Mapping[str, str] | None = None,
) -> str:
    """One recommendation in full: text, Convention articles, every country's follow-ups and practices.

    ``country_docs`` maps a country to its factsheet's doc id, for the page links
    of the recommendation itself (a ``Recommendation`` knows pages, not documents).
    """
    if rec is None:
        return message("Choose a recommendation", "Pick an id in the list or type one such as II-6.")
    sources, country_docs = set(sources), country_docs or {}
    where = " · ".join(
        esc(c) + (f" {page_link(country_docs.get(c, ''), rec.pages[c], country_docs.get(c) in sources)}"
                  if rec.pages.get(c) else "")
        for c in rec.countries
    )
    parts = [
        f'<div class="ls-rec-detail"><h2>Recommendation {esc(rec.rec_id)}</h2>',
        f'<div class="ls-tags">{kind_badge(rec.kind)}{strength_badge(rec.strength)}'
        f'<span class="ls-section">{esc(section_label(rec.section, rec.section_title))}</span></div>',
        f'<div class="ls-text ls-rec-full">{paragraphs(rec.text)}</div>',
        f'<div class="ls-meta">Addressed to: {where or "—"}</div>',
    ]
    if rec.articles:
        parts.append('<h3>Convention articles</h3><div class="ls-articles">' + "".join(
            article_details(a, (articles or {}).get(a)) for a in rec.articles) + "</div>")
    parts.append(f"<h3>Follow-up actions ({len(rec.follow_ups)})</h3>")
    parts.append("".join(box(f, BlockKind.FOLLOW_UP.value, sources) for f in rec.follow_ups)
                 or '<div class="ls-none">No Party has reported a follow-up action for this recommendation yet.</div>')
    if rec.practices:
        parts.append(f"<h3>Related promising practices ({len(rec.practices)})</h3>")
        parts.append("".join(box(p, BlockKind.PROMISING_PRACTICE.value, sources) for p in rec.practices))
    parts.append("</div>")
    return "".join(parts)


# -- documents ----------------------------------------------------------------------

def documents_html(docs: list[DocumentInfo], sources: Iterable[str] = ()) -> str:
    """The documents table: title, type, country, round, pages, chunks, sha256 prefix, ingested at."""
    if not docs:
        return message("The archive is empty", "Upload factsheets below, or run `lanzasearch ingest corpus/`.")
    sources = set(sources)
    rows = "".join(
        f'<tr><td><strong title="{esc(d.title)}">{esc(shorten(d.title, 80))}</strong>'
        f'<div class="ls-sub">{esc(d.doc_id)} · {esc(d.source)} '
        f"{page_link(d.doc_id, None, d.doc_id in sources)}</div></td>"
        f"<td>{esc(d.doc_type)}</td><td>{esc(d.country or '—')}</td><td>{esc(d.round or '—')}</td>"
        f"<td>{esc(d.page_count or '—')}</td><td>{d.chunks}</td>"
        f'<td><code title="{esc(d.sha256)}">{esc(d.sha256[:12])}</code></td>'
        f'<td class="ls-nowrap" title="{esc(d.ingested_at)}">{esc(short_time(d.ingested_at))}</td></tr>'
        for d in docs
    )
    return (
        '<div class="ls-table-wrap"><table class="ls-table"><thead><tr><th>Title</th><th>Type</th><th>Country</th>'
        "<th>Round</th><th>Pages</th><th>Chunks</th><th>SHA-256</th><th>Ingested at</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def ingest_results_html(results: list[FileResult]) -> str:
    """Per uploaded file: added / updated / unchanged / failed, with the reason when it failed."""
    if not results:
        return ""
    rows = "".join(
        f'<tr><td>{esc(r.path)}</td><td><span class="ls-status status-{esc(r.status)}">{esc(r.status)}</span></td>'
        f"<td>{esc(r.doc_id or '')}</td><td>{r.chunks or ''}</td><td>{esc(r.reason or '')}</td></tr>"
        for r in results
    )
    return ('<table class="ls-table"><thead><tr><th>File</th><th>Result</th><th>Document</th><th>Passages</th>'
            f"<th>Reason</th></tr></thead><tbody>{rows}</tbody></table>")


# -- exports ----------------------------------------------------------------------


def _cell(value: object) -> str:
    """A CSV cell; lists joined by "; ", and a leading formula character neutralised for spreadsheets."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _hit_row(hit: Hit) -> list[object]:
    data = hit.to_dict()
    return [data[c] for c in HIT_COLUMNS]


def hits_csv(hits: list[Hit]) -> str:
    return _csv(HIT_COLUMNS, (_hit_row(h) for h in hits))


def hits_json(hits: list[Hit], query: str, filters: Mapping[str, object]) -> str:
    """The result list with the question and filters that produced it, so an export is reproducible."""
    return json.dumps({"query": query, "filters": dict(filters), "hits": [h.to_dict() for h in hits]},
                      indent=2, ensure_ascii=False)


def compare_csv(columns: Mapping[str, list[Hit]]) -> str:
    """One row per passage, country first; a country with nothing relevant gets an empty row."""
    rows: list[list[object]] = []
    for country, hits in columns.items():
        rows.extend([country, *_hit_row(h)] for h in hits)
        if not hits:
            rows.append([country] + [""] * len(HIT_COLUMNS))
    return _csv(("compared_country", *HIT_COLUMNS), rows)


def recommendations_csv(recs: list[Recommendation]) -> str:
    """Every recommendation with its strength, section, countries, articles and follow-up texts."""

    def boxes(items: list[FollowUp]) -> str:
        return " | ".join(f"{b.country or b.doc_id} (p. {b.page or '-'}): {' '.join(b.text.split())}" for b in items)

    header = ("rec_id", "kind", "strength", "section", "section_title", "countries", "articles",
              "follow_up_count", "follow_ups", "practices", "text")
    rows = ([r.rec_id, r.kind, r.strength, r.section, r.section_title, r.countries, r.articles,
             len(r.follow_ups), boxes(r.follow_ups), boxes(r.practices), r.text] for r in recs)
    return _csv(header, rows)


def recommendation_dict(rec: Recommendation, articles: Mapping[str, Hit | None]) -> dict:
    """A recommendation for the API: its fields plus the text of the Convention articles it cites."""
    data = asdict(rec)
    data["has_follow_up"] = rec.has_follow_up
    data["article_texts"] = {n: a.text for n, a in articles.items() if a is not None}
    return data


# -- stylesheet ------------------------------------------------------------------------

# The factsheets' own colours: orange boxes #E36C0A on #FDE9D9 for follow-up
# actions, blue #365F91 on #DBE5F1 for promising practices, navy #1B365D headings.
# Tints are translucent so the cards also read in Gradio's dark mode.
CSS = """
:root { --ls-orange: #E36C0A; --ls-blue: #365F91; --ls-navy: #1B365D; --ls-green: #2F6B4F; --ls-grey: #64748B; }
.gradio-container { max-width: 1320px !important; }
.ls-header { align-items: flex-end; border-bottom: 3px solid var(--ls-navy); padding-bottom: 6px; margin-bottom: 4px; }
.ls-brand h1 { font-size: 26px; margin: 0; color: var(--ls-navy); letter-spacing: -0.01em; }
.dark .ls-brand h1 { color: #9DB7DE; }
.ls-brand p { margin: 2px 0 0; color: var(--body-text-color-subdued); font-size: 14px; }
.ls-status-line { text-align: right; }
.ls-status { font-size: 13px; color: var(--body-text-color-subdued); }
.ls-status.warn { color: var(--ls-orange); font-weight: 600; }
.ls-intro p { margin: 0; color: var(--body-text-color-subdued); }
.ls-summary { font-size: 13px; color: var(--body-text-color-subdued); margin: 2px 0 10px; }

.ls-card { position: relative; background: var(--block-background-fill); border: 1px solid var(--border-color-primary);
  border-left: 5px solid var(--ls-grey); border-radius: 10px; padding: 12px 16px 10px; margin: 0 0 12px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, 0.05); }
.ls-card[data-tone~="orange"] { border-left-color: var(--ls-orange); background-image: linear-gradient(rgba(227,108,10,.07), rgba(227,108,10,.07)); }
.ls-card[data-tone~="blue"] { border-left-color: var(--ls-blue); background-image: linear-gradient(rgba(54,95,145,.08), rgba(54,95,145,.08)); }
.ls-card[data-tone~="navy"] { border-left-color: var(--ls-navy); }
.ls-card[data-tone~="green"] { border-left-color: var(--ls-green); }
.ls-card-head { display: flex; justify-content: space-between; gap: 12px; align-items: baseline; }
.ls-where { font-size: 13.5px; line-height: 1.35; }
.ls-country { font-weight: 700; color: var(--ls-navy); font-size: 15px; margin-right: 8px; }
.dark .ls-country { color: #B9CCEA; }
.ls-section { color: var(--body-text-color-subdued); }
.ls-score { font-size: 12px; color: var(--body-text-color-subdued); white-space: nowrap; font-variant-numeric: tabular-nums; }
.ls-tags { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 7px 0 6px; font-size: 12.5px; }
.ls-tags .ls-section { margin-left: 4px; }
.ls-badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-weight: 600; font-size: 12px;
  color: #fff; background: var(--ls-grey); }
.ls-badge[data-tone~="orange"] { background: var(--ls-orange); }
.ls-badge[data-tone~="blue"] { background: var(--ls-blue); }
.ls-badge[data-tone~="navy"] { background: var(--ls-navy); }
.ls-badge[data-tone~="green"] { background: var(--ls-green); }
.ls-badge[data-tone~="outline"] { background: transparent; color: var(--ls-navy); box-shadow: inset 0 0 0 1.5px var(--ls-navy); }
.dark .ls-badge[data-tone~="outline"] { color: #B9CCEA; box-shadow: inset 0 0 0 1.5px #B9CCEA; }
.ls-strength { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 11.5px; font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; }
.ls-strength.strength-require { background: rgba(159,18,57,.12); color: #9F1239; }
.ls-strength.strength-request { background: rgba(180,83,9,.14); color: #92400E; }
.ls-strength.strength-invite { background: rgba(22,101,52,.12); color: #166534; }
.dark .ls-strength.strength-require { color: #FDA4AF; } .dark .ls-strength.strength-request { color: #FCD34D; }
.dark .ls-strength.strength-invite { color: #86EFAC; }
.ls-reflabel { color: var(--body-text-color-subdued); margin-right: 4px; font-size: 12px; }
a.ls-rec { display: inline-block; padding: 1px 7px; margin-right: 3px; border-radius: 4px; font-weight: 600;
  background: rgba(27,54,93,.08); color: var(--ls-navy); text-decoration: none; border: 1px solid rgba(27,54,93,.25); }
a.ls-rec:hover { background: var(--ls-navy); color: #fff; }
.dark a.ls-rec { color: #B9CCEA; border-color: rgba(185,204,234,.4); }
.ls-para { color: var(--body-text-color-subdued); }
a.ls-page, span.ls-page { color: var(--link-text-color, #2563EB); text-decoration: none; font-weight: 600; white-space: nowrap; }
span.ls-page { color: var(--body-text-color-subdued); }
a.ls-page:hover { text-decoration: underline; }
.ls-text { font-size: 15px; line-height: 1.55; color: var(--body-text-color); }
.ls-text p { margin: 0 0 6px; }
.ls-text ul { margin: 2px 0 6px 20px; padding: 0; }
.ls-text li { margin: 0 0 3px; }
.ls-text mark { background: rgba(250, 204, 21, .45); color: inherit; padding: 0 1px; border-radius: 2px; }
.ls-articles { display: flex; flex-wrap: wrap; gap: 6px; align-items: flex-start; margin: 6px 0 2px; font-size: 13px; }
details.ls-article { border: 1px solid rgba(47,107,79,.35); border-radius: 6px; background: rgba(47,107,79,.06); }
details.ls-article summary { cursor: pointer; padding: 2px 9px; color: var(--ls-green); font-weight: 600; }
.dark details.ls-article summary { color: #86CBA8; }
details.ls-article[open] { flex-basis: 100%; }
.ls-article-text { padding: 4px 12px 8px; font-size: 13.5px; line-height: 1.5; }
.ls-article-text p { margin: 0 0 5px; }
.ls-art-missing { color: var(--body-text-color-subdued); }
.ls-notes { list-style: none; margin: 2px 0 4px; padding: 0 0 0 10px; border-left: 2px solid var(--border-color-primary);
  font-size: 12.5px; color: var(--body-text-color-subdued); overflow-wrap: anywhere; }
.ls-notes li { margin: 0 0 2px; }
.ls-notes a { color: var(--link-text-color, #2563EB); padding: 0 !important; margin: 0 !important; }
.ls-cite { margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--border-color-primary); font-size: 12px;
  color: var(--body-text-color-subdued); }
.ls-cite::before { content: "Cite: "; font-weight: 600; }

.ls-message { border-radius: 10px; padding: 16px 18px; border: 1px solid var(--border-color-primary);
  background: var(--block-background-fill); }
.ls-message strong { font-size: 16px; color: var(--ls-navy); }
.dark .ls-message strong { color: #B9CCEA; }
.ls-message p { margin: 4px 0 0; color: var(--body-text-color-subdued); }
.ls-message.tone-error { border-left: 5px solid #B91C1C; }
.ls-message.tone-error strong { color: #B91C1C; }
.ls-message code, .ls-note code { font-size: 12.5px; }

.ls-compare { display: grid; grid-template-columns: repeat(var(--ls-cols), minmax(300px, 1fr)); gap: 16px;
  overflow-x: auto; align-items: start; }
.ls-col-head { display: flex; justify-content: space-between; align-items: baseline; margin: 0 0 10px;
  padding-bottom: 6px; border-bottom: 2px solid var(--ls-navy); color: var(--ls-navy); font-size: 17px; }
.dark .ls-col-head { color: #B9CCEA; }
.ls-col-count { font-size: 12px; font-weight: 400; color: var(--body-text-color-subdued); }
.ls-col .ls-card { padding: 10px 12px 8px; }
.ls-col .ls-text { font-size: 14px; }
.ls-none { padding: 14px; border: 1px dashed var(--border-color-primary); border-radius: 8px; font-size: 14px;
  color: var(--body-text-color-subdued); text-align: center; }
.ls-rec-summary { border: 1px solid var(--border-color-primary); border-left: 5px solid var(--ls-navy); border-radius: 10px;
  padding: 10px 14px; margin-bottom: 14px; background: var(--block-background-fill); }

.ls-table-wrap { overflow-x: auto; }
.ls-table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
.ls-table th { text-align: left; font-weight: 600; padding: 7px 8px; border-bottom: 2px solid var(--border-color-primary);
  color: var(--body-text-color-subdued); white-space: nowrap; }
.ls-table th, .ls-table td { border-left: 0 !important; border-right: 0 !important; border-top: 0 !important; }
.ls-table, .ls-table tr { border: 0 !important; }
.ls-table td { padding: 7px 8px; border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.ls-table tbody tr:hover { background: rgba(27,54,93,.04); }
.ls-nowrap { white-space: nowrap; }
.ls-fixed { table-layout: fixed; }
.ls-scroll { max-height: 72vh; overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 8px; }
.ls-scroll thead th { position: sticky; top: 0; background: var(--background-fill-secondary); z-index: 1; }
.ls-rec-text { line-height: 1.45; }
.ls-sub .ls-strength { margin-top: 4px; }
.ls-sub { font-size: 12px; color: var(--body-text-color-subdued); margin-top: 2px; }
.ls-count { display: inline-block; min-width: 22px; text-align: center; border-radius: 999px; padding: 0 7px; font-size: 12px; font-weight: 600; }
.ls-count.has { background: var(--ls-orange); color: #fff; }
.ls-count.none { color: var(--body-text-color-subdued); font-weight: 400; }
.ls-status.status-added, .ls-status.status-updated, .ls-status.status-unchanged, .ls-status.status-failed { font-weight: 700; }
span.ls-status { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12px; text-transform: uppercase; }
span.status-added { background: rgba(22,101,52,.12); color: #166534; }
span.status-updated { background: rgba(54,95,145,.14); color: var(--ls-blue); }
span.status-unchanged { background: rgba(100,116,139,.14); color: var(--ls-grey); }
span.status-failed { background: rgba(185,28,28,.12); color: #B91C1C; }

.ls-rec-detail h2 { margin: 0 0 4px; font-size: 21px; color: var(--ls-navy); }
.dark .ls-rec-detail h2, .dark .ls-rec-detail h3 { color: #B9CCEA; }
.ls-rec-detail h3 { margin: 18px 0 8px; font-size: 15px; color: var(--ls-navy); text-transform: uppercase; letter-spacing: .04em; }
.ls-rec-full { padding: 10px 14px; border-radius: 8px; background: rgba(27,54,93,.05); }
.ls-meta { font-size: 13px; color: var(--body-text-color-subdued); margin-top: 8px; }
.ls-box { border-radius: 8px; padding: 10px 14px; margin: 0 0 10px; border: 1.5px solid var(--ls-orange);
  background: rgba(227,108,10,.08); }
.ls-box[data-tone~="blue"] { border-color: var(--ls-blue); background: rgba(54,95,145,.09); }
.ls-box-head { display: flex; justify-content: space-between; margin-bottom: 4px; font-size: 13px; }
.ls-box .ls-text { font-size: 14px; }
.ls-query-row { align-items: flex-end !important; }
.ls-query-row > button { height: 46px; margin-bottom: 6px; }
.ls-downloads { justify-content: flex-end; gap: 8px !important; margin-bottom: -6px; }
.ls-filters { gap: 10px !important; }
.ls-note.prose { border-left: 4px solid var(--ls-orange); padding: 8px 12px !important; background: rgba(227,108,10,.06); border-radius: 0 8px 8px 0; }
"""
