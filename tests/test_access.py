"""Access: staff actions need valid credentials over the UI and the HTTP API alike; the app is private by default.

The real app runs in a subprocess (``python search_app.py``) with staff
credentials set and its own Gradio upload folder. Staff actions (upload,
delete, rebuild) are called with gradio_client through the named API
endpoints, and through the UI's own event handlers over Gradio's queue exactly
as the browser calls them, so hiding a button is never what protects them.
Uploaded names cannot leave the upload folder, the app listens on loopback
unless told otherwise, and no code path loads pickles or other executable
formats.
"""

from __future__ import annotations

import ast
import json
import socket
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from app_fixtures import STAFF_PASSWORD, STAFF_USER, call_raw, start_app, stop_app, upload_raw
from conftest import FIXTURES, ROOT
from lanzasearch import Archive
from lanzasearch.web.i18n import EN

TESTLAND = FIXTURES / "factsheet-testland.md"
EXAMPLELAND = FIXTURES / "factsheet-exampleland.md"
BAD_CREDENTIALS = [("", ""), (STAFF_USER, "wrong"), ("intruder", STAFF_PASSWORD), (STAFF_USER, ""), (None, None)]
REFUSAL = "wrong staff user name or password"
I18N_MARK = "__i18n__"  # how Gradio's config carries a gr.I18n key


@pytest.fixture(scope="module")
def app(tmp_path_factory, embedder):
    """The app over a small archive (two fictional factsheets), staff credentials on."""
    root = tmp_path_factory.mktemp("access")
    with Archive.open(root / "index", create=True, embedder=embedder) as archive:
        assert archive.ingest([TESTLAND, EXAMPLELAND]).ok
    served = start_app(root / "index", root / "app.log", staff=True, GRADIO_TEMP_DIR=str(root / "gradio-uploads"))
    served.gradio_folder = root / "gradio-uploads"
    served.root = root
    yield served
    stop_app(served.process)


@pytest.fixture(scope="module")
def client(app):
    return app.client()


def documents(client) -> list[dict]:
    return client.predict(api_name="/documents")


def file_data(path: str, orig_name: str) -> dict:
    return {"path": path, "orig_name": orig_name, "meta": {"_type": "gradio.FileData"}}


def shown(value):
    """A button's English label as the page shows it: a gr.I18n key is looked up in the English catalogue."""
    if isinstance(value, str) and value.startswith(I18N_MARK):
        return EN[json.loads(value[len(I18N_MARK):])["key"]]
    return value


class Session:
    """A browser session: the UI's event handlers called over Gradio's queue, by their button."""

    def __init__(self, url: str):
        self.url = url
        self.hash = uuid.uuid4().hex
        with urllib.request.urlopen(f"{url}config", timeout=30) as response:
            config = json.load(response)
        self.components = {c["id"]: c for c in config["components"]}
        self.dependencies = config["dependencies"]

    def event(self, label: str) -> dict:
        """The dependency a click on the button labelled ``label`` triggers."""
        for dependency in self.dependencies:
            for target, event in dependency["targets"]:
                value = self.components.get(target, {}).get("props", {}).get("value")
                if event == "click" and shown(value) == label:
                    return dependency
        raise LookupError(f"no button {label!r}")

    def call(self, dependency: dict, data: list) -> dict:
        body = {"data": data, "event_data": None, "fn_index": dependency["id"],
                "trigger_id": dependency["targets"][0][0], "session_hash": self.hash}
        request = urllib.request.Request(f"{self.url}gradio_api/queue/join", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).read()
        with urllib.request.urlopen(f"{self.url}gradio_api/queue/data?session_hash={self.hash}", timeout=120) as stream:
            for line in stream:
                line = line.decode().strip()
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        return message["output"]
        raise AssertionError("the event never completed")

    def open_documents_tab(self) -> None:
        """What the page does on load: fill the choices (the document list among them) for this session."""
        refresh = self.event("↻ Refresh")
        self.call(refresh, [self.components[i]["props"].get("value") for i in refresh["inputs"]])


