import pytest
from django.core.exceptions import ValidationError

from observatoire.core.text import fold, spreadsheet_safe
from observatoire.core.validators import (
    validate_iati_organisation_id,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)


@pytest.mark.parametrize("value", ["732829320", "732 829 320", "552100554"])
def test_valid_siren_numbers_pass(value):
    validate_siren(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("732829321", "siren_checksum"), ("12345678", "siren_format"), ("ABCDEFGHI", "siren_format")],
)
def test_invalid_siren_numbers_are_refused_with_the_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)
    assert error.value.code == code


def test_siret_checks_its_luhn_digit_and_la_poste_exception():
    validate_siret("73282932000074")
    validate_siret("35600000000105")  # La Poste: digits sum to a multiple of 5
    with pytest.raises(ValidationError):
        validate_siret("73282932000075")
    with pytest.raises(ValidationError):
        validate_siret("7328293200007")


def test_rna_is_w_and_nine_characters():
    validate_rna("W332001234")
    validate_rna("w 2A1 001234")
    for bad in ("332001234", "W33200123", "X332001234"):
        with pytest.raises(ValidationError):
            validate_rna(bad)


def test_iati_identifier_needs_an_agency_prefix():
    validate_iati_organisation_id("FR-RNA-W332001234")
    validate_iati_organisation_id("XM-DAC-41114")
    with pytest.raises(ValidationError):
        validate_iati_organisation_id("W332001234")


def test_phone_numbers_french_and_international():
    validate_phone("05 56 00 00 00")
    validate_phone("+221 33 800 00 00")
    for bad in ("12", "call me", "05 56 00 00 00 00 00 00"):
        with pytest.raises(ValidationError):
            validate_phone(bad)


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Cités Unies-France « Œuvre »") == "cites unies france oeuvre"


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+33", "-1+1", "@SUM(A1)", "\tcmd"])
def test_spreadsheet_formulas_are_neutralised(value):
    assert spreadsheet_safe(value) == "'" + value


def test_plain_text_is_left_alone_in_spreadsheets():
    assert spreadsheet_safe("Association Eau Vive") == "Association Eau Vive"
    assert spreadsheet_safe(42) == 42
