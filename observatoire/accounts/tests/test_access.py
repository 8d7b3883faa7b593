"""Roles and access functions, tried with every persona."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from observatoire.accounts import access
from observatoire.core.testing import PASSWORD, make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("administrator", True, True),
        ("staff", True, True),
        ("observatory", True, False),
        ("editor", True, True),
        ("outsider_editor", False, False),
    ],
)
def test_access_organization(request, persona, read, write, organization):
    user = request.getfixturevalue(persona)
    for wanted, allowed in ((False, read), (True, write)):
        if allowed:
            assert access.access_organization(user, organization.pk, write=wanted) == organization
        else:
            with pytest.raises(PermissionDenied):
                access.access_organization(user, organization.pk, write=wanted)


def test_unknown_organization_is_not_found(staff):
    with pytest.raises(Http404):
        access.access_organization(staff, 999999)


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("administrator", True, True),
        ("staff", True, True),
        ("observatory", True, False),
        ("editor", False, False),
    ],
)
def test_access_person(request, persona, read, write):
    user = request.getfixturevalue(persona)
    person = make_person()
    for wanted, allowed in ((False, read), (True, write)):
        if allowed:
            assert access.access_person(user, person.pk, write=wanted) == person
        else:
            with pytest.raises(PermissionDenied):
                access.access_person(user, person.pk, write=wanted)


def test_anonymous_has_no_access(organization):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        access.access_organization(AnonymousUser(), organization.pk)
    with pytest.raises(PermissionDenied):
        access.access_register_export(AnonymousUser(), target="organizations")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("administrator", True), ("staff", True), ("observatory", True), ("editor", False)],
)
def test_register_export(request, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        access.access_register_export(user, target="organizations")
        access.access_register_export(user, target="people")
    else:
        with pytest.raises(PermissionDenied):
            access.access_register_export(user, target="people")


def test_role_permissions(staff, observatory, administrator, editor):
    assert staff.has_perm("organizations.change_organization")
    assert staff.has_perm("referentials.change_theme")
    assert not staff.has_perm("referentials.change_commune")
    assert not staff.has_perm("accounts.change_user")
    assert observatory.has_perm("organizations.view_person")
    assert observatory.has_perm("organizations.export_organization")
    assert not observatory.has_perm("organizations.change_organization")
    assert administrator.has_perm("accounts.change_user")
    assert not editor.has_perm("organizations.view_organization")
    assert not editor.is_staff and staff.is_staff and observatory.is_staff


def test_saved_search_access(staff, observatory, administrator):
    from observatoire.organizations.models import SavedSearch

    private = SavedSearch.objects.create(
        name="Mes associations",
        target="organizations",
        query_string="",
        owner=staff,
        is_shared=False,
    )
    shared = SavedSearch.objects.create(
        name="Partagée", target="organizations", query_string="", owner=staff, is_shared=True
    )
    assert access.access_saved_search(staff, private.pk, write=True) == private
    assert access.access_saved_search(administrator, private.pk, write=True) == private
    with pytest.raises(PermissionDenied):
        access.access_saved_search(observatory, private.pk)
    assert access.access_saved_search(observatory, shared.pk) == shared
    with pytest.raises(PermissionDenied):
        access.access_saved_search(observatory, shared.pk, write=True)


def test_repeated_wrong_passwords_lock_the_account(client, staff, settings):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": staff.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": staff.email, "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while the lock lasts.
    response = client.post(url, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():
    from config import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
