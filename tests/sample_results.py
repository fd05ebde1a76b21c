"""Plain results for the interface's pure tests: a hit, a Convention article, two recommendations."""

from __future__ import annotations

from lanzasearch.model import FollowUp, Hit, Recommendation


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
