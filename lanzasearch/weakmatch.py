"""Saying when nothing answers well: a weak-match threshold on the model's own dense score, per model.

A passage is a weak match when its closeness is below the model's
threshold: its raw dense score (search.py: cosine with the sentence view,
before fusion and boosts), or 1 when it carries a recommendation id or
article the question names. The fused score cannot say it: the fusion
standardises each side's scores per question (fusion.py), so the best
passage of an off-topic question stands out from its fellows as much as
the answer to a good one. A cosine is absolute, but its scale is the
model's own, hence one threshold per model. Without a dense side (lexical
mode) nothing is flagged. The threshold is chosen by ``calibrate`` from
the best score of two question sets: questions the archive answers (the dev
set) and questions it cannot (off-topic: cooking, sports, tax law …). Every
threshold between the highest off-topic score that is still flagged and
the lowest on-topic score that is not gives the fewest errors; that plateau
is kept whole and its midpoint chosen, so the rule does not rest on one
question. `lanzasearch calibrate` prints it; for another model the same
command chooses again.
"""

from __future__ import annotations

from dataclasses import dataclass

# Per model (the archive's model name): below this dense score a passage does not answer closely.
# A model without an entry flags nothing. Chosen by `lanzasearch calibrate tests/fixtures/dev-queries.jsonl
# tests/fixtures/offtopic-queries.jsonl` on an archive of corpus/ built with that model (`make calibrate`,
# `make calibrate-e5`); see the README, "Weak matches".
WEAK_BELOW = {
    "all-MiniLM-L6-v2": 0.405,  # plateau 0.366–0.444: 1 error (a dev question) on 30 dev and 12 off-topic questions
    # Chosen with the 18 French questions among the on-topic ones (--pick-on): e5 is there for them, and on the
    # English sets alone the plateau (0.836–0.847) would flag 8 of them. Plateau 0.828–0.830: 4 errors on 48
    # on-topic and 12 off-topic questions (2 French flagged, 2 off-topic not).
    "multilingual-e5-small": 0.829,
}
STRONG, WEAK = "strong", "weak"


def match_of(closeness: float | None, model: str) -> str:
    """ "strong" or "weak" for one passage, from its closeness (search.Ranked); an uncalibrated model has no
    weak ones, and neither has a ranking without a dense score (closeness None)."""
    threshold = WEAK_BELOW.get(model)
    if threshold is None or closeness is None or closeness >= threshold:
        return STRONG
    return WEAK


@dataclass
class Calibration:
    """A chosen threshold, the plateau it was chosen from, and what it flags on each set."""

    threshold: float
    plateau: tuple[float, float]  # every threshold in here makes the fewest errors on the picking sets
    errors: int  # on-topic questions flagged plus off-topic ones not flagged, at the threshold

    def flagged(self, scores: list[float]) -> int:
        """How many of these best scores would be flagged weak."""
        return sum(1 for s in scores if s < self.threshold)


def calibrate(on_topic: list[float], off_topic: list[float]) -> Calibration:
    """The threshold in the middle of the widest stretch of fewest errors, from each question's best passage's closeness.

    The candidate cut points are the midpoints between consecutive distinct scores;
    their errors are counted, and the widest run of minimal-error cuts is the plateau.
    """
    if not on_topic or not off_topic:
        raise ValueError("calibration needs on-topic and off-topic questions")
    points = sorted(set(on_topic) | set(off_topic))
    edges = [points[0] - 1e-6, *((a + b) / 2 for a, b in zip(points, points[1:])), points[-1] + 1e-6]

    def errors(t: float) -> int:
        return sum(1 for s in on_topic if s < t) + sum(1 for s in off_topic if s >= t)

    counted = [(t, errors(t)) for t in edges]
    fewest = min(e for _, e in counted)
    # Consecutive cuts with the fewest errors form a plateau: the interval between scores they span.
    best, run = (0.0, 0.0), []
    for index, (t, e) in enumerate(counted):
        if e == fewest:
            run.append(index)
            low = points[run[0] - 1] if run[0] > 0 else points[0]
            high = points[index] if index < len(points) else points[-1]
            if high - low > best[1] - best[0]:
                best = (low, high)
        else:
            run = []
    return Calibration(round((best[0] + best[1]) / 2, 3), (round(best[0], 3), round(best[1], 3)), fewest)
