#!/usr/bin/env python
"""A national associations-register file (RNA "waldec"), deterministic, with malformed rows.

    python bench/national_rna.py --rows 2000000 --encoding cp1252 [--malformed-share 0.02]

One row per association, `;`-separated, the real waldec columns; French titles with accents,
about 5 % international social-object codes, a few associations repeated (as in the per-
département files), a few dissolved, and `malformed_share` of rows malformed the ways real files
are: a `;` inside a title (one column too many), a truncated line, a quote that never closes,
an invalid date, a bad RNA number, and (UTF-8 only) a byte that is not UTF-8. The same seed
gives the same associations in every variant: with `malformed_share=0` the malformed rows are
written well-formed, so a tool that refuses malformed rows can load the clean twin.
Written streaming (bounded memory), without Django.
"""

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
VAR = BENCH_DIR / "var"

# The columns of the published waldec files (data.gouv.fr, "Répertoire National des
# Associations"), in their order.
COLUMNS = (
    "id", "id_ex", "siret", "rup_mi", "gestion", "date_creat", "date_decla", "date_publi",
    "date_disso", "nature", "groupement", "titre", "titre_court", "objet", "objet_social1",
    "objet_social2", "adrs_complement", "adrs_numvoie", "adrs_repetition", "adrs_typevoie",
    "adrs_libvoie", "adrs_distrib", "adrs_codeinsee", "adrs_codepostal", "adrs_libcommune",
    "adrg_declarant", "adrg_complemid", "adrg_complemgeo", "adrg_libvoie", "adrg_distrib",
    "adrg_codepostal", "adrg_achemine", "adrg_pays", "dir_civilite", "siteweb", "publiweb",
    "observation", "position", "maj_time",
)  # fmt: skip
INTERNATIONAL = ("020020", "020000", "009050", "014040", "019025", "024050")
OTHER = ("011000", "006030", "007003", "015000", "017015", "013000", "024000", "005000",
         "003000", "016005", "022010", "011060")  # fmt: skip
INTERNATIONAL_SHARE = 0.05
REPEATED_SHARE = 0.002
DISSOLVED_SHARE = 0.03
KINDS = ("extra_column", "missing_columns", "unclosed_quote", "invalid_date", "bad_identifier",
         "invalid_bytes")  # fmt: skip

PREFIXES = (
    "ASSOCIATION",
    "SOLIDARITÉ",
    "AMITIÉ",
    "LES AMIS DE",
    "COLLECTIF",
    "ENTRAIDE",
    "PARTAGE",
    "ÉCHANGES",
    "HORIZONS",
    "PASSERELLES",
    "COOPÉRATION",
    "COMITÉ DE JUMELAGE",
    "UNION SPORTIVE",
    "CLUB",
    "FOYER RURAL",
    "AMICALE",
    "SOCIÉTÉ DE CHASSE",
    "HARMONIE",
    "CERCLE",
    "ASSOCIATION DES PARENTS D'ÉLÈVES DE",
)
WORDS = (
    "EAU",
    "SANTÉ",
    "ÉDUCATION",
    "AGRICULTURE",
    "ÉNERGIE",
    "CULTURE",
    "JEUNESSE",
    "FEMMES",
    "ENFANCE",
    "ÉCOLES",
    "PUITS",
    "FORÊTS",
    "ARTISANS",
    "MÉDECINS",
    "VÉLOS",
    "PÉTANQUE",
    "THÉÂTRE",
    "MUSIQUE",
    "RANDONNÉE",
    "PATRIMOINE",
    "BIBLIOTHÈQUE",
    "ŒUVRES",
)
PLACES = (
    "OUAGADOUGOU",
    "ANTSIRABE",
    "DAKAR",
    "OUJDA",
    "KPALIMÉ",
    "BAMAKO",
    "COTONOU",
    "HUÉ",
    "NIAMEY",
    "SFAX",
    "JACMEL",
    "DSCHANG",
    "KINDIA",
    "ZINDER",
    "SÉGOU",
    "LOMÉ",
    "GAO",
)
ACRONYMS = ("ASEM", "AFDI", "CCFD", "SIAD", "ACAD", "UFOLEP", "APEL", "CSF", "ADMR", "MJC")
OBJECTS = (
    "favoriser les échanges culturels et la solidarité internationale avec {place}",
    "soutenir la scolarisation des enfants et la formation des enseignants à {place}",
    "construire et entretenir des puits et des latrines dans la région de {place}",
    "organiser des rencontres sportives, des sorties et des fêtes pour ses adhérents",
    "promouvoir la pratique de la musique et du théâtre auprès des jeunes de la commune",
    "défendre le patrimoine naturel et bâti de la commune ; sensibiliser à l'écologie",
    "aider les réfugiés et demandeurs d'asile dans leurs démarches d'accès aux droits",
    "développer le jumelage entre notre commune et {place}, échanges de jeunes et d'élus",
)
STREET_KINDS = ("RUE", "AV", "BD", "CHE", "PL", "IMP", "ALL", "RTE", "QUAI")
STREETS = ("de la République", "Victor Hugo", "des Écoles", "Jean Jaurès", "du Général de Gaulle",
           "des Lilas", "de l'Église", "Pasteur", "du Moulin", "Émile Zola")  # fmt: skip


