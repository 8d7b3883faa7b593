import pytest

from observatoire.core.testing import make_organization
from observatoire.news import demo
from observatoire.news.models import NewsItem
from observatoire.news.selectors import public_news
from observatoire.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_news_of_the_network_and_of_organisations_with_pictures():
    for name in [demo.EAU_VIVE, demo.CHATELLERAULT, demo.NIORT_ATAKPAME]:
        make_organization(name, status=Organization.Status.QUALIFIED)

    demo.load_demo(seed=7)
    demo.load_demo(seed=7)  # a second run adds nothing

    published = list(public_news())
    assert len(published) == 8
    assert {item.organization.name for item in published if item.organization} == {
        demo.EAU_VIVE,
        demo.CHATELLERAULT,
        demo.NIORT_ATAKPAME,
    }
    assert any(item.language == "en" for item in published)
    with_images = [item for item in published if item.image]
    assert len(with_images) >= 3 and all(item.image_alt for item in with_images)
    assert NewsItem.objects.filter(is_published=False).count() == 1
