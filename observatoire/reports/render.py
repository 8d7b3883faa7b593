"""The report as a web page, a PDF (WeasyPrint) and JSON, all from the same figures dict."""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.safestring import SafeString, mark_safe

from . import figures as observatory
from .blocks import BlockType
from .models import AnnualReport
from .selectors import ReportFigures, report_figures, sections_of

JSON_SCHEMA = 1
PDF_CACHE_SECONDS = 30 * 24 * 3600
# The PDF and the standalone HTML inline the web page's stylesheet.
STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "reports.css"


@dataclass(frozen=True)
class RenderedBlock:
    type: BlockType
    html: SafeString


@dataclass(frozen=True)
class RenderedSection:
    anchor: str
    title: str
    text: str
    blocks: list[RenderedBlock]


def _period(data: dict) -> dict:
    """The period of the figures with real dates, so templates format them in the language."""
    period = data.get("period") or {}
    return {
        "start": parse_date(str(period.get("start") or "")) or period.get("start"),
        "end": parse_date(str(period.get("end") or "")) or period.get("end"),
        "label": period.get("label", ""),
    }


def render_block(
    block_type: BlockType, data: dict, *, anchor: str, printed: bool = False
) -> SafeString:
    """One block's HTML (its charts and maps as inline SVG) from the figures dict.

    `printed` leaves out what only screen readers use (the charts' hidden data tables).
    """
    context = {"block": block_type, "anchor": anchor, "printed": printed, **block_type.build(data)}
    return mark_safe(render_to_string(block_type.template, context))


def document_context(
    report: AnnualReport, shown: ReportFigures | None = None, *, printed: bool = False
) -> dict:
    """Everything the web page and the PDF show: sections with their rendered blocks."""
    shown = shown or report_figures(report=report)
    sections, keys = [], []
    for index, section in enumerate(sections_of(report=report), start=1):
        blocks = []
        for block in section.blocks.all():
            if block.block_type is None:  # a block removed from the registry since
                continue
            keys.extend(block.block_type.reads)
            anchor = f"block-{index}-{len(blocks) + 1}"
            html = render_block(block.block_type, shown.data, anchor=anchor, printed=printed)
            blocks.append(RenderedBlock(block.block_type, html))
        sections.append(RenderedSection(f"section-{index}", section.title, section.text, blocks))
    return {
        "report": report,
        "network_name": settings.NETWORK_NAME,
        "figures": shown.data,
        "period": _period(shown.data),
        "data_date": shown.data_date,
        "frozen": shown.frozen,
        "sections": sections,
        "definitions": observatory.definitions(keys=keys),
    }


def report_pdf(report: AnnualReport, shown: ReportFigures | None = None) -> bytes:
    """The report as an A4 PDF: cover, contents, sections, the definitions in an appendix."""
    # WeasyPrint reports each step at INFO level: not worth a line in the server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=document_html(report, shown, printed=True)).write_pdf()


def published_pdf(report: AnnualReport) -> bytes:
    """The PDF of a published report, made once per language and publication.

    A published report cannot change (its figures are a snapshot, its sections are locked until
    it returns to draft, which changes `updated_at`), so its PDF is kept in the cache.
    """
    if not report.is_published:
        return report_pdf(report)
    key = f"reports:pdf:{report.pk}:{report.updated_at.timestamp()}:{translation.get_language()}"
    return cache.get_or_set(key, lambda: report_pdf(report), timeout=PDF_CACHE_SECONDS)


def document_html(
    report: AnnualReport, shown: ReportFigures | None = None, *, printed: bool = False
) -> str:
    """The report as one standalone HTML file (its stylesheet inline), the PDF's source."""
    stylesheet = mark_safe(STYLESHEET.read_text(encoding="utf-8"))
    context = {**document_context(report, shown, printed=printed), "stylesheet": stylesheet}
    return render_to_string("reports/document.html", context)


def report_json(report: AnnualReport, shown: ReportFigures | None = None) -> dict:
    """The figures dict (the contract's keys) plus the report's structure under "report"."""
    shown = shown or report_figures(report=report)
    return {
        **shown.data,
        "report": {
            "schema": JSON_SCHEMA,
            "year": report.year,
            "title": report.title,
            "status": report.status,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "frozen": shown.frozen,
            "snapshot_id": report.snapshot_id,
            "introduction": report.introduction,
            "sections": [
                {
                    "title": section.title,
                    "text": section.text,
                    "blocks": [
                        {
                            "key": block.kind,
                            "label": str(block.block_type.label),
                            "kind": block.block_type.kind,
                            "reads": list(block.block_type.reads),
                        }
                        for block in section.blocks.all()
                        if block.block_type is not None
                    ],
                }
                for section in sections_of(report=report)
            ],
        },
    }
