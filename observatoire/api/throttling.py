"""Rate limits, counted in the shared cache (settings.API_ANON_RATE and API_USER_RATE).

The rates are read from the settings at each request rather than once at import (DRF's
default), so a deployment, or a test, can change them.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers, per client address."""

    def get_rate(self) -> str:
        return settings.API_ANON_RATE


class TokenThrottle(UserRateThrottle):
    """Callers with a token, per account (anonymous ones are left to AnonymousThrottle)."""

    def get_rate(self) -> str:
        return settings.API_USER_RATE

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
