import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from observatoire.core.testing import make_organization

from .. import selectors, services
from ..models import Assignment, Committee, Decision, Reviewer
from ..testing import make_application, make_call, make_grid, stage_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return make_call()


def reviewer(call, name, organization=None):
    return Reviewer.objects.create(
        call=call, name=name, email=f"{name.lower()}@jury.test", organization=organization
    )


def test_a_detected_conflict_blocks_the_assignment_unless_overruled(call, staff):
    applicant = make_organization("Association Eau Vive Charente")
    application = make_application(call, applicant)
    member = reviewer(call, "Claire", applicant)
    with pytest.raises(ValidationError) as error:
        services.assignment_create(reviewer=member, application=application, stage=stage_of(call))
    assert "override_reason" in error.value.message_dict
    assert not Assignment.objects.exists()
    assignment = services.assignment_create(
        reviewer=member,
        application=application,
        stage=stage_of(call),
        user=staff,
        override_reason="Seule spécialiste de l'eau du jury ; ne vote pas.",
    )
    assert assignment.conflict_flag and assignment.overridden_by == staff
    assert assignment.overridden_at is not None and assignment.conflict_reasons


def test_automatic_assignment_balances_load_and_skips_conflicts(call):
    applicants = [make_organization(f"Association {n}") for n in range(4)]
    applications = [
        make_application(call, o, title=f"Projet {n}") for n, o in enumerate(applicants)
    ]
    members = [
        reviewer(call, "Anne"),
        reviewer(call, "Bruno"),
        reviewer(call, "Chloé", applicants[0]),
    ]
    made, short = services.assign_automatically(
        call=call, stage=stage_of(call), applications=applications, per_application=2
    )
    assert made == 8 and short == []
    loads = [m.assignments.count() for m in members]
    assert sorted(loads) == [2, 3, 3]
    assert not Assignment.objects.filter(reviewer=members[2], application=applications[0]).exists()
    # Run again: nothing more to do.
    assert services.assign_automatically(
        call=call, stage=stage_of(call), applications=applications, per_application=2
    ) == (0, [])


def test_declaring_a_conflict_withdraws_the_assignment(call):
    application = make_application(call)
    assignment = services.assignment_create(
        reviewer=reviewer(call, "Anne"), application=application, stage=stage_of(call)
    )
    services.conflict_declare(assignment=assignment, reason="Mon frère préside l'association.")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLARED_CONFLICT
    assert not selectors.reviewer_assignments(reviewers=[assignment.reviewer]).exists()


def _scored(call, application, member, marks, recommendation="yes"):
    assignment = services.assignment_create(
        reviewer=member, application=application, stage=stage_of(call)
    )
    criteria = list(call.criteria.order_by("order"))
    services.review_save(
        assignment=assignment,
        marks={c.pk: (Decimal(v), "") for c, v in zip(criteria, marks, strict=True)},
        recommendation=recommendation,
        submit=True,
    )
    return assignment


def test_totals_are_weighted_normalised_to_100_averaged_and_ranked(call):
    make_grid(call)  # Pertinence weight 2 on 0–5, Faisabilité weight 1 on 0–20
    first = make_application(call, title="Premier")
    second = make_application(call, title="Second")
    unscored = make_application(call, title="Sans note")
    anne, bruno = reviewer(call, "Anne"), reviewer(call, "Bruno")
    _scored(call, first, anne, ["5", "20"])  # 100
    _scored(call, first, bruno, ["2.5", "10"], "maybe")  # (2×0.5 + 1×0.5)/3 = 50
    _scored(call, second, anne, ["4", "5"], "no")  # (2×0.8 + 0.25)/3 = 61.7
    results = selectors.ranking(stage=stage_of(call), applications=[unscored, second, first])
    assert [r.application for r in results] == [first, second, unscored]
    first_result, second_result, unscored_result = results
    assert first_result.totals == [Decimal("100.0"), Decimal("50.0")]
    assert first_result.average == Decimal("75.0")
    assert first_result.spread == Decimal("25.0")
    assert (first_result.lowest, first_result.highest) == (Decimal("50.0"), Decimal("100.0"))
    assert first_result.recommendations == {"yes": 1, "maybe": 1}
    assert second_result.average == Decimal("61.7") and second_result.rank == 2
    assert first_result.rank == 1 and unscored_result.rank is None


def test_a_draft_review_does_not_count(call):
    make_grid(call)
    application = make_application(call)
    assignment = services.assignment_create(
        reviewer=reviewer(call, "Anne"), application=application, stage=stage_of(call)
    )
    criteria = list(call.criteria.all())
    services.review_save(assignment=assignment, marks={criteria[0].pk: (Decimal(3), "")})
    assert selectors.ranking(stage=stage_of(call), applications=[application])[0].totals == []


def test_a_mark_outside_the_scale_is_refused_and_nothing_saved(call):
    pertinence, faisabilite = make_grid(call)
    assignment = services.assignment_create(
        reviewer=reviewer(call, "Anne"), application=make_application(call), stage=stage_of(call)
    )
    with pytest.raises(ValidationError) as error:
        services.review_save(
            assignment=assignment,
            marks={pertinence.pk: (Decimal(6), ""), faisabilite.pk: (Decimal(12), "")},
            recommendation="yes",
            submit=True,
        )
    assert error.value.message_dict == {
        f"mark_{pertinence.pk}": ["La note doit être comprise entre 0 et 5."]
    }
    assert not assignment.scores.exists()


