"""Hostile queries: whatever is typed, through the API, the CLI and the app, nothing raises.

Unbalanced quotes, FTS5 operators (AND OR NOT NEAR * ^ - column:), SQL
fragments, empty and whitespace-only queries, a 100 KB query, emoji,
right-to-left text and control characters: each gets passages or a clear
message. An empty query says so; an unknown filter value is reported with the
valid ones, never ignored. The query path is tested with generated input
(hypothesis), the CLI in process, and the app over HTTP with gradio_client.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lanzasearch import Archive, EmptyQuery, UnknownFilterError
from lanzasearch.archive import clean_query
from lanzasearch.cli import main
from lanzasearch.search import MODES

# The shapes that break a naive FTS5 MATCH or a string-built SQL statement.
HOSTILE = [
    '"unbalanced', 'unbalanced"', '""', "'", "AND", "OR", "NOT", "NEAR", "AND OR NOT NEAR", "NEAR(children police, 2)",
    "*", "child*", "*child", "^", "^start", "-", "-minus", "+plus", "text:", "text: police", "context:children",
    "chunks_fts:x", "{text context}: children", "(", "))", "'; drop table chunks; --", "1; DELETE FROM documents",
    "' OR 1=1 --", "%", "_", "\\", "NULL", "🙂", "👩‍👧 children 🙂", "الأطفال الحماية", "שלום ילדים",
    "\u202echildren\u202c", "\ufeffchildren", "\x07children\x1b[31m", "\u200b", "children\u0000police",
    "ｃｈｉｌｄｒｅｎ", "ß", "İstanbul", "a" * 2_000, "Barnahus " * 300,
]
EMPTY = ["", " ", "   ", "\n\t", "\x00\x01\x02", "\u3000", "\r\n", "\x0b\x0c"]
TOKENS = st.sampled_from([
    '"', "'", "AND", "OR", "NOT", "NEAR", "NEAR(", "*", "^", "-", "+", ":", "text:", "context:", "extra:",
    "(", ")", "{", "}", ";", "--", "/*", "*/", "drop table chunks", "children", "Barnahus", "police",
    "II-6", "Article 25", "🙂", "الأطفال", "\u202e", "\x00", "\t", "\u0301",
])
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(TOKENS, max_size=12).map(" ".join),
    st.lists(TOKENS, max_size=12).map("".join),
)
SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])


def is_empty(query: str) -> bool:
    try:
        clean_query(query)
    except EmptyQuery:
        return True
    return False


@pytest.fixture(scope="module")
def archive(corpus_index, embedder):
    with Archive.open(corpus_index, embedder=embedder) as archive:
        yield archive


@pytest.fixture(scope="module")
def intact(archive):
    """What no query may change: the documents and the chunk count."""
    def state():
        with archive.store.snapshot() as snapshot:
            return [(d.doc_id, d.sha256, d.chunks) for d in snapshot.documents()], len(snapshot.chunk_ids())

    before = state()
    yield
    assert state() == before


def check_hits(hits, k: int) -> None:
    assert isinstance(hits, list)
    assert len(hits) <= max(1, min(k, 200))
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(h.text and h.citation for h in hits)


# -- the Python API -----------------------------------------------------------------------------


@SETTINGS
@given(query=QUERIES, mode=st.sampled_from(MODES), k=st.integers(-3, 300))
def test_api_search_never_raises_on_any_query(archive, intact, query, mode, k):
    if is_empty(query):
        with pytest.raises(EmptyQuery, match="empty query: type a question"):
            archive.search(query, k=k, mode=mode)
    else:
        check_hits(archive.search(query, k=k, mode=mode), k)


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:20]))
@pytest.mark.parametrize("mode", MODES)
def test_api_search_answers_hostile_query_syntax(archive, intact, query, mode):
    check_hits(archive.search(query, k=5, mode=mode), 5)


@pytest.mark.parametrize("query", EMPTY, ids=repr)
def test_api_empty_query_gets_a_clear_message(archive, query):
    with pytest.raises(EmptyQuery) as error:
        archive.search(query)
    assert str(error.value) == "empty query: type a question or a few words"
    with pytest.raises(EmptyQuery):
        archive.compare(query)


def test_api_100_kb_query_answers_in_reasonable_time(archive):
    query = ("training for judges on child self-generated images " * 2_000)[:100_000]
    started = time.monotonic()
    hits = archive.search(query, k=5)
    assert time.monotonic() - started < 20
    check_hits(hits, 5)


FILTERS = st.sampled_from(["countries", "sections", "kinds", "strengths"])


@SETTINGS
@given(name=FILTERS, value=st.one_of(st.text(max_size=30), st.sampled_from(
    ["Norway", "norway", "II", "ii.", "XIV", "follow_up", "follow-up", "article", "require", "beg", "Atlantis",
     "'; drop table chunks; --", "%", "*", "NULL", "Norway\x00", "🙂"])))
def test_api_unknown_filter_values_are_reported_never_ignored(archive, intact, name, value):
    assume(value.strip())  # a blank filter value means "no filter"
    try:
        hits = archive.search("children", k=5, **{name: [value]})
    except UnknownFilterError as error:
        message = str(error)
        assert message.startswith(f"unknown {name.rstrip('s').replace('countrie', 'country')} ")
        assert "choose from" in message
    else:  # accepted: then it was a real value, and every hit carries it
        field = {"countries": "country", "sections": "section", "kinds": "kind", "strengths": "strength"}[name]
        assert hits and len({getattr(h, field) for h in hits}) == 1


@FEW
@given(query=QUERIES)
def test_api_compare_never_raises_on_any_query(archive, intact, query):
    if is_empty(query):
        with pytest.raises(EmptyQuery):
            archive.compare(query)
    else:
        result = archive.compare(query, per_country=2)
        assert set(result) == {"Norway"} and len(result["Norway"]) <= 2


# -- the CLI --------------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@FEW
@given(query=QUERIES)
def test_cli_search_never_raises_on_any_query(corpus_index, query):
    code, out, err = run("search", "--json", "-k", "3", "--index", str(corpus_index), "--", query)
    if is_empty(query):
        assert code == 1 and err == "lanzasearch: error: empty query: type a question or a few words\n"
    else:
        assert code == 0 and not err
        assert len(json.loads(out)) <= 3


@pytest.mark.parametrize("query", HOSTILE[::3], ids=lambda q: repr(q[:20]))
def test_cli_search_answers_hostile_query_syntax_in_text_output(corpus_index, query):
    code, out, err = run("search", "-k", "2", "--index", str(corpus_index), "--", query)
    assert code == 0 and not err and out.strip()


def test_cli_empty_query_and_unknown_filter_get_one_line_each(corpus_index):
    code, _, err = run("search", "--index", str(corpus_index), "--", "   ")
    assert code == 1 and err.splitlines() == ["lanzasearch: error: empty query: type a question or a few words"]
    code, _, err = run("search", "children", "--kind", "poem", "--index", str(corpus_index))
    assert code == 1 and len(err.splitlines()) == 1 and "unknown kind 'poem'" in err and "choose from" in err
    code, _, err = run("compare", "children", "--country", "'; drop table chunks; --", "--index", str(corpus_index))
    assert code == 1 and len(err.splitlines()) == 1 and "unknown country" in err


def test_cli_query_starting_with_a_dash(corpus_index, capsys):
    """After `--` any text is a query; without it argparse reads it as an option and says how to call."""
    code, out, _ = run("search", "-k", "2", "--index", str(corpus_index), "--", "-minus sanctions")
    assert code == 0 and out.strip()
    with pytest.raises(SystemExit) as exit_:
        main(["search", "-minus", "--index", str(corpus_index)])
    assert exit_.value.code == 2
    assert "usage: lanzasearch search" in capsys.readouterr().err


# -- the app: its UI handler in process, its HTTP API with gradio_client ----------------------------------


@pytest.fixture(scope="module")
def service(archive):
    from lanzasearch.web.service import ArchiveHolder, Service, StaffAuth

    return Service(ArchiveHolder.of(archive), StaffAuth(), max_upload_bytes=1 << 20)


@FEW
@given(query=QUERIES, mode=st.sampled_from(MODES))
def test_app_ui_search_never_raises_on_any_query(service, query, mode):
    from lanzasearch.web.handlers import ui_search

    html, _, _ = ui_search(service, query, [], [], [], [], mode, 10)
    assert isinstance(html, str) and html
    if is_empty(query):
        assert "Type a question" in html


def test_app_ui_search_reports_unknown_filter_values(service):
    from lanzasearch.web.handlers import ui_search

    html, _, _ = ui_search(service, "children", ["Atlantis"], [], [], [], "hybrid", 10)
    assert "unknown country &#x27;Atlantis&#x27;" in html or "unknown country 'Atlantis'" in html


@pytest.fixture(scope="module")
def http_client(corpus_index, tmp_path_factory):
    from app_fixtures import start_app, stop_app

    root = tmp_path_factory.mktemp("hostile-queries-app")
    shutil.copytree(corpus_index, root / "index")
    app = start_app(root / "index", root / "app.log", staff=False)
    try:
        yield app.client()
    finally:
        stop_app(app.process)


@pytest.mark.slow
def test_app_http_search_answers_every_hostile_query(http_client):
    from gradio_client.exceptions import AppError

    for query in [*HOSTILE, "x" * 100_000]:
        hits = http_client.predict(query=query, k=3, api_name="/search")
        assert isinstance(hits, list) and len(hits) <= 3, query[:40]
    for query in EMPTY:
        with pytest.raises(AppError, match="empty query: type a question"):
            http_client.predict(query=query, api_name="/search")


@pytest.mark.slow
def test_app_http_unknown_filter_values_are_reported(http_client):
    from gradio_client.exceptions import AppError

    for name, value in (("countries", "Atlantis"), ("sections", "XIV"), ("kinds", "poem"), ("strengths", "beg"),
                        ("countries", "'; drop table chunks; --")):
        with pytest.raises(AppError, match="unknown .*choose from"):
            http_client.predict(query="children", api_name="/search", **{name: [value]})
    with pytest.raises(AppError, match="unknown mode"):
        http_client.predict(query="children", mode="'; drop table chunks; --", api_name="/search")
    assert {d["doc_id"] for d in http_client.predict(api_name="/documents")} == {"convention", "factsheet-norway-r2"}


@pytest.mark.slow
@settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_app_http_search_never_fails_on_generated_queries(http_client, query):
    from gradio_client.exceptions import AppError

    if is_empty(query):
        with pytest.raises(AppError, match="empty query"):
            http_client.predict(query=query, api_name="/search")
    else:
        assert isinstance(http_client.predict(query=query, k=3, api_name="/search"), list)
