"""Forum text: Markdown made into clean HTML once, when a post is written; mentions; identity numbers.

Posts are Markdown rendered by markdown-it-py with raw HTML turned off, then cleaned by nh3 with a
short allow-list, so that nothing a member types can run in another member's browser (the page's
CSP allows no inline script either). The HTML is stored beside the source: pages do no Markdown work.
"""

from __future__ import annotations

import re
from datetime import date

import nh3
from markdown_it import MarkdownIt
from stdnum import luhn

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# A username after "@" (fornamn.efternamn, as accounts makes them).
MENTION = re.compile(r"(?<![\w.@])@([a-z0-9][a-z0-9._-]{1,78}[a-z0-9])", re.IGNORECASE)
# Six or eight digits, maybe a dash or plus, then four: a personnummer or samordningsnummer.
_IDENTITY_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})\s?[-+]?\s?(\d{4})(?!\d)")


def render_markdown(source: str) -> str:
    """Return the cleaned HTML of a post's Markdown source."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def mentioned_usernames(source: str) -> set[str]:
    """Return the lower-cased usernames mentioned with "@" in a post."""
    return {name.lower() for name in MENTION.findall(source)}


def holds_identity_number(text: str) -> bool:
    """Whether `text` seems to hold a Swedish personal identity or coordination number.

    The check digit and the date must hold, so that phone numbers and other long numbers rarely
    trigger it.
    """
    return any(_is_identity_number(m.group(1), m.group(2)) for m in _IDENTITY_CANDIDATE.finditer(text))


def _is_identity_number(date_part: str, tail: str) -> bool:
    """A real date (the day plus 60 in a coordination number) and a right Luhn check digit."""
    ten = date_part[-6:] + tail
    if not luhn.is_valid(ten):
        return False
    centuries = [date_part[:2]] if len(date_part) == 8 else ["19", "20"]
    month, day = int(date_part[-4:-2]), int(date_part[-2:])
    if day > 60:
        day -= 60  # samordningsnummer
    for century in centuries:
        try:
            date(int(century + date_part[-6:-4]), month, day)
        except ValueError:
            continue
        return True
    return False


def quote(author_name: str, source: str) -> str:
    """Return Markdown that quotes a post's source, with who wrote it."""
    lines = source.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{author_name}:**\n>\n{quoted}\n\n"
