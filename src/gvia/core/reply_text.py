"""What a customer's e-mail says, without what it quotes: the reply's own text, and whether it
is an automatic answer.

:func:`own_text` keeps what the writer wrote above the history their mail program added: it
stops at a quote header (English "On … wrote:", "-----Original Message-----", an Outlook block
"From: … Sent: …"; Hebrew "ב… כתב:", "-----הודעה מקורית-----", "מאת: … נשלח: …"), drops lines
quoted with ">", and cuts the signature (the "-- " delimiter of RFC 3676, "Sent from my
iPhone", "נשלח מה-iPhone שלי", "Get Outlook for …").

:func:`auto_reply_reason` says why a message is an automatic answer — the headers of RFC 3834
(``Auto-Submitted`` other than ``no``), ``X-Autoreply``/``X-Autorespond``, ``Precedence:
auto_reply``, or an "out of office" / "מחוץ למשרד" / "automatic reply" / "מענה אוטומטי"
subject — or ``None``. Such a message is recorded but does not pause the case.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import Mapping

__all__ = ["own_text", "auto_reply_reason"]

# a line that starts the quoted history: it and everything below it go
_QUOTE_HEADERS = [
    re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(?:הודעה מקורית|הודעה שהועברה)\s*-{2,}\s*$"),
    re.compile(r"^\s*ב?[-־]?.{0,200}(?:כתב|כתבה|כתב/ה|נכתב)\s*:\s*$"),
    re.compile(r"^\s*בתאריך\b.{0,250}\bמאת\b.{0,250}:\s*$"),  # Gmail in Hebrew
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above its "From:" block
]
# an Outlook-style header block: "From:" (or "מאת:") followed within two lines by "Sent:"/"Date:"
_FROM_LINE = re.compile(r"^\s*\*?(?:From|מאת)\s*:\*?\s", re.IGNORECASE)
_SENT_LINE = re.compile(r"^\s*\*?(?:Sent|Date|נשלח|תאריך)\s*:\*?\s", re.IGNORECASE)
# where the signature starts: it and everything below it go
_SIGNATURES = [
    re.compile(r"^--\s?$"),
    re.compile(r"^\s*Sent from my \w+", re.IGNORECASE),
    re.compile(r"^\s*Get Outlook for\b", re.IGNORECASE),
    re.compile(r"^\s*נשלח מ(?:ה-|ה)?\S*"),
]


_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def own_text(body: str) -> str:
    """The writer's own words in ``body`` (a plain-text e-mail body), stripped."""
    lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    bare = [_BIDI.sub("", line) for line in lines]
    for i, line in enumerate(bare):
        if any(p.match(line) for p in _QUOTE_HEADERS):
            break
        if _FROM_LINE.match(line) and any(_SENT_LINE.match(nxt) for nxt in bare[i + 1:i + 3]):
            break
        if any(p.match(line) for p in _SIGNATURES):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(lines[i].rstrip())
    text = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


_AUTO_SUBJECT = re.compile(
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|^\s*auto:|"
    r"מחוץ למשרד|מענה אוטומטי|תשובה אוטומטית|הודעה אוטומטית",
    re.IGNORECASE)


def auto_reply_reason(headers: Mapping[str, str], subject: str) -> str | None:
    """Why the message is an automatic answer (a code: ``auto_submitted``, ``x_autoreply``,
    ``precedence``, ``subject``), or None. ``headers``: names in lower case."""
    submitted = (headers.get("auto-submitted") or "").strip().lower()
    if submitted and not submitted.startswith("no"):
        return "auto_submitted"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "x_autoreply"
    if (headers.get("precedence") or "").strip().lower() == "auto_reply":
        return "precedence"
    if _AUTO_SUBJECT.search(subject or ""):
        return "subject"
    return None
