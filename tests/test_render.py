"""Result cards, lists and exports of the research interface, rendered from plain data."""

from __future__ import annotations

import csv
import io
import json

from lanzasearch import render
from lanzasearch.model import DocumentInfo, FileResult, FollowUp, Hit, Recommendation


def make_hit(**fields) -> Hit:
    values = dict(
        rank=1, score=0.0325, chunk_id=7, doc_id="factsheet-norway-r2", doc_type="factsheet", country="Norway",
        section="II", heading="Interplay of ages", kind="follow_up", strength=None, rec_ids=["II-6"],
        para_refs=["43", "78"], articles=["20"], page=4, text="The Penal Code section 311 protects children.",
        section_title="Legal frameworks",
    )
    values.update(fields)
    return Hit(**values)


ARTICLE_20 = make_hit(doc_id="convention", doc_type="convention", country=None, section="VI", kind="article",
                      heading="Article 20 – Offences concerning child pornography", rec_ids=[], para_refs=[],
                      articles=["20"], page=None, text="1. Each Party shall take the necessary measures.")


# -- highlighting ----------------------------------------------------------------------


def test_highlight_marks_query_words_and_their_inflections():
    out = render.highlight("Prosecutors prosecuted the prosecution of children.", "prosecute child")
    assert out.count("<mark>") == 4
    assert "<mark>Prosecutors</mark>" in out and "<mark>children</mark>" in out


def test_highlight_escapes_before_marking():
    out = render.highlight('<script>alert("x")</script> & training', "script training amp")
    assert "<script>" not in out and "&lt;<mark>script</mark>&gt;" in out
    assert "&amp; <mark>training</mark>" in out  # "amp" is not marked inside the entity


def test_highlight_skips_stop_words_and_keeps_short_words_exact():
    out = render.highlight("The age of the agent and the ICT", "the age ICT")
    assert "<mark>age</mark>" in out and "agent" in out and "<mark>agent</mark>" not in out
    assert "<mark>ICT</mark>" in out and "<mark>The</mark>" not in out


def test_highlight_uses_the_thesaurus():
    assert "<mark>children</mark>" in render.highlight("support for children", "kids")


def test_paragraphs_turn_dash_lines_into_lists():
    out = render.paragraphs("The Committee requests:\n- first item\n- second item\nAfter.")
    assert out == "<p>The Committee requests:</p><ul><li>first item</li><li>second item</li></ul><p>After.</p>"


# -- cards -----------------------------------------------------------------------------


def test_hit_card_shows_everything_needed_to_cite():
    card = render.hit_card(make_hit(), "penal code", {"20": ARTICLE_20}, {"factsheet-norway-r2"})
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
    card = render.hit_card(make_hit(), "", {}, sources=())
    assert "source/" not in card and '<span class="ls-page">p. 4</span>' in card
    assert "Art. 20" in card  # the article is named even when the Convention is not ingested


def test_convention_card_does_not_link_to_itself():
    card = render.hit_card(ARTICLE_20, "", {"20": ARTICLE_20})
    assert "Lanzarote Convention" in card and "<details" not in card


def test_hit_card_escapes_document_fields():
    hit = make_hit(country="<b>X</b>", heading='"><img src=x>', text="a < b", rec_ids=['"><x'])
    card = render.hit_card(hit)
    assert "<b>X</b>" not in card and "<img" not in card and "a &lt; b" in card and 'data-rec="&quot;&gt;&lt;x"' in card


def test_strength_and_kind_badges():
    card = render.hit_card(make_hit(kind="recommendation", strength="require"))
    assert 'ls-strength strength-require' in card and ">Recommendation<" in card
    assert "kind-promising_practice" in render.hit_card(make_hit(kind="promising_practice"))


def test_empty_results_say_what_to_do():
    out = render.results_html([], "quokka")
    assert "No passages match" in out and "fewer filters" in out


def test_message_keeps_code_spans_and_escapes_the_rest():
    out = render.message("Not built", "run `lanzasearch ingest corpus/` <now>")
    assert "<code>lanzasearch ingest corpus/</code>" in out and "&lt;now&gt;" in out


# -- compare -------------------------------------------------------------------------------


def test_compare_columns_and_a_country_with_nothing():
    out = render.compare_html({"Norway": [make_hit()], "Testland": []}, "code", ["follow_up", "promising_practice"])
    assert out.count('class="ls-col"') == 2 and "--ls-cols:2" in out
    assert "Nothing relevant in Testland" in out and "follow-up actions, promising practices" in out


def test_compare_for_a_recommendation_shows_it_first():
    rec = Recommendation("II-6", "II", "Legal frameworks", "request", "recommendation", "The Committee requests…")
    out = render.compare_html({"Norway": [make_hit()]}, "II-6", ["follow_up"], rec)
    assert out.index("ls-rec-summary") < out.index("ls-compare") and "REQUEST" not in out and "request" in out


# -- recommendations --------------------------------------------------------------------------


def make_recs() -> list[Recommendation]:
    follow = FollowUp("Norway", "factsheet-norway-r2", "Norway amended section 311.", 3)
    practice = FollowUp("Testland", "factsheet-testland-r2", "Peer Guides programme.", None)
    return [
        Recommendation("II-6", "II", "Legal frameworks", "request", "recommendation",
                       "In this situation, the Committee requests that Norway ensures that:\n- a child is not prosecuted",
                       countries=["Norway", "Testland"], pages={"Norway": 2, "Testland": None}, articles=["20"],
                       follow_ups=[follow]),
        Recommendation("VIII-5", "VIII", None, "invite", "generic_recommendation",
                       "The Committee invites all Parties, including Testland:\n- to involve children",
                       countries=["Testland"], practices=[practice]),
    ]


