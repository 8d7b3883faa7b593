"""One access function per kind of object. Views call these and nothing else to decide access."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import BACK_OFFICE_ROLES, REGISTER_EDITOR_ROLES, Role


def is_back_office(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in BACK_OFFICE_ROLES)


def can_edit_register(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in REGISTER_EDITOR_ROLES)


def access_organization(user, pk: int, *, write: bool = False):
    """The organisation `pk` if `user` may read it (or write it, with write=True); 404/403 else.

    Staff and administrators read and write the whole register, the observatory reads it,
    an organisation editor reads and writes their own organisation only.
    """
    from observatoire.organizations.models import Organization

    organization = get_object_or_404(Organization, pk=pk)
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if can_edit_register(user):
        return organization
    if user.role == Role.OBSERVATORY and not write:
        return organization
    if user.role == Role.ORGANIZATION_EDITOR and user.organization_id == organization.pk:
        return organization
    raise PermissionDenied


def access_person(user, pk: int, *, write: bool = False):
    """The person `pk` if `user` may read (or write) their record; 404/403 otherwise.

    Personal data stays in the back office: observatory readers see it, staff change it.
    """
    from observatoire.organizations.models import Person

    person = get_object_or_404(Person, pk=pk)
    if can_edit_register(user):
        return person
    if is_back_office(user) and not write:
        return person
    raise PermissionDenied


def access_person_erasure(user, pk: int):
    """Anonymising a person is irreversible: administrators and staff only."""
    return access_person(user, pk, write=True)


def access_register_export(user, *, target: str) -> None:
    """Exporting lists: staff, administrators and the observatory."""
    permission = (
        "organizations.export_person" if target == "people" else "organizations.export_organization"
    )
    if not (is_back_office(user) and user.has_perm(permission)):
        raise PermissionDenied


def access_saved_search(user, pk: int, *, write: bool = False):
    """A saved search its owner manages; shared ones are readable by the whole back office."""
    from observatoire.organizations.models import SavedSearch

    saved_search = get_object_or_404(SavedSearch, pk=pk)
    if not is_back_office(user):
        raise PermissionDenied
    if saved_search.owner_id == user.pk or user.role == Role.ADMINISTRATOR:
        return saved_search
    if saved_search.is_shared and not write:
        return saved_search
    raise PermissionDenied


def access_register_export_file(user, pk):
    """A large export file: only the person who asked for it downloads it."""
    from observatoire.organizations.models import RegisterExport

    export = get_object_or_404(RegisterExport, pk=pk)
    if not is_back_office(user) or export.owner_id != user.pk:
        raise PermissionDenied
    return export


def access_referencing_request(user, pk: int, *, write: bool = False):
    """A referencing request: staff and administrators handle it, the observatory reads it."""
    from observatoire.referencing.models import ReferencingRequest

    if not is_back_office(user) or (write and not can_edit_register(user)):
        raise PermissionDenied
    return get_object_or_404(ReferencingRequest, pk=pk)