def dataset_path(rows: int, seed: int = 1901, encoding: str = "utf-8", malformed: bool = True):
    """Where the benches keep the file of these parameters (bench/var/, ignored by git)."""
    label = "cp1252" if encoding == "cp1252" else "utf8"
    clean = "" if malformed else "-clean"
    return VAR / f"rna-{rows}-{seed}-{label}{clean}.csv"


def rna_number(index: int, departement: str = "75") -> str:
    """The RNA number of the index-th association: W, the département, 7 digits (unique)."""
    return f"W{departement[:2]:0>2}{index:07d}"


def _communes() -> list[tuple[str, str, str, str]]:
    """(INSEE code, postal code, commune name in capitals, département) of the shipped list."""
    path = BASE_DIR / "observatoire" / "referentials" / "data" / "communes.csv"
    with open(path, encoding="utf-8", newline="") as file:
        return [
            (
                r["insee_code"],
                r["postal_codes"].split()[0],
                r["name"].upper(),
                r["departement_code"],
            )  # noqa: E501
            for r in csv.DictReader(file)
            if r["postal_codes"]
        ]


def _quote(value: str) -> str:
    # As a spreadsheet writes a cell holding the separator or a quote.
    if ";" in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _date(rng: random.Random, first_year: int) -> str:
    return f"{rng.randint(first_year, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _row(rng: random.Random, index: int, communes, earlier: list[list[str]]) -> list[str]:
    """One well-formed association, as a list of cells in COLUMNS order (unquoted)."""
    if earlier and rng.random() < REPEATED_SHARE:
        # The same association again (listed in two départements' files).
        return rng.choice(earlier)
    insee, postal, commune, departement = rng.choice(communes)
    place = rng.choice(PLACES)
    if rng.random() < INTERNATIONAL_SHARE:
        code1, code2 = rng.choice(INTERNATIONAL), rng.choice(("000000", rng.choice(OTHER)))
    else:
        code1, code2 = rng.choice(OTHER), rng.choice(("000000", "000000", rng.choice(OTHER)))
    title = f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {place}"
    if rng.random() < 0.01:
        title = f'{title} "{rng.choice(WORDS)}"'  # quotes inside a title, written quoted
    created = _date(rng, 1950)
    dissolved = rng.random() < DISSOLVED_SHARE
    cells = [
        rna_number(index, departement),
        f"{departement[:2]:0>2}{rng.randrange(10**7):07d}" if rng.random() < 0.3 else "",
        f"{rng.randrange(10**14):014d}" if rng.random() < 0.3 else "",
        "",
        f"{departement}{rng.randint(1, 4)}P",
        created,
        created,
        created,
        _date(rng, 2010) if dissolved else "",
        "D",
        "S",
        title,
        rng.choice(ACRONYMS) if rng.random() < 0.2 else "",
        rng.choice(OBJECTS).format(place=place.title()),
        code1,
        code2,
        "" if rng.random() < 0.8 else f"BÂTIMENT {rng.choice('ABCD')}",
        str(rng.randint(1, 150)),
        "" if rng.random() < 0.95 else rng.choice(("B", "T")),
        rng.choice(STREET_KINDS),
        rng.choice(STREETS),
        "",
        insee,
        postal,
        commune,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "FRANCE" if rng.random() < 0.5 else "",
        rng.choice(("PM", "M", "MME")),
        f"www.asso{index}.fr" if rng.random() < 0.1 else "",
        rng.choice(("0", "1")),
        "",
        "D" if dissolved else "A",
        f"{_date(rng, 2020)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
    ]
    if len(earlier) < 2000:
        earlier.append(cells)
    return cells


