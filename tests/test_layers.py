"""The package's layers keep their contracts, read from the source itself.

The web package and the CLI use only the public API; SQL lives in the store;
every public method of Archive says what it does; no module outside the
parsers grows past 400 lines; a new reader shows in the CLI and the upload
form without touching them.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import lanzasearch
from conftest import ROOT
from lanzasearch.archive import Archive

PACKAGE = ROOT / "lanzasearch"
INTERNALS = ("lanzasearch.search", "lanzasearch.store", "lanzasearch.vectors", "lanzasearch.parsing")
# The store, its schema and its reads; and FTS5's tokenizer, run on an in-memory database of its own.
STORE_MODULES = {"store.py", "schema.py", "snapshot.py", "snapshot_lexical.py", "snapshot_facets.py", "snapshot_vectors.py",
                 "fts5_tokenizer.py"}
SQL = re.compile(r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|CREATE (?:TABLE|INDEX|VIRTUAL)|PRAGMA)\b")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a file, relative imports resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def web_and_cli() -> list[Path]:
    return sorted((PACKAGE / "web").glob("*.py")) + [PACKAGE / "cli.py"]


@pytest.mark.parametrize("path", web_and_cli(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_web_package_and_the_cli_do_not_reach_past_the_public_api(path):
    reached = [f"line {line}: {name}" for line, name in imports_of(path)
               if any(name == internal or name.startswith(internal + ".") for internal in INTERNALS)]
    assert not reached


@pytest.mark.parametrize("path", sorted((PACKAGE / "web").glob("*.py")), ids=lambda p: p.name)
def test_the_web_package_imports_lanzasearch_only_through_its_root(path):
    own = [(line, name) for line, name in imports_of(path) if name.split(".")[0] == "lanzasearch"]
    # "from lanzasearch import X" is fine when X is exported; "lanzasearch.web…" is the package itself.
    outside = [f"line {line}: {name}" for line, name in own
               if name.startswith("lanzasearch.") and not name.startswith("lanzasearch.web")
               and name.split(".")[1] not in lanzasearch.__all__]
    assert not outside


def test_sql_is_written_only_in_the_store():
    written = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == PACKAGE and path.name in STORE_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                written.setdefault(str(path.relative_to(PACKAGE)), []).append(node.lineno)
    assert not written


def test_every_public_method_of_archive_has_a_docstring():
    public = {name: member for name, member in vars(Archive).items() if not name.startswith("_")}
    undocumented = [name for name, member in public.items()
                    if isinstance(member, (property, classmethod, staticmethod)) or inspect.isfunction(member)
                    if not inspect.getdoc(member.fget if isinstance(member, property) else member)]
    assert public and not undocumented


def test_no_module_outside_the_parsers_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
            if "parsing" not in path.relative_to(PACKAGE).parts
            and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long


def test_the_readers_suffixes_reach_the_cli_and_the_upload_form(tmp_path):
    from lanzasearch.cli import build_parser
    from lanzasearch.parsing import SUPPORTED_SUFFIXES
    from lanzasearch.web.service import StaffAuth
    from lanzasearch.web.tabs import build_app

    assert lanzasearch.SUPPORTED_SUFFIXES == SUPPORTED_SUFFIXES
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    ingest_help = commands.choices["ingest"].format_help()
    assert all(suffix in ingest_help for suffix in SUPPORTED_SUFFIXES)
    blocks = build_app(tmp_path / "index", auth=StaffAuth("staff", "secret"), max_upload_bytes=2**20)
    [upload] = [b for b in blocks.blocks.values() if type(b).__name__ == "File"]
    assert upload.file_types == list(SUPPORTED_SUFFIXES)
    # The label is translated (web/i18n.py); the formats are written beside it, the same in every language.
    texts = [str(b.value) for b in blocks.blocks.values() if type(b).__name__ == "Markdown"]
    assert any(all(suffix in text for suffix in SUPPORTED_SUFFIXES) for text in texts)
