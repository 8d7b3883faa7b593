"""The HTML a campaign may hold, and its text version.

Staff write in a rich-text editor or paste from elsewhere: whatever arrives is reduced with nh3
to what a newsletter needs (paragraphs, emphasis, links, lists, two heading levels, quotes and
images served over HTTPS) before it is stored. Scripts, event handlers, styles and `javascript:`
links never reach the database.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h2", "h3", "blockquote", "img",
    "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    value = value.strip()
    if element == "a" and attribute == "href":
        return value if re.match(r"^(https?://|mailto:)", value, re.IGNORECASE) else None
    if element == "img" and attribute == "src":
        return value if value.lower().startswith("https://") else None
    return value


def sanitize_html(value: str) -> str:
    """The HTML reduced to the tags, attributes and link schemes a newsletter may carry."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    # Trix wraps paragraphs in <div>: a newsletter wants <p>.
    cleaned = re.sub(r"<div>", "<p>", cleaned)
    cleaned = re.sub(r"</div>", "</p>", cleaned)
    # An <img> whose source was dropped is useless.
    return re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", cleaned).strip()


_BLOCK_END = re.compile(r"</(p|h2|h3|blockquote|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """A readable plain-text version of sanitised HTML: links kept as « text (url) »."""

    def link(match: re.Match) -> str:
        url, label = html.unescape(match.group(1)), _TAG.sub("", match.group(2)).strip()
        return f"{label} ({url})" if label and label != url else url

    text = _LINK.sub(link, value or "")
    text = re.sub(r"<li[^>]*>", "- ", text, flags=re.IGNORECASE)
    text = re.sub(r"<h[23][^>]*>", "\n", text, flags=re.IGNORECASE)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
