"""HTML cards, lists and tables of the research interface: pure functions over the model's dataclasses.

Document text is escaped with ``html.escape`` before any markup is added, so
a passage, a title or a file name can never inject HTML into the page. Each
card, badge and box carries its kind's colour family (``data-tone``, from the
kind registry); the stylesheet (static/lanzasearch.css) colours the families
as the factsheets do: orange for follow-up actions, blue for promising
practices.
"""

from __future__ import annotations

import html
import re
from importlib import resources
from typing import Iterable, Mapping
from urllib.parse import quote

from lanzasearch import SECTIONS, BlockKind, DocType, Hit, Recommendation, Understanding, matches_stem, query_stems

from .i18n import kind_text, text

_WORD = re.compile(r"\w+", re.UNICODE)
_URL = re.compile(r"https?://[^\s<>\"']+")
STYLESHEET = "static/lanzasearch.css"
SHOWN_PARTIES = 2  # "Norway, Testland and 1 more"


def stylesheet() -> str:
    """The interface's CSS, read from the package."""
    return resources.files(__package__).joinpath(STYLESHEET).read_text(encoding="utf-8")


# -- words and highlighting ----------------------------------------------------


def highlight(text: str, query: str) -> str:
    """``text`` as escaped HTML with the query's words (and their inflections) in ``<mark>``.

    Words are found in the raw text and every piece is escaped on its own, so a
    mark never lands inside an entity such as ``&amp;``.
    """
    stems = query_stems(query) if query else set()
    out: list[str] = []
    pos = 0
    for match in _WORD.finditer(text):
        if stems and matches_stem(match.group(0), stems):
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


def kind_label(kind: str, lang: str = "en") -> str:
    known = BlockKind.parse(kind)
    if known:
        return kind_text(lang, known.value) or known.label
    return kind.replace("_", " ").capitalize()


def kind_tone(kind: str) -> str:
    """``data-tone="…"`` for a kind's colour family (see KINDS); the stylesheet colours each family."""
    known = BlockKind.parse(kind)
    return f'data-tone="{esc(known.info.tone if known else "grey")}"'


def kind_badge(kind: str, lang: str = "en") -> str:
    return f'<span {kind_tone(kind)} class="ls-badge kind-{esc(kind)}">{esc(kind_label(kind, lang))}</span>'


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
    members: Mapping[int, Hit] | None = None,
    similar: bool = True,
    lang: str = "en",
) -> str:
    """One result as a card: where it is, what kind, its references, the passage, its citation and buttons.

    ``articles`` maps article numbers to their text (from ``Archive.article``);
    ``sources`` are the doc ids whose source file the archive keeps, for page links;
    ``members`` the other Parties' copies of a shared text, by chunk id (``Hit.also_in``).
    ``similar`` offers "Similar in other Parties" (not on the cards such a list shows itself).
    """
    from .links import card_actions  # links.py builds on this module
    who, where = hit_where(hit)
    refs = [kind_badge(hit.kind, lang), strength_badge(hit.strength)]
    if hit.rec_ids:
        refs.append('<span class="ls-reflabel">Rec.</span>' + " ".join(rec_link(r) for r in hit.rec_ids))
    if hit.para_refs:
        label = "Para." if len(hit.para_refs) == 1 else "Paras."
        refs.append(f'<span class="ls-para" title="implementation-report paragraphs">{label} {esc(", ".join(hit.para_refs))}</span>')
    refs.append(page_link(hit.doc_id, hit.page, hit.doc_id in set(sources)))
    if hit.replaced_at:
        refs.append(f'<span class="ls-old-version" title="replaced on {esc(hit.replaced_at[:10])} by a newer version">'
                    f"earlier version {int(hit.version)}</span>")
    cited = [a for a in hit.articles if a != own_article(hit)]
    arts = ""
    if cited:
        arts = '<div class="ls-articles"><span class="ls-reflabel">Convention</span>' + "".join(
            article_details(a, (articles or {}).get(a)) for a in cited
        ) + "</div>"
    head_who = "" if compact else f'<span class="ls-country">{esc(parties_line(hit) or who)}</span>'
    return (
        f'<article {kind_tone(hit.kind)} class="ls-card kind-{esc(hit.kind)}" data-chunk="{int(hit.chunk_id)}">'
        f'<header class="ls-card-head"><div class="ls-where">{head_who}'
        f'<span class="ls-section">{esc(where)}</span></div>'
        f'<span class="ls-score" title="rank and relevance score">#{int(hit.rank)} · {hit.score:.4g}</span></header>'
        f'<div class="ls-tags">{"".join(r for r in refs if r)}</div>'
        f'<div class="ls-text">{paragraphs(hit.text, query)}</div>{arts}'
        f'<footer class="ls-cite" title="citation" data-label="{esc(text(lang, "card.cite"))}">{esc(hit.citation)}'
        f'</footer>{card_actions(hit, similar, lang)}'
        f"{shared_with(hit, members or {}, sources)}</article>"
    )


def parties_line(hit: Hit) -> str:
    """ "Norway, Testland and 1 more" for a text several Parties share; "" for a Party's own."""
    parties = hit.parties
    if len(parties) < 2:
        return ""
    if len(parties) <= SHOWN_PARTIES:
        return " and ".join(parties)
    return f"{', '.join(parties[:SHOWN_PARTIES])} and {len(parties) - SHOWN_PARTIES} more"


