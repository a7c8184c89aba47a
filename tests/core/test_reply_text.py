"""A reply's own words without the history it quotes, and automatic answers (issue 16)."""

from __future__ import annotations

import pytest

from gvia.core.reply_text import auto_reply_reason, own_text


@pytest.mark.parametrize("body, expected", [
    ("We will pay on Friday.\n\nOn Tue, 8 Dec 2026 at 09:00, Gilboa <billing@gilboa.co.il> wrote:\n> Invoice 1043 "
     "is overdue.\n> Please pay.", "We will pay on Friday."),
    ("נשלם ביום ראשון.\n\nב-8 בדצמ׳ 2026, 9:00, גלבוע כתב:\n> חשבונית 1043 באיחור", "נשלם ביום ראשון."),
    ("נשלם ביום ראשון.\n\n\u202bבתאריך יום ג׳, 8 בדצמ׳ 2026 ב-9:02 מאת \u202aGilboa\u202c\u200f "
     "<\u202abilling@gilboa.co.il\u202c\u200f>:\u202c\n> חשבונית 1043", "נשלם ביום ראשון."),
    ("Paid yesterday.\n-----Original Message-----\nFrom: billing@gilboa.co.il\nInvoice 1043", "Paid yesterday."),
    ("שולם אתמול\n\n-----הודעה מקורית-----\nמאת: גלבוע", "שולם אתמול"),
    ("Paid yesterday.\n\nFrom: Gilboa <billing@gilboa.co.il>\nSent: Tuesday, December 8, 2026 9:00 AM\nTo: a@b.c",
     "Paid yesterday."),
    ("שילמנו.\n\nמאת: גלבוע <billing@gilboa.co.il>\nנשלח: יום שלישי 8 דצמבר 2026\nאל: a@b.c", "שילמנו."),
    ("See below\n> quoted line\nmy answer", "See below\nmy answer"),
    ("We'll pay Monday.\n-- \nDana Levi\nCFO, Acme\n054-1234567", "We'll pay Monday."),
    ("We'll pay Monday.\n\nSent from my iPhone", "We'll pay Monday."),
    ("נעביר מחר\n\nנשלח מה-iPhone שלי", "נעביר מחר"),
    ("", ""),
])
def test_own_text(body, expected):
    assert own_text(body) == expected


@pytest.mark.parametrize("headers, subject, reason", [
    ({"auto-submitted": "auto-replied"}, "Re: invoice 1043", "auto_submitted"),
    ({"auto-submitted": "no"}, "Re: invoice 1043", None),
    ({"x-autoreply": "yes"}, "Re: invoice", "x_autoreply"),
    ({"precedence": "auto_reply"}, "Re: invoice", "precedence"),
    ({}, "Out of Office: Re: invoice 1043", "subject"),
    ({}, "Automatic reply: invoice", "subject"),
    ({}, "מחוץ למשרד: חשבונית 1043", "subject"),
    ({}, "מענה אוטומטי", "subject"),
    ({}, "Re: invoice 1043", None),
])
def test_auto_reply_reason(headers, subject, reason):
    assert auto_reply_reason(headers, subject) == reason
