"""The duplicate finder, its task and its command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from observatoire.core.testing import make_organization
from observatoire.deduplication.models import DuplicateCandidate
from observatoire.deduplication.services import candidate_dismiss, duplicates_find
from observatoire.deduplication.tasks import find_duplicates_task
from observatoire.referentials.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    pessac = Commune.objects.get(insee_code="33318")
    niort = Commune.objects.get(insee_code="79191")
    return {
        "ville": make_organization("Ville de Pessac", kind_slug="commune", commune=pessac),
        "mairie": make_organization("Mairie de Pessac", kind_slug="commune", commune=pessac),
        "rna_a": make_organization("Les Amis d'Atakpamé", rna="W792001234", commune=niort),
        "rna_b": make_organization("Amis Atakpame (Les)", rna="W792001234"),
        "web_a": make_organization("Eau Vive Charente", website="https://www.eauvive16.org"),
        "web_b": make_organization("Asso. Eau-Vive Charente", website="http://eauvive16.org/"),
        "jumelage": make_organization(
            "Comité de jumelage de Niort", kind_slug="twinning-committee", commune=niort
        ),
        "niort": make_organization("Ville de Niort", kind_slug="commune", commune=niort),
        "other": make_organization("Terre des Hommes"),
    }


def pair_ids(*organizations):
    return tuple(sorted(o.pk for o in organizations))


def found_pairs():
    return {(c.first_id, c.second_id): c for c in DuplicateCandidate.objects.all()}


def test_finder_finds_names_identifiers_and_domains_not_the_twinning_committee(register):
    result = duplicates_find()
    pairs = found_pairs()
    assert set(pairs) == {
        pair_ids(register["ville"], register["mairie"]),
        pair_ids(register["rna_a"], register["rna_b"]),
        pair_ids(register["web_a"], register["web_b"]),
    }
    assert result.found == result.created == 3
    rna_pair = pairs[pair_ids(register["rna_a"], register["rna_b"])]
    assert rna_pair.score == 1.0
    assert rna_pair.reasons == ["rna"]
    assert rna_pair.reason_labels == ["même numéro RNA"]
    assert all(c.status == DuplicateCandidate.Status.OPEN for c in pairs.values())


def test_rerun_updates_open_pairs_and_never_reopens_dismissed_ones(register, staff):
    duplicates_find()
    web_pair = found_pairs()[pair_ids(register["web_a"], register["web_b"])]
    candidate_dismiss(candidate=web_pair, user=staff)
    DuplicateCandidate.objects.filter(status="open").update(score=0.5, reasons=[])

    result = duplicates_find()

    pairs = found_pairs()
    assert len(pairs) == 3
    web_pair.refresh_from_db()
    assert web_pair.status == DuplicateCandidate.Status.DISMISSED
    assert web_pair.decided_by == staff
    assert result.created == 0
    assert result.updated == 2
    assert all(c.score > 0.8 for c in pairs.values() if c.status == "open")


def test_open_pairs_no_longer_found_are_removed(register):
    duplicates_find()
    register["mairie"].name = "Office de tourisme de Pessac"
    register["mairie"].save()
    result = duplicates_find()
    assert result.removed == 1
    assert pair_ids(register["ville"], register["mairie"]) not in found_pairs()


def test_the_task_runs_the_finder(register):
    result = find_duplicates_task.enqueue()
    assert result.return_value == 3
    assert DuplicateCandidate.objects.count() == 3


def test_command_prints_pairs_as_text_and_json(register):
    out = StringIO()
    call_command("find_duplicates", stdout=out)
    text = out.getvalue()
    assert "Ville de Pessac" in text and "Mairie de Pessac" in text
    assert "3 pair(s) to review" in text

    out = StringIO()
    call_command("find_duplicates", "--format", "json", "--min-score", "0.99", stdout=out)
    data = json.loads(out.getvalue())
    assert data and all(d["score"] >= 0.99 for d in data)
    assert {"même numéro RNA"} in [set(d["reasons"]) for d in data]
    # Printing fewer pairs does not forget the others.
    assert DuplicateCandidate.objects.count() == 3


def test_command_refuses_a_score_out_of_range():
    with pytest.raises(CommandError):
        call_command("find_duplicates", "--min-score", "7")


def test_demo_loading_runs_the_finder(demo_network):
    # The demo's own staff accounts exist when the finder runs.
    assert DuplicateCandidate.objects.open().count() >= 5


def test_scoring_in_two_processes_gives_the_same_pairs():
    from observatoire.deduplication.blocking import find_pairs
    from observatoire.deduplication.matching import Description

    names = ["Ville de Pessac", "Mairie de Pessac", "Eau Vive", "Association Eau Vive", "CUF",
             "Cités Unies France", "Terre des Hommes", "Amis de Kaya"]  # fmt: skip
    descriptions = [(index, Description(name=name)) for index, name in enumerate(names)]
    alone, compared = find_pairs(descriptions, min_score=0.8, workers=1)
    shared, compared_too = find_pairs(descriptions, min_score=0.8, workers=2)
    assert [(p.first_id, p.second_id, p.score) for p in alone] == [
        (p.first_id, p.second_id, p.score) for p in shared
    ]
    assert len(alone) == 3 and compared == compared_too
