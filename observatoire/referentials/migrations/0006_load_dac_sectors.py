"""Load the OECD DAC sectors (IATI codelist, CC BY 4.0) and the crosswalk from our themes.

`data/dac_sectors.csv` is the IATI “Sector” codelist with its French names, flattened.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "dac_sectors.csv"

# theme slug -> DAC 5-digit codes proposed for a project on that theme.
THEME_SECTORS = {
    "agriculture": ["31120", "31161", "43040", "43072"],
    "water-sanitation": ["14010", "14030", "14020"],
    "health": ["12110", "12220"],
    "education": ["11110", "11220"],
    "vocational-training": ["11330", "11230"],
    "energy": ["23110", "23210", "23181"],
    "environment": ["41010", "41020", "41030"],
    "waste": ["14050"],
    "economic-development": ["25030", "32130", "24040", "16020"],
    "urban-development": ["43030"],
    "culture": ["16061"],
    "gender-equality": ["15170", "15180"],
    "human-rights": ["15160", "15150", "15130"],
    "institutional-support": ["15112", "15110", "15111"],
    "migration": ["15190"],
    "youth-mobility": ["16015"],
    "global-citizenship-education": ["99820", "41081"],
    "humanitarian-aid": ["72010", "74020"],
}


def load_dac_sectors(apps, schema_editor):
    DacSector = apps.get_model("referentials", "DacSector")
    Theme = apps.get_model("referentials", "Theme")
    with DATA.open(encoding="utf-8", newline="") as handle:
        sectors = [
            DacSector(
                code=row["code"],
                category=row["category"],
                name_fr=row["name_fr"],
                name_en=row["name_en"],
                is_active=row["status"] == "active",
            )
            for row in csv.DictReader(handle)
        ]
    DacSector.objects.bulk_create(sectors, ignore_conflicts=True)
    by_code = {sector.code: sector for sector in DacSector.objects.all()}
    for theme in Theme.objects.filter(slug__in=THEME_SECTORS):
        theme.dac_sectors.add(*(by_code[code] for code in THEME_SECTORS[theme.slug]))


def unload(apps, schema_editor):
    apps.get_model("referentials", "DacSector").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("referentials", "0005_dac_sectors")]
    operations = [migrations.RunPython(load_dac_sectors, unload)]
