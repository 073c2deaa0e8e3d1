"""Text that people write with light formatting (messages, resources, training modules),
rendered as HTML that is safe to show to anyone.

Markdown is rendered by markdown-it-py with raw HTML off, then the result goes through
nh3 (the ammonia sanitiser) with an allow-list of tags, attributes and URL schemes:
whatever the text holds (`<script>`, `javascript:` links, event handlers), only the
allowed markup survives. Links open in a new tab without giving the opened page access
to ours."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> SafeString:
    """`text` (Markdown) as sanitised HTML, ready for a template."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
