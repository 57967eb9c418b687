"""Text a visitor typed, made safe to quote in a mail to staff and municipal workers.

Such text is never put in a subject, and in the body it stands in a block marked as the
applicant's own. Mail clients turn anything that looks like an address into a link, so a stranger
could send a worker a convincing link through our own mail; `inert` breaks what makes text look
like one ("http://", "www.", dots between letters, "@"), in the text and the HTML part alike.
"""

from __future__ import annotations

import re

# "scheme://" of any scheme, and the schemes that clients link without "//".
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)|\b(mailto|tel|sms|callto|javascript|data|file):")
_DOT = re.compile(r"(?<=\w)\.(?=\w)")


def inert(text: str | None) -> str:
    """Return `text` with web and mail addresses broken so that no mail client links them."""
    text = " ".join((text or "").split())  # one line: no line breaks of the visitor's own
    text = _SCHEME.sub(lambda m: f"{m.group(1) or m.group(2)}[:]", text).replace("[:]//", "[:]/ /")
    text = _DOT.sub("[.]", text)
    return text.replace("@", "[at]")
