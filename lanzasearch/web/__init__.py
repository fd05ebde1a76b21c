"""The research interface: a Gradio app over one shared ``Archive``, in layers.

- service.py: what the interface does, plain data in and out (auth, upload checks; no Gradio);
- views.py, tables.py: HTML cards, lists and tables; static/lanzasearch.css: the stylesheet;
- exports.py: CSV and JSON;
- handlers.py: what each control does; tabs.py: the four tabs and their events;
- api.py: the named HTTP endpoints; server.py: FastAPI mount and launch.

The package talks to the rest of Lanzasearch only through its public API
(``lanzasearch/__init__.py``).
"""
