import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user

from .. import services
from ..models import Assignment, Committee, Decision, Reviewer, Score
from ..testing import make_application, make_call, make_grid, stage_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = make_call()
    make_grid(call)
    return call


@pytest.fixture
def outside(call):
    return Reviewer.objects.create(call=call, name="Claire Martin", email="claire@jury.test")


@pytest.fixture
def mine(call, outside):
    application = make_application(call, title="Maraîchage à Kaya")
    return services.assignment_create(
        reviewer=outside, application=application, stage=stage_of(call)
    )


@pytest.fixture
def theirs(call):
    other = Reviewer.objects.create(call=call, name="Bruno Petit", email="bruno@jury.test")
    application = make_application(call, title="Radio communautaire")
    assignment = services.assignment_create(
        reviewer=other, application=application, stage=stage_of(call)
    )
    criteria = list(call.criteria.all())
    services.review_save(
        assignment=assignment,
        marks={
            criteria[0].pk: (Decimal("4.5"), "Très pertinent"),
            criteria[1].pk: (Decimal(17), ""),
        },
        recommendation="yes",
        comment="Commentaire confidentiel de Bruno",
        submit=True,
    )
    return assignment


def signed_in_as(client, reviewer):
    client.get(reverse("jury:invitation", args=[reviewer.token]))


def test_the_invitation_link_opens_the_jury_space_with_only_own_assignments(
    client, outside, mine, theirs
):
    signed_in_as(client, outside)
    page = client.get(reverse("jury:home")).content.decode()
    assert "Maraîchage à Kaya" in page
    assert "Radio communautaire" not in page
    assert client.get(reverse("jury:review", args=[mine.pk])).status_code == 200
    response = client.get(reverse("jury:review", args=[theirs.pk]))
    assert response.status_code == 404
    assert "Commentaire confidentiel" not in response.content.decode()


def test_other_reviewers_never_see_scores(client, outside, mine, theirs):
    signed_in_as(client, outside)
    page = client.get(reverse("jury:review", args=[mine.pk])).content.decode()
    assert "Très pertinent" not in page and "Commentaire confidentiel" not in page


def test_an_unknown_link_opens_nothing(client, mine):
    assert client.get(reverse("jury:invitation", args=["nope"])).status_code == 404
    assert client.get(reverse("jury:home")).status_code == 403
    assert client.get(reverse("jury:review", args=[mine.pk])).status_code == 404


