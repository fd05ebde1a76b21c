"""The Markdown/text reader: markup out, structure and footnotes in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanzasearch.parsing.markdown import read_markdown
from lanzasearch.parsing.source import SourceError


def read(text: str, name: str = "doc.md"):
    return read_markdown(name, text.encode("utf-8"), "sha")


def texts(src):
    return [p.text for p in src.paragraphs]


def test_headings_keep_their_level_and_lose_their_hashes():
    src = read("## II. Legal frameworks\n\n#### Follow-up actions: ##\n\nBody text.\n")
    assert [(p.text, p.heading_level) for p in src.paragraphs] == [
        ("II. Legal frameworks", 2),
        ("Follow-up actions:", 4),
        ("Body text.", 0),
    ]


def test_a_bold_only_line_is_a_heading():
    src = read("**Follow-up actions:**\n\nDistributing is punishable.\n\n**Two** bold runs, **one line**\n")
    assert [(p.text, p.heading_level > 0) for p in src.paragraphs] == [
        ("Follow-up actions:", True),
        ("Distributing is punishable.", False),
        ("Two bold runs, one line", False),
    ]


def test_sup_calls_become_markers_and_sup_lines_become_footnotes():
    src = read(
        "The Committee observes that Norway refers to it.<sup>1</sup> At its 41<sup>st</sup> meeting.\n\n"
        "<sup>1</sup> Para. 43.\n\n<sup>2</sup> Recommendation II-6.\n"
    )
    assert texts(src) == ["The Committee observes that Norway refers to it.[^1] At its 41st meeting."]
    assert {n: f.text for n, f in src.footnotes.items()} == {1: "Para. 43.", 2: "Recommendation II-6."}


def test_markdown_footnote_syntax_is_understood_too():
    src = read("A claim.[^7]\n\n[^7]: Para. 12.\n")
    assert texts(src) == ["A claim.[^7]"]
    assert src.footnotes[7].text == "Para. 12."


def test_a_url_on_its_own_paragraph_continues_the_footnote_before_it():
    src = read('<sup>101</sup> Research "Seks onder je 25e":\n\n<https://seksonderje25e.nl/>\n\nNext paragraph.\n')
    assert src.footnotes[101].text == 'Research "Seks onder je 25e": https://seksonderje25e.nl/'
    assert texts(src) == ["Next paragraph."]


def test_rules_comments_tags_links_and_emphasis_are_removed():
    src = read(
        "<!-- converted\nby a tool -->\n"
        "In the [implementation report](#) of its *2nd* round, see **point 4** "
        "and [trygg.lnu.no](https://trygg.lnu.no).\n\n"
        "---\n\n--\n\n"
        'public interest ("*allmenne hensyn tilsier det*"). A&amp;B <br>ok, snake_case_name stays.\n'
    )
    assert texts(src) == [
        "In the implementation report of its 2nd round, see point 4 and trygg.lnu.no.",
        'public interest ("allmenne hensyn tilsier det"). A&B ok, snake_case_name stays.',
    ]


def test_list_levels_follow_indentation():
    src = read(
        "The Committee invites Norway:\n\n"
        "- to take into account the situation by:\n"
        "  - either creating a specific incrimination,\n"
        "  - or prosecuting both.\n"
        "- to ensure that extortion is prosecuted.\n"
        "* a star bullet\n"
    )
    assert [(p.list_level, p.text) for p in src.paragraphs] == [
        (0, "The Committee invites Norway:"),
        (1, "to take into account the situation by:"),
        (2, "either creating a specific incrimination,"),
        (2, "or prosecuting both."),
        (1, "to ensure that extortion is prosecuted."),
        (1, "a star bullet"),
    ]


def test_numbered_items_are_list_items_that_keep_their_number():
    src = read("1.  The purposes of this Convention are to:\n\n2. In order to ensure effective implementation.\n")
    assert [(p.list_level, p.text) for p in src.paragraphs] == [
        (1, "1. The purposes of this Convention are to:"),
        (1, "2. In order to ensure effective implementation."),
    ]


def test_lines_without_a_blank_between_them_form_one_paragraph():
    src = read("A sentence that wraps\nonto the next line.\n\nA new paragraph.\n")
    assert texts(src) == ["A sentence that wraps onto the next line.", "A new paragraph."]


def test_bom_and_windows_newlines_are_accepted():
    src = read_markdown("doc.md", "\ufeff# Title\r\n\r\nBody.\r\n".encode("utf-8"), "sha")
    assert texts(src) == ["Title", "Body."]


def test_format_follows_the_suffix():
    assert read("Body.", "notes.txt").format == "text"
    assert read("Body.", "notes.md").format == "markdown"


def test_latin1_bytes_are_refused_with_advice():
    with pytest.raises(SourceError) as error:
        read_markdown("doc.md", "Lanzarote Convention – Norvège".encode("cp1252"), "sha")
    message = str(error.value)
    assert message == "is not UTF-8 text (it looks like Latin-1/Windows-1252): re-save it as UTF-8 and ingest again"
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "   \n\n", "---\n\n<!-- nothing -->\n"])
def test_no_text_is_refused(text):
    with pytest.raises(SourceError, match="^contains no text: "):
        read(text)


MARKDOWN_PIECES = ["# ", "## ", "- ", "  - ", "1. ", "**", "*", "_", "<sup>1</sup>", "<sup>", "[a](b)", "<", ">",
                   "---", "\n", "\n\n", "text", " ", ":", ".", "<!--", "-->", "[^2]: note", "<https://x.y>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join))
def test_any_markdown_is_read_or_refused_cleanly(text):
    try:
        src = read(text)
    except SourceError as error:
        assert str(error).startswith("contains no text")
        return
    for paragraph in src.paragraphs:
        assert paragraph.text == paragraph.text.strip() and paragraph.text
        assert "<sup>" not in paragraph.text and "\n" not in paragraph.text
