"""The research interface: a Gradio Blocks app over one shared ``Archive``.

Four tabs (Search, Compare countries, Recommendations, Documents) and named
API endpoints for ``gradio_client``: search, compare, recommendation,
recommendations, documents, and the staff endpoints upload, delete and
rebuild, which take credentials as parameters and check them on the server.

``serve()`` runs it under uvicorn together with ``/source/<doc_id>``, which
opens an archived source file (a PDF at ``#page=N``). The app starts even
before the index is built and picks it up, and any later ingest, without a
restart: the Archive checks the SQLite generation on every read, and the
filter choices are re-read on tab changes and whenever the generation moves.
"""

from __future__ import annotations

import functools
import hmac
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable, Iterable

import gradio as gr
from gradio.data_classes import FileData
from gradio.utils import get_upload_folder, is_in_or_equal

from . import render
from .archive import Archive
from .errors import AccessDenied, ArchiveError, ArchiveNotFound, EmptyQuery, LanzasearchError, UnknownFilterError
from .model import KINDS, SECTIONS, STRENGTHS, BlockKind, DocType, FileResult, Hit
from .parsing import SourceError, parse_file
from .search import MODES
from .settings import env_number

UPLOAD_SUFFIXES = (".pdf", ".md", ".markdown", ".txt")
UPLOADS_DIR = "uploads"
DEFAULT_MAX_UPLOAD_MB = 50
FAILED_LOGIN_DELAY = 1.0  # seconds; slows down password guessing over the API
REFRESH_SECONDS = 15  # how often an open page checks whether the archive changed
EXPORT_MAX_AGE = 3600  # seconds an exported CSV/JSON stays on disk
# The kinds offered as filters, and the ones compared by default, come from the kind registry.
SEARCH_KINDS = tuple(kind.value for kind, info in KINDS.items() if info.filter)
COMPARE_KINDS = tuple(kind.value for kind, info in KINDS.items() if info.answer)
FOLLOW_UP_CHOICES = [("Any", "any"), ("Has follow-up", "with"), ("Has none", "without")]
EXAMPLES = [
    "How is sexual extortion of children with their own images criminalised?",
    "Are children prosecuted for possessing their own self-generated images?",
    "training for judges and prosecutors",
    "support and assistance for child victims",
    "awareness-raising campaigns for parents",
]
REC_LINK_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-rec]');
  // Modified clicks keep the link's ?rec= address, so a recommendation opens in a new browser tab.
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  trigger('click', {rec: link.dataset.rec});
});
"""


# -- shared state ----------------------------------------------------------------


class ArchiveHolder:
    """The one Archive the whole app shares, opened on first use.

    The app may start before the index exists: every call tries to open it
    again until it is there, so an index built later (by the CLI, or by a first
    upload) is served without a restart.
    """

    def __init__(self, index: str | Path, archive: Archive | None = None):
        self.index = Path(index)
        self._archive = archive
        self._lock = threading.Lock()

    @classmethod
    def of(cls, archive_or_index: "Archive | ArchiveHolder | str | Path") -> "ArchiveHolder":
        if isinstance(archive_or_index, ArchiveHolder):
            return archive_or_index
        if isinstance(archive_or_index, Archive):
            return cls(archive_or_index.path, archive_or_index)
        return cls(archive_or_index)

    def get(self, create: bool = False) -> Archive:
        """The archive; raises ``ArchiveNotFound`` (saying how to build it) unless ``create``."""
        with self._lock:
            if self._archive is None:
                self._archive = Archive.open(self.index, create=create)
            return self._archive

    def warm_up(self) -> None:
        """Open the archive and load its model now, so the first search answers at once."""
        try:
            self.get().embedder
        except ArchiveNotFound:
            pass


@dataclass(frozen=True)
class StaffAuth:
    """Staff credentials from the environment; without both, staff actions are off."""

    user: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls) -> "StaffAuth":
        return cls(os.environ.get("LANZASEARCH_ADMIN_USER", ""), os.environ.get("LANZASEARCH_ADMIN_PASSWORD", ""))

    @property
    def configured(self) -> bool:
        return bool(self.user and self.password)

    def check(self, user: str | None, password: str | None) -> None:
        """Raise ``AccessDenied`` unless staff actions are on and both credentials match."""
        if not self.configured:
            raise AccessDenied(
                "staff actions are turned off: start the app with LANZASEARCH_ADMIN_USER and "
                "LANZASEARCH_ADMIN_PASSWORD set to enable uploads, deletions and rebuilds"
            )
        # Both comparisons always run, in constant time, so timing tells nothing about which was wrong.
        user_ok = hmac.compare_digest((user or "").encode(), self.user.encode())
        password_ok = hmac.compare_digest((password or "").encode(), self.password.encode())
        if not (user_ok and password_ok):
            time.sleep(FAILED_LOGIN_DELAY)
            raise AccessDenied("wrong staff user name or password")


def max_upload_mb() -> int:
    """The upload size limit in MB: $LANZASEARCH_MAX_UPLOAD_MB, default 50."""
    return env_number("LANZASEARCH_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB, int, "megabytes")


def safe_upload_name(name: str) -> str:
    """A plain file name for an upload: no folders, no leading dots, only safe characters.

    "../../x.pdf", "/etc/x.pdf" and "C:\\\\x\\\\y.pdf" all become a bare name, so an
    upload can only ever land inside the index's own upload folder.
    """
    base = PurePosixPath(PureWindowsPath(name or "").name).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[:100] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


# -- operations shared by the UI and the API ------------------------------------------


class Service:
    """What the interface does, over the shared archive: plain data in, plain data out.

    The UI renders its results as HTML; the API returns them as JSON. Errors are
    the archive's own (``ArchiveError``, ``UnknownFilterError``) or ``AccessDenied``.
    """

    def __init__(self, holder: ArchiveHolder, auth: StaffAuth, max_upload_bytes: int):
        self.holder = holder
        self.auth = auth
        self.max_upload_bytes = max_upload_bytes
        self.exports = Path(tempfile.mkdtemp(prefix="lanzasearch-exports-"))

    @property
    def archive(self) -> Archive:
        return self.holder.get()

    @property
    def uploads(self) -> Path:
        return self.holder.index / UPLOADS_DIR

    # reading

    def search(self, query, countries=None, sections=None, kinds=None, strengths=None, mode="hybrid", k=10) -> list[Hit]:
        return self.archive.search(
            query, k=k, countries=countries or None, sections=sections or None,
            kinds=kinds or None, strengths=strengths or None, mode=mode or "hybrid",
        )

    def compare(self, query, countries=None, kinds=None, per_country=3) -> dict[str, list[Hit]]:
        return self.archive.compare(query, countries=countries or None, per_country=per_country,
                                    kinds=list(kinds or COMPARE_KINDS))

    def articles(self, hits: Iterable[Hit] = (), numbers: Iterable[str] = ()) -> dict[str, Hit | None]:
        """The Convention articles cited by these hits (or given by number), with their text."""
        wanted = {a for h in hits for a in h.articles} | set(numbers)
        return {n: self.archive.article(n) for n in sorted(wanted)}

    def sources(self) -> set[str]:
        """Ids of the documents whose source file the archive keeps (they get page links)."""
        archive = self.archive
        return {d.doc_id for d in archive.documents() if archive.source_path(d.doc_id) is not None}

    def country_docs(self) -> dict[str, str]:
        """Each country's factsheet id; with several rounds, the latest."""
        docs = sorted((d for d in self.archive.documents() if d.country), key=lambda d: d.round or "")
        return {d.country: d.doc_id for d in docs}

    def generation(self) -> int:
        try:
            return self.archive.generation
        except ArchiveNotFound:
            return -1

    # staff

    def upload(self, user: str, password: str, files: list[tuple[str, str]], progress=None) -> list[FileResult]:
        """Ingest uploaded files given as (temporary path, original name); one result per file, in order."""
        self.auth.check(user, password)
        batch = self.uploads / uuid.uuid4().hex
        outcome: list[FileResult | Path] = []  # a refusal, or the copy handed to ingest
        try:
            for number, (path, original) in enumerate(files):
                name = safe_upload_name(original or Path(path).name)
                refusal = self._refusal(Path(path), name)
                if refusal:
                    outcome.append(FileResult(name, "failed", reason=refusal))
                    continue
                # One folder per file: two uploads with the same name in one batch do not collide.
                target = batch / str(number) / name
                target.parent.mkdir(parents=True)
                shutil.copyfile(path, target)
                outcome.append(target)
            copies = [item for item in outcome if isinstance(item, Path)]
            if copies:
                report = self.holder.get(create=True).ingest(copies, progress=progress or False,
                                                             max_bytes=self.max_upload_bytes)
                by_copy = {item.path: item for item in report.files}
                for copy in copies:
                    by_copy[str(copy)].path = copy.name
                outcome = [by_copy[str(item)] if isinstance(item, Path) else item for item in outcome]
        finally:
            shutil.rmtree(batch, ignore_errors=True)
        return outcome

    def _refusal(self, path: Path, name: str) -> str | None:
        """Why an uploaded file is refused before parsing (type or size), or None."""
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            return f"is not a PDF, Markdown or text file: upload {', '.join(UPLOAD_SUFFIXES)} files only"
        size = path.stat().st_size
        if size > self.max_upload_bytes:
            return (f"is {size / 1e6:.1f} MB, over the {self.max_upload_bytes // 2**20} MB upload limit "
                    "(LANZASEARCH_MAX_UPLOAD_MB)")
        return None

    def delete(self, user: str, password: str, doc_id: str) -> None:
        self.auth.check(user, password)
        if not doc_id:
            raise ArchiveError("choose a document to delete")
        self.archive.remove(doc_id)

    def rebuild(self, user: str, password: str, progress=None) -> list[FileResult]:
        """Re-parse and re-embed every document from the source copies the archive keeps.

        A rebuild replaces the whole archive, so it only starts when every
        document still has its source and parses: nothing is dropped on the way.
        """
        self.auth.check(user, password)
        archive = self.archive
        docs = archive.documents()
        if not docs:
            raise ArchiveError("the archive is empty: nothing to rebuild")
        batch = self.uploads / uuid.uuid4().hex
        try:
            files = []
            for doc in docs:
                source = archive.source_path(doc.doc_id)
                if source is None:
                    raise ArchiveError(f"cannot rebuild: the source of {doc.doc_id} was not kept; upload it again first")
                # Under its original name, so the rebuilt archive still shows where each document came from.
                target = batch / doc.doc_id / safe_upload_name(doc.source or source.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                try:
                    parse_file(target)
                except SourceError as exc:
                    raise ArchiveError(f"cannot rebuild: {doc.doc_id} no longer parses ({exc})") from exc
                files.append(target)
            report = archive.ingest(files, rebuild=True, progress=progress or False)
        finally:
            shutil.rmtree(batch, ignore_errors=True)
        for item in report.files:
            item.path = Path(item.path).name
        return report.files

    # exports

    def export(self, stem: str, suffix: str, content: str) -> str:
        """Write an export file for download; exports older than an hour are removed on the way."""
        cutoff = time.time() - EXPORT_MAX_AGE
        for old in self.exports.iterdir():
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(dir=self.exports))
        path = folder / f"{stem}.{suffix}"
        path.write_text(content, encoding="utf-8")
        return str(path)


