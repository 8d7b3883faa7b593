"""Writes through the API go through the forms and services the back office uses.

A JSON body is laid over what the form would show for the record (so a PATCH changes only
the fields it names), validated by the same Django form, and saved by the same service, which
records the history with the token's user. Form errors come back as a ValidationError whose
messages are those the form would show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from observatoire.events.admin import EventAdmin
from observatoire.events.models import Event
from observatoire.organizations import services as register
from observatoire.organizations.admin import OrganizationAdminForm, PersonAdmin
from observatoire.organizations.models import Organization, Person
from observatoire.projects import services as projects
from observatoire.projects.forms import ProjectForm
from observatoire.projects.models import Project

PersonForm = forms.modelform_factory(Person, fields=PersonAdmin.fields)
EventForm = forms.modelform_factory(Event, fields=flatten_fieldsets(EventAdmin.fieldsets))


def _form_data(form: forms.BaseForm, payload: dict[str, Any]) -> dict[str, Any]:
    """What the form shows for its record, with the payload's values laid over it."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField):
            value = [getattr(v, "pk", v) for v in (value or [])]
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    for name, value in payload.items():
        if name in form.fields:
            data[name] = "" if value is None else value
    return data


def _errors(form: forms.BaseForm) -> ValidationError:
    fields = {
        name: [strip_tags(str(m)) for m in messages] for name, messages in form.errors.items()
    }
    return ValidationError(fields)


def _check_shape(payload: dict[str, Any], form: forms.BaseForm) -> None:
    """Refuse fields the form does not have, and values of a shape no form field takes
    (an object; a list where one value is expected; lists or objects inside a list)."""
    errors = {}
    for name, value in payload.items():
        field = form.fields.get(name)
        if field is None:
            errors[name] = [_("This field does not exist or cannot be changed.")]
            continue
        many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        nested = isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        if isinstance(value, dict) or (isinstance(value, list) and not many) or nested:
            errors[name] = [_("Enter a valid value.")]
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class Writer:
    """One kind of record: its form and how the service saves what the form validated."""

    form: Callable[..., forms.ModelForm]
    save: Callable[[forms.ModelForm, Any, bool], Any]

    def write(self, *, instance, payload: dict[str, Any], user) -> Any:
        """Create (`instance.pk` None) or change `instance` from `payload`, as `user`."""
        if not isinstance(payload, dict):
            raise ValidationError(_("Send a JSON object."))
        is_new = instance.pk is None
        blank = self.form(instance=instance, user=user)
        _check_shape(payload, blank)
        form = self.form(data=_form_data(blank, payload), instance=instance, user=user)
        if not form.is_valid():
            raise _errors(form)
        with transaction.atomic():
            return self.save(form, user, is_new)


def _organization_form(*, user=None, **kwargs):
    return OrganizationAdminForm(**kwargs)


def _save_organization(form, user, is_new):
    organization = register.organization_save(organization=form.save(commit=False), changed_by=user)
    form.save_m2m()
    register.organization_refresh_search_text(organization_ids=[organization.pk])
    return organization


def _person_form(*, user=None, **kwargs):
    return PersonForm(**kwargs)


def _save_person(form, user, is_new):
    person = register.person_save(person=form.save(commit=False), changed_by=user)
    form.save_m2m()
    register.person_refresh_search_text(person=person)
    return person


def _event_form(*, user=None, **kwargs):
    return EventForm(**kwargs)


def _save_event(form, user, is_new):
    # The back office saves events with the admin's form and no service: the same here.
    event = form.save(commit=False)
    event._history_user = user
    event.save()
    form.save_m2m()
    return event


def _save_project(form, user, is_new):
    previous = Project.objects.get(pk=form.instance.pk).phase if not is_new else None
    project = form.save(commit=False)
    new_phase = form.cleaned_data["phase"]
    if not is_new:
        project.phase = previous
    projects.project_save(project=project, changed_by=user)
    form.save_m2m()
    if not project.dac_sectors.exists() and form.cleaned_data["themes"]:
        project.dac_sectors.set(projects.proposed_dac_sectors(form.cleaned_data["themes"]))
    if not is_new and new_phase != previous:
        try:
            projects.project_change_phase(project, new_phase, user=user)
        except projects.ChecklistIncomplete as incomplete:
            raise ValidationError(
                {
                    "phase": [
                        _("The current phase still lacks: %(items)s.")
                        % {"items": ", ".join(item.title for item in incomplete.lacking)}
                    ]
                }
            ) from incomplete
    return project


WRITERS = {
    Organization: Writer(form=_organization_form, save=_save_organization),
    Person: Writer(form=_person_form, save=_save_person),
    Event: Writer(form=_event_form, save=_save_event),
    Project: Writer(form=ProjectForm, save=_save_project),
}


def record_write(*, instance, payload: dict[str, Any], user):
    """Create or change a register record through its form and service."""
    return WRITERS[type(instance)].write(instance=instance, payload=payload, user=user)
