"""Load the countries, the 17 SDGs and their 169 targets shipped in referentials/data/."""

import csv
import gzip
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_rows(name):
    """The rows of data/<name>, or of data/<name>.gz when the file was shipped gzipped."""
    path = DATA_DIR / name
    if path.exists():
        file = path.open(encoding="utf-8", newline="")
    else:
        file = gzip.open(DATA_DIR / f"{name}.gz", "rt", encoding="utf-8", newline="")
    with file:
        return list(csv.DictReader(file))


def load_countries_and_sdgs(apps, schema_editor):
    db = schema_editor.connection.alias
    Country = apps.get_model("referentials", "Country")
    SDG = apps.get_model("referentials", "SDG")
    SDGTarget = apps.get_model("referentials", "SDGTarget")

    Country.objects.using(db).bulk_create(Country(**row) for row in read_rows("countries.csv"))
    SDG.objects.using(db).bulk_create(
        SDG(
            number=int(row["number"]),
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            short_name_fr=row["short_name_fr"],
            short_name_en=row["short_name_en"],
            color=row["color"],
        )
        for row in read_rows("sdgs.csv")
    )
    goal_ids = dict(SDG.objects.using(db).values_list("number", "pk"))
    SDGTarget.objects.using(db).bulk_create(
        SDGTarget(
            goal_id=goal_ids[int(row["goal"])],
            code=row["code"],
            position=int(row["position"]),
            text_fr=row["text_fr"],
            text_en=row["text_en"],
        )
        for row in read_rows("sdg_targets.csv")
    )


def unload_countries_and_sdgs(apps, schema_editor):
    db = schema_editor.connection.alias
    for model_name in ("SDGTarget", "SDG", "Country"):
        apps.get_model("referentials", model_name).objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [("referentials", "0002_load_geography")]

    operations = [migrations.RunPython(load_countries_and_sdgs, unload_countries_and_sdgs)]
