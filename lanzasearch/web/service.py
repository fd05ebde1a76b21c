"""What the interface does, over one shared archive: plain data in, plain data out; no Gradio here.

Staff credentials and upload checks live here too, so the page and the HTTP
API refuse the same things for the same reasons. The UI renders the results
as HTML (views.py), the API returns them as JSON (exports.py). Errors are the
archive's own, all ``LanzasearchError``.
"""

from __future__ import annotations

import hmac
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable

from lanzasearch import (
    SUPPORTED_SUFFIXES,
    AccessDenied,
    Archive,
    ArchiveError,
    ArchiveNotFound,
    EmptyQuery,
    KINDS,
    DocumentInfo,
    FileResult,
    Hit,
    Matrix,
    PartyProfile,
    RebuildRefused,
    Recommendation,
    SearchResults,
    UnknownFilterError,
    VersionChanges,
    env_number,
    formats_label,
)

UPLOADS_DIR = "uploads"
DEFAULT_MAX_UPLOAD_MB = 50
FAILED_LOGIN_DELAY = 1.0  # seconds; slows down password guessing over the API
EXPORT_MAX_AGE = 3600  # seconds an exported CSV/JSON stays on disk
# The kinds compared side by side unless the user picks others: what Parties did about a recommendation.
COMPARE_KINDS = tuple(kind.value for kind, info in KINDS.items() if info.answer)
SIMILAR_K = 12  # passages of other Parties shown for "Similar in other Parties"


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
        """Open the archive and load its model and indexes now, so the first search answers at once."""
        try:
            self.get().warm_up()
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
    ``LanzasearchError``: the archive's own, or ``AccessDenied`` for staff actions.
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

    def search(self, query, countries=None, sections=None, kinds=None, strengths=None, mode="hybrid", k=10,
               history=False, ignore=()) -> SearchResults:
        return self.archive.search(
            query, k=k, countries=countries or None, sections=sections or None,
            kinds=kinds or None, strengths=strengths or None, mode=mode or "hybrid", ignore=ignore or (),
            include_history=bool(history),
        )

    def members(self, hits: Iterable[Hit]) -> dict[int, Hit]:
        """The other Parties' copies of shared texts among these hits, by chunk id."""
        return {h.chunk_id: h for h in self.archive.passages([i for hit in hits for _, i in hit.also_in])}

    def passage(self, chunk_id) -> Hit:
        """One passage by id; ``ArchiveError`` when there is none."""
        return self.archive.passage(chunk_id)

    def similar(self, chunk_id, k: int = SIMILAR_K, other_countries: bool = True,
                countries=None, kinds=None) -> tuple[Hit, dict[str, list[Hit]]]:
        """A passage and the closest passages elsewhere (of other Parties by default), grouped by country, closest first."""
        source = self.archive.passage(chunk_id)
        hits = self.archive.similar(source.chunk_id, k=k, countries=countries or None, kinds=kinds or None,
                                    exclude_same_country=other_countries)
        grouped: dict[str, list[Hit]] = {}
        for hit in hits:
            grouped.setdefault(hit.country or hit.title or hit.doc_id, []).append(hit)
        return source, grouped

    def profile(self, country: str) -> PartyProfile:
        """A Party's profile; ``UnknownFilterError`` names the Parties when it is not one of them."""
        if not (country or "").strip():
            raise ArchiveError("choose a Party")
        return self.archive.profile(country)

    def matrix(self, sections=None, strengths=None, statuses=None, countries=None) -> Matrix:
        return self.archive.matrix(sections=sections or None, strengths=strengths or None,
                                   statuses=statuses or None, countries=countries or None)

    def versions(self, doc_id: str) -> tuple[list[DocumentInfo], list[VersionChanges]]:
        """A document's versions, newest first, and what each one changed against the one before."""
        versions = self.archive.versions(doc_id)
        return versions, [self.archive.changes(doc_id, version=v.version) for v in versions]

    def compare(self, query, countries=None, kinds=None, per_country=3) -> dict[str, list[Hit]]:
        return self.archive.compare(query, countries=countries or None, per_country=per_country,
                                    kinds=list(kinds or COMPARE_KINDS))

    def articles(self, hits: Iterable[Hit] = (), numbers: Iterable[str] = ()) -> dict[str, Hit | None]:
        """The Convention articles cited by these hits (or given by number), with their text."""
        wanted = {a for h in hits for a in h.articles} | set(numbers)
        return {n: self.archive.article(n) for n in sorted(wanted)}

    def recommendations(self, sections=None, strengths=None, countries=None, follow_up="any") -> list[Recommendation]:
        """Every recommendation matching the filters; ``countries`` keeps those addressed to any of them."""
        return self.archive.recommendations(sections=sections, strengths=strengths, addressed_to=countries,
                                            follow_up=follow_up or "any")

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """One recommendation by id ("II-6"), None when no document has it; ``ArchiveError`` for a malformed id."""
        return self.archive.recommendation(rec_id)

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

    def upload(self, user: str, password: str, files: list[tuple[str, str]], progress=None,
               country: str | None = None, round: str | None = None) -> list[FileResult]:
        """Ingest uploaded files given as (temporary path, original name); one result per file, in order.

        ``country`` and ``round``, when given, set the Party and round of every file (``Archive.ingest``).
        """
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
                                                             max_bytes=self.max_upload_bytes,
                                                             country=country or None, round=round or None)
                by_copy = {item.path: item for item in report.files}
                for copy in copies:
                    by_copy[str(copy)].path = copy.name
                outcome = [by_copy[str(item)] if isinstance(item, Path) else item for item in outcome]
        finally:
            shutil.rmtree(batch, ignore_errors=True)
        return outcome

    def _refusal(self, path: Path, name: str) -> str | None:
        """Why an uploaded file is refused before parsing (type or size), or None."""
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            return f"is not a file type the archive reads: upload {formats_label()} files only"
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

        ``Archive.ingest(rebuild=True)`` refuses a rebuild that would drop a
        document, and changes nothing then; the refusal is told here per document.
        """
        self.auth.check(user, password)
        archive = self.archive
        docs = archive.documents()
        if not docs:
            raise ArchiveError("the archive is empty: nothing to rebuild")
        for doc in docs:
            if archive.source_path(doc.doc_id) is None:
                raise ArchiveError(f"cannot rebuild: the source of {doc.doc_id} was not kept; upload it again first")
        try:
            report = archive.ingest([], rebuild=True, progress=progress or False)
        except RebuildRefused as exc:
            first = exc.failed[0]
            raise ArchiveError(f"cannot rebuild: {first.doc_id} no longer parses ({first.reason})") from exc
        return report.files

    def export(self, stem: str, suffix: str, content: str) -> str:
        """Write an export file for download; exports older than an hour are removed on the way."""
        path = self.export_path(stem, suffix)
        path.write_text(content, encoding="utf-8")
        return str(path)

    def export_path(self, stem: str, suffix: str) -> Path:
        """A fresh path for a download (for writers that make the file themselves); old exports are removed."""
        cutoff = time.time() - EXPORT_MAX_AGE
        for old in self.exports.iterdir():
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=self.exports)) / f"{stem}.{suffix}"


def export_stem(kind: str, query: str) -> str:
    """A readable download name: "lanzasearch-search-training-for-judges"."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:40].rstrip("-")
    return f"lanzasearch-{kind}" + (f"-{slug}" if slug else "")


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
