"""Where the deal labels of the room's network go, so that none overlaps or touches another
label, a delegation's marker or its name.

The network is drawn in data units (delegations on a circle of radius 1, x in
[-1.35, 1.35], y in [-1.3, 1.3], one unit as long on both axes). Its graph is 520 px high
with 80 px of margins, so one unit is 440 / 2.6 = 169 px on any screen at least 480 px
wide (the big screen's half at 1280 and 1920 px); the text sizes below are turned into
data units with that scale. A label's size is estimated from its characters (0.56 of the
font size per character, 1.32 per line, as the dashboard's sans-serif font sets them).

Each label is tried at points along its own arrow (the middle first, then towards either
end), then beside it (perpendicular shifts, nearest first); the first place clear of
everything by :data:`CLEARANCE` px is taken, else the clearest one. Labels are placed one
after the other (the largest first), each keeping clear of those before it, all at one
font size: the largest of those offered at which every label finds a clear place.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Box", "label_box", "node_boxes", "place_label", "place_labels", "clearance", "PX_PER_UNIT", "CLEARANCE", "X_RANGE",
           "Y_RANGE"]

PX_PER_UNIT = 440 / 2.6
CLEARANCE = 10          # px between a label and anything else
X_RANGE = (-1.35, 1.35)
Y_RANGE = (-1.3, 1.3)
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85)
BESIDE = (0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0, -4.0)   # in half label heights (perpendicular to the arrow)


@dataclass(frozen=True)
class Box:
    """A rectangle in data units: centre and half sizes."""
    x: float
    y: float
    hw: float
    hh: float


def label_box(x: float, y: float, lines: list[str], font: float) -> Box:
    """The box of a label of ``lines`` at ``font`` px centred on (x, y)."""
    width = max(len(s) for s in lines) * 0.56 * font + 8     # + border and padding
    height = len(lines) * 1.32 * font + 6
    return Box(x, y, width / 2 / PX_PER_UNIT, height / 2 / PX_PER_UNIT)


def node_boxes(pos: dict, marker_px: float, font: float) -> list[Box]:
    """Each delegation's marker and its name (above the marker in the upper half, below it in
    the lower half, as the figure writes them)."""
    out = []
    r = marker_px / 2 / PX_PER_UNIT
    for code, (x, y) in pos.items():
        out.append(Box(x, y, r, r))
        text_h = 1.3 * font / PX_PER_UNIT
        side = 1 if y >= 0 else -1
        out.append(Box(x, y + side * (r + text_h / 2 + 2 / PX_PER_UNIT),
                       (len(code) * 0.68 * font + 4) / 2 / PX_PER_UNIT, text_h / 2))
    return out


def clearance(a: Box, b: Box) -> float:
    """The gap between two boxes in px (negative: they overlap)."""
    gap = max(abs(a.x - b.x) - a.hw - b.hw, abs(a.y - b.y) - a.hh - b.hh)
    return gap * PX_PER_UNIT


def _inside(b: Box) -> float:
    """How far (px) a box keeps inside the plotting area (negative: it sticks out)."""
    return PX_PER_UNIT * min(b.x - b.hw - X_RANGE[0], X_RANGE[1] - b.x - b.hw,
                             b.y - b.hh - Y_RANGE[0], Y_RANGE[1] - b.y - b.hh)


def place_label(start: tuple, end: tuple, lines: list[str], font: float, taken: list[Box]) -> tuple[Box, float]:
    """The best box for a label of the arrow ``start`` -> ``end`` and its clearance (px) from
    ``taken`` and the edges of the plot."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    best, best_gap = None, -math.inf
    for k in BESIDE:   # on the arrow anywhere along it, before beside it
        for t in ALONG:
            probe = label_box(0, 0, lines, font)
            shift = k * max(probe.hh, abs(nx) * probe.hw * 0.5)
            box = label_box(x0 + (x1 - x0) * t + nx * shift, y0 + (y1 - y0) * t + ny * shift, lines, font)
            gap = min([_inside(box)] + [clearance(box, other) for other in taken])
            if gap >= CLEARANCE:
                return box, gap
            if gap > best_gap:
                best, best_gap = box, gap
    return best, best_gap


def place_labels(arrows: list[tuple], fixed: list[Box], fonts: tuple) -> tuple[float, list[Box]]:
    """``(font, boxes)``: a box per ``(start, end, lines)`` arrow, in the order given, at the
    largest of ``fonts`` at which every label keeps :data:`CLEARANCE` px from the ``fixed``
    boxes and from each other (else at the font where the worst gap is largest)."""
    order = sorted(range(len(arrows)), key=lambda i: -len(arrows[i][2]) * max(len(s) for s in arrows[i][2]))
    best = None
    for font in fonts:
        taken, boxes, worst = list(fixed), [None] * len(arrows), math.inf
        for i in order:
            start, end, lines = arrows[i]
            box, gap = place_label(start, end, lines, font, taken)
            taken.append(box)
            boxes[i], worst = box, min(worst, gap)
        if worst >= CLEARANCE:
            return font, boxes
        if best is None or worst > best[0]:
            best = (worst, font, boxes)
    return (best[1], best[2]) if best else (fonts[0], [])
