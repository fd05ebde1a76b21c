"""What each control of the page does: call the service, then render its answer, or the error, as HTML.

Every handler catches ``LanzasearchError`` (an error the user can fix) and
shows it in the page; anything else is a bug and reaches Gradio's log.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from lanzasearch import AccessDenied, ArchiveError, ArchiveNotFound, EmptyQuery, LanzasearchError, UnknownFilterError

from . import exports, links, tables, tracker_views, version_views, views
from .i18n import english_only, language_of, looks_french, text
from .service import COMPARE_KINDS, Service, export_stem, user_error
from .spreadsheets import matrix_xlsx


# The title each kind of error gets in the page (user_error's, in the page's language).
_ERROR_TITLES = ((ArchiveNotFound, "msg.not_built"), (UnknownFilterError, "msg.bad_filter"),
                 (AccessDenied, "msg.denied"))


def error_message(exc: Exception, lang: str = "en") -> str:
    """The error as a readable panel; an empty query is a hint, not an error."""
    if isinstance(exc, EmptyQuery):
        return views.message(text(lang, "msg.empty_title"), text(lang, "msg.empty_body"), tone="info")
    title, body = user_error(exc)
    key = next((k for kind, k in _ERROR_TITLES if isinstance(exc, kind)), None)
    if lang != "en":
        title = text(lang, key or "msg.failed")
    return views.message(title, body, tone="error")


def welcome(lang: str, tab: str) -> str:
    """The panel a tab shows before its first question."""
    return views.message(text(lang, f"msg.{tab}_title"), text(lang, f"msg.{tab}_body"))


def model_note(service: Service, query: str, lang: str) -> str:
    """A note when the question reads as French and the archive's model is English-only; else nothing."""
    if not looks_french(query):
        return ""
    try:
        model = service.archive.model_name
    except ArchiveNotFound:
        return ""
    if not english_only(model):
        return ""
    return views.message("", text(lang, "note.english_model", model=model), tone="warn").replace(
        'class="ls-message', 'data-testid="model-note" class="ls-model-note ls-message', 1)


def ui_search(service: Service, query, countries, sections, kinds, strengths, mode, k, history=False, ignore=(),
              lang: str = "en"):
    """Search for the UI: chips, result cards and the two downloads, or a readable empty/error state.

    ``ignore`` lists the parts of the question (chip keys) the user removed.
    """
    hidden = gr.DownloadButton(visible=False)
    try:
        hits = service.search(query, countries, sections, kinds, strengths, mode, k, history, ignore)
        members = service.members(hits)
        link = links.search_link(query, countries or (), sections or (), kinds or (), strengths or (), mode, history)
        html = views.results_html(hits, query, service.articles(hits), service.sources(),
                                   summary=text(lang, "msg.for", query=query.strip()), members=members,
                                   actions=links.copy_buttons(link, "\n".join(h.full_citation for h in hits), lang),
                                   lang=lang)
        html = model_note(service, query, lang) + html
    except LanzasearchError as exc:
        return error_message(exc, lang), hidden, hidden
    if not hits:
        return html, hidden, hidden
    filters = {"countries": countries or [], "sections": sections or [], "kinds": kinds or [],
               "strengths": strengths or [], "mode": mode, "k": k, "ignore": list(ignore)}
    stem = export_stem("search", query)
    return (
        html,
        gr.DownloadButton(value=service.export(stem, "csv", exports.hits_csv(hits, members)), visible=True),
        gr.DownloadButton(value=service.export(stem, "json", exports.hits_json(hits, query, filters)), visible=True),
    )


def searcher(service: Service, linked: bool = False):
    """The Search tab's handler, answering in the page's language; ``linked``: only for a question a link brought."""

    def run(query, countries, sections, kinds, strengths, mode, k, history, request: gr.Request):
        if linked and not query:
            return (gr.skip(),) * 3
        return ui_search(service, query, countries, sections, kinds, strengths, mode, k, history,
                         lang=language_of(request))

    return run


def comparer(service: Service):
    """The Compare tab's handler, answering in the page's language."""

    def run(query, countries, kinds, per_country, request: gr.Request):
        return ui_compare(service, query, countries, kinds, per_country, language_of(request))

    return run


def ui_without_part(service: Service, evt: gr.EventData, query, countries, sections, kinds, strengths, mode, k,
                    history, ignore, lang: str = "en"):
    """A chip was clicked in the results (see tabs.CARD_JS): search again without that part."""
    part = evt._data.get("chip") if isinstance(evt._data, dict) else None
    if not part:
        return (gr.skip(),) * 4
    ignore = [*(ignore or []), part]
    return (*ui_search(service, query, countries, sections, kinds, strengths, mode, k, history, ignore, lang), ignore)


def ui_compare(service: Service, query, countries, kinds, per_country, lang: str = "en"):
    """Compare for the UI: one column per country, and the CSV download."""
    hidden = gr.DownloadButton(visible=False)
    try:
        columns = service.compare(query, countries, kinds, per_country)
        rec = _recommendation_or_none(service, query)
        hits = [h for col in columns.values() for h in col]
        html = views.compare_html(columns, query, list(kinds or COMPARE_KINDS), rec,
                                   service.articles(hits), service.sources(), lang)
    except LanzasearchError as exc:
        return error_message(exc, lang), hidden
    path = service.export(export_stem("compare", query), "csv", exports.compare_csv(columns))
    return html, gr.DownloadButton(value=path, visible=bool(columns))


def _recommendation_or_none(service: Service, text: str):
    """The recommendation when ``text`` is an id such as II-6; None for a free-text question."""
    try:
        return service.recommendation(text)
    except ArchiveError:
        return None


