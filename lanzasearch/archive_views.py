"""The archive's tracker views: recommendations across Parties, a Party's profile, the matrix, versions.

``ArchiveViews`` is a part of ``Archive`` (archive.py), kept apart so each file stays readable;
it reads the store only, through one snapshot per call.
"""

from __future__ import annotations

from typing import Iterable

from .errors import ArchiveError
from .filters import Filters, as_list, normalise_filters
from .matrix import Matrix, build_matrix, check_statuses
from .model import BlockKind, DocType, DocumentInfo, Hit, Recommendation
from .profiles import PartyProfile, build_profile
from .recommendations import build_recommendations, filter_recommendations, parse_rec_id
from .snapshot import Snapshot
from .store import Store
from .versions import VersionChanges, compare_blocks, stored_blocks


class ArchiveViews:
    """Recommendations, profiles, the matrix, Convention articles and document versions of an ``Archive``."""

    store: Store

    def versions(self, doc_id: str) -> list[DocumentInfo]:
        """Every stored version of a document (named by its id or one version's), the current one first."""
        with self.store.snapshot() as snapshot:
            return snapshot.versions(self._series(snapshot, doc_id))

    def _series(self, snapshot: Snapshot, doc_id: str) -> str:
        series = snapshot.series_of(doc_id)
        if series is None:
            known = ", ".join(d.doc_id for d in snapshot.documents() if d.current) or "none"
            raise ArchiveError(f"no document '{doc_id}' in the archive (documents: {known})")
        return series

    def changes(self, doc_id: str, version: int | None = None) -> VersionChanges:
        """What a version (default: the current one) added, changed or removed against the one before, block by block.

        Follow-up actions and promising practices come first. A document's first version has nothing
        to compare with: ``old`` is None and there are no changes.
        """
        with self.store.snapshot() as snapshot:
            series = self._series(snapshot, doc_id)
            versions = snapshot.versions(series)
            if version is None and doc_id != series:
                version = next(v.version for v in versions if v.doc_id == doc_id)
            new = versions[0] if version is None else next((v for v in versions if v.version == version), None)
            if new is None:
                numbers = ", ".join(str(v.version) for v in versions)
                raise ArchiveError(f"{series} has no version {version} (versions: {numbers})")
            old = next((v for v in versions if v.version < new.version), None)
            if old is None:
                return VersionChanges(series, new, None)
            changes = compare_blocks(stored_blocks(snapshot.blocks(old.doc_id)), stored_blocks(snapshot.blocks(new.doc_id)))
        return VersionChanges(series, new, old, changes)

    # -- recommendations and the Convention -----------------------------------------------------

    def recommendations(
        self,
        country: Iterable[str] | str | None = None,
        *,
        sections: Iterable[str] | None = None,
        strengths: Iterable[str] | None = None,
        addressed_to: Iterable[str] | None = None,
        follow_up: str = "any",
    ) -> list[Recommendation]:
        """Every recommendation id in the archive, in report order, with strength, text and follow-ups.

        ``country`` reads only that country's documents (an unknown one raises
        ``UnknownFilterError``). The other filters select among the
        recommendations without changing them: ``sections`` and ``strengths``
        by value, ``addressed_to`` keeps those addressed to any of these
        countries (with all their countries and follow-ups), ``follow_up`` is
        "any", "with" (a follow-up was reported) or "without".
        """
        with self.store.snapshot() as snapshot:
            countries = normalise_filters(snapshot, countries=country).countries
            recs = snapshot.select(Filters(countries=countries, kinds=[BlockKind.RECOMMENDATION.value,
                                                                       BlockKind.GENERIC_RECOMMENDATION.value]))
            boxes = snapshot.select(Filters(countries=countries, kinds=[BlockKind.FOLLOW_UP.value,
                                                                        BlockKind.PROMISING_PRACTICE.value]))
        grouped = build_recommendations([r for r in recs if r.rec_ids], boxes)
        return filter_recommendations(grouped, as_list(sections), as_list(strengths), as_list(addressed_to), follow_up)

    def profile(self, country: str) -> PartyProfile:
        """A Party at a glance: documents and rounds, recommendations by section × strength and follow-up
        status (follow-up content, an empty box, no box), promising practices, Convention articles most cited.

        Its counts are those of ``recommendations(country=…)``.
        """
        recs = self.recommendations(country=country)
        with self.store.snapshot() as snapshot:
            [name] = normalise_filters(snapshot, countries=country).countries or [None]
            if name is None:
                raise ArchiveError("name a Party: the profile is of one country")
            documents = [d for d in snapshot.documents() if d.country == name and d.current]
            empty = {r for _, _, box in snapshot.empty_boxes([name]) if box.kind == BlockKind.FOLLOW_UP.value
                     for r in box.rec_ids}
            passages = snapshot.select(Filters(countries=[name]))
        return build_profile(name, documents, recs, empty, passages)

    def matrix(
        self,
        sections: Iterable[str] | None = None,
        strengths: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        countries: Iterable[str] | None = None,
    ) -> Matrix:
        """Recommendation ids (with section and strength) × the Parties in the archive, each cell a status.

        A cell is "follow_up" (with the text reported), "empty_box", "no_box", "generic" (to all
        Parties, no box of this Party) or "not_addressed" (see ``recommendations.STATUSES``).
        ``statuses`` keeps the rows where some Party's cell has one of them; ``countries`` limits the columns.
        """
        wanted = check_statuses(as_list(statuses))
        with self.store.snapshot() as snapshot:
            columns = normalise_filters(snapshot, countries=countries).countries or sorted(
                {d.country for d in snapshot.documents() if d.country and d.current and d.doc_type == DocType.FACTSHEET})
            empty: dict[str, set[str]] = {}
            for _, country, box in snapshot.empty_boxes(columns):
                if box.kind == BlockKind.FOLLOW_UP.value:
                    empty.setdefault(country, set()).update(box.rec_ids)
        recs = self.recommendations(sections=sections, strengths=strengths)
        return build_matrix(recs, columns, empty, wanted)

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """One recommendation id ("II-6") across the archive, or None when no document has it."""
        wanted = parse_rec_id(rec_id)
        if wanted is None:
            raise ArchiveError(f"'{rec_id}' is not a recommendation id: write it like II-6 (section numeral, dash, number)")
        return next((r for r in self.recommendations() if r.rec_id == wanted), None)

    def article(self, number: str | int) -> Hit | None:
        """The text of a Convention article (all its paragraphs), or None when it is not in the archive."""
        with self.store.snapshot() as snapshot:
            passages = snapshot.select(Filters(kinds=[BlockKind.ARTICLE.value], article_numbers=[str(number)]))
        if not passages:
            return None
        hit = passages[0]
        hit.text = "\n\n".join(p.text for p in passages)
        return hit
