"""The colour families that tell a factsheet's boxes apart, for every reader.

Follow-up actions sit in orange boxes and promising practices in blue ones,
drawn as strong borders or pale fills. A reader hands over the colour it saw
(a PDF's fill or stroke, a Word paragraph's shading or border) and gets the
family back, so the PDF and the .docx readers judge colours alike.
"""

from __future__ import annotations

import colorsys


def hsv(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    """Hue, saturation and value of an RGB colour, its components clipped to [0, 1]."""
    return colorsys.rgb_to_hsv(*(min(max(v, 0.0), 1.0) for v in rgb))


def box_colour(rgb: tuple[float, ...]) -> str | None:
    """The box colour named by hue, for strong borders and pale fills alike; None for greys and others."""
    hue, saturation, value = hsv(rgb)
    if saturation < 0.05 or value < 0.2:
        return None
    degrees = hue * 360
    if 10 <= degrees <= 50:
        return "orange"
    if 190 <= degrees <= 250:
        return "blue"
    return None
