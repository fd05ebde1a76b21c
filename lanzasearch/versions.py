"""What an update changed: two versions of one document compared block by block.

Blocks that are word for word the same in both versions are unchanged. Of the
rest, a block of the new version and one of the old are the same block,
changed, when they are of one kind in one section and answer the same
recommendations, or read alike (``SAME_BLOCK_RATIO``); what is left was added
or removed. Follow-up actions and promising practices are listed first: they
are what a Party's update is about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from .model import BlockKind, DocumentInfo, Hit

SAME_BLOCK_RATIO = 0.5  # difflib ratio above which two blocks without recommendation ids are one block, changed
FIRST_KINDS = (BlockKind.FOLLOW_UP.value, BlockKind.PROMISING_PRACTICE.value)


@dataclass
class StoredBlock:
    """A block of a stored version: its passages joined."""

    position: int
    kind: str
    section: str | None
    section_title: str | None
    heading: str | None
    rec_ids: list[str]
    text: str
    page: int | None
    chunk_id: int  # its first passage, for a link


@dataclass
class BlockChange:
    status: str  # added | changed | removed
    kind: str
    section: str | None
    section_title: str | None
    heading: str | None
    rec_ids: list[str]
    old_text: str | None = None
    new_text: str | None = None
    old_page: int | None = None
    new_page: int | None = None
    chunk_id: int | None = None  # the passage in the version it is shown from (new, or old when removed)


@dataclass
class VersionChanges:
    """What ``new`` changed against ``old`` (None for a document's first version: nothing to compare)."""

    doc_id: str
    new: DocumentInfo
    old: DocumentInfo | None
    changes: list[BlockChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {status: sum(c.status == status for c in self.changes) for status in ("added", "changed", "removed")}

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "new": asdict(self.new), "old": asdict(self.old) if self.old else None,
                "counts": self.counts(), "changes": [asdict(c) for c in self.changes]}


def stored_blocks(passages: list[tuple[int, Hit]]) -> list[StoredBlock]:
    """Passages (with their block ordinals, in order) joined into the blocks they were cut from."""
    grouped: dict[int, list[Hit]] = defaultdict(list)
    for ordinal, hit in passages:
        grouped[ordinal].append(hit)
    blocks = []
    for position, hits in enumerate(grouped.values()):
        first = hits[0]
        blocks.append(StoredBlock(position, first.kind, first.section, first.section_title, first.heading,
                                  first.rec_ids, "\n".join(h.text for h in hits), first.page, first.chunk_id))
    return blocks


def _pair_score(old: StoredBlock, new: StoredBlock) -> float | None:
    """How surely two blocks are one block, changed; None when they are not."""
    if old.kind != new.kind or old.section != new.section:
        return None
    if old.rec_ids or new.rec_ids:
        return 2.0 if old.rec_ids == new.rec_ids else None
    ratio = SequenceMatcher(None, old.text, new.text, autojunk=False).ratio()
    return ratio if ratio >= SAME_BLOCK_RATIO else None


def compare_blocks(old: list[StoredBlock], new: list[StoredBlock]) -> list[BlockChange]:
    """The blocks added, changed and removed from ``old`` to ``new``; follow-ups and practices first."""
    unchanged: dict[tuple[str, str | None, str], list[StoredBlock]] = defaultdict(list)
    for block in old:
        unchanged[(block.kind, block.section, block.text)].append(block)
    left_new = []
    for block in new:
        same = unchanged.get((block.kind, block.section, block.text))
        if same:
            same.pop(0)
        else:
            left_new.append(block)
    left_old = [b for blocks in unchanged.values() for b in blocks]
    candidates = sorted(
        ((score, o.position, n.position, o, n) for o in left_old for n in left_new
         if (score := _pair_score(o, n)) is not None),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    changes: list[tuple[int, BlockChange]] = []
    for _, _, _, o, n in candidates:
        if o.position in paired_old or n.position in paired_new:
            continue
        paired_old.add(o.position)
        paired_new.add(n.position)
        changes.append((n.position, _change("changed", n, o, n)))
    changes += [(n.position, _change("added", n, None, n)) for n in left_new if n.position not in paired_new]
    changes += [(o.position, _change("removed", o, o, None)) for o in left_old if o.position not in paired_old]

    def order(item: tuple[int, BlockChange]):
        position, change = item
        first = FIRST_KINDS.index(change.kind) if change.kind in FIRST_KINDS else len(FIRST_KINDS)
        return first, position
    return [change for _, change in sorted(changes, key=order)]


def _change(status: str, shown: StoredBlock, old: StoredBlock | None, new: StoredBlock | None) -> BlockChange:
    return BlockChange(
        status, shown.kind, shown.section, shown.section_title, shown.heading, shown.rec_ids,
        old_text=old.text if old else None, new_text=new.text if new else None,
        old_page=old.page if old else None, new_page=new.page if new else None, chunk_id=shown.chunk_id,
    )
