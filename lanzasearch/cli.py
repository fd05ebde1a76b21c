"""The ``lanzasearch`` command: a thin layer over ``Archive``.

Human-readable output by default, ``--json`` for machines; exit status 0 on
success, 1 when something failed (a file that could not be ingested, an
unknown filter value), 2 for a malformed command line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

# The public API only (lanzasearch/__init__.py): the CLI is a thin layer over Archive.
from . import (
    STATUSES, STRENGTHS, BlockKind, DocType, DocumentReport, Hit, LanzasearchError, Recommendation,
    Replacement, env_number, identity_override,
)
from .cli_parser import DEFAULT_PORT, build_parser

WEAK_NOTICE = "Nothing answers this closely; nearest passages:"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    if not args.verbose:
        # pypdf warns about every repairable flaw; the one-line reason per file is what users need.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()  # inside the try: a reader gone before the last block was written is a broken pipe
        return status
    except LanzasearchError as exc:  # anything else is a bug, and keeps its traceback
        print(f"lanzasearch: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``| head``): what it did not read is not wanted. Point stdout at
        # /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("lanzasearch: interrupted; the archive keeps its last committed state", file=sys.stderr)
        return 130


def _open(args, **kwargs):
    from . import Archive

    return Archive.open(args.index, **kwargs)


def cmd_ingest(args) -> int:
    identity_override(args.country, args.round)  # a malformed one is refused before an archive is made
    archive = _open(args, create=True, model=args.model, allow_model_change=args.rebuild)
    report = archive.ingest(
        args.paths,
        rebuild=args.rebuild,
        progress=not args.no_progress and sys.stderr.isatty(),
        max_bytes=int(args.max_file_mb * 1024 * 1024) if args.max_file_mb else None,
        max_pages=args.max_pages,
        country=args.country,
        round=args.round,
    )
    if args.json:
        print(json.dumps({"files": [f.to_dict() for f in report.files], "embedded": report.embedded},
                         indent=2, ensure_ascii=False))
    else:
        for f in report.files:
            if f.status == "failed":
                print(f"{f.path}: {f.reason}", file=sys.stderr)
            else:
                print(f"{f.status:9} {f.path} ({f.doc_id}, {f.chunks} passages)")
                print("\n".join(format_report(f.report, f.replaced)))
        print(
            f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.failed)} failed; {report.embedded} passages embedded"
        )
    return 0 if report.ok else 1


def cmd_search(args) -> int:
    archive = _open(args)
    hits = archive.search(
        args.query, k=args.k, countries=args.country, sections=args.section,
        kinds=args.kind, strengths=args.strength, mode=args.mode, ignore=args.ignore, include_history=args.history,
    )
    return _print_hits(args, hits, "no passages match; try other words or fewer filters")


def _print_hits(args, hits: list[Hit], nothing: str) -> int:
    understood = getattr(hits, "understood", None)  # a search's results say how the question was read
    if args.json:
        data = [h.to_dict() for h in hits]
        print(json.dumps({"understood": understood.to_dict(), "hits": data} if understood else data,
                         indent=2, ensure_ascii=False))
        return 0
    if understood and understood.parts:
        keys = ", ".join(p.key for p in understood.parts)
        print(f"understood: {understood.label}  (--ignore one of {keys} to search without it)\n")
    if not hits:
        print(nothing)
    elif getattr(hits, "weak", False):
        print(f"{WEAK_NOTICE}\n")
    for hit in hits:
        print(format_hit(hit))
    return 0


def cmd_similar(args) -> int:
    hits = _open(args).similar(args.chunk_id, k=args.k, countries=args.country, kinds=args.kind,
                               exclude_same_country=args.other_countries)
    return _print_hits(args, hits, "no other passage is close: try without filters")


def cmd_profile(args) -> int:
    profile = _open(args).profile(args.country)
    if args.json:
        print(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"{profile.country}: rounds {', '.join(profile.rounds) or '-'}; "
          + "; ".join(f"{d.doc_id} (v{d.version}, {d.chunks} passages)" for d in profile.documents))
    counts = profile.status_counts()
    print(f"{len(profile.recommendations)} recommendations: {counts['follow_up']} with follow-up content, "
          f"{counts['empty_box']} with an empty box, {counts['no_box']} with no box")
    print(f"\n{'section':8}" + "".join(f"{s:>9}" for s in STRENGTHS) + "".join(f"{STATUSES[s]:>20}" for s in counts))
    by_status = profile.by_section_and_status()
    for section, row in profile.by_section_and_strength().items():
        print(f"{section:8}" + "".join(f"{row.get(s, 0):>9}" for s in STRENGTHS)
              + "".join(f"{by_status[section][s]:>20}" for s in counts))
    print(f"\n{len(profile.practices)} promising practices")
    for hit in profile.practices:
        print(f"  {hit.chunk_id:>6}  {hit.section}. p. {hit.page or '-'}  {textwrap.shorten(hit.text, 90)}")
    if profile.articles:
        print("\nConvention articles cited most: " + ", ".join(f"Art. {a} ({n})" for a, n in profile.articles))
    return 0


def cmd_matrix(args) -> int:
    matrix = _open(args).matrix(sections=args.section, strengths=args.strength, statuses=args.status,
                                countries=args.country)
    if args.json:
        print(json.dumps(matrix.to_dict(), indent=2, ensure_ascii=False))
        return 0
    short = {"follow_up": "follow-up", "empty_box": "empty box", "no_box": "no box", "generic": "generic",
             "not_addressed": "-"}
    print(f"{'rec':8}{'strength':9}" + "".join(f"{c[:14]:>15}" for c in matrix.countries))
    for row in matrix.rows:
        print(f"{row.rec_id:8}{row.strength or '-':9}"
              + "".join(f"{short[row.cells[c].status]:>15}" for c in matrix.countries))
    print(f"({len(matrix.rows)} recommendations; -: not addressed to this Party)")
    return 0


def cmd_changes(args) -> int:
    found = _open(args).changes(args.doc_id, version=args.version)
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return 0
    if found.old is None:
        print(f"{found.doc_id} version {found.new.version} is its first version: nothing to compare")
        return 0
    counts = found.counts()
    print(f"{found.doc_id}: version {found.new.version} ({found.new.updated or found.new.ingested_at}) against "
          f"version {found.old.version} ({found.old.updated or found.old.ingested_at}): "
          + ", ".join(f"{n} {status}" for status, n in counts.items()))
    for change in found.changes:
        where = f"{change.section or '-'}" + (f", Rec. {', '.join(change.rec_ids)}" if change.rec_ids else "")
        print(f"\n{change.status.upper():8} {BlockKind(change.kind).label} ({where})")
        if change.old_text and change.status == "changed":
            print("  was: " + textwrap.shorten(change.old_text, 300))
        text = change.new_text if change.status != "removed" else change.old_text
        print(("  now: " if change.status == "changed" else "  ") + textwrap.shorten(text or "", 300))
    return 0


def format_hit(hit: Hit, indent: str = "   ") -> str:
    where = " › ".join(p for p in (hit.section_title and f"{hit.section}. {hit.section_title}", hit.heading) if p)
    badge = BlockKind(hit.kind).label + (f" ({hit.strength})" if hit.strength else "")
    lines = [f"{hit.rank:>2}. {hit.citation}  [{badge}, score {hit.score:.4f}]"]
    if hit.also_in:
        lines.append(f"{indent}Same text for {', '.join(hit.parties)}")
    if where and hit.doc_type != DocType.CONVENTION:
        lines.append(f"{indent}{where}")
    if hit.articles:
        lines.append(f"{indent}Convention: Art. " + ", ".join(hit.articles))
    for paragraph in hit.text.splitlines():
        lines.extend(textwrap.wrap(paragraph, 100, initial_indent=indent, subsequent_indent=indent + "  "))
    return "\n".join(lines) + "\n"


def cmd_compare(args) -> int:
    archive = _open(args)
    result = archive.compare(args.query, countries=args.country, per_country=args.per_country, kinds=args.kind)
    if args.json:
        print(json.dumps({c: [h.to_dict() for h in hits] for c, hits in result.items()}, indent=2, ensure_ascii=False))
        return 0
    for country, hits in result.items():
        print(f"== {country}")
        if not hits:
            print("   nothing relevant\n")
        for hit in hits:
            print(format_hit(hit))
    return 0


def cmd_recommendations(args) -> int:
    archive = _open(args)
    if args.rec_id:
        rec = archive.recommendation(args.rec_id)
        if rec is None:
            print(f"lanzasearch: error: no recommendation {args.rec_id} in the archive", file=sys.stderr)
            return 1
        recs = [rec]
    else:
        recs = archive.recommendations(country=args.country)
    if args.json:
        print(json.dumps([asdict(r) for r in recs], indent=2, ensure_ascii=False))
        return 0
    for rec in recs:
        print(format_recommendation(rec, full=bool(args.rec_id)))
    return 0


def format_recommendation(rec: Recommendation, full: bool) -> str:
    head = f"{rec.rec_id:7} {rec.strength or '-':8} {', '.join(rec.countries)}  follow-ups: {len(rec.follow_ups)}"
    if not full:
        return head + "\n        " + textwrap.shorten(rec.text.replace("\n", " "), 110)
    lines = [head, f"Section {rec.section}. {rec.section_title}"]
    if rec.articles:
        lines.append("Convention: Art. " + ", ".join(rec.articles))
    lines.extend(textwrap.wrap(rec.text, 100))
    for box in rec.follow_ups:
        lines.append(f"-- follow-up, {box.country} (p. {box.page}):")
        lines.extend(textwrap.wrap(box.text, 100, initial_indent="   ", subsequent_indent="   "))
    for box in rec.practices:
        lines.append(f"-- promising practice, {box.country} (p. {box.page}):")
        lines.extend(textwrap.wrap(box.text, 100, initial_indent="   ", subsequent_indent="   "))
    return "\n".join(lines) + "\n"


def cmd_docs(args) -> int:
    docs = _open(args).documents(include_history=args.history)
    if args.json:
        print(json.dumps([asdict(d) for d in docs], indent=2, ensure_ascii=False))
        return 0
    for d in docs:
        pages = f"{d.page_count} pages" if d.page_count else "no pages"
        version = f"v{d.version}" + ("" if d.current else f", replaced {d.replaced_at[:10]}")
        print(f"{d.doc_id:28} {d.doc_type:10} {d.country or '-':12} {pages:9} {d.chunks:5} passages  "
              f"{d.sha256[:12]}  {d.ingested_at}  {d.source}  ({version})")
        print("\n".join(format_report(d.report)))
    if not docs:
        print("the archive is empty: lanzasearch ingest corpus/")
    return 0


def format_report(report: DocumentReport | None, replaced: list[Replacement] = ()) -> list[str]:
    """A document's report as indented lines: its figures, each warning, each document it replaced."""
    if report is None:
        lines = ["   no report: stored before reports; `lanzasearch ingest --rebuild` reads it again"]
    else:
        lines = [f"   {report.summary}", *(f"   warning: {w}" for w in report.warnings)]
    return lines + [f"   {r.message}" for r in replaced]


