"""An outside jury member opens their invitation link, scores an application and sends it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data
from observatoire.selection import services
from observatoire.selection.models import Review, Reviewer
from observatoire.selection.testing import make_application, make_call, make_grid, stage_of

pytestmark = pytest.mark.browser


def test_a_reviewer_scores_an_assigned_application(page):
    # The live server's database is emptied between browser tests: the vocabularies too.
    ensure_reference_data()
    call = make_call("Incubateur ODD 2026")
    pertinence, faisabilite = make_grid(call)
    reviewer = Reviewer.objects.create(call=call, name="Sophie Lambert", email="s@jury.test")
    application = make_application(call, title="Maraîchage solidaire à Kaya")
    services.assignment_create(reviewer=reviewer, application=application, stage=stage_of(call))

    page.goto(reverse("jury:invitation", args=[reviewer.token]))
    expect(page.get_by_role("heading", name="Espace du jury")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Maraîchage solidaire à Kaya").click()

    page.get_by_label("Pertinence (de 0 à 5)").fill("6")
    page.get_by_label("Faisabilité (de 0 à 20)").fill("14,5")
    page.get_by_label("Commentaire sur « Pertinence »").fill("Besoin bien documenté")
    page.get_by_label("Recommandation").select_option("yes")
    page.get_by_role("button", name="Envoyer mon évaluation").click()
    expect(page.get_by_text("La note doit être comprise entre 0 et 5.")).to_be_visible()
    expect(page.get_by_label("Commentaire sur « Pertinence »")).to_have_value(
        "Besoin bien documenté"
    )
    assert_accessible(page)

    page.get_by_label("Pertinence (de 0 à 5)").fill("4")
    page.get_by_role("button", name="Envoyer mon évaluation").click()
    expect(page.get_by_text("Votre évaluation est envoyée. Merci.")).to_be_visible()
    expect(page.get_by_role("cell", name="Envoyée")).to_be_visible()
    review = Review.objects.get()
    assert review.submitted_at is not None and review.recommendation == "yes"
    assert {s.criterion_id: s.value for s in review.assignment.scores.all()} == {
        pertinence.pk: 4,
        faisabilite.pk: 14.5,
    }
