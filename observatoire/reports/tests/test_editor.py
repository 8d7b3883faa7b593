"""The staff editor: who may use it, creating from the template, sections and blocks."""

import pytest
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import ensure_reference_data, make_organization, make_user
from observatoire.reports import services
from observatoire.reports.models import AnnualReport, Block, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


@pytest.fixture
def report(fake_observatory):
    return services.report_create(year=2025)


def _sections(report):
    return list(report.sections.values_list("title", flat=True))


def _blocks(section):
    return list(section.blocks.values_list("kind", flat=True))


def test_anonymous_visitors_are_sent_to_the_login_page(client, report):
    for url in (reverse("reports:list"), reverse("reports:detail", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_an_organisation_editor_is_refused(client, report):
    ensure_reference_data()
    editor = make_user(Role.ORGANIZATION_EDITOR, organization=make_organization())
    client.force_login(editor)
    for url in (
        reverse("reports:list"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:view", args=[report.pk]),
        reverse("reports:json", args=[report.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("reports:publish", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert not report.is_published


@pytest.mark.parametrize("role", [Role.STAFF, Role.OBSERVATORY, Role.ADMINISTRATOR])
def test_the_back_office_uses_the_editor(client, report, role):
    client.force_login(make_user(role))
    assert client.get(reverse("reports:list")).status_code == 200
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert report.title in response.text


def test_a_new_report_starts_from_the_default_template(client, staff, fake_observatory):
    client.force_login(staff)
    response = client.post(reverse("reports:list"), {"year": "2024", "title": ""})
    report = AnnualReport.objects.get(year=2024)
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert report.title and not report.is_published
    assert len(_sections(report)) == len(services.DEFAULT_TEMPLATE)
    kinds = set(Block.objects.filter(section__report=report).values_list("kind", flat=True))
    assert {"members_by_departement", "trainings", "support_by_country", "calls"} <= kinds


def test_a_bad_year_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    response = client.post(reverse("reports:list"), {"year": "20x5", "title": "Bilan 2025"})
    assert response.status_code == 200
    assert not AnnualReport.objects.exists()
    assert 'value="Bilan 2025"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_add_a_section_and_bad_input_keeps_the_text(client, staff, report):
    client.force_login(staff)
    url = reverse("reports:section_add", args=[report.pk])
    response = client.post(url, {"title": "", "text": "Un texte à garder"})
    assert response.status_code == 200
    assert "Un texte à garder" in response.text and 'id="id_title_error"' in response.text
    response = client.post(url, {"title": "Perspectives", "text": "L'an prochain…"})
    assert response.status_code == 302
    assert _sections(report)[-1] == "Perspectives"


def test_edit_a_section(client, staff, report):
    client.force_login(staff)
    section = report.sections.first()
    url = reverse("reports:section_edit", args=[report.pk, section.pk])
    client.post(url, {"title": "Chiffres clés", "text": "Ligne 1\nLigne 2\n\n<b>gras</b>"})
    section.refresh_from_db()
    assert section.title == "Chiffres clés"
    # The narrative is shown escaped, in paragraphs and line breaks.
    html = client.get(reverse("reports:view", args=[report.pk])).text
    assert "<p>Ligne 1<br>Ligne 2</p>" in html and "&lt;b&gt;gras&lt;/b&gt;" in html


def test_sections_move_up_and_down(client, staff, report):
    client.force_login(staff)
    first, second = report.sections.all()[:2]
    url = reverse("reports:section_move", args=[report.pk, second.pk])
    client.post(url, {"direction": "up"})
    assert _sections(report)[:2] == [second.title, first.title]
    client.post(url, {"direction": "down"})
    assert _sections(report)[:2] == [first.title, second.title]
    # Nothing above the first one; an unknown direction changes nothing.
    client.post(reverse("reports:section_move", args=[report.pk, first.pk]), {"direction": "up"})
    client.post(url, {"direction": "sideways"})
    assert _sections(report)[:2] == [first.title, second.title]


def test_remove_a_section(client, staff, report):
    client.force_login(staff)
    section = report.sections.first()
    client.post(reverse("reports:section_remove", args=[report.pk, section.pk]))
    assert not Section.objects.filter(pk=section.pk).exists()


def test_blocks_are_added_moved_and_removed(client, staff, report):
    client.force_login(staff)
    section = report.sections.all()[1]  # organisations and members: three blocks
    before = _blocks(section)
    client.post(
        reverse("reports:block_add", args=[report.pk, section.pk]), {"kind": "sdg_projects"}
    )
    assert _blocks(section) == [*before, "sdg_projects"]
    added = section.blocks.get(kind="sdg_projects")
    client.post(reverse("reports:block_move", args=[report.pk, added.pk]), {"direction": "up"})
    assert _blocks(section)[-2:] == ["sdg_projects", before[-1]]
    client.post(reverse("reports:block_remove", args=[report.pk, added.pk]))
    assert _blocks(section) == before


def test_an_unknown_block_is_refused(client, staff, report):
    client.force_login(staff)
    section = report.sections.first()
    before = _blocks(section)
    response = client.post(
        reverse("reports:block_add", args=[report.pk, section.pk]), {"kind": "nonsense"}
    )
    assert response.status_code == 302
    assert _blocks(section) == before


def test_a_block_of_another_report_is_not_found(client, staff, report, fake_observatory):
    other = services.report_create(year=2024)
    block = Block.objects.filter(section__report=other).first()
    client.force_login(staff)
    response = client.post(reverse("reports:block_remove", args=[report.pk, block.pk]))
    assert response.status_code == 404
    assert Block.objects.filter(pk=block.pk).exists()


def test_a_published_report_cannot_be_edited(client, staff, report):
    services.report_publish(report=report, by=staff)
    client.force_login(staff)
    section = report.sections.first()
    client.post(reverse("reports:section_remove", args=[report.pk, section.pk]))
    assert Section.objects.filter(pk=section.pk).exists()
    client.post(reverse("reports:unpublish", args=[report.pk]))
    report.refresh_from_db()
    assert not report.is_published


def test_the_report_heading_is_edited(client, staff, report):
    client.force_login(staff)
    url = reverse("reports:edit", args=[report.pk])
    response = client.post(url, {"year": "abc", "title": "Rapport", "introduction": "Bonjour"})
    assert response.status_code == 200 and "Bonjour" in response.text
    client.post(url, {"year": "2025", "title": "Rapport 2025", "introduction": "Bonjour"})
    report.refresh_from_db()
    assert (report.title, report.introduction) == ("Rapport 2025", "Bonjour")


def test_the_editor_page_query_count(client, staff, report, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_the_list_page_query_count(client, staff, fake_observatory, django_assert_max_num_queries):
    reports = [services.report_create(year=year) for year in (2023, 2024, 2025)]
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:list"))
    for report in reports:
        assert reverse("reports:detail", args=[report.pk]) in response.text