def export_stem(kind: str, query: str) -> str:
    """A readable download name: "lanzasearch-search-training-for-judges"."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:40].rstrip("-")
    return f"lanzasearch-{kind}" + (f"-{slug}" if slug else "")


def file_result_dict(result: FileResult) -> dict:
    """A FileResult for the API; "file", not "path", so clients do not take it for a file to download."""
    data = asdict(result)
    data["file"] = data.pop("path")
    return data


def user_error(exc: Exception) -> tuple[str, str]:
    """A title and an explanation for an error the user can act on."""
    if isinstance(exc, ArchiveNotFound):
        return "The archive is not built yet", f"{exc}. The app serves it as soon as it exists, without a restart."
    if isinstance(exc, EmptyQuery):
        return "Type a question", "Ask in your own words, e.g. “training for judges”, or pick an example."
    if isinstance(exc, UnknownFilterError):
        return "A filter value is not in the archive", str(exc)
    if isinstance(exc, AccessDenied):
        return "Not allowed", str(exc)
    return "That did not work", str(exc)


# Every error a user can fix; anything else is a bug and keeps its traceback.
USER_ERRORS = LanzasearchError


def error_message(exc: Exception) -> str:
    """The error as a readable panel; an empty query is a hint, not an error."""
    return render.message(*user_error(exc), tone="info" if isinstance(exc, EmptyQuery) else "error")


def api_errors(fn: Callable) -> Callable:
    """Turn the errors a caller can fix into a gr.Error, so gradio_client shows the message."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    return wrapper


