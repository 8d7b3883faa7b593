"""Middleware of the whole site."""

from django.http import QueryDict


class NullCharactersMiddleware:
    """Drop NUL characters from the query string's parameters.

    No page means them, and PostgreSQL refuses them in any string a query compares: a search
    or filter given `%00` would end in a server error instead of a normal page. Form fields
    already refuse them (Django's CharField validator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
