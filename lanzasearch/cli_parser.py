"""The command line's grammar: every command, its arguments and its help (``cli.py`` runs them)."""

from __future__ import annotations

import argparse
import os

from . import MODES, STATUSES, STRENGTHS, BlockKind, formats_label

DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"
DEFAULT_PORT = 7860
EXAMPLES = """
examples:
  lanzasearch ingest corpus/
  lanzasearch search "sexual extortion of children" --kind follow_up
  lanzasearch compare "training for judges" --per-country 2
  lanzasearch recommendations --id II-6
  lanzasearch similar 93 --other-countries
  lanzasearch profile Norway
  lanzasearch matrix --section II --status follow_up
  lanzasearch changes factsheet-norway-r2
"""


def _index_default() -> str:
    return os.environ.get("LANZASEARCH_INDEX", DEFAULT_INDEX)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lanzasearch",
        description="Search the Lanzarote Committee's factsheets and the Lanzarote Convention.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens (recovery, model loading)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description)
        sub.add_argument(
            "--index", default=_index_default(),
            help="archive folder (default: $LANZASEARCH_INDEX or ./index)",
        )
        return sub

    ingest = command(
        "ingest", "add or update documents",
        f"Parse documents: {formats_label()} files; folders are read recursively. Embed their passages and "
        "store them. Unchanged files are skipped by their SHA-256; a changed file becomes the "
        "document's new version in one transaction, the one it replaces kept as history (see "
        "'lanzasearch changes'). A file that fails is reported with its reason and leaves the "
        "archive untouched; the exit status is then 1. Each document's report counts what was understood "
        "(sections, recommendations, boxes, footnotes, pages) and warns when a file looks wrong; a document "
        "that takes the place of one read from another file is named with both files.",
    )
    ingest.add_argument("paths", nargs="*", default=[DEFAULT_CORPUS], help="files or folders (default: corpus/)")
    ingest.add_argument("--rebuild", action="store_true", help="re-embed everything (also to switch models)")
    ingest.add_argument("--model", help="embedding model name or folder (default: the bundled all-MiniLM-L6-v2)")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument(
        "--max-file-mb", type=float,
        help="refuse files larger than this (default: $LANZASEARCH_MAX_FILE_MB or 50)",
    )
    ingest.add_argument(
        "--max-pages", type=int, help="refuse PDFs with more pages (default: $LANZASEARCH_MAX_PAGES or 500)"
    )
    ingest.add_argument(
        "--country",
        help="the Party of every file of this call, over what its title page says (e.g. Norway, Türkiye); "
             "re-ingesting a file stored under a wrongly read Party moves it to this one",
    )
    ingest.add_argument(
        "--round", help="the monitoring round of every file of this call, over what it says (e.g. 2 or 2nd)"
    )
    ingest.add_argument("--json", action="store_true", help="print the per-file report as JSON")

    search = command(
        "search", "find passages",
        "Free-text search over every passage: hybrid (meaning + words, the default), dense or lexical. "
        "Filters apply before the cut to -k results.",
    )
    search.add_argument("query", help="a question or a few words")
    search.add_argument("-k", type=int, default=10, help="number of results (default 10)")
    _add_filters(search)
    search.add_argument("--mode", choices=MODES, default="hybrid", help="retrieval mode")
    search.add_argument("--history", action="store_true", help="also search earlier versions of updated documents")
    search.add_argument("--json", action="store_true", help="print the interpretation and the hits as JSON")
    search.add_argument("--ignore", action="append", default=[], metavar="PART",
                        help="search without this recognised part, e.g. party:Norway (repeatable)")

    similar = command(
        "similar", "passages like one passage, elsewhere",
        "The passages closest in meaning to a stored passage (its chunk_id, shown by `search --json`), ranked by "
        "the vectors already stored: nothing is re-encoded. The passage's own document is left out.",
    )
    similar.add_argument("chunk_id", type=int, help="the passage's id (chunk_id of a search result)")
    similar.add_argument("-k", type=int, default=10, help="number of passages (default 10)")
    similar.add_argument("--country", action="append", help="only this country (repeatable)")
    similar.add_argument("--kind", action="append", help="only this kind of passage (repeatable)")
    similar.add_argument("--other-countries", action="store_true", help="leave out the passage's own country too")
    similar.add_argument("--json", action="store_true", help="print hits as JSON")

    profile = command(
        "profile", "one Party at a glance",
        "A Party's documents and rounds, its recommendations by section and strength, how many have follow-up "
        "content, an empty box or no box, its promising practices and the Convention articles it is cited for most.",
    )
    profile.add_argument("country", help="a Party in the archive, e.g. Norway")
    profile.add_argument("--json", action="store_true", help="print as JSON")

    matrix = command(
        "matrix", "recommendations × Parties",
        "Every recommendation id down the side, the Parties across; each cell says what the Party's factsheet "
        f"shows: {', '.join(f'{key} ({label})' for key, label in STATUSES.items())}.",
    )
    matrix.add_argument("--section", action="append", help="only this section, I to XI (repeatable)")
    matrix.add_argument("--strength", action="append", help="only this strength (repeatable): " + ", ".join(STRENGTHS))
    matrix.add_argument("--status", action="append",
                        help="only rows where some Party's cell has this status (repeatable): " + ", ".join(STATUSES))
    matrix.add_argument("--country", action="append", help="only this Party's column (repeatable)")
    matrix.add_argument("--json", action="store_true", help="print as JSON, with the follow-up texts")

    changes = command(
        "changes", "what an updated document changed",
        "What a version of a document (default: the current one) added, changed or removed against the version "
        "before it, block by block, follow-up actions and promising practices first.",
    )
    changes.add_argument("doc_id", help="document id, e.g. factsheet-norway-r2 (see `lanzasearch docs --history`)")
    changes.add_argument("--version", type=int, help="the version to look at (default: the current one)")
    changes.add_argument("--json", action="store_true", help="print as JSON")

    compare = command(
        "compare", "countries side by side",
        "Each country's best passages for a question, or each country's text and follow-up for a "
        "recommendation id such as II-6.",
    )
    compare.add_argument("query", help="a question, or a recommendation id like II-6")
    compare.add_argument("--country", action="append", help="limit to this country (repeatable)")
    compare.add_argument("--kind", action="append", help="limit to this kind of passage (repeatable)")
    compare.add_argument("--per-country", type=int, default=3, help="passages per country (default 3)")
    compare.add_argument("--json", action="store_true", help="print as JSON")

    recs = command(
        "recommendations", "list recommendations and their follow-ups",
        "Every recommendation id with its strength, section and text, and each country's follow-up actions.",
    )
    recs.add_argument("--id", dest="rec_id", help="one recommendation, e.g. II-6")
    recs.add_argument("--country", help="only this country's recommendations")
    recs.add_argument("--json", action="store_true", help="print as JSON")

    docs = command(
        "docs", "list documents",
        "Documents in the archive with their type, country, pages, chunks and hash, and under each what the "
        "parser understood of it (sections, recommendations, boxes, footnotes) and its warnings.",
    )
    docs.add_argument("--history", action="store_true", help="also list the earlier versions kept as history")
    docs.add_argument("--json", action="store_true", help="print as JSON")

    remove = command(
        "remove", "remove a document",
        "Remove one document with all its versions (see `lanzasearch docs` for ids), or one version of it with "
        "--version. Removing the current version makes the newest earlier one current again.",
    )
    remove.add_argument("doc_id", help="document id, e.g. factsheet-norway-r2")
    remove.add_argument("--version", type=int, help="remove only this version (see `lanzasearch docs --history`)")

    check = command(
        "check", "check the archive's integrity",
        "Check that the vector index and the FTS5 table hold exactly the database's passages, that the "
        "manifest and the vector index file are at the database's generation, that no row points at "
        "nothing, and that every document's source is kept with the bytes that were indexed. The exit "
        "status is 1 when a check fails.",
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    evaluate = command(
        "eval", "score retrieval on a query set",
        "Score each retrieval mode on a JSONL query file (id, query, relevant anchors): hit@1/5/10, "
        "MRR@10, nDCG@10 and the mean length of returned passages.",
    )
    evaluate.add_argument("queries", help="JSONL file of queries")
    evaluate.add_argument("--mode", choices=[*MODES, "all"], default="all")
    evaluate.add_argument("--json", action="store_true", help="print as JSON")

    calibrate = command(
        "calibrate", "choose the weak-match threshold",
        "Choose the weak-match threshold for the archive's model from the best passage's raw dense score of "
        "questions the "
        "archive answers (ON) and of off-topic ones (OFF): the middle of the widest plateau of fewest errors. "
        "--pick-on adds more on-topic questions to choose it from (another language's, say); "
        "--check-on/--check-off count what it flags on questions that were not used to choose it.",
    )
    calibrate.add_argument("on_topic", help="JSONL file of questions the archive answers (the dev set)")
    calibrate.add_argument("off_topic", help="JSONL file of off-topic questions")
    calibrate.add_argument("--pick-on", action="append", default=[],
                           help="more on-topic questions to choose from (e.g. French ones for a multilingual model)")
    calibrate.add_argument("--check-on", action="append", default=[], help="more on-topic questions, to check")
    calibrate.add_argument("--check-off", action="append", default=[], help="more off-topic questions, to check")

    serve = command("serve", "start the web interface", "Start the Gradio interface (loopback unless --host says otherwise).")
    serve.add_argument("--host", default=os.environ.get("LANZASEARCH_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, help=f"default: $LANZASEARCH_PORT or {DEFAULT_PORT}")
    return parser


def _add_filters(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--country", action="append", help="only this country (repeatable)")
    sub.add_argument("--section", action="append", help="only this section, I to XI (repeatable)")
    sub.add_argument(
        "--kind", action="append",
        help="only this kind (repeatable): " + ", ".join(k.value for k in BlockKind),
    )
    sub.add_argument("--strength", action="append", help="only this strength (repeatable): " + ", ".join(STRENGTHS))