def uploaded_file(item: FileData | dict) -> tuple[str, str]:
    """(server path, original name) of a file sent to the upload endpoint.

    A request can name any server path in its file data; only files in Gradio's
    own upload folder, where uploads land, are accepted.
    """
    path, name = (item["path"], item.get("orig_name")) if isinstance(item, dict) else (item.path, item.orig_name)
    if not is_in_or_equal(Path(path).resolve(), Path(get_upload_folder()).resolve()):
        raise AccessDenied(f"{name or Path(path).name}: only files uploaded to this app can be ingested")
    return path, name or Path(path).name


# -- the app ------------------------------------------------------------------------


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
            gr.HTML(
                '<div class="ls-brand"><h1>Lanzasearch</h1><p>The Lanzarote Committee\'s country factsheets '
                "and the Lanzarote Convention, searchable by meaning and by words.</p></div>"
            )
            status = gr.HTML(elem_classes="ls-status-line")
        with gr.Tabs(selected="search") as tabs:
            search_ui = _search_tab(service)
            compare_ui = _compare_tab(service)
            recs_ui = _recommendations_tab(service)
            docs_ui = _documents_tab(service)
        _wire_navigation(service, blocks, tabs, search_ui, compare_ui, recs_ui, docs_ui, status, generation)
        _register_api(service)
    blocks.queue(default_concurrency_limit=4)
    return blocks


