"""Geometry of the charts and maps drawn as inline SVG, server-side, the same in HTML and PDF.

These functions compute coordinates only; the templates in `templates/reports/svg/` write the SVG
(so every label goes through the template engine's escaping). Maps use the outlines the `maps` app
ships, with an equirectangular projection (longitudes scaled by the cosine of the mean latitude
for the regional map), which is enough for a choropleth at report size.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

OUTLINES = Path(__file__).resolve().parent.parent / "maps" / "static" / "maps"

# A sequential blue scale (ColorBrewer "Blues"); the darkest classes carry white-on-blue contrast
# nowhere, labels stay outside the shapes.
SCALE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#f2f2f2"
BAR_COLOUR = "#2b5f8a"

CHART_WIDTH = 680
LABEL_WIDTH = 270
BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_CHARACTERS = 42
# Map outlines keep a point only when it is this many pixels (Manhattan) from the last one.
TOLERANCE = 3


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: str
    # Whole pixels: the template engine would write "12,5" for 12.5 in French, invalid in SVG.
    y: int
    width: int
    value_x: int
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(rows: list[dict], *, value_key: str = "count") -> BarChart:
    """Horizontal bars, one per row, longest for the largest value; labels and values as text."""
    largest = max((row.get(value_key) or 0 for row in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, row in enumerate(rows):
        value = row.get(value_key) or 0
        label = str(row.get("label", ""))
        bars.append(
            Bar(
                label=_short(label),
                full_label=label,
                value=_number(value),
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=round(room * value / largest),
                value_x=LABEL_WIDTH + round(room * value / largest) + 6,
                colour=row.get("colour") or BAR_COLOUR,
            )
        )
    height = max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return BarChart(CHART_WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, bars)


@cache
def _outlines(name: str) -> dict[str, tuple[str, list[list[list[tuple[float, float]]]]]]:
    """{feature id: (name, polygons)}, each polygon a list of rings of (lon, lat)."""
    with open(OUTLINES / name, encoding="utf-8") as stream:
        collection = json.load(stream)
    outlines = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [[[(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]
        outlines[str(feature["id"])] = (feature.get("properties", {}).get("name", ""), rings)
    return outlines


@dataclass(frozen=True)
class Shape:
    key: str
    name: str
    d: str
    fill: str
    count: int | None


@dataclass(frozen=True)
class LegendClass:
    label: str
    fill: str
    x: int = 0


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str


@dataclass(frozen=True)
class Choropleth:
    width: int
    height: int
    shapes: list[Shape]
    legend: list[LegendClass]
    lines: list[Line]


def _classes(largest: int) -> list[tuple[int, int]]:
    """Up to five classes of counts (low, high), both included, covering 1..largest."""
    if largest <= 0:
        return []
    steps = min(len(SCALE), largest)
    bounds = [math.ceil(largest * (i + 1) / steps) for i in range(steps)]
    classes, low = [], 1
    for high in bounds:
        if high >= low:
            classes.append((low, high))
            low = high + 1
    return classes


def _fill(count: int, classes: list[tuple[int, int]]) -> str:
    if count <= 0:
        return NO_DATA
    offset = len(SCALE) - len(classes)
    for index, (low, high) in enumerate(classes):
        if low <= count <= high:
            return SCALE[offset + index]
    return SCALE[-1]


def choropleth(
    rows: list[dict],
    *,
    outlines: str,
    keys: set[str] | None = None,
    width: int = 640,
    lines: list[dict] | None = None,
) -> Choropleth:
    """A map of the outlines of `outlines` (a shipped GeoJSON file), coloured by the rows' counts.

    `keys` limits the map to some features (the départements of the region); the world map
    leaves out Antarctica.
    """
    features = _outlines(outlines)
    counts = {str(row["key"]): int(row.get("count") or 0) for row in rows}
    labels = {str(row["key"]): str(row.get("label") or "") for row in rows}
    wanted = [key for key in features if key != "AQ" and (keys is None or key in keys)]
    if not wanted:
        wanted = [key for key in features if key != "AQ"]
    points = [
        point
        for key in wanted
        for polygon in features[key][1]
        for ring in polygon
        for point in ring
    ]
    west = min(lon for lon, _lat in points)
    east = max(lon for lon, _lat in points)
    south = min(lat for _lon, lat in points)
    north = max(lat for _lon, lat in points)
    stretch = math.cos(math.radians((north + south) / 2)) if keys is not None else 1.0
    scale = width / ((east - west) * stretch or 1)
    height = math.ceil((north - south) * scale) or 1
    classes = _classes(max(counts.values(), default=0))

    def xy(lon: float, lat: float) -> tuple[int, int]:
        return round((lon - west) * stretch * scale), round((north - lat) * scale)

    def ring_path(ring: list[tuple[float, float]]) -> str:
        # A point closer than TOLERANCE pixels to the last one kept adds nothing visible at
        # report size; leaving it out divides the world map's size and the PDF's drawing time.
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            x, y = xy(lon, lat)
            if points:
                last_x, last_y = points[-1]
                if abs(x - last_x) + abs(y - last_y) < TOLERANCE:
                    continue
            points.append((x, y))
        if len(points) < 3:
            return ""
        return "M" + "L".join(f"{x},{y}" for x, y in points) + "Z"

    shapes = []
    for key in wanted:
        name, polygons = features[key]
        d = "".join(ring_path(ring) for polygon in polygons for ring in polygon)
        count = counts.get(key)
        name = labels.get(key) or name  # in the reader's language when the figures name it
        shapes.append(Shape(key, name, d, _fill(count or 0, classes), count))
    offset = len(SCALE) - len(classes)
    labels = [(_("none"), NO_DATA)] + [
        (str(low) if low == high else f"{low}–{high}", SCALE[offset + index])
        for index, (low, high) in enumerate(classes)
    ]
    step = min(90, width // len(labels))
    legend = [LegendClass(label, fill, index * step) for index, (label, fill) in enumerate(labels)]
    # Lines come as [lat, lon] pairs, like Leaflet's.
    drawn_lines = [
        Line(*xy(*reversed(line["from"])), *xy(*reversed(line["to"])), str(line.get("label", "")))
        for line in lines or []
        if line.get("from") and line.get("to")
    ]
    return Choropleth(width, height, shapes, legend, drawn_lines)
