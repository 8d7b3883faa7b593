import io

from observatoire.imports import reading
from observatoire.imports.fields import guess_mapping
from observatoire.imports.services import run_rows
from observatoire.organizations.models import Organization

from .helpers import ORGANIZATION_ROWS, csv_bytes


def test_smoke(db):
    data = io.BytesIO(csv_bytes(ORGANIZATION_ROWS))
    info = reading.detect(data)
    headers = reading.read_headers(data, info)
    mapping = guess_mapping("organizations", headers)
    print(info, mapping)
    summary = run_rows(kind="organizations", file=data, info=info, mapping=mapping)
    print(summary)
    assert summary.created == 2
    org = Organization.objects.get(acronym="SGS")
    print(org.commune, org.departement, org.search_text, org.history.count())
