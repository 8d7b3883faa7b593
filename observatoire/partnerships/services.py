"""Writes of decentralised cooperation: partnerships, agreements, contacts and missions.

Every write validates the model (`full_clean`) and runs in a transaction, so the workspace, the
back office, the twin-town import and the demo keep the same rules.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from observatoire.organizations.models import Affiliation, Organization, Person, Source
from observatoire.organizations.services import organization_save, person_save
from observatoire.referentials.models import Country, OrganizationKind

from .models import Agreement, Mission, MissionParticipant, Partnership, PartnershipContact


def authority_name_of(town: str) -> str:
    """« Ville de Corby », « Ville d'Oujda »: how a town's authority is named when created."""
    town = town.strip()
    if town[:1].upper() in "AEIOUYÉÈÊÂÎ" or town[:1] in "aeiouyéèêâî":
        return f"Ville d'{town}"
    return f"Ville de {town}"


@transaction.atomic
def foreign_authority_create(
    *,
    name: str,
    country: Country,
    locality: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    kind_slug: str = "commune",
    source: str = Source.STAFF,
    changed_by=None,
) -> Organization:
    """A foreign local authority, lightly described; never through the referencing flow."""
    if country.iso2 == "FR":
        raise ValidationError({"seat_country": _("A foreign authority cannot be in France.")})
    organization = Organization(
        name=name.strip(),
        kind=OrganizationKind.objects.get(slug=kind_slug),
        legal_form=Organization.LegalForm.FOREIGN,
        seat_country=country,
        seat_locality=(locality or "").strip(),
        latitude=_coordinate(latitude),
        longitude=_coordinate(longitude),
        coordinates_overridden=latitude is not None,
        status=Organization.Status.QUALIFIED,
        source=source,
    )
    organization = organization_save(
        organization=organization, changed_by=changed_by, reason="partnership"
    )
    organization.countries.add(country)
    return organization


def _coordinate(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal("0.000001"))


@transaction.atomic
def partnership_create(
    *,
    french_authority: Organization,
    foreign_authority: Organization,
    kind: str = Partnership.Kind.COOPERATION,
    status: str = Partnership.Status.ACTIVE,
    since_year: int | None = None,
    ended_year: int | None = None,
    description: str = "",
    themes=(),
    officer=None,
    is_public: bool = True,
    source: str = "",
    changed_by=None,
) -> Partnership:
    """A partnership between a French and a foreign authority, checked before it is saved."""
    partnership = Partnership(
        french_authority=french_authority,
        foreign_authority=foreign_authority,
        kind=kind,
        status=status,
        since_year=since_year,
        ended_year=ended_year,
        description=description,
        officer=officer,
        is_public=is_public,
        source=source,
    )
    return partnership_save(partnership=partnership, themes=themes, changed_by=changed_by)


@transaction.atomic
def partnership_save(*, partnership: Partnership, themes=None, changed_by=None) -> Partnership:
    """Validate and save a partnership (and its themes when given)."""
    partnership_check_sides(partnership)
    partnership.full_clean()
    partnership._history_user = changed_by
    partnership.save()
    if themes is not None:
        partnership.themes.set(themes)
    return partnership


def partnership_check_sides(partnership: Partnership) -> None:
    """The French side sits in France and the partner abroad, as a register reader expects."""
    errors = {}
    french = partnership.french_authority if partnership.french_authority_id else None
    foreign = partnership.foreign_authority if partnership.foreign_authority_id else None
    if french is not None and french.seat_country_id and french.seat_country.iso2 != "FR":
        errors["french_authority"] = _("The French authority has its seat abroad.")
    if foreign is not None and foreign.commune_id and not foreign.seat_country_id:
        errors["foreign_authority"] = _("The partner authority is located in France.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_save(*, agreement: Agreement) -> Agreement:
    """Validate and save an agreement; a renewal renews an agreement of the same partnership."""
    if agreement.renews_id:
        if agreement.renews.partnership_id != agreement.partnership_id:
            raise ValidationError({"renews": _("Choose an agreement of the same partnership.")})
        if agreement.renews_id == agreement.pk:
            raise ValidationError({"renews": _("An agreement cannot renew itself.")})
        if agreement.status == Agreement.Status.SIGNED:
            agreement.status = Agreement.Status.RENEWED
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def contact_add(
    *,
    partnership: Partnership,
    side: str,
    role: str = "",
    person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    changed_by=None,
) -> PartnershipContact:
    """A key contact: a person of the register, or a new one affiliated to their side."""
    if person is None:
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(_("Choose a person or give a first and a last name."))
        person = person_save(
            person=Person(
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                job_title=job_title.strip(),
            ),
            changed_by=changed_by,
        )
        authority = (
            partnership.french_authority
            if side == PartnershipContact.Side.FRENCH
            else partnership.foreign_authority
        )
        Affiliation.objects.create(person=person, organization=authority, role=job_title.strip())
    if PartnershipContact.objects.filter(partnership=partnership, person=person).exists():
        raise ValidationError(_("This person is already a key contact of the partnership."))
    contact = PartnershipContact(partnership=partnership, person=person, side=side, role=role)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def mission_save(*, mission: Mission, participants: list[dict] | None = None) -> Mission:
    """Validate and save a mission; `participants` (when given) replace the delegation."""
    mission.full_clean()
    mission.save()
    if participants is not None:
        mission.participants.all().delete()
        for entry in participants:
            mission_participant_add(mission=mission, **entry)
    return mission


def mission_participant_add(
    *,
    mission: Mission,
    person: Person | None = None,
    name: str = "",
    organization: Organization | None = None,
    role: str = "",
) -> MissionParticipant:
    """A member of the delegation: a person of the register or a free name."""
    if person is None and not name.strip():
        raise ValidationError(_("Choose a person or write a name."))
    participant = MissionParticipant(
        mission=mission,
        person=person,
        name=name.strip(),
        organization=organization,
        role=role.strip(),
    )
    participant.full_clean()
    participant.save()
    return participant
