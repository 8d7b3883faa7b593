"""Each figure of collect() against a count made by hand on the fixture network."""

import datetime
import json

import pytest
from django.utils import timezone

from observatoire.core.periods import Period
from observatoire.observatory.figures import DEFINITIONS, Filters, collect, definition
from observatoire.organizations.models import Organization
from observatoire.referentials.models import OrganizationKind

pytestmark = pytest.mark.django_db


def rows(block) -> dict[str, int]:
    return {r["key"]: r["count"] for r in block}


@pytest.fixture
def data(network):
    return collect(Period.last_twelve_months())


def test_the_result_is_json_with_every_key_of_the_contract(data):
    assert json.loads(json.dumps(data)) == data
    assert data["schema"] == 1
    assert set(data) == {
        "schema", "period", "filters", "data_date", "organizations", "members", "referencing",
        "projects", "trainings", "support", "meetings", "calls", "communication", "coverage",
    }  # fmt: skip
    assert data["period"]["end"] == timezone.localdate().isoformat()
    assert data["filters"] == {"departement": "", "kind": "", "college": ""}
    assert data["calls"]["laureates"] == 0
    assert set(data["communication"]["mailings"]) == {
        "campaigns_sent", "sent", "delivered", "bounced", "opened", "clicked", "unsubscribed"
    }  # fmt: skip


def test_every_key_has_a_definition(data):
    for section, block in data.items():
        if section in {"schema", "period", "filters", "data_date"}:
            continue
        keys = [section] if block is None else [f"{section}.{key}" for key in block]
        for key in keys:
            assert str(definition(key).title) and str(definition(key).text), key
    assert all(str(d.text) for d in DEFINITIONS.values())


def test_organizations(data, network):
    figures = data["organizations"]
    # The draft is not listed; the foreign authority is.
    assert figures["listed"] == Organization.objects.qualified().count() == 4
    assert figures["qualified_in_period"] == 4
    assert rows(figures["by_kind"]) == {"association": 2, "commune": 2}
    assert [r["key"] for r in figures["by_departement"]] == ["33", "86", ""]
    assert rows(figures["by_departement"]) == {"33": 1, "86": 2, "": 1}
    association_college = network["eau_vive"].kind.default_college.slug
    commune_college = network["poitiers"].kind.default_college.slug
    assert rows(figures["by_college"])[association_college] == 2
    assert rows(figures["by_college"])[commune_college] == 2
    label = OrganizationKind.objects.get(slug="association").name
    assert figures["by_kind"][0]["label"] in {
        label,
        OrganizationKind.objects.get(slug="commune").name,
    }


def test_members_count_fees_paid_for_the_year(data, network):
    figures = data["members"]
    assert figures["up_to_date"] == 2
    assert figures["fees_total"] == 250.0
    assert {r["key"]: (r["count"], r["value"]) for r in figures["by_departement"]} == {
        "33": (1, 50.0),
        "86": (1, 200.0),
    }
    commune_college = network["poitiers"].kind.default_college.slug
    assert {r["key"]: r["value"] for r in figures["by_college"]}[commune_college] == 200.0


def test_referencing_projects_and_communication(data):
    assert data["referencing"] == {
        "received": 1,
        "qualified": 0,
        "rejected": 0,
        "organizations_qualified": 4,
    }
    assert data["projects"]["intentions"] == 2
    assert data["projects"]["active"] == 1  # the completed one is not active
    assert rows(data["projects"]["by_phase"]) == {"implementation": 1, "completed": 1}
    # The training and the meeting; the cancelled meeting is not published.
    assert data["communication"]["news_published"] == 1
    assert data["communication"]["events_published"] == 2
    # No campaign sent in the network (campaigns/tests/test_stats.py counts them).
    assert data["communication"]["mailings"]["campaigns_sent"] == 0


def test_trainings_with_their_satisfaction(data, network):
    figures = data["trainings"]
    assert figures["count"] == 1 and figures["participants"] == 4
    assert figures["satisfaction"] == 75.0  # 3 satisfied answers out of 4
    (line,) = figures["table"]
    first = network["training"].sittings.get()
    assert line == {
        "title": "Écrire un dossier de subvention AFD",
        "start": timezone.localtime(first.starts_at).date().isoformat(),
        "end": timezone.localtime(first.ends_at).date().isoformat(),
        "place": "Maison des associations",
        "participants": 4,
        "satisfaction": 75.0,
    }


def test_support(data, network):
    figures = data["support"]
    assert (figures["sessions"], figures["organizations"]) == (3, 2)
    assert [(r["key"], r["count"]) for r in figures["by_departement"]] == [("33", 2), ("86", 1)]
    themes = rows(figures["by_theme"])
    assert themes[network["water"].slug] == 2 and themes[network["education"].slug] == 1
    assert themes[""] == 1  # the session without a theme
    assert rows(figures["by_country"]) == {"BF": 2, "": 1}