def ui_recommendations(service: Service, sections, strengths, countries, follow):
    """The filtered recommendation list and its CSV."""
    try:
        recs = service.recommendations(sections, strengths, countries, follow)
    except LanzasearchError as exc:
        return error_message(exc), gr.DownloadButton(visible=False)
    path = service.export("lanzasearch-recommendations", "csv", exports.recommendations_csv(recs))
    return tables.recommendations_table(recs), gr.DownloadButton(value=path, visible=bool(recs))


def ui_recommendation(service: Service, rec_id: str | None) -> str:
    """One recommendation in full, or why it cannot be shown."""
    if not (rec_id or "").strip():
        return tables.recommendation_html(None)
    try:
        rec = service.recommendation(rec_id)
        if rec is None:
            return views.message(f"No recommendation {rec_id} in the archive",
                                  "Check the id in the list on the left; ids look like II-6.", tone="error")
        return tables.recommendation_html(rec, service.articles(numbers=rec.articles), service.sources(),
                                          service.country_docs())
    except LanzasearchError as exc:
        return error_message(exc)


def open_from_card(service: Service, evt: gr.EventData, lang: str = "en"):
    """A recommendation link or a "Similar in other Parties" button was clicked (see tabs.CARD_JS).

    A recommendation opens in its tab; similar passages open above the search results.
    """
    data = evt._data if isinstance(evt._data, dict) else {}
    if data.get("rec"):
        return gr.Tabs(selected="recs"), data["rec"], gr.skip()
    if data.get("similar"):
        return gr.Tabs(selected="search"), gr.skip(), ui_similar(service, data["similar"], lang)
    return gr.skip(), gr.skip(), gr.skip()


def ui_similar(service: Service, chunk_id, lang: str = "en") -> str:
    """A passage and the closest passages of other Parties, by Party; or why not."""
    try:
        source, grouped = service.similar(chunk_id)
        return views.similar_html(source, grouped, service.sources(), lang)
    except LanzasearchError as exc:
        return error_message(exc, lang)


def ui_profile(service: Service, country):
    """A Party's chart (recommendations per section by follow-up status) and its profile, or why not."""
    if not (country or "").strip():
        return tracker_views.profile_chart(None), tracker_views.profile_html(None)
    try:
        profile = service.profile(country)
    except LanzasearchError as exc:
        return tracker_views.profile_chart(None), error_message(exc)
    return tracker_views.profile_chart(profile), tracker_views.profile_html(profile, service.sources())


def ui_matrix(service: Service, sections, strengths, statuses, countries):
    """The matrix, and its CSV and .xlsx downloads."""
    hidden = gr.DownloadButton(visible=False)
    try:
        matrix = service.matrix(sections, strengths, statuses, countries)
    except LanzasearchError as exc:
        return error_message(exc), hidden, hidden
    stem = "lanzasearch-matrix"
    csv = service.export(stem, "csv", exports.matrix_csv(matrix))
    xlsx = matrix_xlsx(matrix, service.export_path(stem, "xlsx"))
    shown = bool(matrix.rows)
    return (tracker_views.matrix_html(matrix), gr.DownloadButton(value=csv, visible=shown),
            gr.DownloadButton(value=str(xlsx), visible=shown))


def ui_versions(service: Service, doc_id) -> str:
    """A document's versions and what each update changed, or why not."""
    if not doc_id:
        return version_views.versions_html([], [])
    try:
        return version_views.versions_html(*service.versions(doc_id))
    except LanzasearchError as exc:
        return error_message(exc)


def _progress_bar(progress: gr.Progress):
    """An ingest progress callback that moves Gradio's progress bar."""

    def report(done: int, total: int, message: str) -> None:
        progress((done, total), desc=message)

    return report


def ui_upload(service: Service, user, password, files, country, round, progress: gr.Progress):
    """Upload for the UI: ingest with a progress bar (as the Party and round typed, if any), then one line per file."""
    try:
        results = service.upload(user, password, [(p, Path(p).name) for p in files or []],
                                 progress=_progress_bar(progress), country=country, round=round)
    except LanzasearchError as exc:
        return error_message(exc), gr.skip()
    if not results:
        return views.message("No files chosen", "Drop documents in the upload box first."), gr.skip()
    return tables.ingest_results_html(results), None


def ui_delete(service: Service, user, password, doc_id):
    """Delete for the UI: what was removed, or why not."""
    try:
        service.delete(user, password, doc_id)
    except LanzasearchError as exc:
        return error_message(exc)
    return views.message(f"Deleted {doc_id}", "Its passages no longer appear in searches.")


def ui_rebuild(service: Service, user, password, progress: gr.Progress):
    """Rebuild for the UI: progress bar, then one line per document."""
    try:
        results = service.rebuild(user, password, progress=_progress_bar(progress))
    except LanzasearchError as exc:
        return error_message(exc)
    return views.message("Index rebuilt", f"{len(results)} documents re-parsed and re-embedded.") + \
        tables.ingest_results_html(results)


def status_html(service: Service) -> str:
    """One line about the archive being served: documents, passages, generation."""
    try:
        archive = service.archive
        docs = archive.documents()
    except ArchiveNotFound:
        return '<div class="ls-status warn">Index not built yet</div>'
    passages = sum(d.chunks for d in docs)
    countries = len({d.country for d in docs if d.country})
    return (f'<div class="ls-status">{len(docs)} documents · {countries} countries · {passages} passages'
            f" · generation {archive.generation}</div>")


def documents_html(service: Service) -> str:
    """The documents table, or why there is none yet."""
    try:
        return tables.documents_html(service.archive.documents(), service.sources())
    except ArchiveNotFound as exc:
        return error_message(exc)

