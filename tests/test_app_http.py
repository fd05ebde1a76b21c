"""The research interface over HTTP: the real app in a subprocess, driven with gradio_client.

The app serves a copy of corpus/ plus the fictional Testland and Exampleland
factsheets, so comparisons have several countries. Tests that change the
archive come last in the file and leave what the earlier ones rely on.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from app_fixtures import (  # noqa: F401 - fixtures
    STAFF_PASSWORD, STAFF_USER, app_env, call_raw, client, report_log_on_failure, served_app, start_app, stop_app,
    upload_raw,
)
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow

COUNTRIES = {"Norway", "Testland", "Exampleland"}


def test_named_endpoints_are_published(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/search", "/compare", "/recommendation", "/recommendations", "/documents",
            "/upload", "/delete", "/rebuild"} <= set(endpoints)


# -- search ----------------------------------------------------------------------


def test_search_returns_cited_passages(client):
    hits = client.predict("training for judges and prosecutors", api_name="/search")
    assert len(hits) == 10
    assert [h["rank"] for h in hits] == list(range(1, 11))
    assert all(h["citation"] and h["text"] for h in hits)
    assert {h["country"] for h in hits} & COUNTRIES


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"countries": ["Testland"]}, lambda h: h["country"] == "Testland"),
        ({"sections": ["III"]}, lambda h: h["section"] == "III"),
        ({"kinds": ["follow_up"]}, lambda h: h["kind"] == "follow_up"),
        ({"kinds": ["promising_practice"]}, lambda h: h["kind"] == "promising_practice"),
        ({"kinds": ["article"]}, lambda h: h["kind"] == "article" and h["doc_type"] == "convention"),
        ({"strengths": ["invite"]}, lambda h: h["strength"] == "invite"),
        ({"countries": ["Norway", "Exampleland"], "kinds": ["recommendation"]},
         lambda h: h["country"] in {"Norway", "Exampleland"} and h["kind"] == "recommendation"),
    ],
    ids=["country", "section", "follow-up", "practice", "article", "strength", "combined"],
)
def test_search_filters_apply(client, filters, check):
    hits = client.predict(query="training for judges", k=5, api_name="/search", **filters)
    assert hits and all(check(h) for h in hits)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_search_modes(client, mode):
    hits = client.predict(query="Penal Code section 311", mode=mode, k=3, api_name="/search")
    assert hits and any("311" in h["text"] for h in hits)


def test_search_refuses_empty_query_and_unknown_values(client):
    with pytest.raises(AppError, match="empty query"):
        client.predict(query="   ", api_name="/search")
    with pytest.raises(AppError, match="unknown country 'Atlantis'.*Exampleland, Norway, Testland"):
        client.predict(query="training", countries=["Atlantis"], api_name="/search")
    with pytest.raises(AppError, match="unknown mode"):
        client.predict(query="training", mode="psychic", api_name="/search")


# -- compare and recommendations --------------------------------------------------------


def test_compare_gives_one_column_per_fixture_country(client):
    columns = client.predict("training for judges", api_name="/compare")
    assert set(columns) == COUNTRIES
    assert sum(1 for hits in columns.values() if hits) >= 2
    for country, hits in columns.items():
        assert len(hits) <= 3
        # The default kinds: follow-up actions and promising practices only.
        assert all(h["country"] == country and h["kind"] in {"follow_up", "promising_practice"} for h in hits)


def test_compare_by_recommendation_id_says_who_has_nothing(client):
    columns = client.predict("II-6", api_name="/compare")
    assert {c for c, hits in columns.items() if hits} == {"Norway", "Testland"}
    assert columns["Exampleland"] == []  # recommended to Exampleland, but no follow-up reported
    assert all("II-6" in h["rec_ids"] for hits in columns.values() for h in hits)


def test_compare_kinds_can_be_changed(client):
    columns = client.predict("II-6", kinds=["recommendation"], per_country=1, api_name="/compare")
    assert all(len(hits) == 1 and hits[0]["kind"] == "recommendation" for hits in columns.values())


def test_recommendation_view(client):
    rec = client.predict("II-6", api_name="/recommendation")
    assert rec["rec_id"] == "II-6" and rec["strength"] == "request" and rec["section"] == "II"
    assert set(rec["countries"]) == COUNTRIES and rec["has_follow_up"]
    assert {f["country"] for f in rec["follow_ups"]} == {"Norway", "Testland"}
    cited = client.predict("ii-9", api_name="/recommendation")
    assert cited["articles"] == ["20"] and "pornography" in cited["article_texts"]["20"].lower()
    with pytest.raises(AppError, match="no recommendation XI-99"):
        client.predict("XI-99", api_name="/recommendation")
    with pytest.raises(AppError, match="not a recommendation id"):
        client.predict("hello", api_name="/recommendation")


def test_recommendation_list_filters(client):
    everything = client.predict(api_name="/recommendations")
    with_follow_up = client.predict(follow_up="with", api_name="/recommendations")
    without = client.predict(follow_up="without", api_name="/recommendations")
    assert len(with_follow_up) + len(without) == len(everything) > 50
    assert all(r["has_follow_up"] for r in with_follow_up) and not any(r["has_follow_up"] for r in without)
    testland_invites = client.predict(countries=["Testland"], strengths=["invite"], api_name="/recommendations")
    assert testland_invites and all("Testland" in r["countries"] and r["strength"] == "invite" for r in testland_invites)
    section_x = client.predict(sections=["X"], api_name="/recommendations")
    assert section_x and all(r["section"] == "X" for r in section_x)


def test_documents_list(client):
    docs = client.predict(api_name="/documents")
    assert {d["doc_id"] for d in docs} == {
        "convention", "factsheet-norway-r2", "factsheet-testland-r2", "factsheet-exampleland-r2"}
    norway = next(d for d in docs if d["doc_id"] == "factsheet-norway-r2")
    assert norway["page_count"] == 22 and norway["chunks"] > 50 and len(norway["sha256"]) == 64


# -- similar elsewhere, Party profiles, the matrix, versions ------------------------------------


def test_the_tracker_endpoints_are_published(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/passage", "/similar", "/profile", "/matrix", "/versions", "/changes"} <= set(endpoints)


def test_similar_lists_passages_of_other_parties_by_country(client):
    [practice] = client.predict("restrictions on mobile phones in schools", countries=["Norway"],
                                kinds=["promising_practice"], k=1, api_name="/search")
    found = client.predict(practice["chunk_id"], k=8, api_name="/similar")
    assert found["passage"]["chunk_id"] == practice["chunk_id"]
    assert found["by_country"] and set(found["by_country"]) <= {"Testland", "Exampleland"}
    hits = [h for hits in found["by_country"].values() for h in hits]
    assert len(hits) == 8 and all(h["doc_id"] != practice["doc_id"] for h in hits)
    same_party = client.predict(practice["chunk_id"], k=8, other_countries=False, api_name="/similar")
    assert all(h["doc_id"] != practice["doc_id"] for hits in same_party["by_country"].values() for h in hits)
    assert client.predict(practice["chunk_id"], api_name="/passage")["text"] == practice["text"]
    with pytest.raises(AppError, match="no passage 999999"):
        client.predict(999999, api_name="/similar")


def test_profile_counts_equal_the_recommendation_list(client):
    profile = client.predict("Testland", api_name="/profile")
    recs = client.predict(countries=["Testland"], api_name="/recommendations")
    assert [r["rec_id"] for r in profile["recommendations"]] == [r["rec_id"] for r in recs]
    assert sum(profile["status_counts"].values()) == len(recs)
    assert profile["status_counts"] == {"follow_up": 2, "empty_box": 1, "no_box": 3}
    statuses = {r["rec_id"]: r["status"] for r in profile["recommendations"]}
    assert statuses["II-6"] == "follow_up" and statuses["X-5"] == "empty_box"
    with pytest.raises(AppError, match="unknown country 'Atlantis'"):
        client.predict("Atlantis", api_name="/profile")


def test_matrix_cells_and_filters(client):
    matrix = client.predict(api_name="/matrix")
    assert matrix["countries"] == ["Exampleland", "Norway", "Testland"]
    rows = {r["rec_id"]: r for r in matrix["rows"]}
    norway = rows["II-6"]["cells"]["Norway"]
    assert norway["status"] == "follow_up" and norway["label"] == "follow-up reported"
    assert "Penal Code section 311" in norway["text"]
    assert rows["X-5"]["cells"]["Testland"]["status"] == "empty_box"
    assert rows["X-5"]["cells"]["Exampleland"]["status"] == "not_addressed"
    section_x = client.predict(sections=["X"], strengths=["require"], api_name="/matrix")
    assert section_x["rows"] and all(r["section"] == "X" and r["strength"] == "require" for r in section_x["rows"])
    with pytest.raises(AppError, match="unknown status 'done'"):
        client.predict(statuses=["done"], api_name="/matrix")


def test_a_document_has_one_version_until_it_is_updated(client):
    [only] = client.predict("factsheet-testland-r2", api_name="/versions")
    assert (only["version"], only["current"]) == (1, True)
    first = client.predict("factsheet-testland-r2", api_name="/changes")
    assert first["old"] is None and first["changes"] == []
    with pytest.raises(AppError, match="no document 'nowhere'"):
        client.predict("nowhere", api_name="/versions")


def test_readme_client_example_runs(served_app, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("<!-- gradio-client-example -->", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example.replace("http://127.0.0.1:7860/", served_app.url), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.count("|") == 5 and "request" in out and "'Norway', 'Testland'" in out


# -- source files --------------------------------------------------------------------------


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read()


def test_source_route_opens_kept_files_only(served_app):
    status, kind, body = _get(served_app.url + "source/factsheet-norway-r2")
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")
    status, kind, body = _get(served_app.url + "source/convention")
    assert status == 200 and kind.startswith("text/plain") and b"Article 1" in body
    for bad in ("source/nothing-here", "source/..%2Farchive.sqlite3", "source/..%2F..%2Fetc%2Fpasswd"):
        assert _get(served_app.url + bad)[0] == 404, bad


# -- staff actions -----------------------------------------------------------------------------


def _doc_ids(client) -> set[str]:
    return {d["doc_id"] for d in client.predict(api_name="/documents")}


def _note(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


QUOKKA = "The quokka helpline of Rottnest answers children at night and keeps no records of callers."


@pytest.mark.parametrize(("user", "password"), [("", ""), (STAFF_USER, "wrong"), ("root", STAFF_PASSWORD)])
def test_upload_refuses_bad_credentials(client, tmp_path, user, password):
    note = _note(tmp_path, "quokka.txt", QUOKKA)
    with pytest.raises(AppError, match="wrong staff user name or password"):
        client.predict(user, password, [handle_file(str(note))], api_name="/upload")
    assert all("quokka" not in h["text"] for h in client.predict("quokka helpline", api_name="/search"))


def test_delete_and_rebuild_refuse_bad_credentials(client):
    before = client.predict(api_name="/documents")
    with pytest.raises(AppError, match="wrong staff user name or password"):
        client.predict(STAFF_USER, "wrong", "convention", api_name="/delete")
    with pytest.raises(AppError, match="wrong staff user name or password"):
        client.predict(STAFF_USER, "", api_name="/rebuild")
    assert client.predict(api_name="/documents") == before


def test_upload_search_and_delete(client, served_app, tmp_path):
    note = _note(tmp_path, "quokka-note.txt", QUOKKA)
    wrong_type = _note(tmp_path, "script.sh", "echo hello")
    results = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(note)), handle_file(str(wrong_type))],
                             api_name="/upload")
    by_file = {r["file"]: r for r in results}
    assert by_file["quokka-note.txt"]["status"] == "added"
    assert by_file["script.sh"]["status"] == "failed" and ".pdf" in by_file["script.sh"]["reason"]
    doc_id = by_file["quokka-note.txt"]["doc_id"]

    hits = client.predict("quokka helpline", k=1, api_name="/search")
    assert hits[0]["doc_id"] == doc_id and "Rottnest" in hits[0]["text"]
    again = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(note))], api_name="/upload")
    assert again[0]["status"] == "unchanged"
    assert not any((served_app.index / "uploads").iterdir())  # upload copies are cleaned up after ingest

    assert client.predict(STAFF_USER, STAFF_PASSWORD, doc_id, api_name="/delete") == {"deleted": doc_id}
    assert doc_id not in _doc_ids(client)
    assert all(h["doc_id"] != doc_id for h in client.predict("quokka helpline", api_name="/search"))
    with pytest.raises(AppError, match="no document"):
        client.predict(STAFF_USER, STAFF_PASSWORD, doc_id, api_name="/delete")


ATLANTIS = """COUNCIL OF EUROPE

