"""The kind registry: one place names, colours and offers each kind of block; filters, labels and badges follow it."""

from __future__ import annotations

import re

import pytest

from lanzasearch.model import KINDS, BlockKind, DocType
from lanzasearch.web import views
from lanzasearch.web.service import COMPARE_KINDS
from lanzasearch.web.tabs import SEARCH_KINDS


def test_every_kind_is_in_the_registry_in_reading_order():
    assert list(KINDS) == list(BlockKind)
    labels = [info.label for info in KINDS.values()]
    assert len(set(labels)) == len(labels)
    assert all(isinstance(info.doc_type, DocType) for info in KINDS.values())


@pytest.mark.parametrize(("written", "kind"), [
    ("follow_up", BlockKind.FOLLOW_UP), ("Follow-up action", BlockKind.FOLLOW_UP),
    ("follow-up actions", BlockKind.FOLLOW_UP), ("followup", BlockKind.FOLLOW_UP),
    ("Promising practices", BlockKind.PROMISING_PRACTICE), ("convention article", BlockKind.ARTICLE),
    ("Observations", BlockKind.OBSERVATION), ("generic recommendation", BlockKind.GENERIC_RECOMMENDATION),
    ("poem", None), ("", None),
])
def test_a_kind_is_found_by_its_value_label_or_alias(written, kind):
    assert BlockKind.parse(written) is kind


def test_the_interface_offers_the_registrys_kinds_in_its_order():
    assert SEARCH_KINDS == tuple(k.value for k, info in KINDS.items() if info.filter)
    assert "introduction" not in SEARCH_KINDS and "article" in SEARCH_KINDS
    assert COMPARE_KINDS == ("follow_up", "promising_practice")


def test_badges_cards_and_boxes_carry_their_kinds_colour_family():
    assert 'data-tone="orange"' in views.kind_badge("follow_up")
    assert 'data-tone="blue"' in views.kind_badge("promising_practice")
    assert 'data-tone="navy outline"' in views.kind_badge("generic_recommendation")
    assert 'data-tone="grey"' in views.kind_badge("something_new")


def test_the_stylesheet_colours_every_family_the_registry_uses():
    styled = set(re.findall(r'\[data-tone~="([a-z]+)"\]', views.stylesheet()))
    used = {info.colour for info in KINDS.values()} | {"outline"}
    assert used - {"grey"} <= styled  # grey is the default look of a card and a badge
