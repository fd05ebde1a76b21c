"""The interface's lists and tables: recommendations (list and detail), documents, ingest results.

Built from the same escaped pieces as the result cards (views.py).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from lanzasearch import BlockKind, DocumentInfo, DocumentReport, FileResult, FollowUp, Hit, Recommendation, Replacement

from .links import copy_buttons, rec_url, recommendation_citation
from .views import (
    article_details,
    esc,
    kind_badge,
    kind_tone,
    message,
    page_link,
    paragraphs,
    rec_link,
    section_label,
    strength_badge,
)


# -- recommendations --------------------------------------------------------------


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
        f'<div class="ls-rec-detail"><div class="ls-profile-head"><h2>Recommendation {esc(rec.rec_id)}</h2>'
        f"{copy_buttons(rec_url(rec.rec_id), recommendation_citation(rec))}</div>",
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

def report_html(report: DocumentReport | None, replaced: Iterable[Replacement] = ()) -> str:
    """What the parser understood of a document (its figures, each warning) and the documents it replaced."""
    if report is None:
        lines = ['<div class="ls-sub">no report: stored before reports; rebuild the index to read it again</div>']
    else:
        lines = [f'<div class="ls-report">{esc(report.summary)}</div>',
                 *(f'<div class="ls-warning">⚠ {esc(w)}</div>' for w in report.warnings)]
    lines += [f'<div class="ls-replaced">{esc(r.message)}</div>' for r in replaced]
    return "".join(lines)


def documents_html(docs: list[DocumentInfo], sources: Iterable[str] = ()) -> str:
    """The documents table: title, type, country, round, pages, chunks, sha256 prefix, ingested at, and
    under each title what the parser understood of it (``report_html``)."""
    if not docs:
        return message("The archive is empty", "Upload factsheets below, or run `lanzasearch ingest corpus/`.")
    sources = set(sources)
    rows = "".join(
        f'<tr><td><strong title="{esc(d.title)}">{esc(shorten(d.title, 80))}</strong>'
        f'<div class="ls-sub">{esc(d.doc_id)} · {esc(d.source)} '
        f"{page_link(d.doc_id, None, d.doc_id in sources)}</div>{report_html(d.report)}</td>"
        f"<td>{esc(d.doc_type)}</td><td>{esc(d.country or '—')}</td><td>{esc(d.round or '—')}</td>"
        f"<td>{esc(d.page_count or 'no pages')}</td><td>{d.chunks}</td>"
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
    """Per uploaded file: added / updated / unchanged / failed, with the reason when it failed, else what the
    parser understood of it and the documents it replaced."""
    if not results:
        return ""
    rows = "".join(
        f'<tr><td>{esc(r.path)}</td><td><span class="ls-status status-{esc(r.status)}">{esc(r.status)}</span></td>'
        f"<td>{esc(r.doc_id or '')}</td><td>{r.chunks or ''}</td>"
        f"<td>{esc(r.reason) if r.reason else report_html(r.report, r.replaced)}</td></tr>"
        for r in results
    )
    return ('<table class="ls-table"><thead><tr><th>File</th><th>Result</th><th>Document</th><th>Passages</th>'
            f"<th>Report</th></tr></thead><tbody>{rows}</tbody></table>")
