"""Result cards, lists and tables of the research interface (web/views.py, web/tables.py), from plain data."""

from __future__ import annotations

from lanzasearch.model import DocumentInfo, FileResult, Recommendation
from lanzasearch.web import exports, tables, views
from sample_results import ARTICLE_20, make_hit, make_recs


# -- highlighting ----------------------------------------------------------------------


def test_highlight_marks_query_words_and_their_inflections():
    out = views.highlight("Prosecutors prosecuted the prosecution of children.", "prosecute child")
    assert out.count("<mark>") == 4
    assert "<mark>Prosecutors</mark>" in out and "<mark>children</mark>" in out


def test_highlight_escapes_before_marking():
    out = views.highlight('<script>alert("x")</script> & training', "script training amp")
    assert "<script>" not in out and "&lt;<mark>script</mark>&gt;" in out
    assert "&amp; <mark>training</mark>" in out  # "amp" is not marked inside the entity


def test_highlight_skips_stop_words_and_keeps_short_words_exact():
    out = views.highlight("The age of the agent and the ICT", "the age ICT")
    assert "<mark>age</mark>" in out and "agent" in out and "<mark>agent</mark>" not in out
    assert "<mark>ICT</mark>" in out and "<mark>The</mark>" not in out


def test_highlight_uses_the_thesaurus():
    assert "<mark>children</mark>" in views.highlight("support for children", "kids")


def test_paragraphs_turn_dash_lines_into_lists():
    out = views.paragraphs("The Committee requests:\n- first item\n- second item\nAfter.")
    assert out == "<p>The Committee requests:</p><ul><li>first item</li><li>second item</li></ul><p>After.</p>"


# -- cards -----------------------------------------------------------------------------


def test_hit_card_shows_everything_needed_to_cite():
    card = views.hit_card(make_hit(), "penal code", {"20": ARTICLE_20}, {"factsheet-norway-r2"})
    assert "Norway" in card and "II. Legal frameworks › Interplay of ages" in card
    assert 'class="ls-badge kind-follow_up">Follow-up action<' in card
    assert 'data-rec="II-6" href="?rec=II-6"' in card
    assert "Paras. 43, 78" in card
    assert 'href="source/factsheet-norway-r2#page=4"' in card and "p. 4 ↗" in card
    assert "<summary>Article 20 – Offences concerning child pornography</summary>" in card
    assert "Each Party shall take the necessary measures." in card
    assert "<mark>Penal</mark> <mark>Code</mark>" in card
    assert "Norway, II. Legal frameworks, Rec. II-6, paras. 43, 78, p. 4" in card
    assert "0.0325" in card


def test_hit_card_without_kept_source_shows_the_page_without_link():
    card = views.hit_card(make_hit(), "", {}, sources=())
    assert "source/" not in card and '<span class="ls-page">p. 4</span>' in card
    assert "Art. 20" in card  # the article is named even when the Convention is not ingested


def test_convention_card_does_not_link_to_itself():
    card = views.hit_card(ARTICLE_20, "", {"20": ARTICLE_20})
    assert "Lanzarote Convention" in card and "<details" not in card


def test_hit_card_escapes_document_fields():
    hit = make_hit(country="<b>X</b>", heading='"><img src=x>', text="a < b", rec_ids=['"><x'])
    card = views.hit_card(hit)
    assert "<b>X</b>" not in card and "<img" not in card and "a &lt; b" in card and 'data-rec="&quot;&gt;&lt;x"' in card


def test_strength_and_kind_badges():
    card = views.hit_card(make_hit(kind="recommendation", strength="require"))
    assert 'ls-strength strength-require' in card and ">Recommendation<" in card
    assert "kind-promising_practice" in views.hit_card(make_hit(kind="promising_practice"))


def test_empty_results_say_what_to_do():
    out = views.results_html([], "quokka")
    assert "No passages match" in out and "fewer filters" in out


def test_message_keeps_code_spans_and_escapes_the_rest():
    out = views.message("Not built", "run `lanzasearch ingest corpus/` <now>")
    assert "<code>lanzasearch ingest corpus/</code>" in out and "&lt;now&gt;" in out


# -- compare -------------------------------------------------------------------------------


def test_compare_columns_and_a_country_with_nothing():
    out = views.compare_html({"Norway": [make_hit()], "Testland": []}, "code", ["follow_up", "promising_practice"])
    assert out.count('class="ls-col"') == 2 and "--ls-cols:2" in out
    assert "Nothing relevant in Testland" in out and "follow-up actions, promising practices" in out


def test_compare_for_a_recommendation_shows_it_first():
    rec = Recommendation("II-6", "II", "Legal frameworks", "request", "recommendation", "The Committee requests…")
    out = views.compare_html({"Norway": [make_hit()]}, "II-6", ["follow_up"], rec)
    assert out.index("ls-rec-summary") < out.index("ls-compare") and "REQUEST" not in out and "request" in out