def cmd_remove(args) -> int:
    _open(args).remove(args.doc_id, version=args.version)
    print(f"removed {args.doc_id}" + (f" version {args.version}" if args.version else ""))
    return 0


def cmd_check(args) -> int:
    report = _open(args).check()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"{report.path}: generation {report.generation}, {report.documents} documents, "
              f"{report.passages} passages")
        for check in report.checks.values():
            print(f"{'ok' if check.ok else 'FAILED':7} {check.name:13} {check.detail}")
    return 0 if report.ok else 1


def cmd_eval(args) -> int:
    from .evaluation import evaluate, load_queries

    archive = _open(args)
    queries = load_queries(args.queries)
    modes = ["lexical", "dense", "hybrid"] if args.mode == "all" else [args.mode]
    summaries = [evaluate(lambda q, m=m: archive.search(q, k=10, mode=m), queries, m).summary() for m in modes]
    if args.json:
        print(json.dumps(summaries, indent=2))
        return 0
    print(f"{'mode':8} {'hit@1':>6} {'hit@5':>6} {'hit@10':>6} {'MRR@10':>7} {'nDCG@10':>8} {'chars':>6}")
    for s in summaries:
        print(f"{s['mode']:8} {s['hit@1']:6.3f} {s['hit@5']:6.3f} {s['hit@10']:6.3f} {s['mrr@10']:7.3f} "
              f"{s['ndcg@10']:8.3f} {s['chars']:6d}")
    print(f"({summaries[0]['queries']} queries from {Path(args.queries).name})")
    return 0


