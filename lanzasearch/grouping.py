"""Text many Parties share: one key per passage at ingest, one result per key at query time.

Every factsheet repeats the Introduction and the generic recommendations with
only the Party's name changed ("The Committee invites all Parties, including
Norway: …"). A passage's *mask key* is a digest of its kind, its
recommendation ids and its text with every name of its Party masked (name,
other names, adjectives: "Norway", "Kingdom of Norway", "Norwegian"); two
passages with the same key say the same thing to two Parties. Passages that
are a Party's own (follow-up actions, promising practices, observations) and
the Convention's get no key and are never grouped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from .model import BlockKind, Chunk
from .parties import PARTIES, canonical_party
from .text import normalize_for_match

if TYPE_CHECKING:
    from .search import Ranked

# Kinds whose text the Committee writes once and sends to several Parties.
SHARED_KINDS = frozenset({BlockKind.INTRODUCTION.value, BlockKind.RECOMMENDATION.value,
                          BlockKind.GENERIC_RECOMMENDATION.value})
PARTY_MASK = "party"


@cache
def _party_pattern(country: str) -> re.Pattern:
    """Every name of one Party (and the name as the archive stores it), longest first, case-blind."""
    canonical = canonical_party(country)
    names = {country}
    for party in PARTIES:
        if party.name == canonical:
            names.update((party.name, *party.other_names, *party.adjectives))
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def masked_text(text: str, country: str) -> str:
    """The text with every name of the Party replaced by one placeholder word, normalised for comparison."""
    return normalize_for_match(_party_pattern(country).sub(f" {PARTY_MASK} ", text))


def mask_key(chunk: Chunk, country: str | None) -> str | None:
    """The key under which this passage is grouped with other Parties' copies; None when it is never grouped."""
    if not country or chunk.block.kind.value not in SHARED_KINDS:
        return None
    digest = hashlib.sha256()
    for part in (chunk.block.kind.value, " ".join(chunk.block.rec_ids), masked_text(chunk.text, country)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def group_ranked(ranked: list["Ranked"], k: int, mask_keys: Callable[[list[int]], dict]) -> tuple[list["Ranked"], set[str]]:
    """The first k results, one per shared text (its best-scoring passage), and the shared-text keys among them.

    The keys are read with ``mask_keys`` for as many passages from the top as the k results need.
    """
    leaders: list[Ranked] = []
    seen: set[str] = set()
    for start in range(0, len(ranked), 4 * k):
        page = ranked[start : start + 4 * k]
        keys = mask_keys([r.chunk_id for r in page])
        for r in page:
            r.mask_key = keys.get(r.chunk_id)
            if r.mask_key is not None:
                if r.mask_key in seen:
                    continue
                seen.add(r.mask_key)
            leaders.append(r)
            if len(leaders) == k:
                return leaders, seen
    return leaders, seen
