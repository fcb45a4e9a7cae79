"""Letter text written in Markdown, rendered to HTML that is safe to show."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is not passed through; links are limited to web and mail addresses.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    "hr",
}


def markdown(text: str | None) -> Markup:
    """Render ``text`` as HTML with only harmless tags and http(s)/mailto links."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)
