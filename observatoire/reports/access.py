"""Who may use the annual report's staff pages: the back office (administrators, staff and
observatory)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import is_back_office

from .models import AnnualReport, Block, Section


def can_manage_reports(user) -> bool:
    return is_back_office(user)


def access_report(user, pk: int) -> AnnualReport:
    """The report `pk` for a back-office user; 403 for anybody else, 404 when it does not exist."""
    if not can_manage_reports(user):
        raise PermissionDenied
    return get_object_or_404(AnnualReport.objects.select_related("snapshot"), pk=pk)


def access_section(user, report_pk: int, pk: int) -> Section:
    report = access_report(user, report_pk)
    return get_object_or_404(Section.objects.select_related("report"), report=report, pk=pk)


def access_block(user, report_pk: int, pk: int) -> Block:
    report = access_report(user, report_pk)
    return get_object_or_404(
        Block.objects.select_related("section__report"), section__report=report, pk=pk
    )
