"""Writes of the annual report: create from the template, edit, reorder, snapshot, publish."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import figures as observatory
from .blocks import REGISTRY
from .models import AnnualReport, Block, Section, Snapshot

# The default template: a real network's annual report, section by section. Titles and texts
# are marked for translation and stored in the language of the person creating the report.
DEFAULT_TEMPLATE: list[tuple[str, str, list[str]]] = [
    (
        gettext_noop("The year in figures"),
        gettext_noop("The main figures of the network's year, from the observatory's records."),
        ["key_figures"],
    ),
    (
        gettext_noop("Organisations and members"),
        gettext_noop(
            "Who the network gathers: the organisations listed in the directory and the members "
            "up to date with their membership."
        ),
        ["members_by_departement", "organizations_by_kind", "organizations_by_college"],
    ),
    (
        gettext_noop("Referencing"),
        gettext_noop("The organisations that asked to join the directory and were qualified."),
        ["referencing"],
    ),
    (
        gettext_noop("Trainings"),
        gettext_noop("The trainings the network ran for its members, with their satisfaction."),
        ["trainings"],
    ),
    (
        gettext_noop("Individual support"),
        gettext_noop("The support sessions given to organisations and their projects."),
        ["support_by_theme", "support_by_country"],
    ),
    (
        gettext_noop("Network life"),
        gettext_noop("Meetings and webinars of the country and thematic groups."),
        ["meetings"],
    ),
    (
        gettext_noop("Where and for what the actors act"),
        gettext_noop(
            "The Sustainable Development Goals, the countries and the themes the organisations "
            "and their projects cover."
        ),
        [
            "sdg_organizations",
            "sdg_projects",
            "countries_organizations",
            "themes_by_country",
            "partnerships",
        ],
    ),
    (
        gettext_noop("Calls for projects"),
        gettext_noop("The calls the network ran and their laureates."),
        ["calls"],
    ),
    (
        gettext_noop("Communication"),
        gettext_noop("News, events and mailings published by the network."),
        ["communication"],
    ),
]


def _check_draft(report: AnnualReport) -> None:
    if report.is_published:
        raise ValidationError(_("A published report cannot be changed: return it to draft first."))


def _check_kind(kind: str) -> None:
    if kind not in REGISTRY:
        raise ValidationError({"kind": _("Choose a block from the list.")})


@transaction.atomic
def report_create(*, year: int, title: str = "", introduction: str = "") -> AnnualReport:
    """A draft report of `year` holding the sections and blocks of the default template."""
    report = AnnualReport(
        year=year,
        title=title or _("Annual report %(year)s") % {"year": year},
        introduction=introduction,
    )
    report.full_clean()
    report.save()
    for position, (section_title, text, kinds) in enumerate(DEFAULT_TEMPLATE):
        section = Section.objects.create(
            report=report, position=position, title=_(section_title), text=_(text)
        )
        Block.objects.bulk_create(
            Block(section=section, position=index, kind=kind) for index, kind in enumerate(kinds)
        )
    return report


def report_update(*, report: AnnualReport, year: int, title: str, introduction: str) -> None:
    """Change the heading of a draft report."""
    _check_draft(report)
    report.year, report.title, report.introduction = year, title, introduction
    report.full_clean()
    report.save(update_fields=["year", "title", "introduction", "updated_at"])


def section_add(*, report: AnnualReport, title: str, text: str = "") -> Section:
    """A new section at the end of a draft report."""
    _check_draft(report)
    last = report.sections.order_by("-position").values_list("position", flat=True).first()
    section = Section(report=report, title=title, text=text, position=(last or 0) + 1)
    section.full_clean()
    section.save()
    return section


def section_update(*, section: Section, title: str, text: str) -> None:
    _check_draft(section.report)
    section.title, section.text = title, text
    section.full_clean()
    section.save(update_fields=["title", "text"])


def section_remove(*, section: Section) -> None:
    _check_draft(section.report)
    section.delete()


def _move(item, siblings, direction: str) -> bool:
    """Swap `item` with its neighbour above ("up") or below ("down"); False at either end."""
    ordered = list(siblings)
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        sibling.position = position
    type(item).objects.bulk_update(ordered, ["position"])
    return True


@transaction.atomic
def section_move(*, section: Section, direction: str) -> bool:
    """Move a section one place up or down in its report."""
    _check_draft(section.report)
    return _move(section, section.report.sections.select_for_update(), direction)


def block_add(*, section: Section, kind: str) -> Block:
    """An automatic block at the end of a section of a draft report."""
    _check_draft(section.report)
    _check_kind(kind)
    last = section.blocks.order_by("-position").values_list("position", flat=True).first()
    return Block.objects.create(section=section, kind=kind, position=(last or 0) + 1)


def block_remove(*, block: Block) -> None:
    _check_draft(block.section.report)
    block.delete()


@transaction.atomic
def block_move(*, block: Block, direction: str) -> bool:
    """Move a block one place up or down in its section."""
    _check_draft(block.section.report)
    return _move(block, block.section.blocks.select_for_update(), direction)


def snapshot_take(*, report: AnnualReport, by=None) -> Snapshot:
    """Freeze today's figures of the report's year into a new snapshot the draft renders from."""
    _check_draft(report)
    data = observatory.fresh_figures(year=report.year)
    period = data.get("period") or {}
    data_date = parse_datetime(str(data.get("data_date") or "")) or timezone.now()
    snapshot = Snapshot.objects.create(
        year=report.year,
        period_start=period.get("start") or datetime.date(report.year, 1, 1),
        period_end=period.get("end") or datetime.date(report.year, 12, 31),
        filters=data.get("filters") or {},
        figures=data,
        data_date=data_date,
        created_by=by,
    )
    report.snapshot = snapshot
    report.save(update_fields=["snapshot", "updated_at"])
    return snapshot


@transaction.atomic
def report_publish(*, report: AnnualReport, by=None) -> AnnualReport:
    """Publish a draft: its figures freeze in a snapshot (the one staff reviewed, or a new one)."""
    _check_draft(report)
    if AnnualReport.objects.published().filter(year=report.year).exclude(pk=report.pk).exists():
        raise ValidationError(
            _("The report of %(year)s is already published: return it to draft first.")
            % {"year": report.year}
        )
    if report.snapshot is None:
        snapshot_take(report=report, by=by)
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at", "updated_at"])
    return report


def report_unpublish(*, report: AnnualReport) -> None:
    """Return a published report to draft; it keeps its snapshot until staff take a new one."""
    report.status = AnnualReport.Status.DRAFT
    report.published_at = None
    report.save(update_fields=["status", "published_at", "updated_at"])
