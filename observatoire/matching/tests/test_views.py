"""The record panel for the team and the opportunities page of the organisation space."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.matching.models import DigestSubscription
from observatoire.watch.models import WatchItem

from .factories import make_item, water_in_senegal

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    organization = water_in_senegal()
    make_item(
        "Agence de l'eau : appel Afrique",
        themes=["water-sanitation"],
        zones=["AF"],
        days_left=400,
    )
    make_item("Formation montage de projets", kind=WatchItem.Kind.TRAINING, days_left=400)
    make_item("Réservé aux communes", kinds=["commune"], days_left=400)
    return organization


@pytest.fixture
def editor(organization):
    return make_user(Role.ORGANIZATION_EDITOR, organization=organization, email="awa@eauvive.fr")


def test_the_team_sees_the_best_matches_and_the_subscriptions_on_the_record(client, organization):
    DigestSubscription.objects.create(
        organization=organization,
        address="contact@eauvive.fr",
        opted_in_at="2026-01-05T10:00:00+01:00",
        source=DigestSubscription.Source.SPACE,
        wording="J'accepte de recevoir la lettre.",
    )
    client.force_login(make_user(Role.STAFF))

    response = client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    )

    content = response.content.decode()
    assert "Opportunités qui correspondent" in content
    assert "Agence de l&#x27;eau : appel Afrique" in content
    assert "Thème : Eau, assainissement et hygiène" in content
    assert "Réservé aux communes" not in content
    assert "contact@eauvive.fr" in content
    assert "J&#x27;accepte de recevoir la lettre." in content


def test_the_editor_sees_its_organisation_s_ranked_opportunities_with_reasons(client, editor):
    client.force_login(editor)

    response = client.get(reverse("matching:mine"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Agence de l&#x27;eau") < content.index("Formation montage de projets")
    assert "Zone : Afrique" in content
    assert "Réservé aux communes" not in content


def test_the_kind_filter_keeps_one_kind_and_an_unknown_kind_is_ignored(client, editor):
    client.force_login(editor)

    trainings = client.get(reverse("matching:mine"), {"kind": "training"}).content.decode()
    unknown = client.get(reverse("matching:mine"), {"kind": "<script>", "x": "1"})

    assert "Formation montage de projets" in trainings
    assert "Agence de l&#x27;eau" not in trainings
    assert unknown.status_code == 200
    assert "Agence de l&#x27;eau" in unknown.content.decode()


def test_another_editor_may_not_open_the_page_of_an_organisation_it_does_not_edit(
    client, organization
):
    other = make_organization("Ville de Niort", kind_slug="commune")
    client.force_login(make_user(Role.ORGANIZATION_EDITOR, organization=other))

    response = client.get(reverse("matching:organization", args=[organization.pk]))

    assert response.status_code in (403, 404)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, organization):
    for url in (
        reverse("matching:mine"),
        reverse("matching:organization", args=[organization.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_the_team_opens_an_organisation_s_page_from_its_record(client, organization):
    client.force_login(make_user(Role.STAFF))

    response = client.get(reverse("matching:organization", args=[organization.pk]))

    assert response.status_code == 200
    assert "Agence de l&#x27;eau" in response.content.decode()


def test_the_editor_subscribes_to_the_digest_and_the_consent_is_recorded(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("matching:mine"),
        {"action": "subscribe", "address": "Awa@EauVive.fr", "consent": "on"},
    )

    assert response.status_code == 302
    subscription = DigestSubscription.objects.get()
    assert subscription.address == "awa@eauvive.fr"
    assert subscription.organization == editor.organization
    assert subscription.get_source_display() == "Espace de la structure"
    assert "une fois par semaine" in subscription.wording
    assert "Association Eau Vive Charente" in subscription.wording
    assert subscription.opted_in_at is not None


def test_a_subscription_without_consent_or_with_a_bad_address_keeps_what_was_typed(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("matching:mine"), {"action": "subscribe", "address": "pas-une-adresse"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="pas-une-adresse"' in content
    assert "Saisissez une adresse e-mail valide" in content
    assert "Cochez la case pour accepter" in content
    assert "aria-describedby" in content
    assert not DigestSubscription.objects.exists()


def test_subscribing_the_same_address_twice_says_so(client, editor):
    client.force_login(editor)
    data = {"action": "subscribe", "address": "awa@eauvive.fr", "consent": "on"}
    client.post(reverse("matching:mine"), data)

    response = client.post(reverse("matching:mine"), data)

    assert response.status_code == 200
    assert "Cette adresse reçoit déjà la lettre" in response.content.decode()
    assert DigestSubscription.objects.count() == 1


def test_the_editor_unsubscribes_an_address_of_its_organisation_only(client, editor):
    mine = DigestSubscription.objects.create(
        organization=editor.organization,
        address="awa@eauvive.fr",
        opted_in_at="2026-01-05T10:00:00+01:00",
        source="space",
        wording="…",
    )
    theirs = DigestSubscription.objects.create(
        organization=make_organization("Ville de Niort", kind_slug="commune"),
        address="rI@niort.fr".lower(),
        opted_in_at="2026-01-05T10:00:00+01:00",
        source="space",
        wording="…",
    )
    client.force_login(editor)

    refused = client.post(
        reverse("matching:mine"), {"action": "unsubscribe", "subscription": theirs.pk}
    )
    done = client.post(reverse("matching:mine"), {"action": "unsubscribe", "subscription": mine.pk})

    assert refused.status_code == 404
    assert done.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.unsubscribed_at is not None
    assert theirs.unsubscribed_at is None


def test_the_organisation_space_links_to_the_opportunities(client, editor):
    client.force_login(editor)

    response = client.get(reverse("publishing:space", args=[editor.organization_id]))

    assert reverse("matching:organization", args=[editor.organization_id]) in (
        response.content.decode()
    )


def test_the_page_s_queries_do_not_grow_with_the_number_of_matches(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("matching:mine"))
    for number in range(12):
        make_item(
            f"Appel eau n° {number}",
            themes=["water-sanitation"],
            countries=["SN"],
            days_left=400,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("matching:mine"))

    assert response.content.decode().count('class="match"') == 14


def test_the_team_reads_the_subscriptions_in_the_back_office_and_an_editor_does_not(client, editor):
    DigestSubscription.objects.create(
        organization=editor.organization,
        address="awa@eauvive.fr",
        opted_in_at="2026-01-05T10:00:00+01:00",
        source="space",
        wording="…",
    )
    url = reverse("admin:matching_digestsubscription_changelist")

    client.force_login(make_user(Role.STAFF))
    assert "awa@eauvive.fr" in client.get(url).content.decode()
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
