"""Reads of the annual report: which figures a report shows, the published report of a year."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import figures as observatory
from .models import AnnualReport, Block, Section


@dataclass(frozen=True)
class ReportFigures:
    data: dict
    data_date: object  # aware datetime
    frozen: bool  # from a snapshot rather than computed now


def report_figures(*, report: AnnualReport) -> ReportFigures:
    """The figures a report shows: its snapshot's when it has one, else computed now."""
    if report.snapshot_id is not None:
        snapshot = report.snapshot
        return ReportFigures(snapshot.figures, snapshot.data_date, True)
    data = observatory.fresh_figures(year=report.year)
    data_date = parse_datetime(str(data.get("data_date") or "")) or timezone.now()
    return ReportFigures(data, data_date, False)


def sections_of(*, report: AnnualReport) -> list[Section]:
    """The sections of a report with their blocks, in order, in two queries."""
    return list(report.sections.prefetch_related(Prefetch("blocks", queryset=Block.objects.all())))


def published_report(*, year: int) -> AnnualReport | None:
    return AnnualReport.objects.published().filter(year=year).select_related("snapshot").first()


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.published().order_by("-year")
