"""News items for the tests, saved through the service as staff and editors save them."""

from observatoire.core.testing import make_organization
from observatoire.news.models import NewsItem
from observatoire.news.services import news_item_save
from observatoire.organizations.models import Organization


def make_news(title="Assemblée générale du réseau", *, published=True, **fields) -> NewsItem:
    fields.setdefault("body", "Le réseau s'est réuni à Poitiers.\n\nDeux paragraphes.")
    item = NewsItem(title=title, is_published=published, **fields)
    return news_item_save(item=item)


def make_listed_organization(name="Association Eau Vive Charente") -> Organization:
    return make_organization(name, status=Organization.Status.QUALIFIED)
