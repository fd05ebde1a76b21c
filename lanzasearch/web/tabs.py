"""The page: its tabs (Search, Compare countries, Recommendations, Parties, Matrix, Documents), controls and events.

Each tab builder returns its components by name, so the wiring stays
readable; what a control does is in handlers.py. The filter choices are
re-read from the archive on tab changes and whenever its generation moves,
so an ingest made elsewhere shows without a restart.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from lanzasearch import (
    KINDS, SECTIONS, STRENGTHS, SUPPORTED_SUFFIXES, Archive, ArchiveNotFound, BlockKind, DocType, formats_label,
)

from . import handlers, tables, views
from .i18n import language_of, switch_html, t
from .api import register_api
from .tracker_tabs import matrix_tab, parties_tab
from .service import COMPARE_KINDS, ArchiveHolder, Service, StaffAuth, max_upload_mb

REFRESH_SECONDS = 15  # how often an open page checks whether the archive changed
# The kinds offered as filters come from the kind registry, in its order; Compare offers the factsheets' own.
SEARCH_KINDS = tuple(kind.value for kind, info in KINDS.items() if info.filter)
FACTSHEET_KINDS = tuple(kind.value for kind, info in KINDS.items() if info.filter and info.doc_type == DocType.FACTSHEET)
FOLLOW_UP_CHOICES = [(t("follow.any"), "any"), (t("follow.with"), "with"), (t("follow.without"), "without")]
EXAMPLES = [
    "How is sexual extortion of children with their own images criminalised?",
    "Are children prosecuted for possessing their own self-generated images?",
    "training for judges and prosecutors",
    "support and assistance for child victims",
    "awareness-raising campaigns for parents",
]
# The script of every HTML area holding cards: chips, recommendation links and "Similar in other Parties" ask
# the server (a click event with data), "Copy link" / "Copy citation" put their text on the clipboard here.
CARD_JS = (Path(__file__).parent / "static" / "cards.js").read_text(encoding="utf-8")
# After "Similar in other Parties", bring its panel (above the results) into view, if its tab is the one shown.
SCROLL_TO_SIMILAR_JS = """() => {
  const panel = document.getElementById('ls-similar');
  if (panel && panel.offsetParent && panel.querySelector('.ls-similar-panel')) panel.scrollIntoView({block: 'start'});
}"""


def build_app(
    archive_or_index: "Archive | ArchiveHolder | str | Path",
    *,
    auth: StaffAuth | None = None,
    max_upload_bytes: int | None = None,
) -> gr.Blocks:
    """The Gradio Blocks app over one archive (an open ``Archive`` or an index folder).

    Staff credentials default to $LANZASEARCH_ADMIN_USER / $LANZASEARCH_ADMIN_PASSWORD and
    the upload limit to $LANZASEARCH_MAX_UPLOAD_MB. Mount it with ``create_server`` to get
    the stylesheet and the source-file links.
    """
    holder = ArchiveHolder.of(archive_or_index)
    auth = auth if auth is not None else StaffAuth.from_env()
    limit = max_upload_bytes if max_upload_bytes is not None else max_upload_mb() * 2**20
    service = Service(holder, auth, limit)

    with gr.Blocks(title="Lanzasearch · Lanzarote Committee factsheets", analytics_enabled=False) as blocks:
        generation = gr.State(-2)
        with gr.Row(elem_classes="ls-header"):
            with gr.Column(elem_classes="ls-brand"):
                gr.HTML("<h1>Lanzasearch</h1>")
                gr.Markdown(t("app.tagline"))
            lang_switch = gr.HTML(switch_html("en"), elem_id="ls-lang-switch")
            status = gr.HTML(elem_classes="ls-status-line")
        with gr.Tabs(selected="search") as tabs:
            search_ui = _search_tab(service)
            compare_ui = _compare_tab(service)
            recs_ui = _recommendations_tab(service)
            parties_ui = parties_tab(service, CARD_JS)
            matrix_ui = matrix_tab(service, CARD_JS)
            docs_ui = _documents_tab(service)
        _wire_navigation(service, blocks, tabs, search_ui, compare_ui, recs_ui, docs_ui, status, generation,
                         parties_ui, matrix_ui, lang_switch)
        register_api(service)
    blocks.queue(default_concurrency_limit=4)
    return blocks


def _search_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.search"), id="search") as ui["tab"]:
        with gr.Row(elem_classes="ls-query-row"):
            ui["query"] = gr.Textbox(
                label=t("search.question"), placeholder=t("search.placeholder"),
                scale=6, autofocus=True, max_length=2000, elem_id="ls-query",
            )
            ui["button"] = gr.Button(t("search.button"), variant="primary", scale=1, min_width=110, elem_id="ls-search-button")
            ui["to_compare"] = gr.Button(t("search.to_compare"), scale=1, min_width=170)
        examples = gr.Examples(EXAMPLES, inputs=[ui["query"]], label=t("search.examples"),
                               examples_per_page=len(EXAMPLES), api_visibility="private")
        with gr.Row():
            with gr.Column(scale=1, min_width=250, elem_classes="ls-filters"):
                ui["countries"] = gr.Dropdown(label=t("filter.country"), multiselect=True, choices=[], info=t("filter.all_when_empty"))
                ui["sections"] = gr.Dropdown(label=t("filter.section"), multiselect=True, choices=[], info="I–XI")
                ui["kinds"] = gr.Dropdown(
                    label=t("filter.kind"), multiselect=True, choices=[(BlockKind(k).label, k) for k in SEARCH_KINDS],
                )
                ui["strengths"] = gr.CheckboxGroup(label=t("filter.strength"), choices=list(STRENGTHS))
                ui["mode"] = gr.Radio(
                    label=t("filter.mode"), choices=[(t("mode.hybrid"), "hybrid"), (t("mode.dense"), "dense"),
                                                       (t("mode.lexical"), "lexical")],
                    value="hybrid", info=t("filter.mode_info"),
                )
                ui["k"] = gr.Slider(label=t("filter.results"), minimum=5, maximum=50, step=5, value=10)
                ui["history"] = gr.Checkbox(label=t("filter.history"), value=False,
                                            info=t("filter.history_info"), elem_id="ls-history")
            with gr.Column(scale=3):
                ui["similar"] = gr.HTML("", js_on_load=CARD_JS, elem_id="ls-similar")
                with gr.Row(elem_classes="ls-downloads"):
                    ui["csv"] = gr.DownloadButton("↓ CSV", visible=False, size="sm", scale=0, min_width=90)
                    ui["json"] = gr.DownloadButton("↓ JSON", visible=False, size="sm", scale=0, min_width=90)
                ui["results"] = gr.HTML(
                    handlers.welcome("en", "search"),
                    js_on_load=CARD_JS, elem_id="ls-results",
                )
        ui["ignore"] = gr.State([])  # the chips removed: parts of the question no longer interpreted
    inputs = [ui[k] for k in ("query", "countries", "sections", "kinds", "strengths", "mode", "k", "history")]
    # An example runs at once: clicking one is asking that question.
    triggers = (ui["button"].click, ui["query"].submit, examples.load_input_event.then)
    for trigger in triggers:  # a new question is understood whole again
        trigger(lambda: [], None, ui["ignore"], api_visibility="private", show_progress="hidden")

    def without_part(query, countries, sections, kinds, strengths, mode, k, history, ignore, evt: gr.EventData,
                     request: gr.Request):
        return handlers.ui_without_part(service, evt, query, countries, sections, kinds, strengths, mode, k, history,
                                        ignore, language_of(request))

    ui["results"].click(without_part, [*inputs, ui["ignore"]], [ui["results"], ui["csv"], ui["json"], ui["ignore"]],
                        api_visibility="private")
    return _answer(ui, triggers, handlers.searcher(service), inputs,
                   [ui["results"], ui["csv"], ui["json"]])


def _answer(ui: dict, triggers, handler, inputs: list, outputs: list) -> dict:
    """Run ``handler`` on each trigger (not an API endpoint) and keep the tab's inputs and outputs for the wiring."""
    for trigger in triggers:
        trigger(handler, inputs, outputs, api_visibility="private")
    ui["inputs"], ui["outputs"] = inputs, outputs
    return ui


