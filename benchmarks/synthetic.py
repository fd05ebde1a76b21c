"""Synthetic archives of any size, written through the real ``Store``, for the scale benchmarks.

Each synthetic document is a copy of the corpus's factsheet for an imaginary
Party ("Country 0042"): the same blocks with the same metadata (kinds,
sections, strengths, recommendation ids), so filters are as selective as in
the real archive, and text varied word by word from the corpus vocabulary, so
FTS5 posting lists have realistic lengths. A passage's vector is its corpus
passage's real embedding, blended with another random corpus passage and moved
by Gaussian noise, then renormalised: it keeps the corpus's topics, and the
hundreds of copies of one corpus passage spread out instead of piling up as
near-ties. (Pure noise around each original, without the blend, gives 855
copies of every passage within ±0.02 of each other at 100k; HNSW then finds
only 0.71 of the exact top 10 at efSearch 128, a degenerate case: a real
archive repeats a generic recommendation once per Party, tens of times.)

Nothing here bypasses the archive: documents go in with
``Store.add_version`` and the FAISS index is built by ``Archive`` on
first use, exactly as for ingested files.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lanzasearch import Archive
from lanzasearch.chunking import chunk_document
from lanzasearch.model import Chunk, Document
from lanzasearch.parsing import parse_file
from lanzasearch.snapshot_vectors import StoredEmbedding
from lanzasearch.store import text_hash

# Bump when the generator changes, so cached archives are rebuilt.
GENERATOR_VERSION = 3
# Share of words replaced by a random corpus word in each synthetic passage.
WORD_SWAP = 0.15
# Noise added to a corpus vector before renormalising: cos(copy, original) ≈ 1/√(1 + s²) ≈ 0.86.
VECTOR_NOISE = 0.6
# Largest weight of the second corpus passage blended into a synthetic passage's vectors.
BLEND = 0.7
# Noise of the synthetic queries around a corpus sentence: cos ≈ 0.7, like a paraphrase.
QUERY_NOISE = 1.0
_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass
class Source:
    """The corpus's factsheet, chunked, with the embeddings the real ingest stored for it."""

    document: Document
    chunks: list[Chunk]
    embeddings: list[StoredEmbedding]
    vocabulary: list[str]


def load_source(archive: Archive, factsheet: Path) -> Source:
    """Parse and chunk the factsheet again and pick up its stored embeddings by text hash."""
    document = parse_file(factsheet)
    chunks = chunk_document(document)
    hashes = [text_hash(archive.model_name, c) for c in chunks]
    with archive.store.snapshot() as snapshot:
        stored = snapshot.cached_embeddings(hashes, archive.dimension)
    missing = [h for h in hashes if h not in stored]
    if missing:
        raise RuntimeError(f"{len(missing)} passages of {factsheet} are not in {archive.path}: ingest it first")
    vocabulary = sorted({w for c in chunks for w in _WORD.findall(c.text)})
    return Source(document, chunks, [stored[h] for h in hashes], vocabulary)


def _vary(text: str, country: str, source_country: str, rng: np.random.Generator, vocabulary: list[str]) -> str:
    text = text.replace(source_country, country)
    words = text.split(" ")
    swap = rng.random(len(words)) < WORD_SWAP
    picks = rng.integers(0, len(vocabulary), len(words))
    return " ".join(vocabulary[p] if s else w for w, s, p in zip(words, swap, picks))


def _noisy(vectors: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(vectors.shape).astype(np.float32) / np.sqrt(vectors.shape[-1])
    moved = vectors + scale * noise
    return moved / np.linalg.norm(moved, axis=-1, keepdims=True)


def synthetic_document(source: Source, number: int, rng: np.random.Generator):
    """(document, chunks, hashes, embeddings) of the number-th imaginary Party's factsheet."""
    country = f"Country {number:04d}"
    doc = copy.copy(source.document)
    doc.country, doc.title, doc.source = country, f"FACTSHEET – {country.upper()}", f"synthetic-{number:04d}.md"
    doc.sha256 = f"synthetic-{GENERATOR_VERSION}-{number}"
    doc.blocks = []
    chunks, hashes, embeddings = [], [], []
    partners = rng.integers(0, len(source.chunks), len(source.chunks))
    weights = rng.uniform(0, BLEND, len(source.chunks)).astype(np.float32)
    for chunk, emb, partner, weight in zip(source.chunks, source.embeddings, partners, weights):
        other = source.embeddings[partner].vector * weight
        sentences = [_vary(s, country, source.document.country, rng, source.vocabulary) for s in chunk.sentences]
        varied = Chunk(
            doc_id=doc.doc_id,
            ordinal=chunk.ordinal,
            block=chunk.block,
            text=" ".join(sentences) or chunk.text,
            context=chunk.context.replace(source.document.country, country),
            sentences=sentences,
        )
        chunks.append(varied)
        hashes.append(text_hash("synthetic", varied))
        embeddings.append(StoredEmbedding(_noisy(emb.vector + other, VECTOR_NOISE, rng),
                                          _noisy(emb.sentences + other, VECTOR_NOISE, rng)))
    return doc, chunks, hashes, embeddings


def build(folder: Path, passages: int, source: Source, embedder, seed: int = 5) -> Path:
    """An archive of about ``passages`` passages in ``folder``, reused when already built by this generator."""
    stamp = folder / "synthetic.json"
    wanted = {"generator": GENERATOR_VERSION, "passages": passages, "seed": seed, "source": len(source.chunks)}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(seed)
    documents = -(-passages // len(source.chunks))
    with Archive.open(folder, create=True, embedder=embedder) as archive:
        for number in range(1, documents + 1):
            archive.store.add_version(*synthetic_document(source, number, rng))
        archive.indexer.refresh()  # build and save the FAISS file once, and the manifest, as the end of an ingest does
    stamp.write_text(json.dumps(wanted))
    return folder


def queries(source: Source, dev: list[tuple[str, np.ndarray]], count: int, seed: int = 7) -> list[tuple[str, np.ndarray]]:
    """The dev queries, then paraphrase-like queries around random corpus sentences, up to ``count``."""
    rng = np.random.default_rng(seed)
    out = list(dev)
    while len(out) < count:
        i = int(rng.integers(len(source.chunks)))
        chunk, emb = source.chunks[i], source.embeddings[i]
        if not chunk.sentences:
            continue
        j = int(rng.integers(len(chunk.sentences)))
        out.append((chunk.sentences[j], _noisy(emb.sentences[j], QUERY_NOISE, rng)))
    return out