def test_outside_reviewer_cannot_reach_staff_pages(client, call, outside, mine):
    signed_in_as(client, outside)
    for url in [
        reverse("selection:index"),
        reverse("selection:call", args=[call.pk]),
        reverse("selection:ranking", args=[call.pk, stage_of(call).pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/compte/" in response["Location"], url


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 200), ("administrator", 200), ("observatory", 403), ("organization_editor", 403)],
)
def test_who_sees_the_ranking(client, call, theirs, role, expected):
    fields = (
        {"organization": make_organization("Autre")} if role == Role.ORGANIZATION_EDITOR else {}
    )
    client.force_login(make_user(role, **fields))
    response = client.get(reverse("selection:ranking", args=[call.pk, stage_of(call).pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "Radio communautaire" in response.content.decode()
        assert "88,3" in response.content.decode()  # (2×0.9 + 17/20)/3 × 100


def test_applicant_editor_never_sees_scores(client, call, theirs):
    """The applicant organisation's editor reaches neither the ranking nor a review."""
    applicant = theirs.application.organization
    client.force_login(make_user(Role.ORGANIZATION_EDITOR, organization=applicant))
    assert (
        client.get(reverse("selection:ranking", args=[call.pk, stage_of(call).pk])).status_code
        == 403
    )
    assert client.get(reverse("jury:review", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("jury:home")).status_code == 403


def test_scoring_outside_the_scale_keeps_what_was_typed(client, call, outside, mine):
    signed_in_as(client, outside)
    pertinence, faisabilite = call.criteria.order_by("order")
    response = client.post(
        reverse("jury:review", args=[mine.pk]),
        {
            f"mark_{pertinence.pk}": "7",
            f"comment_{pertinence.pk}": "Bonne analyse du contexte",
            f"mark_{faisabilite.pk}": "12,5",
            "recommendation": "yes",
            "comment": "Mon avis général",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La note doit être comprise entre 0 et 5." in page
    assert "Bonne analyse du contexte" in page and "Mon avis général" in page
    assert 'value="12,5"' in page
    assert not Score.objects.filter(assignment=mine).exists()


def test_a_score_sent_after_the_committee_is_refused(client, call, outside, mine):
    Committee.objects.create(
        call=call, stage=stage_of(call), held_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    signed_in_as(client, outside)
    pertinence, faisabilite = call.criteria.order_by("order")
    response = client.post(
        reverse("jury:review", args=[mine.pk]),
        {f"mark_{pertinence.pk}": "4", f"mark_{faisabilite.pk}": "12", "recommendation": "no",
         "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Le comité de sélection s&#x27;est réuni" in response.content.decode()
    assert not Score.objects.filter(assignment=mine).exists()


def test_declaring_a_conflict_from_the_jury_space(client, call, outside, mine, staff):
    signed_in_as(client, outside)
    response = client.post(
        reverse("jury:declare", args=[mine.pk]), {"reason": "J'ai été salariée de l'association."}
    )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=mine.pk).status == "declared_conflict"
    client.force_login(staff)
    page = client.get(reverse("selection:call", args=[call.pk])).content.decode()
    assert "J&#x27;ai été salariée de l&#x27;association." in page


def test_staff_assign_with_a_conflict_needs_a_reason(client, call, staff):
    applicant = make_organization("Association Eau Vive Charente")
    application = make_application(call, applicant, title="Puits")
    member = Reviewer.objects.create(
        call=call, name="Claire", email="c@jury.test", organization=applicant
    )
    client.force_login(staff)
    url = reverse("selection:assignments", args=[call.pk, stage_of(call).pk])
    page = client.get(url).content.decode()
    assert "Conflits d'intérêts détectés" in page
    response = client.post(
        url, {"application": application.pk, f"a{application.pk}-reviewer": member.pk}
    )
    assert response.status_code == 200
    assert "Donnez un motif pour attribuer quand même" in response.content.decode()
    assert not Assignment.objects.exists()
    client.post(
        url,
        {
            "application": application.pk,
            f"a{application.pk}-reviewer": member.pk,
            f"a{application.pk}-override_reason": "Seule experte eau du jury.",
        },
    )
    assert Assignment.objects.get().overridden_by == staff


def test_concurrent_decision_edit_is_refused_and_keeps_the_typing(
    client, call, staff, administrator
):
    committee = Committee.objects.create(
        call=call, stage=stage_of(call, 2), held_on=timezone.localdate()
    )
    application = make_application(call, stage=2, amount=Decimal(20000))
    url = reverse("selection:decision", args=[call.pk, committee.pk, application.pk])
    services.decide(committee=committee, application=application, outcome="finalist", user=staff)
    client.force_login(administrator)
    assert client.post(url, {"outcome": "not_selected", "version": "1"}).status_code == 302
    client.force_login(staff)
    response = client.post(
        url,
        {
            "outcome": "laureate",
            "amount_granted": "15 000",
            "feedback": "Très bon projet",
            "version": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette décision a été modifiée par Administrator" in page
    assert "Très bon projet" in page
    assert Decision.objects.get().outcome == "not_selected"


def test_the_invitation_is_mailed(
    client, call, staff, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("selection:call", args=[call.pk]),
            {"invite-name": "Claire Martin", "invite-email": "claire@jury.test"},
        )
    assert response.status_code == 302
    reviewer = Reviewer.objects.get()
    (message,) = smtp_server.messages
    assert message["To"] == "claire@jury.test"
    assert reverse("jury:invitation", args=[reviewer.token]) in message.get_content()


@pytest.mark.parametrize("name", ["selection:assignments", "selection:ranking"])
def test_staff_pages_query_count_does_not_grow_with_applications(client, call, staff, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    members = [
        Reviewer.objects.create(call=call, name=f"Membre {n}", email=f"m{n}@jury.test")
        for n in range(3)
    ]
    url = reverse(name, args=[call.pk, stage_of(call).pk])
    client.force_login(staff)
    counts = []
    for batch in range(2):
        for n in range(3):
            application = make_application(call, title=f"Projet {batch}-{n}")
            for member in members:
                services.assignment_create(
                    reviewer=member, application=application, stage=stage_of(call)
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_hold_a_committee_and_notify_once(
    client, call, staff, smtp_server, django_capture_on_commit_callbacks
):
    application = make_application(call, title="Radio communautaire", stage=2)
    client.force_login(staff)
    stage = stage_of(call, 2)
    response = client.post(
        reverse("selection:committee_create", args=[call.pk, stage.pk]),
        {"held_on": "2026-06-12", "attendees": [staff.pk], "minutes": "Neuf lauréats."},
    )
    committee = Committee.objects.get()
    assert response.status_code == 302 and list(committee.attendees.all()) == [staff]
    url = reverse("selection:decision", args=[call.pk, committee.pk, application.pk])
    client.post(url, {"outcome": "not_selected", "feedback": "Budget à préciser.", "version": "0"})
    committee_url = reverse("selection:committee", args=[call.pk, stage.pk, committee.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(committee_url, {"notify": "1"})
        client.post(committee_url, {"notify": "1"})
    assert len(smtp_server.messages) == 1
    assert "Budget à préciser." in smtp_server.messages[0].get_content()


def test_bad_committee_date_keeps_the_form(client, call, staff):
    client.force_login(staff)
    response = client.post(
        reverse("selection:committee_create", args=[call.pk, stage_of(call).pk]),
        {"held_on": "32/13/2026", "minutes": "Compte rendu"},
    )
    assert response.status_code == 200
    assert "Saisissez une date, par exemple 15/03/2026." in response.content.decode()
    assert "Compte rendu" in response.content.decode()


def test_a_reviewer_downloads_only_the_files_of_their_applications(
    client, call, outside, mine, theirs, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from observatoire.calls.models import Attachment, FormField

    settings.MEDIA_ROOT = tmp_path
    field = FormField.objects.create(stage=stage_of(call), label="Budget", kind="attachment")
    files = {}
    for assignment in (mine, theirs):
        submission = assignment.application.submissions.get()
        files[assignment.pk] = Attachment.objects.create(
            submission=submission,
            field=field,
            file=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget"),
            original_name="budget.pdf",
            size=15,
            content_type="application/pdf",
        )
    signed_in_as(client, outside)
    response = client.get(reverse("jury:attachment", args=[mine.pk, files[mine.pk].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 budget"
    assert "attachment" in response["Content-Disposition"]
    other = reverse("jury:attachment", args=[mine.pk, files[theirs.pk].pk])
    assert client.get(other).status_code == 404
