"""Where the deal labels of the room's network go, so that none overlaps or touches another
label, a delegation's marker or its name, or an arrowhead.

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

import itertools
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "label_box", "node_boxes", "arrowhead_boxes", "place_label", "place_labels", "clearance", "PX_PER_UNIT", "CLEARANCE", "X_RANGE",
           "Y_RANGE"]

PX_PER_UNIT = 440 / 2.6
CLEARANCE = 10          # px between a label and anything else
X_RANGE = (-1.35, 1.35)
Y_RANGE = (-1.3, 1.3)
MAX_ORDERED = 4
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


def arrowhead_boxes(arrows: list[tuple], px: float = 14) -> list[Box]:
    """The head of each ``(start, end, ...)`` arrow: a label over it hides where it points."""
    half = px / PX_PER_UNIT
    return [Box(end[0], end[1], half, half) for _, end, *_ in arrows]


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
    ``taken`` and the edges of the plot (every candidate place at once, with numpy)."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    probe = label_box(0, 0, lines, font)
    step = max(probe.hh, abs(nx) * probe.hw * 0.5)
    # candidates in order of preference: on the arrow anywhere along it, before beside it
    k, t = (a.ravel() for a in np.meshgrid(BESIDE, ALONG, indexing="ij"))
    cx = x0 + (x1 - x0) * t + nx * k * step
    cy = y0 + (y1 - y0) * t + ny * k * step
    inside = PX_PER_UNIT * np.minimum.reduce([cx - probe.hw - X_RANGE[0], X_RANGE[1] - cx - probe.hw,
                                              cy - probe.hh - Y_RANGE[0], Y_RANGE[1] - cy - probe.hh])
    if taken:
        ox = np.array([b.x for b in taken])
        oy = np.array([b.y for b in taken])
        ow = np.array([b.hw for b in taken])
        oh = np.array([b.hh for b in taken])
        gaps = np.maximum(np.abs(cx[:, None] - ox) - probe.hw - ow, np.abs(cy[:, None] - oy) - probe.hh - oh)
        gap = np.minimum(inside, PX_PER_UNIT * gaps.min(axis=1))
    else:
        gap = inside
    clear = np.flatnonzero(gap >= CLEARANCE)
    i = int(clear[0]) if clear.size else int(np.argmax(gap))
    return Box(float(cx[i]), float(cy[i]), probe.hw, probe.hh), float(gap[i])


def place_labels(arrows: list[tuple], fixed: list[Box], fonts: tuple) -> tuple[float, list[Box]]:
    """``(font, boxes)``: a box per ``(start, end, lines)`` arrow, in the order given, at the
    largest of ``fonts`` at which every label keeps :data:`CLEARANCE` px from the ``fixed``
    boxes and from each other (else at the font where the worst gap is largest).

    The labels are placed the largest first; when that order finds no clear place for one
    of them, the other orders are tried too (up to :data:`MAX_ORDERED` labels: 24 orders)."""
    first = sorted(range(len(arrows)), key=lambda i: -len(arrows[i][2]) * max(len(s) for s in arrows[i][2]))
    orders = [first] + ([list(p) for p in itertools.permutations(first) if list(p) != first]
                        if len(arrows) <= MAX_ORDERED else [])
    best = None
    for font in fonts:
        for order in orders:
            taken, boxes, worst = list(fixed), [None] * len(arrows), math.inf
            for i in order:
                start, end, lines = arrows[i]
                box, gap = place_label(start, end, lines, font, taken)
                taken.append(box)
                boxes[i], worst = box, min(worst, gap)
                if best is not None and worst <= best[0] and worst < CLEARANCE:
                    break   # no better than one already found
            else:
                if worst >= CLEARANCE:
                    return font, boxes
                if best is None or worst > best[0]:
                    best = (worst, font, boxes)
    return (best[1], best[2]) if best else (fonts[0], [])
