"""Validators for French register identifiers, phones and free text."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Compiled once: these run on every row of large imports.
_IDENTIFIER_SEPARATORS = re.compile(r"[\s.\-]")
_SIREN = re.compile(r"\d{9}")
_SIRET = re.compile(r"\d{14}")
_RNA = re.compile(r"W[0-9A-Z]{9}")
_IATI = re.compile(r"[A-Z]{2}(-[A-Za-z0-9]+)+(-[A-Za-z0-9._/]+)?")
_NON_DIGIT = re.compile(r"\D")
_PHONE = re.compile(r"[+\d\s().\-/]+")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_identifier(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside SIREN, SIRET and RNA numbers."""
    return _IDENTIFIER_SEPARATORS.sub("", value or "").upper()


def validate_siren(value: str) -> None:
    value = normalize_identifier(value)
    if not _SIREN.fullmatch(value):
        raise ValidationError(
            _("A SIREN number has exactly 9 digits (you typed “%(value)s”)."),
            code="siren_format",
            params={"value": value},
        )
    if not luhn_is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIREN number: its check digit is wrong."),
            code="siren_checksum",
            params={"value": value},
        )


# La Poste's establishments share one SIREN and follow their own rule for the SIRET.
LA_POSTE_SIREN = "356000000"


def validate_siret(value: str) -> None:
    value = normalize_identifier(value)
    if not _SIRET.fullmatch(value):
        raise ValidationError(
            _("A SIRET number has exactly 14 digits (you typed “%(value)s”)."),
            code="siret_format",
            params={"value": value},
        )
    valid = luhn_is_valid(value) or (
        value.startswith(LA_POSTE_SIREN) and sum(int(c) for c in value) % 5 == 0
    )
    if not valid:
        raise ValidationError(
            _("“%(value)s” is not a valid SIRET number: its check digit is wrong."),
            code="siret_checksum",
            params={"value": value},
        )


def validate_rna(value: str) -> None:
    value = normalize_identifier(value)
    if not _RNA.fullmatch(value):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 characters, e.g. W332001234."),
            code="rna_format",
        )


def validate_iati_organisation_id(value: str) -> None:
    if not _IATI.fullmatch(value or ""):
        raise ValidationError(
            _(
                "An IATI organisation identifier starts with a registration agency prefix, "
                "e.g. FR-RNA-W332001234 or XM-DAC-41114."
            ),
            code="iati_format",
        )


def validate_phone(value: str) -> None:
    digits = _NON_DIGIT.sub("", value or "")
    if not _PHONE.fullmatch(value or "") or not 6 <= len(digits) <= 15:
        raise ValidationError(
            _(
                "Enter a phone number with 6 to 15 digits, "
                "e.g. 05 56 00 00 00 or +221 33 800 00 00."
            ),
            code="phone",
        )