def cmd_calibrate(args) -> int:
    from .evaluation import load_queries
    from .weakmatch import calibrate

    archive = _open(args)

    def best(path: str) -> list[float]:
        return [archive.search(q.query, k=1).closeness or 0.0 for q in load_queries(path)]

    picked_on = [args.on_topic, *args.pick_on]
    chosen = calibrate([s for path in picked_on for s in best(path)], best(args.off_topic))
    print(f"model {archive.model_name}: weak below {chosen.threshold} "
          f"(plateau {chosen.plateau[0]}–{chosen.plateau[1]}, {chosen.errors} errors on the picking sets)")
    for label, paths, weak_is_right in (("on-topic", [*picked_on, *args.check_on], False),
                                        ("off-topic", [args.off_topic, *args.check_off], True)):
        for path in paths:
            scores = best(path)
            print(f"  {label:9} {Path(path).name}: {chosen.flagged(scores)} of {len(scores)} flagged weak")
    return 0


def cmd_serve(args) -> int:
    from .web.server import serve

    serve(index=args.index, host=args.host, port=args.port or env_number("LANZASEARCH_PORT", DEFAULT_PORT, int))
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "search": cmd_search,
    "compare": cmd_compare,
    "similar": cmd_similar,
    "profile": cmd_profile,
    "matrix": cmd_matrix,
    "changes": cmd_changes,
    "recommendations": cmd_recommendations,
    "docs": cmd_docs,
    "remove": cmd_remove,
    "check": cmd_check,
    "eval": cmd_eval,
    "calibrate": cmd_calibrate,
    "serve": cmd_serve,
}

if __name__ == "__main__":
    sys.exit(main())
