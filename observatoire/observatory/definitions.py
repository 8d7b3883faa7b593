"""What each figure of the observatory counts, from which records, at what date.

Shown beside the figures on the dashboard, the barometers and the annual report, and listed in
docs/observatory.md. Keys are the dotted paths of `figures.collect()`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    title: str | Promise
    text: str | Promise


def _d(title, text) -> Definition:
    return Definition(title=title, text=text)


DEFINITIONS: dict[str, Definition] = {
    # Organisations: the register as it stands at the data date.
    "organizations.listed": _d(
        _("Organisations listed"),
        _(
            "Organisations of the register that are qualified (listed in the directory) at the "
            "data date, not archived and not merged into another."
        ),
    ),
    "organizations.qualified_in_period": _d(
        _("Organisations qualified in the period"),
        _(
            "Organisations whose record became qualified during the period (from the history "
            "of the records), whether through a referencing request or by staff."
        ),
    ),
    "organizations.by_kind": _d(
        _("Organisations listed by kind"),
        _("Organisations listed at the data date, per kind of organisation."),
    ),
    "organizations.by_college": _d(
        _("Organisations listed by college"),
        _(
            "Organisations listed at the data date, per college: the college of their membership "
            "of the year the period ends in, else the default college of their kind."
        ),
    ),
    "organizations.by_departement": _d(
        _("Organisations listed by département"),
        _("Organisations listed at the data date, per département of their seat."),
    ),
    # Members: memberships of the year the period ends in.
    "members.up_to_date": _d(
        _("Members up to date"),
        _(
            "Organisations whose membership fee for the year the period ends in was paid on or "
            "before 31 December of that year."
        ),
    ),
    "members.fees_total": _d(
        _("Membership fees"),
        _("Sum of the fees (EUR) of the memberships up to date for the year the period ends in."),
    ),
    "members.by_departement": _d(
        _("Members by département"),
        _("Members up to date, per département of their seat, with their fees."),
    ),
    "members.by_college": _d(
        _("Members by college"),
        _("Members up to date, per college of their membership, with their fees."),
    ),
    # Referencing.
    "referencing.received": _d(
        _("Referencing requests received"),
        _(
            "Requests sent through the public referencing form whose e-mail address was "
            "confirmed, created during the period."
        ),
    ),
    "referencing.qualified": _d(
        _("Referencing requests qualified"),
        _("Requests qualified by staff during the period (date of the decision)."),
    ),
    "referencing.rejected": _d(
        _("Referencing requests rejected"),
        _("Requests rejected by staff during the period (date of the decision)."),
    ),
    "referencing.organizations_qualified": _d(
        _("Organisations qualified"),
        _(
            "Organisations whose record became qualified during the period, with or without a "
            "request (same figure as organisations qualified in the period)."
        ),
    ),
    # Projects.
    "projects.intentions": _d(
        _("Project intentions"),
        _(
            "Projects recorded during the period (date of creation of the record): each project "
            "starts as an intention, in the emergence phase."
        ),
    ),
    "projects.active": _d(
        _("Active projects"),
        _(
            "Projects in a working phase (emergence, construction or implementation) at the data "
            "date."
        ),
    ),
    "projects.by_phase": _d(
        _("Projects by phase"),
        _("Every project recorded, per phase at the data date."),
    ),
    # Trainings: from the trainings table of the surveys.
    "trainings.count": _d(
        _("Trainings"),
        _("Training events, not cancelled, whose first sitting started during the period."),
    ),
    "trainings.participants": _d(
        _("Training participants"),
        _(
            "Participations in these trainings: confirmed registrations, or those marked present "
            "once attendance is taken; a person at two trainings counts twice."
        ),
    ),
    "trainings.satisfaction": _d(
        _("Satisfaction"),
        _(
            "Share (%) of the answers to the satisfaction question of the end-of-training "
            "questionnaires that are “very satisfied” or “satisfied”, over all the trainings of "
            "the period; empty when nobody answered."
        ),
    ),
    "trainings.table": _d(
        _("Trainings table"),
        _(
            "Each training of the period: title, dates of its first and last sitting, place, "
            "participants and satisfaction."
        ),
    ),
    # Support.
    "support.sessions": _d(
        _("Support sessions"),
        _("Individual support sessions logged by staff, held during the period."),
    ),
    "support.organizations": _d(
        _("Organisations supported"),
        _("Distinct organisations that received at least one support session during the period."),
    ),
    "support.by_departement": _d(
        _("Support by département"),
        _(
            "Support sessions of the period, per département of the seat of the organisation "
            "supported."
        ),
    ),
    "support.by_theme": _d(
        _("Support by theme"),
        _(
            "Support sessions of the period, per theme of the session (a session with several "
            "themes counts once for each)."
        ),
    ),
    "support.by_country": _d(
        _("Support by country"),
        _(
            "Support sessions of the period, per country of the project concerned (a session "
            "may concern several countries)."
        ),
    ),
    # Meetings.
    "meetings.count": _d(
        _("Meetings"),
        _(
            "Meetings, working groups, general assemblies and events of groups, not cancelled, "
            "whose first sitting started during the period and before the data date."
        ),
    ),
    "meetings.participants": _d(
        _("Meeting participants"),
        _("Participations in these meetings; a person at two meetings counts twice."),
    ),
    "meetings.by_organization_kind": _d(
        _("Meeting participants by kind of organisation"),
        _(
            "Participations in the meetings of the period, per kind of the organisation the "
            "person registered for."
        ),
    ),
    # Calls and communication.
    "calls.calls": _d(
        _("Calls for proposals"),
        _("Calls run by the network with a stage whose deadline falls in the period."),
    ),
    "calls.notes_of_intent": _d(
        _("Notes of intent"),
        _(
            "First-stage applications of two-stage calls submitted during the period "
            "(withdrawn later or not); with filters, those of applicant organisations matching "
            "them."
        ),
    ),
    "calls.full_applications": _d(
        _("Full applications"),
        _(
            "Second-stage applications, and applications to one-stage calls, submitted during "
            "the period."
        ),
    ),
    "calls.eligible": _d(
        _("Eligible applications"),
        _("Applications received during the period (first stage) found eligible by staff."),
    ),
    "calls.finalists": _d(
        _("Finalists"),
        _(
            "Applications a committee held during the period invited to the second stage or "
            "declared finalist."
        ),
    ),
    "calls.committees": _d(
        _("Selection committees"),
        _("Selection committees held during the period (not narrowed by the filters)."),
    ),
    "calls.laureates": _d(
        _("Laureates"),
        _("Applications declared laureate by a committee held during the period."),
    ),
    "calls.amount_requested": _d(
        _("Amount requested"),
        _("Total amount (EUR) requested by the applications received during the period."),
    ),
    "calls.amount_granted": _d(
        _("Amount granted"),
        _(
            "Total amount (EUR) granted to the laureates of the period, from the latest "
            "decision of each."
        ),
    ),
    "calls.by_call": _d(
        _("Calls one by one"),
        _(
            "For each call: applications received during the period (first stage), laureates "
            "and amount granted. The filters (département, kind, college) apply through the "
            "applicant organisation."
        ),
    ),
    "communication.news_published": _d(
        _("News published"),
        _("News items (of the network and of organisations) published during the period."),
    ),
    "communication.events_published": _d(
        _("Events published"),
        _("Events published on the public site whose first sitting falls in the period."),
    ),
    # Campaigns (newsletters and mailings) finished during the period, whatever the filters:
    # a campaign is the network's, not an organisation's.
    "communication.mailings": _d(
        _("Mailings"),
        _(
            "Newsletters and mailings whose sending finished during the period, with their "
            "messages; the filters do not apply to them."
        ),
    ),
    "communication.mailings.campaigns_sent": _d(
        _("Campaigns sent"),
        _(
            "Newsletters and targeted mailings whose sending finished during the period "
            "(filters do not apply)."
        ),
    ),
    "communication.mailings.sent": _d(
        _("Messages sent"),
        _(
            "Messages of those campaigns accepted by the network's mail server, one per "
            "address (filters do not apply)."
        ),
    ),
    "communication.mailings.delivered": _d(
        _("Messages delivered"),
        _("Messages sent minus the ones that bounced back (filters do not apply)."),
    ),
    "communication.mailings.bounced": _d(
        _("Messages bounced"),
        _(
            "Messages sent that came back as undeliverable, permanently or temporarily "
            "(filters do not apply)."
        ),
    ),
    "communication.mailings.opened": _d(
        _("Messages opened"),
        _(
            "Delivered messages opened at least once, measured only for the recipients who "
            "allowed measurement (filters do not apply)."
        ),
    ),
    "communication.mailings.clicked": _d(
        _("Messages clicked"),
        _(
            "Delivered messages in which at least one link was followed, measured only for "
            "the recipients who allowed measurement (filters do not apply)."
        ),
    ),
    "communication.mailings.unsubscribed": _d(
        _("Unsubscriptions"),
        _(
            "Recipients who unsubscribed through the link of one of those messages (filters "
            "do not apply)."
        ),
    ),
    # Coverage: the register and the projects as they stand at the data date.
    "coverage.sdg_organizations": _d(
        _("SDG coverage of organisations"),
        _(
            "Organisations listed at the data date that work towards each of the 17 SDGs (an "
            "organisation counts once for each of its SDGs)."
        ),
    ),
    "coverage.sdg_projects": _d(
        _("SDG coverage of projects"),
        _("Projects recorded at the data date that contribute to each of the 17 SDGs."),
    ),
    "coverage.countries_organizations": _d(
        _("Countries of intervention of organisations"),
        _("Organisations listed at the data date, per country where they act."),
    ),
    "coverage.countries_projects": _d(
        _("Countries of projects"),
        _("Projects recorded at the data date, per country where they take place."),
    ),
    "coverage.kinds_of_action": _d(
        _("Kinds of action"),
        _("Organisations listed at the data date, per kind of action they lead."),
    ),
    "coverage.themes": _d(
        _("Themes"),
        _("Organisations listed at the data date, per theme of action."),
    ),
    "coverage.themes_by_country": _d(
        _("Themes by country"),
        _(
            "Organisations listed at the data date acting on a theme in a country, for the "
            "countries where most organisations act."
        ),
    ),
    "coverage.partnerships": _d(
        _("Partnerships"),
        _(
            "Public partnerships, not ended, of listed French local authorities with an "
            "authority abroad, as drawn on the public map."
        ),
    ),
}


def definition(key: str) -> Definition:
    """The definition of a figure key; KeyError for an unknown key."""
    return DEFINITIONS[key]
