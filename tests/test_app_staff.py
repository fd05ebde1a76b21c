"""Staff actions of the research interface, in process: credentials, upload limits, safe names, rebuild."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from lanzasearch import Archive
from lanzasearch import AccessDenied, ArchiveError
from lanzasearch.web.api import uploaded_file
from lanzasearch.web.service import ArchiveHolder, Service, StaffAuth, safe_upload_name

USER, PASSWORD = "staff", "s3cret"
TESTLAND = FIXTURES / "factsheet-testland.md"


@pytest.fixture
def service(tmp_path, embedder) -> Service:
    """A Service over a small archive of one fixture factsheet, with a 20 kB upload limit."""
    archive = Archive.open(tmp_path / "index", create=True, embedder=embedder)
    assert archive.ingest([TESTLAND]).ok
    return Service(ArchiveHolder.of(archive), StaffAuth(USER, PASSWORD), max_upload_bytes=20_000)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("factsheet-norway.pdf", "factsheet-norway.pdf"),
        ("../../x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\me\\Report.PDF", "Report.pdf"),
        ("..", "upload"),
        (".hidden.md", "hidden.md"),
        ("fact sheet (1);rm -rf.md", "fact_sheet_1_rm_-rf.md"),
        ("", "upload"),
    ],
)
def test_upload_names_are_reduced_to_a_safe_basename(given, expected):
    assert safe_upload_name(given) == expected


def test_credentials():
    with pytest.raises(AccessDenied, match="turned off.*LANZASEARCH_ADMIN_USER"):
        StaffAuth().check(USER, PASSWORD)
    with pytest.raises(AccessDenied, match="turned off"):
        StaffAuth(USER, "").check(USER, "")  # a user without a password does not enable staff actions
    auth = StaffAuth(USER, PASSWORD)
    for user, password in ((USER, "wrong"), ("", ""), (None, None), (PASSWORD, USER)):
        with pytest.raises(AccessDenied, match="wrong staff user name or password"):
            auth.check(user, password)
    auth.check(USER, PASSWORD)


def test_upload_refuses_wrong_types_and_sizes_and_names_files_safely(service, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Wombat note\n\nWombats cross roads at dusk.\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("word " * 10_000, encoding="utf-8")
    results = service.upload(USER, PASSWORD, [(str(note), "../../../evil.md"), (str(big), "big.txt"),
                                              (str(note), "note.exe")])
    by_name = {r.path: r for r in results}
    assert by_name["evil.md"].status == "added"
    assert by_name["big.txt"].status == "failed" and "upload limit" in by_name["big.txt"].reason
    assert by_name["note.exe"].status == "failed" and ".pdf" in by_name["note.exe"].reason
    # The copy the archive keeps is named by document id; nothing named evil.md exists anywhere near.
    assert not list(tmp_path.rglob("evil.md")) and not (tmp_path.parent / "evil.md").exists()
    assert not any(service.uploads.iterdir())
    assert service.archive.search("wombats at dusk", k=1)[0].text.startswith("Wombats")


def test_upload_needs_credentials(service, tmp_path):
    with pytest.raises(AccessDenied):
        service.upload(USER, "nope", [(str(TESTLAND), "x.md")])


def test_rebuild_re_embeds_from_kept_sources(service):
    before = {d.doc_id: d.source for d in service.archive.documents()}
    results = service.rebuild(USER, PASSWORD)
    assert [(r.path, r.status) for r in results] == [("factsheet-testland.md", "updated")]
    assert {d.doc_id: d.source for d in service.archive.documents()} == before


def test_rebuild_refuses_to_drop_documents(service):
    source = service.archive.source_path("factsheet-testland-r2")
    source.write_bytes(b"\xff\xfe not utf-8 \x81")
    with pytest.raises(ArchiveError, match="factsheet-testland-r2 no longer parses"):
        service.rebuild(USER, PASSWORD)
    source.unlink()
    with pytest.raises(ArchiveError, match="source of factsheet-testland-r2 was not kept"):
        service.rebuild(USER, PASSWORD)
    assert [d.doc_id for d in service.archive.documents()] == ["factsheet-testland-r2"]


def test_upload_endpoint_accepts_only_files_in_gradios_upload_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    uploaded = tmp_path / "gradio" / "abc123" / "note.md"
    assert uploaded_file({"path": str(uploaded), "orig_name": "../note.md"}) == (str(uploaded), "../note.md")
    for outside in ("/etc/hostname", str(tmp_path / "gradio" / ".." / "secret.md")):
        with pytest.raises(AccessDenied, match="only files uploaded to this app"):
            uploaded_file({"path": outside, "orig_name": "x.md"})


def test_upload_form_fields_set_party_and_round_and_the_documents_tab_shows_each_report(service, tmp_path):
    from lanzasearch.web import handlers, tables
    from lanzasearch.web.tabs import build_app

    blocks = build_app(service.holder, auth=service.auth, max_upload_bytes=service.max_upload_bytes)
    labels = {getattr(b, "elem_id", None): getattr(b, "label", "") for b in blocks.blocks.values()}
    assert labels["ls-upload-country"].startswith("Party") and labels["ls-upload-round"].startswith("Round")

    copy = tmp_path / "another-testland.md"
    copy.write_text(TESTLAND.read_text(encoding="utf-8").replace("This fictional", "This revised fictional"),
                    encoding="utf-8")
    [result] = service.upload(USER, PASSWORD, [(str(copy), copy.name)], country="Testland", round="2")
    assert result.status == "updated" and result.doc_id == "factsheet-testland-r2"
    shown = tables.ingest_results_html([result])
    assert "replaced factsheet-testland-r2 (was factsheet-testland.md, now another-testland.md)" in shown
    assert "5 sections · 6 recommendations · 2 follow-ups · 1 practice" in shown

    tab = handlers.documents_html(service)
    assert "5 sections · 6 recommendations · 2 follow-ups · 1 practice" in tab and "no pages" in tab
    assert "no section IV, V, VI, VII, IX between I and X" in tab
    assert "3 boxes with a title but no content" in tab
