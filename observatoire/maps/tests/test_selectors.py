from django.http import QueryDict

from observatoire.maps import selectors
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project


def names(points: dict) -> set[str]:
    return {point[2] for point in points["points"]}


def test_organization_points_are_listed_organizations_only(register):
    points = selectors.organization_points({})
    assert names(points) == {
        "Ville de Poitiers",
        "Association Bordeaux Solidarité",
        "Association Discrète",
    }
    assert points["total"] == 3 and points["clusters"] == []


def test_hidden_address_puts_the_organization_at_its_commune(register):
    point = next(
        p for p in selectors.organization_points({})["points"] if p[3] == "association-discrete"
    )
    commune = register.hidden_address.commune
    assert (point[0], point[1]) == (
        round(float(commune.latitude), 4),
        round(float(commune.longitude), 4),
    )
    assert (point[0], point[1]) != (46.9, 0.3)


def test_visible_address_uses_the_organization_coordinates(register):
    register.bordeaux.latitude, register.bordeaux.longitude = 44.85, -0.57
    register.bordeaux.save()
    point = next(
        p for p in selectors.organization_points({})["points"] if p[3] == register.bordeaux.slug
    )
    assert (point[0], point[1]) == (44.85, -0.57)


def test_filters_combine_and_repeat(register):
    assert names(selectors.organization_points(QueryDict("country=BF"))) == {
        "Ville de Poitiers",
        "Association Bordeaux Solidarité",
    }
    assert names(selectors.organization_points(QueryDict("country=BF&sdg=6"))) == {
        "Ville de Poitiers"
    }
    assert names(selectors.organization_points(QueryDict("sdg=6&sdg=4"))) == {
        "Ville de Poitiers",
        "Association Bordeaux Solidarité",
    }
    assert names(
        selectors.organization_points(QueryDict("theme=water-sanitation&kind=commune"))
    ) == {"Ville de Poitiers"}
    assert names(selectors.organization_points(QueryDict("departement=33"))) == {
        "Association Bordeaux Solidarité"
    }
    assert names(selectors.organization_points(QueryDict("q=poitiers"))) == {"Ville de Poitiers"}


def test_filters_do_not_reveal_hidden_fields(register):
    # The discreet association acts in Senegal but shows its countries to staff only.
    assert selectors.organization_points(QueryDict("country=SN"))["total"] == 0
    register.hidden_address.field_visibility = {"address_line1": "staff"}
    register.hidden_address.save()
    assert names(selectors.organization_points(QueryDict("country=SN"))) == {"Association Discrète"}


def test_bad_filter_values_are_ignored_as_in_the_directory(register):
    # The maps share the directory's search: a value it does not know filters nothing.
    assert selectors.organization_points(QueryDict("country=ZZ"))["total"] == 3
    assert selectors.organization_points(QueryDict("sdg=abc&zoom=x&bbox=a,b"))["total"] == 3
    assert selectors.organization_points(QueryDict("q=%27%22%3B+DROP+TABLE"))["total"] == 0


def test_country_counts_equal_plain_counts(register):
    counts = selectors.organization_country_counts({})
    listed = Organization.objects.filter(status="qualified")
    assert counts["BF"] == listed.filter(countries__iso2="BF").count() == 2
    assert counts["MA"] == 1
    # The draft acts in Burkina Faso too, and the discreet association hides its countries.
    assert "SN" not in counts
    assert selectors.project_country_counts({}) == {
        "BF": Project.objects.filter(is_published=True, countries__iso2="BF").count(),
        "SN": 1,
    }


def test_departement_counts_equal_plain_counts(register):
    counts = selectors.departement_counts({})
    listed = Organization.objects.filter(status="qualified")
    assert counts == {"86": listed.filter(departement__code="86").count(), "33": 1}
    rows = dict((code, n) for code, _name, n in selectors.region_departement_rows({}))
    assert rows["86"] == 2 and rows["33"] == 1 and rows["87"] == 0
    assert selectors.departement_counts(QueryDict("country=MA")) == {"86": 1}


def test_project_points_show_public_places_of_published_projects(register):
    points = selectors.project_points({})
    assert [p[3] for p in points["points"]] == ["eau-dedougou"]
    assert selectors.project_points(QueryDict(f"lead={register.poitiers.slug}"))["total"] == 1
    assert selectors.project_points(QueryDict("lead=inconnu"))["total"] == 1  # ignored
    assert selectors.project_points(QueryDict("country=SN"))["total"] == 0


def test_too_many_points_become_grid_clusters(register, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_POINTS", 2)
    data = selectors.organization_points(QueryDict("zoom=3"))
    assert data["points"] == [] and data["total"] == 3
    assert sum(cluster[2] for cluster in data["clusters"]) == 3
    # Numbers, not Decimals (which JSON would turn into strings on PostgreSQL).
    assert all(type(value) is float for cluster in data["clusters"] for value in cluster[:2])
    # Zoomed in on Bordeaux, only its organisation is left: a point again.
    data = selectors.organization_points(QueryDict("zoom=12&bbox=-0.7,44.7,-0.4,45.0"))
    assert names(data) == {"Association Bordeaux Solidarité"}


def test_partnership_lines_go_to_the_partner_country_when_it_has_no_coordinates(register):
    [line] = selectors.partnership_lines({})
    poitiers = register.poitiers
    assert line[:4] == [
        round(float(poitiers.latitude), 4),
        round(float(poitiers.longitude), 4),
        "Ville de Poitiers",
        poitiers.slug,
    ]
    assert line[4:8] == [*selectors.country_centroids()["MA"], "Commune urbaine d'Oujda", "MA"]
    assert line[8] == ""  # the partner is not listed: no link
    assert selectors.partnership_lines(QueryDict("country=SN")) == []
    register.partnership.is_public = False
    register.partnership.save()
    assert selectors.partnership_lines({}) == []
