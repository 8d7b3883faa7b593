import pytest

from observatoire.deduplication.matching import (
    Description,
    abbreviates,
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


def place(insee_code: str) -> dict:
    commune = Commune.objects.get(insee_code=insee_code)
    return {"commune_id": commune.pk, "departement_id": commune.departement_id}


def test_names_fold_dotted_acronyms_and_legal_forms():
    assert name_key("DSM I.P. Assets B.V.") == "dsm ip assets"
    assert name_key("N V PHILIPS' GLOEILAMPENFABRIEKEN") == "philips gloeilampenfabrieken"


def test_legal_words_punctuation_and_case_do_not_matter():
    score, reasons = score_pair(
        Description(name="SOLIDARITE GIRONDE BURKINA"),
        Description(name="Association Solidarité Gironde–Burkina"),
    )
    assert score >= 0.95
    assert reasons == ["noms proches"]


def test_partial_acronym_is_expanded_against_the_full_name():
    score, reasons = score_pair(
        Description(name="HSF Sud-Ouest"),
        Description(name="Hydraulique Sans Frontières Sud-Ouest"),
    )
    assert score >= 0.9
    assert "le sigle correspond au nom" in reasons


@pytest.mark.django_db
def test_a_town_and_its_twinning_committee_are_two_bodies():
    niort = place("79191")
    score, reasons = score_pair(
        Description(name="Ville de Niort", **niort),
        Description(name="Comité de jumelage de Niort", **niort),
    )
    assert score < 0.75
    assert "types d’organisation différents" in reasons


@pytest.mark.django_db
def test_same_named_communes_of_two_departements_are_two_bodies():
    commune_a, commune_b = Commune.objects.filter(name="Saint-Denis").order_by("pk")[:2]
    score, _ = score_pair(
        Description(
            name="Ville de Saint-Denis",
            commune_id=commune_a.pk,
            departement_id=commune_a.departement_id,
        ),
        Description(
            name="Mairie de Saint-Denis",
            commune_id=commune_b.pk,
            departement_id=commune_b.departement_id,
        ),
    )
    assert score < 0.75


@pytest.mark.django_db
def test_mairie_and_ville_of_one_commune_are_one_body():
    pessac = place("33318")
    score, reasons = score_pair(
        Description(name="Mairie de Pessac", **pessac),
        Description(name="Ville de Pessac", **pessac),
    )
    assert score >= 0.95
    assert "même commune" in reasons


def test_shared_website_does_not_make_two_different_names_one():
    score, _ = score_pair(
        Description(name="Artisans du Monde Poitiers", website="https://artisansdumonde.org"),
        Description(name="Ligue des droits", website="https://www.artisansdumonde.org/poitiers"),
    )
    assert score < 0.75


def test_bad_input_never_breaks_the_matcher():
    for value in ["", "   ", "&&&", "http://[::1", "@", "\x00"]:
        score_pair(Description(name=value, website=value, email=value), Description(name="A"))


@pytest.mark.django_db
def test_find_matches_leads_from_a_merged_record_to_the_survivor():
    from observatoire.core.testing import make_organization

    survivor = make_organization("Eau Vive Charente")
    merged = make_organization("Asso Eau-Vive Charente", rna="W162001234")
    Organization.objects.filter(pk=merged.pk).update(merged_into=survivor, status="archived")
    matches = find_matches(Description(name="Eau Vive", rna="W162001234"))
    assert [m.organization.pk for m in matches] == [survivor.pk]


def test_legal_forms_written_in_full_are_dropped_like_their_abbreviation():
    assert name_key("Société anonyme des Eaux de Vittel") == name_key("Eaux de Vittel SA")
    assert name_key("Dupont Société à responsabilité limitée") == "dupont"
    assert name_key("Brasserie Dupont SAS") == name_key(
        "Brasserie Dupont société par actions simplifiée"
    )
    assert name_key("Association loi 1901 Eau Vive") == name_key("Eau Vive")


def test_the_seat_after_a_legal_form_written_first_is_not_the_name():
    assert name_key("SARL Dupont, Lyon") == name_key("Dupont SARL, Lyon") == "dupont"
    # Without a legal form, what follows a comma stays part of the name.
    assert name_key("Amis de Kaya, Burkina") != name_key("Amis de Kaya")


def test_html_entities_are_read_as_their_character():
    assert name_key("Eau &amp; Vie") == name_key("Eau & Vie") == name_key("Eau et Vie")


def test_an_address_written_after_the_legal_form_is_not_the_name():
    assert name_key("Dupont SARL 12 rue de la Paix 69002 Lyon") == "dupont"
    # A number that belongs to the name stays.
    assert name_key("Coopération Guinée 44") == "cooperation guinee 44"


def test_abbreviations_are_the_beginning_of_a_word_then_its_consonants():
    assert abbreviates("intl", "international")
    assert abbreviates("dvpt", "developpement")
    assert abbreviates("assoc", "association")
    assert abbreviates("svc", "service")
    assert not abbreviates("bar", "boulangerie")  # a vowel that is not at the start
    assert not abbreviates("mali", "maliens")  # a word and its derivative
    assert not abbreviates("st", "saint")  # too short to tell


def test_abbreviated_words_match_the_name_written_in_full():
    score, reasons = score_pair(
        Description(name="Groupement intl de dvpt agricole"),
        Description(name="Groupement international de développement agricole"),
    )
    assert score >= 0.95
    assert reasons == ["noms proches"]


def test_another_street_costs_more_than_another_number_on_the_same_street():
    def at(name: str, address: str) -> Description:
        return Description(name=name, address=address, postal_code="33000")

    moved, _ = score_pair(at("Eau Vive", "12 rue de la Paix"), at("Eau Vive", "4 cours Hugo"))
    # The same name still reaches the default threshold (an association that moved).
    assert moved == 0.8
    variant = ("Solidarité Gironde Burkina", "Solidarité Gironde-Burkina Faso")
    other_street, reasons = score_pair(
        at(variant[0], "12 rue de la Paix"), at(variant[1], "4 cours Victor Hugo")
    )
    other_number, _ = score_pair(
        at(variant[0], "12 rue de la Paix"), at(variant[1], "14 rue de la Paix")
    )
    assert other_street < other_number
    assert other_street < 0.8
    assert "adresses différentes" in reasons


def test_web_domain_reads_hosts_as_urlsplit_does():
    from urllib.parse import urlsplit

    from observatoire.deduplication.matching import _url_host

    for value in [
        "https://www.eauvive.org/contact",
        "eauvive.org",
        "http://x.org:8080/a?b#c",
        "ftp://x.org",
        "www.x.org//foo",
        "http://[::1]/",
        "http://[::1",
        "a b.org",
        "https:x",
        "http://",
        "x.org:",
    ]:
        try:
            expected = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        except ValueError:
            expected = ""
        assert _url_host(value) == expected, value