def _compare_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.compare"), id="compare") as ui["tab"]:
        gr.Markdown(t("compare.intro"), elem_classes="ls-intro")
        with gr.Row(elem_classes="ls-query-row"):
            ui["query"] = gr.Textbox(label=t("compare.query"), placeholder=t("compare.placeholder"),
                                     scale=6, max_length=2000, elem_id="ls-compare-query")
            ui["button"] = gr.Button(t("compare.button"), variant="primary", scale=1, min_width=110, elem_id="ls-compare-button")
        with gr.Row():
            ui["countries"] = gr.Dropdown(label=t("filter.countries"), multiselect=True, choices=[], info=t("filter.all_when_empty"), scale=2)
            ui["kinds"] = gr.Dropdown(
                label=t("compare.kinds"), multiselect=True, value=list(COMPARE_KINDS), scale=2,
                choices=[(BlockKind(k).label, k) for k in FACTSHEET_KINDS],
                info=t("compare.kinds_info"),
            )
            ui["per_country"] = gr.Slider(label=t("compare.per_country"), minimum=1, maximum=10, step=1, value=3, scale=1)
        ui["results"] = gr.HTML(
            handlers.welcome("en", "compare"),
            js_on_load=CARD_JS, elem_id="ls-compare-results",
        )
        ui["csv"] = gr.DownloadButton(t("download.csv"), visible=False, size="sm")
    return _answer(ui, (ui["button"].click, ui["query"].submit), handlers.comparer(service),
                   [ui["query"], ui["countries"], ui["kinds"], ui["per_country"]], [ui["results"], ui["csv"]])


