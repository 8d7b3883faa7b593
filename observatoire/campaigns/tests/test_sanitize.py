"""What staff write is reduced to what a newsletter may carry before it is stored."""

import pytest

from observatoire.campaigns.models import Campaign
from observatoire.campaigns.sanitize import html_to_text, sanitize_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<p>Hello</p><script>alert(1)</script>",
        '<p onclick="alert(1)">Hello</p>',
        '<img src="https://example.org/a.png" alt="a" onerror="alert(1)">',
        '<a href="javascript:alert(1)">lien</a>',
        '<a href="JaVaScRiPt:alert(1)">lien</a>',
        '<iframe src="https://evil.example"></iframe><p>Hello</p>',
        "<style>body{display:none}</style><p>Hello</p>",
        '<p style="background:url(javascript:alert(1))">Hello</p>',
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_scripts_handlers_and_javascript_links_are_removed(dirty):
    clean = sanitize_html(dirty).lower()

    for forbidden in ("<script", "onclick", "onerror", "onload", "javascript:", "<iframe",
                      "<style", "style=", "<svg", "alert(1)"):  # fmt: skip
        assert forbidden not in clean


def test_what_a_newsletter_needs_is_kept():
    html = (
        "<h2>Titre</h2><h3>Sous-titre</h3><p>Un <strong>appel</strong> <em>ouvert</em><br>"
        'jusqu\'au 30 juin : <a href="https://example.org/appel">le règlement</a>, '
        '<a href="mailto:contact@example.org">écrire</a>.</p><ul><li>un</li></ul><ol><li>deux'
        "</li></ol><blockquote>citation</blockquote>"
        '<img src="https://example.org/a.png" alt="Logo">'
    )

    assert sanitize_html(html) == html


def test_links_and_images_are_limited_to_safe_schemes():
    clean = sanitize_html(
        '<p><a href="ftp://example.org/f">ftp</a> <a href="/relative">rel</a>'
        '<img src="http://example.org/a.png" alt="http">'
        '<img src="data:image/png;base64,AA" alt="d">'
        "</p>"
    )

    assert "ftp:" not in clean and "/relative" not in clean
    assert "<img" not in clean


def test_trix_divs_become_paragraphs():
    assert sanitize_html("<div>Bonjour<br>à tous</div>") == "<p>Bonjour<br>à tous</p>"


def test_text_version_keeps_the_links():
    text = html_to_text(
        '<h2>Appels</h2><p>Voir <a href="https://example.org/a?x=1&amp;y=2">le site</a>.</p>'
        "<ul><li>un</li><li>deux</li></ul>"
    )

    assert text == "Appels\nVoir le site (https://example.org/a?x=1&y=2).\n- un\n- deux"


def test_campaign_is_stored_sanitised(make_campaign):
    campaign = make_campaign(body='<p onmouseover="x()">Bonjour</p><script>steal()</script>')

    assert Campaign.objects.get(pk=campaign.pk).body_html == "<p>Bonjour</p>"
