"""Build the outlines the maps draw without any tile server, from the public sources.

Run once by a developer when a source changes, never in production (the result is committed
under `observatoire/maps/static/maps/`, see its README):

    manage.py build_outlines --world-atlas /tmp/vendor-src/world-atlas/countries-110m.json \
        --geo-dir /work/shared/data/geo

Countries come from Natural Earth 110m (npm `world-atlas`, TopoJSON keyed by ISO 3166-1
numeric codes) and are keyed here by ISO alpha-2, like `Country.iso2`; départements and regions
from IGN Admin Express (gregoiredavid/france-geojson). Coordinates are rounded to two decimals
(about a kilometre), which keeps the files small and is finer than the 110m source anyway.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

OUTPUT_DIR = Path(__file__).resolve().parents[2] / "static" / "maps"
# Natural Earth features without an ISO numeric code.
NAME_TO_ISO2 = {"Kosovo": "XK"}


def decode_topology(topology: dict) -> list[dict]:
    """The country features of a quantized TopoJSON topology, as plain GeoJSON geometries."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [[ring(r) for r in geometry["arcs"]]]
        elif geometry["type"] == "MultiPolygon":
            polygons = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append(
            {"id": geometry.get("id"), "name": geometry["properties"]["name"], "polygons": polygons}
        )
    return features


def round_ring(points, digits: int = 2) -> list[list[float]] | None:
    """The ring rounded, without repeated points; None when it collapses."""
    rounded: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, digits), round(lat, digits)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded and rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def unwrap(ring):
    """A ring drawn up to the antimeridian from both sides (Fiji, Chukotka) continued past 180°,
    so that maps do not draw it as a band across the whole world."""
    if max(x for x, _ in ring) - min(x for x, _ in ring) <= 180:
        return ring
    return [(x + 360 if x < 0 else x, y) for x, y in ring]


def round_polygons(polygons) -> list:
    result = []
    for polygon in polygons:
        rings = [round_ring(unwrap(r)) for r in polygon]
        if rings and rings[0] is not None:
            result.append([r for r in rings if r is not None])
    return result


def ring_area_centroid(ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (planar, good enough to place a line's end)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area / 2, cx / (3 * area), cy / (3 * area)


def centroid(polygons) -> tuple[float, float]:
    """The centroid of the largest polygon: France's is in France, not in the Atlantic."""
    best = max((ring_area_centroid(p[0]) for p in polygons), key=lambda a: abs(a[0]))
    longitude = (best[1] + 180) % 360 - 180
    return round(best[2], 2), round(longitude, 2)


def geometry(polygons) -> dict:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def dump(data, path: Path) -> int:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return len(text)


class Command(BaseCommand):
    help = "Build the shipped country, département and region outlines (developers only)."

    def add_arguments(self, parser):
        parser.add_argument("--world-atlas", required=True, help="countries-110m.json")
        parser.add_argument("--geo-dir", required=True, help="folder of the france-geojson files")

    def handle(self, *args, world_atlas, geo_dir, **options):
        try:
            import pycountry
        except ImportError as error:  # a development dependency
            raise CommandError("pycountry is needed: pip install -e '.[dev]'") from error

        topology = json.loads(Path(world_atlas).read_text(encoding="utf-8"))
        features, centroids = [], {}
        for country in decode_topology(topology):
            iso2 = NAME_TO_ISO2.get(country["name"])
            if country["id"] and not iso2:
                found = pycountry.countries.get(numeric=country["id"])
                iso2 = found.alpha_2 if found else None
            polygons = round_polygons(country["polygons"])
            if not iso2 or not polygons:
                self.stdout.write(f"skipped: {country['name']}")
                continue
            features.append({"type": "Feature", "id": iso2, "geometry": geometry(polygons)})
            centroids[iso2] = centroid(polygons)
        features.sort(key=lambda f: f["id"])
        size = dump(
            {"type": "FeatureCollection", "features": features}, OUTPUT_DIR / "countries.geojson"
        )
        self.stdout.write(f"countries.geojson: {len(features)} countries, {size // 1024} KB")
        size = dump(dict(sorted(centroids.items())), OUTPUT_DIR / "country-centroids.json")
        self.stdout.write(f"country-centroids.json: {size // 1024} KB")

        for source, target in [
            ("departements-simplifiees.geojson", "departements.geojson"),
            ("regions-simplifiees.geojson", "regions.geojson"),
        ]:
            data = json.loads((Path(geo_dir) / source).read_text(encoding="utf-8"))
            features = []
            for feature in data["features"]:
                shape = feature["geometry"]
                polygons = (
                    [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
                )
                polygons = round_polygons(polygons)
                code = feature["properties"]["code"]
                features.append(
                    {
                        "type": "Feature",
                        "id": code,
                        "properties": {"name": feature["properties"]["nom"]},
                        "geometry": geometry(polygons),
                    }
                )
            features.sort(key=lambda f: f["id"])
            size = dump({"type": "FeatureCollection", "features": features}, OUTPUT_DIR / target)
            self.stdout.write(f"{target}: {len(features)} outlines, {size // 1024} KB")
