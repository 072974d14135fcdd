"""Embeds: pages other sites may show in an iframe, and the snippet that frames them.

Every other page refuses to be framed (CSP `frame-ancestors 'none'` and
`X-Frame-Options: DENY`, see config/settings.py), so nobody can overlay our
admin or our filters with a click trap. An embed is read-only, has no form
and no session to abuse, so it allows any site: `frame-ancestors *`.

An embed page extends `timeline/embed_base.html` (blocks `title`, `content`,
`open_label`; `full_url` in its context is the full view its links open) and
its view is wrapped in `embeddable`; `/embed/` is the timeline's
(views.embed_timeline). `snippet()` gives the HTML that embeds any of them. Inside the frame, static/js/embed.js
posts the page's height to the host page, whose part of the snippet (below)
sizes the frame to it: the host runs no script of ours, only the few lines
it pasted. Without JavaScript the frame keeps the snippet's height and scrolls.
"""

import json

from csp.decorators import csp_replace
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt

# What embed.js posts, and what the host's listener accepts.
HEIGHT_MESSAGE = "policy-timeline:height"
# The frame's height before (or without) the resize: a few cards, then it scrolls.
FALLBACK_HEIGHT = 600


def embeddable(view):
    """Let any site frame the pages `view` answers with."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


def snippet(site_url, embed_path, title):
    """The HTML a host page pastes to show the embed at `embed_path` (path and query) of `site_url`.

    The listener resizes only the frame that sent the message, and only for
    messages from this site: another frame cannot resize it.
    """
    src = f"{site_url}{embed_path}"
    listener = (
        "window.addEventListener('message',function(e){"
        f"if(e.origin!=={json.dumps(site_url)}||!e.data||e.data.type!=={json.dumps(HEIGHT_MESSAGE)})return;"
        "document.querySelectorAll('iframe').forEach(function(f){"
        "if(f.contentWindow===e.source)f.style.height=e.data.height+'px';});});"
    )
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{FALLBACK_HEIGHT}" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>\n'
        "<!-- Lets the frame take the height of its content; once per page is enough. -->\n"
        f"<script>{listener}</script>"
    )
