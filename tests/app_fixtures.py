"""Fixtures for the app tests: the real app in a subprocess, on a free localhost port.

Import the fixtures into a test module (``from app_fixtures import served_app``);
conftest.py stays shared by every module.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

STAFF_USER = "staff"
STAFF_PASSWORD = "correct horse battery staple"
START_TIMEOUT = 300  # seconds: loading the model and Gradio on a machine busy with other work


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServedApp:
    url: str
    index: Path
    process: subprocess.Popen
    log: Path

    def client(self):
        from gradio_client import Client

        return Client(self.url, verbose=False)


def app_env(index: Path, staff: bool = True, **extra: str) -> dict[str, str]:
    """The environment the app runs with: offline, this index, staff credentials unless ``staff=False``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANZASEARCH_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               LANZASEARCH_INDEX=str(index), PYTHONUNBUFFERED="1")
    if staff:
        env.update(LANZASEARCH_ADMIN_USER=STAFF_USER, LANZASEARCH_ADMIN_PASSWORD=STAFF_PASSWORD)
    env.update(extra)
    return env


def start_app(index: Path, log: Path, staff: bool = True, **extra: str) -> ServedApp:
    """``python search_app.py --port N`` against ``index``; returns once it answers HTTP."""
    port = free_port()
    handle = open(log, "wb")
    process = subprocess.Popen(
        [sys.executable, "search_app.py", "--port", str(port)],
        cwd=ROOT, env=app_env(index, staff, **extra), stdout=handle, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return ServedApp(url, index, process, log)
        except OSError:
            time.sleep(0.5)
    stop_app(process)
    raise RuntimeError(f"the app did not answer on {url} within {START_TIMEOUT}s:\n{log.read_text(errors='replace')}")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def report_log_on_failure(request, app: ServedApp, failed_before: int) -> None:
    """Show the end of the app's log when a test of the module failed: the server's side of the story."""
    if request.session.testsfailed > failed_before:
        tail = "\n".join(app.log.read_text(errors="replace").splitlines()[-40:])
        sys.__stderr__.write(f"\n--- last lines of {app.log} ---\n{tail}\n")


@pytest.fixture(scope="module")
def served_app(multi_index, tmp_path_factory, request):
    """The app serving a private copy of the session's multi-country index (corpus/ + fixture factsheets)."""
    root = tmp_path_factory.mktemp("served-app")
    index = root / "index"
    shutil.copytree(multi_index, index)
    app = start_app(index, root / "app.log")
    failed_before = request.session.testsfailed
    yield app
    stop_app(app.process)
    report_log_on_failure(request, app, failed_before)


@pytest.fixture(scope="module")
def browser_app(request):
    """The served app, once we know there is a browser to drive it (so a skip costs nothing)."""
    from screenshots import chromium_path

    if chromium_path() is None:
        pytest.skip("no chromium binary on PATH: install Debian's chromium package to run the browser tests")
    return request.getfixturevalue("served_app")


@pytest.fixture(scope="module")
def client(served_app):
    return served_app.client()


def upload_raw(url: str, name: str, content: bytes) -> str:
    """Put a file in the app's upload cache under a client-chosen file name (no gradio_client); returns its server path."""
    boundary = "access-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{url}gradio_api/upload", data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)[0]


def call_raw(url: str, endpoint: str, data: list) -> tuple[str, object]:
    """A named endpoint over plain HTTP, as any script could call it: (event, data) of the final event."""
    request = urllib.request.Request(f"{url}gradio_api/call/{endpoint}", data=json.dumps({"data": data}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event_id = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{endpoint}/{event_id}", timeout=120) as response:
        lines = response.read().decode().splitlines()
    event = next(line.split(": ", 1)[1] for line in reversed(lines) if line.startswith("event: "))
    payload = next(line.split(": ", 1)[1] for line in reversed(lines) if line.startswith("data: "))
    return event, json.loads(payload)
