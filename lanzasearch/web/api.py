"""The named HTTP endpoints, for gradio_client or any script: the same service as the page, as JSON.

search, compare, recommendation, recommendations, documents, passage,
similar, profile, matrix, versions and changes are open;
upload, delete and rebuild take the staff credentials as their first two
parameters and check them on the server, one staff action at a time. An
error the caller can fix comes back as a gr.Error with its one-line message.
"""

from __future__ import annotations

import functools
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import gradio as gr
from gradio.data_classes import FileData
from gradio.utils import get_upload_folder, is_in_or_equal

from lanzasearch import AccessDenied, ArchiveError, LanzasearchError

from . import exports
from .service import Service


def api_errors(fn: Callable) -> Callable:
    """Turn the errors a caller can fix into a gr.Error, so gradio_client shows the message."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LanzasearchError as exc:
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


def register_api(service: Service) -> None:
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
        include_history: bool = False,
    ) -> list[dict]:
        """The k best passages for a question, each with its citation; filters apply before the cut.

        Earlier versions of updated documents are searched too with include_history."""
        return [h.to_dict() for h in service.search(query, countries, sections, kinds, strengths, mode, k,
                                                     include_history)]

    @api_errors
    def passage(chunk_id: int) -> dict:
        """One passage by its chunk_id (from a search result), with its citations."""
        return service.passage(chunk_id).to_dict()

    @api_errors
    def similar(
        chunk_id: int,
        k: int = 12,
        other_countries: bool = True,
        countries: list[str] | None = None,
        kinds: list[str] | None = None,
    ) -> dict:
        """The passages closest in meaning to a stored one (by its stored vector), grouped by country, closest first.

        The passage's own document is always left out; its country too unless other_countries is false."""
        source, grouped = service.similar(chunk_id, k, other_countries, countries, kinds)
        return {"passage": source.to_dict(), "by_country": {c: [h.to_dict() for h in hits] for c, hits in grouped.items()}}

    @api_errors
    def profile(country: str) -> dict:
        """A Party's documents and rounds, recommendations by section × strength and by follow-up status
        (follow_up, empty_box, no_box), promising practices and the Convention articles cited most."""
        return service.profile(country).to_dict()

    @api_errors
    def matrix(
        sections: list[str] | None = None,
        strengths: list[str] | None = None,
        statuses: list[str] | None = None,
        countries: list[str] | None = None,
    ) -> dict:
        """Recommendations × Parties: each cell's status (follow_up, empty_box, no_box, generic, not_addressed)
        and the follow-up text; statuses keeps the rows where some Party's cell has one of them."""
        return service.matrix(sections, strengths, statuses, countries).to_dict()

    @api_errors
    def versions(doc_id: str) -> list[dict]:
        """Every stored version of a document, the current one first (current: true; the others have replaced_at)."""
        return [{**asdict(v), "current": v.current} for v in service.archive.versions(doc_id)]

    @api_errors
    def changes(doc_id: str, version: int | None = None) -> dict:
        """What a version (default: the current one) added, changed or removed against the one before, block by block."""
        return service.archive.changes(doc_id, version=version).to_dict()

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
        rec = service.recommendation(rec_id)
        if rec is None:
            raise ArchiveError(f"no recommendation {rec_id} in the archive")
        return exports.recommendation_dict(rec, service.articles(numbers=rec.articles))

    @api_errors
    def recommendations(
        sections: list[str] | None = None,
        strengths: list[str] | None = None,
        countries: list[str] | None = None,
        follow_up: str = "any",
    ) -> list[dict]:
        """Every recommendation matching the filters; follow_up is "any", "with" or "without"."""
        recs = service.recommendations(sections, strengths, countries, follow_up)
        return [exports.recommendation_dict(r, {}) for r in recs]

    @api_errors
    def documents(include_history: bool = False) -> list[dict]:
        """The documents in the archive: title, type, country, round, pages, chunks, sha256, ingested at, version."""
        return [asdict(d) for d in service.archive.documents(include_history=include_history)]

    @api_errors
    def upload(user: str, password: str, files: list[FileData], country: str | None = None,
               round: str | None = None) -> list[dict]:
        """Staff: ingest files of the types the archive reads; one result per file (added, updated, unchanged,
        failed) with its report and the documents it replaced. ``country``/``round`` set every file's identity."""
        service.auth.check(user, password)  # before looking at the files, so a stranger learns nothing about them
        files = [uploaded_file(f) for f in files]
        return [exports.file_result_dict(r) for r in service.upload(user, password, files, None, country, round)]

    @api_errors
    def delete(user: str, password: str, doc_id: str) -> dict:
        """Staff: remove one document and its passages."""
        service.delete(user, password, doc_id)
        return {"deleted": doc_id}

    @api_errors
    def rebuild(user: str, password: str) -> list[dict]:
        """Staff: re-parse and re-embed every document from the archived sources."""
        return [exports.file_result_dict(r) for r in service.rebuild(user, password)]

    for fn in (search, compare, recommendation, recommendations, documents, passage, similar, profile, matrix,
               versions, changes):
        gr.api(fn, api_name=fn.__name__)
    for fn in (upload, delete, rebuild):
        gr.api(fn, api_name=fn.__name__, concurrency_id="staff", concurrency_limit=1)

