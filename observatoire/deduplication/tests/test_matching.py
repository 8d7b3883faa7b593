import pytest

from observatoire.deduplication.matching import (
    Description,
    acronym_of,
    find_matches,
    name_key,
    score_pair,
    web_domain,
)
from observatoire.organizations.models import Organization
from observatoire.organizations.services import organization_refresh_search_text
from observatoire.referentials.models import Commune, OrganizationKind


def test_name_key_drops_generic_words_and_accents():
    assert name_key("Mairie de Saint-Étienne") == "saint etienne"
    assert name_key("Association Eau & Vie") == name_key("Eau et Vie")


def test_acronym_of_uses_distinctive_words():
    assert acronym_of("Cités Unies France") == "cuf"


def test_web_domain_ignores_public_mail_providers():
    assert web_domain("https://www.eauvive.org/contact") == "eauvive.org"
    assert web_domain("contact@eauvive.org") == "eauvive.org"
    assert web_domain("jean.dupont@gmail.com") == ""


def test_same_identifier_is_a_certain_match():
    score, reasons = score_pair(
        Description(name="A", rna="W332001234"), Description(name="B", rna="W332001234")
    )
    assert score == 1.0
    assert reasons == ["même numéro RNA"]


def test_different_names_do_not_match():
    score, _ = score_pair(Description(name="Eau Vive"), Description(name="Terre des Hommes"))
    assert score < 0.6


def test_acronym_matches_full_name():
    score, _ = score_pair(
        Description(name="CUF"), Description(name="Cités Unies France", acronym="CUF")
    )
    assert score >= 0.9


@pytest.mark.django_db
def test_find_matches_finds_a_variant_in_the_register():
    kind = OrganizationKind.objects.first()
    commune = Commune.objects.get(insee_code="33063")
    Organization.objects.create(name="Terre des Hommes", kind=kind)
    target = Organization(name="Ville de Bordeaux", kind=kind, commune=commune)
    target.departement = commune.departement
    target.save()
    organization_refresh_search_text(
        organization_ids=Organization.objects.values_list("pk", flat=True)
    )
    matches = find_matches(
        Description(
            name="Mairie de Bordeaux", commune_id=commune.pk, departement_id=commune.departement_id
        )
    )
    assert [m.organization.pk for m in matches] == [target.pk]
    assert matches[0].score >= 0.9