## FACTSHEET – ATLANTIS

Lanzarote Committee Implementation Report.

## I. Introduction

This factsheet presents the Committee's recommendations on kelp-forest safeguarding of children.

## III. Investigations

The Committee requests the authorities to train kelp-forest rangers on the abuse of children.<sup>1</sup>

<sup>1</sup> Para. 12.
"""


def test_upload_sets_party_and_round_and_reports_what_was_understood_and_replaced(client, tmp_path):
    first = _note(tmp_path, "atlantis.md", ATLANTIS)
    [result] = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(first))], "Iceland", "3rd",
                              api_name="/upload")
    assert (result["status"], result["doc_id"], result["replaced"]) == ("added", "factsheet-iceland-r3", [])
    assert result["report"]["sections"] == 2 and result["report"]["pages"] is None
    assert any("no section II between I and III" in w for w in result["report"]["warnings"])
    assert any("no recommendation ids" in w for w in result["report"]["warnings"])

    second = _note(tmp_path, "atlantis-revised.md", ATLANTIS + "\nRevised in 2025.\n")
    [result] = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(second))], "Iceland", "3",
                              api_name="/upload")
    assert result["status"] == "updated"
    assert [r["message"] for r in result["replaced"]] == [
        "replaced factsheet-iceland-r3 (was atlantis.md, now atlantis-revised.md)"]

    iceland = next(d for d in client.predict(api_name="/documents") if d["doc_id"] == "factsheet-iceland-r3")
    assert (iceland["country"], iceland["round"], iceland["source"]) == ("Iceland", "3", "atlantis-revised.md")
    assert iceland["report"]["missing_sections"] == ["II"] and iceland["overrides"] == {"country": "Iceland", "round": "3"}
    with pytest.raises(AppError, match="round 'soon' is not a monitoring round"):
        client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(first))], None, "soon", api_name="/upload")
    client.predict(STAFF_USER, STAFF_PASSWORD, "factsheet-iceland-r3", api_name="/delete")


def test_uploaded_file_names_cannot_escape_the_upload_folder(served_app, client):
    index = served_app.index
    path = upload_raw(served_app.url, "escape.md", b"# Escape note\n\nA wombat crossing is a zebra crossing for wombats.\n")
    for evil in ("../../escape.md", str(index.parent / "escape.md"), "..\\..\\escape.md"):
        file = {"path": path, "orig_name": evil, "meta": {"_type": "gradio.FileData"}}
        event, data = call_raw(served_app.url, "upload", [STAFF_USER, STAFF_PASSWORD, [file], "", ""])
        assert event == "complete", data
        [outcome] = data[0]
        assert outcome["file"] == "escape.md" and outcome["status"] in {"added", "unchanged"}
        assert not (index.parent / "escape.md").exists() and not (index.parent.parent / "escape.md").exists()
    hits = client.predict("wombat crossing", k=1, api_name="/search")
    assert "wombats" in hits[0]["text"]
    client.predict(STAFF_USER, STAFF_PASSWORD, hits[0]["doc_id"], api_name="/delete")


def test_raw_http_cannot_skip_the_credentials(served_app, client):
    event, _ = call_raw(served_app.url, "delete", ["", "", "convention"])
    assert event == "error"
    assert "convention" in _doc_ids(client)
    # A path outside Gradio's upload cache is refused before our code sees it.
    file = {"path": "/etc/hostname", "orig_name": "hostname.txt", "meta": {"_type": "gradio.FileData"}}
    event, data = call_raw(served_app.url, "upload", [STAFF_USER, STAFF_PASSWORD, [file], "", ""])
    assert event == "error" and "not uploaded by a user" in data["error"]
    assert all(d["source"] != "hostname.txt" for d in client.predict(api_name="/documents"))


def test_searches_answer_while_an_upload_ingests(client, tmp_path):
    # The Markdown version of Norway's factsheet replaces the PDF version: ~100 passages to embed.
    upload = client.submit(STAFF_USER, STAFF_PASSWORD, [handle_file(str(FIXTURES / "factsheet-norway.md"))],
                           api_name="/upload")
    answered_during_ingest = 0
    while not upload.done():
        assert client.predict("Barnahus", k=3, api_name="/search")
        answered_during_ingest += not upload.done()
    [result] = upload.result()
    assert result["status"] == "updated" and result["doc_id"] == "factsheet-norway-r2"
    assert answered_during_ingest >= 1
    norway = next(d for d in client.predict(api_name="/documents") if d["doc_id"] == "factsheet-norway-r2")
    assert norway["source"] == "factsheet-norway.md"


def test_an_uploaded_update_keeps_the_earlier_version_and_says_what_changed(client, tmp_path):
    update = tmp_path / "factsheet-testland.md"
    update.write_bytes((FIXTURES / "factsheet-testland-updated.md").read_bytes())
    [result] = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(update))], api_name="/upload")
    assert (result["status"], result["doc_id"]) == ("updated", "factsheet-testland-r2")
    assert [v["version"] for v in client.predict("factsheet-testland-r2", api_name="/versions")] == [2, 1]
    found = client.predict("factsheet-testland-r2", api_name="/changes")
    assert [(c["status"], c["kind"], c["rec_ids"]) for c in found["changes"]] == [
        ("changed", "follow_up", ["II-6"]), ("added", "follow_up", ["X-5"]), ("removed", "promising_practice", [])]
    assert all(h["version"] == 2 for h in client.predict("Peer Guides", countries=["Testland"], api_name="/search"))
    history = client.predict("Peer Guides programme", mode="lexical", include_history=True, api_name="/search")
    assert any(h["doc_id"] == "factsheet-testland-r2@v1" for h in history)
    assert "factsheet-testland-r2@v1" in {d["doc_id"] for d in client.predict(True, api_name="/documents")}
    assert "factsheet-testland-r2@v1" not in _doc_ids(client)


def test_cli_ingest_in_another_process_is_served_without_restart(client, served_app, tmp_path):
    note = _note(tmp_path, "platypus.md", "# Platypus memo\n\nThe platypus ombudsman visits schools every spring.\n")
    assert all("platypus" not in h["text"].lower() for h in client.predict("platypus ombudsman", api_name="/search"))
    subprocess.run(
        [sys.executable, "-m", "lanzasearch.cli", "ingest", str(note), "--index", str(served_app.index), "--no-progress"],
        check=True, env=app_env(served_app.index), capture_output=True,
    )
    hits = client.predict("platypus ombudsman", k=1, api_name="/search")
    assert "platypus ombudsman" in hits[0]["text"]
    assert any(d["source"] == "platypus.md" for d in client.predict(api_name="/documents"))


# -- an app started before its index exists, without staff credentials ---------------------------


@pytest.fixture(scope="module")
def unbuilt_app(tmp_path_factory, request):
    """The app started on a folder with no index yet, and without staff credentials."""
    root = tmp_path_factory.mktemp("unbuilt-app")
    app = start_app(root / "index", root / "app.log", staff=False)
    failed_before = request.session.testsfailed
    yield app
    stop_app(app.process)
    report_log_on_failure(request, app, failed_before)


def test_app_without_index_says_how_to_build_it_then_serves_it(unbuilt_app):
    client = unbuilt_app.client()
    with pytest.raises(AppError, match=r"no archive in .*lanzasearch ingest corpus/"):
        client.predict("training", api_name="/search")
    with pytest.raises(AppError, match="staff actions are turned off.*LANZASEARCH_ADMIN_USER"):
        client.predict(STAFF_USER, STAFF_PASSWORD, "convention", api_name="/delete")
    subprocess.run(
        [sys.executable, "-m", "lanzasearch.cli", "ingest", str(FIXTURES / "factsheet-testland.md"),
         "--index", str(unbuilt_app.index), "--no-progress"],
        check=True, env=app_env(unbuilt_app.index), capture_output=True,
    )
    hits = client.predict("Peer Guides", k=1, api_name="/search")
    assert hits[0]["country"] == "Testland"