def _recommendations_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.recs"), id="recs") as ui["tab"]:
        with gr.Row():
            ui["sections"] = gr.Dropdown(label=t("filter.section"), multiselect=True, choices=[], scale=2)
            ui["strengths"] = gr.CheckboxGroup(label=t("filter.strength"), choices=list(STRENGTHS), scale=2)
            ui["countries"] = gr.Dropdown(label=t("filter.country"), multiselect=True, choices=[], scale=2)
            ui["follow"] = gr.Radio(label=t("filter.follow"), choices=FOLLOW_UP_CHOICES, value="any", scale=2)
        with gr.Row():
            with gr.Column(scale=3):
                ui["table"] = gr.HTML(js_on_load=CARD_JS, elem_id="ls-recs-table")
                ui["csv"] = gr.DownloadButton(t("download.csv"), visible=False, size="sm")
            with gr.Column(scale=2, elem_classes="ls-detail-col"):
                ui["rec_id"] = gr.Dropdown(label=t("recs.recommendation"), choices=[], allow_custom_value=True,
                                           filterable=True, elem_id="ls-rec-id")
                ui["detail"] = gr.HTML(tables.recommendation_html(None), js_on_load=CARD_JS, elem_id="ls-rec-detail")
    ui["filters"] = [ui["sections"], ui["strengths"], ui["countries"], ui["follow"]]
    for component in ui["filters"]:
        component.change(lambda *a: handlers.ui_recommendations(service, *a), ui["filters"], [ui["table"], ui["csv"]],
                         api_visibility="private", show_progress="hidden")
    ui["rec_id"].change(lambda rec_id: handlers.ui_recommendation(service, rec_id), [ui["rec_id"]], [ui["detail"]],
                        api_visibility="private")
    return ui


def _documents_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.docs"), id="docs") as ui["tab"]:
        ui["table"] = gr.HTML(elem_id="ls-docs-table")
        with gr.Row():
            ui["refresh"] = gr.Button(t("docs.refresh"), size="sm", variant="secondary", scale=0, min_width=100)
        _versions_panel(service, ui)
        if not service.auth.configured:
            gr.Markdown(t("docs.read_only"), elem_classes="ls-note")
            return ui
        with gr.Column(variant="panel", elem_classes="ls-staff"):
            gr.Markdown(t("docs.staff"))
            with gr.Row():
                ui["user"] = gr.Textbox(label=t("docs.user"), elem_id="ls-staff-user")
                ui["password"] = gr.Textbox(label=t("docs.password"), type="password", elem_id="ls-staff-password")
            # The reader registry's formats, so a new reader shows here by itself.
            gr.Markdown(f"{formats_label()} · ≤ {service.max_upload_bytes // 2**20} MB")
            ui["files"] = gr.File(label=t("docs.upload"), file_count="multiple", file_types=list(SUPPORTED_SUFFIXES))
            with gr.Row():
                # Empty: the title page says. Set, they apply to every file of this upload.
                ui["country"] = gr.Textbox(label=t("docs.party"),
                                           placeholder=t("docs.party_placeholder"), elem_id="ls-upload-country")
                ui["round"] = gr.Textbox(label=t("docs.round"), placeholder=t("docs.round_placeholder"), elem_id="ls-upload-round")
            with gr.Row():
                ui["upload"] = gr.Button(t("docs.ingest"), variant="primary")
                ui["rebuild"] = gr.Button(t("docs.rebuild"), variant="secondary")
            with gr.Row(elem_classes="ls-query-row"):
                ui["doc"] = gr.Dropdown(label=t("docs.delete_doc"), choices=[], scale=3)
                ui["delete"] = gr.Button(t("docs.delete"), variant="stop", scale=1)
            ui["result"] = gr.HTML()
    return ui


