"""Turning the text of a cell into a value of the register, or a French message saying why not."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from observatoire.core.validators import normalize_identifier

FORMULA_PREFIXES = ("=", "+", "@")
_url = URLValidator()
# Compiled once: these run on every row of large imports.
_YEAR = re.compile(r"\d{4}")
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f€]|EUR", re.IGNORECASE)


def message_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def looks_like_formula(value: str) -> bool:
    # "-" and "+" start phone numbers and amounts: only flag what a spreadsheet evaluates.
    return value.startswith(FORMULA_PREFIXES) and len(value) > 1 and not value[1:].isdigit()


def identifier(value: str, validator, errors: list[str]) -> str:
    value = normalize_identifier(value)
    if not value:
        return ""
    try:
        validator(value)
    except ValidationError as error:
        errors.append(message_of(error))
        return ""
    return value


def email(value: str, errors: list[str]) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": value})
        return ""
    return value


def website(value: str, errors: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    try:
        _url(value)
    except ValidationError:
        errors.append(_("“%(value)s” is not a valid web address.") % {"value": value})
        return ""
    return value[:300]


def text(value: str, max_length: int, label: str, errors: list[str]) -> str:
    if len(value) > max_length:
        errors.append(
            _("%(field)s is too long (%(length)d characters, %(max)d at most).")
            % {"field": label, "length": len(value), "max": max_length}
        )
        return ""
    return value


def year(value: str, errors: list[str]) -> int | None:
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not _YEAR.fullmatch(value) or not 1980 <= int(value) <= 2100:
        errors.append(_("“%(value)s” is not a year between 1980 and 2100.") % {"value": value})
        return None
    return int(value)


def amount(value: str, errors: list[str]) -> Decimal | None:
    cleaned = _AMOUNT_NOISE.sub("", value).replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        errors.append(_("“%(value)s” is not an amount.") % {"value": value})
        return None
    if number < 0 or number >= Decimal("1e8") or not number.is_finite():
        errors.append(_("“%(value)s” is not a possible fee.") % {"value": value})
        return None
    return number.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")


def date(value: str, errors: list[str]) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    errors.append(_("“%(value)s” is not a date (write it as 31/12/2025).") % {"value": value})
    return None
