"""Sentence splitting, chunk sizes and context lines."""

from lanzasearch.chunking import MAX_CHARS, chunk_document, context_line, split_block_text
from lanzasearch.model import Block, BlockKind, Document
from lanzasearch.text import normalize_for_match, split_sentences


def test_sentences_do_not_break_at_abbreviations():
    text = "It is punishable, cf. the Penal Code section 311. See Para. 43 for more. Then e.g. Norway acts."
    assert split_sentences(text) == [
        "It is punishable, cf. the Penal Code section 311.",
        "See Para. 43 for more.",
        "Then e.g. Norway acts.",
    ]


def test_list_items_are_their_own_sentences():
    assert split_sentences("The Committee invites Norway:\n- to act.\n- to report.") == [
        "The Committee invites Norway:",
        "- to act.",
        "- to report.",
    ]


def test_normalisation_matches_the_eval_rule():
    assert normalize_for_match("“Barn og medier” – Children’s, 2023!") == "barnogmedierchildrens2023"
    assert normalize_for_match("Café") == "cafe"


def test_short_block_is_one_chunk():
    assert split_block_text("One sentence.") == ["One sentence."]


def test_long_block_splits_between_sentences_and_keeps_every_word():
    sentences = [f"Sentence number {i} talks about child protection in some detail." for i in range(60)]
    text = " ".join(sentences)
    pieces = split_block_text(text)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_CHARS for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_long_list_repeats_its_lead_in():
    items = [f"- to take measure {i} so that children are protected against online risks." for i in range(40)]
    text = "The Committee invites Norway:\n" + "\n".join(items)
    pieces = split_block_text(text)
    assert len(pieces) > 1
    assert all(p.startswith("The Committee invites Norway:\n- to take") for p in pieces)
    assert sum(p.count("\n- ") for p in pieces) == 40


def _factsheet(*blocks: Block) -> Document:
    return Document(doc_type="factsheet", title="Factsheet – Testland", source="t.md", sha256="0", country="Testland",
                    round="2", blocks=list(blocks))


def test_context_line_names_the_country_and_heading():
    block = Block(BlockKind.FOLLOW_UP, "Text.", section="II", section_title="Legal frameworks", heading="Sharing")
    assert context_line(_factsheet(block), block) == "Testland · Sharing"


def test_context_line_without_heading_names_section_and_kind():
    block = Block(BlockKind.FOLLOW_UP, "Text.", section="II", section_title="Legal frameworks")
    assert context_line(_factsheet(block), block) == "Testland · Legal frameworks · Follow-up action"


def test_chunks_keep_block_metadata_and_show_only_the_body():
    block = Block(BlockKind.RECOMMENDATION, "The Committee requests that Testland ensures it.", section="II",
                  strength="request", rec_ids=["II-6"], pages=[4, 5])
    [chunk] = chunk_document(_factsheet(block))
    assert chunk.text == block.text
    assert chunk.embed_text.endswith("\n" + block.text)
    assert chunk.block.rec_ids == ["II-6"] and chunk.page == 4
    assert chunk.doc_id == "factsheet-testland-r2"