def _line(cells: list[str]) -> str:
    return ";".join(_quote(c) for c in cells) + "\r\n"


def _malformed(kind: str, cells: list[str], rng: random.Random) -> str:
    """The line of `cells` broken in one of the ways real exports break."""
    cells = list(cells)
    title = COLUMNS.index("titre")
    if kind == "extra_column":
        cells[title] += f" ; SECTION {rng.choice(PLACES)}"  # the separator, unquoted
        return ";".join(cells) + "\r\n"
    if kind == "missing_columns":
        return ";".join(cells[: rng.randint(3, len(cells) - 2)]) + "\r\n"
    if kind == "unclosed_quote":
        cells[title] = '"' + cells[title]  # opens, never closes
        return ";".join(cells) + "\r\n"
    if kind == "invalid_date":
        created = COLUMNS.index("date_creat")
        cells[created] = rng.choice(("2019-02-30", "31/12/2005", "0000-00-00", "2007-13-01"))
        return _line(cells)
    if kind == "bad_identifier":
        cells[0] = rng.choice(("", "W75", "75/012345", "W7512A", "X751000001"))
        return _line(cells)
    # invalid_bytes: an É written in Windows-1252 inside a UTF-8 line, marked here, replaced
    # by the writer once the line is encoded.
    cells[title] = "\x00" + cells[title]
    return _line(cells)


def write_rna_csv(
    path: Path,
    rows: int,
    seed: int = 1901,
    encoding: str = "utf-8",
    malformed_share: float = 0.02,
) -> dict:
    """Write `rows` waldec rows (plus the header) to `path`; return what was written."""
    if encoding not in ("utf-8", "cp1252"):
        raise ValueError("encoding is utf-8 or cp1252")
    rng = random.Random(seed)
    # A second stream decides the malformed rows, so the associations stay the same whatever
    # the share and the encoding.
    broken_rng = random.Random(seed * 7919 + 17)
    kinds = KINDS if encoding == "utf-8" else KINDS[:-1]
    communes = _communes()
    earlier: list[list[str]] = []
    counts = {"rows": 0, "malformed": 0, "international": 0, "repeated_lines": 0,
              "kinds": dict.fromkeys(kinds, 0)}  # fmt: skip
    bad_byte = "É".encode("cp1252")
    code1, code2 = COLUMNS.index("objet_social1"), COLUMNS.index("objet_social2")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb", buffering=1 << 20) as file:
        file.write(";".join(COLUMNS).encode(encoding) + b"\r\n")
        chunk: list[bytes] = []
        for index in range(rows):
            cells = _row(rng, index, communes, earlier)
            counts["repeated_lines"] += cells[0][3:] != f"{index:07d}"
            draw, kind = broken_rng.random(), broken_rng.choice(kinds)
            if cells[code1] in INTERNATIONAL or cells[code2] in INTERNATIONAL:
                counts["international"] += 1
            if draw < malformed_share:
                counts["malformed"] += 1
                counts["kinds"][kind] += 1
                data = _malformed(kind, cells, broken_rng).encode(encoding)
                data = data.replace(b"\x00", bad_byte)
            else:
                data = _line(cells).encode(encoding)
            chunk.append(data)
            if len(chunk) >= 10_000:
                file.writelines(chunk)
                chunk.clear()
        file.writelines(chunk)
    tmp.replace(path)
    counts["rows"] = rows
    counts["bytes"] = path.stat().st_size
    return counts


def ensure(rows: int, seed: int = 1901, encoding: str = "utf-8", malformed: bool = True) -> Path:
    """The file of these parameters, written once and reused (the name holds every parameter)."""
    path = dataset_path(rows, seed, encoding, malformed)
    if not path.exists():
        write_rna_csv(path, rows, seed, encoding, 0.02 if malformed else 0.0)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--encoding", choices=("utf-8", "cp1252"), default="utf-8")
    parser.add_argument("--malformed-share", type=float, default=0.02)
    parser.add_argument("--output", type=Path, help="default: bench/var/rna-<rows>-<seed>-...")
    args = parser.parse_args(argv)
    path = args.output or dataset_path(
        args.rows, args.seed, args.encoding, args.malformed_share > 0
    )
    started = time.perf_counter()
    counts = write_rna_csv(path, args.rows, args.seed, args.encoding, args.malformed_share)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["path"] = str(path)
    json.dump(counts, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