# Each tab builder returns its components by name, so the wiring below stays readable.


def _search_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab("Search", id="search") as ui["tab"]:
        with gr.Row(elem_classes="ls-query-row"):
            ui["query"] = gr.Textbox(
                label="Question", placeholder="Ask in your own words, e.g. training for judges on self-generated images",
                scale=6, autofocus=True, max_length=2000, elem_id="ls-query",
            )
            ui["button"] = gr.Button("Search", variant="primary", scale=1, min_width=110, elem_id="ls-search-button")
            ui["to_compare"] = gr.Button("Compare countries →", scale=1, min_width=170)
        examples = gr.Examples(EXAMPLES, inputs=[ui["query"]], label="Example questions",
                               examples_per_page=len(EXAMPLES), api_visibility="private")
        with gr.Row():
            with gr.Column(scale=1, min_width=250, elem_classes="ls-filters"):
                ui["countries"] = gr.Dropdown(label="Country", multiselect=True, choices=[], info="all when empty")
                ui["sections"] = gr.Dropdown(label="Section", multiselect=True, choices=[], info="I–XI")
                ui["kinds"] = gr.Dropdown(
                    label="Kind", multiselect=True, choices=[(BlockKind(k).label, k) for k in SEARCH_KINDS],
                )
                ui["strengths"] = gr.CheckboxGroup(label="Strength", choices=list(STRENGTHS))
                ui["mode"] = gr.Radio(
                    label="Mode", choices=[("Hybrid", "hybrid"), ("Meaning", "dense"), ("Words", "lexical")],
                    value="hybrid", info="hybrid = meaning + exact words",
                )
                ui["k"] = gr.Slider(label="Results", minimum=5, maximum=50, step=5, value=10)
            with gr.Column(scale=3):
                with gr.Row(elem_classes="ls-downloads"):
                    ui["csv"] = gr.DownloadButton("↓ CSV", visible=False, size="sm", scale=0, min_width=90)
                    ui["json"] = gr.DownloadButton("↓ JSON", visible=False, size="sm", scale=0, min_width=90)
                ui["results"] = gr.HTML(
                    render.message("Search the archive",
                                   "Type a question above, or pick an example. Filters narrow the results."),
                    js_on_load=REC_LINK_JS, elem_id="ls-results",
                )
    inputs = [ui[k] for k in ("query", "countries", "sections", "kinds", "strengths", "mode", "k")]
    outputs = [ui["results"], ui["csv"], ui["json"]]
    # An example runs at once: clicking one is asking that question.
    for trigger in (ui["button"].click, ui["query"].submit, examples.load_input_event.then):
        trigger(lambda *a: ui_search(service, *a), inputs, outputs, api_visibility="private")
    ui["inputs"], ui["outputs"] = inputs, outputs
    return ui


def ui_search(service: Service, query, countries, sections, kinds, strengths, mode, k):
    """Search for the UI: result cards and the two downloads, or a readable empty/error state."""
    hidden = gr.DownloadButton(visible=False)
    try:
        hits = service.search(query, countries, sections, kinds, strengths, mode, k)
        html = render.results_html(hits, query, service.articles(hits), service.sources(),
                                   summary=f" for “{query.strip()}”")
    except USER_ERRORS as exc:
        return error_message(exc), hidden, hidden
    if not hits:
        return html, hidden, hidden
    filters = {"countries": countries or [], "sections": sections or [], "kinds": kinds or [],
               "strengths": strengths or [], "mode": mode, "k": k}
    stem = export_stem("search", query)
    return (
        html,
        gr.DownloadButton(value=service.export(stem, "csv", render.hits_csv(hits)), visible=True),
        gr.DownloadButton(value=service.export(stem, "json", render.hits_json(hits, query, filters)), visible=True),
    )


def _compare_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab("Compare countries", id="compare") as ui["tab"]:
        gr.Markdown("Each country's best passages side by side, for a question or a recommendation id such as **II-6**.",
                    elem_classes="ls-intro")
        with gr.Row(elem_classes="ls-query-row"):
            ui["query"] = gr.Textbox(label="Question or recommendation id", placeholder="e.g. training for judges, or II-6",
                                     scale=6, max_length=2000, elem_id="ls-compare-query")
            ui["button"] = gr.Button("Compare", variant="primary", scale=1, min_width=110, elem_id="ls-compare-button")
        with gr.Row():
            ui["countries"] = gr.Dropdown(label="Countries", multiselect=True, choices=[], info="all when empty", scale=2)
            ui["kinds"] = gr.Dropdown(
                label="Kinds of passage", multiselect=True, value=list(COMPARE_KINDS), scale=2,
                choices=[(k.label, k.value) for k, info in KINDS.items() if info.filter and info.doc_type == DocType.FACTSHEET],
                info="default: follow-up actions and promising practices",
            )
            ui["per_country"] = gr.Slider(label="Passages per country", minimum=1, maximum=10, step=1, value=3, scale=1)
        ui["results"] = gr.HTML(
            render.message("Compare countries", "Type a question or a recommendation id, then press Compare."),
            js_on_load=REC_LINK_JS, elem_id="ls-compare-results",
        )
        ui["csv"] = gr.DownloadButton("↓ Download CSV", visible=False, size="sm")
    inputs = [ui["query"], ui["countries"], ui["kinds"], ui["per_country"]]
    outputs = [ui["results"], ui["csv"]]
    for trigger in (ui["button"].click, ui["query"].submit):
        trigger(lambda *a: ui_compare(service, *a), inputs, outputs, api_visibility="private")
    ui["inputs"], ui["outputs"] = inputs, outputs
    return ui


