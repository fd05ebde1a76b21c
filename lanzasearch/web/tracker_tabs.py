"""The tracker's tabs: Parties (a Party's profile with its chart, two side by side) and the Matrix.

Each builder returns its components by name, as tabs.py's do; what a control
does is in handlers.py.
"""

from __future__ import annotations

import gradio as gr

from lanzasearch import SECTIONS, STATUSES, STRENGTHS

from . import handlers
from .i18n import t
from .service import Service
from .tracker_views import STATUS_COLOURS, profile_chart

QUIET = {"api_visibility": "private", "show_progress": "hidden"}


def _profile_column(service: Service, ui: dict, key: str, label: str, card_js: str) -> None:
    """A Party chooser, its chart and its profile, stored in ``ui`` under ``key``."""
    ui[key] = gr.Dropdown(label=label, choices=[], elem_id=f"ls-{key}")
    ui[f"{key}_chart"] = gr.BarPlot(
        profile_chart(None), x="section", y="recommendations", color="status", color_map=STATUS_COLOURS,
        title="Recommendations per section, by follow-up", x_title="Section", y_title="Recommendations",
        # Gradio's plots draw their titles as given, without its i18n: these stay in English.
        height=300, elem_id=f"ls-{key}-chart", show_label=False,
        sort=list(SECTIONS),  # report order (I … XI), not the alphabetical order a plot gives strings
    )
    ui[f"{key}_html"] = gr.HTML(handlers.ui_profile(service, None)[1], js_on_load=card_js, elem_id=f"ls-{key}-profile")
    ui[key].change(lambda country: handlers.ui_profile(service, country), [ui[key]],
                   [ui[f"{key}_chart"], ui[f"{key}_html"]], **QUIET)


def parties_tab(service: Service, card_js: str) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.parties"), id="parties") as ui["tab"]:
        gr.Markdown(t("parties.intro"), elem_classes="ls-intro")
        with gr.Row(equal_height=False):
            with gr.Column():
                _profile_column(service, ui, "party", t("parties.party"), card_js)
            with gr.Column():
                _profile_column(service, ui, "other", t("parties.other"), card_js)
    return ui


def matrix_tab(service: Service, card_js: str) -> dict:
    ui: dict = {}
    with gr.Tab(t("tab.matrix"), id="matrix") as ui["tab"]:
        gr.Markdown(t("matrix.intro"), elem_classes="ls-intro")
        with gr.Row():
            ui["sections"] = gr.Dropdown(label=t("filter.section"), multiselect=True, choices=[], scale=2)
            ui["strengths"] = gr.CheckboxGroup(label=t("filter.strength"), choices=list(STRENGTHS), scale=2)
            ui["statuses"] = gr.CheckboxGroup(label=t("matrix.statuses"),
                                              choices=[(label, key) for key, label in STATUSES.items()], scale=3)
            ui["countries"] = gr.Dropdown(label=t("matrix.parties"), multiselect=True, choices=[], info=t("filter.all_when_empty"), scale=2)
        with gr.Row(elem_classes="ls-downloads"):
            ui["csv"] = gr.DownloadButton("↓ CSV", visible=False, size="sm", scale=0, min_width=90, elem_id="ls-matrix-csv")
            ui["xlsx"] = gr.DownloadButton(t("download.xlsx"), visible=False, size="sm", scale=0, min_width=140,
                                           elem_id="ls-matrix-xlsx")
        ui["table"] = gr.HTML(js_on_load=card_js, elem_id="ls-matrix")
    ui["inputs"] = [ui["sections"], ui["strengths"], ui["statuses"], ui["countries"]]
    ui["outputs"] = [ui["table"], ui["csv"], ui["xlsx"]]
    show = lambda *a: handlers.ui_matrix(service, *a)  # noqa: E731
    for component in ui["inputs"]:
        component.change(show, ui["inputs"], ui["outputs"], **QUIET)
    ui["tab"].select(show, ui["inputs"], ui["outputs"], **QUIET)
    return ui
