"""Eligibility of an applicant to a call, and the checks of an uploaded attachment.

Kind of organisation and département are facts of the register: an applicant outside them is
told why and cannot submit. Themes, SDGs and the amount are a matter of judgement or easy to
fix: the applicant is warned before submitting, the application is stored as not eligible with
the reasons, and staff decide.
"""

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Call

# Each extension the forms accept, with what its first bytes (or zip entries) must show.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
DEFAULT_MAX_SIZE_MB = 10


@dataclass
class Verdict:
    """What the eligibility rules say: reasons blocking the submission, and warnings."""

    blocking: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return self.blocking + self.warnings

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _applicant_facts(organization, referencing_request):
    """Kind, département, theme ids and SDG ids of the applicant, from the register."""
    if organization is not None:
        return (
            organization.kind_id,
            organization.departement_id,
            {theme.pk for theme in organization.themes.all()},
            {sdg.pk for sdg in organization.sdgs.all()},
        )
    if referencing_request is not None:
        commune = referencing_request.commune
        return (
            referencing_request.kind_id,
            commune.departement_id if commune else None,
            {theme.pk for theme in referencing_request.themes.all()},
            {sdg.pk for sdg in referencing_request.sdgs.all()},
        )
    return None, None, set(), set()


def check_eligibility(
    *, call: Call, organization=None, referencing_request=None, amount: Decimal | None = None
) -> Verdict:
    """The eligibility of an applicant (a listed organisation or a referencing request)."""
    verdict = Verdict()
    kind_id, departement_id, theme_ids, sdg_ids = _applicant_facts(
        organization, referencing_request
    )
    kinds = list(call.eligible_kinds.all())
    if kinds and kind_id not in {kind.pk for kind in kinds}:
        verdict.blocking.append(
            _("The call is open to these kinds of organisation only: %(kinds)s.")
            % {"kinds": ", ".join(kind.name for kind in kinds)}
        )
    departements = list(call.eligible_departements.all())
    if departements and departement_id not in {departement.pk for departement in departements}:
        verdict.blocking.append(
            _("The call is open to organisations based in these départements only: %(names)s.")
            % {"names": ", ".join(str(departement) for departement in departements)}
        )
    themes = list(call.themes.all())
    if themes and not theme_ids & {theme.pk for theme in themes}:
        verdict.warnings.append(
            _("None of your themes of action is among the call's themes: %(names)s.")
            % {"names": ", ".join(theme.name for theme in themes)}
        )
    sdgs = list(call.sdgs.all())
    if sdgs and not sdg_ids & {sdg.pk for sdg in sdgs}:
        verdict.warnings.append(
            _("None of your SDGs is among the call's SDGs: %(names)s.")
            % {"names": ", ".join(str(sdg) for sdg in sdgs)}
        )
    if (
        amount is not None
        and call.max_amount_per_application is not None
        and amount > call.max_amount_per_application
    ):
        verdict.warnings.append(
            _("The amount requested (%(amount)s EUR) is above the call's maximum (%(max)s EUR).")
            % {
                "amount": number_format(amount, 2, force_grouping=True),
                "max": number_format(call.max_amount_per_application, 2, force_grouping=True),
            }
        )
    return verdict


def sniffed_type(head: bytes, names: list[str] | None) -> str | None:
    """The extension the content shows (pdf, docx, xlsx, odt, jpg, png), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if names is not None:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names and "content.xml" in names:
            return "odt"
    return None


def check_attachment(upload, *, allowed: list[str], max_size_mb: int | None) -> str | None:
    """The error of an uploaded file (extension, real content, size), or None when it is fine."""
    allowed = [extension.lower().lstrip(".") for extension in allowed] or sorted(
        set(ATTACHMENT_TYPES) - {"jpeg"}
    )
    if "jpg" in allowed and "jpeg" not in allowed:
        allowed.append("jpeg")
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    shown = ", ".join(extension for extension in allowed if extension != "jpeg")
    if extension not in allowed:
        return _("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": shown}
    limit = max_size_mb or DEFAULT_MAX_SIZE_MB
    if upload.size > limit * 1024 * 1024:
        return _("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": number_format(upload.size / 1024 / 1024, 1),
            "limit": limit,
        }
    upload.seek(0)
    head = upload.read(16)
    names = None
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names and archive.read("mimetype").strip() != (
                    ATTACHMENT_TYPES["odt"].encode()
                ):
                    names = [entry for entry in names if entry != "mimetype"]
        except (zipfile.BadZipFile, OSError, KeyError):
            names = None
    upload.seek(0)
    content = sniffed_type(head, names)
    expected = "jpg" if extension == "jpeg" else extension
    if content != expected:
        return _(
            "The content of this file is not a %(type)s file, whatever its name says. "
            "Save it again in that format."
        ) % {"type": expected.upper()}
    return None