def ui_compare(service: Service, query, countries, kinds, per_country):
    """Compare for the UI: one column per country, and the CSV download."""
    hidden = gr.DownloadButton(visible=False)
    try:
        columns = service.compare(query, countries, kinds, per_country)
        rec = _recommendation_or_none(service, query)
        hits = [h for col in columns.values() for h in col]
        html = render.compare_html(columns, query, list(kinds or COMPARE_KINDS), rec,
                                   service.articles(hits), service.sources())
    except USER_ERRORS as exc:
        return error_message(exc), hidden
    path = service.export(export_stem("compare", query), "csv", render.compare_csv(columns))
    return html, gr.DownloadButton(value=path, visible=bool(columns))


def _recommendation_or_none(service: Service, text: str):
    """The recommendation when ``text`` is an id such as II-6; None for a free-text question."""
    try:
        return service.archive.recommendation(text)
    except ArchiveError:
        return None


def _recommendations_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab("Recommendations", id="recs") as ui["tab"]:
        with gr.Row():
            ui["sections"] = gr.Dropdown(label="Section", multiselect=True, choices=[], scale=2)
            ui["strengths"] = gr.CheckboxGroup(label="Strength", choices=list(STRENGTHS), scale=2)
            ui["countries"] = gr.Dropdown(label="Country", multiselect=True, choices=[], scale=2)
            ui["follow"] = gr.Radio(label="Follow-up", choices=FOLLOW_UP_CHOICES, value="any", scale=2)
        with gr.Row():
            with gr.Column(scale=3):
                ui["table"] = gr.HTML(js_on_load=REC_LINK_JS, elem_id="ls-recs-table")
                ui["csv"] = gr.DownloadButton("↓ Download CSV", visible=False, size="sm")
            with gr.Column(scale=2, elem_classes="ls-detail-col"):
                ui["rec_id"] = gr.Dropdown(label="Recommendation", choices=[], allow_custom_value=True,
                                           filterable=True, elem_id="ls-rec-id")
                ui["detail"] = gr.HTML(render.recommendation_html(None), elem_id="ls-rec-detail")
    ui["filters"] = [ui["sections"], ui["strengths"], ui["countries"], ui["follow"]]
    for component in ui["filters"]:
        component.change(lambda *a: ui_recommendations(service, *a), ui["filters"], [ui["table"], ui["csv"]],
                         api_visibility="private", show_progress="hidden")
    ui["rec_id"].change(lambda rec_id: ui_recommendation(service, rec_id), [ui["rec_id"]], [ui["detail"]],
                        api_visibility="private")
    return ui


def ui_recommendations(service: Service, sections, strengths, countries, follow):
    """The filtered recommendation list and its CSV."""
    try:
        recs = render.filter_recommendations(service.archive.recommendations(), sections, strengths, countries, follow)
    except USER_ERRORS as exc:
        return error_message(exc), gr.DownloadButton(visible=False)
    path = service.export("lanzasearch-recommendations", "csv", render.recommendations_csv(recs))
    return render.recommendations_table(recs), gr.DownloadButton(value=path, visible=bool(recs))


def ui_recommendation(service: Service, rec_id: str | None) -> str:
    """One recommendation in full, or why it cannot be shown."""
    if not (rec_id or "").strip():
        return render.recommendation_html(None)
    try:
        rec = service.archive.recommendation(rec_id)
        if rec is None:
            return render.message(f"No recommendation {rec_id} in the archive",
                                  "Check the id in the list on the left; ids look like II-6.", tone="error")
        return render.recommendation_html(rec, service.articles(numbers=rec.articles), service.sources(),
                                          service.country_docs())
    except USER_ERRORS as exc:
        return error_message(exc)


