import pytest
from frictionless import Package
from lxml import etree

from observatoire.opendata.iati import iati_schema
from observatoire.opendata.services import published_file, published_manifest

pytestmark = pytest.mark.django_db


def test_the_demo_network_publishes_valid_open_data(demo_network):
    # Published once the demo's transaction committed, where the load was pointed.
    root = demo_network.open_data_root
    manifest = published_manifest(root=root)
    rows = {entry.name: entry.rows for entry in manifest.files}
    assert rows["organisations.csv"] >= 100
    assert rows["projects.csv"] >= 10
    assert rows["partnerships-atlas.csv"] >= 1
    assert rows["events.csv"] >= 1
    assert rows["projects-iati.xml"] == rows["projects.csv"]
    schema = iati_schema()
    assert schema.validate(etree.parse(str(published_file("projects-iati.xml", root=root)))), (
        schema.error_log
    )
    report = Package(str(published_file("datapackage.json", root=root))).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:5]