# -- staff actions: the HTTP API ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("user", "password"), BAD_CREDENTIALS, ids=lambda v: repr(v))
def test_staff_api_endpoints_refuse_without_valid_credentials(client, tmp_path, user, password):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    before = documents(client)
    note = tmp_path / "intruder-note.md"
    note.write_text("# Intruder note\n\nA quokka wrote this note to get into the archive.\n", encoding="utf-8")
    with pytest.raises(AppError, match=REFUSAL):
        client.predict(user, password, [handle_file(str(note))], api_name="/upload")
    with pytest.raises(AppError, match=REFUSAL):
        client.predict(user, password, "factsheet-testland-r2", api_name="/delete")
    with pytest.raises(AppError, match=REFUSAL):
        client.predict(user, password, api_name="/rebuild")
    assert documents(client) == before


@pytest.mark.slow
def test_staff_api_endpoints_work_with_valid_credentials(client, tmp_path):
    from gradio_client import handle_file

    note = tmp_path / "staff-note.md"
    note.write_text("# Staff note\n\nThe numbat ombudsman visits schools in spring.\n", encoding="utf-8")
    [result] = client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(note))], api_name="/upload")
    assert result["status"] == "added"
    assert client.predict(STAFF_USER, STAFF_PASSWORD, result["doc_id"], api_name="/delete") == {"deleted": result["doc_id"]}
    assert result["doc_id"] not in {d["doc_id"] for d in documents(client)}


# -- staff actions: the UI's own handlers, called as the browser calls them -------------------------


def _text(output: dict) -> str:
    return json.dumps(output.get("data", output), ensure_ascii=False)


@pytest.mark.slow
def test_staff_ui_actions_refuse_without_valid_credentials(app, client):
    before = documents(client)
    session = Session(app.url)
    session.open_documents_tab()
    uploaded = upload_raw(app.url, "intruder.md", b"# Intruder\n\nA quokka wrote this to get in.\n")
    upload, delete, rebuild = (session.event(b) for b in ("Upload and ingest", "Delete document", "Rebuild index"))
    for user, password in BAD_CREDENTIALS[:3]:
        for dependency, data in ((upload, [user, password, [file_data(uploaded, "intruder.md")], "", ""]),  # no Party, no round
                                 (delete, [user, password, "factsheet-testland-r2"]),
                                 (rebuild, [user, password])):
            output = _text(session.call(dependency, data))
            assert "Not allowed" in output and REFUSAL in output, output[:300]
    assert documents(client) == before
    # The same handler with the right credentials does act: the refusal above was the credentials'.
    output = _text(session.call(delete, [STAFF_USER, STAFF_PASSWORD, "factsheet-exampleland-r2"]))
    assert "Not allowed" not in output
    assert "factsheet-exampleland-r2" not in {d["doc_id"] for d in documents(client)}
    from gradio_client import handle_file

    client.predict(STAFF_USER, STAFF_PASSWORD, [handle_file(str(EXAMPLELAND))], api_name="/upload")
    assert {d["doc_id"] for d in documents(client)} == {d["doc_id"] for d in before}


# -- uploads stay in the upload folder ---------------------------------------------------------------


def _pdf(text: str) -> bytes:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.slow
def test_uploaded_names_cannot_escape_the_upload_folder(app, client, tmp_path):
    index = app.index
    absolute = tmp_path / "outside" / "x.pdf"
    absolute.parent.mkdir()
    escapes = ["../../x.pdf", "../../../../../../tmp/x.pdf", str(absolute), "..\\..\\x.pdf", "/etc/x.pdf"]
    watched = [index.parent / "x.pdf", index.parent.parent / "x.pdf", index / "x.pdf", absolute, Path("/tmp/x.pdf"),
               Path("/etc/x.pdf"), app.gradio_folder.parent / "x.pdf"]
    assert not any(p.exists() for p in watched)
    for number, evil in enumerate(escapes):
        # Gradio's own upload route keeps the file inside its upload folder, whatever name the client sends …
        stored = Path(upload_raw(app.url, evil, _pdf(f"Escape attempt number {number} by a wombat")))
        assert stored.resolve().is_relative_to(app.gradio_folder.resolve()), stored
        # … and the staff upload endpoint reduces the original name to a bare file name in the index's folder.
        event, data = call_raw(app.url, "upload", [STAFF_USER, STAFF_PASSWORD, [file_data(str(stored), evil)], "", ""])
        assert event == "complete", data
        [result] = data[0]
        assert result["file"] == "x.pdf" and result["status"] == "added", result
        client.predict(STAFF_USER, STAFF_PASSWORD, result["doc_id"], api_name="/delete")
    assert not any(p.exists() for p in watched)
    uploads = index / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.slow