def test_reviews_are_locked_once_the_committee_has_met(call):
    pertinence, faisabilite = make_grid(call)
    assignment = services.assignment_create(
        reviewer=reviewer(call, "Anne"), application=make_application(call), stage=stage_of(call)
    )
    Committee.objects.create(
        call=call, stage=stage_of(call), held_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        services.review_save(
            assignment=assignment,
            marks={pertinence.pk: (Decimal(4), ""), faisabilite.pk: (Decimal(12), "")},
            recommendation="yes",
            submit=True,
        )
    assert "Le comité de sélection s'est réuni" in error.value.messages[0]
    assert not assignment.scores.exists()


def test_a_committee_planned_later_does_not_lock(call):
    make_grid(call)
    Committee.objects.create(
        call=call, stage=stage_of(call), held_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert services.stage_locked(stage=stage_of(call)) is None


@pytest.fixture
def committee(call):
    return Committee.objects.create(
        call=call, stage=stage_of(call, 2), held_on=timezone.localdate()
    )


def test_decide_sets_the_application_status_and_lists_laureates(call, committee, staff):
    application = make_application(call, title="Maraîchage", amount=Decimal("15000"), stage=2)
    other = make_application(call, title="Radio", stage=2)
    services.decide(
        committee=committee,
        application=application,
        outcome="laureate",
        amount_granted=Decimal("12000"),
        user=staff,
    )
    services.decide(
        committee=committee, application=other, outcome="not_selected", user=staff,
        feedback="Budget trop imprécis.",
    )  # fmt: skip
    application.refresh_from_db()
    other.refresh_from_db()
    assert (application.status, other.status) == ("laureate", "not_selected")
    laureates = list(selectors.laureates(call=call))
    assert laureates == [application] and laureates[0].amount_granted == Decimal("12000")
    assert selectors.granted_total(call=call) == Decimal("12000")


def test_invited_application_reaches_stage_two(call, staff):
    committee = Committee.objects.create(
        call=call, stage=stage_of(call), held_on=timezone.localdate()
    )
    application = make_application(call)
    services.decide(committee=committee, application=application, outcome="invited", user=staff)
    application.refresh_from_db()
    assert (application.status, application.stage_reached) == ("invited", 2)


def test_an_amount_above_the_request_needs_confirmation(call, committee, staff):
    application = make_application(call, amount=Decimal("10000"), stage=2)
    with pytest.raises(ValidationError) as error:
        services.decide(
            committee=committee, application=application, outcome="laureate",
            amount_granted=Decimal("11000"), user=staff,
        )  # fmt: skip
    assert "amount_granted" in error.value.message_dict
    decision = services.decide(
        committee=committee, application=application, outcome="laureate",
        amount_granted=Decimal("11000"), user=staff, confirm_amount=True,
    )  # fmt: skip
    assert decision.amount_granted == Decimal("11000")


def test_second_editor_of_a_decision_is_refused(call, committee, staff, administrator):
    application = make_application(call, stage=2)
    first = services.decide(
        committee=committee, application=application, outcome="finalist", user=staff, version=0
    )
    # Both opened the form at version 1; the administrator saves first.
    services.decide(
        committee=committee, application=application, outcome="not_selected",
        user=administrator, version=first.version,
    )  # fmt: skip
    with pytest.raises(services.DecisionConflict) as error:
        services.decide(
            committee=committee, application=application, outcome="laureate",
            amount_granted=Decimal(5000), user=staff, version=first.version,
        )  # fmt: skip
    assert "Cette décision a été modifiée par Administrator" in error.value.messages[0]
    decision = Decision.objects.get()
    assert (decision.outcome, decision.version) == ("not_selected", 2)
    application.refresh_from_db()
    assert application.status == "not_selected"


def test_applicants_are_notified_once_by_mail(
    call, committee, staff, smtp_server, django_capture_on_commit_callbacks
):
    laureate = make_application(call, title="Maraîchage", amount=Decimal("15000"), stage=2)
    refused = make_application(call, title="Radio", stage=2)
    services.decide(
        committee=committee, application=laureate, outcome="laureate",
        amount_granted=Decimal("12000"), user=staff,
    )  # fmt: skip
    services.decide(
        committee=committee, application=refused, outcome="not_selected", user=staff,
        feedback="Le budget manque de précision.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.committee_notify(committee=committee, user=staff) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.committee_notify(committee=committee, user=staff) == 0
    assert len(smtp_server.messages) == 2
    by_recipient = {m["To"]: m.get_content() for m in smtp_server.messages}
    assert "12 000,00 €" in by_recipient[laureate.contact_email].replace("\u202f", " ").replace(
        "\xa0", " "
    )
    assert "Le budget manque de précision." in by_recipient[refused.contact_email]


def test_invited_applicants_receive_the_calls_invitation_with_their_link(
    call, staff, smtp_server, django_capture_on_commit_callbacks
):
    committee = Committee.objects.create(
        call=call, stage=stage_of(call), held_on=timezone.localdate()
    )
    application = make_application(call, title="Maraîchage")
    services.decide(committee=committee, application=application, outcome="invited", user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.committee_notify(committee=committee, user=staff)
    (message,) = smtp_server.messages
    assert message["To"] == application.contact_email
    assert "/appels/" in message.get_content()