# -- recommendations --------------------------------------------------------------------------


def test_recommendation_list_rows():
    out = tables.recommendations_table(make_recs())
    assert 'data-rec="II-6"' in out and 'data-rec="VIII-5"' in out and "2 recommendations" in out
    assert "to involve children" in out and "all Parties · Testland" in out
    assert 'class="ls-count has"' in out and 'class="ls-count none">none<' in out
    assert "No recommendations match" in tables.recommendations_table([])


def test_recommendation_gist_drops_only_a_short_lead_in():
    assert tables.recommendation_gist("The Committee invites all Parties, including Norway: - to act") == "to act"
    long_lead = "The Committee requests that Norway ensures that a child will not be prosecuted when: - x"
    assert tables.recommendation_gist(long_lead).startswith("The Committee requests")


def test_recommendation_detail_has_text_articles_and_boxes():
    rec = make_recs()[0]
    out = tables.recommendation_html(rec, {"20": ARTICLE_20}, {"factsheet-norway-r2"}, {"Norway": "factsheet-norway-r2"})
    assert "<h2>Recommendation II-6</h2>" in out and "<li>a child is not prosecuted</li>" in out
    assert "Article 20 – Offences concerning child pornography" in out
    assert "Follow-up actions (1)" in out and 'class="ls-box kind-follow_up"' in out
    assert 'href="source/factsheet-norway-r2#page=2"' in out and 'href="source/factsheet-norway-r2#page=3"' in out
    no_follow = tables.recommendation_html(make_recs()[1])
    assert "No Party has reported a follow-up action" in no_follow and "kind-promising_practice" in no_follow
    assert "Choose a recommendation" in tables.recommendation_html(None)


# -- documents and ingest results ----------------------------------------------------------------


def test_documents_table():
    doc = DocumentInfo("factsheet-norway-r2", "factsheet", "Factsheet – Norway", "Norway", "2", "factsheet-norway.pdf",
                       "c81e6ef5e0db53ca8f695af403d468c8", 22, 117, "2025-03-01T14:05:09+00:00")
    out = tables.documents_html([doc], {"factsheet-norway-r2"})
    for cell in ("Factsheet – Norway", "factsheet", "Norway", ">2<", ">22<", ">117<", "c81e6ef5e0db<", "2025-03-01 14:05"):
        assert cell in out, cell
    assert "The archive is empty" in tables.documents_html([])


def test_ingest_results_show_status_and_reason():
    out = tables.ingest_results_html([FileResult("a.pdf", "added", "x", 3),
                                      FileResult("b.exe", "failed", reason="is not a PDF <sic>")])
    assert "status-added" in out and "status-failed" in out and "is not a PDF &lt;sic&gt;" in out


def test_footnote_remarks_show_under_the_passage_with_safe_links():
    hit = make_hit(text="The Committee observes.\nNote: See the report (https://example.org/a?b=1&c=2).\n"
                        "Note: javascript:alert(1) <b>x</b>")
    card = views.hit_card(hit)
    assert "<p>The Committee observes.</p><ul class=\"ls-notes\">" in card and "Note:" not in card
    assert '<ul class="ls-notes">' in card
    assert '<a href="https://example.org/a?b=1&amp;c=2" target="_blank"' in card and "c=2</a>)." in card
    assert 'href="javascript' not in card and "&lt;b&gt;x&lt;/b&gt;" in card
    assert "notes" in exports.HIT_COLUMNS


# -- links, copy buttons and what changed --------------------------------------------------------


def test_a_search_link_carries_the_question_filters_and_mode():
    from lanzasearch.web.links import rec_url, search_link

    assert search_link(" training ", ["Norway"], [], ["follow_up"], [], "hybrid") == "?q=training&country=Norway&kind=follow_up"
    assert search_link("a&b", sections=["II", "X"], mode="lexical", history=True) == (
        "?q=a%26b&section=II&section=X&mode=lexical&history=1")
    assert rec_url("II-6") == "?rec=II-6"


def test_every_card_offers_similar_passages_a_link_and_its_full_citation():
    from lanzasearch.web.views import hit_card

    hit = make_hit()
    card = hit_card(hit)
    assert f'data-similar="{hit.chunk_id}"' in card and f'data-copy="?passage={hit.chunk_id}"' in card
    assert views.esc(hit.full_citation) in card
    assert "data-similar" not in hit_card(hit, similar=False)


def test_what_changed_marks_the_words_added_and_dropped():
    from lanzasearch.web.version_views import word_diff

    assert word_diff("guidance in September 2024.", "guidance to <judges> in September 2024 and 2026.") == (
        "guidance <ins>to &lt;judges&gt;</ins> in September <del>2024.</del> <ins>2024 and 2026.</ins>")
