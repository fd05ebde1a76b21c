"""The tracker's views as HTML and chart data: a Party's profile and the recommendation × Party matrix.

Built from the same escaped pieces as the result cards (views.py); the
profile's chart is a table of counts that Gradio's bar plot draws.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from lanzasearch import PROFILE_STATUSES, STATUSES, STRENGTHS, Matrix, PartyProfile

from .links import copy_buttons, documents_citation, party_url
from .tables import recommendation_gist
from .views import esc, hit_card, message, page_link, paragraphs, rec_link, section_label, strength_badge

# The chart's colours follow the factsheets': orange for what a Party reported, a pale orange for
# the box it left empty, grey for no box.
STATUS_COLOURS = {"follow-up reported": "#E36C0A", "box left empty": "#F5B98A", "no box": "#94A3B8"}


def profile_chart(profile: PartyProfile | None) -> pd.DataFrame:
    """Recommendations per section split by follow-up status: one row per (section, status)."""
    rows = []
    if profile is not None:
        for section, counts in profile.by_section_and_status().items():
            rows.extend({"section": section, "status": STATUSES[status], "recommendations": counts[status]}
                        for status in PROFILE_STATUSES)
    # Typed even when empty: the plot keeps the axis types of the first value it is given.
    return pd.DataFrame(rows, columns=["section", "status", "recommendations"]).astype({"recommendations": "int64"})


def _status_badge(status: str) -> str:
    return f'<span class="ls-status-badge status-{esc(status)}">{esc(STATUSES[status])}</span>'


def profile_html(profile: PartyProfile | None, sources: Iterable[str] = ()) -> str:
    """A Party's profile: documents and rounds, counts by section × strength, recommendations by status,
    promising practices and the Convention articles cited most; every id and passage links onwards."""
    if profile is None:
        return message("Choose a Party", "Pick a Party above to see its recommendations, follow-ups and practices.")
    sources = set(sources)
    docs = "".join(
        f"<li>{esc(d.title)} <span class='ls-sub'>({esc(d.doc_id)}, version {d.version}"
        f"{', updated ' + esc(d.updated) if d.updated else ''})</span> {page_link(d.doc_id, None, d.doc_id in sources)}</li>"
        for d in profile.documents)
    counts = profile.status_counts()
    summary = " · ".join(f"{_status_badge(status)} {counts[status]}" for status in PROFILE_STATUSES)
    head = (f'<div class="ls-profile-head"><h2>{esc(profile.country)}</h2>'
            f"{copy_buttons(party_url(profile.country), documents_citation(profile.documents))}</div>"
            f'<div class="ls-meta">Round{"s" if len(profile.rounds) != 1 else ""} {esc(", ".join(profile.rounds) or "—")} · '
            f"{len(profile.recommendations)} recommendations · {len(profile.practices)} promising-practice passages</div>"
            f'<ul class="ls-doc-list">{docs}</ul><div class="ls-status-summary">{summary}</div>')
    return head + _strength_table(profile) + _recs_by_status(profile) + _practices(profile, sources) + _articles(profile)


def _strength_table(profile: PartyProfile) -> str:
    rows = "".join(
        f"<tr><td>{esc(section_label(section))}</td>" + "".join(f"<td class='ls-num'>{row.get(s, 0) or ''}</td>"
                                                                for s in STRENGTHS)
        + f"<td class='ls-num'><strong>{sum(row.values())}</strong></td></tr>"
        for section, row in profile.by_section_and_strength().items())
    header = "".join(f"<th class='ls-num'>{strength_badge(s)}</th>" for s in STRENGTHS)
    return (f'<h3>Recommendations by section and strength</h3><div class="ls-table-wrap"><table class="ls-table ls-compact">'
            f"<thead><tr><th>Section</th>{header}<th class='ls-num'>All</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _recs_by_status(profile: PartyProfile) -> str:
    parts = ["<h3>Recommendations by follow-up</h3>"]
    for status in PROFILE_STATUSES:
        recs = [r for r in profile.recommendations if profile.statuses[r.rec_id] == status]
        items = "".join(
            f'<li>{rec_link(r.rec_id)} {strength_badge(r.strength)} <span class="ls-sub">{esc(recommendation_gist(r.text, 140))}</span></li>'
            for r in recs)
        parts.append(f'<details class="ls-status-group" {"open" if status == "follow_up" else ""}>'
                     f"<summary>{_status_badge(status)} {len(recs)}</summary><ul class='ls-rec-list'>{items}</ul></details>")
    return "".join(parts)


def _practices(profile: PartyProfile, sources: set[str]) -> str:
    if not profile.practices:
        return "<h3>Promising practices</h3><div class='ls-none'>No promising practice in this Party's factsheets.</div>"
    cards = "".join(hit_card(h, sources=sources, compact=True) for h in profile.practices)
    return f"<h3>Promising practices ({len(profile.practices)})</h3>{cards}"


def _articles(profile: PartyProfile) -> str:
    if not profile.articles:
        return ""
    items = " ".join(f'<span class="ls-art-count">Art. {esc(a)} <span class="ls-sub">× {n}</span></span>'
                     for a, n in profile.articles)
    return f"<h3>Convention articles cited most</h3><div class='ls-articles'>{items}</div>"


def matrix_html(matrix: Matrix) -> str:
    """Recommendations down the side, the Parties across; a follow-up cell unfolds to the text reported."""
    if not matrix.rows:
        return message("No recommendations match", "Loosen the filters above (section, strength, status).")
    head = "".join(f'<th class="ls-party"><a href="{esc(party_url(c))}" data-party="{esc(c)}">{esc(c)}</a></th>'
                   for c in matrix.countries)
    rows = []
    for row in matrix.rows:
        cells = []
        for country in matrix.countries:
            cell = row.cells[country]
            if cell.status == "follow_up":
                pages = ", ".join(f"p. {b.page}" for b in cell.follow_ups if b.page)
                content = (f"<details><summary>{esc(cell.label)}</summary><div class='ls-cell-text'>"
                           f"{paragraphs(cell.text)}<div class='ls-sub'>{esc(pages)}</div></div></details>")
            else:
                content = esc(cell.label)
            cells.append(f'<td class="ls-cell status-{esc(cell.status)}">{content}</td>')
        rows.append(f'<tr><th class="ls-rowhead">{rec_link(row.rec_id)} {strength_badge(row.strength)}'
                    f'<div class="ls-sub" title="{esc(" ".join(row.text.split()))}">{esc(recommendation_gist(row.text, 110))}</div></th>'
                    f'{"".join(cells)}</tr>')
    legend = " ".join(f'<span class="ls-cell status-{esc(k)} ls-legend">{esc(v)}</span>' for k, v in STATUSES.items())
    return (f'<div class="ls-summary">{len(matrix.rows)} recommendations × {len(matrix.countries)} Parties · '
            f"click “follow-up reported” to read what the Party reported</div><div class='ls-legend-row'>{legend}</div>"
            f'<div class="ls-table-wrap ls-scroll ls-matrix-wrap"><table class="ls-table ls-matrix"><thead><tr>'
            f'<th class="ls-rowhead">Recommendation</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