def _versions_panel(service: Service, ui: dict) -> None:
    """A document's versions and what each update changed."""
    with gr.Column(elem_classes="ls-versions"):
        gr.Markdown(t("docs.versions"))
        ui["versions_doc"] = gr.Dropdown(label=t("docs.document"), choices=[], elem_id="ls-versions-doc")
        ui["versions"] = gr.HTML(handlers.ui_versions(service, None), elem_id="ls-versions")
    ui["versions_doc"].change(lambda doc_id: handlers.ui_versions(service, doc_id), [ui["versions_doc"]],
                              [ui["versions"]], api_visibility="private")


def _keep(current, choices: list) -> list:
    """The selected values that are still offered, so a refresh never drops a valid choice."""
    valid = {c[1] if isinstance(c, tuple) else c for c in choices}
    return [v for v in (current or []) if v in valid]


def _section_choices(sections: list[str]) -> list[tuple[str, str]]:
    """("II. Legal frameworks", "II") pairs for a section dropdown."""
    return [(views.section_label(s) if s in SECTIONS else s, s) for s in sections]


def _wire_navigation(service, blocks, tabs, search, compare, recs, docs, status, generation, parties, matrix,
                     lang_switch) -> None:
    """Refresh choices on load, tab change and archive change; card links; Search → Compare; deep links."""

    # The selections a refresh must keep when it replaces the choices under them.
    kept = {"s_countries": search["countries"], "s_sections": search["sections"], "c_countries": compare["countries"],
            "r_sections": recs["sections"], "r_countries": recs["countries"], "r_strengths": recs["strengths"],
            "r_follow": recs["follow"], "party": parties["party"], "other": parties["other"],
            "m_sections": matrix["sections"], "m_countries": matrix["countries"], "v_doc": docs["versions_doc"]}
    if "doc" in docs:
        kept["doc"] = docs["doc"]
    refresh_inputs = [generation, *kept.values()]
    refresh_outputs = [generation, status, search["countries"], search["sections"], compare["countries"],
                       recs["sections"], recs["countries"], recs["table"], recs["csv"], recs["rec_id"], docs["table"],
                       parties["party"], parties["other"], matrix["sections"], matrix["countries"], docs["versions_doc"]]
    if "doc" in docs:
        refresh_outputs.append(docs["doc"])

    def refresh(gen, *values, force=True):
        """New choices, lists and status from the archive as it is now; nothing when unchanged and not forced."""
        current, now = dict(zip(kept, values)), service.generation()
        if not force and now == gen:
            return [gr.skip()] * len(refresh_outputs)
        try:
            facets = service.archive.facets()
            rec_ids = [r.rec_id for r in service.archive.recommendations()]
            doc_ids = [d.doc_id for d in service.archive.documents()]
        except ArchiveNotFound:
            facets, rec_ids, doc_ids = {"countries": [], "sections": []}, [], []
        countries, sections = facets["countries"], _section_choices(facets["sections"])
        table, csv = handlers.ui_recommendations(service, _keep(current["r_sections"], sections), current["r_strengths"],
                                        _keep(current["r_countries"], countries), current["r_follow"])

        def one(name: str, choices: list):
            # A value read before a link or a click set it may be stale: only a gone one is cleared.
            if current[name] is None or current[name] in choices:
                return gr.Dropdown(choices=choices)
            return gr.Dropdown(choices=choices, value=None)

        updates = [
            now, handlers.status_html(service),
            gr.Dropdown(choices=countries, value=_keep(current["s_countries"], countries)),
            gr.Dropdown(choices=sections, value=_keep(current["s_sections"], sections)),
            gr.Dropdown(choices=countries, value=_keep(current["c_countries"], countries)),
            gr.Dropdown(choices=sections, value=_keep(current["r_sections"], sections)),
            gr.Dropdown(choices=countries, value=_keep(current["r_countries"], countries)),
            table, csv, gr.Dropdown(choices=rec_ids), handlers.documents_html(service),
            one("party", countries), one("other", countries),
            gr.Dropdown(choices=sections, value=_keep(current["m_sections"], sections)),
            gr.Dropdown(choices=countries, value=_keep(current["m_countries"], countries)),
            one("v_doc", doc_ids),
        ]
        if "doc" in current:
            updates.append(one("doc", doc_ids))
        return updates

    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    for tab in (search["tab"], compare["tab"], recs["tab"], parties["tab"], matrix["tab"], docs["tab"]):
        tab.select(refresh, refresh_inputs, refresh_outputs, **quiet)
    docs["refresh"].click(refresh, refresh_inputs, refresh_outputs, **quiet)
    # A page left open notices an ingest made elsewhere (the CLI, another staff member).
    gr.Timer(REFRESH_SECONDS).tick(lambda *a: refresh(*a, force=False), refresh_inputs, refresh_outputs, **quiet)

    card_areas = (search["results"], search["similar"], compare["results"], recs["table"], recs["detail"],
                  parties["party_html"], parties["other_html"], matrix["table"])

    def from_card(evt: gr.EventData, request: gr.Request):
        return handlers.open_from_card(service, evt, language_of(request))

    for html in card_areas:
        html.click(from_card, None, [tabs, recs["rec_id"], search["similar"]], api_visibility="private").then(
            None, js=SCROLL_TO_SIMILAR_JS)

    search["to_compare"].click(
        lambda q: (gr.Tabs(selected="compare"), q), [search["query"]], [tabs, compare["query"]], api_visibility="private",
    ).then(handlers.comparer(service), compare["inputs"], compare["outputs"], api_visibility="private")

    if "upload" in docs:
        staff = {"api_visibility": "private", "concurrency_id": "staff", "concurrency_limit": 1}
        docs["upload"].click(lambda u, p, f, c, r, progress=gr.Progress(): handlers.ui_upload(service, u, p, f, c, r, progress),
                             [docs["user"], docs["password"], docs["files"], docs["country"], docs["round"]],
                             [docs["result"], docs["files"]], **staff
                             ).then(refresh, refresh_inputs, refresh_outputs, **quiet)
        docs["delete"].click(lambda u, p, d: handlers.ui_delete(service, u, p, d), [docs["user"], docs["password"], docs["doc"]],
                             [docs["result"]], **staff).then(refresh, refresh_inputs, refresh_outputs, **quiet)
        docs["rebuild"].click(lambda u, p, progress=gr.Progress(): handlers.ui_rebuild(service, u, p, progress),
                              [docs["user"], docs["password"]], [docs["result"]], **staff
                              ).then(refresh, refresh_inputs, refresh_outputs, **quiet)

    link_outputs = [tabs, recs["rec_id"], search["query"], search["countries"], search["sections"], search["kinds"],
                    search["strengths"], search["mode"], search["history"], parties["party"], search["similar"]]

    def deep_link(request: gr.Request):
        """The view a shared link names (see links.py): ?q=…&country=…&kind=…&mode=…, ?rec=II-6, ?party=Norway,
        ?passage=<id>. Filter values the archive does not hold are left out."""
        params = request.query_params if request else None
        if not params:
            return [gr.skip()] * len(link_outputs)
        try:
            facets = service.archive.facets()
        except ArchiveNotFound:
            facets = {"countries": [], "sections": []}

        def chosen(name: str, offered: list) -> list:
            by_key = {str(o[1] if isinstance(o, tuple) else o).casefold(): o[1] if isinstance(o, tuple) else o
                      for o in offered}
            return [by_key[v.casefold()] for v in params.getlist(name) if v.casefold() in by_key]

        rec_id, party, passage = params.get("rec", ""), params.get("party", ""), params.get("passage", "")
        countries, sections = facets["countries"], _section_choices(facets["sections"])
        tab = "recs" if rec_id else "parties" if party else "search"
        mode = params.get("mode", "hybrid")
        return [
            gr.Tabs(selected=tab), rec_id or gr.skip(), params.get("q") or gr.skip(),
            gr.Dropdown(choices=countries, value=chosen("country", countries)),
            gr.Dropdown(choices=sections, value=chosen("section", sections)),
            chosen("kind", list(SEARCH_KINDS)) or gr.skip(), chosen("strength", list(STRENGTHS)) or gr.skip(),
            mode if mode in ("hybrid", "dense", "lexical") else gr.skip(), params.get("history") == "1",
            gr.Dropdown(choices=countries, value=next(iter(chosen("party", countries)), None)) if party else gr.skip(),
            handlers.ui_similar(service, passage, language_of(request)) if passage else gr.skip(),
        ]

    def in_language(request: gr.Request):
        """The EN/FR switch and the first panels in the page's language (a linked question brings its own)."""
        lang = language_of(request)
        asked = bool(request and request.query_params.get("q"))
        return (switch_html(lang), gr.skip() if asked else handlers.welcome(lang, "search"),
                handlers.welcome(lang, "compare"))

    blocks.load(in_language, None, [lang_switch, search["results"], compare["results"]], **quiet)
    blocks.load(deep_link, None, link_outputs, api_visibility="private").then(
        refresh, refresh_inputs, refresh_outputs, **quiet
    ).then(handlers.searcher(service, linked=True), search["inputs"], search["outputs"], api_visibility="private")

