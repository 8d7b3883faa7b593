"""The lists in name order read an index: a deep page of 200,000 entries is not sorted anew."""

import pytest
from django.db import connection

from observatoire.portal.search import ORGANIZATIONS, PROJECTS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("engine", [ORGANIZATIONS, PROJECTS], ids=lambda engine: engine.key)
def test_the_name_order_needs_no_sort(engine):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner scans a tiny test table whatever the indexes")
    page = engine.entry_model.objects.order_by(*engine.sorts["name"]).values("pk")[4000:4020]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