def open_recommendation(evt: gr.EventData):
    """A recommendation link was clicked in a card or list (see REC_LINK_JS): show it in its tab."""
    rec_id = evt._data.get("rec") if isinstance(evt._data, dict) else None
    if not rec_id:
        return gr.skip(), gr.skip()
    return gr.Tabs(selected="recs"), rec_id


def _documents_tab(service: Service) -> dict:
    ui: dict = {}
    with gr.Tab("Documents", id="docs") as ui["tab"]:
        ui["table"] = gr.HTML(elem_id="ls-docs-table")
        with gr.Row():
            ui["refresh"] = gr.Button("↻ Refresh", size="sm", variant="secondary", scale=0, min_width=100)
        if not service.auth.configured:
            gr.Markdown(
                "**Read-only.** Uploading, deleting and rebuilding need staff credentials. To enable them, "
                "start the app with `LANZASEARCH_ADMIN_USER` and `LANZASEARCH_ADMIN_PASSWORD` set in its "
                "environment. Searching never needs a login.",
                elem_classes="ls-note",
            )
            return ui
        with gr.Column(variant="panel", elem_classes="ls-staff"):
            gr.Markdown("### Staff actions\nEach action checks the staff credentials. Searching keeps answering "
                        "from the last committed index while an ingest runs.")
            with gr.Row():
                ui["user"] = gr.Textbox(label="Staff user", elem_id="ls-staff-user")
                ui["password"] = gr.Textbox(label="Password", type="password", elem_id="ls-staff-password")
            ui["files"] = gr.File(label=f"Upload PDF / Markdown / text (up to {service.max_upload_bytes // 2**20} MB each)",
                                  file_count="multiple", file_types=list(UPLOAD_SUFFIXES))
            with gr.Row():
                ui["upload"] = gr.Button("Upload and ingest", variant="primary")
                ui["rebuild"] = gr.Button("Rebuild index", variant="secondary")
            with gr.Row(elem_classes="ls-query-row"):
                ui["doc"] = gr.Dropdown(label="Document to delete", choices=[], scale=3)
                ui["delete"] = gr.Button("Delete document", variant="stop", scale=1)
            ui["result"] = gr.HTML()
    return ui


def ui_upload(service: Service, user, password, files, progress: gr.Progress):
    """Upload for the UI: ingest with a progress bar, then one line per file."""
    def report(done: int, total: int, message: str) -> None:
        progress((done, total), desc=message)

    try:
        results = service.upload(user, password, [(p, Path(p).name) for p in files or []], progress=report)
    except USER_ERRORS as exc:
        return error_message(exc), gr.skip()
    if not results:
        return render.message("No files chosen", "Drop PDF or Markdown files in the upload box first."), gr.skip()
    return render.ingest_results_html(results), None


def ui_delete(service: Service, user, password, doc_id):
    """Delete for the UI: what was removed, or why not."""
    try:
        service.delete(user, password, doc_id)
    except USER_ERRORS as exc:
        return error_message(exc)
    return render.message(f"Deleted {doc_id}", "Its passages no longer appear in searches.")


def ui_rebuild(service: Service, user, password, progress: gr.Progress):
    """Rebuild for the UI: progress bar, then one line per document."""

    def report(done: int, total: int, message: str) -> None:
        progress((done, total), desc=message)

    try:
        results = service.rebuild(user, password, progress=report)
    except USER_ERRORS as exc:
        return error_message(exc)
    return render.message("Index rebuilt", f"{len(results)} documents re-parsed and re-embedded.") + \
        render.ingest_results_html(results)


# -- keeping choices fresh, tabs and deep links -------------------------------------------


def _keep(current, choices: list) -> list:
    """The selected values that are still offered, so a refresh never drops a valid choice."""
    valid = {c[1] if isinstance(c, tuple) else c for c in choices}
    return [v for v in (current or []) if v in valid]


def _section_choices(sections: list[str]) -> list[tuple[str, str]]:
    """("II. Legal frameworks", "II") pairs for a section dropdown."""
    return [(render.section_label(s) if s in SECTIONS else s, s) for s in sections]


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


