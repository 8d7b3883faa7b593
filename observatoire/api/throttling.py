"""Rate limits, counted in the shared cache (settings.API_ANON_RATE and API_USER_RATE)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers, per client address."""

    scope = "anon"


class TokenThrottle(UserRateThrottle):
    """Callers with a token, per account (anonymous ones are left to AnonymousThrottle)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
