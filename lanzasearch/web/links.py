"""Links that reopen a view, and the "Copy link" / "Copy citation" buttons that carry them.

A link is relative to the app's own address ("?rec=II-6"), so it works behind
a path prefix too; the page's script (tabs.CARD_JS) makes it absolute when it
copies it. The page reads the same parameters back (tabs.deep_link).
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlencode

from lanzasearch import Hit, Recommendation, document_reference

from .i18n import text
from .views import esc

# Query parameters a link may carry, with the search filters they set.
SEARCH_PARAMS = {"country": "countries", "section": "sections", "kind": "kinds", "strength": "strengths"}


def search_link(query: str, countries: Iterable[str] = (), sections: Iterable[str] = (), kinds: Iterable[str] = (),
                strengths: Iterable[str] = (), mode: str = "hybrid", history: bool = False) -> str:
    """ "?q=…&country=Norway&kind=follow_up": reopens a search with its filters and mode."""
    params: list[tuple[str, str]] = [("q", query.strip())]
    for name, values in (("country", countries), ("section", sections), ("kind", kinds), ("strength", strengths)):
        params.extend((name, value) for value in values or ())
    if mode and mode != "hybrid":
        params.append(("mode", mode))
    if history:
        params.append(("history", "1"))
    return "?" + urlencode(params)


def rec_url(rec_id: str) -> str:
    return "?" + urlencode({"rec": rec_id})


def party_url(country: str) -> str:
    return "?" + urlencode({"party": country})


def passage_url(chunk_id: int) -> str:
    return "?" + urlencode({"passage": int(chunk_id)})


def recommendation_citation(rec: Recommendation) -> str:
    """ "Lanzarote Committee, Recommendation II-6 (request), II. Legal frameworks, addressed to Norway, Testland"."""
    where = f"{rec.section}. {rec.section_title}" if rec.section_title else f"Section {rec.section}"
    strength = f" ({rec.strength})" if rec.strength else ""
    return f"Lanzarote Committee, Recommendation {rec.rec_id}{strength}, {where}, addressed to {', '.join(rec.countries)}"


def copy_buttons(link: str, citation: str | None = None, lang: str = "en") -> str:
    """ "Copy link" and "Copy citation" buttons; the page's script puts their text on the clipboard."""
    buttons = [f'<button type="button" class="ls-copy" data-copy="{esc(link)}" data-link="1" '
               f'title="{esc(text(lang, "card.copy_link_title"))}">{esc(text(lang, "card.copy_link"))}</button>']
    if citation:
        buttons.append(f'<button type="button" class="ls-copy" data-copy="{esc(citation)}" '
                       f'title="{esc(text(lang, "card.copy_citation_title"))}">{esc(text(lang, "card.copy_citation"))}'
                       "</button>")
    return f'<span class="ls-actions">{"".join(buttons)}</span>'


def card_actions(hit: Hit, similar: bool = True, lang: str = "en") -> str:
    """A result card's buttons: similar passages in other Parties, a link to the passage, its full citation."""
    button = ""
    if similar:
        button = (f'<button type="button" class="ls-similar" data-similar="{int(hit.chunk_id)}" '
                  f'title="{esc(text(lang, "card.similar_title"))}">{esc(text(lang, "card.similar"))}</button>')
    return (f'<div class="ls-card-actions">{button}'
            f"{copy_buttons(passage_url(hit.chunk_id), hit.full_citation, lang)}</div>")


def documents_citation(documents) -> str:
    """The documents of a view named for a citation, one after the other."""
    return "; ".join(document_reference(d) for d in documents)
