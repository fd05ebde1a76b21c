"""A Store of generated passages for the derived caches' tests: no model, no parsing, many documents fast."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from lanzasearch.model import Block, Chunk, Document
from lanzasearch.snapshot_vectors import StoredEmbedding
from lanzasearch.store import Store


class GeneratedStore:
    """One factsheet per name, of generated passages; subclasses say what a passage holds (``block``,
    ``embedding``) and which cache they test. ``names`` are put at once, ``passages`` each."""

    seed = 0

    def __init__(self, folder: Path, names: Iterable[str] = (), passages: int = 40, seed: int | None = None):
        self.folder = folder
        self.store = Store(folder / "archive.sqlite3")
        self.rng = np.random.default_rng(self.seed if seed is None else seed)
        for name in names:
            self.put(name, passages)

    def block(self, name: str, ordinal: int) -> Block:
        raise NotImplementedError

    def embedding(self) -> StoredEmbedding:
        raise NotImplementedError

    def put(self, name: str, passages: int) -> None:
        doc = Document(doc_type="factsheet", title=name, source=f"{name}.md", sha256=name, country=name)
        chunks, hashes, embeddings = [], [], []
        for ordinal in range(passages):
            block = self.block(name, ordinal)
            chunks.append(Chunk(doc.doc_id, ordinal, block, block.text, f"{name} · {block.section}", [block.text]))
            hashes.append(f"{name}-{ordinal}-{self.rng.integers(1 << 30)}")
            embeddings.append(self.embedding())
        self.store.add_version(doc, chunks, hashes, embeddings)

    def remove(self, name: str) -> None:
        self.store.remove_document(f"factsheet-{name.lower()}")
