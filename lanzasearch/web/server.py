"""Serving the interface: the Gradio app mounted in FastAPI beside /source/<doc_id>, run by uvicorn.

``serve()`` starts even before the index is built and picks it up, and any
later ingest, without a restart.
"""

from __future__ import annotations

import os
from pathlib import Path

import gradio as gr

from lanzasearch import Archive, ArchiveNotFound, reader_for

from . import views
from .i18n import I18N, LOCALE_SCRIPT
from .service import ArchiveHolder, StaffAuth, max_upload_mb
from .tabs import build_app


def theme() -> gr.themes.Base:
    """A calm theme with system fonts: nothing is fetched from the internet."""
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.blue,
        neutral_hue=gr.themes.colors.slate,
        font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def create_server(
    archive_or_index: "Archive | ArchiveHolder | str | Path",
    *,
    auth: StaffAuth | None = None,
    max_upload_bytes: int | None = None,
):
    """A FastAPI app: the Gradio interface at / and the archived source files at /source/<doc_id>."""
    from fastapi import FastAPI, HTTPException
    from fastapi.responses import FileResponse

    holder = ArchiveHolder.of(archive_or_index)
    limit = max_upload_bytes if max_upload_bytes is not None else max_upload_mb() * 2**20
    blocks = build_app(holder, auth=auth, max_upload_bytes=limit)
    app = FastAPI(title="Lanzasearch", docs_url=None, redoc_url=None)

    @app.get("/source/{doc_id}")
    def source(doc_id: str):
        """The archived source of a document; only ids the archive knows, so no path is ever built from input."""
        try:
            archive = holder.get()
        except ArchiveNotFound:
            raise HTTPException(404, "the archive is not built yet") from None
        if doc_id not in {d.doc_id for d in archive.documents()}:
            raise HTTPException(404, f"no document {doc_id!r} in the archive")
        path = archive.source_path(doc_id)
        if path is None:
            raise HTTPException(404, f"the source file of {doc_id} was not kept")
        reader = reader_for(path.name)  # the kept copy keeps its suffix: the registry knows its media type
        media = reader.media_type if reader else "application/octet-stream"
        return FileResponse(path, media_type=media, filename=path.name, content_disposition_type="inline")

    _locale_first(app)
    app = gr.mount_gradio_app(
        app, blocks, path="/", theme=theme(), css=views.stylesheet(), max_file_size=limit, footer_links=["api"],
        i18n=I18N,
    )
    # Gradio only checks that a request's input files were uploaded by a user (not any path on
    # the server) once ``has_launched`` is set, which launch() does and mount_gradio_app() does not.
    blocks.has_launched = True
    return app


def _locale_first(app) -> None:
    """Put i18n.LOCALE_SCRIPT first in the page's <head>, so ``?lang=`` is set before Gradio's frontend starts.

    Gradio adds a ``head=`` only once its config has loaded, too late for the language it starts in.
    """
    from fastapi import Request
    from fastapi.responses import Response

    @app.middleware("http")
    async def locale_first(request: Request, call_next):
        response = await call_next(request)
        if request.url.path != "/" or "text/html" not in response.headers.get("content-type", ""):
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        body = body.replace(b"<head>", b"<head>" + LOCALE_SCRIPT.encode(), 1)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(body, status_code=response.status_code, headers=headers)


def serve(index: str | Path = "index", host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the interface on host:port (loopback by default) until interrupted."""
    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    holder = ArchiveHolder(index)
    holder.warm_up()
    app = create_server(holder)
    auth = StaffAuth.from_env()
    print(f"Lanzasearch on http://{host}:{port}/  (index: {index}; staff actions "
          f"{'enabled' if auth.configured else 'off: set LANZASEARCH_ADMIN_USER and LANZASEARCH_ADMIN_PASSWORD'})",
          flush=True)
    # Open browser tabs keep event streams alive; do not let them hold a Ctrl-C for ever.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)

