"""Page-number pagination with a total count and a bounded page size."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    # Read at each request, so the settings (API_PAGE_SIZE, API_MAX_PAGE_SIZE) can change.
    @property
    def page_size(self) -> int:
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE
