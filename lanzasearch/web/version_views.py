"""A document's versions and what each update changed, as HTML (the Documents tab)."""

from __future__ import annotations

from difflib import SequenceMatcher

from lanzasearch import DocumentInfo, VersionChanges

from .tables import short_time
from .views import esc, kind_badge, message, paragraphs, section_label


def word_diff(old: str, new: str) -> str:
    """The new text with the words it added marked <ins> and those it dropped <del>."""
    old_words, new_words = old.split(), new.split()
    out: list[str] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{esc(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{esc(' '.join(new_words[b1:b2]))}</ins>")
        if op == "equal":
            out.append(esc(" ".join(old_words[a1:a2])))
    return " ".join(out)


def versions_html(versions: list[DocumentInfo], changes: list[VersionChanges]) -> str:
    """Every version of one document, newest first, then what each update changed (the latest unfolded)."""
    if not versions:
        return message("Choose a document", "Pick a document to see its versions and what each update changed.")
    rows = "".join(
        f"<tr><td><strong>v{d.version}</strong>{' · current' if d.current else ''}</td><td>{esc(d.doc_id)}</td>"
        f"<td>{esc(d.prepared or '—')}</td><td>{esc(d.updated or '—')}</td>"
        f"<td class='ls-nowrap'>{esc(short_time(d.ingested_at))}</td>"
        f"<td class='ls-nowrap'>{esc(short_time(d.replaced_at)) if d.replaced_at else '—'}</td>"
        f"<td>{d.chunks}</td><td><code title='{esc(d.sha256)}'>{esc(d.sha256[:12])}</code></td></tr>"
        for d in versions)
    table = ('<div class="ls-table-wrap"><table class="ls-table"><thead><tr><th>Version</th><th>Stored as</th>'
             "<th>Prepared</th><th>Updated</th><th>Ingested</th><th>Replaced</th><th>Passages</th><th>SHA-256</th>"
             f"</tr></thead><tbody>{rows}</tbody></table></div>")
    updates = [c for c in changes if c.old is not None]
    if not updates:
        return table + '<div class="ls-none">One version only: nothing has changed yet.</div>'
    return table + "".join(changes_html(c, open_=index == 0) for index, c in enumerate(updates))


def changes_html(found: VersionChanges, open_: bool = True) -> str:
    """What one update added, changed or removed, block by block, follow-ups and practices first."""
    counts = ", ".join(f"{n} {status}" for status, n in found.counts().items())
    title = (f"What changed in version {found.new.version}"
             f"{' (updated ' + esc(found.new.updated) + ')' if found.new.updated else ''}"
             f" against version {found.old.version}: {esc(counts)}")
    items = []
    for change in found.changes:
        where = section_label(change.section, change.section_title)
        recs = f" · Rec. {', '.join(change.rec_ids)}" if change.rec_ids else ""
        if change.status == "changed":
            body = f'<div class="ls-text ls-diff">{word_diff(change.old_text or "", change.new_text or "")}</div>'
        else:
            body = paragraphs(change.new_text if change.status == "added" else change.old_text or "")
            body = f'<div class="ls-text">{body}</div>'
        items.append(f'<div class="ls-change change-{esc(change.status)}"><div class="ls-tags">'
                     f'<span class="ls-change-status">{esc(change.status)}</span>{kind_badge(change.kind)}'
                     f'<span class="ls-section">{esc(where)}{esc(recs)}</span></div>{body}</div>')
    body = "".join(items) or '<div class="ls-none">The update changed no block (only the title page or the file).</div>'
    return (f'<details class="ls-changes" {"open" if open_ else ""} data-version="{found.new.version}">'
            f"<summary>{title}</summary>{body}</details>")
