"""GDPR: export everything held about a person, and erase a person while keeping the counts."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import Affiliation, Person


@dataclass(frozen=True)
class PersonalDataSection:
    """What another app holds about a person: how to export it and how to erase it.

    Events, support sessions and surveys keep data about people that the register does not
    know of; each registers a section in its `AppConfig.ready()` so that the export is complete
    and the erasure leaves nothing behind.
    """

    name: str
    export: Callable[[Person], list[dict[str, Any]]]
    erase: Callable[[Person], None] | None = None


_sections: dict[str, PersonalDataSection] = {}


def register_personal_data(section: PersonalDataSection) -> None:
    _sections[section.name] = section


def person_personal_data(person: Person) -> dict[str, Any]:
    """Everything the register holds about a person, as plain data (access right, art. 15)."""
    return {
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "notes": person.notes,
            "source": person.get_source_display(),
            "created_at": person.created_at,
            "updated_at": person.updated_at,
        },
        "emails": [
            {"address": e.address, "label": e.label, "main": e.is_primary}
            for e in person.emails.all()
        ],
        "phones": [{"number": p.number, "label": p.label} for p in person.phones.all()],
        "affiliations": [
            {
                "organization": a.organization.name,
                "role": a.role,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "main_contact": a.is_main_contact,
            }
            for a in person.affiliations.select_related("organization")
        ],
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "granted": c.granted,
                "date": c.given_at,
                "source": c.get_source_display(),
                "wording": c.wording,
            }
            for c in person.consents.order_by("given_at")
        ],
        "interactions": [
            {
                "date": i.occurred_at,
                "kind": i.get_kind_display(),
                "subject": i.subject,
                "notes": i.notes,
            }
            for i in person.interactions.order_by("occurred_at")
        ],
        "board_seats": [
            {
                "organization": s.organization.name,
                "college": str(s.college),
                "office": s.office,
                "start_date": s.start_date,
                "end_date": s.end_date,
            }
            for s in person.board_seats.select_related("organization", "college")
        ],
        "history": [
            {
                "date": h.history_date,
                "change": h.get_history_type_display(),
                "first_name": h.first_name,
                "last_name": h.last_name,
                "job_title": h.job_title,
            }
            for h in person.history.order_by("history_date")
        ],
        **{name: section.export(person) for name, section in sorted(_sections.items())},
    }


def person_personal_data_json(person: Person) -> str:
    return json.dumps(
        person_personal_data(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def person_personal_data_rows(person: Person) -> list[list[str]]:
    """The same data as (section, field, value) rows for a CSV download."""
    data = json.loads(person_personal_data_json(person))
    rows: list[list[str]] = []
    for section, content in data.items():
        items = content if isinstance(content, list) else [content]
        for index, item in enumerate(items, start=1):
            for field, value in item.items():
                label = f"{section}[{index}]" if isinstance(content, list) else section
                rows.append([label, field, "" if value is None else str(value)])
    return rows


@transaction.atomic
def person_erase(*, person: Person, erased_by=None) -> Person:
    """Anonymise a person for good (right to erasure, art. 17).

    The record stays so that counts (contacts per organisation, participants) remain true,
    but names, contact details, notes, consents and the history that held them are removed.
    """
    person.emails.all().delete()
    person.phones.all().delete()
    person.consents.all().delete()
    person.first_name = "Personne"
    person.last_name = f"anonymisée n° {person.pk}"
    person.job_title = ""
    person.notes = ""
    person.search_text = ""
    person.erased_at = timezone.now()
    Affiliation.objects.filter(person=person).update(role="", is_main_contact=False)
    person.save_without_historical_record()
    for section in _sections.values():
        if section.erase is not None:
            section.erase(person)
    # The history held every earlier value of the personal fields.
    person.history.all().delete()
    for model in (Affiliation, person.emails.model, person.phones.model, person.consents.model):
        model.history.filter(person_id=person.pk).delete()
    from .services import organization_refresh_search_text

    organization_refresh_search_text(
        organization_ids=person.affiliations.values_list("organization_id", flat=True)
    )
    return person