def _wire_navigation(service, blocks, tabs, search, compare, recs, docs, status, generation) -> None:
    """Refresh choices on load, tab change and archive change; rec links; Search → Compare; deep links."""

    # The selections a refresh must keep when it replaces the choices under them.
    kept = {"s_countries": search["countries"], "s_sections": search["sections"], "c_countries": compare["countries"],
            "r_sections": recs["sections"], "r_countries": recs["countries"], "r_strengths": recs["strengths"],
            "r_follow": recs["follow"]}
    if "doc" in docs:
        kept["doc"] = docs["doc"]
    refresh_inputs = [generation, *kept.values()]
    refresh_outputs = [generation, status, search["countries"], search["sections"], compare["countries"],
                       recs["sections"], recs["countries"], recs["table"], recs["csv"], recs["rec_id"], docs["table"]]
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
        table, csv = ui_recommendations(service, _keep(current["r_sections"], sections), current["r_strengths"],
                                        _keep(current["r_countries"], countries), current["r_follow"])
        updates = [
            now, status_html(service),
            gr.Dropdown(choices=countries, value=_keep(current["s_countries"], countries)),
            gr.Dropdown(choices=sections, value=_keep(current["s_sections"], sections)),
            gr.Dropdown(choices=countries, value=_keep(current["c_countries"], countries)),
            gr.Dropdown(choices=sections, value=_keep(current["r_sections"], sections)),
            gr.Dropdown(choices=countries, value=_keep(current["r_countries"], countries)),
            table, csv, gr.Dropdown(choices=rec_ids), _documents_html(service),
        ]
        if "doc" in current:
            updates.append(gr.Dropdown(choices=doc_ids, value=current["doc"] if current["doc"] in doc_ids else None))
        return updates

    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    for tab in (search["tab"], compare["tab"], recs["tab"], docs["tab"]):
        tab.select(refresh, refresh_inputs, refresh_outputs, **quiet)
    docs["refresh"].click(refresh, refresh_inputs, refresh_outputs, **quiet)
    # A page left open notices an ingest made elsewhere (the CLI, another staff member).
    gr.Timer(REFRESH_SECONDS).tick(lambda *a: refresh(*a, force=False), refresh_inputs, refresh_outputs, **quiet)

    for html in (search["results"], compare["results"], recs["table"]):
        html.click(open_recommendation, None, [tabs, recs["rec_id"]], api_visibility="private")

    search["to_compare"].click(
        lambda q: (gr.Tabs(selected="compare"), q), [search["query"]], [tabs, compare["query"]], api_visibility="private",
    ).then(lambda *a: ui_compare(service, *a), compare["inputs"], compare["outputs"], api_visibility="private")

    if "upload" in docs:
        staff = {"api_visibility": "private", "concurrency_id": "staff", "concurrency_limit": 1}
        docs["upload"].click(lambda u, p, f, progress=gr.Progress(): ui_upload(service, u, p, f, progress),
                             [docs["user"], docs["password"], docs["files"]], [docs["result"], docs["files"]], **staff
                             ).then(refresh, refresh_inputs, refresh_outputs, **quiet)
        docs["delete"].click(lambda u, p, d: ui_delete(service, u, p, d), [docs["user"], docs["password"], docs["doc"]],
                             [docs["result"]], **staff).then(refresh, refresh_inputs, refresh_outputs, **quiet)
        docs["rebuild"].click(lambda u, p, progress=gr.Progress(): ui_rebuild(service, u, p, progress),
                              [docs["user"], docs["password"]], [docs["result"]], **staff
                              ).then(refresh, refresh_inputs, refresh_outputs, **quiet)

    def deep_link(request: gr.Request):
        """?rec=II-6 opens a recommendation, ?q=… runs a search: links can be shared."""
        params = request.query_params if request else {}
        rec_id, query = params.get("rec", ""), params.get("q", "")
        return (gr.Tabs(selected="recs") if rec_id else gr.skip(), rec_id or gr.skip(), query or gr.skip())

    blocks.load(deep_link, None, [tabs, recs["rec_id"], search["query"]], api_visibility="private").then(
        refresh, refresh_inputs, refresh_outputs, **quiet
    ).then(
        lambda *a: ui_search(service, *a) if a[0] else (gr.skip(),) * 3, search["inputs"], search["outputs"],
        api_visibility="private",
    )


def _documents_html(service: Service) -> str:
    try:
        return render.documents_html(service.archive.documents(), service.sources())
    except ArchiveNotFound as exc:
        return error_message(exc)


# -- API ---------------------------------------------------------------------------------