def test_upload_refuses_server_files_that_were_not_uploaded(app, client):
    """A request naming a file on the server (the archive's own database, a system file) ingests nothing."""
    before = documents(client)
    for path in (app.index / "archive.sqlite3", Path("/etc/hostname"), app.root / "app.log"):
        event, data = call_raw(app.url, "upload", [STAFF_USER, STAFF_PASSWORD, [file_data(str(path), "notes.md")], "", ""])
        assert event == "error", data
    assert documents(client) == before


# -- the app is private unless told otherwise ------------------------------------------------------------


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as the kernel writes them) of sockets listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, _, state = row.split()[1:4]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def _own_addresses() -> set[str]:
    addresses = set()
    try:
        addresses |= {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    try:
        with open("/proc/net/fib_trie") as trie:
            lines = trie.read().splitlines()
        addresses |= {lines[i - 1].split()[-1] for i, line in enumerate(lines) if "/32 host LOCAL" in line}
    except OSError:
        pass
    return {a for a in addresses if not a.startswith("127.")}


@pytest.mark.slow
def test_app_binds_to_loopback_by_default(app):
    port = int(app.url.rsplit(":", 1)[1].strip("/"))
    assert _listening(port) == ["0100007F"], "the app listens beyond 127.0.0.1"
    for address in _own_addresses():
        with socket.socket() as sock:
            sock.settimeout(2)
            assert sock.connect_ex((address, port)) != 0, f"the app answers on {address}"


def test_serve_defaults_to_loopback(monkeypatch):
    from lanzasearch.cli import build_parser

    monkeypatch.delenv("LANZASEARCH_HOST", raising=False)
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    import inspect

    from lanzasearch.web.server import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


# -- nothing executable is loaded ---------------------------------------------------------------------------

UNSAFE_MODULES = {"pickle", "cPickle", "dill", "joblib", "shelve", "marshal", "cloudpickle", "_pickle"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}


def _sources() -> list[Path]:
    return sorted((ROOT / "lanzasearch").rglob("*.py")) + [ROOT / "ingest.py", ROOT / "search_app.py"]


def test_nothing_loads_pickles_or_executable_formats_from_user_files():
    problems = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                problems += [f"{where}:{node.lineno} imports {a.name}" for a in node.names
                             if a.name.split(".")[0] in UNSAFE_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
                problems.append(f"{where}:{node.lineno} imports from {node.module}")
            elif isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
                if name in UNSAFE_CALLS:
                    problems.append(f"{where}:{node.lineno} calls {name}()")
                if name.endswith("torch.load"):
                    problems.append(f"{where}:{node.lineno} calls torch.load")
                if name in ("np.load", "numpy.load") and keywords.get("allow_pickle") != "False":
                    problems.append(f"{where}:{node.lineno} calls np.load without allow_pickle=False")
                if name.endswith("yaml.load") or name.endswith("yaml.unsafe_load"):
                    problems.append(f"{where}:{node.lineno} calls {name}")
                if name.endswith("read_index") and path.name != "vectors.py":
                    problems.append(f"{where}:{node.lineno} reads a FAISS file outside the index cache")
                if keywords.get("shell") == "True":
                    problems.append(f"{where}:{node.lineno} runs a shell")
    assert not problems


def test_the_bundled_model_is_loaded_from_safetensors_not_a_pickle():
    from lanzasearch.embedding import resolve_model

    folder = Path(resolve_model(None)[1])
    weights = {p.name for p in folder.rglob("*") if p.suffix in (".safetensors", ".bin", ".pt", ".pkl", ".pickle")}
    assert "model.safetensors" in weights
    assert not weights - {"model.safetensors"}, f"pickle-based weights beside the safetensors: {weights}"