def shared_with(hit: Hit, members: Mapping[int, Hit], sources: Iterable[str]) -> str:
    """The same text in the other Parties' factsheets, folded: one line per Party with its citation and page."""
    if not hit.also_in:
        return ""
    sources = set(sources)
    rows = []
    for party, chunk_id in hit.also_in:
        member = members.get(chunk_id)
        cite = esc(member.citation) if member else esc(party)
        link = page_link(member.doc_id, member.page, member.doc_id in sources) if member else ""
        rows.append(f'<li data-party="{esc(party)}">{cite} {link}</li>')
    return (f'<details class="ls-shared"><summary>Same text for {len(hit.parties)} Parties: '
            f'{esc(", ".join(hit.parties))}</summary><ul>{"".join(rows)}</ul></details>')


def chips_html(understood: Understanding | None) -> str:
    """What the question was understood to name, as chips; clicking one searches again without it."""
    if understood is None or not understood.parts:
        return ""
    chips = "".join(
        f'<button type="button" class="ls-chip" data-chip="{esc(p.key)}" title="search without this">'
        f'{esc(p.label)} <span aria-hidden="true">×</span></button>'
        for p in understood.parts
    )
    return f'<div class="ls-chips" data-testid="understood"><span class="ls-reflabel">Understood</span>{chips}</div>'


def results_html(
    hits: list[Hit],
    query: str,
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
    summary: str = "",
    members: Mapping[int, Hit] | None = None,
    actions: str = "",
    lang: str = "en",
) -> str:
    """The result list under the chips of what the question was understood to name, or a readable empty state.

    A ``SearchResults`` brings its interpretation (chips) and its weak-match flag (a notice above the cards);
    ``actions`` are the list's own buttons.
    """
    chips = chips_html(getattr(hits, "understood", None))
    if not hits:
        return chips + message(text(lang, "msg.no_match"), text(lang, "msg.no_match_body"))
    sources = set(sources)
    cards = "".join(hit_card(h, query, articles, sources, members=members, lang=lang) for h in hits)
    count = text(lang, "msg.count_one" if len(hits) == 1 else "msg.count_many", n=len(hits))
    weak = f'<div class="ls-weak" role="status">{esc(text(lang, "msg.weak"))}</div>' if getattr(hits, "weak", False) else ""
    return (f'<div class="ls-results">{chips}<div class="ls-summary ls-summary-bar"><span>{esc(count)}{esc(summary)}'
            f"</span>{actions}</div>{weak}{cards}</div>")


# -- compare ----------------------------------------------------------------------


def compare_html(
    columns: Mapping[str, list[Hit]],
    query: str,
    kinds: list[str],
    recommendation: Recommendation | None = None,
    articles: Mapping[str, Hit | None] | None = None,
    sources: Iterable[str] = (),
    lang: str = "en",
) -> str:
    """One column per country, side by side; a country with nothing relevant says so."""
    if not columns:
        return message(text(lang, "compare.none_title"), text(lang, "compare.none_body"))
    sources = set(sources)
    plural = "s" if lang == "en" else ""  # "follow-up actions"; a French label stays singular
    kinds_text = ", ".join(kind_label(k, lang).lower() + plural for k in kinds) or text(lang, "compare.all_kinds")
    head = recommendation_summary(recommendation, lang) if recommendation else ""
    cols = []
    for country, hits in columns.items():
        if hits:
            body = "".join(hit_card(h, query, articles, sources, compact=True, lang=lang) for h in hits)
        else:
            body = f'<div class="ls-none">{esc(text(lang, "compare.nothing", country=country, kinds=kinds_text))}</div>'
        count = text(lang, "msg.count_one" if len(hits) == 1 else "msg.count_many", n=len(hits))
        cols.append(
            f'<section class="ls-col"><h3 class="ls-col-head">{esc(country)}'
            f'<span class="ls-col-count">{count}</span></h3>{body}</section>'
        )
    return f'{head}<div class="ls-compare" style="--ls-cols:{len(cols)}">{"".join(cols)}</div>'


def recommendation_summary(rec: Recommendation, lang: str = "en") -> str:
    """The recommendation a comparison is about, above the country columns."""
    return (
        f'<div class="ls-rec-summary"><div class="ls-tags">{kind_badge(rec.kind, lang)}{strength_badge(rec.strength)}'
        f'<span class="ls-section">{esc(section_label(rec.section, rec.section_title))}</span></div>'
        f'<div class="ls-text"><strong>{esc(rec.rec_id)}</strong> {paragraphs(rec.text)}</div></div>'
    )


# -- similar elsewhere --------------------------------------------------------------


def similar_html(source: Hit, grouped: Mapping[str, list[Hit]], sources: Iterable[str] = (), lang: str = "en") -> str:
    """The passage asked about, then the closest passages of other Parties, one column per Party, closest first."""
    from .links import copy_buttons, passage_url

    sources = set(sources)
    who, where = hit_where(source)
    head = (
        f'<div class="ls-similar-head"><div><strong>{esc(text(lang, "similar.head"))}</strong> {esc(text(lang, "similar.to"))} '
        f'<span class="ls-country">{esc(who)}</span><span class="ls-section">{esc(where)}</span></div>'
        f'{copy_buttons(passage_url(source.chunk_id), source.full_citation, lang)}</div>'
        f'<blockquote class="ls-source" {kind_tone(source.kind)}>{paragraphs(source.text)}</blockquote>'
    )
    if not grouped:
        body = message(text(lang, "similar.none_title"), text(lang, "similar.none_body"))
    else:
        cols = []
        for country, hits in grouped.items():
            cards = "".join(hit_card(h, sources=sources, compact=True, similar=False, lang=lang) for h in hits)
            cols.append(f'<section class="ls-col"><h3 class="ls-col-head">{esc(country)}'
                        f'<span class="ls-col-count">{len(hits)}</span></h3>{cards}</section>')
        body = f'<div class="ls-compare" style="--ls-cols:{min(len(cols), 3)}">{"".join(cols)}</div>'
    return f'<div class="ls-similar-panel" data-passage="{int(source.chunk_id)}">{head}{body}</div>'