def _register_api(service: Service) -> None:
    """Named endpoints for gradio_client; each returns plain JSON-ready data."""

    @api_errors
    def search(
        query: str,
        countries: list[str] | None = None,
        sections: list[str] | None = None,
        kinds: list[str] | None = None,
        strengths: list[str] | None = None,
        mode: str = "hybrid",
        k: int = 10,
    ) -> list[dict]:
        """The k best passages for a question, each with its citation; filters apply before the cut."""
        if mode not in MODES:
            raise UnknownFilterError(f"unknown mode {mode!r}: choose from {', '.join(MODES)}")
        return [h.to_dict() for h in service.search(query, countries, sections, kinds, strengths, mode, k)]

    @api_errors
    def compare(
        query: str,
        countries: list[str] | None = None,
        kinds: list[str] | None = None,
        per_country: int = 3,
    ) -> dict[str, list[dict]]:
        """Each country's best passages for a question or a recommendation id (default kinds: follow-ups, practices)."""
        return {c: [h.to_dict() for h in hits] for c, hits in service.compare(query, countries, kinds, per_country).items()}

    @api_errors
    def recommendation(rec_id: str) -> dict:
        """One recommendation id: text, strength, Convention articles with their text, follow-ups and practices."""
        rec = service.archive.recommendation(rec_id)
        if rec is None:
            raise ArchiveError(f"no recommendation {rec_id} in the archive")
        return render.recommendation_dict(rec, service.articles(numbers=rec.articles))

    @api_errors
    def recommendations(
        sections: list[str] | None = None,
        strengths: list[str] | None = None,
        countries: list[str] | None = None,
        follow_up: str = "any",
    ) -> list[dict]:
        """Every recommendation matching the filters; follow_up is "any", "with" or "without"."""
        recs = render.filter_recommendations(service.archive.recommendations(), sections, strengths, countries, follow_up)
        return [render.recommendation_dict(r, {}) for r in recs]

    @api_errors
    def documents() -> list[dict]:
        """The documents in the archive: title, type, country, round, pages, chunks, sha256, ingested at."""
        return [asdict(d) for d in service.archive.documents()]

    @api_errors
    def upload(user: str, password: str, files: list[FileData]) -> list[dict]:
        """Staff: ingest PDF / Markdown / text files; one result per file (added, updated, unchanged, failed)."""
        service.auth.check(user, password)  # before looking at the files, so a stranger learns nothing about them
        return [file_result_dict(r) for r in service.upload(user, password, [uploaded_file(f) for f in files])]

    @api_errors
    def delete(user: str, password: str, doc_id: str) -> dict:
        """Staff: remove one document and its passages."""
        service.delete(user, password, doc_id)
        return {"deleted": doc_id}

    @api_errors
    def rebuild(user: str, password: str) -> list[dict]:
        """Staff: re-parse and re-embed every document from the archived sources."""
        return [file_result_dict(r) for r in service.rebuild(user, password)]

    for fn in (search, compare, recommendation, recommendations, documents):
        gr.api(fn, api_name=fn.__name__)
    for fn in (upload, delete, rebuild):
        gr.api(fn, api_name=fn.__name__, concurrency_id="staff", concurrency_limit=1)


# -- serving ---------------------------------------------------------------------------------


def theme() -> gr.themes.Base:
    """A calm theme with system fonts: nothing is fetched from the internet."""
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.blue,
        neutral_hue=gr.themes.colors.slate,
        font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def create_server(
    archive_or_index: "Archive | ArchiveHolder | str | Path",
    *,
    auth: StaffAuth | None = None,
    max_upload_bytes: int | None = None,
):
    """A FastAPI app: the Gradio interface at / and the archived source files at /source/<doc_id>."""
    from fastapi import FastAPI, HTTPException
    from fastapi.responses import FileResponse

    holder = ArchiveHolder.of(archive_or_index)
    limit = max_upload_bytes if max_upload_bytes is not None else max_upload_mb() * 2**20
    blocks = build_app(holder, auth=auth, max_upload_bytes=limit)
    app = FastAPI(title="Lanzasearch", docs_url=None, redoc_url=None)

    @app.get("/source/{doc_id}")
    def source(doc_id: str):
        """The archived source of a document; only ids the archive knows, so no path is ever built from input."""
        try:
            archive = holder.get()
        except ArchiveNotFound:
            raise HTTPException(404, "the archive is not built yet") from None
        if doc_id not in {d.doc_id for d in archive.documents()}:
            raise HTTPException(404, f"no document {doc_id!r} in the archive")
        path = archive.source_path(doc_id)
        if path is None:
            raise HTTPException(404, f"the source file of {doc_id} was not kept")
        media = "application/pdf" if path.suffix == ".pdf" else "text/plain; charset=utf-8"
        return FileResponse(path, media_type=media, filename=path.name, content_disposition_type="inline")

    app = gr.mount_gradio_app(
        app, blocks, path="/", theme=theme(), css=render.CSS, max_file_size=limit, footer_links=["api"],
    )
    # Gradio only checks that a request's input files were uploaded by a user (not any path on
    # the server) once ``has_launched`` is set, which launch() does and mount_gradio_app() does not.
    blocks.has_launched = True
    return app


def serve(index: str | Path = "index", host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the interface on host:port (loopback by default) until interrupted."""
    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    holder = ArchiveHolder(index)
    holder.warm_up()
    app = create_server(holder)
    auth = StaffAuth.from_env()
    print(f"Lanzasearch on http://{host}:{port}/  (index: {index}; staff actions "
          f"{'enabled' if auth.configured else 'off: set LANZASEARCH_ADMIN_USER and LANZASEARCH_ADMIN_PASSWORD'})",
          flush=True)
    # Open browser tabs keep event streams alive; do not let them hold a Ctrl-C for ever.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
