"""Load the regions, départements and communes shipped in referentials/data/."""

import csv
import gzip
from decimal import Decimal
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


def decimal_or_none(value):
    return Decimal(value) if value else None


def load_geography(apps, schema_editor):
    db = schema_editor.connection.alias
    Region = apps.get_model("referentials", "Region")
    Departement = apps.get_model("referentials", "Departement")
    Commune = apps.get_model("referentials", "Commune")

    Region.objects.using(db).bulk_create(
        Region(code=row["code"], name=row["name"]) for row in read_rows("regions.csv")
    )
    region_ids = dict(Region.objects.using(db).values_list("code", "pk"))
    Departement.objects.using(db).bulk_create(
        Departement(code=row["code"], name=row["name"], region_id=region_ids[row["region_code"]])
        for row in read_rows("departements.csv")
    )
    departement_ids = dict(Departement.objects.using(db).values_list("code", "pk"))
    Commune.objects.using(db).bulk_create(
        Commune(
            insee_code=row["insee_code"],
            name=row["name"],
            postal_codes=row["postal_codes"],
            departement_id=departement_ids[row["departement_code"]],
            latitude=decimal_or_none(row["latitude"]),
            longitude=decimal_or_none(row["longitude"]),
        )
        for row in read_rows("communes.csv")
    )


def unload_geography(apps, schema_editor):
    db = schema_editor.connection.alias
    for model_name in ("Commune", "Departement", "Region"):
        apps.get_model("referentials", model_name).objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [("referentials", "0001_initial")]

    operations = [migrations.RunPython(load_geography, unload_geography)]
