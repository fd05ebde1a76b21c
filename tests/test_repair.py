"""Text repair: sentences cut by page or footnote breaks are rejoined, conservatively."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lanzasearch.parsing.repair import clean_paragraph_text, ends_open, normalise_whitespace, repair_paragraphs
from lanzasearch.parsing.source import Paragraph


def body(text, **kw):
    return Paragraph(text=text, **kw)


def test_a_sentence_cut_by_a_footnote_block_is_rejoined():
    repaired = repair_paragraphs([
        body("The intention of the provision in the Penal Code section 311 is to protect those who are"),
        body("underage. The interpretation of the Ministry is that the provision does not cover it."),
    ])
    assert [p.text for p in repaired] == [
        "The intention of the provision in the Penal Code section 311 is to protect those who are underage. "
        "The interpretation of the Ministry is that the provision does not cover it."
    ]


def test_a_list_item_cut_by_a_page_break_keeps_its_level_and_spans_both_pages():
    repaired = repair_paragraphs([
        body("to engage in inter-Party cooperation for the purpose of", list_level=1, page=8),
        body("identifying child victims and perpetrators.[^31]", page=9),
        body("to take the necessary measures.[^32]", list_level=1, page=9),
    ])
    assert [(p.text, p.list_level, p.page, p.end_page) for p in repaired] == [
        ("to engage in inter-Party cooperation for the purpose of identifying child victims and perpetrators.[^31]",
         1, 8, 9),
        ("to take the necessary measures.[^32]", 1, 9, None),
    ]


def test_a_continuation_may_start_with_a_digit():
    repaired = repair_paragraphs([body("offences punishable of imprisonment of at least"), body("6 years.[^38]")])
    assert [p.text for p in repaired] == ["offences punishable of imprisonment of at least 6 years.[^38]"]


def test_a_paragraph_ending_with_a_word_no_sentence_ends_with_goes_on_even_with_a_capital():
    repaired = repair_paragraphs([
        body("the Committee called on Parties to ensure effective investigation and prosecution of", page=6),
        body("ICT facilitated sexual exploitation and sexual abuse.", page=7),
    ])
    assert [p.text for p in repaired] == [
        "the Committee called on Parties to ensure effective investigation and prosecution of "
        "ICT facilitated sexual exploitation and sexual abuse."
    ]


def test_a_bracket_continues_a_sentence_only_across_a_page_break():
    cut = [body("attend the training course “Combatting Exploitation on the Internet”", page=15),
           body("(COSEC) and a course on victim identification.", page=16)]
    assert [p.text for p in repair_paragraphs(cut)] == [
        "attend the training course “Combatting Exploitation on the Internet” (COSEC) and a course on victim "
        "identification."
    ]
    title = [body("Promising practice of Norway", page=5), body("(Education Act (2023))", page=5)]
    assert [p.text for p in repair_paragraphs(title)] == [p.text for p in title]


def test_a_line_end_hyphen_joins_without_a_space():
    repaired = repair_paragraphs([body("child self-"), body("generated material.")])
    assert repaired[0].text == "child self-generated material."


def test_headings_are_never_merged():
    paragraphs = [
        body("Observations of the Committee on research specific to Norway", heading_level=3),
        body("the Committee observes."),
        body("A paragraph that stops without a full stop"),
        body("Follow-up actions", heading_level=4),
    ]
    assert [p.text for p in repair_paragraphs(paragraphs)] == [p.text for p in paragraphs]


def test_complete_sentences_new_sentences_and_new_bullets_are_not_merged():
    paragraphs = [
        body("Therefore, the Committee requests that Norway ensures that:"),
        body("a child will not be prosecuted.", list_level=1),
        body("On the prosecution of conduct amounting to “sexual extortion of children”"),
        body("To improve the effective implementation of the Convention, the Committee invites Norway:"),
        body("in the health sector", list_level=1),
        body("in the social protection sector", list_level=1),
    ]
    assert [p.text for p in repair_paragraphs(paragraphs)] == [p.text for p in paragraphs]


def test_text_inside_and_outside_a_box_is_not_merged():
    paragraphs = [body("Norwegian criminal legislation applies to", box="orange"), body("the distribution of images.")]
    assert len(repair_paragraphs(paragraphs)) == 2


def test_whitespace_and_stray_markers():
    repaired = repair_paragraphs([
        body("  Barnahus\u00a0Network, [^42] WeProtect\u00ad Global  Alliance.\n"),
        body("• "),
        body("12"),
        body("--"),
        body("• A bullet glyph left by the PDF.", list_level=1),
    ])
    assert [p.text for p in repaired] == [
        "Barnahus Network,[^42] WeProtect Global Alliance.",
        "A bullet glyph left by the PDF.",
    ]


def test_repair_is_idempotent():
    paragraphs = [body("protect those who are"), body("underage. Then more.")]
    once = repair_paragraphs(paragraphs)
    assert repair_paragraphs(once) == once


def test_open_and_closed_endings():
    assert ends_open("protect those who are")
    assert ends_open("On the prosecution of “sexual extortion of children”")
    assert not ends_open("as a last resort.[^6]")
    assert not ends_open("the Committee requests Norway:")
    assert not ends_open("(and avoid it.)")
    assert normalise_whitespace(" a \t b\n c ") == "a b c"


# --- properties over arbitrary paragraphs ----------------------------------------------

paragraph_strategy = st.builds(
    Paragraph,
    text=st.text(alphabet=st.sampled_from(list("abc ABC.,:;-\n[^1]•") + ["x", "6"]), max_size=40),
    page=st.one_of(st.none(), st.integers(1, 5)),
    heading_level=st.sampled_from([0, 0, 0, 2]),
    list_level=st.sampled_from([0, 0, 1, 2]),
    box=st.sampled_from([None, None, "orange"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(paragraph_strategy, max_size=12))
def test_repair_properties(paragraphs):
    repaired = repair_paragraphs(paragraphs)
    assert repair_paragraphs(repaired) == repaired  # idempotent
    headings_in = [clean_paragraph_text(p.text) for p in paragraphs if p.heading_level]
    headings_out = [p.text for p in repaired if p.heading_level]
    assert all(h in headings_in for h in headings_out)  # a heading is never grown by a merge
    assert all(p.text and p.text == p.text.strip() and "  " not in p.text for p in repaired)
