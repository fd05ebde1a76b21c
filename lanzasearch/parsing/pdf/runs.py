"""Text runs from pypdf's text visitor, and which of them are raised (superscripts).

pypdf's ``extract_text(visitor_text=…)`` hands over each run of text with its
matrices, font and size; it does not apply the text rise (``Ts``), so the
collector follows that operator itself (``visitor_operand_before``) and
raises the runs drawn under it. (pypdf only starts a new run at a change of
font or position, so a rise changed with neither applies to the whole run:
producers change the size of a superscript too.) Runs of spaces are kept:
pypdf emits one where it measured a gap between two runs, and that gap is a
word break.

A superscript is a run set smaller than its neighbour and raised above its
baseline, whatever the rise: a footnote call after its word ("Network,42"),
an ordinal ("41st"), or a footnote's number before the footnote's text in the
footnote area.
"""

from __future__ import annotations

import re

from .layout import Run
from .shapes import rgb

_BOLD_FONT = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}")
_SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}
_FILL_COLOUR = {b"rg", b"g", b"k", b"sc", b"scn", b"cs"}

# Tolerances, as fractions of the size of the run a superscript belongs to.
_RAISED = (0.1, 1.0)  # how far a superscript's baseline sits above its word's
_SHRINK = 0.95  # a superscript is set at most this size relative to its word
_LABEL_REACH = 4.0  # a raised number stands at most this far left of the text it numbers
_SUPERSCRIPT_CHARS = 12  # superscripts are calls ("12, 13") and ordinals ("nd"), never phrases


class RunCollector:
    """Collects a page's runs: ``visit_operator`` before each operator, ``visit_text`` for each run.

    pypdf reports a run when it ends, so the rise and colour of its first
    glyphs are noted when they are shown and attached then.
    """

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self._rise = 0.0  # Ts in force (text space units)
        self._colour: tuple[float, ...] | None = (0.0, 0.0, 0.0)
        self._saved: list[tuple] = []
        self._shown: tuple | None = None  # (rise, colour) of the first glyphs shown since pypdf's last run

    def visit_operator(self, operator: bytes, operands: list, cm, tm) -> None:
        if operator == b"Ts" and operands:
            try:
                self._rise = float(operands[0])
            except (TypeError, ValueError):
                pass
        elif operator in _FILL_COLOUR:
            self._colour = rgb(operator, operands)
        elif operator == b"q":
            self._saved.append((self._rise, self._colour))  # both belong to the graphics state
        elif operator == b"Q" and self._saved:
            self._rise, self._colour = self._saved.pop()
        elif operator in _SHOW_TEXT and self._shown is None:
            self._shown = (self._rise, self._colour)

    def visit_text(self, text: str, cm, tm, font_dict, font_size: float) -> None:
        (rise, colour), self._shown = self._shown or (0.0, None), None
        run = make_run(text, cm, tm, font_dict, font_size, rise)
        if run is not None:
            run.colour = tuple(round(v, 2) for v in colour) if colour else None
            self.runs.append(run)


def make_run(text: str, cm, tm, font_dict, font_size: float, rise: float = 0.0) -> Run | None:
    """A positioned run from pypdf's visitor arguments; None for line breaks and non-horizontal text."""
    if "\n" in text and not text.strip():
        return None  # pypdf's own line break, reported at no real position
    text = text.replace("\r", "").replace("\n", "")
    if not text:
        return None
    # The run's matrix is its text matrix followed by the current transformation matrix.
    a = tm[0] * cm[0] + tm[1] * cm[2]
    b = tm[0] * cm[1] + tm[1] * cm[3]
    c = tm[2] * cm[0] + tm[3] * cm[2]
    d = tm[2] * cm[1] + tm[3] * cm[3]
    if abs(b) > 0.01 * abs(a) or abs(c) > 0.01 * abs(d):
        return None  # rotated text is a watermark or a margin note, not reading text
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] + rise * d
    size = font_size * abs(d)
    name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
    return Run(text=text, x=x, y=y, size=size, bold=bool(_BOLD_FONT.search(name)))


def mark_superscripts(runs: list[Run]) -> None:
    """Flag the raised runs and give each the baseline of the text it belongs to.

    A superscript after its word follows it in the content stream. A raised
    number before its text (a footnote's number) is matched by position, the
    nearest text just right of it and below, as producers draw it before or
    after that text.
    """
    texts = [run for run in runs if not run.blank]
    base: Run | None = None
    for run in texts:
        if base is not None and _raised_after(run, base):
            run.superscript, run.y = True, base.y
        else:
            base = run
    for run in texts:
        if not run.superscript and _NUMBER.fullmatch(run.text.strip()):
            following = _text_it_numbers(run, texts)
            if following is not None:
                run.superscript, run.y = True, following.y


def _is_raised(run: Run, base: Run) -> bool:
    """Set smaller than ``base`` and raised above its baseline by a fraction of its size."""
    low, high = _RAISED
    return run.size <= _SHRINK * base.size and low * base.size <= run.y - base.y <= high * base.size


def _raised_after(run: Run, base: Run) -> bool:
    """A short raised run to the right of ``base``: a call or an ordinal after its word."""
    return _is_raised(run, base) and run.x > base.x and len(run.text.strip()) <= _SUPERSCRIPT_CHARS


def _text_it_numbers(number: Run, texts: list[Run]) -> Run | None:
    """The run that a raised number stands before, or None when it is not raised before any."""
    candidates = [
        run
        for run in texts
        if run is not number
        and not run.superscript
        and 0 < run.x - number.x <= _LABEL_REACH * run.size
        and _is_raised(number, run)
    ]
    return min(candidates, key=lambda run: run.x - number.x) if candidates else None
