"""Spam protection of the public forms, with no outside service: a honeypot field, a signed
timestamp of when the form was shown, and a count of submissions per address in the cache.

The referencing form and the event registration form use the same rules and settings
(REFERENCING_MIN_SECONDS, REFERENCING_RATE_LIMIT, REFERENCING_RATE_WINDOW).
"""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.core.cache import cache

# Kept from when only the referencing form had it: stamps of forms already open stay valid.
TIMESTAMP_SALT = "observatoire.referencing.form-started"
# A form left open longer than a day is stamped again.
TIMESTAMP_MAX_AGE = 60 * 60 * 24
# The field a person never sees (hidden by CSS), which robots fill in.
HONEYPOT_FIELD = "nickname"


def form_stamp() -> str:
    """A signed timestamp of when the form was shown."""
    return signing.dumps(int(time.time()), salt=TIMESTAMP_SALT)


def stamp_age(value: str) -> float | None:
    """Seconds since the stamp was made; None when missing, forged or too old."""
    try:
        started = signing.loads(value or "", salt=TIMESTAMP_SALT, max_age=TIMESTAMP_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(started, int):
        return None
    return time.time() - started


def spam_verdict(data) -> str:
    """'' when the submission looks human; 'honeypot', 'too_fast' or 'stale' otherwise."""
    if data.get(HONEYPOT_FIELD):
        return "honeypot"
    age = stamp_age(data.get("started", ""))
    if age is None:
        return "stale"
    if age < settings.REFERENCING_MIN_SECONDS:
        return "too_fast"
    return ""


def client_address(request) -> str:
    return get_client_ip_address(request) or "unknown"


def rate_count(key: str) -> int:
    return cache.get(key, 0)


def rate_hit(key: str, window: int) -> None:
    # add() starts the window; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
