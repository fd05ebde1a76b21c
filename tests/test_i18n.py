"""The English and French catalogue: same keys, every key the app uses present, French really French."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from lanzasearch import BlockKind
from lanzasearch.web import i18n
from lanzasearch.web.i18n import EN, FR, SAME_IN_BOTH, english_only, looks_french, text

WEB = Path(i18n.__file__).parent
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in WEB.glob("*.py")}
# i18n.py's own code, after its catalogue (whose keys are what is checked).
SOURCES["i18n.py"] = SOURCES["i18n.py"].split("\ndef t(")[1]
PREFIXES = {key.split(".")[0] for key in EN}
# A key is a quoted "prefix.name" of the catalogue's prefixes: in t(…), text(…), or a table of keys.
USED = re.compile(r'"((?:%s)\.[a-z_]+)"' % "|".join(PREFIXES))
# Keys the app builds from a name: handlers.welcome's panels, i18n.kind_text's passage kinds.
BUILT = {f"msg.{tab}_{part}" for tab in ("search", "compare") for part in ("title", "body")} | {
    f"kind.{kind.value}" for kind in BlockKind}


def test_both_languages_have_exactly_the_same_keys():
    assert set(EN) == set(FR), (set(EN) ^ set(FR))


def test_every_key_the_app_uses_is_in_the_catalogue():
    used = {key for source in SOURCES.values() for key in USED.findall(source)}
    used |= BUILT
    assert len(used) > 60, sorted(used)  # the pattern really finds the app's keys
    assert used - set(EN) == set()


def test_every_catalogue_key_is_used_by_the_app():
    used = {key for source in SOURCES.values() for key in USED.findall(source)}
    assert set(EN) - used - BUILT == set()


def test_every_passage_kind_has_its_label_in_both_languages():
    from lanzasearch.web.views import kind_label

    for kind in BlockKind:
        assert kind_label(kind.value, "en") == kind.label
        assert kind_label(kind.value, "fr") == FR[f"kind.{kind.value}"]


# Literals that read the same in both languages: format names, section numerals, the page's proper name.
NEUTRAL = {"↓ CSV", "↓ JSON", "I–XI", "Lanzasearch · Lanzarote Committee factsheets"}
# Gradio's plots draw their titles without its i18n, so the Parties chart's stay in English.
PLOT_TITLES = {"Recommendations per section, by follow-up", "Section", "Recommendations"}


@pytest.mark.parametrize("module", ["tabs.py", "tracker_tabs.py"])
def test_no_label_of_the_page_is_a_bare_english_string(module):
    source = SOURCES[module]
    literals = re.findall(r'\b(?:label|placeholder|info|title)=f?"([^"]*)"', source)
    literals += re.findall(r'gr\.(?:Button|DownloadButton|Tab|Markdown|Textbox)\(f?"([^"]*)"', source)
    worded = [s for s in literals if re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", s))]
    assert set(worded) <= NEUTRAL | PLOT_TITLES, set(worded) - NEUTRAL - PLOT_TITLES


def test_french_strings_are_not_copies_of_the_english_ones():
    same = {k for k in EN if EN[k] == FR[k]}
    assert same == SAME_IN_BOTH
    assert len(same) < len(EN) // 5


def test_placeholders_match_between_languages():
    def fields(s: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(s) if name}

    assert {k: fields(EN[k]) for k in EN} == {k: fields(FR[k]) for k in FR}


def test_server_side_strings_are_formatted_in_the_language_asked():
    assert text("fr", "msg.count_many", n=3) == "3 passages"
    assert text("fr", "msg.for", query="x") == " pour « x »"
    assert text("de", "msg.no_match") == EN["msg.no_match"]  # any other language: English
    assert "multilingual-e5-small" in text("fr", "note.english_model", model="all-MiniLM-L6-v2")


@pytest.mark.parametrize("query, french", [
    ("formation des juges et des procureurs", True),
    ("protection des enfants victimes", True),
    ("Quelles sont les campagnes de sensibilisation pour les parents ?", True),
    ("training for judges and prosecutors", False),
    ("support and assistance for child victims", False),
    ("II-6", False),
    ("", False),
])
def test_a_french_question_is_told_from_an_english_one(query, french):
    assert looks_french(query) is french


def test_which_models_are_english_only():
    assert english_only("all-MiniLM-L6-v2")
    assert english_only("sentence-transformers/all-MiniLM-L6-v2")
    assert not english_only("multilingual-e5-small")
    assert not english_only("intfloat/multilingual-e5-small")
