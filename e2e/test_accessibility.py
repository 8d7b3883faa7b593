"""axe-core (WCAG 2.1 AA, the level the RGAA requires) on the public pages and forms."""

import pytest
from django.urls import reverse

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "url_name",
    ["core:home", "core:privacy", "accounts:login", "referencing:form", "events:list"],
)
def test_public_page_has_no_accessibility_violation(page, url_name):
    ensure_reference_data()
    page.goto(reverse(url_name))
    assert_accessible(page)


def test_the_check_reports_a_real_violation(page):
    # Guards the guard: an image without a text alternative and an unlabelled field must fail.
    page.set_content('<html lang="fr"><body><main><img src="x.png"><input></main></body></html>')
    with pytest.raises(AssertionError) as error:
        assert_accessible(page)
    assert "image-alt" in str(error.value)
    assert "label" in str(error.value)
