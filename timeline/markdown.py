"""Event bodies are Markdown written by editors and rendered for readers.

markdown-it-py's js-default preset leaves raw HTML off; nh3 then sanitises the
output anyway, so a `javascript:` link or anything the parser lets through
is inert whatever the preset does.
"""

import nh3
from markdown_it import MarkdownIt

# Images are off: an event's body cites, it does not embed third-party files
# (and the CSP would block them); "![alt](url)" stays readable text.
_parser = MarkdownIt("js-default").disable("image")

_ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text):
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