def test_meetings(data):
    figures = data["meetings"]
    assert (figures["count"], figures["participants"]) == (1, 3)
    assert rows(figures["by_organization_kind"]) == {"association": 2, "commune": 1}


def test_coverage(data, network):
    coverage = data["coverage"]
    sdgs = coverage["sdg_organizations"]
    assert [r["key"] for r in sdgs] == [str(n) for n in range(1, 18)]
    assert sdgs[5]["colour"].startswith("#") and sdgs[5]["count"] == 2  # the draft not counted
    assert rows(coverage["sdg_organizations"])["11"] == 1
    assert rows(coverage["sdg_projects"])["4"] == 1 and rows(coverage["sdg_projects"])["6"] == 1
    assert rows(coverage["countries_organizations"]) == {"BF": 3, "SN": 1}
    assert coverage["countries_organizations"][0]["label"] == "Burkina Faso"
    assert rows(coverage["countries_projects"]) == {"BF": 1, "SN": 1}
    assert sum(r["count"] for r in coverage["kinds_of_action"]) == 2
    assert rows(coverage["themes"]) == {network["water"].slug: 3, network["education"].slug: 1}
    cells = coverage["themes_by_country"]["cells"]
    assert [network["water"].slug, "BF", 3] in cells
    assert [network["education"].slug, "SN", 1] in cells
    partnerships = coverage["partnerships"]
    assert partnerships["count"] == 1 and rows(partnerships["by_country"]) == {"BF": 1}
    (line,) = partnerships["lines"]
    assert line["label"] == "Ville de Poitiers – Commune de Ouahigouya"


def test_filters_restrict_the_organisations_and_what_they_did(network):
    data = collect(Period.last_twelve_months(), Filters(departement="86"))
    assert data["filters"]["departement"] == "86"
    assert data["organizations"]["listed"] == 2
    assert data["members"]["up_to_date"] == 1 and data["members"]["fees_total"] == 200.0
    assert data["support"]["sessions"] == 1
    assert data["projects"]["intentions"] == 1
    assert data["referencing"]["organizations_qualified"] == 2
    assert rows(data["coverage"]["countries_organizations"]) == {"BF": 2, "SN": 1}
    assert data["coverage"]["partnerships"]["count"] == 1
    # The network's own activities are not narrowed.
    assert data["meetings"]["count"] == 1 and data["trainings"]["count"] == 1

    by_kind = collect(Period.last_twelve_months(), Filters(kind="association"))
    assert by_kind["organizations"]["listed"] == 2
    assert by_kind["support"]["sessions"] == 2
    assert by_kind["coverage"]["partnerships"]["count"] == 0

    college = network["poitiers"].kind.default_college.slug
    by_college = collect(Period.last_twelve_months(), Filters(college=college))
    assert by_college["organizations"]["listed"] == 2
    assert by_college["members"]["up_to_date"] == 1


def test_a_period_before_the_records_counts_no_activity(network):
    data = collect(Period.year(timezone.localdate().year - 5))
    assert data["support"]["sessions"] == 0
    assert data["trainings"] == {"count": 0, "participants": 0, "satisfaction": None, "table": []}
    assert data["meetings"]["count"] == 0 and data["projects"]["intentions"] == 0
    assert data["members"]["up_to_date"] == 0


def test_collect_runs_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    # Aggregates only: the count does not grow with the number of records.
    with django_assert_max_num_queries(70):
        collect(Period.last_twelve_months(), Filters(departement="86"))


def test_filters_parse_drops_unknown_values(network):
    assert Filters.parse({"departement": "86", "kind": "nope", "college": "x" * 500}) == Filters(
        departement="86"
    )
    assert Filters.parse({}) == Filters()
    assert Filters(departement="86", kind="commune").as_params() == {
        "departement": "86",
        "kind": "commune",
    }


def test_periods():
    assert Period.year(2025).previous() == Period.year(2024)
    last = Period.last_twelve_months(datetime.date(2026, 6, 30))
    assert (last.start, last.end) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
    before = last.previous()
    assert (before.start, before.end) == (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30))
    custom = Period.custom(datetime.date(2026, 3, 10), datetime.date(2026, 3, 1))
    assert (custom.start, custom.end, custom.parameter) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 10),
        "custom",
    )
    assert (custom.previous().start, custom.previous().end) == (
        datetime.date(2026, 2, 19),
        datetime.date(2026, 2, 28),
    )
    assert custom.date_bounds() == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 11))
    start, end = custom.bounds()
    assert timezone.localtime(end).date() == datetime.date(2026, 3, 11) and start.tzinfo
    assert Period.parse("1500").parameter == "last12"
