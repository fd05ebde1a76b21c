"""The public API: ``Archive``, a thin façade over writing (indexing.py) and reading (search, archive_views.py).

The CLI and the web interface are thin layers over this class.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from .archive_views import ArchiveViews
from .comparison import columns
from .embedding import Embedder, load_embedder, resolve_model
# The errors are importable from here too, where they were defined before errors.py.
from .errors import ArchiveError, ArchiveNotFound, EmptyQuery, ModelMismatch, UnknownFilterError  # noqa: F401
from .filters import Filters, normalise_filters
from .grouping import group_ranked
from .indexing import DB_NAME, Indexer, Progress, read_manifest
from .integrity import IntegrityReport, check_archive
from .lexical import FTS_WEIGHTS, Bm25Search
from .lexical_cache import LexicalCache
from .model import DocumentInfo, Hit, IngestReport, SearchResults
from .parsing import identity_override
from .parsing.references import roman_to_int
from .recommendations import parse_rec_id
from .schema import SCHEMA_VERSION
from .search import Retriever, check_mode, clean_query
from .sentence_cache import SentenceCache
from .snapshot import Snapshot
from .store import Store
from .understanding import Understander
from .vectors import open_vector_cache
from .weakmatch import match_of

# Below this cosine a passage is not shown as a country's answer in compare().
COMPARE_MIN_SIMILARITY = 0.35
MAX_K = 200
MAX_PER_COUNTRY = 50


@lru_cache(maxsize=8)
def _understander(countries: tuple[str, ...]) -> Understander:
    """One recogniser per set of countries in the archive: it is rebuilt only when a Party comes or goes."""
    return Understander(countries)


class Archive(ArchiveViews):
    """A searchable archive of factsheets in one index folder.

    ``Archive.open("index")`` opens an existing archive; ``create=True`` starts
    one. The embedding model is loaded on first use and shared in the process.
    """

    def __init__(self, path: Path, store: Store, model_name: str, embedder: Embedder | None = None):
        self.path = Path(path)
        self.store = store
        self.model_name = model_name
        self._embedder = embedder
        self.dimension = int(store.meta().get("dimension", 0)) or None
        self.vectors = open_vector_cache(self.path, lambda: self.dimension or self.embedder.dimension)
        self.lexical = LexicalCache(self.path, FTS_WEIGHTS)
        self.sentences = SentenceCache(self.path)
        self.indexer = Indexer(self.path, store, self.vectors, lambda: self.embedder, model_name, self.lexical,
                               self.sentences)

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path = "index",
        *,
        create: bool = False,
        model: str | None = None,
        embedder: Embedder | None = None,
        allow_model_change: bool = False,
    ) -> "Archive":
        """Open the archive in ``path``; ``create=True`` makes it when missing.

        An archive remembers the model that built it. Asking for another model
        raises ``ModelMismatch`` unless ``allow_model_change`` (for a rebuild).
        Leftovers of an interrupted write are cleaned up here, and logged.
        """
        path = Path(path)
        db = path / DB_NAME
        if not db.exists() and not create:
            raise ArchiveNotFound(
                f"no archive in {path}/: build it with `lanzasearch ingest corpus/ --index {path}` (or `make index`)"
            )
        if not db.exists() and embedder is None:
            embedder = load_embedder(model)  # a model that cannot be loaded leaves no empty archive behind
        path.mkdir(parents=True, exist_ok=True)
        store = Store(db)
        stored_model = store.meta().get("model")
        if embedder is not None:
            requested = embedder.name
        else:
            requested = resolve_model(model)[0] if (model or not stored_model) else stored_model
        if stored_model and requested != stored_model and not allow_model_change:
            raise ModelMismatch(
                f"the archive in {path}/ was built with model '{stored_model}', not '{requested}': "
                f"rebuild it with `lanzasearch ingest --rebuild --model {requested}` or use the archive's model"
            )
        archive = cls(path, store, requested, embedder)
        archive.indexer.recover()
        if not stored_model:
            archive.embedder  # learn the dimension now, so the manifest is complete from the start
            store.set_meta({"model": requested, "dimension": str(archive.dimension), "schema": str(SCHEMA_VERSION)})
            archive.indexer.refresh()  # an empty vector index file and the manifest, at the database's generation
        return archive

    def warm_up(self) -> None:
        """Load the model, then the current generation's indexes and facet columns (and the compiled loop
        that scores sentences), so the first search waits for none of them (an app calls this before it listens; loading them in threads side by side
        was slower on two cores)."""
        self.embedder.encode_query("warm-up")
        with self.store.snapshot() as snapshot:
            self.vectors.for_snapshot(snapshot)
            self.sentences.for_snapshot(snapshot, self.dimension).best_held(np.zeros(self.dimension), [])
            self.lexical.for_snapshot(snapshot)
            snapshot.columns()

    def close(self) -> None:
        """Close this thread's database connection (the archive can be opened again)."""
        self.store.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use and shared in the process."""
        if self._embedder is None:
            self._embedder = load_embedder(self.model_name)
        if self.dimension is None:
            self.dimension = self._embedder.dimension
        return self._embedder

    @property
    def generation(self) -> int:
        """The number of committed writes: it moves whenever any process changes the archive."""
        return self.store.generation()

    # -- writing -------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path] = ("corpus",),
        *,
        rebuild: bool = False,
        progress: bool | Progress = False,
        max_bytes: int | None = None,
        max_pages: int | None = None,
        country: str | None = None,
        round: str | int | None = None,
    ) -> IngestReport:
        """Add new files, replace changed ones, skip unchanged bytes; return what happened per file.

        Each document version is written in one transaction. A file that fails
        (unreadable, encrypted, not UTF-8 …) is reported with its reason and
        leaves the archive untouched; the other files are still ingested.
        ``rebuild=True`` re-embeds everything in one transaction, so the
        archive switches to the current model all at once: documents not
        named in ``paths`` (all of them when ``paths`` is empty) are re-read
        from their kept source copies, and if any document cannot be re-read
        the rebuild is refused and nothing changes (``RebuildRefused``, an
        ``ArchiveError``). Files over ``max_bytes`` (default
        $LANZASEARCH_MAX_FILE_MB, 50 MB) or ``max_pages`` (default
        $LANZASEARCH_MAX_PAGES, 500) are refused before they are read.

        ``country`` and ``round`` set the Party and the monitoring round of every
        file of this call, over what its title page says ("Turkey" and "2nd" are
        read as "Türkiye" and "2"); a malformed one raises ``IdentityError``
        before anything is read. The identity set is stored with the document: a
        rebuild applies it again, and re-ingesting the same bytes without one
        keeps it. Bytes already stored as another document (a wrongly detected
        Party) move to the identity set now: the old document is removed in the
        same transaction.

        Each ``FileResult`` carries the parser's ``DocumentReport`` (sections,
        recommendations, boxes, footnotes, pages, warnings) and the stored
        documents the file replaced (``replaced``): a document of the same Party
        and round read from another file, or the same bytes stored under another
        identity. A replacement is never silent.
        """
        identity = identity_override(country, round).as_dict()
        return self.indexer.ingest(paths, rebuild, progress, max_bytes, max_pages, identity)

    def remove(self, doc_id: str, version: int | None = None) -> None:
        """Remove a document with all its versions, or only ``version`` (or the earlier version ``doc_id`` names).

        Removing the current version makes the newest earlier one current again. ``ArchiveError``
        names the stored documents (or versions) when the one asked for is unknown.
        """
        self.indexer.remove(doc_id, version)

    # -- the archive as a whole -------------------------------------------------------

    def documents(self, include_history: bool = False) -> list[DocumentInfo]:
        """Every document in the archive with its chunk count and when it was ingested; earlier versions on request."""
        documents = self.store.documents()
        return documents if include_history else [d for d in documents if d.current]

    def source_path(self, doc_id: str) -> Path | None:
        """The kept copy of a document's source file (PDF or text), if there is one."""
        return self.indexer.source_path(doc_id)

    def manifest(self) -> dict:
        """The archive's manifest.json: model, dimension, schema, generation, vector index, documents."""
        return read_manifest(self.path)

    def check(self) -> IntegrityReport:
        """Check that everything derived from the database is in step with it (integrity.py): the indexes,
        the sentence vectors, the manifest, the references between rows, and the kept sources."""
        with self.store.snapshot() as snapshot:
            return check_archive(self.path, snapshot, self.vectors, self.indexer, self.lexical, self.sentences)

    def facets(self) -> dict[str, list[str]]:
        """The filter values present in the archive: countries, sections, kinds, strengths."""
        with self.store.snapshot() as snapshot:
            return {
                "countries": snapshot.values("country"),
                "sections": sorted(snapshot.values("section"), key=roman_to_int),
                "kinds": snapshot.values("kind"),
                "strengths": snapshot.values("strength"),
            }

    # -- search ------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        countries: Iterable[str] | str | None = None,
        sections: Iterable[str] | str | None = None,
        kinds: Iterable[str] | str | None = None,
        strengths: Iterable[str] | str | None = None,
        mode: str = "hybrid",
        ignore: Iterable[str] = (),
        include_history: bool = False,
    ) -> SearchResults:
        """The k best results for a free-text query, filters applied before the cut.

        The question is understood first (understanding.py): the recommendation
        ids, articles, sections, kinds, strengths and Parties it names bring
        their passages in and up; ``results.understood`` says what was
        recognised, and ``ignore`` lists part keys ("party:Norway") to search
        without: neither interpreted nor searched as words. Text several
        Parties share is one result naming them (``Hit.also_in``), so k
        counts different texts. ``Hit.match`` is "weak" when nothing answers
        the question closely (weakmatch.py).
        ``mode`` is "hybrid" (dense + lexical, fused), "dense" or "lexical".
        Only the current version of each document is searched unless ``include_history``.
        Unknown filter values raise ``UnknownFilterError`` naming the valid ones;
        an empty query raises ``EmptyQuery``.
        """
        query = clean_query(query)
        mode = check_mode(mode)
        k = max(1, min(int(k), MAX_K))
        ignore = tuple(ignore)
        if ignore:  # the parts left out are not read by the model either
            with self.store.snapshot() as snapshot:
                searched = self._understand(snapshot, query, ignore).searched or query
        else:
            searched = query
        query_vector = self.embedder.encode_query(searched) if mode != "lexical" else None
        with self.store.snapshot() as snapshot:
            filters = normalise_filters(snapshot, countries=countries, sections=sections, kinds=kinds, strengths=strengths,
                                        history=include_history)
            return self._search(snapshot, query, query_vector, filters, mode, k, ignore)

    @staticmethod
    def _understand(snapshot: Snapshot, query: str, ignore: Iterable[str] = ()):
        return _understander(tuple(snapshot.values("country"))).understand(query, ignore)

    def passage(self, chunk_id: int) -> Hit:
        """One passage by its id (a hit's ``chunk_id``); ``ArchiveError`` when no passage has it."""
        with self.store.snapshot() as snapshot:
            return self._passage(snapshot, chunk_id)

    @staticmethod
    def _passage(snapshot: Snapshot, chunk_id) -> Hit:
        try:
            found = snapshot.hits([(int(chunk_id), 1.0)])
        except (TypeError, ValueError):
            found = []
        if not found:
            raise ArchiveError(f"no passage {chunk_id!r} in the archive: use the chunk_id of a search result")
        return found[0]

    def similar(
        self,
        chunk_id: int,
        k: int = 10,
        countries: Iterable[str] | str | None = None,
        kinds: Iterable[str] | str | None = None,
        exclude_same_document: bool = True,
        exclude_same_country: bool = False,
    ) -> list[Hit]:
        """The k passages closest in meaning to a stored passage, ranked by their stored vectors (nothing re-encoded).

        The passage's own document is left out unless ``exclude_same_document`` is False;
        ``exclude_same_country`` leaves out its Party too ("similar in other Parties").
        """
        k = max(1, min(int(k), MAX_K))
        with self.store.snapshot() as snapshot:
            source = self._passage(snapshot, chunk_id)
            filters = normalise_filters(snapshot, countries=countries, kinds=kinds)
            if exclude_same_country and source.country:
                filters.countries = [c for c in filters.countries or snapshot.values("country") if c != source.country]
                if not filters.countries:
                    return []
            allowed = snapshot.filtered_ids(filters)
            if exclude_same_document:
                allowed = np.setdiff1d(allowed, snapshot.chunk_ids(source.doc_id), assume_unique=True)
            index = self.vectors.for_snapshot(snapshot)
            ranked = index.search(index.vectors_for([source.chunk_id])[0], k, allowed)
            return snapshot.hits(ranked)

    def _retriever(self, snapshot: Snapshot, dense: bool = True) -> Retriever:
        vectors = self.vectors.for_snapshot(snapshot) if dense else None
        sentences = self.sentences.for_snapshot(snapshot, self.dimension) if dense else None
        lexical = Bm25Search(snapshot, self.lexical.for_snapshot(snapshot), self.lexical.tokenizer(snapshot))
        return Retriever(snapshot, vectors, lexical, self.dimension, sentences=sentences)

    def _search(self, snapshot: Snapshot, query: str, query_vector, filters: Filters, mode: str, k: int,
                ignore: Iterable[str] = ()) -> SearchResults:
        """Search after the encode, inside one snapshot (the benchmarks time this part alone)."""
        retriever = self._retriever(snapshot, dense=mode != "lexical")
        started = retriever.start(query_vector, filters, mode)  # the vector search runs while the question is read
        understood = self._understand(snapshot, query, ignore)
        ranked = retriever.rank_understood(understood, query_vector, filters, mode, started)
        leaders, members = group_ranked(ranked, k, snapshot.mask_keys)
        sharing = snapshot.sharing(members, filters) if members else {}
        hits = snapshot.hits([(r.chunk_id, r.score) for r in leaders])
        by_id = {r.chunk_id: r for r in leaders}
        for hit in hits:
            leader = by_id[hit.chunk_id]
            hit.match = match_of(leader.closeness, self.model_name)
            hit.also_in = [(country, i) for country, i in sharing.get(leader.mask_key, ()) if i != hit.chunk_id]
        return SearchResults(hits, understood, by_id[hits[0].chunk_id].closeness if hits else None)

    def passages(self, chunk_ids: Iterable[int]) -> list[Hit]:
        """The passages with these chunk ids, in that order (ids no longer stored are left out): ``Hit.also_in``'s."""
        with self.store.snapshot() as snapshot:
            return snapshot.hits([(int(i), 1.0) for i in chunk_ids])

    def compare(
        self,
        query: str,
        countries: Iterable[str] | None = None,
        per_country: int = 3,
        kinds: Iterable[str] | None = None,
        mode: str = "hybrid",
    ) -> dict[str, list[Hit]]:
        """Each country's best passages for a query or a recommendation id, side by side.

        One column per Party and language (``comparison.columns``): "Norway", "Norway (fr)".
        A recommendation id ("II-6") gives each country's recommendation text
        and follow-up actions for it. A free-text query gives each country's best
        passages; a country with nothing relevant maps to an empty list.
        """
        query = clean_query(query)
        mode = check_mode(mode)
        per_country = max(1, min(int(per_country), MAX_PER_COUNTRY))
        rec_id = parse_rec_id(query)
        query_vector = None if rec_id else self.embedder.encode_query(query)
        with self.store.snapshot() as snapshot:
            base = normalise_filters(snapshot, countries=countries, kinds=kinds)
            result: dict[str, list[Hit]] = {}
            for label, country, doc_ids in columns(snapshot.documents(), base.countries):
                filters = Filters(countries=[country], doc_ids=doc_ids, kinds=base.kinds)
                if rec_id:
                    filters.rec_ids = [rec_id]
                    result[label] = snapshot.select(filters)[:per_country]
                    continue
                hits = self._search(snapshot, query, query_vector, filters, mode, per_country * 3)
                result[label] = self._relevant(snapshot, hits, query_vector)[:per_country]
            return result

    def _relevant(self, snapshot: Snapshot, hits: list[Hit], query_vector: np.ndarray) -> list[Hit]:
        """Hits close enough in meaning, as a whole or by one sentence; the rest is noise in a comparison."""
        if not hits:
            return []
        retriever = self._retriever(snapshot)
        ids = [h.chunk_id for h in hits]
        whole = retriever.similarities(query_vector, ids)
        best = retriever.best_sentences(query_vector, ids)
        keep = [h for h in hits if max(whole[h.chunk_id], best.get(h.chunk_id, -1.0)) >= COMPARE_MIN_SIMILARITY]
        for rank, hit in enumerate(keep, start=1):
            hit.rank = rank
        return keep
