"""One error root: every error a user can fix is a LanzasearchError, shown as one line; anything else is a bug."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

import lanzasearch
from conftest import CONVENTION
from lanzasearch.cli import main

USER_ERRORS = ["AccessDenied", "ArchiveError", "ArchiveNotFound", "ConfigError", "EmptyQuery", "IdentityError", "ModelError",
               "ModelMismatch", "QueryFileError", "RebuildRefused", "SourceError", "StoreError", "UnknownFilterError"]


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", USER_ERRORS)
def test_every_user_fixable_error_is_a_lanzasearch_error(name):
    assert issubclass(getattr(lanzasearch, name), lanzasearch.LanzasearchError)


def test_the_old_import_paths_name_the_same_classes():
    from lanzasearch.archive import ArchiveError, ArchiveNotFound, EmptyQuery, ModelMismatch
    from lanzasearch.embedding import ModelError
    from lanzasearch.parsing import SourceError
    from lanzasearch.search import UnknownFilterError

    assert (ArchiveError, ArchiveNotFound, EmptyQuery, ModelMismatch, ModelError, SourceError, UnknownFilterError) == (
        lanzasearch.ArchiveError, lanzasearch.ArchiveNotFound, lanzasearch.EmptyQuery, lanzasearch.ModelMismatch,
        lanzasearch.ModelError, lanzasearch.SourceError, lanzasearch.UnknownFilterError)


def test_an_archive_from_a_newer_version_is_one_line_not_a_traceback(corpus_index, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    conn = sqlite3.connect(index / "archive.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, err = run(capsys, "docs", "--index", str(index))
    assert code == 1 and len(err) == 1
    assert err[0].startswith("lanzasearch: error: ") and "schema 99 is newer" in err[0] and "upgrade" in err[0]


def test_a_model_that_cannot_be_loaded_is_one_line_and_creates_no_archive(tmp_path, capsys):
    code, err = run(capsys, "ingest", str(CONVENTION), "--index", str(tmp_path / "index"),
                    "--model", str(tmp_path / "no-such-model"), "--no-progress")
    assert code == 1 and len(err) == 1 and "cannot load embedding model" in err[0]
    assert not (tmp_path / "index" / "archive.sqlite3").exists()


def test_a_setting_that_is_not_a_number_is_one_line_naming_it(corpus_index, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANZASEARCH_MAX_FILE_MB", "fifty")
    code, err = run(capsys, "ingest", str(CONVENTION), "--index", str(corpus_index), "--no-progress")
    assert code == 1 and len(err) == 1 and "LANZASEARCH_MAX_FILE_MB='fifty' is not a number" in err[0]


def test_a_missing_query_file_is_one_line(corpus_index, tmp_path, capsys):
    code, err = run(capsys, "eval", str(tmp_path / "nowhere.jsonl"), "--index", str(corpus_index))
    assert code == 1 and len(err) == 1 and "nowhere.jsonl: cannot be read" in err[0]


def test_the_app_shows_every_user_error_and_lets_a_bug_through():
    import gradio as gr

    from lanzasearch.web.api import api_errors
    from lanzasearch.web.handlers import error_message

    newer = lanzasearch.StoreError("index schema 99 is newer than this Lanzasearch (2): upgrade Lanzasearch")
    panel = error_message(newer)
    assert "tone-error" in panel and "upgrade Lanzasearch" in panel

    @api_errors
    def endpoint(exc: Exception):
        raise exc

    with pytest.raises(gr.Error, match="upgrade Lanzasearch"):
        endpoint(newer)
    with pytest.raises(KeyError):  # not a user's error: a bug, with its traceback
        endpoint(KeyError("chunk 7"))
