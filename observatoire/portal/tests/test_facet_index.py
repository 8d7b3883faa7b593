"""The in-memory facet counts: the same as counting the facet table, and kept up to date."""

import pytest
from django.db.models import Count
from django.http import QueryDict

from observatoire.portal import facet_index as facet_index_module
from observatoire.portal.facet_index import bitset, facet_index, keys_of
from observatoire.portal.index import index_rebuild
from observatoire.portal.search import (
    ORGANIZATIONS,
    PROJECTS,
    _counts,
    _member_filter,
    matching_entries,
    parse_search,
    search_page,
)
from observatoire.referentials.models import Theme

from .conftest import listed, published

pytestmark = pytest.mark.django_db


def counted_in_sql(engine, query: str) -> dict:
    """The facet counts by GROUP BY on the facet table (how the portal counted before)."""
    search = parse_search(engine, QueryDict(query))
    counts = {}
    for facet in engine.facets:
        among = matching_entries(search, exclude=facet.name)
        if facet.live:
            counts[facet.name] = [("1", _member_filter(among).count())]
            continue
        rows = engine.facet_model.objects.filter(facet=facet.name, entry_id__in=among.values("pk"))
        counts[facet.name] = list(
            rows.values_list("value").annotate(n=Count("id")).order_by("-n", "value")
        )
    return {"total": matching_entries(search).count(), "facets": counts}


QUERIES = [
    "",
    "q=eau",
    "q=formation",
    "country=SN",
    "country=SN&country=BF&theme=eau-assainissement",
    "q=e&country=BF&kind=association&sdg=6",
    "member=1&country=SN",
    "q=nothingatall",
]


@pytest.fixture(params=["dense", "sparse"])
def representation(request, monkeypatch):
    """Every value as a bitset, or every value as a set of keys."""
    monkeypatch.setattr(facet_index_module, "SPARSE_SHARE", 0 if request.param == "dense" else 1)
    facet_index_module._indexes.clear()
    yield request.param
    facet_index_module._indexes.clear()


@pytest.mark.parametrize("query", QUERIES)
def test_counts_equal_a_count_of_the_facet_table(network, representation, query):
    for engine in (ORGANIZATIONS, PROJECTS):
        assert _counts(parse_search(engine, QueryDict(query))) == counted_in_sql(engine, query)


def test_bitset_round_trip():
    keys = [0, 1, 7, 8, 63, 64, 1000, 200_000]
    assert keys_of(bitset(keys)) == keys
    assert bitset([]) == 0 and keys_of(0) == []


def test_an_edit_updates_only_that_entry(network, monkeypatch):
    facet_index_module._indexes.clear()
    search = parse_search(ORGANIZATIONS, QueryDict(""))
    before = dict(_counts(search)["facets"]["theme"])
    loads = []
    real_load = facet_index_module.FacetIndex.load
    monkeypatch.setattr(
        facet_index_module.FacetIndex, "load", lambda self: loads.append(1) or real_load(self)
    )
    theme = Theme.objects.exclude(slug__in=before).first()
    network["ville"].themes.add(theme)
    after = dict(_counts(search)["facets"]["theme"])
    assert after[theme.slug] == 1
    assert loads == []  # the change was read from the log, not by loading everything
    new = listed("Association Solidarité Madagascar", countries=["MG"], themes=[theme.slug])
    assert dict(_counts(search)["facets"]["theme"])[theme.slug] == 2
    assert dict(_counts(search)["facets"]["country"])["MG"] == 1
    new.delete()
    assert "MG" not in dict(_counts(search)["facets"]["country"])
    assert _counts(search) == counted_in_sql(ORGANIZATIONS, "")
    assert loads == []
    index_rebuild()
    assert _counts(search) == counted_in_sql(ORGANIZATIONS, "")
    assert loads == [1]  # a rebuild: everything loaded again


def test_a_log_that_went_back_reloads_everything(network):
    """Another process's view after a rolled-back write: the row last read is gone."""
    facet_index_module._indexes.clear()
    index = facet_index("projects", PROJECTS.entry_model, PROJECTS.facet_model)
    index.seen = (index.seen[0] + 1000, 12345)
    published("Jardins de Ziguinchor", lead=network["eau"], countries=["SN"])
    search = parse_search(PROJECTS, QueryDict("country=SN"))
    assert _counts(search) == counted_in_sql(PROJECTS, "country=SN")


def test_the_page_shows_the_counts_of_the_memory_index(network):
    page = search_page(ORGANIZATIONS, QueryDict("country=SN"))
    country = next(f for f in page["facets"] if f["name"] == "country")
    assert {v["value"]: v["count"] for v in country["values"]}["SN"] == page["total"] == 2