def test_filter_recommendations():
    recs = make_recs()
    ids = lambda out: [r.rec_id for r in out]  # noqa: E731
    assert ids(render.filter_recommendations(recs, sections=["VIII"])) == ["VIII-5"]
    assert ids(render.filter_recommendations(recs, strengths=["request"])) == ["II-6"]
    assert ids(render.filter_recommendations(recs, countries=["Norway"])) == ["II-6"]
    assert ids(render.filter_recommendations(recs, follow_up="with")) == ["II-6"]
    assert ids(render.filter_recommendations(recs, follow_up="without")) == ["VIII-5"]
    assert ids(render.filter_recommendations(recs)) == ["II-6", "VIII-5"]


def test_recommendation_list_rows():
    out = render.recommendations_table(make_recs())
    assert 'data-rec="II-6"' in out and 'data-rec="VIII-5"' in out and "2 recommendations" in out
    assert "to involve children" in out and "all Parties · Testland" in out
    assert 'class="ls-count has"' in out and 'class="ls-count none">none<' in out
    assert "No recommendations match" in render.recommendations_table([])


def test_recommendation_gist_drops_only_a_short_lead_in():
    assert render.recommendation_gist("The Committee invites all Parties, including Norway: - to act") == "to act"
    long_lead = "The Committee requests that Norway ensures that a child will not be prosecuted when: - x"
    assert render.recommendation_gist(long_lead).startswith("The Committee requests")


def test_recommendation_detail_has_text_articles_and_boxes():
    rec = make_recs()[0]
    out = render.recommendation_html(rec, {"20": ARTICLE_20}, {"factsheet-norway-r2"}, {"Norway": "factsheet-norway-r2"})
    assert "<h2>Recommendation II-6</h2>" in out and "<li>a child is not prosecuted</li>" in out
    assert "Article 20 – Offences concerning child pornography" in out
    assert "Follow-up actions (1)" in out and 'class="ls-box kind-follow_up"' in out
    assert 'href="source/factsheet-norway-r2#page=2"' in out and 'href="source/factsheet-norway-r2#page=3"' in out
    no_follow = render.recommendation_html(make_recs()[1])
    assert "No Party has reported a follow-up action" in no_follow and "kind-promising_practice" in no_follow
    assert "Choose a recommendation" in render.recommendation_html(None)


# -- documents and ingest results ----------------------------------------------------------------


def test_documents_table():
    doc = DocumentInfo("factsheet-norway-r2", "factsheet", "Factsheet – Norway", "Norway", "2", "factsheet-norway.pdf",
                       "c81e6ef5e0db53ca8f695af403d468c8", 22, 117, "2025-03-01T14:05:09+00:00")
    out = render.documents_html([doc], {"factsheet-norway-r2"})
    for cell in ("Factsheet – Norway", "factsheet", "Norway", ">2<", ">22<", ">117<", "c81e6ef5e0db<", "2025-03-01 14:05"):
        assert cell in out, cell
    assert "The archive is empty" in render.documents_html([])


def test_ingest_results_show_status_and_reason():
    out = render.ingest_results_html([FileResult("a.pdf", "added", "x", 3),
                                      FileResult("b.exe", "failed", reason="is not a PDF <sic>")])
    assert "status-added" in out and "status-failed" in out and "is not a PDF &lt;sic&gt;" in out


# -- exports ---------------------------------------------------------------------------------------


def test_hits_csv_has_one_row_per_hit_and_neutralises_formulas():
    rows = list(csv.DictReader(io.StringIO(render.hits_csv([make_hit(), make_hit(rank=2, text="=HYPERLINK(1)")]))))
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert rows[0]["rec_ids"] == "II-6" and rows[0]["para_refs"] == "43; 78" and rows[0]["page"] == "4"
    assert rows[0]["citation"] == "Norway, II. Legal frameworks, Rec. II-6, paras. 43, 78, p. 4"
    assert rows[1]["text"] == "'=HYPERLINK(1)"


def test_hits_json_records_query_and_filters():
    data = json.loads(render.hits_json([make_hit()], "penal code", {"countries": ["Norway"]}))
    assert data["query"] == "penal code" and data["filters"] == {"countries": ["Norway"]}
    assert data["hits"][0]["citation"].startswith("Norway") and data["hits"][0]["rec_ids"] == ["II-6"]


def test_compare_csv_keeps_empty_countries():
    rows = list(csv.DictReader(io.StringIO(render.compare_csv({"Norway": [make_hit()], "Testland": []}))))
    assert [(r["compared_country"], r["rank"]) for r in rows] == [("Norway", "1"), ("Testland", "")]


def test_recommendations_csv():
    rows = list(csv.DictReader(io.StringIO(render.recommendations_csv(make_recs()))))
    assert rows[0]["rec_id"] == "II-6" and rows[0]["follow_up_count"] == "1"
    assert rows[0]["follow_ups"] == "Norway (p. 3): Norway amended section 311."
    assert rows[1]["practices"].startswith("Testland (p. -): Peer Guides")


def test_footnote_remarks_show_under_the_passage_with_safe_links():
    hit = make_hit(text="The Committee observes.\nNote: See the report (https://example.org/a?b=1&c=2).\n"
                        "Note: javascript:alert(1) <b>x</b>")
    card = render.hit_card(hit)
    assert "<p>The Committee observes.</p><ul class=\"ls-notes\">" in card and "Note:" not in card
    assert '<ul class="ls-notes">' in card
    assert '<a href="https://example.org/a?b=1&amp;c=2" target="_blank"' in card and "c=2</a>)." in card
    assert 'href="javascript' not in card and "&lt;b&gt;x&lt;/b&gt;" in card
    assert "notes" in render.HIT_COLUMNS
